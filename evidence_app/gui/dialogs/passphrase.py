"""Passphrases in the GUI: a new one typed twice with a strength hint, and the unlock
dialog (passphrase, or the recovery key and a new passphrase).

Checking a passphrase takes about a second on purpose (a memory-hard derivation), so the
attempt runs on a worker and the dialog says it is checking. A wrong passphrase changes
nothing on disk; the dialog says so calmly and lets the person try again.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from evidence_app.gui.icons import icon
from evidence_app.gui.look import heading
from evidence_app.gui.tasks import Background

MIN_LENGTH = 8  # core refuses shorter ones too (`keys.MIN_PASSPHRASE`)
NO_WAY_IN = ("There is no way into a protected case without its passphrase or its recovery "
             "key: nobody, including the makers of this app, can open it for you.")


def strength(passphrase: str) -> tuple[int, str]:
    """A rough guide (0-3) and words for it: length and variety, with whole words counted
    generously (a few ordinary words in a row are strong and easy to remember)."""
    text = passphrase.strip()
    if len(text) < MIN_LENGTH:
        return 0, f"Too short: at least {MIN_LENGTH} characters."
    pools = [any(c.islower() for c in text), any(c.isupper() for c in text),
             any(c.isdigit() for c in text), any(not c.isalnum() for c in text)]
    size = 26 * pools[0] + 26 * pools[1] + 10 * pools[2] + 20 * pools[3] or 26
    bits = len(text) * math.log2(size)
    words = len([w for w in text.split() if len(w) >= 3])
    if words >= 4:
        bits = max(bits, 60)
    if len(set(text)) <= 3:
        bits = min(bits, 20)
    if bits < 40:
        return 1, "Weak: easy to guess. Try four or more ordinary words in a row."
    if bits < 60:
        return 2, "Fair. A few more words would make it much harder to guess."
    return 3, "Strong. Make sure it is something you will remember."


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setMinimumWidth(300)
    show = QAction(icon("eye"), "Show", field)
    show.setCheckable(True)
    show.setToolTip("Show what you typed (only when nobody can see the screen)")
    show.toggled.connect(lambda on: field.setEchoMode(
        QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
    field.addAction(show, QLineEdit.ActionPosition.TrailingPosition)
    return field


class NewPassphrase(QWidget):
    """Two fields and a strength hint; `passphrase()` is "" until both match and it is
    long enough. `changed` on every keystroke."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(14)
        self.first = password_field("New passphrase")
        self.second = password_field("The passphrase again")
        form.setVerticalSpacing(6)
        form.addRow("Passphrase", self.first)
        form.addRow("Type it again", self.second)
        self.hint = QLabel()
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        form.addRow("", self.hint)
        for field in (self.first, self.second):
            field.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        first, second = self.first.text(), self.second.text()
        hint = (strength(first)[1] if first else
                "A few ordinary words in a row that only you would put together are easy "
                "to remember and hard to guess.")
        if second and first != second:
            hint += " The two do not match yet."
        elif second:
            hint += " Both match."
        self.hint.setText(hint)
        self.changed.emit()

    def passphrase(self) -> str:
        first = self.first.text()
        ok = first == self.second.text() and strength(first)[0] > 0
        return first if ok else ""


def _close_opened(value: Any) -> None:
    case = value[0] if isinstance(value, tuple) and value else value
    close = getattr(case, "close", None)
    if callable(close):
        close()


class UnlockDialog(QDialog):
    """Asks for a protected case's passphrase; or, with "Use my recovery key instead", for
    the recovery key and a new passphrase.

    `attempt(passphrase, recovery_key, new_passphrase)` runs on a worker and returns what
    the caller wants (the opened case); `wrong` are the exceptions meaning "does not open
    it" (shown calmly; anything else is shown as its own message). `opened` is set to the
    result when the dialog is accepted.
    """

    def __init__(self, where: str, attempt: Callable[[str | None, str | None, str | None], Any],
                 wrong: tuple[type[BaseException], ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attempt = attempt
        self.wrong = wrong
        self.opened: Any = None
        self._finished = False
        self._bg = Background(self)
        self.setWindowTitle("Unlock your case")
        self.setMinimumWidth(560)
        self.setProperty("showsWhileLocked", True)  # it is how the lock ends
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        # Always as tall as what it says (a message appears, the recovery page is longer).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.title = heading(QLabel(), 1.3)
        layout.addWidget(self.title)
        self.where = QLabel(f"The case in \u201c{where}\u201d is protected by a passphrase.")
        self.where.setWordWrap(True)
        self.where.setMinimumWidth(500)
        layout.addWidget(self.where)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        self.pages.addWidget(self._passphrase_page())
        self.pages.addWidget(self._recovery_page())
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        explain = QLabel(NO_WAY_IN)
        explain.setObjectName("muted")
        explain.setWordWrap(True)
        layout.addWidget(explain)
        row = QHBoxLayout()
        self.switch = QPushButton()
        self.switch.setObjectName("linkButton")
        self.switch.setFlat(True)
        self.switch.setCursor(Qt.CursorShape.PointingHandCursor)
        self.switch.clicked.connect(self._switch)
        row.addWidget(self.switch)
        row.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        row.addWidget(self.cancel_button)
        self.ok_button = QPushButton()
        self.ok_button.setObjectName("primary")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self._try)
        row.addWidget(self.ok_button)
        layout.addLayout(row)
        self._show_page(0)

    def _passphrase_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 4, 0, 4)
        self.passphrase = password_field("Passphrase")
        self.passphrase.textChanged.connect(lambda _t: self._update_ok())
        form.addRow("Passphrase", self.passphrase)
        return page

    def _recovery_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 4, 0, 4)
        box.setSpacing(10)
        form = QFormLayout()
        self.recovery = QLineEdit()
        self.recovery.setAccessibleName("Recovery key")
        self.recovery.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        self.recovery.setMinimumWidth(380)
        self.recovery.textChanged.connect(lambda _t: self._update_ok())
        form.addRow("Recovery key", self.recovery)
        box.addLayout(form)
        note = QLabel("Then choose a new passphrase: the old one will no longer open the "
                      "case. Your recovery key stays the same.")
        note.setWordWrap(True)
        box.addWidget(note)
        self.new_passphrase = NewPassphrase()
        self.new_passphrase.changed.connect(self._update_ok)
        box.addWidget(self.new_passphrase)
        box.addStretch(1)
        return page

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        for n in range(self.pages.count()):  # the dialog is as tall as the page shown
            policy = (QSizePolicy.Policy.Preferred if n == index
                      else QSizePolicy.Policy.Ignored)
            page = self.pages.widget(n)
            if page is not None:
                page.setSizePolicy(policy, policy)
        self.adjustSize()
        self.message.hide()
        if index == 0:
            self.title.setText("Type your passphrase")
            self.switch.setText("Use my recovery key instead")
            self.ok_button.setText("Unlock")
            self.passphrase.setFocus()
        else:
            self.title.setText("Open with your recovery key")
            self.switch.setText("Use my passphrase instead")
            self.ok_button.setText("Open my case")
            self.recovery.setFocus()
        self._update_ok()

    def _switch(self) -> None:
        self._show_page(1 - self.pages.currentIndex())

    def _update_ok(self) -> None:
        if self.pages.currentIndex() == 0:
            ok = bool(self.passphrase.text())
        else:
            ok = bool(self.recovery.text().strip()) and bool(self.new_passphrase.passphrase())
        self.ok_button.setEnabled(ok)

    def _try(self) -> None:
        if not self.ok_button.isEnabled():
            return
        if self.pages.currentIndex() == 0:
            args: tuple[str | None, str | None, str | None] = (self.passphrase.text(), None,
                                                               None)
        else:
            args = (None, self.recovery.text(), self.new_passphrase.passphrase())
        self._busy(True)
        self._bg.run(lambda: self.attempt(*args), self._opened, self._failed)

    def _busy(self, on: bool) -> None:
        self.pages.setEnabled(not on)
        self.ok_button.setEnabled(not on)
        self.switch.setEnabled(not on)
        if on:
            self.message.setObjectName("muted")
            self.message.setText("Checking\u2026")
            self.message.show()
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _opened(self, value: Any) -> None:
        if self._finished:  # cancelled while it was being checked: let the case go again
            _close_opened(value)
            return
        self.opened = value
        self._busy(False)
        self.message.hide()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.message.setObjectName("error")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        if self.pages.currentIndex() == 0 and isinstance(exc, self.wrong):
            text = ("That passphrase does not open this case. Nothing has been changed. "
                    "Check that Caps Lock is off and try again.")
            self.passphrase.selectAll()
            self.passphrase.setFocus()
        elif isinstance(exc, self.wrong):
            text = (f"{exc} Nothing has been changed." if str(exc) else
                    "That recovery key does not open this case. Nothing has been changed.")
            self.recovery.setFocus()
        else:
            text = f"The case could not be opened: {exc}"
        self.message.setText(text)
        self.message.show()
        self._update_ok()
        self.adjustSize()

    def done(self, result: int) -> None:  # noqa: D401 - Qt API
        if result != QDialog.DialogCode.Accepted:
            self._finished = True
            self._bg.wait()
            # An attempt that opened the case meanwhile reports now, while we are here to
            # close it (never a case left open, its lock file held, behind a cancel).
            QCoreApplication.sendPostedEvents()
        super().done(result)
