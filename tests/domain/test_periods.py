"""Reporting periods: London calendar days, the census year, Annex A's six months."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.periods import Period, annex_a_period, census_period, london_date


def test_periods_are_london_days() -> None:
    summer = Period(date(2025, 7, 1), date(2025, 7, 1))
    assert summer.start == datetime(2025, 6, 30, 23, 0, tzinfo=UTC)  # BST
    assert summer.end == datetime(2025, 7, 1, 23, 0, tzinfo=UTC)
    assert london_date(datetime(2025, 6, 30, 23, 30, tzinfo=UTC)) == date(2025, 7, 1)
    with pytest.raises(InvalidInput) as caught:
        Period(date(2025, 7, 2), date(2025, 7, 1))
    assert "period" in caught.value.field_errors


def test_census_year_runs_april_to_march() -> None:
    assert census_period(2024) == Period(date(2023, 4, 1), date(2024, 3, 31))
    with pytest.raises(InvalidInput):
        census_period(24)


def test_annex_a_covers_six_months_up_to_the_date() -> None:
    assert annex_a_period(date(2026, 3, 10)) == Period(date(2025, 9, 11), date(2026, 3, 10))
    assert annex_a_period(date(2026, 8, 31)) == Period(date(2026, 3, 1), date(2026, 8, 31))
