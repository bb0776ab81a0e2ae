"""Percentage agreement and Fleiss' kappa, against examples worked by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mash_desk.domain.agreement import (
    count_table,
    fleiss,
    least_agreed,
    mean_difference,
    share_matching,
    subject_agreement,
)

PROPERTY = settings(max_examples=150, deadline=None)


def test_a_small_example_worked_by_hand() -> None:
    """Three vignettes, three raters, two categories (level 3 and level 4):

    ========  =======  =======  ==========================================
    vignette  level 3  level 4  P_i = sum n_ij (n_ij - 1) / (n (n - 1))
    ========  =======  =======  ==========================================
    V1        3        0        (3*2 + 0) / (3*2) = 1
    V2        2        1        (2*1 + 0) / 6     = 1/3
    V3        0        3        (0 + 3*2) / 6     = 1
    ========  =======  =======  ==========================================

    P-bar = (1 + 1/3 + 1) / 3 = 7/9 (78% of pairs of raters agree).
    p_3 = 5/9, p_4 = 4/9, so P-bar-e = 25/81 + 16/81 = 41/81.
    kappa = (7/9 - 41/81) / (1 - 41/81) = (63/81 - 41/81) / (40/81) = 22/40 = 0.55.
    """
    result = fleiss([[3, 0], [2, 1], [0, 3]])
    assert result.subjects == 3
    assert result.ratings == 9
    assert result.observed == pytest.approx(float(Fraction(7, 9)))
    assert result.expected == pytest.approx(float(Fraction(41, 81)))
    assert result.kappa == pytest.approx(0.55)
    assert result.percentage == pytest.approx(77.78, abs=0.01)


def test_the_published_example_of_fourteen_raters_and_ten_subjects() -> None:
    """The worked example in Fleiss' kappa's usual presentation (10 subjects, 14 raters, 5 categories):
    P-bar = 0.378, P-bar-e = 0.213, kappa = 0.210 (each to three places, as published)."""
    table = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    result = fleiss(table)
    assert result.observed == pytest.approx(0.378, abs=0.0005)
    assert result.expected == pytest.approx(0.213, abs=0.0005)
    assert result.kappa == pytest.approx(0.210, abs=0.0005)
    assert subject_agreement(table[1]) == pytest.approx(0.253, abs=0.0005)


def test_perfect_agreement_is_one_and_systematic_disagreement_is_below_zero() -> None:
    assert fleiss([[4, 0], [0, 4]]).kappa == pytest.approx(1.0)
    # every vignette split evenly: observed agreement below what chance gives
    split = fleiss([[1, 1], [1, 1]])
    assert split.observed == 0.0
    assert split.kappa == pytest.approx(-1.0)


def test_undefined_cases_say_so_rather_than_divide_by_zero() -> None:
    assert fleiss([]).kappa is None
    assert fleiss([[1, 0], [0, 1]]).kappa is None  # one rating each: nothing to compare
    one_category = fleiss([[3, 0], [2, 0]])
    assert one_category.observed == 1.0
    assert one_category.kappa is None
    with pytest.raises(ValueError, match="one count per category"):
        fleiss([[1, 2], [1]])
    with pytest.raises(ValueError, match="negative"):
        subject_agreement([2, -1])


def test_unequal_raters_per_vignette_reduce_to_fleiss_when_equal() -> None:
    # V1 rated by 3, V2 by 2: P_1 = 1/3, P_2 = 1, P-bar = 2/3; p = (3/5, 2/5), Pe = 13/25
    result = fleiss([[2, 1], [0, 2]])
    assert result.observed == pytest.approx(2 / 3)
    assert result.expected == pytest.approx(13 / 25)
    assert result.kappa == pytest.approx((2 / 3 - 13 / 25) / (1 - 13 / 25))


def test_counting_pairs_into_a_table_and_the_helpers() -> None:
    subjects, rows = count_table([("a", 3), ("b", 4), ("a", 3), ("a", 4)], [1, 2, 3, 4])
    assert subjects == ["a", "b"]
    assert rows == [[0, 0, 2, 1], [0, 0, 0, 1]]
    with pytest.raises(ValueError, match="not one of the categories"):
        count_table([("a", 5)], [1, 2, 3, 4])
    assert share_matching([3, 3, 4, 2], 3) == 0.5
    assert share_matching([], 3) is None
    assert mean_difference([(4, 3), (3, 3), (2, 3), (4, 3)]) == 0.25
    assert mean_difference([]) is None
    assert least_agreed({"a": [3, 0], "b": [1, 2], "c": [2, 2], "d": [1, 0]}, 2) == ["c", "b"]


@PROPERTY
@given(st.lists(st.lists(st.integers(0, 6), min_size=4, max_size=4), min_size=1, max_size=12))
def test_kappa_never_exceeds_one_and_observed_is_a_share(table: list[list[int]]) -> None:
    result = fleiss(table)
    if result.observed is not None:
        assert 0.0 <= result.observed <= 1.0
        assert result.expected is not None
        assert 0.0 < result.expected <= 1.0
    if result.kappa is not None:
        assert result.kappa <= 1.0 + 1e-9
