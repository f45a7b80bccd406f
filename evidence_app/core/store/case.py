"""A case is a folder: `case.db` (SQLite), `originals/` (exact bytes) and `cache/`.

`Case.create` and `Case.open` take the folder's lock, bring the database schema up to
date (after copying the database aside) and sweep temporary files left by a crash.
All writes go through `Case.write()`, which serialises writers within the process.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from evidence_app.core.errors import CaseError, StorageError, ValidationError
from evidence_app.core.store.audit import AuditWriter, apply_changes, assign_fresh_ids
from evidence_app.core.store.lock import CaseLock
from evidence_app.core.store.models import CaseSettings, utcnow
from evidence_app.core.store.originals import BlobStore
from evidence_app.core.store.schema import backup_if_migrating, migrate

DB_NAME = "case.db"


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(db_path: Path) -> Engine:
    """The one place that opens the database file (encryption would replace this)."""
    engine = create_engine(
        f"sqlite:///{db_path}", connect_args={"check_same_thread": False}, future=True
    )
    event.listen(engine, "connect", _on_connect)
    return engine


def validate_initials(initials: str) -> str:
    """Exhibit-mark initials: 1-6 letters, upper case."""
    value = initials.strip().upper()
    if not (1 <= len(value) <= 6) or not value.isalpha():
        raise ValidationError("Initials must be 1 to 6 letters, for example JS.")
    return value


def validate_timezone(name: str) -> str:
    """An IANA time zone name this computer knows, or ValidationError."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"Unknown time zone {name!r}; use a name such as Europe/London.") from exc
    return name


class Case:
    """An open case folder. Use as a context manager or call `close()`."""

    def __init__(self, folder: Path, lock: CaseLock, engine: Engine) -> None:
        self.folder = folder
        self._lock = lock
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", assign_fresh_ids)
        self._write_lock = threading.RLock()
        self.blobs = BlobStore(folder / "originals")
        self.cache_dir = folder / "cache"
        self.cache_dir.mkdir(exist_ok=True)
        self.migration_backup: Path | None = None

    # -- lifecycle ---------------------------------------------------------------
    @classmethod
    def create(cls, folder: Path, *, owner_name: str, initials: str, case_name: str = "",
               timezone: str = "Europe/London", address: str = "", contact: str = "") -> Case:
        """Make a new case folder (empty or not yet existing) and open it."""
        folder = Path(folder).expanduser().resolve()
        owner = owner_name.strip()
        if not owner:
            raise ValidationError("Please give the name of the person this case belongs to.")
        marks = validate_initials(initials)
        validate_timezone(timezone)
        if folder.exists() and not folder.is_dir():
            raise CaseError(f"{folder} is a file, not a folder.")
        if (folder / DB_NAME).exists() and not _unfinished(folder / DB_NAME):
            raise CaseError(f"There is already a case in {folder}. Open it instead.")
        try:
            new_folder = not folder.exists()
            folder.mkdir(parents=True, exist_ok=True)
            if new_folder and os.name == "posix":
                # Other accounts on a shared computer must not be able to read the case.
                os.chmod(folder, stat.S_IRWXU)
        except OSError as exc:
            raise CaseError(f"Cannot create the case folder {folder}: {exc.strerror}") from exc
        case = cls._open(folder, creating=True)
        try:
            with case.write() as (session, audit):
                settings = CaseSettings(
                    id=1, case_uuid=str(uuid.uuid4()), case_name=case_name.strip() or owner,
                    owner_name=owner, initials=marks, address=address, contact=contact,
                    timezone=timezone, next_exhibit_serial=1, created_at=utcnow(),
                )
                session.add(settings)
                audit.log("create", "case", 1, case_name=settings.case_name, owner_name=owner,
                          initials=marks, timezone=timezone)
        except BaseException:
            case.close()
            raise
        return case

    @classmethod
    def open(cls, folder: Path) -> Case:
        """Open an existing case folder."""
        folder = Path(folder).expanduser().resolve()
        if not (folder / DB_NAME).is_file():
            raise CaseError(f"{folder} is not a case folder (it has no {DB_NAME}).")
        if _unfinished(folder / DB_NAME):
            raise CaseError(f"{folder} holds a case whose creation was interrupted; "
                            "create it again (nothing in it was lost).")
        return cls._open(folder, creating=False)

    @classmethod
    def _open(cls, folder: Path, creating: bool) -> Case:
        lock = CaseLock(folder)
        try:
            lock.acquire()
        except OSError as exc:
            raise CaseError(f"Cannot open {folder}: {exc.strerror}") from exc
        engine = None
        try:
            db = folder / DB_NAME
            backup = None if creating else backup_if_migrating(db)
            engine = make_engine(db)
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
            case = cls(folder, lock, engine)
            case.migration_backup = backup
            case.blobs.sweep_temp()
            case.sweep_cache()
            case.catch_up_search_index()
            if not creating:
                with case.read() as session:
                    if session.get(CaseSettings, 1) is None:
                        raise CaseError(f"{folder} holds an unfinished case (no settings).")
            return case
        except BaseException as exc:
            if engine is not None:
                engine.dispose()
            lock.release()
            cause = exc if isinstance(exc, sqlite3.DatabaseError) else getattr(exc, "orig", None)
            if isinstance(cause, sqlite3.DatabaseError):
                raise _cannot_open(folder, cause) from exc
            raise

    def close(self) -> None:
        """Release the database and the lock. Safe to call twice."""
        with self._write_lock:
            if self.engine is not None:
                with contextlib.suppress(Exception), self.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                self.engine.dispose()
            self._lock.release()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions ----------------------------------------------------------------
    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with self._sessions() as session:
            yield session
            session.rollback()

    @contextlib.contextmanager
    def write(self) -> Iterator[tuple[Session, AuditWriter]]:
        """One unit of work: one transaction, serialised with all other writers."""
        with self._write_lock, self._sessions() as session:
            try:
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                yield session, AuditWriter(session)
                session.flush()
                _refresh_search_index(session)
                session.commit()
            except DBAPIError as exc:
                session.rollback()
                problem = _storage_problem(exc)
                if problem is None:
                    raise
                raise StorageError(f"The change was not saved: {problem}. Nothing in the case "
                                   "was changed; free some space or check the disk, then "
                                   "try again.") from exc
            except BaseException:
                session.rollback()
                raise

    def sweep_cache(self) -> None:
        """Remove half-written cache files and paste folders left by a crash."""
        for tmp in self.cache_dir.rglob(".tmp-*"):
            with contextlib.suppress(OSError):
                tmp.unlink()
        for paste in self.cache_dir.glob(".paste-*"):
            shutil.rmtree(paste, ignore_errors=True)

    def catch_up_search_index(self) -> None:
        """Index what was written without the app (or queued by an upgrade)."""
        from evidence_app.core.search.index import pending

        with self.read() as session:
            waiting = pending(session.connection())
        if waiting:
            with self.write():
                pass  # write() refreshes the index before it commits

    def contains(self, path: Path) -> bool:
        """Whether `path` is in the case folder (where nothing may be written from outside)."""
        return Path(path).expanduser().resolve().is_relative_to(self.folder.resolve())

    def thumbnail_path(self, sha256: str) -> Path:
        """Where the cached 256 px thumbnail of an original lives (rebuildable)."""
        return self.cache_dir / "thumbs" / sha256[:2] / f"{sha256}.jpg"

    # -- settings ----------------------------------------------------------------
    def settings(self) -> CaseSettings:
        """A detached copy of the case settings."""
        with self.read() as session:
            settings = session.get(CaseSettings, 1)
            assert settings is not None
            session.expunge(settings)
            return settings

    def update_settings(self, **changes: Any) -> None:
        """Change case name, owner, initials, address, contact or time zone (audited)."""
        allowed = {"case_name", "owner_name", "initials", "address", "contact", "timezone"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(f"Unknown setting(s): {', '.join(sorted(unknown))}")
        if "initials" in changes:
            changes["initials"] = validate_initials(changes["initials"])
        if "timezone" in changes:
            validate_timezone(changes["timezone"])
        if "owner_name" in changes and not str(changes["owner_name"]).strip():
            raise ValidationError("The owner's name cannot be empty.")
        with self.write() as (session, audit):
            settings = session.get(CaseSettings, 1)
            assert settings is not None
            diff = apply_changes(settings, changes)
            if diff:
                audit.log("update", "case", 1, changes=diff)


def _unfinished(db: Path) -> bool:
    """True for a database whose creation was interrupted: a schema but no settings row
    and nothing else in it (so creating the case again loses nothing)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "case_settings" not in tables:
                return not (tables - {"alembic_version"})
            if con.execute("SELECT count(*) FROM case_settings").fetchone()[0]:
                return False
            for table in ("incidents", "attachments", "notes"):
                if table in tables and con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]:
                    return False
            return True
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False


def _storage_problem(exc: BaseException) -> str | None:
    """What stopped SQLite writing, in words, if it was the disk (else None)."""
    error = exc.orig if isinstance(exc, DBAPIError) else exc
    name = getattr(error, "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return "the disk holding the case is full"
    if name.startswith("SQLITE_READONLY"):
        return "the case folder is read-only"
    if name.startswith("SQLITE_IOERR"):
        return f"the disk holding the case could not be written ({error}); it may be full"
    return None


def _cannot_open(folder: Path, exc: sqlite3.DatabaseError) -> CaseError:
    """The error for a case SQLite would not open: the disk's fault, or the database's."""
    problem = _storage_problem(exc)
    if problem is not None:
        return StorageError(f"The case in {folder} cannot be opened: {problem}. Nothing in "
                            "it was changed.")
    return CaseError(f"The case database in {folder} cannot be read: {exc}")


def _refresh_search_index(session: Session) -> None:
    # The search index follows every write in the same transaction (core/search/index.py).
    from evidence_app.core.search.index import flush_dirty

    flush_dirty(session.connection())
