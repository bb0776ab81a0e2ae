"""The manager's checklist before authorising."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mash_desk.domain.enums import Concern, Outcome
from mash_desk.domain.review_checks import STEP_DOWN_OUTCOMES, ReviewFacts, ReviewPoint, review_checks, unmet

SAFE = ReviewFacts(True, 2, 0, 2, (), (Outcome.CFA_S17,), (Concern.NEGLECT,))


def test_a_complete_contact_meets_every_point() -> None:
    assert unmet(review_checks(SAFE)) == ()


def test_each_point_in_words_of_the_issue() -> None:
    assert unmet(review_checks(ReviewFacts(False, 2, 1, 1, (), (Outcome.CFA_S17,), ()))) == (
        ReviewPoint.CONSENT_RECORDED,
        ReviewPoint.CHECKS_RETURNED,
    )
    step_down = ReviewFacts(True, 0, 0, 0, ("Omar Malik",), (Outcome.EARLY_HELP,), (Concern.DOMESTIC_ABUSE,))
    checks = review_checks(step_down)
    assert unmet(checks) == (ReviewPoint.ADULT_ALLEGED_TO_HARM, ReviewPoint.STEP_DOWN_WITH_DOMESTIC_ABUSE)
    assert checks[2].names == ("Omar Malik",)
    # the same facts with a section 47 proposed: nothing is being stepped down
    s47 = ReviewFacts(True, 0, 0, 0, ("Omar Malik",), (Outcome.STRATEGY_S47,), (Concern.DOMESTIC_ABUSE,))
    assert unmet(review_checks(s47)) == ()


@given(
    st.lists(st.sampled_from(list(Outcome)), min_size=1, max_size=3),
    st.integers(0, 3),
)
def test_domestic_abuse_stepped_down_without_any_return_is_always_questioned(
    outcomes: list[Outcome], returned: int
) -> None:
    facts = ReviewFacts(True, returned, 0, returned, (), tuple(outcomes), (Concern.DOMESTIC_ABUSE,))
    questioned = ReviewPoint.STEP_DOWN_WITH_DOMESTIC_ABUSE in unmet(review_checks(facts))
    assert questioned == (all(o in STEP_DOWN_OUTCOMES for o in outcomes) and returned == 0)
