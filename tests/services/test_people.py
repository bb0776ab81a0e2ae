"""Aliases make a person findable under every name; corrections keep the old values in the audit."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from mash_desk.domain.errors import ConcurrentEdit, InvalidInput, PermissionRefused
from mash_desk.services import intake
from mash_desk.services.contact_view import open_person
from mash_desk.services.people import PersonCorrection, add_alias, correct_person
from mash_desk.services.search import PersonQuery, find_people
from mash_desk.store.models import AuditEvent, Person
from tests.support import World, child, contact_draft


def test_an_alias_is_found_by_search(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock, child("Amira", "Hussain")))
    person_id = logged.child_person_ids[0]
    assert not any(m.person_id == person_id for m in find_people(world.sam, PersonQuery("Amira", "Begum")))
    add_alias(world.sam, person_id, "Amira", "Begum")
    matches = find_people(world.sam, PersonQuery("Amirah", "Begum"))
    assert matches
    assert matches[0].person_id == person_id


def test_correction_is_audited_with_old_and_new_values(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    person_id = logged.child_person_ids[0]
    with world.db.session() as session:
        version = session.get_one(Person, person_id).version
    new_version = correct_person(
        world.sam,
        person_id,
        PersonCorrection(nhs_number="943 476 5919", date_of_birth=date(2019, 5, 5)),
        expected_version=version,
        reason="The health visitor gave the right NHS number.",
    )
    assert new_version == version + 1
    assert open_person(world.sam, person_id).person.nhs_number == "9434765919"
    with world.db.session() as session:
        raw = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "person.correct")).one()
    detail = json.loads(raw or "{}")
    assert detail["before"]["date_of_birth"] == "2019-05-04"
    assert detail["after"]["nhs_number"] == "9434765919"
    with pytest.raises(ConcurrentEdit):
        correct_person(
            world.priya,
            person_id,
            PersonCorrection(first_language="Urdu"),
            expected_version=version,
            reason="The mother says Urdu.",
        )


def test_bad_corrections_and_outsiders_are_refused(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    person_id = logged.child_person_ids[0]
    with pytest.raises(InvalidInput) as caught:
        correct_person(
            world.sam,
            person_id,
            PersonCorrection(nhs_number="1234567890"),
            expected_version=1,
            reason="A typing slip at intake.",
        )
    assert "nhs_number" in caught.value.field_errors
    with pytest.raises(PermissionRefused):
        add_alias(world.police, person_id, "A", "B")
    with pytest.raises(InvalidInput):
        add_alias(world.sam, person_id, "  ", "B")
