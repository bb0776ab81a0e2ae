"""Tests for DASH risk checklist scoring and Graded Care Profile 2 grades."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.risk import (
    DASH_QUESTION_COUNT,
    DASH_TOPICS,
    GCP_AREAS,
    DashLevel,
    DashResult,
    GcpTrend,
    check_gcp_review_date,
    compare_gcp,
    dash_level_for,
    dash_progress,
    gcp_concern_level,
    gcp_review_overdue,
    score_dash,
    validate_gcp_grades,
)

PROPERTY = settings(max_examples=150, deadline=None)


def answers_with(yes: int, *, rest: bool | None = False) -> list[bool | None]:
    return [True] * yes + [rest] * (DASH_QUESTION_COUNT - yes)


def test_dash_has_24_questions() -> None:
    assert DASH_QUESTION_COUNT == 24


@pytest.mark.parametrize(
    ("yes", "level"),
    [
        (0, DashLevel.STANDARD),
        (9, DashLevel.STANDARD),
        (10, DashLevel.MEDIUM),
        (13, DashLevel.MEDIUM),
        (14, DashLevel.HIGH),
        (24, DashLevel.HIGH),
    ],
)
def test_dash_levels_at_the_boundaries(yes: int, level: DashLevel) -> None:
    result = score_dash(answers_with(yes))
    assert result == DashResult(
        yes_count=yes, level=level, marac_referral=level is DashLevel.HIGH, professional_judgement=False
    )


def test_unanswered_questions_count_as_no() -> None:
    assert score_dash(answers_with(13, rest=None)).level is DashLevel.MEDIUM
    assert score_dash([None] * DASH_QUESTION_COUNT).yes_count == 0


@pytest.mark.parametrize("count", [0, 23, 25])
def test_dash_needs_exactly_24_answers(count: int) -> None:
    with pytest.raises(ValueError, match="24 questions"):
        score_dash([False] * count)


def test_professional_judgement_raises_to_high_with_a_reason() -> None:
    result = score_dash(answers_with(5), professional_judgement_high=True, judgement_reason="Threats to kill.")
    assert result == DashResult(yes_count=5, level=DashLevel.HIGH, marac_referral=True, professional_judgement=True)


@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_professional_judgement_without_a_reason_is_refused(reason: str | None) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        score_dash(answers_with(5), professional_judgement_high=True, judgement_reason=reason)
    assert list(excinfo.value.field_errors) == ["judgement_reason"]
    assert "Say why" in excinfo.value.field_errors["judgement_reason"]


def test_judgement_is_recorded_even_when_the_count_is_already_high() -> None:
    result = score_dash(answers_with(20), professional_judgement_high=True, judgement_reason="Strangulation.")
    assert result.level is DashLevel.HIGH
    assert result.professional_judgement


def test_a_reason_without_judgement_changes_nothing() -> None:
    result = score_dash(answers_with(5), judgement_reason="Some notes.")
    assert result.level is DashLevel.STANDARD
    assert not result.professional_judgement


@PROPERTY
@given(st.lists(st.sampled_from([True, False, None]), min_size=24, max_size=24))
def test_dash_score_is_the_number_of_yes_answers(answers: list[bool | None]) -> None:
    result = score_dash(answers)
    assert result.yes_count == answers.count(True)
    assert result.marac_referral == (result.level is DashLevel.HIGH)
    expected = (
        DashLevel.HIGH if result.yes_count >= 14 else DashLevel.MEDIUM if result.yes_count >= 10 else DashLevel.STANDARD
    )
    assert result.level is expected


LEVEL_ORDER = [DashLevel.STANDARD, DashLevel.MEDIUM, DashLevel.HIGH]


@PROPERTY
@given(st.lists(st.booleans(), min_size=24, max_size=24), st.integers(0, 23))
def test_another_yes_never_lowers_the_level(answers: list[bool], question: int) -> None:
    more = [*answers[:question], True, *answers[question + 1 :]]
    assert LEVEL_ORDER.index(score_dash(more).level) >= LEVEL_ORDER.index(score_dash(answers).level)


# --- Graded Care Profile 2 --------------------------------------------------------------------------

GOOD = {"physical_care": 2, "safety": 1, "love_and_belonging": 3, "esteem": 5}


def test_gcp_areas() -> None:
    assert GCP_AREAS == ("physical_care", "safety", "love_and_belonging", "esteem")


def test_valid_grades_come_back_in_area_order() -> None:
    shuffled = {"esteem": 5, "safety": 1, "physical_care": 2, "love_and_belonging": 3}
    result = validate_gcp_grades(shuffled)
    assert result == GOOD
    assert list(result) == list(GCP_AREAS)


@pytest.mark.parametrize("bad", [0, 6, -1, True])
def test_grade_out_of_range_is_reported_against_its_area(bad: int) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        validate_gcp_grades({**GOOD, "safety": bad})
    assert list(excinfo.value.field_errors) == ["safety"]
    assert "1 (best) to 5 (worst)" in excinfo.value.field_errors["safety"]


def test_every_missing_or_unknown_area_is_reported() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        validate_gcp_grades({"physical_care": 9, "housing": 2})
    errors = excinfo.value.field_errors
    assert set(errors) == {"physical_care", "safety", "love_and_belonging", "esteem", "housing"}
    assert errors["safety"] == "Give a grade for care of safety."
    assert "not one of the four" in errors["housing"]


@pytest.mark.parametrize(
    ("grades", "level"),
    [
        ({"physical_care": 1, "safety": 1, "love_and_belonging": 1, "esteem": 1}, 1),
        (GOOD, 5),
        ({"physical_care": 4, "safety": 2, "love_and_belonging": 3, "esteem": 1}, 4),
    ],
)
def test_concern_level_is_the_worst_grade(grades: dict[str, int], level: int) -> None:
    assert gcp_concern_level(grades) == level


def test_concern_level_validates_first() -> None:
    with pytest.raises(InvalidInput):
        gcp_concern_level({"physical_care": 3})


@PROPERTY
@given(st.fixed_dictionaries({area: st.integers(1, 5) for area in GCP_AREAS}))
def test_concern_level_is_one_of_the_grades_and_no_better_than_any(grades: dict[str, int]) -> None:
    level = gcp_concern_level(grades)
    assert level in grades.values()
    assert all(level >= grade for grade in grades.values())


# --- what the window shows as the checklist is answered, and the GCP2's review ----------------------


def test_every_dash_question_has_a_short_topic() -> None:
    assert len(DASH_TOPICS) == DASH_QUESTION_COUNT
    assert len(set(DASH_TOPICS)) == DASH_QUESTION_COUNT


@PROPERTY
@given(st.lists(st.sampled_from([True, False, None]), max_size=DASH_QUESTION_COUNT))
def test_the_live_score_of_a_part_answered_checklist_is_the_score_of_it_padded_with_no(
    answers: list[bool | None],
) -> None:
    live = dash_progress(answers)
    assert live.yes_count == answers.count(True)
    assert live.level is dash_level_for(live.yes_count)
    assert live == score_dash(answers + [False] * (DASH_QUESTION_COUNT - len(answers)))


def test_the_gcp_comparison_says_better_same_or_worse_area_by_area() -> None:
    before = {"physical_care": 4, "safety": 3, "love_and_belonging": 2, "esteem": 5}
    now = {"physical_care": 2, "safety": 3, "love_and_belonging": 4, "esteem": 5}
    assert [(c.area, c.trend) for c in compare_gcp(before, now)] == [
        ("physical_care", GcpTrend.BETTER),
        ("safety", GcpTrend.SAME),
        ("love_and_belonging", GcpTrend.WORSE),
        ("esteem", GcpTrend.SAME),
    ]
    with pytest.raises(InvalidInput):
        compare_gcp(before, {**now, "esteem": 0})


@pytest.mark.parametrize(
    ("days", "problem"),
    [(None, "Set the date"), (-1, "after today"), (0, "after today"), (1, None), (182, None), (183, "26 weeks")],
)
def test_a_gcp_review_date_is_after_today_and_within_26_weeks(days: int | None, problem: str | None) -> None:
    today = date(2026, 3, 10)
    errors = check_gcp_review_date(None if days is None else today + timedelta(days=days), today)
    if problem is None:
        assert errors == {}
    else:
        assert problem in errors["review_on"]


def test_a_review_is_overdue_only_after_its_date_and_until_the_next_gcp() -> None:
    due, today = date(2026, 3, 10), date(2026, 3, 10)
    assert not gcp_review_overdue(due, reviewed=False, today=today)  # due today: not yet overdue
    assert gcp_review_overdue(due, reviewed=False, today=date(2026, 3, 11))
    assert not gcp_review_overdue(due, reviewed=True, today=date(2026, 3, 11))
    assert not gcp_review_overdue(None, reviewed=False, today=date(2026, 3, 11))
