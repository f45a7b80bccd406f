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
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from evidence_app.core.capture_time import capture_has_time, capture_source_text
from evidence_app.core.impacts import pounds_text
from evidence_app.core.incidents import FINISH
from evidence_app.core.report.amendments import PIECE, is_text_change
from evidence_app.core.report.data import ReportData
from evidence_app.core.report.formatting import size_text
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.styles import ReportTable, Styles, grid_table
from evidence_app.core.report.textdiff import LEGEND, Segment, diff_markup, word_diff
from evidence_app.core.store.audit import AuditEntry
from evidence_app.core.vocab import FIELD_LABELS, Precision, category_label, impact_label

_ACTIONS = {"create": "Created", "update": "Changed", "trash": "Moved to trash",
            "restore": "Restored", "import": "Imported", "link": "Linked", "unlink": "Unlinked",
            "delete": "Removed", FINISH: "First recording finished"}
_IN_SITTING = "Changed while first recorded"
_AMENDED = "Amended"
_LABELS = {**FIELD_LABELS, "original_name": "file name", "captured_at": "captured",
           "captured_from": "capture time from", "sha256": "SHA-256", "exhibit": "exhibit",
           "text": "text", "private": "private", "caption": "caption", "size": "size",
           "kind": "effect", "since": "from", "details": "words", "amount_pence": "amount",
           "diary_exhibit": "diary kept as exhibit", "row": "spreadsheet row",
           "line": "line of the file"}
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
        return f"\u201c{value}\u201d"
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
        # Marked only in a copy that shows them; elsewhere their events are withheld.
        self.private_notes = data.private_notes if data.options.include_private else set()
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
            if entry.entity_id in self.private_notes:
                return (f"PRIVATE note (not for disclosure) on "
                        f"{self.incident(d.get('incident_id'))}")
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


def describe(entry: AuditEntry, names: _Names) -> list[Segment]:
    """One audit event in words, as segments: plain text, and the words a change to a
    text added and removed (never shortened)."""
    d = entry.details
    subject = names.subject(entry)
    if entry.entity in ("person", "vehicle") and entry.action in ("link", "unlink"):
        joined = "with" if entry.action == "link" else "from"
        return [("=", f"{subject} {joined} {names.incident(d.get('incident_id'))}")]
    if entry.action == FINISH:
        return [("=", f"{subject}: the person left the incident; later changes are amendments")]
    if "note" in d and len(d) <= 2:  # a withheld private note
        return [("=", f"{subject}: {d['note']}")]
    changes = d.get("changes")
    if isinstance(changes, dict):
        was = now = names.precision.get(entry.entity_id)
        if entry.entity == "incident" and isinstance(changes.get("precision"), dict):
            was, now = changes["precision"].get("old"), changes["precision"].get("new")
            names.precision[entry.entity_id] = now
        out: list[Segment] = [("=", f"{subject}: ")]
        for n, (key, change) in enumerate(changes.items()):
            old, new = ((change.get("old"), change.get("new")) if isinstance(change, dict)
                        else ("", change))
            out.append(("=", ("; " if n else "") + f"{_label(key)}: "))
            if is_text_change(key, old, new) and not (isinstance(old, str) and _ISO.match(old)):
                out += word_diff(old or "", new or "")
                continue
            if entry.entity == "incident":
                old, new = (_when_value(key, old, was, names.timezone),
                            _when_value(key, new, now, names.timezone))
            else:
                old, new = _value(key, old), _value(key, new)
            out.append(("=", f"{old} \u2192 {new}"))
        return out
    skip = {"incident_id", "exhibit", "changes"} | ({"kind"} if entry.entity == "impact"
                                                     else set())
    rest = [(k, v) for k, v in _ordered(d) if k not in skip and v not in ("", None, False, [])]
    if not rest:
        return [("=", subject)]
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

    return [("=", f"{subject}: " + "; ".join(f"{_label(k)}: {shown(k, v)}" for k, v in rest))]


def _action(entry: AuditEntry, amended: set[int]) -> str:
    if entry.entity == "incident" and entry.action == "update":
        return _AMENDED if entry.id in amended else _IN_SITTING
    return _ACTIONS.get(entry.action, entry.action)


_HEADINGS = ("No.", "Time (UTC)", "Action", "What was recorded", "Hash")


def _withheld_note(data: ReportData) -> str:
    """Why an event whose text this copy withholds still shows the log's hash."""
    withheld = []
    if not data.options.include_private:
        withheld.append("private notes")
    if data.personal.withheld:
        withheld.append("the address and contact details typed into the log")
    if not withheld:
        return ""
    return (" In this copy " + " and ".join(withheld) + " are withheld where they appear in "
            "an event; each hash is of the event as the log keeps it, in full, so it is "
            "checked against the log itself, not against the text printed here.")


def _last_check(data: ReportData, st: Styles) -> list[Flowable]:
    """The latest run of the app's own check (Check my evidence), and what it found."""
    check = data.last_check
    if check is None:
        return []
    d = check.details
    at = check.at.astimezone(UTC)
    when = f"{at:%Y-%m-%d %H:%M} UTC (audit event {check.id})"
    if d.get("ok"):
        n = d.get("originals_checked", 0)
        return [_p(f"The app's own check of the evidence on {when} found all {n} exhibit(s) "
                   "matching the fingerprints recorded when they were added, and the audit "
                   "trail unbroken.", st.muted)]
    problems = [str(p) for p in d.get("problems", [])]
    count = d.get("problem_count", len(problems))
    listed = "; ".join(escape(p) for p in problems[:5]) + ("; ..." if count > 5 else "")
    return [_p(f"<b>The app's own check of the evidence on {when} found {count} "
               f"problem(s):</b> {listed}. This is the most recent check recorded.",
               st.notice)]


def audit_appendix(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """The audit events about the included incidents, with their chained hashes; every
    value in full, a long one continued below its row (so it splits across pages)."""
    widths = [11 * mm, 22 * mm, 22 * mm, None, 30 * mm]
    fixed = sum(w for w in widths if w)
    col_widths = [w if w else width - fixed for w in widths]
    below = st.cell.clone("audit_below", leftIndent=55 * mm + 6, rightIndent=30 * mm,
                          spaceBefore=0, spaceAfter=0)
    names = _Names(data)
    amended = {a.event_id for i in data.incidents for a in i.amendments}
    out: list[Flowable] = [
        _p("Appendix: audit trail", st.h1),
        _p("The recorded history of the incidents, notes and exhibits in this report, from "
           "the log's append-only audit trail, oldest first. Each event's hash covers the "
           "event and the hash of the event before it (the first 16 characters are shown "
           "here); the full chain can be checked with the app's <i>verify</i> command. "
           "Numbers missing from this list are events about other parts of the log. "
           "Every save is listed: those made while an incident was first being written "
           "read \u201cChanged while first recorded\u201d; later ones \u201cAmended\u201d. "
           + LEGEND + _withheld_note(data), st.muted)]
    out += _last_check(data, st)
    if data.head:
        out.append(_p("This report was built on the log as it stood at event "
                      f"{data.head.partition(':')[0]}. Anyone holding the case can later check "
                      "that the log has only grown since, with nothing changed or removed: "
                      f"<font name='{st.mono.fontName}' size='7'>evidence-app verify --head "
                      f"{data.head}</font>", st.muted))
    if not data.audit:
        out.append(_p("No audit events concern the incidents in this report.", st.notice))
        return out
    rows: list[list[Any]] = []

    def flush() -> None:
        if rows:
            head = [_p(h, st.head_cell) for h in _HEADINGS]
            table = ReportTable([head, *rows], colWidths=col_widths, repeatRows=1)
            table.setStyle(grid_table())
            out.append(table)
            rows.clear()

    for entry in data.audit:
        pieces = diff_markup(describe(entry, names), size=PIECE)
        at = entry.at.astimezone(UTC)
        first = pieces[0] + (" <i>(continued below)</i>" if len(pieces) > 1 else "")
        rows.append([_p(str(entry.id), st.cell),
                     _p(f"{at:%Y-%m-%d}<br/>{at:%H:%M:%S}", st.cell),
                     _p(_action(entry, amended), st.cell),
                     _p(first, st.cell), _p(entry.hash[:16], st.mono)])
        if len(pieces) > 1:
            flush()
            out += [_p(piece, below) for piece in pieces[1:]]
    flush()
    return out
