"""Bring in a diary kept in a spreadsheet (CSV): read, preview, then import in one go.

Columns are matched by header name, case-insensitively, with common alternatives:

    date, time, end, precision, title, description, location, category,
    suspect appearance, suspect voice, suspect clothing, witnesses, impact,
    police reference, officer, date reported, tags, notes

Only `date` and one of `title`/`description` matter; everything else is optional. An
empty date means undated. Rows that cannot be read are reported with their line number.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from evidence_app.core.dates import clock_change, parse_date_text, parse_when
from evidence_app.core.errors import UserError, ValidationError
from evidence_app.core.importers.diary_exhibit import (
    SOURCE,
    Event,
    StoredDiary,
    record_exhibit,
    store_original,
)
from evidence_app.core.importers.files import discard_uncommitted
from evidence_app.core.progress import CancelToken
from evidence_app.core.store.audit import next_free_id
from evidence_app.core.store.bulk import bulk_insert
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import AuditEvent, Incident, Note, Tag, incident_tags
from evidence_app.core.vocab import Category, Precision, parse_category

COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "date of incident", "incident date", "when", "date occurred",
             "date it happened", "date of event", "event date", "date and time", "datetime"),
    "time": ("time", "time of incident", "approx time", "approximate time", "time it happened",
             "roughly what time", "at"),
    "end": ("end", "end date", "until", "to", "end time"),
    "precision": ("precision", "date precision", "accuracy"),
    "title": ("title", "summary", "what happened", "incident", "subject", "headline"),
    "description": ("description", "details", "detail", "account", "narrative", "what happened in full"),
    "location": ("location", "where", "place", "venue", "address of incident", "where it happened",
                 "where was i", "location of incident"),
    "category": ("category", "type", "behaviour", "kind", "incident type"),
    "suspect_appearance": ("suspect appearance", "appearance", "suspect description", "description of suspect", "how he looked", "how they looked"),
    "suspect_voice": ("suspect voice", "voice", "how they sounded"),
    "suspect_clothing": ("suspect clothing", "clothing", "clothes", "what they wore", "wearing"),
    "witnesses": ("witnesses", "witness", "who saw it", "witnessed by", "anyone else there",
                  "who else was there"),
    "impact": ("impact", "effect", "effects", "effect on me", "how it affected me", "impact on me",
               "feelings", "feeling", "how it made me feel", "how i felt", "how i feel",
               "how i was feeling", "how did it make me feel", "how it made you feel",
               "emotional impact", "impact on my life", "effect on my life", "how it left me",
               "mood", "emotions"),
    "police_reference": ("police reference", "crime reference", "crime ref", "police ref", "reference", "crime number", "ref"),
    "police_officer": ("police officer", "officer", "officer in charge", "oic"),
    "reported_on": ("date reported", "reported on", "reported", "reported to police"),
    "tags": ("tags", "tag", "labels"),
    "notes": ("notes", "note", "comments", "comment"),
}
_HEADER_JUNK = re.compile(r"[^a-z0-9]")
_LOOKUP = {_HEADER_JUNK.sub("", alias): key for key, aliases in COLUMNS.items()
           for alias in (key, *aliases)}
_TAG_SPLIT = re.compile(r"[;,]")
TEXT = ("title", "description", "location", "suspect_appearance", "suspect_voice",
        "suspect_clothing", "witnesses", "impact", "police_reference", "police_officer")


@dataclass
class DiaryRow:
    """One data row: its line in the file, what it will become, or why it cannot."""

    line: int
    values: dict[str, Any] | None = None
    tags: list[str] = field(default_factory=list)
    note: str = ""
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)
    existing: int | None = None  # an incident already in the case with the same entry
    # The spreadsheet row the person sees (the header is row 1, or lower under a title
    # line): one row per record, so a cell holding several lines is still one row,
    # whereas `line` counts the lines of the file.
    row: int = 0


# What a column can be assigned to, in the order offered, with the words the person sees.
FIELD_CHOICES: dict[str, str] = {
    "date": "Date", "time": "Time", "end": "End (of a period)", "precision": "Date precision",
    "title": "Title", "description": "What happened", "location": "Where",
    "category": "Type of incident", "impact": "How it affected me",
    "suspect_appearance": "Suspect's appearance", "suspect_voice": "Suspect's voice",
    "suspect_clothing": "Suspect's clothing", "witnesses": "Witnesses",
    "police_reference": "Police reference", "police_officer": "Police officer",
    "reported_on": "Date reported", "tags": "Tags", "notes": "A note on the incident",
}


@dataclass
class DiaryPreview:
    columns: dict[str, str]  # header in file -> field
    ignored: list[str]
    rows: list[DiaryRow]
    headers: list[str] = field(default_factory=list)  # every column's name, in file order
    first_values: list[str] = field(default_factory=list)  # the first row, to recognise them
    # The file's exact bytes as read, kept as an exhibit when rows are imported (a
    # preview made by hand has none), and its name.
    data: bytes = field(default=b"", repr=False)
    path: Path | None = None
    modified: datetime | None = None  # when the file was last saved, as its folder says

    @property
    def header_key(self) -> str:
        """The same for every file with these column names (to remember a mapping by)."""
        return "\x1f".join(_HEADER_JUNK.sub("", h.lower()) for h in self.headers)

    def assignment(self) -> dict[str, str]:
        """Each column name in the file -> the field it goes to ('' for not used)."""
        used = {label: key for label, key in self.columns.items()}
        return {label: used.get(label, "") for label in _labels(self.headers)}

    @property
    def valid(self) -> list[DiaryRow]:
        return [r for r in self.rows if not r.error]

    @property
    def invalid(self) -> list[DiaryRow]:
        return [r for r in self.rows if r.error]

    @property
    def already(self) -> list[DiaryRow]:
        """Readable rows already in the case (imported from this diary before)."""
        return [r for r in self.rows if not r.error and r.existing is not None]


def _entry_key(when: datetime | None, end: datetime | None, precision: str, title: str,
               description: str) -> tuple[Any, ...]:
    def moment(value: datetime | None) -> str:
        return value.astimezone(UTC).replace(microsecond=0).isoformat() if value else ""

    def words(text: str) -> str:
        return " ".join((text or "").casefold().split())

    return moment(when), moment(end), precision, words(title), words(description)


def _mark_existing(session: Any, rows: list[DiaryRow]) -> None:
    known: dict[tuple[Any, ...], int] = {}
    for row in session.execute(select(
            Incident.id, Incident.occurred_at, Incident.occurred_end, Incident.precision,
            Incident.title, Incident.description).where(Incident.deleted_at.is_(None))):
        known.setdefault(_entry_key(*row[1:]), row[0])
    for r in rows:
        if r.values is not None:
            v = r.values
            r.existing = known.get(_entry_key(v["occurred_at"], v["occurred_end"], v["precision"],
                                              v["title"], v["description"]))


def mark_existing(case: Case, preview: DiaryPreview) -> DiaryPreview:
    """Note which rows are already in the case: an incident (not in the trash) with the
    same date, precision, title and description, as when a diary is imported again after
    more rows were added to it. Returns the preview."""
    with case.read() as session:
        _mark_existing(session, preview.rows)
    return preview


def _decode(data: bytes) -> tuple[str, list[tuple[int, str]]]:
    """Text from the bytes Excel, LibreOffice or Numbers write: UTF-8 (with or without a
    BOM), UTF-16 ("Unicode text"), or Windows-1252 (Excel's "CSV" on a UK PC).

    A UTF-8 file with a few bytes that are not UTF-8 (a line pasted in from an older
    program) stays UTF-8: only those bytes are read as Windows-1252, and each line
    repaired so is returned (line from 1, what its bytes were read as) to be warned about.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    mixed = data.decode("utf-8-sig", "surrogateescape")
    if not any(ord(ch) > 0x7F and not "\udc80" <= ch <= "\udcff" for ch in mixed):
        # Not one character of the file is UTF-8 beyond plain ASCII: a Windows file.
        try:
            return data.decode("cp1252"), []
        except UnicodeDecodeError:
            return data.decode("latin-1"), []
    repaired: list[tuple[int, str]] = []
    out: list[str] = []
    line = 1
    for part in re.split("([\udc80-\udcff]+)", mixed):
        if part and "\udc80" <= part[0] <= "\udcff":
            raw = part.encode("utf-8", "surrogateescape")
            text = "".join(bytes([b]).decode("cp1252", "strict") if b not in _CP1252_HOLES
                           else bytes([b]).decode("latin-1") for b in raw)
            repaired.append((line, text))
            out.append(text)
        else:
            out.append(part)
            line += part.count("\n")
    return "".join(out), repaired


# Bytes Windows-1252 leaves undefined (read as Latin-1 instead).
_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
# Cells longer than this are refused (with their row named) rather than read; the csv
# module's own limit (128 KiB) would stop at a long pasted account.
CELL_LIMIT = 16 * 1024 * 1024


def _delimiter(text: str) -> str:
    """The separator used on the first line: comma, semicolon (Excel in many European
    locales) or tab. Counted outside quotes, so commas inside a quoted header don't count."""
    first, in_quotes = [], False
    for ch in text[:4096]:
        if ch == '"':
            in_quotes = not in_quotes
        elif ch in "\r\n" and not in_quotes:
            break
        elif not in_quotes:
            first.append(ch)
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _reader(text: str) -> Any:
    if csv.field_size_limit() < CELL_LIMIT:
        csv.field_size_limit(CELL_LIMIT)
    return csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), quotechar='"',
                      doublequote=True, skipinitialspace=False, strict=False)


_PRECISIONS = {
    "exact": "exact", "exactly": "exact", "circa": "circa", "c": "circa", "approx": "circa",
    "approximate": "circa", "approximately": "circa", "about": "circa", "around": "circa",
    "day": "day", "date only": "day", "date": "day", "month": "month", "month only": "month",
    "between": "between", "range": "between", "undated": "undated", "unknown": "undated",
}


def _parse_row(line: int, raw: dict[str, str], tz: str) -> DiaryRow:
    nul = [k for k, v in raw.items() if "\x00" in v]
    if nul:
        raw = {k: v.replace("\x00", "") for k, v in raw.items()}
    row = DiaryRow(line=line, raw=raw)
    if nul:
        row.warnings.append("invisible NUL characters (left by a damaged save) were removed "
                            "from " + ", ".join(FIELD_CHOICES.get(k, k).lower() for k in nul))
    precision_text = " ".join((raw.get("precision") or "").lower().strip(" .").split())
    precision = _PRECISIONS.get(precision_text)
    if precision_text and precision is None:
        row.error = (f"precision {raw['precision'].strip()!r} is not one of: exact, circa, "
                     "day, month, between, undated")
        return row
    try:
        when = parse_when(raw.get("date", ""), tz, time_text=raw.get("time", ""),
                          precision=precision, end_text=raw.get("end", ""))
    except (ValidationError, ValueError) as exc:
        row.error = str(exc)
        return row
    if when.start is not None and when.precision in (Precision.EXACT, Precision.CIRCA):
        local = when.start.astimezone(ZoneInfo(tz))
        change = clock_change(local.date(), local.time().replace(second=0, microsecond=0), tz)
        if change is not None:
            row.warnings.append(change[1])  # the hour repeated when the clocks go back
    values: dict[str, Any] = {k: raw.get(k, "").strip() for k in TEXT}
    if len(values["title"]) > 150 and not values["description"]:
        # A whole account typed into the one "what happened" column.
        values["description"], values["title"] = values["title"], ""
    if not values["title"]:
        desc = " ".join(values["description"].split())
        if not desc:
            row.error = "no title or description"
            return row
        values["title"] = desc if len(desc) <= 80 else desc[:77].rsplit(" ", 1)[0] + "..."
    cat_text = raw.get("category", "").strip()
    category = Category.OTHER
    if cat_text:
        try:
            category = parse_category(cat_text)
        except ValueError:
            row.warnings.append(f"category {cat_text!r} not recognised; recorded as Other")
            if "category" not in values["description"].lower():
                values["description"] = (values["description"] + f"\n\n(Category in diary: {cat_text})").strip()
    reported: date | None = None
    if raw.get("reported_on", "").strip():
        try:
            reported, _prec, _rest = parse_date_text(raw["reported_on"])
        except ValidationError as exc:
            row.error = f"date reported: {exc}"
            return row
    values.update(category=category.value, occurred_at=when.start, occurred_end=when.end,
                  precision=when.precision.value, timezone=tz, reported_on=reported)
    row.values = values
    row.tags = list(dict.fromkeys(
        " ".join(t.split())[:100] for t in _TAG_SPLIT.split(raw.get("tags", "")) if t.strip()))
    row.note = raw.get("notes", "").strip()
    return row


# Columns whose text can be joined when a diary has two of them ("Notes" twice, or
# both "Details" and "Account"); the joiner goes between the non-empty values.
_JOIN = {**{key: "\n\n" for key in TEXT}, "title": " - ", "notes": "\n\n", "tags": "; "}


def _labels(row: list[str]) -> list[str]:
    """Column names as shown: a name written twice is listed as "Notes (2)"."""
    labels: list[str] = []
    for name in row:
        label, n = name.strip() or "(no name)", 2
        while label in labels:
            label, n = f"{name.strip() or '(no name)'} ({n})", n + 1
        labels.append(label)
    return labels


def _header(row: list[str], assign: dict[str, str] | None = None,
            ) -> tuple[dict[int, str], dict[str, str], list[str]]:
    """Which column goes to which field: by name, unless `assign` (column label ->
    field, '' for not used) says otherwise for a column."""
    mapping: dict[int, str] = {}
    columns: dict[str, str] = {}
    ignored: list[str] = []
    for i, (name, label) in enumerate(zip(row, _labels(row), strict=True)):
        if assign is not None and label in assign:
            key = assign[label] or None
            if key is not None and key not in FIELD_CHOICES:
                raise UserError(f"A column cannot go to {key!r}.")
        else:
            key = _LOOKUP.get(_HEADER_JUNK.sub("", name.lower()))
        if key and (key not in mapping.values() or key in _JOIN):
            mapping[i] = key
            columns[label] = key
        elif key:
            ignored.append(f"{name.strip()} (a second {FIELD_CHOICES[key].lower()} column)")
        elif name.strip():
            ignored.append(label)
    return mapping, columns, ignored


def _row_values(values: list[str], items: list[tuple[int, str]]) -> dict[str, str]:
    """The row's text per field; two columns for the same field are joined."""
    raw: dict[str, str] = {}
    for i, key in items:
        if i >= len(values):
            continue
        value = values[i]
        if key in raw and raw[key].strip() and value.strip():
            raw[key] = raw[key].strip() + _JOIN[key] + value.strip()
        elif not raw.get(key, "").strip():
            raw[key] = value
    return raw


def _stray_quote(text: str, delimiter: str, start: int = 0) -> int | None:
    """Where a quotation mark opens a field that swallows the rows after it, or None.

    Follows the csv module's lenient reading: a quote opens a quoted field only at the
    start of a field (elsewhere, as in 5'10" tall, it is an ordinary character). A quoted
    field that runs past the end of its line is stray when it never closes, or when what
    closes it is not followed by a separator or the end of a line: a diary row's text
    that opened with a quote and never closed it, so the next quote in the file (often
    rows later) would close it. `start` must be outside any quoted field.
    """
    i = start
    while (k := text.find('"', i)) != -1:
        if k and text[k - 1] not in (delimiter, "\n", "\r"):
            i = k + 1
            continue
        j = k + 1
        while (j := text.find('"', j)) != -1 and text.startswith('""', j):
            j += 2  # a doubled quote inside a quoted field
        if j == -1:
            return k
        spans_lines = "\n" in text[k:j] or "\r" in text[k:j]
        if spans_lines and j + 1 < len(text) and text[j + 1] not in (delimiter, "\n", "\r"):
            return k
        i = j + 1
    return None


def _close_stray_quotes(text: str, delimiter: str) -> tuple[str, list[int]]:
    """Close each stray quoted field at the end of its own line, so the rows after it are
    read as rows; returns the new text and the lines (from 1) that were changed."""
    lines: list[int] = []
    start = 0
    while (k := _stray_quote(text, delimiter, start)) is not None:
        start = k
        end = min((p for p in (text.find("\n", k), text.find("\r", k)) if p != -1),
                  default=len(text))
        text = text[:end] + '"' + text[end:]
        lines.append(text.count("\n", 0, k) + 1)
    return text, lines


def read_diary(path: Path, tz: str, assign: dict[str, str] | None = None) -> DiaryPreview:
    """Read and check every row without touching the case.

    The header is the first row naming a date column (a title line above it is allowed).
    Each row is reported with the line of the file it starts on. `assign` (column label ->
    field key of FIELD_CHOICES, or '' for not used) overrides what names would choose.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"Cannot read {path}: {exc.strerror}") from exc
    try:
        modified: datetime | None = datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
    except (OSError, ValueError, OverflowError):
        modified = None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(f"{path} is not a CSV file (it holds binary data). In your "
                        "spreadsheet, use File > Save As > CSV.")
    text, repaired = _decode(data)
    text, mended = _close_stray_quotes(text, _delimiter(text))
    reader = _reader(text)
    mapping: dict[int, str] = {}
    columns: dict[str, str] = {}
    ignored: list[str] = []
    headers: list[str] = []
    last_line = 0
    record = 0  # spreadsheet rows read so far
    try:
        for _ in range(10):
            first = next(reader)
            last_line, record = reader.line_num, record + 1
            mapping, columns, ignored = _header(first, assign)
            headers = first
            if "date" in mapping.values():
                break
    except StopIteration:
        if not last_line:
            raise UserError(f"{path} is empty.") from None
    except csv.Error as exc:
        raise UserError(f"{path} is not a readable CSV file: {exc}") from exc
    if "date" not in mapping.values():
        raise UserError(f"{path} has no 'date' column. The first row must name the columns "
                        "(date, time, title, description, location, category, ...).")
    if not {"title", "description"} & set(mapping.values()):
        raise UserError(f"{path} needs a 'title' or 'description' column.")
    rows: list[DiaryRow] = []
    first_values: list[str] = []
    items = list(mapping.items())
    while True:
        # The error handler is inside the loop: a row the csv module cannot read is
        # named, and every row after it is still read.
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line, last_line, record = last_line + 1, reader.line_num, record + 1
            problem = (f"a cell holds more than {CELL_LIMIT // 2**20} MB of text"
                       if "field larger than field limit" in str(exc) else str(exc))
            rows.append(DiaryRow(line=line, row=record,
                                 error=f"the file is malformed here: {problem}"))
            continue
        line, last_line, record = last_line + 1, reader.line_num, record + 1
        if not any(v.strip() for v in values):
            continue
        if not rows:
            first_values = values
        parsed = _parse_row(line, _row_values(values, items), tz)
        parsed.row = record
        rows.append(parsed)
    for fixed in mended:
        row = next((r for r in reversed(rows) if r.line <= fixed), None)
        if row is not None:
            row.warnings.append(f"a quotation mark on line {fixed} is never closed; it was "
                                "taken to end with that line, so check this row's columns")
    for fixed, shown in repaired:
        row = next((r for r in reversed(rows) if r.line <= fixed), None)
        if row is not None:
            row.warnings.append(
                f"line {fixed} held a character that is not UTF-8, like the rest of the "
                f"file; it was read as Windows-1252 {shown!r}, so check that word")
    return DiaryPreview(columns, ignored, rows, headers, first_values, data, Path(path),
                        modified)


@dataclass
class DiaryImportResult:
    imported: int
    skipped: list[DiaryRow]
    incident_ids: list[int]
    already: list[DiaryRow] = field(default_factory=list)
    exhibit: str = ""  # the mark of the exhibit holding the diary file ("" when none)

    def to_json(self) -> dict[str, Any]:
        return {"imported": self.imported, "exhibit": self.exhibit or None, "first_id": self.incident_ids[0] if self.incident_ids else None,
                "last_id": self.incident_ids[-1] if self.incident_ids else None,
                "skipped": [{"line": r.line, "reason": r.error} for r in self.skipped],
                "already_in_case": [{"line": r.line, "incident_id": r.existing}
                                    for r in self.already]}


class DiaryRowsInvalid(UserError):
    """Some rows cannot be read and the caller did not ask to skip them."""

    def __init__(self, rows: list[DiaryRow]) -> None:
        self.rows = rows
        first = "; ".join(f"line {r.line}: {r.error}" for r in rows[:5])
        more = f" (and {len(rows) - 5} more)" if len(rows) > 5 else ""
        super().__init__(f"{len(rows)} row(s) cannot be read, so nothing was imported: "
                         f"{first}{more}. Fix them, or import the readable rows only.")


def import_diary(case: Case, preview: DiaryPreview, skip_invalid: bool = False,
                 cancel: CancelToken | None = None,
                 allow_duplicates: bool = False) -> DiaryImportResult:
    """Import the readable rows of a preview as incidents, in one transaction.

    Rows already in the case (see `mark_existing`) are left out and listed in the result,
    unless `allow_duplicates`; importing the same diary twice adds nothing the second time.
    """
    bad = preview.invalid
    if bad and not skip_invalid:
        raise DiaryRowsInvalid(bad)
    now = case.now()
    # The file's bytes go among the originals first; its exhibit row joins the incidents'
    # transaction, and bytes stored here but never committed are removed again.
    stored = (store_original(case, preview.data, preview.path, preview.modified)
              if preview.data else None)
    committed = False
    try:
        result = _import_rows(case, preview, skip_invalid, cancel, allow_duplicates, now,
                              stored)
        committed = True
    finally:
        if stored is not None and stored.created and not (committed and result.imported):
            discard_uncommitted(case, [stored.sha256])
    return result


def _import_rows(case: Case, preview: DiaryPreview, skip_invalid: bool,
                 cancel: CancelToken | None, allow_duplicates: bool, now: datetime,
                 stored: StoredDiary | None) -> DiaryImportResult:
    bad = preview.invalid
    with case.write() as (session, audit):
        if not allow_duplicates:
            _mark_existing(session, preview.valid)  # in the transaction: what is there now
        already = [] if allow_duplicates else preview.already
        good = [r for r in preview.valid if allow_duplicates or r.existing is None]
        if not good:
            return DiaryImportResult(0, bad, [], already)
        start = next_free_id(session, Incident, "incident")
        next_note = next_free_id(session, Note, "note")
        incidents, notes, links, events = [], [], [], []
        tag_ids: dict[str, int] = {t.name: t.id for t in session.scalars(select(Tag))}
        for offset, row in enumerate(good):
            assert row.values is not None
            incident_id = start + offset
            incidents.append({"id": incident_id, "recorded_at": now, "updated_at": now, **row.values})
            if row.note:
                notes.append({"id": next_note, "incident_id": incident_id, "text": row.note,
                              "private": False, "created_at": now, "updated_at": now})
                next_note += 1
            for name in dict.fromkeys(row.tags):
                if name not in tag_ids:
                    tag = Tag(name=name)
                    session.add(tag)
                    session.flush()
                    tag_ids[name] = tag.id
                links.append({"incident_id": incident_id, "tag_id": tag_ids[name]})
            if cancel is not None and offset % 1000 == 0 and cancel.cancelled:
                raise UserError("The diary import was cancelled; nothing was imported.")
        conn = session.connection()
        bulk_insert(conn, Incident.__table__, incidents)
        mark = ""
        exhibit_events: list[Event] = []
        if stored is not None:
            mark, exhibit_events = record_exhibit(session, audit, stored, start)
        for offset, row in enumerate(good):
            assert row.values is not None
            # Where the incident came from, read by the report and the editor: the row the
            # person sees in their spreadsheet, and the exhibit holding the file.
            events.append(("create", "incident", start + offset,
                           {"source": SOURCE, "line": row.line,
                            **({"row": row.row} if row.row else {}),
                            **({"diary_exhibit": mark} if mark else {}),
                            **{k: v for k, v in row.values.items() if v},
                            **({"note": row.note} if row.note else {}),
                            **({"tags": row.tags} if row.tags else {})}))
        bulk_insert(conn, Note.__table__, notes)
        bulk_insert(conn, incident_tags, links)
        bulk_insert(conn, AuditEvent.__table__, audit.rows(events + exhibit_events))
    ids = [start + i for i in range(len(good))]
    return DiaryImportResult(len(good), bad, ids, already, mark)
