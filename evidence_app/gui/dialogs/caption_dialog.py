"""Write or change an exhibit's caption (a sentence saying what it shows)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.views import AttachmentView
from evidence_app.gui.look import heading, muted
from evidence_app.gui.screen_fit import fit_to_screen


class CaptionDialog(QDialog):
    """Open with `open()`; when accepted, `text()` is the new caption."""

    def __init__(self, attachment: AttachmentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Caption for exhibit {attachment.exhibit_mark}")
        fit_to_screen(self, 460, 240)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.addWidget(heading(QLabel(f"What does exhibit {attachment.exhibit_mark} show?"), 1.1))
        hint = muted(QLabel("For example: \u201cText from his new number saying he saw me at the "
                            "station\u201d. The caption appears under the exhibit in your report."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.edit = QPlainTextEdit(attachment.caption)
        self.edit.setAccessibleName("Caption")
        self.edit.setTabChangesFocus(True)
        layout.addWidget(self.edit, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.edit.toPlainText().strip()
