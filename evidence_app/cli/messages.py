"""Messages on the command line: importing message exports (called by `import`, which
picks the importer from each file's content), `conversation list|show|days|propose|who`
and `incident add --from-messages` (message ranges written `CONVERSATION:341-355,360`).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_app.cli.common import (
    Parser,
    Subcommands,
    emit,
    open_case,
    plural,
    printable,
    progress_to_stderr,
    record_id,
)
from evidence_app.core.errors import UserError

if TYPE_CHECKING:
    from evidence_app.core.conversations import ConversationView, MessageView
    from evidence_app.core.importers.chat import ConversationImport
    from evidence_app.core.importers.messages import ExportJob
    from evidence_app.core.store.case import Case

_SPEC = re.compile(r"^(?P<conv>\d+):(?P<ranges>\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)$")


def message_exports(paths: list[Path]) -> tuple[list[ExportJob], list[Path]]:
    """Split what `import` was given: (message exports with their importer, the parts of
    one Meta download together; other paths)."""
    from evidence_app.core.importers.messages import plan_imports

    return plan_imports([Path(p) for p in paths])


def import_exports(args: argparse.Namespace, case: Case, exports: list[ExportJob],
                   ) -> list[dict[str, Any]]:
    """Import message exports; prints what each held (unless --json); returns JSON rows."""
    from evidence_app.core.importers.chat import ConversationImport
    from evidence_app.core.importers.messages import IMPORTER_LABELS, import_messages

    rows: list[dict[str, Any]] = []
    for job in exports:
        kind = job.importer
        where = str(job.paths[0]) if len(job.paths) == 1 else ", ".join(
            str(p) for p in job.paths)
        if not args.json:
            print(f"{printable(where)}: {IMPORTER_LABELS[kind]}"
                  + (f" in {len(job.paths)} parts, read together" if len(job.paths) > 1
                     else ""))
        events = import_messages(case, list(job.paths), importer=kind,
                                 date_order=args.date_order, timezone=args.timezone,
                                 owner=args.owner)
        for event in progress_to_stderr(events, quiet=args.json):
            if isinstance(event.item, ConversationImport):
                rows.append(dict(event.item.to_json(), path=str(job.paths[0]),
                                 paths=[str(p) for p in job.paths], importer=kind))
                if not args.json:
                    print(_outcome(event.item))
    return rows


def _outcome(r: ConversationImport) -> str:
    what = "new conversation" if r.new_conversation else "conversation"
    lines = [f"  {what} {r.conversation_id} \u201c{printable(r.title)}\u201d: "
             f"{plural(r.messages_read, 'message')} read, {r.messages_added} new"
             + (f" ({'message' if r.messages_added == 1 else 'messages'} {r.indexes})"
                if r.messages_added else "")
             + (f", {plural(r.calls, 'call')}" if r.calls else "")
             + (f", {plural(r.files, 'file')} kept as exhibits" if r.files else "")
             + (f"; the export is exhibit {r.export_exhibit}" if not r.parts else
                "; read from " + ", ".join(f"{p['file']} (exhibit {p['exhibit']})"
                                           for p in r.parts))]
    if r.renumbered:
        lines.append(f"  earlier messages slotted in by time: {plural(r.renumbered, 'message')} "
                     "already there moved along (reports cite each message's number in "
                     "its own export file, which does not change)")
    if r.files_added:
        lines.append(f"  pictures or files added to {plural(r.files_added, 'message')} "
                     "already imported without them")
    if r.marks_added:
        lines.append(f"  forwarded/edited/unsent marks added to {plural(r.marks_added, 'message')} "
                     "already imported without them (their text is unchanged)")
    lines += [f"  could not read: {printable(p)}" for p in r.problems[:20]]
    if len(r.problems) > 20:
        lines.append(f"  ... and {len(r.problems) - 20} more (see --json)")
    return "\n".join(lines)


def add_import_options(p: Parser) -> None:
    """The options `import` takes for message exports."""
    p.add_argument("--date-order", choices=("dmy", "mdy", "ymd"),
                   help="how a WhatsApp chat writes dates when they can be read two ways "
                        "(day/month/year, month/day/year, year/month/day)")
    p.add_argument("--timezone", metavar="ZONE",
                   help="the time zone the exporting phone was set to, e.g. Europe/London "
                        "(default: the case's)")
    p.add_argument("--owner", metavar="NAME",
                   help="the name (or number, address) you go by in the export")
    p.add_argument("--as-files", action="store_true",
                   help="keep message exports as plain exhibits, without reading messages")


# --------------------------------------------------------------------------- specs
def parse_spec(text: str) -> tuple[int, list[tuple[int, int]]]:
    """`3:341-355,360` -> (3, [(341, 355), (360, 360)])."""
    m = _SPEC.match(text.replace(" ", ""))
    if not m:
        raise UserError(f"{text!r} does not name messages; write CONVERSATION:FIRST-LAST, "
                        "e.g. 3:341-355 or 3:12,15-18 (numbers from conversation show)")
    ranges = []
    for piece in m.group("ranges").split(","):
        first, _, last = piece.partition("-")
        a, b = int(first), int(last or first)
        if b < a:
            raise UserError(f"{piece}: the range runs backwards")
        ranges.append((a, b))
    return int(m.group("conv")), ranges


def messages_from_specs(case: Case, specs: list[str]) -> list[int]:
    """Message ids named by specs; an error names any number the conversation lacks."""
    from evidence_app.core.conversations import get_conversation, messages_in_range

    ids: list[int] = []
    for spec in specs:
        conv_id, ranges = parse_spec(spec)
        get_conversation(case, conv_id)
        for a, b in ranges:
            found = messages_in_range(case, conv_id, a, b)
            missing = sorted(set(range(a, b + 1)) - {m.index for m in found})
            if missing:
                raise UserError(f"Conversation {conv_id} has no message {missing[0]}.")
            ids += [m.id for m in found]
    return ids


# --------------------------------------------------------------------------- commands
def _conv_json(c: ConversationView) -> dict[str, Any]:
    return {
        "id": c.id, "source": c.source, "title": c.title, "messages": c.message_count,
        "calls": c.call_count, "first": c.first_at, "last": c.last_at,
        "participants": [{"id": p.id, "name": p.name, "address": p.address,
                          "person_id": p.person_id, "is_owner": p.is_owner,
                          "is_suspect": p.is_suspect} for p in c.participants],
        "exports": [{"exhibit": e.exhibit_mark, "file": e.file_name, "sha256": e.sha256,
                     "importer": e.importer, "imported_at": e.imported_at,
                     "messages_read": e.messages_read, "messages_added": e.messages_added,
                     "problems": list(e.problems)} for e in c.exports]}


def cmd_conversation_list(args: argparse.Namespace) -> int:
    from evidence_app.core.conversations import list_conversations

    with open_case(args) as case:
        convs = list_conversations(case)

    def text() -> str:
        if not convs:
            return "No conversations yet: import a chat export, text backup or mailbox."
        return "\n".join(f"{c.id:>4}  {c.source_label:<18} {printable(c.title)[:40]:<40} "
                         f"{plural(c.message_count, 'message'):>14}  "
                         f"{plural(c.call_count, 'call'):>10}" for c in convs)

    emit(args, [_conv_json(c) for c in convs], text)
    return 0


def _message_json(m: MessageView, live: set[int] | None = None) -> dict[str, Any]:
    """`live`: the incidents not in the trash (a message in a trashed one is in none)."""
    incident = m.incident_id if live is None or m.incident_id in live else None
    return {"id": m.id, "index": m.index, "sender": m.sender_name, "from_person": m.outgoing,
            "sent_at": m.sent_at, "time_basis": m.time_basis, "time_note": m.time_note,
            "kind": m.kind, "text": m.text, "subject": m.subject,
            "call": ({"number": m.call_number, "direction": m.call_direction,
                      "status": m.call_status, "seconds": m.call_seconds}
                     if m.kind == "call" else None),
            "forwarded_from": m.forwarded_from, "edited": m.edited,
            "edited_at": m.edited_at, "unsent": m.unsent,
            "export": m.export_mark, "line": m.source_line, "incident_id": incident,
            "attachments": [{"exhibit": a.exhibit_mark, "name": a.name} for a in m.attachments]}


def cmd_conversation_show(args: argparse.Namespace) -> int:
    from evidence_app.core.conversation_links import live_incidents
    from evidence_app.core.conversations import get_conversation, messages_page

    with open_case(args) as case:
        tz = case.settings().timezone
        conv = get_conversation(case, args.id)
        page = messages_page(case, args.id, after_index=max(0, args.start - 1),
                             limit=args.limit)
        live = live_incidents(case, (m.incident_id for m in page if m.incident_id))

    def text() -> str:
        lines = [f"{conv.source_label} \u201c{printable(conv.title)}\u201d: "
                 f"{plural(conv.message_count, 'message')}, {plural(conv.call_count, 'call')}"]
        for p in conv.participants:
            role = " (you)" if p.is_owner else " (suspect)" if p.is_suspect else ""
            lines.append(f"  participant {p.id}: {printable(p.label)}{role}")
        for e in conv.exports:
            lines.append(f"  export {e.exhibit_mark} {printable(e.file_name)} sha256 {e.sha256}"
                         + (f" ({len(e.problems)} problem(s))" if e.problems else ""))
        for m in page:
            when = m.local(tz)
            stamp = f"{when:%d/%m/%Y %H:%M:%S}" if when else "undated"
            body = m.call_summary() if m.kind == "call" else m.text
            files = "".join(f" [{a.exhibit_mark} {a.name}]" for a in m.attachments)
            who = m.sender_name or "(system)"
            marks = "".join(f"[{x}] " for x in m.marks(tz))  # forwarded, edited, unsent
            lines.append(f"{m.index:>6}  {stamp}  {printable(who)}: "
                         f"{printable(marks)}{printable(body)}{files}")
        return "\n".join(lines)

    emit(args, dict(_conv_json(conv), page=[_message_json(m, live) for m in page]), text)
    return 0


def cmd_conversation_days(args: argparse.Namespace) -> int:
    from evidence_app.core.conversations import day_counts

    with open_case(args) as case:
        days = day_counts(case, args.id, args.participant)
    emit(args, [{"day": d.day, "messages": d.messages, "calls": d.calls, "missed": d.missed}
                for d in days],
         lambda: "\n".join(f"{d.day:%d/%m/%Y}  {d.messages:>5} messages  {d.calls:>4} calls "
                           f"({d.missed} missed)" for d in days) or "No messages.")
    return 0


def cmd_conversation_propose(args: argparse.Namespace) -> int:
    from evidence_app.core.conversations import incidents_from_proposals, propose_days

    with open_case(args) as case:
        proposals = propose_days(case, args.id, args.participant)
        created = incidents_from_proposals(case, proposals) if args.create and proposals else []
    rows = [{"day": p.day, "label": p.label, "title": p.title, "messages": p.messages,
             "calls": p.calls, "missed": p.missed,
             "indexes": f"{p.first_index}-{p.last_index}"} for p in proposals]

    def text() -> str:
        if not proposals:
            return "Nothing to group: every message of theirs is already in an incident."
        lines = [f"{p.day:%d/%m/%Y}  {p.label}  (" + (
            f"message {p.first_index})" if p.first_index == p.last_index else
            f"messages {p.first_index}-{p.last_index})") for p in proposals]
        lines.append(f"Created incidents {', '.join(map(str, created))}." if created else
                     "Nothing was created; add --create to make these incidents.")
        return "\n".join(lines)

    emit(args, {"proposals": rows, "created": created}, text)
    return 0


def cmd_conversation_who(args: argparse.Namespace) -> int:
    from evidence_app.core.conversations import set_participant

    person: int | None | bool = False
    if args.person is not None:
        person = None if args.person == 0 else args.person
    with open_case(args) as case:
        set_participant(case, args.participant, is_owner=True if args.me else None,
                        is_suspect=args.suspect, person_id=person)
    emit(args, {"participant": args.participant}, "Saved.")
    return 0


def cmd_conversation_add_to(args: argparse.Namespace) -> int:
    from evidence_app.core.conversations import add_messages_to_incident

    with open_case(args) as case:
        ids = messages_from_specs(case, args.messages)
        moved = add_messages_to_incident(case, args.incident, ids)
    emit(args, {"incident": args.incident, "added": moved},
         f"Added {plural(moved, 'message')} to incident {args.incident}.")
    return 0


def cmd_conversation_delete(args: argparse.Namespace) -> int:
    from evidence_app.core.conversations import delete_conversation, restore_conversation

    with open_case(args) as case:
        (restore_conversation if args.restore else delete_conversation)(case, args.id)
    emit(args, {"id": args.id, "trashed": not args.restore},
         f"Conversation {args.id} {'restored' if args.restore else 'moved to the trash'}.")
    return 0


def create_from_messages(case: Case, args: argparse.Namespace, category: str | None) -> int:
    """`incident add --from-messages`: the incident made from the messages named."""
    from evidence_app.core.conversations import incident_from_messages

    ids = messages_from_specs(case, args.from_messages)
    return incident_from_messages(case, ids, title=args.title or None,
                                  category=category, description=args.description or "")


def add_conversation(sub: Subcommands, json_parent: Parser) -> None:
    js = json_parent
    conv = sub.add_parser("conversation", help="imported chats, texts, calls and mail")
    csub = conv.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = csub.add_parser("list", parents=[js], help="every conversation, latest first")
    p.set_defaults(run=cmd_conversation_list)
    p = csub.add_parser("show", parents=[js],
                        help="a conversation's participants, export files and messages")
    p.add_argument("id", type=record_id, metavar="ID")
    p.add_argument("--from", dest="start", type=record_id, default=1, metavar="N",
                   help="start at message N (default 1)")
    p.add_argument("--limit", type=record_id, default=200, metavar="N",
                   help="show up to N messages (default 200)")
    p.set_defaults(run=cmd_conversation_show)
    p = csub.add_parser("days", parents=[js], help="messages and calls per day")
    p.add_argument("id", type=record_id, metavar="ID")
    p.add_argument("--participant", type=record_id, metavar="P",
                   help="only what this participant sent")
    p.set_defaults(run=cmd_conversation_days)
    p = csub.add_parser("propose", parents=[js],
                        help="Group by day: one incident per day of a suspect's messages "
                             "and calls (shown first; --create makes them)")
    p.add_argument("id", type=record_id, metavar="ID")
    p.add_argument("--participant", type=record_id, metavar="P",
                   help="whose messages (default: the suspects)")
    p.add_argument("--create", action="store_true", help="make the incidents proposed")
    p.set_defaults(run=cmd_conversation_propose)
    p = csub.add_parser("who", parents=[js], help="say who a participant is")
    p.add_argument("participant", type=record_id, metavar="PARTICIPANT_ID")
    p.add_argument("--me", action="store_true", help="this is you")
    p.add_argument("--suspect", action=argparse.BooleanOptionalAction, default=None,
                   help="mark (or with --no-suspect, unmark) as a suspect")
    p.add_argument("--person", type=int, metavar="PERSON_ID",
                   help="link to this person in People (0 unlinks)")
    p.set_defaults(run=cmd_conversation_who)
    p = csub.add_parser("delete", parents=[js],
                        help="move a conversation to the trash (its messages stay in the "
                             "case and in incidents made from them)")
    p.add_argument("id", type=record_id, metavar="ID")
    p.add_argument("--restore", action="store_true", help="take it out of the trash")
    p.set_defaults(run=cmd_conversation_delete)
    p = csub.add_parser("add-to", parents=[js], help="add messages to an existing incident")
    p.add_argument("incident", type=record_id, metavar="INCIDENT_ID")
    p.add_argument("messages", nargs="+", metavar="CONV:RANGE",
                   help="e.g. 3:341-355 (numbers from conversation show)")
    p.set_defaults(run=cmd_conversation_add_to)
