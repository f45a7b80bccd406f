"""The trash: what was deleted, restoring it, and emptying it for good (audited)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, func, or_, select, update

from evidence_app.core.attachments import in_conversation
from evidence_app.core.incidents import list_incidents
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import (
    Attachment,
    Incident,
    Message,
    Note,
    Person,
    Vehicle,
)
from evidence_app.core.views import (
    AttachmentView,
    IncidentSummary,
    NoteView,
    PersonView,
    VehicleView,
)


@dataclass
class TrashContents:
    incidents: list[IncidentSummary] = field(default_factory=list)
    attachments: list[AttachmentView] = field(default_factory=list)
    notes: list[NoteView] = field(default_factory=list)
    people: list[PersonView] = field(default_factory=list)
    vehicles: list[VehicleView] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.incidents or self.attachments or self.notes or self.people
                    or self.vehicles)


def list_trash(case: Case) -> TrashContents:
    """Items deleted on their own (exhibits of a trashed incident travel with it), and
    deleted people and vehicles."""
    incidents = list_incidents(case, trashed=True)
    with case.read() as session:
        atts = session.scalars(
            select(Attachment).where(Attachment.deleted_at.is_not(None))
            .order_by(Attachment.deleted_at.desc())
        )
        notes = session.scalars(
            select(Note).where(Note.deleted_at.is_not(None)).order_by(Note.deleted_at.desc())
        )
        people = session.scalars(
            select(Person).where(Person.deleted_at.is_not(None)).order_by(Person.deleted_at.desc()))
        vehicles = session.scalars(
            select(Vehicle).where(Vehicle.deleted_at.is_not(None))
            .order_by(Vehicle.deleted_at.desc()))
        return TrashContents(incidents, [AttachmentView.from_row(a) for a in atts],
                             [NoteView.from_row(n) for n in notes],
                             [PersonView.from_row(p) for p in people],
                             [VehicleView.from_row(v) for v in vehicles])


def empty_trash(case: Case) -> dict[str, int]:
    """Permanently delete everything in the trash, originals included. Exhibit marks
    stay issued (never reused). Returns counts of what was removed."""
    with case.write() as (session, audit):
        dead_incidents = list(session.scalars(
            select(Incident.id).where(Incident.deleted_at.is_not(None))))
        # Files that came with imported messages stay with their conversation (the
        # incident's link to them goes with the incident).
        atts = list(session.execute(
            select(Attachment.id, Attachment.sha256, Attachment.exhibit_mark).where(or_(
                Attachment.deleted_at.is_not(None),
                Attachment.incident_id.in_(dead_incidents)), ~in_conversation())))
        notes = list(session.scalars(select(Note.id).where(or_(
            Note.deleted_at.is_not(None), Note.incident_id.in_(dead_incidents)))))
        people = list(session.scalars(select(Person.id).where(Person.deleted_at.is_not(None))))
        vehicles = list(session.scalars(select(Vehicle.id).where(Vehicle.deleted_at.is_not(None))))
        kept = session.execute(select(Attachment.id, Attachment.exhibit_mark).where(
            Attachment.deleted_at.is_not(None), in_conversation())).all()
        if not (dead_incidents or atts or notes or people or vehicles or kept):
            return {"incidents": 0, "attachments": 0, "notes": 0, "people": 0, "vehicles": 0}
        audit.log("empty_trash", "case", 1, incidents=dead_incidents,
                  attachments=[{"id": a.id, "exhibit": a.exhibit_mark, "sha256": a.sha256}
                               for a in atts],
                  notes=notes, people=people, vehicles=vehicles)
        att_ids = [a.id for a in atts]
        # What stays (files and messages of conversations) is let go of first: the
        # incidents' rows go next.
        session.execute(update(Attachment).where(Attachment.incident_id.in_(dead_incidents))
                        .values(incident_id=None))
        for att_id, mark in kept:
            audit.log("restore", "attachment", att_id, exhibit=mark,
                      reason="sent in an imported message: kept with its conversation")
        session.execute(update(Attachment).where(Attachment.deleted_at.is_not(None),
                                                 in_conversation()).values(deleted_at=None))
        unlinked = session.scalar(select(func.count()).select_from(Message).where(
            Message.incident_id.in_(dead_incidents))) or 0
        session.execute(update(Message).where(Message.incident_id.in_(dead_incidents))
                        .values(incident_id=None))
        if unlinked:
            audit.log("unlink", "message", None, incidents=dead_incidents, count=unlinked)
        session.execute(delete(Note).where(Note.id.in_(notes)))
        session.execute(delete(Attachment).where(Attachment.id.in_(att_ids)))
        session.execute(delete(Incident).where(Incident.id.in_(dead_incidents)))
        session.execute(delete(Person).where(Person.id.in_(people)))
        session.execute(delete(Vehicle).where(Vehicle.id.in_(vehicles)))
    # Only after the rows are gone for good do the bytes go.
    for att in atts:
        case.originals.remove(att.sha256)
        case.cache.remove_thumbnail(att.sha256)
    return {"incidents": len(dead_incidents), "attachments": len(atts), "notes": len(notes),
            "people": len(people), "vehicles": len(vehicles)}
