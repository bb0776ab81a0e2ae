"""On the demo's own families, no vignette keeps a name, address, date of birth or identifier.

Every closed, decided contact in a small demo about a family that has spelling variants on record (a
person with aliases, or a duplicate record merged or waiting to be) becomes a vignette; each is then
searched for everything the record holds about every person on that contact, in its household or
related to its children: every spelling of every name, every date of birth as commonly written, NHS
numbers, UPNs, local numbers, the address and postcode, the referrer's name, phone and e-mail, the
contact's reference. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import or_, select

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.names import normalise_name
from mash_desk.domain.vignettes import fold, name_words
from mash_desk.services import exercises
from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from mash_desk.store.exercise_models import VignetteSource
from mash_desk.store.models import (
    Contact,
    ContactAdult,
    ContactChild,
    Household,
    HouseholdMember,
    Person,
    PersonAlias,
    Relationship,
)
from mash_desk.tools.demo import generate_demo

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
CHUNK = 20


def _date_writings(born: date) -> list[str]:
    return [
        f"{born:%d/%m/%Y}",
        f"{born.day}/{born.month}/{born.year}",
        born.isoformat(),
        f"{born.day} {born:%B} {born.year}",
        f"{born:%d.%m.%Y}",
    ]


def _variant_contacts(db: Database) -> list[str]:
    """References of closed, decided contacts naming someone the record holds under several spellings."""
    with db.session() as session:
        spelt = select(PersonAlias.person_id).union(
            select(Person.id).where(Person.merged_into_id.is_not(None)),
            select(Person.merged_into_id).where(Person.merged_into_id.is_not(None)),
        )
        people = set(session.scalars(spelt))
        rows = session.execute(
            select(Contact.reference)
            .join(ContactChild, ContactChild.contact_id == Contact.id)
            .outerjoin(ContactAdult, ContactAdult.contact_id == Contact.id)
            .where(
                Contact.status == ContactStatus.CLOSED,
                ContactChild.level_of_need.is_not(None),
                or_(ContactChild.person_id.in_(people), ContactAdult.person_id.in_(people)),
            )
            .distinct()
            .order_by(Contact.reference)
        )
        return list(rows.scalars())


def _what_the_record_holds(db: Database, contact_id: int) -> tuple[set[str], list[str]]:
    """(every name word, every other thing that must not appear) about the people of one contact."""
    with db.session() as session:
        contact = session.get_one(Contact, contact_id)
        children = list(session.scalars(select(ContactChild.person_id).where(ContactChild.contact_id == contact_id)))
        adults = list(session.scalars(select(ContactAdult.person_id).where(ContactAdult.contact_id == contact_id)))
        household = (
            list(
                session.scalars(
                    select(HouseholdMember.person_id).where(HouseholdMember.household_id == contact.household_id)
                )
            )
            if contact.household_id
            else []
        )
        related = list(session.scalars(select(Relationship.adult_id).where(Relationship.child_id.in_(children))))
        ids = set(children + adults + household + related)
        ids |= set(session.scalars(select(Person.id).where(Person.merged_into_id.in_(ids))))
        people = list(session.scalars(select(Person).where(Person.id.in_(ids))))
        aliases = list(session.scalars(select(PersonAlias).where(PersonAlias.person_id.in_(ids))))
        words = name_words(*(p.given_names for p in people), *(p.family_name for p in people))
        words |= name_words(*(a.given_names for a in aliases), *(a.family_name for a in aliases))
        if contact.referrer_name:
            words |= name_words(contact.referrer_name)
        other: list[str] = [contact.reference]
        for person in people:
            other += [value for value in (person.nhs_number, person.upn, person.local_child_id) if value]
            if person.date_of_birth is not None:
                other += _date_writings(person.date_of_birth)
        other += [value for value in (contact.referrer_phone, contact.referrer_email) if value]
        if contact.household_id:
            home = session.get_one(Household, contact.household_id)
            other += [value for value in (home.address_line1, home.address_line2, home.postcode) if value]
        return words, other


def test_no_vignette_of_a_demo_family_keeps_anything_of_the_real_family(db: Database) -> None:
    generate_demo(db, contacts=160, seed=14, now=NOW)
    maria = ServiceContext(db, "maria")
    references = _variant_contacts(db)
    assert len(references) >= 5, "the demo should have families recorded under several spellings"
    exercise_id = exercises.create_exercise(maria, "Every spelling-variant family of the demo")
    for start in range(0, len(references), CHUNK):
        exercises.add_contacts(maria, exercise_id, " ".join(references[start : start + CHUNK]))
    drafted = exercises.vignettes(maria, exercise_id)
    assert len(drafted) == len(references)
    with db.session() as session:
        sources = dict(
            session.execute(
                select(VignetteSource.vignette_id, VignetteSource.contact_id).where(
                    VignetteSource.vignette_id.in_([v.id for v in drafted])
                )
            ).all()
        )
    leaks: dict[str, list[str]] = {}
    checked_words = 0
    for vignette in drafted:
        words, other = _what_the_record_holds(db, sources[vignette.id])
        text_words = set(normalise_name(fold(vignette.text)).split())
        squashed = "".join(normalise_name(fold(vignette.text)).split())
        found = sorted(words & text_words)
        found += [value for value in other if "".join(normalise_name(fold(value)).split()) in squashed]
        checked_words += len(words)
        if found:
            leaks[vignette.source_reference or str(vignette.id)] = found
    assert leaks == {}
    assert checked_words > 5 * len(drafted)
