"""Exhibits on the page: a picture with its caption, one to three to a row, sized to fit.

An `ExhibitRow` keeps each picture with its caption (and the "Exhibits" heading with
the first row), so a caption never lands on a different page from its picture. When
a row does not fit in what is left of a page, its pictures shrink, down to a size at
which their contents stay readable, before the row moves to the next page: a tall
phone screenshot then sits beside its incident instead of leaving half a page blank.
A portrait picture on its own has its caption beside it rather than below.

A SHA-256 is never broken inside: it is printed whole on one line (in a slightly smaller
type if need be), else whole on the line below "SHA-256:", else, in a narrow column, in
four groups of 16 characters (two or one to a line), which the exhibit list explains.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from evidence_app.core.report.images import ExhibitPicture
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.styles import RULE

GAP = 6 * mm  # between a picture and the caption beside it, and between two columns
CAPTION_GAP = 2 * mm  # between a picture and the caption below it
BOX_PAD = 2 * mm  # inside the frame drawn round an exhibit that has no picture


HASH_GROUP = 16  # characters in each group of a SHA-256 printed in a narrow column


def sha256_paragraph(sha256: str, width: float, style: ParagraphStyle) -> Flowable:
    """'SHA-256: <hash>' fitted to `width` without ever breaking the hash mid-string."""
    label = "SHA-256:"
    sizes = (style.fontSize, style.fontSize - 0.5, style.fontSize - 1)

    def sized(size: float) -> ParagraphStyle:
        return style.clone(f"{style.name}_{size}", fontSize=size,
                           leading=style.leading * size / style.fontSize, splitLongWords=0)

    def fits(text: str, size: float) -> bool:
        return stringWidth(text, style.fontName, size) <= width - 1

    for size in sizes:
        if fits(f"{label} {sha256}", size):
            return ScriptParagraph(f"{label} {sha256}", sized(size))
    for size in sizes:
        if fits(sha256, size):
            return ScriptParagraph(f"{label}<br/>{sha256}", sized(size))
    groups = [sha256[i:i + HASH_GROUP] for i in range(0, len(sha256), HASH_GROUP)]
    per_line = 2 if fits(" ".join(groups[:2]), style.fontSize) else 1
    lines = [" ".join(groups[i:i + per_line]) for i in range(0, len(groups), per_line)]
    return ScriptParagraph("<br/>".join([f"SHA-256, in groups of {HASH_GROUP}:", *lines]),
                           sized(style.fontSize))


@dataclass
class Exhibit:
    """One exhibit as laid out: its picture (None for other files) and caption lines."""

    picture: ExhibitPicture | None
    caption: list[Flowable]
    min_height: float = 0.0  # the picture is never drawn smaller than this
    boxed: bool = False  # a frame round the caption (files that cannot be shown)
    _caption_w: float = field(default=0.0, repr=False)


def column_width(width: float, columns: int) -> float:
    """The width of each of `columns` exhibits side by side in `width`."""
    return (width - GAP * (columns - 1)) / columns


def _stack_height(flowables: list[Flowable], width: float) -> float:
    """Height of flowables placed one under another, with their own spacing."""
    height = 0.0
    for n, f in enumerate(flowables):
        _, h = f.wrap(width, 1e6)
        height += h + (f.getSpaceAfter() if n < len(flowables) - 1 else 0)
    return height


def _draw_stack(flowables: list[Flowable], canv: object, x: float, top: float,
                width: float) -> None:
    y = top
    for f in flowables:
        _, h = f.wrap(width, 1e6)
        f.drawOn(canv, x, y - h)
        y -= h + f.getSpaceAfter()


class ExhibitRow(Flowable):
    """One exhibit (caption below or beside), or two or three side by side, kept together."""

    def __init__(self, exhibits: list[Exhibit], width: float, beside: bool = False,
                 lead: list[Flowable] | None = None, page_height: float = 0.0,
                 space_after: float = 0.0, columns: int = 1) -> None:
        super().__init__()
        self.spaceAfter = space_after
        assert 1 <= len(exhibits) <= 3
        self.exhibits = exhibits
        self.columns = max(len(exhibits), columns)
        self.total_width = width
        self.beside = beside and len(exhibits) == 1 and exhibits[0].picture is not None
        self.lead = list(lead or [])
        self.page_height = page_height
        self.scale = 1.0
        self._natural = [(e.picture.width, e.picture.height) if e.picture else (0.0, 0.0)
                         for e in exhibits]
        self.width, self.height = width, 0.0

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return self.lead[0].getSpaceBefore() if self.lead else 2 * mm

    # -- layout ---------------------------------------------------------------------
    def _lead_height(self) -> float:
        if not self.lead:
            return 0.0
        return self._measure(-1, self.lead, self.total_width) + self.lead[-1].getSpaceAfter()

    def _measure(self, key: int, flowables: list[Flowable], width: float) -> float:
        """Height of a caption (or the lead) at `width`, measured once: the bisection
        below lays the row out a dozen times and text is what costs."""
        memo = self.__dict__.setdefault("_heights", {})
        if (key, width) not in memo:
            memo[key, width] = _stack_height(flowables, width)
        return float(memo[key, width])

    def _column_width(self) -> float:
        return column_width(self.total_width, self.columns)

    def _layout(self, scale: float) -> float:
        """Size the pictures at `scale`, wrap the captions; returns the row's height."""
        col = self._column_width()
        height = 0.0
        for n, (ex, (w, h)) in enumerate(zip(self.exhibits, self._natural, strict=True)):
            pic_w, pic_h = w * scale, h * scale
            if ex.picture is not None:
                ex.picture.width, ex.picture.height = pic_w, pic_h
            if self.beside:
                # As wide as beside the picture at full size: a shrunk picture leaves a
                # little more white, and the caption is measured once.
                ex._caption_w = col - w - GAP
                cap_h = self._measure(n, ex.caption, ex._caption_w)
                height = max(height, pic_h, cap_h)
            else:
                pad = 2 * BOX_PAD if ex.boxed else 0.0
                ex._caption_w = col - pad
                cap_h = self._measure(n, ex.caption, ex._caption_w) + pad
                gap = CAPTION_GAP if ex.picture is not None else 0.0
                height = max(height, pic_h + gap + cap_h)
        return self._lead_height() + height

    def _min_scale(self) -> float:
        scales = [min(1.0, ex.min_height / h) for ex, (_, h) in zip(self.exhibits, self._natural,
                                                                   strict=True) if h]
        return max(scales) if scales else 1.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.scale = 1.0
        natural = self._layout(1.0)
        if natural > avail_height:
            low = self._min_scale()
            if low < 1.0 and self._layout(low) <= avail_height:
                # The largest scale that fits: heights grow with the scale, so bisect.
                hi = 1.0
                for _ in range(12):
                    mid = (low + hi) / 2
                    if self._layout(mid) <= avail_height:
                        low = mid
                    else:
                        hi = mid
                self.scale = low
            self.height = self._layout(self.scale)
        else:
            self.height = natural
        return self.total_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if avail_height < self.page_height - 1:
            return []  # try again at the top of the next page
        # Taller than a whole page even at its smallest (a very long caption): let the
        # parts flow on their own rather than fail.
        parts: list[Flowable] = list(self.lead)
        for ex in self.exhibits:
            if ex.picture is not None:
                ex.picture.max_height = min(ex.picture.max_height, avail_height * 0.6)
                ex.picture._fit(ex.picture.max_width, ex.picture.max_height)
                parts += [ex.picture, Spacer(1, CAPTION_GAP)]
            parts += ex.caption
        return parts

    # -- drawing ----------------------------------------------------------------------
    def draw(self) -> None:
        canv = self.canv
        top = self.height
        if self.lead:
            _draw_stack(self.lead, canv, 0, top, self.total_width)
            top -= self._lead_height()
        col = self._column_width()
        for n, ex in enumerate(self.exhibits):
            x = n * (col + GAP)
            pic = ex.picture
            if pic is not None:
                pic.drawOn(canv, x, top - pic.height)
            if self.beside and pic is not None:
                _draw_stack(ex.caption, canv, x + pic.width + GAP, top, ex._caption_w)
                continue
            cap_top = top - (pic.height + CAPTION_GAP if pic is not None else 0.0)
            if ex.boxed:
                cap_h = _stack_height(ex.caption, ex._caption_w)
                canv.saveState()
                canv.setStrokeColor(RULE)
                canv.setLineWidth(0.5)
                canv.rect(x, cap_top - cap_h - 2 * BOX_PAD, col, cap_h + 2 * BOX_PAD)
                canv.restoreState()
                _draw_stack(ex.caption, canv, x + BOX_PAD, cap_top - BOX_PAD, ex._caption_w)
            else:
                _draw_stack(ex.caption, canv, x, cap_top, ex._caption_w)
