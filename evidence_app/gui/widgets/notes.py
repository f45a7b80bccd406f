"""Notes on an incident: each timestamped, each with a private tick-box."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.views import NoteView
from evidence_app.gui.text import local_time

PRIVATE_TIP = ("Private notes are left out of reports unless you choose to include them. "
               "A report may be shown to the person you are reporting.")


class NoteCard(QFrame):
    private_toggled = Signal(int, bool)
    remove_requested = Signal(int)

    def __init__(self, note: NoteView, tz: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = note
        self.setObjectName("noteCard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 10)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.when = when = QLabel(f"Added on {local_time(note.created_at, tz)}")
        when.setObjectName("muted")
        top.addWidget(when)
        top.addStretch(1)
        self.private = QCheckBox("Private")
        self.private.setChecked(note.private)
        self.private.setToolTip(PRIVATE_TIP)
        self.private.setAccessibleName("Private note")
        self.private.toggled.connect(lambda on: self.private_toggled.emit(note.id, on))
        top.addWidget(self.private)
        self.remove = remove = QToolButton()
        remove.setText("Remove")
        remove.setAutoRaise(True)
        remove.setToolTip("Move this note to the trash (you can restore it from there)")
        remove.setAccessibleName("Remove note")
        remove.clicked.connect(lambda: self.remove_requested.emit(note.id))
        top.addWidget(remove)
        layout.addLayout(top)
        body = QLabel(note.text)
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(body)


class NotesPanel(QWidget):
    """The list of notes and a box to add one."""

    add_requested = Signal(str, bool)
    private_toggled = Signal(int, bool)
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.list = QVBoxLayout()
        self.list.setSpacing(6)
        layout.addLayout(self.list)
        self.input = QPlainTextEdit()
        self.input.setPlaceholderText("Add a note: something you remembered later, a follow-up, "
                                      "a call you made…")
        self.input.setAccessibleName("New note")
        self.input.setFixedHeight(64)
        self.input.setTabChangesFocus(True)
        layout.addWidget(self.input)
        row = QHBoxLayout()
        self.private = QCheckBox("Private: leave out of reports")
        self.private.setToolTip(PRIVATE_TIP)
        self.private.setAccessibleName("Make the new note private")
        row.addWidget(self.private)
        row.addStretch(1)
        self.add = QPushButton("Add note")
        self.add.setAccessibleName("Add note")
        self.add.setToolTip("Save this note with today's date and time")
        self.add.setEnabled(False)
        self.add.clicked.connect(self._add)
        self.input.textChanged.connect(
            lambda: self.add.setEnabled(bool(self.input.toPlainText().strip())))
        row.addWidget(self.add)
        layout.addLayout(row)
        self.cards: list[NoteCard] = []
        self._tz = ""

    def set_notes(self, notes: list[NoteView], tz: str) -> None:
        if [c.note for c in self.cards] == notes and self._tz == tz:
            return  # unchanged: keep the cards (and whatever has focus in them)
        self._tz = tz
        for card in self.cards:
            self.list.removeWidget(card)
            card.deleteLater()
        self.cards = []
        for note in notes:
            card = NoteCard(note, tz, self)
            card.private_toggled.connect(self.private_toggled)
            card.remove_requested.connect(self.remove_requested)
            self.list.addWidget(card)
            self.cards.append(card)

    def clear_input(self) -> None:
        self.input.clear()
        self.private.setChecked(False)

    def _add(self) -> None:
        text = self.input.toPlainText().strip()
        if text:
            self.add_requested.emit(text, self.private.isChecked())
