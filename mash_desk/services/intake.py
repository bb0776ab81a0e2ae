"""Logging a contact: validate everything first, then save it whole or not at all."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from mash_desk.domain import validation
from mash_desk.domain.cin import validate_referral_source, validate_upn_unknown
from mash_desk.domain.enums import (
    ContactStatus,
    ParentsAware,
    PersonKind,
    ReferrerKind,
    TimescaleKey,
)
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.names import name_keys, normalise_name
from mash_desk.services.context import ServiceContext, audit, require, retry_collisions
from mash_desk.services.drafts import (
    AdultDraft,
    ChildDraft,
    ContactDraft,
    FieldErrors,
    HouseholdDraft,
    blank_to_none,
    normalised,
)
from mash_desk.services.merging import lock_people, resolve_locked
from mash_desk.services.policy import (
    OPEN_CASE_WINDOW_DAYS,
    RE_REFERRAL_MONTHS,
    deadline,
    get_int_setting,
)
from mash_desk.services.re_referrals import since as re_referral_window_start
from mash_desk.store.models import (
    Contact,
    ContactAdult,
    ContactChild,
    ContactConcern,
    Household,
    HouseholdMember,
    Person,
    PersonNameKey,
    Relationship,
)

MAX_NAME = 120
MAX_NARRATIVE = 20000
MAX_REASON = 2000


def contact_reference(contact_id: int) -> str:
    """The reference printed on letters and read over the phone."""
    return f"MASH-{contact_id:07d}"


@dataclass(frozen=True)
class LoggedContact:
    id: int
    reference: str
    status: ContactStatus
    open_case_team_id: int | None
    re_referral: bool
    child_person_ids: tuple[int, ...]


def validate_child(draft: ChildDraft, prefix: str, errors: FieldErrors, today: date) -> None:
    if draft.existing_person_id is not None:
        return
    errors.check(prefix, lambda: validation.require_text("given_names", draft.given_names, max_length=MAX_NAME))
    errors.check(prefix, lambda: validation.require_text("family_name", draft.family_name, max_length=MAX_NAME))
    errors.check(
        prefix,
        lambda: validation.check_date_of_birth(draft.date_of_birth, draft.expected_date_of_birth, today),
    )
    if blank_to_none(draft.nhs_number):
        errors.check(prefix, lambda: validation.normalise_nhs_number(draft.nhs_number or ""))
    errors.max_length(f"{prefix}first_language", draft.first_language, 60)
    errors.max_length(f"{prefix}communication_needs", draft.communication_needs, 400)
    errors.max_length(f"{prefix}ethnicity_code", draft.ethnicity_code, 4)
    if blank_to_none(draft.upn):
        errors.check(prefix, lambda: validation.normalise_upn(draft.upn or ""))
    errors.check(prefix, lambda: validate_upn_unknown(draft.upn_unknown, draft.upn))


def validate_adult(draft: AdultDraft, prefix: str, errors: FieldErrors, today: date) -> None:
    if draft.existing_person_id is not None:
        return
    errors.check(prefix, lambda: validation.require_text("given_names", draft.given_names, max_length=MAX_NAME))
    errors.check(prefix, lambda: validation.require_text("family_name", draft.family_name, max_length=MAX_NAME))
    if draft.date_of_birth is not None and draft.date_of_birth > today:
        errors.add(f"{prefix}date_of_birth", "A date of birth cannot be in the future.")
    errors.max_length(f"{prefix}first_language", draft.first_language, 60)


def validate_household(draft: HouseholdDraft, errors: FieldErrors) -> None:
    if blank_to_none(draft.postcode):
        errors.check("household.", lambda: validation.normalise_postcode(draft.postcode or ""))
    errors.max_length("household.address_line1", draft.address_line1, 200)
    errors.max_length("household.address_line2", draft.address_line2, 200)
    errors.max_length("household.town", draft.town, 100)
    errors.max_length("household.housing_notes", draft.housing_notes, MAX_NARRATIVE)


def validate_contact(draft: ContactDraft, now: datetime) -> None:
    """Every problem with the whole form at once, keyed by field path (``children.0.nhs_number``)."""
    errors = FieldErrors()
    today = now.date()
    if draft.received_at is None:
        errors.add("received_at", "Enter when the MASH received this contact.")
    elif draft.received_at.tzinfo is None:
        errors.add("received_at", "The time received must include a time zone.")
    elif draft.received_at > now + timedelta(minutes=5):
        errors.add("received_at", "The time received cannot be in the future.")
    elif draft.received_at < now - timedelta(days=365):
        errors.add("received_at", "The time received is more than a year ago; check the date.")
    errors.check("", lambda: validate_referral_source(draft.referral_source))
    errors.check("", lambda: validation.require_text("narrative", draft.narrative, max_length=MAX_NARRATIVE))
    if draft.parents_aware is None:
        errors.add("parents_aware", "Say whether the parents or carers know of this contact: yes, no or not known.")
    elif draft.parents_aware is ParentsAware.NO and not blank_to_none(draft.parents_not_aware_reason):
        errors.add("parents_not_aware_reason", "Say why the parents or carers are not aware of this contact.")
    errors.max_length("parents_not_aware_reason", draft.parents_not_aware_reason, MAX_REASON)
    if not draft.children:
        errors.add("children", "Name at least one child (an unborn baby counts).")
    for index, child in enumerate(draft.children):
        validate_child(child, f"children.{index}.", errors, today)
    linked = [c.existing_person_id for c in draft.children if c.existing_person_id is not None]
    if len(linked) != len(set(linked)):
        errors.add("children", "The same child is named twice.")
    for index, adult in enumerate(draft.adults):
        validate_adult(adult, f"adults.{index}.", errors, today)
    referrers = [index for index, adult in enumerate(draft.adults) if adult.is_referrer]
    for index in referrers[1:]:
        errors.add(f"adults.{index}.is_referrer", "Only one adult can be the person who made the contact.")
    if referrers and draft.referrer.kind is ReferrerKind.PROFESSIONAL:
        errors.add(
            f"adults.{referrers[0]}.is_referrer",
            "A professional referrer is not one of the family's adults: untick this, or change who made the contact.",
        )
    if draft.household is not None:
        validate_household(draft.household, errors)
    referrer = draft.referrer
    if referrer.kind is not ReferrerKind.ANONYMOUS and not blank_to_none(referrer.name):
        errors.add("referrer.name", "Enter the referrer's name, or choose 'anonymous'.")
    if referrer.kind is ReferrerKind.PROFESSIONAL and not blank_to_none(referrer.agency):
        errors.add("referrer.agency", "Enter the agency a professional referrer works for.")
    for name in ("name", "role", "agency", "relationship"):
        errors.max_length(f"referrer.{name}", getattr(referrer, name), 120)
    errors.max_length("whereabouts", draft.whereabouts, 400)
    if blank_to_none(referrer.phone):
        errors.check("referrer.", lambda: validation.normalise_phone(referrer.phone or ""))
    if blank_to_none(referrer.email):
        errors.check("referrer.", lambda: validation.normalise_email(referrer.email or ""))
    errors.raise_if_any()


@retry_collisions
def log_contact(ctx: ServiceContext, draft: ContactDraft) -> LoggedContact:
    """Record a new contact with its children, adults and household, and run the open-case check."""
    now = ctx.now()
    validate_contact(draft, now)
    assert draft.received_at is not None
    with ctx.unit(write=True) as (session, actor):
        require(actor, Action.LOG_CONTACT)
        household = _save_household(session, draft.household, now) if draft.household else None
        # the people linked are locked (in id order) and followed to the record kept by any merge
        linked = [c.existing_person_id for c in draft.children] + [a.existing_person_id for a in draft.adults]
        lock_people(session, [person_id for person_id in linked if person_id is not None])
        child_ids = [_child_person(session, child, now) for child in draft.children]
        adult_rows = [(_adult_person(session, adult, now), adult) for adult in draft.adults]
        if len(set(child_ids)) != len(child_ids):
            raise InvalidInput.single("children", "The same child is named twice (one record was merged into another).")
        if len({adult_id for adult_id, _adult in adult_rows}) != len(adult_rows):
            raise InvalidInput.single("adults", "The same adult is named twice (one record was merged into another).")
        open_case_team = _open_case_team(session, child_ids, now)
        re_referral = _seen_within(session, child_ids, draft.received_at, get_int_setting(session, RE_REFERRAL_MONTHS))
        decision_due = deadline(session, TimescaleKey.DECISION, draft.received_at, ctx.calendar)
        screening_due = (
            min(decision_due, deadline(session, TimescaleKey.RED, draft.received_at, ctx.calendar))
            if draft.immediate_danger
            else decision_due
        )
        referrer = draft.referrer
        contact = Contact(
            reference=f"new-{uuid.uuid4().hex[:16]}",  # replaced by the id-based reference below
            received_at=draft.received_at,
            recorded_at=now,
            channel=draft.channel,
            referral_source=draft.referral_source.strip().upper(),
            referrer_kind=referrer.kind,
            referrer_name=blank_to_none(referrer.name),
            referrer_role=blank_to_none(referrer.role),
            referrer_agency=blank_to_none(referrer.agency),
            referrer_phone=normalised(referrer.phone, validation.normalise_phone),
            referrer_email=normalised(referrer.email, validation.normalise_email),
            referrer_relationship=blank_to_none(referrer.relationship),
            referrer_first_hand=referrer.first_hand,
            referrer_anonymity_requested=referrer.anonymity_requested or referrer.kind is ReferrerKind.ANONYMOUS,
            narrative=draft.narrative.strip(),
            whereabouts=blank_to_none(draft.whereabouts),
            immediate_danger=draft.immediate_danger,
            parents_aware=draft.parents_aware,
            # a reason is kept only for "no": it is why they are not aware
            parents_not_aware_reason=blank_to_none(draft.parents_not_aware_reason)
            if draft.parents_aware is ParentsAware.NO
            else None,
            household_id=household.id if household else None,
            status=ContactStatus.RECEIVED,
            rag=None,
            rag_due_at=screening_due,
            decision_due_at=decision_due,
            assigned_to_id=actor.id if draft.assign_to_me else None,
            team_id=actor.team_id,
            open_case_team_id=open_case_team,
            re_referral=re_referral,
            created_by_id=actor.id,
            updated_at=now,
            updated_by_id=actor.id,
        )
        session.add(contact)
        session.flush()
        contact.reference = contact_reference(contact.id)
        session.add_all(ContactChild(contact_id=contact.id, person_id=pid) for pid in child_ids)
        session.add_all(ContactConcern(contact_id=contact.id, concern=c) for c in sorted(draft.concerns))
        for adult_id, adult in adult_rows:
            session.add(
                ContactAdult(
                    contact_id=contact.id,
                    person_id=adult_id,
                    relationship_to_children=adult.relationship,
                    parental_responsibility=adult.parental_responsibility,
                    alleged_perpetrator=adult.alleged_perpetrator,
                    in_contact_with_child=adult.in_contact_with_child,
                    is_referrer=adult.is_referrer,
                )
            )
            for child_id in child_ids:
                session.add(
                    Relationship(
                        child_id=child_id,
                        adult_id=adult_id,
                        kind=adult.relationship,
                        parental_responsibility=adult.parental_responsibility,
                        alleged_perpetrator=adult.alleged_perpetrator,
                        in_contact_with_child=adult.in_contact_with_child,
                        recorded_at=now,
                    )
                )
        if household is not None:
            # an adult who lives elsewhere is named on the contact but is no member of this household
            members = {*child_ids, *(adult_id for adult_id, adult in adult_rows if adult.lives_with_child)}
            session.add_all(HouseholdMember(household_id=household.id, person_id=pid) for pid in members)
        session.flush()
        audit(
            session,
            actor,
            "contact.log",
            "contact",
            contact.id,
            at=now,
            contact_id=contact.id,
            detail={"children": child_ids, "open_case_team_id": open_case_team, "re_referral": re_referral},
        )
        return LoggedContact(
            id=contact.id,
            reference=contact.reference,
            status=contact.status,
            open_case_team_id=open_case_team,
            re_referral=re_referral,
            child_person_ids=tuple(child_ids),
        )


def new_person(session: Session, draft: ChildDraft | AdultDraft, now: datetime) -> Person:
    """Insert a person with their search keys; the caller has validated the draft."""
    person = Person(
        kind=PersonKind.CHILD if isinstance(draft, ChildDraft) else PersonKind.ADULT,
        given_names=draft.given_names.strip(),
        family_name=draft.family_name.strip(),
        given_names_norm=normalise_name(draft.given_names),
        family_name_norm=normalise_name(draft.family_name),
        date_of_birth=draft.date_of_birth,
        gender=draft.gender,
        first_language=blank_to_none(draft.first_language),
        interpreter_needed=draft.interpreter_needed,
        created_at=now,
    )
    if isinstance(draft, ChildDraft):
        person.expected_date_of_birth = draft.expected_date_of_birth
        person.ethnicity_code = blank_to_none(draft.ethnicity_code)
        person.nhs_number = normalised(draft.nhs_number, validation.normalise_nhs_number)
        person.upn = normalised(draft.upn, validation.normalise_upn)
        person.upn_unknown = validate_upn_unknown(draft.upn_unknown, draft.upn)
        person.disability = draft.disability
        person.communication_needs = blank_to_none(draft.communication_needs)
    session.add(person)
    session.flush()
    session.add_all(
        PersonNameKey(person_id=person.id, key=key) for key in name_keys(person.given_names, person.family_name)
    )
    return person


def _existing(session: Session, person_id: int, kind: PersonKind, field_name: str) -> int:
    person = resolve_locked(session, person_id)
    if person is None or person.kind is not kind:
        raise InvalidInput.single(field_name, "The linked record no longer exists; search again.")
    return person.id


def _child_person(session: Session, draft: ChildDraft, now: datetime) -> int:
    if draft.existing_person_id is not None:
        return _existing(session, draft.existing_person_id, PersonKind.CHILD, "children")
    return new_person(session, draft, now).id


def _adult_person(session: Session, draft: AdultDraft, now: datetime) -> int:
    if draft.existing_person_id is not None:
        return _existing(session, draft.existing_person_id, PersonKind.ADULT, "adults")
    return new_person(session, draft, now).id


def _save_household(session: Session, draft: HouseholdDraft, now: datetime) -> Household:
    household = Household(
        address_line1=blank_to_none(draft.address_line1),
        address_line2=blank_to_none(draft.address_line2),
        town=blank_to_none(draft.town),
        postcode=normalised(draft.postcode, validation.normalise_postcode),
        tenure=draft.tenure,
        temporary_accommodation=draft.temporary_accommodation,
        overcrowded=draft.overcrowded,
        homeless=draft.homeless,
        housing_notes=blank_to_none(draft.housing_notes),
        created_at=now,
    )
    session.add(household)
    session.flush()
    return household


def _open_case_team(session: Session, child_ids: list[int], now: datetime) -> int | None:
    """The team already working with one of these children (open, or closed within the window)."""
    if not child_ids:
        return None
    window = get_int_setting(session, OPEN_CASE_WINDOW_DAYS)
    cutoff = now.date() - timedelta(days=window)
    return session.scalar(
        select(Person.allocated_team_id)
        .where(
            Person.id.in_(child_ids),
            Person.allocated_team_id.is_not(None),
            (Person.case_open.is_(True)) | (Person.case_closed_on >= cutoff),
        )
        .order_by(Person.case_open.desc())
        .limit(1)
    )


def _seen_within(session: Session, child_ids: list[int], received_at: datetime, months: int) -> bool:
    """Whether any of these children was named in a contact in the months before this one."""
    if not child_ids:
        return False
    since = re_referral_window_start(received_at, months)  # the window the banner names contacts from
    return bool(
        session.scalar(
            select(
                exists().where(
                    ContactChild.person_id.in_(child_ids),
                    ContactChild.contact_id == Contact.id,
                    Contact.received_at >= since,
                    Contact.received_at <= received_at,
                )
            )
        )
    )
