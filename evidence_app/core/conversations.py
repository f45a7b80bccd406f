"""Conversations and messages: read them a page at a time, count them by day, make
incidents from them, and say who is who. Every write is one unit of work with its audit
events; the importers (core/importers/whatsapp.py, ...) add the messages.

Messages are read by their place in the conversation (`index`, 1, 2, ...: by time, then
the order of the export they came from), so a view of 100,000 messages reads only the
rows it shows (keyset paging on the unique (conversation, index) key). A later export
holding earlier messages slots them in and moves the indexes after them up (see
importers/chat.py); what a report cites is `MessageView.export_number`, the message's
number in its own export file, which never changes. Times are UTC; days and labels are
in the case's time zone.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evidence_app.core.dates import When
from evidence_app.core.errors import NotFoundError, ValidationError
from evidence_app.core.incidents import insert_incident
from evidence_app.core.store.audit import AuditWriter
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import (
    Attachment,
    CaseSettings,
    Conversation,
    ConversationExport,
    Incident,
    Message,
    Participant,
    Person,
    message_attachments,
)
from evidence_app.core.vocab import Category, Precision

SOURCE_LABELS = {"whatsapp": "WhatsApp", "sms": "Text messages", "email": "Email",
                 "instagram": "Instagram", "messenger": "Facebook Messenger",
                 "telegram": "Telegram"}
TIME_BASIS_LABELS = {
    "exact": "exact time from the export",
    "offset": "local time with its UTC offset, as the export gives it",
    "export_zone": "local time in the zone given for the export",
    "case_zone": "local time, read in the case's time zone (the export gives none)",
}
CALL_STATUS_LABELS = {"answered": "", "missed": "missed", "rejected": "rejected",
                      "voicemail": "voicemail", "blocked": "blocked"}
PAGE = 200


# --------------------------------------------------------------------------- views
@dataclass(frozen=True)
class ParticipantView:
    id: int
    name: str
    address: str
    person_id: int | None
    person_name: str
    is_owner: bool
    is_suspect: bool

    @property
    def label(self) -> str:
        """The name, with the number or address when it adds something."""
        if self.address and self.name and self.address != self.name:
            return f"{self.name} ({self.address})"
        return self.name or self.address or "Unknown"


@dataclass(frozen=True)
class ExportView:
    """An export file imported into the conversation: the exhibit that holds it."""

    id: int
    attachment_id: int
    exhibit_mark: str
    file_name: str
    sha256: str
    size: int
    importer: str
    imported_at: datetime
    messages_read: int
    messages_added: int
    problems: tuple[str, ...]


@dataclass(frozen=True)
class ConversationView:
    id: int
    source: str
    title: str
    timezone: str
    message_count: int
    call_count: int
    first_at: datetime | None
    last_at: datetime | None
    participants: tuple[ParticipantView, ...]
    exports: tuple[ExportView, ...]
    deleted: bool = False

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    def participant(self, participant_id: int | None) -> ParticipantView | None:
        return next((p for p in self.participants if p.id == participant_id), None)


@dataclass(frozen=True)
class MessageAttachment:
    """A file sent with a message: an exhibit of the case."""

    attachment_id: int
    exhibit_mark: str
    name: str  # as the export named it
    media_type: str
    kind: str  # photo, screenshot, image, file, ...
    sha256: str


@dataclass(frozen=True)
class MessageView:
    id: int
    conversation_id: int
    index: int
    sender_id: int | None
    sender_name: str
    sender_is_owner: bool
    sender_is_suspect: bool
    sent_at: datetime | None
    time_basis: str
    time_note: str
    kind: str  # text, call, system
    text: str
    subject: str
    call_number: str
    call_direction: str
    call_status: str
    call_seconds: int | None
    export_mark: str  # the exhibit mark of the export file it was read from
    source_line: int | None
    incident_id: int | None
    attachments: tuple[MessageAttachment, ...] = ()
    # Its number among the messages of its own export file (None: imported before it
    # was kept). `index` is its place in the conversation, which moves when a later
    # export slots earlier messages in; this never does.
    source_index: int | None = None

    @property
    def export_number(self) -> int:
        """The number a report cites for it with its export's mark ("JS/12, messages
        341-355"): its number in its own export file (its place in the conversation
        for messages imported before that was kept, as reports printed then)."""
        return self.source_index if self.source_index is not None else self.index

    @property
    def outgoing(self) -> bool:
        """Sent by the person keeping the case (drawn on the right, as phones do)."""
        return self.sender_is_owner

    def call_summary(self) -> str:
        """"Missed call from +44 7700 900123", "Outgoing call, 2 min 5 s"."""
        if self.kind != "call":
            return ""
        status = CALL_STATUS_LABELS.get(self.call_status, self.call_status)
        if status:
            head = f"{status.capitalize()} call"
        else:
            head = "Outgoing call" if self.call_direction == "outgoing" else "Incoming call"
        who = self.call_number or self.sender_name
        if who:
            head += (" to " if self.call_direction == "outgoing" else " from ") + who
        if self.call_seconds:
            m, s = divmod(self.call_seconds, 60)
            head += f", {m} min {s} s" if m else f", {s} s"
        return head

    def local(self, tz: str) -> datetime | None:
        return None if self.sent_at is None else self.sent_at.astimezone(ZoneInfo(tz))


@dataclass(frozen=True)
class DayCount:
    """Messages and calls on one local day (in the case's zone)."""

    day: date
    messages: int
    calls: int
    missed: int  # missed, rejected or blocked calls (part of `calls`)


@dataclass(frozen=True)
class DayProposal:
    """One incident Group by day suggests: a participant's messages and calls on a day."""

    day: date
    conversation_id: int
    participant_id: int | None
    message_ids: tuple[int, ...]
    messages: int
    calls: int
    missed: int
    first_at: datetime
    last_at: datetime
    first_index: int
    last_index: int
    label: str  # "23 messages and 4 missed calls, 14 March"
    title: str  # the incident title it would get


# --------------------------------------------------------------------------- reading
def _tz(session: Session) -> str:
    return session.get(CaseSettings, 1).timezone  # type: ignore[union-attr]


def _participant_view(p: Participant, people: dict[int, str]) -> ParticipantView:
    return ParticipantView(p.id, p.name, p.address, p.person_id,
                           people.get(p.person_id, "") if p.person_id else "",
                           bool(p.is_owner), bool(p.is_suspect))


def _export_views(session: Session, conversation_ids: Sequence[int],
                  ) -> dict[int, list[ExportView]]:
    out: dict[int, list[ExportView]] = defaultdict(list)
    rows = session.execute(
        select(ConversationExport, Attachment.exhibit_mark, Attachment.original_name,
               Attachment.sha256, Attachment.size)
        .join(Attachment, Attachment.id == ConversationExport.attachment_id)
        .where(ConversationExport.conversation_id.in_(conversation_ids))
        .order_by(ConversationExport.id))
    for ex, mark, name, sha, size in rows:
        out[ex.conversation_id].append(ExportView(
            ex.id, ex.attachment_id, mark, name, sha, size, ex.importer, ex.imported_at,
            ex.messages_read, ex.messages_added, tuple(json.loads(ex.problems or "[]"))))
    return out


def _conversation_views(session: Session, rows: Sequence[Conversation]) -> list[ConversationView]:
    ids = [c.id for c in rows]
    if not ids:
        return []
    counts = {r[0]: r[1:] for r in session.execute(
        select(Message.conversation_id, func.count(),
               func.sum(func.iif(Message.kind == "call", 1, 0)),
               func.min(Message.sent_at), func.max(Message.sent_at))
        .where(Message.conversation_id.in_(ids)).group_by(Message.conversation_id))}
    parts = session.scalars(select(Participant).where(Participant.conversation_id.in_(ids))
                            .order_by(Participant.id)).all()
    people: dict[int, str] = {pid: name for pid, name in session.execute(
        select(Person.id, Person.name).where(
            Person.id.in_({p.person_id for p in parts if p.person_id})))}
    by_conv: dict[int, list[ParticipantView]] = defaultdict(list)
    for p in parts:
        by_conv[p.conversation_id].append(_participant_view(p, people))
    exports = _export_views(session, ids)
    out = []
    for c in rows:
        n, calls, first, last = counts.get(c.id, (0, 0, None, None))
        out.append(ConversationView(
            c.id, c.source, c.title, c.timezone, n or 0, calls or 0,
            _utc(first), _utc(last), tuple(by_conv[c.id]), tuple(exports[c.id]),
            c.deleted_at is not None))
    return out


def _utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def list_conversations(case: Case, include_deleted: bool = False) -> list[ConversationView]:
    """Every conversation, the most recently active first."""
    with case.read() as session:
        query = select(Conversation)
        if not include_deleted:
            query = query.where(Conversation.deleted_at.is_(None))
        views = _conversation_views(session, session.scalars(query).all())
    floor = datetime.min.replace(tzinfo=UTC)
    return sorted(views, key=lambda v: (v.last_at or floor, v.id), reverse=True)


def get_conversation(case: Case, conversation_id: int) -> ConversationView:
    """One conversation with its participants and export files."""
    with case.read() as session:
        row = session.get(Conversation, conversation_id)
        if row is None:
            raise NotFoundError(f"There is no conversation {conversation_id}.")
        return _conversation_views(session, [row])[0]


def message_count(case: Case, conversation_id: int) -> int:
    """How many messages (calls and system lines included) the conversation holds."""
    with case.read() as session:
        return session.scalar(select(func.count()).select_from(Message).where(
            Message.conversation_id == conversation_id)) or 0


_MESSAGE_COLUMNS = (
    Message.id, Message.conversation_id, Message.idx, Message.participant_id,
    Participant.name, Participant.address, Participant.is_owner, Participant.is_suspect,
    Message.sent_at, Message.time_basis, Message.time_note, Message.kind, Message.text,
    Message.subject, Message.call_number, Message.call_direction, Message.call_status,
    Message.call_seconds, Attachment.exhibit_mark, Message.source_line, Message.incident_id,
    Message.source_index)


def _message_query() -> Any:
    return (select(*_MESSAGE_COLUMNS)
            .outerjoin(Participant, Participant.id == Message.participant_id)
            .outerjoin(ConversationExport, ConversationExport.id == Message.source_export_id)
            .outerjoin(Attachment, Attachment.id == ConversationExport.attachment_id))


def _views(session: Session, rows: Sequence[Any]) -> list[MessageView]:
    ids = [r[0] for r in rows]
    files: dict[int, list[MessageAttachment]] = defaultdict(list)
    if ids:
        for mid, att_id, name, mark, media, kind, sha in session.execute(
                select(message_attachments.c.message_id, Attachment.id,
                       message_attachments.c.name, Attachment.exhibit_mark,
                       Attachment.media_type, Attachment.kind, Attachment.sha256)
                .join(Attachment, Attachment.id == message_attachments.c.attachment_id)
                .where(message_attachments.c.message_id.in_(ids))
                .order_by(message_attachments.c.message_id, Attachment.exhibit_serial)):
            files[mid].append(MessageAttachment(att_id, mark, name, media, kind, sha))
    out = []
    for r in rows:
        (mid, cid, idx, pid, name, address, owner, suspect, sent, basis, note, kind, text,
         subject, number, direction, status, seconds, mark, line, incident, source_index) = r
        out.append(MessageView(
            mid, cid, idx, pid, name or address or "", bool(owner), bool(suspect), sent,
            basis, note, kind, text, subject, number, direction, status, seconds,
            mark or "", line, incident, tuple(files.get(mid, ())), source_index))
    return out


def messages_page(case: Case, conversation_id: int, *, after_index: int = 0,
                  before_index: int | None = None, limit: int = PAGE) -> list[MessageView]:
    """Up to `limit` messages in order: those after `after_index`, or (given
    `before_index`) the last ones before it. Keyset paging: as fast at message 99,000
    as at message 1."""
    with case.read() as session:
        query = _message_query().where(Message.conversation_id == conversation_id)
        if before_index is not None:
            query = query.where(Message.idx < before_index).order_by(Message.idx.desc())
            rows = list(reversed(session.execute(query.limit(limit)).all()))
        else:
            query = query.where(Message.idx > after_index).order_by(Message.idx)
            rows = list(session.execute(query.limit(limit)).all())
        return _views(session, rows)


def messages_in_range(case: Case, conversation_id: int, first: int, last: int,
                      ) -> list[MessageView]:
    """Messages `first` to `last` (indexes, both included) of a conversation."""
    with case.read() as session:
        rows = session.execute(_message_query().where(
            Message.conversation_id == conversation_id, Message.idx >= first,
            Message.idx <= last).order_by(Message.idx)).all()
        return _views(session, rows)


def get_messages(case: Case, message_ids: Iterable[int]) -> list[MessageView]:
    """These messages, in conversation order."""
    ids = list(dict.fromkeys(message_ids))
    with case.read() as session:
        rows: list[Any] = []
        for start in range(0, len(ids), 500):
            rows += session.execute(_message_query().where(
                Message.id.in_(ids[start:start + 500]))).all()
        rows.sort(key=lambda r: (r[1], r[2]))
        return _views(session, rows)


def index_at(case: Case, conversation_id: int, when: datetime) -> int | None:
    """The index of the first message at or after `when` (to jump to a date), or None."""
    with case.read() as session:
        return session.scalar(select(func.min(Message.idx)).where(
            Message.conversation_id == conversation_id, Message.sent_at >= when))


def incident_messages(case: Case, incident_id: int) -> list[MessageView]:
    """The messages an incident was made from (or given), in conversation order."""
    with case.read() as session:
        rows = session.execute(_message_query().where(Message.incident_id == incident_id)
                               .order_by(Message.conversation_id, Message.idx)).all()
        return _views(session, rows)


def messages_of_incidents(case: Case, incident_ids: Iterable[int],
                          ) -> dict[int, list[MessageView]]:
    """{incident id: its messages in conversation order} for many incidents at once."""
    ids = list(dict.fromkeys(incident_ids))
    out: dict[int, list[MessageView]] = defaultdict(list)
    with case.read() as session:
        for start in range(0, len(ids), 500):
            rows = session.execute(_message_query().where(
                Message.incident_id.in_(ids[start:start + 500]))
                .order_by(Message.conversation_id, Message.idx)).all()
            for view in _views(session, rows):
                out[view.incident_id].append(view)  # type: ignore[index]
    return dict(out)


def index_ranges(indexes: Iterable[int]) -> str:
    """"341-355, 360" from message indexes (how a transcript cites them)."""
    nums = sorted(set(indexes))
    parts: list[str] = []
    start = prev = None
    for n in [*nums, None]:
        if start is None:
            start = prev = n
            continue
        if n is not None and prev is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(parts)


# --------------------------------------------------------------------------- by day
def _missed(status: str) -> bool:
    return status in ("missed", "rejected", "blocked")


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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def describe_counts(messages: int, calls: int, missed: int) -> str:
    """"23 messages and 4 missed calls", "1 message, 2 calls and 1 missed call"."""
    parts = []
    if messages:
        parts.append(_plural(messages, "message"))
    if calls - missed:
        parts.append(_plural(calls - missed, "call"))
    if missed:
        parts.append(_plural(missed, "missed call"))
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _day_label(day: date) -> str:
    return f"{day.day} {day:%B}"


def propose_days(case: Case, conversation_id: int, participant: int | None = None,
                 ) -> list[DayProposal]:
    """Incidents Group by day would make: for each local day, the messages and calls of
    `participant` (a participant id; by default every suspect of the conversation, or
    everyone but the person when no one is marked a suspect) that are not yet in an
    incident. Nothing is created: the person reviews these, then calls
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
            .where(Message.conversation_id == conversation_id,
                   Message.participant_id.in_(senders), Message.kind != "system",
                   Message.incident_id.is_(None), Message.sent_at.is_not(None))
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


# --------------------------------------------------------------------------- incidents
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


# --------------------------------------------------------------------------- who is who
def set_participant(case: Case, participant_id: int, *, is_owner: bool | None = None,
                    is_suspect: bool | None = None, person_id: int | None | bool = False,
                    ) -> None:
    """Say who a participant is: the person keeping the case (`is_owner`), a suspect,
    and which entry in People (`person_id`; None unlinks; left out, unchanged)."""
    with case.write() as (session, audit):
        p = session.get(Participant, participant_id)
        if p is None:
            raise NotFoundError(f"There is no participant {participant_id}.")
        changes: dict[str, dict[str, Any]] = {}
        if person_id is not False:
            if person_id is not None:
                person = session.get(Person, person_id)
                if person is None or person.deleted_at is not None:
                    raise NotFoundError(f"There is no person {person_id}.")
            if p.person_id != person_id:
                changes["person_id"] = {"old": p.person_id, "new": person_id}
                p.person_id = person_id  # type: ignore[assignment]
        if is_owner is not None and bool(p.is_owner) != is_owner:
            if is_owner:  # one person keeps the case
                for other in session.scalars(select(Participant).where(
                        Participant.conversation_id == p.conversation_id,
                        Participant.is_owner.is_(True))):
                    other.is_owner = False
                    audit.log("update", "participant", other.id,
                              conversation_id=p.conversation_id,
                              changes={"is_owner": {"old": True, "new": False}})
            changes["is_owner"] = {"old": bool(p.is_owner), "new": is_owner}
            p.is_owner = is_owner
        if is_suspect is not None and bool(p.is_suspect) != is_suspect:
            changes["is_suspect"] = {"old": bool(p.is_suspect), "new": is_suspect}
            p.is_suspect = is_suspect
        if changes:
            audit.log("update", "participant", participant_id,
                      conversation_id=p.conversation_id, name=p.name, changes=changes)


def rename_conversation(case: Case, conversation_id: int, title: str) -> None:
    """Give a conversation a clearer title (audited)."""
    title = title.strip()
    if not title:
        raise ValidationError("A conversation needs a title.")
    with case.write() as (session, audit):
        conv = session.get(Conversation, conversation_id)
        if conv is None:
            raise NotFoundError(f"There is no conversation {conversation_id}.")
        if conv.title != title:
            audit.log("update", "conversation", conversation_id, conversation_id=conversation_id,
                      changes={"title": {"old": conv.title, "new": title}})
            conv.title = title
            conv.updated_at = audit.now()


def delete_conversation(case: Case, conversation_id: int) -> None:
    """Move a conversation to the trash: it leaves the list and the search; its messages,
    export files and pictures stay in the case (and in any incident made from them)."""
    _set_deleted(case, conversation_id, True)


def restore_conversation(case: Case, conversation_id: int) -> None:
    """Take a conversation out of the trash."""
    _set_deleted(case, conversation_id, False)


def _set_deleted(case: Case, conversation_id: int, deleted: bool) -> None:
    with case.write() as (session, audit):
        conv = session.get(Conversation, conversation_id)
        if conv is None:
            raise NotFoundError(f"There is no conversation {conversation_id}.")
        if (conv.deleted_at is not None) == deleted:
            return
        conv.deleted_at = audit.now() if deleted else None
        audit.log("trash" if deleted else "restore", "conversation", conversation_id,
                  conversation_id=conversation_id, title=conv.title)


# --------------------------------------------------------------------------- summaries
@dataclass(frozen=True)
class WeekCount:
    """Messages and calls of a week (Monday to Sunday, in the case's zone)."""

    week_start: date
    messages: int
    calls: int
    missed: int


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


__all__ = [
    "CALL_STATUS_LABELS", "SOURCE_LABELS", "TIME_BASIS_LABELS", "ConversationView",
    "DayCount", "DayProposal", "ExportView", "MessageAttachment", "MessageView",
    "ParticipantView", "WeekCount", "add_messages_to_incident", "day_counts", "day_start",
    "delete_conversation", "restore_conversation",
    "describe_counts", "get_conversation", "get_messages", "incident_from_messages",
    "incident_messages", "incidents_from_proposals", "messages_of_incidents", "index_at", "index_ranges",
    "list_conversations", "message_count", "messages_in_range", "messages_page",
    "propose_days", "remove_messages_from_incident", "rename_conversation",
    "set_participant", "week_counts",
]
