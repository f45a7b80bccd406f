"""The audit trail appendix: every recorded change to what the report contains.

Each event is written out in words ("title: 'Car outside' → 'Silver Astra outside'"),
with stored values shown as they were stored: times in UTC (but a date recorded without
a time as that date, not as the UTC hour of its local midnight), text in quotes, and
people, vehicles and incidents named as the report names them.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from evidence_app.core.capture_time import capture_has_time, capture_source_text
from evidence_app.core.impacts import pounds_text
from evidence_app.core.report.data import ReportData
from evidence_app.core.report.fonts import markup
from evidence_app.core.report.formatting import size_text
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.styles import ReportTable, Styles, grid_table
from evidence_app.core.store.audit import AuditEntry
from evidence_app.core.vocab import FIELD_LABELS, Precision, category_label, impact_label

_ACTIONS = {"create": "Created", "update": "Changed", "trash": "Moved to trash",
            "restore": "Restored", "import": "Imported", "link": "Linked", "unlink": "Unlinked",
            "delete": "Removed"}
_DETAIL_LIMIT = 500
_VALUE_LIMIT = 140
_LABELS = {**FIELD_LABELS, "original_name": "file name", "captured_at": "captured",
           "captured_from": "capture time from", "sha256": "SHA-256", "exhibit": "exhibit",
           "text": "text", "private": "private", "caption": "caption", "size": "size",
           "kind": "effect", "since": "from", "details": "words", "amount_pence": "amount"}
# The fields an officer looks for first; others follow in the order they were stored.
_FIRST = ("title", "original_name", "text", "occurred_at", "occurred_end", "precision",
          "category", "location", "since", "amount_pence")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")


def _p(text: str, style: object) -> Paragraph:
    return ScriptParagraph(text, style)  # type: ignore[arg-type]


def _value(key: str, value: Any) -> str:
    """A stored value in words: quoted text, UTC times, labels for coded values."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key == "category":
        return category_label(str(value))
    if key == "precision":
        try:
            return Precision(value).label.lower()
        except ValueError:
            return str(value)
    if key == "captured_from":
        return capture_source_text(str(value))
    if key == "size" and isinstance(value, int):
        return size_text(value)
    if key == "kind":
        return impact_label(str(value))
    if key == "amount_pence" and isinstance(value, int):
        return pounds_text(value)
    if key == "since":
        return str(value)
    if key in ("sha256", "timezone"):
        return str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, str) and _ISO.match(value):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return f"{moment:%Y-%m-%d %H:%M} UTC" if moment.tzinfo else f"{moment:%Y-%m-%d %H:%M}"
    if isinstance(value, str):
        text = " ".join(value.split())
        if len(text) > _VALUE_LIMIT:
            text = text[:_VALUE_LIMIT - 1].rstrip() + "\u2026"
        return f"\u201c{text}\u201d"
    return json.dumps(value, ensure_ascii=False, default=str)


def _when_value(key: str, value: Any, precision: Any, tz: str) -> str:
    """An incident's stored date as words: a date-only (or month-only) value as the local
    date (month) it stands for, since local midnight in UTC can fall on the day before."""
    if key in ("occurred_at", "occurred_end") and isinstance(value, str) and _ISO.match(value):
        if precision == Precision.DAY:
            return f"{_local(value, tz):%Y-%m-%d}"
        if precision == Precision.MONTH:
            return f"{_local(value, tz):%Y-%m}"
    return _value(key, value)


def _local(stored: str, tz: str) -> datetime:
    """A stored ISO time (naive means UTC) in the case's time zone."""
    moment = datetime.fromisoformat(stored.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(ZoneInfo(tz))


def _label(key: str) -> str:
    return _LABELS.get(key, key.replace("_", " "))


def _ordered(details: dict[str, Any]) -> list[tuple[str, Any]]:
    keys = [k for k in _FIRST if k in details] + [k for k in details if k not in _FIRST]
    return [(k, details[k]) for k in keys]


class _Names:
    """How the report names the things audit events refer to by number."""

    def __init__(self, data: ReportData) -> None:
        self.timezone = data.case.timezone
        self.incidents = {i.id: data.number_of(i.id) for i in data.incidents}
        self.people: dict[int | None, str] = {
            p.id: f"{p.name} ({p.role})" if p.role else p.name
            for i in data.incidents for p in i.people}
        self.vehicles: dict[int | None, str] = {v.id: v.label for i in data.incidents
                                                for v in i.vehicles}
        # Each incident's date precision as of the event being described (events come
        # oldest first), so a changed date-only value reads as the date it stood for.
        self.precision: dict[int | None, Any] = {}

    def incident(self, db_id: Any) -> str:
        number = self.incidents.get(db_id)
        return f"incident {number}" if number else "an incident not in this report"

    def subject(self, entry: AuditEntry) -> str:
        d = entry.details
        if entry.entity == "incident":
            return self.incident(entry.entity_id).capitalize()
        if entry.entity == "attachment":
            return f"Exhibit {d.get('exhibit', entry.entity_id)}"
        if entry.entity == "note":
            return f"Note on {self.incident(d.get('incident_id'))}"
        if entry.entity == "person":
            return self.people.get(entry.entity_id, f"Person {entry.entity_id}")
        if entry.entity == "vehicle":
            return self.vehicles.get(entry.entity_id, f"Vehicle {entry.entity_id}")
        if entry.entity == "impact":
            owner = d.get("incident_id")
            where = "the whole case" if owner is None else self.incident(owner)
            return f"Impact on me ({impact_label(str(d.get('kind', '')))}), {where}"
        return entry.entity.capitalize()


def describe(entry: AuditEntry, names: _Names) -> str:
    """One audit event in words (plain text; the caller escapes it)."""
    d = entry.details
    subject = names.subject(entry)
    if entry.entity in ("person", "vehicle") and entry.action in ("link", "unlink"):
        joined = "with" if entry.action == "link" else "from"
        return f"{subject} {joined} {names.incident(d.get('incident_id'))}"
    if "note" in d and len(d) <= 2:  # a withheld private note
        return f"{subject}: {d['note']}"
    changes = d.get("changes")
    if isinstance(changes, dict):
        was = now = names.precision.get(entry.entity_id)
        if entry.entity == "incident" and isinstance(changes.get("precision"), dict):
            was, now = changes["precision"].get("old"), changes["precision"].get("new")
            names.precision[entry.entity_id] = now
        parts = []
        for key, change in changes.items():
            old, new = ((change.get("old"), change.get("new")) if isinstance(change, dict)
                        else ("", change))
            if entry.entity == "incident":
                old, new = (_when_value(key, old, was, names.timezone),
                            _when_value(key, new, now, names.timezone))
            else:
                old, new = _value(key, old), _value(key, new)
            parts.append(f"{_label(key)}: {old} \u2192 {new}")
        return f"{subject}: " + "; ".join(parts)
    skip = {"incident_id", "exhibit", "changes"} | ({"kind"} if entry.entity == "impact"
                                                     else set())
    rest = [(k, v) for k, v in _ordered(d) if k not in skip and v not in ("", None, False, [])]
    if not rest:
        return subject
    # A date without a time is stored as local midnight, which in UTC can read as 23:00
    # the day before: such values are shown as the local date they stand for.
    day_only = not capture_has_time(str(d.get("captured_from", "")),
                                    str(d.get("original_name", "")))
    precision = d.get("precision")
    if entry.entity == "incident" and entry.action == "create":
        names.precision[entry.entity_id] = precision

    def shown(key: str, value: Any) -> str:
        if key == "captured_at" and day_only and isinstance(value, str) and _ISO.match(value):
            return f"{_local(value, names.timezone):%Y-%m-%d} (a date only)"
        return _when_value(key, value, precision, names.timezone)

    return f"{subject}: " + "; ".join(f"{_label(k)}: {shown(k, v)}" for k, v in rest)


def audit_appendix(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """The audit events about the included incidents, with their chained hashes."""
    rows: list[list[Any]] = [[_p(h, st.head_cell) for h in ("No.", "Time (UTC)", "Action",
                                                             "What was recorded", "Hash")]]
    names = _Names(data)
    for entry in data.audit:
        text = describe(entry, names)
        if len(text) > _DETAIL_LIMIT:
            text = text[:_DETAIL_LIMIT - 1] + "\u2026"
        at = entry.at.astimezone(UTC)
        rows.append([_p(str(entry.id), st.cell),
                     _p(f"{at:%Y-%m-%d}<br/>{at:%H:%M:%S}", st.cell),
                     _p(_ACTIONS.get(entry.action, entry.action), st.cell),
                     _p(markup(text), st.cell), _p(entry.hash[:16], st.mono)])
    out: list[Flowable] = [
        _p("Appendix: audit trail", st.h1),
        _p("The recorded history of the incidents, notes and exhibits in this report, from "
           "the log's append-only audit trail, oldest first. Each event's hash covers the "
           "event and the hash of the event before it (the first 16 characters are shown "
           "here); the full chain can be checked with the app's <i>verify</i> command. "
           "Numbers missing from this list are events about other parts of the log.",
           st.muted)]
    if len(rows) == 1:
        out.append(_p("No audit events concern the incidents in this report.", st.notice))
        return out
    widths = [11 * mm, 22 * mm, 22 * mm, None, 30 * mm]
    fixed = sum(w for w in widths if w)
    table = ReportTable(rows, colWidths=[w if w else width - fixed for w in widths], repeatRows=1)
    table.setStyle(grid_table())
    out.append(table)
    return out
