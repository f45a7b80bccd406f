"""Snippets with highlighted matches, and finding matches in any text (for the editor
and viewer to highlight what a search found).

Made here rather than with FTS5's `snippet()`: for a page of hits it is as quick, it
works whatever the order of results, it says which part of the record matched, and it
shows a plate where it is written (typed `12 CD`, written `AB12 CDE`) rather than the
index's plate fragments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from evidence_app.core.search.query import ParsedQuery
from evidence_app.core.search.text import fold, plate_key

ELLIPSIS = "\u2026"
Span = tuple[int, int]


LINE = " \u00b7 "  # a line break shown inside a one-line snippet


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


_W = "[^\\W_]"
_WORDISH = re.compile("[^\\W_]|[\u0300-\u036f]")


def _word_char(ch: str) -> bool:
    return _WORDISH.match(ch) is not None
_PATTERNS: dict[tuple[tuple[str, ...], bool], re.Pattern[str]] = {}


def _pattern(seq: tuple[str, ...], prefix: bool) -> re.Pattern[str]:
    """A regex over folded text for a word sequence (words apart by anything else)."""
    key = (seq, prefix)
    pattern = _PATTERNS.get(key)
    if pattern is None:
        body = "[\\W_]+".join(re.escape(w) for w in seq)
        tail = f"(?:{_W}|[\u0300-\u036f])*" if prefix else ""
        # Starts with the literal word so the regex engine can jump to it; the word
        # boundary before it is checked by the caller (a look-behind here is slow).
        pattern = re.compile(f"{body}{tail}(?![^\\W_\u0300-\u036f])")
        if len(_PATTERNS) > 500:
            _PATTERNS.clear()
        _PATTERNS[key] = pattern
    return pattern


def _plate_matches(text: str, fragments: Sequence[str]) -> list[Span]:
    """Runs of one to three words whose letters and digits contain a plate fragment."""
    if not fragments:
        return []
    frags = [f.upper() for f in fragments]
    upper = text.upper()
    if not any(ch in upper for f in frags for ch in f[:1]):
        return []
    ws = [(m.start(), m.end()) for m in re.finditer("[A-Za-z0-9]+", text)]
    spans = []
    for i in range(len(ws)):
        for size in (1, 2, 3):
            if i + size > len(ws):
                break
            key = plate_key(text[ws[i][0]:ws[i + size - 1][1]])
            if len(key) > 10:
                break
            if any(f in key for f in frags):
                spans.append((ws[i][0], ws[i + size - 1][1]))
                break
    # "Reg AB12 CDE" holds the fragment only because "AB12 CDE" does: keep the smallest.
    return [a for a in spans if not any(b != a and a[0] <= b[0] and b[1] <= a[1] for b in spans)]


def find_matches(text: str, query: ParsedQuery) -> list[Span]:
    """Where in `text` the query's words, phrases and plate fragments occur
    (accents and case ignored, as the index ignores them)."""
    if not text or query.empty:
        return []
    folded = fold(text)
    spans: list[Span] = []
    for seq, prefix in query.highlight:
        if seq[0] in folded:
            spans.extend(m.span() for m in _pattern(seq, prefix).finditer(folded)
                         if m.start() == 0 or not _word_char(folded[m.start() - 1]))
    spans.extend(_plate_matches(text, query.plate_fragments))
    return _merge(spans)


_BREAK = re.compile(r"\s*[\n\r]\s*")
_SPACES = re.compile(r"\s+")


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", _BREAK.sub(LINE, text))


def excerpt(text: str, spans: list[Span], width: int = 160) -> tuple[str, list[Span]]:
    """A window of about `width` characters around the first span, cut between words,
    with line breaks shown as a dot and runs of white space as one space."""
    if spans:
        first_s, first_e = spans[0]
        start = max(0, first_s - width // 3)
        end = min(len(text), max(start + width, first_e))
    else:
        first_s = first_e = 0
        start, end = 0, min(len(text), width)
    if start > 0 and not text[start - 1].isspace():
        space = text.find(" ", start, first_s)
        start = space + 1 if space >= 0 else start
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", first_e, end)
        end = space if space > 0 else end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    lead = ELLIPSIS + " " if text[:start].strip() else ""
    tail = " " + ELLIPSIS if text[end:].strip() else ""
    body = _one_line(text[start:end])
    kept = []
    for s, e in spans:
        if s >= start and e <= end:
            at = len(lead) + len(_one_line(text[start:s]))
            kept.append((at, at + len(_one_line(text[s:e]))))
    return lead + body + tail, kept


def make_snippet(texts: Sequence[str], query: ParsedQuery, width: int = 160,
                 ) -> tuple[int, str, list[Span]]:
    """The best (column index, snippet, spans) among `texts`: the one with most matches."""
    best: tuple[int, str, list[Span]] = (-1, "", [])
    best_count = 0
    for index, text in enumerate(texts):
        spans = find_matches(text, query)
        if len(spans) > best_count:
            best_count = len(spans)
            snippet, kept = excerpt(text, spans, width)
            best = (index, snippet, kept)
    return best


def first_text(texts: Sequence[str], width: int = 160) -> str:
    """The opening of the first non-empty text (for results found without words)."""
    for text in texts:
        if text.strip():
            return excerpt(text, [], width)[0]
    return ""
