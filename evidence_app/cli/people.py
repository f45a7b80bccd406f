"""`person` and `vehicle`: add, list and link to incidents, through the same services (and
so the same audit events) as the app's People and vehicles window and its Link buttons."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from evidence_app.cli.common import (
    Parser,
    Subcommands,
    emit,
    one_line,
    open_case,
    record_id,
)
from evidence_app.core.errors import UserError
from evidence_app.core.vocab import Role

if TYPE_CHECKING:
    from evidence_app.core.views import PersonView, VehicleView

RELATIONSHIP = "Relationship: "  # the first line of the description, when given


def person_description(relationship: str, description: str) -> str:
    """The description the app shows, with the relationship (the app has no field of its
    own for it) as its first line: 'Relationship: ex-partner'."""
    relationship = one_line(relationship, "--relationship")
    parts = [RELATIONSHIP + relationship if relationship else "", description.strip()]
    return "\n".join(p for p in parts if p)


def cmd_person_add(args: argparse.Namespace) -> int:
    from evidence_app.core.people import create_person

    name = one_line(args.name, "--name")
    description = person_description(args.relationship, args.description)
    with open_case(args) as case:
        # Every field the app's person dialog sends, so the audit event is the same.
        new_id = create_person(case, name, role=args.role, description=description,
                               contact="")
    emit(args, {"id": new_id}, str(new_id))
    return 0


def _person_json(p: PersonView) -> dict[str, object]:
    return {"id": p.id, "name": p.name, "role": p.role, "description": p.description,
            "contact": p.contact, "incidents": p.incident_count}


def cmd_person_list(args: argparse.Namespace) -> int:
    from evidence_app.core.people import list_people

    with open_case(args) as case:
        people = list_people(case, role=args.role)

    def text() -> str:
        if not people:
            return "No people yet."
        lines = [f"{'ID':>5}  {'ROLE':<8} {'INC':>3}  NAME"]
        for p in people:
            first = p.description.splitlines()[0] if p.description else ""
            lines.append(f"{p.id:>5}  {p.role:<8} {p.incident_count:>3}  {p.name}"
                         + (f"  ({first[:60]})" if first else ""))
        return "\n".join(lines)

    emit(args, {"people": [_person_json(p) for p in people]}, text)
    return 0


def _link(args: argparse.Namespace, kind: str, target_id: int) -> int:
    from evidence_app.core.incidents import get_incident
    from evidence_app.core.people import link_person, link_vehicle

    with open_case(args) as case:
        before = get_incident(case, args.incident)
        linked = before.people if kind == "person" else before.vehicles
        already = any(item.id == target_id for item in linked)
        if kind == "person":
            link_person(case, args.incident, target_id)
        else:
            link_vehicle(case, args.incident, target_id)
    what = f"{kind.capitalize()} {target_id}"
    emit(args, {kind: target_id, "incident": args.incident, "linked": True,
                "changed": not already},
         f"{what} {'was already' if already else 'is now'} linked to incident {args.incident}.")
    return 0


def cmd_person_link(args: argparse.Namespace) -> int:
    return _link(args, "person", args.person)


def cmd_vehicle_add(args: argparse.Namespace) -> int:
    from evidence_app.core.people import create_vehicle, find_vehicle_by_plate

    values = {"plate": one_line(args.plate, "--plate"), "make": one_line(args.make, "--make"),
              "model": one_line(args.model, "--model"),
              "colour": one_line(args.colour, "--colour"),
              "description": ""}  # every field the app's vehicle dialog sends
    if not values["plate"]:
        raise UserError("Give the number plate with --plate (as much of it as you saw).")
    with open_case(args) as case:
        same = find_vehicle_by_plate(case, values["plate"])
        if same is not None and not args.allow_duplicate:
            raise UserError(f"Vehicle {same.id} already has the plate {same.plate}: link that "
                            f"one (vehicle link {same.id} INCIDENT_ID), or add "
                            "--allow-duplicate to record another.")
        new_id = create_vehicle(case, **values)
    emit(args, {"id": new_id}, str(new_id))
    return 0


def _vehicle_json(v: VehicleView) -> dict[str, object]:
    return {"id": v.id, "plate": v.plate, "make": v.make, "model": v.model,
            "colour": v.colour, "description": v.description, "incidents": v.incident_count}


def cmd_vehicle_list(args: argparse.Namespace) -> int:
    from evidence_app.core.people import list_vehicles

    with open_case(args) as case:
        vehicles = list_vehicles(case)

    def text() -> str:
        if not vehicles:
            return "No vehicles yet."
        lines = [f"{'ID':>5}  {'PLATE':<10} {'INC':>3}  VEHICLE"]
        for v in vehicles:
            what = " ".join(p for p in (v.colour, v.make, v.model) if p)
            lines.append(f"{v.id:>5}  {v.plate:<10} {v.incident_count:>3}  {what}".rstrip())
        return "\n".join(lines)

    emit(args, {"vehicles": [_vehicle_json(v) for v in vehicles]}, text)
    return 0


def cmd_vehicle_link(args: argparse.Namespace) -> int:
    return _link(args, "vehicle", args.vehicle)


def add_person(sub: Subcommands, json_parent: Parser) -> None:
    js = json_parent
    group = sub.add_parser("person", help="add and list people (suspects, witnesses, "
                                          "officers), and link them to incidents")
    psub = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = psub.add_parser("add", parents=[js], help="record a person; prints their id")
    p.add_argument("--name", required=True,
                   help="their name, or a description such as 'unknown man in a grey hoodie'")
    p.add_argument("--role", required=True, choices=[r.value for r in Role],
                   help="who they are in the case")
    p.add_argument("--relationship", default="", metavar="TEXT",
                   help="how you know them, e.g. 'ex-partner' (kept as the first line of "
                        "the description, where the app shows it)")
    p.add_argument("--description", default="", metavar="TEXT",
                   help="what they look like, where they live or work, ...")
    p.set_defaults(run=cmd_person_add)
    p = psub.add_parser("list", parents=[js], help="everyone in the case, by name")
    p.add_argument("--role", choices=[r.value for r in Role], help="only people in this role")
    p.set_defaults(run=cmd_person_list)
    p = psub.add_parser("link", parents=[js], help="say a person was part of an incident")
    p.add_argument("person", type=record_id, metavar="PERSON_ID", help="see person list")
    p.add_argument("incident", type=record_id, metavar="INCIDENT_ID", help="see incident list")
    p.set_defaults(run=cmd_person_link)


def add_vehicle(sub: Subcommands, json_parent: Parser) -> None:
    js = json_parent
    group = sub.add_parser("vehicle", help="add and list vehicles, and link them to incidents")
    vsub = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = vsub.add_parser("add", parents=[js], help="record a vehicle; prints its id")
    p.add_argument("--plate", required=True, help="the number plate, e.g. 'AB12 CDE'")
    p.add_argument("--make", default="", metavar="MAKE", help="e.g. Vauxhall")
    p.add_argument("--model", default="", metavar="MODEL", help="e.g. Astra")
    p.add_argument("--colour", default="", metavar="COLOUR", help="e.g. silver")
    p.add_argument("--allow-duplicate", action="store_true",
                   help="record it even if a vehicle with the same plate is in the case")
    p.set_defaults(run=cmd_vehicle_add)
    p = vsub.add_parser("list", parents=[js], help="every vehicle in the case, by plate")
    p.set_defaults(run=cmd_vehicle_list)
    p = vsub.add_parser("link", parents=[js], help="say a vehicle was part of an incident")
    p.add_argument("vehicle", type=record_id, metavar="VEHICLE_ID", help="see vehicle list")
    p.add_argument("incident", type=record_id, metavar="INCIDENT_ID", help="see incident list")
    p.set_defaults(run=cmd_vehicle_link)
