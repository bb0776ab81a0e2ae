"""How close a typed date of birth is to a recorded one: a ranking signal for search, never a filter.

Dates of birth are slipped in known ways: day and month swapped (an American-style form, or
04/07 read the other way), a day out (born just before or after midnight, a digit slip), a year out
(the year a child starts school, or a typing slip). Search ranks a child whose date differs in one
of these ways just below one whose date is the same, and never hides them.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum


class BirthDateMatch(Enum):
    SAME = "same"
    SWAPPED = "day and month swapped"
    DAY_OUT = "a day out"
    YEAR_OUT = "a year out"


# points added to a candidate's score: the same date counts most, a known slip nearly as much
BIRTH_DATE_POINTS: dict[BirthDateMatch, float] = {
    BirthDateMatch.SAME: 1.0,
    BirthDateMatch.SWAPPED: 0.8,
    BirthDateMatch.DAY_OUT: 0.7,
    BirthDateMatch.YEAR_OUT: 0.7,
}


def _with_year(day: date, year: int) -> date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return None


def _swapped(day: date) -> date | None:
    if day.day > 12 or day.day == day.month:
        return None
    try:
        return date(day.year, day.day, day.month)
    except ValueError:
        return None


def near_birth_dates(typed: date) -> tuple[date, ...]:
    """The dates a typed date of birth may stand for, the typed date first."""
    candidates = [
        typed,
        _swapped(typed),
        typed - timedelta(days=1),
        typed + timedelta(days=1),
        _with_year(typed, typed.year - 1),
        _with_year(typed, typed.year + 1),
    ]
    return tuple(dict.fromkeys(day for day in candidates if day is not None))


def birth_date_match(typed: date, recorded: date | None) -> BirthDateMatch | None:
    """How the recorded date of birth meets the typed one, or None if it is not one slip away."""
    if recorded is None:
        return None
    if recorded == typed:
        return BirthDateMatch.SAME
    if recorded == _swapped(typed):
        return BirthDateMatch.SWAPPED
    if abs((recorded - typed).days) == 1:
        return BirthDateMatch.DAY_OUT
    if (recorded.month, recorded.day) == (typed.month, typed.day) and abs(recorded.year - typed.year) == 1:
        return BirthDateMatch.YEAR_OUT
    return None
