"""Restricted records: hidden until the glass is broken with a reason, and every break reviewed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.errors import IllegalTransition, InvalidInput, PermissionRefused, RestrictedRecord
from mash_desk.services import notes, restrictions
from mash_desk.services.contact_view import open_contact, open_person
from mash_desk.store.models import GlassBreak
from tests.support import World, audit_lines, case_at, unchanged


def test_a_restricted_contact_is_opened_only_by_breaking_the_glass(world: World) -> None:
    case = case_at(world, ContactStatus.RECEIVED)
    restriction = restrictions.restrict_record(world.maria, contact_id=case.id, reason="A staff member's child.")
    # the manager who restricted it still works on it; Sam must break the glass
    assert open_contact(world.maria, case.id).id == case.id
    with pytest.raises(RestrictedRecord) as info:
        open_contact(world.sam, case.id)
    assert info.value.restricted_by == "Maria Lopez"
    assert "break the glass" in str(info.value)
    with unchanged(world.db), pytest.raises(InvalidInput) as bad:
        restrictions.break_glass(world.sam, contact_id=case.id, reason="need")
    assert "reason" in bad.value.field_errors
    restrictions.break_glass(world.sam, contact_id=case.id, reason="Duty worker: the police are on the phone.")
    assert open_contact(world.sam, case.id).id == case.id
    notes.add_note(world.sam, case.id, "Police update recorded after breaking the glass.")
    # managers see who broke it and why; a practitioner may not look
    (row,) = restrictions.glass_breaks(world.mark)
    assert (row.who, row.reason) == ("Sam Carter", "Duty worker: the police are on the phone.")
    with pytest.raises(PermissionRefused):
        restrictions.glass_breaks(world.sam)
    assert "record.break_glass" in [line.action for line in audit_lines(world.db)]
    # Priya, who did not break it, still cannot open it; once lifted, everyone can
    with pytest.raises(RestrictedRecord):
        open_contact(world.priya, case.id)
    restrictions.lift_restriction(world.maria, restriction, "The family has moved away.")
    assert open_contact(world.priya, case.id).id == case.id


def test_only_a_manager_restricts_and_not_twice(world: World) -> None:
    case = case_at(world, ContactStatus.RECEIVED)
    with unchanged(world.db), pytest.raises(PermissionRefused):
        restrictions.restrict_record(world.sam, contact_id=case.id, reason="I would like this hidden.")
    with unchanged(world.db), pytest.raises(InvalidInput):
        restrictions.restrict_record(
            world.maria, contact_id=case.id, person_id=case.child_ids[0], reason="Both at once."
        )
    restrictions.restrict_record(world.maria, contact_id=case.id, reason="High-profile family.")
    with unchanged(world.db), pytest.raises(IllegalTransition):
        restrictions.restrict_record(world.mark, contact_id=case.id, reason="High-profile family again.")
    with unchanged(world.db), pytest.raises(IllegalTransition):
        restrictions.break_glass(world.sam, contact_id=case.id + 999, reason="No such restriction here.")


def test_a_restricted_person_is_hidden_too(world: World) -> None:
    case = case_at(world, ContactStatus.RECEIVED)
    (child,) = case.child_ids
    restrictions.restrict_record(world.maria, person_id=child, reason="Child of a member of staff.")
    with pytest.raises(RestrictedRecord):
        open_person(world.sam, child)
    restrictions.break_glass(world.sam, person_id=child, reason="Checking a new contact about this child.")
    assert open_person(world.sam, child).person.person_id == child
    with world.db.session() as session:
        assert session.scalar(select(GlassBreak.reason)) == "Checking a new contact about this child."
