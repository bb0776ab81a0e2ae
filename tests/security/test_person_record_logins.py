"""The person's record as real logins read it on a hub-like server: a partner agency's login reads
no more of a child's history through raw SQL than the record shows it, and only social work's own
staff may correct a person's details, whatever tool they connect with."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from mash_desk.domain.enums import ContactStatus, Rag
from mash_desk.domain.errors import NotFound, PermissionRefused
from mash_desk.domain.periods import london_date
from mash_desk.domain.risk import CarerParticipation
from mash_desk.services import admin, intake, notes, risk_tools, screening
from mash_desk.services.drafts import ChildDraft
from mash_desk.services.people import PersonCorrection, correct_person
from mash_desk.services.person_record import open_person_record
from tests.pgcluster import PrivateCluster
from tests.security.hub import LoginWorld, login_world, refused
from tests.support import case_at, contact_draft, unchanged


@pytest.fixture(scope="module")
def hub(private_cluster: PrivateCluster) -> Iterator[LoginWorld]:
    with login_world(private_cluster) as world:
        yield world


def test_a_partner_reads_a_childs_history_only_where_it_was_asked(hub: LoginWorld) -> None:
    asked = case_at(hub, ContactStatus.AGENCY_CHECKS)  # the police were asked about this one
    (child,) = asked.child_ids
    later = intake.log_contact(hub.sam, contact_draft(hub.clock, ChildDraft(existing_person_id=child)))
    screening.rate(hub.sam, later.id, Rag.AMBER)

    record = open_person_record(hub.police, child)
    assert [c.contact_id for c in record.contacts] == [asked.id]
    with hub.connect("pc_jones") as conn:
        raw = {row[0] for row in conn.execute("SELECT contact_id FROM contact_child WHERE person_id = %s", (child,))}
        ratings = {row[0] for row in conn.execute("SELECT contact_id FROM rag_rating")}
    assert raw == {asked.id}, "the later contact is no more readable by SQL than in the record"
    assert later.id not in ratings
    # health was asked about neither: the record does not open, and SQL finds no such child
    with pytest.raises(NotFound):
        open_person_record(hub.health, child)
    with hub.connect("hv_okafor") as conn:
        assert conn.execute("SELECT count(*) FROM person WHERE id = %s", (child,)).fetchone() == (0,)
    # social care reads both
    assert {c.contact_id for c in open_person_record(hub.sam, child).contacts} == {asked.id, later.id}


def test_a_partner_reads_notes_and_gcp2s_only_on_the_contacts_it_was_asked_about(hub: LoginWorld) -> None:
    """Seeing the child through one contact opens none of the child's other contacts' notes or GCP2s."""
    asked = case_at(hub, ContactStatus.AGENCY_CHECKS)
    (child,) = asked.child_ids
    later = intake.log_contact(hub.sam, contact_draft(hub.clock, ChildDraft(existing_person_id=child)))
    asked_note = notes.add_note(hub.sam, asked.id, "Mother seen at home; the baby was settled.")
    later_note = notes.add_note(hub.sam, later.id, "Neighbour reports shouting late at night.")
    admin.set_user_gcp_licensed(hub.admin, hub.logins["priya"], True)
    later_gcp = risk_tools.record_gcp(
        hub.priya,
        later.id,
        child,
        {"physical_care": 4, "safety": 3, "love_and_belonging": 2, "esteem": 3},
        carer_consent=True,
        carer_participation=CarerParticipation.FULL,
        review_on=london_date(hub.clock()) + timedelta(weeks=8),
    )

    shown = {row.what for row in open_person_record(hub.police, child).chronology}
    assert any("settled" in what for what in shown)
    assert not any("shouting" in what for what in shown)
    with hub.connect("pc_jones") as conn:
        note_ids = {row[0] for row in conn.execute("SELECT id FROM case_note")}
        gcp_ids = {row[0] for row in conn.execute("SELECT id FROM gcp_assessment WHERE child_id = %s", (child,))}
    assert asked_note in note_ids
    assert later_note not in note_ids, "no more readable by SQL than in the record"
    assert later_gcp not in gcp_ids
    with hub.connect("sam") as conn:  # social care reads both
        assert {later_note, asked_note} <= {row[0] for row in conn.execute("SELECT id FROM case_note")}


def test_only_social_work_corrects_a_person_whatever_the_tool(hub: LoginWorld) -> None:
    case = case_at(hub, ContactStatus.RECEIVED)
    (child,) = case.child_ids
    for who in ("pc_jones", "bea"):
        refused(hub, who, "UPDATE person SET first_language = 'Urdu' WHERE id = %(p)s", {"p": child})
    for ctx in (hub.police, hub.bea):
        with unchanged(hub.db), pytest.raises(PermissionRefused):
            correct_person(
                ctx, child, PersonCorrection(first_language="Urdu"), expected_version=1, reason="The mother says so."
            )
    correct_person(
        hub.sam, child, PersonCorrection(first_language="Urdu"), expected_version=1, reason="The mother says so."
    )
    (correction,) = open_person_record(hub.sam, child).corrections
    assert correction.who == "Sam Carter"  # stamped by the database from the login, not the client
