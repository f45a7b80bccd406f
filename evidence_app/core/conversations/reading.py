"""Reading conversations and messages: the list, one conversation with its participants
and export files, and messages a page at a time by their place in the conversation
(keyset paging on the unique (conversation, index) key: as fast at message 99,000 as
at message 1), by id, or by the incident they are in."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evidence_app.core.conversations.views import (
    PAGE,
    ConversationView,
    ExportView,
    MessageAttachment,
    MessageView,
    ParticipantView,
)
from evidence_app.core.errors import NotFoundError
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import (
    Attachment,
    CaseSettings,
    Conversation,
    ConversationExport,
    Message,
    Participant,
    Person,
    message_attachments,
)


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
    Message.source_index, Message.forwarded_from, Message.edited, Message.edited_at,
    Message.unsent)


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
         subject, number, direction, status, seconds, mark, line, incident, source_index,
         forwarded, edited, edited_at, unsent) = r
        out.append(MessageView(
            mid, cid, idx, pid, name or address or "", bool(owner), bool(suspect), sent,
            basis, note, kind, text, subject, number, direction, status, seconds,
            mark or "", line, incident, tuple(files.get(mid, ())), source_index,
            forwarded, bool(edited), edited_at, bool(unsent)))
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
