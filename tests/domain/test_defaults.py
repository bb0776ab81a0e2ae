"""The defaults forms start from (``domain.defaults``): each the person's to change."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mash_desk.domain.defaults import (
    AdultSeen,
    ScreeningStep,
    likely_consent_giver,
    next_screening_step,
    obvious_outcome,
    standard_checks,
    submit_with_decision,
    suggested_primary_need,
)
from mash_desk.domain.enums import AgencyKind, Concern, LevelOfNeed, Outcome, RelationshipKind
from mash_desk.domain.thresholds import OUTCOMES_BY_LEVEL


def test_level_3_means_an_assessment_and_other_levels_leave_the_choice() -> None:
    assert obvious_outcome(LevelOfNeed.COMPLEX) is Outcome.CFA_S17
    assert obvious_outcome(LevelOfNeed.ACUTE) is None  # strategy discussion or emergency protection
    assert obvious_outcome(LevelOfNeed.EARLY_HELP) is None
    assert obvious_outcome(LevelOfNeed.UNIVERSAL) is None


@pytest.mark.parametrize("level", list(LevelOfNeed))
def test_an_obvious_outcome_always_fits_its_level(level: LevelOfNeed) -> None:
    outcome = obvious_outcome(level)
    assert outcome is None or outcome in OUTCOMES_BY_LEVEL[level]


@given(st.sets(st.sampled_from(list(Concern))))
def test_abuse_or_neglect_suggests_n1_and_nothing_else_suggests_anything(concerns: set[Concern]) -> None:
    abuse = {Concern.NEGLECT, Concern.DOMESTIC_ABUSE, Concern.PHYSICAL_ABUSE, Concern.SEXUAL_ABUSE}
    suggested = suggested_primary_need(concerns)
    assert suggested in ("N1", None)
    if concerns & abuse:
        assert suggested == "N1"
    if not concerns:
        assert suggested is None


def adult(name: str, relationship: RelationshipKind, *, pr: bool = False, alleged: bool = False) -> AdultSeen:
    return AdultSeen(name, relationship, pr, alleged)


def test_consent_is_looked_for_from_a_parent_never_from_someone_alleged_to_harm() -> None:
    mother = adult("Sara Hussain", RelationshipKind.MOTHER)
    partner = adult("Dean Clarke", RelationshipKind.PARTNER_OF_PARENT, pr=True)
    father = adult("Omar Hussain", RelationshipKind.FATHER, pr=True, alleged=True)
    assert likely_consent_giver([partner, mother]) == mother  # a parent before someone else with PR
    assert likely_consent_giver([father, mother]) == mother  # never the adult alleged to harm
    assert likely_consent_giver([father]) is None
    assert likely_consent_giver([partner]) == partner  # parental responsibility, though not a parent
    assert likely_consent_giver([]) is None
    with_pr = adult("Layla Hussain", RelationshipKind.MOTHER, pr=True)
    assert likely_consent_giver([mother, with_pr]) == with_pr


@given(
    st.lists(
        st.builds(AdultSeen, st.text(max_size=5), st.sampled_from(list(RelationshipKind)), st.booleans(), st.booleans())
    )
)
def test_the_consent_giver_is_one_of_the_adults_and_not_alleged_to_harm(adults: list[AdultSeen]) -> None:
    giver = likely_consent_giver(adults)
    assert giver is None or (giver in adults and not giver.alleged_perpetrator)


def test_the_usual_checks_are_police_health_and_education() -> None:
    hub = [("POLICE", AgencyKind.POLICE), ("HEALTH", AgencyKind.HEALTH), ("EDUCATION", AgencyKind.EDUCATION)]
    others = [("HOUSING", AgencyKind.HOUSING), ("DA_SERVICE", AgencyKind.DOMESTIC_ABUSE)]
    assert standard_checks(others + hub) == ("POLICE", "HEALTH", "EDUCATION")


def test_submitting_starts_ticked_only_when_nothing_stands_in_the_way() -> None:
    assert submit_with_decision(children_left=0, checks_outstanding=0, consent_recorded=True)
    assert not submit_with_decision(children_left=1, checks_outstanding=0, consent_recorded=True)
    assert not submit_with_decision(children_left=0, checks_outstanding=2, consent_recorded=True)
    assert not submit_with_decision(children_left=0, checks_outstanding=0, consent_recorded=False)


def test_each_screening_step_opens_the_next_only_the_first_time() -> None:
    step = next_screening_step
    assert step(ScreeningStep.LOGGED, consent_recorded=False, checks_asked=False) is ScreeningStep.RATE
    assert step(ScreeningStep.RATE, consent_recorded=False, checks_asked=False) is ScreeningStep.CONSENT
    assert step(ScreeningStep.CONSENT, consent_recorded=True, checks_asked=False) is ScreeningStep.CHECKS
    assert step(ScreeningStep.RATE, consent_recorded=True, checks_asked=False) is ScreeningStep.CHECKS
    assert step(ScreeningStep.RATE, consent_recorded=True, checks_asked=True) is None  # a re-rating
    assert step(ScreeningStep.CONSENT, consent_recorded=True, checks_asked=True) is None  # a correction
    assert step(ScreeningStep.CHECKS, consent_recorded=True, checks_asked=True) is None
