"""Small, shared touches of appearance: headings, muted text, the privacy warning box."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

W = TypeVar("W", bound=QWidget)


def heading(label: QLabel, scale: float = 1.15, bold: bool = True) -> QLabel:
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    label.setFont(font)
    return label


def muted(widget: W) -> W:
    """Secondary text in the palette's placeholder colour (follows light/dark)."""
    widget.setObjectName(widget.objectName() or "muted")  # the app theme styles "muted"
    pal = widget.palette()
    colour = pal.color(QPalette.ColorRole.PlaceholderText)
    pal.setColor(QPalette.ColorRole.WindowText, colour)
    pal.setColor(QPalette.ColorRole.Text, colour)
    widget.setPalette(pal)
    return widget


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


class NoticeBox(QFrame):
    """A gentle amber box for things the person should know (e.g. GPS reveals a place)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBox")
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.label)
        self._restyle()

    def _restyle(self) -> None:
        dark = is_dark(self)
        back = QColor("#4a3b12") if dark else QColor("#fff4d6")
        edge = QColor("#b48a1e") if dark else QColor("#e0b440")
        text = QColor("#f6e7c1") if dark else QColor("#5a4300")
        self.setStyleSheet(
            f"#noticeBox {{ background: {back.name()}; border: 1px solid {edge.name()};"
            f" border-radius: 6px; }} #noticeBox QLabel {{ color: {text.name()}; }}")
