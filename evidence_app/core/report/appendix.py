"""The back of the report: the exhibit list with full hashes, and the audit trail."""

from __future__ import annotations

import json
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from evidence_app.core.audit import AuditEntry
from evidence_app.core.report.data import ReportData
from evidence_app.core.report.fonts import markup
from evidence_app.core.report.formatting import (
    FIELD_LABELS,
    capture_text,
    datetime_text,
    media_text,
    size_text,
    utc_text,
)
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.styles import SHADE, ReportTable, Styles, grid_table

_ACTIONS = {"create": "Created", "update": "Changed", "trash": "Moved to trash",
            "restore": "Restored", "import": "Imported", "link": "Linked", "unlink": "Unlinked"}
_DETAIL_LIMIT = 400


def _p(text: str, style: object) -> Paragraph:
    return ScriptParagraph(text, style)  # type: ignore[arg-type]


def exhibit_list(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """Each exhibit on two rows: its details, then its full SHA-256."""
    tz = data.case.timezone
    widths = [16 * mm, None, 26 * mm, 16 * mm, 36 * mm, 30 * mm]
    fixed = sum(w for w in widths if w)
    cols = [w if w else width - fixed for w in widths]
    rows: list[list[Any]] = [[_p(h, st.head_cell) for h in (
        "Mark", "File name", "Type", "Size", "Captured", "Imported")]]
    style = grid_table(zebra=False)
    for att in data.exhibits:
        rows.append([
            _p(f"<b>{markup(att.exhibit_mark)}</b>", st.cell), _p(markup(att.original_name), st.cell),
            _p(markup(media_text(att)), st.cell), _p(size_text(att.size), st.cell),
            _p(markup(capture_text(att, tz)), st.cell),
            _p(datetime_text(att.imported_at, tz), st.cell)])
        rows.append(["", _p(f"SHA-256: {att.sha256}", st.mono), "", "", "", ""])
        r = len(rows) - 1
        style.add("SPAN", (1, r), (-1, r))
        style.add("LINEBELOW", (0, r - 1), (-1, r - 1), 0, SHADE)
        style.add("TOPPADDING", (0, r), (-1, r), 0)
        if (r // 2) % 2 == 0:
            style.add("BACKGROUND", (0, r - 1), (-1, r), SHADE)
    out: list[Flowable] = [
        _p("Exhibit list", st.h1),
        _p("Every exhibit in this report, by mark. The SHA-256 fingerprint identifies the "
           "exact original file: a copy whose SHA-256 matches is identical to it, byte for "
           "byte. Capture times say where they came from.", st.muted)]
    if not data.exhibits:
        out.append(_p("This report has no exhibits.", st.notice))
        return out
    table = ReportTable(rows, colWidths=cols, repeatRows=1)
    table.setStyle(style)
    out.append(table)
    return out


def _describe(entry: AuditEntry, numbers: dict[Any, int]) -> str:
    d = entry.details
    what = entry.entity
    if entry.entity == "incident" and entry.entity_id in numbers:
        what = f"incident {numbers[entry.entity_id]}"
    elif entry.entity == "attachment":
        what = f"exhibit {d.get('exhibit', entry.entity_id)}"
    elif entry.entity == "note":
        inc = numbers.get(d.get("incident_id"))
        what = f"note on incident {inc}" if inc else "note"
    elif entry.entity in ("person", "vehicle"):
        inc = numbers.get(d.get("incident_id"))
        what = f"{entry.entity} {entry.entity_id}" + (f" and incident {inc}" if inc else "")
    if "note" in d and len(d) <= 2:
        return f"{what}: {d['note']}"
    changes = d.get("changes")
    if isinstance(changes, dict):
        parts = []
        for field, change in changes.items():
            label = FIELD_LABELS.get(field, field.replace("_", " "))
            old, new = (change.get("old"), change.get("new")) if isinstance(change, dict) else ("", change)
            parts.append(f"{label}: \u201c{_short(old)}\u201d \u2192 \u201c{_short(new)}\u201d")
        return f"{what}: " + "; ".join(parts)
    rest = {k: v for k, v in d.items() if k != "incident_id" and v not in ("", None) and v is not False}
    if not rest:
        return what
    return f"{what}: " + ", ".join(f"{FIELD_LABELS.get(k, k.replace('_', ' '))} {_short(v)}"
                                   for k, v in rest.items())


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(str(text).split())
    return text if len(text) <= 120 else text[:117] + "..."


def audit_appendix(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """The audit events about the included incidents, with their chained hashes."""
    rows: list[list[Any]] = [[_p(h, st.head_cell) for h in ("No.", "Time (UTC)", "Action",
                                                             "What changed", "Hash")]]
    numbers: dict[Any, int] = {i.id: data.number_of(i.id) for i in data.incidents}
    for entry in data.audit:
        text = _describe(entry, numbers)
        if len(text) > _DETAIL_LIMIT:
            text = text[:_DETAIL_LIMIT - 3] + "..."
        rows.append([_p(str(entry.id), st.cell), _p(utc_text(entry.at), st.cell),
                     _p(_ACTIONS.get(entry.action, entry.action), st.cell),
                     _p(markup(text), st.cell), _p(entry.hash[:16], st.mono)])
    out: list[Flowable] = [
        _p("Appendix: audit trail", st.h1),
        _p("The recorded history of the incidents, notes and exhibits in this report, from "
           "the log's append-only audit trail. Each event's hash covers the event and the "
           "hash of the event before it (the first 16 characters are shown here); the full "
           "chain can be checked with the app's <i>verify</i> command. Numbers missing from "
           "this list are events about other parts of the log.", st.muted)]
    if len(rows) == 1:
        out.append(_p("No audit events concern the incidents in this report.", st.notice))
        return out
    widths = [12 * mm, 32 * mm, 24 * mm, None, 30 * mm]
    fixed = sum(w for w in widths if w)
    table = ReportTable(rows, colWidths=[w if w else width - fixed for w in widths], repeatRows=1)
    table.setStyle(grid_table())
    out.append(table)
    return out
