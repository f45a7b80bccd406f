"""Shaping with HarfBuzz: joined Arabic, reordered Indic vowel signs, conjuncts.

reportlab draws one glyph per character, which leaves Arabic letters unjoined and
Indic syllables in the wrong order. A `ShapingFont` shapes each word with HarfBuzz and
hands reportlab the result as a string of private code points, one per glyph, so that
line breaking, widths and subsetting keep working unchanged. Each private code point
stands for one glyph with its advance and offset, and for the characters it shows: the
PDF's ToUnicode map turns it back into those original characters, so the report can be
searched and copied as the text the person typed.

A glyph that stands for several characters (the lam-alef ligature, an Indic conjunct)
shows the first of them; each further character rides on an invisible, zero-width
glyph drawn beside it. Text extractors then meet exactly one character per glyph, in
reading order, which is what they handle best; a glyph that adds no character (the
second half of a split Bengali vowel sign) maps to nothing.

Two widths belong to each glyph code. The PDF's /Widths (reportlab's `charWidths`)
give the font program's own advance of the glyph, as PDF/A requires (ISO 19005-2,
6.2.11.5); lines are measured with HarfBuzz's advance (kerned, and zero for the
invisible glyphs that carry ligature letters), which `stringWidth` reads. The drawing
code (`paragraph.py`) moves each glyph by the difference with TJ adjustments.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import SimpleNamespace

import uharfbuzz
from reportlab.lib.rl_accel import instanceStringWidthTTF
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont, makeToUnicodeCMap

from evidence_app.core.report.scripts import Script

# Supplementary private use plane A: never in user text (fonts.plain() replaces private
# use characters), and never in the bundled fonts' own character maps.
_FIRST_CODE = 0xF0000
_LAST_CODE = 0xFFFFD


@dataclass(frozen=True)
class Glyph:
    """One shaped glyph as drawn: sizes are in thousandths of the font size."""

    gid: int
    text: str
    advance: float
    dx: float
    dy: float


class ShapingFont(TTFont):
    """A bundled TrueType font for one script, whose words are shaped by HarfBuzz."""

    def __init__(self, name: str, filename: str, script: Script) -> None:
        super().__init__(name, filename, shapable=True)
        self.script = script
        self._hb_font = uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(filename)))
        self._scale = 1000.0 / self._hb_font.face.upem
        self._space = self._hb_font.get_nominal_glyph(0x20) or 0
        self._codes: dict[Glyph, int] = {}
        self._glyphs: dict[int, Glyph] = {}
        self._words: dict[str, str] = {}
        self._lock = threading.Lock()
        # What lines are measured with: the font's widths, and each glyph code's
        # HarfBuzz advance (see the module's docstring).
        self._advances: dict[int, float] = dict(self.face.charWidths)
        self._measure = SimpleNamespace(face=SimpleNamespace(
            charWidths=self._advances, defaultWidth=self.face.defaultWidth))

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:  # noqa: N802
        """The width the text takes when drawn: glyph codes count their shaped advance."""
        return instanceStringWidthTTF(self._measure, text, size, encoding)  # type: ignore[no-any-return]

    def advance(self, code: int) -> float:
        """How far drawing the character or glyph code moves, in thousandths of an em."""
        return self._advances.get(code, self.face.defaultWidth)

    def glyph(self, code: int) -> Glyph | None:
        """The glyph a private code point stands for (None for ordinary characters)."""
        return self._glyphs.get(code)

    def shape(self, word: str) -> str:
        """A word (no spaces) as a string of glyph code points, in logical order.

        Right-to-left words come back with their glyphs in reading order, that is
        mirrored from how they are drawn; the bidi pass that lays out each line
        (see `paragraph.py`) turns them back.
        """
        cached = self._words.get(word)
        if cached is not None:
            return cached
        buf = uharfbuzz.Buffer()
        buf.add_str(word)
        buf.guess_segment_properties()
        # Grapheme clusters keep a base letter with its vowel signs, so each cluster
        # can give back its characters in typed order however its glyphs were moved.
        buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_GRAPHEMES
        uharfbuzz.shape(self._hb_font, buf, {"kern": True, "liga": True})
        placed = list(zip(buf.glyph_infos, buf.glyph_positions, strict=True))
        if self.script.rtl:
            placed.reverse()
        starts = sorted({info.cluster for info, _ in placed}) + [len(word)]
        ends = dict(zip(starts, starts[1:], strict=False))
        out: list[Glyph] = []
        i = 0
        while i < len(placed):
            cluster = placed[i][0].cluster
            j = i
            while j < len(placed) and placed[j][0].cluster == cluster:
                j += 1
            chars = list(word[cluster:ends[cluster]])
            for info, pos in placed[i:j]:
                out.append(Glyph(info.codepoint, chars.pop(0) if chars else "",
                                 pos.x_advance * self._scale, pos.x_offset * self._scale,
                                 pos.y_offset * self._scale))
            # Characters left over (ligatures) ride on invisible, zero-width glyphs.
            out.extend(Glyph(self._space, ch, 0.0, 0.0, 0.0) for ch in chars)
            i = j
        shaped = "".join(chr(self._code(g)) for g in out)
        with self._lock:
            if len(self._words) > 20000:
                self._words.clear()
            self._words[word] = shaped
        return shaped

    def _code(self, glyph: Glyph) -> int:
        with self._lock:
            code = self._codes.get(glyph)
            if code is None:
                code = _FIRST_CODE + len(self._codes)
                if code > _LAST_CODE:
                    raise OverflowError(f"too many distinct glyphs in {self.fontName}")
                self._codes[glyph] = code
                self._glyphs[code] = glyph
                self.face.charToGlyph[code] = glyph.gid
                self.face.charWidths[code] = (self._hb_font.get_glyph_h_advance(glyph.gid)
                                              * self._scale)
                self._advances[code] = glyph.advance
            return code

    def addObjects(self, doc: object) -> None:
        """Embed the font subsets, then point each glyph code back at its characters."""
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        face = self.face
        for n, subset in enumerate(subsets):
            if not any(code in self._glyphs for code in subset):
                continue
            base = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
            stream = doc.idToObject["toUnicodeCMap:" + base]  # type: ignore[attr-defined]
            stream.content = to_unicode_cmap(base, subset, self._glyphs)


def to_unicode_cmap(name: str, subset: list[int], glyphs: dict[int, Glyph]) -> str:
    """A ToUnicode CMap for one 256-glyph subset, mapping glyph codes to their text."""
    plain = makeToUnicodeCMap(name, subset)
    head, _, rest = plain.partition("beginbfchar")
    head = head.rsplit("\n", 1)[0]
    tail = rest.split("endbfchar", 1)[1]
    entries = []
    for i, code in enumerate(subset):
        glyph = glyphs.get(code)
        text = glyph.text if glyph is not None else chr(code)
        entries.append(f"<{i:02X}> <{text.encode('utf-16-be').hex().upper()}>")
    lines = [head]
    # The PDF format allows at most 100 entries in one bfchar block.
    for k in range(0, len(entries), 100):
        block = entries[k:k + 100]
        lines += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    return "\n".join(lines) + tail
