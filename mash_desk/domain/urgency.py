"""Which work comes first: the one order every queue (and the command line) uses.

A deadline alone is not urgency. An overdue GREEN contact must never sit above an overdue RED one,
nor above a child reported to be in immediate danger, just because its clock started earlier. So
work falls into tiers first, and only within a tier does the earlier deadline win:

1. immediate danger reported (whatever the clock says);
2. overdue and rated RED;
3. overdue and rated AMBER, or overdue and not yet rated (it may well be RED: nobody has looked);
4. overdue and rated GREEN;
5. everything not yet overdue;
6. work with another team, waiting for them to accept it (the MASH is not the one to act now).

The services turn the same tiers into SQL (``services.queues.urgency_order``), so a page read from
the database and a row slotted in by the window agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum

from mash_desk.domain.enums import ContactStatus, Rag

WITH_ANOTHER_TEAM_STATUSES = frozenset({ContactStatus.AWAITING_ACCEPTANCE, ContactStatus.ACCEPTED})
"""Handed off: the receiving team acts next, so these sort after the MASH's own work."""


class Urgency(IntEnum):
    """The tiers, most urgent first (lower sorts first)."""

    IMMEDIATE_DANGER = 0
    OVERDUE_RED = 1
    OVERDUE_AMBER_OR_UNRATED = 2
    OVERDUE_GREEN = 3
    ON_TIME = 4
    WITH_ANOTHER_TEAM = 5


OVERDUE_TIER: dict[Rag | None, Urgency] = {
    Rag.RED: Urgency.OVERDUE_RED,
    Rag.AMBER: Urgency.OVERDUE_AMBER_OR_UNRATED,
    None: Urgency.OVERDUE_AMBER_OR_UNRATED,
    Rag.GREEN: Urgency.OVERDUE_GREEN,
}
"""The tier of overdue work by its rating."""


@dataclass(frozen=True)
class UrgencyFacts:
    """What the order looks at, and nothing else."""

    immediate_danger: bool
    rag: Rag | None
    due_at: datetime
    with_another_team: bool = False


def urgency(facts: UrgencyFacts, now: datetime) -> Urgency:
    """The tier a piece of work is in at ``now``; work is still on time at the moment it is due."""
    if facts.with_another_team:
        return Urgency.WITH_ANOTHER_TEAM
    if facts.immediate_danger:
        return Urgency.IMMEDIATE_DANGER
    if facts.due_at.astimezone(UTC) < now.astimezone(UTC):
        return OVERDUE_TIER[facts.rag]
    return Urgency.ON_TIME


def urgency_key(facts: UrgencyFacts, now: datetime, tiebreak: int = 0) -> tuple[int, datetime, int]:
    """Sort by this, ascending: the tier, then the earlier deadline, then ``tiebreak`` (a contact id)."""
    return int(urgency(facts, now)), facts.due_at.astimezone(UTC), tiebreak
