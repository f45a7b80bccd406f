"""The words found in a picture (OCR), selectable, with a way to correct them by hand.

Shown in the exhibit viewer. Corrections are saved through core (`ocr.correct_text`,
audited with the old and new text); words a search found are highlighted.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core import ocr
from evidence_app.core.search.find import highlights
from evidence_app.core.views import AttachmentView
from evidence_app.gui.alive import while_alive
from evidence_app.gui.look import is_dark
from evidence_app.gui.tasks import CaseOps

STATUS = {
    "pending": "Waiting to be read. Text in pictures is read in the background.",
    "failed": "The text in this picture could not be read.",
    "done": "Read automatically; it may contain mistakes. Correct it if something is wrong.",
    "": "This file is not a picture, so it has no text to read.",
}
NO_TEXT = "No text was found in this picture."
TYPE_HINT = "Type the words the picture shows."


def mark_matches(edit: QPlainTextEdit | QTextEdit, query: str) -> int:
    """Highlight where `query` matches in a text box (without changing its text);
    returns how many places. An empty query removes the highlights."""
    selections = []
    if query.strip():
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#6b5a00") if is_dark(edit) else QColor("#fff0a8"))
        doc_text = edit.toPlainText()
        for start, end in highlights(doc_text, query):
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(edit.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor  # type: ignore[attr-defined]
            sel.format = fmt  # type: ignore[attr-defined]
            selections.append(sel)
    edit.setExtraSelections(selections)
    if selections:
        # Move the caret to the first match (no selection: typing must not replace it).
        caret = QTextCursor(edit.document())
        caret.setPosition(selections[0].cursor.selectionStart())  # type: ignore[attr-defined]
        edit.setTextCursor(caret)
        edit.ensureCursorVisible()
    return len(selections)


class OcrTextPanel(QFrame):
    saved = Signal(int)
    resized = Signal()  # the text box was shown or hidden

    def __init__(self, ops: CaseOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.attachment: AttachmentView | None = None
        self.query = ""
        self.title = QLabel("Text in the picture")
        self.title.setObjectName("paneTitle")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("muted")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Text found in the picture")
        self.text.setPlaceholderText(TYPE_HINT)
        self.edit_button = QPushButton("Correct the text\u2026")
        self.edit_button.setToolTip("Type what the picture really says; the change is recorded "
                                    "in the audit trail with the old text")
        self.save_button = QPushButton("Save correction")
        self.cancel_button = QPushButton("Cancel")
        self.edit_button.clicked.connect(self.start_editing)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.edit_button, self.cancel_button, self.save_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.text, 1)
        layout.addStretch(0)
        layout.addLayout(buttons)
        self._editing(False)

    @property
    def has_text(self) -> bool:
        """Whether the text box is shown: there is text, or the person is typing some.
        Without text the panel is a line or two, leaving the exhibit's details room."""
        return self.text.isVisibleTo(self)

    def show_attachment(self, att: AttachmentView) -> None:
        if self.attachment is not None and self.attachment.id == att.id and self.editing:
            return  # keep what the person is typing
        self.attachment = att
        self._editing(False)
        self.text.setPlainText(att.ocr_text)
        status = att.ocr_status
        if att.ocr_corrected:
            message = "Corrected by hand."
        elif status == "pending" and ocr.tesseract_path() is None:
            message = ("Not read: Tesseract is not installed on this computer "
                       "(see Case settings).")
        elif status == "done" and not att.ocr_text.strip():
            message = NO_TEXT
        else:
            message = STATUS.get(status, "")
        self.status.setText(message)
        self.edit_button.setEnabled(att.preview)
        self.edit_button.setText("Correct the text\u2026" if att.ocr_text.strip()
                                 else "Type the text\u2026")
        self._show_box()
        mark_matches(self.text, self.query)

    def _show_box(self) -> None:
        shown = bool(self.text.toPlainText().strip()) or self.editing
        if shown != self.text.isVisibleTo(self):
            self.text.setVisible(shown)
            self.resized.emit()

    def set_query(self, query: str) -> None:
        self.query = query
        mark_matches(self.text, query)

    @property
    def editing(self) -> bool:
        return not self.text.isReadOnly()

    def _editing(self, on: bool) -> None:
        self.text.setReadOnly(not on)
        self.edit_button.setVisible(not on)
        self.save_button.setVisible(on)
        self.cancel_button.setVisible(on)
        self._show_box()

    def start_editing(self) -> None:
        self._editing(True)
        self.text.setExtraSelections([])
        self.text.setFocus()

    def cancel(self) -> None:
        if self.attachment is not None:
            self.text.setPlainText(self.attachment.ocr_text)
        self._editing(False)
        mark_matches(self.text, self.query)

    def save(self) -> None:
        att = self.attachment
        if att is None:
            return
        new = self.text.toPlainText()
        self._editing(False)
        self.status.setText("Saving\u2026")

        def done(_changed: bool) -> None:
            if self.attachment is not None and self.attachment.id == att.id:
                self.attachment = replace(att, ocr_text=ocr.clean_text(new), ocr_status="done",
                                          ocr_corrected=True)
                self.text.setPlainText(self.attachment.ocr_text)
                self.status.setText("Corrected by hand.")
                mark_matches(self.text, self.query)
            self.saved.emit(att.id)

        self.ops.op(ocr.correct_text, att.id, new,
                    on_done=while_alive(self, done))
