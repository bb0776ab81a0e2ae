"""On PostgreSQL a contact's sections come back in one statement, as JSON columns of the contact's own row:
each must read back as exactly the rows its own statement returns (names, order, Python types, NULLs), and
a contact the row security hides must still be refused, with no "opened" row written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import Row

from mash_desk.domain.enums import Confidentiality, ContactStatus, Rag
from mash_desk.domain.errors import NotFound, RestrictedRecord
from mash_desk.services import handoffs, notes, restrictions, screening
from mash_desk.services.contact_view import open_contact
from mash_desk.services.contact_view.statements import CONTACT_WHOLE, SECTIONS_POSTGRESQL
from tests.support import World, audit_lines, case_at, child, consent_given

Typed = list[list[tuple[type, Any]]]


def _typed(rows: Sequence[Row[*tuple[Any, ...]]]) -> tuple[tuple[str, ...], Typed]:
    """The rows' names, and each value with its type: an enum member and its text compare equal, a
    naive and an aware time do not, and the view must get members and aware times as before."""
    names = tuple(rows[0]._fields) if rows else ()
    return names, [[(type(value), value) for value in row] for row in rows]


def _busy_contacts(world: World) -> list[int]:
    """Contacts that between them fill every section: two children (one with no birth date), adults,
    decisions, an authorisation approved and one returned, a hand-off chased, notes, a consent scoped to
    two agencies, and returns shareable and restricted to the agency."""
    waiting = case_at(world, ContactStatus.AWAITING_ACCEPTANCE, child("Amira"), child("Zain", dob=None))
    assert waiting.handoff_id is not None
    world.clock.advance(hours=30)
    handoffs.chase_hand_off(world.sam, waiting.handoff_id, "Phoned the duty manager.")
    notes.add_note(world.sam, waiting.id, "Visit: spoke to the school.")
    notes.add_note(world.maria, waiting.id, "Oversight: plan agreed.", oversight=True)
    returned = case_at(world, ContactStatus.RETURNED)
    scoped = case_at(world, ContactStatus.RECEIVED)
    screening.rate(world.sam, scoped.id, Rag.RED, "Police report overnight.")
    consent = replace(consent_given(world.clock), all_agencies=False, scope=["HEALTH", "POLICE"])
    screening.record_consent(world.sam, scoped.id, consent)
    screening.request_agency_checks(world.sam, scoped.id, ["POLICE", "HEALTH"])
    asked = {r.agency_code: r.id for r in open_contact(world.sam, scoped.id).agency_requests}
    police, health = asked["POLICE"], asked["HEALTH"]
    screening.record_agency_return(world.police, police, summary="Two call-outs.", nothing_known=False)
    screening.record_agency_return(
        world.health,
        health,
        summary="Health visitor's own concerns.",
        nothing_known=False,
        confidentiality=Confidentiality.RESTRICTED,
    )
    return [waiting.id, returned.id, scoped.id]


@pytest.mark.parametrize("backend", ["postgresql"])
def test_each_section_carried_in_the_contacts_row_is_what_its_own_statement_reads(world: World) -> None:
    filled: set[str] = set()
    for contact_id in _busy_contacts(world):
        with world.sam.read() as (conn, actor):
            params = {"contact_id": contact_id, "agency_id": actor.agency_id}
            whole = conn.execute(CONTACT_WHOLE, params).one()
            for name, rows in SECTIONS_POSTGRESQL.items():
                alone = conn.execute(rows.statement, params).all()
                carried = rows.read_back(whole._mapping[name], conn.dialect)
                assert _typed(carried) == _typed(alone), name
                if alone:
                    filled.add(name)
    assert filled == set(SECTIONS_POSTGRESQL), "every section compared with rows in it"


@pytest.mark.parametrize("backend", ["postgresql"])
def test_the_view_shows_the_words_the_database_hands_over(world: World) -> None:
    """The returns' words come through the database's own rule inside the one statement as before: a
    practitioner reads the police's shareable words, and sees the health return withheld."""
    scoped = _busy_contacts(world)[2]
    view = open_contact(world.sam, scoped)
    assert {r.agency_code: (r.withheld, r.summary) for r in view.agency_requests} == {
        "POLICE": (False, "Two call-outs."),
        "HEALTH": (True, None),
    }
    assert view.current_consent is not None
    assert view.current_consent.scope_names == ("Health", "Police")


def test_a_restricted_contact_is_refused_and_its_opening_is_not_recorded(world: World) -> None:
    """On PostgreSQL the row policy hides it from the one statement; on SQLite the service's check refuses.
    Either way nothing says Sam opened it; Maria's opening is recorded once."""
    case = case_at(world, ContactStatus.RECEIVED)
    restrictions.restrict_record(world.maria, contact_id=case.id, reason="A staff member's child.")
    before = audit_lines(world.db, contact_id=case.id)
    with pytest.raises(RestrictedRecord):
        open_contact(world.sam, case.id)
    with pytest.raises(NotFound):
        open_contact(world.sam, case.id + 1000)
    assert audit_lines(world.db, contact_id=case.id) == before
    assert open_contact(world.maria, case.id).id == case.id
    opened = audit_lines(world.db, contact_id=case.id)[len(before) :]
    assert [(line.login, line.action) for line in opened] == [(world.logins["maria"], "contact.open")]
