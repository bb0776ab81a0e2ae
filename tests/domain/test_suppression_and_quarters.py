"""Small-number suppression and calendar quarters, the two rules the quarterly pack stands on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.periods import month_ends, quarter_name, quarter_of, quarter_period
from mash_desk.domain.suppression import chart_value, is_suppressed, shown_count, shown_percent, shown_statistic


@given(st.integers(min_value=0, max_value=10_000_000))
def test_only_one_to_four_is_suppressed(count: int) -> None:
    assert is_suppressed(count) == (1 <= count <= 4)
    assert (shown_count(count) == "<5") == (1 <= count <= 4)
    assert chart_value(count) == (0 if 1 <= count <= 4 else count)
    if not 1 <= count <= 4:
        assert shown_count(count).replace(",", "") == str(count)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_a_share_never_gives_a_suppressed_count_away(count: int, out_of: int) -> None:
    shown = shown_percent(count, out_of)
    if out_of == 0:
        assert shown == "n/a"
    elif is_suppressed(count) or is_suppressed(out_of):
        assert shown == "*"
    else:
        assert shown == f"{100 * count / out_of:.1f}%"


@given(
    st.one_of(st.none(), st.floats(min_value=-1.0, max_value=100.0, allow_nan=False)),
    st.integers(min_value=0, max_value=10_000),
    st.booleans(),
)
def test_a_statistic_from_a_few_ratings_is_not_shown(value: float | None, base: int, percent: bool) -> None:
    """Fleiss' kappa or an agreement over 1 to 4 ratings could give those people's answers away."""
    shown = shown_statistic(value, base, percent)
    if is_suppressed(base):
        assert shown == "*"
    elif value is None:
        assert shown == "n/a"
    else:
        assert shown == (f"{value:.1f}%" if percent else f"{value:.2f}")


def test_no_figure_shows_as_blank() -> None:
    assert shown_count(None) == shown_percent(None, 5) == shown_percent(3, None) == ""


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026q2", date(2026, 4, 1), date(2026, 6, 30)),
        (" 2026-Q3 ", date(2026, 7, 1), date(2026, 9, 30)),
        ("2024Q4", date(2024, 10, 1), date(2024, 12, 31)),
    ],
)
def test_quarters(text: str, first: date, last: date) -> None:
    period = quarter_period(text)
    assert (period.first, period.last) == (first, last)
    assert quarter_period(quarter_name(period)) == period


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_is_in_exactly_its_quarter(day: date) -> None:
    period = quarter_of(day)
    assert day in period
    if period.last < date(2100, 12, 31):
        assert quarter_of(period.last + timedelta(days=1)).first == period.last + timedelta(days=1)
    assert len(month_ends(period)) == 3


@pytest.mark.parametrize("text", ["2026Q0", "2026Q5", "Q3", "26Q1", "2026", "abcdQ1", "1999Q4", "2101Q1"])
def test_a_quarter_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        quarter_period(text)
    assert "quarter" in refused.value.field_errors
