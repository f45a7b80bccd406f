"""The viewer's side panel: everything known about one exhibit, and its caption."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QTextOption
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.views import AttachmentView
from evidence_app.gui.clipboard import copy_text
from evidence_app.gui.exhibit_text import (
    capture_text,
    gps_text,
    human_size,
    kind_text,
    moment_text,
    pixel_text,
    source_text,
)
from evidence_app.gui.look import NoticeBox, heading, muted

GPS_WARNING = (
    "<b>This file records where it was taken.</b> Anyone given a copy can see that "
    "place, which may be your home. Leave locations out of reports you hand over, "
    "unless the place itself is evidence."
)


def _value() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ExhibitInfoPanel(QScrollArea):
    """Shows one `AttachmentView`; `caption_edited(id, text)` asks for the caption to be
    saved (after a pause in typing, or when the caption box loses focus)."""

    caption_edited = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(300)
        self.attachment: AttachmentView | None = None
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(16, 14, 16, 14)
        outer.setSpacing(10)

        self.mark = heading(QLabel(), 1.5)
        self.mark.setAccessibleName("Exhibit mark")
        self.mark.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = muted(QLabel())
        outer.addWidget(self.mark)
        outer.addWidget(self.kind)

        outer.addWidget(heading(QLabel("Caption"), 1.0))
        self.caption = QPlainTextEdit()
        self.caption.setAccessibleName("Caption")
        self.caption.setPlaceholderText("What does this show? For example: \u201cMessage from "
                                        "his new number at 23:40\u201d")
        self.caption.setTabChangesFocus(True)
        self.caption.setFixedHeight(self.caption.fontMetrics().lineSpacing() * 4 + 14)
        self.caption_state = muted(QLabel(" "))
        outer.addWidget(self.caption)
        outer.addWidget(self.caption_state)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(3)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.captured = _value()
        self.source = muted(_value())
        self.camera = _value()
        self.gps = _value()
        self.name = _value()
        self.file_size = _value()
        self.media_type = _value()
        self.pixels = _value()
        when_box = QVBoxLayout()
        when_box.setSpacing(2)
        when_box.addWidget(self.captured)
        when_box.addWidget(self.source)
        self.rows: dict[str, QLabel] = {}
        for title, widget in (("When it was taken", when_box), ("Camera", self.camera),
                              ("Location (GPS)", self.gps)):
            label = _row_label(title)
            form.addRow(label, widget)
            self.rows[title] = label
        self.gps_warning = NoticeBox(GPS_WARNING)
        form.addRow(self.gps_warning)
        for title, widget in (("Original file name", self.name), ("Size", self.file_size),
                              ("Type", self.media_type), ("Picture size", self.pixels)):
            form.addRow(_row_label(title), widget)
        outer.addLayout(form)

        outer.addWidget(_row_label("SHA-256 fingerprint"))
        self.sha = QPlainTextEdit()
        self.sha.setReadOnly(True)
        self.sha.setAccessibleName("SHA-256 fingerprint")
        self.sha.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.sha.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.sha.setFixedHeight(self.sha.fontMetrics().lineSpacing() * 2 + 14)
        self.sha.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sha.setToolTip("A fingerprint of the original's exact bytes. Anyone can check a "
                            "copy against it: any change at all gives a different fingerprint.")
        outer.addWidget(self.sha)
        copy_row = QHBoxLayout()
        self.copy_sha = QPushButton("Copy fingerprint")
        self.copy_sha.setAccessibleName("Copy SHA-256 fingerprint")
        self.copy_sha.clicked.connect(self._copy_sha)
        copy_row.addWidget(self.copy_sha)
        copy_row.addStretch(1)
        outer.addLayout(copy_row)
        self.imported = muted(_value())
        outer.addWidget(self.imported)
        outer.addStretch(1)
        self.setWidget(body)

        self._save_timer = QTimer(self, singleShot=True, interval=800)
        self._save_timer.timeout.connect(self.flush_caption)
        self.caption.textChanged.connect(self._caption_typed)
        self.caption.installEventFilter(self)
        self._loading = False

    def show_attachment(self, att: AttachmentView, tz: str) -> None:
        self.flush_caption()
        self.attachment = att
        self.mark.setText(f"Exhibit {att.exhibit_mark}")
        self.kind.setText(kind_text(att) + (" (in the Inbox, not yet in an incident)"
                                            if att.incident_id is None else ""))
        self._loading = True
        if self.caption.toPlainText() != att.caption:
            self.caption.setPlainText(att.caption)
        self._loading = False
        self.caption_state.setText(" ")
        self.captured.setText(capture_text(att, tz))
        note = att.captured_note.strip()
        note = f". {note[0].upper()}{note[1:]}." if note else "."
        self.source.setText(source_text(att) + note)
        self.camera.setText(att.camera or "None recorded")
        self.gps.setText(gps_text(att))
        self.gps_warning.setVisible(att.has_gps)
        self.name.setText(att.original_name)
        self.file_size.setText(human_size(att.size))
        self.media_type.setText(att.media_type)
        self.pixels.setText(pixel_text(att))
        self.sha.setPlainText(att.sha256)
        self.imported.setText(f"Imported {moment_text(att.imported_at, tz)}")

    def _copy_sha(self) -> None:
        if self.attachment is not None:
            copy_text(self.attachment.sha256)
            self.copy_sha.setText("Copied")
            QTimer.singleShot(1500, self.copy_sha, lambda: self.copy_sha.setText("Copy fingerprint"))

    # -- caption -----------------------------------------------------------------------
    def _caption_typed(self) -> None:
        if self._loading or self.attachment is None:
            return
        self.caption_state.setText("Editing\u2026")
        self._save_timer.start()

    def flush_caption(self) -> None:
        """Ask for the caption to be saved now if it differs from what is stored."""
        self._save_timer.stop()
        att = self.attachment
        if att is None or self._loading:
            return
        text = self.caption.toPlainText().strip()
        if text != att.caption:
            att.caption = text  # the view is ours; the reload after saving confirms it
            self.caption_state.setText("Saving\u2026")
            self.caption_edited.emit(att.id, text)

    def caption_saved(self, attachment_id: int) -> None:
        if self.attachment is not None and self.attachment.id == attachment_id:
            self.caption_state.setText("Saved. The change is recorded in the case history.")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.caption and event.type() == QEvent.Type.FocusOut:
            self.flush_caption()
        return False


def _row_label(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, 6, 0, 0)  # a little air between one fact and the next
    return label

