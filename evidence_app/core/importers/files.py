"""Files -> originals + attachment rows, as a cancellable generator of progress events.

Hashing, copying and thumbnailing run on a small thread pool (Pillow, hashlib and file
I/O release the GIL). Exhibit marks are given in the order things happened: every file is
first stored and read (its capture time is known only then), and only then are the rows
written by the calling thread, in capture-time order (then by name), a batch to a
transaction, once their originals are safely on disk. A cancelled import removes any
original it stored but did not commit; a killed one can leave at most complete,
unreferenced originals, which `verify` lists and never counts as damage.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence_app.core.dates import localize, time_from_filename
from evidence_app.core.errors import CaseError, NotFoundError, StorageError
from evidence_app.core.media.analysis import MediaInfo, analyse
from evidence_app.core.names import readable_name, undecodable
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import Attachment, CaseSettings, Incident
from evidence_app.core.store.originals import Cancelled, NotAFile, StoreError
from evidence_app.core.vocab import CaptureSource

# Rows written per transaction once every file is read: one each would cost a sync of
# the database per file (seconds for a phone's worth of screenshots).
COMMIT_BATCH = 50

# Files an operating system leaves in folders, never evidence.
JUNK = {".ds_store", "thumbs.db", "desktop.ini", "ehthumbs.db", ".directory"}


@dataclass
class ImportResult:
    """One input file's outcome; also the JSON the CLI prints."""

    path: str
    status: str  # imported, duplicate, rejected
    reason: str = ""
    id: int | None = None
    sha256: str = ""
    exhibit: str = ""
    captured_at: str | None = None
    captured_from: str = ""
    preview: bool = False
    media_type: str = ""
    incident_id: int | None = None

    def __post_init__(self) -> None:
        # The path is shown and printed; names that are not UTF-8 must not break that.
        self.path = readable_name(self.path)
        self.reason = readable_name(self.reason)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class EmptyFile(Exception):
    """The file holds no bytes (a cloud placeholder or a failed save)."""


EMPTY_REASON = "the file is empty (0 bytes); if it lives in cloud storage, download it first"


@dataclass
class _Stored:
    path: Path
    name: str
    sha256: str
    size: int
    created: bool
    mtime: datetime | None
    info: MediaInfo | None


# One folder may hold at most this many files: more means a whole disk or a system
# folder was chosen by mistake (a phone's whole camera roll is a few tens of thousands).
MAX_FOLDER_FILES = 100_000

# Folders that are never evidence as a whole: the disk itself, the system's own folders
# and the person's whole home folder (choose Pictures, Downloads or a phone's folder).
_SYSTEM_FOLDERS = {"/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/opt", "/proc",
                   "/root", "/run", "/sbin", "/snap", "/srv", "/sys", "/tmp", "/usr", "/var",
                   "/home", "/Users", "/Applications", "/Library", "/System", "/Volumes",
                   "/private", "/media", "/mnt", "C:/Windows", "C:/Program Files",
                   "C:/Program Files (x86)", "C:/ProgramData", "C:/Users"}
# Where nothing is a saved file: the kernel's and the devices' own pseudo-files.
_SYSTEM_FILES = ("/proc", "/sys", "/dev")
# ...except the memory-backed folder under /dev where real files are saved: an encrypted
# case unpacks a chat export's pictures there (store/sealed_cache.py, never to disk).
_SAVED_UNDER_DEV = ("/dev/shm/",)


def _system_file(real: str) -> bool:
    return (real.startswith(tuple(f + "/" for f in _SYSTEM_FILES))
            and not real.startswith(_SAVED_UNDER_DEV))

LINKED_FOLDER = ("skipped: a shortcut (link) to another folder{target}; links are not "
                 "followed, so nothing from outside the folder you chose is imported. "
                 "Import that folder itself if it holds evidence")
LINK_OUTSIDE = ("a shortcut (link) to a file outside the folder being imported{target}; "
                "links are not followed out of the folder you chose. Import that file "
                "itself if it is evidence")


def _target(link: Path) -> str:
    try:
        return f" ({readable_name(os.readlink(link))})"
    except OSError:
        return ""


def _walk(folder: Path, skip: Path | None) -> tuple[list[Path | ImportResult], int]:
    """Files under a folder (sorted, hidden and system files skipped), and how many.

    Links are never followed out of the folder: a link to a sub-folder is answered with
    a line saying it was skipped, a link to a file elsewhere is refused (a folder could
    otherwise bring in any file on the computer, or the case's own database). A folder
    holding more than `MAX_FOLDER_FILES` files is refused as a whole.
    """
    out: list[Path | ImportResult] = []
    count = 0
    top = folder.resolve()

    def failed(exc: OSError) -> None:
        out.append(ImportResult(str(exc.filename), "rejected",
                                f"folder cannot be read: {exc.strerror}"))

    for root, dirs, names in os.walk(folder, onerror=failed):
        here = Path(root)
        kept = []
        for d in sorted(dirs):
            if d.startswith(".") or (skip is not None and _same_or_inside(here / d, skip)):
                continue
            if (here / d).is_symlink():
                out.append(ImportResult(str(here / d), "rejected",
                                        LINKED_FOLDER.format(target=_target(here / d))))
                continue
            kept.append(d)
        dirs[:] = kept
        for name in sorted(names):
            if name.startswith(".") or name.lower() in JUNK:
                continue
            path = here / name
            if path.is_symlink() and (not _same_or_inside(path, top) or (
                    skip is not None and _same_or_inside(path, skip))):
                out.append(ImportResult(str(path), "rejected",
                                        LINK_OUTSIDE.format(target=_target(path))))
                continue
            out.append(path)
            count += 1
            if count > MAX_FOLDER_FILES:
                return [ImportResult(str(folder), "rejected", _too_many(folder))], 0
    return out, count


def _too_many(folder: Path) -> str:
    return (f"this folder holds more than {MAX_FOLDER_FILES:,} files, far more than a "
            "person's evidence: nothing from it was imported. Choose the folders that hold "
            "the evidence (for example Pictures, Downloads or the phone's DCIM folder)")


def _system_place(path: Path) -> str | None:
    """Why a folder must not be imported whole (the disk, a system folder, the home
    folder), or None."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return None
    try:
        home: Path | None = Path.home().resolve()
    except (OSError, RuntimeError):
        home = None
    if real == Path(real.anchor) or real.as_posix() in _SYSTEM_FOLDERS:
        what = "the whole disk" if real == Path(real.anchor) else "a system folder"
    elif real == home:
        what = "your whole home folder"
    elif _system_file(real.as_posix()):
        what = "a system folder"
    else:
        return None
    return (f"this is {what}, not a folder of evidence: nothing from it was imported. "
            "Choose the folders that hold the evidence (for example Pictures, Downloads "
            "or the phone's DCIM folder)")


def _same_or_inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder)
    except (OSError, RuntimeError):
        return False


def expand_paths(paths: Iterable[Path], case_folder: Path | None = None,
                 ) -> list[Path | ImportResult]:
    """Files to import, in the order given, with folders expanded recursively.

    Paths that cannot be imported at all appear in place as rejected `ImportResult`s, so
    every input gets an answer. Nothing inside `case_folder` is ever imported (a case
    must not swallow its own database or originals), nor the whole disk, a system
    folder or the home folder itself.
    """
    out: list[Path | ImportResult] = []
    skip = case_folder.resolve() if case_folder is not None else None
    for raw in paths:
        path = Path(raw)
        try:
            st = path.stat()
        except FileNotFoundError:
            reason = ("a shortcut (link) to a file that no longer exists" if path.is_symlink()
                      else "file or folder not found")
            out.append(ImportResult(str(path), "rejected", reason))
            continue
        except OSError as exc:
            out.append(ImportResult(str(path), "rejected", f"cannot be read: {exc.strerror}"))
            continue
        if skip is not None and _same_or_inside(path, skip):
            out.append(ImportResult(str(path), "rejected",
                                    "this is inside the case folder itself; import the "
                                    "files from where they were originally saved"))
        elif stat.S_ISDIR(st.st_mode):
            system = _system_place(path)
            if system is not None:
                out.append(ImportResult(str(path), "rejected", system))
                continue
            found, count = _walk(path, skip)
            out.extend(found)
            if count == 0 and not found:
                out.append(ImportResult(str(path), "rejected", "the folder holds no files to import"))
        else:
            out.append(path)
    return out


def _check_readable(path: Path) -> str | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return "a shortcut (link) to a file that no longer exists"
        return "file not found (it may have been moved or deleted)"
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if stat.S_ISDIR(st.st_mode):
        return "this is a folder, not a file"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a device, pipe or socket cannot be evidence)"
    if not os.access(path, os.R_OK):
        return "permission denied: this file cannot be read"
    try:
        real = path.resolve().as_posix()
    except (OSError, RuntimeError):
        real = ""
    if _system_file(real):
        return ("a system file (made up by the computer as it is read), not a saved file "
                "that can be evidence")
    return None


def _store(case: Case, path: Path, name: str, known: set[str], cancel: CancelToken) -> _Stored:
    """Worker step: copy+hash into the store, then read metadata and make a thumbnail."""
    sha, size, created = case.originals.put_file(path, cancel)
    if size == 0:
        # Checked after reading, not from stat: some readable files report size 0.
        if created and sha not in known:
            case.originals.remove(sha)
        raise EmptyFile()
    try:
        mtime: datetime | None = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except (OSError, ValueError, OverflowError):
        mtime = None
    info = None
    if sha not in known:
        info = analyse(case.originals.opener(sha), name, thumbnail=True)
        if info.thumbnail is not None:
            try:
                case.cache.save_thumbnail(sha, info.thumbnail)
            except OSError as exc:  # the cache cannot be written; the original is safe
                info.preview, info.preview_error = False, f"the preview could not be saved ({exc})"
            info.thumbnail = None
    return _Stored(path, name, sha, size, created, mtime, info)


def capture_time(info: MediaInfo, name: str, mtime: datetime | None, tz: str,
                 ) -> tuple[datetime | None, str, str, str]:
    """Pick the best capture time: (utc time, offset text, source, explanatory note)."""
    from_name = time_from_filename(name)
    if info.saved_time_only and from_name is not None and from_name[1]:
        # A phone's "20160912_100531(0).jpg" edited later: the name keeps when it was
        # taken, the EXIF only when it was saved.
        info = replace(info, exif_time=None)
    if info.exif_time is not None:
        source = info.time_source or CaptureSource.EXIF
        if info.exif_time.tzinfo is not None:
            return info.exif_time.astimezone(UTC), info.exif_offset, source, info.time_note
        local = localize(info.exif_time, tz)
        note = "; ".join(p for p in (info.time_note, f"no time zone was recorded; {tz} assumed") if p)
        return local.astimezone(UTC), "", source, note
    if from_name is not None:
        named, has_time = from_name
        if named.tzinfo is not None:
            return (named.astimezone(UTC), "", CaptureSource.FILENAME,
                    "the file name holds the moment it was saved (Unix time, UTC)")
        note = f"local time in {tz} assumed" + ("" if has_time else "; the file name gives the date only")
        return localize(named, tz).astimezone(UTC), "", CaptureSource.FILENAME, note
    if mtime is not None:
        note = "no capture date in the file; when it was last modified (copying can change this)"
        return mtime, "", CaptureSource.MTIME, note
    return None, "", "", "no capture time could be found"


def _existing(case: Case) -> dict[str, tuple[int, str, bool]]:
    """sha256 -> (attachment id, mark, in the trash?) for every stored exhibit."""
    with case.read() as session:
        rows = session.execute(
            select(Attachment.sha256, Attachment.id, Attachment.exhibit_mark,
                   Attachment.deleted_at, Incident.deleted_at)
            .outerjoin(Incident, Attachment.incident_id == Incident.id)
        )
        return {r[0]: (r[1], r[2], r[3] is not None or r[4] is not None) for r in rows}


def import_files(case: Case, paths: Iterable[Path], incident_id: int | None = None,
                 cancel: CancelToken | None = None, workers: int | None = None,
                 source: str | None = None, batch: int = COMMIT_BATCH,
                 origins: Mapping[Path, str] | None = None,
                 dated_by_message: Collection[Path] = ()) -> Iterator[Progress]:
    """Import files and folders; yields Progress with an ImportResult per file.

    The first event has `item=None` and the total. Then one event per file as it is read
    (`done` counts them), carrying the result only for a file that cannot be imported;
    then the imported files and duplicates, each with its result, in the order their
    marks were given: capture time, then name, `batch` rows to a transaction. `source`
    overrides the capture-time source (used for pasted images). `origins` names files an
    importer unpacked into the case's scratch folder (from a chat export's zip): each is
    recorded as coming from the path given there ("Chat.zip/IMG-0001.jpg"); a file in
    `dated_by_message` has no date of its own but the time of the message that sent it
    (the importer set it as its modification time), and its capture time says so. Only
    files named in `origins` may come from inside the case folder.
    """
    cancel = cancel or CancelToken()
    if incident_id is not None:
        with case.read() as session:
            incident = session.get(Incident, incident_id)
            if incident is None or incident.deleted_at is not None:
                raise NotFoundError(f"There is no incident {incident_id}.")
    # Pasted bytes are staged in the case's own cache by import_bytes, so the guard
    # against importing the case folder into itself does not apply to them.
    staged = source == CaptureSource.PASTED or bool(origins)
    entries = expand_paths(paths, None if staged else case.folder)
    total = len(entries)
    done = 0
    yield Progress(0, total, "Preparing")
    known = _existing(case)
    tz = case.settings().timezone
    # One more thread than CPUs: while one waits for fsync, the others decode pictures.
    workers = workers or min(4, (os.cpu_count() or 2) + 1)
    pending: deque[tuple[Path, Future[_Stored] | ImportResult]] = deque()
    committed: set[str] = set()
    todo = iter(entries)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="import") as pool:
        def submit_next() -> bool:
            for entry in todo:
                if isinstance(entry, ImportResult):
                    pending.append((Path(entry.path), entry))
                    return True
                problem = _check_readable(entry)
                if problem:
                    pending.append((entry, ImportResult(str(entry), "rejected", problem)))
                else:
                    pending.append((entry, pool.submit(_store, case, entry, entry.name,
                                                       set(known), cancel)))
                return True
            return False

        read: list[_Stored] = []  # stored and read, waiting for their row
        try:
            for _ in range(workers * 2):
                if not submit_next():
                    break
            # 1. Store and read every file; what cannot be imported is answered at once.
            while pending:
                if cancel.cancelled:
                    break
                path, job = pending.popleft()
                submit_next()
                result: ImportResult | None = None
                if isinstance(job, ImportResult):
                    result = job
                else:
                    try:
                        read.append(job.result())
                    except Cancelled:
                        break
                    except StoreError as exc:
                        raise CaseError(
                            f"Files cannot be saved into the case: {exc.strerror}. Nothing "
                            "from this import was added and nothing half-written was kept; "
                            "everything already in the case is safe. "
                            f"{store_advice(exc.errno)}") from exc
                    except EmptyFile:
                        result = ImportResult(str(path), "rejected", EMPTY_REASON)
                    except NotAFile as exc:
                        result = ImportResult(str(path), "rejected", str(exc.strerror))
                    except OSError as exc:
                        result = ImportResult(str(path), "rejected",
                                              f"cannot be read: {exc.strerror or exc}")
                done += 1
                yield Progress(done, total, str(path), result)
            # 2. The rows, in the order things happened, so marks follow time; a few
            # dozen to a transaction (each file's original is already safely stored).
            read.sort(key=lambda stored: _time_order(stored, tz))
            for first in range(0, len(read), batch):
                if cancel.cancelled:
                    break
                rows = read[first:first + batch]
                try:
                    results = _commit(case, rows, known, incident_id, tz, source, origins,
                                      dated_by_message)
                except StorageError as exc:
                    raise CaseError(
                        f"{exc} {first} file(s) of {total} were added before this; import "
                        "again to add the rest (files already in the case will be "
                        "recognised).") from exc
                committed.update(stored.sha256 for stored in rows)
                for result in results:
                    yield Progress(done, total, result.path, result)
        finally:
            cancel_pending = list(pending)
            pending.clear()
            if cancel_pending:
                cancel.cancel()  # stop running copies quickly; results are discarded
            for _path, job in cancel_pending:
                if isinstance(job, Future):
                    job.cancel()
            pool.shutdown(wait=True)
            left = [s for s in read if s.sha256 not in committed]
            for _path, job in cancel_pending:
                if isinstance(job, Future) and job.done() and not job.cancelled():
                    try:
                        left.append(job.result())
                    except BaseException:  # noqa: BLE001
                        continue
            # If the case cannot be written now, they stay: complete files no row refers
            # to, offered back to the person later (`unreferenced_originals`).
            with contextlib.suppress(StorageError, OSError):
                discard_uncommitted(case, {stored.sha256 for stored in left
                                           if stored.created and stored.sha256 not in committed
                                           and stored.sha256 not in known})


def discard_uncommitted(case: Case, shas: Iterable[str]) -> None:
    """Remove originals an import stored but did not commit, unless a row refers to them.

    The check and the removal happen inside a write transaction, so they cannot
    interleave with another import committing the same bytes (two imports can run at
    once, and the second finds the first's file already stored); an import committing
    re-checks its files in its own transaction (`_commit`).
    """
    shas = set(shas)
    if not shas:
        return
    with case.write() as (session, _audit):
        used = set(session.scalars(select(Attachment.sha256)
                                   .where(Attachment.sha256.in_(shas))))
        for sha in shas - used:
            case.originals.remove(sha)
            case.cache.remove_thumbnail(sha)


def store_advice(code: int | None) -> str:
    """What the person can do when the case's disk refuses a write."""
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return "Free some space on that disk, then import again."
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ("Check that the case folder can be written to (a locked USB stick or a "
                "read-only folder cannot take new files), then import again.")
    return ("The disk may have been disconnected or may be failing: check it, make a "
            "backup of the case, then import again.")


def _time_order(stored: _Stored, tz: str) -> tuple[bool, datetime, str, str]:
    """Sort key giving exhibit marks in capture-time order, then by file name; files with
    no time at all come last."""
    when = capture_time(stored.info or MediaInfo(), stored.name, stored.mtime, tz)[0]
    return (when is None, when or datetime.min.replace(tzinfo=UTC), stored.name,
            str(stored.path))


def _commit(case: Case, batch: list[_Stored], known: dict[str, tuple[int, str, bool]],
            incident_id: int | None, tz: str, source: str | None,
            origins: Mapping[Path, str] | None = None,
            dated_by_message: Collection[Path] = ()) -> list[ImportResult]:
    """Record a batch of stored files in one transaction, marks in the batch's order;
    `known` learns the new exhibits only once they are committed."""
    results: list[ImportResult] = []
    added: dict[str, tuple[int, str, bool]] = {}
    with case.write() as (session, audit):
        settings = session.get(CaseSettings, 1)
        assert settings is not None
        for stored in batch:
            seen = added.get(stored.sha256) or known.get(stored.sha256)
            if seen is not None:
                results.append(_duplicate(session, stored, *seen))
                continue
            info = stored.info or MediaInfo()
            when, offset, src, note = capture_time(info, stored.name, stored.mtime, tz)
            if source:
                src, note = source, ""
            elif src == CaptureSource.MTIME and stored.path in dated_by_message:
                src, note = CaptureSource.MESSAGE, ""
            if not case.originals.exists(stored.sha256) and not _restore(case, session, stored):
                results.append(ImportResult(
                    str(stored.path), "rejected", "the file changed or disappeared while it "
                    "was being imported; import it again"))
                continue
            where = (origins or {}).get(stored.path, str(stored.path))
            name, original_path = readable_name(stored.name), readable_name(where)
            odd = {"original_name_bytes": os.fsencode(stored.name).hex()} if undecodable(
                stored.name) else {}
            serial = settings.next_exhibit_serial
            mark = f"{settings.initials}/{serial}"
            settings.next_exhibit_serial = serial + 1
            att = Attachment(
                incident_id=incident_id, sha256=stored.sha256, exhibit_serial=serial,
                exhibit_mark=mark, original_name=name, original_path=original_path,
                size=stored.size, media_type=info.media_type, kind=info.kind, width=info.width,
                height=info.height, orientation=info.orientation, captured_at=when,
                captured_offset=offset, captured_from=str(src), captured_note=note,
                camera_make=info.camera_make, camera_model=info.camera_model,
                gps_lat=info.gps_lat, gps_lon=info.gps_lon, gps_alt=info.gps_alt,
                preview=info.preview, preview_error=info.preview_error,
                file_mtime=stored.mtime, imported_at=audit.now(),
                ocr_status="pending" if info.preview else "",
            )
            session.add(att)
            session.flush()
            audit.log("import", "attachment", att.id, exhibit=mark, sha256=stored.sha256,
                      original_name=name, size=stored.size, incident_id=incident_id,
                      captured_at=when, captured_from=str(src), **odd)
            added[stored.sha256] = (att.id, mark, False)
            results.append(ImportResult(
                str(stored.path), "imported",
                "" if info.preview else f"no preview: {info.preview_error}", att.id,
                stored.sha256, mark, when.isoformat() if when else None, str(src),
                info.preview, info.media_type, incident_id))
    known.update(added)
    return results


def _restore(case: Case, session: Session, stored: _Stored) -> bool:
    """Store a file again whose original went while it waited for its row (another
    import was cancelled, or the trash emptied, after this import found the bytes
    already stored); False when the file no longer holds the same bytes."""
    try:
        sha, _size, created = case.originals.put_file(stored.path)
    except OSError:
        return False
    if sha != stored.sha256:
        # What the file holds now was not imported: not kept unless a row has it.
        if created and session.scalar(
                select(Attachment.id).where(Attachment.sha256 == sha)) is None:
            case.originals.remove(sha)
        return False
    return True


def _duplicate(session: Session, stored: _Stored, att_id: int, mark: str,
               trashed: bool) -> ImportResult:
    """The answer for a file the case already holds, describing the exhibit it is."""
    where = " (it is in the trash)" if trashed else ""
    result = ImportResult(str(stored.path), "duplicate", f"same file as exhibit {mark}{where}",
                          att_id, stored.sha256, mark)
    existing = session.get(Attachment, att_id)
    if existing is not None:
        result.captured_at = existing.captured_at.isoformat() if existing.captured_at else None
        result.captured_from = existing.captured_from
        result.preview = existing.preview
        result.media_type = existing.media_type
        result.incident_id = existing.incident_id
    return result
