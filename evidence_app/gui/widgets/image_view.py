"""A zoomable picture: mouse wheel, +/-, fit to the window, 100 %, drag to pan.

Zoom is measured against the original's own pixels: the displayed copy may be smaller
than the original (a very large image is decoded reduced), so the item is scaled to
the original's size and 100 % always means one original pixel per screen pixel.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPalette, QPixmap, QWheelEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QWidget,
)

MIN_ZOOM, MAX_ZOOM, STEP = 0.02, 16.0, 1.25


class ImageView(QGraphicsView):
    zoom_changed = Signal(float)  # 1.0 = 100 % of the original's pixels

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.item = QGraphicsPixmapItem()
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self.item)
        self.setRenderHints(QPainter.RenderHint.SmoothPixmapTransform
                            | QPainter.RenderHint.Antialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Picture")
        # A quiet neutral surround, a shade off the window colour, lets the picture stand out.
        self.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Window).darker(108))
        self.fitting = True
        self.zoom = 1.0
        self.message = QLabel(self.viewport())
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.hide()

    # -- content -----------------------------------------------------------------------
    def has_image(self) -> bool:
        return not self.item.pixmap().isNull()

    def set_pixmap(self, pixmap: QPixmap, original: QSize | None = None,
                   keep_zoom: bool = False) -> None:
        """Show `pixmap`; `original` is the original's pixel size when it differs."""
        self.message.hide()
        self.item.setPixmap(pixmap)
        width = original.width() if original is not None and original.width() > 0 else pixmap.width()
        self.item.setScale(width / pixmap.width() if pixmap.width() else 1.0)
        self.scene().setSceneRect(self.item.sceneBoundingRect())
        if keep_zoom and not self.fitting:
            self._apply(self.zoom)
        else:
            self.fit()

    def show_message(self, text: str) -> None:
        self.item.setPixmap(QPixmap())
        self.scene().setSceneRect(QRectF())
        self.message.setText(text)
        self._place_message()
        self.message.show()

    def _place_message(self) -> None:
        self.message.setGeometry(self.viewport().rect().adjusted(30, 30, -30, -30))

    # -- zoom --------------------------------------------------------------------------
    def fit_zoom(self) -> float:
        rect = self.item.sceneBoundingRect()
        if rect.isEmpty():
            return 1.0
        view = self.viewport().rect().adjusted(8, 8, -8, -8)
        scale = min(view.width() / rect.width(), view.height() / rect.height())
        # Small pictures stay sharp at their own size rather than being blown up.
        return max(MIN_ZOOM, min(scale, 1.0))

    def fit(self) -> None:
        self.fitting = True
        self._apply(self.fit_zoom())
        self.centerOn(self.item.sceneBoundingRect().center())

    def actual_size(self) -> None:
        self.fitting = False
        self._apply(1.0)

    def zoom_in(self) -> None:
        self.fitting = False
        self._apply(self.zoom * STEP)

    def zoom_out(self) -> None:
        self.fitting = False
        self._apply(self.zoom / STEP)

    def _apply(self, zoom: float) -> None:
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        self.resetTransform()
        self.scale(zoom, zoom)
        if zoom != self.zoom:
            self.zoom = zoom
        self.zoom_changed.emit(self.zoom)

    # -- events ------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        if not self.has_image():
            return
        steps = event.angleDelta().y() / 120
        if steps:
            self.fitting = False
            self._apply(self.zoom * (STEP ** steps))
        event.accept()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._place_message()
        if self.fitting and self.has_image():
            self.fit()
