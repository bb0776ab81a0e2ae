"""What a letter would say about a contact today: the case read into ``LetterData``, the letterhead and
the wording it is printed with, and the checks every letter makes (a decision is authorised, the
referrer can be reached, the family letter was not suppressed).

The family letter's words carry nothing of the referrer's identity: the only thing taken from the
referrer into its data is ``referrer_disclosable_to_family(kind, anonymity_requested)``.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk.domain.cin import needs_hand_off
from mash_desk.domain.enums import (
    AgencyKind,
    Concern,
    HandOffStatus,
    LetterMethod,
    LetterRecipient,
    ReferrerKind,
    Role,
)
from mash_desk.domain.errors import IllegalTransition, InvalidInput
from mash_desk.domain.family_letters import DOMESTIC_ABUSE_OUTCOMES, concerns_for_family
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.periods import london_date
from mash_desk.letters import (
    CaseFacts,
    ChildOutcome,
    FamilyLetterData,
    InformationSharing,
    LetterData,
    Letterhead,
    NamedContact,
    ReferrerLetterData,
    referrer_disclosable_to_family,
)
from mash_desk.services.context import Actor, ServiceContext
from mash_desk.services.drafts import blank_to_none
from mash_desk.services.letters.addressee import addressee_choices, checked_addressee
from mash_desk.services.policy import LETTERHEAD, get_setting
from mash_desk.services.records import current_consent, load_contact
from mash_desk.store.models import (
    Agency,
    AgencyRequest,
    Authorisation,
    Contact,
    ContactChild,
    ContactConcern,
    HandOff,
    Household,
    Letter,
    Person,
    RagRating,
    Team,
    User,
)

JOB_TITLES: dict[Role, str] = {
    Role.PRACTITIONER: "MASH practitioner",
    Role.MANAGER: "Team manager",
    Role.BUSINESS_SUPPORT: "Business support officer",
    Role.ADMIN: "MASH administrator",
    Role.AGENCY: "Partner agency officer",
    Role.AUDITOR: "Auditor",
}


def load_letterhead(session: Session) -> Letterhead:
    """The administrator's letterhead setting, checked."""
    raw = get_setting(session, LETTERHEAD)
    try:
        config = json.loads(raw)
    except json.JSONDecodeError:
        config = None
    if not isinstance(config, dict):
        raise InvalidInput.single(
            "letterhead", "The letterhead setting is not valid; ask your administrator to fix it."
        )
    return Letterhead.from_config(config)


def parse_recipient(value: LetterRecipient | str) -> LetterRecipient:
    try:
        return LetterRecipient(value)
    except ValueError:
        raise InvalidInput.single("recipient", "Choose who the letter is for: the referrer or the family.") from None


def parse_method(value: LetterMethod | str) -> LetterMethod:
    try:
        return LetterMethod(value)
    except ValueError:
        raise InvalidInput.single(
            "method", "Choose how the letter is sent: post, secure e-mail or hand delivered."
        ) from None


def referrer_reachable(contact: Contact) -> bool:
    """Whether a referrer letter has somewhere to go: an e-mail address, or a professional at a named agency.

    The contact records no postal address for a referrer, so a member of the public, relative or
    anonymous caller who left no e-mail address gets no letter.
    """
    if blank_to_none(contact.referrer_email):
        return True
    return contact.referrer_kind is ReferrerKind.PROFESSIONAL and bool(blank_to_none(contact.referrer_agency))


def referrer_method(contact: Contact) -> LetterMethod:
    """How a referrer letter goes: by secure e-mail to the address the referrer gave, else by post to the
    professional at their agency (the only other way ``referrer_reachable`` allows)."""
    return LetterMethod.SECURE_EMAIL if blank_to_none(contact.referrer_email) else LetterMethod.POST


def suppression(session: Session, contact_id: int) -> Letter | None:
    return session.scalars(
        select(Letter)
        .where(
            Letter.contact_id == contact_id,
            Letter.recipient == LetterRecipient.FAMILY,
            Letter.suppressed.is_(True),
        )
        .limit(1)
    ).first()


def refuse_if_suppressed(session: Session, contact: Contact) -> None:
    suppressed = suppression(session, contact.id)
    if suppressed is not None:
        raise IllegalTransition(
            f"The family letter for {contact.reference} was suppressed: {suppressed.suppression_reason}"
        )


def _named_contact(session: Session, contact: Contact, letterhead: Letterhead, actor: Actor) -> NamedContact:
    """The worker the recipient can ring: the assigned practitioner, else the manager who authorised the
    decision, else the person issuing the letter."""
    user = session.get(User, contact.assigned_to_id) if contact.assigned_to_id else None
    if user is None:
        manager_id = session.scalar(
            select(Authorisation.manager_id)
            .where(Authorisation.contact_id == contact.id, Authorisation.approved.is_(True))
            .order_by(Authorisation.id.desc())
            .limit(1)
        )
        user = session.get(User, manager_id if manager_id is not None else actor.id)
    assert user is not None
    team = session.get(Team, user.team_id) if user.team_id else None
    return NamedContact(
        name=user.display_name,
        job_title=user.job_title or JOB_TITLES.get(user.role),
        team=team.name if team else None,
        phone=user.phone or (team.phone if team and team.phone else None) or letterhead.phone,
        email=user.email or (team.email if team and team.email else None) or letterhead.email,
    )


def _facts(session: Session, contact: Contact, letterhead: Letterhead, actor: Actor, today: date) -> CaseFacts:
    if contact.decided_at is None:
        raise IllegalTransition(f"Contact {contact.reference} has no authorised decision yet, so no letter can go.")
    handoff = session.execute(
        select(Team.name, HandOff.status)
        .join(Team, Team.id == HandOff.team_id)
        .where(HandOff.contact_id == contact.id, HandOff.status != HandOffStatus.REJECTED)
        .order_by(HandOff.id.desc())
        .limit(1)
    ).first()
    team_name, accepted = (handoff[0], handoff[1] is HandOffStatus.ACCEPTED) if handoff else (None, False)
    children: list[ChildOutcome] = []
    for link, person in session.execute(
        select(ContactChild, Person)
        .join(Person, Person.id == ContactChild.person_id)
        .where(ContactChild.contact_id == contact.id)
        .order_by(ContactChild.id)
    ):
        if link.outcome is None:
            raise IllegalTransition(f"A child on {contact.reference} has no authorised outcome yet.")
        routed = needs_hand_off(link.outcome)
        children.append(
            ChildOutcome(
                given_names=person.given_names,
                family_name=person.family_name,
                date_of_birth=person.date_of_birth,
                outcome=link.outcome,
                team=team_name if routed else None,
                team_accepted=accepted and routed,
            )
        )
    authorised = session.scalar(
        select(Authorisation.id)
        .join(User, User.id == Authorisation.manager_id)
        .where(
            Authorisation.contact_id == contact.id,
            Authorisation.approved.is_(True),
            User.role == Role.MANAGER,
        )
        .limit(1)
    )
    return CaseFacts(
        reference=contact.reference,
        received_on=london_date(contact.received_at),
        decided_on=london_date(contact.decided_at),
        letter_date=today,
        children=tuple(children),
        contact=_named_contact(session, contact, letterhead, actor),
        screened=session.scalar(select(RagRating.id).where(RagRating.contact_id == contact.id).limit(1)) is not None,
        agencies_checked=session.scalar(select(AgencyRequest.id).where(AgencyRequest.contact_id == contact.id).limit(1))
        is not None,
        authorised_by_manager=authorised is not None,
    )


def _referrer_data(contact: Contact, facts: CaseFacts) -> ReferrerLetterData:
    if not referrer_reachable(contact):
        raise IllegalTransition(
            "There is nowhere to send a referrer letter: no e-mail address was recorded, and the referrer is not "
            "a professional at a named agency."
        )
    return ReferrerLetterData(
        facts=facts,
        professional=contact.referrer_kind is ReferrerKind.PROFESSIONAL,
        recipient_name=blank_to_none(contact.referrer_name),
        recipient_role=blank_to_none(contact.referrer_role),
        recipient_agency=blank_to_none(contact.referrer_agency),
        recipient_email=blank_to_none(contact.referrer_email),
    )


def _family_data(session: Session, contact: Contact, facts: CaseFacts) -> FamilyLetterData:
    refuse_if_suppressed(session, contact)
    household = session.get(Household, contact.household_id) if contact.household_id else None
    choice = addressee_choices(session, [contact])[contact.id]
    addressee = checked_addressee(choice, contact, household)
    adult = session.get(Person, addressee.person_id)
    assert adult is not None
    address = addressee.address_lines
    outcomes = [child.outcome for child in facts.children]
    concerns = concerns_for_family(
        sorted(
            session.scalars(select(ContactConcern.concern).where(ContactConcern.contact_id == contact.id)),
            key=list(Concern).index,
        ),
        outcomes,
    )
    consent = current_consent(session, contact.id)
    agency_query = (
        select(Agency.name)
        .join(AgencyRequest, AgencyRequest.agency_id == Agency.id)
        .where(AgencyRequest.contact_id == contact.id)
        .distinct()
    )
    if DOMESTIC_ABUSE_OUTCOMES & set(outcomes):
        # naming the domestic abuse service would tell the household what MARAC is about
        agency_query = agency_query.where(Agency.kind != AgencyKind.DOMESTIC_ABUSE)
    agencies = tuple(sorted(session.scalars(agency_query)))
    language_source: Person = adult
    if not adult.interpreter_needed:
        language_source = (
            session.scalars(
                select(Person)
                .join(ContactChild, ContactChild.person_id == Person.id)
                .where(ContactChild.contact_id == contact.id, Person.interpreter_needed.is_(True))
                .order_by(ContactChild.id)
                .limit(1)
            ).first()
            or adult
        )
    return FamilyLetterData(
        facts=facts,
        recipient_name=addressee.name,
        address_lines=address,
        concerns=tuple(concerns),
        sharing=InformationSharing(
            consent=consent.status if consent else None,
            override=bool(consent and consent.override),
            override_basis=consent.override_basis if consent else None,
            agencies_asked=agencies,
        ),
        # the one and only use of the referrer's details on the family side
        raised_by_professional=referrer_disclosable_to_family(
            contact.referrer_kind, contact.referrer_anonymity_requested
        ),
        language=language_source.first_language,
        interpreter_needed=language_source.interpreter_needed,
    )


def build_data(
    session: Session,
    contact: Contact,
    recipient: LetterRecipient,
    letterhead: Letterhead,
    actor: Actor,
    today: date,
) -> LetterData:
    facts = _facts(session, contact, letterhead, actor, today)
    if recipient is LetterRecipient.REFERRER:
        return _referrer_data(contact, facts)
    return _family_data(session, contact, facts)


def letter_data(ctx: ServiceContext, contact_id: int, recipient: LetterRecipient | str) -> LetterData:
    """What the letter to ``recipient`` would say today, for a contact whose decision is authorised."""
    who = parse_recipient(recipient)
    today = london_date(ctx.now())
    with ctx.unit() as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.ISSUE_LETTER)
        return build_data(session, contact, who, load_letterhead(session), actor, today)
