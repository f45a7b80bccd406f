"""Everything a report shows, read from the case once and filtered by the options.

Filtering for privacy happens here, before any page is laid out: private notes are
dropped and photo coordinates blanked unless the options ask for them, so no later
rendering step can leak what the person chose to leave out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from evidence_app.core.attachments import get_attachment
from evidence_app.core.conversations import (
    ConversationView,
    MessageView,
    get_conversation,
    messages_of_incidents,
)
from evidence_app.core.errors import UserError
from evidence_app.core.impacts import impacts_for_report
from evidence_app.core.incidents import REPORT, chronological, count_incidents, detail_from_row
from evidence_app.core.report.options import ADDRESS_ITEM, ReportOptions
from evidence_app.core.report.personal import Found, PersonalDetails, statements
from evidence_app.core.store import audit
from evidence_app.core.store.audit import AuditEntry
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import Incident, Note, Tag, incident_tags
from evidence_app.core.views import AttachmentView, ImpactView, IncidentDetail
from evidence_app.core.vocab import Precision, category_label


@dataclass(frozen=True)
class CaseInfo:
    """The case settings a report prints (address only when the options allow)."""

    case_uuid: str
    case_name: str
    owner_name: str
    initials: str
    timezone: str
    address: str
    contact: str


@dataclass
class ReportData:
    """The incidents, exhibits and audit events of one report, in report order."""

    case: CaseInfo
    options: ReportOptions
    generated_at: datetime
    incidents: list[IncidentDetail] = field(default_factory=list)  # dated first, then undated
    audit: list[audit.AuditEntry] = field(default_factory=list)
    personal: Found = field(default_factory=Found)  # the person's details in typed text
    impacts: list[ImpactView] = field(default_factory=list)  # the case's and the incidents'
    # Notes that are private now or ever were: marked where they stand when the copy
    # includes private material, their text withheld from the audit trail otherwise.
    private_notes: set[int] = field(default_factory=set)
    # The latest Check my evidence run (core/evidence_check.py), for the audit appendix.
    last_check: AuditEntry | None = None
    # Messages the incidents were made from ({incident id: messages}), their
    # conversations, and the export files they were read from (exhibits listed with
    # their hashes even when no incident holds them).
    messages: dict[int, list[MessageView]] = field(default_factory=dict)
    conversations: dict[int, ConversationView] = field(default_factory=dict)
    export_files: list[AttachmentView] = field(default_factory=list)
    # Of those, the parts of a download that gave only pictures sent in the messages.
    picture_exports: set[int] = field(default_factory=set)
    # The audit log's head this report was built on ("events:hash", core/store/anchor.py):
    # `verify --head` later shows whether the log has only grown since.
    head: str = ""

    def left_out(self) -> list[str]:
        """What this report withholds, true for where the person typed their address."""
        return statements(self.options.left_out(), self.options.kept_in(), self.personal,
                          ADDRESS_ITEM)[0]

    def kept_in(self) -> list[str]:
        """What this copy includes that could endanger the person if disclosed."""
        return statements(self.options.left_out(), self.options.kept_in(), self.personal,
                          ADDRESS_ITEM)[1]

    @property
    def dated(self) -> list[IncidentDetail]:
        return [i for i in self.incidents if i.occurred_at is not None]

    @property
    def undated(self) -> list[IncidentDetail]:
        return [i for i in self.incidents if i.occurred_at is None]

    @property
    def listed_exhibits(self) -> list[AttachmentView]:
        """The exhibit list's rows: every exhibit, and the message export files the
        transcripts cite, by exhibit number."""
        seen = {a.id for a in self.exhibits}
        extra = [a for a in self.export_files if a.id not in seen]
        return sorted([*self.exhibits, *extra], key=lambda a: a.exhibit_serial)

    @property
    def exhibits(self) -> list[AttachmentView]:
        """Every exhibit of the included incidents, by exhibit number."""
        return sorted((a for i in self.incidents for a in i.attachments),
                      key=lambda a: a.exhibit_serial)

    def number_of(self, incident_id: int) -> int:
        """The incident's number in this report (1, 2, ...), in report order."""
        return self._numbers()[incident_id]

    @property
    def incident_ids(self) -> set[int]:
        return set(self._numbers())

    def numbers(self) -> dict[int, int]:
        """{incident id: its number in this report}."""
        return dict(self._numbers())

    def _numbers(self) -> dict[int, int]:
        if not hasattr(self, "_numbering"):
            self._numbering = {inc.id: n for n, inc in enumerate(self.incidents, 1)}
        return self._numbering

    def by_category(self) -> list[tuple[str, int]]:
        """(category label, count), most frequent first."""
        counts = Counter(category_label(i.category) for i in self.incidents)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def by_month(self) -> list[tuple[date, int]]:
        """(first day of month, count) for every month from the first to the last incident."""
        zone = ZoneInfo(self.case.timezone)
        months = Counter(
            i.occurred_at.astimezone(zone).date().replace(day=1)
            for i in self.dated if i.occurred_at is not None
        )
        if not months:
            return []
        first, last = min(months), max(months)
        out = []
        month = first
        while month <= last:
            out.append((month, months.get(month, 0)))
            month = (month + timedelta(days=32)).replace(day=1)
        return out

    def police_references(self) -> list[IncidentDetail]:
        """Incidents that carry a police reference or officer, in report order."""
        return [i for i in self.incidents if i.police_reference or i.police_officer]


def _local_bounds(options: ReportOptions, tz: str) -> tuple[datetime | None, datetime | None]:
    zone = ZoneInfo(tz)

    def start_of(day: date) -> datetime:
        return datetime.combine(day, time(0, 0)).replace(tzinfo=zone).astimezone(UTC)

    low = start_of(options.date_from) if options.date_from else None
    high = start_of(options.date_to + timedelta(days=1)) if options.date_to else None
    return low, high


def incident_span(inc: Any, tz: str) -> tuple[datetime, datetime] | None:
    """The period an incident may have happened in, honest about its precision."""
    start = inc.occurred_at
    if start is None:
        return None
    prec = Precision(inc.precision)
    if prec is Precision.BETWEEN and inc.occurred_end is not None:
        return start, inc.occurred_end
    local = start.astimezone(ZoneInfo(tz))
    if prec is Precision.MONTH:
        nxt = (local.replace(day=1) + timedelta(days=32)).replace(day=1)
        return start, nxt.astimezone(UTC) - timedelta(microseconds=1)
    if prec is Precision.DAY:
        return start, (local + timedelta(days=1)).astimezone(UTC) - timedelta(microseconds=1)
    return start, start


def _matching_ids(case: Case, options: ReportOptions, tz: str) -> list[int]:
    low, high = _local_bounds(options, tz)
    base: Any = select(Incident.id, Incident.occurred_at, Incident.occurred_end,
                       Incident.precision, Incident.category)
    query = chronological(base.where(Incident.deleted_at.is_(None)))
    if options.incident_ids:
        query = query.where(Incident.id.in_(options.incident_ids))
    if options.categories:
        query = query.where(Incident.category.in_(options.categories))
    if options.tags:
        tagged = (select(incident_tags.c.incident_id).join(Tag, Tag.id == incident_tags.c.tag_id)
                  .where(Tag.name.in_(options.tags)))
        query = query.where(Incident.id.in_(tagged))
    ids = []
    with case.read() as session:
        for row in session.execute(query):
            span = incident_span(row, tz)
            if span is None:
                # Undated incidents cannot be placed in a period; they are kept unless
                # the person asked to leave them out.
                if options.include_undated:
                    ids.append(row.id)
                continue
            if low is not None and span[1] < low:
                continue
            if high is not None and span[0] >= high:
                continue
            ids.append(row.id)
    return ids


def _redact(detail: IncidentDetail, options: ReportOptions, personal: PersonalDetails,
            found: dict[int, set[str]] | None) -> IncidentDetail:
    notes = detail.notes if options.include_private else [n for n in detail.notes if not n.private]
    atts = detail.attachments
    if not options.include_gps:
        atts = [replace(a, gps_lat=None, gps_lon=None, gps_alt=None) for a in atts]
    detail = replace(detail, notes=notes, attachments=atts)
    if personal and not options.include_address:
        kinds = personal.scan(detail)
        if kinds and found is not None:
            found[detail.id] = kinds
        if kinds and options.withhold_typed:
            detail = personal.withhold(detail)
    return detail


def personal_details(case: Case) -> PersonalDetails:
    """What the case settings say about the person: address, postcode, phone, email."""
    s = case.settings()
    return PersonalDetails.from_settings(s.address, s.contact)


def load_incidents(case: Case, options: ReportOptions, chunk: int = 200,
                   found: dict[int, set[str]] | None = None) -> Iterator[IncidentDetail]:
    """The incidents the options select, in report order, already redacted (the person's
    address and phone typed into them withheld when the options say so; `found`, when
    given, collects which incidents held which of them)."""
    tz = case.settings().timezone
    personal = personal_details(case)
    ids = _matching_ids(case, options, tz)
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        with case.read() as session:
            rows = session.execute(
                select(Incident).where(Incident.id.in_(part)).options(
                    selectinload(Incident.notes), selectinload(Incident.attachments),
                    selectinload(Incident.people), selectinload(Incident.vehicles),
                    selectinload(Incident.tags))
            ).scalars().all()
            by_id = {r.id: r for r in rows}
            for incident_id in part:
                yield _redact(detail_from_row(session, by_id[incident_id]), options,
                              personal, found)


def check_selection(case: Case, options: ReportOptions) -> None:
    """Refuse incidents and tags the case does not have (UserError: a typing mistake
    must not give a report that silently holds nothing)."""
    with case.read() as session:
        for incident_id in options.incident_ids:
            row = session.get(Incident, incident_id)
            if row is None:
                raise UserError(f"There is no incident {incident_id}.")
            if row.deleted_at is not None:
                raise UserError(f"Incident {incident_id} is in the trash; restore it to "
                                "include it in a report.")
        if options.tags:
            known = set(session.scalars(select(Tag.name)))
            unknown = [t for t in options.tags if t not in known]
            if unknown:
                have = ", ".join(sorted(known)) if known else "this case has no tags yet"
                raise UserError(f"No incident has the tag {unknown[0]!r} (tags: {have}).")


def _private_note_ids(case: Case) -> set[int]:
    """Notes that are private now or ever were: their text never leaves in an audit row."""
    ids: set[int] = set()
    with case.read() as session:
        ids.update(session.scalars(select(Note.id).where(Note.private.is_(True))))
        for entry in audit.entries(session, entity="note"):
            details = entry.details
            changed = details.get("changes", {}).get("private", {})
            was_private = details.get("private") or changed.get("old") or changed.get("new")
            if was_private and entry.entity_id is not None:
                ids.add(entry.entity_id)
    return ids


WITHHELD = "(private note: details withheld)"


def load_audit(case: Case, data: ReportData, found: dict[int, set[str]] | None = None,
               ) -> list[audit.AuditEntry]:
    """Audit events about the included incidents, their notes, exhibits, links and
    impacts, and the impacts on the whole case."""
    incident_ids = {i.id for i in data.incidents}
    exhibit_ids = {a.id for a in data.exhibits}
    incident_of = {a.id: a.incident_id for a in data.exhibits}
    private = set() if data.options.include_private else data.private_notes
    personal = personal_details(case) if not data.options.include_address else PersonalDetails()
    out = []
    with case.read() as session:
        for entry in audit.entries(session):
            related = entry.details.get("incident_id")
            if entry.entity == "incident":
                keep = entry.entity_id in incident_ids
            elif entry.entity == "attachment":
                keep = entry.entity_id in exhibit_ids
            elif entry.entity in ("note", "person", "vehicle"):
                keep = related in incident_ids
            elif entry.entity == "impact":  # on an included incident, or the whole case
                keep = related is None or related in incident_ids
            else:
                keep = False
            if not keep:
                continue
            if entry.entity == "note" and entry.entity_id in private:
                entry = replace(entry, details={"incident_id": related, "note": WITHHELD})
            kinds = personal.scan(entry.details) if personal else set()
            if kinds:
                owner = (entry.entity_id if entry.entity == "incident" else
                         incident_of.get(entry.entity_id or 0) if entry.entity == "attachment"
                         else related)
                if found is not None and owner in incident_ids:
                    found.setdefault(owner, set()).update(kinds)
                if data.options.withhold_typed:
                    entry = replace(entry, details=personal.withhold(entry.details))
            out.append(entry)
    return out


def _load_messages(case: Case, data: ReportData, personal: PersonalDetails,
                   found: dict[int, set[str]]) -> None:
    """The messages of the report's incidents, their conversations and export files.
    Where they hold the person's address, phone or email, the incident is flagged like
    typed text, and withheld from the transcript when the options say so (the export
    file, an exhibit, keeps the exact text)."""
    data.messages = messages_of_incidents(case, [i.id for i in data.incidents])
    if personal and not data.options.include_address:
        for incident_id, items in list(data.messages.items()):
            kinds = personal.scan(items)
            if not kinds:
                continue
            found.setdefault(incident_id, set()).update(kinds)
            if data.options.withhold_typed:
                data.messages[incident_id] = personal.withhold(items)
    conv_ids = {m.conversation_id for items in data.messages.values() for m in items}
    data.conversations = {c: get_conversation(case, c) for c in sorted(conv_ids)}
    marks = {m.export_mark for items in data.messages.values() for m in items}
    # A part of a download that gave a conversation only its pictures (no messages) is
    # where those pictures came from: named too when the report shows pictures.
    pictured = {m.conversation_id for items in data.messages.values() for m in items
                if m.attachments}
    files = [e.attachment_id for c in data.conversations.values() for e in c.exports
             if e.exhibit_mark in marks or (c.id in pictured and e.messages_read == 0)]
    data.picture_exports = {e.attachment_id for c in data.conversations.values()
                            for e in c.exports if e.exhibit_mark not in marks} & set(files)
    data.export_files = [get_attachment(case, a, allow_deleted=True)
                         for a in dict.fromkeys(files)]


def collect(case: Case, options: ReportOptions, generated_at: datetime) -> ReportData:
    """Read everything one report needs."""
    s = case.settings()
    info = CaseInfo(
        case_uuid=s.case_uuid, case_name=s.case_name, owner_name=s.owner_name,
        initials=s.initials, timezone=s.timezone,
        address=s.address if options.include_address else "",
        contact=s.contact if options.include_address else "",
    )
    check_selection(case, options)
    personal = personal_details(case) if not options.include_address else PersonalDetails()
    elsewhere: dict[str, set[str]] = {}
    if personal:
        elsewhere = {"the case name": personal.scan(info.case_name),
                     "the report title": personal.scan(options.title)}
        if options.withhold_typed:
            info = replace(info, case_name=personal.withheld(info.case_name))
            options = replace(options, title=personal.withheld(options.title))
    # The log this report is built on: reports made earlier leave an event each, which
    # changes nothing in it, so the same log gives the same report, byte for byte.
    data = ReportData(case=info, options=options, generated_at=generated_at,
                      head=case.head(skip=(REPORT,)).text)
    found: dict[int, set[str]] = {}
    data.incidents = list(load_incidents(case, options, found=found))
    if not data.incidents and options.filtered:
        live = count_incidents(case)
        if live:
            raise UserError(f"No incident matches what was chosen for this report (of the "
                            f"{live} in the case). Nothing was written; choose fewer limits "
                            "(dates, categories, tags or incidents).")
    data.impacts = impacts_for_report(case, [i.id for i in data.incidents])
    _load_messages(case, data, personal, found)
    if personal:
        # Effects on the whole case are printed in the summary, outside any incident.
        whole_case = [i for i in data.impacts if i.incident_id is None]
        elsewhere["the impact on the whole case"] = personal.scan(whole_case)
        if options.withhold_typed:
            data.impacts = personal.withhold(data.impacts)
    if options.include_audit:
        data.private_notes = _private_note_ids(case)
        data.audit = load_audit(case, data, found)
        from evidence_app.core.evidence_check import last_check

        data.last_check = last_check(case)
    data.personal = Found.of({data.number_of(i): kinds for i, kinds in found.items()},
                             elsewhere, withheld=options.withhold_typed and bool(personal))
    return data
