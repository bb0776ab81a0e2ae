"""What a manager checks before authorising: is it safe to authorise?

Four points serious case reviews keep finding missed at this step. Each is a fact about the contact,
worked out here once and shown beside the proposal in the review; one that is not met is not a
refusal (the manager may know better) but an "are you sure", and the reason for going ahead is
recorded with the authorisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from mash_desk.domain.enums import Concern, Outcome

STEP_DOWN_OUTCOMES = frozenset({Outcome.NFA, Outcome.ADVICE_SIGNPOST, Outcome.EARLY_HELP, Outcome.SINGLE_AGENCY})
"""Outcomes that take a child out of children's social care."""


class ReviewPoint(StrEnum):
    CONSENT_RECORDED = "consent_recorded"
    CHECKS_RETURNED = "checks_returned"
    ADULT_ALLEGED_TO_HARM = "adult_alleged_to_harm"
    STEP_DOWN_WITH_DOMESTIC_ABUSE = "step_down_with_domestic_abuse"


@dataclass(frozen=True)
class ReviewFacts:
    consent_recorded: bool
    checks_asked: int
    checks_outstanding: int
    checks_returned: int
    adults_alleged_to_harm_in_contact: tuple[str, ...]
    """Adults alleged to cause harm who are (or may be) in contact with a child."""
    proposed_outcomes: tuple[Outcome, ...]
    concerns: tuple[Concern, ...]

    @property
    def steps_down(self) -> bool:
        return bool(self.proposed_outcomes) and all(o in STEP_DOWN_OUTCOMES for o in self.proposed_outcomes)


@dataclass(frozen=True)
class ReviewCheck:
    point: ReviewPoint
    met: bool
    names: tuple[str, ...] = ()
    """Who the point is about (the adults alleged to harm), for the words."""


def review_checks(facts: ReviewFacts) -> tuple[ReviewCheck, ...]:
    """Every point, in the order a manager reads them."""
    domestic_abuse = Concern.DOMESTIC_ABUSE in facts.concerns
    return (
        ReviewCheck(ReviewPoint.CONSENT_RECORDED, facts.consent_recorded),
        ReviewCheck(ReviewPoint.CHECKS_RETURNED, facts.checks_outstanding == 0),
        # an adult alleged to harm still with the child is only safe to step down with a reason
        ReviewCheck(
            ReviewPoint.ADULT_ALLEGED_TO_HARM,
            not (facts.adults_alleged_to_harm_in_contact and facts.steps_down),
            facts.adults_alleged_to_harm_in_contact,
        ),
        ReviewCheck(
            ReviewPoint.STEP_DOWN_WITH_DOMESTIC_ABUSE,
            not (facts.steps_down and domestic_abuse and facts.checks_returned == 0),
        ),
    )


def unmet(checks: Iterable[ReviewCheck]) -> tuple[ReviewPoint, ...]:
    return tuple(check.point for check in checks if not check.met)
