"""Incidents, notes and tags: create, read, update, trash and restore; every write audited."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from evidence_app.core.dates import When, validate_when
from evidence_app.core.errors import NotFoundError, ValidationError
from evidence_app.core.store.audit import AuditWriter, apply_changes
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import (
    Attachment,
    AuditEvent,
    CaseSettings,
    Impact,
    Incident,
    Note,
    Tag,
)
from evidence_app.core.views import (
    Amendment,
    AttachmentView,
    DiarySource,
    ImpactView,
    IncidentDetail,
    IncidentSummary,
    NoteView,
    PersonView,
    VehicleView,
)
from evidence_app.core.vocab import Category, Precision

TEXT_FIELDS = (
    "title", "description", "location", "category", "suspect_appearance", "suspect_voice",
    "suspect_clothing", "witnesses", "impact", "police_reference", "police_officer",
)
WHEN_FIELDS = ("occurred_at", "occurred_end", "precision", "timezone")
EDITABLE = (*TEXT_FIELDS, *WHEN_FIELDS, "reported_on")


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Unknown incident field(s): {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key in TEXT_FIELDS:
            value = "" if value is None else str(value)
            if "\x00" in value:
                value = value.replace("\x00", "")
        if key == "category":
            value = Category(value or "other").value
        if key == "precision":
            value = Precision(value).value
        if key == "reported_on" and value is not None and not isinstance(value, date):
            raise ValidationError("reported_on must be a date")
        out[key] = value
    return out


def _when_fields(when: When) -> dict[str, Any]:
    undated = when.precision is Precision.UNDATED
    between = when.precision is Precision.BETWEEN
    return {"occurred_at": None if undated else when.start,
            "occurred_end": when.end if between else None,
            "precision": when.precision.value, "timezone": when.timezone}


def _get(session: Session, incident_id: int, allow_deleted: bool = False) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None or (incident.deleted_at is not None and not allow_deleted):
        raise NotFoundError(f"There is no incident {incident_id}.")
    return incident


TITLE_NEEDED = ("An incident needs a title: a few words saying what happened, e.g. "
                "'Car outside the house'.")


def _check_title(title: Any) -> None:
    """A title given must say something (the GUI's new, still blank incident gives none)."""
    if title is not None and not str(title).replace("\x00", "").strip():
        raise ValidationError(TITLE_NEEDED)


def _created_blank(session: Session, incident_id: int) -> bool:
    """Whether the incident was first recorded without a title (the app's New incident,
    a draft the person is writing): undoing its first title may make it blank again.
    One recorded with a title never loses it."""
    details = session.scalar(select(AuditEvent.details).where(
        AuditEvent.entity == "incident", AuditEvent.entity_id == incident_id,
        AuditEvent.action == "create").order_by(AuditEvent.id).limit(1))
    if details is None:
        return False
    try:
        return not json.loads(details).get("title")
    except (ValueError, AttributeError):
        return False


def create_incident(case: Case, *, when: When | None = None, title: str | None = None,
                    tags: Sequence[str] = (), **fields: Any) -> int:
    """Record a new incident; returns its id. `when` defaults to undated.

    Tags given here are part of the record as first written (not a later amendment).
    A title given empty is refused (ValidationError); none given leaves a blank draft
    for the person to fill in (the app's New incident).
    """
    _check_title(title)
    title = title or ""
    with case.write() as (session, audit):
        return insert_incident(session, audit, when=when, title=title, tags=tags, **fields)


def insert_incident(session: Session, audit: AuditWriter, *, when: When | None = None,
                    title: str = "", tags: Sequence[str] = (), **fields: Any) -> int:
    """Add an incident inside a unit of work the caller already holds (audited).

    For services that create an incident together with other changes in one transaction.
    """
    tz = session.get(CaseSettings, 1).timezone  # type: ignore[union-attr]
    when = when or When(None, None, Precision.UNDATED, tz)
    validate_when(when)
    values = _clean({"title": title, **fields, **_when_fields(when)})
    now = audit.now()
    incident = Incident(recorded_at=now, updated_at=now, **values)
    session.add(incident)
    names = _tag_names(tags)
    if names:
        incident.tags = _tag_rows(session, names)
    session.flush()
    details = {k: v for k, v in values.items() if v}
    if names:
        details["tags"] = names
    audit.log("create", "incident", incident.id, **details)
    return incident.id


def update_incident(case: Case, incident_id: int, when: When | None = None,
                    **changes: Any) -> list[str]:
    """Change fields of an incident; returns the names of fields that really changed."""
    if when is not None:
        validate_when(when)
        changes.update(_when_fields(when))
    values = _clean(changes)
    with case.write() as (session, audit):
        incident = _get(session, incident_id)
        if "title" in values and not _created_blank(session, incident_id):
            _check_title(values["title"])
        diff = apply_changes(incident, values)
        if diff:
            incident.updated_at = audit.now()
            audit.log("update", "incident", incident_id, changes=diff)
        return sorted(diff)


def delete_incident(case: Case, incident_id: int) -> None:
    """Move an incident (with its notes and exhibits) to the trash."""
    with case.write() as (session, audit):
        incident = _get(session, incident_id)
        incident.deleted_at = audit.now()
        audit.log("trash", "incident", incident_id, title=incident.title)


def restore_incident(case: Case, incident_id: int) -> None:
    """Bring an incident back from the trash."""
    with case.write() as (session, audit):
        incident = _get(session, incident_id, allow_deleted=True)
        if incident.deleted_at is None:
            return
        incident.deleted_at = None
        audit.log("restore", "incident", incident_id, title=incident.title)


def _exhibit_counts() -> Any:
    return (
        select(func.count(Attachment.id))
        .where(Attachment.incident_id == Incident.id, Attachment.deleted_at.is_(None))
        .correlate(Incident)
        .scalar_subquery()
    )


def chronological(query: Select[Any], newest_first: bool = False) -> Select[Any]:
    """Order incidents by when they happened; undated ones always last."""
    order = Incident.occurred_at.desc() if newest_first else Incident.occurred_at.asc()
    ident = Incident.id.desc() if newest_first else Incident.id.asc()
    return query.order_by(Incident.occurred_at.is_(None), order, ident)


def list_incidents(case: Case, *, newest_first: bool = False, offset: int = 0,
                   limit: int | None = None, ids: list[int] | None = None,
                   trashed: bool = False) -> list[IncidentSummary]:
    """Timeline rows in chronological order (paged in SQL)."""
    query = select(Incident, _exhibit_counts().label("n"))
    query = query.where(Incident.deleted_at.is_not(None) if trashed else Incident.deleted_at.is_(None))
    if ids is not None:
        query = query.where(Incident.id.in_(ids))
    query = chronological(query, newest_first).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with case.read() as session:
        return [IncidentSummary.from_row(row[0], exhibit_count=row[1])
                for row in session.execute(query)]


def count_incidents(case: Case, trashed: bool = False) -> int:
    """How many incidents are in the log (or in the trash)."""
    cond = Incident.deleted_at.is_not(None) if trashed else Incident.deleted_at.is_(None)
    with case.read() as session:
        return session.scalar(select(func.count(Incident.id)).where(cond)) or 0


# Saves made while an incident is first being written are its first recording, not
# amendments: the sitting lasts until the person leaves the incident in the editor (a
# "finish" event), an hour has passed since it was created, or a report that contains
# it has been produced (a "report" event listing it), whichever comes first.
SITTING = timedelta(hours=1)
FINISH = "finish"
REPORT = "report"


def _first_report_after(session: Session, incident_id: int, after_event: int) -> int | None:
    """The id of the first "report" event after `after_event` whose report held it."""
    query = (select(AuditEvent.id, AuditEvent.details)
             .where(AuditEvent.action == REPORT, AuditEvent.entity == "case",
                    AuditEvent.id > after_event,
                    AuditEvent.details.like(f"%{incident_id}%"))  # narrows; JSON decides
             .order_by(AuditEvent.id))
    for event_id, details in session.execute(query):
        if incident_id in json.loads(details).get("incident_ids", ()):
            return int(event_id)
    return None


def recording(session: Session, incident_id: int,
              ) -> tuple[datetime | None, list[Amendment]]:
    """(the last save of the first sitting, or None when there was none after the
    first; the amendments made after it), from the audit log."""
    return _recording(session, incident_id, _history(session, incident_id))


def _history(session: Session, incident_id: int) -> Sequence[Any]:
    """The incident's create, update and finish events, oldest first."""
    return session.execute(
        select(AuditEvent.id, AuditEvent.at, AuditEvent.action, AuditEvent.details).where(
            AuditEvent.entity == "incident", AuditEvent.entity_id == incident_id,
            AuditEvent.action.in_(("create", "update", FINISH)),
        ).order_by(AuditEvent.id)
    ).all()


DIARY_IMPORT = "diary import"  # the "source" of an incident's create event from a diary


def diary_source(events: Sequence[Any]) -> DiarySource | None:
    """Where the incident came from when its create event says it was imported from a
    diary: the exhibit, the spreadsheet row and when (None for anything else)."""
    created = next((e for e in events if e.action == "create"), None)
    if created is None or DIARY_IMPORT not in created.details:  # cheap test before JSON
        return None
    details = json.loads(created.details)
    if details.get("source") != DIARY_IMPORT:
        return None

    def number(value: Any) -> int | None:
        return value if isinstance(value, int) and value > 0 else None

    return DiarySource(imported_at=created.at, row=number(details.get("row")),
                       line=number(details.get("line")),
                       exhibit=str(details.get("diary_exhibit") or ""))


def _recording(session: Session, incident_id: int, events: Sequence[Any],
               ) -> tuple[datetime | None, list[Amendment]]:
    created = next((e for e in events if e.action == "create"), None)
    end_id: int | None = None
    if created is not None:
        end_id = next((e.id for e in events if e.action == FINISH and e.id > created.id),
                      None)
        deadline = created.at + SITTING
        early = [e for e in events if e.action == "update" and e.id > created.id
                 and e.at <= deadline and (end_id is None or e.id < end_id)]
        if early:
            report = _first_report_after(session, incident_id, created.id)
            if report is not None and (end_id is None or report < end_id):
                end_id = report
    until: datetime | None = None
    out = []
    for event in events:
        if event.action != "update":
            continue
        in_sitting = (created is not None and event.id > created.id
                      and event.at <= created.at + SITTING
                      and (end_id is None or event.id < end_id))
        if in_sitting:
            until = event.at
            continue
        changes = json.loads(event.details).get("changes", {})
        out.append(Amendment(at=event.at, fields=sorted(changes), changes=changes,
                             event_id=event.id))
    return until, out


def amendments(session: Session, incident_id: int) -> list[Amendment]:
    """Edits made after the incident's first recording (see `recording`)."""
    return recording(session, incident_id)[1]


def sitting_open(session: Session, incident_id: int, now: datetime) -> bool:
    """True while saves to the incident still count as its first recording."""
    events = session.execute(
        select(AuditEvent.id, AuditEvent.at, AuditEvent.action).where(
            AuditEvent.entity == "incident", AuditEvent.entity_id == incident_id,
            AuditEvent.action.in_(("create", FINISH))).order_by(AuditEvent.id)).all()
    created = next((e for e in events if e.action == "create"), None)
    if created is None or now > created.at + SITTING:
        return False
    if any(e.action == FINISH and e.id > created.id for e in events):
        return False
    return _first_report_after(session, incident_id, created.id) is None


def finish_recording(case: Case, incident_id: int) -> bool:
    """The person has left the incident they were first writing: later saves are
    amendments. Logged only while its first sitting is open; returns whether it was."""
    with case.write() as (session, audit):
        if not sitting_open(session, incident_id, audit.now()):
            return False
        audit.log(FINISH, "incident", incident_id, reason="left the incident")
        return True


def detail_from_row(session: Session, incident: Incident, include_deleted: bool = False,
                    ) -> IncidentDetail:
    """Build the full snapshot of an incident inside an open session."""
    def live(row: Any) -> bool:
        return include_deleted or row.deleted_at is None

    events = _history(session, incident.id)
    until, later = _recording(session, incident.id, events)
    atts = sorted((a for a in incident.attachments if live(a)),
                  key=lambda a: (a.captured_at is None, a.captured_at or a.imported_at, a.exhibit_serial))
    return IncidentDetail.from_row(
        incident,
        notes=[NoteView.from_row(n) for n in incident.notes if live(n)],
        attachments=[AttachmentView.from_row(a) for a in atts],
        people=[PersonView.from_row(p) for p in sorted(incident.people, key=lambda p: p.name.lower())
                if p.deleted_at is None],
        vehicles=[VehicleView.from_row(v) for v in incident.vehicles if v.deleted_at is None],
        tags=sorted(t.name for t in incident.tags),
        amendments=later,
        recorded_until=until,
        diary=diary_source(events),
        impacts=[ImpactView.from_row(i) for i in session.scalars(
            select(Impact).where(Impact.incident_id == incident.id).order_by(Impact.id))],
    )


def get_incident(case: Case, incident_id: int, allow_deleted: bool = False) -> IncidentDetail:
    """Everything about one incident."""
    with case.read() as session:
        incident = session.execute(
            select(Incident).where(Incident.id == incident_id).options(
                selectinload(Incident.notes), selectinload(Incident.attachments),
                selectinload(Incident.people), selectinload(Incident.vehicles),
                selectinload(Incident.tags))
        ).scalar_one_or_none()
        if incident is None or (incident.deleted_at is not None and not allow_deleted):
            raise NotFoundError(f"There is no incident {incident_id}.")
        return detail_from_row(session, incident)


# --------------------------------------------------------------------------- notes
def add_note(case: Case, incident_id: int, text: str, private: bool = False,
             at: datetime | None = None) -> int:
    """Add a timestamped note to an incident; returns the note's id."""
    body = text.replace("\x00", "").strip()
    if not body:
        raise ValidationError("A note cannot be empty.")
    with case.write() as (session, audit):
        _get(session, incident_id)
        now = at or audit.now()
        note = Note(incident_id=incident_id, text=body, private=private, created_at=now,
                    updated_at=now)
        session.add(note)
        session.flush()
        audit.log("create", "note", note.id, incident_id=incident_id, text=body, private=private)
        return note.id


def update_note(case: Case, note_id: int, text: str | None = None,
                private: bool | None = None) -> None:
    """Edit a note's text or its private flag (audited with old and new values)."""
    with case.write() as (session, audit):
        note = session.get(Note, note_id)
        if note is None or note.deleted_at is not None:
            raise NotFoundError(f"There is no note {note_id}.")
        diff: dict[str, Any] = {}
        if text is not None:
            body = text.replace("\x00", "").strip()
            if not body:
                raise ValidationError("A note cannot be empty.")
            if body != note.text:
                diff["text"] = {"old": note.text, "new": body}
                note.text = body
        if private is not None and private != note.private:
            diff["private"] = {"old": note.private, "new": private}
            note.private = private
        if diff:
            note.updated_at = audit.now()
            audit.log("update", "note", note_id, incident_id=note.incident_id, changes=diff)


def delete_note(case: Case, note_id: int) -> None:
    """Move a note to the trash."""
    with case.write() as (session, audit):
        note = session.get(Note, note_id)
        if note is None or note.deleted_at is not None:
            raise NotFoundError(f"There is no note {note_id}.")
        note.deleted_at = audit.now()
        audit.log("trash", "note", note_id, incident_id=note.incident_id)


def restore_note(case: Case, note_id: int) -> None:
    """Bring a note back from the trash (audited); nothing happens if it is not there."""
    with case.write() as (session, audit):
        note = session.get(Note, note_id)
        if note is None:
            raise NotFoundError(f"There is no note {note_id}.")
        if note.deleted_at is not None:
            note.deleted_at = None
            audit.log("restore", "note", note_id, incident_id=note.incident_id)


# --------------------------------------------------------------------------- tags
def _tag_names(names: Sequence[str]) -> list[str]:
    return sorted({" ".join(n.split())[:100] for n in names if n and n.strip()})


def _tag_rows(session: Session, names: list[str]) -> list[Tag]:
    tags = []
    for name in names:
        tag = session.scalar(select(Tag).where(Tag.name == name))
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
        tags.append(tag)
    return tags


def set_tags(case: Case, incident_id: int, names: list[str]) -> None:
    """Replace an incident's tags (names trimmed, duplicates ignored)."""
    wanted = _tag_names(names)
    with case.write() as (session, audit):
        incident = _get(session, incident_id)
        old = sorted(t.name for t in incident.tags)
        if old == wanted:
            return
        incident.tags = _tag_rows(session, wanted)
        incident.updated_at = audit.now()
        audit.log("update", "incident", incident_id, changes={"tags": {"old": old, "new": wanted}})


def all_tags(case: Case) -> list[str]:
    """Every tag name in use, sorted."""
    with case.read() as session:
        return sorted(session.scalars(select(Tag.name)))
