"""What a partner agency sees of a request before it answers: whom, where, who asked and by when."""

from __future__ import annotations

from datetime import date

import pytest

from mash_desk.domain.enums import Rag
from mash_desk.domain.errors import NotFound
from mash_desk.services import intake, screening
from mash_desk.services.agency_brief import ChildAsked, return_brief
from tests.support import World, child, consent_given, contact_draft


def test_the_agency_asked_sees_the_children_born_the_address_and_who_asked(world: World) -> None:
    unborn = child("Baby", "Hussain", None, expected_date_of_birth=date(2026, 9, 1))
    logged = intake.log_contact(
        world.sam, contact_draft(world.clock, child("Amira", "Hussain", date(2019, 5, 4)), unborn)
    )
    screening.rate(world.sam, logged.id, Rag.AMBER)
    screening.record_consent(world.sam, logged.id, consent_given(world.clock))
    (request_id,) = screening.request_agency_checks(world.sam, logged.id, ["POLICE"], "Any call-outs?")

    brief = return_brief(world.police, request_id)
    assert brief.children == (
        ChildAsked("Amira Hussain", date(2019, 5, 4), None),
        ChildAsked("Baby Hussain", None, date(2026, 9, 1)),
    )
    assert brief.address == "12 Park Street, Luton, LU1 3AB"
    assert (brief.asked_by, brief.asked_by_team) == ("Sam Carter", "MASH Team")
    assert brief.asked_at == world.clock()
    assert brief.question == "Any call-outs?"
    assert brief.agency == "Police"
    assert brief.rag is Rag.AMBER
    # the due time is the one the request carries: the contact's AMBER deadline
    assert brief.due_at == screening.rag_deadlines(world.sam, logged.id)[Rag.AMBER]
    # another agency is not told what the police were asked, nor that they were
    with pytest.raises(NotFound):
        return_brief(world.health, request_id)
