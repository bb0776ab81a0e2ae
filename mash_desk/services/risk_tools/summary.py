"""The risk tools in numbers, for ``mash-desk report`` and the manager's dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from mash_desk.domain.periods import london_date
from mash_desk.domain.risk import (
    DashLevel,
)
from mash_desk.services.context import ServiceContext
from mash_desk.services.reporting import for_reports
from mash_desk.services.risk_tools.gcp import GcpReviewDue, overdue_query, reviews_due
from mash_desk.store.models import (
    DashAssessment,
    GcpAssessment,
)
from mash_desk.store.models import (
    MaracReferral as MaracReferralRow,
)

# --- what the report and the dashboard say --------------------------------------------------------


@dataclass(frozen=True)
class RiskToolSummary:
    """The risk tools in numbers: for ``mash-desk report`` and the manager's dashboard.

    ``marac_referrals`` counts referrals made (``marac_referral`` rows); ``high_not_referred`` the
    high-risk DASH checklists in the period with no referral made from them yet."""

    gcp_total: int
    gcp_children: int
    gcp_reviews_overdue: int
    dash_by_level: dict[DashLevel, int]
    marac_referrals: int
    high_not_referred: int
    judgement_overrides: int
    oldest_overdue: tuple[GcpReviewDue, ...]

    @property
    def dash_total(self) -> int:
        return sum(self.dash_by_level.values())


def risk_tool_summary(
    ctx: ServiceContext, *, since: datetime | None = None, until: datetime | None = None, list_limit: int = 10
) -> RiskToolSummary:
    """Counts of GCP2, DASH and MARAC referrals (in a period, when given), and the GCP2 reviews overdue now."""
    with for_reports(ctx).unit() as (session, _actor):
        return risk_tool_counts(session, london_date(ctx.now()), since=since, until=until, list_limit=list_limit)


def risk_tool_counts(
    session: Session,
    today: date,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    list_limit: int = 10,
) -> RiskToolSummary:
    """:func:`risk_tool_summary` inside a unit already open (the dashboard's measures read it too)."""

    def within(column: Any) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if since is not None:
            conditions.append(column >= since)
        if until is not None:
            conditions.append(column < until)
        return conditions

    referred = select(MaracReferralRow.id).where(MaracReferralRow.dash_id == DashAssessment.id).exists()
    gcp_total, gcp_children = session.execute(
        select(func.count(GcpAssessment.id), func.count(func.distinct(GcpAssessment.child_id))).where(
            *within(GcpAssessment.assessed_at)
        )
    ).one()
    by_level = dict.fromkeys(DashLevel, 0)
    for level, number in session.execute(
        select(DashAssessment.level, func.count(DashAssessment.id))
        .where(*within(DashAssessment.assessed_at))
        .group_by(DashAssessment.level)
    ):
        by_level[DashLevel(level)] = int(number)
    not_referred, overrides = session.execute(
        select(
            func.count(DashAssessment.id).filter(DashAssessment.marac_referral.is_(True), ~referred),
            func.count(DashAssessment.id).filter(DashAssessment.professional_judgement.is_(True)),
        ).where(*within(DashAssessment.assessed_at))
    ).one()
    marac = session.scalar(select(func.count(MaracReferralRow.id)).where(*within(MaracReferralRow.made_at))) or 0
    overdue_count = session.scalar(select(func.count()).select_from(overdue_query(today).subquery())) or 0
    oldest = session.scalars(overdue_query(today).order_by(GcpAssessment.review_on, GcpAssessment.id).limit(list_limit))
    listed = tuple(reviews_due(session, list(oldest), today))
    return RiskToolSummary(
        int(gcp_total or 0),
        int(gcp_children or 0),
        int(overdue_count),
        by_level,
        int(marac),
        int(not_referred or 0),
        int(overrides or 0),
        listed,
    )
