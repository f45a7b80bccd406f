"""Bundled fonts, and turning stored text into safe paragraph markup.

DejaVu Sans covers Latin, Greek, Cyrillic, Arabic, Hebrew and many symbols (including
the common emoticons); Droid Sans Fallback covers Chinese, Japanese and Korean. Both
are embedded as subsets, so text stays selectable and searchable. A character neither
font has, and any character beyond U+FFFF (most pictographic emoji), is replaced by a
visible, readable and searchable mark such as "[emoji: thumbs up sign]" instead of a
blank box or a crash.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "fonts"
SANS = "ReportSans"
SANS_BOLD = "ReportSans-Bold"
SANS_ITALIC = "ReportSans-Italic"
MONO = "ReportMono"
CJK = "ReportCJK"

_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    MONO: "DejaVuSansMono.ttf",
    CJK: "DroidSansFallbackFull.ttf",
}
_lock = threading.Lock()
_registered = False

# Invisible joiners and selectors that only matter to a colour emoji renderer.
_INVISIBLE = {0x200D, 0xFE0E, 0xFE0F, 0x20E3} | set(range(0x1F3FB, 0x1F400))


def register_fonts() -> None:
    """Register the bundled fonts with reportlab once per process (thread-safe)."""
    global _registered
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            path = FONT_DIR / filename
            if not path.is_file():
                raise FileNotFoundError(f"the report font {path} is missing from the installation")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        addMapping(SANS, 0, 0, SANS)
        addMapping(SANS, 1, 0, SANS_BOLD)
        addMapping(SANS, 0, 1, SANS_ITALIC)
        addMapping(SANS, 1, 1, SANS_BOLD)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(CJK, bold, italic, CJK)
        # Charts start from reportlab's default graphics font (Helvetica, never
        # embedded); every font in a report must be embedded, so start from ours.
        from reportlab.graphics import shapes

        shapes.STATE_DEFAULTS["fontName"] = SANS
        # Binary streams: ASCII85 would make every embedded photo a quarter larger.
        from reportlab import rl_config

        rl_config.useA85 = 0
        _registered = True


@cache
def _coverage(font_name: str) -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


def _emoji_name(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.lower() if name else f"U+{ord(ch):04X}"


def _unsupported(code: int) -> bool:
    # reportlab writes broken ToUnicode entries for characters beyond U+FFFF, so drawn
    # emoji from there could not be searched or copied; their names can.
    return code > 0xFFFF or (code not in _coverage(SANS) and code not in _coverage(CJK))


def plain(text: str) -> str:
    """Text with characters no bundled font can draw replaced by readable marks.

    For places that take plain strings (chart labels, canvas text, file lists).
    """
    out: list[str] = []
    missing: list[str] = []

    def flush() -> None:
        if missing:
            out.append(f"[emoji: {', '.join(missing)}]" if len(missing) < 8
                       else f"[{len(missing)} emoji]")
            missing.clear()

    for ch in text:
        code = ord(ch)
        if code in _INVISIBLE:
            continue
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\t":
            flush()
            out.append("\ufffd" if unicodedata.category(ch) != "Cc" else " ")
            continue
        if _unsupported(code) and not ch.isspace():
            missing.append(_emoji_name(ch))
            continue
        flush()
        out.append(ch)
    flush()
    return "".join(out)


def markup(text: str, *, keep_lines: bool = True) -> str:
    """Escape stored text for a reportlab Paragraph, choosing a font per script.

    CJK runs switch to the fallback font; unsupported characters become visible marks
    (shown in grey); line breaks are kept when `keep_lines`.
    """
    sans, cjk = _coverage(SANS), _coverage(CJK)
    pieces: list[str] = []
    run: list[str] = []
    run_font: str | None = None

    def flush_run() -> None:
        if run:
            body = escape("".join(run))
            pieces.append(f'<font name="{CJK}">{body}</font>' if run_font == CJK else body)
            run.clear()

    for segment in _segments(plain(text)):
        if segment.startswith("[emoji: ") or (segment.startswith("[") and segment.endswith(" emoji]")):
            flush_run()
            run_font = None
            pieces.append(f'<font color="#6b7280">{escape(segment)}</font>')
            continue
        for ch in segment:
            code = ord(ch)
            if ch == "\n":
                flush_run()
                pieces.append("<br/>" if keep_lines else " ")
                continue
            font = CJK if (code not in sans and code in cjk) else None
            if font != run_font:
                flush_run()
                run_font = font
            run.append(ch)
    flush_run()
    return "".join(pieces)


def _segments(text: str) -> list[str]:
    """Split `plain()` output so substituted emoji marks stand alone."""
    out: list[str] = []
    i = 0
    while i < len(text):
        j = text.find("[", i)
        if j < 0:
            out.append(text[i:])
            break
        k = text.find("]", j)
        chunk = text[j:k + 1] if k > 0 else ""
        if chunk.startswith("[emoji: ") or (chunk.endswith(" emoji]") and chunk[1:-7].isdigit()):
            if j > i:
                out.append(text[i:j])
            out.append(chunk)
            i = k + 1
        else:
            out.append(text[i:j + 1])
            i = j + 1
    return [s for s in out if s]
