"""What every message importer shares: the conversations an export holds, local times
read with the app's clock-change rules, safe reading of zip files, and saving it all.

An importer (whatsapp.py, sms_backup.py, email.py, meta_dyi.py, telegram.py) reads an
export into `ChatExport`s (one per conversation it holds) and hands them to
`save_exports`, which:

1. keeps the export file itself, and every file sent with a message, as exhibits
   through the ordinary file import (`import_files`: hashed, stored, read, previewed);
2. in one unit of work, finds the conversation a re-import continues (same source and
   key) or makes it, gives each new message the next index, skips the messages already
   there (same sender, time, text and, for repeats, ordinal), and inserts the rest in
   bulk; one audit event per export and conversation records what was added (indexes,
   count and a digest of the added messages, so the import can be repeated and checked).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from evidence_app.core.dates import clock_change
from evidence_app.core.errors import ValidationError
from evidence_app.core.importers.files import ImportResult, import_files
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.search.messages import MessageDoc, index_new, message_doc
from evidence_app.core.store.audit import canonical
from evidence_app.core.store.bulk import bulk_insert, bulk_insert_values, stored_datetime
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import (
    Conversation,
    ConversationExport,
    Message,
    Participant,
    message_attachments,
)

# Zip limits (as a phone's "Export chat" never comes near): refuse what could fill the
# disk or point outside the folder it is unpacked into.
MAX_MEMBER = 2 * 1024**3  # one file sent in a chat
MAX_TOTAL = 20 * 1024**3
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MB
MAX_MEMBERS = 200_000


class ImportProblem(ValidationError):
    """An export that cannot be imported at all (the message says why and what to do)."""


@dataclass(slots=True)
class ChatMessage:
    """One message, call or system line as read from an export."""

    sender: str  # the name the export gives ("" for a system line)
    sent_at: datetime | None  # aware UTC
    time_basis: str  # exact, offset, export_zone, case_zone (see models.Message)
    line: int | None  # line (or entry number) in the export where it was read
    text: str = ""
    kind: str = "text"  # text, call, system
    address: str = ""  # number, e-mail address or handle
    time_note: str = ""
    subject: str = ""
    call_number: str = ""
    call_direction: str = ""
    call_status: str = ""
    call_seconds: int | None = None
    files: list[str] = field(default_factory=list)  # keys of ChatExport.files
    from_owner: bool | None = None  # the export says the person sent it
    part: int = 0  # which of the export files given to `save_exports` it was read from


@dataclass
class ChatExport:
    """One conversation read from an export file."""

    source: str  # whatsapp, sms, email, instagram, messenger, telegram
    title: str
    source_key: str  # what identifies the same conversation in a later export
    messages: list[ChatMessage] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be read, and where
    files: dict[str, Path] = field(default_factory=dict)  # name -> unpacked file
    options: dict[str, Any] = field(default_factory=dict)
    owner_names: set[str] = field(default_factory=set)  # names the person goes by here
    # An export that came in several files (Meta's download in parts): the file each
    # of `files` was found in (index into the paths given to `save_exports`; 0 if not
    # said), and options recorded only with one file's export record.
    file_parts: dict[str, int] = field(default_factory=dict)
    part_options: dict[int, dict[str, Any]] = field(default_factory=dict)


@dataclass
class ConversationImport:
    """What importing one export did to one conversation (the CLI prints it)."""

    conversation_id: int
    title: str
    source: str
    new_conversation: bool
    messages_read: int
    messages_added: int
    first_index: int | None
    last_index: int | None
    calls: int
    files: int
    export_exhibit: str
    export_sha256: str
    problems: list[str]
    # An export read from several files (the parts of one download): each file that
    # gave this conversation messages or pictures, with its exhibit mark and hash.
    parts: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


# --------------------------------------------------------------------------- times
class LocalClock:
    """Turns an export's local times into UTC in one zone, in message order, using the
    app's clock-change rules (core.dates.clock_change): a time in the hour repeated when
    the clocks go back is the first one unless the messages have already passed it (then
    the second), and the note on the message says which; a time in the skipped hour is
    kept as the zone reads it, with a note."""

    def __init__(self, tz: str, basis: str) -> None:
        self.tz = tz
        self.zone = ZoneInfo(tz)
        self.basis = basis
        self._last: datetime | None = None
        # UTC offsets by local hour: a chat has many messages an hour, and the zone's
        # rules are the slow part of turning each into UTC.
        self._offsets: dict[tuple[int, int, int, int], tuple[timedelta, timedelta]] = {}

    def utc(self, naive: datetime) -> tuple[datetime, str]:
        key = (naive.year, naive.month, naive.day, naive.hour)
        offsets = self._offsets.get(key)
        if offsets is None:
            first = naive.replace(tzinfo=self.zone)
            second = naive.replace(tzinfo=self.zone, fold=1)
            offsets = (first.utcoffset() or timedelta(0), second.utcoffset() or timedelta(0))
            self._offsets[key] = offsets
        note = ""
        if offsets[0] != offsets[1]:
            first_utc = (naive - offsets[0]).replace(tzinfo=UTC)
            second_utc = (naive - offsets[1]).replace(tzinfo=UTC)
            fold = 0
            if self._last is not None and first_utc < self._last <= second_utc:
                fold = 1
            change = clock_change(naive.date(), naive.time(), self.tz, fold)
            if change is not None:
                note = change[1]
            chosen = naive.replace(tzinfo=self.zone, fold=fold)
            result = chosen.astimezone(UTC)
        else:
            result = (naive - offsets[0]).replace(tzinfo=UTC)
        self._last = result
        return result, note


def scratch_file(scratch: Path, folder: str, name: str) -> Path:
    """Where to put a file unpacked from an export: under its own folder in the scratch
    space, by its own name (kept as the exhibit's name), so files of different messages
    may share a name. Only the last part of either is used, and never "." or "..": a
    name an export gives ("../../x.jpg") cannot place a file outside its folder."""
    folder = _plain_name(folder, "file")
    place = scratch / folder
    place.mkdir(parents=True, exist_ok=True)
    return place / _plain_name(name, "file")


def _plain_name(name: str, default: str) -> str:
    base = PurePosixPath(name.replace("\\", "/")).name
    return default if base in ("", ".", "..") else base


def from_epoch_ms(ms: int | float) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


# --------------------------------------------------------------------------- JSON
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def load_json_readable(text: str, name: str, lists: Sequence[str] = ("messages", "list"),
                       ) -> tuple[Any, str]:
    """The JSON in `text`, and "" -- or, for a file cut short or damaged part-way (a
    download that stopped, a copy that failed), everything up to the last whole entry
    of one of the `lists` (by key: never half a message) before the damage, and a
    sentence saying where the damage is. Raises `json.JSONDecodeError` if nothing whole
    can be read."""
    try:
        return json.loads(text), ""
    except json.JSONDecodeError as exc:
        error = exc
    # Where an entry of a wanted list ends (and which brackets are open there).
    cuts: list[tuple[int, str]] = []
    stack: list[tuple[str, str]] = []  # (bracket, the key it is the value of)
    last = ""
    for m in _JSON_TOKENS.finditer(text, 0, error.pos + 1):
        token = m.group()
        if token[0] == '"':
            last = token
        elif token in "[{":
            stack.append((token, last))
        else:
            if not stack:
                break
            stack.pop()
            if stack and stack[-1][0] == "[" and stack[-1][1].strip('"') in lists:
                cuts.append((m.end(), "".join(b for b, _ in stack)))
    for end, opened in reversed(cuts[-200:]):  # the last whole entry that reads
        closing = "".join("]" if c == "[" else "}" for c in reversed(opened))
        try:
            data = json.loads(text[:end] + closing)
        except json.JSONDecodeError:
            continue
        return data, (f"{name} is damaged or cut short at line {error.lineno}, column "
                      f"{error.colno}: what follows could not be read")
    raise error


def read_json_bytes(raw: bytes, name: str) -> tuple[Any, list[str]]:
    """`load_json_readable` for a file's bytes (UTF-8, with or without a BOM); bytes
    that are not UTF-8 (a file cut inside a character) are read as \ufffd, and said."""
    problems: list[str] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = raw.decode("utf-8-sig", errors="replace")
        problems.append(f"{name}: not valid UTF-8 from byte {exc.start:,}; unreadable "
                        f"characters shown as \ufffd")
    data, damage = load_json_readable(text, name)
    return data, problems + ([damage] if damage else [])


# --------------------------------------------------------------------------- zip files
def safe_members(zf: zipfile.ZipFile, compressed_size: int | None = None,
                 ) -> tuple[list[zipfile.ZipInfo], list[str]]:
    """The members of a zip that may be unpacked, and sentences for those refused:
    paths pointing outside (absolute, `..`, drive letters), links, members too big, or
    compressed suspiciously well (a zip bomb)."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportProblem(f"The zip file holds {len(infos)} files, more than a chat export "
                            "does; it was not opened.")
    ok: list[zipfile.ZipInfo] = []
    refused: list[str] = []
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename.replace("\\", "/")
        path = PurePosixPath(name)
        if (name.startswith("/") or ".." in path.parts or (len(name) > 1 and name[1] == ":")
                or any(p in ("", ".") for p in path.parts[:-1])):
            refused.append(f"{info.filename}: its path points outside the export; not unpacked")
            continue
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            refused.append(f"{info.filename}: a link, not a file; not unpacked")
            continue
        if info.file_size > MAX_MEMBER:
            refused.append(f"{info.filename}: {info.file_size:,} bytes, larger than any file "
                           "a chat sends; not unpacked")
            continue
        if info.file_size > 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            refused.append(f"{info.filename}: compressed {info.file_size // max(info.compress_size, 1)}"
                           " times over (a zip bomb?); not unpacked")
            continue
        total += info.file_size
        if total > MAX_TOTAL:
            refused.append(f"{info.filename}: the export unpacks to more than "
                           f"{MAX_TOTAL // 1024**3} GB; the rest was not unpacked")
            break
        ok.append(info)
    return ok, refused


def unsafe_reference(name: str) -> str:
    """Why a file named by a message (a photo's path in an export) may not be looked
    for, as the zip checks say it ("" when it may): an absolute path, a drive letter,
    `..`, or a link (a URL) rather than a file of the export."""
    text = name.replace("\\", "/")
    parts = PurePosixPath(text).parts
    if text.startswith("/") or (len(text) > 1 and text[1] == ":") or ".." in parts:
        return f"{name}: its path points outside the export; not read"
    if "://" in text or text.lower().startswith(("file:", "data:", "mailto:")):
        return f"{name}: a link, not a file of the export; not read"
    return ""


def file_beside(root: Path, name: str) -> tuple[Path | None, str]:
    """The file a message names, under the export's folder `root`: (its path, "") when
    it is a regular file there; (None, why) when the name or a link on the way points
    outside (refused as a zip member would be); (None, "") when it is simply absent."""
    why = unsafe_reference(name)
    if why:
        return None, why
    candidate = root.joinpath(*PurePosixPath(name.replace("\\", "/")).parts)
    here = root
    for part in candidate.relative_to(root).parts:
        here = here / part
        if here.is_symlink():
            return None, f"{name}: a link, not a file of the export; not read"
    if not candidate.is_file():
        return None, ""
    return candidate, ""


def unpack(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, limit: int = MAX_MEMBER,
           ) -> Path:
    """Unpack one member under `dest` (a scratch folder), by its base name, never
    trusting its stated size: reading stops past `limit`."""
    name = PurePosixPath(info.filename.replace("\\", "/")).name or "file"
    target = dest / name
    n = 1
    while target.exists():
        target = dest / f"{Path(name).stem} ({n}){Path(name).suffix}"
        n += 1
    written = 0
    with zf.open(info) as src, open(target, "wb") as out:
        while chunk := src.read(1024 * 1024):
            written += len(chunk)
            if written > limit:
                raise ImportProblem(f"{info.filename} unpacks to more than it says; refused")
            out.write(chunk)
    return target


# --------------------------------------------------------------------------- saving
MESSAGE_COLUMNS = ("id", "conversation_id", "idx", "participant_id", "sent_at", "time_basis",
                   "time_note", "kind", "text", "subject", "call_number", "call_direction",
                   "call_status", "call_seconds", "source_export_id", "source_line",
                   "dedupe_key", "incident_id")
def dedupe_keys(messages: Sequence[ChatMessage],
                stamps: Sequence[str | None] | None = None) -> list[str]:
    """A key per message that a longer export of the same conversation gives again:
    sender, time (as stored), kind and text, with an ordinal for exact repeats.
    `stamps` are the times as stored, when the caller has them already."""
    if stamps is None:
        stamps = [stored_datetime(m.sent_at) for m in messages]
    seen: dict[str, int] = {}
    keys = []
    sha = hashlib.sha256
    for m, when in zip(messages, stamps, strict=True):
        base = "\x1f".join((m.sender, m.address, when or "", m.kind, m.text, m.call_number,
                            m.call_status, ",".join(m.files)))
        n = seen.get(base, 0)
        seen[base] = n + 1
        keys.append(sha(f"{base}\x1f{n}".encode()).hexdigest()[:40])
    return keys


def _import_exhibits(case: Case, paths: list[Path], origins: dict[Path, str],
                     dated: set[Path], cancel: CancelToken,
                     ) -> Iterator[Progress | dict[str, ImportResult]]:
    results: dict[str, ImportResult] = {}
    for event in import_files(case, paths, cancel=cancel, origins=origins or None,
                              dated_by_message=dated):
        if isinstance(event.item, ImportResult):
            results[event.item.path] = event.item
        yield Progress(event.done, event.total, f"Keeping files: {event.message}")
    yield results


def _date_files(exports: Sequence[ChatExport]) -> set[Path]:
    """Give each unpacked file the time of the first message that sent it as its
    modification time: a picture with no date of its own (an MMS, a mail attachment)
    is then dated when it was sent, not when it was unpacked. Returns the files dated."""
    dated: set[Path] = set()
    for ex in exports:
        done: set[str] = set()
        for m in ex.messages:
            if m.sent_at is None:
                continue
            for name in m.files:
                path = ex.files.get(name)
                if path is None or name in done:
                    continue
                done.add(name)
                stamp = m.sent_at.timestamp()
                with contextlib.suppress(OSError):
                    os.utime(path, (stamp, stamp))
                    dated.add(path)
    return dated


def save_exports(case: Case, export_path: Path | Sequence[Path],
                 exports: Sequence[ChatExport], importer: str,
                 cancel: CancelToken | None = None) -> Iterator[Progress]:
    """Keep the export file and its attachments as exhibits, then add the conversations'
    new messages. Yields Progress; the last events carry a `ConversationImport` each.

    `export_path` may be several files read as one export (the parts of one Meta
    download): each is kept as an exhibit of its own, and each message is recorded as
    read from its own file (`ChatMessage.part`, an index into them)."""
    cancel = cancel or CancelToken()
    export_paths = [Path(export_path)] if isinstance(export_path, (str, Path)) else [
        Path(p) for p in export_path]
    for path in export_paths:
        if case.contains(path):
            raise ImportProblem(f"{path} is inside the case folder itself; import the "
                                "export from where it was saved.")
    # Of a download in parts, only the parts that gave a chat file or a picture are
    # kept (a part with only posts or settings is no evidence of the messages).
    used = sorted({m.part for ex in exports for m in ex.messages} | {
        ex.file_parts.get(name, 0) for ex in exports for name in ex.files}) or [0]
    if len(export_paths) > 1 and exports:
        unused = [p.name for i, p in enumerate(export_paths) if i not in used]
        exports[0].problems += [f"{name} holds no chat file and no picture sent in a chat "
                                "(only other parts of the download); it was not kept"
                                for name in unused]
    dated = _date_files(exports)
    file_paths: list[Path] = []
    origins: dict[Path, str] = {}
    for ex in exports:
        for name, path in ex.files.items():
            if path not in origins:
                file_paths.append(path)
                part = ex.file_parts.get(name, 0)
                origins[path] = f"{export_paths[part]}/{name}"
    results: dict[str, ImportResult] = {}
    kept = [export_paths[i] for i in used]
    for event in _import_exhibits(case, [*kept, *file_paths], origins, dated, cancel):
        if isinstance(event, dict):
            results = event
        else:
            yield event
    if cancel.cancelled:
        return
    export_results: dict[int, ImportResult] = {}
    for i in used:
        path = export_paths[i]
        export_result = results.get(str(path))
        if export_result is None or export_result.id is None:
            reason = export_result.reason if export_result else "it could not be read"
            raise ImportProblem(f"The export file {path.name} could not be kept: {reason}.")
        export_results[i] = export_result
    file_ids = {str(p): r.id for p, r in ((p, results.get(str(p))) for p in file_paths)
                if r is not None and r.id is not None}
    yield Progress(0, len(exports), "Adding messages")
    for n, ex in enumerate(exports, 1):
        outcome = _save_one(case, ex, importer, export_results, file_ids,
                            [p.name for p in export_paths])
        yield Progress(n, len(exports), f"{outcome.title}: {outcome.messages_added} new",
                       outcome)


def _participants(session: Any, conv: Conversation, ex: ChatExport,
                  audit: Any) -> dict[tuple[str, str], int]:
    rows = session.scalars(select(Participant).where(
        Participant.conversation_id == conv.id)).all()
    known = {(p.name, p.address): p.id for p in rows}
    by_name = {p.name: p.id for p in rows if p.name}
    by_address = {p.address: p.id for p in rows if p.address}
    out: dict[tuple[str, str], int] = {}
    for m in ex.messages:
        if m.kind == "system" and not m.sender:
            continue
        key = (m.sender, m.address)
        if key in out:
            continue
        pid = known.get(key) or (by_address.get(m.address) if m.address else None) or (
            by_name.get(m.sender) if m.sender and not m.address else None)
        if pid is None:
            owner = m.from_owner is True or (m.sender in ex.owner_names and bool(m.sender))
            p = Participant(conversation_id=conv.id, name=m.sender, address=m.address,
                            is_owner=owner, is_suspect=False)
            session.add(p)
            session.flush()
            audit.log("create", "participant", p.id, conversation_id=conv.id, name=p.name,
                      address=p.address, is_owner=owner)
            pid = p.id
            known[key] = pid
            if m.sender:
                by_name.setdefault(m.sender, pid)
            if m.address:
                by_address.setdefault(m.address, pid)
        out[key] = pid
    return out


CHUNK_ROWS = 20_000


def _insert(conn: Any, rows: list[tuple[Any, ...]], docs: list[tuple[int, MessageDoc]],
            next_id: int) -> int:
    """Insert the rows gathered (ids up to `next_id` - 1) and their search documents;
    empties both lists; returns how many."""
    if not rows:
        return 0
    bulk_insert_values(conn, Message.__table__, MESSAGE_COLUMNS, rows)
    index_new(conn, rows[0][0], next_id - 1, docs)
    count = len(rows)
    rows.clear()
    docs.clear()
    return count


def _late_links(session: Any, conversation_id: int, late: list[tuple[str, int, str]],
                ) -> list[dict[str, Any]]:
    """Links for files that messages already in the conversation name but lacked (a
    picture in a part of a download imported later): those not linked yet."""
    if not late:
        return []
    ids: dict[str, int] = {}
    keys = sorted({k for k, _, _ in late})
    for i in range(0, len(keys), 500):
        ids.update((row[0], row[1]) for row in session.execute(select(
            Message.dedupe_key, Message.id).where(
            Message.conversation_id == conversation_id,
            Message.dedupe_key.in_(keys[i:i + 500]))))
    wanted = {(ids[k], att, name) for k, att, name in late if k in ids}
    message_ids = sorted({mid for mid, _, _ in wanted})
    linked: set[tuple[int, int]] = set()
    for i in range(0, len(message_ids), 500):
        linked.update((row[0], row[1]) for row in session.execute(select(
            message_attachments.c.message_id, message_attachments.c.attachment_id).where(
            message_attachments.c.message_id.in_(message_ids[i:i + 500]))))
    return [{"message_id": mid, "attachment_id": att, "name": name}
            for mid, att, name in sorted(wanted) if (mid, att) not in linked]


def _save_one(case: Case, ex: ChatExport, importer: str, exports: dict[int, ImportResult],
              file_ids: dict[str, int], names: list[str]) -> ConversationImport:
    """Add one conversation's new messages; one export record per export file that gave
    it messages or pictures (the problems go with the first)."""
    used = sorted({m.part for m in ex.messages} | {
        ex.file_parts.get(name, 0) for name in ex.files})
    stamps = [stored_datetime(m.sent_at) for m in ex.messages]
    keys = dedupe_keys(ex.messages, stamps)
    with case.write() as (session, audit):
        conn = session.connection()
        conv = session.scalars(select(Conversation).where(
            Conversation.source == ex.source, Conversation.source_key == ex.source_key,
            Conversation.deleted_at.is_(None)).order_by(Conversation.id)).first()
        new = conv is None
        now = audit.now()
        if conv is None:
            tz = ex.options.get("timezone") or case.settings().timezone
            conv = Conversation(source=ex.source, title=ex.title or ex.source_key,
                                source_key=ex.source_key, timezone=tz, created_at=now,
                                updated_at=now)
            session.add(conv)
            session.flush()
            audit.log("create", "conversation", conv.id, conversation_id=conv.id,
                      source=ex.source, title=conv.title)
        existing = set(session.scalars(select(Message.dedupe_key).where(
            Message.conversation_id == conv.id)))
        people = _participants(session, conv, ex, audit)
        records: dict[int, ConversationExport] = {}
        for part in used:
            records[part] = ConversationExport(
                conversation_id=conv.id, attachment_id=exports[part].id, importer=importer,
                options=canonical({**ex.options, **ex.part_options.get(part, {})}),
                imported_at=now, messages_read=sum(m.part == part for m in ex.messages),
                messages_added=0, problems="[]")
            session.add(records[part])
        session.flush()
        record_ids = {part: r.id for part, r in records.items()}
        added_by_part = dict.fromkeys(records, 0)
        next_idx = (session.scalar(select(func.max(Message.idx)).where(
            Message.conversation_id == conv.id)) or 0) + 1
        next_id = (session.scalar(select(func.max(Message.id))) or 0) + 1
        who = {p.id: (p.name, p.address) for p in session.scalars(
            select(Participant).where(Participant.conversation_id == conv.id))}
        rows: list[tuple[Any, ...]] = []
        docs: list[tuple[int, MessageDoc]] = []
        links: list[dict[str, Any]] = []
        added_keys: list[str] = []
        nobody = ("", "")
        calls = 0
        missing: list[str] = []
        where = "in none of the parts given" if len(names) > 1 else "not in the export"
        first_idx = next_idx
        added = 0
        late: list[tuple[str, int, str]] = []  # files of messages already here
        for m, key, stamp in zip(ex.messages, keys, stamps, strict=True):
            if key in existing:
                for file_name in dict.fromkeys(m.files) if m.files else ():
                    path = ex.files.get(file_name)
                    att_id = file_ids.get(str(path)) if path is not None else None
                    if att_id is not None and path is not None:
                        late.append((key, att_id, path.name))
                continue
            existing.add(key)
            pid = people.get((m.sender, m.address))
            rows.append((
                next_id, conv.id, next_idx, pid, stamp, m.time_basis,
                m.time_note, m.kind, m.text, m.subject, m.call_number, m.call_direction,
                m.call_status, m.call_seconds, record_ids[m.part], m.line, key, None))
            added_by_part[m.part] += 1
            name, address = who.get(pid, nobody) if pid is not None else nobody
            docs.append((next_id, message_doc(m.text, m.subject, m.call_number, name,
                                              address)))
            added_keys.append(key)
            if m.kind == "call":
                calls += 1
            for file_name in dict.fromkeys(m.files) if m.files else ():
                path = ex.files.get(file_name)
                att_id = file_ids.get(str(path)) if path is not None else None
                if att_id is None:
                    missing.append(f"message {next_idx}: {file_name} was {where}")
                    continue
                links.append({"message_id": next_id, "attachment_id": att_id,
                              "name": path.name if path is not None else file_name})
            next_id += 1
            next_idx += 1
            if len(rows) >= CHUNK_ROWS:  # in chunks: a long chat need not be held twice
                added += _insert(conn, rows, docs, next_id)
        added += _insert(conn, rows, docs, next_id)
        links += _late_links(session, conv.id, late)
        bulk_insert(conn, message_attachments, links)
        problems = ex.problems + missing[:200] + (
            [f"... and {len(missing) - 200} more files named in messages were not in the export"]
            if len(missing) > 200 else [])
        for part, record in records.items():
            record.messages_added = added_by_part[part]
        records[used[0]].problems = json.dumps(problems, ensure_ascii=False)
        first = first_idx if added else None
        last = next_idx - 1 if added else None
        if added:
            conv.updated_at = now
        marks = ", ".join(exports[p].exhibit for p in used)
        parts = [{"file": names[p], "exhibit": exports[p].exhibit,
                  "sha256": exports[p].sha256, "messages_read": records[p].messages_read,
                  "messages_added": added_by_part[p]} for p in used] if len(names) > 1 else []
        audit.log("import", "conversation", conv.id, conversation_id=conv.id,
                  export=marks, sha256=exports[used[0]].sha256, importer=importer,
                  read=len(ex.messages), added=added,
                  messages=f"{first}-{last}" if added else "", files=len(links),
                  digest=hashlib.sha256("".join(k + "\n" for k in added_keys).encode())
                  .hexdigest(), problems=len(problems), options=ex.options,
                  **({"parts": parts} if parts else {}))
        return ConversationImport(
            conv.id, conv.title, ex.source, new, len(ex.messages), added, first, last,
            calls, len(links), marks, exports[used[0]].sha256, problems, parts)
