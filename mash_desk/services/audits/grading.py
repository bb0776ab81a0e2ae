"""An auditor's cases: the list, one case with its question set, and grading it with findings per agency.

Only an auditor assigned to the audit reads or grades its cases (PostgreSQL keeps the same rule);
each grades each case once, and a grade is never changed. The auditor reads the contact and the
child's record through the ordinary openings, each audited as usual; opening the case page is
audited too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mash_desk.domain.audits import AgencyFinding, Answer, AuditGrade, AuditTheme, QuestionSet, check_grading
from mash_desk.domain.errors import NotFound, PermissionRefused
from mash_desk.services.audits.access import assigned
from mash_desk.services.audits.questions import load_question_set
from mash_desk.services.context import Actor, ServiceContext, audit, retry_collisions
from mash_desk.store.case_audit_models import (
    CaseAudit,
    CaseAuditAuditor,
    CaseAuditCase,
    CaseAuditFinding,
    CaseAuditGrade,
)
from mash_desk.store.models import Agency, Contact, ContactChild, Person


@dataclass(frozen=True)
class MyCaseRow:
    """One case on an auditor's list."""

    id: int
    audit_id: int
    audit_title: str
    theme: AuditTheme
    position: int
    contact_id: int
    reference: str
    my_grade: AuditGrade | None


@dataclass(frozen=True)
class MyGrade:
    grade: AuditGrade
    learning: str
    answers: dict[str, Answer]
    findings: tuple[AgencyFinding, ...]
    graded_at: datetime


@dataclass(frozen=True)
class AuditCaseView:
    """What the auditor's case page shows: the case, the questions, the agencies, their grade if made."""

    id: int
    audit_id: int
    audit_title: str
    theme: AuditTheme
    position: int
    of: int
    contact_id: int
    reference: str
    received_at: datetime
    children: tuple[tuple[int, str], ...]
    questions: QuestionSet
    agencies: tuple[tuple[int, str], ...]
    mine: MyGrade | None


def my_audit_cases(ctx: ServiceContext) -> list[MyCaseRow]:
    """The cases of every audit this person is an auditor of, audit by audit in sample order."""
    with ctx.unit() as (session, actor):
        mine = select(CaseAuditAuditor.audit_id).where(CaseAuditAuditor.user_id == actor.id)
        graded = dict(
            session.execute(
                select(CaseAuditGrade.case_id, CaseAuditGrade.grade).where(CaseAuditGrade.auditor_id == actor.id)
            ).all()
        )
        rows = session.execute(
            select(
                CaseAuditCase.id,
                CaseAudit.id,
                CaseAudit.title,
                CaseAudit.theme,
                CaseAuditCase.position,
                Contact.id,
                Contact.reference,
            )
            .join(CaseAudit, CaseAudit.id == CaseAuditCase.audit_id)
            .join(Contact, Contact.id == CaseAuditCase.contact_id)
            .where(CaseAuditCase.audit_id.in_(mine))
            .order_by(CaseAudit.created_at.desc(), CaseAudit.id.desc(), CaseAuditCase.position)
        ).all()
    return [MyCaseRow(*row, my_grade=graded.get(row[0])) for row in rows]


def _assigned_case(session: Session, actor: Actor, case_id: int) -> tuple[CaseAuditCase, CaseAudit]:
    case = session.get(CaseAuditCase, case_id)
    record = session.get(CaseAudit, case.audit_id) if case is not None else None
    if case is None or record is None or not assigned(session, actor, case.audit_id):
        raise NotFound(f"There is no audit case {case_id} assigned to you.")
    return case, record


def audit_case(ctx: ServiceContext, case_id: int) -> AuditCaseView:
    """One case as its auditor sees it (audited as read); refused to anyone not assigned to its audit."""
    now = ctx.now()
    with ctx.unit() as (session, actor):
        case, record = _assigned_case(session, actor, case_id)
        contact = session.get(Contact, case.contact_id)
        if contact is None:
            raise NotFound(f"The contact of audit case {case_id} cannot be read.")
        of = len(session.scalars(select(CaseAuditCase.id).where(CaseAuditCase.audit_id == record.id)).all())
        children = tuple(
            (person_id, f"{given} {family}")
            for person_id, given, family in session.execute(
                select(Person.id, Person.given_names, Person.family_name)
                .join(ContactChild, ContactChild.person_id == Person.id)
                .where(ContactChild.contact_id == contact.id)
                .order_by(ContactChild.id)
            )
        )
        agencies = tuple((a.id, a.name) for a in session.execute(select(Agency.id, Agency.name).order_by(Agency.name)))
        grade = session.scalar(
            select(CaseAuditGrade).where(CaseAuditGrade.case_id == case.id, CaseAuditGrade.auditor_id == actor.id)
        )
        mine = None
        if grade is not None:
            findings = tuple(
                AgencyFinding(f.agency_id, f.grade, f.finding)
                for f in session.scalars(
                    select(CaseAuditFinding).where(CaseAuditFinding.grade_id == grade.id).order_by(CaseAuditFinding.id)
                )
            )
            answers = {k: Answer(v) for k, v in json.loads(grade.answers).items()}
            mine = MyGrade(grade.grade, grade.learning, answers, findings, grade.graded_at)
        view = AuditCaseView(
            id=case.id,
            audit_id=record.id,
            audit_title=record.title,
            theme=record.theme,
            position=case.position,
            of=of,
            contact_id=contact.id,
            reference=contact.reference,
            received_at=contact.received_at,
            children=children,
            questions=load_question_set(record.theme),
            agencies=agencies,
            mine=mine,
        )
    # the opening is audited in its own short write unit after the read, as every opening is
    ctx.record_opening("case_audit.case_read", "case_audit_case", view.id, now, contact_id=view.contact_id)
    return view


@retry_collisions
def grade_case(
    ctx: ServiceContext,
    case_id: int,
    *,
    grade: AuditGrade | str | None,
    learning: str,
    answers: Mapping[str, Answer | str | None],
    findings: Sequence[tuple[int, AuditGrade | str | None, str]],
) -> int:
    """Grade a case once, as its assigned auditor: the grade, every question answered, the learning in
    the auditor's words, and a graded finding for each agency that had a part. Checked whole first."""
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        case, record = _assigned_case(session, actor, case_id)
        questions = load_question_set(record.theme)
        known = set(session.scalars(select(Agency.id)))
        checked = check_grading(
            grade=grade,
            learning=learning,
            answers=answers,
            question_ids=questions.ids,
            findings=[f for f in findings if f[0] in known],
        )
        if session.scalar(
            select(CaseAuditGrade.id).where(CaseAuditGrade.case_id == case.id, CaseAuditGrade.auditor_id == actor.id)
        ):
            raise PermissionRefused("You have graded this case already; a grade is not changed once made.")
        row = CaseAuditGrade(
            case_id=case.id,
            auditor_id=actor.id,
            grade=checked.grade,
            learning=checked.learning,
            answers=json.dumps({k: v.value for k, v in checked.answers.items()}, sort_keys=True),
            graded_at=now,
        )
        session.add(row)
        try:
            session.flush()
        except IntegrityError as exc:  # graded at the same moment on another workstation
            raise PermissionRefused("You have graded this case already; a grade is not changed once made.") from exc
        session.add_all(
            CaseAuditFinding(grade_id=row.id, agency_id=f.agency_id, grade=f.grade, finding=f.finding)
            for f in checked.findings
        )
        session.flush()
        audit(
            session,
            actor,
            "case_audit.grade",
            "case_audit_grade",
            row.id,
            at=now,
            contact_id=case.contact_id,
            detail={"grade": checked.grade.value, "agencies": [f.agency_id for f in checked.findings]},
        )
        return row.id
