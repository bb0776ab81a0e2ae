"""What a rater and a manager may type in a threshold exercise: refused at the right field, every time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mash_desk.domain.enums import LevelOfNeed, Outcome
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.exercises import (
    MAX_TITLE,
    MIN_VIGNETTE,
    RATEABLE_OUTCOMES,
    check_rating,
    check_title,
    check_vignette_text,
    shift_weeks,
)
from mash_desk.domain.thresholds import OUTCOMES_BY_LEVEL

PROPERTY = settings(max_examples=200, deadline=None)


@PROPERTY
@given(
    level=st.one_of(st.none(), st.integers(-3, 8), st.text(max_size=3)),
    outcome=st.one_of(st.none(), st.text(max_size=25), st.sampled_from(list(Outcome))),
)
def test_a_rating_is_a_level_1_to_4_and_an_outcome_that_fits_it(level: object, outcome: object) -> None:
    fits = (
        isinstance(level, int | str)
        and str(level).strip().lstrip("+").isdecimal()
        and int(str(level)) in (1, 2, 3, 4)
        and outcome in RATEABLE_OUTCOMES
        and Outcome(str(outcome)) in OUTCOMES_BY_LEVEL[LevelOfNeed(int(str(level)))]
    )
    if fits:
        checked_level, checked_outcome = check_rating(level, outcome)  # type: ignore[arg-type]
        assert checked_level == int(str(level))
        assert checked_outcome == outcome
        return
    with pytest.raises(InvalidInput) as caught:
        check_rating(level, outcome)  # type: ignore[arg-type]
    assert set(caught.value.field_errors) <= {"level", "outcome"}
    assert caught.value.field_errors


def test_the_messages_say_what_to_do() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_rating(None, None)
    assert caught.value.field_errors == {
        "level": "Choose a level of need from 1 to 4.",
        "outcome": "Choose the outcome you would decide.",
    }
    with pytest.raises(InvalidInput) as caught:
        check_rating(1, Outcome.STRATEGY_S47)
    assert caught.value.field_errors == {"outcome": "'Strategy discussion / section 47 enquiry' does not fit level 1."}
    with pytest.raises(InvalidInput, match="outcome"):
        check_rating(3, Outcome.PASS_TO_ALLOCATED_WORKER)  # no open case behind a vignette
    assert check_rating("4", "STRATEGY_S47") == (4, Outcome.STRATEGY_S47)


@PROPERTY
@given(st.text(max_size=260))
def test_titles_and_vignettes_are_checked_at_their_field(text: str) -> None:
    squeezed = " ".join(text.split())
    if 5 <= len(squeezed) <= MAX_TITLE:
        assert check_title(text) == squeezed
    else:
        with pytest.raises(InvalidInput) as caught:
            check_title(text)
        assert list(caught.value.field_errors) == ["title"]
    if len(text.strip()) >= MIN_VIGNETTE:
        assert check_vignette_text(text) == text.strip()
    else:
        with pytest.raises(InvalidInput) as caught:
            check_vignette_text(text)
        assert list(caught.value.field_errors) == ["text"]


@given(st.integers(0, 10**9))
def test_dates_move_back_10_to_104_whole_weeks(draw: int) -> None:
    days = shift_weeks(draw)
    assert days % 7 == 0
    assert -104 * 7 <= days <= -10 * 7
