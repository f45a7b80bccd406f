"""Windows that fit the screen they are on: a 1280x720 laptop, or 200% scaling.

Every window asks for its preferred size through `fit_to_screen`, which gives it no
more than the screen's free area (less the room a title bar and frame take). Content
taller than that scrolls (the report's options, the editor), so buttons stay on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

# What a window manager's title bar and borders take, in logical pixels. The free area
# a screen reports is for the whole frame; resize() sets the inside.
FRAME_WIDTH = 16
FRAME_HEIGHT = 48


def screen_of(window: QWidget) -> QScreen | None:
    parent = window.parentWidget()
    for widget in (window, parent.window() if parent is not None else None):
        if widget is not None and widget.screen() is not None:
            return widget.screen()
    return QGuiApplication.primaryScreen()


def room(window: QWidget) -> QRect:
    """The largest inside size a window may have on its screen, as a rectangle."""
    screen = screen_of(window)
    if screen is None:
        return QRect(0, 0, 1280, 720)
    avail = screen.availableGeometry()
    return QRect(avail.x(), avail.y(), max(320, avail.width() - FRAME_WIDTH),
                 max(240, avail.height() - FRAME_HEIGHT))


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to width x height, or to what the screen has room for if that is less."""
    space = room(window)
    window.resize(min(width, space.width()), min(height, space.height()))
