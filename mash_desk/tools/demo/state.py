"""One contact while it is planned: who it is, where it is heading, and its latest step so far."""

from datetime import UTC, datetime, timedelta

from mash_desk.tools.demo.arrivals import Slot
from mash_desk.tools.demo.choice import below
from mash_desk.tools.demo.ledger import Ledger
from mash_desk.tools.demo.town import Town


class ContactState:
    """One contact from arrival to where it is now: what every step's rows are planned from."""

    def __init__(self, ledger: Ledger, town: Town, slot: Slot, cid: int) -> None:
        self.ledger = ledger
        self.town = town
        self.rng = ledger.rng
        self.slot = slot
        self.cid = cid
        self.t0 = slot.received_at
        self.status = slot.status
        self.story = slot.story
        self.forced = slot.forced
        self.last_at = self.t0
        self.last_by = 0

    def office_hours(self, moment: datetime) -> datetime:
        """Routine steps happen in the working day: a step that would fall at night or at a weekend
        waits for the next morning (UTC hours, near enough to London's for this)."""
        rng = self.rng
        hour, weekday = moment.hour, moment.weekday()
        if weekday < 5 and 8 <= hour < 18:
            return moment
        day = moment.date()
        if hour >= 18 or weekday >= 5:
            day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        start = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        return start + timedelta(minutes=below(rng, 300))

    def touch(self, at: datetime, user: int) -> None:
        """Remember the latest step and who took it: the contact's ``updated_at`` / ``updated_by_id``."""
        if at >= self.last_at:
            self.last_at, self.last_by = at, user
