"""Outcome letters on the case: preview, issue (stored with its hash), suppress, and the daily batch.

Each letter issued is kept whole on the contact (PDF bytes, SHA-256, template version, recipient,
method, who and when) with an audit row; a family letter can instead be suppressed, with a reason,
where sending it would put a child at risk, and a suppressed letter is never produced afterwards.

The family letter's words carry nothing of the referrer's identity: the only thing taken from the
referrer into its data is ``referrer_disclosable_to_family(kind, anonymity_requested)``. Who it is
addressed to is ``domain.family_letters.choose_family_addressee``, which reads the referrer's name and
relationship only to make sure the letter is never addressed to them. Which letters wait for a
social worker is the administrator's hold policy; a held letter never goes in a batch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from mash_desk.domain.cin import needs_hand_off
from mash_desk.domain.enums import (
    AgencyKind,
    Concern,
    HandOffStatus,
    LetterMethod,
    LetterRecipient,
    Outcome,
    ReferrerKind,
    RelationshipKind,
    Role,
)
from mash_desk.domain.errors import (
    ConcurrentEdit,
    IllegalTransition,
    InvalidInput,
    MashDeskError,
    NotFound,
    PermissionRefused,
)
from mash_desk.domain.family_letters import (
    DOMESTIC_ABUSE_OUTCOMES,
    AddresseeChoice,
    AdultOnContact,
    HoldKey,
    HoldTrigger,
    NoAddressee,
    ReferrerOnContact,
    choose_family_addressee,
    concerns_for_family,
    hold_keys_for,
)
from mash_desk.domain.lifecycle import RULES, Action
from mash_desk.domain.periods import Period, london_date
from mash_desk.letters import (
    TEMPLATE_VERSION,
    CaseFacts,
    ChildOutcome,
    FamilyLetterData,
    InformationSharing,
    LetterData,
    Letterhead,
    NamedContact,
    ReferrerLetterData,
    referrer_disclosable_to_family,
    render_letter,
)
from mash_desk.services.context import Actor, ServiceContext, audit, require, retry_collisions
from mash_desk.services.drafts import blank_to_none
from mash_desk.services.policy import (
    LETTERHEAD,
    LetterheadFields,
    get_setting,
    letterhead_config,
    load_holds,
    validate_letterhead,
)
from mash_desk.services.records import current_consent, load_contact, touch
from mash_desk.services.reporting import for_reports
from mash_desk.store.models import (
    Agency,
    AgencyRequest,
    Authorisation,
    Contact,
    ContactAdult,
    ContactChild,
    ContactConcern,
    HandOff,
    Household,
    HouseholdMember,
    Letter,
    Person,
    RagRating,
    Relationship,
    Team,
    User,
)

log = logging.getLogger(__name__)

MAX_REASON = 4000
LETTER_STATES = RULES[Action.ISSUE_LETTER].states

JOB_TITLES: dict[Role, str] = {
    Role.PRACTITIONER: "MASH practitioner",
    Role.MANAGER: "Team manager",
    Role.BUSINESS_SUPPORT: "Business support officer",
    Role.ADMIN: "MASH administrator",
    Role.AGENCY: "Partner agency officer",
    Role.AUDITOR: "Auditor",
}


@dataclass(frozen=True)
class IssuedLetter:
    """A letter that has been issued and stored: the PDF to print or send, and its record."""

    letter_id: int
    contact_id: int
    reference: str
    recipient: LetterRecipient
    recipient_name: str | None
    method: LetterMethod
    issued_at: datetime
    issued_by: str
    sha256: str
    template_version: str
    pdf: bytes


@dataclass(frozen=True)
class LetterRecord:
    """One line of a contact's letter history (no PDF: fetch it with ``stored_letter_pdf``)."""

    letter_id: int
    recipient: LetterRecipient
    recipient_name: str | None
    method: LetterMethod
    issued_at: datetime
    issued_by: str
    suppressed: bool
    suppression_reason: str | None
    sha256: str | None
    template_version: str


@dataclass(frozen=True)
class LetterJob:
    """A letter waiting to be issued in a batch."""

    contact_id: int
    reference: str
    recipient: LetterRecipient
    recipient_name: str | None
    method: LetterMethod = LetterMethod.POST
    # a family letter's addressee and address, as the issuer sees and confirms them (none: no safe addressee)
    addressee_id: int | None = None
    address: tuple[str, ...] = ()


@dataclass(frozen=True)
class HeldLetter:
    """A family letter the batch will not send: a social worker must issue or suppress it."""

    job: LetterJob
    reason: str


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: letters issued, jobs skipped (done meanwhile) or failed, and whether it was stopped."""

    issued: tuple[IssuedLetter, ...]
    skipped: tuple[tuple[LetterJob, str], ...]
    failed: tuple[tuple[LetterJob, str], ...]
    cancelled: bool
    total: int


# --- reading the case -----------------------------------------------------------------------------


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


def preview_letterhead(ctx: ServiceContext, fields: LetterheadFields) -> bytes:
    """A sample letter (invented people, never a real case) on the letterhead as an administrator is
    editing it, before it is saved; bad input raises ``InvalidInput`` as saving would."""
    clean = validate_letterhead(fields)
    with ctx.unit() as (session, actor):
        if actor.role is not Role.ADMIN:
            raise PermissionRefused("Only an administrator can preview letterhead changes.")
        letterhead = Letterhead.from_config(letterhead_config(session, clean))
        today = london_date(ctx.now())
    facts = CaseFacts(
        reference="MASH-0000000",
        received_on=today,
        decided_on=today,
        letter_date=today,
        children=(ChildOutcome("Sample", "Child", date(2018, 1, 1), Outcome.EARLY_HELP, "Early Help Team", True),),
        contact=NamedContact("A. Worker", "Social worker", "MASH Team", letterhead.phone, letterhead.email),
        screened=True,
        agencies_checked=True,
        authorised_by_manager=True,
    )
    sample = ReferrerLetterData(
        facts, True, "A. Referrer", "Designated safeguarding lead", "Sample Primary School", "referrer@example.org"
    )
    return render_letter(sample, letterhead)


def _recipient(value: LetterRecipient | str) -> LetterRecipient:
    try:
        return LetterRecipient(value)
    except ValueError:
        raise InvalidInput.single("recipient", "Choose who the letter is for: the referrer or the family.") from None


def _method(value: LetterMethod | str) -> LetterMethod:
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


SOCIAL_WORK = frozenset({Role.PRACTITIONER, Role.MANAGER})


OUTCOME_WORDS: dict[Outcome, str] = {
    Outcome.NFA: "no further action",
    Outcome.ADVICE_SIGNPOST: "advice and signposting",
    Outcome.EARLY_HELP: "early help",
    Outcome.SINGLE_AGENCY: "single-agency support",
    Outcome.CFA_S17: "a child and family assessment",
    Outcome.STRATEGY_S47: "a section 47 enquiry",
    Outcome.EMERGENCY_PROTECTION: "emergency protection",
    Outcome.TRANSFER_OTHER_LA: "a transfer to another local authority",
    Outcome.PASS_TO_ALLOCATED_WORKER: "passed to the allocated worker",
    Outcome.MARAC: "MARAC",
    Outcome.LADO: "a referral to the LADO",
}
CONCERN_WORDS: dict[Concern, str] = {
    Concern.CSE: "child sexual exploitation",
    Concern.CCE: "child criminal exploitation",
    Concern.FGM: "FGM",
    Concern.UNACCOMPANIED_ASYLUM_SEEKER: "an unaccompanied asylum-seeking child",
}


def hold_reason(key: HoldKey) -> str:
    """A hold policy row as the reason a letter is held ("the outcome is MARAC")."""
    trigger, code = key
    if trigger is HoldTrigger.OUTCOME:
        return f"the outcome is {OUTCOME_WORDS.get(Outcome(code), code)}"
    if trigger is HoldTrigger.CONCERN:
        return f"{CONCERN_WORDS.get(Concern(code), Concern(code).value.replace('_', ' '))} is recorded"
    return "an alleged perpetrator is named on the contact"


def family_letter_risks(session: Session, contact_ids: Sequence[int]) -> dict[int, str]:
    """Contacts whose family letter a social worker must decide on (send or suppress), and why.

    DOMAIN §8: a family letter can put a child at risk, as in a section 47 enquiry with the police or
    domestic abuse where the perpetrator may read it. Which outcomes and concerns hold a letter is
    the administrator's policy (``family_letter_hold``). Such letters are never sent by the batch; a
    practitioner or manager issues them by hand, after checking who they go to, or suppresses them.
    """
    if not contact_ids:
        return {}
    policy = load_holds(session)
    outcomes: dict[int, set[Outcome]] = {}
    for contact_id, outcome in session.execute(
        select(ContactChild.contact_id, ContactChild.outcome).where(
            ContactChild.contact_id.in_(contact_ids), ContactChild.outcome.is_not(None)
        )
    ):
        if outcome is not None:
            outcomes.setdefault(contact_id, set()).add(outcome)
    concerns: dict[int, set[Concern]] = {}
    for contact_id, concern in session.execute(
        select(ContactConcern.contact_id, ContactConcern.concern).where(ContactConcern.contact_id.in_(contact_ids))
    ):
        concerns.setdefault(contact_id, set()).add(concern)
    perpetrators = set(
        session.scalars(
            select(ContactAdult.contact_id).where(
                ContactAdult.contact_id.in_(contact_ids), ContactAdult.alleged_perpetrator.is_(True)
            )
        )
    )
    reasons: dict[int, str] = {}
    for contact_id in contact_ids:
        keys = hold_keys_for(
            policy, outcomes.get(contact_id, ()), concerns.get(contact_id, ()), contact_id in perpetrators
        )
        # a named perpetrator first: it is the reason a social worker most needs to see
        keys.sort(key=lambda key: key[0] is not HoldTrigger.ALLEGED_PERPETRATOR)
        if keys:
            reasons[contact_id] = "; ".join(hold_reason(key) for key in keys)
    return reasons


@dataclass(frozen=True)
class FamilyAddressee:
    """Who a family letter would go to, for the person issuing it to check and confirm."""

    contact_id: int
    reference: str
    person_id: int
    name: str
    relationship: RelationshipKind
    address_lines: tuple[str, ...]
    passed_over: tuple[tuple[str, str], ...] = ()  # (name, why) of each adult with parental responsibility not chosen


def _address_lines(household: Household | None) -> tuple[str, ...]:
    if household is None:
        return ()
    lines = (household.address_line1, household.address_line2, household.town, household.postcode)
    return tuple(line for line in lines if line)


def _addressee_choices(session: Session, contacts: Sequence[Contact]) -> dict[int, AddresseeChoice]:
    """For each contact, the adult its family letter may go to (``domain.family_letters``), read in bulk."""
    if not contacts:
        return {}
    ids = [contact.id for contact in contacts]
    members = {
        (contact_id, person_id)
        for contact_id, person_id in session.execute(
            select(Contact.id, HouseholdMember.person_id)
            .join(HouseholdMember, HouseholdMember.household_id == Contact.household_id)
            .where(Contact.id.in_(ids))
        )
    }
    # an adult named as an alleged perpetrator on any record about these children, not only this contact
    perpetrators = {
        (contact_id, adult_id)
        for contact_id, adult_id in session.execute(
            select(ContactChild.contact_id, Relationship.adult_id)
            .join(Relationship, Relationship.child_id == ContactChild.person_id)
            .where(ContactChild.contact_id.in_(ids), Relationship.alleged_perpetrator.is_(True))
        )
    }
    adults: dict[int, list[AdultOnContact]] = {contact_id: [] for contact_id in ids}
    for link, person in session.execute(
        select(ContactAdult, Person)
        .join(Person, Person.id == ContactAdult.person_id)
        .where(ContactAdult.contact_id.in_(ids))
        .order_by(ContactAdult.contact_id, Person.id)
    ):
        adults[link.contact_id].append(
            AdultOnContact(
                person_id=person.id,
                given_names=person.given_names,
                family_name=person.family_name,
                relationship=link.relationship_to_children,
                parental_responsibility=link.parental_responsibility,
                alleged_perpetrator=link.alleged_perpetrator or (link.contact_id, person.id) in perpetrators,
                lives_with_child=(link.contact_id, person.id) in members,
                is_referrer=link.is_referrer,
            )
        )
    return {
        contact.id: choose_family_addressee(
            adults[contact.id],
            ReferrerOnContact(
                kind=contact.referrer_kind,
                anonymity_requested=contact.referrer_anonymity_requested,
                name=contact.referrer_name,
                relationship=contact.referrer_relationship,
            ),
        )
        for contact in contacts
    }


def no_addressee_reason(choice: AddresseeChoice) -> str:
    """Why a family letter has no one to go to, in a sentence for the held list."""
    if choice.missing is NoAddressee.NO_ADULT_WITH_PR:
        return "no adult with parental responsibility is recorded, so there is no one to address it to"
    passed = "; ".join(f"{adult.name}: {why}" for adult, why in choice.excluded)
    return f"no adult with parental responsibility can safely receive it ({passed})"


def _held_reasons(session: Session, contacts: Sequence[Contact], choices: dict[int, AddresseeChoice]) -> dict[int, str]:
    """Every reason a family letter waits: the hold policy, no safe addressee, or a referrer who may be one of them."""
    reasons = family_letter_risks(session, [contact.id for contact in contacts])
    for contact in contacts:
        choice = choices[contact.id]
        extra: str | None = None
        if choice.adult is None:
            extra = no_addressee_reason(choice)
        elif choice.referrer_unidentified:
            extra = "a relative who asked not to be named made the contact, and it is not recorded which adult they are"
        if extra is not None:
            reasons[contact.id] = f"{extra}; {reasons[contact.id]}" if contact.id in reasons else extra
    return reasons


def _addressee(choice: AddresseeChoice, contact: Contact, household: Household | None) -> FamilyAddressee:
    if choice.adult is None:
        raise IllegalTransition(
            f"The family letter for {contact.reference} has no safe addressee: {no_addressee_reason(choice)}. "
            "It will not be sent to the home addressed to no one: correct the household, or suppress the letter."
        )
    return FamilyAddressee(
        contact_id=contact.id,
        reference=contact.reference,
        person_id=choice.adult.person_id,
        name=choice.adult.name,
        relationship=choice.adult.relationship,
        address_lines=_address_lines(household),
        passed_over=tuple((adult.name, why) for adult, why in choice.excluded),
    )


def family_addressee(ctx: ServiceContext, contact_id: int) -> FamilyAddressee:
    """Who the family letter would go to, and where: shown to the person issuing it, who must confirm it."""
    with ctx.unit() as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.ISSUE_LETTER)
        household = session.get(Household, contact.household_id) if contact.household_id else None
        if not _address_lines(household):
            raise IllegalTransition(f"No address is recorded for the family on {contact.reference}.")
        return _addressee(_addressee_choices(session, [contact])[contact.id], contact, household)


def _suppression(session: Session, contact_id: int) -> Letter | None:
    return session.scalars(
        select(Letter)
        .where(
            Letter.contact_id == contact_id,
            Letter.recipient == LetterRecipient.FAMILY,
            Letter.suppressed.is_(True),
        )
        .limit(1)
    ).first()


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


def _refuse_if_suppressed(session: Session, contact: Contact) -> None:
    suppressed = _suppression(session, contact.id)
    if suppressed is not None:
        raise IllegalTransition(
            f"The family letter for {contact.reference} was suppressed: {suppressed.suppression_reason}"
        )


def _family_data(session: Session, contact: Contact, facts: CaseFacts) -> FamilyLetterData:
    _refuse_if_suppressed(session, contact)
    household = session.get(Household, contact.household_id) if contact.household_id else None
    choice = _addressee_choices(session, [contact])[contact.id]
    addressee = _addressee(choice, contact, household)
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


def _build_data(
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
    who = _recipient(recipient)
    today = london_date(ctx.now())
    with ctx.unit() as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.ISSUE_LETTER)
        return _build_data(session, contact, who, load_letterhead(session), actor, today)


def preview_letter(ctx: ServiceContext, contact_id: int, recipient: LetterRecipient | str) -> bytes:
    """The PDF the letter would be if issued now; nothing is stored."""
    who = _recipient(recipient)
    today = london_date(ctx.now())
    with ctx.unit() as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.ISSUE_LETTER)
        letterhead = load_letterhead(session)
        data = _build_data(session, contact, who, letterhead, actor, today)
    return render_letter(data, letterhead)


# --- issuing --------------------------------------------------------------------------------------


def _lock_contact(ctx: ServiceContext, session: Session, contact_id: int) -> None:
    """Serialise letter issuing per contact, so two batches cannot both send the same letter.

    SQLite write units already hold the database write lock (BEGIN IMMEDIATE).
    """
    if ctx.db.is_postgresql:
        session.execute(select(Contact.id).where(Contact.id == contact_id).with_for_update())


def _already_issued(session: Session, contact_id: int, recipient: LetterRecipient) -> Letter | None:
    return session.scalars(
        select(Letter)
        .where(Letter.contact_id == contact_id, Letter.recipient == recipient)
        .order_by(Letter.id)
        .limit(1)
    ).first()


@dataclass(frozen=True)
class _Prepared:
    """A letter's data, read and checked, waiting to be rendered and stored."""

    contact_id: int
    contact_version: int
    recipient: LetterRecipient
    method: LetterMethod
    data: LetterData
    letterhead: Letterhead
    addressee_id: int | None = None  # a family letter's addressee, checked again when it is stored
    in_batch: bool = False


def _checked_contact(
    ctx: ServiceContext,
    session: Session,
    actor: Actor,
    contact_id: int,
    recipient: LetterRecipient,
    *,
    only_if_not_done: bool,
    addressee_id: int | None = None,
    in_batch: bool = False,
) -> Contact | str:
    """The contact, if this person may issue this letter now; a reason string if it already went.

    A family letter goes only to the addressee the rule chooses, and only when the person issuing it
    confirmed that addressee (``addressee_id``); a held one never goes in a batch, and only a social
    worker may send it by hand.
    """
    contact = load_contact(session, contact_id, actor, Action.ISSUE_LETTER)
    if only_if_not_done:
        done = _already_issued(session, contact.id, recipient)
        if done is not None:
            return "already suppressed" if done.suppressed else "already issued"
    if recipient is LetterRecipient.FAMILY:
        _refuse_if_suppressed(session, contact)
        household = session.get(Household, contact.household_id) if contact.household_id else None
        choices = _addressee_choices(session, [contact])
        addressee = _addressee(choices[contact.id], contact, household)
        if addressee_id != addressee.person_id:
            raise IllegalTransition(
                f"Check who the family letter for {contact.reference} goes to before it is issued: it is addressed "
                f"to {addressee.name}, {', '.join(addressee.address_lines) or 'no address recorded'}."
                if addressee_id is None
                else f"The family letter for {contact.reference} now goes to {addressee.name}, not the person "
                "confirmed (the household changed): check it again."
            )
        risk = _held_reasons(session, [contact], choices).get(contact.id)
        if risk is not None and in_batch:
            raise PermissionRefused(
                f"The family letter for {contact.reference} is held for a social worker ({risk}); it is never sent "
                "in a batch."
            )
        if risk is not None and actor.role not in SOCIAL_WORK:
            raise PermissionRefused(
                f"A social worker must decide whether the family letter for {contact.reference} is safe to "
                f"send ({risk}): they can send it or suppress it with a reason."
            )
    return contact


def _prepare(
    ctx: ServiceContext,
    contact_id: int,
    recipient: LetterRecipient,
    method: LetterMethod,
    *,
    only_if_not_done: bool,
    addressee_id: int | None = None,
) -> _Prepared | str:
    """Read and check everything a letter needs, in a read-only unit: no lock held while it renders."""
    with ctx.unit() as (session, actor):
        return _prepare_in(
            ctx,
            session,
            actor,
            contact_id,
            recipient,
            method,
            only_if_not_done=only_if_not_done,
            addressee_id=addressee_id,
        )


def _prepare_in(
    ctx: ServiceContext,
    session: Session,
    actor: Actor,
    contact_id: int,
    recipient: LetterRecipient,
    method: LetterMethod,
    *,
    only_if_not_done: bool,
    letterhead: Letterhead | None = None,
    addressee_id: int | None = None,
    in_batch: bool = False,
) -> _Prepared | str:
    checked = _checked_contact(
        ctx,
        session,
        actor,
        contact_id,
        recipient,
        only_if_not_done=only_if_not_done,
        addressee_id=addressee_id,
        in_batch=in_batch,
    )
    if isinstance(checked, str):
        return checked
    head = letterhead or load_letterhead(session)
    data = _build_data(session, checked, recipient, head, actor, london_date(ctx.now()))
    return _Prepared(checked.id, checked.version, recipient, method, data, head, addressee_id, in_batch)


@retry_collisions
def _store(ctx: ServiceContext, prepared: _Prepared, pdf: bytes, *, only_if_not_done: bool) -> IssuedLetter | str:
    """Keep a rendered letter against the contact, if nothing changed since it was prepared."""
    with ctx.unit(write=True) as (session, actor):
        return _store_in(ctx, session, actor, prepared, pdf, only_if_not_done=only_if_not_done)


def _store_in(
    ctx: ServiceContext, session: Session, actor: Actor, prepared: _Prepared, pdf: bytes, *, only_if_not_done: bool
) -> IssuedLetter | str:
    now = ctx.now()
    _lock_contact(ctx, session, prepared.contact_id)
    checked = _checked_contact(
        ctx,
        session,
        actor,
        prepared.contact_id,
        prepared.recipient,
        only_if_not_done=only_if_not_done,
        addressee_id=prepared.addressee_id,
        in_batch=prepared.in_batch,
    )
    if isinstance(checked, str):
        return checked
    if checked.version != prepared.contact_version:
        raise ConcurrentEdit(
            f"{checked.reference} changed while its letter was being made; nothing was stored. Try again."
        )
    digest = hashlib.sha256(pdf).hexdigest()
    letter = Letter(
        contact_id=checked.id,
        recipient=prepared.recipient,
        recipient_name=prepared.data.recipient_name,
        method=prepared.method,
        issued_at=now,
        issued_by_id=actor.id,
        suppressed=False,
        pdf=pdf,
        sha256=digest,
        template_version=TEMPLATE_VERSION,
    )
    session.add(letter)
    session.flush()
    touch(session, checked.id, actor, now)  # other workstations see the letter went
    audit(
        session,
        actor,
        "letter.issue",
        "letter",
        letter.id,
        at=now,
        contact_id=checked.id,
        detail={
            "recipient": prepared.recipient.value,
            "method": prepared.method.value,
            "sha256": digest,
            "template_version": TEMPLATE_VERSION,
        },
    )
    return IssuedLetter(
        letter_id=letter.id,
        contact_id=checked.id,
        reference=checked.reference,
        recipient=prepared.recipient,
        recipient_name=letter.recipient_name,
        method=prepared.method,
        issued_at=now,
        issued_by=actor.display_name,
        sha256=digest,
        template_version=TEMPLATE_VERSION,
        pdf=pdf,
    )


def _issue(
    ctx: ServiceContext,
    contact_id: int,
    recipient: LetterRecipient,
    method: LetterMethod,
    *,
    only_if_not_done: bool,
    addressee_id: int | None = None,
) -> IssuedLetter | str:
    """Issue one letter: prepare (read), render (no database), store (write, re-checked)."""
    prepared = _prepare(
        ctx, contact_id, recipient, method, only_if_not_done=only_if_not_done, addressee_id=addressee_id
    )
    if isinstance(prepared, str):
        return prepared
    return _store(ctx, prepared, render_letter(prepared.data, prepared.letterhead), only_if_not_done=only_if_not_done)


def issue_letter(
    ctx: ServiceContext,
    contact_id: int,
    recipient: LetterRecipient | str,
    method: LetterMethod | str,
    *,
    addressee_id: int | None = None,
) -> IssuedLetter:
    """Issue a letter now and keep it on the case (issuing again sends, and stores, another copy).

    A family letter needs ``addressee_id``: the person the issuer saw and confirmed in
    ``family_addressee`` (refused if it is not, or is no longer, who the rule chooses).
    """
    result = _issue(
        ctx, contact_id, _recipient(recipient), _method(method), only_if_not_done=False, addressee_id=addressee_id
    )
    assert isinstance(result, IssuedLetter)
    return result


@retry_collisions
def suppress_family_letter(ctx: ServiceContext, contact_id: int, reason: str) -> int:
    """Record that no family letter will go, and why (a safeguarding judgement: social work roles only)."""
    reason_text = blank_to_none(reason)
    if reason_text is None:
        raise InvalidInput.single(
            "reason", "Say why sending the family a letter would put the child at risk: the reason is required."
        )
    if len(reason_text) > MAX_REASON:
        raise InvalidInput.single("reason", f"Keep the reason under {MAX_REASON:,} characters.")
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        _lock_contact(ctx, session, contact_id)
        contact = load_contact(session, contact_id, actor, Action.ISSUE_LETTER)
        if actor.role not in (Role.PRACTITIONER, Role.MANAGER):
            raise PermissionRefused("Only a MASH practitioner or manager can decide not to write to the family.")
        previous = _already_issued(session, contact.id, LetterRecipient.FAMILY)
        if previous is not None and previous.suppressed:
            raise IllegalTransition("The family letter is already suppressed.")
        if previous is not None:
            raise IllegalTransition(
                f"A family letter was already issued on {london_date(previous.issued_at):%d %b %Y}; it cannot be "
                "recalled by suppressing it now. Record what you have done in a case note."
            )
        adult = _addressee_choices(session, [contact])[contact.id].adult
        letter = Letter(
            contact_id=contact.id,
            recipient=LetterRecipient.FAMILY,
            recipient_name=adult.name if adult else None,
            method=LetterMethod.POST,  # the column is required: the way it would have gone
            issued_at=now,
            issued_by_id=actor.id,
            suppressed=True,
            suppression_reason=reason_text,
            pdf=None,
            sha256=None,
            template_version=TEMPLATE_VERSION,
        )
        session.add(letter)
        session.flush()
        touch(session, contact.id, actor, now)
        audit(
            session,
            actor,
            "letter.suppress",
            "letter",
            letter.id,
            at=now,
            contact_id=contact.id,
            detail={"recipient": LetterRecipient.FAMILY.value, "reason": reason_text},
        )
        return letter.id


# --- the daily batch ------------------------------------------------------------------------------


def letters_due(ctx: ServiceContext, day: date) -> list[LetterJob]:
    """Letters for the batch: not yet issued, for contacts decided on ``day`` (London), one job per recipient.

    A referrer letter is due when the referrer can be reached (``referrer_reachable``); a family
    letter when the household has an address, no family letter was issued or suppressed, and no
    risk holds it for a social worker's decision (``letters_held``).
    """
    return _day_worklist(ctx, day)[0]


def letters_held(ctx: ServiceContext, day: date) -> list[HeldLetter]:
    """Family letters for contacts decided on ``day`` that the batch will not send until a social worker
    issues or suppresses them (``family_letter_risks``)."""
    return _day_worklist(ctx, day)[1]


def letters_due_for_contact(ctx: ServiceContext, reference: str) -> list[LetterJob]:
    """The letters still due on one contact, found by its reference (``MASH-0000042``), by the same rules."""
    return _contact_worklist(ctx, reference)[0]


def letters_held_for_contact(ctx: ServiceContext, reference: str) -> list[HeldLetter]:
    """The family letter on one contact, if it waits for a social worker's decision."""
    return _contact_worklist(ctx, reference)[1]


def _day_worklist(ctx: ServiceContext, day: date) -> tuple[list[LetterJob], list[HeldLetter]]:
    period = Period(day, day)
    # a list to work from, not a decision: the reporting server may serve it (issuing checks again)
    with for_reports(ctx).unit() as (session, actor):
        require(actor, Action.ISSUE_LETTER)
        return _worklist(
            session,
            (Contact.decided_at >= period.start, Contact.decided_at < period.end, Contact.status.in_(LETTER_STATES)),
        )


def _contact_worklist(ctx: ServiceContext, reference: str) -> tuple[list[LetterJob], list[HeldLetter]]:
    with ctx.unit() as (session, actor):
        contact_id = session.scalar(select(Contact.id).where(Contact.reference == reference.strip().upper()))
        if contact_id is None:
            raise NotFound(f"There is no contact with reference {reference.strip()}.")
        load_contact(session, contact_id, actor, Action.ISSUE_LETTER)
        return _worklist(session, (Contact.id == contact_id,))


def _worklist(session: Session, where: tuple[ColumnElement[bool], ...]) -> tuple[list[LetterJob], list[HeldLetter]]:
    rows: list[tuple[Contact, Household | None]] = [
        (contact, household)
        for contact, household in session.execute(
            select(Contact, Household)
            .outerjoin(Household, Household.id == Contact.household_id)
            .where(*where)
            .order_by(Contact.reference)
        )
    ]
    ids = [contact.id for contact, _household in rows]
    done = set(session.execute(select(Letter.contact_id, Letter.recipient).where(Letter.contact_id.in_(ids))))
    families = [
        contact
        for contact, household in rows
        if (contact.id, LetterRecipient.FAMILY) not in done
        and household is not None
        and (household.address_line1 or household.postcode)
    ]
    choices = _addressee_choices(session, families)
    held_reasons = _held_reasons(session, families, choices)
    jobs: list[LetterJob] = []
    held: list[HeldLetter] = []
    for contact, household in rows:
        if (contact.id, LetterRecipient.REFERRER) not in done and referrer_reachable(contact):
            name = blank_to_none(contact.referrer_name)
            jobs.append(LetterJob(contact.id, contact.reference, LetterRecipient.REFERRER, name, LetterMethod.POST))
        if contact.id in choices:
            adult = choices[contact.id].adult
            job = LetterJob(
                contact.id,
                contact.reference,
                LetterRecipient.FAMILY,
                adult.name if adult else None,
                LetterMethod.POST,
                adult.person_id if adult else None,
                _address_lines(household),
            )
            if contact.id in held_reasons:
                held.append(HeldLetter(job, held_reasons[contact.id]))
            else:
                jobs.append(job)
    return jobs, held


def issue_batch(
    ctx: ServiceContext,
    jobs: Sequence[LetterJob],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BatchResult:
    """Issue each job's letter, reporting progress; stops cleanly between letters.

    A job whose letter went (or was suppressed) since the list was made is skipped, never sent twice;
    a job that fails (the contact changed state, say) is reported and the batch carries on. Letters
    render in worker processes while this one reads and stores (reportlab is pure Python, so threads
    would not help), which is what keeps a day's batch above 50 letters a second on two cores.
    """
    with ctx.unit() as (session, actor):
        require(actor, Action.ISSUE_LETTER)
        letterhead = load_letterhead(session)
    issuer = actor.username
    issued: list[IssuedLetter] = []
    skipped: list[tuple[LetterJob, str]] = []
    failed: list[tuple[LetterJob, str]] = []
    total = len(jobs)
    stopped = False
    done = 0

    def finish(job: LetterJob, outcome: IssuedLetter | str | MashDeskError) -> None:
        nonlocal done
        if isinstance(outcome, IssuedLetter):
            issued.append(outcome)
        elif isinstance(outcome, MashDeskError):
            failed.append((job, str(outcome)))
        else:
            skipped.append((job, outcome))
        done += 1
        if progress is not None:
            progress(done, total)

    with _renderer(total) as render:
        for start in range(0, total, BATCH_CHUNK):
            if cancelled is not None and cancelled():
                stopped = True
                break
            waiting: list[tuple[LetterJob, _Prepared, Future[bytes]]] = []
            # one read unit for the chunk's checks and data, then one write unit to store it
            with ctx.unit() as (session, actor):
                for job in jobs[start : start + BATCH_CHUNK]:
                    try:
                        prepared = _prepare_in(
                            ctx,
                            session,
                            actor,
                            job.contact_id,
                            job.recipient,
                            job.method,
                            only_if_not_done=True,
                            letterhead=letterhead,
                            addressee_id=job.addressee_id,
                            in_batch=True,
                        )
                    except MashDeskError as exc:
                        finish(job, exc)
                        continue
                    if isinstance(prepared, str):
                        finish(job, prepared)
                    else:
                        waiting.append((job, prepared, render(prepared.data, prepared.letterhead)))
            if not waiting:
                continue
            with ctx.unit(write=True) as (session, actor):
                for job, prepared, rendering in waiting:
                    if cancelled is not None and cancelled():
                        stopped = True
                        break
                    try:
                        # a savepoint per letter: one that cannot be stored leaves the others alone
                        with session.begin_nested():
                            outcome = _store_in(
                                ctx, session, actor, prepared, rendering.result(), only_if_not_done=True
                            )
                    except MashDeskError as exc:
                        finish(job, exc)
                    else:
                        finish(job, outcome)
            if stopped:
                for _job, _prepared, rendering in waiting:
                    rendering.cancel()
                break
    for job, reason in failed:
        log.warning("letter batch: %s %s letter not issued: %s", job.reference, job.recipient.value, reason)
    log.info(
        "letter batch by %s: %d of %d issued, %d skipped, %d failed%s",
        issuer,
        len(issued),
        total,
        len(skipped),
        len(failed),
        " (stopped)" if stopped else "",
    )
    return BatchResult(tuple(issued), tuple(skipped), tuple(failed), stopped, total)


BATCH_CHUNK = 16
PARALLEL_FROM = 24  # below this, starting worker processes costs more than it saves


@contextmanager
def _renderer(letters: int) -> Iterator[Callable[[LetterData, Letterhead], Future[bytes]]]:
    """Render in worker processes for a big batch; in this process (as a finished future) otherwise.

    Workers are spawned, not forked: the batch runs on a GUI worker thread, and forking a
    multi-threaded Qt process is unsafe.
    """
    workers = min(os.cpu_count() or 1, 4)
    if letters < PARALLEL_FROM or workers < 2:

        def render_here(data: LetterData, letterhead: Letterhead) -> Future[bytes]:
            future: Future[bytes] = Future()
            future.set_result(render_letter(data, letterhead))
            return future

        yield render_here
        return
    log.info("rendering %d letters in %d worker processes", letters, workers)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:

        def render_there(data: LetterData, letterhead: Letterhead) -> Future[bytes]:
            return pool.submit(render_letter, data, letterhead)

        yield render_there


# --- the letters on a case ------------------------------------------------------------------------

_READERS = frozenset({*RULES[Action.ISSUE_LETTER].roles, Role.AUDITOR})


def letters_for_contact(ctx: ServiceContext, contact_id: int) -> list[LetterRecord]:
    """Every letter issued or suppressed on a contact, oldest first."""
    with ctx.unit() as (session, actor):
        if actor.role not in _READERS:
            raise PermissionRefused("Your role cannot see the letters on a case.")
        if session.get(Contact, contact_id) is None:
            raise NotFound(f"There is no contact with id {contact_id}.")
        return [
            LetterRecord(
                letter_id=letter.id,
                recipient=letter.recipient,
                recipient_name=letter.recipient_name,
                method=letter.method,
                issued_at=letter.issued_at,
                issued_by=name,
                suppressed=letter.suppressed,
                suppression_reason=letter.suppression_reason,
                sha256=letter.sha256,
                template_version=letter.template_version,
            )
            for letter, name in session.execute(
                select(Letter, User.display_name)
                .join(User, User.id == Letter.issued_by_id)
                .where(Letter.contact_id == contact_id)
                .order_by(Letter.id)
            )
        ]


def stored_letter_pdf(ctx: ServiceContext, letter_id: int) -> bytes:
    """The PDF exactly as issued, checked against its stored SHA-256 (to view or print a copy)."""
    with ctx.unit() as (session, actor):
        if actor.role not in _READERS:
            raise PermissionRefused("Your role cannot see the letters on a case.")
        letter = session.get(Letter, letter_id)
        if letter is None:
            raise NotFound(f"There is no letter with id {letter_id}.")
        if letter.suppressed or letter.pdf is None:
            raise NotFound("This letter was suppressed, so there is no PDF.")
        if hashlib.sha256(letter.pdf).hexdigest() != letter.sha256:
            raise MashDeskError("The stored letter does not match its fingerprint; it may have been altered.")
        return bytes(letter.pdf)
