"""Append-only, hash-chained audit log.

Each event's hash covers its own fields and the previous event's hash, so altering,
removing or reordering any event breaks the chain from that point on. Database triggers
(created by the first migration) refuse UPDATE and DELETE on the table.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evidence_app.core.store.clock import Clock, system_clock
from evidence_app.core.store.models import (
    Attachment,
    AuditEvent,
    Incident,
    Note,
    Person,
    Vehicle,
)

GENESIS = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | tuple):
        return sorted(value) if isinstance(value, set) else list(value)
    return str(value)


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                            default=_default)


def canonical(data: Any) -> str:
    """Stable JSON text used both for storage and hashing."""
    # One reusable encoder: json.dumps would build a new one per call with these options.
    return _ENCODER.encode(data)


def event_hash(
    prev_hash: str, event_id: int, at: datetime, action: str, entity: str,
    entity_id: int | None, details: str,
) -> str:
    """The hash that chains one event to the one before it."""
    body = canonical([prev_hash, event_id, at.isoformat(), action, entity, entity_id, details])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class AuditWriter:
    """Appends events within the caller's transaction (the single writer), stamped by
    the case's clock; `events` keeps what this unit of work logged."""

    def __init__(self, session: Session, clock: Clock = system_clock) -> None:
        self.session = session
        self.now = clock
        self.events: list[tuple[str, str, int | None, dict[str, Any]]] = []
        last = session.execute(
            select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
        ).first()
        self._last_id, self._last_hash = (last[0], last[1]) if last else (0, GENESIS)

    def log(self, action: str, entity: str, entity_id: int | None, **details: Any) -> AuditEvent:
        """Append one event; `details` holds old/new values or whatever explains it."""
        self.events.append((action, entity, entity_id, details))
        return self._append(action, entity, entity_id, details)

    def record(self, action: str, entity: str, details: dict[str, Any]) -> AuditEvent:
        """Append an event that changes nothing itself (the full records a unit of work
        leaves, core/store/records.py): chained like any other, but not one of the
        unit's `events`, so it never counts as a change."""
        return self._append(action, entity, None, details)

    @property
    def head(self) -> tuple[int, str]:
        """The number of the last event logged (or found) and its hash."""
        return self._last_id, self._last_hash

    def _append(self, action: str, entity: str, entity_id: int | None,
                details: dict[str, Any]) -> AuditEvent:
        at = self.now()
        text = canonical(details)
        event_id = self._last_id + 1
        digest = event_hash(self._last_hash, event_id, at, action, entity, entity_id, text)
        event = AuditEvent(
            id=event_id, at=at, action=action, entity=entity, entity_id=entity_id,
            details=text, prev_hash=self._last_hash, hash=digest,
        )
        self.session.add(event)
        self._last_id, self._last_hash = event_id, digest
        return event

    def rows(self, events: Sequence[tuple[str, str, int | None, dict[str, Any]]],
             ) -> list[dict[str, Any]]:
        """Many events as plain row dicts, for a bulk insert in the same transaction."""
        out = []
        for action, entity, entity_id, details in events:
            at = self.now()
            self.events.append((action, entity, entity_id, details))
            text = canonical(details)
            event_id = self._last_id + 1
            digest = event_hash(self._last_hash, event_id, at, action, entity, entity_id, text)
            out.append(dict(id=event_id, at=at, action=action, entity=entity, entity_id=entity_id,
                            details=text, prev_hash=self._last_hash, hash=digest))
            self._last_id, self._last_hash = event_id, digest
        return out


@dataclass(frozen=True)
class AuditEntry:
    """One event as the GUI, CLI and report see it."""

    id: int
    at: datetime
    action: str
    entity: str
    entity_id: int | None
    details: dict[str, Any]
    hash: str


def apply_changes(row: Any, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Set each attribute of `row` whose value differs; returns what changed as
    {field: {"old": ..., "new": ...}}, the shape every "update" audit event records."""
    diff: dict[str, dict[str, Any]] = {}
    for key, new in values.items():
        old = getattr(row, key)
        if old != new:
            diff[key] = {"old": old, "new": new}
            setattr(row, key, new)
    return diff


def entries(session: Session, entity: str | None = None, entity_ids: list[int] | None = None,
            ) -> Iterator[AuditEntry]:
    """Events in order, optionally only those about some entities. The full records
    each unit of work leaves for `verify` (entity "records") are not among them unless
    asked for by name."""
    query = select(AuditEvent).order_by(AuditEvent.id)
    if entity != "records":
        query = query.where(AuditEvent.entity != "records")
    if entity is not None:
        query = query.where(AuditEvent.entity == entity)
    if entity_ids is not None:
        query = query.where(AuditEvent.entity_id.in_(entity_ids))
    for ev in session.execute(query).scalars():
        yield AuditEntry(ev.id, ev.at, ev.action, ev.entity, ev.entity_id,
                         json.loads(ev.details), ev.hash)


def verify_chain(session: Session) -> list[str]:
    """Recompute every hash; return a list of problems (empty when the chain holds)."""
    problems: list[str] = []
    prev = GENESIS
    expected_id = 1
    query = select(AuditEvent.id, AuditEvent.at, AuditEvent.action, AuditEvent.entity,
                   AuditEvent.entity_id, AuditEvent.details, AuditEvent.prev_hash,
                   AuditEvent.hash).order_by(AuditEvent.id)
    for row in session.execute(query):
        if row.id != expected_id:
            problems.append(f"audit event {expected_id} is missing (next is {row.id})")
        if row.prev_hash != prev:
            problems.append(f"audit event {row.id} does not link to the event before it")
        digest = event_hash(row.prev_hash, row.id, row.at, row.action, row.entity,
                            row.entity_id, row.details)
        if digest != row.hash:
            problems.append(f"audit event {row.id} has been altered (hash mismatch)")
        prev = row.hash
        expected_id = row.id + 1
    return problems


# Records the audit trail refers to by id. SQLite hands out max(id) + 1, so emptying the
# trash would let a new record take a deleted one's id, and the trail (and the
# amendments shown in reports) would then mix the two. Ids are therefore never reused.
AUDITED: dict[type, str] = {Incident: "incident", Attachment: "attachment", Note: "note",
                            Person: "person", Vehicle: "vehicle"}


def next_free_id(session: Session, model: type, entity: str) -> int:
    """An id no record of this kind has ever had, the audit trail included."""
    with session.no_autoflush:
        in_table = session.scalar(select(func.max(model.id))) or 0  # type: ignore[attr-defined]
        in_trail = session.scalar(select(func.max(AuditEvent.entity_id))
                                  .where(AuditEvent.entity == entity)) or 0
    return max(in_table, in_trail) + 1


def assign_fresh_ids(session: Session, _context: Any, _instances: Any) -> None:
    """`before_flush` hook: give new audited records ids never used before."""
    taken: dict[type, int] = {}
    for obj in list(session.new):
        model = type(obj)
        entity = AUDITED.get(model)
        if entity is None or obj.id is not None:
            continue
        if model not in taken:
            taken[model] = next_free_id(session, model, entity)
        obj.id = taken[model]
        taken[model] += 1
