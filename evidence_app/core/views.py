"""Plain, detached snapshots of stored rows, handed to the GUI, CLI and report.

Nothing here holds a database session, so any thread may keep and read them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any

from evidence_app.core.capture_time import capture_has_time, capture_text
from evidence_app.core.dates import format_when
from evidence_app.core.vocab import category_label

# How an imported PDF whose pages were counted is described ("a PDF document, 3 pages").
PDF_COUNTED = "a PDF document, "


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


class _View:
    @classmethod
    def from_row(cls, row: Any, **extra: Any) -> Any:
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        values = {n: getattr(row, n) for n in names if n not in extra and hasattr(row, n)}
        return cls(**values, **extra)

    def to_json(self) -> dict[str, Any]:
        return {k: _jsonable(v) for k, v in asdict(self).items()}  # type: ignore[call-overload]


@dataclass
class NoteView(_View):
    id: int
    incident_id: int
    text: str
    private: bool
    created_at: datetime
    updated_at: datetime


@dataclass
class AttachmentView(_View):
    id: int
    incident_id: int | None
    sha256: str
    exhibit_mark: str
    exhibit_serial: int
    original_name: str
    size: int
    media_type: str
    kind: str
    width: int | None
    height: int | None
    orientation: int | None
    captured_at: datetime | None
    captured_offset: str
    captured_from: str
    captured_note: str
    camera_make: str
    camera_model: str
    gps_lat: float | None
    gps_lon: float | None
    gps_alt: float | None
    caption: str
    preview: bool
    preview_error: str
    imported_at: datetime
    ocr_status: str
    ocr_text: str
    deleted_at: datetime | None
    ocr_corrected: bool = False

    @property
    def has_gps(self) -> bool:
        return self.gps_lat is not None and self.gps_lon is not None

    @property
    def has_thumbnail(self) -> bool:
        """True for a picture with a preview, and for a PDF whose pages were counted
        (its tile shows its first page)."""
        return self.preview or (self.media_type == "application/pdf"
                                and self.preview_error.startswith(PDF_COUNTED))

    @property
    def capture_has_time(self) -> bool:
        """False when the capture time is only a date (from a file name without a time)."""
        return capture_has_time(self.captured_from, self.original_name)

    def capture_text(self, tz: str, **style: Any) -> str:
        """The capture time as the app shows it everywhere (see core.capture_time)."""
        return capture_text(self.captured_at, self.captured_from, self.original_name, tz, **style)

    @property
    def camera(self) -> str:
        make, model = self.camera_make.strip(), self.camera_model.strip()
        if make and model.lower().startswith(make.lower()):
            return model
        return " ".join(p for p in (make, model) if p)


@dataclass
class PersonView(_View):
    id: int
    name: str
    role: str
    description: str
    contact: str
    incident_count: int = 0
    deleted_at: datetime | None = None
    relation: str = ""  # to the person keeping the log, e.g. "former partner"


@dataclass
class ImpactView(_View):
    """One effect on the person: on an incident, or (incident_id None) the whole case."""

    id: int
    incident_id: int | None
    kind: str
    since: date | None
    details: str
    amount_pence: int | None
    created_at: datetime
    updated_at: datetime


@dataclass
class VehicleView(_View):
    id: int
    make: str
    model: str
    colour: str
    plate: str
    description: str
    incident_count: int = 0
    deleted_at: datetime | None = None

    @property
    def label(self) -> str:
        what = " ".join(p for p in (self.colour, self.make, self.model) if p)
        if self.plate and what:
            return f"{what} ({self.plate})"
        return self.plate or what or f"Vehicle {self.id}"


@dataclass
class IncidentSummary(_View):
    """One timeline row."""

    id: int
    occurred_at: datetime | None
    occurred_end: datetime | None
    precision: str
    timezone: str
    title: str
    location: str
    category: str
    exhibit_count: int = 0
    deleted_at: datetime | None = None

    @property
    def when_text(self) -> str:
        return format_when(self.occurred_at, self.occurred_end, self.precision, self.timezone)

    @property
    def category_text(self) -> str:
        return category_label(self.category)


@dataclass
class Amendment:
    """A later edit of a recorded incident, as the report shows it."""

    at: datetime
    fields: list[str]
    changes: dict[str, Any]
    event_id: int = 0  # the audit event that recorded it


@dataclass(frozen=True)
class DiarySource:
    """Where an incident imported from a diary came from, as its audit event records it."""

    imported_at: datetime
    row: int | None  # the spreadsheet row the person sees (header = row 1); None if unknown
    line: int | None  # the line of the file (older imports recorded only this)
    exhibit: str = ""  # the mark of the exhibit holding the diary file ("" for older imports)

    def sentence(self, day: str) -> str:
        """"From a diary kept at the time (exhibit JS/45, row 12), imported on `day`."
        (plain text; the report and the editor each write the day their own way)."""
        place = (f"row {self.row}" if self.row else
                 f"line {self.line} of the file" if self.line else "")
        where = ", ".join(p for p in (f"exhibit {self.exhibit}" if self.exhibit else "", place)
                          if p)
        return (f"From a diary kept at the time{f' ({where})' if where else ''}, "
                f"imported on {day}.")


@dataclass
class IncidentDetail(_View):
    """Every field of one incident, with its notes, exhibits, people, vehicles and tags."""

    id: int
    occurred_at: datetime | None
    occurred_end: datetime | None
    precision: str
    timezone: str
    title: str
    description: str
    location: str
    category: str
    suspect_appearance: str
    suspect_voice: str
    suspect_clothing: str
    witnesses: str
    impact: str
    police_reference: str
    police_officer: str
    reported_on: date | None
    recorded_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    notes: list[NoteView] = field(default_factory=list)
    attachments: list[AttachmentView] = field(default_factory=list)
    people: list[PersonView] = field(default_factory=list)
    vehicles: list[VehicleView] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    impacts: list[ImpactView] = field(default_factory=list)
    # The last save of the sitting in which it was first written, when there were more
    # saves than the first: "Recorded on 9 Nov 2026, 20:00-20:03".
    recorded_until: datetime | None = None
    diary: DiarySource | None = None  # when it was imported from a diary

    @property
    def when_text(self) -> str:
        return format_when(self.occurred_at, self.occurred_end, self.precision, self.timezone)

    @property
    def category_text(self) -> str:
        return category_label(self.category)
