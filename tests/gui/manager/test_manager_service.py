"""``services.manager`` (no Qt): the decision queue's order and four-eyes flag, the tiles' targets, the periods.

Kept beside the screens that use it while those screens are new; it belongs in ``tests/services``.
"""

from __future__ import annotations

from datetime import date

import pytest

from mash_desk.domain.enums import ContactStatus, Outcome, Rag
from mash_desk.domain.errors import PermissionRefused
from mash_desk.services import decisions, screening
from mash_desk.services.dashboard import Ratio
from mash_desk.services.decisions import DecisionProposal
from mash_desk.services.manager import MeasureTile, PeriodChoice, decisions_awaiting, period_for
from tests.support import RATIONALE, World, case_at, child


def test_the_decision_queue_puts_the_earliest_deadline_first_and_flags_my_own_proposals(world: World) -> None:
    amber = case_at(world, ContactStatus.AWAITING_AUTHORISATION, child("Amber", "Case"))
    red = case_at(world, ContactStatus.SCREENED, child("Red", "Case"))
    screening.rate(world.sam, red.id, Rag.RED, "Disclosure at school this morning.")
    decisions.propose_decision(
        world.maria, red.id, DecisionProposal(red.child_ids[0], 4, Outcome.STRATEGY_S47, "N1", RATIONALE)
    )
    decisions.submit_for_authorisation(world.maria, red.id)
    rows = decisions_awaiting(world.maria)
    assert [r.contact_id for r in rows] == [red.id, amber.id]  # RED's 4 hours come before AMBER's day
    assert [r.proposed_by_me for r in rows] == [True, False]
    assert rows[0].proposed_by == ("Maria Lopez",)
    assert [r.proposed_by_me for r in decisions_awaiting(world.mark)] == [False, False]
    with pytest.raises(PermissionRefused):
        decisions_awaiting(world.sam)


def test_tiles_meet_or_miss_their_targets_in_the_right_direction() -> None:
    on_time = MeasureTile("x", "On time", Ratio(19, 20), 95.0, higher_is_better=True)
    late = MeasureTile("x", "On time", Ratio(18, 20), 95.0, higher_is_better=True)
    re_referrals = MeasureTile("x", "Re-referrals", Ratio(5, 20), 22.0, higher_is_better=False)
    empty = MeasureTile("x", "On time", Ratio(0, 0), 95.0, higher_is_better=True)
    context = MeasureTile("x", "NFA", Ratio(3, 4), None, higher_is_better=False)
    assert [t.meets_target for t in (on_time, late, re_referrals, empty, context)] == [True, False, False, None, None]


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (PeriodChoice.THIS_MONTH, (date(2026, 3, 1), date(2026, 3, 10))),
        (PeriodChoice.LAST_MONTH, (date(2026, 2, 1), date(2026, 2, 28))),
        (PeriodChoice.LAST_THREE_MONTHS, (date(2025, 12, 11), date(2026, 3, 10))),
        (PeriodChoice.CUSTOM, (date(2026, 3, 1), date(2026, 3, 10))),
    ],
)
def test_named_periods(choice: PeriodChoice, expected: tuple[date, date]) -> None:
    assert period_for(choice, date(2026, 3, 10)) == expected
    assert period_for(PeriodChoice.LAST_MONTH, date(2026, 1, 31)) == (date(2025, 12, 1), date(2025, 12, 31))
