"""Draws a conversation as the phone shows it: bubbles (the person's on the right, others
on the left, a suspect's tinted and labelled), names, times, pictures, calls and day
separators. Painted, never one widget per message, so a long chat scrolls smoothly.

Text is laid out with `QTextLayout` in the direction of its own first strong letter, so
Arabic or Hebrew reads from the right inside its bubble; emoji are drawn from the bundled
colour emoji font as sent. Row heights are cached per message and width.
"""

from __future__ import annotations

import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPalette,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from evidence_app.gui.models.conversation import (
    DayHeader,
    DayRole,
    MessageRole,
    MessageRow,
    ShowNameRole,
    call_text,
)
from evidence_app.gui.thumbs import ThumbnailLoader

Index = QModelIndex | QPersistentModelIndex

SIDE = 14  # space between a bubble and the edge of the list
PAD = 8  # inside a bubble
GAP = 3  # between rows
PICTURE = 220  # the largest side of a picture in a bubble
MAX_BUBBLE = 520
DELETED = "\u2298 This message was deleted"
SUSPECT_TAG = "suspect"

IN_INCIDENT = "\u2713 in an incident"

_fonts_loaded = False


def footer(row: MessageRow, mark_held: bool = True) -> str:
    """The time under a message, whether it was edited or unsent (as phones say it), and
    (`mark_held`) whether it is already in an incident."""
    parts = [IN_INCIDENT] if mark_held and row.incident_id else []
    if row.edited:
        parts.append("edited")
    if row.unsent:
        parts.append("unsent")
    return " \u00b7 ".join([*parts, row.local_time])


def forwarded_line(row: MessageRow) -> str:
    """The line above a forwarded message's text: not the sender's own words."""
    return f"\u21aa {row.forwarded}" if row.forwarded else ""


def load_fonts() -> None:
    """Make the bundled emoji, Arabic and Hebrew fonts available to Qt's fallback (the
    app reads them from its own package; nothing is installed on the computer)."""
    global _fonts_loaded
    if _fonts_loaded:
        return
    _fonts_loaded = True
    from importlib.resources import files

    folder = files("evidence_app.resources") / "fonts"
    for name in ("NotoColorEmoji.ttf", "NotoSansArabic-Regular.ttf",
                 "NotoSansHebrew-Regular.ttf", "DroidSansFallbackFull.ttf"):
        path = folder / name
        if path.is_file():
            QFontDatabase.addApplicationFontFromData(path.read_bytes())


def is_right_to_left(text: str) -> bool:
    """Whether the text's first strong letter is Hebrew, Arabic or another RTL script."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@dataclass
class Colours:
    back: QColor
    mine: QColor
    theirs: QColor
    suspect: QColor
    suspect_edge: QColor
    text: QColor
    muted: QColor
    name: QColor
    suspect_name: QColor
    pill: QColor
    missed: QColor
    selected: QColor

    @classmethod
    def for_palette(cls, palette: QPalette) -> Colours:
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
        highlight.setAlpha(70)
        if dark:
            return cls(QColor("#0b141a"), QColor("#005c4b"), QColor("#202c33"),
                       QColor("#4a2327"), QColor("#c0505a"), QColor("#e9edef"),
                       QColor("#8696a0"), QColor("#53bdeb"), QColor("#ff8a8a"),
                       QColor("#182229"), QColor("#ff6b6b"), highlight)
        return cls(QColor("#efeae2"), QColor("#d9fdd3"), QColor("#ffffff"),
                   QColor("#fde8e8"), QColor("#c43c3c"), QColor("#111b21"),
                   QColor("#667781"), QColor("#1f7aa8"), QColor("#b3261e"),
                   QColor("#ffffff"), QColor("#c62828"), highlight)


@dataclass
class _Laid:
    """A message measured for one width: the bubble's size and where its parts go."""

    height: int
    bubble: QSize
    name_h: int
    pictures: list[QSize]
    text: QTextLayout | None
    text_h: float
    text_w: float


class ConversationDelegate(QStyledItemDelegate):
    """Paints rows of a `ConversationModel`. The view sets `width` as it resizes."""

    def __init__(self, loader: ThumbnailLoader | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_fonts()
        self.loader = loader
        self.width = 600
        self.mark_held = True  # "in an incident" under messages that are (not in its own view)
        self._laid: OrderedDict[tuple[int, int, bool], _Laid] = OrderedDict()
        self.font = QFont(parent.font() if parent is not None else QFont())
        self.small = QFont(self.font)
        self.small.setPointSizeF(self.font.pointSizeF() * 0.82)
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.italic = QFont(self.font)
        self.italic.setItalic(True)
        self.colours = Colours.for_palette(parent.palette() if parent is not None
                                           else QPalette())

    def set_palette(self, palette: QPalette) -> None:
        self.colours = Colours.for_palette(palette)

    def set_width(self, width: int) -> None:
        if width != self.width:
            self.width = width
            self._laid.clear()

    def forget(self) -> None:
        self._laid.clear()

    # -- measuring -----------------------------------------------------------------
    def _max_bubble(self) -> int:
        return max(160, min(MAX_BUBBLE, int(self.width * 0.72)))

    def _picture_size(self, row: MessageRow, i: int) -> QSize:
        att = row.attachments[i]
        w, h = att.width or PICTURE, att.height or PICTURE
        if att.orientation in (5, 6, 7, 8):
            w, h = h, w
        scale = min(PICTURE / max(w, 1), PICTURE / max(h, 1), 1.0)
        return QSize(max(60, round(w * scale)), max(48, round(h * scale)))

    def _layout_text(self, text: str, font: QFont, width: int) -> tuple[QTextLayout, float, float]:
        # QTextLayout draws a newline as nothing: a message written on several lines
        # would run together ("outsideall night"). U+2028 is its forced line break.
        layout = QTextLayout(text.replace("\r\n", "\n").replace("\n", "\u2028"), font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        rtl = is_right_to_left(text)
        option.setTextDirection(Qt.LayoutDirection.RightToLeft if rtl
                                else Qt.LayoutDirection.LeftToRight)
        option.setAlignment((Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
                            | Qt.AlignmentFlag.AlignAbsolute)
        layout.setTextOption(option)
        layout.beginLayout()
        y = 0.0
        widest = 0.0
        leading = QFontMetrics(font).leading()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, y))
            y += line.height() + max(0, leading)
            widest = max(widest, line.naturalTextWidth())
        layout.endLayout()
        return layout, y, widest

    def _measure(self, row: MessageRow, show_name: bool) -> _Laid:
        key = (row.id, self.width, show_name)
        laid = self._laid.get(key)
        if laid is not None:
            self._laid.move_to_end(key)
            return laid
        inner = self._max_bubble() - 2 * PAD
        name_h = 0
        name_w = 0
        if show_name:
            fm = QFontMetrics(self.bold)
            name_h = fm.height() + 2
            name_w = fm.horizontalAdvance(row.sender or "Unknown")
            if row.role == "suspect":
                name_w += QFontMetrics(self.small).horizontalAdvance(SUSPECT_TAG) + 18
        if row.forwarded:  # above the text, like the phone's "Forwarded"
            name_h += self._forwarded_h(row)
            name_w = max(name_w, QFontMetrics(self.italic).horizontalAdvance(
                forwarded_line(row)))
        pictures = [self._picture_size(row, i) for i in range(len(row.attachments))]
        body = DELETED if row.deleted else row.text
        text_layout = None
        text_h = text_w = 0.0
        if body:
            text_layout, text_h, text_w = self._layout_text(
                body, self.italic if row.deleted else self.font, inner)
        time_w = QFontMetrics(self.small).horizontalAdvance(footer(row, self.mark_held)) + 8
        time_h = QFontMetrics(self.small).height()
        content_w = max([name_w, int(text_w) + time_w if text_h else time_w]
                        + [p.width() for p in pictures])
        content_w = min(max(content_w, 48), inner)
        if text_layout is not None and is_right_to_left(body) and text_w < inner:
            # Laid out again at the bubble's own width, so its lines end at its right edge.
            text_layout, text_h, text_w = self._layout_text(
                body, self.italic if row.deleted else self.font, content_w)
        pictures_h = sum(p.height() + 4 for p in pictures)
        height = name_h + pictures_h + int(text_h + 0.99) + time_h + 2 * PAD
        laid = _Laid(height, QSize(content_w + 2 * PAD, height), name_h, pictures,
                     text_layout, text_h, text_w)
        self._laid[key] = laid
        while len(self._laid) > 2000:
            self._laid.popitem(last=False)
        return laid

    def _line_height(self, font: QFont) -> int:
        return QFontMetrics(font).height()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        day = index.data(DayRole)
        if isinstance(day, DayHeader):
            return QSize(self.width, self._line_height(self.small) + 22)
        row = index.data(MessageRole)
        if not isinstance(row, MessageRow):
            return QSize(self.width, 20)
        if row.kind in ("call", "system"):
            return QSize(self.width, self._line_height(self.font) + 14 + 2 * GAP)
        show_name = bool(index.data(ShowNameRole))
        laid = self._measure(row, show_name)
        return QSize(self.width, laid.height + 2 * GAP + (6 if show_name else 0))

    # -- painting ------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        rect = QRect(option.rect)  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        if selected:
            painter.fillRect(rect, self.colours.selected)
        day = index.data(DayRole)
        row = index.data(MessageRole)
        if isinstance(day, DayHeader):
            self._pill(painter, rect, day.text, self.small, self.colours.muted, bold=True)
        elif isinstance(row, MessageRow):
            if row.kind == "call":
                colour = self.colours.missed if row.call_missed else self.colours.text
                mark = "\u2706 " if not row.call_missed else "\u260e\ufe0e "
                held = footer(row, self.mark_held)
                self._pill(painter, rect, f"{mark}{call_text(row)} \u00b7 {held}",
                           self.font, colour)
            elif row.kind == "system":
                self._pill(painter, rect, f"{row.text} \u00b7 {row.local_time}"
                           if row.local_time else row.text, self.small, self.colours.muted)
            else:
                self._bubble(painter, rect, row, bool(index.data(ShowNameRole)))
        painter.restore()

    def _pill(self, painter: QPainter, rect: QRect, text: str, font: QFont, colour: QColor,
              bold: bool = False) -> None:
        if bold:
            font = QFont(font)
            font.setBold(True)
        fm = QFontMetrics(font)
        text = fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.width() - 60)
        w = fm.horizontalAdvance(text) + 24
        h = fm.height() + 8
        box = QRectF(rect.center().x() - w / 2, rect.center().y() - h / 2, w, h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colours.pill)
        painter.drawRoundedRect(box, h / 2, h / 2)
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _bubble(self, painter: QPainter, rect: QRect, row: MessageRow, show_name: bool) -> None:
        c = self.colours
        laid = self._measure(row, show_name)
        mine = row.role == "me"
        top = rect.top() + GAP + (6 if show_name else 0)
        w, h = laid.bubble.width(), laid.bubble.height()
        x = rect.right() - SIDE - w if mine else rect.left() + SIDE
        box = QRectF(x, top, w, h)
        path = QPainterPath()
        path.addRoundedRect(box, 8, 8)
        fill = c.mine if mine else (c.suspect if row.role == "suspect" else c.theirs)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawPath(path)
        if row.role == "suspect":  # a bar down the leading edge marks the suspect
            painter.setBrush(c.suspect_edge)
            painter.drawRoundedRect(QRectF(x, top, 4, h), 2, 2)
        y = float(top + PAD)
        left = x + PAD
        inner_w = w - 2 * PAD
        if show_name:
            painter.setFont(self.bold)
            painter.setPen(c.suspect_name if row.role == "suspect" else c.name)
            name = row.sender or "Unknown"
            fm = QFontMetrics(self.bold)
            painter.drawText(QPointF(left, y + fm.ascent()), name)
            if row.role == "suspect":
                tag_x = left + fm.horizontalAdvance(name) + 8
                sfm = QFontMetrics(self.small)
                tag = QRectF(tag_x, y + 1, sfm.horizontalAdvance(SUSPECT_TAG) + 10,
                             sfm.height())
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(c.suspect_edge)
                painter.drawRoundedRect(tag, 4, 4)
                painter.setPen(QColor("white"))
                painter.setFont(self.small)
                painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, SUSPECT_TAG)
            y += QFontMetrics(self.bold).height() + 2
        if row.forwarded:
            painter.setFont(self.italic)
            painter.setPen(c.muted)
            ifm = QFontMetrics(self.italic)
            painter.drawText(QPointF(left, y + ifm.ascent()),
                             ifm.elidedText(forwarded_line(row), Qt.TextElideMode.ElideRight,
                                            int(inner_w)))
            y += self._forwarded_h(row)
        for att, size in zip(row.attachments, laid.pictures, strict=True):
            self._picture(painter, QRectF(left, y, size.width(), size.height()), att)
            y += size.height() + 4
        if laid.text is not None:
            painter.setPen(c.muted if row.deleted else c.text)
            laid.text.draw(painter, QPointF(left, y))
            y += laid.text_h
        painter.setFont(self.small)
        painter.setPen(c.muted)
        sfm = QFontMetrics(self.small)
        painter.drawText(QRectF(left, top + h - PAD - sfm.height(), inner_w, sfm.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                         footer(row, self.mark_held))

    def _forwarded_h(self, row: MessageRow) -> int:
        return QFontMetrics(self.italic).height() + 2

    def _picture(self, painter: QPainter, box: QRectF, att: object) -> None:
        from evidence_app.core.views import AttachmentView

        pix = self.loader.pixmap(att) if (self.loader is not None
                                          and isinstance(att, AttachmentView)) else None
        if pix is not None and not pix.isNull():
            scaled = pix.size().scaled(box.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(box.x(), box.y(), scaled.width(), scaled.height())
            clip = QPainterPath()
            clip.addRoundedRect(target, 4, 4)
            painter.save()
            painter.setClipPath(clip)
            painter.drawPixmap(target.toRect(), pix)
            painter.restore()
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(0, 0, 0, 30))
            painter.drawRoundedRect(box, 4, 4)
        if isinstance(att, AttachmentView):
            painter.setFont(self.small)
            fm = QFontMetrics(self.small)
            label = QRectF(box.x() + 4, box.bottom() - fm.height() - 4,
                           fm.horizontalAdvance(att.exhibit_mark) + 10, fm.height() + 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(0, 0, 0, 150))
            painter.drawRoundedRect(label, 3, 3)
            painter.setPen(QColor("white"))
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, att.exhibit_mark)
