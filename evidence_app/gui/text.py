"""Wording shared by the windows: local times and field names as a person reads them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

FIELD_NAMES = {
    "title": "title", "description": "what happened", "location": "location",
    "category": "type", "suspect_appearance": "appearance", "suspect_voice": "voice",
    "suspect_clothing": "clothing", "witnesses": "witnesses", "impact": "impact",
    "police_reference": "police reference", "police_officer": "officer",
    "reported_on": "date reported", "occurred_at": "date", "occurred_end": "end date",
    "precision": "date", "timezone": "time zone", "tags": "tags",
}


def local_time(at: datetime, tz: str) -> str:
    """'3 March 2025 at 14:02' in the given zone."""
    local = at.astimezone(ZoneInfo(tz))
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def long_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def field_list(names: list[str]) -> str:
    """'title, location and impact' from stored field names (date fields said once)."""
    words = list(dict.fromkeys(FIELD_NAMES.get(n, n.replace("_", " ")) for n in names))
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
