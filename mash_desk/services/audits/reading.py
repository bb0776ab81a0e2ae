"""What the audit pages show: the audits, one audit's cases, auditors and actions as plain rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from mash_desk.domain.audits import QUALITY_ASSURANCE_OVERSEERS, AuditGrade, AuditTheme, Sampling, action_overdue
from mash_desk.domain.periods import london_date
from mash_desk.services.audits.access import readable_audit
from mash_desk.services.context import ServiceContext
from mash_desk.store.case_audit_models import (
    CaseAudit,
    CaseAuditAction,
    CaseAuditAuditor,
    CaseAuditCase,
    CaseAuditGrade,
)
from mash_desk.store.models import Agency, Contact, User


@dataclass(frozen=True)
class AuditRow:
    id: int
    title: str
    theme: AuditTheme
    period_start: date
    period_end: date
    sampling: Sampling
    seed: int | None
    cases: int
    auditors: int
    grades_made: int
    actions_open: int
    actions_overdue: int
    created_at: datetime

    @property
    def grades_expected(self) -> int:
        return self.cases * self.auditors


@dataclass(frozen=True)
class AuditorRow:
    id: int
    name: str
    agency: str
    graded: int


@dataclass(frozen=True)
class AuditCaseRow:
    id: int
    position: int
    contact_id: int
    reference: str
    grades: tuple[AuditGrade, ...]


@dataclass(frozen=True)
class ActionRow:
    id: int
    what: str
    owner: str
    agency: str
    due_on: date
    done_at: datetime | None
    done_by: str | None
    done_note: str | None
    overdue: bool


@dataclass(frozen=True)
class AuditDetail:
    audit: AuditRow
    internal_use: bool
    auditors: tuple[AuditorRow, ...]
    cases: tuple[AuditCaseRow, ...]
    actions: tuple[ActionRow, ...]


def list_audits(ctx: ServiceContext) -> list[AuditRow]:
    """The audits this person may read (every audit for managers and auditors; their own otherwise), newest first."""
    today = london_date(ctx.now())
    with ctx.unit() as (session, actor):
        query = select(CaseAudit).order_by(CaseAudit.created_at.desc(), CaseAudit.id.desc())
        if actor.role not in QUALITY_ASSURANCE_OVERSEERS:
            mine = select(CaseAuditAuditor.audit_id).where(CaseAuditAuditor.user_id == actor.id)
            query = query.where(CaseAudit.id.in_(mine))
        audits = list(session.scalars(query))
        ids = [a.id for a in audits]
        cases = _count_by(session, CaseAuditCase.audit_id, ids)
        auditors = _count_by(session, CaseAuditAuditor.audit_id, ids)
        grades = dict(
            session.execute(
                select(CaseAuditCase.audit_id, func.count(CaseAuditGrade.id))
                .join(CaseAuditGrade, CaseAuditGrade.case_id == CaseAuditCase.id)
                .where(CaseAuditCase.audit_id.in_(ids))
                .group_by(CaseAuditCase.audit_id)
            ).all()
        )
        open_actions: dict[int, list[date]] = {}
        for audit_id, due_on in session.execute(
            select(CaseAuditAction.audit_id, CaseAuditAction.due_on).where(
                CaseAuditAction.audit_id.in_(ids), CaseAuditAction.done_at.is_(None)
            )
        ):
            open_actions.setdefault(audit_id, []).append(due_on)
        return [
            _row(
                a,
                cases.get(a.id, 0),
                auditors.get(a.id, 0),
                int(grades.get(a.id, 0)),
                open_actions.get(a.id, []),
                today,
            )
            for a in audits
        ]


def _count_by(session: Session, column: InstrumentedAttribute[int], ids: list[int]) -> dict[int, int]:
    """How many rows each audit has in ``column``'s table."""
    return {
        int(k): int(n) for k, n in session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column))
    }


def audit_detail(ctx: ServiceContext, audit_id: int) -> AuditDetail:
    """One audit whole: its auditors and how far each has got, its cases with their grades, its actions."""
    today = london_date(ctx.now())
    with ctx.unit() as (session, actor):
        record = readable_audit(session, actor, audit_id)
        auditors = session.execute(
            select(User.id, User.display_name, Agency.name)
            .join(CaseAuditAuditor, CaseAuditAuditor.user_id == User.id)
            .join(Agency, Agency.id == User.agency_id)
            .where(CaseAuditAuditor.audit_id == audit_id)
            .order_by(Agency.name, User.display_name)
        ).all()
        grade_rows = session.execute(
            select(CaseAuditGrade.case_id, CaseAuditGrade.auditor_id, CaseAuditGrade.grade)
            .join(CaseAuditCase, CaseAuditCase.id == CaseAuditGrade.case_id)
            .where(CaseAuditCase.audit_id == audit_id)
            .order_by(CaseAuditGrade.id)
        ).all()
        cases = session.execute(
            select(CaseAuditCase.id, CaseAuditCase.position, CaseAuditCase.contact_id, Contact.reference)
            .join(Contact, Contact.id == CaseAuditCase.contact_id)
            .where(CaseAuditCase.audit_id == audit_id)
            .order_by(CaseAuditCase.position)
        ).all()
        done_by = User.__table__.alias("done_by")
        actions = session.execute(
            select(
                CaseAuditAction.id,
                CaseAuditAction.what,
                CaseAuditAction.owner,
                Agency.name,
                CaseAuditAction.due_on,
                CaseAuditAction.done_at,
                done_by.c.display_name,
                CaseAuditAction.done_note,
            )
            .join(Agency, Agency.id == CaseAuditAction.agency_id)
            .outerjoin(done_by, done_by.c.id == CaseAuditAction.done_by_id)
            .where(CaseAuditAction.audit_id == audit_id)
            .order_by(CaseAuditAction.due_on, CaseAuditAction.id)
        ).all()
        graded_by: dict[int, int] = {}
        by_case: dict[int, list[AuditGrade]] = {}
        for case_id, auditor_id, grade in grade_rows:
            graded_by[auditor_id] = graded_by.get(auditor_id, 0) + 1
            by_case.setdefault(case_id, []).append(grade)
        open_due = [a.due_on for a in actions if a.done_at is None]
        row = _row(record, len(cases), len(auditors), len(grade_rows), open_due, today)
        return AuditDetail(
            audit=row,
            internal_use=record.internal_use,
            auditors=tuple(AuditorRow(uid, name, agency, graded_by.get(uid, 0)) for uid, name, agency in auditors),
            cases=tuple(
                AuditCaseRow(cid, position, contact_id, reference, tuple(by_case.get(cid, ())))
                for cid, position, contact_id, reference in cases
            ),
            actions=tuple(
                ActionRow(
                    id=a.id,
                    what=a.what,
                    owner=a.owner,
                    agency=a.name,
                    due_on=a.due_on,
                    done_at=a.done_at,
                    done_by=a.display_name,
                    done_note=a.done_note,
                    overdue=action_overdue(a.due_on, a.done_at is not None, today),
                )
                for a in actions
            ),
        )


def _row(record: CaseAudit, cases: int, auditors: int, grades: int, open_due: list[date], today: date) -> AuditRow:
    return AuditRow(
        id=record.id,
        title=record.title,
        theme=record.theme,
        period_start=record.period_start,
        period_end=record.period_end,
        sampling=record.sampling,
        seed=record.seed,
        cases=cases,
        auditors=auditors,
        grades_made=grades,
        actions_open=len(open_due),
        actions_overdue=sum(action_overdue(d, False, today) for d in open_due),
        created_at=record.created_at,
    )
