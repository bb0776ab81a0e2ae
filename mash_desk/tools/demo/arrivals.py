"""When contacts arrive and where each should end up: most spread over ten years and closed, an open
share in the last days and weeks with ages that fit their status, and the scripted storylines."""

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from mash_desk.domain.enums import Concern, ContactStatus, Outcome, Rag
from mash_desk.domain.timescales import LONDON
from mash_desk.tools.demo.choice import below, minute
from mash_desk.tools.demo.vocabulary import OPEN_MINIMUM, OPEN_SHARE, STORY_MINIMUM, YEARS, C, S


@dataclass(frozen=True)
class StoryContact:
    """One contact of a scripted storyline: which family, which children, and how it goes."""

    family: str
    children: tuple[int, ...]
    concerns: tuple[Concern, ...]
    outcome: Outcome | None = None
    level: int | None = None
    spelling: tuple[int, ...] = ()  # per named child: index of the given-name spelling used (0 = as recorded)
    dash: bool = False
    gcp: bool = False
    rag: Rag | None = None
    case_days: int | None = None  # how long the case stays open after an accepted referral
    notes: bool = False


@dataclass(slots=True)
class Slot:
    """One contact before it is cast: when it arrived and where it should end up."""

    received_at: datetime
    status: ContactStatus
    story: StoryContact | None = None
    forced: frozenset[str] = frozenset()  # features the first slot of its kind must show


OPEN_STATUS_WEIGHTS: tuple[tuple[ContactStatus, float], ...] = (
    (S.RECEIVED, 20),
    (S.SCREENED, 12),
    (S.AGENCY_CHECKS, 25),
    (S.AWAITING_AUTHORISATION, 12),
    (S.RETURNED, 5),
    (S.AUTHORISED, 8),
    (S.AWAITING_ACCEPTANCE, 12),
    (S.ACCEPTED, 6),
)
# how long ago open work arrived, in hours: (usual from, to, share in a backlog, backlog from, to)
OPEN_AGE_HOURS: dict[ContactStatus, tuple[float, float, float, float, float]] = {
    S.RECEIVED: (0.1, 6, 0.1, 24, 120),
    S.SCREENED: (1, 30, 0.05, 48, 120),
    S.AGENCY_CHECKS: (2, 48, 0.15, 48, 240),
    S.AWAITING_AUTHORISATION: (3, 30, 0.1, 30, 96),
    S.RETURNED: (6, 48, 0.1, 48, 120),
    S.AUTHORISED: (4, 72, 0.1, 72, 168),
    S.AWAITING_ACCEPTANCE: (2, 40, 0.15, 72, 192),
    S.ACCEPTED: (24, 240, 0.0, 0, 0),
}
# so that even the smallest demo shows them: the first open contact of a status gets these
FIRST_FORCED: dict[ContactStatus, frozenset[str]] = {
    S.RECEIVED: frozenset({"overdue"}),
    S.AGENCY_CHECKS: frozenset({"markings"}),
    S.AUTHORISED: frozenset({"rejected"}),
    S.AWAITING_ACCEPTANCE: frozenset({"overdue_hand_off"}),
}

# storylines: (days before now, status, contact)
STORIES: tuple[tuple[float, ContactStatus, StoryContact], ...] = (
    (410, S.CLOSED, StoryContact("khan", (0, 1), (C.NEGLECT, C.HOUSING), Outcome.EARLY_HELP, 2, gcp=True)),
    (
        205,
        S.CLOSED,
        StoryContact(
            "khan",
            (0, 1),
            (C.DOMESTIC_ABUSE, C.EMOTIONAL_ABUSE),
            Outcome.CFA_S17,
            3,
            spelling=(1, 1),
            dash=True,
            rag=Rag.AMBER,
            case_days=70,
        ),
    ),
    (
        0.8,
        S.AGENCY_CHECKS,
        StoryContact(
            "khan", (0, 1), (C.DOMESTIC_ABUSE, C.NEGLECT), spelling=(2, 0), dash=True, rag=Rag.RED, notes=True
        ),
    ),
    (
        62,
        S.CLOSED,
        StoryContact("nowak", (0,), (C.PHYSICAL_ABUSE,), Outcome.STRATEGY_S47, 4, rag=Rag.RED, case_days=400),
    ),
    (0.15, S.RECEIVED, StoryContact("nowak", (0,), (C.EMOTIONAL_ABUSE, C.SCHOOL_ABSENCE))),
)


class Arrivals:
    """Plans when each contact arrives and the status it should have reached by now."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now

    def plan_slots(self, total: int) -> list[Slot]:
        """Every contact's arrival time and final status, in arrival order.

        Most contacts are spread over the last ten years (slowly growing, fewer at weekends, mostly in
        office hours) and closed; the open share arrived in the last days or weeks, each status with
        an age that fits it, so queues, deadlines and overdue work look like a working hub's.
        """
        rng = self.rng
        stories = STORIES if total >= STORY_MINIMUM else ()
        open_total = min(total, max(OPEN_MINIMUM, round(total * OPEN_SHARE)))
        story_open = sum(1 for _, status, _ in stories if status is not S.CLOSED)
        n_open = max(0, min(open_total - story_open, total - len(stories)))
        n_closed = total - len(stories) - n_open
        slots: list[Slot] = []
        for status, quota in self._open_quotas(n_open):
            for index in range(quota):
                forced = FIRST_FORCED.get(status, frozenset()) if index == 0 else frozenset()
                age = self._open_age(status, forced)
                slots.append(Slot(minute(self.now - age), status, forced=forced))
        for index in range(n_closed):
            forced = frozenset({"refused_override"}) if index == 0 else frozenset()
            slots.append(Slot(self._historic_time(), S.CLOSED, forced=forced))
        for days, status, story in stories:
            slots.append(Slot(minute(self.now - timedelta(days=days)), status, story=story))
        rng.shuffle(slots)  # ties in arrival time then fall in a seeded, not a constructed, order
        slots.sort(key=lambda slot: slot.received_at)
        return slots

    def _open_quotas(self, n_open: int) -> list[tuple[ContactStatus, int]]:
        """Split the open contacts between the open statuses (largest remainder; each at least one)."""
        if n_open <= 0:
            return []
        total_weight = sum(w for _, w in OPEN_STATUS_WEIGHTS)
        exact = [(status, n_open * w / total_weight) for status, w in OPEN_STATUS_WEIGHTS]
        quotas = {status: int(share) for status, share in exact}
        if n_open >= len(OPEN_STATUS_WEIGHTS):
            quotas = {status: max(quota, 1) for status, quota in quotas.items()}
        remaining = n_open - sum(quotas.values())
        by_remainder = sorted(exact, key=lambda item: item[1] - int(item[1]), reverse=True)
        index = 0
        while remaining > 0:
            quotas[by_remainder[index % len(by_remainder)][0]] += 1
            remaining -= 1
            index += 1
        while remaining < 0:  # the minimum of one each overshot: take back from the largest
            largest = max(quotas, key=lambda status: quotas[status])
            quotas[largest] -= 1
            remaining += 1
        return [(status, quotas[status]) for status, _ in OPEN_STATUS_WEIGHTS if quotas[status] > 0]

    def _open_age(self, status: ContactStatus, forced: frozenset[str]) -> timedelta:
        rng = self.rng
        low, high, backlog, backlog_low, backlog_high = OPEN_AGE_HOURS[status]
        hours = rng.uniform(low, high)
        if "overdue" in forced:
            hours = 50.0 + rng.random() * 20
        elif "overdue_hand_off" in forced:
            hours = 24.0 * 6 + rng.random() * 24
        elif rng.random() < backlog:
            hours = rng.uniform(backlog_low, backlog_high)  # a backlog: overdue work
        return timedelta(hours=hours)

    def _historic_time(self) -> datetime:
        """A moment in the last ten years: slowly growing volume, fewer at weekends, mostly office hours."""
        rng = self.rng
        start = self.now - timedelta(days=round(365.25 * YEARS))
        span = (self.now - timedelta(days=1) - start).total_seconds()
        growth = 0.5
        for _ in range(4):
            x = (-1 + math.sqrt(1 + growth * (2 + growth) * rng.random())) / growth
            day = (start + timedelta(seconds=x * span)).astimezone(LONDON).date()
            if day.weekday() < 5 or rng.random() < 0.4:
                break
        office = rng.random() < 0.8
        minute_of_day = 8 * 60 + below(rng, 10 * 60) if office else below(rng, 24 * 60)
        local = datetime(day.year, day.month, day.day, minute_of_day // 60, minute_of_day % 60, tzinfo=LONDON)
        return min(local.astimezone(UTC), minute(self.now - timedelta(days=1)))
