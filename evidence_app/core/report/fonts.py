"""Bundled fonts, and turning stored text into safe paragraph markup.

DejaVu Sans covers Latin, Greek, Cyrillic and many symbols (including the common
emoticons); Droid Sans Fallback covers Chinese, Japanese and Korean; Noto fonts cover
the scripts that need shaping or that DejaVu lacks (Arabic, Hebrew, nine Indic scripts,
Sinhala, Thai, Lao, Burmese, Khmer and Ethiopic, see `scripts.py`), which
`ScriptParagraph` shapes and lays out right to left where they run that way. All are
embedded as subsets, so text stays selectable and searchable. A character no font has,
and any other character beyond U+FFFF, is replaced by a visible, readable and
searchable mark such as "[characters no report font has: syriac letter alaph]" instead
of a blank box or a crash. Emoji are drawn as small colour pictures followed by their
everyday name (see `emoji.py`); where only plain text can go they become
"[emoji: kitchen knife]".
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from evidence_app.core.report import emoji
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


@cache
def _plain_chars() -> frozenset[str]:
    """Characters `plain` and `markup` pass through unchanged in the paragraph's own font:
    drawn by the report font, of no shaped script or CJK run, not right to left, no
    control, mark, joiner or selector, and never an emoji on their own (every emoji
    sequence of more than one character holds a selector, joiner, keycap, modifier,
    tag or regional indicator, none of which is here). And the line break."""
    chars = {"\n"}
    for code in _coverage(SANS):
        ch = chr(code)
        if (code > 0xFFFF or code in _INVISIBLE or code in JOINERS or code in DIRECTION_MARKS
                or unicodedata.category(ch)[0] in "CMZ" and ch != " "
                or is_rtl_char(ch) or is_shared(code) or script_of(code) is not None
                or emoji.maybe_emoji(ch)):
            continue
        chars.add(ch)
    return frozenset(chars)


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
    if emoji.known(ch):
        return emoji.everyday_name(ch)  # CLDR's words, never Unicode's ("hocho")
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


def _text_glyph(ch: str) -> bool:
    return not _unsupported(ord(ch))


def _emoji_runs(text: str) -> Iterator[tuple[str, list[str]]]:
    """`text` as (text, []) pieces and ("", [sequence, ...]) runs of adjacent emoji."""
    found = emoji.find(text, _text_glyph)
    at = 0
    run: list[str] = []
    for start, end, seq in found:
        if start > at:
            if run:
                yield "", run
                run = []
            yield text[at:start], []
        run.append(seq)
        at = end
    if run:
        yield "", run
    if at < len(text):
        yield text[at:], []


def plain(text: str) -> str:
    """Text with characters no bundled font can draw replaced by readable marks.

    For places that take plain strings (chart labels, canvas text, file lists): emoji
    become "[emoji: kitchen knife]".
    """
    if _plain_chars().issuperset(text):
        return text  # what nearly every field holds: nothing to replace
    out: list[str] = []
    for piece, run in _emoji_runs(text):
        if run:
            names = list(dict.fromkeys(emoji.everyday_name(seq) for seq in run))
            out.append(f"[emoji: {', '.join(names)}]")
        else:
            out.append(_plain_text(piece))
    return "".join(out)


def _plain_text(text: str) -> str:
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
    shaping fonts (draw them with `ScriptParagraph`); emoji become pictures, named on
    first use (see `emoji.py`); unsupported characters become visible marks (shown in
    grey); line breaks are kept when `keep_lines`.
    """
    if _plain_chars().issuperset(text) and "[" not in text:
        # Text the report font draws as it is (most of every report): the same markup
        # as below gives it, without looking at each character three times.
        return escape(text).replace("\n", "<br/>" if keep_lines else " ")
    rtl = any(is_rtl_char(ch) for ch in text)
    out: list[str] = []
    for piece, run in _emoji_runs(text):
        out.append(_emoji_markup(run) if run else _markup_text(piece, keep_lines, rtl))
    return "".join(out)


def _emoji_markup(run: list[str]) -> str:
    """Pictures of adjacent emoji, then the names not yet given: "[kitchen knife]"."""
    pictures: list[str] = []
    names: list[str] = []
    for seq in run:
        drawn = emoji.picture(seq) is not None
        if drawn:
            pictures.append(f'<img src="{emoji.SRC_PREFIX}{emoji.key_of(seq)}"/>')
        if emoji.needs_name(seq) or not drawn:
            name = emoji.everyday_name(seq)
            if name not in names:
                names.append(name)
    # A zero-width space between pictures lets a long row of emoji wrap.
    out = "\u200b".join(pictures)
    if names:
        out += (" " if pictures else "") + \
            f'<font color="#6b7280">[{escape(", ".join(names))}]</font>'
    return out


def _markup_text(text: str, keep_lines: bool, rtl: bool) -> str:
    clean = _plain_text(text)
    if not rtl:
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
