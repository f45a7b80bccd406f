"""Incidents made from messages: one incident from chosen messages or from each kept
Group by day proposal, messages added to or taken out of an incident. Each is one
unit of work with its audit events; the messages' files become the incident's
exhibits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence_app.core.conversations.reading import _tz
from evidence_app.core.conversations.views import (
    DayProposal,
    _missed,
    describe_counts,
    index_ranges,
)
from evidence_app.core.dates import When
from evidence_app.core.errors import NotFoundError, ValidationError
from evidence_app.core.incidents import insert_incident
from evidence_app.core.store.audit import AuditWriter
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import (
    Attachment,
    Conversation,
    Incident,
    Message,
    Participant,
    Person,
    message_attachments,
)
from evidence_app.core.vocab import Category, Precision


def _category(source: str, kinds: set[str]) -> str:
    if kinds == {"call"}:
        return Category.CALL.value
    return {"sms": Category.TEXT, "whatsapp": Category.TEXT, "email": Category.EMAIL}.get(
        source, Category.SOCIAL).value


def _load(session: Session, message_ids: Sequence[int]) -> list[Message]:
    ids = list(dict.fromkeys(message_ids))
    if not ids:
        raise ValidationError("Choose at least one message.")
    rows: list[Message] = []
    for start in range(0, len(ids), 500):
        rows += session.scalars(select(Message).where(Message.id.in_(ids[start:start + 500])))
    if len(rows) != len(ids):
        missing = sorted(set(ids) - {m.id for m in rows})
        raise NotFoundError(f"There is no message {', '.join(map(str, missing[:5]))}.")
    rows.sort(key=lambda m: (m.conversation_id, m.idx))
    return rows


def _link_messages(session: Session, audit: AuditWriter, incident_id: int,
                   messages: Sequence[Message]) -> int:
    """Put messages (and the files sent with them) into an incident; audited per
    conversation with the indexes moved. Returns how many moved."""
    by_conv: dict[int, list[Message]] = defaultdict(list)
    for m in messages:
        if m.incident_id != incident_id:
            by_conv[m.conversation_id].append(m)
    moved = 0
    for cid, items in by_conv.items():
        before = sorted({m.incident_id for m in items if m.incident_id is not None})
        for m in items:
            m.incident_id = incident_id
        audit.log("link", "message", None, conversation_id=cid, incident_id=incident_id,
                  messages=index_ranges(m.idx for m in items), count=len(items),
                  taken_from=before)
        moved += len(items)
    ids = [m.id for m in messages]
    files = session.scalars(
        select(Attachment).join(message_attachments,
                                message_attachments.c.attachment_id == Attachment.id)
        .where(message_attachments.c.message_id.in_(ids), Attachment.incident_id.is_(None),
               Attachment.deleted_at.is_(None))).unique().all()
    for att in files:
        audit.log("link", "attachment", att.id, exhibit=att.exhibit_mark, old_incident=None,
                  new_incident=incident_id)
        att.incident_id = incident_id
    return moved


def _people_of(session: Session, messages: Sequence[Message]) -> list[Person]:
    pids = {m.participant_id for m in messages if m.participant_id}
    rows = session.scalars(select(Person).join(Participant, Participant.person_id == Person.id)
                           .where(Participant.id.in_(pids), Participant.is_suspect.is_(True),
                                  Person.deleted_at.is_(None))).unique().all()
    return list(rows)


def _insert_from(session: Session, audit: AuditWriter, messages: Sequence[Message], *,
                 title: str | None, category: str | None, description: str = "") -> int:
    tz = _tz(session)
    timed = [m.sent_at for m in messages if m.sent_at is not None]
    if timed:
        first, last = min(timed), max(timed)
        when = (When(first, None, Precision.EXACT, tz) if first == last
                else When(first, last, Precision.BETWEEN, tz))
    else:
        when = None
    convs = {m.conversation_id for m in messages}
    sources = {session.get(Conversation, c).source for c in convs}  # type: ignore[union-attr]
    kinds = {m.kind for m in messages if m.kind != "system"}
    if title is None:
        calls = [m for m in messages if m.kind == "call"]
        missed = sum(1 for m in calls if _missed(m.call_status))
        texts = sum(1 for m in messages if m.kind == "text")
        counts = describe_counts(texts, len(calls), missed)
        others = session.scalars(select(Participant.name).where(
            Participant.id.in_({m.participant_id for m in messages if m.participant_id}),
            Participant.is_owner.is_(False))).all()
        who = ", ".join(sorted({n for n in others if n}))
        title = counts[:1].upper() + counts[1:] + (f" from {who}" if who else "")
    incident_id = insert_incident(
        session, audit, when=when, title=title,
        category=category or _category(next(iter(sources)) if len(sources) == 1 else "",
                                       kinds or {"text"}),
        description=description)
    incident = session.get(Incident, incident_id)
    assert incident is not None
    for person in _people_of(session, messages):
        incident.people.append(person)
        audit.log("link", "person", person.id, incident_id=incident_id)
    _link_messages(session, audit, incident_id, messages)
    return incident_id


def incident_from_messages(case: Case, message_ids: Sequence[int], *, title: str | None = None,
                           category: str | None = None, description: str = "") -> int:
    """Make one incident from these messages; returns its id.

    It happened from the first message's time to the last one's (exact when there is
    one); its title says what it holds ("3 messages and 1 missed call") unless given;
    its type follows the source (texts, email, social media, calls); suspects linked to
    People are linked to it; the files sent with the messages become its exhibits
    (unless already in another incident). A message already in another incident moves."""
    with case.write() as (session, audit):
        return _insert_from(session, audit, _load(session, message_ids), title=title,
                            category=category, description=description)


def incidents_from_proposals(case: Case, proposals: Sequence[DayProposal]) -> list[int]:
    """Make the incidents Group by day proposed (the ones the person kept), in one unit
    of work; returns their ids in order."""
    with case.write() as (session, audit):
        return [_insert_from(session, audit, _load(session, p.message_ids), title=p.title,
                             category=None) for p in proposals]


def add_messages_to_incident(case: Case, incident_id: int, message_ids: Sequence[int]) -> int:
    """Add messages (and their files) to an existing incident; returns how many were
    added. The incident's time is widened to cover them if it was exact or between."""
    with case.write() as (session, audit):
        incident = session.get(Incident, incident_id)
        if incident is None or incident.deleted_at is not None:
            raise NotFoundError(f"There is no incident {incident_id}.")
        messages = _load(session, message_ids)
        moved = _link_messages(session, audit, incident_id, messages)
        timed = [m.sent_at for m in messages if m.sent_at is not None]
        if moved and timed and incident.precision in (Precision.EXACT, Precision.BETWEEN):
            start = incident.occurred_at or min(timed)
            end = incident.occurred_end or start
            new_start, new_end = min(start, *timed), max(end, *timed)
            if (new_start, new_end) != (incident.occurred_at, incident.occurred_end or start):
                old = {"occurred_at": incident.occurred_at, "occurred_end": incident.occurred_end,
                       "precision": incident.precision}
                incident.occurred_at, incident.occurred_end = new_start, new_end
                incident.precision = Precision.BETWEEN.value
                incident.updated_at = audit.now()
                audit.log("update", "incident", incident_id, changes={
                    k: {"old": v, "new": getattr(incident, k)} for k, v in old.items()})
        return moved


def remove_messages_from_incident(case: Case, message_ids: Sequence[int]) -> int:
    """Take messages out of whatever incident holds them (the messages stay in their
    conversation); returns how many."""
    with case.write() as (session, audit):
        messages = [m for m in _load(session, message_ids) if m.incident_id is not None]
        by_key: dict[tuple[int, int], list[Message]] = defaultdict(list)
        for m in messages:
            by_key[(m.conversation_id, m.incident_id)].append(m)  # type: ignore[index]
        for (cid, iid), items in by_key.items():
            for m in items:
                m.incident_id = None
            audit.log("unlink", "message", None, conversation_id=cid, incident_id=iid,
                      messages=index_ranges(m.idx for m in items), count=len(items))
        return len(messages)
