"""Writing systems that need shaping: which characters belong to each, which way they
run and which bundled font draws them.

Arabic letters join and change shape with their neighbours; Hebrew and Arabic run
right to left; Indic and South-East Asian scripts reorder vowel signs, stack marks and
build conjuncts. DejaVu Sans has no shaping for any of these when drawn by reportlab
(and no glyphs at all for most), so runs of them are drawn with a Noto font after
HarfBuzz has shaped them (see `shaping.py`).
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Script:
    """One writing system, and the two bundled font files that draw it."""

    key: str
    font: str
    bold_font: str
    regular_file: str
    bold_file: str
    rtl: bool
    ranges: tuple[tuple[int, int], ...]


def _noto(key: str, name: str, *ranges: tuple[int, int]) -> Script:
    """A left-to-right script drawn with Noto Sans <name> Regular and Bold."""
    return Script(key, f"Report{name}", f"Report{name}-Bold", f"NotoSans{name}-Regular.ttf",
                  f"NotoSans{name}-Bold.ttf", False, ranges)


SCRIPTS = (
    # Arabic script: Arabic, Persian (Farsi), Urdu, Pashto, Kurdish (Sorani)...
    Script("arabic", "ReportArabic", "ReportArabic-Bold", "NotoSansArabic-Regular.ttf",
           "NotoSansArabic-Bold.ttf", True,
           ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF),
            (0xFE70, 0xFEFE))),
    Script("hebrew", "ReportHebrew", "ReportHebrew-Bold", "NotoSansHebrew-Regular.ttf",
           "NotoSansHebrew-Bold.ttf", True, ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))),
    # Hindi, Marathi, Nepali...
    Script("devanagari", "ReportDevanagari", "ReportDevanagari-Bold",
           "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf", False,
           ((0x0900, 0x097F), (0xA8E0, 0xA8FF))),
    Script("bengali", "ReportBengali", "ReportBengali-Bold", "NotoSansBengali-Regular.ttf",
           "NotoSansBengali-Bold.ttf", False, ((0x0980, 0x09FF),)),
    # Punjabi
    Script("gurmukhi", "ReportGurmukhi", "ReportGurmukhi-Bold", "NotoSansGurmukhi-Regular.ttf",
           "NotoSansGurmukhi-Bold.ttf", False, ((0x0A00, 0x0A7F),)),
    Script("gujarati", "ReportGujarati", "ReportGujarati-Bold", "NotoSansGujarati-Regular.ttf",
           "NotoSansGujarati-Bold.ttf", False, ((0x0A80, 0x0AFF),)),
    Script("tamil", "ReportTamil", "ReportTamil-Bold", "NotoSansTamil-Regular.ttf",
           "NotoSansTamil-Bold.ttf", False, ((0x0B80, 0x0BFF),)),
    _noto("oriya", "Oriya", (0x0B00, 0x0B7F)),  # Odia
    _noto("telugu", "Telugu", (0x0C00, 0x0C7F)),
    _noto("kannada", "Kannada", (0x0C80, 0x0CFF)),
    _noto("malayalam", "Malayalam", (0x0D00, 0x0D7F)),
    _noto("sinhala", "Sinhala", (0x0D80, 0x0DFF)),
    _noto("thai", "Thai", (0x0E00, 0x0E7F)),
    _noto("lao", "Lao", (0x0E80, 0x0EFF)),
    _noto("myanmar", "Myanmar", (0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)),  # Burmese
    # Amharic, Tigrinya, Oromo (in Ethiopic script)...
    _noto("ethiopic", "Ethiopic", (0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
    _noto("khmer", "Khmer", (0x1780, 0x17FF), (0x19E0, 0x19FF)),
)

_STARTS: list[int] = []
_ENDS: list[tuple[int, Script]] = []
for _script in SCRIPTS:
    for _lo, _hi in _script.ranges:
        _STARTS.append(_lo)
        _ENDS.append((_hi, _script))
_ORDER = sorted(range(len(_STARTS)), key=_STARTS.__getitem__)
_STARTS = [_STARTS[i] for i in _ORDER]
_ENDS = [_ENDS[i] for i in _ORDER]

# Characters that belong to whichever script surrounds them: the joiners that choose
# Arabic joining forms and Indic half forms, and the Devanagari dandas that Bengali
# and Gurmukhi text also uses as full stops.
JOINERS = frozenset({0x200C, 0x200D})
_SHARED = JOINERS | {0x0964, 0x0965}

# Explicit direction marks people paste with messages (LRM, RLM, embeddings,
# overrides, isolates): they steer the bidi algorithm and are never drawn.
DIRECTION_MARKS = frozenset({0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F),
                             *range(0x2066, 0x206A)})


def script_of(code: int) -> Script | None:
    """The shaped script a character belongs to, or None for everything else."""
    i = bisect.bisect_right(_STARTS, code) - 1
    if i >= 0:
        hi, script = _ENDS[i]
        if code <= hi:
            return script
    return None


def is_shared(code: int) -> bool:
    """True for joiners and marks that take the script of the text around them."""
    return code in _SHARED


def is_rtl_char(ch: str) -> bool:
    """True for characters that are strongly right to left (or force it)."""
    return unicodedata.bidirectional(ch) in ("R", "AL", "RLE", "RLO", "RLI")


def shapes_in_run(ch: str) -> bool:
    """True for characters that may sit inside a shaped run of their script.

    Digits and punctuation keep their own direction (Arabic text writes numbers left
    to right), so they are drawn outside shaped runs; letters and marks are inside.
    """
    return unicodedata.category(ch)[0] in "LM" or ord(ch) in _SHARED
