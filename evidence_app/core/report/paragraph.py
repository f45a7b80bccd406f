"""Paragraphs that lay out every script the person may write in.

`ScriptParagraph` is a reportlab Paragraph that (1) shapes the runs set in a
`ShapingFont` (Arabic, Hebrew, Indic) into glyph code points before lines are broken,
so widths are the shaped widths, and (2) when it draws, puts each line into visual
order with the Unicode bidirectional algorithm, so right-to-left words read right to
left and English quoted inside Arabic (or Arabic inside English) sits where a reader
expects. Each typed line whose first strong character is right to left runs right to
left and is set flush right, as a browser does with `dir="auto"`.

Lines are kept in logical (typed) order everywhere else, so reportlab's splitting
across pages and table cells work unchanged; only drawing sees visual order.

Emoji come as `<img src="emoji:1f52a"/>` (see `emoji.py`): the parser sizes each
picture to the text around it and places it like a letter.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from typing import Any

from bidi import get_display
from bidi.mirror import MIRRORED
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import ps2tt
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import textTransformFrags
from reportlab.platypus.paraparser import ABag, ParaParser

from evidence_app.core.report import emoji
from evidence_app.core.report.scripts import (
    DIRECTION_MARKS,
    JOINERS,
    SCRIPTS,
    is_rtl_char,
    script_of,
    shapes_in_run,
)
from evidence_app.core.report.shaping import ShapingFont

# Stand-ins the bidi algorithm sees for a glyph code: a strong letter of its direction.
_RTL_PROXY = "\u05d0"
_LTR_PROXY = "a"
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


# Characters that may need shaping or bidi: the letters of every shaped script (see
# `scripts.py`: Arabic, Hebrew, Indic, South-East Asian, Ethiopic), any right-to-left
# letter, the presentation forms, and the explicit direction marks. Paragraphs without
# them skip all of this.
_COMPLEX = re.compile("[" + "".join(
    [f"{chr(lo)}-{chr(hi)}" for script in SCRIPTS for lo, hi in script.ranges]
    + ["\u0590-\u08ff\ufb1d-\ufefe\u200e\u200f\u202a-\u202e\u2066-\u2069"]) + "]")


class ScriptParagraph(Paragraph):
    """A Paragraph that shapes complex scripts and draws mixed directions correctly.

    `keep_alignment` stops a right-to-left paragraph from being set flush right (for
    running headers, whose layout is fixed).
    """

    def __init__(self, text: Any, style: Any = None, *args: Any,
                 keep_alignment: bool = False, **kwargs: Any) -> None:
        self._keep_alignment = keep_alignment
        super().__init__(text, style, *args, **kwargs)

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        me: Any = self  # reportlab's attributes carry no types
        if frags is None and emoji.SRC_PREFIX in text:
            # reportlab's own setup, with a parser that knows emoji pictures.
            text = cleaner(text)
            parser = _Parser()
            parser.caseSensitive = me.caseSensitive
            style, frags, bullet_frags = parser.parse(text, style)
            if frags is None:
                raise ValueError(f"xml parser error ({parser.errors[0]}) in paragraph "
                                 f"beginning {text[:30]!r}")
            textTransformFrags(frags, style)
            if bullet_frags:
                bulletText = bullet_frags
            me.text, me.frags, me.style, me.bulletText, me.debug = (
                text, frags, style, bulletText, 0)
            frags = None  # shaping below still applies to a freshly parsed paragraph
        else:
            super()._setup(text, style, bulletText, frags, cleaner)
        if frags is not None or not _COMPLEX.search(me.text or ""):
            return  # a part of a split paragraph (already shaped), or nothing to do
        shaped = False
        bold_style = _is_bold(me.style.fontName)
        for frag in me.frags:
            font = getFont(frag.fontName)
            has_text = bool(getattr(frag, "text", None))
            if isinstance(font, ShapingFont) and has_text:
                if bold_style and frag.fontName == font.script.font:
                    # A bold style (headings) makes its quoted scripts bold too.
                    frag.fontName = font.script.bold_font
                    font = getFont(frag.fontName)
                frag.text = _shape_text(font, frag.text)
                shaped = True
        rtl = _has_rtl(me.frags)
        if not (shaped or rtl):
            return
        # A copy of the style carries the findings to the parts of a split paragraph.
        found = copy.copy(me.style)
        found.rl_shaped = True
        found.rl_bidi = rtl
        found.rl_flip = found.alignment == TA_LEFT and not self._keep_alignment
        me.style = found
        if len(me.frags) == 1 and hasattr(me.frags[0], "text") and len(me.frags[0].text) > 1:
            # One fragment would take reportlab's plain-string line path, which has no
            # room for per-glyph offsets; two identical halves take the fragment path.
            only = me.frags[0]
            me.frags = [only.clone(text=only.text[:1]), only.clone(text=only.text[1:])]

    def beginText(self, x: float, y: float) -> PDFTextObject:
        return _ActualTextObject(self.canv, x, y)

    def drawPara(self, debug: int = 0) -> Any:
        me: Any = self
        style = me.style
        if not getattr(style, "rl_shaped", False) or getattr(me.blPara, "kind", 0) != 1:
            return super().drawPara(debug)
        logical = me.blPara
        visual = copy.copy(logical)
        bases = _line_directions(logical.lines) if style.rl_bidi else [False] * len(logical.lines)
        visual.lines = [_visual_line(line, style.rl_bidi, rtl)
                        for line, rtl in zip(logical.lines, bases, strict=True)]
        drawing_style = style
        if style.rl_flip and any(bases):
            # Right-to-left lines (each line typed on its own, as in a browser with
            # dir="auto") are set flush right; the others stay flush left.
            drawing_style = copy.copy(style)
            drawing_style.alignment = TA_RIGHT
            for line, rtl in zip(visual.lines, bases, strict=True):
                if not rtl:
                    line.extraSpace = 0
        me.blPara, me.style = visual, drawing_style
        try:
            return super().drawPara(debug)
        finally:
            me.blPara, me.style = logical, style


class _Parser(ParaParser):  # type: ignore[misc]
    """reportlab's paragraph parser, with `<img src="emoji:...">` sized to the text."""

    def end_img(self) -> None:
        frag = self._stack[-1]
        src = getattr(frag, "src", None)
        if not (isinstance(src, str) and src.startswith(emoji.SRC_PREFIX)):
            return super().end_img()  # type: ignore[no-any-return]
        picture = emoji.picture_for_key(src[len(emoji.SRC_PREFIX):])
        if picture is None:
            raise ValueError(f"no emoji picture for {src}")
        size = frag.fontSize
        defn = frag.cbDefn = ABag()
        defn.kind = "img"
        defn.src = src
        defn.image = picture.reader
        defn.height = size * emoji.HEIGHT_EM
        defn.width = defn.height * picture.aspect
        defn.valign = -size * emoji.DESCENT_EM
        del frag._selfClosingTag
        self.handle_data("")
        self._pop("img")
        return None


def _line_directions(lines: list[Any]) -> list[bool]:
    """For each laid-out line, whether the typed line it belongs to runs right to left.

    Each typed line (ended by a line break) is a bidi paragraph of its own whose
    direction is that of its first strong character (rules P2 and P3).
    """
    out: list[bool] = []
    group: list[Any] = []
    for i, line in enumerate(lines):
        group.append(line)
        if getattr(line, "lineBreak", False) or i == len(lines) - 1:
            rtl = _first_strong_is_rtl([f for each in group for f in each.words])
            out += [rtl] * len(group)
            group = []
    return out


def _is_bold(font_name: str) -> bool:
    try:
        return bool(ps2tt(font_name)[1])
    except ValueError:  # a font registered without a family (the monospaced one)
        return False


def _shape_text(font: ShapingFont, text: str) -> str:
    """Replace each run of the font's script in `text` with its shaped glyph codes."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(font.shape("".join(run)))
            run.clear()

    for ch in text:
        code = ord(ch)
        inside = shapes_in_run(ch) and (script_of(code) is font.script or code in JOINERS
                                         or (run and unicodedata.category(ch)[0] == "M"))
        if inside:
            run.append(ch)
        else:
            flush()
            out.append(ch)
    flush()
    return "".join(out)


def _glyph_font(frag: Any) -> ShapingFont | None:
    font = getFont(frag.fontName)
    return font if isinstance(font, ShapingFont) else None


def _has_rtl(frags: list[Any]) -> bool:
    for frag in frags:
        text = getattr(frag, "text", "")
        font = _glyph_font(frag)
        if font is not None and font.script.rtl and any(font.glyph(ord(c)) for c in text):
            return True
        if any(is_rtl_char(c) for c in text):
            return True
    return False


def _direction(font: ShapingFont | None, ch: str) -> str:
    if font is not None and font.glyph(ord(ch)) is not None:
        return "R" if font.script.rtl else "L"
    return unicodedata.bidirectional(ch)


def _first_strong_is_rtl(frags: list[Any]) -> bool:
    """Rules P2 and P3 of the bidi algorithm: the first strong character decides."""
    for frag in frags:
        font = _glyph_font(frag)
        for ch in getattr(frag, "text", ""):
            kind = _direction(font, ch)
            if kind in ("R", "AL"):
                return True
            if kind == "L":
                return False
    return False


def _visual_line(line: Any, bidi: bool, rtl_base: bool) -> Any:
    """A copy of one laid-out line with its fragments in the order they are drawn."""
    words = line.words
    if any(not hasattr(f, "text") for f in words):
        return copy.copy(line)  # links: none in the report; left as typed
    # An inline picture (an emoji) is one neutral character to the bidi algorithm.
    items: list[tuple[Any, str, int]] = [(f, ch, 0) for f in words
                                         for ch in (_PICTURE if _is_picture(f) else f.text)]
    items = [(f, ch, i) for i, (f, ch, _) in enumerate(items)]
    if bidi:
        items = _reorder(items, rtl_base)
    items = [item for item in items if ord(item[1]) not in DIRECTION_MARKS]
    runs: list[tuple[Any, list[tuple[Any, str, int]]]] = []
    for item in items:
        if runs and runs[-1][0] is item[0]:
            runs[-1][1].append(item)
        else:
            runs.append((item[0], [item]))
    new = copy.copy(line)
    new.words = [frag if _is_picture(frag) else frag.clone(text=_drawable(run, frag))
                 for frag, run in runs]
    return new


_PICTURE = "\ufffc"  # OBJECT REPLACEMENT CHARACTER: what an inline picture stands for


def _is_picture(frag: Any) -> bool:
    return getattr(getattr(frag, "cbDefn", None), "kind", None) == "img"


def _reorder(items: list[tuple[Any, str, int]], rtl_base: bool) -> list[tuple[Any, str, int]]:
    """One line in visual order: the Unicode bidi algorithm's rules L1, L2 and L4."""
    proxy = []
    for frag, ch, _ in items:
        font = _glyph_font(frag)
        if font is not None and font.glyph(ord(ch)) is not None:
            proxy.append(_RTL_PROXY if font.script.rtl else _LTR_PROXY)
        else:
            proxy.append(ch)
    base = 1 if rtl_base else 0
    levels = embedding_levels("".join(proxy), rtl_base)
    # L1: whitespace at the end of the line (and before tabs) takes the paragraph level.
    trailing = True
    for i in range(len(proxy) - 1, -1, -1):
        kind = unicodedata.bidirectional(proxy[i])
        if kind in ("S", "B"):
            levels[i] = base
            trailing = True
        elif trailing and (kind in ("WS", "BN") or ord(proxy[i]) in DIRECTION_MARKS):
            levels[i] = base
        else:
            trailing = False
    order = list(range(len(items)))
    # L2: from the highest level down to the lowest odd one, reverse every run at or
    # above that level.
    odd = [lv for lv in levels if lv % 2]
    for level in range(max(levels, default=0), (min(odd) if odd else 1) - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    out = []
    for k in order:
        frag, ch, index = items[k]
        if levels[k] % 2 and proxy[k] == ch:
            ch = MIRRORED.get(ch, ch)  # L4: brackets face the other way in RTL runs
        out.append((frag, ch, index))
    return out


def embedding_levels(text: str, rtl_base: bool) -> list[int]:
    """The resolved bidi embedding level of each character of one line.

    python-bidi wraps the `unicode-bidi` crate (the full algorithm, with bracket
    pairs and isolates) but returns levels only in its debug report, one per UTF-8
    byte; a change of that format fails loudly here rather than drawing wrongly.
    """
    report = get_display(text, base_dir="R" if rtl_base else "L", debug=True)
    block = str(report).split("levels: [", 1)[-1].split("]", 1)[0]
    per_byte = [int(v) for v in _LEVEL.findall(block)]
    if len(per_byte) != len(text.encode("utf-8")):
        raise RuntimeError("python-bidi's level report has changed format")
    levels = []
    offset = 0
    for ch in text:
        levels.append(per_byte[offset])
        offset += len(ch.encode("utf-8"))
    return levels


def _drawable(run: list[tuple[Any, str, int]], frag: Any) -> str:
    """Text for the canvas, marked (left-to-right runs) with the text it shows as typed."""
    text = "".join(ch for _, ch, _ in run)
    font = _glyph_font(frag)
    if font is None or font.script.rtl:
        # Only left-to-right runs: poppler reverses the ActualText of right-to-left
        # runs, whose glyph order (visual, as the format expects) extracts correctly.
        return text
    typed = sorted(run, key=lambda item: item[2])
    return _Shown(text, "".join(_typed_text(font, ch) for _, ch, _ in typed))


class _Shown(str):
    """A run of glyph codes, with the characters it stands for in typed order."""

    actual_text: str

    def __new__(cls, text: str, actual_text: str) -> _Shown:
        self = super().__new__(cls, text)
        self.actual_text = actual_text
        return self


def _typed_text(font: ShapingFont, ch: str) -> str:
    glyph = font.glyph(ord(ch))
    return ch if glyph is None else glyph.text


class _ActualTextObject(PDFTextObject):
    """Draws shaped glyphs where HarfBuzz put them, and marks each shaped run with the
    text it shows, in typed order (PDF ActualText).

    Readers that honour ActualText (Acrobat, poppler) copy and search the run as typed
    whatever order its glyphs are drawn in; others fall back on the ToUnicode map.
    """

    def _formatText(self, text: str) -> str:  # noqa: N802
        font = getFont(self._fontname)
        if isinstance(font, ShapingFont):
            code = _glyph_operators(self, font, text)
        else:
            code = super()._formatText(text)
        actual = getattr(text, "actual_text", None)
        if not actual:
            return code
        hexed = ("\ufeff" + actual).encode("utf-16-be").hex().upper()
        return f"/Span <</ActualText <{hexed}>>> BDC {code} EMC"

    def setRise(self, rise: float) -> None:  # noqa: N802
        """Move the baseline of the text that follows up (or down) by `rise` points.

        reportlab's own version replaces the previous operator when that was a rise,
        which needs a previous operator (an IndexError without one) and leaves its
        record of the rise behind.
        """
        if self._code and _RISE.fullmatch(self._code[-1]):
            self._code[-1] = f"{fp_str(rise)} Ts"  # nothing was drawn at that rise
        else:
            self._code.append(f"{fp_str(rise)} Ts")
        self._rise = rise


_RISE = re.compile(r"-?[0-9.]+ Ts")


def _glyph_operators(tx: PDFTextObject, font: ShapingFont, text: str) -> str:
    """PDF operators that show `text` (glyph codes and characters) in a shaping font.

    Each glyph shows with the font program's own width (its /Widths entry); a TJ
    adjustment before it moves it by HarfBuzz's x offset, one after it brings the
    pen to where HarfBuzz's advance ends, and a text rise (Ts) sets its y offset.
    The rise in force before the run is in force again after it.
    """
    me: Any = tx  # reportlab's attributes carry no types
    doc = me._canvas._doc
    size = me._fontsize
    widths = font.face.charWidths
    default = font.face.defaultWidth
    base = rise = me._rise
    ops: list[str] = []
    shown: list[bytes | float] = []

    def show() -> None:
        # Adjacent glyphs share one string, adjacent moves one number; a move too
        # small to see (rounding) is left out.
        parts: list[str] = []
        glyphs: list[bytes] = []
        move = 0.0
        for item in [*shown, b""]:
            if isinstance(item, float):
                move += item
                continue
            if abs(move) > 0.001:
                if glyphs:
                    parts.append(f"({escapePDF(b''.join(glyphs))})")
                    glyphs = []
                parts.append(fp_str(move))
            move = 0.0
            glyphs.append(item)
        if any(glyphs):
            parts.append(f"({escapePDF(b''.join(glyphs))})")
        shown.clear()
        if len(parts) == 1 and parts[0].startswith("("):
            ops.append(f"{parts[0]} Tj")
        elif parts:
            ops.append(f"[{' '.join(parts)}] TJ")

    at = 0
    for subset, chunk in font.splitString(text, doc):
        if subset != me._curSubset:
            show()
            ops.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(size)} Tf "
                       f"{fp_str(me._leading)} TL")
            me._curSubset = subset
        for byte in chunk:
            code = ord(text[at])
            at += 1
            glyph = font.glyph(code)
            dx, dy = (glyph.dx, glyph.dy) if glyph is not None else (0.0, 0.0)
            wanted = base + size * dy / 1000
            if wanted != rise:
                show()
                ops.append(f"{fp_str(wanted)} Ts")
                rise = wanted
            shown.append(-dx)
            shown.append(bytes((byte,)))
            # TJ numbers move the pen left by thousandths of an em.
            shown.append(widths.get(code, default) - font.advance(code) + dx)
    show()
    if rise != base:
        ops.append(f"{fp_str(base)} Ts")
    return " ".join(ops)
