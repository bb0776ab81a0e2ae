"""The plan of a whole demo: the books, the town and the arrivals, and each contact's life in turn."""

import random
from datetime import datetime

from mash_desk.domain.timescales import TimescalePolicy
from mash_desk.tools.demo.arrivals import Arrivals, Slot
from mash_desk.tools.demo.ledger import Ledger
from mash_desk.tools.demo.life import plan_contact
from mash_desk.tools.demo.town import Person, Town
from mash_desk.tools.demo.vocabulary import Row


class Planner:
    """Plans every row of the demo, contact by contact in the order they arrived."""

    def __init__(
        self,
        *,
        rng: random.Random,
        now: datetime,
        backend: str,
        policy: TimescalePolicy,
        users: dict[str, int],
        teams: dict[str, int],
        agencies: dict[str, int],
        base_ids: dict[str, int],
    ) -> None:
        self.ledger = Ledger(
            rng=rng,
            now=now,
            backend=backend,
            policy=policy,
            users=users,
            teams=teams,
            agencies=agencies,
            base_ids=base_ids,
        )
        self.town = Town(self.ledger)
        self.arrivals = Arrivals(rng, now)

    def plan_slots(self, total: int) -> list[Slot]:
        """Every contact's arrival time and final status, in arrival order."""
        return self.arrivals.plan_slots(total)

    def contact(self, slot: Slot, cid: int) -> None:
        """Cast one contact and plan every row its life would have written."""
        plan_contact(self.ledger, self.town, slot, cid)

    def person_row(self, person: Person) -> Row:
        """A person as they stand now: their allocation is the latest accepted hand-off that allocated them."""
        b = self.ledger
        state = self.town.allocation_at(person, b.now)
        team = worker = closed_on = None
        case_open = False
        if state is not None:
            team, case_open, closed_on = state
            if case_open:
                worker = max((a for a in person.allocations if a[0] <= b.now), key=lambda a: a[0])[3]
        return (
            person.id,
            person.kind,
            person.given,
            person.family,
            b.norm(person.given),
            b.norm(person.family),
            b.day(person.dob),
            b.day(person.expected),
            person.gender,
            person.ethnicity,
            person.nhs,
            person.upn,
            person.upn_unknown,
            None,
            person.disability,
            person.first_language,
            person.interpreter,
            person.communication_needs,
            team,
            worker,
            case_open,
            b.day(closed_on),
            b.ts(person.created_at),
            None,  # merged_into_id: the demo merges nothing; its likely duplicates wait for a manager
            1,
        )
