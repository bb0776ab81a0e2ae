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


QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}


def quarter_period(text: str) -> Period:
    """A calendar quarter written as ``2026Q3`` (July to September 2026); Q1 is January to March."""
    cleaned = text.strip().upper().replace("-", "").replace(" ", "")
    year_text, _, quarter_text = cleaned.partition("Q")
    if not (year_text.isdigit() and len(year_text) == 4 and quarter_text in {"1", "2", "3", "4"}):
        raise InvalidInput.single(
            "quarter", f"“{text}” is not a quarter; write the year and the quarter, as in 2026Q3 (July to September)."
        )
    year = int(year_text)
    if not 2000 <= year <= 2100:
        raise InvalidInput.single("quarter", f"{year} is outside the years MASH Desk reports on (2000 to 2100).")
    first_month, last_month = QUARTER_MONTHS[int(quarter_text)]
    last_day = add_months(date(year, last_month, 1), 1) - timedelta(days=1)
    return Period(date(year, first_month, 1), last_day)


def quarter_name(period: Period) -> str:
    """``2026Q3`` for the calendar quarter that starts on ``period.first``."""
    return f"{period.first.year}Q{(period.first.month - 1) // 3 + 1}"


def quarter_of(day: date) -> Period:
    """The calendar quarter ``day`` falls in."""
    return quarter_period(f"{day.year}Q{(day.month - 1) // 3 + 1}")


def month_ends(period: Period) -> list[date]:
    """The last day of each calendar month the period touches, capped at the period's last day."""
    ends: list[date] = []
    cursor = date(period.first.year, period.first.month, 1)
    while cursor <= period.last:
        end_of_month = add_months(cursor, 1) - timedelta(days=1)
        ends.append(min(end_of_month, period.last))
        cursor = add_months(cursor, 1)
    return ends
