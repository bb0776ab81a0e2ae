"""What the services hand the window, the command line and the PDFs to read is words, never codes:
who the signed-in person is, which agencies a consent covers, and a contact's and a child's chronology."""

from __future__ import annotations

import re
from dataclasses import replace

from mash_desk.domain.enums import ContactStatus, Rag
from mash_desk.services import screening
from mash_desk.services.contact_view import open_contact
from mash_desk.services.person_record import open_person_record
from tests.support import World, case_at, consent_given

CODE = re.compile(r"\b[A-Z]{2,}_[A-Z0-9_]+\b|\b[a-z]+_[a-z0-9_]+\b|\bN\d\b|\b\d[A-F]\b")


def test_the_signed_in_person_comes_with_their_agency_and_team_names(world: World) -> None:
    sam = world.sam.whoami()
    assert (sam.agency_name, sam.team_name) == ("Children's Social Care", "MASH Team")
    police = world.police.whoami()
    assert (police.agency_code, police.agency_name, police.team_name) == ("POLICE", "Police", None)


def test_a_consent_names_the_agencies_it_covers(world: World) -> None:
    case = case_at(world, ContactStatus.RECEIVED)
    screening.rate(world.sam, case.id, Rag.AMBER)
    screening.record_consent(
        world.sam, case.id, replace(consent_given(world.clock), scope=["POLICE", "DA_SERVICE"], all_agencies=False)
    )
    consent = open_contact(world.sam, case.id).current_consent
    assert consent is not None
    assert consent.scope == ("DA_SERVICE", "POLICE")
    assert consent.scope_names == ("Domestic Abuse Service", "Police")


def test_a_contacts_chronology_and_a_childs_record_read_in_words(world: World) -> None:
    case = case_at(world, ContactStatus.CLOSED)
    texts = [entry.what for entry in open_contact(world.sam, case.id).chronology]
    assert any(text.startswith("Decision proposed for Amira Hussain: level 3") for text in texts)
    assert not [text for text in texts if CODE.search(text)]
    said = [row.what for row in open_person_record(world.sam, case.child_ids[0]).chronology]
    assert said
    assert not [text for text in said if CODE.search(text)]
