"""A past contact retold as an anonymised vignette: what the record knows, gathered and replaced.

Everything that could name the family is gathered first (every person on the contact, in its
household and related to its children, the records merged into theirs, every alias; the address;
the referrer; every identifier), then the vignette is written from labels and the anonymised free
text (``domain.vignettes``). What was decided, and why, is never part of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from mash_desk.domain.cin import REFERRAL_SOURCES
from mash_desk.domain.enums import Channel, Gender, HousingTenure, ReferrerKind, RelationshipKind
from mash_desk.domain.names import normalise_name
from mash_desk.domain.periods import london_date
from mash_desk.domain.timescales import LONDON
from mash_desk.domain.vignettes import Anonymiser, KnownFacts, KnownPerson, age_words, long_date
from mash_desk.store.models import (
    Agency,
    AgencyRequest,
    ConsentDecision,
    Contact,
    ContactAdult,
    ContactChild,
    ContactConcern,
    Household,
    HouseholdMember,
    Person,
    PersonAlias,
    Relationship,
)

RELATIONSHIP_LABELS = {
    RelationshipKind.MOTHER: "Mother",
    RelationshipKind.FATHER: "Father",
    RelationshipKind.STEP_PARENT: "Step-parent",
    RelationshipKind.PARTNER_OF_PARENT: "Parent's partner",
    RelationshipKind.GRANDPARENT: "Grandparent",
    RelationshipKind.OTHER_RELATIVE: "Relative",
    RelationshipKind.FOSTER_CARER: "Foster carer",
    RelationshipKind.SIBLING: "Adult sibling",
    RelationshipKind.OTHER: "Other adult",
}
REFERRER_WORDS = {
    ReferrerKind.PROFESSIONAL: "a professional",
    ReferrerKind.MEMBER_OF_PUBLIC: "a member of the public",
    ReferrerKind.FAMILY: "a family member",
    ReferrerKind.SELF: "the young person themselves",
    ReferrerKind.ANONYMOUS: "an anonymous caller",
}
CHANNEL_WORDS = {
    Channel.PHONE: "by phone",
    Channel.EMAIL: "by e-mail",
    Channel.REFERRAL_FORM: "on a referral form",
    Channel.POLICE_NOTIFICATION: "as a police notification",
    Channel.IN_PERSON: "in person",
    Channel.LETTER: "by letter",
}
GENDER_WORDS = {Gender.MALE: "boy", Gender.FEMALE: "girl"}
RE_REFERRAL_DAYS = 365


@dataclass(frozen=True)
class Draft:
    """A vignette as drafted, and what the reviewer should look at again."""

    text: str
    contact_id: int
    child_id: int
    real_level: int
    real_outcome: str
    shift_days: int
    leftovers: tuple[str, ...]


@dataclass
class _Gathered:
    people: dict[int, KnownPerson]
    order: list[int]


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else f"{index + 1}"


def _names(session: Session, person_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Every spelling of every person's name the record holds: as recorded, aliases, merged records."""
    merged: dict[int, int] = {}
    for merged_id, kept_id in session.execute(
        select(Person.id, Person.merged_into_id).where(Person.merged_into_id.in_(person_ids))
    ):
        if kept_id is not None:
            merged[merged_id] = kept_id
    everyone = [*person_ids, *merged]
    names: dict[int, list[tuple[str, str]]] = {person_id: [] for person_id in person_ids}
    for person_id, given, family in session.execute(
        select(Person.id, Person.given_names, Person.family_name).where(Person.id.in_(everyone))
    ):
        names[merged.get(person_id, person_id)].append((given, family))
    for person_id, given, family in session.execute(
        select(PersonAlias.person_id, PersonAlias.given_names, PersonAlias.family_name).where(
            PersonAlias.person_id.in_(everyone)
        )
    ):
        names[merged.get(person_id, person_id)].append((given, family))
    return names


def draft_vignette(session: Session, contact: Contact, child_id: int, shift_days: int) -> Draft:
    """The vignette of ``child_id`` on ``contact`` (the child must have an authorised decision)."""
    child_rows = session.execute(
        select(ContactChild.person_id, ContactChild.level_of_need, ContactChild.outcome)
        .where(ContactChild.contact_id == contact.id)
        .order_by(ContactChild.id)
    ).all()
    chosen = next(row for row in child_rows if row.person_id == child_id)
    assert chosen.level_of_need is not None
    assert chosen.outcome is not None
    children = [child_id, *(row.person_id for row in child_rows if row.person_id != child_id)]
    adults = session.execute(
        select(ContactAdult).where(ContactAdult.contact_id == contact.id).order_by(ContactAdult.person_id)
    ).scalars()
    adult_rows = list(adults)
    household_ids = (
        list(
            session.scalars(
                select(HouseholdMember.person_id).where(HouseholdMember.household_id == contact.household_id)
            )
        )
        if contact.household_id
        else []
    )
    related = list(session.scalars(select(Relationship.adult_id).where(Relationship.child_id.in_(children)).distinct()))
    on_contact = [*children, *(a.person_id for a in adult_rows)]
    others = sorted({*household_ids, *related} - set(on_contact))
    everyone = [*on_contact, *others]
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(everyone)))}
    names = _names(session, everyone)

    labels: dict[int, str] = {}
    for index, person_id in enumerate(children):
        labels[person_id] = f"Child {_letter(index)}"
    used: dict[str, int] = {}
    for adult in adult_rows:
        base = RELATIONSHIP_LABELS.get(adult.relationship_to_children, "Other adult")
        used[base] = used.get(base, 0) + 1
        labels[adult.person_id] = base if used[base] == 1 else f"{base} {used[base]}"
    for index, person_id in enumerate(others, start=1):
        labels[person_id] = f"Family member {index}"
    known = tuple(
        KnownPerson(
            label=labels[person_id],
            names=tuple(names.get(person_id, [])),
            date_of_birth=people[person_id].date_of_birth,
            identifiers=tuple(
                (what, value)
                for what, value in (
                    ("NHS number", people[person_id].nhs_number),
                    ("pupil number", people[person_id].upn),
                    ("local number", people[person_id].local_child_id),
                )
                if value
            ),
        )
        for person_id in everyone
        if person_id in people
    )
    household = session.get(Household, contact.household_id) if contact.household_id else None
    addresses: list[tuple[str, str]] = []
    if household is not None:
        for value, label in (
            (household.address_line1, "[home address]"),
            (household.address_line2, "[home address]"),
            (household.postcode, "[home postcode]"),
            (household.town, "[home town]"),
        ):
            if value:
                addresses.append((value, label))
        street = " ".join(w for w in (household.address_line1 or "").split() if not any(c.isdigit() for c in w))
        if len(street) > 3:
            addresses.append((street, "[home street]"))
    # the referrer or whoever gave consent may be one of the family: then they keep the family's label
    family_names = {normalise_name(f"{given} {family}") for spellings in names.values() for given, family in spellings}
    other_names: list[tuple[str, str]] = []
    if contact.referrer_name and normalise_name(contact.referrer_name) not in family_names:
        other_names.append((contact.referrer_name, "the referrer"))
        # a referrer is also named by a part of their name ("Mrs Ward said"): each part goes too, even
        # where it is also a common word (over-reaching, as with the family's names, is the safe side)
        other_names += [(part, "the referrer") for part in contact.referrer_name.split() if len(part.strip(".,")) >= 3]
    if contact.referrer_agency:
        other_names.append((contact.referrer_agency, "[the referrer's organisation]"))
    for given_by in session.scalars(
        select(ConsentDecision.given_by_name).where(
            ConsentDecision.contact_id == contact.id, ConsentDecision.given_by_name.is_not(None)
        )
    ):
        if given_by and normalise_name(given_by) not in family_names | {normalise_name(n) for n, _l in other_names}:
            other_names.append((given_by, "the person who gave consent"))
    identifiers = [(contact.reference, "[this contact]")]
    for value, label in (
        (contact.referrer_phone, "[referrer's phone]"),
        (contact.referrer_email, "[referrer's e-mail]"),
    ):
        if value:
            identifiers.append((value, label))
    facts = KnownFacts(
        people=known,
        shift_days=shift_days,
        other_names=tuple(other_names),
        addresses=tuple(addresses),
        identifiers=tuple(identifiers),
    )
    anonymiser = Anonymiser(facts)
    text = _write(session, contact, anonymiser, children, adult_rows, people, labels, household)
    return Draft(
        text=text,
        contact_id=contact.id,
        child_id=child_id,
        real_level=chosen.level_of_need,
        real_outcome=chosen.outcome.value,
        shift_days=shift_days,
        leftovers=tuple(anonymiser.leftovers(text)),
    )


def _write(
    session: Session,
    contact: Contact,
    anonymiser: Anonymiser,
    children: list[int],
    adults: list[ContactAdult],
    people: dict[int, Person],
    labels: dict[int, str],
    household: Household | None,
) -> str:
    received = london_date(contact.received_at)
    moved = anonymiser.date(received)
    source = REFERRAL_SOURCES.get(contact.referral_source, "another source")
    referrer = REFERRER_WORDS.get(contact.referrer_kind, "a referrer")
    role = anonymiser.text(contact.referrer_role) if contact.referrer_role else ""
    lines = [
        f"Received on {moved:%A} {long_date(moved)} at {contact.received_at.astimezone(LONDON):%H:%M}, "
        f"{CHANNEL_WORDS.get(contact.channel, 'by ' + contact.channel.value.replace('_', ' '))}, from {referrer}"
        + (f" ({role})" if role else "")
        + f"; source: {source}."
        + (" The information is first-hand." if contact.referrer_first_hand else " The information is second-hand."),
        "",
        "Children:",
    ]
    for person_id in children:
        lines.append("- " + _child_line(people[person_id], labels[person_id], received, anonymiser))
    if adults:
        lines += ["", "Adults:"]
        for adult in adults:
            lines.append("- " + _adult_line(adult, people.get(adult.person_id), labels[adult.person_id]))
    if household is not None:
        lines += ["", "Housing: " + _housing(household, anonymiser)]
    concerns = session.scalars(select(ContactConcern.concern).where(ContactConcern.contact_id == contact.id)).all()
    if concerns:
        lines += ["", "Concerns: " + ", ".join(sorted(c.value.replace("_", " ") for c in concerns)) + "."]
    before = _earlier_contacts(session, contact, children[0])
    lines += [
        "",
        f"Earlier contacts about {labels[children[0]]} in the 12 months before: {before}.",
        "",
        "What the referrer said:",
        anonymiser.text(contact.narrative),
    ]
    if contact.whereabouts:
        lines += ["", f"Where the children are now: {anonymiser.text(contact.whereabouts)}"]
    lines.append(f"Immediate danger reported: {'yes' if contact.immediate_danger else 'no'}.")
    returns = _returns(session, contact.id)
    if returns:
        lines += ["", "What partner agencies know:"]
        for agency, nothing_known, summary in returns:
            said = "nothing known" if nothing_known else anonymiser.text(summary) or "returned, no summary shared"
            lines.append(f"- {agency}: {said}")
    return "\n".join(lines).strip() + "\n"


def _child_line(person: Person, label: str, received: date, anonymiser: Anonymiser) -> str:
    parts = [label, GENDER_WORDS.get(person.gender, "child")]
    if person.date_of_birth is not None:
        parts.append(
            f"born {long_date(anonymiser.date(person.date_of_birth))} "
            f"(aged {age_words(person.date_of_birth, received)} at the contact)"
        )
    elif person.expected_date_of_birth is not None:
        due = person.expected_date_of_birth
        parts.append(f"unborn, due {long_date(anonymiser.date(due))} ({(due - received).days // 7} weeks after)")
    if person.first_language and person.first_language.lower() != "english":
        parts.append(f"first language {person.first_language}")
    if person.interpreter_needed:
        parts.append("needs an interpreter")
    if person.disability:
        parts.append("has a disability")
    if person.communication_needs:
        parts.append(anonymiser.text(person.communication_needs).strip().rstrip("."))
    return ", ".join(parts) + "."


def _adult_line(adult: ContactAdult, person: Person | None, label: str) -> str:
    parts = [label]
    if adult.parental_responsibility:
        parts.append("has parental responsibility")
    if adult.alleged_perpetrator:
        parts.append("alleged to have caused harm")
    if adult.in_contact_with_child is True:
        parts.append("in contact with the children")
    elif adult.in_contact_with_child is False:
        parts.append("not in contact with the children")
    if person is not None and person.interpreter_needed:
        parts.append(f"needs an interpreter ({person.first_language or 'language not recorded'})")
    if adult.is_referrer:
        parts.append("made the contact")
    return ", ".join(parts) + "."


def _housing(household: Household, anonymiser: Anonymiser) -> str:
    parts = [
        household.tenure.value.replace("_", " ")
        if household.tenure is not HousingTenure.UNKNOWN
        else "tenure not known"
    ]
    if household.temporary_accommodation and household.tenure is not HousingTenure.TEMPORARY:
        parts.append("temporary accommodation")
    if household.overcrowded:
        parts.append("overcrowded")
    if household.homeless:
        parts.append("homeless")
    words = ", ".join(parts) + "."
    if household.housing_notes:
        words += " " + anonymiser.text(household.housing_notes).strip()
    return words


def _earlier_contacts(session: Session, contact: Contact, child_id: int) -> int:
    since = contact.received_at - timedelta(days=RE_REFERRAL_DAYS)
    merged = select(Person.id).where(or_(Person.id == child_id, Person.merged_into_id == child_id))
    return int(
        session.scalar(
            select(func.count(func.distinct(Contact.id)))
            .join(ContactChild, ContactChild.contact_id == Contact.id)
            .where(
                ContactChild.person_id.in_(merged),
                Contact.received_at < contact.received_at,
                Contact.received_at >= since,
            )
        )
        or 0
    )


def _returns(session: Session, contact_id: int) -> list[tuple[str, bool, str | None]]:
    """(agency, nothing known, what it said) for each returned check; on PostgreSQL the words come
    only through the database's own function, which applies each return's marking."""
    summary = (
        func.mash_desk_return_summary(AgencyRequest.id)
        if session.get_bind().dialect.name == "postgresql"
        else AgencyRequest.summary
    )
    rows = session.execute(
        select(Agency.name, AgencyRequest.nothing_known, summary)
        .join(Agency, Agency.id == AgencyRequest.agency_id)
        .where(AgencyRequest.contact_id == contact_id, AgencyRequest.returned_at.is_not(None))
        .order_by(AgencyRequest.id)
    )
    return [(name, bool(nothing), said) for name, nothing, said in rows]
