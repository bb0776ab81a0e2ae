"""Contacts taken through the real services to a decision, for the letters, dashboard and export tests."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from mash_desk.domain.enums import Outcome, Rag
from mash_desk.services import decisions, handoffs, intake, screening
from mash_desk.services.drafts import ChildDraft, ContactDraft
from mash_desk.services.intake import LoggedContact
from tests.support import World, consent_given, contact_draft, give_open_case

LEVEL_FOR: dict[Outcome, int] = {
    Outcome.NFA: 1,
    Outcome.ADVICE_SIGNPOST: 1,
    Outcome.EARLY_HELP: 2,
    Outcome.SINGLE_AGENCY: 2,
    Outcome.CFA_S17: 3,
    Outcome.STRATEGY_S47: 4,
    Outcome.EMERGENCY_PROTECTION: 4,
    Outcome.TRANSFER_OTHER_LA: 3,
    Outcome.PASS_TO_ALLOCATED_WORKER: 3,
    Outcome.MARAC: 3,
    Outcome.LADO: 3,
}


def decide(
    world: World,
    draft: ContactDraft | None = None,
    outcomes: Sequence[Outcome] = (Outcome.CFA_S17,),
    *,
    rag: Rag = Rag.AMBER,
    hand_off_to: str | None = None,
    accept: bool = False,
    returned_first: Outcome | None = None,
) -> LoggedContact:
    """Log ``draft`` and carry it to an authorised decision (one outcome per child, in order).

    ``returned_first``: a manager first returns a proposal of that outcome, then the final one is approved.
    ``hand_off_to``: a team name to hand the case to; ``accept``: the Assessment Team accepts it.
    """
    draft = draft or contact_draft(world.clock)
    if Outcome.PASS_TO_ALLOCATED_WORKER in outcomes:
        draft = _about_children_with_an_open_case(world, draft)
    logged = intake.log_contact(world.sam, draft)
    screening.rate(world.sam, logged.id, rag)
    screening.record_consent(world.sam, logged.id, consent_given(world.clock))

    def propose(chosen: Sequence[Outcome]) -> None:
        for person_id, outcome in zip(logged.child_person_ids, chosen, strict=True):
            decisions.propose_decision(
                world.sam,
                logged.id,
                decisions.DecisionProposal(
                    person_id, LEVEL_FOR[outcome], outcome, "N1", "Rationale written for the test, long enough."
                ),
            )
        decisions.submit_for_authorisation(world.sam, logged.id)

    if returned_first is not None:
        propose([returned_first] * len(logged.child_person_ids))
        decisions.return_decision(world.maria, logged.id, "Reconsider the level of need.")
    propose(outcomes)
    decisions.authorise(world.maria, logged.id)
    if hand_off_to is not None:
        handoff = handoffs.hand_off(world.sam, logged.id, world.teams[hand_off_to])
        if accept:
            handoffs.accept_hand_off(world.ava, handoff)
    return logged


def _about_children_with_an_open_case(world: World, draft: ContactDraft) -> ContactDraft:
    """The same contact about the same children, once an earlier contact made them known to the
    Assessment Team (only a child with an open case can be passed to an allocated worker)."""
    earlier = intake.log_contact(world.sam, draft)
    for person_id in earlier.child_person_ids:
        give_open_case(world.db, person_id, world.teams["Assessment Team"])
    again = copy.deepcopy(draft)
    again.children = [ChildDraft(existing_person_id=person_id) for person_id in earlier.child_person_ids]
    return again
