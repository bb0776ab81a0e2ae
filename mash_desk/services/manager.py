"""What a team manager's screens need beyond the use cases: the decision queue with its proposers,
the dashboard's headline tiles with their targets, and the reporting periods a manager picks.

The decision queue says, per contact, whether the signed-in manager proposed one of its decisions
(four eyes, decided here by user id, not by name), so the window can refuse to offer Authorise
before the service would refuse it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select

from mash_desk.domain.enums import ContactStatus, DecisionStatus, Rag, Role
from mash_desk.domain.errors import PermissionRefused
from mash_desk.domain.urgency import UrgencyFacts, urgency_key
from mash_desk.domain.validation import add_months
from mash_desk.services.context import ServiceContext
from mash_desk.services.dashboard import FrontDoorMeasures, Ratio
from mash_desk.services.queues import Queue, queue_due, rows_for, urgency_order
from mash_desk.store.models import Contact, ContactChild, ThresholdDecision, User

MAX_DECISIONS = 500


@dataclass(frozen=True)
class DecisionWaiting:
    """A contact whose decisions wait for a manager, with both deadlines and who proposed them."""

    contact_id: int
    reference: str
    received_at: datetime
    rag: Rag | None
    rag_due_at: datetime
    decision_due_at: datetime
    children: str
    assigned_to: str | None
    proposed_by: tuple[str, ...]
    proposed_by_me: bool
    immediate_danger: bool
    re_referral: bool
    version: int

    @property
    def next_due_at(self) -> datetime:
        """The earlier of the two deadlines: what "most urgent" is measured by."""
        return min(self.rag_due_at, self.decision_due_at)

    def urgency_facts(self) -> UrgencyFacts:
        return UrgencyFacts(self.immediate_danger, self.rag, self.next_due_at)


def decisions_awaiting(ctx: ServiceContext) -> list[DecisionWaiting]:
    """Every contact awaiting authorisation, most urgent first (``domain.urgency``, measured against the
    earlier of the decision and RAG deadlines): the same order as every other queue."""
    now = ctx.now()
    with ctx.unit() as (session, actor):
        if actor.role is not Role.MANAGER:
            raise PermissionRefused("Only team managers work the decision queue.")
        contacts = list(
            session.scalars(
                select(Contact)
                .where(Contact.status == ContactStatus.AWAITING_AUTHORISATION)
                .order_by(*urgency_order(queue_due(Queue.DECISIONS), now))
                .limit(MAX_DECISIONS)
            )
        )
        ids = [c.id for c in contacts]
        proposers: dict[int, list[tuple[int, str]]] = defaultdict(list)
        if ids:
            for contact_id, user_id, name in session.execute(
                select(ContactChild.contact_id, User.id, User.display_name)
                .join(ThresholdDecision, ThresholdDecision.contact_child_id == ContactChild.id)
                .join(User, User.id == ThresholdDecision.proposed_by_id)
                .where(ContactChild.contact_id.in_(ids), ThresholdDecision.status == DecisionStatus.PROPOSED)
                .order_by(ContactChild.contact_id, ThresholdDecision.id)
            ):
                if (user_id, name) not in proposers[contact_id]:
                    proposers[contact_id].append((user_id, name))
        rows = [
            DecisionWaiting(
                contact_id=row.contact_id,
                reference=row.reference,
                received_at=row.received_at,
                rag=row.rag,
                rag_due_at=row.due_at,
                decision_due_at=row.decision_due_at,
                children=row.children,
                assigned_to=row.assigned_to,
                proposed_by=tuple(name for _id, name in proposers[row.contact_id]),
                proposed_by_me=any(user_id == actor.id for user_id, _name in proposers[row.contact_id]),
                immediate_danger=row.immediate_danger,
                re_referral=row.re_referral,
                version=row.version,
            )
            for row in rows_for(session, contacts)
        ]
    rows.sort(key=lambda row: urgency_key(row.urgency_facts(), now, row.contact_id))
    return rows


# --- the dashboard's headline tiles ---------------------------------------------------------------


@dataclass(frozen=True)
class MeasureTile:
    """One headline percentage: what it is out of, its target, and whether the target is met.

    ``target`` is a percentage; ``higher_is_better`` says which side of it is good. A tile without a
    target (NFA rate, say) is context, not a performance measure: ``meets_target`` is then ``None``.
    """

    key: str
    label: str
    ratio: Ratio
    target: float | None
    higher_is_better: bool

    @property
    def meets_target(self) -> bool | None:
        percent = self.ratio.percent
        if self.target is None or percent is None:
            return None
        return percent >= self.target if self.higher_is_better else percent <= self.target


@dataclass(frozen=True)
class CountTile:
    """A headline count where any at all needs attention (overdue work, unaccepted hand-offs)."""

    key: str
    label: str
    count: int
    of_which_overdue: int | None = None


# Which side of its target is good; the targets themselves are the administrator's
# (``policy.DASHBOARD_TARGETS``, read with the measures).
HIGHER_IS_BETTER: dict[str, bool] = {
    "decided_within_one_working_day": True,
    "completed_within_rag": True,
    "agency_returns_on_time": True,
    "re_referrals": False,
    "nfa": False,
    "decisions_returned": False,
}


def measure_tiles(m: FrontDoorMeasures) -> tuple[MeasureTile, ...]:
    """The headline percentages of the front-door measures, in reading order, with their targets."""
    shown: list[tuple[str, str, Ratio]] = [
        ("decided_within_one_working_day", "Decided within one working day", m.decided_within_one_working_day),
        ("completed_within_rag", "Completed within the RAG timescale", m.completed_within_rag),
        ("agency_returns_on_time", "Agency returns on time", m.agency_returns_on_time),
        ("re_referrals", "Re-referrals within 12 months", m.re_referrals),
        ("nfa", "Children decided no further action", m.nfa),
        ("decisions_returned", "Decisions returned at review", m.decisions_returned),
    ]
    return tuple(
        MeasureTile(key, label, ratio, m.targets.get(key), HIGHER_IS_BETTER[key]) for key, label, ratio in shown
    )


def count_tiles(m: FrontDoorMeasures) -> tuple[CountTile, ...]:
    """The headline counts: work that is late now, or nobody has taken."""
    return (
        CountTile("contacts_received", "Contacts received", m.contacts_received),
        CountTile("undecided_past_deadline", "Undecided past the one-working-day deadline", m.undecided_past_deadline),
        CountTile("agency_returns_overdue", "Agency checks overdue", m.agency_returns_overdue),
        CountTile("hand_offs_awaiting", "Hand-offs not yet accepted", m.hand_offs_awaiting, m.hand_offs_overdue),
        CountTile(
            "neglect_awaiting_decision", "Cumulative neglect awaiting a manager's decision", m.neglect_awaiting_decision
        ),
        CountTile("audit_actions_overdue", "Case audit actions overdue", m.audit_actions_overdue),
    )


# --- reporting periods ----------------------------------------------------------------------------


class PeriodChoice(StrEnum):
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    LAST_THREE_MONTHS = "last_three_months"
    CUSTOM = "custom"


def period_for(choice: PeriodChoice, today: date) -> tuple[date, date]:
    """The London dates (first, last) a named period covers on ``today``; CUSTOM gives this month."""
    first_of_month = today.replace(day=1)
    if choice is PeriodChoice.LAST_MONTH:
        last = first_of_month - timedelta(days=1)
        return last.replace(day=1), last
    if choice is PeriodChoice.LAST_THREE_MONTHS:
        return add_months(today, -3) + timedelta(days=1), today
    return first_of_month, today
