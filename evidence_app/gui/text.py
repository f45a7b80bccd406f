"""Wording shared by the windows: local times and field names as a person reads them."""

from __future__ import annotations

from datetime import date, datetime

# The same words the report uses for changed fields (core/report/formatting.py).
FIELD_NAMES = {
    "title": "title", "description": "what happened", "location": "location",
    "category": "category", "suspect_appearance": "suspect's appearance",
    "suspect_voice": "suspect's voice", "suspect_clothing": "suspect's clothing",
    "witnesses": "witnesses", "impact": "effect on me", "police_reference": "police reference",
    "police_officer": "officer", "reported_on": "date reported", "occurred_at": "date and time",
    "occurred_end": "end of period", "precision": "date precision", "timezone": "time zone",
    "tags": "tags",
}


def local_time(at: datetime, tz: str) -> str:
    """'3 March 2025 at 14:02' in the given zone."""
    from zoneinfo import ZoneInfo

    local = at.astimezone(ZoneInfo(tz))
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def report_time(at: datetime, tz: str) -> str:
    """'3 Mar 2025, 14:30 GMT', as the report prints recording and amendment times."""
    from zoneinfo import ZoneInfo

    local = at.astimezone(ZoneInfo(tz))
    return f"{local.day} {local:%b %Y}, {local:%H:%M} {local:%Z}".rstrip()


def long_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def field_list(names: list[str], sep: str = " and ") -> str:
    """'title, location and effect on me' from stored field names."""
    words = list(dict.fromkeys(FIELD_NAMES.get(n, n.replace("_", " ")) for n in names))
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + sep + words[-1]


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
