"""The first screen: create a case, or open one (recent cases listed)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
        QVBoxLayout,
    QWidget,
)

from evidence_app import APP_NAME
from evidence_app.core.errors import ValidationError
from evidence_app.core.store.folder import is_case_folder
from evidence_app.gui.dialogs.passphrase import NewPassphrase
from evidence_app.gui.icons import app_icon, icon
from evidence_app.paths import data_dir

INITIALS_HELP = ("Every photo, screenshot or file you add gets an exhibit mark made from these "
                 "initials, like JS/1, JS/2. The police use the marks to refer to your evidence.")


def initials_of(name: str) -> str:
    """'Jane Mary Smith' -> 'JMS' (letters only, at most 6)."""
    return "".join(w[0] for w in re.findall(r"[^\W\d_]+", name))[:6].upper()


def suggested_folder(name: str) -> Path:
    """A new folder under the default cases folder, named after the case."""
    safe = re.sub(r"[^\w\- ]+", "", name, flags=re.UNICODE).strip()[:60] or "My case"
    base = data_dir() / "cases"
    folder, n = base / safe, 2
    while folder.exists() and any(folder.iterdir()):
        folder, n = base / f"{safe} ({n})", n + 1
    return folder


def pretty_path(path: Path) -> str:
    """A folder as people read it: the home folder shown as ~."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def where_words(path: Path) -> str:
    """Where a case folder is, in words: its own name in full, and its place plainly
    ("in this app's own folder") rather than a technical path cut in the middle."""
    try:
        path.relative_to(data_dir())
        return f"\u201c{path.name}\u201d, in this app\u2019s own folder on this computer"
    except ValueError:
        return f"\u201c{path.name}\u201d, in {pretty_path(path.parent)}"


class _Card(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 20, 24, 22)
        self.layout_.setSpacing(12)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        self.layout_.addWidget(heading)


class WelcomeScreen(QWidget):
    """Signals: `create_requested(folder, owner, initials, case name)`, `open_requested(folder)`."""

    create_requested = Signal(Path, str, str, str)
    open_requested = Signal(Path)
    browse_requested = Signal()
    restore_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._folder: Path | None = None  # chosen by the person; None = suggested
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 36, 40, 28)
        outer.addStretch(1)

        head = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(64, 64)))
        head.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        title = QLabel(f"Welcome to {APP_NAME}")
        title.setObjectName("welcomeTitle")
        words.addWidget(title)
        intro = QLabel("Keep a careful, dated record of what has been happening, with your photos "
                       "and screenshots, and print a clear report for the police when you need "
                       "it. Everything stays on this computer: nothing is sent anywhere.")
        intro.setWordWrap(True)
        intro.setObjectName("intro")
        words.addWidget(intro)
        head.addLayout(words, 1)
        head.setSpacing(18)
        outer.addLayout(head)
        outer.addSpacing(22)

        cards = QHBoxLayout()
        cards.setSpacing(20)
        cards.addWidget(self._create_card(), 3)
        cards.addWidget(self._open_card(), 2)
        outer.addLayout(cards)
        outer.addStretch(2)
        self.setMaximumWidth(980)
        self.refresh_folder()

    # -- create --------------------------------------------------------------------------
    def _create_card(self) -> QWidget:
        card = _Card("Start a new case")
        text = QLabel("A case is one folder holding your log and your evidence. "
                      "You can change these details later.")
        text.setWordWrap(True)
        text.setObjectName("muted")
        card.layout_.addWidget(text)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(14)
        self.owner = QLineEdit()
        self.owner.setAccessibleName("Your full name")
        self.owner.setPlaceholderText("e.g. Jane Smith")
        form.addRow("Your full name", self.owner)
        self.initials = QLineEdit()
        self.initials.setAccessibleName("Initials for exhibit marks")
        self.initials.setPlaceholderText("e.g. JS")
        self.initials.setMaxLength(6)
        self.initials.setMaximumWidth(110)
        self.initials.setToolTip(INITIALS_HELP)
        form.addRow("Your initials", self.initials)
        self.marks_help = QLabel()
        self.marks_help.setObjectName("muted")
        self.marks_help.setWordWrap(True)
        self.marks_help.setToolTip(INITIALS_HELP)
        form.addRow("", self.marks_help)
        self._show_marks("")
        self.case_name = QLineEdit()
        self.case_name.setAccessibleName("Case name")
        self.case_name.setPlaceholderText("Optional, e.g. Harassment 2025")
        form.addRow("Case name", self.case_name)
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)  # a few words, never a path cut short
        self.folder_label.setAccessibleName("Folder where the case will be kept")
        form.addRow("Kept in", self.folder_label)
        change = QPushButton("Choose another folder…")
        change.setAccessibleName("Choose where to keep the case")
        change.setToolTip("Choose another folder for this case")
        change.clicked.connect(self._choose_folder)
        where = QHBoxLayout()
        where.addWidget(change)
        where.addStretch(1)
        form.addRow("", where)
        card.layout_.addLayout(form)
        self.protect = QCheckBox("Protect this case with a passphrase")
        self.protect.setToolTip("Everything in the case is scrambled on disk; only the "
                                "passphrase (or a recovery key you write down) opens it")
        self.protect.toggled.connect(self._protect_toggled)
        card.layout_.addWidget(self.protect)
        self.protection = QWidget()
        box = QVBoxLayout(self.protection)
        box.setContentsMargins(22, 0, 0, 0)
        box.setSpacing(6)
        self.passphrase = NewPassphrase()
        box.addWidget(self.passphrase)
        self.remember_protected = QCheckBox("List this case under recent cases on this computer")
        self.remember_protected.setToolTip("Off, nothing on this computer says where the case "
                                           "is: open it with “Open case folder”")
        box.addWidget(self.remember_protected)
        self.protection.hide()
        card.layout_.addWidget(self.protection)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        card.layout_.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.create_button = QPushButton("Create case")
        self.create_button.setDefault(True)
        self.create_button.setObjectName("primary")
        self.create_button.setAccessibleName("Create case")
        self.create_button.clicked.connect(self._create)
        row.addWidget(self.create_button)
        card.layout_.addLayout(row)
        card.layout_.addStretch(1)

        self._initials_touched = False
        self.owner.textChanged.connect(self._owner_changed)
        self.initials.textChanged.connect(self._show_marks)
        self.initials.textEdited.connect(self._initials_edited)
        self.case_name.textChanged.connect(lambda _t: self.refresh_folder())
        for edit in (self.owner, self.initials, self.case_name):
            edit.returnPressed.connect(self._create)
        return card

    def _show_marks(self, initials: str) -> None:
        """The example marks are the person's own: AB/1, AB/2 once AB is typed."""
        ini = "".join(initials.split()).upper() or "JS"
        self.marks_help.setText(f"Used to mark each exhibit: {ini}/1, {ini}/2, \u2026 "
                                "as the police expect.")

    def _owner_changed(self, text: str) -> None:
        if not self._initials_touched:
            self.initials.setText(initials_of(text))
        self.refresh_folder()
        self.error.hide()

    def _initials_edited(self, text: str) -> None:
        self._initials_touched = True
        self.initials.setText(text.upper())
        self.error.hide()

    def refresh_folder(self) -> None:
        folder = self.target_folder()
        self.folder_label.setText(where_words(folder))
        self.folder_label.setToolTip(str(folder))

    def target_folder(self) -> Path:
        if self._folder is not None:
            return self._folder
        return suggested_folder(self.case_name.text().strip() or self.owner.text().strip()
                                or "My case")

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Choose an empty folder for the case", str(data_dir()))
        if chosen:
            self._folder = Path(chosen)
            self.refresh_folder()

    def _create(self) -> None:
        from evidence_app.core.settings import validate_initials

        owner = self.owner.text().strip()
        if not owner:
            self.show_error("Please type your full name: it goes on the report.")
            self.owner.setFocus()
            return
        try:
            initials = validate_initials(self.initials.text())
        except ValidationError as exc:
            self.show_error(str(exc))
            self.initials.setFocus()
            return
        if self.protect.isChecked() and not self.passphrase.passphrase():
            self.show_error("Type the same passphrase in both boxes, at least 8 characters; "
                            "or untick “Protect this case with a passphrase”.")
            self.passphrase.first.setFocus()
            return
        self.error.hide()
        self.create_requested.emit(self.target_folder(), owner, initials,
                                   self.case_name.text().strip())

    def _protect_toggled(self, on: bool) -> None:
        self.protection.setVisible(on)
        self.error.hide()
        self._keep_height()
        scroll = self.parentWidget()
        while scroll is not None and not isinstance(scroll, QScrollArea):
            scroll = scroll.parentWidget()
        if on and scroll is not None:
            area = scroll
            QTimer.singleShot(0, lambda: area.ensureWidgetVisible(self.create_button))
        if on:
            self.passphrase.first.setFocus()

    def _keep_height(self) -> None:
        """On a short screen the page scrolls rather than squeezing wrapped words."""
        self.setMinimumHeight(0)
        layout = self.layout()
        if layout is not None and self.width() > 0:
            self.setMinimumHeight(layout.totalHeightForWidth(self.width()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.protection.isVisible():
            self._keep_height()

    def take_protection(self) -> tuple[str | None, bool]:
        """The new case's passphrase (None: not protected) and whether it may be listed
        under recent cases; the fields are emptied so the passphrase is not kept."""
        chosen = self.passphrase.passphrase() if self.protect.isChecked() else ""
        remember = self.remember_protected.isChecked()
        self.passphrase.first.clear()
        self.passphrase.second.clear()
        return (chosen or None), remember

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    # -- open ------------------------------------------------------------------------------
    def _open_card(self) -> QWidget:
        card = _Card("Open a case")
        text = QLabel("Carry on with a case you already started, or bring one back from a "
                      "backup file (from a USB stick, or another computer).")
        text.setWordWrap(True)
        text.setObjectName("muted")
        card.layout_.addWidget(text)
        self.open_button = QPushButton(icon("folder"), "Open case folder…")
        self.open_button.setAccessibleName("Open case folder")
        self.open_button.clicked.connect(self.browse_requested)
        card.layout_.addWidget(self.open_button)
        self.restore_button = QPushButton(icon("folder"), "Restore from a backup file…")
        self.restore_button.setAccessibleName("Restore a case from a backup file")
        self.restore_button.setToolTip("Make the case again, in a new folder, from a "
                                       ".evidence-backup file made with Back up now")
        self.restore_button.clicked.connect(self.restore_requested)
        card.layout_.addWidget(self.restore_button)
        self.recent_label = QLabel("Recent cases")
        self.recent_label.setObjectName("subheading")
        card.layout_.addWidget(self.recent_label)
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent cases")
        self.recent.setObjectName("recentList")
        self.recent.itemActivated.connect(self._recent_chosen)
        self.recent.itemClicked.connect(self._recent_chosen)
        card.layout_.addWidget(self.recent, 1)
        card.layout_.addStretch(1)
        self.demo = QPushButton("Look around a sample case first")
        self.demo.setObjectName("linkButton")
        self.demo.setCursor(Qt.CursorShape.PointingHandCursor)
        self.demo.setAccessibleName("Open the sample case")
        self.demo.setToolTip("Opens a made-up case in a temporary folder, deleted when you close it")
        self.demo.setFlat(True)
        self.demo.clicked.connect(self.demo_requested)
        card.layout_.addWidget(self.demo, 0, Qt.AlignmentFlag.AlignLeft)
        return card

    def set_recent(self, folders: list[Path]) -> None:
        self.recent.clear()
        for folder in folders:
            item = QListWidgetItem(folder.name)
            item.setToolTip(str(folder))
            if not is_case_folder(folder):
                # Said before it is clicked: moved, deleted, or on a drive not plugged in.
                item.setText(f"{folder.name} (not found)")
                item.setToolTip(f"{folder}\nThis folder is not there now: it may have been "
                                "moved or deleted, or be on a drive that is not plugged in.")
                item.setForeground(self.recent.palette().color(
                    QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            item.setData(Qt.ItemDataRole.UserRole, str(folder))
            self.recent.addItem(item)
        self.recent.setVisible(bool(folders))
        self.recent_label.setVisible(bool(folders))

    def _recent_chosen(self, item: QListWidgetItem) -> None:
        self.open_requested.emit(Path(item.data(Qt.ItemDataRole.UserRole)))

    def reset(self) -> None:
        for edit in (self.owner, self.initials, self.case_name):
            edit.clear()
        self._initials_touched = False
        self._folder = None
        self.protect.setChecked(False)
        self.remember_protected.setChecked(False)
        self.passphrase.first.clear()
        self.passphrase.second.clear()
        self.error.hide()
        self.refresh_folder()
