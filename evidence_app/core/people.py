"""People (suspects, witnesses, officers) and vehicles, and their links to incidents."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evidence_app.core.errors import NotFoundError, ValidationError
from evidence_app.core.incidents import _get as get_incident_row
from evidence_app.core.incidents import list_incidents
from evidence_app.core.store.audit import AuditWriter, apply_changes
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import (
    Person,
    Vehicle,
    incident_people,
    incident_vehicles,
)
from evidence_app.core.views import IncidentSummary, PersonView, VehicleView
from evidence_app.core.vocab import Role

PERSON_FIELDS = ("name", "role", "description", "contact", "relation")
VEHICLE_FIELDS = ("make", "model", "colour", "plate", "description")


def plate_key(plate: str) -> str:
    """A number plate reduced to letters and digits, upper case (`ab12 cde` -> `AB12CDE`)."""
    return re.sub(r"[^0-9A-Za-z]", "", plate).upper()


def _clean_person(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown person field(s): {', '.join(sorted(unknown))}")
    out = {k: str(v or "").replace("\x00", "").strip() for k, v in values.items()}
    if "role" in out:
        out["role"] = Role(out["role"] or "other").value
    if "name" in out and not out["name"]:
        raise ValidationError("A person needs a name (or a description such as 'unknown man').")
    return out


def _clean_vehicle(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(VEHICLE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown vehicle field(s): {', '.join(sorted(unknown))}")
    out = {k: str(v or "").replace("\x00", "").strip() for k, v in values.items()}
    if "plate" in out:
        out["plate"] = " ".join(out["plate"].upper().split())
    return out


def create_person(case: Case, name: str, role: str = "other", **fields: Any) -> int:
    """Record a suspect, witness, officer or other person (audited); returns the id."""
    values = _clean_person({"name": name, "role": role, **fields})
    with case.write() as (session, audit):
        return insert_person(session, audit, values)


def insert_person(session: Session, audit: AuditWriter, values: dict[str, Any]) -> int:
    """Add a person inside a unit of work already open (`values` cleaned by
    `clean_person`); audited. For services that record a person with something else."""
    person = Person(created_at=audit.now(), **values)
    session.add(person)
    session.flush()
    audit.log("create", "person", person.id, **values)
    return person.id


def clean_person(name: str, role: str = "other", **fields: Any) -> dict[str, Any]:
    """A new person's fields checked and tidied (ValidationError when they will not do)."""
    return _clean_person({"name": name, "role": role, **fields})


def update_person(case: Case, person_id: int, **changes: Any) -> None:
    """Change a person's fields; the audit event holds old and new values."""
    values = _clean_person(changes)
    with case.write() as (session, audit):
        person = session.get(Person, person_id)
        if person is None or person.deleted_at is not None:
            raise NotFoundError(f"There is no person {person_id}.")
        diff = apply_changes(person, values)
        if diff:
            audit.log("update", "person", person_id, changes=diff)


def delete_person(case: Case, person_id: int) -> None:
    """Move a person to the trash (their links to incidents stay until it is emptied)."""
    with case.write() as (session, audit):
        person = session.get(Person, person_id)
        if person is None or person.deleted_at is not None:
            raise NotFoundError(f"There is no person {person_id}.")
        person.deleted_at = audit.now()
        audit.log("trash", "person", person_id, name=person.name)


def restore_person(case: Case, person_id: int) -> None:
    """Bring a person back from the trash (audited); nothing happens if they are not there."""
    _restore(case, Person, person_id, "person", lambda p: {"name": p.name})


def _restore(case: Case, model: type[Person] | type[Vehicle], row_id: int, entity: str,
             logged: Callable[[Any], dict[str, Any]]) -> None:
    with case.write() as (session, audit):
        row = cast("Person | Vehicle | None", session.get(model, row_id))
        if row is None:
            raise NotFoundError(f"There is no {entity} {row_id}.")
        if row.deleted_at is not None:
            row.deleted_at = None
            audit.log("restore", entity, row_id, **logged(row))


def list_people(case: Case, role: str | None = None) -> list[PersonView]:
    """People not in the trash, by name, each with how many incidents they appear in."""
    count = (select(func.count()).select_from(incident_people)
             .where(incident_people.c.person_id == Person.id).scalar_subquery())
    query = select(Person, count).where(Person.deleted_at.is_(None))
    if role:
        query = query.where(Person.role == role)
    with case.read() as session:
        rows = session.execute(query.order_by(func.lower(Person.name)))
        return [PersonView.from_row(p, incident_count=n) for p, n in rows]


def create_vehicle(case: Case, **fields: Any) -> int:
    """Record a vehicle (at least one of plate, make, model, colour; audited); returns the id."""
    values = _clean_vehicle(fields)
    if not any(values.values()):
        raise ValidationError("Describe the vehicle: at least a plate, make, model or colour.")
    with case.write() as (session, audit):
        vehicle = Vehicle(created_at=audit.now(), plate_key=plate_key(values.get("plate", "")),
                          **values)
        session.add(vehicle)
        session.flush()
        audit.log("create", "vehicle", vehicle.id, **values)
        return vehicle.id


def update_vehicle(case: Case, vehicle_id: int, **changes: Any) -> None:
    """Change a vehicle's fields; the audit event holds old and new values."""
    values = _clean_vehicle(changes)
    with case.write() as (session, audit):
        vehicle = session.get(Vehicle, vehicle_id)
        if vehicle is None or vehicle.deleted_at is not None:
            raise NotFoundError(f"There is no vehicle {vehicle_id}.")
        diff = apply_changes(vehicle, values)
        vehicle.plate_key = plate_key(vehicle.plate)
        if diff:
            audit.log("update", "vehicle", vehicle_id, changes=diff)


def delete_vehicle(case: Case, vehicle_id: int) -> None:
    """Move a vehicle to the trash (its links to incidents stay until it is emptied)."""
    with case.write() as (session, audit):
        vehicle = session.get(Vehicle, vehicle_id)
        if vehicle is None or vehicle.deleted_at is not None:
            raise NotFoundError(f"There is no vehicle {vehicle_id}.")
        vehicle.deleted_at = audit.now()
        audit.log("trash", "vehicle", vehicle_id, plate=vehicle.plate)


def restore_vehicle(case: Case, vehicle_id: int) -> None:
    """Bring a vehicle back from the trash (audited); nothing happens if it is not there."""
    _restore(case, Vehicle, vehicle_id, "vehicle", lambda v: {"plate": v.plate})


def list_vehicles(case: Case) -> list[VehicleView]:
    """Vehicles not in the trash, by plate, each with how many incidents it appears in."""
    count = (select(func.count()).select_from(incident_vehicles)
             .where(incident_vehicles.c.vehicle_id == Vehicle.id).scalar_subquery())
    query = select(Vehicle, count).where(Vehicle.deleted_at.is_(None))
    with case.read() as session:
        rows = session.execute(query.order_by(Vehicle.plate_key, Vehicle.id))
        return [VehicleView.from_row(v, incident_count=n) for v, n in rows]


def find_vehicle_by_plate(case: Case, plate: str) -> VehicleView | None:
    """The vehicle with this plate, however it is spaced or cased, or None."""
    key = plate_key(plate)
    if not key:
        return None
    with case.read() as session:
        vehicle = session.scalar(select(Vehicle).where(Vehicle.plate_key == key,
                                                       Vehicle.deleted_at.is_(None)))
        return VehicleView.from_row(vehicle) if vehicle else None


def _link(case: Case, incident_id: int, kind: str, target_id: int, link: bool) -> None:
    model: type[Person] | type[Vehicle] = Person if kind == "person" else Vehicle
    with case.write() as (session, audit):
        incident = get_incident_row(session, incident_id)
        target: Person | Vehicle | None = session.get(model, target_id)  # type: ignore[assignment]
        if target is None or target.deleted_at is not None:
            raise NotFoundError(f"There is no {kind} {target_id}.")
        items = incident.people if kind == "person" else incident.vehicles
        if link and target not in items:
            items.append(target)  # type: ignore[arg-type]
        elif not link and target in items:
            items.remove(target)  # type: ignore[arg-type]
        else:
            return
        incident.updated_at = audit.now()
        audit.log("link" if link else "unlink", kind, target_id, incident_id=incident_id)


def link_person(case: Case, incident_id: int, person_id: int) -> None:
    """Say a person was part of an incident (audited; linking twice changes nothing)."""
    _link(case, incident_id, "person", person_id, True)


def unlink_person(case: Case, incident_id: int, person_id: int) -> None:
    """Take a person off an incident (audited)."""
    _link(case, incident_id, "person", person_id, False)


def link_vehicle(case: Case, incident_id: int, vehicle_id: int) -> None:
    """Say a vehicle was part of an incident (audited; linking twice changes nothing)."""
    _link(case, incident_id, "vehicle", vehicle_id, True)


def unlink_vehicle(case: Case, incident_id: int, vehicle_id: int) -> None:
    """Take a vehicle off an incident (audited)."""
    _link(case, incident_id, "vehicle", vehicle_id, False)


def incidents_for_person(case: Case, person_id: int) -> list[IncidentSummary]:
    """Every live incident a person appears in, in timeline order."""
    with case.read() as session:
        ids = list(session.scalars(select(incident_people.c.incident_id)
                                   .where(incident_people.c.person_id == person_id)))
    return list_incidents(case, ids=ids)


def incidents_for_vehicle(case: Case, vehicle_id: int) -> list[IncidentSummary]:
    """Every live incident a vehicle appears in, in timeline order."""
    with case.read() as session:
        ids = list(session.scalars(select(incident_vehicles.c.incident_id)
                                   .where(incident_vehicles.c.vehicle_id == vehicle_id)))
    return list_incidents(case, ids=ids)
