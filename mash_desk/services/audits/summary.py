"""The case audits in figures for a period, for the partnership's quarterly pack (helper "pack" wires it).

Definitions: a grading counts in the period when it was made on a London date from ``start`` to ``end``
(inclusive); grades by agency are the graded findings about each agency's part, grades by theme each
case's overall grade under its audit's theme. Actions count by their state at the end of the period
(or now, if the period has not ended): done by then, overdue (open past their due day), or open.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select

from mash_desk.domain.audits import GRADE_ORDER, AuditGrade, AuditTheme, action_overdue
from mash_desk.domain.periods import Period, london_date
from mash_desk.services.audits.access import require_overseer
from mash_desk.services.context import ServiceContext
from mash_desk.services.reporting import for_reports
from mash_desk.store.case_audit_models import (
    CaseAudit,
    CaseAuditAction,
    CaseAuditCase,
    CaseAuditFinding,
    CaseAuditGrade,
)
from mash_desk.store.models import Agency


@dataclass(frozen=True)
class GradeTally:
    """How many of each grade, best first (``domain.audits.GRADE_ORDER``)."""

    label: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def count(self, grade: AuditGrade) -> int:
        return self.counts[GRADE_ORDER.index(grade)]


@dataclass(frozen=True)
class AuditSummary:
    start: date
    end: date
    audits_set_up: int
    cases_graded: int  # distinct cases with at least one grading in the period
    gradings: int
    by_agency: tuple[GradeTally, ...]  # label: the agency's name
    by_theme: tuple[GradeTally, ...]  # label: the theme's code (``AuditTheme``)
    actions_open: int
    actions_overdue: int
    actions_done: int  # done by the end of the period (ever, not only within it)
    actions_done_in_period: int


def _tally(rows: list[tuple[str, AuditGrade]]) -> tuple[GradeTally, ...]:
    grouped: dict[str, Counter[AuditGrade]] = {}
    for label, grade in rows:
        grouped.setdefault(label, Counter())[grade] += 1
    return tuple(GradeTally(label, tuple(c[g] for g in GRADE_ORDER)) for label, c in sorted(grouped.items()))


def audit_summary(ctx: ServiceContext, start: date, end: date) -> AuditSummary:
    """The case audits' grades and actions for London dates ``start`` to ``end`` (managers and auditors)."""
    period = Period(start, end)
    now = ctx.now()
    as_of: datetime = min(now, period.end)
    today = min(london_date(now), end + timedelta(days=1))
    with for_reports(ctx).unit() as (session, actor):
        require_overseer(actor, "see the case audits' figures")
        graded_in = and_(CaseAuditGrade.graded_at >= period.start, CaseAuditGrade.graded_at < period.end)
        set_up = session.scalar(
            select(func.count(CaseAudit.id)).where(
                CaseAudit.created_at >= period.start, CaseAudit.created_at < period.end
            )
        )
        themes = session.execute(
            select(CaseAuditGrade.case_id, CaseAudit.theme, CaseAuditGrade.grade)
            .join(CaseAuditCase, CaseAuditCase.id == CaseAuditGrade.case_id)
            .join(CaseAudit, CaseAudit.id == CaseAuditCase.audit_id)
            .where(graded_in)
        ).all()
        agencies = session.execute(
            select(Agency.name, CaseAuditFinding.grade)
            .join(CaseAuditFinding, CaseAuditFinding.agency_id == Agency.id)
            .join(CaseAuditGrade, CaseAuditGrade.id == CaseAuditFinding.grade_id)
            .where(graded_in)
        ).all()
        actions = session.execute(
            select(CaseAuditAction.due_on, CaseAuditAction.done_at).where(CaseAuditAction.created_at <= as_of)
        ).all()
    done = [a for a in actions if a.done_at is not None and a.done_at <= as_of]
    still_open = [a for a in actions if a.done_at is None or a.done_at > as_of]
    return AuditSummary(
        start=start,
        end=end,
        audits_set_up=int(set_up or 0),
        cases_graded=len({case_id for case_id, _t, _g in themes}),
        gradings=len(themes),
        by_agency=_tally([(name, grade) for name, grade in agencies]),
        by_theme=_tally([(AuditTheme(theme).value, grade) for _c, theme, grade in themes]),
        actions_open=len(still_open),
        actions_overdue=sum(action_overdue(a.due_on, False, today) for a in still_open),
        actions_done=len(done),
        actions_done_in_period=sum(1 for a in done if a.done_at >= period.start),
    )
