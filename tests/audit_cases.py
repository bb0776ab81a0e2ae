"""Builders for the case audit's tests: decided cases to sample, and an audit set up over them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from mash_desk.domain.audits import Answer, AuditGrade, AuditTheme, Sampling
from mash_desk.domain.enums import ContactStatus
from mash_desk.services import audits
from mash_desk.services.audits import AuditSetUp
from mash_desk.store.models import Agency, User
from tests.support import Case, World, case_at, child

PERIOD = (date(2026, 3, 1), date(2026, 3, 10))
AUDITORS = ("sam", "pc_jones", "hv_okafor")  # social care, police, health
NAMES = (("Amira", "Hussain"), ("Tomasz", "Nowak"), ("Leila", "Haddad"), ("Kofi", "Mensah"), ("Ruby", "Clarke"))


def decided_cases(world: World, count: int = 5) -> list[Case]:
    """``count`` neglect contacts, each about a different child, authorised (so decided) in the period."""
    return [case_at(world, ContactStatus.AUTHORISED, child(given, family)) for given, family in NAMES[:count]]


def user_ids(world: World, *who: str) -> list[int]:
    with world.db.session() as session:
        ids = dict(session.execute(select(User.username, User.id)).all())
    return [ids[world.logins[name]] for name in who]


def agency_ids(world: World) -> dict[str, int]:
    with world.db.session() as session:
        return dict(session.execute(select(Agency.code, Agency.id)).all())


def set_up(
    world: World, *, who: str = "aud", seed: int | str | None = 42, size: int | None = 3, **extra: object
) -> AuditSetUp:
    fields: dict[str, object] = {
        "title": "Neglect front door audit, spring 2026",
        "theme": AuditTheme.NEGLECT,
        "period_start": PERIOD[0],
        "period_end": PERIOD[1],
        "sample_size": size,
        "sampling": Sampling.RANDOM,
        "seed": seed,
        "auditor_ids": user_ids(world, *AUDITORS),
    }
    fields.update(extra)
    return audits.set_up_audit(world.as_(who), **fields)  # type: ignore[arg-type]


def good_grading(world: World, agency: str = "SOCIAL_CARE") -> dict[str, object]:
    """A complete grading of a neglect case: every question answered, learning, one agency's finding."""
    questions = audits.load_question_set(AuditTheme.NEGLECT)
    return {
        "grade": AuditGrade.REQUIRES_IMPROVEMENT,
        "learning": "Earlier contacts about Amira were read one by one, so the cumulative neglect was missed.",
        "answers": dict.fromkeys(questions.ids, Answer.PARTLY),
        "findings": [(agency_ids(world)[agency], AuditGrade.REQUIRES_IMPROVEMENT, "History read late; no GCP2.")],
    }
