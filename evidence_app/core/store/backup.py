"""Making a backup file of an open case (the format: docs/backup-format.md).

The database is copied with SQLite's online backup API (a consistent snapshot while the
app goes on writing), the originals and anything else the case keeps are copied exactly
as stored (an encrypted case's stay encrypted), each entry is hashed as it is written,
and the archive is written under a name nothing takes for a backup, fsynced, and only
then renamed into place. A later backup into the same folder refers to originals an
earlier backup file there already holds instead of copying them again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from evidence_app import __version__
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.store import anchor, database
from evidence_app.core.store.backup_format import (
    DATABASE,
    MANIFEST,
    PARTIAL_PREFIX,
    PARTIAL_SUFFIX,
    SUFFIX,
    BackupError,
    Entry,
    Manifest,
    UnsafeBackup,
    check_name,
    describe_write_error,
    open_archive,
    read_manifest,
    try_lock,
)
from evidence_app.core.store.case import Case
from evidence_app.core.store.folder import DB_NAME, ORIGINALS
from evidence_app.core.store.models import AuditEvent
from evidence_app.core.store.originals import fsync_folder

CHUNK = 4 * 1024 * 1024
ENTRY_OVERHEAD = 200  # zip headers per entry (local, zip64 extra, central directory)
DRIVE = "the backup drive"
PROTECTED = "(protected)"  # the case name an encrypted case's manifest shows


@dataclass(frozen=True)
class _Source:
    name: str           # name in the archive (and relative path in the case folder)
    path: Path
    size: int


@dataclass
class BackupPlan:
    """What a backup to a chosen place will take, worked out before anything is written."""

    target: Path
    bytes_needed: int
    bytes_free: int | None
    copy: list[_Source] = field(default_factory=list)
    reuse: dict[str, Entry] = field(default_factory=dict)   # name -> entry in earlier file
    earlier: dict[str, Entry] = field(default_factory=dict)  # all the earlier files hold

    largest_file: int | None = None   # what the target's file system can hold in one file

    @property
    def fits(self) -> bool:
        too_big = self.largest_file is not None and self.bytes_needed > self.largest_file
        return not too_big and (self.bytes_free is None or self.bytes_needed <= self.bytes_free)

    @property
    def needs(self) -> list[str]:
        return sorted({e.file for e in self.reuse.values() if e.file})

    def describe(self) -> str:
        """One paragraph for the person before they start."""
        text = (f"The backup needs about {human_size(self.bytes_needed)} in "
                f"{self.target.parent}")
        if self.bytes_free is not None:
            text += f" ({human_size(self.bytes_free)} free there)"
        text += "."
        if self.reuse:
            text += (f" {len(self.reuse)} file(s) are already in earlier backup(s) in that "
                     "folder and are not copied again; keep those backup files together.")
        if self.largest_file is not None and self.bytes_needed > self.largest_file:
            text += (" That drive is formatted as FAT32, which cannot hold a file over 4 GB: "
                     "use a drive formatted as exFAT or NTFS.")
        return text


@dataclass(frozen=True)
class BackupResult:
    """A finished backup file."""

    path: Path
    size: int
    files: int           # entries held in this file (database included)
    reused: int          # originals left in earlier backup files
    needs: list[str]     # those files' names
    chain_events: int
    chain_hash: str
    encrypted: bool = False  # an encrypted case's: opens only with its passphrase/key

    def to_json(self) -> dict[str, object]:
        return {"file": str(self.path), "size": self.size, "files": self.files,
                "reused": self.reused, "needs": self.needs,
                "chain_head": {"events": self.chain_events, "hash": self.chain_hash},
                "encrypted": self.encrypted}


def human_size(n: float) -> str:
    """'3.4 GB', '120 KB'."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit in ("bytes", "KB") else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def default_name(case: Case, when: datetime) -> str:
    """'Jane-Smith-2026-12-05-0135.evidence-backup': the case and the time, safe anywhere.
    An encrypted case's name is not put on the outside of its backup: 'case-2026-...'."""
    name = "" if case.encrypted else case.settings().case_name
    stem = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:40] or "case"
    return f"{stem}-{when.astimezone().strftime('%Y-%m-%d-%H%M%S')}{SUFFIX}"


def _target(case: Case, out: Path, when: datetime) -> Path:
    out = Path(out).expanduser()
    if out.name.endswith(SUFFIX) and not out.is_dir():
        if out.exists():
            raise BackupError(f"{out} already exists; a backup never replaces a file. "
                              "Choose another name or a folder.")
        if not out.parent.is_dir():
            raise BackupError(f"There is no folder {out.parent} to put the backup in.")
        target = out.resolve()
    elif out.is_dir():
        target = out.resolve() / default_name(case, when)
        n = 1
        while target.exists():
            n += 1
            target = target.with_name(default_name(case, when)[:-len(SUFFIX)] + f"-{n}{SUFFIX}")
    else:
        raise BackupError(f"There is no folder {out}; choose a folder (a USB stick, say) "
                          f"or a file name ending in {SUFFIX}.")
    if case.contains(target):
        raise BackupError("A backup cannot go inside the case folder itself; choose "
                          "another place, such as a USB stick.")
    return target


def _case_files(case: Case) -> list[_Source]:
    """Everything the case keeps besides its database, as stored (symlinks never).

    Listed with `os.scandir` and plain strings (one lstat per file, no Path per folder):
    it runs twice for every backup, so it is most of an incremental backup's fixed cost.
    Folders that cannot be listed are passed over, as `os.walk` did."""
    found: list[_Source] = []
    pending = [(str(case.folder), "")]
    while pending:
        folder, rel = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        for item in entries:
            name = f"{rel}{item.name}"
            try:
                if item.is_dir(follow_symlinks=False):
                    if rel or item.name not in ("cache", "backups"):
                        pending.append((item.path, f"{name}/"))
                    continue
            except OSError:
                continue
            if not rel and (item.name.startswith(DB_NAME) or item.name in (
                    "case.lock", anchor.HEAD_NAME)):
                # The lock is this session's; the head is the live log's, later than the
                # snapshot (the manifest records the snapshot's head, and a restored case
                # starts its own head file from it).
                continue
            try:
                check_name(name)
            except UnsafeBackup:
                continue  # temporary files (".incoming-...") and anything not ours
            st = item.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode):
                found.append(_Source(name, Path(item.path), st.st_size))
    return sorted(found, key=lambda s: s.name)


def earlier_backups(folder: Path, case_id: str) -> dict[str, Entry]:
    """Files that backups of this case already in `folder` hold themselves (not by
    reference), by name, each with the backup file holding it. Unreadable, damaged or
    other cases' backups are passed over."""
    held: dict[str, Entry] = {}
    for path in sorted(folder.glob("*" + SUFFIX)):
        try:
            with open_archive(path) as zf:
                manifest = read_manifest(zf)
                if manifest.case_id != case_id:
                    continue
                sizes = {i.filename: i.file_size for i in zf.infolist()}
        except (UnsafeBackup, OSError):
            continue
        for entry in manifest.entries:
            if entry.name != DATABASE and sizes.get(entry.name) == entry.size:
                held.setdefault(entry.name, Entry(entry.name, entry.size, entry.sha256,
                                                  path.name))
    return held


def sweep_partials(folder: Path) -> int:
    """Remove what an interrupted backup left in `folder` (never one still being written:
    its writer holds a lock on it); how many."""
    removed = 0
    for path in folder.glob(PARTIAL_PREFIX + "*" + PARTIAL_SUFFIX):
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDWR)
            try:
                if try_lock(fd):
                    path.unlink()
                    removed += 1
            finally:
                os.close(fd)
    return removed


def plan_backup(case: Case, out: Path, *, full: bool = False) -> BackupPlan:
    """Where the backup will go, what it will copy and whether it fits (nothing written)."""
    target = _target(case, out, datetime.now(UTC))
    files = _case_files(case)
    earlier = {} if full else earlier_backups(target.parent, case.settings().case_uuid)
    copy, reuse = _split(files, earlier)
    db = case.folder / DB_NAME
    db_size = sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())
    needed = (db_size + sum(s.size for s in copy) + (len(files) + 2) * ENTRY_OVERHEAD
              + 200 * len(reuse) + 64 * 1024)
    try:
        free: int | None = shutil.disk_usage(target.parent).free
    except OSError:
        free = None
    from evidence_app.core.store.places import largest_file

    return BackupPlan(target, needed, free, copy, reuse, earlier, largest_file(target.parent))


def _split(files: list[_Source], earlier: dict[str, Entry],
           ) -> tuple[list[_Source], dict[str, Entry]]:
    """The files to copy, and those an earlier backup in the folder already holds. Only
    originals are taken from earlier backups: they never change once stored, while a
    file such as an encrypted case's key file (`case.key`, rewritten when the passphrase
    changes) may change and keep its size."""
    reuse = {s.name: earlier[s.name] for s in files
             if s.name.startswith(f"{ORIGINALS}/") and s.name in earlier
             and earlier[s.name].size == s.size}
    return [s for s in files if s.name not in reuse], reuse


class _Sink:
    """The archive's file as zipfile writes it: every write and fsync goes through `os`,
    so nothing is buffered where a failure could hide it."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.pos = 0

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        done = 0
        while done < len(view):
            done += os.write(self.fd, view[done:])
        self.pos += done
        return done

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        self.pos = os.lseek(self.fd, offset, whence)
        return self.pos

    def seekable(self) -> bool:
        return True

    def flush(self) -> None:
        pass


class _SourceError(Exception):
    """Reading the case failed (as opposed to writing the backup)."""


def _copy_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path,
                cancelled: Callable[[], bool], hasher: ThreadPoolExecutor,
                buffers: tuple[bytearray, bytearray]) -> Entry:
    """Copy one file into the archive, hashing it on `hasher` (one thread: chunks in
    order) while zipfile computes the CRC and writes (both let go of the GIL). The file
    is read into two reused buffers in turn: the next chunk is read while the last one
    is still being hashed, and a buffer is reused only once its bytes are hashed."""
    digest = hashlib.sha256()
    size = 0
    try:
        src = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by the with below
    except FileNotFoundError as exc:
        raise BackupError("A file was removed from the case while it was being backed up "
                          "(was the trash emptied?); no backup was made. Try again.") from exc
    except OSError as exc:
        raise _SourceError(f"{info.filename}: {exc.strerror or exc}") from exc
    pending: list[Future[None] | None] = [None, None]
    turn = 0
    try:
        with src, zf.open(info, "w") as dst:
            while True:
                waiting = pending[turn]
                if waiting is not None:
                    waiting.result()
                    pending[turn] = None
                view = memoryview(buffers[turn])
                try:
                    got = src.readinto(view)
                except OSError as exc:
                    raise _SourceError(f"{info.filename}: {exc.strerror or exc}") from exc
                if not got:
                    break
                if cancelled():
                    raise _Cancelled()
                chunk = view[:got]
                pending[turn] = hasher.submit(digest.update, chunk)
                dst.write(chunk)
                size += got
                turn = 1 - turn
    finally:
        for waiting in pending:  # never leave a buffer being hashed behind an error
            if waiting is not None:
                with contextlib.suppress(Exception):
                    waiting.result()
    return Entry(info.filename, size, digest.hexdigest())


class _Cancelled(Exception):
    pass


def _zipinfo(name: str, size: int, when: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.astimezone().timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    info.file_size = size
    info.external_attr = (stat.S_IFREG | 0o400) << 16
    return info


def _chain_head(case: Case, snapshot: Path) -> tuple[int, str, str, str]:
    """(events, last hash, case id, case name) as the snapshot holds them."""
    with case.open_database_copy(snapshot) as con:
        count = con.execute(f"SELECT count(*) FROM {AuditEvent.__tablename__}").fetchone()[0]
        row = con.execute(f"SELECT hash FROM {AuditEvent.__tablename__} "
                          "ORDER BY id DESC LIMIT 1").fetchone()
        case_id, name = con.execute(
            "SELECT case_uuid, case_name FROM case_settings WHERE id = 1").fetchone()
    return int(count), row[0] if row else "", str(case_id), str(name)


def backup_case(case: Case, out: Path, *, full: bool = False,
                cancel: CancelToken | None = None,
                plan: BackupPlan | None = None) -> Iterator[Progress]:
    """Write a backup of the open case to `out` (a folder, or a file name ending in
    `.evidence-backup`), yielding progress; the last event's item is a BackupResult.
    Cancelled, it ends without one and leaves nothing behind. Raises BackupError."""
    cancelled: Callable[[], bool] = cancel if cancel is not None else (lambda: False)
    plan = plan if plan is not None else plan_backup(case, out, full=full)
    if not plan.fits and plan.largest_file is not None and plan.bytes_needed > plan.largest_file:
        raise BackupError(f"The backup would be {human_size(plan.bytes_needed)}, and the drive "
                          f"holding {plan.target.parent} is formatted as FAT32, which cannot "
                          "hold a file over 4 GB. Use a drive formatted as exFAT or NTFS; "
                          "nothing was written.")
    if not plan.fits:
        raise BackupError(
            f"There is not enough space for the backup in {plan.target.parent}: it needs "
            f"about {human_size(plan.bytes_needed)} and {human_size(plan.bytes_free or 0)} "
            "is free. Free some space or choose another drive; nothing was written.")
    folder = plan.target.parent
    sweep_partials(folder)
    yield Progress(0, len(plan.copy) + 2, "Taking a snapshot of the case database")
    when = datetime.now(UTC)
    with case.cache.scratch() as scratch:
        snapshot = scratch / "snapshot.db"
        try:
            # Through the case: an encrypted case's snapshot is encrypted with its key.
            case.copy_database(snapshot)
        except Exception as exc:
            if not isinstance(exc, OSError) and database.database_error(exc) is None:
                raise
            raise BackupError(f"The case database could not be read for the backup ({exc}); "
                              "nothing was written.") from exc
        events, head, case_id, case_name = _chain_head(case, snapshot)
        if case.encrypted:
            case_name = PROTECTED  # the manifest is plain text: no name of the case in it
        # The files as they are now, after the snapshot: an original is stored before its
        # record is committed, so every file the snapshot refers to is in this list (the
        # plan may be older: the person kept working while choosing a folder).
        copy, reuse = _split(_case_files(case), plan.earlier)
        total = len(copy) + 2
        manifest = Manifest(__version__, case_id, case_name, when.astimezone(UTC).isoformat(),
                            events, head, elsewhere=sorted(reuse.values(),
                                                           key=lambda e: e.name),
                            encrypted=case.encrypted)
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=PARTIAL_PREFIX, suffix=PARTIAL_SUFFIX,
                                            dir=folder)
        except OSError as exc:
            raise BackupError(f"The backup was not made: {describe_write_error(exc, DRIVE)}. "
                              "Your case was not changed.") from exc
        tmp = Path(tmp_name)
        try_lock(fd)
        finished = False
        try:
            with zipfile.ZipFile(_Sink(fd), "w", zipfile.ZIP_STORED,  # type: ignore[call-overload]
                                 allowZip64=True) as zf, ThreadPoolExecutor(1) as hasher:
                sources = [_Source(DATABASE, snapshot, snapshot.stat().st_size), *copy]
                buffers = (bytearray(CHUNK), bytearray(CHUNK))
                for i, source in enumerate(sources, start=1):
                    entry = _copy_entry(zf, _zipinfo(source.name, source.size, when),
                                        source.path, cancelled, hasher, buffers)
                    manifest.entries.append(entry)
                    yield Progress(i, total, f"Copied {i - 1} of {len(copy)} files"
                                   if i > 1 else "Copied the database")
                zf.writestr(_zipinfo(MANIFEST, 0, when), manifest.encode())
            os.fsync(fd)
            os.close(fd)
            fd = -1
            if plan.target.exists():
                raise BackupError(f"{plan.target} appeared while the backup was written; "
                                  "it was left alone and the new backup not kept.")
            os.replace(tmp, plan.target)
            tmp = plan.target  # until the folder is fsynced, it is not a backup to keep
            fsync_folder(folder)
            finished = True
        except _Cancelled:
            return
        except _SourceError as exc:
            raise BackupError(f"A file in your case could not be read ({exc}); no backup was "
                              "made. Run Check my evidence to see what is wrong.") from exc
        except OSError as exc:
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
                fd = -1
            try:
                tmp.unlink(missing_ok=True)
                left = "no backup file was left there"
            except OSError:  # the drive has gone: what it holds cannot be tidied now
                left = (f"a partial file named {tmp.name} may remain there; it is not a "
                        "backup and can be deleted")
            finished = True  # tidied (or it cannot be)
            raise BackupError(f"The backup was not made: {describe_write_error(exc, DRIVE)}. "
                              f"Your case was not changed, and {left}.") from exc
        finally:
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
            if not finished:
                with contextlib.suppress(OSError):
                    tmp.unlink()
    result = BackupResult(plan.target, plan.target.stat().st_size, len(manifest.entries),
                          len(reuse), manifest.needs, events, head, case.encrypted)
    _record(case, result)
    yield Progress(total, total, "Backup finished", result)


def _record(case: Case, result: BackupResult) -> None:
    """The backup goes into the audit trail (so the app knows when the last one was)."""
    from evidence_app.core.errors import StorageError

    with contextlib.suppress(StorageError), case.write() as (_session, audit):
        audit.log("backup", "case", 1, file=result.path.name, folder=str(result.path.parent),
                  size=result.size, files=result.files, reused=result.reused,
                  needs=result.needs, chain_events=result.chain_events,
                  chain_hash=result.chain_hash)


def last_backup(case: Case) -> datetime | None:
    """When the last backup of this case was made (from the audit trail), if ever."""
    return backup_status(case)[0]


def backup_status(case: Case) -> tuple[datetime | None, Path | None, datetime]:
    """(when the last backup was made, the folder it went to, when the case was created):
    what the app needs to say when a backup is due, all from the case itself."""
    import json

    with case.read() as session:
        row = session.execute(select(AuditEvent.at, AuditEvent.details).where(
            AuditEvent.action == "backup", AuditEvent.entity == "case")
            .order_by(AuditEvent.id.desc()).limit(1)).first()
        created = session.scalar(select(AuditEvent.at).order_by(AuditEvent.id).limit(1))
    folder = None
    if row is not None:
        with contextlib.suppress(ValueError, TypeError):
            folder = Path(json.loads(row[1])["folder"])
    return (row[0] if row else None), folder, created or case.now()
