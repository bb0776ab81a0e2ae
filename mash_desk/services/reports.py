"""What is open, what is late, and what nobody has accepted: the front door at a glance."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from mash_desk.domain.enums import AgencyRequestStatus, ContactStatus, HandOffStatus, Rag
from mash_desk.services.context import ServiceContext
from mash_desk.services.patterns import PATTERN_READERS, OpenPatterns, open_patterns
from mash_desk.services.queues import MASH_WORK, OPEN_STATES, urgency_order
from mash_desk.services.reporting import for_reports
from mash_desk.store.models import Agency, AgencyRequest, Contact, HandOff, Team

PRE_DECISION = (
    ContactStatus.RECEIVED,
    ContactStatus.SCREENED,
    ContactStatus.AGENCY_CHECKS,
    ContactStatus.RETURNED,
    ContactStatus.AWAITING_AUTHORISATION,
)


@dataclass(frozen=True)
class OverdueItem:
    what: str
    reference: str
    due_at: datetime


@dataclass(frozen=True)
class OpenWorkReport:
    generated_at: datetime
    by_status_and_rag: dict[tuple[ContactStatus, Rag | None], int]
    overdue_screening: int
    overdue_decisions: int
    overdue_agency_returns: int
    hand_offs_awaiting: int
    hand_offs_overdue: int
    oldest_overdue: tuple[OverdueItem, ...]
    awaiting_by_team: dict[str, int]
    patterns: OpenPatterns | None = None
    """Patterns nobody should miss on the open work (``services.patterns``)."""

    @property
    def open_total(self) -> int:
        return sum(self.by_status_and_rag.values())


def open_work(ctx: ServiceContext, *, list_limit: int = 20) -> OpenWorkReport:
    """Open work by status and RAG, overdue items, and hand-offs awaiting acceptance."""
    now = ctx.now()
    with for_reports(ctx).unit() as (session, actor):
        counts: Counter[tuple[ContactStatus, Rag | None]] = Counter()
        for status, rag, number in session.execute(
            select(Contact.status, Contact.rag, func.count(Contact.id))
            .where(Contact.status.in_(OPEN_STATES))
            .group_by(Contact.status, Contact.rag)
        ):
            counts[(status, rag)] = int(number)
        overdue_screening = (
            session.scalar(
                select(func.count(Contact.id)).where(Contact.status.in_(MASH_WORK), Contact.rag_due_at < now)
            )
            or 0
        )
        overdue_decisions = (
            session.scalar(
                select(func.count(Contact.id)).where(Contact.status.in_(PRE_DECISION), Contact.decision_due_at < now)
            )
            or 0
        )
        overdue_returns = (
            session.scalar(
                select(func.count(AgencyRequest.id)).where(
                    AgencyRequest.status == AgencyRequestStatus.OUTSTANDING, AgencyRequest.due_at < now
                )
            )
            or 0
        )
        awaiting = session.scalar(select(func.count(HandOff.id)).where(HandOff.status == HandOffStatus.PENDING)) or 0
        awaiting_overdue = (
            session.scalar(
                select(func.count(HandOff.id)).where(HandOff.status == HandOffStatus.PENDING, HandOff.due_at < now)
            )
            or 0
        )
        by_team = {
            name: int(number)
            for name, number in session.execute(
                select(Team.name, func.count(HandOff.id))
                .join(Team, Team.id == HandOff.team_id)
                .where(HandOff.status == HandOffStatus.PENDING)
                .group_by(Team.name)
                .order_by(Team.name)
            )
        }
        items: list[OverdueItem] = [
            OverdueItem("screening/RAG", ref, due)
            for ref, due in session.execute(
                select(Contact.reference, Contact.rag_due_at)
                .where(Contact.status.in_(MASH_WORK), Contact.rag_due_at < now)
                .order_by(*urgency_order(Contact.rag_due_at, now))  # the queues' order: RED before GREEN
                .limit(list_limit)
            )
        ]
        items += [
            OverdueItem(f"hand-off to {team}", ref, due)
            for ref, team, due in session.execute(
                select(Contact.reference, Team.name, HandOff.due_at)
                .join(Contact, Contact.id == HandOff.contact_id)
                .join(Team, Team.id == HandOff.team_id)
                .where(HandOff.status == HandOffStatus.PENDING, HandOff.due_at < now)
                .order_by(HandOff.due_at)
                .limit(list_limit)
            )
        ]
        items += [
            OverdueItem(f"{agency} return", ref, due)
            for ref, agency, due in session.execute(
                select(Contact.reference, Agency.name, AgencyRequest.due_at)
                .join(Contact, Contact.id == AgencyRequest.contact_id)
                .join(Agency, Agency.id == AgencyRequest.agency_id)
                .where(AgencyRequest.status == AgencyRequestStatus.OUTSTANDING, AgencyRequest.due_at < now)
                .order_by(AgencyRequest.due_at)
                .limit(list_limit)
            )
        ]
        items.sort(key=lambda item: item.due_at)
        return OpenWorkReport(
            generated_at=now,
            by_status_and_rag=dict(counts),
            overdue_screening=int(overdue_screening),
            overdue_decisions=int(overdue_decisions),
            overdue_agency_returns=int(overdue_returns),
            hand_offs_awaiting=int(awaiting),
            hand_offs_overdue=int(awaiting_overdue),
            oldest_overdue=tuple(items[:list_limit]),
            awaiting_by_team=by_team,
            patterns=open_patterns(session, OPEN_STATES, list_limit) if actor.role in PATTERN_READERS else None,
        )
