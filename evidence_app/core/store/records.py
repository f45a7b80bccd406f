"""Full records in the audit trail: what every row the trail describes holds.

Events say what an operation did ("title changed from X to Y"), but not always every
value a row holds, and never for rows written in bulk. So each unit of work ends with
one more event, `records` (entity "records"), carrying the complete after-values of
every row its events touched: incidents (with their tags and links to people and
vehicles), notes, exhibits, people, vehicles, impacts, the case settings and the case
state. A row deleted by the unit is recorded as null. Replaying these events gives what
each row must hold now; `verify` compares that with the database and names the row,
the field and both values where they differ. Rows last written before this existed
(older versions of the app) have no full record; `verify` checks them against what
their own events carry and says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from typing import Any

from sqlalchemy import Boolean, DateTime, Table, select, text
from sqlalchemy.orm import Session

from evidence_app.core.store.audit import AuditWriter
from evidence_app.core.store.models import (
    Attachment,
    AuditEvent,
    CaseSettings,
    Impact,
    Incident,
    Note,
    Person,
    UTCDateTime,
    Vehicle,
)

ENTITY = "records"
ACTION = "records"
VERSION = 1

# kind -> table whose rows are recorded (keyed by id); "state" is the case_state table.
TABLES: dict[str, Table] = {
    "incident": Incident.__table__,  # type: ignore[dict-item]
    "note": Note.__table__,  # type: ignore[dict-item]
    "attachment": Attachment.__table__,  # type: ignore[dict-item]
    "person": Person.__table__,  # type: ignore[dict-item]
    "vehicle": Vehicle.__table__,  # type: ignore[dict-item]
    "impact": Impact.__table__,  # type: ignore[dict-item]
    "settings": CaseSettings.__table__,  # type: ignore[dict-item]
}
KINDS = (*TABLES, "state")
LABEL = {"incident": "incident", "note": "note", "attachment": "exhibit", "person": "person",
         "vehicle": "vehicle", "impact": "impact", "settings": "case settings",
         "state": "case state"}
# Changes with every import and is checked on its own (never below an issued mark).
SKIP = {"settings": {"next_exhibit_serial"}}
CHUNK = 500


def _stored_time(value: Any) -> Any:
    # "2025-03-12 21:15:00.000000" (naive UTC, models.UTCDateTime) -> ISO 8601 in UTC.
    return f"{value.replace(' ', 'T', 1)}+00:00" if isinstance(value, str) else value


def _converter(kind: Any) -> Any:
    """How one column's stored value becomes the value a record holds (None: as is)."""
    if isinstance(kind, UTCDateTime | DateTime):
        return _stored_time
    if isinstance(kind, Boolean):
        return bool
    return None


def _chunks(ids: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def read_records(session: Session, kind: str, ids: Iterable[Any] | None = None,
                 ) -> dict[str, dict[str, Any]]:
    """The full records of rows of one kind (all rows when `ids` is None), keyed by id
    as text (JSON keys); rows that do not exist are simply absent."""
    if kind == "state":
        return _read_state(session, ids)
    table = TABLES[kind]
    skip = SKIP.get(kind, set())
    columns = [c for c in table.c if c.name != "id" and c.name not in skip]
    names = [c.name for c in columns]
    # Only the few columns that need it (times, flags) are converted, value by value.
    convert = [(c.name, fn) for c in columns if (fn := _converter(c.type)) is not None]
    # Read as stored, without SQLAlchemy's per-value processing (a 100,000-row diary is
    # recorded in one unit): times are kept as the stored UTC text, in ISO form.
    sql = f"SELECT id, {', '.join(c.name for c in columns)} FROM {table.name}"
    conn = session.connection()
    wanted = None if ids is None else sorted(set(ids))
    out: dict[str, dict[str, Any]] = {}
    batches: Iterable[list[Any] | None] = [None] if wanted is None else _chunks(wanted)
    for batch in batches:
        rows = (conn.exec_driver_sql(sql) if batch is None else conn.exec_driver_sql(
            f"{sql} WHERE id IN ({', '.join('?' for _ in batch)})", tuple(batch)))
        for row in rows:
            rec = dict(zip(names, row[1:], strict=True))
            for name, fn in convert:
                value = rec[name]
                if value is not None:
                    rec[name] = fn(value)
            out[str(row[0])] = rec
    if kind == "incident" and out:
        _add_links(session, out)
    return out


LINKS = (("people", "SELECT incident_id, person_id FROM incident_people"),
         ("vehicles", "SELECT incident_id, vehicle_id FROM incident_vehicles"),
         ("tags", "SELECT l.incident_id, t.name FROM incident_tags AS l "
                  "JOIN tags AS t ON t.id = l.tag_id"))


def _add_links(session: Session, out: dict[str, dict[str, Any]]) -> None:
    for rec in out.values():
        rec.update(tags=[], people=[], vehicles=[])
    ids = [int(k) for k in out]
    conn = session.connection()
    column = {"people": "incident_id", "vehicles": "incident_id", "tags": "l.incident_id"}
    for batch in _chunks(ids) if len(ids) < 20 * CHUNK else [None]:
        for key, sql in LINKS:
            rows = (conn.exec_driver_sql(sql) if batch is None else conn.exec_driver_sql(
                f"{sql} WHERE {column[key]} IN ({', '.join('?' for _ in batch)})",
                tuple(batch)))
            for incident_id, value in rows:
                found = out.get(str(incident_id))
                if found is not None:
                    found[key].append(value)
    for rec in out.values():
        for key in ("tags", "people", "vehicles"):
            if len(rec[key]) > 1:
                rec[key].sort()


def _read_state(session: Session, keys: Iterable[Any] | None) -> dict[str, dict[str, Any]]:
    rows = session.execute(text("SELECT key, value FROM case_state")).all()
    wanted = None if keys is None else {str(k) for k in keys}
    return {str(k): {"value": v} for k, v in rows if wanted is None or str(k) in wanted}


def touched(events: Iterable[tuple[str, str, int | None, dict[str, Any]]],
            ) -> dict[str, set[Any]]:
    """The rows a unit of work's events name, by kind (a note's incident, a link's
    incident, the records listed when the trash is emptied...)."""
    found: dict[str, set[Any]] = {kind: set() for kind in KINDS}
    created_incidents: set[int] = set()
    for action, entity, entity_id, details in events:
        if entity in TABLES and entity_id is not None:
            found[entity].add(entity_id)
        if entity == "incident" and action == "create" and entity_id is not None:
            created_incidents.add(entity_id)
        for key in ("incident_id", "old_incident", "new_incident"):
            value = details.get(key)
            if isinstance(value, int):
                found["incident"].add(value)
        if entity == "case":
            if action in ("create", "update"):
                found["settings"].add(1)  # not a report made or the trash emptied
            for key, kind in (("incidents", "incident"), ("attachments", "attachment"),
                              ("notes", "note"), ("people", "person"),
                              ("vehicles", "vehicle")):
                for value in details.get(key, ()) or ():
                    ident = value.get("id") if isinstance(value, dict) else value
                    if isinstance(ident, int):
                        found[kind].add(ident)
        elif entity == "case_state" and details.get("key") is not None:
            found["state"].add(str(details["key"]))
    found["_created_incidents"] = created_incidents
    return found


def seal(session: Session, audit: AuditWriter) -> None:
    """Log the full after-values of every row this unit of work touched (call after the
    unit's last flush, before it commits). Nothing is logged for a unit without events."""
    if not audit.events:
        return
    names = touched(audit.events)
    created = names.pop("_created_incidents")
    if created:
        # Notes written with their incident (a diary import) have no event of their own.
        for batch in _chunks(sorted(created)):
            names["note"].update(session.scalars(
                select(Note.id).where(Note.incident_id.in_(batch))))
    rows: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        ids = names[kind]
        if not ids:
            continue
        found: dict[str, Any] = dict(read_records(session, kind, ids))
        for ident in ids:
            found.setdefault(str(ident), None)  # gone: deleted by this unit
        rows[kind] = found
    if rows:
        audit.record(ACTION, ENTITY, {"v": VERSION, "rows": rows})


def has_records(session: Session) -> bool:
    """Whether the trail holds any full records (none: written by an older version)."""
    return session.scalar(select(AuditEvent.id).where(AuditEvent.entity == ENTITY)
                          .limit(1)) is not None


def seal_all(session: Session, audit: AuditWriter, reason: str) -> None:
    """Log the full records of every row (a baseline: after an upgrade, or the first
    time a case written by an older version is opened)."""
    rows = {kind: dict(read_records(session, kind)) for kind in KINDS}
    audit.record(ACTION, ENTITY, {"v": VERSION, "rows": rows, "baseline": reason})


# --------------------------------------------------------------------------- replay
@dataclass
class Expected:
    """What the trail says each row holds: full records (latest wins) with the event
    that recorded them, and the baseline events seen."""

    rows: dict[str, dict[str, tuple[dict[str, Any] | None, int]]] = field(
        default_factory=lambda: {kind: {} for kind in KINDS})
    # Rows whose first full record is a baseline: what they held before it is known
    # only from their own events.
    from_baseline: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})
    baselines: list[tuple[int, datetime, str]] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)


def replay(session: Session) -> Expected:
    """Replay every `records` event in order."""
    expected = Expected()
    query = (select(AuditEvent.id, AuditEvent.at, AuditEvent.details)
             .where(AuditEvent.entity == ENTITY).order_by(AuditEvent.id))
    for event_id, at, details in session.execute(query):
        try:
            data = json.loads(details)
            rows = data["rows"]
        except (ValueError, KeyError, TypeError):
            expected.unreadable.append(event_id)
            continue
        if data.get("baseline"):
            expected.baselines.append((event_id, at, str(data["baseline"])))
        baseline = bool(data.get("baseline"))
        for kind, records in rows.items():
            target = expected.rows.setdefault(kind, {})
            if baseline:
                expected.from_baseline.setdefault(kind, set()).update(
                    ident for ident in records if ident not in target)
            # Latest wins: (record, event) for every row the event holds, at C speed.
            target.update(zip(records, zip(records.values(), repeat(event_id)), strict=True))
    return expected


def same(recorded: Any, actual: Any) -> bool:
    """Whether a recorded value and a stored one are the same (times by instant)."""
    if recorded == actual:
        return True
    if isinstance(recorded, str) and isinstance(actual, str):
        try:
            a, b = datetime.fromisoformat(recorded), datetime.fromisoformat(actual)
        except ValueError:
            return False
        a = a if a.tzinfo else a.replace(tzinfo=UTC)
        b = b if b.tzinfo else b.replace(tzinfo=UTC)
        return a == b
    if isinstance(recorded, bool) or isinstance(actual, bool):
        return False
    if isinstance(recorded, int | float) and isinstance(actual, int | float):
        return float(recorded) == float(actual)
    return False


def shown(value: Any, limit: int = 80) -> str:
    """A value for a message: quoted, on one line, cut short when long."""
    if value is None:
        return "empty (null)"
    text_ = json.dumps(value, ensure_ascii=False)
    return text_ if len(text_) <= limit else text_[:limit - 1] + "\u2026\""
