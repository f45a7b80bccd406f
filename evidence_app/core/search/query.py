"""The query language a person can type without knowing one, turned into safe FTS5.

- plain words: all must match, in any order (accents and case ignored by the index);
- "quoted phrases" (straight or curly quotes); an unclosed quote runs to the end;
- `-word` or `-"a phrase"` leaves out what contains it;
- `OR` between two words or phrases accepts either; `AND` between two is allowed;
- the last word is matched as a prefix while typing (`ast` finds `Astra`);
- words typed together that spell part of a number plate (`12 CD`, `ab12 cde`) also
  match the plate wherever it is written, with or without its space.

Everything else (stray quotes, brackets, `*`, `NEAR(`, `AND` alone, apostrophes,
hyphens, emoji) is text: every piece reaches FTS5 inside a quoted string, so no input
can be an FTS5 syntax error. Pieces with no letters or digits are dropped, since the
index holds no such words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from evidence_app.core.search.text import (
    MIN_FRAGMENT,
    has_words,
    plate_fragment,
    plate_key,
    words,
)

OPEN_QUOTES = '"\u201c\u201e'
CLOSE_QUOTES = '"\u201d\u201c'
MIN_PREFIX = 2  # one typed letter would match most of the vocabulary
PLATE_COLUMN = "plates"


@dataclass(frozen=True)
class Term:
    """One word or phrase as typed (quotes and leading `-` removed)."""

    text: str
    phrase: bool = False
    prefix: bool = False
    exclude: bool = False

    @property
    def folded_words(self) -> list[str]:
        return [w.folded for w in words(self.text)]

    def fts(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + " *" if self.prefix else quoted


@dataclass
class Clause:
    """Terms any one of which may match (typed with OR), and plate fragments."""

    terms: list[Term]
    plates: list[str] = field(default_factory=list)

    def fts(self) -> str:
        parts = [t.fts() for t in self.terms]
        parts += [f'{PLATE_COLUMN} : "{p}"' for p in self.plates]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


@dataclass
class ParsedQuery:
    """What was understood; `match` and `exclude` are FTS5 expressions (or None)."""

    raw: str
    clauses: list[Clause]
    excluded: list[Term]

    @property
    def empty(self) -> bool:
        """Nothing to search for: the query has no words at all."""
        return not self.clauses and not self.excluded

    @property
    def blank(self) -> bool:
        """Nothing was typed (only spaces)."""
        return not self.raw.strip()

    @property
    def match(self) -> str | None:
        """FTS5 expression every result must match, or None with no positive terms."""
        if not self.clauses:
            return None
        return " AND ".join(c.fts() for c in self.clauses)

    @property
    def exclude(self) -> str | None:
        """FTS5 expression no result may match, or None."""
        if not self.excluded:
            return None
        return " OR ".join(t.fts() for t in self.excluded)

    @property
    def fts(self) -> str | None:
        """The whole query as one FTS5 expression (None if it has no positive terms)."""
        match = self.match
        if match is None:
            return None
        return match + "".join(f" NOT {t.fts()}" for t in self.excluded)

    @cached_property
    def highlight(self) -> list[tuple[tuple[str, ...], bool]]:
        """Folded word sequences to highlight, each with whether its last word is a prefix."""
        out = []
        for clause in self.clauses:
            for term in clause.terms:
                seq = tuple(term.folded_words)
                if seq:
                    out.append((seq, term.prefix))
        return out

    @cached_property
    def plate_fragments(self) -> list[str]:
        """Plate fragments the words spell, including single words such as `ab12cde`
        (which the index matches through its plate fragments column)."""
        found = {p for c in self.clauses for p in c.plates}
        for clause in self.clauses:
            for term in clause.terms:
                key = plate_key(term.text).lower()
                if any(ch.isdigit() for ch in key) and (
                        len(key) >= MIN_FRAGMENT or (term.prefix and len(key) >= MIN_PREFIX)):
                    found.add(key)
        return sorted(found)


_OR, _AND = "OR", "AND"


def _lex(text: str) -> tuple[list[Term | str], bool]:
    """Split into terms and operator words; also whether the text ends inside a term."""
    items: list[Term | str] = []
    i, n = 0, len(text)
    open_end = False
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        exclude = False
        if text[i] == "-" and i + 1 < n and not text[i + 1].isspace():
            exclude = True
            i += 1
        if text[i] in OPEN_QUOTES:
            j = i + 1
            while j < n and text[j] not in CLOSE_QUOTES:
                j += 1
            closed = j < n
            items.append(Term(text[i + 1:j], phrase=True, exclude=exclude))
            open_end = not closed
            i = j + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in OPEN_QUOTES:
            j += 1
        word = text[i:j]
        items.append(word if word in (_OR, _AND) and not exclude else
                     Term(word, exclude=exclude))
        open_end = j >= n
        i = j
    return items, open_end


def parse_query(text: str, prefix_last: bool = True) -> ParsedQuery:
    """Understand what a person typed. Never raises; see the module docstring."""
    raw = text if isinstance(text, str) else str(text)
    raw = raw.replace("\x00", " ")
    items, open_end = _lex(raw)
    items = [it for it in items if isinstance(it, str) or has_words(it.text)]
    # Operators only between two positive terms; elsewhere AND/OR are the words themselves
    # (a dangling one at the end, while the person is still typing, is ignored).
    cleaned: list[Term | str] = []
    for k, it in enumerate(items):
        if isinstance(it, str):
            before = bool(cleaned) and isinstance(cleaned[-1], Term) and not cleaned[-1].exclude
            rest = items[k + 1:]
            after = bool(rest) and isinstance(rest[0], Term) and not rest[0].exclude
            if before and after:
                cleaned.append(it)
            elif not before:
                cleaned.append(Term(it))
            # else: dangling operator after a term: ignore
        else:
            cleaned.append(it)
    if prefix_last and open_end and items and cleaned and items[-1] is cleaned[-1]:
        last = cleaned[-1]
        assert isinstance(last, Term)
        tail = last.folded_words
        if not last.exclude and tail and len(tail[-1]) >= MIN_PREFIX:
            cleaned[-1] = Term(last.text, last.phrase, True, False)
    clauses: list[Clause] = []
    excluded: list[Term] = []
    join_next = False
    for it in cleaned:
        if it == _OR:
            join_next = True
            continue
        if it == _AND:
            continue
        assert isinstance(it, Term)
        if it.exclude:
            excluded.append(it)
        elif join_next and clauses:
            clauses[-1].terms.append(it)
        else:
            clauses.append(Clause([it]))
        join_next = False
    _add_plates(clauses)
    return ParsedQuery(raw, clauses, excluded)


def _add_plates(clauses: list[Clause]) -> None:
    """Let neighbouring single-term clauses together match part of a number plate."""
    simple = [len(c.terms) == 1 for c in clauses]
    for size in (1, 2, 3):
        for start in range(len(clauses) - size + 1):
            group = clauses[start:start + size]
            if not all(simple[start:start + size]):
                continue
            terms = [c.terms[0] for c in group]
            if size > 1 and any(t.phrase for t in terms):
                continue
            if size == 1 and len(terms[0].folded_words) < 2:
                continue  # one word: the index's plate fragments already match it
            fragment = plate_fragment(t.text for t in terms)
            if fragment is None:
                continue
            for clause in group:
                if fragment not in clause.plates:
                    clause.plates.append(fragment)

