"""File › Privacy and lock: the quick-hide key, locking after a time without use, a neutral
name for the window while it is hidden, and whether protected cases are remembered."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.gui.look import heading
from evidence_app.gui.screen_fit import fit_to_screen
from evidence_app.gui.settings import DOUBLE_ESCAPE, AppSettings

IDLE_CHOICES = [0, 1, 2, 5, 10, 15, 30, 60]  # minutes; 0 = never
DEFAULT_NEUTRAL = "Notes"


def minutes_text(minutes: int) -> str:
    if minutes == 0:
        return "Never"
    if minutes == 60:
        return "After 1 hour"
    return f"After {minutes} minute{'s' if minutes != 1 else ''}"


class PrivacyDialog(QDialog):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Privacy and lock")
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 16)
        layout.setSpacing(10)

        layout.addWidget(heading(QLabel("Quick hide")))
        intro = QLabel("One key hides every window of this app at once and locks it. The "
                       "window stays in the taskbar, minimised, showing nothing from your "
                       "case. Ctrl+L locks it without hiding.")
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.key_double = QRadioButton("Esc pressed twice quickly (Esc once still closes "
                                       "windows and clears the search)")
        self.key_custom = QRadioButton("This key:")
        self.key_none = QRadioButton("No quick-hide key")
        self.key_edit = QKeySequenceEdit()
        self.key_edit.setMaximumSequenceLength(1)
        self.key_edit.setAccessibleName("Quick-hide key")
        self.key_edit.setToolTip("Click here, then press the key (for example F12 or "
                                 "Ctrl+Shift+H)")
        self.key_edit.setMaximumWidth(200)
        group = QButtonGroup(self)
        for button in (self.key_double, self.key_custom, self.key_none):
            group.addButton(button)
        layout.addWidget(self.key_double)
        row = QHBoxLayout()
        row.addWidget(self.key_custom)
        row.addWidget(self.key_edit)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.key_none)
        self.key_edit.keySequenceChanged.connect(lambda _s: self.key_custom.setChecked(True))

        self.neutral_on = QCheckBox("While hidden or locked, call the window")
        self.neutral = QLineEdit()
        self.neutral.setAccessibleName("Neutral window name")
        self.neutral.setMaxLength(40)
        self.neutral.setMaximumWidth(200)
        self.neutral.setPlaceholderText(DEFAULT_NEUTRAL)
        row = QHBoxLayout()
        row.addWidget(self.neutral_on)
        row.addWidget(self.neutral)
        row.addStretch(1)
        layout.addLayout(row)
        note = QLabel("A plain name such as \u201cNotes\u201d, with a plain note icon, so the "
                      "taskbar does not say what this app is.")
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.addWidget(note)

        layout.addSpacing(6)
        layout.addWidget(heading(QLabel("Lock when not in use")))
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        self.idle_protected = self._idle_box(settings.lock_after_minutes(True))
        self.idle_protected.setAccessibleName("Lock a case protected by a passphrase")
        form.addRow("Case with a passphrase", self.idle_protected)
        self.idle_plain = self._idle_box(settings.lock_after_minutes(False))
        self.idle_plain.setAccessibleName("Lock a case without a passphrase")
        form.addRow("Case without a passphrase", self.idle_plain)
        layout.addLayout(form)
        note = QLabel("A case with a passphrase closes when it locks: you type the passphrase "
                      "to carry on. Work still running (an import) is stopped first and the "
                      "app tells you afterwards; everything already saved is kept.")
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.addWidget(note)

        layout.addSpacing(6)
        layout.addWidget(heading(QLabel("Recent cases")))
        self.remember_protected = QCheckBox("Remember cases with a passphrase in the list of "
                                            "recent cases")
        layout.addWidget(self.remember_protected)
        note = QLabel("Off, the app does not write down where such a case is: you open it "
                      "with File \u203a Open case. The list itself would tell someone a case "
                      "exists.")
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.addWidget(note)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)
        self._load()
        # Tall enough for everything in it: left to itself, Qt gives a dialog at most two
        # thirds of the screen, which on a 1280x720 laptop squashed the lock choices.
        fit_to_screen(self, 600, layout.totalHeightForWidth(600))

    def _idle_box(self, minutes: int) -> QComboBox:
        box = QComboBox()
        choices = sorted({*IDLE_CHOICES, minutes})
        for value in choices:
            box.addItem(minutes_text(value), value)
        box.setCurrentIndex(choices.index(minutes))
        return box

    def _load(self) -> None:
        key = self.settings.quick_hide_key
        if key == DOUBLE_ESCAPE:
            self.key_double.setChecked(True)
        elif key:
            self.key_edit.setKeySequence(QKeySequence(key))
            self.key_custom.setChecked(True)
        else:
            self.key_none.setChecked(True)
        neutral = self.settings.neutral_title
        self.neutral_on.setChecked(bool(neutral))
        self.neutral.setText(neutral or DEFAULT_NEUTRAL)
        self.remember_protected.setChecked(self.settings.remember_protected)

    def forget_protected(self) -> None:
        """Take protected cases off the recent list and the last-case memory."""
        from evidence_app.gui.case_session import is_protected

        for folder in self.settings.recent_cases():
            if is_protected(folder):
                self.settings.remove_recent(folder)
        last = self.settings.last_case
        if last is not None and is_protected(last):
            self.settings.last_case = None

    def _save(self) -> None:
        if self.key_double.isChecked():
            key = DOUBLE_ESCAPE
        elif self.key_custom.isChecked():
            key = self.key_edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
            if key == "Esc":
                self.error.setText("Esc on its own closes windows and clears the search, so "
                                   "it cannot also hide the app: choose “Esc pressed "
                                   "twice quickly”, or another key.")
                self.error.show()
                return
            if not key:
                self.error.setText("Click the box beside “This key” and press the key "
                                   "to use, or choose another option.")
                self.error.show()
                self.key_edit.setFocus()
                return
        else:
            key = ""
        self.settings.quick_hide_key = key
        name = self.neutral.text().strip() or DEFAULT_NEUTRAL
        self.settings.neutral_title = name if self.neutral_on.isChecked() else ""
        self.settings.set_lock_after_minutes(True, int(self.idle_protected.currentData()))
        self.settings.set_lock_after_minutes(False, int(self.idle_plain.currentData()))
        if self.settings.remember_protected and not self.remember_protected.isChecked():
            self.forget_protected()
        self.settings.remember_protected = self.remember_protected.isChecked()
        self.settings.sync()
        self.accept()
