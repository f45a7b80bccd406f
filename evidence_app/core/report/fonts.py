"""Bundled fonts, and turning stored text into safe paragraph markup.

DejaVu Sans covers Latin, Greek, Cyrillic and many symbols (including the common
emoticons); Droid Sans Fallback covers Chinese, Japanese and Korean; Noto fonts cover
the scripts that need shaping or that DejaVu lacks (Arabic, Hebrew, nine Indic scripts,
Sinhala, Thai, Lao, Burmese, Khmer and Ethiopic, see `scripts.py`), which
`ScriptParagraph` shapes and lays out right to left where they run that way. All are
embedded as subsets, so text stays selectable and searchable. A character no font has,
and any character beyond U+FFFF (most pictographic emoji), is replaced by a visible,
readable and searchable mark such as "[emoji: thumbs up sign]" (or "[characters no
report font has: syriac letter alaph]") instead of a blank box or a crash.
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

from evidence_app.core.report.scripts import (
    DIRECTION_MARKS,
    JOINERS,
    SCRIPTS,
    is_rtl_char,
    is_shared,
    script_of,
)
from evidence_app.core.report.shaping import ShapingFont

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
            font = TTFont(name, str(path))
            _unscaled_trailing_widths(font)
            pdfmetrics.registerFont(font)
        for script in SCRIPTS:
            for name, filename in ((script.font, script.regular_file),
                                   (script.bold_font, script.bold_file)):
                path = FONT_DIR / filename
                if not path.is_file():
                    raise FileNotFoundError(
                        f"the report font {path} is missing from the installation")
                pdfmetrics.registerFont(ShapingFont(name, str(path), script))
            # No italic exists for these scripts: italic text keeps the upright face.
            addMapping(script.font, 0, 0, script.font)
            addMapping(script.font, 0, 1, script.font)
            addMapping(script.font, 1, 0, script.bold_font)
            addMapping(script.font, 1, 1, script.bold_font)
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


def _unscaled_trailing_widths(font: TTFont) -> None:
    """Undo a reportlab 5.1 slip that makes a subset's widths disagree with its /Widths.

    A font may give one advance width for its last run of glyphs (every glyph of a
    monospaced font): reportlab records that width for them in thousandths of an em
    instead of font units, so the embedded subset says 602 where the font says 1233
    (DejaVu Sans Mono) and PDF/A (6.2.11.5) rejects the file. The slipped entries are
    the floats after the integer ones read from the font.
    """
    metrics = font.face.hmetrics
    read = [aw for aw, _ in metrics if isinstance(aw, int)]
    if read and len(read) < len(metrics):
        font.face.hmetrics = [(aw if isinstance(aw, int) else read[-1], lsb)
                              for aw, lsb in metrics]


@cache
def _coverage(font_name: str) -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


def _is_emoji(ch: str) -> bool:
    """Pictographs and symbols (most emoji), as against letters of an unsupported script."""
    category = unicodedata.category(ch)
    return category in ("So", "Sk") or (ord(ch) > 0xFFFF and category[0] not in "LMN")


# The marks `plain` puts in place of characters it cannot draw: "[emoji: ...]",
# "[12 emoji]", "[characters no report font has: ...]" (shown grey by `markup`).
_MARK_KINDS = ("emoji", "characters no report font has")


def _is_mark(chunk: str) -> bool:
    if not (chunk.startswith("[") and chunk.endswith("]")):
        return False
    body = chunk[1:-1]
    return any(body.startswith(f"{kind}: ") or (body.endswith(f" {kind}") and
                                               body[:-len(kind) - 1].isdigit())
               for kind in _MARK_KINDS)


def _char_name(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.lower() if name else f"U+{ord(ch):04X}"


def _script_font(code: int) -> str | None:
    """The shaping font for a character of a shaped script, if it has the glyph."""
    script = script_of(code)
    if script is not None and code in _coverage(script.font):
        return script.font
    return None


def _unsupported(code: int) -> bool:
    # reportlab writes broken ToUnicode entries for characters beyond U+FFFF, so drawn
    # emoji from there could not be searched or copied; their names can.
    if code > 0xFFFF:
        return True
    if code in JOINERS or code in DIRECTION_MARKS:
        return False  # invisible: they steer joining and direction, nothing to draw
    return (code not in _coverage(SANS) and code not in _coverage(CJK)
            and _script_font(code) is None)


def plain(text: str) -> str:
    """Text with characters no bundled font can draw replaced by readable marks.

    For places that take plain strings (chart labels, canvas text, file lists).
    """
    out: list[str] = []
    missing: list[str] = []

    def flush() -> None:
        if missing:
            emoji = all(_is_emoji(ch) for ch in missing)
            what = "emoji" if emoji else "characters no report font has"
            names = ", ".join(_char_name(ch) for ch in missing)
            out.append(f"[{what}: {names}]" if len(missing) < 8 else f"[{len(missing)} {what}]")
            missing.clear()

    previous = ""
    for ch in text:
        code = ord(ch)
        if code in _INVISIBLE and not (code in JOINERS and script_of(ord(previous or " "))):
            # Joiners only matter inside Arabic and Indic words; elsewhere they glue
            # emoji together, and those are replaced by their names.
            continue
        previous = ch
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\t":
            flush()
            out.append("\ufffd" if unicodedata.category(ch) != "Cc" else " ")
            continue
        if _unsupported(code) and not ch.isspace():
            missing.append(ch)
            continue
        flush()
        out.append(ch)
    flush()
    return "".join(out)


def markup(text: str, *, keep_lines: bool = True) -> str:
    """Escape stored text for a reportlab Paragraph, choosing a font per script.

    CJK runs switch to the fallback font and Arabic, Hebrew and Indic runs to their
    shaping fonts (draw them with `ScriptParagraph`); unsupported characters become
    visible marks (shown in grey); line breaks are kept when `keep_lines`.
    """
    clean = plain(text)
    if not any(is_rtl_char(ch) for ch in clean):
        # Without right-to-left text, direction marks change nothing and some fonts
        # lack a glyph for them.
        clean = "".join(ch for ch in clean if ord(ch) not in DIRECTION_MARKS)
    pieces: list[str] = []
    run: list[str] = []
    run_font: str | None = None

    def flush_run() -> None:
        if run:
            body = escape("".join(run))
            pieces.append(f'<font name="{run_font}">{body}</font>' if run_font else body)
            run.clear()

    for segment in _segments(clean):
        if _is_mark(segment):
            flush_run()
            run_font = None
            pieces.append(f'<font color="#6b7280">{escape(segment)}</font>')
            continue
        fonts = _fonts_for(segment)
        for ch, font in zip(segment, fonts, strict=True):
            if ch == "\n":
                flush_run()
                pieces.append("<br/>" if keep_lines else " ")
                continue
            if font != run_font:
                flush_run()
                run_font = font
            run.append(ch)
    flush_run()
    return "".join(pieces)


def _fonts_for(segment: str) -> list[str | None]:
    """The font of each character (None: the paragraph's own font).

    Joiners and shared marks follow the script before them; a space between two words
    of the same script stays in that script's font, so a quoted phrase is one run.
    """
    sans, cjk = _coverage(SANS), _coverage(CJK)
    fonts: list[str | None] = []
    for ch in segment:
        code = ord(ch)
        font = _script_font(code)
        if font is None and fonts and fonts[-1] not in (None, CJK) and (
                is_shared(code) or unicodedata.category(ch) == "Mn"):
            font = fonts[-1] if code in _coverage(fonts[-1]) else None  # type: ignore[arg-type]
        if font is None and code not in sans and code in cjk:
            font = CJK
        fonts.append(font)
    for i, ch in enumerate(segment):
        if ch == " " and fonts[i] is None:
            before = fonts[i - 1] if i else None
            after = next((fonts[j] for j in range(i + 1, len(segment))
                          if segment[j] != " "), None)
            if before not in (None, CJK) and before == after:
                fonts[i] = before
    return fonts


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
        if _is_mark(chunk):
            if j > i:
                out.append(text[i:j])
            out.append(chunk)
            i = k + 1
        else:
            out.append(text[i:j + 1])
            i = j + 1
    return [s for s in out if s]
