"""Verify's comparison of every recorded row with what the audit trail says it holds,
and of the log's head with the one kept outside the database (`case.head`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence_app.core.store import anchor, records
from evidence_app.core.store.models import AuditEvent

# What a record's own events carry, for rows written before full records were kept:
# event detail -> column.
RENAMED = {"exhibit": "exhibit_mark", "new_incident": "incident_id"}
LINKED = {"people": "person", "vehicles": "vehicle"}
EVENT_KIND = {"incident": "incident", "note": "note", "attachment": "attachment",
              "person": "person", "vehicle": "vehicle"}


@dataclass
class RecordCheck:
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    checked: int = 0  # rows compared with a full record


def _name(kind: str, ident: str, row: dict[str, Any] | None) -> str:
    if kind == "attachment":
        mark = (row or {}).get("exhibit_mark")
        return f"exhibit {mark} (attachment {ident})" if mark else f"attachment {ident}"
    if kind == "settings":
        return "the case settings"
    if kind == "state":
        return f"case state {ident!r}"
    return f"{records.LABEL[kind]} {ident}"


def compare_records(session: Session) -> RecordCheck:
    """Every row of every recorded kind against the latest full record of it in the
    trail; rows with none (written by an older version) against their own events."""
    out = RecordCheck()
    expected = records.replay(session)
    for event_id in expected.unreadable:
        out.problems.append(f"audit event {event_id} (full records) cannot be read")
    gone = {kind: {i for i, (rec, _) in expected.rows.get(kind, {}).items() if rec is None}
            for kind in ("incident", "person", "vehicle")}
    legacy: dict[str, list[str]] = {}
    for kind in records.KINDS:
        actual = records.read_records(session, kind)
        want = expected.rows.get(kind, {})
        # Rows in the order the trail recorded them; what is found is put in id order
        # below (sorting every row first cost more than the comparison itself).
        found: list[tuple[tuple[int, str], str]] = []
        for ident, (rec, event_id) in want.items():
            row = actual.get(ident)
            if rec is not None and row is not None:
                out.checked += 1
                if rec == row:
                    continue  # the usual case, settled at C speed
            name = _name(kind, ident, row or rec)
            order = _order((ident, None))
            if rec is None:
                if row is not None:
                    found.append((order, f"{name} is in the database, but the audit "
                                         f"trail records it as deleted (event {event_id})"))
                continue
            if row is None:
                if kind in ("impact", "note") and str(rec.get("incident_id")) in gone["incident"]:
                    continue  # went with its incident when the trash was emptied
                found.append((order, f"{name} is missing from the database (the audit "
                                     f"trail recorded it in event {event_id})"))
                continue
            for key, recorded in rec.items():
                if key not in row or recorded == row[key]:
                    continue  # the same, or a column this version no longer has
                if key in LINKED and isinstance(recorded, list):
                    # Links to people or vehicles removed for good go with them.
                    recorded = [i for i in recorded if str(i) not in gone[LINKED[key]]]
                if not records.same(recorded, row[key]):
                    found.append((order, f"{name}, field {key}: the audit trail records "
                                         f"{records.shown(recorded)} (event {event_id}), the "
                                         f"database holds {records.shown(row[key])}"))
        out.problems.extend(text for _at, text in sorted(found, key=lambda f: f[0]))
        missing = [i for i in actual if i not in want]
        if missing:
            legacy[kind] = missing
        # Rows written by an older version: the values their own events carry.
        older = missing + sorted(expected.from_baseline.get(kind, set()) & actual.keys())
        if older and kind in EVENT_KIND:
            out.problems.extend(_check_from_events(session, kind, older, actual))
    for event_id, at, _reason in expected.baselines[:1]:
        count = sum(len(v) for v in expected.from_baseline.values())
        out.notices.append(
            f"the full records of {count} record(s) begin on {at:%d %b %Y} (audit event "
            f"{event_id}), when this version of the app first opened the case; before "
            "then they are checked against the values their own events carry")
    if legacy:
        total = sum(len(v) for v in legacy.values())
        parts = ", ".join(f"{records.LABEL[k]} {_ids(v)}" for k, v in legacy.items())
        out.notices.append(
            f"{total} record(s) were last written before this version kept full records in "
            f"the audit trail ({parts}): they were checked only against the values their "
            "own events carry; their next change records them in full")
    return out


def _order(item: tuple[str, Any]) -> tuple[int, str]:
    key = item[0]
    return (int(key), "") if key.isdigit() else (0, key)


def _ids(values: list[str]) -> str:
    shown = sorted(values, key=lambda v: (not v.isdigit(), int(v) if v.isdigit() else 0, v))
    return ", ".join(shown[:8]) + (" ..." if len(shown) > 8 else "")


def _check_from_events(session: Session, kind: str, ids: list[str],
                       actual: dict[str, dict[str, Any]]) -> list[str]:
    """Rows without a full record: the values their create/import/update events set."""
    wanted = {int(i) for i in ids if i.isdigit()}
    values: dict[int, dict[str, tuple[Any, int]]] = {}
    query = (select(AuditEvent.id, AuditEvent.action, AuditEvent.entity_id, AuditEvent.details)
             .where(AuditEvent.entity == EVENT_KIND[kind]).order_by(AuditEvent.id))
    for event_id, action, entity_id, details in session.execute(query):
        if entity_id not in wanted:
            continue
        try:
            data = json.loads(details)
        except ValueError:
            continue  # the chain check names altered events
        known = values.setdefault(entity_id, {})
        if action in ("create", "import"):
            known.clear()  # an id taken again after the trash was emptied (old versions)
            for key, value in data.items():
                known[RENAMED.get(key, key)] = (value, event_id)
        elif action == "update":
            for key, change in (data.get("changes") or {}).items():
                if isinstance(change, dict) and "new" in change:
                    known[key] = (change["new"], event_id)
        elif action in ("link", "unlink") and kind == "attachment":
            known["incident_id"] = (data.get("new_incident"), event_id)
    problems = []
    for entity_id, known in sorted(values.items()):
        row = actual.get(str(entity_id))
        if row is None:
            continue
        for key, (value, event_id) in known.items():
            if key not in row or key in ("people", "vehicles"):
                continue
            if key == "tags" and isinstance(value, list):
                value = sorted(value)
            if not records.same(value, row[key]):
                problems.append(
                    f"{_name(kind, str(entity_id), row)}, field {key}: the audit trail records "
                    f"{records.shown(value)} (event {event_id}), the database holds "
                    f"{records.shown(row[key])}")
    return problems


def check_head(session: Session, kept: anchor.Head | None, folder_note: str = "",
               ) -> tuple[list[str], list[str], anchor.Head]:
    """The log's head against the one kept in case.head: problems, notices, the head now."""
    now = anchor.current_head(session)
    problems: list[str] = []
    notices: list[str] = []
    if kept is None:
        notices.append(f"there is no {anchor.HEAD_NAME} beside the database{folder_note}, so a "
                       "cut or rewritten end of the log could not be checked against it")
        return problems, notices, now
    problem = anchor.head_disagreement(session, kept, now)
    if problem:
        problems.append(problem)
        return problems, notices, now
    if kept.events == now.events:
        for what, count in kept.rows.items():
            have = now.rows.get(what, 0)
            if have < count:
                problems.append(f"{anchor.HEAD_NAME} says the case held {count} {what} after "
                                f"event {kept.events}; the database has {have}: records "
                                "committed then are missing (e.g. a lost write-ahead log)")
    if kept.next_exhibit and now.next_exhibit < kept.next_exhibit:
        problems.append(f"the next exhibit number is {now.next_exhibit}, but "
                        f"{anchor.HEAD_NAME} says it had reached {kept.next_exhibit}: exhibit "
                        "numbering has gone back")
    return problems, notices, now


def check_stated_head(session: Session, stated: tuple[int, str]) -> tuple[list[str], list[str]]:
    """A head a report or backup stated: the log must still hold that event, unchanged."""
    count, digest = stated
    row = session.execute(select(AuditEvent.hash).where(AuditEvent.id == count)).first()
    last = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0
    if row is None:
        return [f"the head given (event {count}) is not in this log, which ends at event "
                f"{last}: the log is shorter than when that head was stated"], []
    if not row[0].startswith(digest):
        return [f"event {count} of this log has hash {row[0][:16]}..., not the "
                f"{digest[:16]}... stated: the log has been rewritten since"], []
    return [], [f"the log has only grown since the head given (event {count}); it now "
                f"has {last} events"]
