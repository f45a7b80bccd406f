"""Dates typed as people write them, read against a fixed today."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence_app.core.date_words import read_typed_when
from evidence_app.core.errors import ValidationError
from evidence_app.core.vocab import Precision

TZ = "Europe/London"
TODAY = date(2026, 12, 4)  # a Friday


def local(when):
    zone = ZoneInfo(TZ)
    return (when.start.astimezone(zone).replace(tzinfo=None),
            when.end.astimezone(zone).replace(tzinfo=None) if when.end else None,
            when.precision)


@pytest.mark.parametrize("typed, start, precision", [
    ("15/03/2025", datetime(2025, 3, 15), Precision.DAY),
    ("15/03/2025 21:40", datetime(2025, 3, 15, 21, 40), Precision.EXACT),
    ("15 March 2025", datetime(2025, 3, 15), Precision.DAY),
    ("15 March", datetime(2026, 3, 15), Precision.DAY),
    ("15th of March at 9.30pm", datetime(2026, 3, 15, 21, 30), Precision.EXACT),
    ("15 March 21:40", datetime(2026, 3, 15, 21, 40), Precision.EXACT),
    ("March 15", datetime(2026, 3, 15), Precision.DAY),
    ("25 December", datetime(2025, 12, 25), Precision.DAY),  # not in three weeks' time
    ("15/03", datetime(2026, 3, 15), Precision.DAY),
    ("today", datetime(2026, 12, 4), Precision.DAY),
    ("yesterday 9pm", datetime(2026, 12, 3, 21, 0), Precision.EXACT),
    ("Yesterday at 21:40", datetime(2026, 12, 3, 21, 40), Precision.EXACT),
    ("yesterday evening", datetime(2026, 12, 3), Precision.DAY),
    ("last night about 11pm", datetime(2026, 12, 3, 23, 0), Precision.CIRCA),
    ("Tuesday", datetime(2026, 12, 1), Precision.DAY),
    ("last Friday 8am", datetime(2026, 11, 27, 8, 0), Precision.EXACT),
    ("Friday", datetime(2026, 12, 4), Precision.DAY),
    ("Wed 12 March 2025", datetime(2025, 3, 12), Precision.DAY),
    ("March 2025", datetime(2025, 3, 1), Precision.MONTH),
    ("2025-03-15 08:17", datetime(2025, 3, 15, 8, 17), Precision.EXACT),
])
def test_typed_dates(typed, start, precision):
    got_start, _, got_precision = local(read_typed_when(typed, TZ, TODAY))
    assert (got_start, got_precision) == (start, precision)


@pytest.mark.parametrize("typed, start, end", [
    ("between 9pm and 11pm yesterday", datetime(2026, 12, 3, 21), datetime(2026, 12, 3, 23)),
    ("yesterday from 9pm to 11pm", datetime(2026, 12, 3, 21), datetime(2026, 12, 3, 23)),
    ("15/03/2025 21:00 - 23:30", datetime(2025, 3, 15, 21), datetime(2025, 3, 15, 23, 30)),
    ("between 12/03/2025 and 14/03/2025", datetime(2025, 3, 12), datetime(2025, 3, 14, 23, 59)),
])
def test_typed_periods(typed, start, end):
    assert local(read_typed_when(typed, TZ, TODAY)) == (start, end, Precision.BETWEEN)


@pytest.mark.parametrize("typed", ["", "soon", "31/02/2025", "32 March", "15/13",
                                   "yesterday 25:00", "0025-03-15"])
def test_what_cannot_be_read_says_so(typed):
    with pytest.raises(ValidationError):
        read_typed_when(typed, TZ, TODAY)


def test_29_february_without_a_year_is_the_last_one():
    assert local(read_typed_when("29 Feb", TZ, TODAY))[0] == datetime(2024, 2, 29)


@given(st.integers(min_value=0, max_value=364), st.sampled_from(["%d %B", "%d/%m", "%B %d",
                                                                   "%d %b"]))
def test_a_day_in_the_last_year_typed_without_its_year_reads_back(days_ago, form):
    day = TODAY - timedelta(days=days_ago)
    assert local(read_typed_when(day.strftime(form), TZ, TODAY))[0] == \
        datetime(day.year, day.month, day.day)
