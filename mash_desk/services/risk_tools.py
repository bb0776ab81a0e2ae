"""The risk tools the MASH records: DASH (domestic abuse) and Graded Care Profile 2 (neglect).

Scores and outcomes only; the licensed GCP2 form text is never stored. A MARAC referral reuses
the DASH answers as recorded rather than asking anyone to type them again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from mash_desk.domain.errors import InvalidInput, NotFound, PermissionRefused
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.risk import DASH_QUESTION_COUNT, DashLevel, score_dash, validate_gcp_grades
from mash_desk.services.context import ServiceContext, audit, retry_collisions
from mash_desk.services.drafts import blank_to_none
from mash_desk.services.records import load_contact, touch
from mash_desk.store.models import ContactAdult, ContactChild, DashAssessment, GcpAssessment, User

_ANSWER_CODES = {True: "Y", False: "N", None: "-"}


@dataclass(frozen=True)
class DashRecord:
    id: int
    contact_id: int
    victim_id: int | None
    answers: tuple[bool | None, ...]
    yes_count: int
    level: DashLevel
    marac_referral: bool
    professional_judgement: bool
    judgement_reason: str | None
    assessed_by: str
    assessed_at: datetime


@retry_collisions
def record_dash(
    ctx: ServiceContext,
    contact_id: int,
    answers: Sequence[bool | None],
    *,
    victim_person_id: int | None = None,
    professional_judgement_high: bool = False,
    judgement_reason: str | None = None,
) -> DashRecord:
    """Score and keep a DASH checklist; high risk (14+, or professional judgement) means MARAC."""
    if len(answers) != DASH_QUESTION_COUNT:
        raise InvalidInput.single("answers", f"Answer all {DASH_QUESTION_COUNT} DASH questions (blank if not asked).")
    result = score_dash(
        answers, professional_judgement_high=professional_judgement_high, judgement_reason=judgement_reason
    )
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.RECORD_DASH)
        if victim_person_id is not None and not session.scalar(
            select(ContactAdult.person_id).where(
                ContactAdult.contact_id == contact.id, ContactAdult.person_id == victim_person_id
            )
        ):
            raise InvalidInput.single("victim", "The victim must be an adult named on this contact.")
        record = DashAssessment(
            contact_id=contact.id,
            victim_id=victim_person_id,
            answers="".join(_ANSWER_CODES[a] for a in answers),
            yes_count=result.yes_count,
            level=result.level.value,
            professional_judgement=result.professional_judgement,
            judgement_reason=blank_to_none(judgement_reason),
            marac_referral=result.marac_referral,
            assessed_by_id=actor.id,
            assessed_at=now,
        )
        session.add(record)
        touch(session, contact.id, actor, now)
        session.flush()
        audit(
            session,
            actor,
            "dash.record",
            "dash_assessment",
            record.id,
            at=now,
            contact_id=contact.id,
            detail={"yes": result.yes_count, "level": result.level.value},
        )
        return DashRecord(
            record.id,
            contact.id,
            victim_person_id,
            tuple(answers),
            result.yes_count,
            result.level,
            result.marac_referral,
            result.professional_judgement,
            record.judgement_reason,
            actor.display_name,
            now,
        )


def dash_for_marac(ctx: ServiceContext, dash_id: int) -> DashRecord:
    """The DASH answers exactly as recorded, for the MARAC referral (never retyped)."""
    with ctx.unit() as (session, _actor):
        record = session.get(DashAssessment, dash_id)
        if record is None:
            raise NotFound(f"There is no DASH checklist with id {dash_id}.")
        decode = {code: answer for answer, code in _ANSWER_CODES.items()}
        assessor = session.get(User, record.assessed_by_id)
        return DashRecord(
            record.id,
            record.contact_id,
            record.victim_id,
            tuple(decode[c] for c in record.answers),
            record.yes_count,
            DashLevel(record.level),
            record.marac_referral,
            record.professional_judgement,
            record.judgement_reason,
            assessor.display_name if assessor else "?",
            record.assessed_at,
        )


@retry_collisions
def record_gcp(
    ctx: ServiceContext,
    contact_id: int,
    child_person_id: int,
    grades: Mapping[str, int],
    *,
    carer_consent: bool,
    targets: str | None = None,
    review_on: date | None = None,
) -> int:
    """Keep a Graded Care Profile 2's grades; only a trained, licensed assessor may record one."""
    checked = validate_gcp_grades(grades)
    now = ctx.now()
    if review_on is not None and review_on <= now.date():
        raise InvalidInput.single("review_on", "The review date must be in the future.")
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.RECORD_GCP)
        assessor = session.get(User, actor.id)
        if assessor is None or not assessor.gcp_licensed:
            raise PermissionRefused("Only a trained and licensed Graded Care Profile assessor can record one.")
        if not session.scalar(
            select(ContactChild.id).where(
                ContactChild.contact_id == contact.id, ContactChild.person_id == child_person_id
            )
        ):
            raise InvalidInput.single("child", "That child is not named in this contact.")
        record = GcpAssessment(
            contact_id=contact.id,
            child_id=child_person_id,
            carer_consent=carer_consent,
            targets=blank_to_none(targets),
            review_on=review_on,
            assessor_id=actor.id,
            assessed_at=now,
            **checked,
        )
        session.add(record)
        touch(session, contact.id, actor, now)
        session.flush()
        audit(
            session,
            actor,
            "gcp.record",
            "gcp_assessment",
            record.id,
            at=now,
            contact_id=contact.id,
            detail=dict(checked),
        )
        return record.id
