"""One decision for several children, submitted with it; and the police-notification preset. On SQLite
and PostgreSQL."""

from __future__ import annotations

import pytest

from mash_desk.domain.enums import ContactStatus, DecisionStatus, Outcome
from mash_desk.domain.errors import IllegalTransition, InvalidInput
from mash_desk.services import decisions, presets, screening
from mash_desk.services.contact_view import open_contact
from mash_desk.services.decisions import DecisionForChildren
from mash_desk.services.drafts import ChildDraft
from tests.support import RATIONALE, Case, World, case_at, child, unchanged


def checks_back(world: World, *children: ChildDraft) -> Case:
    """A contact whose police check has come back: ready for its decisions."""
    case = case_at(world, ContactStatus.AGENCY_CHECKS, *children)
    screening.record_agency_return(world.police, case.request_ids[0], summary="Two call-outs.", nothing_known=False)
    return case


def test_one_decision_for_both_children_and_submitted_with_it(world: World) -> None:
    case = checks_back(world, child("Amira"), child("Yusuf"))
    children = open_contact(world.sam, case.id).children
    both = tuple(c.person.person_id for c in children)
    decisions.decide_for_children(
        world.sam, case.id, DecisionForChildren(both, 3, Outcome.CFA_S17, "N1", RATIONALE, submit=True)
    )
    detail = open_contact(world.sam, case.id)
    assert detail.status is ContactStatus.AWAITING_AUTHORISATION
    assert [c.proposed.rationale if c.proposed else None for c in detail.children] == [RATIONALE, RATIONALE]
    assert {d.status for d in detail.decisions} == {DecisionStatus.PROPOSED}


def test_a_bad_decision_for_several_children_saves_none_of_them(world: World) -> None:
    case = checks_back(world, child("Amira"), child("Yusuf"))
    both = tuple(c.person.person_id for c in open_contact(world.sam, case.id).children)
    with unchanged(world.db), pytest.raises(InvalidInput) as refused:
        decisions.decide_for_children(
            world.sam, case.id, DecisionForChildren((*both, 999_999), 3, Outcome.CFA_S17, "N1", RATIONALE)
        )
    assert set(refused.value.field_errors) == {"person_id"}  # the second child's proposal is not kept either
    with unchanged(world.db), pytest.raises(InvalidInput) as short:
        decisions.decide_for_children(world.sam, case.id, DecisionForChildren(both, 3, Outcome.NFA, "N1", "too short"))
    assert set(short.value.field_errors) == {"outcome", "rationale"}
    with unchanged(world.db), pytest.raises(InvalidInput):
        decisions.decide_for_children(world.sam, case.id, DecisionForChildren((), 3, Outcome.CFA_S17, "N1", RATIONALE))


def test_a_refused_submission_leaves_the_decisions_saved_and_says_why(world: World) -> None:
    case = case_at(world, ContactStatus.AGENCY_CHECKS)  # the police have not replied
    only = tuple(c.person.person_id for c in open_contact(world.sam, case.id).children)
    with pytest.raises(
        IllegalTransition, match=r"^1 agency check has not come back\. Wait for it, or withdraw it with a reason\.$"
    ):
        decisions.decide_for_children(
            world.sam, case.id, DecisionForChildren(only, 3, Outcome.CFA_S17, "N1", RATIONALE, submit=True)
        )
    detail = open_contact(world.sam, case.id)
    assert detail.status is not ContactStatus.AWAITING_AUTHORISATION
    assert all(c.proposed is not None for c in detail.children)


def test_the_police_preset_names_the_hubs_police_or_the_officers_own_force(world: World) -> None:
    preset = presets.filled_preset(world.bea)
    assert (preset.referral_source, preset.referrer_agency) == ("6", "Police")
    assert presets.filled_preset(world.as_("pc_jones")).referrer_agency == "Police"
    assert set(presets.checks_to_offer(world.sam)) == {"POLICE", "HEALTH", "EDUCATION"}
