"""The exhibit viewer: a picture large, with zoom, and everything known about it beside it.

The original is decoded on a reader thread (core.media.analysis.load_display_image) into a
QImage; the thumbnail is shown enlarged meanwhile. Only the newest request is shown,
so paging quickly through exhibits never shows a stale picture.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QSplitter, QToolBar, QVBoxLayout, QWidget

from evidence_app.core.attachments import display_image, set_caption
from evidence_app.core.views import AttachmentView
from evidence_app.gui.alive import while_alive
from evidence_app.gui.exhibit_text import file_type_label
from evidence_app.gui.screen_fit import fit_to_screen
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.thumbs import ThumbnailLoader
from evidence_app.gui.widgets.exhibit_actions import open_original
from evidence_app.gui.widgets.exhibit_info import ExhibitInfoPanel
from evidence_app.gui.widgets.image_view import ImageView
from evidence_app.gui.widgets.ocr_text import OcrTextPanel

MAX_DECODE_SIDE = 12_000  # larger originals are shown reduced; zoom still counts originals


def decode_original(case: Any, att: AttachmentView) -> QImage:
    """Worker side: the original as a QImage ready to become a pixmap cheaply."""
    img = display_image(case, att, MAX_DECODE_SIDE)
    if img.mode == "RGBA":
        fmt, data = QImage.Format.Format_RGBA8888, img.tobytes("raw", "RGBA")
        channels = 4
    else:
        img = img.convert("RGB")
        fmt, data = QImage.Format.Format_RGB888, img.tobytes("raw", "RGB")
        channels = 3
    image = QImage(data, img.width, img.height, img.width * channels, fmt)
    # Convert here, off the GUI thread, to the format pixmaps use, so fromImage is cheap.
    target = (QImage.Format.Format_ARGB32_Premultiplied if channels == 4
              else QImage.Format.Format_RGB32)
    return image.convertToFormat(target)


class ExhibitViewer(QWidget):
    """A separate window; `show_items(items, row, tz)` shows one of several exhibits."""

    message = Signal(str)
    caption_saved = Signal(int)

    def __init__(self, ops: CaseOps, loader: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ops = ops
        self.loader = loader
        self.items: list[AttachmentView] = []
        self.row = -1
        self.timezone = "Europe/London"
        self._request = 0
        self.setWindowTitle("Exhibit")
        fit_to_screen(self, 1100, 720)

        self.image = ImageView()
        self.panel = ExhibitInfoPanel()
        self.panel.caption_edited.connect(self._save_caption)
        self.toolbar = QToolBar("Viewer")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setMovable(False)
        self.prev_action = self._action("\u2190 Previous", self.previous, "Previous exhibit",
                                        QKeySequence(Qt.Key.Key_Left), QKeySequence(Qt.Key.Key_PageUp))
        self.next_action = self._action("Next \u2192", self.next, "Next exhibit",
                                        QKeySequence(Qt.Key.Key_Right),
                                        QKeySequence(Qt.Key.Key_PageDown))
        self.position = QLabel()
        self.position.setMinimumWidth(70)
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.toolbar.addWidget(self.position)
        self.toolbar.addSeparator()
        self.zoom_out_action = self._action("\u2212", self.image.zoom_out, "Zoom out",
                                            QKeySequence(Qt.Key.Key_Minus),
                                            QKeySequence(QKeySequence.StandardKey.ZoomOut))
        self.zoom_label = QLabel("100%")
        self.zoom_label.setMinimumWidth(52)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setAccessibleName("Zoom level")
        self.toolbar.addWidget(self.zoom_label)
        self.zoom_in_action = self._action("+", self.image.zoom_in, "Zoom in",
                                           QKeySequence(Qt.Key.Key_Plus),
                                           QKeySequence(Qt.Key.Key_Equal),
                                           QKeySequence(QKeySequence.StandardKey.ZoomIn))
        self.fit_action = self._action("Fit to window", self.image.fit, "Fit the picture to the "
                                       "window", QKeySequence(Qt.Key.Key_F))
        self.actual_action = self._action("Actual size", self.image.actual_size, "Show at actual size "
                                          "(one picture pixel per screen pixel)",
                                          QKeySequence(Qt.Key.Key_1), QKeySequence("Ctrl+0"))
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.original_action = self._action("Open original", self.open_original,
                                            "Open the original file in this computer's own "
                                            "viewer (read-only)", QKeySequence("Ctrl+O"))
        self.toolbar.addSeparator()
        self.close_action = self._action("Close", self.close, "Close this window",
                                         QKeySequence(Qt.Key.Key_Escape),
                                         QKeySequence(QKeySequence.StandardKey.Close))
        self.image.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z * 100:.0f}%"))

        self.ocr = OcrTextPanel(ops)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.panel)
        side.addWidget(self.ocr)
        side.setSizes([430, 290])
        side.setChildrenCollapsible(False)
        side.setStretchFactor(0, 1)  # a taller window gives the details the room
        side.setStretchFactor(1, 0)
        self.side = side
        self.ocr.resized.connect(self._fit_side)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.image)
        split.addWidget(side)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setSizes([760, 340])
        split.setChildrenCollapsible(False)
        self.splitter = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(split, 1)

    def _action(self, text: str, slot: Any, tip: str, *keys: QKeySequence) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip + (f" ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})"
                                 if keys else ""))
        if keys:
            action.setShortcuts(list(keys))
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        return action

    # -- what is shown ---------------------------------------------------------------
    @property
    def current(self) -> AttachmentView | None:
        return self.items[self.row] if 0 <= self.row < len(self.items) else None

    def show_items(self, items: list[AttachmentView], row: int, tz: str) -> None:
        self.items = list(items)
        self.timezone = tz
        self.show_row(row)
        self.show()
        self._fit_side()  # now that the window has its real size
        self.raise_()
        self.activateWindow()
        # The keys work at once: arrows page, Escape closes, +/- zoom.
        self.image.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def refresh_items(self, items: list[AttachmentView], tz: str) -> None:
        """New data from the case (e.g. after a save): stay on the same exhibit if it is
        still there, without reloading the picture."""
        current = self.current
        self.items = list(items)
        self.timezone = tz
        if current is None:
            return
        for row, att in enumerate(self.items):
            if att.id == current.id:
                self.row = row
                if att.caption != current.caption or att.sha256 != current.sha256:
                    self.panel.show_attachment(att, tz)
                if att.ocr_text != current.ocr_text or att.ocr_status != current.ocr_status:
                    self.ocr.show_attachment(att)
                self._update_position()
                return
        if self.items:
            self.show_row(min(self.row, len(self.items) - 1))
        else:
            self.close()

    def show_row(self, row: int) -> None:
        if not self.items:
            return
        self.panel.flush_caption()
        self.row = max(0, min(row, len(self.items) - 1))
        att = self.items[self.row]
        self.setWindowTitle(f"Exhibit {att.exhibit_mark}")
        self.panel.show_attachment(att, self.timezone)
        self.ocr.show_attachment(att)
        self._fit_side()
        self._update_position()
        self._request += 1
        request = self._request
        if not att.preview:
            self.image.show_message(f"{file_type_label(att)} file\n\nThis file cannot be shown "
                                    f"here ({att.preview_error or 'not a picture'}).\n"
                                    "Use \u201cOpen original\u201d to see it in another program.")
            return
        thumb = self.loader.pixmap(att)
        original = QSize(att.width or 0, att.height or 0)
        if thumb is not None:
            self.image.set_pixmap(thumb, original)
        else:
            self.image.show_message("Opening the picture\u2026")
        self.ops.read(decode_original, att,
                      on_done=while_alive(self, lambda image: self._decoded(request, image, original)),
                      on_error=while_alive(self, lambda exc: self._failed(request, exc)))

    def _fit_side(self) -> None:
        """Give the picture's text only the room it needs: a line or two when there is
        none, so the exhibit's details above it are not squeezed."""
        total = sum(self.side.sizes()) or self.side.height()
        if total <= 0:
            return
        if self.ocr.has_text:
            # Room for the words found (a few lines more), up to about two fifths.
            box = self.ocr.text
            around = self.ocr.sizeHint().height() - box.sizeHint().height()
            lines = box.document().lineCount() + 3
            want = around + lines * box.fontMetrics().lineSpacing() + 2 * box.frameWidth() + 8
            want = min(max(want, int(total * 0.25)), int(total * 0.42))
        else:
            want = self.ocr.sizeHint().height()
        want = min(want, total - self.panel.minimumSizeHint().height())
        self.side.setSizes([total - want, want])

    def _decoded(self, request: int, image: QImage, original: QSize) -> None:
        if request != self._request:
            return
        self.image.set_pixmap(QPixmap.fromImage(image), original, keep_zoom=True)

    def _failed(self, request: int, exc: BaseException) -> None:
        if request == self._request:
            self.image.show_message(f"This picture cannot be shown: {exc}")

    def _update_position(self) -> None:
        self.position.setText(f"{self.row + 1} of {len(self.items)}")
        self.prev_action.setEnabled(self.row > 0)
        self.next_action.setEnabled(self.row < len(self.items) - 1)

    def previous(self) -> None:
        if self.row > 0:
            self.show_row(self.row - 1)

    def next(self) -> None:
        if self.row < len(self.items) - 1:
            self.show_row(self.row + 1)

    def open_original(self) -> None:
        if self.current is not None:
            open_original(self.ops, self.current.id, self)

    # -- caption -----------------------------------------------------------------------
    def _save_caption(self, attachment_id: int, text: str) -> None:
        def saved(_result: object) -> None:
            self.panel.caption_saved(attachment_id)
            self.caption_saved.emit(attachment_id)

        self.ops.op(set_caption, attachment_id, text, on_done=while_alive(self, saved))

    def closeEvent(self, event: Any) -> None:
        self.panel.flush_caption()
        super().closeEvent(event)
