"""Icons drawn from small SVG line drawings, tinted with the palette's text colour so they
read well in light and dark schemes. The app icon is resources/app.svg."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parent.parent / "resources"

# 24x24 strokes, in the manner of common open line-icon sets.
_PATHS = {
    "new": '<circle cx="12" cy="12" r="9"/><path d="M12 8v8M8 12h8"/>',
    "import": '<path d="M12 3v12M7 10l5 5 5-5"/><path d="M4 15v4a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-4"/>',
    "report": '<path d="M7 9V3h10v6"/><rect x="3" y="9" width="18" height="8" rx="2"/>'
              '<path d="M7 14h10v7H7z"/>',
    "people": '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0"/>'
              '<circle cx="17" cy="9" r="2.5"/><path d="M16 14.2a5 5 0 0 1 5.5 5.3"/>',
    "trash": '<path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13"/><path d="M10 11v6M14 11v6"/>',
    "search": '<circle cx="11" cy="11" r="7"/><path d="M20 20l-4-4"/>',
    "sort": '<path d="M7 4v16M3 16l4 4 4-4M17 20V4M13 8l4-4 4 4"/>',
    "undo": '<path d="M9 14L4 9l5-5"/><path d="M4 9h11a5 5 0 0 1 0 10h-3"/>',
    "settings": '<circle cx="12" cy="12" r="3"/><path d="M12 2v3M12 19v3M2 12h3M19 12h3'
                'M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1"/>',
    "folder": '<path d="M3 6a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/>',
    "close": '<path d="M6 6l12 12M18 6L6 18"/>',
    "note": '<path d="M5 3h10l4 4v14H5z"/><path d="M9 11h6M9 15h6"/>',
    "car": '<path d="M3 16v-4l2-5h14l2 5v4z"/><circle cx="7.5" cy="16.5" r="1.8"/>'
           '<circle cx="16.5" cy="16.5" r="1.8"/><path d="M3 12h18"/>',
    "person": '<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>',
    "chat": '<path d="M4 5h16v11H10l-5 4v-4H4z"/><path d="M8 9h8M8 12h5"/>',
    "inbox": '<path d="M3 13l3-8h12l3 8v6H3z"/><path d="M3 13h5l1 3h6l1-3h5"/>',
    "eye": '<path d="M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>',
    "lock": '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>',
}


def _svg(name: str, color: str) -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
        f'stroke="{color}" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">'
        f"{_PATHS[name]}</svg>"
    ).encode()


def _render(data: bytes, size: int, ratio: float) -> QPixmap:
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    QSvgRenderer(QByteArray(data)).render(painter, QRectF(0, 0, pixmap.width(), pixmap.height()))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def icon(name: str, color: QColor | None = None) -> QIcon:
    """A line icon in the palette's text colour (or `color`), crisp at any scale."""
    app = QApplication.instance()
    pal: QPalette = app.palette() if isinstance(app, QApplication) else QPalette()
    normal = (color or pal.color(QPalette.ColorRole.WindowText)).name()
    faded = pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText).name()
    ratio = app.devicePixelRatio() if isinstance(app, QApplication) else 1.0
    result = QIcon()
    for size in (16, 24):  # menus and toolbars; Qt scales these for any other use
        result.addPixmap(_render(_svg(name, normal), size, ratio), QIcon.Mode.Normal)
        result.addPixmap(_render(_svg(name, faded), size, ratio), QIcon.Mode.Disabled)
    return result


def app_icon() -> QIcon:
    """The application's icon (resources/app.svg), rendered at the usual sizes."""
    data = (RESOURCES / "app.svg").read_bytes()
    result = QIcon()
    for size in (16, 32, 64, 256):
        result.addPixmap(_render(data, size, 1.0))
    return result
