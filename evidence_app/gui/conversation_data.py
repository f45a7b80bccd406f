"""Reading conversations for the GUI: core's messages turned into the rows the
conversation view draws. Every function here runs on a reader thread (through
`CaseOps.read`), never on the GUI thread.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from evidence_app.core import conversations as conv
from evidence_app.core.attachments import get_attachment
from evidence_app.core.conversation_links import linked_people, live_incidents
from evidence_app.core.people import list_people
from evidence_app.core.views import AttachmentView
from evidence_app.gui.models.conversation import MessageRow, MessageSource
from evidence_app.gui.widgets.day_chart import DayCount

KINDS = {"text": "message", "call": "call", "system": "system"}
MISSED = ("missed", "rejected", "blocked")
# What a call log writes for a caller it cannot name (core/importers/sms_backup.py); a
# WhatsApp call has no number at all: it is from the person who called.
NUMBER_WORDS = {"Withheld number": "a withheld number", "Unknown number": "an unknown number",
                "Payphone": "a payphone"}
# What the exports write in place of a message the sender deleted (WhatsApp, both phones).
DELETED_TEXTS = frozenset({"This message was deleted", "This message was deleted.",
                           "You deleted this message", "You deleted this message.",
                           "\u200eThis message was deleted.", "\u200eYou deleted this message."})


def case_timezone(case: Any) -> str:
    return str(case.settings().timezone)


def _files(case: Any, messages: list[conv.MessageView]) -> dict[int, AttachmentView]:
    out: dict[int, AttachmentView] = {}
    for m in messages:
        for f in m.attachments:
            if f.attachment_id not in out:
                try:
                    out[f.attachment_id] = get_attachment(case, f.attachment_id,
                                                          allow_deleted=True)
                except LookupError:
                    continue
    return out


def list_conversations(case: Any) -> list[conv.ConversationView]:
    """Every conversation, its participants linked only to people not in the trash (one
    in the trash is nobody's name until restored, as in the messages' rows)."""
    views = conv.list_conversations(case)
    linked = {p.person_id for v in views for p in v.participants if p.person_id}
    if not linked:
        return views
    live = {person.id for person in list_people(case)}

    def alive(p: conv.ParticipantView) -> conv.ParticipantView:
        if p.person_id is None or p.person_id in live:
            return p
        return dataclasses.replace(p, person_id=None, person_name="")

    return [dataclasses.replace(v, participants=tuple(alive(p) for p in v.participants))
            for v in views]


def sender_label(name: str, person: str | None) -> str:
    """The sender as the export names them, with who they are in People when the person
    has linked them to someone else's name: "Mark Jones (+44 7700 900123)"."""
    if not person or person.casefold() == name.casefold():
        return name or person or ""
    return f"{person} ({name})" if name else person


def to_rows(case: Any, messages: list[conv.MessageView], tz: str,
            first_position: int | None = None) -> list[MessageRow]:
    """Rows for the view; `position` is the message's place in its conversation (0 =
    first) or, given `first_position`, in the list handed in (an incident's messages).
    A message counts as in an incident only while that incident is not in the trash."""
    files = _files(case, messages)
    live = live_incidents(case, (m.incident_id for m in messages if m.incident_id))
    people: dict[int, str] = {}
    for cid in {m.conversation_id for m in messages}:
        people.update(linked_people(case, cid))
    rows = []
    for i, m in enumerate(messages):
        role = "me" if m.sender_is_owner else "suspect" if m.sender_is_suspect else "other"
        text = m.text
        if m.subject:
            text = f"{m.subject}\n\n{text}" if text else m.subject
        marks = m.marks(tz)
        deleted = m.kind == "text" and text.strip().lstrip("\u200e") in {
            t.lstrip("\u200e") for t in DELETED_TEXTS}
        rows.append(MessageRow(
            id=m.id,
            position=(m.index - 1) if first_position is None else first_position + i,
            kind=KINDS.get(m.kind, "message"), sent_at=m.sent_at, timezone=tz,
            sender=sender_label(m.sender_name, people.get(m.sender_id or 0)), role=role, text=text, deleted=deleted, number=m.index,
            attachments=tuple(files[f.attachment_id] for f in m.attachments
                              if f.attachment_id in files),
            call_direction=m.call_direction, call_missed=m.call_status in MISSED,
            call_status=m.call_status,
            call_number=NUMBER_WORDS.get(m.call_number, m.call_number),
            call_withheld=m.kind == "call" and m.call_number == "Withheld number",
            call_seconds=m.call_seconds, export_mark=m.export_mark,
            incident_id=m.incident_id if m.incident_id in live else None, time_note=m.time_note,
            conversation_id=m.conversation_id, sender_id=m.sender_id,
            forwarded=next((x for x in marks if x.startswith("Forwarded")), ""),
            edited=next((x for x in marks if x.startswith("Edited")), ""),
            unsent=m.unsent))
    return rows


def conversation_source(conversation_id: int) -> MessageSource:
    """Every message of a conversation, in order, a page at a time."""
    def count(case: Any) -> int:
        return conv.message_count(case, conversation_id)

    def fetch(case: Any, offset: int, limit: int) -> list[MessageRow]:
        page = conv.messages_page(case, conversation_id, after_index=offset, limit=limit)
        return to_rows(case, page, case_timezone(case))

    def position(case: Any, message_id: int) -> int | None:
        found = conv.get_messages(case, [message_id])
        if not found or found[0].conversation_id != conversation_id:
            return None
        return found[0].index - 1

    def day_position(case: Any, day: date) -> int | None:
        index = conv.index_at(case, conversation_id,
                              conv.day_start(day, case_timezone(case)))
        return None if index is None else index - 1

    return MessageSource(count, fetch, position, day_position, name="conversation",
                         key=conversation_id)


def incident_source(incident_id: int) -> MessageSource:
    """The messages an incident holds, in conversation order (read once per open)."""
    held: dict[str, list[MessageRow]] = {}

    def rows(case: Any) -> list[MessageRow]:
        if "rows" not in held:
            held["rows"] = to_rows(case, conv.incident_messages(case, incident_id),
                                   case_timezone(case), first_position=0)
        return held["rows"]

    def count(case: Any) -> int:
        held.pop("rows", None)  # counting starts a new read
        return len(rows(case))

    def fetch(case: Any, offset: int, limit: int) -> list[MessageRow]:
        return rows(case)[offset:offset + limit]

    def position(case: Any, message_id: int) -> int | None:
        return next((r.position for r in rows(case) if r.id == message_id), None)

    return MessageSource(count, fetch, position, name="incident", key=incident_id)


def day_counts(case: Any, conversation_id: int) -> list[DayCount]:
    return [DayCount(d.day, d.messages, d.calls, d.missed)
            for d in conv.day_counts(case, conversation_id)]


def describe(view: conv.ConversationView) -> str:
    """'WhatsApp · 12,345 messages and 210 calls · 3 Jan 2024 to 14 Mar 2025 · with
    Mark Jones (suspect)'."""
    texts = view.message_count - view.call_count
    parts = [view.source_label, f"{texts:,} message{'s' if texts != 1 else ''}"
             + (f" and {view.call_count:,} call{'s' if view.call_count != 1 else ''}"
                if view.call_count else "")]
    if view.first_at is not None and view.last_at is not None:
        parts.append(f"{view.first_at:%-d %b %Y} to {view.last_at:%-d %b %Y}")
    others = [who(p, role=True) for p in view.participants if not p.is_owner]
    if others:
        parts.append("with " + ", ".join(others))
    return " \u00b7 ".join(parts)


def who(p: conv.ParticipantView, role: bool = False) -> str:
    """A participant as the export names them, and who they are in People if linked:
    "Mark Jones (+44 7700 900123)", "Mark Andrew Jones (“Mark” in the chat)";
    with `role`, "(suspect)" when they are one."""
    person = p.person_name
    if person and person.casefold() not in (p.name.casefold(), p.label.casefold()):
        said = p.name or p.address
        return f"{person} (“{said}” in the chat{', suspect' if role and p.is_suspect else ''})"
    return f"{p.label} (suspect)" if role and p.is_suspect else p.label


def senders(view: conv.ConversationView) -> list[tuple[int | None, str]]:
    """Whose messages Group by day can gather: the suspects first, then the others."""
    people = sorted((p for p in view.participants if not p.is_owner),
                    key=lambda p: (not p.is_suspect, p.id))
    out: list[tuple[int | None, str]] = [
        (p.id, who(p, role=True)) for p in people]
    owner = next((p for p in view.participants if p.is_owner), None)
    if owner is not None:
        out.append((owner.id, f"{owner.label} (you)"))
    return out
