"""Inserting many rows at once, as fast as the database allows (a 100,000-row diary).

Knows how the models store each type (see `models.UTCDateTime`), so it belongs to the
store: the rows read back through the ORM exactly as if the ORM had written them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert


def _driver_value(value: Any) -> Any:
    """A value as SQLAlchemy would store it in SQLite (see models.UTCDateTime)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


_PLAIN = frozenset({str, int, float, type(None)})  # stored as they are


def bulk_insert(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert many rows with one executemany, skipping SQLAlchemy's per-value machinery
    (100,000 diary rows: seconds instead of tens of seconds). Values are converted exactly
    as the models store them, so reading them back through the ORM is unchanged."""
    if not rows:
        return
    columns = list(rows[0])
    if conn.dialect.name != "sqlite" or any(list(r) != columns for r in rows):
        conn.execute(insert(table), rows)
        return
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    plain = _PLAIN
    conn.exec_driver_sql(sql, [tuple(v if v.__class__ in plain else _driver_value(v)
                                     for v in r.values()) for r in rows])


def stored_datetime(value: datetime | None) -> str | None:
    """A datetime as `bulk_insert_values` needs it: as the models store it."""
    if value is None:
        return None
    if value.tzinfo is UTC:  # most imported times: no conversion needed
        return value.replace(tzinfo=None).isoformat(" ", "microseconds")
    return _driver_value(value)


def bulk_insert_values(conn: Connection, table: Any, columns: Sequence[str],
                       rows: list[tuple[Any, ...]]) -> None:
    """Insert rows given as tuples of stored values (plain values; datetimes through
    `stored_datetime`, booleans as 0/1), in the order of `columns`: the fastest way in,
    for imports of hundreds of thousands of rows."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in rows])
        return
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    conn.exec_driver_sql(sql, rows)


def _literal(value: Any) -> str | None:
    """A value as an SQLite literal, or None when it is better bound (a NUL, a type
    with no plain literal)."""
    if value is None:
        return "NULL"
    if value.__class__ is int:
        return str(value)
    if value.__class__ is str and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


def bulk_insert_shared(conn: Connection, table: Any, columns: Sequence[str],
                       rows: list[tuple[Any, ...]], shared: dict[str, Any]) -> None:
    """`bulk_insert_values` for rows that all have the same values in some columns
    (`shared`: column -> stored value): those are written once into the statement, so
    each row binds only its own (binding a wide row's values is most of the time of
    inserting it: 19 columns, 100,000 rows, 0.26 s bound against 0.11 s)."""
    if not rows:
        return
    literals = {name: _literal(value) for name, value in shared.items()}
    if conn.dialect.name != "sqlite" or any(v is None for v in literals.values()):
        names = [*columns, *shared]
        values = tuple(shared.values())
        bulk_insert_values(conn, table, names, [(*r, *values) for r in rows])
        return
    sql = (f"INSERT INTO {table.name} ({', '.join([*columns, *shared])}) "
           f"VALUES ({', '.join(['?'] * len(columns) + [str(v) for v in literals.values()])})")
    conn.exec_driver_sql(sql, rows)


@contextlib.contextmanager
def trigger_paused(conn: Connection, name: str) -> Iterator[None]:
    """Run the block without the trigger `name`: it is dropped and made again from its
    own stored SQL, inside the caller's transaction, so if the block fails or the
    process dies the rollback brings it back with everything else. For a bulk insert
    whose caller does itself what the trigger would do row by row."""
    row = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
        (name,)).first() if conn.dialect.name == "sqlite" else None
    if row is None:
        yield
        return
    conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):  # the rollback that follows restores it
            conn.exec_driver_sql(row[0])
        raise
    conn.exec_driver_sql(row[0])
