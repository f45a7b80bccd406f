"""What a conversation's participants and messages point at, as it stands now: the
People its participants are linked to (and a person made from a participant), whether
the incident holding a message is still an incident (not in the trash), and which
messages fall on an incident's day (to offer them when a chat is dropped on it).

A small companion to core/conversations.py, which keeps the messages themselves; every
write here is one unit of work with its audit events, as there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from evidence_app.core.errors import NotFoundError
from evidence_app.core.people import clean_person, insert_person
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import Incident, Message, Participant, Person
from evidence_app.core.vocab import Precision

MAX_OFFER_DAYS = 7  # an incident spread wider than a week has no "day" to offer


def linked_people(case: Case, conversation_id: int) -> dict[int, str]:
    """{participant id: name in People} for the participants linked to someone who is
    not in the trash."""
    with case.read() as session:
        return {pid: name for pid, name in session.execute(
            select(Participant.id, Person.name)
            .join(Person, Person.id == Participant.person_id)
            .where(Participant.conversation_id == conversation_id,
                   Person.deleted_at.is_(None)))}


def live_incidents(case: Case, incident_ids: Iterable[int]) -> set[int]:
    """Those of these incidents that are not in the trash: a message only counts as in
    an incident while that incident is one."""
    ids = list({i for i in incident_ids if i is not None})
    out: set[int] = set()
    with case.read() as session:
        for start in range(0, len(ids), 500):
            out.update(session.scalars(select(Incident.id).where(
                Incident.id.in_(ids[start:start + 500]), Incident.deleted_at.is_(None))))
    return out


def person_from_participant(case: Case, participant_id: int, name: str,
                            role: str = "other", **fields: Any) -> int:
    """Record a new person in People and link the participant to them, in one unit of
    work (audited as "create person" and the participant's "update"); returns the
    person's id."""
    values = clean_person(name, role, **fields)
    with case.write() as (session, audit):
        p = session.get(Participant, participant_id)
        if p is None:
            raise NotFoundError(f"There is no participant {participant_id}.")
        person_id = insert_person(session, audit, values)
        audit.log("update", "participant", participant_id, conversation_id=p.conversation_id,
                  name=p.name, changes={"person_id": {"old": p.person_id, "new": person_id}})
        p.person_id = person_id
        return person_id


@dataclass(frozen=True)
class DayMessages:
    """The messages and calls of some conversations that fall on an incident's day(s)
    and are in no incident yet. `days` is "14 March" (or "14 to 15 March"), empty when
    the incident has no day to speak of (undated, a month, a long stretch)."""

    incident_id: int
    days: str
    first_day: date | None
    message_ids: tuple[int, ...]
    calls: int
    conversation_id: int | None  # where the first of them is (to show it)
    first_message_id: int | None
    already_here: int = 0  # of that day's, already in this incident
    elsewhere: int = 0  # of that day's, in another incident (not in the trash)

    @property
    def texts(self) -> int:
        return len(self.message_ids) - self.calls


def _days_label(first: date, last: date) -> str:
    if first == last:
        return f"{first.day} {first:%B}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {last.day} {last:%B}"
    return f"{first.day} {first:%B} to {last.day} {last:%B}"


def _incident_days(incident: Incident) -> tuple[date, date] | None:
    if incident.occurred_at is None or incident.precision in (
            Precision.MONTH.value, Precision.UNDATED.value):
        return None
    zone = ZoneInfo(incident.timezone or "Europe/London")
    first = incident.occurred_at.astimezone(zone).date()
    last = (incident.occurred_end or incident.occurred_at).astimezone(zone).date()
    if last < first or (last - first).days >= MAX_OFFER_DAYS:
        return None
    return first, last


def messages_on_incident_days(case: Case, incident_id: int,
                              conversation_ids: Sequence[int]) -> DayMessages:
    """What of these conversations happened on the incident's day(s) (in the incident's
    own time zone) and is in no incident yet (one in the trash does not count)."""
    with case.read() as session:
        incident = session.get(Incident, incident_id)
        if incident is None or incident.deleted_at is not None:
            raise NotFoundError(f"There is no incident {incident_id}.")
        days = _incident_days(incident)
        if days is None or not conversation_ids:
            return DayMessages(incident_id, "", None, (), 0, None, None)
        zone = ZoneInfo(incident.timezone or "Europe/London")
        first, last = days
        start = datetime.combine(first, time(), zone)
        end = datetime.combine(last + timedelta(days=1), time(), zone)
        trashed = set(session.scalars(select(Incident.id).where(
            Incident.deleted_at.is_not(None))))
        found = session.execute(
            select(Message.id, Message.kind, Message.conversation_id, Message.incident_id)
            .where(Message.conversation_id.in_(list(conversation_ids)),
                   Message.kind != "system", Message.sent_at >= start, Message.sent_at < end)
            .order_by(Message.sent_at, Message.conversation_id, Message.idx)).all()
    rows = [r for r in found if r[3] is None or r[3] in trashed]
    here = sum(r[3] == incident_id for r in found)
    return DayMessages(incident_id, _days_label(first, last), first,
                       tuple(r[0] for r in rows), sum(r[1] == "call" for r in rows),
                       rows[0][2] if rows else None, rows[0][0] if rows else None,
                       here, len(found) - len(rows) - here)
