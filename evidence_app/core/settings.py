"""The case's own details: whose case it is, its exhibit-mark initials, address,
contact and time zone. Checked here, stored by `core.store`, every change audited."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from evidence_app.core.errors import ValidationError
from evidence_app.core.store.audit import apply_changes
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import CaseSettings

EDITABLE = ("case_name", "owner_name", "initials", "address", "contact", "timezone")


def validate_initials(initials: str) -> str:
    """Exhibit-mark initials: 1-6 letters, upper case."""
    value = initials.strip().upper()
    if not (1 <= len(value) <= 6) or not value.isalpha():
        raise ValidationError("Initials must be 1 to 6 letters, for example JS.")
    return value


def validate_timezone(name: str) -> str:
    """An IANA time zone name this computer knows, or ValidationError."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"Unknown time zone {name!r}; use a name such as Europe/London.") from exc
    return name


def first_settings(*, owner_name: str, initials: str, case_name: str = "",
                   timezone: str = "Europe/London", address: str = "",
                   contact: str = "") -> dict[str, Any]:
    """Checked values for a new case's settings (what `Case.create` stores)."""
    owner = owner_name.strip()
    if not owner:
        raise ValidationError("Please give the name of the person this case belongs to.")
    return {"owner_name": owner, "initials": validate_initials(initials),
            "case_name": case_name.strip() or owner, "timezone": validate_timezone(timezone),
            "address": address, "contact": contact}


def update_settings(case: Case, **changes: Any) -> None:
    """Change case name, owner, initials, address, contact or time zone (audited)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Unknown setting(s): {', '.join(sorted(unknown))}")
    if "initials" in changes:
        changes["initials"] = validate_initials(changes["initials"])
    if "timezone" in changes:
        validate_timezone(changes["timezone"])
    if "owner_name" in changes and not str(changes["owner_name"]).strip():
        raise ValidationError("The owner's name cannot be empty.")
    with case.write() as (session, audit):
        settings = session.get(CaseSettings, 1)
        assert settings is not None
        diff = apply_changes(settings, changes)
        if diff:
            audit.log("update", "case", 1, changes=diff)
