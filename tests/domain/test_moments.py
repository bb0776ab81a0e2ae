"""A date and time typed as one value (``domain.moments``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mash_desk.domain.moments import MomentError, format_day, format_moment, parse_day, parse_moment

NOW = datetime(2026, 12, 7, 16, 45, 12)

moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda m: m.replace(second=0, microsecond=0)
)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("7/12/2026 14:30", datetime(2026, 12, 7, 14, 30)),
        ("07/12/2026 14:30", datetime(2026, 12, 7, 14, 30)),
        ("7.12.26 9.05", datetime(2026, 12, 7, 9, 5)),
        ("2026-12-06 23:59", datetime(2026, 12, 6, 23, 59)),
        ("today 14:30", datetime(2026, 12, 7, 14, 30)),
        ("Today at 2:30pm", datetime(2026, 12, 7, 14, 30)),
        ("yesterday 9 am", datetime(2026, 12, 6, 9, 0)),
        ("12am", datetime(2026, 12, 7, 0, 0)),
        ("  14:30 ", datetime(2026, 12, 7, 14, 30)),
        ("now", datetime(2026, 12, 7, 16, 45)),
    ],
)
def test_what_people_type(typed: str, meant: datetime) -> None:
    assert parse_moment(typed, NOW) == meant


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter when"),
        ("7/12/2026", "Add the time"),
        ("today", "Add the time"),
        ("31/2/2026 10:00", "no such date"),
        ("7/12/2026 24:00", "no such time"),
        ("7/12/2026 13pm", "1 to 12"),
        ("7/12/2026 14", "hours:minutes"),
        ("tuesday 10:00", "day/month/year"),
        ("7/12/2026 14:30 extra", "date and then the time"),
    ],
)
def test_a_clear_message_for_what_is_not_a_moment(typed: str, says: str) -> None:
    with pytest.raises(MomentError, match=says):
        parse_moment(typed, NOW)


@given(moments)
def test_a_written_moment_reads_back_as_itself(moment: datetime) -> None:
    assert parse_moment(format_moment(moment), NOW) == moment


@given(st.times().map(lambda t: t.replace(second=0, microsecond=0)), st.sampled_from(["today", "yesterday", ""]))
def test_a_day_word_and_a_time(clock: time, word: str) -> None:
    day = NOW.date() - timedelta(days=1 if word == "yesterday" else 0)
    assert parse_moment(f"{word} {clock:%H:%M}", NOW) == datetime.combine(day, clock)


@given(st.text(max_size=30))
def test_any_text_is_a_moment_or_a_message(typed: str) -> None:
    message = ""
    try:
        moment = parse_moment(typed, NOW)
    except MomentError as exc:  # never a bare ValueError from deep inside, never an empty message
        message = str(exc)
        assert message.endswith(".")
    else:
        assert moment.tzinfo is None


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("07/12/2026", date(2026, 12, 7)),
        ("7/3/2025", date(2025, 3, 7)),  # day first, as written in the UK
        ("7.3.25", date(2025, 3, 7)),
        ("2026-12-07", date(2026, 12, 7)),
        (" Today ", NOW.date()),
        ("yesterday", NOW.date() - timedelta(days=1)),
        ("tomorrow", NOW.date() + timedelta(days=1)),
    ],
)
def test_a_date_typed_as_one_value(typed: str, day: date) -> None:
    assert parse_day(typed, NOW.date()) == day


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter a date"),
        ("31/02/2026", "no such date"),
        ("7 December", "day/month/year, for example 07/12/2026"),
        ("07/12/2026 14:30", "day/month/year"),
    ],
)
def test_a_clear_message_for_what_is_not_a_date(typed: str, says: str) -> None:
    with pytest.raises(MomentError, match=says):
        parse_day(typed, NOW.date())


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_a_written_date_reads_back_as_itself(day: date) -> None:
    assert parse_day(format_day(day), NOW.date()) == day
