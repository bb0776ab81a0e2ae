"""The MARAC referral made from a high-risk DASH, kept as sent (``marac_referral``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk.domain.enums import PersonKind
from mash_desk.domain.errors import InvalidInput, NotFound, PermissionRefused
from mash_desk.domain.lifecycle import Action, role_may
from mash_desk.domain.periods import london_date
from mash_desk.domain.timescales import LONDON
from mash_desk.services.context import Actor, ServiceContext, audit, retry_collisions
from mash_desk.services.records import locked_contact, touch
from mash_desk.services.risk_tools.dash import DashRecord, dash_record_of, person_name, readable_contact
from mash_desk.store.models import (
    Agency,
    ContactAdult,
    ContactChild,
    DashAssessment,
    Household,
    HouseholdMember,
    Person,
    User,
)
from mash_desk.store.models import (
    MaracReferral as MaracReferralRow,
)

# --- the MARAC referral ---------------------------------------------------------------------------


if TYPE_CHECKING:
    from mash_desk.letters.marac import MaracReferralData


def _marac_data(session: Session, actor: Actor, record: DashAssessment, now: datetime) -> MaracReferralData:
    """Everything the MARAC referral says, read in ``session`` from the saved DASH, contact and household."""
    from mash_desk.letters.marac import MaracPerson, MaracReferralData  # noqa: PLC0415 - reportlab on first use

    contact = readable_contact(session, actor, record.contact_id, now)
    dash = dash_record_of(session, record)
    me = session.get(User, actor.id)
    agency = session.get(Agency, me.agency_id) if me else None
    victim = session.get(Person, record.victim_id) if record.victim_id else None
    household = session.get(Household, contact.household_id) if contact.household_id else None
    perpetrators = tuple(
        MaracPerson(person_name(person), person.date_of_birth, link.relationship_to_children.value.replace("_", " "))
        for link, person in session.execute(
            select(ContactAdult, Person)
            .join(Person, Person.id == ContactAdult.person_id)
            .where(ContactAdult.contact_id == contact.id, ContactAdult.alleged_perpetrator.is_(True))
            .order_by(Person.family_name, Person.given_names)
        )
    )
    children: dict[int, MaracPerson] = {}
    for person in session.scalars(
        select(Person)
        .join(ContactChild, ContactChild.person_id == Person.id)
        .where(ContactChild.contact_id == contact.id)
        .order_by(Person.date_of_birth, Person.id)
    ):
        children[person.id] = MaracPerson(
            person_name(person), person.date_of_birth or person.expected_date_of_birth, "named on the contact"
        )
    if household is not None:
        for person in session.scalars(
            select(Person)
            .join(HouseholdMember, HouseholdMember.person_id == Person.id)
            .where(HouseholdMember.household_id == household.id, Person.kind == PersonKind.CHILD)
            .order_by(Person.date_of_birth, Person.id)
        ):
            children.setdefault(
                person.id,
                MaracPerson(
                    person_name(person),
                    person.date_of_birth or person.expected_date_of_birth,
                    "living in the household",
                ),
            )
    address = (
        tuple(
            part
            for part in (household.address_line1, household.address_line2, household.town, household.postcode)
            if part
        )
        if household is not None
        else ()
    )
    return MaracReferralData(
        reference=contact.reference,
        dash_id=record.id,
        referred_on=london_date(now),
        referrer_name=actor.display_name,
        referrer_role=(me.job_title if me and me.job_title else ""),
        referrer_agency=agency.name if agency else "",
        referrer_phone=(me.phone if me and me.phone else ""),
        referrer_email=(me.email if me and me.email else ""),
        assessed_by=dash.assessed_by,
        assessed_at=dash.assessed_at.astimezone(LONDON),
        victim=MaracPerson(person_name(victim), victim.date_of_birth) if victim else None,
        address=address,
        perpetrators=perpetrators,
        children=tuple(sorted(children.values(), key=lambda c: (c.date_of_birth or date.max, c.name))),
        answers=dash.answers,
        yes_count=dash.yes_count,
        level=dash.level,
        professional_judgement=dash.professional_judgement,
        judgement_reason=dash.judgement_reason,
    )


@dataclass(frozen=True)
class MaracReferral:
    """A MARAC referral as made and kept: what the window shows about it, and the PDF as sent."""

    id: int
    reference: str
    dash_id: int
    made_by: str
    made_at: datetime
    victim: str | None
    children: tuple[str, ...]
    answers: tuple[bool | None, ...]
    pdf: bytes
    sha256: str
    reopened: bool = False  # made earlier: this is the stored referral, not a new one

    @property
    def file_name(self) -> str:
        return f"MARAC referral {self.reference}.pdf"


def _stored(
    session: Session, row: MaracReferralRow, dash: DashRecord, reference: str, *, reopened: bool
) -> MaracReferral:
    maker = session.get(User, row.made_by_id)
    names = tuple(name for name in row.children.splitlines() if name)
    return MaracReferral(
        row.id,
        reference,
        row.dash_id,
        maker.display_name if maker else "?",
        row.made_at,
        dash.victim_name,
        names,
        dash.answers,
        row.pdf,
        row.sha256,
        reopened,
    )


@retry_collisions
def make_marac_referral(ctx: ServiceContext, dash_id: int) -> MaracReferral:
    """Make the MARAC referral for a high-risk DASH (14 or more yes, or professional judgement) and
    keep it; if one was made already, reopen the stored one. Audited either way.

    The PDF is made from the DASH as saved, never retyped, and lists the children in the household.
    Nothing about the contact moves: it stays in the MASH queue for the children's own decision.
    """
    from mash_desk.letters.marac import render_marac_referral  # noqa: PLC0415 - reportlab on first use
    from mash_desk.services.letters.reading import load_letterhead  # noqa: PLC0415

    now = ctx.now()
    data: MaracReferralData | None = None
    pdf = b""
    with ctx.unit() as (session, actor):
        record = _referrable(session, actor, dash_id)
        contact_id = record.contact_id
        reference = readable_contact(session, actor, contact_id, now).reference
        made = session.scalar(select(MaracReferralRow.id).where(MaracReferralRow.dash_id == dash_id))
        if made is None:
            data = _marac_data(session, actor, record, now)
            letterhead = load_letterhead(session)
            pdf = render_marac_referral(data, letterhead)  # before the write unit: nobody waits on reportlab
    with ctx.unit(write=True) as (session, actor):
        locked_contact(session, actor, contact_id)
        record = _referrable(session, actor, dash_id)
        dash = dash_record_of(session, record)
        row = session.scalars(select(MaracReferralRow).where(MaracReferralRow.dash_id == dash_id)).first()
        if row is not None:  # made before (perhaps a moment ago, at another workstation)
            audit(session, actor, "marac.reopen", "marac_referral", row.id, at=now, contact_id=contact_id)
            return _stored(session, row, dash, reference, reopened=True)
        assert data is not None, "no referral was found when it was read, so it was made ready above"
        row = MaracReferralRow(
            dash_id=dash_id,
            contact_id=contact_id,
            made_by_id=actor.id,
            made_at=now,
            children="\n".join(child.name for child in data.children),
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
        )
        session.add(row)
        touch(session, contact_id, actor, now)
        session.flush()
        audit(
            session,
            actor,
            "marac.referral",
            "marac_referral",
            row.id,
            at=now,
            contact_id=contact_id,
            detail={"dash": dash_id, "children": len(data.children)},
        )
        return MaracReferral(
            row.id,
            reference,
            dash_id,
            actor.display_name,
            now,
            dash.victim_name,
            tuple(child.name for child in data.children),
            dash.answers,
            pdf,
            row.sha256,
        )


def _referrable(session: Session, actor: Actor, dash_id: int) -> DashAssessment:
    if not role_may(actor.role, Action.RECORD_DASH):
        raise PermissionRefused("Only MASH staff and partner agencies can make a MARAC referral.")
    record = session.get(DashAssessment, dash_id)
    if record is None:
        raise NotFound(f"There is no DASH checklist with id {dash_id}.")
    if not record.marac_referral:
        raise InvalidInput.single(
            "dash",
            "This DASH is not high risk: a MARAC referral follows a DASH of 14 or more yes answers, "
            "or a practitioner's professional judgement recorded with its reason.",
        )
    return record
