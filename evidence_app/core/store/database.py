"""The database file: the one place that connects to SQLite.

Everything that needs a connection (the case's engine, the read-only look before an
upgrade, the copy made aside before it, a check of an interrupted creation) gets it
here, so an encrypted database (SQLCipher) or another engine is a change to this module
and `case.py` only. SQLite's own error names are turned into words here too.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

DatabaseError = sqlite3.DatabaseError  # what a damaged or unreadable database raises


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _on_connect_read_only(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=2000")
    cur.close()


def make_engine(db_path: Path, read_only: bool = False) -> Engine:
    """The case's engine: WAL, synchronous=FULL, foreign keys on, one connection each
    for the writer and the readers (usable from any thread).

    `read_only` opens the file with SQLite's read-only mode, for a case on a medium that
    cannot be written; when there is no write-ahead log beside it (the case was closed
    cleanly) as immutable, since SQLite could not make the shared-memory file it needs.
    """
    if not read_only:
        engine = create_engine(
            f"sqlite:///{db_path}", connect_args={"check_same_thread": False}, future=True
        )
        event.listen(engine, "connect", _on_connect)
        return engine
    wal = db_path.with_name(db_path.name + "-wal")
    shm = db_path.with_name(db_path.name + "-shm")
    mode = "mode=ro" if wal.exists() and shm.exists() else "immutable=1"
    uri = f"file:{quote(str(db_path))}?{mode}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect, future=True)
    event.listen(engine, "connect", _on_connect_read_only)
    return engine


def scratch_engine(url: str = "") -> Engine:
    """The database Alembic's autogenerate compares against during development (an empty
    one in memory unless a URL is given)."""
    return create_engine(url or "sqlite://", future=True)


@contextlib.contextmanager
def raw_connection(db: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    """A plain connection to the file, closed afterwards (checks before the engine opens)."""
    con = (sqlite3.connect(f"file:{db}?mode=ro", uri=True) if read_only
           else sqlite3.connect(db))
    try:
        yield con
    finally:
        con.close()


def schema_revision(db: Path) -> str | None:
    """The Alembic revision the database is at (None for a database without one)."""
    with raw_connection(db) as con:
        if not con.execute(
                "SELECT name FROM sqlite_master WHERE name='alembic_version'").fetchone():
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None


def held_by_another_program(db: Path, wait: float = 1.0) -> bool:
    """Whether another program holds the database's write lock (a `sqlite3` shell in a
    transaction, a backup or sync tool), after waiting `wait` seconds for it to let go."""
    if not db.exists():
        return False
    con = sqlite3.connect(db, timeout=wait, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        return getattr(exc, "sqlite_errorname", "").startswith("SQLITE_BUSY") or \
            "locked" in str(exc)
    finally:
        con.close()


def table_names(db: Path) -> set[str]:
    """The tables the database holds (empty for an empty file)."""
    with raw_connection(db) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def copy_database(db: Path, target: Path) -> None:
    """A consistent copy of the database (WAL included) at `target`."""
    with raw_connection(db) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def unfinished(db: Path) -> bool:
    """True for a database whose creation was interrupted: a schema but no settings row
    and nothing else in it (so creating the case again loses nothing)."""
    try:
        with raw_connection(db, read_only=True) as con:
            tables = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            if "case_settings" not in tables:
                return not (tables - {"alembic_version"})
            if con.execute("SELECT count(*) FROM case_settings").fetchone()[0]:
                return False
            for table in ("incidents", "attachments", "notes"):
                if table in tables and con.execute(
                        f"SELECT count(*) FROM {table}").fetchone()[0]:
                    return False
            return True
    except sqlite3.DatabaseError:
        return False


def storage_problem(exc: BaseException) -> str | None:
    """What stopped SQLite writing, in words, if it was the disk (else None)."""
    error = exc.orig if isinstance(exc, DBAPIError) else exc
    name = getattr(error, "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return "the disk holding the case is full"
    if name.startswith("SQLITE_READONLY"):
        return "the case folder is read-only"
    if name.startswith("SQLITE_BUSY") or str(error) == "database is locked":
        return ("another program is using the case database (a database tool, a backup or "
                "sync program); close it and try again")
    if name.startswith("SQLITE_IOERR"):
        return f"the disk holding the case could not be written ({error}); it may be full"
    return None


def database_error(exc: BaseException) -> sqlite3.DatabaseError | None:
    """The SQLite error behind `exc` (itself, or what SQLAlchemy wrapped), if any."""
    cause = exc if isinstance(exc, sqlite3.DatabaseError) else getattr(exc, "orig", None)
    return cause if isinstance(cause, sqlite3.DatabaseError) else None


def integrity_problems(conn: Any) -> list[str]:
    """SQLite's own checks of the file and of the links between records."""
    problems = []
    for (result,) in conn.exec_driver_sql("PRAGMA integrity_check"):
        if result != "ok":
            problems.append(f"database integrity: {result}")
    for row in conn.exec_driver_sql("PRAGMA foreign_key_check"):
        problems.append(f"database link broken: {tuple(row)}")
    return problems


def trigger_names(conn: Any, table: str) -> set[str]:
    """The triggers defined on a table."""
    return {r[0] for r in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,))}


def checkpoint(engine: Engine) -> None:
    """Fold the write-ahead log into the database file (on close), if it can be."""
    with contextlib.suppress(Exception), engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
