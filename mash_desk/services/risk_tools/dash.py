"""The DASH checklist kept on a contact: scored by ``domain.risk``, read back exactly as recorded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk.domain.errors import InvalidInput, NotFound
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.risk import (
    DASH_QUESTION_COUNT,
    DashLevel,
    score_dash,
)
from mash_desk.services.context import Actor, ServiceContext, audit, retry_collisions
from mash_desk.services.drafts import blank_to_none
from mash_desk.services.merging import resolve_locked
from mash_desk.services.records import load_contact, touch
from mash_desk.services.restrictions import CONTACT, check_restriction
from mash_desk.store.models import (
    Contact,
    ContactAdult,
    DashAssessment,
    Person,
    User,
)

_ANSWER_CODES = {True: "Y", False: "N", None: "-"}
_DECODE = {code: answer for answer, code in _ANSWER_CODES.items()}


# --- DASH ---------------------------------------------------------------------------------------------


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
    victim_name: str | None = None


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
        if victim_person_id is not None:
            # a record merged into another (perhaps while the form was open) is recorded on the one kept
            live = resolve_locked(session, victim_person_id)
            victim_person_id = live.id if live is not None else victim_person_id
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
            judgement_reason=blank_to_none(judgement_reason) if result.professional_judgement else None,
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
        return dash_record_of(session, record)


def dash_record_of(session: Session, record: DashAssessment) -> DashRecord:
    assessor = session.get(User, record.assessed_by_id)
    victim = session.get(Person, record.victim_id) if record.victim_id else None
    return DashRecord(
        record.id,
        record.contact_id,
        record.victim_id,
        tuple(_DECODE[c] for c in record.answers),
        record.yes_count,
        DashLevel(record.level),
        record.marac_referral,
        record.professional_judgement,
        record.judgement_reason,
        assessor.display_name if assessor else "?",
        record.assessed_at,
        f"{victim.given_names} {victim.family_name}" if victim else None,
    )


def readable_contact(session: Session, actor: Actor, contact_id: int, now: datetime) -> Contact:
    check_restriction(session, actor, CONTACT, contact_id, now)
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"There is no contact with id {contact_id}.")
    return contact


def dash_for_marac(ctx: ServiceContext, dash_id: int) -> DashRecord:
    """The DASH answers exactly as recorded, for the MARAC referral (never retyped)."""
    with ctx.unit() as (session, actor):
        record = session.get(DashAssessment, dash_id)
        if record is None:
            raise NotFound(f"There is no DASH checklist with id {dash_id}.")
        readable_contact(session, actor, record.contact_id, ctx.now())
        return dash_record_of(session, record)


def contact_dashes(ctx: ServiceContext, contact_id: int) -> list[DashRecord]:
    """The DASH checklists recorded on a contact, newest first."""
    with ctx.unit() as (session, actor):
        readable_contact(session, actor, contact_id, ctx.now())
        return [
            dash_record_of(session, record)
            for record in session.scalars(
                select(DashAssessment)
                .where(DashAssessment.contact_id == contact_id)
                .order_by(DashAssessment.assessed_at.desc(), DashAssessment.id.desc())
            )
        ]


def person_name(person: Person) -> str:
    return f"{person.given_names} {person.family_name}"
