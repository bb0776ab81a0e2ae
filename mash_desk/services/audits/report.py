"""The audit report: an audit's grades, answers, learning and actions gathered and printed on the letterhead.

Unless the audit was set up for internal use, no child's name reaches the PDF: cases are named by
number and contact reference, and the names of the sample's children (given and family names) are
taken out of the auditors' words, which they may have typed while reading the record.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select

from mash_desk.domain.audits import GRADE_ORDER, Answer, AuditGrade, AuditTheme, Sampling
from mash_desk.letters.audit_report import (
    ActionLine,
    AgencyLine,
    AuditReportData,
    GradeCounts,
    LearningEntry,
    QuestionCounts,
    render_audit_report,
)
from mash_desk.services.audits.access import readable_audit
from mash_desk.services.audits.questions import load_question_set
from mash_desk.services.audits.reading import audit_detail
from mash_desk.services.context import ServiceContext
from mash_desk.services.letters.reading import load_letterhead
from mash_desk.store.case_audit_models import CaseAuditCase, CaseAuditFinding, CaseAuditGrade
from mash_desk.store.models import Agency, ContactChild, Person, User

WITHHELD = "[name withheld]"
THEME_WORDS: dict[AuditTheme, str] = {
    AuditTheme.NEGLECT: "Neglect",
    AuditTheme.DOMESTIC_ABUSE: "Domestic abuse",
    AuditTheme.INTERPRETERS: "Interpreters",
    AuditTheme.HOUSING: "Housing",
    AuditTheme.OPEN: "Open (any case)",
}
SAMPLING_WORDS: dict[Sampling, str] = {
    Sampling.RANDOM: "at random",
    Sampling.BY_OUTCOME: "at random within each outcome",
    Sampling.BY_SOURCE: "at random within each referral source",
    Sampling.HAND_PICKED: "by hand",
}


def without_names(text: str, names: Iterable[str]) -> str:
    """``text`` with each of ``names`` (whole words, any case) replaced, longest first."""
    for name in sorted({n for n in names if len(n) > 1}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", WITHHELD, text, flags=re.IGNORECASE)
    return text


def _counts(grades: Iterable[AuditGrade]) -> tuple[int, ...]:
    tally = Counter(grades)
    return tuple(tally[g] for g in GRADE_ORDER)


def audit_report_data(ctx: ServiceContext, audit_id: int) -> AuditReportData:
    detail = audit_detail(ctx, audit_id)
    now = ctx.now()
    with ctx.unit() as (session, actor):
        record = readable_audit(session, actor, audit_id)
        questions = load_question_set(record.theme)
        case_ids = {c.id: c for c in detail.cases}
        children: dict[int, list[tuple[str, str]]] = {}
        for contact_id, given, family in session.execute(
            select(ContactChild.contact_id, Person.given_names, Person.family_name)
            .join(Person, Person.id == ContactChild.person_id)
            .join(CaseAuditCase, CaseAuditCase.contact_id == ContactChild.contact_id)
            .where(CaseAuditCase.audit_id == audit_id)
            .order_by(ContactChild.id)
        ):
            children.setdefault(contact_id, []).append((given, family))
        every_name = [
            part for names in children.values() for given, family in names for part in (*given.split(), family)
        ]
        grades = session.execute(
            select(
                CaseAuditGrade.id,
                CaseAuditGrade.case_id,
                CaseAuditGrade.grade,
                CaseAuditGrade.learning,
                CaseAuditGrade.answers,
                User.display_name,
                Agency.name,
            )
            .join(User, User.id == CaseAuditGrade.auditor_id)
            .join(Agency, Agency.id == User.agency_id)
            .where(CaseAuditGrade.case_id.in_(list(case_ids)))
            .order_by(CaseAuditGrade.case_id, CaseAuditGrade.id)
        ).all()
        findings = session.execute(
            select(CaseAuditFinding.grade_id, CaseAuditFinding.grade, CaseAuditFinding.finding, Agency.name)
            .join(Agency, Agency.id == CaseAuditFinding.agency_id)
            .where(CaseAuditFinding.grade_id.in_([g.id for g in grades]))
            .order_by(CaseAuditFinding.id)
        ).all()
    ctx.record_opening("case_audit.report", "case_audit", audit_id, now)
    by_grade: dict[int, list[AgencyLine]] = {}
    agency_grades: dict[str, list[AuditGrade]] = {}
    for grade_id, agency_grade, finding, agency in findings:
        by_grade.setdefault(grade_id, []).append(AgencyLine(agency, agency_grade, finding))
        agency_grades.setdefault(agency, []).append(agency_grade)
    answer_counts: dict[str, Counter[Answer]] = {q: Counter() for q in questions.ids}
    learning: list[LearningEntry] = []

    def words(text: str) -> str:
        return text if detail.internal_use else without_names(text, every_name)

    for grade in grades:
        case = case_ids[grade.case_id]
        for question, answer in json.loads(grade.answers).items():
            if question in answer_counts:
                answer_counts[question][Answer(answer)] += 1
        label = f"Case {case.position} (contact {case.reference})"
        if detail.internal_use:
            named = ", ".join(f"{g} {f}" for g, f in children.get(case.contact_id, []))
            label = f"{label}: {named}" if named else label
        learning.append(
            LearningEntry(
                case=label,
                auditor=f"{grade.display_name}, {grade.name}",
                grade=grade.grade,
                learning=words(grade.learning),
                findings=tuple(
                    AgencyLine(line.agency, line.grade, words(line.finding)) for line in by_grade.get(grade.id, [])
                ),
            )
        )
    row = detail.audit
    return AuditReportData(
        reference=f"Case audit {audit_id}",
        title=row.title,
        theme=THEME_WORDS[row.theme],
        period=f"{row.period_start:%d %b %Y} to {row.period_end:%d %b %Y}",
        sampling=SAMPLING_WORDS[row.sampling] + (f" (seed {row.seed})" if row.seed is not None else ""),
        cases=row.cases,
        auditors=tuple(f"{a.name}, {a.agency}" for a in detail.auditors),
        grades_made=row.grades_made,
        grades_expected=row.grades_expected,
        by_agency=tuple(GradeCounts(agency, _counts(g)) for agency, g in sorted(agency_grades.items())),
        by_theme=(GradeCounts(THEME_WORDS[row.theme], _counts(g.grade for g in grades)),),
        questions=tuple(
            QuestionCounts(q.text, tuple(answer_counts[q.id][a] for a in Answer)) for q in questions.questions
        ),
        learning=tuple(learning),
        actions=tuple(
            ActionLine(
                words(a.what),
                a.owner,
                a.agency,
                a.due_on,
                f"Done {a.done_at:%d %b %Y}: {words(a.done_note or '')}"
                if a.done_at
                else ("OVERDUE" if a.overdue else "Open"),
            )
            for a in detail.actions
        ),
        internal_use=detail.internal_use,
        produced_by=actor.display_name,
        produced_at=now,
    )


def audit_report(ctx: ServiceContext, audit_id: int) -> bytes:
    """The audit's report as a PDF on the hub's letterhead (audited as produced)."""
    data = audit_report_data(ctx, audit_id)
    with ctx.unit() as (session, _actor):
        letterhead = load_letterhead(session)
    return render_audit_report(data, letterhead)
