"""The demo's case audit: a neglect audit the partnership's auditor set up six weeks ago, graded by the
MASH's social worker and the police (health has still to grade, so "My audit cases" has work in it),
with one action done and one overdue (it shows on the dashboard). Written through the services."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from mash_desk.domain.audits import Answer, AuditGrade, AuditTheme, Sampling
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.periods import london_date
from mash_desk.services import audits
from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from mash_desk.store.models import Agency, User

AUDITORS = ("sam", "pc_jones", "hv_okafor")
SEED = 2026
GRADES = (AuditGrade.GOOD, AuditGrade.REQUIRES_IMPROVEMENT, AuditGrade.REQUIRES_IMPROVEMENT, AuditGrade.INADEQUATE)
LEARNING = {
    "sam": (
        "Each contact was screened on its own; read together, the school's notes showed neglect building for a year.",
        "The decision was right, and the manager's reasons are clear: the family knew why we were involved.",
        "Nobody asked for a Graded Care Profile 2 although three contacts mentioned hunger and poor hygiene.",
        "The health visitor's knowledge of the family reached the MASH after the decision, not before it.",
    ),
    "pc_jones": (
        "Police shared the domestic abuse call-outs the same day; the MASH used them well.",
        "The call-outs were shared, but nobody linked them to the school's concerns about the children.",
        "Officers attending did not record the children's presence, so the risk to them was underestimated.",
        "A strong example of joint working: the police and school information together drove the decision.",
    ),
}
FINDINGS = {
    "sam": ("SOCIAL_CARE", "Earlier contacts were not read together before the decision."),
    "pc_jones": ("POLICE", "Call-outs shared promptly; children's presence not always recorded."),
}


def make_audit_example(db: Database, now: datetime) -> int | None:
    """Set up, sample and half-grade the demo's audit; None on a hub without the demo's people or cases."""
    with db.session() as session:
        present = set(session.scalars(select(User.username).where(User.username.in_(("aud", *AUDITORS)))))
        users = dict(session.execute(select(User.username, User.id)).all())
        agencies = dict(session.execute(select(Agency.code, Agency.id)).all())
    if present != {"aud", *AUDITORS}:
        return None
    set_up_at = now - timedelta(days=42)
    auditor = ServiceContext(db, "aud", clock=lambda: set_up_at)
    try:
        made = audits.set_up_audit(
            auditor,
            title="Neglect at the front door: cumulative harm",
            theme=AuditTheme.NEGLECT,
            period_start=london_date(set_up_at) - timedelta(days=180),
            period_end=london_date(set_up_at) - timedelta(days=1),
            sample_size=6,
            sampling=Sampling.RANDOM,
            seed=SEED,
            auditor_ids=[users[name] for name in AUDITORS],
        )
    except InvalidInput:
        return None  # no neglect contact decided in the period: a demo too small for the story
    questions = audits.load_question_set(AuditTheme.NEGLECT)
    graded_at = set_up_at + timedelta(days=14)
    for who in ("sam", "pc_jones"):
        ctx = ServiceContext(db, who, clock=lambda: graded_at)
        agency, finding = FINDINGS[who]
        for number, case in enumerate(audits.my_audit_cases(ctx)):
            grade = GRADES[(number + len(who)) % len(GRADES)]
            answers = {q: (Answer.PARTLY, Answer.YES, Answer.NO)[(i + number) % 3] for i, q in enumerate(questions.ids)}
            audits.grade_case(
                ctx,
                case.id,
                grade=grade,
                learning=LEARNING[who][number % len(LEARNING[who])],
                answers=answers,
                findings=[(agencies[agency], grade, finding)],
            )
    agreed = ServiceContext(db, "aud", clock=lambda: graded_at + timedelta(days=1))
    done = audits.add_action(
        agreed,
        made.id,
        what="Screeners read the last twelve months of contacts together before every neglect decision",
        owner="Maria Lopez",
        agency_id=agencies["SOCIAL_CARE"],
        due_on=london_date(graded_at) + timedelta(days=14),
    )
    audits.add_action(
        agreed,
        made.id,
        what="Health visitors offer a Graded Care Profile 2 at the second neglect contact",
        owner="Grace Okafor",
        agency_id=agencies["HEALTH"],
        due_on=london_date(graded_at) + timedelta(days=21),
    )
    audits.mark_action_done(
        ServiceContext(db, "aud", clock=lambda: graded_at + timedelta(days=10)),
        done,
        "A screening checklist now asks for the twelve-month history; checked in supervision.",
    )
    return made.id
