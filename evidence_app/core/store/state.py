"""Small facts about a case that are not evidence (e.g. text recognition paused).

Kept in the case (table `case_state`, created by migration 0002) so they travel with it.
"""

from __future__ import annotations

from sqlalchemy import Column, MetaData, String, Table, Text, select

from evidence_app.core.store.case import Case

_meta = MetaData()
case_state = Table("case_state", _meta, Column("key", String(64), primary_key=True),
                   Column("value", Text, nullable=False))


def get_state(case: Case, key: str, default: str | None = None) -> str | None:
    """The value stored under `key`, or `default`."""
    with case.read() as session:
        value = session.execute(
            select(case_state.c.value).where(case_state.c.key == key)).scalar()
    return default if value is None else str(value)


def set_state(case: Case, key: str, value: str) -> None:
    """Store `value` under `key` (audited like every write)."""
    with case.write() as (session, audit):
        old = session.execute(select(case_state.c.value).where(case_state.c.key == key)).scalar()
        if old == value:
            return
        if old is None:
            session.execute(case_state.insert().values(key=key, value=value))
        else:
            session.execute(case_state.update().where(case_state.c.key == key).values(value=value))
        audit.log("update", "case_state", None, key=key, old=old, new=value)
