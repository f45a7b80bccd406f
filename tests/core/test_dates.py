"""Dates typed by people, read from EXIF and from file names, and shown back to them."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from evidence_app.core.dates import (
    format_when,
    parse_exif_datetime,
    parse_when,
    time_from_filename,
)
from evidence_app.core.errors import ValidationError

TZ = "Europe/London"
LONDON = ZoneInfo(TZ)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

# fold=0: typed text cannot name the second 01:30 of the night the clocks go back, and
# is read as the first (tested on its own below).
local_minutes = st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2090, 12, 31)
                             ).map(lambda d: d.replace(second=0, microsecond=0, fold=0))


def exists_in_london(naive):
    """False for times skipped when the clocks go forward."""
    there = naive.replace(tzinfo=LONDON)
    return there.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) == naive


def uk_forms(d):
    """The ways a UK diary writes one date and time."""
    h12 = d.hour % 12 or 12
    ampm = "am" if d.hour < 12 else "pm"
    return [
        f"{d:%d/%m/%Y %H:%M}",
        f"{d.day}/{d.month}/{d.year} {d:%H:%M}",
        f"{d:%d.%m.%Y} {d:%H.%M}",
        f"{d:%Y-%m-%dT%H:%M}",
        f"{d:%Y-%m-%d %H:%M}",
        f"{d.day} {MONTHS[d.month - 1]} {d.year} {d:%H:%M}",
        f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}, {d:%H:%M}",
        f"{d:%A} {d.day} {MONTHS[d.month - 1]} {d.year} at {h12}.{d:%M}{ampm}",
        f"{MONTHS[d.month - 1]} {d.day}, {d.year} {h12}:{d:%M} {ampm.upper()}",
    ]


@settings(max_examples=150, deadline=None)
@given(local_minutes, st.integers(0, 8))
def test_every_uk_form_of_a_time_reads_back_to_the_same_moment(naive, form):
    assume(exists_in_london(naive))
    text = uk_forms(naive)[form]
    when = parse_when(text, TZ)
    assert when.precision == "exact", text
    assert when.start == naive.replace(tzinfo=LONDON).astimezone(UTC), text
    assert when.start.tzinfo is UTC


@settings(max_examples=100, deadline=None)
@given(local_minutes)
def test_a_date_alone_is_day_precision_at_local_midnight(naive):
    day = naive.date()
    for text in (f"{day:%d/%m/%Y}", f"{day.day} {MONTHS[day.month - 1]} {day.year}",
                 day.isoformat()):
        when = parse_when(text, TZ)
        assert when.precision == "day"
        assert when.start.astimezone(LONDON).replace(tzinfo=None) == datetime(
            day.year, day.month, day.day)


@settings(max_examples=100, deadline=None)
@given(local_minutes, st.sampled_from(["exact", "circa", "day", "month"]))
def test_what_is_shown_reads_back_as_the_same_date_and_precision(naive, precision):
    assume(exists_in_london(naive))
    start = naive.replace(tzinfo=LONDON).astimezone(UTC)
    shown = format_when(start, None, precision, TZ)
    again = parse_when(shown, TZ)
    assert again.precision == precision, shown
    expected = {
        "exact": naive, "circa": naive,
        "day": naive.replace(hour=0, minute=0),
        "month": naive.replace(day=1, hour=0, minute=0),
    }[precision]
    assert again.start.astimezone(LONDON).replace(tzinfo=None) == expected, shown


@pytest.mark.parametrize(("text", "precision", "local"), [
    ("c. 12/03/2025 21:15", "circa", datetime(2025, 3, 12, 21, 15)),
    ("12/03/2025 about 9pm", "circa", datetime(2025, 3, 12, 21, 0)),
    ("around 12 March 2025 21:15", "circa", datetime(2025, 3, 12, 21, 15)),
    ("12/03/2025 noon", "exact", datetime(2025, 3, 12, 12, 0)),
    ("12/03/2025 midnight", "exact", datetime(2025, 3, 12, 0, 0)),
    ("12/3/25", "day", datetime(2025, 3, 12)),
    ("1st of June 2024 14:00", "exact", datetime(2024, 6, 1, 14, 0)),
    ("Sept 2024", "month", datetime(2024, 9, 1)),
    ("2025-03", "month", datetime(2025, 3, 1)),
    ("03/2025", "month", datetime(2025, 3, 1)),
    ("2025-03-12 2115", "exact", datetime(2025, 3, 12, 21, 15)),
    ("", "undated", None),
    ("unknown", "undated", None),
])
def test_common_diary_wordings(text, precision, local):
    when = parse_when(text, TZ)
    assert when.precision == precision
    if local is None:
        assert when.start is None
    else:
        assert when.start.astimezone(LONDON).replace(tzinfo=None) == local


def test_an_explicit_offset_beats_the_case_time_zone():
    assert parse_when("2025-07-01T09:00+05:30", TZ).start == datetime(2025, 7, 1, 3, 30, tzinfo=UTC)
    assert parse_when("2025-07-01T09:00Z", TZ).start == datetime(2025, 7, 1, 9, 0, tzinfo=UTC)


def test_summer_times_are_british_summer_time():
    assert parse_when("15/07/2024 20:15", TZ).start == datetime(2024, 7, 15, 19, 15, tzinfo=UTC)
    assert parse_when("15/01/2024 20:15", TZ).start == datetime(2024, 1, 15, 20, 15, tzinfo=UTC)


def test_between_two_times():
    when = parse_when("12/03/2025 21:00", TZ, end_text="12/03/2025 23:30")
    assert when.precision == "between"
    assert when.end - when.start == timedelta(hours=2, minutes=30)
    assert format_when(when.start, when.end, "between", TZ) == "12 Mar 2025, between 21:00 and 23:30"


def test_between_two_times_in_the_same_minute_reads_as_one_time():
    """Messages seconds apart make a 'between' that would print "22:15 and 22:15"."""
    start, end = datetime(2025, 3, 14, 22, 15, 3, tzinfo=UTC), datetime(2025, 3, 14, 22, 15, 40, tzinfo=UTC)
    assert format_when(start, end, "between", TZ) == "14 Mar 2025, 22:15"
    assert format_when(start, end, "between", TZ, weekday=True) == "Fri 14 Mar 2025, 22:15"
    # A minute apart still says both ends.
    assert format_when(start, end + timedelta(seconds=30), "between", TZ) == (
        "14 Mar 2025, between 22:15 and 22:16")


@pytest.mark.parametrize(("text", "kwargs", "message"), [
    ("31/02/2025", {}, "not a real date"),
    ("12/13/2025", {}, "not a real date .dates are read day first"),
    ("tomorrow", {}, "cannot read the date"),
    ("12/03/2025 25:00", {}, "not a real time"),
    ("12/03/2025 13:00pm", {}, "not a real time"),
    ("12/03/2025", {"precision": "exact"}, "needs a time"),
    ("12/03/2025 10:00", {"precision": "between"}, "needs an end"),
    ("12/03/2025 10:00", {"end_text": "11/03/2025"}, "before its start"),
    ("", {"precision": "day"}, "a date is needed"),
])
def test_dates_that_cannot_be_read_give_a_reason(text, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        parse_when(text, TZ, **kwargs)


# --------------------------------------------------------------------------- EXIF
@settings(max_examples=100, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)),
       st.integers(-12 * 4, 14 * 4))
def test_exif_time_and_offset_round_trip(naive, quarter_hours):
    naive = naive.replace(microsecond=naive.microsecond // 1000 * 1000)
    delta = timedelta(minutes=15 * quarter_hours)
    sign = "-" if delta < timedelta(0) else "+"
    minutes = abs(quarter_hours) * 15
    offset = f"{sign}{minutes // 60:02}:{minutes % 60:02}"
    subsec = f"{naive.microsecond // 1000:03}"
    parsed, text = parse_exif_datetime(f"{naive:%Y:%m:%d %H:%M:%S}", offset, subsec)
    assert text == offset
    assert parsed == naive.replace(tzinfo=timezone(delta))


@pytest.mark.parametrize("value", ["0000:00:00 00:00:00", "    :  :     :  :  ", "", "garbage",
                                   "2024:13:01 10:00:00", "2024:02:30 10:00:00"])
def test_blank_or_impossible_exif_times_are_ignored(value):
    assert parse_exif_datetime(value) is None


def test_exif_without_offset_stays_naive_and_a_silly_offset_is_dropped():
    assert parse_exif_datetime("2024:03:12 08:15:30") == (datetime(2024, 3, 12, 8, 15, 30), "")
    assert parse_exif_datetime("2024:03:12 08:15:30", "+23:00") == (datetime(2024, 3, 12, 8, 15, 30), "")


# --------------------------------------------------------------------------- file names
NAME_FORMS = [
    "Screenshot_{d:%Y%m%d-%H%M%S}.png",
    "Screenshot_{d:%Y%m%d-%H%M%S}_{app}.jpg",
    "Screenshot_{d:%Y%m%d_%H%M%S}_{app}.jpg",
    "Screenshot_{d:%Y-%m-%d-%H-%M-%S}-123_com.{app}.png",
    "Screenshot {d:%Y-%m-%d} at {d:%H.%M.%S}.png",
    "Screen Shot {d:%Y-%m-%d} at {h12}.{d:%M.%S} {ampm}.png",
    "Screenshot {d:%Y-%m-%d} at {h12}.{d:%M.%S}\u202f{ampm}.png",
    "Screenshot {d:%Y-%m-%d %H%M%S}.png",
    "Screenshot from {d:%Y-%m-%d %H-%M-%S}.png",
    "PXL_{d:%Y%m%d_%H%M%S}123.jpg",
    "IMG_{d:%Y%m%d_%H%M%S}.jpg",
    "{d:%Y%m%d_%H%M%S}.jpg",
    "WhatsApp Image {d:%Y-%m-%d} at {d:%H.%M.%S}.jpeg",
    "signal-{d:%Y-%m-%d-%H%M%S}.jpg",
]


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)),
       st.sampled_from(NAME_FORMS), st.sampled_from(["WhatsApp", "Messages", "Instagram", "x"]))
def test_screenshot_and_camera_names_give_their_time(moment, form, app):
    moment = moment.replace(microsecond=0)
    h12 = moment.hour % 12 or 12
    name = form.format(d=moment, app=app, h12=h12, ampm="AM" if moment.hour < 12 else "PM")
    assert time_from_filename(name) == (moment, True), name


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=datetime(2000, 1, 1).date(), max_value=datetime(2099, 12, 31).date()),
       st.integers(0, 9999))
def test_whatsapp_names_give_the_date_only(day, n):
    name = f"IMG-{day:%Y%m%d}-WA{n:04}.jpg"
    assert time_from_filename(name) == (datetime(day.year, day.month, day.day), False)


@pytest.mark.parametrize("name", [
    "IMG_1234.JPG", "Screenshot (12).png", "DSC_0008.JPG", "photo.jpg", "20241399_999999.jpg",
    "Screenshot_20241301-101010.png", "invoice 12345678 123456.pdf", "18991231_120000.jpg",
])
def test_names_without_a_real_date_give_nothing(name):
    assert time_from_filename(name) is None


def test_a_period_of_whole_days_runs_to_the_end_of_the_last_day():
    when = parse_when("12/03/2025", TZ, end_text="14/03/2025")
    assert when.start.astimezone(LONDON).replace(tzinfo=None) == datetime(2025, 3, 12)
    assert when.end.astimezone(LONDON).replace(tzinfo=None) == datetime(2025, 3, 14, 23, 59)
    assert format_when(when.start, when.end, "between", TZ) == "between 12 Mar 2025 and 14 Mar 2025"
    months = parse_when("January 2025", TZ, end_text="February 2025")
    assert months.end.astimezone(LONDON).replace(tzinfo=None) == datetime(2025, 2, 28, 23, 59)
    timed = parse_when("12/03/2025 21:00", TZ, end_text="14/03/2025")
    assert format_when(timed.start, timed.end, "between", TZ) == (
        "between 12 Mar 2025, 21:00 and 14 Mar 2025, 23:59")


def test_a_time_skipped_when_the_clocks_go_forward_is_refused_not_moved():
    # 01:30 on 30 March 2025 never happened in London; it used to be stored as 02:30.
    with pytest.raises(ValidationError, match="did not exist in Europe/London"):
        parse_when("30/03/2025 01:30", "Europe/London")
    assert parse_when("30/03/2025 02:00", "Europe/London").start == datetime(2025, 3, 30, 1, tzinfo=UTC)
    given_offset = parse_when("30/03/2025 01:30+00:00", "Europe/London")
    assert given_offset.start == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)


def test_a_typed_time_in_the_hour_the_clocks_go_back_is_the_first_of_the_two():
    when = parse_when("26/10/2025 01:30", TZ)
    assert when.start == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 01:30 BST, not GMT
