"""What the main window shows while the app is locked: nothing from the case.

For a plain case there is no passphrase, so "Show my case" simply brings it back; for a
case protected by a passphrase, "Unlock…" asks for it (the case was closed when it
locked). With a neutral name chosen in the privacy settings, the screen shows only that
name, so someone glancing at it learns nothing about what the app is for.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from evidence_app.gui.icons import icon


class LockScreen(QWidget):
    unlock_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.picture)
        self.title = QLabel()
        self.title.setObjectName("welcomeTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.title)
        self.text = QLabel()
        self.text.setObjectName("intro")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setMaximumWidth(560)
        self.text.setMinimumWidth(460)
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(self.text)
        middle.addStretch(1)
        outer.addLayout(middle)
        outer.addSpacing(18)
        row = QHBoxLayout()
        row.addStretch(1)
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("primary")
        self.unlock_button.setDefault(True)
        self.unlock_button.setAutoDefault(True)
        self.unlock_button.clicked.connect(self.unlock_requested)
        row.addWidget(self.unlock_button)
        self.quit_button = QPushButton("Close the app")
        self.quit_button.clicked.connect(self.quit_requested)
        row.addWidget(self.quit_button)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(3)

    def show_state(self, protected: bool, has_case: bool, neutral: str) -> None:
        """Words for a case closed behind a passphrase, or a plain case merely hidden;
        with `neutral`, only that name and a plain "Continue"."""
        if neutral:
            self.picture.setPixmap(icon("note").pixmap(QSize(64, 64)))
            self.title.setText(neutral)
            self.text.setText("")
            self.text.hide()
            self.unlock_button.setText("Unlock\u2026" if protected else "Continue")
        else:
            self.picture.setPixmap(icon("lock").pixmap(QSize(64, 64)))
            self.text.show()
            if protected:
                self.title.setText("Locked")
                self.text.setText("Your case is locked and closed. Everything you saved is "
                                  "kept. Type your passphrase to carry on.")
                self.unlock_button.setText("Unlock\u2026")
            else:
                self.title.setText("Hidden")
                self.text.setText("Nothing from your case is on the screen. Everything you "
                                  "saved is kept." if has_case else
                                  "Nothing is on the screen.")
                self.unlock_button.setText("Show my case" if has_case else "Continue")
        self.unlock_button.setAccessibleName(self.unlock_button.text().rstrip("\u2026"))
