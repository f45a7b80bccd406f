"""A case is a folder: `case.db` (SQLite), `originals/` (exact bytes) and `cache/`.

`Case.create` and `Case.open` take the folder's lock, bring the database schema up to
date (after copying the database aside) and sweep temporary files left by a crash.
All writes go through `Case.write()`: one unit of work, one transaction, serialised
with every other writer in the process. Before it commits, each `DerivedData` the case
was opened with (the search index) brings itself up to date in the same transaction;
after it commits, what the unit changed is handed to whoever tracks changes on that
thread (`Case.tracking()`).

Callers open cases through `core.cases` (`open_case`, `create_case`), which passes the
derived data; this module knows nothing above the store.

An encrypted case (see encryption.py) is opened with its `CaseKeys`: the database
through SQLCipher, originals and cache through the sealed implementations of the seam
(sealed_originals.py, sealed_cache.py). Nothing outside core/store can tell, except by
asking `Case.encrypted` (the GUI does, before handing a file to another program).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from evidence_app.core.errors import CaseError, CaseLockedError, StorageError
from evidence_app.core.store import anchor, database, records
from evidence_app.core.store.audit import AuditWriter, assign_fresh_ids
from evidence_app.core.store.cache import Cache
from evidence_app.core.store.changes import ChangeLog, Changes
from evidence_app.core.store.clock import Clock, system_clock
from evidence_app.core.store.folder import CACHE, DB_NAME, ORIGINALS, is_case_folder
from evidence_app.core.store.keys import KEY_FILE, CaseKeys
from evidence_app.core.store.lock import CaseLock
from evidence_app.core.store.models import CaseSettings
from evidence_app.core.store.originals import Originals
from evidence_app.core.store.schema import backup_if_migrating, migrate
from evidence_app.core.store.seam import CacheStore, OriginalStore

__all__ = ["DB_NAME", "Case", "ChangeLog", "DerivedData", "is_case_folder"]


class DerivedData(Protocol):
    """Something rebuilt from the case's records and kept in step with them by every
    write, in the same transaction (the search index is one)."""

    name: str

    def refresh(self, conn: Connection) -> int:
        """Bring up to date what this transaction touched; how many items were redone."""

    def pending(self, conn: Connection) -> int:
        """How many items wait to be brought up to date (written without the app)."""

    def differences(self, conn: Connection) -> list[str]:
        """Where it differs from what the records say (for `verify`); empty when in step."""


class Case:
    """An open case folder. Use as a context manager or call `close()`."""

    def __init__(self, folder: Path, lock: CaseLock, engine: Engine,
                 derived: Sequence[DerivedData], clock: Clock,
                 keys: CaseKeys | None = None, read_only: bool = False) -> None:
        self.folder = folder
        self._lock = lock
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", assign_fresh_ids)
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self.derived = tuple(derived)
        self.clock = clock
        self._keys = keys
        self._encrypted = keys is not None
        # The implementations of the seam (core/store/seam.py): plain, or sealed.
        self.originals: OriginalStore
        self.cache: CacheStore
        if keys is None:
            originals = Originals(folder / ORIGINALS)
            self.originals = originals
            self.cache = Cache(folder / CACHE, originals, read_only=read_only)
        else:
            from evidence_app.core.store.sealed_cache import SealedCache
            from evidence_app.core.store.sealed_originals import SealedOriginals

            self.originals = SealedOriginals(folder / ORIGINALS, keys)
            self.cache = SealedCache(folder / CACHE, self.originals, keys)
        self.migration_backup: Path | None = None
        # Shown once, by whoever created an encrypted case (core.cases.create_case).
        self.recovery_key: str | None = None
        # Whether case.head may be brought up to date by writes: not when it disagrees
        # with the log (verify names that; overwriting it would hide it).
        self._head_in_step = False
        self._head_since: dict[str, Any] = {}
        self.head_problem = ""
        self.writable = not read_only  # False for a case opened read-only

    @property
    def encrypted(self) -> bool:
        """Whether this is an encrypted case (its files are never handed out in the
        clear without the person being told first)."""
        return self._encrypted

    def __repr__(self) -> str:
        return f"Case({str(self.folder)!r}{', encrypted' if self.encrypted else ''})"

    # -- lifecycle ---------------------------------------------------------------
    @classmethod
    def create(cls, folder: Path, *, settings: dict[str, Any],
               derived: Sequence[DerivedData], clock: Clock = system_clock,
               encryption: Any = None) -> Case:
        """Make a new case folder (empty or not yet existing) and open it.

        `settings` are the first values of the case settings (checked by the caller:
        owner_name, initials, case_name, timezone, address, contact). `encryption`, for an
        encrypted case, is an `encryption.NewKeys` (its key file is written first).
        """
        folder = Path(folder).expanduser().resolve()
        if folder.exists() and not folder.is_dir():
            raise CaseError(f"{folder} is a file, not a folder.")
        if (folder / DB_NAME).exists():
            if not database.unfinished(
                    folder / DB_NAME, None if encryption is None else encryption.keys.database):
                raise CaseError(f"There is already a case in {folder}. Open it instead.")
            lost = anchor.evidence_beside(folder)
            if lost:
                # An empty or unreadable database beside evidence is a lost case, not an
                # interrupted creation: making a new one would start exhibit marks again.
                raise CaseError(f"There is already a case in {folder}, but its database "
                                f"cannot be read ({lost}). Nothing was changed. Restore the "
                                "case from a backup; do not create a new case here, or "
                                "exhibit numbers would start again.")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if os.name == "posix":
                # Other accounts on a shared computer must not be able to read the case,
                # also when it is made in a folder that already existed.
                os.chmod(folder, stat.S_IRWXU)
        except OSError as exc:
            raise CaseError(f"Cannot create the case folder {folder}: {exc.strerror}") from exc
        keys = None
        if encryption is not None:
            (folder / DB_NAME).unlink(missing_ok=True)  # an unfinished one (checked above)
            encryption.write(folder)
            keys = encryption.keys
        case = cls._open(folder, creating=True, derived=derived, clock=clock, keys=keys)
        try:
            with case.write() as (session, audit):
                row = CaseSettings(id=1, case_uuid=str(uuid.uuid4()), next_exhibit_serial=1,
                                   created_at=audit.now(), **settings)
                session.add(row)
                audit.log("create", "case", 1, case_name=row.case_name,
                          owner_name=row.owner_name, initials=row.initials,
                          timezone=row.timezone)
        except BaseException:
            case.close()
            raise
        return case

    @classmethod
    def open(cls, folder: Path, *, derived: Sequence[DerivedData],
             clock: Clock = system_clock, keys: CaseKeys | None = None,
             read_only: bool | None = None) -> Case:
        """Open an existing case folder (an encrypted one with its `keys`: see
        encryption.unlock); read-only when asked, or (`read_only` None) when the folder
        or its database cannot be written (a write-protected USB stick, an archive):
        reading, verify, search, report and export work, writes refuse."""
        folder = Path(folder).expanduser().resolve()
        if not is_case_folder(folder):
            raise CaseError(f"{folder} is not a case folder (it has no {DB_NAME}).")
        if database.unfinished(folder / DB_NAME, None if keys is None else keys.database):
            lost = anchor.evidence_beside(folder)
            if lost:
                raise CaseError(f"The case database in {folder} is empty or damaged, but the "
                                f"case held evidence ({lost}). Nothing was changed. Restore "
                                "the case from a backup.")
            raise CaseError(f"{folder} holds a case whose creation was interrupted; "
                            "create it again (nothing in it was lost).")
        if read_only is None:
            read_only = not (os.access(folder, os.W_OK) and os.access(folder / DB_NAME, os.W_OK))
        if read_only:
            return cls._open_read_only(folder, derived, clock, keys)
        return cls._open(folder, creating=False, derived=derived, clock=clock, keys=keys)

    @classmethod
    def _open_read_only(cls, folder: Path, derived: Sequence[DerivedData],
                        clock: Clock, keys: CaseKeys | None = None) -> Case:
        """No lock (nobody can write a read-only folder), no upgrade, no sweep, nothing
        written: the database is opened with SQLite's read-only mode."""
        db = folder / DB_NAME
        key = None if keys is None else keys.database
        try:
            migrating = backup_if_migrating(db, key, dry_run=True) is not None
        except Exception as exc:
            cause = database.database_error(exc)
            if cause is not None:  # a damaged database: named as such, as below
                raise _cannot_open(folder, cause) from exc
            raise
        if migrating:
            raise CaseError(f"The case in {folder} was made by an older version of this app "
                            "and must be upgraded, which cannot be done where it is (the "
                            "folder cannot be written). Copy the folder somewhere writable "
                            "and open the copy.")
        engine = None
        try:
            engine = database.make_engine(db, key, read_only=True)
            case = cls(folder, CaseLock(folder), engine, derived, clock, keys, read_only=True)
            with case.read() as session:
                if session.get(CaseSettings, 1) is None:
                    raise CaseError(f"{folder} holds an unfinished case (no settings).")
            return case
        except BaseException as exc:
            if engine is not None:
                engine.dispose()
            cause = database.database_error(exc)
            if cause is not None:
                raise _cannot_open(folder, cause) from exc
            raise

    @classmethod
    def open_copy(cls, folder: Path, copy: Path, *, derived: Sequence[DerivedData],
                  clock: Clock = system_clock) -> Case:
        """Read-only: the plain case in `folder` (its originals, its case.head) with its
        database read from `copy`, a repaired copy made aside (salvage.py) of a database
        SQLite refuses. Nothing in `folder` is written; no lock is taken."""
        engine = database.make_engine(copy, read_only=True)
        return cls(Path(folder).expanduser().resolve(), CaseLock(folder), engine, derived,
                   clock, read_only=True)

    @classmethod
    def _open(cls, folder: Path, creating: bool, derived: Sequence[DerivedData],
              clock: Clock, keys: CaseKeys | None = None) -> Case:
        lock = CaseLock(folder)
        try:
            lock.acquire()
        except OSError as exc:
            raise CaseError(f"Cannot open {folder}: {exc.strerror}") from exc
        engine = None
        try:
            db = folder / DB_NAME
            key = None if keys is None else keys.database
            if not creating and database.held_by_another_program(db, key=key):
                raise CaseLockedError(
                    f"Another program is using the case database in {folder} (a database "
                    "tool, or a backup or sync program copying it). Close it, then try "
                    "again; nothing in the case was changed.")
            backup = None if creating else backup_if_migrating(db, key)
            engine = database.make_engine(db, key)
            try:
                if creating or backup is not None:
                    migrate(engine)
            except Exception as exc:
                if backup is None:
                    raise
                raise CaseError(
                    f"The case in {folder} could not be upgraded to this version of the app "
                    f"({exc}). Nothing was changed; a copy made before the upgrade is in "
                    f"{backup}.") from exc
            if os.name == "posix":
                for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"):
                    with contextlib.suppress(OSError):  # only this account reads the case
                        os.chmod(folder / name, stat.S_IRUSR | stat.S_IWUSR)
            case = cls(folder, lock, engine, derived, clock, keys)
            case.migration_backup = backup
            case.originals.sweep_temp()
            case.cache.sweep()
            case._catch_up()
            case._check_head()
            if not creating:
                with case.read() as session:
                    if session.get(CaseSettings, 1) is None:
                        raise CaseError(f"{folder} holds an unfinished case (no settings).")
                case._baseline_records()
            return case
        except BaseException as exc:
            if engine is not None:
                engine.dispose()
            lock.release()
            cause = database.database_error(exc)
            if cause is not None:
                raise _cannot_open(folder, cause) from exc
            raise

    def close(self) -> None:
        """Release the database and the lock. Safe to call twice."""
        with self._write_lock:
            if self.writable:
                database.checkpoint(self._engine)
            self._engine.dispose()
            self.cache.close()
            self._lock.release()
            # Drop this case's references to its keys (Python cannot wipe bytes; once
            # nothing refers to them, the memory is freed and reused).
            self._keys = None
            for store in (self.originals, self.cache):
                forget = getattr(store, "forget_keys", None)
                if forget is not None:
                    forget()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- units of work -----------------------------------------------------------
    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with self._sessions() as session:
            yield session
            session.rollback()

    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        """A plain connection for reading without the ORM (search, where speed counts)."""
        with self._engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[tuple[Session, AuditWriter]]:
        """One unit of work: one transaction, serialised with all other writers.

        Derived data is refreshed just before the commit; after it, the changes the unit
        made (read from the audit events it logged) go to this thread's change logs.
        """
        if not self.writable:
            raise StorageError(f"The case in {self.folder} is open read-only (its folder "
                               "cannot be written), so nothing can be changed. Copy the "
                               "folder somewhere writable to work on it.")
        with self._write_lock, self._sessions() as session:
            try:
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                audit = AuditWriter(session, self.clock)
                start = audit.head
                yield session, audit
                session.flush()
                records.seal(session, audit)
                refreshed = sum(d.refresh(session.connection()) for d in self.derived)
                head = (anchor.current_head(session, audit.now().isoformat())
                        if audit.head != start and self._head_in_step else None)
                session.commit()
                if head is not None:
                    self._write_head(head)
            except DBAPIError as exc:
                session.rollback()
                problem = database.storage_problem(exc)
                if problem is None:
                    raise
                raise StorageError(f"The change was not saved: {problem}. Nothing in the case "
                                   "was changed; free some space or check the disk, then "
                                   "try again.") from exc
            except BaseException:
                session.rollback()
                raise
        changes = Changes.from_events(audit.events, search_index=refreshed > 0)
        for log in getattr(self._local, "logs", ()):
            log.add(changes)

    @contextlib.contextmanager
    def tracking(self, log: ChangeLog | None = None) -> Iterator[ChangeLog]:
        """Collect what every unit of work committed on this thread inside the block
        changed (an operation's `Changes`, however many units it took), in `log` if
        given (another thread may read it meanwhile: it only ever grows)."""
        logs: list[ChangeLog] = self._local.__dict__.setdefault("logs", [])
        log = log if log is not None else ChangeLog()
        logs.append(log)
        try:
            yield log
        finally:
            logs.remove(log)

    def copy_database(self, target: Path) -> None:
        """A consistent copy of the case database at `target` (for a backup), encrypted
        with the case's key when the case is encrypted, plain otherwise."""
        database.copy_database(self.folder / DB_NAME, Path(target),
                               None if self._keys is None else self._keys.database)

    @contextlib.contextmanager
    def open_database_copy(self, copy: Path) -> Iterator[sqlite3.Connection]:
        """A read-only connection to a copy made by `copy_database` (opened with the
        case's key when the case is encrypted), closed afterwards."""
        with database.raw_connection(Path(copy), read_only=True,
                                     key=None if self._keys is None else self._keys.database,
                                     ) as con:
            yield con

    def now(self) -> datetime:
        """The time this case stamps on what is recorded now (aware, UTC)."""
        return self.clock()

    # -- the chain's head, kept outside the database (core/store/anchor.py) ---------
    def head(self, skip: tuple[str, ...] = ()) -> anchor.Head:
        """The audit chain's head now (events, last hash, records of each kind): what a
        report or a backup states, so the log can later be shown to have only grown.
        `skip`: actions not counted at the end (see `anchor.current_head`)."""
        with self.read() as session:
            return anchor.current_head(session, self.clock().isoformat(), skip)

    def _write_head(self, head: anchor.Head, since: dict[str, Any] | None = None) -> None:
        if since is None:
            since = self._head_since or {"events": head.events, "at": head.written_at}
        self._head_since = since
        # A read-only folder, a full disk: the file lags behind the log, which only
        # grew, and is brought up to date by the next write or open.
        with contextlib.suppress(OSError):
            anchor.write_head(self.folder, replace(head, since=since))

    def _check_head(self) -> None:
        """At open: follow case.head if it agrees with the log (bringing it up to date
        when the log grew after it, e.g. a crash between a commit and the file), start
        it if there is none, and leave it alone when it disagrees."""
        try:
            kept = anchor.read_head(self.folder)
        except ValueError as exc:
            self.head_problem = str(exc)
            return
        try:
            with self.read() as session:
                now = anchor.current_head(session, self.clock().isoformat())
                problem = "" if kept is None else anchor.head_disagreement(session, kept, now)
        except Exception as exc:
            cause = database.database_error(exc)  # SQLite's or SQLCipher's
            if cause is None:
                raise
            self.head_problem = f"the log's head cannot be read ({cause})"
            return
        if problem:
            self.head_problem = problem
            return
        self._head_in_step = True
        if kept is None:
            self._write_head(now, {"events": now.events, "at": now.written_at})
        elif kept.events != now.events or kept.rows != now.rows:
            self._write_head(now, kept.since)
        else:
            self._head_since = kept.since

    def _baseline_records(self) -> None:
        """A case written by a version that kept no full records gets them now, for
        every row as it stands, so from now on an edit made outside the app is named
        field by field (verify says from when; core/store/records.py)."""
        try:
            with self.read() as session:
                if records.has_records(session):
                    return
        except Exception as exc:
            if database.database_error(exc) is None:
                raise
            return  # a damaged database is for verify to describe, not to record
        with self.write() as (session, audit):
            records.seal_all(session, audit, "the first opening by a version that keeps "
                                             "full records")

    def _catch_up(self) -> None:
        """Bring derived data up to date with writes made without the app (or queued by
        an upgrade)."""
        with self.read() as session:
            waiting = any(d.pending(session.connection()) for d in self.derived)
        if waiting:
            with self.write():
                pass  # write() refreshes derived data before it commits

    def contains(self, path: Path) -> bool:
        """Whether `path` is in the case folder (where nothing may be written from outside)."""
        return Path(path).expanduser().resolve().is_relative_to(self.folder.resolve())

    # -- settings ----------------------------------------------------------------
    def settings(self) -> CaseSettings:
        """A detached copy of the case settings."""
        with self.read() as session:
            settings = session.get(CaseSettings, 1)
            assert settings is not None
            session.expunge(settings)
            return settings


def _cannot_open(folder: Path, exc: BaseException) -> CaseError:
    """The error for a case SQLite would not open: the disk's fault, or the database's."""
    problem = database.storage_problem(exc)
    if problem is not None:
        return StorageError(f"The case in {folder} cannot be opened: {problem}. Nothing in "
                            "it was changed.")
    hint = ""
    if (folder / KEY_FILE).exists() and getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
        # The key file opened with the passphrase, so the key is right: the database's
        # start (the salt every page's key is made from) is damaged, or it was replaced.
        return CaseError(
            f"The case database in {folder} is damaged: its start cannot be read with the "
            "case's key. Because the case is encrypted, none of its records can be read "
            "without that part; nothing was changed. Keep the case folder exactly as it is "
            "and add nothing to it (copy it somewhere safe first), and restore the case "
            "from a backup file (.evidence-backup) into a new folder if you have one.")
    if database.is_plain_sqlite(folder / DB_NAME) is False and not (folder / KEY_FILE).exists():
        hint = (" If this case was encrypted, its key file (case.key) is missing: restore "
                "the case folder from a backup.")
    return CaseError(f"The case database in {folder} cannot be read: {exc}.{hint}")
