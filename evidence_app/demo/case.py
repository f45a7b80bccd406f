"""A realistic sample case, for `evidence-app --demo`, documentation and trying things out.

`create_demo_case(folder)` writes five months of an escalating story (demo/story.py)
through the same service functions a person's actions use: incidents with every date
precision and every behaviour category, a suspect, witnesses, an officer and a crime
reference, the car and its plate, tags, notes (some private), later amendments, phone
photos with EXIF (some with GPS), message screenshots, a voicemail, a few files left in
the inbox and one in the trash. Each record carries the time it would have been written
in the story (through the case's clock, a `SetClock`), so the audit trail and the report
read naturally; once the story is written, the clock follows real time again.
"""

from __future__ import annotations

import math
import os
import struct
import tempfile
import wave
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PIL import ImageFilter

from evidence_app.core.attachments import delete_attachments, set_caption
from evidence_app.core.cases import Case, create_case
from evidence_app.core.dates import When
from evidence_app.core.impacts import set_impact
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import add_note, create_incident, update_incident
from evidence_app.core.people import create_person, create_vehicle, link_person, link_vehicle
from evidence_app.core.store.clock import SetClock
from evidence_app.core.vocab import Precision
from evidence_app.demo import media, story

TZ = "Europe/London"
LONDON = ZoneInfo(TZ)
SPAN_DAYS = 150
ENDS_DAYS_AGO = 7
APPS = {"messages": "Messages", "whatsapp": "WhatsApp", "instagram": "Instagram",
        "calls": "Phone", "email": "Gmail"}


def create_demo_case(folder: Path, today: date | None = None,
                     passphrase: str | None = None) -> Case:
    """Make the sample case in `folder` (which must not hold a case) and return it open.

    The story ends a week before `today` (default: today), so it always looks current.
    With `passphrase`, the sample case is encrypted (its recovery key is in the returned
    case's `recovery_key`).
    """
    today = today or datetime.now(LONDON).date()
    start = today - timedelta(days=SPAN_DAYS + ENDS_DAYS_AGO)
    clock = SetClock(_local(start, "09:00") - timedelta(days=1))
    case = create_case(Path(folder), owner_name=story.OWNER, initials=story.INITIALS,
                       case_name=story.CASE_NAME, timezone=TZ, address=story.ADDRESS,
                       contact=story.CONTACT, clock=clock, passphrase=passphrase)
    try:
        with tempfile.TemporaryDirectory(prefix="sample-phone-") as tmp:
            _Builder(case, clock, Path(tmp), start).run()
    except BaseException:
        case.close()
        raise
    finally:
        clock.set(None)  # what the person does in the sample case carries the real time
    return case


def _local(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm or "21:00"), tzinfo=LONDON)


class _Builder:
    def __init__(self, case: Case, clock: SetClock, files: Path, start: date) -> None:
        self.case = case
        self.clock = clock
        self.files = files
        self.start = start
        self.actions: list[tuple[datetime, int, Callable[[], Any]]] = []
        self.people: dict[str, int] = {}
        self.vehicle = 0
        self.seed = 0
        self._last = 0  # the attachment imported most recently
        report_day = start + timedelta(days=story.FIRST_REPORT_DAY)
        self.crime_ref = f"13/48213/{report_day:%y}"

    def at(self, moment: datetime, action: Callable[[], Any]) -> None:
        self.actions.append((moment, len(self.actions), action))

    def run(self) -> None:
        first = _local(self.start, "09:30")
        for key, person in story.PEOPLE.items():
            when = first if key != "officer" else _local(
                self.start + timedelta(days=story.FIRST_REPORT_DAY), "14:30")
            self.at(when, partial(self._person, key, person))
        self.at(first, self._vehicle)
        for entry in story.STORY:
            self._plan(entry)
        for day, kind, words, pence in story.CASE_IMPACTS:
            since = self.start + timedelta(days=day)
            self.at(_local(since, "21:30"), partial(set_impact, self.case, None, kind,
                                                    since=since, details=words,
                                                    amount_pence=pence))
        self._plan_inbox()
        for moment, _order, action in sorted(self.actions, key=lambda a: (a[0], a[1])):
            self.clock.set(moment)
            action()

    # -- people and the car ------------------------------------------------------------
    def _person(self, key: str, person: dict[str, str]) -> None:
        self.people[key] = create_person(self.case, **person)

    def _vehicle(self) -> None:
        self.vehicle = create_vehicle(self.case, **story.VEHICLE)

    # -- incidents -------------------------------------------------------------------
    def _when(self, entry: story.Entry) -> tuple[When, datetime]:
        """When it happened, and the moment files are counted from."""
        day = self.start + timedelta(days=entry.day)
        precision = Precision(entry.precision)
        if precision is Precision.UNDATED:
            return When(None, None, precision, TZ), _local(day, entry.time)
        if precision is Precision.MONTH:
            first = day.replace(day=1)
            return When(_local(first, "00:00").astimezone(UTC), None, precision, TZ), \
                _local(day, "21:00")
        if precision is Precision.DAY:
            return When(_local(day, "00:00").astimezone(UTC), None, precision, TZ), \
                _local(day, "07:00")
        begin = _local(day, entry.time)
        end = None
        if precision is Precision.BETWEEN:
            end = _local(day, entry.end)
            if end <= begin:
                end = _local(day + timedelta(days=1), entry.end)
        return When(begin.astimezone(UTC), end and end.astimezone(UTC), precision, TZ), begin

    def _plan(self, entry: story.Entry) -> None:
        when, base = self._when(entry)
        last_file = max((f.after for f in entry.files), default=0)
        written = base + timedelta(minutes=last_file + 15, hours=entry.recorded_after_h)
        if when.end is not None:
            written = max(written, when.end.astimezone(LONDON) + timedelta(minutes=30))
        holder: dict[str, int] = {}
        fields = self._fields(entry, written)
        self.at(written, lambda: holder.update(id=self._incident(entry, when, fields)))
        for kind, words, pence in entry.impacts:
            self.at(written + timedelta(minutes=1),
                    partial(self._impact, holder, kind, self.start + timedelta(days=entry.day),
                            words, pence))
        for i, file in enumerate(entry.files):
            path = self._make(file, base + timedelta(minutes=file.after))
            self.at(written + timedelta(minutes=2 + i),
                    partial(self._import_into, path, holder, file.caption))
        if entry.day == story.TRASHED_ON_DAY:
            blurry = self._make(story.File("photo:car"), base + timedelta(minutes=13),
                                blur=True)
            self.at(written + timedelta(minutes=9),
                    partial(self._import_into, blurry, holder, "Too blurry"))
            self.at(written + timedelta(minutes=10), self._trash_last)
        for i, (text, private) in enumerate(entry.notes):
            self.at(written + timedelta(hours=3 + i * 20),
                    partial(self._note, holder, text, private))
        changes: dict[str, Any] = dict(entry.amend)
        if entry.reported and entry.day < story.FIRST_REPORT_DAY:
            changes.update(police_reference=self.crime_ref,
                           police_officer=story.PEOPLE["officer"]["name"])
            report_day = self.start + timedelta(days=story.FIRST_REPORT_DAY)
            changes["reported_on"] = report_day
            self.at(_local(report_day, "15:00"), partial(self._amend, holder, changes))
        elif changes:
            self.at(written + timedelta(days=2, hours=1), partial(self._amend, holder, changes))

    def _fields(self, entry: story.Entry, written: datetime) -> dict[str, Any]:
        fields: dict[str, Any] = dict(
            title=entry.title, location=entry.location, description=entry.description,
            category=entry.category, impact=entry.impact, witnesses=entry.witnesses,
            suspect_appearance=entry.appearance, suspect_voice=entry.voice,
            suspect_clothing=entry.clothing)
        if entry.reported and entry.day >= story.FIRST_REPORT_DAY:
            fields.update(police_reference=self.crime_ref, reported_on=written.date(),
                          police_officer=story.PEOPLE["officer"]["name"])
        return fields

    def _incident(self, entry: story.Entry, when: When, fields: dict[str, Any]) -> int:
        incident = create_incident(self.case, when=when, tags=entry.tags, **fields)
        for key in entry.people:
            if key in self.people:
                link_person(self.case, incident, self.people[key])
        if entry.vehicle:
            link_vehicle(self.case, incident, self.vehicle)
        return incident

    def _import_into(self, path: Path, holder: dict[str, int], caption: str) -> None:
        self._import(path, holder["id"], caption)

    def _impact(self, holder: dict[str, int], kind: str, since: date, words: str,
                pence: int | None) -> None:
        set_impact(self.case, holder["id"], kind, since=since, details=words, amount_pence=pence)

    def _note(self, holder: dict[str, int], text: str, private: bool) -> None:
        add_note(self.case, holder["id"], text, private=private)

    def _amend(self, holder: dict[str, int], changes: dict[str, Any]) -> None:
        update_incident(self.case, holder["id"], **changes)

    def _import(self, path: Path, incident_id: int | None, caption: str = "") -> None:
        for event in import_files(self.case, [path], incident_id, workers=1):
            result = event.item
            if result is not None and result.status == "imported" and caption:
                set_caption(self.case, result.id, caption)
            if result is not None:
                self._last = result.id

    def _trash_last(self) -> None:
        delete_attachments(self.case, [self._last])

    def _plan_inbox(self) -> None:
        day = self.start + timedelta(days=SPAN_DAYS - 1)
        for i, file in enumerate(story.INBOX):
            path = self._make(file, _local(day, "17:30") + timedelta(minutes=file.after))
            self.at(_local(day + timedelta(days=1), "08:00") + timedelta(minutes=i),
                    partial(self._import, path, None))

    # -- files -------------------------------------------------------------------------
    def _make(self, file: story.File, taken: datetime, blur: bool = False) -> Path:
        """Write the file the phone would have saved at `taken`; return its path."""
        self.seed += 1
        kind = file.kind
        app = APPS.get(kind, "")
        if kind.startswith("photo:"):
            name = kind.split(":", 1)[1]
            img = (media.car_at_night(story.PLATE, self.seed) if name == "car"
                   else media.PHOTOS[name](self.seed))
            if blur:
                img = img.filter(ImageFilter.GaussianBlur(14))
            path = self.files / f"{taken:%Y%m%d_%H%M%S}.jpg"
            img.save(path, "JPEG", quality=84, exif=media.photo_exif(taken, gps=file.gps))
        elif kind == "forwarded":  # through WhatsApp: EXIF gone, the date in the name
            img = media.car_at_night(story.PLATE, self.seed).resize((1024, 768))
            path = self.files / f"IMG-{taken:%Y%m%d}-WA{self.seed:04}.jpg"
            img.save(path, "JPEG", quality=70)
        elif kind == "voicemail":
            path = self.files / f"Voicemail {self.seed:03}.wav"
            _tone(path, pitch=180 + 10 * self.seed)
        else:
            clock = f"{taken:%H:%M}"
            if kind == "calls":
                img = media.call_log(clock, file.content)
            elif kind == "email":
                sender, subject, body = file.content
                sent = (taken - timedelta(hours=17)).strftime("%a %d %b, %H:%M")
                img = media.email(clock, sender, subject, sent, body)
            else:
                contact = {"instagram": "d.h_2024"}.get(kind, "Dan")
                img = media.messages(contact, clock, file.content, app=kind)
            path = self.files / f"Screenshot_{taken:%Y%m%d_%H%M%S}_{app}.png"
            img.save(path, "PNG", compress_level=3)
        stamp = taken.timestamp()
        os.utime(path, (stamp, stamp))
        return path


def _tone(path: Path, pitch: float, seconds: float = 2.0, rate: int = 8000) -> None:
    """A short, quiet recording (a real WAV file, which has no picture to show)."""
    frames = b"".join(struct.pack("<h", int(1500 * math.sin(2 * math.pi * pitch * i / rate)))
                      for i in range(int(seconds * rate)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
