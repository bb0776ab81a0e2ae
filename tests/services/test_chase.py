"""Chasing a hand-off the receiving team has not accepted: recorded, audited, in the chronology, seen
by the receiving team beside the hand-off with the RAG and the outcome; refused to anyone else."""

from __future__ import annotations

import pytest

from mash_desk.domain.enums import ContactStatus, Outcome, Rag
from mash_desk.domain.errors import IllegalTransition, InvalidInput, PermissionRefused
from mash_desk.domain.thresholds import SERIOUSNESS, most_serious_first
from mash_desk.services import handoffs, queues
from mash_desk.services.contact_view import open_contact
from tests.support import AuditWatch, World, case_at, unchanged


def test_the_mash_chases_and_everyone_sees_it(world: World) -> None:
    case = case_at(world, ContactStatus.AWAITING_ACCEPTANCE)
    assert case.handoff_id is not None
    watch = AuditWatch(world.db)
    world.clock.advance(hours=30)
    handoffs.chase_hand_off(world.sam, case.handoff_id, "  Phoned Ava's duty manager; will look today.  ")
    assert [line.action for line in watch.new()][-1] == "handoff.chase"
    # in the contact's chronology, by whom and when
    chronology = open_contact(world.sam, case.id).chronology
    chased = [entry for entry in chronology if entry.what.startswith("Chased")]
    assert [(e.what, e.who, e.at) for e in chased] == [
        ("Chased Assessment Team: Phoned Ava's duty manager; will look today.", "Sam Carter", world.clock())
    ]
    # the receiving team's inbox: the chase, the RAG and the outcome beside the hand-off
    inbox = queues.pending_hand_offs(world.ava, mine_only=True)
    assert len(inbox) == 1
    row = inbox[0]
    assert [(c.chased_by, c.note) for c in row.chases] == [
        ("Sam Carter", "Phoned Ava's duty manager; will look today.")
    ]
    assert row.rag is Rag.AMBER
    assert row.outcomes == (Outcome.CFA_S17,)
    assert open_contact(world.ava, case.id).hand_offs[0].chases[0].chased_by == "Sam Carter"


def test_a_chase_is_refused_to_the_receiving_team_other_jobs_and_answered_hand_offs(world: World) -> None:
    case = case_at(world, ContactStatus.AWAITING_ACCEPTANCE)
    assert case.handoff_id is not None
    for who in (world.ava, world.bea, world.police):  # the receiving team, business support, a partner
        with unchanged(world.db), pytest.raises(PermissionRefused):
            handoffs.chase_hand_off(who, case.handoff_id, "Any news?")
    with unchanged(world.db), pytest.raises(InvalidInput) as bad:
        handoffs.chase_hand_off(world.sam, case.handoff_id, "   ")
    assert "how you chased" in bad.value.field_errors["note"]
    handoffs.accept_hand_off(world.ava, case.handoff_id)
    with unchanged(world.db), pytest.raises(IllegalTransition):
        handoffs.chase_hand_off(world.maria, case.handoff_id, "Any news?")


def test_the_most_serious_outcome_comes_first() -> None:
    assert most_serious_first([Outcome.CFA_S17, Outcome.STRATEGY_S47, Outcome.CFA_S17]) == (
        Outcome.STRATEGY_S47,
        Outcome.CFA_S17,
    )
    assert set(SERIOUSNESS) == set(Outcome)  # every outcome has its place
