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

import bisect
import contextlib
import hashlib
import json
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import attrgetter
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from evidence_app.core.dates import clock_change
from evidence_app.core.errors import ValidationError
from evidence_app.core.importers.files import ImportResult, import_files
from evidence_app.core.importers.message_marks import add_marks, record_marks
from evidence_app.core.importers.phone_numbers import address_key
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.search.messages import (
    MessageDoc,
    index_new,
    index_plain,
    message_doc,
    needs_own_doc,
    queue_paused,
    text_needs_own_doc,
)
from evidence_app.core.store.audit import canonical
from evidence_app.core.store.bulk import (
    bulk_insert,
    bulk_insert_shared,
    bulk_insert_values,
    stored_datetime,
)
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import (
    Attachment,
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
    wall: str = ""  # "2025-03-14 22:15:00": the local time as written, for zone-less times
    stamp: str | None = None  # sent_at as stored, when the importer has it (else computed)
    media: bool = False  # it sent a picture or file (attached, or "<Media omitted>")
    # What the export says beyond the words (message_marks.py; text stays exact):
    forwarded_from: str | None = None  # forwarded, from whom ("" = not said)
    edited: bool = False  # changed after it was sent
    edited_at: datetime | None = None  # when, aware UTC, if the export says
    unsent: bool = False  # taken back by its sender (Instagram, Messenger)


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
    # Why the files its messages name are not in it ("it was shared without media"):
    # then the import names them in one line with this reason, not file by file.
    media_note: str = ""
    # Names refused as unsafe (a path outside the export, a link): already said where
    # they were refused, so not said again as files missing from the export.
    refused: set[str] = field(default_factory=set)


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
    files_added: int = 0  # messages already there given the pictures they lacked
    renumbered: int = 0  # messages already there moved along by earlier ones
    marks_added: int = 0  # messages already there given a forwarded/edited/unsent mark
    # An export read from several files (the parts of one download): each file that
    # gave this conversation messages or pictures, with its exhibit mark and hash.
    parts: list[dict[str, Any]] = field(default_factory=list)
    # The new messages' numbers ("1, 3, 5-7"): slotted in among those already there,
    # they need not run from first_index to last_index.
    indexes: str = ""

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

    def day_offset(self, year: int, month: int, day: int) -> timedelta | None:
        """The zone's UTC offset all through a day with no clock change (most days: a
        time on them is the local time minus it), or None for a clock-change day (then
        `utc` decides each time)."""
        start = datetime(year, month, day, tzinfo=self.zone)
        end = datetime(year, month, day, 23, 59, 59, tzinfo=self.zone)
        offsets = {start.utcoffset(), start.replace(fold=1).utcoffset(), end.utcoffset(),
                   end.replace(fold=1).utcoffset()}
        return offsets.pop() if len(offsets) == 1 else None

    def passed(self, when: datetime) -> None:
        """Note a time read by the caller with `day_offset` (the clock-change rule needs
        the last time read)."""
        self._last = when

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
                   "source_index", "dedupe_key", "incident_id")

# What an export without its media writes where a picture or file was sent: Android's
# "<Media omitted>", iPhone's "image omitted", "video omitted", ... and for documents
# "report.pdf • 3 pages document omitted".
_MEDIA_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"
MEDIA_PLACEHOLDER = re.compile(
    r"^[\s" + _MEDIA_MARKS + r"]*(?:<Media omitted>|(?:image|video|audio|sticker|GIF|"
    r"Contact card|document) omitted|[^\n]*[\s" + _MEDIA_MARKS + r"]document omitted)[\s" + _MEDIA_MARKS + r"]*$")


def is_media_placeholder(text: str) -> bool:
    """The text an export without media writes in place of a picture or file."""
    return "omitted" in text and MEDIA_PLACEHOLDER.match(text) is not None


def identities(messages: Sequence[ChatMessage],
               stamps: Sequence[str | None] | None = None, *,
               media_counts: bool = True) -> list[str]:
    """The identity of each message: what another export of the same conversation
    gives again for the same message, so that a re-import recognises it.

    Sender, time, kind and text, with an ordinal for exact repeats. The time is the
    local wall-clock time as the export wrote it (`ChatMessage.wall`) for exports whose
    times carry no zone, so a re-import after the case's zone changed still matches;
    otherwise the absolute time (`stamps`: as stored). A message that sent a picture or
    file is the same whether the export came with its media ("IMG-...jpg (file
    attached)", a caption) or without ("<Media omitted>"): its text counts as "media".
    With `media_counts` False its words count even then: the identity revision 0005
    gave a message imported before it whose picture the export lacked (it could not
    tell the message had sent one)."""
    if stamps is None:
        stamps = [stored_datetime(m.sent_at) for m in messages]
    sha = hashlib.sha256
    media = "\x00media"
    # Each message's fields, each followed by \x1f; then the ordinal.
    bases = [f"{m.sender}\x1f{m.address}\x1f{m.wall or when or ''}\x1f{m.kind}\x1f"
             f"{media if m.media and media_counts else m.text}\x1f{m.call_number}\x1f"
             f"{m.call_status}\x1f"
             for m, when in zip(messages, stamps, strict=True)]
    if len(set(bases)) == len(bases):  # no repeats (most exports): every ordinal is 0
        return [sha((base + "0").encode()).hexdigest()[:40] for base in bases]
    seen: dict[str, int] = {}
    keys = []
    for base in bases:
        n = seen.get(base, 0)
        seen[base] = n + 1
        keys.append(sha(f"{base}{n}".encode()).hexdigest()[:40])
    return keys


dedupe_keys = identities  # the name it had first


def place_new(existing_times: Sequence[str | None], matched: Sequence[int | None],
              new_times: Sequence[str | None]) -> list[int]:
    """Where each new message of a re-import goes among the messages already there.

    `existing_times`: the conversation's messages' times as stored, in their order;
    `matched`: for each message of the export in its order, the 0-based place among
    those of the message it is (or None for a new one); `new_times`: the new
    messages' times, in the export's order. Returns, for each new message, how many of
    the existing messages come before it: by time, but never before the existing
    message the export has before it nor after the one it has after it (the export's
    own order), so a longer or earlier export slots its messages in where they belong."""
    total = len(existing_times)
    lows: list[int] = []
    highs: list[int] = []
    low = 0
    pending = 0
    for place in matched:
        if place is None:
            lows.append(low)
            pending += 1
            continue
        highs.extend([place] * pending)
        pending = 0
        low = max(low, place + 1)
    highs.extend([total] * pending)
    dated = [t or "" for t in existing_times]
    ordered = all(a <= b for a, b in zip(dated, dated[1:], strict=False))
    out = []
    for when, lo, hi in zip(new_times, lows, highs, strict=True):
        if lo >= hi:
            out.append(lo)
        elif when is None or not ordered:
            out.append(lo if lo else hi)  # next to the export's neighbour
        else:
            out.append(min(max(bisect.bisect_right(dated, when, lo, hi), lo), hi))
    return out


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
    # One number written two ways ("+1 555 123 4567", "(555) 123-4567") is one person.
    addr = address_key(conv.timezone)
    by_address = {addr(p.address): p.id for p in rows if p.address}
    out: dict[tuple[str, str], int] = {}
    for m in ex.messages:
        if m.kind == "system" and not m.sender:
            continue
        key = (m.sender, m.address)
        if key in out:
            continue
        pid = known.get(key) or (by_address.get(addr(m.address)) if m.address else None) or (
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
                by_address.setdefault(addr(m.address), pid)
        out[key] = pid
    return out


CHUNK_ROWS = 20_000


# A message's own values, and those most of an import's messages share (one statement
# per set of shared values: each row then binds only its own, `bulk_insert_shared`).
OWN_COLUMNS = ("id", "idx", "participant_id", "sent_at", "text", "source_line",
               "source_index", "dedupe_key")
SHARED_COLUMNS = ("conversation_id", "time_basis", "time_note", "kind", "subject",
                  "call_number", "call_direction", "call_status", "call_seconds",
                  "source_export_id", "incident_id")
MAX_SHAPES = 16  # sets of shared values a chunk gathers rows for; other rows go whole
# What a row's SHARED_COLUMNS come from: the message's fields (its `part`: the export
# record's id), with the conversation and no incident.
SHAPE = ("time_basis", "time_note", "kind", "subject", "call_number", "call_direction",
         "call_status", "call_seconds", "part")


def _insert(conn: Any, conv_id: int, record_ids: dict[int, int],
            shaped: dict[tuple[Any, ...], list[tuple[Any, ...]]],
            rows: list[tuple[Any, ...]], docs: list[tuple[int, MessageDoc]], first: int,
            next_id: int) -> int:
    """Insert the rows gathered (ids `first` to `next_id` - 1: by the values they share
    in `shaped`, whole in `rows`) and their search documents: those `docs` holds
    (messages that need their own), the others written by SQLite from the rows;
    empties the three; returns how many."""
    if next_id == first:
        return 0
    for shape, own in shaped.items():
        shared = (conv_id, *shape[:-1], record_ids[shape[-1]], None)
        bulk_insert_shared(conn, Message.__table__, OWN_COLUMNS, own,
                           dict(zip(SHARED_COLUMNS, shared, strict=True)))
    bulk_insert_values(conn, Message.__table__, MESSAGE_COLUMNS, rows)
    index_new(conn, first, next_id - 1, docs)
    runs: list[tuple[int, int]] = []
    start = first
    for mid, _doc in docs:
        if mid > start:
            runs.append((start, mid - 1))
        start = mid + 1
    if start <= next_id - 1:
        runs.append((start, next_id - 1))
    index_plain(conn, runs)
    shaped.clear()
    rows.clear()
    docs.clear()
    return next_id - first


def _ranges(indexes: Sequence[int]) -> str:
    """[3, 4, 5, 9] -> "3-5, 9" (sorted indexes)."""
    parts: list[str] = []
    start = prev = None
    for i in indexes:
        if prev is not None and i == prev + 1:
            prev = i
            continue
        if start is not None:
            parts.append(f"{start}-{prev}" if prev != start else str(start))
        start = prev = i
    if start is not None:
        parts.append(f"{start}-{prev}" if prev != start else str(start))
    return ", ".join(parts)


def _renumber(conn: Any, existing: list[tuple[int, int]], slots: list[int]) -> tuple[
        list[int], int]:
    """Give the new messages their places (`slots`: existing messages before each) and
    move the existing ones after them up; returns the new messages' indexes (in the
    export's order) and how many existing messages were renumbered."""
    order = sorted(range(len(slots)), key=slots.__getitem__)  # stable: export order
    new_idx = [0] * len(slots)
    for rank, j in enumerate(order):
        new_idx[j] = slots[j] + rank + 1
    changes: list[tuple[int, int]] = []
    before = 0  # new messages placed before the existing one at `place`
    ranked = sorted(slots)
    for place, (mid, idx) in enumerate(existing):
        while before < len(ranked) and ranked[before] <= place:
            before += 1
        want = place + 1 + before
        if want != idx:
            changes.append((want, mid))
    if changes:
        # A message imported before revision 0005 has no number of its own in its
        # export: reports cited its idx, so that number stays what they cite.
        conn.exec_driver_sql("UPDATE messages SET source_index = idx WHERE id = ? AND "
                             "source_index IS NULL", [(mid,) for _, mid in changes])
        # Out of the way first: (conversation, idx) is unique at every step.
        conn.exec_driver_sql("UPDATE messages SET idx = -idx WHERE id = ?",
                             [(mid,) for _, mid in changes])
        conn.exec_driver_sql("UPDATE messages SET idx = ? WHERE id = ?", changes)
    return new_idx, len(changes)


def _reclock(ex: ChatExport, tz: str) -> None:
    """Read an export's zone-less times again in `tz`: the zone the conversation's
    earlier imports used, when the case's zone has changed since (its messages keep
    one zone, so they stay in order)."""
    clock = LocalClock(tz, ex.options.get("time_basis") or "case_zone")
    for m in ex.messages:
        if m.wall and m.time_basis == clock.basis:
            m.sent_at, m.time_note = clock.utc(datetime.fromisoformat(m.wall))
            m.stamp = None
    ex.options["timezone"] = tz


def _add_rows(conn: Any, ex: ChatExport, conv_id: int, record_ids: dict[int, int],
              source_index: list[int], where: str, fresh: list[int],
              new_idx: list[int], keys: list[str], stamps: list[str | None],
              people: dict[tuple[str, str], int], who: dict[int, tuple[str, str]],
              next_id: int, file_ids: dict[str, int], links: list[dict[str, Any]],
              missing: list[tuple[int, str]]) -> tuple[int, int]:
    """Insert the new messages (ids from `next_id`, in the export's order) with their
    search documents, in chunks; returns (messages added, calls among them)."""
    rows: list[tuple[Any, ...]] = []  # whole rows (MESSAGE_COLUMNS)
    shaped: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}  # OWN_COLUMNS by shared values
    docs: list[tuple[int, MessageDoc]] = []
    nobody = ("", "")
    first = next_id
    calls = 0
    added = 0
    messages = ex.messages
    # Whether each sender's address is a number (its document spells it out).
    numbered: dict[int | None, bool] = {
        pid: needs_own_doc("", "", "", address) for pid, (_, address) in who.items()}
    numbered[None] = False  # no sender (a system line)
    person = people.get
    digit = text_needs_own_doc
    sender_of = attrgetter("sender", "address")
    shape_of = attrgetter(*SHAPE)
    for pos, idx in zip(fresh, new_idx, strict=True):
        m = messages[pos]
        pid = person(sender_of(m))
        text = m.text
        own = shaped.get(shape := shape_of(m))
        if own is None and len(shaped) < MAX_SHAPES:
            own = shaped[shape] = []
        if own is not None:
            own.append((next_id, idx, pid, stamps[pos], text, m.line, source_index[pos],
                        keys[pos]))
        else:
            rows.append((
                next_id, conv_id, idx, pid, stamps[pos], m.time_basis,
                m.time_note, m.kind, text, m.subject, m.call_number, m.call_direction,
                m.call_status, m.call_seconds, record_ids[m.part], m.line, source_index[pos],
                keys[pos], None))
        # What `needs_own_doc` decides, its parts checked here (cheapest first); a
        # forwarded message's document also names whom it was forwarded from.
        if (numbered[pid] or m.subject or m.call_number or digit(text)
                or m.forwarded_from is not None):
            name, address = who.get(pid, nobody) if pid is not None else nobody
            docs.append((next_id, message_doc(m.text, m.subject, m.call_number, name,
                                              address, m.forwarded_from)))
        if m.kind == "call":
            calls += 1
        if m.files:
            _link_files(ex, m, next_id, idx, file_ids, links, missing, where)
        next_id += 1
        if next_id - first >= CHUNK_ROWS:  # in chunks: a long chat need not be held twice
            added += _insert(conn, conv_id, record_ids, shaped, rows, docs, first, next_id)
            first = next_id
    added += _insert(conn, conv_id, record_ids, shaped, rows, docs, first, next_id)
    return added, calls


def _save_one(case: Case, ex: ChatExport, importer: str, exports: dict[int, ImportResult],
              file_ids: dict[str, int], names: list[str]) -> ConversationImport:
    """Add one conversation's new messages; one export record per export file that gave
    it messages or pictures (the problems go with the first)."""
    message_parts = {m.part for m in ex.messages}
    used = sorted(message_parts | {ex.file_parts.get(name, 0) for name in ex.files})
    # Each message's number in its own export file (its part of a download).
    counters: dict[int, int] = {}
    source_index: list[int] = []
    if len(message_parts) == 1:  # one file (most exports): numbered in order
        source_index = list(range(1, len(ex.messages) + 1))
    for m in ex.messages if len(message_parts) > 1 else ():
        counters[m.part] = counters.get(m.part, 0) + 1
        source_index.append(counters[m.part])
    with case.write() as (session, audit):
        conn = session.connection()
        conv = session.scalars(select(Conversation).where(
            Conversation.source == ex.source, Conversation.source_key == ex.source_key,
            Conversation.deleted_at.is_(None)).order_by(Conversation.id)).first()
        new = conv is None
        if (conv is not None and ex.options.get("time_basis") == "case_zone"
                and ex.options.get("timezone") not in (None, conv.timezone)):
            _reclock(ex, conv.timezone)
        stamps = [m.stamp if m.stamp is not None else stored_datetime(m.sent_at)
                  for m in ex.messages]
        keys = identities(ex.messages, stamps)
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
        # The messages already there, in their order: (id, idx), times, identities.
        existing: list[tuple[int, int]] = []
        existing_times: list[str | None] = []
        place_of: dict[str, int] = {}
        incident_of: dict[int, int] = {}
        if not new:
            for mid, idx, sent, key, incident in conn.exec_driver_sql(
                    "SELECT id, idx, sent_at, dedupe_key, incident_id FROM messages "
                    "WHERE conversation_id = ? ORDER BY idx", (conv.id,)):
                place_of[key] = len(existing)
                existing.append((mid, idx))
                existing_times.append(sent)
                if incident is not None:
                    incident_of[mid] = incident
        with_files: set[int] = set()
        if existing and any(m.files for m in ex.messages):
            with_files = {r[0] for r in conn.exec_driver_sql(
                "SELECT DISTINCT a.message_id FROM message_attachments a JOIN messages m "
                "ON m.id = a.message_id WHERE m.conversation_id = ?", (conv.id,))}
        people = _participants(session, conv, ex, audit)
        records: dict[int, ConversationExport] = {}
        for part in used:
            records[part] = ConversationExport(
                conversation_id=conv.id, attachment_id=exports[part].id, importer=importer,
                options=canonical({**ex.options, **ex.part_options.get(part, {})}),
                imported_at=now, messages_read=len(ex.messages) if message_parts == {part}
                else sum(m.part == part for m in ex.messages),
                messages_added=0, problems="[]")
            session.add(records[part])
        session.flush()
        record_ids = {part: r.id for part, r in records.items()}
        added_by_part = dict.fromkeys(records, 0)
        next_id = (session.scalar(select(func.max(Message.id))) or 0) + 1
        who = {p.id: (p.name, p.address) for p in session.scalars(
            select(Participant).where(Participant.conversation_id == conv.id))}
        # Which messages are new; where the export has the ones already there.
        matched: list[int | None] = []
        fresh: list[int] = []  # positions in ex.messages of the new ones
        links: list[dict[str, Any]] = []
        attached: list[int] = []  # existing messages given the files they lacked
        to_attach: list[tuple[int, int]] = []  # (position in the export, place)
        missing: list[tuple[int, str]] = []  # (message number, file name)
        where = "in none of the parts given" if len(names) > 1 else "not in the export"
        if not place_of:  # a new conversation (or an empty one): every message is new
            fresh = list(range(len(keys)))
        # Messages imported before 0005 whose picture was missing then are known by
        # their words (see `identities`); each message there is matched only once.
        words = identities(ex.messages, stamps, media_counts=False) if place_of and any(
            m.media for m in ex.messages) else []
        taken: set[int] = set()
        for pos, key in enumerate(keys if place_of else ()):
            place = place_of.get(key)
            if place is None and words and ex.messages[pos].media:
                place = place_of.get(words[pos])
                if place in taken:
                    place = None
            if place is None:
                fresh.append(pos)
                matched.append(None)
                continue
            matched.append(place)
            taken.add(place)
            mid = existing[place][0]
            if ex.messages[pos].files and mid not in with_files:
                with_files.add(mid)
                to_attach.append((pos, place))
        moved = 0
        slots = place_new(existing_times, matched, [stamps[p] for p in fresh]) \
            if existing else []
        after = all(slot == len(existing) for slot in slots)
        if after:  # all after the messages there: the usual case
            start = len(existing) + 1
            new_idx = list(range(start, start + len(fresh)))
        else:
            new_idx, moved = _renumber(conn, existing, slots)
        ranked = sorted(slots)
        for pos, place in to_attach:
            # The same message, now with the picture the first export left out; named
            # by its number after the new messages were slotted in (as `messages` is).
            mid, idx = existing[place]
            if not after:  # as _renumber numbered it
                idx = place + 1 + bisect.bisect_right(ranked, place)
            before = len(links)
            _link_files(ex, ex.messages[pos], mid, idx, file_ids, links, missing, where)
            if len(links) > before:
                attached.append(idx)
        with queue_paused(conn):  # indexed below from memory (index_new)
            added, calls = _add_rows(conn, ex, conv.id, record_ids, source_index, where, fresh,
                                     new_idx, keys, stamps, people, who, next_id, file_ids,
                                     links, missing)
        record_marks(conn, ex, fresh, next_id)  # forwarded/edited/unsent (message_marks.py)
        # ... and the marks this export shows on messages already there that lacked them,
        # each named by its number after the new messages were slotted in.
        marked = add_marks(conn, ex, [
            (pos, existing[place][0], existing[place][1] if after
             else place + 1 + bisect.bisect_right(ranked, place))
            for pos, place in enumerate(matched) if place is not None])
        if len(message_parts) == 1:
            added_by_part[next(iter(message_parts))] += len(fresh)
        for pos in fresh if len(message_parts) > 1 else ():
            added_by_part[ex.messages[pos].part] += 1
        added_keys = [keys[p] for p in fresh]
        bulk_insert(conn, message_attachments, links)
        _into_incidents(session, audit, links, incident_of)
        problems = ex.problems + missing_files_text(missing, where, ex.media_note)
        for part, record in records.items():
            record.messages_added = added_by_part[part]
        records[used[0]].problems = json.dumps(problems, ensure_ascii=False)
        first = min(new_idx) if added else None
        last = max(new_idx) if added else None
        if added or attached or marked:
            conv.updated_at = now
        marks = ", ".join(exports[p].exhibit for p in used)
        parts = [{"file": names[p], "exhibit": exports[p].exhibit,
                  "sha256": exports[p].sha256, "messages_read": records[p].messages_read,
                  "messages_added": added_by_part[p]} for p in used] if len(names) > 1 else []
        listed = "\n".join(added_keys) + "\n" if added_keys else ""  # each key and "\n"
        audit.log("import", "conversation", conv.id, conversation_id=conv.id,
                  export=marks, sha256=exports[used[0]].sha256, importer=importer,
                  read=len(ex.messages), added=added,
                  messages=_ranges(sorted(new_idx)) if added else "", files=len(links),
                  renumbered=moved, files_added_to=_ranges(sorted(attached)),
                  **({"marks_added": marked} if marked else {}),
                  digest=hashlib.sha256(listed.encode()).hexdigest(),
                  problems=len(problems), options=ex.options,
                  **({"parts": parts} if parts else {}))
        return ConversationImport(
            conv.id, conv.title, ex.source, new, len(ex.messages), added, first, last,
            calls, len(links), marks, exports[used[0]].sha256, problems,
            files_added=len(attached), renumbered=moved, parts=parts,
            marks_added=len(marked),
            indexes=_ranges(sorted(new_idx)) if added else "")


def _into_incidents(session: Any, audit: Any, links: list[dict[str, Any]],
                    incident_of: dict[int, int]) -> None:
    """A picture given to a message already in an incident becomes that incident's
    exhibit, as the message's files did when it was put there (conversations/incidents.py)."""
    for link in links:
        incident = incident_of.get(link["message_id"])
        att = session.get(Attachment, link["attachment_id"]) if incident else None
        if att is None or att.incident_id is not None or att.deleted_at is not None:
            continue
        audit.log("link", "attachment", att.id, exhibit=att.exhibit_mark, old_incident=None,
                  new_incident=incident)
        att.incident_id = incident


def missing_files_text(missing: list[tuple[int, str]], where: str, note: str = "") -> list[str]:
    """The files messages name that the import did not get, each said once: one line
    with the reason when the export left all media out, else a line per file."""
    if not missing:
        return []
    n = len(missing)
    if note:
        nums = sorted({idx for idx, _ in missing})
        said = (f"message {nums[0]} ({missing[0][1]})" if n == 1 else
                f"message{'s' if len(nums) > 1 else ''} {_ranges(nums[:20])}"
                + (" ..." if len(nums) > 20 else ""))
        return [f"{n} file{'s' if n > 1 else ''} named in the chat {'are' if n > 1 else 'is'} "
                f"not in this export ({note}): {said}."]
    more = n - 200
    return [f"message {idx}: {name} was {where}" for idx, name in missing[:200]] + (
        [f"... and {more} more file{'s' if more > 1 else ''} named in messages "
         f"{'were' if more > 1 else 'was'} {where}"] if more > 0 else [])


def _link_files(ex: ChatExport, m: ChatMessage, message_id: int, idx: int,
                file_ids: dict[str, int], links: list[dict[str, Any]],
                missing: list[tuple[int, str]], where: str = "not in the export") -> None:
    for file_name in dict.fromkeys(m.files):
        path = ex.files.get(file_name)
        att_id = file_ids.get(str(path)) if path is not None else None
        if att_id is None:
            if file_name not in ex.refused:
                missing.append((idx, file_name))
            continue
        links.append({"message_id": message_id, "attachment_id": att_id,
                      "name": path.name if path is not None else file_name})
