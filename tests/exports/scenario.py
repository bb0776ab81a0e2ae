"""A year of referrals for one child, built through the real services, for the statutory-return tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from mash_desk.domain.enums import Outcome
from mash_desk.services.drafts import ChildDraft
from tests.letters.journeys import decide
from tests.support import DEFAULT_NOW, World, child, contact_draft


@dataclass(frozen=True)
class Returns:
    x: int  # Amira: referred in July 2025 and twice on 10 March 2026
    y: int  # Yusuf: named with her on 10 March, NFA
    z: int  # Zara: NFA on 10 March
    q_reference: str


def build_returns(world: World) -> Returns:
    world.clock.current = datetime(2025, 7, 1, 10, 0, tzinfo=UTC)
    first = decide(world)  # P: Amira, CFA, 1 July 2025 (outside the Annex A six months, inside census 2026)
    (x,) = first.child_person_ids
    world.clock.current = DEFAULT_NOW
    q = decide(
        world,
        contact_draft(world.clock, ChildDraft(existing_person_id=x), child("Yusuf", dob=None)),
        (Outcome.CFA_S17, Outcome.NFA),
        hand_off_to="Assessment Team",
        accept=True,
    )
    decide(world, contact_draft(world.clock, ChildDraft(existing_person_id=x)), (Outcome.STRATEGY_S47,))  # R
    s = decide(world, contact_draft(world.clock, child("Zara", "Khan")), (Outcome.NFA,))
    return Returns(x=x, y=q.child_person_ids[1], z=s.child_person_ids[0], q_reference=q.reference)
