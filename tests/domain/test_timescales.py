"""Tests for the timescale policy and the deadline arithmetic (working days, working hours, clock hours)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mash_desk.domain.enums import ClockKind, Rag, TimescaleKey
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.timescales import (
    DEFAULT_POLICY,
    TimescalePolicy,
    TimescaleRule,
    WorkingCalendar,
    due_at,
    is_overdue,
    rag_key,
    time_left,
    validate_policy_row,
)

LONDON = ZoneInfo("Europe/London")
CALENDAR = WorkingCalendar()
PROPERTY = settings(max_examples=120, deadline=None)


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def as_london(moment: datetime) -> datetime:
    assert moment.utcoffset() == timedelta(0), "deadlines come back in UTC"
    return moment.astimezone(LONDON)


# --- Policy -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "amount", "clock"),
    [
        (TimescaleKey.RED, 4, ClockKind.CLOCK_HOURS),
        (TimescaleKey.AMBER, 24, ClockKind.CLOCK_HOURS),
        (TimescaleKey.GREEN, 72, ClockKind.CLOCK_HOURS),
        (TimescaleKey.DECISION, 1, ClockKind.WORKING_DAYS),
        (TimescaleKey.HANDOFF_ACCEPTANCE, 1, ClockKind.WORKING_DAYS),
        (TimescaleKey.ACKNOWLEDGEMENT, 1, ClockKind.WORKING_DAYS),
        (TimescaleKey.SUPERVISION, 20, ClockKind.WORKING_DAYS),
    ],
)
def test_default_policy(key: TimescaleKey, amount: int, clock: ClockKind) -> None:
    assert DEFAULT_POLICY.rule(key) == TimescaleRule(key, amount, clock)


def test_default_policy_covers_every_key() -> None:
    assert set(DEFAULT_POLICY.rules) == set(TimescaleKey)


@pytest.mark.parametrize(
    ("rag", "key"), [(Rag.RED, TimescaleKey.RED), (Rag.AMBER, TimescaleKey.AMBER), (Rag.GREEN, TimescaleKey.GREEN)]
)
def test_rag_key(rag: Rag, key: TimescaleKey) -> None:
    assert rag_key(rag) is key


@pytest.mark.parametrize("amount", [0, -1])
def test_rule_amount_must_be_positive(amount: int) -> None:
    with pytest.raises(ValueError, match="positive"):
        TimescaleRule(TimescaleKey.RED, amount, ClockKind.CLOCK_HOURS)


def test_policy_rejects_a_rule_filed_under_the_wrong_key() -> None:
    rules = dict(DEFAULT_POLICY.rules)
    rules[TimescaleKey.RED] = TimescaleRule(TimescaleKey.AMBER, 4, ClockKind.CLOCK_HOURS)
    with pytest.raises(ValueError, match="filed under red"):
        TimescalePolicy(rules)


def test_policy_must_cover_every_key() -> None:
    rules = dict(DEFAULT_POLICY.rules)
    del rules[TimescaleKey.ACKNOWLEDGEMENT]
    with pytest.raises(ValueError, match="no rule for: acknowledgement"):
        TimescalePolicy(rules)


def test_policy_is_not_changed_by_its_source_or_in_place() -> None:
    rules = dict(DEFAULT_POLICY.rules)
    policy = TimescalePolicy(rules)
    rules[TimescaleKey.RED] = TimescaleRule(TimescaleKey.RED, 2, ClockKind.CLOCK_HOURS)
    assert policy.rule(TimescaleKey.RED).amount == 4
    with pytest.raises(TypeError):
        policy.rules[TimescaleKey.RED] = rules[TimescaleKey.RED]  # type: ignore[index]


def test_validate_policy_row_accepts_a_good_row() -> None:
    assert validate_policy_row("amber", 3, "working_days") == TimescaleRule(
        TimescaleKey.AMBER, 3, ClockKind.WORKING_DAYS
    )
    assert validate_policy_row("red", 1, "working_hours").amount == 1
    assert validate_policy_row("red", 10_000, "clock_hours").amount == 10_000


@pytest.mark.parametrize(
    ("key", "amount", "clock", "fields"),
    [
        ("purple", 4, "clock_hours", {"key"}),
        ("RED", 4, "clock_hours", {"key"}),
        ("red", 0, "clock_hours", {"amount"}),
        ("red", -3, "clock_hours", {"amount"}),
        ("red", 10_001, "clock_hours", {"amount"}),
        ("red", True, "clock_hours", {"amount"}),
        ("red", 4, "fortnights", {"clock"}),
        ("", 0, "", {"key", "amount", "clock"}),
    ],
)
def test_validate_policy_row_reports_each_bad_field(key: str, amount: int, clock: str, fields: set[str]) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        validate_policy_row(key, amount, clock)
    assert set(excinfo.value.field_errors) == fields
    if "amount" in fields:
        assert excinfo.value.field_errors["amount"] == "The time allowed must be a whole number from 1 to 10,000."


# --- Working days -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 6, 10), True),  # Tuesday
        (date(2025, 6, 14), False),  # Saturday
        (date(2025, 6, 15), False),  # Sunday
        (date(2025, 4, 18), False),  # Good Friday
        (date(2025, 4, 21), False),  # Easter Monday
        (date(2025, 5, 5), False),  # early May bank holiday
        (date(2025, 8, 25), False),  # late summer bank holiday (England, not Scotland's date)
        (date(2025, 8, 4), True),  # Scotland's summer holiday is a working day in England
        (date(2025, 3, 17), True),  # St Patrick's Day is Northern Ireland only
        (date(2025, 12, 25), False),
        (date(2025, 12, 26), False),
        (date(2021, 12, 27), False),  # Christmas Day substitute
        (date(2021, 12, 28), False),  # Boxing Day substitute
        (date(2021, 12, 29), True),
        (date(2022, 9, 19), False),  # state funeral: a one-off bank holiday
        (date(2023, 5, 8), False),  # coronation
        (date(2026, 12, 28), False),  # Boxing Day (Saturday) substitute
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert CALENDAR.is_working_day(day) is working


def test_extra_closures_are_not_working_days() -> None:
    calendar = WorkingCalendar([date(2025, 6, 11)])
    assert not calendar.is_working_day(date(2025, 6, 11))
    assert calendar.add_working_days(london(2025, 6, 10, 10, 30), 1) == london(2025, 6, 12, 10, 30)


def test_bank_holidays_are_looked_up_once_per_year(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = holidays.country_holidays

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("years"))
        return real(*args, **kwargs)

    monkeypatch.setattr(holidays, "country_holidays", counting)
    calendar = WorkingCalendar()
    for offset in range(400):
        calendar.is_working_day(date(2025, 1, 1) + timedelta(days=offset))
    assert calls == [2025, 2026]


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # the same clock time on the next working day
        (london(2025, 6, 10, 10, 30), london(2025, 6, 11, 10, 30)),  # Tue → Wed
        (london(2025, 6, 13, 15, 0), london(2025, 6, 16, 15, 0)),  # Fri → Mon
        (london(2025, 6, 10, 20, 0), london(2025, 6, 11, 20, 0)),  # after hours keeps its clock time
        (london(2025, 4, 17, 14, 0), london(2025, 4, 22, 14, 0)),  # Thu before Good Friday → Tue after Easter
        # received on a non-working day: as if at 09:00 on the next working day
        (london(2025, 6, 14, 11, 0), london(2025, 6, 17, 9, 0)),  # Sat → Mon 09:00 → Tue 09:00
        (london(2025, 6, 15, 23, 59), london(2025, 6, 17, 9, 0)),  # Sun late
        (london(2025, 4, 18, 12, 0), london(2025, 4, 23, 9, 0)),  # Good Friday → Tue 09:00 → Wed 09:00
        # received before 09:00 on a working day: as if at 09:00
        (london(2025, 6, 16, 0, 30), london(2025, 6, 17, 9, 0)),
        (london(2025, 6, 16, 8, 59), london(2025, 6, 17, 9, 0)),
        (london(2025, 6, 16, 9, 0), london(2025, 6, 17, 9, 0)),
        # Christmas and New Year
        (london(2025, 12, 24, 10, 0), london(2025, 12, 29, 10, 0)),  # Thu 25, Fri 26 off
        (london(2021, 12, 24, 12, 0), london(2021, 12, 29, 12, 0)),  # both substitutes on Mon 27, Tue 28
        (london(2026, 12, 24, 16, 0), london(2026, 12, 29, 16, 0)),  # Boxing Day substitute Mon 28
        (london(2026, 12, 26, 11, 0), london(2026, 12, 30, 9, 0)),  # Boxing Day itself → Tue 09:00 → Wed
        (london(2025, 12, 31, 16, 0), london(2026, 1, 2, 16, 0)),  # across the year end
        # clock changes: the wall-clock time is kept, so the real interval is an hour shorter/longer
        (london(2025, 3, 28, 10, 30), london(2025, 3, 31, 10, 30)),
        (london(2025, 10, 24, 10, 30), london(2025, 10, 27, 10, 30)),
        (london(2025, 3, 30, 1, 30), london(2025, 4, 1, 9, 0)),  # received in the missing hour
    ],
)
def test_one_working_day(received: datetime, due: datetime) -> None:
    result = CALENDAR.add_working_days(received, 1)
    assert as_london(result) == due
    assert as_london(result).time() == due.time()


def test_working_days_across_clock_changes_in_real_time() -> None:
    spring = CALENDAR.add_working_days(london(2025, 3, 28, 10, 30), 1)
    assert spring - london(2025, 3, 28, 10, 30) == timedelta(days=3, hours=-1)
    assert spring == datetime(2025, 3, 31, 9, 30, tzinfo=UTC)
    autumn = CALENDAR.add_working_days(london(2025, 10, 24, 10, 30), 1)
    assert autumn - london(2025, 10, 24, 10, 30) == timedelta(days=3, hours=1)
    assert autumn == datetime(2025, 10, 27, 10, 30, tzinfo=UTC)


def test_received_in_the_repeated_autumn_hour() -> None:
    first = datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 01:30 BST
    second = datetime(2025, 10, 26, 1, 30, tzinfo=UTC)  # 01:30 GMT
    assert CALENDAR.add_working_days(first, 1) == CALENDAR.add_working_days(second, 1) == london(2025, 10, 28, 9)


def test_start_in_another_zone_is_read_on_the_london_clock() -> None:
    # 09:30 UTC is 10:30 in London in June
    assert CALENDAR.add_working_days(datetime(2025, 6, 10, 9, 30, tzinfo=UTC), 1) == london(2025, 6, 11, 10, 30)


def test_several_working_days() -> None:
    # Wed 16 April 2025: Thu 17, then Good Friday and Easter Monday are skipped: Tue 22, Wed 23
    assert CALENDAR.add_working_days(london(2025, 4, 16, 11), 3) == london(2025, 4, 23, 11)
    assert CALENDAR.add_working_days(london(2025, 6, 13, 15), 0) == london(2025, 6, 13, 15)
    assert CALENDAR.add_working_days(london(2025, 6, 14, 15), 0) == london(2025, 6, 16, 9)


def test_negative_working_days_are_a_bug() -> None:
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.add_working_days(london(2025, 6, 10, 10), -1)


# --- Working hours ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (london(2025, 6, 10, 10), 4, london(2025, 6, 10, 14)),
        (london(2025, 6, 10, 15), 4, london(2025, 6, 11, 11)),
        (london(2025, 6, 10, 9), 8, london(2025, 6, 10, 17)),  # a whole day ends at 17:00, not 09:00 next
        (london(2025, 6, 10, 9), 9, london(2025, 6, 11, 10)),
        (london(2025, 6, 13, 16), 2, london(2025, 6, 16, 10)),  # Fri → Mon
        (london(2025, 6, 14, 11), 1, london(2025, 6, 16, 10)),  # Sat counts from Mon 09:00
        (london(2025, 6, 10, 18), 1, london(2025, 6, 11, 10)),  # evening counts from next morning
        (london(2025, 6, 10, 17), 1, london(2025, 6, 11, 10)),
        (london(2025, 6, 10, 7), 1, london(2025, 6, 10, 10)),  # early morning counts from 09:00
        (london(2025, 4, 17, 16), 2, london(2025, 4, 22, 10)),  # Easter
        (london(2025, 12, 24, 15, 30), 4, london(2025, 12, 29, 11, 30)),  # Christmas
        (london(2025, 3, 28, 16), 2, london(2025, 3, 31, 10)),  # clock change over the weekend
        (london(2025, 6, 10, 10), 40, london(2025, 6, 17, 10)),  # five working days of eight hours
        (london(2025, 6, 14, 11), 0, london(2025, 6, 16, 9)),
    ],
)
def test_working_hours(start: datetime, hours: int, due: datetime) -> None:
    assert as_london(CALENDAR.add_working_hours(start, hours)) == due


def test_negative_working_hours_are_a_bug() -> None:
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.add_working_hours(london(2025, 6, 10, 10), -1)


# --- Clock hours and dispatch -----------------------------------------------------------------------


def test_red_is_four_real_hours_across_the_spring_clock_change() -> None:
    start = london(2025, 3, 29, 23, 0)  # GMT
    due = due_at(start, DEFAULT_POLICY.rule(TimescaleKey.RED), CALENDAR)
    assert due - start == timedelta(hours=4)
    assert as_london(due).replace(tzinfo=None) == datetime(2025, 3, 30, 4, 0)  # five hours on the wall clock


def test_red_is_four_real_hours_across_the_autumn_clock_change() -> None:
    start = datetime(2025, 10, 25, 23, 30, tzinfo=UTC)  # 00:30 BST
    due = due_at(start, DEFAULT_POLICY.rule(TimescaleKey.RED), CALENDAR)
    assert due - start == timedelta(hours=4)
    assert as_london(due).replace(tzinfo=None) == datetime(2025, 10, 26, 3, 30)  # three on the wall clock


def test_clock_hours_run_through_nights_weekends_and_holidays() -> None:
    start = london(2025, 12, 24, 18)
    assert due_at(start, DEFAULT_POLICY.rule(TimescaleKey.GREEN), CALENDAR) == london(2025, 12, 27, 18)


def test_due_at_dispatches_on_the_clock() -> None:
    start = london(2025, 6, 13, 15)  # Friday
    assert due_at(start, TimescaleRule(TimescaleKey.RED, 4, ClockKind.CLOCK_HOURS), CALENDAR) == london(2025, 6, 13, 19)
    assert due_at(start, TimescaleRule(TimescaleKey.RED, 4, ClockKind.WORKING_HOURS), CALENDAR) == london(
        2025, 6, 16, 11
    )
    assert due_at(start, TimescaleRule(TimescaleKey.RED, 4, ClockKind.WORKING_DAYS), CALENDAR) == london(
        2025, 6, 19, 15
    )
    assert due_at(start, DEFAULT_POLICY.rule(TimescaleKey.DECISION), CALENDAR) == london(2025, 6, 16, 15)


@pytest.mark.parametrize("clock", list(ClockKind))
def test_due_at_returns_utc(clock: ClockKind) -> None:
    due = due_at(london(2025, 6, 10, 10), TimescaleRule(TimescaleKey.GREEN, 3, clock), CALENDAR)
    assert due.tzinfo is UTC


def test_time_left_and_overdue() -> None:
    due = london(2025, 6, 10, 14)
    assert time_left(due, london(2025, 6, 10, 13)) == timedelta(hours=1)
    assert time_left(due, london(2025, 6, 10, 15, 30)) == timedelta(hours=-1, minutes=-30)
    assert not is_overdue(due, london(2025, 6, 10, 13, 59))
    assert not is_overdue(due, due)
    assert is_overdue(due, due + timedelta(microseconds=1))
    assert time_left(due, datetime(2025, 6, 10, 13, tzinfo=UTC)) == timedelta(0)  # 14:00 BST is 13:00 UTC


NAIVE = datetime(2025, 6, 10, 10, 0)
AWARE = datetime(2025, 6, 10, 10, 0, tzinfo=LONDON)
RED = DEFAULT_POLICY.rule(TimescaleKey.RED)


@pytest.mark.parametrize(
    "call",
    [
        lambda: CALENDAR.add_working_days(NAIVE, 1),
        lambda: CALENDAR.add_working_hours(NAIVE, 1),
        lambda: due_at(NAIVE, RED, CALENDAR),
        lambda: time_left(NAIVE, AWARE),
        lambda: time_left(AWARE, NAIVE),
        lambda: is_overdue(NAIVE, AWARE),
        lambda: is_overdue(AWARE, NAIVE),
    ],
    ids=["working_days", "working_hours", "due_at", "time_left_due", "time_left_now", "overdue_due", "overdue_now"],
)
def test_naive_datetimes_are_refused(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


# --- Properties -------------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2020, 1, 1),  # naive bounds; timezones= makes values aware
    max_value=datetime(2030, 12, 31),
    timezones=st.just(UTC),
)


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """Brute force: how much of [start, end] lies in 09:00-17:00 London time on working days."""
    local_start, local_end = start.astimezone(LONDON), end.astimezone(LONDON)
    total = timedelta(0)
    day = local_start.date()
    while day <= local_end.date():
        if CALENDAR.is_working_day(day):
            opens = datetime.combine(day, time(9), tzinfo=LONDON)
            closes = datetime.combine(day, time(17), tzinfo=LONDON)
            overlap = min(closes, local_end) - max(opens, local_start)
            total += max(overlap, timedelta(0))
        day += timedelta(days=1)
    return total


@PROPERTY
@given(moments, st.integers(1, 30))
def test_working_day_deadlines_fall_on_working_days_in_sensible_hours(start: datetime, days: int) -> None:
    due = CALENDAR.add_working_days(start, days)
    local = as_london(due)
    assert CALENDAR.is_working_day(local.date())
    assert local.time() >= time(9)
    assert due > start
    working_days_between = sum(
        1
        for offset in range(1, (local.date() - start.astimezone(LONDON).date()).days + 1)
        if CALENDAR.is_working_day(start.astimezone(LONDON).date() + timedelta(days=offset))
    )
    assert working_days_between in (days, days + 1)  # +1 when received on a non-working day


@PROPERTY
@given(moments, moments, st.integers(0, 5))
def test_a_later_receipt_is_never_due_earlier(a: datetime, b: datetime, days: int) -> None:
    early, late = min(a, b), max(a, b)
    assert CALENDAR.add_working_days(early, days) <= CALENDAR.add_working_days(late, days)


@PROPERTY
@given(moments, st.integers(0, 10), st.integers(0, 10))
def test_working_days_add_up(start: datetime, first: int, then: int) -> None:
    assert CALENDAR.add_working_days(CALENDAR.add_working_days(start, first), then) == (
        CALENDAR.add_working_days(start, first + then)
    )


@PROPERTY
@given(moments, st.integers(1, 60))
def test_working_hours_count_exactly_the_working_time(start: datetime, hours: int) -> None:
    due = CALENDAR.add_working_hours(start, hours)
    assert working_time_between(start, due) == timedelta(hours=hours)
    local = as_london(due)
    assert CALENDAR.is_working_day(local.date())
    assert time(9) < local.time() <= time(17)


@PROPERTY
@given(moments, st.integers(0, 20), st.integers(1, 20))
def test_working_hours_add_up(start: datetime, first: int, then: int) -> None:
    assert CALENDAR.add_working_hours(CALENDAR.add_working_hours(start, first), then) == (
        CALENDAR.add_working_hours(start, first + then)
    )


@PROPERTY
@given(moments, st.integers(1, 200))
def test_clock_hours_are_real_elapsed_hours(start: datetime, hours: int) -> None:
    rule = TimescaleRule(TimescaleKey.AMBER, hours, ClockKind.CLOCK_HOURS)
    due = due_at(start.astimezone(LONDON), rule, CALENDAR)
    assert due - start == timedelta(hours=hours)
    assert due.tzinfo is UTC


@PROPERTY
@given(moments, moments)
def test_overdue_means_time_left_is_negative(due: datetime, now: datetime) -> None:
    assert is_overdue(due, now) == (now > due)
    assert now + time_left(due.astimezone(LONDON), now) == due
