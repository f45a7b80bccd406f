"""Dates: when an incident happened (with precision), when a file was captured.

Capture-time inference keeps its provenance: EXIF DateTimeOriginal (with its offset when
the camera wrote one), a date in a screenshot's file name, or the file's modification
time. Typed dates accept the forms UK diaries use (`12/03/2025`, `12 March 2025`, ISO).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from evidence_app.core.errors import ValidationError
from evidence_app.core.vocab import Precision

# --------------------------------------------------------------------------- file names
# Each pattern captures Y, M, D and optionally h, m, s (and ampm). Order matters: the
# most specific forms first. Names seen on Android, iOS/macOS, Windows, GNOME, KDE,
# Samsung, Pixel, WhatsApp, Telegram, Signal and the Xbox Game Bar.
_SEP = r"[-_. ]?"
_AMPM = r"(?:\s*(?P<ampm>[ap]\.?m\.?)(?![a-z]))?"
_FILENAME_PATTERNS = [
    # macOS and WhatsApp Desktop: "Screenshot 2024-03-12 at 08.15.30.png",
    # "Screen Shot 2024-03-12 at 8.15.30 PM.png", "WhatsApp Image 2024-03-12 at 08.15.30.jpeg",
    # and localised Macs ("Bildschirmfoto 2024-03-12 um 08.15.30", "... à 08.15.30").
    re.compile(
        r"(?<!\d)(?P<Y>\d{4})-(?P<M>\d{2})-(?P<D>\d{2}),?\s+(?:at|um|à|a las|alle|om|kl\.?|klo|o)"
        r"\s+(?P<h>\d{1,2})[.:](?P<m>\d{2})[.:](?P<s>\d{2})" + _AMPM,
        re.I,
    ),
    # Xbox Game Bar (Windows 11): "Desktop Screenshot 2024.03.12 - 08.15.30.12.png"
    re.compile(
        r"(?<!\d)(?P<Y>\d{4})\.(?P<M>\d{2})\.(?P<D>\d{2}) - (?P<h>\d{2})\.(?P<m>\d{2})\.(?P<s>\d{2})",
    ),
    # GNOME: "Screenshot from 2024-03-12 08-15-30.png"; Windows: "Screenshot 2024-03-12 081530.png";
    # Telegram: "photo_2024-03-12_08-15-30.jpg"
    re.compile(
        r"(?<!\d)(?P<Y>\d{4})-(?P<M>\d{2})-(?P<D>\d{2})[ _T](?P<h>\d{2})[-:.]?(?P<m>\d{2})"
        r"[-:.]?(?P<s>\d{2})(?!\d)",
    ),
    # Android/KDE/Pixel/Samsung/Signal: "Screenshot_20240312-081530", "PXL_20240312_081530123",
    # "IMG_20240312_081530", "20240312_081530", "Screenshot_2024-03-12-08-15-30-123_com.x",
    # "signal-2024-03-12-081530"; up to three digits of milliseconds may follow.
    re.compile(
        r"(?<!\d)(?P<Y>20\d{2})" + _SEP + r"(?P<M>\d{2})" + _SEP + r"(?P<D>\d{2})[-_ T]"
        r"(?P<h>\d{2})" + _SEP + r"(?P<m>\d{2})" + _SEP + r"(?P<s>\d{2})(?:\d{1,3})?(?!\d)",
    ),
    # Samsung call recordings: "Call recording John_240312_081530.m4a" (two-digit year).
    re.compile(
        r"call recording.*?(?<!\d)(?P<y2>\d{2})(?P<M>\d{2})(?P<D>\d{2})_(?P<h>\d{2})(?P<m>\d{2})"
        r"(?P<s>\d{2})(?!\d)",
        re.I,
    ),
    # Xbox Game Bar (Windows 10) writes the date in the PC's own order: "Chrome 7_30_2020
    # 11_25_29 AM.png" (US, month first, 12-hour) or "Chrome 30_07_2020 11_25_29.png" (UK).
    re.compile(
        r"(?<!\d)(?P<a>\d{1,2})_(?P<b>\d{1,2})_(?P<Y>\d{4}) (?P<h>\d{1,2})_(?P<m>\d{2})_(?P<s>\d{2})"
        r"(?!\d)" + _AMPM,
        re.I,
    ),
    # WhatsApp "IMG-20240312-WA0001", "PTT-20240312-WA0001": the date only.
    re.compile(r"(?<!\d)(?P<Y>20\d{2})-?(?P<M>\d{2})-?(?P<D>\d{2})(?=-WA\d+)", re.I),
    # Any other name holding a full ISO date, e.g. "Letter 2024-03-12.pdf": the date only.
    re.compile(r"(?<!\d)(?P<Y>(?:19|20)\d{2})-(?P<M>\d{2})-(?P<D>\d{2})(?![\d])"),
]


_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")
# Facebook's app saves "FB_IMG_1710231330123.jpg": the moment it was saved, in
# milliseconds since 1970 (UTC), so no time zone has to be assumed.
_EPOCH_MS = re.compile(r"^FB_IMG_(?P<ms>1\d{12})(?!\d)", re.I)


def _ymd(g: dict[str, str | None]) -> tuple[int, int, int]:
    """Year, month and day from a match, resolving two-digit years and locale order."""
    if g.get("y2") is not None:
        return 2000 + int(g["y2"] or 0), int(g["M"] or 0), int(g["D"] or 0)
    if g.get("a") is not None:
        first, second, year = int(g["a"] or 0), int(g["b"] or 0), int(g["Y"] or 0)
        # A 12-hour clock means a US-style PC (month first); otherwise UK order, unless
        # only the other order makes a real date.
        month_first = bool(g.get("ampm"))
        if first > 12:
            month_first = False
        elif second > 12:
            month_first = True
        return (year, first, second) if month_first else (year, second, first)
    return int(g["Y"] or 0), int(g["M"] or 0), int(g["D"] or 0)


def time_from_filename(name: str) -> tuple[datetime, bool] | None:
    """A datetime read from a file name, and whether it included a time.

    It is naive local time, except for names holding a Unix time (Facebook's
    FB_IMG_<milliseconds>), which give an aware UTC datetime.
    """
    # Drop an extension only: "... at 08.15.30" without one must keep its seconds.
    stem = _EXTENSION.sub("", name).replace("\u202f", " ").replace("\u00a0", " ")
    epoch = _EPOCH_MS.match(stem)
    if epoch:
        moment = datetime.fromtimestamp(int(epoch["ms"]) / 1000, UTC)
        if 2004 <= moment.year <= 2100:  # Facebook began in 2004
            return moment, True
    for pattern in _FILENAME_PATTERNS:
        for match in pattern.finditer(stem):
            g = match.groupdict()
            try:
                year, month, day = _ymd(g)
                if not 1990 <= year <= 2100:
                    continue
                if g.get("h") is None:
                    return datetime(year, month, day), False
                hour, minute, second = int(g["h"]), int(g["m"]), int(g["s"])
                ampm = (g.get("ampm") or "").lower().replace(".", "")
                if ampm and not 1 <= hour <= 12:
                    continue
                if ampm == "pm" and hour < 12:
                    hour += 12
                elif ampm == "am" and hour == 12:
                    hour = 0
                return datetime(year, month, day, hour, minute, second), True
            except ValueError:
                continue
    return None


# --------------------------------------------------------------------------- EXIF
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
# Cameras are meant to write "2024:03:12 08:15:30"; some write dashes, slashes or dots.
_EXIF_TIME = re.compile(r"^(\d{4})[:\-/.](\d{2})[:\-/.](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_COMPACT_TIME = re.compile(r"(\d{2})(\d{2})")
_ISO_SPLIT = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[T ](.+)$")
_TRAILING_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


def parse_exif_datetime(value: str, offset: str = "", subsec: str = "",
                        ) -> tuple[datetime, str] | None:
    """EXIF 'YYYY:MM:DD HH:MM:SS' (+ OffsetTime) -> (naive or aware datetime, offset text)."""
    text = value.strip().strip("\x00").strip()
    match = _EXIF_TIME.match(text)
    if not match:
        return None
    try:
        parts = [int(p) for p in match.groups()]
        if parts[0] < 1900 or parts == [0] * 6:
            return None
        dt = datetime(*parts)  # type: ignore[arg-type]
    except ValueError:
        return None
    digits = "".join(ch for ch in subsec.strip("\x00 ") if ch.isdigit())[:6]
    if digits:
        dt = dt.replace(microsecond=int(digits.ljust(6, "0")))
    off = _OFFSET.match(offset.strip().strip("\x00"))
    if off:
        sign = 1 if off.group(1) == "+" else -1
        delta = timedelta(hours=int(off.group(2)), minutes=int(off.group(3)))
        if delta <= timedelta(hours=14):
            return dt.replace(tzinfo=timezone(sign * delta)), off.group(0)
    return dt, ""


def localize(naive: datetime, tz_name: str) -> datetime:
    """Attach an IANA zone to a naive local time (first occurrence in a DST overlap)."""
    return naive.replace(tzinfo=ZoneInfo(tz_name))


# --------------------------------------------------------------------------- incidents
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100  # the years an incident's date may fall in


@dataclass(frozen=True)
class When:
    """When an incident happened: start (and end for 'between'), precision and zone."""

    start: datetime | None
    end: datetime | None
    precision: Precision
    timezone: str


def _fmt_day(d: datetime) -> str:
    return f"{d.day} {d:%b %Y}"


def format_when(start: datetime | None, end: datetime | None, precision: str, tz: str,
                weekday: bool = False) -> str:
    """How a date reads in the timeline and the report, honest about its precision."""
    prec = Precision(precision)
    if prec is Precision.UNDATED or start is None:
        return "Undated"
    zone = ZoneInfo(tz)
    s = start.astimezone(zone)
    day = (f"{s:%a} " if weekday else "") + _fmt_day(s)
    if prec is Precision.MONTH:
        return f"{s:%B %Y}"
    if prec is Precision.DAY:
        return day
    if prec is Precision.CIRCA:
        return f"{day}, c. {s:%H:%M}"
    if prec is Precision.BETWEEN and end is not None:
        e = end.astimezone(zone)
        if (s.hour, s.minute, e.hour, e.minute) == (0, 0, 23, 59) and e.date() != s.date():
            return f"between {day} and {_fmt_day(e)}"  # whole days: the times say nothing
        if e.date() == s.date():
            if f"{s:%H:%M}" == f"{e:%H:%M}":  # seconds apart: one time, not "22:15 and 22:15"
                return f"{day}, {s:%H:%M}"
            return f"{day}, between {s:%H:%M} and {e:%H:%M}"
        return f"between {day}, {s:%H:%M} and {_fmt_day(e)}, {e:%H:%M}"
    return f"{day}, {s:%H:%M}"


_MONTHS = {m.lower(): i for i, m in enumerate(
    ["", "January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December"]) if m}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_CIRCA = re.compile(r"^\s*(?:c\.|ca\.|circa|approx\.?|approximately|about|around|~)\s*", re.I)

_DATE_FORMS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})"), "ymd"),
    (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?!\d)"), "dmy"),
    # "12 March 2025", "Wed 12th of March 2025", and Excel's "12-Mar-25" / "12-Mar-2025"
    (re.compile(_WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTH_RE
                + r")\.?,?\s+(\d{4})", re.I), "d_mon_y"),
    (re.compile(r"^(\d{1,2})-(" + _MONTH_RE + r")-(\d{4}|\d{2})(?!\d)", re.I), "d_mon_y"),
    (re.compile(_WEEKDAY + r"(" + _MONTH_RE + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})",
                re.I), "mon_d_y"),
    (re.compile(r"^(" + _MONTH_RE + r")\.?,?\s+(\d{4})$", re.I), "mon_y"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), "my"),
]


def _read_form(form: str, g: tuple[str, ...]) -> tuple[date, Precision]:
    if form == "ymd":
        return date(int(g[0]), int(g[1]), int(g[2])), Precision.DAY
    if form == "dmy":
        year = int(g[2])
        if len(g[2]) == 2:
            year += 2000 if year < 70 else 1900
        return date(year, int(g[1]), int(g[0])), Precision.DAY
    if form == "d_mon_y":
        year = int(g[2]) + (2000 if len(g[2]) == 2 and int(g[2]) < 70 else
                            1900 if len(g[2]) == 2 else 0)
        return date(year, _MONTHS[g[1].lower()], int(g[0])), Precision.DAY
    if form == "mon_d_y":
        return date(int(g[2]), _MONTHS[g[0].lower()], int(g[1])), Precision.DAY
    if form == "mon_y":
        return date(int(g[1]), _MONTHS[g[0].lower()], 1), Precision.MONTH
    if form == "ym":
        return date(int(g[0]), int(g[1]), 1), Precision.MONTH
    return date(int(g[1]), int(g[0]), 1), Precision.MONTH  # "my"


def parse_date_text(text: str) -> tuple[date, Precision, str]:
    """Read a date; returns (date, DAY or MONTH precision, the unparsed remainder)."""
    s = text.strip()
    for pattern, form in _DATE_FORMS:
        match = pattern.match(s)
        if not match:
            continue
        try:
            day, precision = _read_form(form, match.groups())
        except ValueError as exc:
            hint = "dates are read day first, as DD/MM/YYYY" if form == "dmy" else str(exc)
            raise ValidationError(f"{text.strip()!r} is not a real date ({hint})") from exc
        _check_year(day.year)
        return day, precision, s[match.end():]
    raise ValidationError(
        f"cannot read the date {text.strip()!r}; use a form such as 12/03/2025, "
        "12 March 2025 or 2025-03-12"
    )


def _check_year(year: int) -> None:
    # Outside these years a date is a typing slip (0025 for 2025); taken as typed, it
    # would stretch the report's timeline across centuries.
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValidationError(f"the year {year} cannot be right: dates from "
                              f"{EARLIEST_YEAR} to {LATEST_YEAR} are accepted")


def month_end(day: date) -> date:
    """The last day of the month `day` falls in."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


_TIME = re.compile(
    r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?:[:.](?P<s>\d{2}))?(?:\.\d+)?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2})?$", re.I,
)


def parse_time_text(text: str) -> tuple[time, bool]:
    """Read a time of day; returns (time, circa?)."""
    s = text.strip()
    circa = bool(_CIRCA.match(s))
    s = _CIRCA.sub("", s).strip()
    low = s.lower()
    if low in ("noon", "midday"):
        return time(12, 0), circa
    if low == "midnight":
        return time(0, 0), circa
    compact = _COMPACT_TIME.fullmatch(s)
    if compact:
        s = f"{compact.group(1)}:{compact.group(2)}"
    match = _TIME.match(s)
    if not match or (match.group("m") is None and match.group("ampm") is None):
        raise ValidationError(f"cannot read the time {text.strip()!r}; use a form such as 14:30 or 2.30pm")
    hour = int(match.group("h"))
    minute = int(match.group("m") or 0)
    second = int(match.group("s") or 0)
    ampm = (match.group("ampm") or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise ValidationError(f"{text.strip()!r} is not a real time")
        hour = (hour % 12) + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValidationError(f"{text.strip()!r} is not a real time")
    return time(hour, minute, second), circa


def _split_iso(text: str) -> tuple[str, str]:
    match = _ISO_SPLIT.match(text.strip())
    return (match.group(1), match.group(2)) if match else (text, "")


def _start_of(d: date, tz: str) -> datetime:
    return datetime.combine(d, time(0, 0)).replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _aware(d: date, t: time, tz: str, explicit: tzinfo | None = None) -> datetime:
    zone = explicit or ZoneInfo(tz)
    return datetime.combine(d, t).replace(tzinfo=zone).astimezone(UTC)


def _explicit_offset(text: str) -> tzinfo | None:
    match = _TRAILING_OFFSET.search(text.strip())
    if not match:
        return None
    tok = match.group(1)
    if tok == "Z":
        return UTC
    sign = 1 if tok[0] == "+" else -1
    digits = tok[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def clock_change(day: date, clock: time, tz: str, fold: int = 0) -> tuple[bool, str] | None:
    """What a local time on a day when the clocks change means, or None if nothing.

    (True, reason) for a time that never happened (the hour skipped when the clocks go
    forward): storing it would move it an hour. (False, note) for a time that happened
    twice (the hour repeated when they go back): it is taken as the first (or, with
    `fold` 1, the second), and the note says which with the zone's abbreviation, as the
    report prints it.
    """
    naive = datetime.combine(day, clock)
    zone = ZoneInfo(tz)
    first, second = naive.replace(tzinfo=zone), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    when = f"{clock.strftime('%H:%M')} on {day.strftime('%d/%m/%Y')}"
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return True, (f"{when} did not exist in {tz}: the clocks went forward that night. "
                      "Check the time (an hour earlier or later?)")
    which, chosen = ("second", second) if fold else ("first", first)
    return False, (f"{when} happened twice in {tz} (the clocks went back that night): it "
                   f"is recorded as the {which}, {chosen.strftime('%H:%M %Z')}.")


def parse_when(text: str, tz: str, time_text: str = "", precision: str | None = None,
               end_text: str = "") -> When:
    """Read a typed date (and optional time, end, precision) into a `When`.

    Empty text means undated. A date without a time is 'day' precision, a month and year is
    'month' precision, a time after 'c.'/'about' is 'circa'. An explicit precision wins
    when it is consistent with what was typed.
    """
    raw = (text or "").strip()
    if not raw or raw.lower() in ("undated", "unknown", "n/a", "-", "?"):
        if precision not in (None, "", Precision.UNDATED):
            raise ValidationError("a date is needed for this precision")
        return When(None, None, Precision.UNDATED, tz)
    circa = bool(_CIRCA.match(raw))
    raw = _CIRCA.sub("", raw)
    date_part, iso_time = _split_iso(raw)
    day, prec, rest = parse_date_text(date_part)
    tail = (iso_time or rest).strip().lstrip(",").strip()
    if tail.lower().startswith("at "):
        tail = tail[3:]
    time_str = tail or time_text.strip()
    start: datetime
    if time_str and prec is Precision.DAY:
        t, t_circa = parse_time_text(time_str)
        circa = circa or t_circa
        explicit = _explicit_offset(time_str)
        start = _aware(day, t, tz, explicit)
        change = None if explicit is not None else clock_change(day, t, tz)
        if change is not None and change[0]:
            # A time in the hour skipped when the clocks go forward would silently be
            # stored an hour later than typed.
            raise ValidationError(change[1])
        prec = Precision.CIRCA if circa else Precision.EXACT
    else:
        start = _start_of(day, tz)
    end = None
    if end_text.strip():
        until = parse_when(end_text, tz)
        end = until.start
        if end is not None and until.precision in (Precision.DAY, Precision.MONTH):
            # "until 14/03" means to the end of that day (or month), not its first minute.
            last = end.astimezone(ZoneInfo(tz)).date()
            if until.precision is Precision.MONTH:
                last = month_end(last)
            end = _aware(last, time(23, 59), tz)
        prec = Precision.BETWEEN
    if precision:
        wanted = Precision(precision)
        if wanted is Precision.UNDATED:
            # Keeping either would contradict the other; the person must say which is meant.
            raise ValidationError(f"a date ({(text or '').strip()}) was given but the precision "
                                  "says undated: leave the date empty for an undated incident")
        if wanted is Precision.BETWEEN and end is None:
            raise ValidationError("'between' needs an end date/time as well")
        if wanted in (Precision.EXACT, Precision.CIRCA) and prec in (Precision.DAY, Precision.MONTH):
            raise ValidationError(f"precision '{wanted}' needs a time as well as a date")
        if wanted is Precision.MONTH:
            start = _start_of(start.astimezone(ZoneInfo(tz)).date().replace(day=1), tz)
        elif wanted is Precision.DAY:
            start = _start_of(start.astimezone(ZoneInfo(tz)).date(), tz)
        prec = wanted
    if end is not None and end < start:
        raise ValidationError("the end of a 'between' period is before its start")
    return When(start, end, prec, tz)


def clock_change_warning(when: When) -> str | None:
    """The note for a time typed in the hour repeated when the clocks go back (which of
    the two it was taken as), as the diary import gives it; None for any other time."""
    if when.start is None or when.precision not in (Precision.EXACT, Precision.CIRCA):
        return None
    zone = ZoneInfo(when.timezone)
    local = when.start.astimezone(zone)
    change = clock_change(local.date(), local.time().replace(second=0, microsecond=0),
                          when.timezone, local.fold)
    return change[1] if change is not None and not change[0] else None


def validate_when(when: When) -> None:
    """Refuse a `When` that contradicts itself (missing dates, end before start)."""
    if when.precision is not Precision.UNDATED and when.start is None:
        raise ValidationError("a date is needed unless the incident is undated")
    if when.start is not None and when.start.tzinfo is None:
        raise ValidationError("times must carry a time zone")
    try:
        zone = ZoneInfo(when.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"unknown time zone {when.timezone!r}") from exc
    for moment in (when.start, when.end):
        if moment is not None:
            _check_year(moment.astimezone(zone).year)
    if when.precision is Precision.BETWEEN:
        if when.end is None:
            raise ValidationError("'between' needs an end date/time as well")
        if when.start is not None and when.end < when.start:
            raise ValidationError("the end of a 'between' period is before its start")
