"""The inbox: imported files not yet in an incident, and turning them into incidents.

Grouping by time is a proposal only (nothing is written); the person reviews it, then
`create_incidents_from_groups` creates every accepted incident and links its files in
one transaction, so a failure part-way leaves nothing half made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from evidence_app.core.attachments import link_attachments
from evidence_app.core.dates import When
from evidence_app.core.errors import ValidationError
from evidence_app.core.incidents import insert_incident
from evidence_app.core.store.case import Case
from evidence_app.core.views import AttachmentView
from evidence_app.core.vocab import CaptureSource, Precision

DEFAULT_GAP = timedelta(minutes=30)

_KIND_WORDS = {"screenshot": ("screenshot", "screenshots"), "photo": ("photo", "photos"),
               "image": ("picture", "pictures"), "video": ("video", "videos"),
               "audio": ("sound recording", "sound recordings"), "file": ("file", "files")}


@dataclass
class ProposedGroup:
    """Files captured close together in time, suggested as one incident."""

    attachments: list[AttachmentView]
    title: str
    when: When
    accepted: bool = True
    # Every file's time is only when it was copied or saved on a computer (its file
    # time): the group may be dated by the copying, not by what it shows.
    file_times_only: bool = False

    @property
    def ids(self) -> list[int]:
        return [a.id for a in self.attachments]

    @property
    def start(self) -> datetime | None:
        return self.attachments[0].captured_at if self.attachments else None

    @property
    def end(self) -> datetime | None:
        return self.attachments[-1].captured_at if self.attachments else None


@dataclass
class Grouping:
    """A whole proposal: the groups, and the files left out because they have no time."""

    groups: list[ProposedGroup] = field(default_factory=list)
    undated: list[AttachmentView] = field(default_factory=list)


def _precision_of(att: AttachmentView) -> Precision:
    """How exactly a file's capture time dates what it shows."""
    if att.captured_at is None:
        return Precision.UNDATED
    if att.captured_from in (CaptureSource.EXIF, CaptureSource.MEDIA):
        return Precision.EXACT
    if att.captured_from == CaptureSource.FILENAME:
        # A name such as IMG-20240312-WA0001 gives the day but no time of day.
        return Precision.EXACT if att.capture_has_time else Precision.DAY
    # Modification and paste times say roughly when, not exactly when it happened.
    return Precision.CIRCA


_EXACTNESS = [Precision.DAY, Precision.CIRCA, Precision.EXACT]  # least exact first


def when_from_attachments(attachments: Sequence[AttachmentView], tz: str) -> When:
    """When an incident made of these files happened: from the first capture time to
    the last, with a precision honest about where the times came from (undated if none
    has a time). Files all from one minute give that moment; a day-only time (a name such
    as IMG-20240312-WA0001) gives whole days."""
    dated = sorted((a for a in attachments if a.captured_at is not None),
                   key=lambda a: (a.captured_at, a.exhibit_serial))
    if not dated:
        return When(None, None, Precision.UNDATED, tz)
    first, last = dated[0].captured_at, dated[-1].captured_at
    assert first is not None and last is not None
    precision = min((_precision_of(a) for a in dated), key=_EXACTNESS.index)
    zone = ZoneInfo(tz)
    if precision is Precision.DAY:
        start = first.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
        if last.astimezone(zone).date() == start.date():
            return When(start, None, precision, tz)
        end = last.astimezone(zone).replace(hour=23, minute=59, second=0, microsecond=0)
        return When(start, end.astimezone(first.tzinfo), Precision.BETWEEN, tz)
    if last - first < timedelta(minutes=1) and first.minute == last.minute:
        return When(first, None, precision, tz)
    return When(first, last, Precision.BETWEEN, tz)


def describe_files(attachments: Sequence[AttachmentView]) -> str:
    """'3 screenshots and 1 photo' style wording for a set of files."""
    counts: dict[str, int] = {}
    for att in attachments:
        kind = att.kind if att.kind in _KIND_WORDS else "file"
        counts[kind] = counts.get(kind, 0) + 1
    parts = []
    for kind in ("screenshot", "photo", "image", "video", "audio", "file"):
        n = counts.get(kind, 0)
        if n:
            one, many = _KIND_WORDS[kind]
            parts.append(f"{n} {one if n == 1 else many}")
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else "no files"


def suggested_title(attachments: Sequence[AttachmentView]) -> str:
    """A plain starting title the person is expected to rewrite: what the files are.
    The date is the incident's own, shown beside its title wherever it is listed."""
    what = describe_files(attachments)
    return what[0].upper() + what[1:]


def group_by_time(attachments: Sequence[AttachmentView], tz: str,
                  gap: timedelta = DEFAULT_GAP) -> Grouping:
    """Propose incidents: files whose capture times are within `gap` of the previous
    one belong together. Files without a capture time are left out for the person.

    Files dated only by their file time (when they were copied or saved, not taken) are
    grouped apart, after the others, and proposed unticked: copying a phone's month of
    screenshots today gives them all today's date.
    """
    if gap <= timedelta(0):
        raise ValidationError("The gap between groups must be more than zero minutes.")
    grouping = Grouping(undated=[a for a in attachments if a.captured_at is None])
    own = [a for a in attachments if a.captured_at is not None
           and a.captured_from != CaptureSource.MTIME]
    copied = [a for a in attachments if a.captured_at is not None
              and a.captured_from == CaptureSource.MTIME]
    for files, file_times in ((own, False), (copied, True)):
        for run in _runs(files, gap):
            grouping.groups.append(ProposedGroup(
                run, suggested_title(run), when_from_attachments(run, tz),
                accepted=not file_times, file_times_only=file_times))
    return grouping


def _runs(files: list[AttachmentView], gap: timedelta) -> list[list[AttachmentView]]:
    runs: list[list[AttachmentView]] = []
    for att in sorted(files, key=lambda a: (a.captured_at, a.exhibit_serial)):
        assert att.captured_at is not None
        previous = runs[-1][-1].captured_at if runs else None
        if previous is not None and att.captured_at - previous <= gap:
            runs[-1].append(att)
        else:
            runs.append([att])
    return runs


def _files(case: Case, attachment_ids: Sequence[int]) -> list[AttachmentView]:
    from evidence_app.core.attachments import get_attachment

    return [get_attachment(case, i) for i in attachment_ids]


def create_incident_from_attachments(case: Case, attachment_ids: Sequence[int],
                                     title: str = "", category: str = "other") -> int:
    """New incident dated from the files' earliest capture time, with the files linked
    to it, in one transaction. Returns the incident's id."""
    return create_incidents_from_groups(case, [(title, list(attachment_ids))], category)[0]


def create_incidents_from_groups(case: Case, groups: Sequence[tuple[str, Sequence[int]]],
                                 category: str = "other") -> list[int]:
    """Create one incident per (title, attachment ids), all in one transaction.

    An empty title is replaced by a suggested one. Returns the new incidents' ids.
    """
    wanted = [(title.strip(), list(ids)) for title, ids in groups]
    if not wanted or any(not ids for _title, ids in wanted):
        raise ValidationError("Choose at least one file for each new incident.")
    every = [i for _title, ids in wanted for i in ids]
    if len(every) != len(set(every)):
        raise ValidationError("A file cannot go into two new incidents at once.")
    tz = case.settings().timezone
    plans = []
    for title, ids in wanted:
        files = _files(case, ids)
        plans.append((title or suggested_title(files), when_from_attachments(files, tz), ids))
    created = []
    with case.write() as (session, audit):
        for title, when, ids in plans:
            incident_id = insert_incident(session, audit, when=when, title=title,
                                          category=category)
            link_attachments(session, audit, ids, incident_id)
            created.append(incident_id)
    return created
