"""A conversation held in memory, shaped like the rows core hands the conversation view.

The GUI tests drive the view with it; it stands in for core's message queries only in
tests (the app itself reads conversations through `gui/conversation_data.py`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from evidence_app.gui.models.conversation import MessageRow, MessageSource
from evidence_app.gui.widgets.day_chart import DayCount

LINES = [
    "where are you", "I know you're home, the lights are on", "answer me",
    "why are you ignoring me?? 😡", "I saw you with him today", "You can't hide forever",
    "pick up the phone", "ok", "I'm outside", "لماذا لا تردين؟", "אני יודע איפה את",
    "Please stop contacting me.\nI have asked you many times.",
]


def fake_rows(n: int, start: datetime | None = None, pictures=(), tz: str = "Europe/London",
              ) -> list[MessageRow]:
    """n rows: mostly the suspect's messages, some replies, calls, a deleted message and
    a system line; `pictures` (AttachmentViews) go on the first messages that can hold them."""
    at = start or datetime(2025, 3, 13, 21, 0, tzinfo=UTC)
    rows = []
    pics = list(pictures)
    for i in range(n):
        at += timedelta(minutes=7 + (i * 37) % 300)
        kind, extra = "message", {}
        role, sender = ("me", "Jane Smith") if i % 5 == 3 else ("suspect", "Mark Jones")
        if i == 0:
            kind, role, sender = "system", "", ""
            extra = {"text": "Messages and calls are end-to-end encrypted."}
        elif i % 11 == 6:
            kind = "call"
            extra = {"call_direction": "incoming", "call_missed": i % 2 == 0,
                     "call_withheld": i % 3 == 0, "call_number": "" if i % 3 == 0 else
                     "+44 7700 900123", "call_seconds": None if i % 2 == 0 else 252}
        elif i % 17 == 9:
            extra = {"deleted": True}
        else:
            extra = {"text": LINES[i % len(LINES)] + (f" ({i})" if i > len(LINES) else "")}
            if pics and role == "suspect":
                extra["attachments"] = (pics.pop(0),)
        rows.append(MessageRow(id=1000 + i, position=i, kind=kind, sent_at=at, timezone=tz,
                               sender=sender, role=role, number=i + 1, **extra))
    return rows


def fake_source(rows: list[MessageRow]) -> MessageSource:
    """A source over `rows`; its `key` counts how often each function is called."""
    calls = {"count": 0, "fetch": 0, "position": 0}
    by_id = {r.id: r.position for r in rows}
    first_of_day: dict = {}
    for r in rows:
        first_of_day.setdefault(r.day, r.position)

    def count(_case):
        calls["count"] += 1
        return len(rows)

    def fetch(_case, offset, limit):
        calls["fetch"] += 1
        return rows[offset:offset + limit]

    def position(_case, message_id):
        calls["position"] += 1
        return by_id.get(message_id)

    def day_position(_case, day):
        return next((p for d, p in sorted(first_of_day.items()) if d >= day), None)

    return MessageSource(count, fetch, position, day_position, name="fake", key=calls)


def fake_days(rows: list[MessageRow]) -> list[DayCount]:
    days: dict = {}
    for r in rows:
        d = r.day
        if d is None:
            continue
        m, c, x = days.get(d, (0, 0, 0))
        days[d] = (m + (r.kind == "message"), c + (r.kind == "call"),
                   x + (r.kind == "call" and r.call_missed))
    return [DayCount(d, m, c, x) for d, (m, c, x) in days.items()]
