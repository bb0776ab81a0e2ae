"""Who a family letter goes to: ``domain.family_letters.choose_family_addressee`` over the adults on
the contact, read in bulk. It reads the referrer's name and relationship only to make sure the letter
is never addressed to them; the person issuing the letter sees and confirms the addressee.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk.domain.enums import RelationshipKind
from mash_desk.domain.errors import IllegalTransition
from mash_desk.domain.family_letters import (
    AddresseeChoice,
    AdultOnContact,
    NoAddressee,
    ReferrerOnContact,
    choose_family_addressee,
)
from mash_desk.domain.lifecycle import Action
from mash_desk.services.context import ServiceContext
from mash_desk.services.records import load_contact
from mash_desk.store.models import (
    Contact,
    ContactAdult,
    ContactChild,
    Household,
    HouseholdMember,
    Person,
    Relationship,
)


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


def address_lines(household: Household | None) -> tuple[str, ...]:
    if household is None:
        return ()
    lines = (household.address_line1, household.address_line2, household.town, household.postcode)
    return tuple(line for line in lines if line)


def addressee_choices(session: Session, contacts: Sequence[Contact]) -> dict[int, AddresseeChoice]:
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


def checked_addressee(choice: AddresseeChoice, contact: Contact, household: Household | None) -> FamilyAddressee:
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
        address_lines=address_lines(household),
        passed_over=tuple((adult.name, why) for adult, why in choice.excluded),
    )


def family_addressee(ctx: ServiceContext, contact_id: int) -> FamilyAddressee:
    """Who the family letter would go to, and where: shown to the person issuing it, who must confirm it."""
    with ctx.unit() as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.ISSUE_LETTER)
        household = session.get(Household, contact.household_id) if contact.household_id else None
        if not address_lines(household):
            raise IllegalTransition(f"No address is recorded for the family on {contact.reference}.")
        return checked_addressee(addressee_choices(session, [contact])[contact.id], contact, household)
