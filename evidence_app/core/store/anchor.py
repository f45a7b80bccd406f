"""The head of the audit chain, kept outside the database.

The chain proves that no event was altered in place, but a log cut short (its last
events removed, with what they recorded) or rewritten whole (every hash recomputed)
is a chain that holds. So the head (how many events, the last one's hash, and how
many records of each kind the case held) is also kept in `case.head`, a small file
beside the database that every write brings up to date after it commits, written
atomically (temp file, fsync, rename, fsync of the folder). Every report states the
head it was built on, and a backup can keep it too (`Case.head()`), so anyone can later
check that the log has only grown since.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evidence_app.core.store.folder import ORIGINALS
from evidence_app.core.store.models import (
    Attachment,
    AuditEvent,
    CaseSettings,
    Incident,
    Note,
    Person,
    Vehicle,
)

HEAD_NAME = "case.head"
FORMAT = "evidence-app case head"
# What the head file counts: a database that lost committed writes has fewer.
COUNTED = {"incidents": Incident, "notes": Note, "exhibits": Attachment, "people": Person,
           "vehicles": Vehicle}


@dataclass(frozen=True)
class Head:
    """The audit chain's head: `events` events, the last with hash `hash`; `rows` the
    records of each kind the case held then; `next_exhibit` the next mark's number."""

    events: int
    hash: str
    rows: dict[str, int] = field(default_factory=dict)
    next_exhibit: int = 0
    case_uuid: str = ""
    written_at: str = ""
    since: dict[str, Any] = field(default_factory=dict)  # when the file was first made

    @property
    def text(self) -> str:
        """How a report prints it, and how `verify --head` reads it back."""
        return f"{self.events}:{self.hash}"

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": 1, **asdict(self)}


def parse_head_text(value: str) -> tuple[int, str]:
    """'1234:3f5a...' (as a report prints it) -> (1234, '3f5a...'); ValueError if not."""
    count, _, digest = value.strip().partition(":")
    digest = "".join(digest.split()).lower()  # as printed in groups, or whole
    if not count.strip().isdigit() or len(digest) < 8 or any(
            c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"{value!r} is not a head: give it as EVENTS:HASH, e.g. 1234:3f5a9c0d...")
    return int(count), digest


def current_head(session: Session, written_at: str = "", skip: tuple[str, ...] = (),
                 ) -> Head:
    """The head as the database has it now (inside the caller's transaction); with
    `skip`, the last event whose action is not one of those (a report states the log it
    was built on, not the records of reports made before it)."""
    query = select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    if skip:
        query = query.where(AuditEvent.action.not_in(skip))
    last = session.execute(query).first()
    rows = {name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in COUNTED.items()}
    settings = session.get(CaseSettings, 1)
    return Head(events=last[0] if last else 0, hash=last[1] if last else "",
                rows=rows, next_exhibit=settings.next_exhibit_serial if settings else 0,
                case_uuid=settings.case_uuid if settings else "", written_at=written_at)


def read_head(folder: Path) -> Head | None:
    """The head kept beside the case, or None when there is no file. ValueError when
    the file cannot be read as one."""
    path = Path(folder) / HEAD_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ValueError(f"the head file cannot be read ({exc.strerror})") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("not a head file")
        return Head(events=int(data["events"]), hash=str(data["hash"]),
                    rows={str(k): int(v) for k, v in dict(data.get("rows", {})).items()},
                    next_exhibit=int(data.get("next_exhibit", 0)),
                    case_uuid=str(data.get("case_uuid", "")),
                    written_at=str(data.get("written_at", "")),
                    since=dict(data.get("since", {})))
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise ValueError("the head file is damaged (it is not the JSON this app "
                         "writes)") from exc


def write_head(folder: Path, head: Head) -> None:
    """Replace the head file atomically and durably (readable by this account only)."""
    folder = Path(folder)
    path = folder / HEAD_NAME
    tmp = folder / f".{HEAD_NAME}.tmp"
    data = json.dumps(head.to_json(), indent=1, sort_keys=True).encode("utf-8")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    if os.name == "posix":
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            with contextlib.suppress(OSError):
                os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def evidence_beside(folder: Path) -> str:
    """What says a case folder held a case, whatever its database says now: a head file
    counting events, or stored originals ('' when there is nothing)."""
    problem = ""
    try:
        kept = read_head(folder)
    except ValueError:
        kept, problem = None, f"{HEAD_NAME} is there but damaged"
    if kept is not None and kept.events:
        return (f"{HEAD_NAME} records {kept.events} audit events and "
                f"{kept.rows.get('exhibits', 0)} exhibits")
    originals = folder / ORIGINALS
    with contextlib.suppress(OSError):
        if any(p.is_file() for p in originals.glob("??/*")):
            return "its originals folder holds stored files"
    return problem


def head_disagreement(session: Session, kept: Head, now: Head) -> str:
    """Why the kept head cannot be a past state of this log ('' when it can)."""
    if kept.case_uuid and now.case_uuid and kept.case_uuid != now.case_uuid:
        return (f"the head file ({HEAD_NAME}) belongs to another case "
                f"({kept.case_uuid}, this case is {now.case_uuid})")
    if kept.events > now.events:
        return (f"the audit trail has {now.events} events, but {HEAD_NAME} (written "
                f"{kept.written_at[:19]}) records {kept.events}: events {now.events + 1} to "
                f"{kept.events} are missing (the end of the log was cut, or the database "
                "lost writes it had committed, e.g. a deleted write-ahead log)")
    if kept.events:
        digest = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == kept.events))
        if digest != kept.hash:
            return (f"audit event {kept.events} is not the one {HEAD_NAME} recorded on "
                    f"{kept.written_at[:19]} (hash {str(digest)[:16]}... where "
                    f"{kept.hash[:16]}... was kept): the log has been rewritten")
    return ""
