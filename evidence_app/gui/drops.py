"""Dropping files and folders from the file manager onto a widget.

`FileDropTarget` watches a widget (for item views, their viewport) and, while files are
dragged over it, shows an overlay saying where they will go, so the person is never
surprised by the destination.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QAbstractItemView, QWidget

from evidence_app.gui.models.attachment_list import exhibit_ids


def local_paths(mime: QMimeData | None) -> list[Path]:
    """Local files and folders named by dragged or copied URLs (others are ignored)."""
    if mime is None or not mime.hasUrls():
        return []
    paths = []
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile():
            paths.append(Path(url.toLocalFile()))
    return paths


class DropOverlay(QWidget):
    """A calm dashed frame with a sentence, drawn over a widget during a drag."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.text = ""
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def show_text(self, text: str) -> None:
        self.text = text
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        fill = QColor(self.palette().color(QPalette.ColorRole.Base))
        fill.setAlpha(225)
        painter.setBrush(fill)
        pen = QPen(highlight, 2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(6, 6, -6, -6), 12, 12)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        painter.setFont(font)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        painter.drawText(self.rect().adjusted(24, 24, -24, -24),
                         Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.text)


class FileDropTarget(QObject):
    """Accept file drops on `widget`; `describe()` says where they go, `on_drop` takes them."""

    def __init__(self, widget: QWidget, on_drop: Callable[[list[Path]], None],
                 describe: Callable[[], str], overlay_on: QWidget | None = None) -> None:
        super().__init__(widget)
        self.widget = widget
        self.on_drop = on_drop
        self.describe = describe
        self.enabled = True
        self.overlay = DropOverlay(overlay_on or widget)
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDropEvent)
            if self.enabled and local_paths(event.mimeData()):
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                if kind == QEvent.Type.DragEnter:
                    self.overlay.show_text(self.describe())
                return True
            return False
        if kind == QEvent.Type.DragLeave:
            self.overlay.hide()
            return False
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            self.overlay.hide()
            paths = local_paths(event.mimeData())
            if not (self.enabled and paths):
                return False
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.on_drop(paths)
            return True
        return False


class RowHighlight(QWidget):
    """A frame drawn over the row that dragged exhibits would go to."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        fill = QColor(highlight)
        fill.setAlpha(40)
        painter.setBrush(fill)
        painter.setPen(QPen(highlight, 2))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(3, 3, -3, -3), 8, 8)


class ExhibitDropTarget(QObject):
    """Accept exhibit tiles dragged from a gallery or the Inbox onto an item view whose
    items are incidents; `incident_at(pos)` names the incident under the cursor."""

    def __init__(self, view: QAbstractItemView,
                 incident_at: Callable[[QPoint], tuple[int, str] | None],
                 on_drop: Callable[[list[int], int, str], None],
                 on_hover: Callable[[str], None]) -> None:
        super().__init__(view)
        self.view = view
        self.incident_at = incident_at
        self.on_drop = on_drop
        self.on_hover = on_hover
        self.highlight = RowHighlight(view.viewport())
        view.viewport().setAcceptDrops(True)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.DragLeave:
            self.highlight.hide()
            return False
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        assert isinstance(event, QDropEvent)
        ids = exhibit_ids(event.mimeData())
        if not ids:
            return False  # files from the file manager and other drags go their usual way
        pos = event.position().toPoint()
        target = self.incident_at(pos)
        if target is None:
            self.highlight.hide()
            event.ignore()
            return True
        incident_id, title = target
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        n = len(ids)
        what = "this exhibit" if n == 1 else f"these {n} exhibits"
        if kind == QEvent.Type.Drop:
            self.highlight.hide()
            self.on_drop(ids, incident_id, title)
        else:
            # Frame the incident the exhibits would go to, so the person sees the target.
            self.highlight.setGeometry(self.view.visualRect(self.view.indexAt(pos)))
            self.highlight.show()
            self.highlight.raise_()
            self.on_hover(f"Drop to move {what} to \u201c{title or 'the incident'}\u201d")
        return True
