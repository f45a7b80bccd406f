"""Dates typed the way people say them: "15/03/2025 21:40", "15 March", "yesterday 9pm",
"last Tuesday", "March 2025", "between 9pm and 11pm yesterday".

Everything the diary import reads (core.dates.parse_when) is read the same way; on top
of that, words relative to today, and a day and month without a year (taken as the
most recent such day, since an incident is recorded after it happened).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from evidence_app.core.dates import _MONTH_RE, _MONTHS, When, parse_time_text, parse_when
from evidence_app.core.errors import ValidationError

_DAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DAY_WORD = r"mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun"
# Words for a day relative to today; what may follow ("evening", "at 9pm") is kept.
_RELATIVE = re.compile(
    r"^(?:(?P<today>today|tonight|this\s+(?:morning|afternoon|evening))"
    r"|(?P<yesterday>yesterday|last\s+night)"
    r"|(?P<last>last\s+)?(?P<day>" + _DAY_WORD + r")[a-z]*\.?)(?![a-z])\s*,?\s*", re.I)
_PART_OF_DAY = re.compile(r"^(?:in\s+the\s+)?(?:morning|afternoon|evening|night)\b\s*,?\s*",
                          re.I)
_TRAILING_DAY = re.compile(
    r"^(.*?\d.*?)\s+(?:on\s+)?(today|tonight|yesterday|last\s+night|(?:last\s+)?(?:"
    + _DAY_WORD + r")[a-z]*)$", re.I)
_LINK = re.compile(r"^(?:at|from|between)\s+", re.I)
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTH_RE + r")\b\.?",
                        re.I)
_MONTH_DAY = re.compile(r"^(" + _MONTH_RE + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.I)
_DD_MM = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?![/.\-]?\d)")
_YEAR_NEXT = re.compile(r"^,?\s*'?\d{2,4}\b(?![:.]\d)")  # a year, not a time (21:40)
_RANGE = re.compile(r"^(?:between\s+|from\s+)?(.+?)\s+(?:and|to|until|till|-)\s+(.+)$", re.I)


def read_typed_when(text: str, tz: str, today: date) -> When:
    """Read what a person typed into a date field; ValidationError says what is wrong."""
    raw = " ".join(text.split())
    if not raw:
        raise ValidationError("type a date, e.g. 15/03/2025 21:40, 15 March or yesterday 9pm")
    try:
        return parse_when(_explicit(raw, today), tz)
    except ValidationError as single:
        period = _RANGE.match(raw)
        if period is None:
            raise
        try:
            return _period(period.group(1), period.group(2), tz, today)
        except ValidationError:
            raise single from None


def _period(first: str, second: str, tz: str, today: date) -> When:
    start, end = _explicit(first, today), _explicit(second, today)
    if _only_time(start):  # "between 9pm and 11pm yesterday": the day is at the end
        day, _ = _split_day(end)
        start = f"{day} {start}"
    if _only_time(end):  # "yesterday from 9pm to 11pm", "15/03/2025 21:00 - 23:00"
        day, _ = _split_day(start)
        end = f"{day} {end}"
    return parse_when(start, tz, end_text=end)


def _only_time(text: str) -> bool:
    try:
        parse_time_text(text)
    except ValidationError:
        return False
    return True


def _split_day(text: str) -> tuple[str, str]:
    """A text that starts with an explicit dd/mm/yyyy date: (that date, the rest)."""
    match = re.match(r"^(\d{1,2}/\d{1,2}/\d{4})\s*(.*)$", text)
    if match is None:
        raise ValidationError(f"cannot tell which day {text!r} is")
    return match.group(1), match.group(2)


def _explicit(text: str, today: date) -> str:
    """The text with any relative day or missing year replaced by a dd/mm/yyyy date."""
    s = text.strip()
    trailing = _TRAILING_DAY.match(s)
    if trailing is not None:  # "11pm yesterday", "9pm on Tuesday": the day first
        s = f"{trailing.group(2)} {trailing.group(1)}"
    relative = _RELATIVE.match(s)
    if relative is not None and not _looks_like_full_date(s[relative.end():]):
        day = _relative_day(relative, today)
        rest = _LINK.sub("", _PART_OF_DAY.sub("", s[relative.end():]))
        return f"{day:%d/%m/%Y} {rest}".strip()
    for pattern, order in ((_DAY_MONTH, "dm"), (_MONTH_DAY, "md")):
        match = pattern.match(s)
        if match is not None and not _YEAR_NEXT.match(s[match.end():]):
            first, second = match.groups()
            day_text, month_text = (first, second) if order == "dm" else (second, first)
            return _with_year(int(day_text), _MONTHS[month_text.lower()], today,
                              s[match.end():])
    numeric = _DD_MM.match(s)
    if numeric is not None:
        return _with_year(int(numeric.group(1)), int(numeric.group(2)), today,
                          s[numeric.end():])
    return s


def _looks_like_full_date(rest: str) -> bool:
    """'Wed 12 March 2025': a weekday in front of a whole date, read as that date."""
    return bool(re.match(r"^\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + _MONTH_RE + r")", rest,
                         re.I) or re.match(r"^(?:" + _MONTH_RE + r")\.?\s+\d", rest, re.I)
                or re.match(r"^\d{1,2}[/.\-]\d{1,2}", rest))


def _relative_day(match: re.Match[str], today: date) -> date:
    if match.group("today"):
        return today
    if match.group("yesterday"):
        return today - timedelta(days=1)
    name = match.group("day").lower()[:3]
    wanted = next(i for i, full in enumerate(_DAY_NAMES) if full.startswith(name))
    back = (today.weekday() - wanted) % 7
    if back == 0 and match.group("last"):
        back = 7  # "last Friday" said on a Friday is a week ago; "Friday" is today
    return today - timedelta(days=back)


def _with_year(day: int, month: int, today: date, rest: str) -> str:
    """A day and month without a year: the most recent one, today included (29 February:
    the last year that had one)."""
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = date(year, month, day)
        except ValueError as exc:
            if (month, day) == (2, 29):
                continue
            raise ValidationError(f"{day}/{month} is not a real date") from exc
        if candidate <= today:
            return f"{candidate:%d/%m/%Y} {rest.strip()}".strip()
    raise ValidationError(f"{day}/{month} is not a real date")
