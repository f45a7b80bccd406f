"""Snippets with highlighted matches, and finding matches in any text (for the editor
and viewer to highlight what a search found).

FTS5's `snippet()` marks matches with the two control characters below; `split_marked`
turns that into plain text plus (start, end) spans. Where the index matched only the
plate fragments (typed `12 CD`, written `AB12 CDE`), the snippet is made here instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from evidence_app.core.search_query import ParsedQuery
from evidence_app.core.search_text import Word, plate_key, words

START, END = "\x02", "\x03"
ELLIPSIS = "\u2026"
Span = tuple[int, int]


def split_marked(marked: str) -> tuple[str, list[Span]]:
    """Text with START/END markers -> (plain text on one line, highlighted spans)."""
    out: list[str] = []
    spans: list[Span] = []
    begin = -1
    for ch in marked:
        if ch == START:
            begin = len(out)
        elif ch == END:
            if begin >= 0 and len(out) > begin:
                spans.append((begin, len(out)))
            begin = -1
        elif ch.isspace():
            _space(out, ch)
        else:
            out.append(ch)
    return "".join(out).rstrip(" \u00b7"), spans


LINE = " \u00b7 "  # a line break shown inside a one-line snippet


def _space(out: list[str], ch: str) -> None:
    """Append white space to `out`, one space per run, a dot where a line broke."""
    if not out:
        return
    if ch in "\n\r":
        if out[-1] == " " and (len(out) < 2 or out[-2] != "\u00b7"):
            out.pop()
        if out[-1] != " ":
            out.extend(LINE)
    elif out[-1] != " ":
        out.append(" ")


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _word_matches(ws: Sequence[Word], seq: tuple[str, ...], prefix: bool) -> list[Span]:
    spans = []
    n = len(seq)
    for i in range(len(ws) - n + 1):
        ok = True
        for k, want in enumerate(seq):
            got = ws[i + k].folded
            last = k == n - 1
            if not (got == want or (last and prefix and got.startswith(want))):
                ok = False
                break
        if ok:
            spans.append((ws[i].start, ws[i + n - 1].end))
    return spans


def _plate_matches(text: str, ws: Sequence[Word], fragments: Sequence[str]) -> list[Span]:
    """Runs of one to three words whose letters and digits contain a plate fragment."""
    if not fragments:
        return []
    frags = [f.upper() for f in fragments]
    spans = []
    for i in range(len(ws)):
        for size in (1, 2, 3):
            if i + size > len(ws):
                break
            key = plate_key(text[ws[i].start:ws[i + size - 1].end])
            if len(key) > 10:
                break
            if any(f in key for f in frags):
                spans.append((ws[i].start, ws[i + size - 1].end))
                break
    # "Reg AB12 CDE" holds the fragment only because "AB12 CDE" does: keep the smallest.
    return [a for a in spans if not any(b != a and a[0] <= b[0] and b[1] <= a[1] for b in spans)]


def find_matches(text: str, query: ParsedQuery) -> list[Span]:
    """Where in `text` the query's words, phrases and plate fragments occur
    (accents and case ignored, as the index ignores them)."""
    if not text or query.empty:
        return []
    ws = list(words(text))
    spans: list[Span] = []
    for seq, prefix in query.highlight:
        spans.extend(_word_matches(ws, seq, prefix))
    spans.extend(_plate_matches(text, ws, query.plate_fragments))
    return _merge(spans)


def excerpt(text: str, spans: list[Span], width: int = 160) -> tuple[str, list[Span]]:
    """A window of about `width` characters around the first span, cut between words,
    with runs of white space (line breaks too) shown as one space."""
    if spans:
        first_s, first_e = spans[0]
        start = max(0, first_s - width // 3)
        end = min(len(text), max(start + width, first_e))
    else:
        first_s = first_e = 0
        start, end = 0, min(len(text), width)
    if start > 0 and not text[start - 1].isspace():
        cut = next((i + 1 for i in range(start, first_s) if text[i].isspace()), start)
        start = cut
    if end < len(text) and not text[end].isspace():
        cut = next((i for i in range(end - 1, first_e, -1) if text[i].isspace()), end)
        end = cut
    out: list[str] = []
    where: dict[int, int] = {}
    for i in range(start, end):
        ch = text[i]
        if ch.isspace():
            _space(out, ch)
        else:
            where[i] = len(out)
            out.append(ch)
    body = "".join(out).rstrip(" \u00b7")
    lead = ELLIPSIS + " " if start > 0 and body else ""
    tail = " " + ELLIPSIS if end < len(text) and body else ""
    kept = [(where[s] + len(lead), where[e - 1] + 1 + len(lead)) for s, e in spans
            if s >= start and e <= end and s in where and e - 1 in where]
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
