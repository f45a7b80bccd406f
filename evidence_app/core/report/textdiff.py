"""A change to a text as a reader sees it on paper: the words added and removed.

Texts are compared word by word (difflib on words, spaces and punctuation). On the page
an insertion reads "[+ added words +]" (bold brackets, underlined words) and a deletion
"[- removed words -]" (struck through), so the change survives a black-and-white
photocopy and can be read aloud. Nothing is ever cut from the changed words; only the
unchanged words around them may be shortened to "..." where the full text is printed
elsewhere on the page.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

from evidence_app.core.report.fonts import markup

Kind = Literal["=", "+", "-"]
Segment = tuple[Kind, str]

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
# Above this many token pairs the middle of two texts is compared with difflib's
# heuristics; above _WHOLE tokens it is shown as replaced whole (time stays linear).
_EXACT = 4_000_000
_WHOLE = 60_000

INSERT_OPEN, INSERT_CLOSE = "[+ ", " +]"
DELETE_OPEN, DELETE_CLOSE = "[- ", " -]"
LEGEND = (f"Words added are shown <b>{INSERT_OPEN.strip()}</b> <u>underlined</u> "
          f"<b>{INSERT_CLOSE.strip()}</b>; words removed <b>{DELETE_OPEN.strip()}</b> "
          f"<strike>struck through</strike> <b>{DELETE_CLOSE.strip()}</b>.")


def tokens(text: str) -> list[str]:
    """Words, runs of space and single punctuation marks; joined they give `text`."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """The segments that turn `old` into `new`: ("=", kept), ("-", removed), ("+", added)."""
    a, b = tokens(old or ""), tokens(new or "")
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    mid_a, mid_b = a[start:len(a) - end], b[start:len(b) - end]
    raw: list[Segment] = [("=", "".join(a[:start]))]
    if len(mid_a) + len(mid_b) > _WHOLE or not (mid_a and mid_b):
        raw += [("-", "".join(mid_a)), ("+", "".join(mid_b))]
    else:
        matcher = SequenceMatcher(None, mid_a, mid_b,
                                  autojunk=len(mid_a) * len(mid_b) > _EXACT)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                raw.append(("=", "".join(mid_a[i1:i2])))
            else:
                raw += [("-", "".join(mid_a[i1:i2])), ("+", "".join(mid_b[j1:j2]))]
    raw.append(("=", "".join(a[len(a) - end:])))
    return _tidy(raw)


def _tidy(raw: list[Segment]) -> list[Segment]:
    """Drop empty pieces and fold a lone space between two changes into both sides, so
    that "a b" -> "x y" reads as one change, not two."""
    out: list[Segment] = []
    removed, added = "", ""
    live = [s for s in raw if s[1]]
    for n, (kind, text) in enumerate(live):
        if kind == "-":
            removed += text
        elif kind == "+":
            added += text
        elif (removed or added) and not text.strip() and n + 1 < len(live):
            removed += text
            added += text
        else:
            out += _pending(removed, added)
            removed = added = ""
            out.append(("=", text))
    out += _pending(removed, added)
    return out


def _pending(removed: str, added: str) -> list[Segment]:
    """A change; a side that folding left holding only space is plain space."""
    out: list[Segment] = []
    for kind, text in (("-", removed), ("+", added)):
        if text.strip():
            out.append((kind, text))  # type: ignore[arg-type]
        elif text and not any(k == "=" for k, _ in out):
            out.append(("=", text))
    return out


def changed(segments: list[Segment]) -> bool:
    """True when the segments add or remove anything."""
    return any(kind != "=" for kind, _ in segments)


def _mark(kind: Kind, text: str) -> str:
    """One changed run in markup, its outer spaces kept outside the brackets."""
    lead = text[:len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    body = markup(text.strip())
    if kind == "+":
        inner = f"<b>{INSERT_OPEN.strip()}</b> <u><b>{body}</b></u> <b>{INSERT_CLOSE.strip()}</b>"
    else:
        inner = f"<b>{DELETE_OPEN.strip()}</b> <strike>{body}</strike> <b>{DELETE_CLOSE.strip()}</b>"
    return markup(lead) + inner + markup(trail)


def _shorten(text: str, words: int, first: bool, last: bool) -> str:
    """Unchanged text with only `words` words kept next to each change."""
    parts = tokens(text)
    count = sum(1 for t in parts if t.strip())
    if count <= 2 * words + 2:
        return text
    kept_head, kept_tail = [], []
    if not first:
        seen = 0
        for t in parts:
            if t.strip():
                seen += 1
                if seen > words:
                    break
            kept_head.append(t)
    if not last:
        seen = 0
        for t in reversed(parts):
            if t.strip():
                seen += 1
                if seen > words:
                    break
            kept_tail.append(t)
        kept_tail.reverse()
    return "".join(kept_head).rstrip() + " \u2026 " + "".join(kept_tail).lstrip()


def diff_markup(segments: list[Segment], context: int | None = None,
                size: int | None = None) -> list[str]:
    """The change as paragraph markup: every added and removed word, and the unchanged
    text in full (context None) or `context` words each side of a change. With `size`,
    cut into pieces of about that many characters (a long text splits across pages)."""
    pieces: list[str] = []
    current: list[str] = []
    length = 0
    for n, (kind, text) in enumerate(segments):
        if kind == "=" and context is not None:
            text = _shorten(text, context, n == 0, n == len(segments) - 1)
        for part in _split(text, size):
            if size is not None and length and length + len(part) > size:
                pieces.append("".join(current))
                current, length = [], 0
            # A bracket never touches the word before it ("home [+ , Acacia +]").
            gap = " " if kind != "=" and not _ends_space(current) else ""
            current.append(markup(part) if kind == "=" else gap + _mark(kind, part))
            length += len(part)
    if current or not pieces:
        pieces.append("".join(current))
    return pieces


def _ends_space(current: list[str]) -> bool:
    """True when the markup so far ends with a space or a line break (or is empty)."""
    return not current or current[-1].endswith((" ", "<br/>", "\n"))


def _split(text: str, size: int | None) -> list[str]:
    """`text` in runs of at most about `size` characters, cut after a space."""
    if size is None or len(text) <= size:
        return [text]
    out = []
    rest = text
    while len(rest) > size:
        cut = rest.rfind(" ", size // 2, size)
        cut = size if cut < 0 else cut + 1
        out.append(rest[:cut])
        rest = rest[cut:]
    out.append(rest)
    return [p for p in out if p]
