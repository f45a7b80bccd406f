"""Restoring a backup file into a new case folder.

Nothing in a backup file is trusted (see backup_format.check_archive). It is unpacked
into a staging folder beside the new one, named `.<name>.restoring-...` so that nothing
takes it for a case, every byte is checked against the manifest's SHA-256 as it is
written, the case is opened and checked (`verify_case`, and the audit chain's head must
be the one the manifest recorded), and only then is the staging folder renamed into
place. A plain case's originals whose bytes were hashed while unpacked to the name they
are stored under are not read again by the check (the same hash, of the same bytes). An existing case or folder is never replaced. A restore that dies half-way leaves
only the staging folder, which the next restore into the same place removes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from evidence_app.core.errors import CaseError, UserError
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.store.backup import human_size
from evidence_app.core.store.backup_format import (
    Entry,
    Manifest,
    UnsafeBackup,
    check_archive,
    describe_write_error,
    open_archive,
    read_manifest,
    try_lock,
)
from evidence_app.core.store.case import Case, DerivedData
from evidence_app.core.store.encryption import unlock_key_file
from evidence_app.core.store.folder import KEY_FILE, ORIGINALS
from evidence_app.core.store.keys import CaseKeys, KeyFile
from evidence_app.core.store.models import AuditEvent, CaseSettings
from evidence_app.core.store.originals import fsync_folder
from evidence_app.core.store.verify import VerifyReport, verify_case

CHUNK = 4 * 1024 * 1024
STAGING = ".restoring-"
STAGING_LOCK = "restoring.lock"
MAX_KEY_FILE = 64 * 1024
# A zip entry's local file header (PKWARE APPNOTE 4.3.7): signature, version needed,
# flags, method, time, date, CRC-32, sizes, name length, extra field length.
LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
LOCAL_SIGNATURE = b"PK\x03\x04"


class RestoreError(UserError):
    """A restore could not be finished; no case was made and nothing existing was touched."""


class RestoreCheckFailed(RestoreError):
    """The backup file is intact, but the case it holds did not pass the check (the
    problems were in the case when it was backed up). It can be restored anyway."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, read from its manifest (for the person to confirm)."""

    path: Path
    manifest: Manifest
    missing: list[str]      # earlier backup files it needs that are not beside it

    @property
    def encrypted(self) -> bool:
        """Whether the backup is of an encrypted case (restoring it needs the passphrase
        or the recovery key)."""
        m = self.manifest
        return m.encrypted or any(e.name == KEY_FILE for e in m.entries + m.elsewhere)

    @property
    def size(self) -> int:
        return sum(e.size for e in self.manifest.entries + self.manifest.elsewhere)

    def describe(self) -> str:
        m = self.manifest
        originals = sum(1 for e in m.entries + m.elsewhere if e.name.startswith("originals/"))
        made = m.created[:16].replace("T", " ")
        if self.encrypted:
            text = (f"Backup of a case protected by a passphrase (encrypted), made {made} UTC: {originals} stored "
                    f"file(s), {human_size(self.size)}, {m.chain_events} audit event(s). It "
                    "opens only with the case's passphrase (the one it had when the backup "
                    "was made) or its recovery key.")
        else:
            text = (f"Backup of the case '{m.case_name}', made {made} UTC: {originals} "
                    f"stored file(s), {human_size(self.size)}, {m.chain_events} audit "
                    "event(s).")
        if m.needs:
            text += (" It is an incremental backup: it also needs the earlier backup "
                     f"file(s) {', '.join(m.needs)} from the same folder.")
        if self.missing:
            text += f" Missing beside it: {', '.join(self.missing)}."
        return text


@dataclass(frozen=True)
class RestoreResult:
    """A restored, checked case."""

    folder: Path
    case_name: str
    files: int
    originals_checked: int
    chain_events: int
    problems: tuple[str, ...] = ()   # what the check found, when restored anyway
    encrypted: bool = False          # opens with the same passphrase / recovery key

    def to_json(self) -> dict[str, object]:
        return {"case": str(self.folder), "case_name": self.case_name, "files": self.files,
                "originals_checked": self.originals_checked,
                "chain_events": self.chain_events, "problems": list(self.problems),
                "encrypted": self.encrypted}


def inspect_backup(path: Path) -> BackupInfo:
    """Read a backup file's manifest and check the files it needs are beside it."""
    path = Path(path).expanduser()
    with open_archive(path) as zf:
        manifest = read_manifest(zf)
    missing = [name for name in manifest.needs if not (path.parent / name).is_file()]
    return BackupInfo(path, manifest, missing)


def unlock_backup(path: Path, *, passphrase: str | None = None,
                  recovery_key: str | None = None) -> bool:
    """Whether the passphrase or recovery key opens the encrypted case in the backup file
    at `path` (True), raising PassphraseNeeded, WrongPassphrase or WrongRecoveryKey when
    not; False for a plain case's backup. Reads the backup's key file only (for a dialog
    that asks before the restore starts)."""
    path = Path(path).expanduser()
    with open_archive(path) as zf:
        manifest = read_manifest(zf)
    return _backup_keys(_sources(path, manifest), manifest, passphrase, recovery_key) is not None


def check_target(target: Path) -> None:
    """Refuse a target that exists, unless it is an empty folder."""
    if (target.exists() or target.is_symlink()) and (
            not target.is_dir() or target.is_symlink() or any(target.iterdir())):
        raise RestoreError(f"There is already something at {target}; a restore never "
                           "replaces it. Choose a new folder name for the restored case.")


def sweep_staging(parent: Path) -> int:
    """Remove staging folders left by restores that died (never one still running: its
    restore holds a lock inside it); how many."""
    removed = 0
    for folder in parent.glob(f".*{STAGING}*"):
        if not folder.is_dir() or folder.is_symlink():
            continue
        lock = folder / STAGING_LOCK
        with contextlib.suppress(OSError):
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                free = try_lock(fd)
            finally:
                os.close(fd)
            if free:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    return removed


def _sources(path: Path, manifest: Manifest) -> list[tuple[Path, zipfile.ZipInfo, Entry]]:
    """Every file to unpack, checked: (backup file, its zip entry, the manifest entry),
    taking each entry an incremental backup left elsewhere from the earlier file."""
    found: list[tuple[Path, zipfile.ZipInfo, Entry]] = []
    with open_archive(path) as zf:
        infos = check_archive(zf, manifest)
    found += [(path, infos[e.name], e) for e in manifest.entries]
    if manifest.needs:
        missing = [n for n in manifest.needs if not (path.parent / n).is_file()]
        if missing:
            raise RestoreError(
                "This is an incremental backup: it needs the earlier backup file(s) "
                f"{', '.join(missing)}, which are not in the same folder as {path.name}. Put "
                "them beside it (they were made in the same place) and try again.")
    for name in manifest.needs:
        earlier = path.parent / name
        with open_archive(earlier) as zf:
            theirs = read_manifest(zf)
            if theirs.case_id != manifest.case_id:
                raise RestoreError(f"{name} is a backup of another case; the backup needs "
                                   "the one made of this case under that name.")
            their_infos = check_archive(zf, theirs)
        held = {e.name: e for e in theirs.entries}
        for entry in manifest.elsewhere:
            if entry.file != name:
                continue
            mine = held.get(entry.name)
            if mine is None or mine.sha256 != entry.sha256 or mine.size != entry.size:
                raise RestoreError(f"{name} does not hold {entry.name} as this backup "
                                   "expects; it may be a different file by the same name.")
            found.append((earlier, their_infos[entry.name], entry))
    if not any(e.name == "case.db" for _, _, e in found):
        raise UnsafeBackup("The backup holds no case database; nothing was unpacked.")
    return found


def _damaged(entry: Entry, exc: object) -> UnsafeBackup:
    return UnsafeBackup(f"The backup's entry {entry.name!r} is damaged ({exc}); no case "
                        "was made.")


def _stored_data(raw: io.FileIO, info: zipfile.ZipInfo, entry: Entry) -> int | None:
    """Where a stored (uncompressed) entry's bytes begin in the archive, after checking
    its local header as zipfile does when it opens the entry (signature, the same name,
    not encrypted, stored) and that its bytes lie within the file; None when the entry
    is compressed (zipfile unpacks those)."""
    if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
        return None
    try:
        raw.seek(info.header_offset)
        header = raw.read(LOCAL_HEADER.size)
        if len(header) != LOCAL_HEADER.size:
            raise _damaged(entry, "truncated file header")
        signature, _, flags, method, *_, name_len, extra_len = LOCAL_HEADER.unpack(header)
        if signature != LOCAL_SIGNATURE:
            raise _damaged(entry, "bad magic number for file header")
        if flags & 0x61 or method != zipfile.ZIP_STORED:
            return None  # encrypted, patched or compressed here: zipfile's to refuse or read
        name = raw.read(name_len)
        length = os.fstat(raw.fileno()).st_size
    except OSError as exc:
        raise _damaged(entry, exc) from exc
    try:
        decoded = name.decode("utf-8" if flags & 0x800 else "cp437")
    except UnicodeDecodeError as exc:
        raise _damaged(entry, exc) from exc
    if len(name) != name_len or decoded != info.orig_filename:
        raise _damaged(entry, f"file name in directory {info.orig_filename!r} and header "
                              f"{decoded!r} differ")
    start = info.header_offset + LOCAL_HEADER.size + name_len + extra_len
    if start + info.file_size > length:
        raise _damaged(entry, "the file ends before the entry's bytes")
    return start


def _unpack(zf: zipfile.ZipFile, raw: io.FileIO, info: zipfile.ZipInfo, entry: Entry,
            dest: Path, cancelled: Callable[[], bool], hasher: ThreadPoolExecutor,
            buffers: tuple[bytearray, bytearray]) -> None:
    """Unpack one entry, hashing it on `hasher` (one thread: chunks in order) while it
    is written; fsynced later. A stored entry (every entry of a backup this app makes)
    is read straight from the archive into two reused buffers, so the next chunk is read
    while the last is hashed, and every byte written is a byte hashed; its SHA-256
    against the manifest is the check (zipfile's CRC-32 of the same bytes adds nothing).
    Compressed entries go through zipfile."""
    digest = hashlib.sha256()
    size = 0
    start = _stored_data(raw, info, entry)
    if start is None:
        try:
            src: Any = zf.open(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            raise _damaged(entry, exc) from exc
    else:
        src = contextlib.nullcontext()
        raw.seek(start)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                 0o600)
    pending: list[Future[None] | None] = [None, None]
    try:
        with src:
            turn = 0
            while True:
                waiting = pending[turn]
                if waiting is not None:
                    waiting.result()  # this buffer's bytes are hashed: it may be reused
                    pending[turn] = None
                try:
                    if start is None:
                        chunk: bytes | memoryview = src.read(CHUNK)
                    else:
                        view = memoryview(buffers[turn])[:min(CHUNK, entry.size - size)]
                        got = raw.readinto(view) if view else 0
                        if view and not got:
                            raise EOFError("the file ends inside the entry")
                        chunk = view[:got]
                except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
                    raise _damaged(entry, exc) from exc
                if not chunk:
                    break
                if cancelled():
                    raise _Cancelled()
                size += len(chunk)
                if size > entry.size:
                    raise UnsafeBackup(f"The backup's entry {entry.name!r} is longer than its "
                                       "manifest says; no case was made.")
                pending[turn] = hasher.submit(digest.update, chunk)
                out = memoryview(chunk)
                while out:
                    out = out[os.write(fd, out):]
                if start is None:  # zipfile's chunk is new each time: wait for it here
                    pending[turn].result()  # type: ignore[union-attr]
                    pending[turn] = None
                else:
                    turn = 1 - turn
        for waiting in pending:
            if waiting is not None:
                waiting.result()
        if size != entry.size or digest.hexdigest() != entry.sha256:
            raise UnsafeBackup(f"The backup's entry {entry.name!r} does not match the "
                               "fingerprint its manifest recorded: the backup file is "
                               "damaged. No case was made.")
    finally:
        for waiting in pending:  # never leave a buffer being hashed behind an error
            if waiting is not None:
                with contextlib.suppress(Exception):
                    waiting.result()
        os.close(fd)
    if entry.name.startswith("originals/"):
        os.chmod(dest, stat.S_IRUSR | stat.S_IRGRP)


def _original_name(sha256: str) -> str:
    """Where a plain case keeps the original with this hash (as Originals does)."""
    return f"{ORIGINALS}/{sha256[:2]}/{sha256}"


class _Cancelled(Exception):
    pass


def _backup_keys(sources: list[tuple[Path, zipfile.ZipInfo, Entry]], manifest: Manifest,
                 passphrase: str | None, recovery_key: str | None) -> CaseKeys | None:
    """The keys of the encrypted case a backup holds (None for a plain case), unlocked
    with the passphrase or recovery key from the backup's own key file before anything is
    unpacked: PassphraseNeeded, WrongPassphrase or WrongRecoveryKey leave nothing behind."""
    found = [(source, info, entry) for source, info, entry in sources if entry.name == KEY_FILE]
    if not found:
        if manifest.encrypted:
            raise UnsafeBackup("This backup is of an encrypted case but holds no key file "
                               f"({KEY_FILE}); it cannot be restored. Nothing was unpacked.")
        return None
    source, info, entry = found[0]
    if entry.size > MAX_KEY_FILE:
        raise UnsafeBackup(f"The backup's {KEY_FILE} is too large to be a key file; nothing "
                           "was unpacked.")
    try:
        with open_archive(source) as zf, zf.open(info) as src:
            data = src.read(MAX_KEY_FILE + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise UnsafeBackup(f"The backup's {KEY_FILE} is damaged ({exc}); nothing was "
                           "unpacked.") from exc
    if len(data) != entry.size or hashlib.sha256(data).hexdigest() != entry.sha256:
        raise UnsafeBackup(f"The backup's {KEY_FILE} does not match the fingerprint its "
                           "manifest recorded: the backup file is damaged. Nothing was "
                           "unpacked.")
    try:
        key_file = KeyFile.from_json(json.loads(data.decode("utf-8")))
    except CaseError as exc:
        raise UnsafeBackup(f"{exc} Nothing was unpacked.") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise UnsafeBackup(f"The backup's {KEY_FILE} cannot be read ({type(exc).__name__}); "
                           "nothing was unpacked.") from None
    return unlock_key_file(key_file, passphrase, recovery_key)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def restore_backup(path: Path, target: Path, *, derived: Sequence[DerivedData] = (),
                   cancel: CancelToken | None = None,
                   keep_problems: bool = False, passphrase: str | None = None,
                   recovery_key: str | None = None) -> Iterator[Progress]:
    """Restore the backup file at `path` as a new case folder `target`, yielding
    progress; the last event's item is a RestoreResult. Raises RestoreError or
    UnsafeBackup (nothing is then left that looks like a case).

    A case that fails the check is refused (RestoreCheckFailed) unless `keep_problems`:
    a backup may be the only copy left of evidence with one damaged exhibit, and the
    rest must not be held back by it. The archive itself must always be intact.

    A backup of an encrypted case needs the case's `passphrase` (the one it had when the
    backup was made) or its `recovery_key`; without either, PassphraseNeeded, and with
    one that does not open it, WrongPassphrase or WrongRecoveryKey, all raised before
    anything is unpacked. The restored case stays encrypted and opens with the same
    passphrase. Both are ignored for a plain backup."""
    cancelled: Callable[[], bool] = cancel if cancel is not None else (lambda: False)
    path = Path(path).expanduser().resolve()
    target = Path(target).expanduser().absolute()
    check_target(target)
    with open_archive(path) as zf:
        manifest = read_manifest(zf)
    sources = _sources(path, manifest)
    keys = _backup_keys(sources, manifest, passphrase, recovery_key)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(parent).free
    except OSError as exc:
        raise RestoreError(f"The case cannot be restored in {parent}: "
                           f"{describe_write_error(exc, str(parent))}.") from exc
    needed = sum(e.size for _, _, e in sources)
    if needed > free:
        raise RestoreError(f"There is not enough space in {parent} to restore this case: it "
                           f"needs {human_size(needed)} and {human_size(free)} is free.")
    sweep_staging(parent)
    total = len(sources) + 2
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING}", dir=parent))
    except OSError as exc:
        raise RestoreError(f"The case cannot be restored in {parent}: "
                           f"{describe_write_error(exc, str(parent))}.") from exc
    lock_fd = os.open(staging / STAGING_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try_lock(lock_fd)
    done = False
    try:
        open_files: dict[Path, tuple[zipfile.ZipFile, io.FileIO]] = {}
        # A plain case's originals whose bytes were just hashed, while unpacked, to the
        # name they are stored under: the check does not read them a second time.
        hashed: set[str] = set()
        buffers = (bytearray(CHUNK), bytearray(CHUNK))
        synced: list[Future[None]] = []
        with ThreadPoolExecutor(8) as pool, ThreadPoolExecutor(1) as hasher:
            try:
                for i, (source, info, entry) in enumerate(sources, start=1):
                    if source not in open_files:
                        zf = open_archive(source)
                        try:
                            raw = io.FileIO(source, "r")
                        except OSError:
                            zf.close()
                            raise
                        open_files[source] = (zf, raw)
                    dest = staging / entry.name
                    if not dest.resolve().is_relative_to(staging.resolve()):
                        # Never, given the checked names; kept as a second lock on the door.
                        raise UnsafeBackup(f"The backup's entry {entry.name!r} would land "
                                           "outside the new case; nothing was kept.")
                    _unpack(*open_files[source], info, entry, dest, cancelled, hasher,
                            buffers)
                    # Its fsync starts now, while the next files are unpacked.
                    synced.append(pool.submit(_fsync_file, dest))
                    if keys is None and entry.name == _original_name(entry.sha256):
                        hashed.add(entry.sha256)
                    yield Progress(i, total, f"Unpacked {i} of {len(sources)} files")
            finally:
                for zf, raw in open_files.values():
                    zf.close()
                    raw.close()
            # Every file and folder reaches the disk before the case can exist.
            for future in synced:
                future.result()
            # Each file's folder and every folder above it up to the staging folder
            # (`originals/` holds the `aa/` folders: its entries must be durable too).
            folders = {staging}
            for _, _, entry in sources:
                folders.update(staging.joinpath(*Path(entry.name).parts[:i])
                               for i in range(1, len(Path(entry.name).parts)))
            list(pool.map(fsync_folder, folders))
        yield Progress(total - 1, total, "Checking the restored case")
        result = _check_restored(staging, target, manifest, path, derived, len(sources),
                                 cancel, keep_problems, keys, hashed)
        os.close(lock_fd)
        lock_fd = -1
        (staging / STAGING_LOCK).unlink()
        if target.is_dir():
            target.rmdir()  # checked empty above; a rename never replaces a full folder
        os.rename(staging, target)
        staging = target  # until its folder entry is on disk, it is not a case to keep
        fsync_folder(parent)
        done = True
    except _Cancelled:
        return
    except (UnsafeBackup, RestoreError):
        raise
    except CaseError as exc:  # the unpacked case could not be opened or written
        cause = exc.__cause__
        why = describe_write_error(cause, str(parent)) if isinstance(cause, OSError) else exc
        raise RestoreError(f"The case was not restored: {why}. Nothing was left behind; the "
                           "backup file is unchanged.") from exc
    except OSError as exc:
        raise RestoreError(f"The case was not restored: "
                           f"{describe_write_error(exc, str(parent))}. Nothing was left "
                           "behind; the backup file is unchanged.") from exc
    finally:
        if lock_fd >= 0:
            with contextlib.suppress(OSError):
                os.close(lock_fd)
        if not done:
            shutil.rmtree(staging, ignore_errors=True)
    yield Progress(total, total, "Restored", result)


def _check_restored(staging: Path, target: Path, manifest: Manifest, path: Path,
                    derived: Sequence[DerivedData], files: int,
                    cancel: CancelToken | None, keep_problems: bool,
                    keys: CaseKeys | None = None,
                    hashed: frozenset[str] | set[str] = frozenset()) -> RestoreResult:
    """Open the unpacked case (with its keys, when encrypted), check it as `verify` does
    and against the manifest's chain head, and record the restore in its audit trail.
    `hashed`: originals the unpack itself hashed to their names (not read again)."""
    with Case.open(staging, derived=derived, keys=keys) as case:
        with case.read() as session:
            settings = session.get(CaseSettings, 1)
            case_id, case_name = (settings.case_uuid, settings.case_name) if settings else ("", "")
            events = session.scalar(select(func.count(AuditEvent.id))) or 0
            head = session.scalar(select(AuditEvent.hash).where(
                AuditEvent.id == manifest.chain_events))
        if case_id != manifest.case_id:
            raise UnsafeBackup("The backup's database is not the case its manifest names; "
                               "no case was made.")
        if events < manifest.chain_events or (manifest.chain_events and
                                              head != manifest.chain_hash):
            raise UnsafeBackup("The backup's audit trail does not end where its manifest "
                               "says it did; no case was made.")
        report: VerifyReport | None = None
        for event in verify_case(case, cancel, hashed=hashed):
            if isinstance(event.item, VerifyReport):
                report = event.item
        if cancel is not None and cancel.cancelled:
            raise _Cancelled()
        if report is None:
            raise RestoreError("The check of the restored case did not finish; it was not kept.")
        if not report.ok and not keep_problems:
            raise RestoreCheckFailed(
                "The backup file is intact, but the case in it did not pass the check (the "
                "problems were already there when it was backed up): "
                + "; ".join(report.problems[:5]) + ". Nothing was restored. If this backup "
                "is the only copy you have, restore it anyway (Restore anyway, or "
                "--keep-problems); the problems will stay listed by Check my evidence.",
                report.problems)
        with case.write() as (_session, audit):
            audit.log("restore", "case", 1, file=path.name, created=manifest.created,
                      chain_events=manifest.chain_events, chain_hash=manifest.chain_hash,
                      folder=str(target), problems=report.problems[:50])
        return RestoreResult(target, case_name, files, report.originals_checked,
                             manifest.chain_events, tuple(report.problems),
                             encrypted=keys is not None)
