"""The effect on the person: what they tick on an incident or for the whole case.

Each effect is one of `vocab.ImpactKind` (fear of violence, alarm or distress, changed
routine, moved home, time off, stopped going out, money spent, children, health) with a
date, free text and, for money spent, an amount in pounds. An incident (or the case) has
at most one effect of each kind: ticking again changes it. Every write is audited with
the values it set, so clearing a tick keeps its last words in the audit trail.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from evidence_app.core.errors import NotFoundError, ValidationError
from evidence_app.core.incidents import _get as get_incident_row
from evidence_app.core.store.audit import apply_changes
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import Impact, Incident
from evidence_app.core.views import ImpactView
from evidence_app.core.vocab import ImpactKind

_MONEY = re.compile(r"^\s*£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*$")
MAX_PENCE = 100_000_000_00  # a hundred million pounds: anything above is a typing slip


def parse_pounds(text: str) -> int | None:
    """Pounds as typed ("85", "£1,240.50", "12.5") in pence; empty text is None.

    ValidationError, in words, for anything else (a minus sign, letters, three decimals).
    """
    if not text.strip():
        return None
    match = _MONEY.match(text)
    if match is None:
        raise ValidationError(f"{text.strip()!r} is not an amount of money; write it like "
                              "85 or 1,240.50 (pounds and pence).")
    pounds = int(match.group(1).replace(",", ""))
    pence = int((match.group(2) or "0").ljust(2, "0"))
    return _checked_pence(pounds * 100 + pence)


def _checked_pence(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        try:
            value = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationError(f"{value!r} is not an amount in pence.") from exc
    if value != int(value) or not 0 <= value <= MAX_PENCE:
        raise ValidationError("An amount must be whole pence between £0 and £100,000,000.")
    return int(value)


def pounds_text(pence: int) -> str:
    """£85.00, £1,240.50."""
    return f"£{pence // 100:,}.{pence % 100:02d}"


def _clean(kind: str, since: date | None, details: str, amount_pence: Any,
           ) -> dict[str, Any]:
    try:
        value = ImpactKind(kind)
    except ValueError as exc:
        known = ", ".join(k.value for k in ImpactKind)
        raise ValidationError(f"Unknown kind of impact {kind!r} (known: {known}).") from exc
    if since is not None and not isinstance(since, date):
        raise ValidationError("The date of an impact must be a date.")
    pence = _checked_pence(amount_pence)
    if pence is not None and not value.has_amount:
        raise ValidationError(f"Only money spent has an amount, not {value.label.lower()!r}.")
    return {"kind": value.value, "since": since,
            "details": str(details or "").replace("\x00", "").strip(), "amount_pence": pence}


def set_impact(case: Case, incident_id: int | None, kind: str, *, since: date | None = None,
               details: str = "", amount_pence: int | None = None) -> int:
    """Tick one effect on an incident (or, with `incident_id` None, on the whole case)
    with its date, words and amount; ticking a kind already there changes it.

    Returns the impact's id. Audited: "create" with the values, or "update" with old and
    new; setting the same values again logs nothing.
    """
    values = _clean(kind, since, details, amount_pence)
    with case.write() as (session, audit):
        incident: Incident | None = None
        if incident_id is not None:
            incident = get_incident_row(session, incident_id)
        row = session.scalar(select(Impact).where(_owner(incident_id),
                                                  Impact.kind == values["kind"]))
        if row is None:
            now = audit.now()
            row = Impact(incident_id=incident_id, created_at=now, updated_at=now, **values)
            session.add(row)
            session.flush()
            audit.log("create", "impact", row.id, incident_id=incident_id, **values)
        else:
            diff = apply_changes(row, values)
            if not diff:
                return row.id
            row.updated_at = audit.now()
            audit.log("update", "impact", row.id, incident_id=incident_id,
                      kind=values["kind"], changes=diff)
        if incident is not None:
            incident.updated_at = audit.now()
        return row.id


def clear_impact(case: Case, incident_id: int | None, kind: str) -> bool:
    """Untick one effect; the audit event keeps what it said. False if it was not ticked."""
    with case.write() as (session, audit):
        incident = get_incident_row(session, incident_id) if incident_id is not None else None
        row = session.scalar(select(Impact).where(_owner(incident_id), Impact.kind == kind))
        if row is None:
            return False
        audit.log("delete", "impact", row.id, incident_id=incident_id, kind=row.kind,
                  since=row.since, details=row.details, amount_pence=row.amount_pence)
        session.delete(row)
        if incident is not None:
            incident.updated_at = audit.now()
        return True


def delete_impact(case: Case, impact_id: int) -> None:
    """Remove one effect by id (audited with what it said)."""
    with case.read() as session:
        row = session.get(Impact, impact_id)
        if row is None:
            raise NotFoundError(f"There is no impact {impact_id}.")
        owner, kind = row.incident_id, row.kind
    clear_impact(case, owner, kind)


def list_impacts(case: Case, incident_id: int | None = None, *, whole_case: bool = False,
                 ) -> list[ImpactView]:
    """One incident's effects, or with `whole_case` those ticked for the case itself,
    in the order of `ImpactKind`."""
    if incident_id is None and not whole_case:
        raise ValidationError("Say which incident, or ask for the whole case's impacts.")
    with case.read() as session:
        rows = session.scalars(select(Impact).where(_owner(incident_id)))
        return _ordered([ImpactView.from_row(r) for r in rows])


def impacts_for_report(case: Case, incident_ids: list[int]) -> list[ImpactView]:
    """The case-wide effects and those of these incidents (dated first, by date)."""
    wanted = set(incident_ids)
    with case.read() as session:
        views = [ImpactView.from_row(r) for r in session.scalars(select(Impact))
                 if r.incident_id is None or r.incident_id in wanted]
    return sorted(_ordered(views), key=lambda v: (v.since is None, v.since or date.min))


def _owner(incident_id: int | None) -> Any:
    return Impact.incident_id.is_(None) if incident_id is None \
        else Impact.incident_id == incident_id


_ORDER = {k.value: n for n, k in enumerate(ImpactKind)}


def _ordered(views: list[ImpactView]) -> list[ImpactView]:
    return sorted(views, key=lambda v: (_ORDER.get(v.kind, len(_ORDER)), v.id))
