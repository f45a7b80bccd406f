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
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*\s*|[.!?\n]+\s*")
# Comparing word by word costs time with the square of the words that differ, so a long
# changed stretch is first lined up sentence by sentence (on sentences found once in each
# text), and only the stretches between those of up to _WORDS tokens are compared word by
# word; a longer one is shown as removed and added whole. Time stays about linear.
_WORDS = 1500

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
    raw += _middle(mid_a, mid_b)
    raw.append(("=", "".join(a[len(a) - end:])))
    return _tidy(raw)


def _middle(a: list[str], b: list[str]) -> list[Segment]:
    """The changes between two token lists that differ at both ends."""
    if not (a and b):
        return [("-", "".join(a)), ("+", "".join(b))]
    if len(a) + len(b) <= _WORDS:
        return _opcodes(a, b)
    sa, sb = _SENTENCE.findall("".join(a)), _SENTENCE.findall("".join(b))
    if len(sa) == 1 and len(sb) == 1:
        return [("-", "".join(a)), ("+", "".join(b))]
    out: list[Segment] = []
    i = j = 0
    for ai, bj in [*_anchors(sa, sb), (len(sa), len(sb))]:
        block_a, block_b = tokens("".join(sa[i:ai])), tokens("".join(sb[j:bj]))
        if block_a and block_b and len(block_a) + len(block_b) <= _WORDS:
            out += _opcodes(block_a, block_b)
        else:
            out += [("-", "".join(block_a)), ("+", "".join(block_b))]
        if ai < len(sa):
            out.append(("=", sa[ai]))
        i, j = ai + 1, bj + 1
    return out


def _anchors(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Sentences found once in each text, in the same order in both (the longest such
    run, as patience diff takes it): the fixed points the changes lie between. Takes
    O(n log n) time however many sentences changed."""
    count_a: dict[str, int] = {}
    for item in a:
        count_a[item] = count_a.get(item, 0) + 1
    where_b: dict[str, int] = {}
    count_b: dict[str, int] = {}
    for n, item in enumerate(b):
        count_b[item] = count_b.get(item, 0) + 1
        where_b[item] = n
    pairs = [(n, where_b[item]) for n, item in enumerate(a)
             if count_a[item] == 1 and count_b.get(item) == 1]
    # Longest increasing run of positions in b (patience sorting).
    tails: list[int] = []  # index into pairs of the smallest tail of each length
    back: list[int] = [-1] * len(pairs)
    for k, (_, bj) in enumerate(pairs):
        lo = _bisect_tails(pairs, tails, bj)
        if lo > 0:
            back[k] = tails[lo - 1]
        if lo == len(tails):
            tails.append(k)
        else:
            tails[lo] = k
    out: list[tuple[int, int]] = []
    k = tails[-1] if tails else -1
    while k >= 0:
        out.append(pairs[k])
        k = back[k]
    return out[::-1]


def _bisect_tails(pairs: list[tuple[int, int]], tails: list[int], value: int) -> int:
    lo, hi = 0, len(tails)
    while lo < hi:
        mid = (lo + hi) // 2
        if pairs[tails[mid]][1] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _opcodes(a: list[str], b: list[str]) -> list[Segment]:
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", "".join(a[i1:i2])))
        else:
            out += [("-", "".join(a[i1:i2])), ("+", "".join(b[j1:j2]))]
    return out


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
    return _slide(out)


def _edge(left: str, right: str) -> int:
    """How natural a change boundary between these two characters is (higher: better)."""
    if not left or not right:
        return 4
    if left == "\n" or right == "\n":
        return 4
    if left in ".!?" and right.isspace():
        return 3
    if left.isspace() and not right.isspace():
        return 3 if left == " " else 2
    if not left.isalnum() or not right.isalnum():
        return 1
    return 0


def _slide(segments: list[Segment]) -> list[Segment]:
    """Move each lone insertion or deletion along the unchanged text around it to where
    it starts and ends at word and sentence boundaries ("gate. [+ It was John. +]",
    not "gate [+ . It was John +]."): the same change, read as a person made it."""
    out = list(segments)
    for n in range(1, len(out)):
        kind, text = out[n]
        if kind == "=" or out[n - 1][0] != "=" or (n + 1 < len(out) and out[n + 1][0] != "="):
            continue
        before, after = out[n - 1][1], out[n + 1][1] if n + 1 < len(out) else ""
        best, best_score = (before, text, after), -1
        # Shifting left by k is possible while the change ends as `before` does.
        k = 0
        while k <= len(text) and k <= len(before):
            if k and before[-k] != text[-k]:
                break
            b, t, a = before[:len(before) - k], before[len(before) - k:] + text[:len(text) - k], \
                text[len(text) - k:] + after
            score = _edge(b[-1:], t[:1]) + _edge(t[-1:], a[:1])
            if score > best_score:
                best, best_score = (b, t, a), score
            k += 1
        k = 1
        while k <= len(text) and k <= len(after) and after[k - 1] == text[k - 1]:
            b, t, a = before + text[:k], text[k:] + after[:k], after[k:]
            score = _edge(b[-1:], t[:1]) + _edge(t[-1:], a[:1])
            if score > best_score:
                best, best_score = (b, t, a), score
            k += 1
        out[n - 1], out[n] = ("=", best[0]), (kind, best[1])
        if n + 1 < len(out):
            out[n + 1] = ("=", best[2])
        elif best[2]:
            out.append(("=", best[2]))
    return [seg for seg in out if seg[1]]


def _pending(removed: str, added: str) -> list[Segment]:
    return [s for s in (("-", removed), ("+", added)) if s[1]]  # type: ignore[misc]


def changed(segments: list[Segment]) -> bool:
    """True when the segments add or remove anything."""
    return any(kind != "=" for kind, _ in segments)


def _mark(kind: Kind, text: str) -> str:
    """One changed run in markup, its outer spaces kept outside the brackets."""
    if not text.strip():  # only space changed: nothing a reader could see
        return markup(text)
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
            gap = (" " if kind != "=" and part.strip() and not part[0].isspace()
                   and not _ends_space(current) else "")
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
