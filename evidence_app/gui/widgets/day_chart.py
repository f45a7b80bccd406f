"""A small chart of messages and calls per day, drawn with QPainter, above a conversation.

Each day from the first to the last is one bar (days with nothing stay empty, so a
quiet week shows as a gap): messages in blue, calls stacked on top, missed calls in red.
Hovering names the day and its counts; clicking a bar jumps to that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from evidence_app.gui.text import plural


@dataclass(frozen=True)
class DayCount:
    """Messages and calls on one local day (`missed` is part of `calls`)."""

    day: date
    messages: int
    calls: int = 0
    missed: int = 0

    @property
    def total(self) -> int:
        return self.messages + self.calls

    def describe(self) -> str:
        parts = [plural(self.messages, "message")]
        if self.calls:
            answered = self.calls - self.missed
            if answered:
                parts.append(plural(answered, "call"))
            if self.missed:
                parts.append(plural(self.missed, "missed call"))
        return f"{self.day.day} {self.day:%B %Y}: " + ", ".join(parts)


MESSAGES = QColor("#3b82c4")
CALLS = QColor("#8c6bc8")
MISSED = QColor("#d0453b")
MAX_BAR = 14.0  # a chat of a few days still reads as days, not as one block


class DayChart(QWidget):
    day_clicked = Signal(object)  # DayCount

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[DayCount] = []
        self._by_day: dict[date, DayCount] = {}
        self._first: date | None = None
        self._span = 0
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Messages and calls per day")
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:
        return QSize(400, 84)

    def set_days(self, days: list[DayCount]) -> None:
        self.days = sorted(days, key=lambda d: d.day)
        self._by_day = {d.day: d for d in self.days}
        if self.days:
            self._first = self.days[0].day
            self._span = (self.days[-1].day - self._first).days + 1
        else:
            self._first, self._span = None, 0
        busiest = max(self.days, key=lambda d: d.total, default=None)
        self.setAccessibleDescription(
            f"{len(self.days)} days with messages or calls; busiest {busiest.describe()}"
            if busiest else "No messages")
        self.update()

    # -- geometry ------------------------------------------------------------------
    def _plot(self) -> QRectF:
        fm = QFontMetrics(self.font())
        return QRectF(8, 6, self.width() - 16, self.height() - fm.height() - 12)

    def day_at(self, x: float) -> DayCount | None:
        if self._first is None or self._span == 0:
            return None
        plot = self._plot()
        if not plot.left() <= x <= plot.right():
            return None
        i = int((x - plot.left()) / plot.width() * self._span)
        day = self._first + timedelta(days=min(i, self._span - 1))
        # Days are narrow when a chat spans years: take the busiest day under the mouse.
        per_px = self._span / max(plot.width(), 1)
        if per_px > 1:
            near = [self._by_day[self._first + timedelta(days=j)]
                    for j in range(max(0, i - int(per_px)), min(self._span, i + int(per_px) + 1))
                    if self._first + timedelta(days=j) in self._by_day]
            return max(near, key=lambda d: d.total, default=None)
        return self._by_day.get(day)

    def x_of(self, day: date) -> float:
        plot = self._plot()
        assert self._first is not None
        return plot.left() + ((day - self._first).days + 0.5) / self._span * plot.width()

    # -- events --------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        pal = self.palette()
        plot = self._plot()
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(muted)
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        if not self.days or self._first is None:
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No messages yet")
            return
        top = max(d.total for d in self.days) or 1
        bar_w = min(MAX_BAR, max(1.0, plot.width() / self._span - (1 if self._span < 120 else 0)))
        for d in self.days:
            x = self.x_of(d.day) - bar_w / 2
            scale = plot.height() / top
            y = plot.bottom()
            for value, colour in ((d.messages, MESSAGES), (d.calls - d.missed, CALLS),
                                  (d.missed, MISSED)):
                if value:
                    h = max(1.0, value * scale)
                    painter.fillRect(QRectF(x, y - h, bar_w, h), colour)
                    y -= h
        # Month (or year) marks along the bottom.
        fm = QFontMetrics(self.font())
        painter.setPen(muted)
        last = self._first + timedelta(days=self._span - 1)
        years = self._span > 800
        marks: list[date] = []
        step = date(self._first.year, 1 if years else self._first.month, 1)
        while step <= last:
            if step >= self._first:
                marks.append(step)
            step = date(step.year + 1, 1, 1) if years else (
                date(step.year + (step.month == 12), step.month % 12 + 1, 1))
        if not marks or (marks[0] - self._first).days > self._span / 12:
            marks.insert(0, self._first)
        right = -1.0
        for m in marks:
            label = (f"{m.day} {m:%b %Y}" if m == self._first and m.day != 1 else
                     f"{m:%Y}" if years else
                     f"{m:%b %Y}" if m.month == 1 or m == marks[0] else f"{m:%b}")
            x = max(plot.left(), self.x_of(m))
            if x > right + 6:
                painter.drawText(QPointF(x, self.height() - 4), label)
                right = x + fm.horizontalAdvance(label)
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position().x())
        if day is not None:
            QToolTip.showText(event.globalPosition().toPoint(), day.describe(), self)
        else:
            QToolTip.hideText()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            day = self.day_at(event.position().x())
            if day is not None:
                self.day_clicked.emit(day)
