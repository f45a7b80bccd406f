"""Emoji as they were sent: small colour pictures in the text, named in everyday words.

A threat sent as "😡🔪" must read on paper as it did on the phone. Each emoji sequence
(one character, or several joined: skin tones, zero-width-joiner families and
professions, flags, keycaps, variation selectors) is shaped with HarfBuzz against the
bundled Noto Color Emoji font, whose glyphs are PNG pictures; Pillow scales the picture
to `PIXELS` high and reportlab places it in the line like a letter (see
`paragraph.ScriptParagraph`). The first time an emoji appears in an incident (or every
time, outside incidents) its everyday English name from CLDR follows it in grey,
"[kitchen knife]", so the report can be searched and read aloud; Unicode's internal
names ("hocho") are never used.

Characters that are text by default (☺, ✔, ©, ❤ without the emoji selector) stay text
drawn by the report fonts, as a phone shows them; a sequence the font has no picture
for (an emoji newer than the font) is written as its name alone.
"""

from __future__ import annotations

import contextvars
import io
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

import emoji as emoji_data
import uharfbuzz
from PIL import Image
from reportlab.lib.utils import ImageReader

FONT_FILE = Path(__file__).resolve().parent.parent.parent / "resources" / "fonts" / \
    "NotoColorEmoji.ttf"
# Pictures are stored this many pixels high: a 10 pt emoji prints at about 450 dpi.
PIXELS = 64
# The picture's height and how far it sits below the baseline, in ems of the text.
HEIGHT_EM = 1.05
DESCENT_EM = 0.17
# How a picture is written in paragraph markup (the parser in paragraph.py reads it).
SRC_PREFIX = "emoji:"

_FE0F = "\ufe0f"
_FE0E = "\ufe0e"
_KEYCAP = "\u20e3"
_ZWJ = "\u200d"
_FULLY_QUALIFIED = emoji_data.STATUS["fully_qualified"]
_TONE = re.compile(r" ((?:light|medium-light|medium|medium-dark|dark) skin tone)$")
# Text that may hold an emoji: anything from General Punctuation up (the emoji
# package's search is only run on such text).
_MAYBE = re.compile("[\u2000-\U0010ffff]")


@dataclass(frozen=True)
class Picture:
    """One emoji sequence drawn: its picture for reportlab and its width per height."""

    reader: ImageReader
    aspect: float


def find(text: str, has_text_glyph: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """(start, end, sequence) of each emoji in `text` that is shown as a picture.

    `has_text_glyph(ch)` tells whether a report font draws a character as text: such a
    character alone, without the emoji selector, stays text (its default presentation).
    """
    if not _MAYBE.search(text):
        return []
    out = []
    for match in emoji_data.emoji_list(text):
        seq = match["emoji"]
        start, end = match["match_start"], match["match_end"]
        as_text = (end < len(text) and text[end] == _FE0E) or _FE0E in seq
        drawable = all(ch in (_FE0E, _FE0F) or (ord(ch) <= 0xFFFF and has_text_glyph(ch))
                       for ch in seq)
        if as_text and drawable:
            continue  # text presentation asked for, and the text fonts can give it
        if len(seq) == 1 and drawable:
            data = emoji_data.EMOJI_DATA.get(seq)
            if data is None or data.get("status") != _FULLY_QUALIFIED:
                continue  # text by default (☺, ❤, ©): keep the report font's glyph
        out.append((start, end, seq))
    return out


def maybe_emoji(ch: str) -> bool:
    """True for a character that is an emoji by itself (with or without a selector) in
    the CLDR data. Longer sequences all hold a joiner, selector, keycap, modifier, tag
    or regional indicator besides."""
    return ch in _single_emoji()


@cache
def _single_emoji() -> frozenset[str]:
    return frozenset(seq[0] for seq in emoji_data.EMOJI_DATA
                     if len(seq.replace(_FE0F, "").replace(_FE0E, "")) == 1)


def known(seq: str) -> bool:
    """True for a sequence the CLDR emoji data names."""
    return seq in emoji_data.EMOJI_DATA or seq + _FE0F in emoji_data.EMOJI_DATA


def everyday_name(seq: str) -> str:
    """The CLDR short name of an emoji sequence: "kitchen knife", "flag: United Kingdom"."""
    data = (emoji_data.EMOJI_DATA.get(seq) or emoji_data.EMOJI_DATA.get(seq + _FE0F)
            or emoji_data.EMOJI_DATA.get(seq.replace(_FE0F, "")))
    if data is None:
        return "emoji " + " ".join(f"U+{ord(ch):04X}" for ch in seq
                                   if ch not in (_FE0F, _ZWJ))
    name = data["en"].strip(":").replace("_", " ")
    if _KEYCAP in seq:
        return f"keycap: {seq[0]}"
    if _is_flag(seq):
        return f"flag: {name}"
    return _TONE.sub(r": \1", name)


def _is_flag(seq: str) -> bool:
    first = ord(seq[0])
    return 0x1F1E6 <= first <= 0x1F1FF or (first == 0x1F3F4 and len(seq) > 2
                                           and 0xE0020 <= ord(seq[1]) <= 0xE007F)


def key_of(seq: str) -> str:
    """The sequence as hex code points, as written in paragraph markup."""
    return "-".join(f"{ord(ch):x}" for ch in seq)


def seq_of(key: str) -> str:
    return "".join(chr(int(part, 16)) for part in key.split("-"))


_lock = threading.Lock()
_font: uharfbuzz.Font | None = None
_pictures: dict[str, Picture | None] = {}


def _hb_font() -> uharfbuzz.Font:
    global _font
    if _font is None:
        if not FONT_FILE.is_file():
            raise FileNotFoundError(
                f"the report font {FONT_FILE} is missing from the installation")
        _font = uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(FONT_FILE))))
    return _font


def picture(seq: str) -> Picture | None:
    """The picture of an emoji sequence, or None when the font has none for it."""
    with _lock:
        if seq in _pictures:
            return _pictures[seq]
        found = _draw(seq)
        if len(_pictures) > 5000:
            _pictures.clear()
        _pictures[seq] = found
        return found


def _draw(seq: str) -> Picture | None:
    font = _hb_font()
    buf = uharfbuzz.Buffer()
    buf.add_str(seq)
    buf.guess_segment_properties()
    uharfbuzz.shape(font, buf, {})
    parts: list[Image.Image] = []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        if info.codepoint == 0:
            return None  # a sequence newer than the font: named, not drawn
        if pos.x_advance == 0:
            continue
        blob = font.get_glyph_color_png(info.codepoint)
        if blob is None or not blob.data:
            return None
        with Image.open(io.BytesIO(blob.data)) as png:
            parts.append(png.convert("RGBA"))
    if not parts:
        return None
    # A sequence the font draws as several glyphs (say a family newer than the font
    # split into its people) is shown as those glyphs side by side.
    height = max(p.height for p in parts)
    joined = Image.new("RGBA", (sum(p.width for p in parts), height), (255, 255, 255, 0))
    x = 0
    for part in parts:
        joined.paste(part, (x, height - part.height))
        x += part.width
    width = max(1, round(joined.width * PIXELS / joined.height))
    small = joined.resize((width, PIXELS), Image.Resampling.LANCZOS)
    return Picture(ImageReader(small), width / PIXELS)


def picture_for_key(key: str) -> Picture | None:
    try:
        seq = seq_of(key)
    except ValueError:
        return None
    return picture(seq)


# Names already given in the current incident block (None: name every emoji).
_named: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "emoji_named", default=None)


def needs_name(seq: str) -> bool:
    """True the first time `seq` appears in the current block (always, outside one)."""
    seen = _named.get()
    if seen is None:
        return True
    if seq in seen:
        return False
    seen.add(seq)
    return True


@contextmanager
def names_once() -> Iterator[None]:
    """Within this block each emoji is named on its first appearance only."""
    token = _named.set(set())
    try:
        yield
    finally:
        _named.reset(token)


P = ParamSpec("P")
R = TypeVar("R")


def naming_once(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator: the paragraphs `func` builds name each emoji once (an incident block)."""
    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with names_once():
            return func(*args, **kwargs)
    return wrapper

