"""Text as the search index sees it: words, accent- and case-folding, number plates.

The index uses SQLite's `unicode61` tokenizer with `remove_diacritics 2`; the helpers
here mirror it in Python so the query parser, the plate n-grams and the highlighting of
matches in the GUI all agree with what the index matched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


def is_word_start(ch: str) -> bool:
    """True for characters that make a word for the index (letters, digits, private use)."""
    cat = unicodedata.category(ch)
    return cat[0] in ("L", "N") or cat == "Co"


_FOLD: dict[int, str] = {}
_COMBINING = re.compile("[\u0300-\u036f]")
# A word: a letter or digit, then letters, digits and accents written apart.
WORD_RE = re.compile("[^\\W_](?:[^\\W_]|[\u0300-\u036f])*")


def _fold_char(ch: str) -> str:
    low = unicodedata.normalize("NFD", ch.lower())
    base = "".join(c for c in low if not unicodedata.combining(c))
    return base[0] if base else ch


def fold(text: str) -> str:
    """Lower case without accents, one character for one (`Café` -> `cafe`), so
    positions in the folded text are positions in the original."""
    if text.isascii():
        return text.lower()
    for code in set(map(ord, set(text))) - _FOLD.keys():
        _FOLD[code] = _fold_char(chr(code))
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Word:
    """One word of a text: where it is and its folded form."""

    start: int
    end: int
    folded: str


def words(text: str) -> Iterator[Word]:
    """The words of `text` with their positions, split as the index splits them."""
    folded = fold(text)
    for m in WORD_RE.finditer(folded):
        yield Word(m.start(), m.end(), _COMBINING.sub("", m.group()))


def has_words(text: str) -> bool:
    """Whether the index would find any word in `text` (one letter, digit or private-use
    character is enough; everything else the index skips)."""
    return any(is_word_start(ch) for ch in text)


# --------------------------------------------------------------------------- plates
# UK formats written with an optional space: current (AB12 CDE), prefix (A123 BCD) and
# suffix (ABC 123D). Matched in upper case only, so ordinary prose ("is 12 the") is not
# taken for a plate. A single run of 5-8 letters and digits mixing at least two of each
# (ab12cde, LX65ABC) also counts, in any case: people type plates without the space.
_PLATE_PATTERNS = (
    re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}[ -]?[A-Z]{3}(?![A-Za-z0-9])"),
    re.compile(r"(?<![A-Za-z0-9])[A-Z][0-9]{1,3}[ -]?[A-Z]{3}(?![A-Za-z0-9])"),
    re.compile(r"(?<![A-Za-z0-9])[A-Z]{3}[ -]?[0-9]{1,3}[A-Z](?![A-Za-z0-9])"),
)
# (The lookahead asks for a digit at once: ordinary words, most of any text, are passed
# over inside the regex instead of each being checked by `_mixed`.)
_RUN = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z]*[0-9])[A-Za-z0-9]{5,8}(?![A-Za-z0-9])")
# No plate has four letters or five digits in a row ("astra12" is not part of a plate).
_LONG_RUN = re.compile(r"[a-z]{4}|[0-9]{5}")
MIN_FRAGMENT = 3  # a plate fragment shorter than this would match too much
MAX_PLATE = 10


def plate_key(text: str) -> str:
    """Letters and digits only, upper case: `ab12 cde` -> `AB12CDE`."""
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def _mixed(key: str, least: int) -> bool:
    digits = sum(ch.isdigit() for ch in key)
    return digits >= least and len(key) - digits >= least


def plate_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, key) of everything in free text that reads as a number plate."""
    seen: set[tuple[int, int]] = set()
    for pattern in _PLATE_PATTERNS:
        for m in pattern.finditer(text):
            seen.add((m.start(), m.end()))
            yield m.start(), m.end(), plate_key(m.group())
    for m in _RUN.finditer(text):
        if (m.start(), m.end()) not in seen and _mixed(m.group(), 2):
            yield m.start(), m.end(), m.group().upper()


def plate_keys(texts: Iterable[str], known: Iterable[str] = ()) -> list[str]:
    """Distinct plate keys: those of vehicle records (`known`) and those found in text."""
    keys: dict[str, None] = {}
    for plate in known:
        key = plate_key(plate)
        if len(key) >= MIN_FRAGMENT:
            keys[key[:MAX_PLATE]] = None
    for text in texts:
        for _s, _e, key in plate_spans(text):
            keys[key[:MAX_PLATE]] = None
    return list(keys)


def plate_ngrams(keys: Iterable[str]) -> str:
    """Every fragment (3 characters or more) of each plate, as words for the index.

    `AB12CDE` gives `ab1 ab12 ... b12 ... 12cd ... cde`, so typing any part of a plate,
    with or without its space, finds it with an ordinary word match.
    """
    grams: dict[str, None] = {}
    for key in keys:
        low = key.lower()
        for size in range(MIN_FRAGMENT, len(low) + 1):
            for start in range(len(low) - size + 1):
                grams[low[start:start + size]] = None
    return " ".join(grams)


def plate_fragment(parts: Iterable[str]) -> str | None:
    """The plate fragment that words typed together spell, if they can be one.

    `["12", "CD"]` -> `12cd`; needs letters and digits, 3 to 10 characters, and no
    longer runs of letters or digits than a plate has.
    """
    key = plate_key("".join(parts)).lower()
    if MIN_FRAGMENT <= len(key) <= MAX_PLATE and _mixed(key, 1) and not _LONG_RUN.search(key):
        return key
    return None
