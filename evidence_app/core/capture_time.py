"""How an exhibit's capture time reads: the same words in the viewer, the CLI and the report.

A time read from a file name that holds only a date (WhatsApp's IMG-20250715-WA0004.jpg,
"Letter 2025-07-15.pdf") is stored as midnight local time. Shown with its clock it would
read "15 Jul 2025, 00:00 BST", a time nobody recorded, so it is shown as a date only.
A file's modification time only says roughly when (copying a file can change it), so it
is marked "c." as approximate incident times are.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from evidence_app.core.dates import time_from_filename
from evidence_app.core.vocab import CaptureSource

NO_TIME = "time not known"


def capture_has_time(captured_from: str, original_name: str) -> bool:
    """False when the capture time is a date read from a file name that gives no time."""
    if captured_from != CaptureSource.FILENAME:
        return True
    named = time_from_filename(original_name)
    return named is None or named[1]


def capture_is_approximate(captured_from: str) -> bool:
    """True when the time only says roughly when (a file's modification time)."""
    return captured_from in (CaptureSource.MTIME, "")


def capture_source_text(captured_from: str) -> str:
    """Where a capture time came from, in words ('camera metadata (EXIF)'); '' if none."""
    if not captured_from:
        return ""
    try:
        return CaptureSource(captured_from).label
    except ValueError:
        return captured_from


def capture_text(captured_at: datetime | None, captured_from: str, original_name: str, tz: str,
                 *, weekday: bool = False, seconds: bool = False, zone: bool = True,
                 unknown: str = "not known", say_no_time: bool = True) -> str:
    """A capture time in local time: '12 Mar 2025, 08:15 GMT', 'c. 12 Mar 2025, 08:15 GMT'
    for a modification time, '12 Mar 2025, time not known' for a date-only file name.

    `weekday` adds 'Wed ', `seconds` the seconds, `zone` the zone's abbreviation;
    `unknown` is returned when there is no capture time at all; without `say_no_time`
    a date-only time reads as the date alone (for narrow lists).
    """
    if captured_at is None:
        return unknown
    local = captured_at.astimezone(ZoneInfo(tz))
    day = (f"{local:%a} " if weekday else "") + f"{local.day} {local:%b %Y}"
    if not capture_has_time(captured_from, original_name):
        return f"{day}, {NO_TIME}" if say_no_time else day
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    text = f"{day}, {clock}" + (f" {local.tzname() or ''}".rstrip() if zone else "")
    return f"c. {text}" if capture_is_approximate(captured_from) else text
