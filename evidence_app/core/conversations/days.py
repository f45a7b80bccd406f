"""Messages and calls by day and week in the case's zone: the small chart's counts, Group
by day's proposals (nothing is created until the person keeps them:
`incidents.incidents_from_proposals`), and the report's weekly summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from evidence_app.core.conversations.reading import _tz, get_conversation
from evidence_app.core.conversations.views import (
    DayCount,
    DayProposal,
    WeekCount,
    _missed,
    describe_counts,
)
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import (
    Incident,
    Message,
)


def day_counts(case: Case, conversation_id: int, participant_id: int | None = None,
               ) -> list[DayCount]:
    """Messages and calls per local day (in the case's zone), oldest first; only those
    sent by `participant_id` when given. System lines are not counted."""
    with case.read() as session:
        tz = _tz(session)
        query = select(Message.sent_at, Message.kind, Message.call_status).where(
            Message.conversation_id == conversation_id, Message.kind != "system",
            Message.sent_at.is_not(None))
        if participant_id is not None:
            query = query.where(Message.participant_id == participant_id)
        counts: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
        zone = ZoneInfo(tz)
        for sent, kind, status in session.execute(query):
            if sent is None:
                continue
            day = sent.astimezone(zone).date()
            c = counts[day]
            if kind == "call":
                c[1] += 1
                c[2] += _missed(status)
            else:
                c[0] += 1
    return [DayCount(d, *counts[d]) for d in sorted(counts)]


def _day_label(day: date) -> str:
    return f"{day.day} {day:%B}"


def propose_days(case: Case, conversation_id: int, participant: int | None = None,
                 ) -> list[DayProposal]:
    """Incidents Group by day would make: for each local day, the messages and calls of
    `participant` (a participant id; by default every suspect of the conversation, or
    everyone but the person when no one is marked a suspect) that are not yet in an
    incident (one in the trash does not count: its messages are free again). Nothing is created: the person reviews these, then calls
    `incidents_from_proposals`."""
    conv = get_conversation(case, conversation_id)
    if participant is not None:
        senders = {participant}
    else:
        senders = {p.id for p in conv.participants if p.is_suspect} or {
            p.id for p in conv.participants if not p.is_owner}
    who = ", ".join(p.name or p.address for p in conv.participants if p.id in senders)
    with case.read() as session:
        zone = ZoneInfo(_tz(session))
        rows = session.execute(
            select(Message.id, Message.idx, Message.sent_at, Message.kind,
                   Message.call_status, Message.participant_id)
            .outerjoin(Incident, Incident.id == Message.incident_id)
            .where(Message.conversation_id == conversation_id,
                   Message.participant_id.in_(senders), Message.kind != "system",
                   # In an incident only while that incident is not in the trash.
                   or_(Message.incident_id.is_(None), Incident.deleted_at.is_not(None)),
                   Message.sent_at.is_not(None))
            .order_by(Message.idx)).all()
    by_day: dict[date, list[Any]] = defaultdict(list)
    for row in rows:
        if row[2] is not None:
            by_day[row[2].astimezone(zone).date()].append(row)
    out = []
    for day in sorted(by_day):
        items = by_day[day]
        calls = sum(1 for r in items if r[3] == "call")
        missed = sum(1 for r in items if r[3] == "call" and _missed(r[4]))
        messages = len(items) - calls
        counts = describe_counts(messages, calls, missed)
        label = f"{counts}, {_day_label(day)}"
        title = f"{counts} from {who}" if who else counts
        out.append(DayProposal(
            day, conversation_id, participant, tuple(r[0] for r in items), messages, calls,
            missed, min(r[2] for r in items), max(r[2] for r in items), items[0][1],
            items[-1][1], label, title[:1].upper() + title[1:]))
    return out


def week_counts(case: Case, incident_ids: Sequence[int] | None = None,
                ) -> list[WeekCount]:
    """Messages and calls per week in the given incidents (all messages in incidents
    when None), oldest first; for the report's summary."""
    with case.read() as session:
        zone = ZoneInfo(_tz(session))
        query = select(Message.sent_at, Message.kind, Message.call_status).where(
            Message.incident_id.is_not(None), Message.kind != "system",
            Message.sent_at.is_not(None))
        if incident_ids is not None:
            query = query.where(Message.incident_id.in_(list(incident_ids)))
        weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
        for sent, kind, status in session.execute(query):
            if sent is None:
                continue
            day = sent.astimezone(zone).date()
            c = weeks[day - timedelta(days=day.weekday())]
            if kind == "call":
                c[1] += 1
                c[2] += _missed(status)
            else:
                c[0] += 1
    return [WeekCount(w, *weeks[w]) for w in sorted(weeks)]


def day_start(day: date, tz: str) -> datetime:
    """The instant a local day begins (for jumping to a day in a conversation)."""
    return datetime.combine(day, time.min, ZoneInfo(tz)).astimezone(UTC)
