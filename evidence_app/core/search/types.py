"""What a search takes and gives: filters, hits and results (plain dataclasses)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from evidence_app.core.search.query import ParsedQuery

Span = tuple[int, int]


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search. Dates are local days in the case's time zone, both included;
    several tags, people or vehicles must all be linked."""

    date_from: date | None = None
    date_to: date | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    people: tuple[int, ...] = ()
    vehicles: tuple[int, ...] = ()
    has_exhibits: bool = False
    inbox_only: bool = False
    include_trash: bool = False
    # Incidents still to describe: a title that only says what the files are (as Group
    # by time suggests, "7 screenshots"), none at all, or the type left as Other.
    to_describe: bool = False

    @property
    def active(self) -> bool:
        """Whether any filter narrows the results (trash adds, so it does not count)."""
        return bool(self.date_from or self.date_to or self.categories or self.tags
                    or self.people or self.vehicles or self.has_exhibits or self.inbox_only
                    or self.to_describe)

    @property
    def incidents_only(self) -> bool:
        return bool(self.categories or self.tags or self.people or self.vehicles
                    or self.to_describe)


@dataclass
class SearchHit:
    """One result: an incident, an attachment standing alone (inbox or trash), or a
    message (core/search/messages.py)."""

    kind: str  # "incident" or "attachment"
    id: int
    title: str
    when: str
    snippet: str
    highlights: list[Span] = field(default_factory=list)
    field: str = ""  # where the snippet comes from: title, details, notes, ..., ocr
    incident_id: int | None = None  # shown in the timeline when opened
    attachment_id: int | None = None  # the exhibit whose text matched, if one did
    exhibit: str = ""
    occurred_at: datetime | None = None
    category: str = ""
    trashed: bool = False
    score: float = 0.0
    # A message hit ("message"): the conversation to open and the message's place in it.
    conversation_id: int | None = None
    message_index: int | None = None

    def marked_snippet(self, before: str = "[", after: str = "]") -> str:
        """The snippet with each match wrapped in `before`/`after`."""
        out, pos = [], 0
        for s, e in self.highlights:
            out += [self.snippet[pos:s], before, self.snippet[s:e], after]
            pos = e
        out.append(self.snippet[pos:])
        return "".join(out)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["occurred_at"] = self.occurred_at.isoformat() if self.occurred_at else None
        data["highlights"] = [list(h) for h in self.highlights]
        return data


@dataclass
class SearchResults:
    query: ParsedQuery
    hits: list[SearchHit]
    total: int
    message: str = ""
    more: bool = False  # `total` is a floor: there are more matches than it says
