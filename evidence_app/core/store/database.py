"""The database file: the one place that connects to SQLite.

Everything that needs a connection (the case's engine, the read-only look before an
upgrade, the copy made aside before it, a check of an interrupted creation) gets it
here, so an encrypted database (SQLCipher) or another engine is a change to this module
and `case.py` only. SQLite's own error names are turned into words here too.

An encrypted case's database is opened with SQLCipher (the `sqlcipher3` module, the
same DB-API as `sqlite3`) when a `key` is given: 32 raw bytes, set as SQLCipher's raw
key (`PRAGMA key = "x'...'"`) so no key derivation runs per connection (the passphrase
was stretched once, at unlock: keys.py). The key lives only in the connection factory:
the engine's URL and repr show the file's path, never the key. Temporary tables and
sorts stay in memory (SQLCipher does not encrypt temporary files).
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

DatabaseError = sqlite3.DatabaseError  # what a damaged or unreadable database raises


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    if type(dbapi_conn).__module__.startswith("sqlcipher3"):
        cur.execute("PRAGMA temp_store=MEMORY")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    # Up to 32 MB of pages per connection (SQLite's default is 2 MB): a bulk import of
    # 100,000 messages otherwise spills index pages and takes twice as long. Pages are
    # taken only as they are used.
    cur.execute("PRAGMA cache_size=-32768")
    cur.close()


def _cipher() -> Any:
    import sqlcipher3.dbapi2  # loaded only for an encrypted case

    return sqlcipher3.dbapi2


def _keyed(key: bytes, target: str, **kwargs: Any) -> Callable[[], Any]:
    """A function opening `target` with SQLCipher and the raw key (first statement)."""
    module = _cipher()
    pragma = f"PRAGMA key = \"x'{key.hex()}'\""

    def connect() -> Any:
        con = module.connect(target, **kwargs)
        try:
            # SQLCipher would print a page that fails its check to stderr; verify and
            # the app's own messages report it instead.
            con.execute("PRAGMA cipher_log_level = NONE")
            con.execute(pragma)
        except BaseException:
            con.close()
            raise
        return con

    return connect


def _on_connect_read_only(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=2000")
    cur.close()


def make_engine(db_path: Path, key: bytes | None = None, read_only: bool = False) -> Engine:
    """The case's engine: WAL, synchronous=FULL, foreign keys on, one connection each
    for the writer and the readers (usable from any thread). With `key`, SQLCipher.

    `read_only` opens the file with SQLite's read-only mode, for a case on a medium that
    cannot be written; when there is no write-ahead log beside it (the case was closed
    cleanly) as immutable, since SQLite could not make the shared-memory file it needs.
    """
    if read_only:
        return _read_only_engine(db_path, key)
    if key is None:
        engine = create_engine(
            f"sqlite:///{db_path}", connect_args={"check_same_thread": False}, future=True
        )
    else:
        # hide_parameters: an error's text (which may reach the log) shows the SQL but
        # never the values, which are the case's content.
        engine = create_engine(f"sqlite:///{db_path}", module=_cipher(), future=True,
                               hide_parameters=True,
                               creator=_keyed(key, str(db_path), check_same_thread=False))
    event.listen(engine, "connect", _on_connect)
    return engine


def scratch_engine(url: str = "") -> Engine:
    """The database Alembic's autogenerate compares against during development (an empty
    one in memory unless a URL is given)."""
    return create_engine(url or "sqlite://", future=True)


@contextlib.contextmanager
def raw_connection(db: Path, *, read_only: bool = False, key: bytes | None = None,
                   ) -> Iterator[sqlite3.Connection]:
    """A plain connection to the file, closed afterwards (checks before the engine opens);
    with `key`, through SQLCipher."""
    if key is not None:
        con = (_keyed(key, f"file:{db}?mode=ro", uri=True) if read_only
               else _keyed(key, str(db)))()
    else:
        con = (sqlite3.connect(f"file:{db}?mode=ro", uri=True) if read_only
               else sqlite3.connect(db))
    try:
        yield con
    finally:
        con.close()


def schema_revision(db: Path, key: bytes | None = None) -> str | None:
    """The Alembic revision the database is at (None for a database without one)."""
    with raw_connection(db, key=key) as con:
        if not con.execute(
                "SELECT name FROM sqlite_master WHERE name='alembic_version'").fetchone():
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None


def _read_only_engine(db_path: Path, key: bytes | None) -> Engine:
    wal = db_path.with_name(db_path.name + "-wal")
    shm = db_path.with_name(db_path.name + "-shm")
    mode = "mode=ro" if wal.exists() and shm.exists() else "immutable=1"
    uri = f"file:{quote(str(db_path))}?{mode}"
    if key is None:
        def connect() -> sqlite3.Connection:
            return sqlite3.connect(uri, uri=True, check_same_thread=False)

        engine = create_engine("sqlite://", creator=connect, future=True)
    else:
        engine = create_engine("sqlite://", module=_cipher(), future=True,
                               hide_parameters=True,
                               creator=_keyed(key, uri, uri=True, check_same_thread=False))
    event.listen(engine, "connect", _on_connect_read_only)
    return engine


def held_by_another_program(db: Path, wait: float = 1.0, key: bytes | None = None) -> bool:
    """Whether another program holds the database's write lock (a `sqlite3` shell in a
    transaction, a backup or sync tool), after waiting `wait` seconds for it to let go."""
    if not db.exists():
        return False
    con = (sqlite3.connect(db, timeout=wait, isolation_level=None) if key is None
           else _keyed(key, str(db), timeout=wait, isolation_level=None)())
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return False
    except (sqlite3.OperationalError, _cipher_error()) as exc:
        return getattr(exc, "sqlite_errorname", "").startswith("SQLITE_BUSY") or \
            "locked" in str(exc)
    finally:
        con.close()


def _cipher_error() -> type[Exception]:
    """SQLCipher's OperationalError (its own class), or sqlite3's when not installed."""
    try:
        return _cipher().OperationalError  # type: ignore[no-any-return]
    except ImportError:
        return sqlite3.OperationalError


def table_names(db: Path, key: bytes | None = None) -> set[str]:
    """The tables the database holds (empty for an empty file)."""
    with raw_connection(db, key=key) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def copy_database(db: Path, target: Path, key: bytes | None = None) -> None:
    """A consistent copy of the database (WAL included) at `target` (encrypted with the
    same key when there is one)."""
    with raw_connection(db, key=key) as src, raw_connection(target, key=key) as dst:
        src.backup(dst)


def unfinished(db: Path, key: bytes | None = None) -> bool:
    """True for a database whose creation was interrupted: a schema but no settings row
    and nothing else in it (so creating the case again loses nothing)."""
    try:
        with raw_connection(db, read_only=True, key=key) as con:
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
    except _database_errors():
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


def _database_errors() -> tuple[type[Exception], ...]:
    """SQLite's DatabaseError, and SQLCipher's (its own class) once it is loaded."""
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.DatabaseError,) + ((cipher.DatabaseError,) if cipher else ())


def database_error(exc: BaseException) -> Exception | None:
    """The SQLite error behind `exc` (itself, or what SQLAlchemy wrapped), if any."""
    errors = _database_errors()
    cause = exc if isinstance(exc, errors) else getattr(exc, "orig", None)
    return cause if isinstance(cause, errors) else None


def is_plain_sqlite(db: Path) -> bool | None:
    """Whether the file starts as a plain SQLite database does (None when it cannot be
    read or is empty): an encrypted database looks like random bytes from its start."""
    try:
        with open(db, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return None
    return None if not head else head == b"SQLite format 3\x00"


def integrity_problems(conn: Any) -> list[str]:
    """SQLite's own checks of the file and of the links between records."""
    problems = []
    if type(conn.connection.dbapi_connection).__module__.startswith("sqlcipher3"):
        # SQLCipher's own check: every page's HMAC (a changed byte anywhere in the file).
        for row in conn.exec_driver_sql("PRAGMA cipher_integrity_check"):
            problems.append(f"database integrity: the encrypted database fails its check "
                            f"({row[0]})")
    try:
        for (result,) in conn.exec_driver_sql("PRAGMA integrity_check"):
            if result != "ok":
                problems.append(f"database integrity: {result}")
        for row in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            problems.append(f"database link broken: {tuple(row)}")
    except DBAPIError as exc:
        if database_error(exc) is None:
            raise
        problems.append(f"database integrity: the database cannot be read to the end "
                        f"({exc.orig})")
    return problems


def trigger_names(conn: Any, table: str) -> set[str]:
    """The triggers defined on a table."""
    return {r[0] for r in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,))}


def checkpoint(engine: Engine) -> None:
    """Fold the write-ahead log into the database file (on close), if it can be."""
    with contextlib.suppress(Exception), engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def export_encrypted(plain_db: Path, target: Path, key: bytes) -> None:
    """Write an encrypted copy of a plain database at `target` (SQLCipher's
    `sqlcipher_export`: schema, rows, triggers and the search index's tables)."""
    module = _cipher()
    con = module.connect(str(plain_db))
    try:
        con.execute("PRAGMA cipher_log_level = NONE")
        con.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(target), f"x'{key.hex()}'"))
        con.execute("SELECT sqlcipher_export('encrypted')")
        version = con.execute("PRAGMA main.user_version").fetchone()[0]
        con.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        con.execute("PRAGMA encrypted.journal_mode = WAL")
        con.execute("DETACH DATABASE encrypted")
    finally:
        con.close()


def table_digests(db: Path, key: bytes | None = None) -> dict[str, tuple[int, str]]:
    """Each table's row count and a SHA-256 of its rows in rowid order (to compare two
    copies of a database record by record)."""
    import hashlib

    found: dict[str, tuple[int, str]] = {}
    with raw_connection(db, read_only=True, key=key) as con:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")]
        for table in tables:
            digest = hashlib.sha256()
            count = 0
            quoted = '"' + table.replace('"', '""') + '"'
            try:
                rows = con.execute(f"SELECT * FROM {quoted} ORDER BY rowid")
            except _database_errors():  # a table WITHOUT ROWID
                rows = con.execute(f"SELECT * FROM {quoted} ORDER BY 1")
            for row in rows:
                digest.update(repr(tuple(row)).encode("utf-8", "surrogatepass"))
                count += 1
            found[table] = (count, digest.hexdigest())
        schema = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                             "ORDER BY type, name").fetchall()
        found["(schema)"] = (len(schema), hashlib.sha256(repr(schema).encode()).hexdigest())
    return found
