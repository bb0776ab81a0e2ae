"""Reporting periods: whole days on the Europe/London calendar, turned into UTC instants for queries.

Contacts are stored in UTC; a manager's "March" or an inspector's "six months" are London dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.timescales import LONDON
from mash_desk.domain.validation import add_months


def london_date(moment: datetime) -> date:
    """The London calendar date of an aware instant."""
    return moment.astimezone(LONDON).date()


def london_midnight(day: date) -> datetime:
    """00:00 London time on ``day``, in UTC (midnight always exists: clocks change at 01:00/02:00)."""
    return datetime.combine(day, time(0, 0), tzinfo=LONDON).astimezone(UTC)


@dataclass(frozen=True)
class Period:
    """Whole London days from ``first`` to ``last`` inclusive."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise InvalidInput.single(
                "period", f"The period starts ({self.first:%d %b %Y}) after it ends ({self.last:%d %b %Y})."
            )

    @property
    def start(self) -> datetime:
        """The first instant of the period, UTC (inclusive)."""
        return london_midnight(self.first)

    @property
    def end(self) -> datetime:
        """The instant after the period, UTC (exclusive)."""
        return london_midnight(self.last + timedelta(days=1))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


def annex_a_period(inspection_date: date) -> Period:
    """Ofsted Annex A lists: the six months up to and including the inspection (extract) date.

    From the day after the same date six months earlier, so a list run on 10 March covers
    11 September to 10 March: six calendar months, no day counted twice across two extracts.
    """
    return Period(add_months(inspection_date, -6) + timedelta(days=1), inspection_date)


def census_period(year: int) -> Period:
    """The CIN census collection year ``year``: 1 April of the year before to 31 March of ``year``.

    The 2024 census (reference date 31 March 2024) counts referrals from 1 April 2023 to 31 March 2024.
    """
    if not 2000 <= year <= 2100:
        raise InvalidInput.single("year", f"{year} is not a census year; give the year the census ends, as in 2024.")
    return Period(date(year - 1, 4, 1), date(year, 3, 31))
