"""Wording shared by the windows: local times and field names as a person reads them."""

from __future__ import annotations

from datetime import date, datetime

from evidence_app.core.vocab import FIELD_LABELS


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
    words = list(dict.fromkeys(FIELD_LABELS.get(n, n.replace("_", " ")) for n in names))
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + sep + words[-1]


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
