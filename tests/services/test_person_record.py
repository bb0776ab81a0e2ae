"""A person's record: one chronology across every contact, as the reader may see it, audited."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from mash_desk.domain.chronology import ChronologyFilter, EntryKind
from mash_desk.domain.enums import Confidentiality, ContactStatus, Outcome, PersonKind, Rag
from mash_desk.domain.errors import InvalidInput, NotFound, PermissionRefused, RestrictedRecord
from mash_desk.domain.risk import CarerParticipation
from mash_desk.domain.timescales import LONDON
from mash_desk.services import intake, notes, restrictions, screening
from mash_desk.services.drafts import ChildDraft
from mash_desk.services.people import PersonCorrection, add_alias, correct_person
from mash_desk.services.person_record import open_person_record, person_chronology, queries
from mash_desk.services.person_record.printing import print_chronology
from mash_desk.services.risk_tools import make_marac_referral, record_dash, record_gcp
from mash_desk.store.models import User
from tests.support import World, audit_lines, case_at, consent_given, contact_draft, unchanged


def _two_contacts(world: World) -> tuple[int, int, int]:
    """Amira's first contact worked to closed; a second one, a month on, rated RED: (child, first, second)."""
    first = case_at(world, ContactStatus.CLOSED)
    (amira,) = first.child_ids
    world.clock.advance(days=30)
    second = intake.log_contact(world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=amira)))
    screening.rate(world.sam, second.id, Rag.RED, reason="Now hungry and bruised: seen today.")
    return amira, first.id, second.id


def test_one_chronology_across_every_contact_newest_first(world: World) -> None:
    amira, first, second = _two_contacts(world)
    record = open_person_record(world.sam, amira)
    assert record.kind is PersonKind.CHILD
    assert [c.contact_id for c in record.contacts] == [second, first]
    closed = record.contacts[1]
    assert (closed.status, closed.outcome, closed.level_of_need) == (ContactStatus.CLOSED, Outcome.CFA_S17, 3)
    times = [row.at for row in record.chronology]
    assert times == sorted(times, reverse=True)
    kinds = {row.kind for row in record.chronology}
    assert {EntryKind.CONTACT, EntryKind.RATING, EntryKind.AGENCY, EntryKind.DECISION} <= kinds
    assert {EntryKind.AUTHORISATION, EntryKind.HAND_OFF, EntryKind.OUTCOME} <= kinds
    newest = record.chronology[0]
    assert (newest.kind, newest.contact_id, newest.what) == (
        EntryKind.RATING,
        second,
        "Rated RED: Now hungry and bruised: seen today.",
    )
    words = [row.what for row in record.chronology]
    assert "Police returned: Known to police: two DA call-outs." in words
    assert "Closed. Outcome: Child and family assessment (section 17) (Level 3 — complex / child in need)." in words
    assert not any("cfa_s17" in w or "_" in w.split(":")[0] for w in words)  # words, never codes
    # the mother, her address history and who is involved now
    mothers = [r for r in record.relatives if r.kind is PersonKind.ADULT]
    assert len(mothers) == 2  # each contact named Layla anew
    assert all(m.parental_responsibility and m.contacts == 1 for m in mothers)
    assert record.addresses[0].postcode == "LU1 3AB"
    assert record.addresses[0].temporary_accommodation
    assert "Assessment Team" in [a.name for a in record.agencies_now]
    assert ("sam", "person.open") in {(line.login.split("_")[0], line.action) for line in audit_lines(world.db)}


def test_relatives_are_linked_across_contacts(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    (amira,) = logged.child_person_ids
    sibling = intake.log_contact(
        world.sam,
        contact_draft(
            world.clock, ChildDraft(existing_person_id=amira), ChildDraft(given_names="Zain", family_name="Hussain")
        ),
    )
    zain = sibling.child_person_ids[1]
    record = open_person_record(world.sam, amira)
    by_id = {r.person_id: r for r in record.relatives}
    assert by_id[zain].sibling
    adults = [r for r in record.relatives if r.kind is PersonKind.ADULT]
    assert len(adults) == 2  # each contact named "Layla" anew: two records, both linked
    assert all(a.parental_responsibility for a in adults)
    # and from the mother's own record, the child is linked back
    mother = open_person_record(world.sam, adults[0].person_id)
    assert amira in {r.person_id for r in mother.relatives}
    assert mother.contacts[0].role == "mother"


def test_a_partner_sees_only_what_was_asked_of_it(world: World) -> None:
    amira, first, second = _two_contacts(world)
    police = open_person_record(world.police, amira)
    assert [c.contact_id for c in police.contacts] == [first]
    assert {row.contact_id for row in police.chronology if row.contact_id} == {first}
    # health was asked of nothing: no record of this child at all, on either database
    with pytest.raises(NotFound):
        open_person_record(world.health, amira)
    # a return marked for the agency's own eyes: Sam reads that it exists, not what it says
    screening.record_consent(world.sam, second, consent_given(world.clock))
    (request,) = screening.request_agency_checks(world.sam, second, ["HEALTH"])
    screening.record_agency_return(
        world.health,
        request,
        summary="Mother's mental health: detained last year.",
        nothing_known=False,
        confidentiality=Confidentiality.RESTRICTED,
    )
    sam_words = [row.what for row in open_person_record(world.sam, amira).chronology]
    assert not any("detained" in w for w in sam_words)
    assert "Health returned information marked for its own eyes only: ask Health." in sam_words
    health_words = [row.what for row in open_person_record(world.health, amira).chronology]
    assert "Health returned: Mother's mental health: detained last year." in health_words
    # police still see nothing of the health check
    assert not any("Health" in row.what for row in open_person_record(world.police, amira).chronology)


def test_restricted_records_are_left_out_or_refused(world: World) -> None:
    amira, first, second = _two_contacts(world)
    restrictions.restrict_record(world.maria, contact_id=second, reason="A staff member's family.")
    # Priya is neither the restricting manager nor the worker it is assigned to (Sam)
    assert second not in {c.contact_id for c in open_person_record(world.priya, amira).contacts}
    assert not any(row.contact_id == second for row in person_chronology(world.priya, amira).rows)
    for cleared in (world.maria, world.sam):
        assert second in {c.contact_id for c in open_person_record(cleared, amira).contacts}
    restrictions.break_glass(world.priya, contact_id=second, reason="Duty worker: police on the phone now.")
    assert second in {c.contact_id for c in open_person_record(world.priya, amira).contacts}
    restrictions.restrict_record(world.maria, person_id=amira, reason="Child of a member of staff.")
    with pytest.raises(RestrictedRecord):
        open_person_record(world.priya, amira)
    with pytest.raises(RestrictedRecord):
        person_chronology(world.priya, amira)
    assert first


def test_the_chronology_filters_by_agency_kind_and_period(world: World) -> None:
    amira, first, second = _two_contacts(world)
    everything = person_chronology(world.sam, amira)
    assert everything.total == len(everything.rows)
    police = person_chronology(world.sam, amira, ChronologyFilter(agencies=frozenset({"Police"})))
    assert police.rows
    assert all(r.agency == "Police" for r in police.rows)
    ratings = person_chronology(world.sam, amira, ChronologyFilter(kinds=frozenset({EntryKind.RATING})))
    assert [r.contact_id for r in ratings.rows] == [second, first]
    # the period is by day in England, both ends included: the second contact's day alone
    day = world.clock().astimezone(LONDON).date()
    today = person_chronology(world.sam, amira, ChronologyFilter(since=day, until=day))
    assert today.rows
    assert {r.contact_id for r in today.rows} == {second}
    before = person_chronology(world.sam, amira, ChronologyFilter(until=day - timedelta(days=1)))
    assert second not in {r.contact_id for r in before.rows}
    assert len(before.rows) + len(today.rows) == everything.total
    with pytest.raises(InvalidInput) as swapped:
        ChronologyFilter(since=day, until=day - timedelta(days=1))
    assert "since" in swapped.value.field_errors


def test_a_correction_needs_a_reason_and_is_kept_in_the_history(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    (amira,) = logged.child_person_ids
    record = open_person_record(world.sam, amira)
    with unchanged(world.db), pytest.raises(InvalidInput) as short:
        correct_person(world.sam, amira, PersonCorrection(first_language="Urdu"), expected_version=1, reason="x")
    assert "reason" in short.value.field_errors
    with unchanged(world.db), pytest.raises(InvalidInput) as same:
        correct_person(
            world.sam,
            amira,
            PersonCorrection(date_of_birth=date(2019, 5, 4)),
            expected_version=record.version,
            reason="Checked against the birth certificate.",
        )
    assert "correction" in same.value.field_errors
    # business support logs contacts but corrects no one (PostgreSQL refuses them the columns too)
    with unchanged(world.db), pytest.raises(PermissionRefused):
        correct_person(
            world.bea, amira, PersonCorrection(first_language="Urdu"), expected_version=1, reason="The mother says."
        )
    with unchanged(world.db), pytest.raises(PermissionRefused):
        add_alias(world.bea, amira, "Amirah", "Begum")
    correct_person(
        world.sam,
        amira,
        PersonCorrection(first_language="Urdu", interpreter_needed=True),
        expected_version=record.version,
        reason="The mother says Urdu; she asked for an interpreter.",
    )
    add_alias(world.sam, amira, "Amirah", "Begum")
    record = open_person_record(world.sam, amira)
    assert record.person.first_language == "Urdu"
    assert [a.name for a in record.aliases] == ["Amirah Begum"]
    (correction,) = record.corrections
    assert correction.text == (
        "Corrected first language not recorded → Urdu; interpreter needed no → yes. "
        "Why: The mother says Urdu; she asked for an interpreter."
    )
    assert correction.who == "Sam Carter"
    assert any(row.kind is EntryKind.NOTE and row.what.startswith("Correction:") for row in record.chronology)


def test_notes_on_every_contact_are_in_the_chronology(world: World) -> None:
    amira, first, second = _two_contacts(world)
    notes.add_note(world.sam, second, "Spoke to the school nurse: weight is dropping.")
    record = open_person_record(world.sam, amira)
    (note,) = [r for r in record.chronology if r.kind is EntryKind.NOTE]
    assert (note.contact_id, note.what) == (second, "Case note: Spoke to the school nurse: weight is dropping.")
    assert first


def test_the_printed_chronology_has_the_letterhead_and_the_marking_on_every_page(world: World) -> None:
    amira, _first, second = _two_contacts(world)
    for number in range(30):  # enough to run over several pages
        notes.add_note(world.sam, second, f"Visit {number}: the child was seen and spoken to alone at school.")
    pdf = print_chronology(world.sam, amira)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    texts = [page.extract_text() for page in reader.pages]
    assert all("OFFICIAL – SENSITIVE" in text for text in texts)
    assert "Chronology: Amira Hussain" in texts[0]
    assert "Multi-Agency Safeguarding Hub" in texts[0]  # the letterhead, as the letters print it
    assert "Visit 29" in texts[0]  # newest first
    assert "Contact received by phone" in texts[-1]
    only = print_chronology(world.sam, amira, ChronologyFilter(kinds=frozenset({EntryKind.OUTCOME})))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(only)).pages)
    assert "Only Outcome" in text
    assert "Visit 29" not in text
    assert [line.action for line in audit_lines(world.db)].count("person.chronology") == 2


def test_gcp2_and_dash_results_are_in_the_chronology(world: World) -> None:
    amira, _first, second = _two_contacts(world)
    with world.db.session(write=True) as session:
        sam = session.scalars(select(User).where(User.username == world.logins["sam"])).one()
        sam.gcp_licensed = True
    grades = {"physical_care": 4, "safety": 3, "love_and_belonging": 2, "esteem": 3}
    record_gcp(
        world.sam,
        second,
        amira,
        grades,
        carer_consent=True,
        carer_participation=CarerParticipation.PARTIAL,
        review_on=date(2026, 6, 1),
    )
    dash_id = record_dash(world.sam, second, [True] * 15 + [False] * 9).id
    rows = open_person_record(world.sam, amira).chronology
    (gcp,) = [r for r in rows if r.kind is EntryKind.GCP2]
    assert gcp.what == (
        "Graded Care Profile 2 (1 best, 5 worst): physical care 4; care of safety 3; emotional care (love and "
        "belonging) 2; developmental care (esteem) 3. The carer took part in some of it and consented. "
        "Review due 1 June 2026."
    )
    (dash,) = [r for r in rows if r.kind is EntryKind.DASH]
    assert dash.what == "DASH risk checklist: 15 of 24 answered yes; high risk (for MARAC)."
    make_marac_referral(world.sam, dash_id)
    (dash,) = [r for r in open_person_record(world.sam, amira).chronology if r.kind is EntryKind.DASH]
    made = world.clock()
    assert dash.what == (
        f"DASH risk checklist: 15 of 24 answered yes; high risk (for MARAC). MARAC referral made {made.day} "
        f"{made:%B %Y}."
    )
    assert (gcp.contact_id, dash.contact_id) == (second, second)
    # the police were not asked about the second contact: neither result reaches them
    assert not any(
        r.kind in (EntryKind.GCP2, EntryKind.DASH) for r in open_person_record(world.police, amira).chronology
    )


def test_every_statement_the_chronology_is_built_from_reads_in_the_order_rows_were_written() -> None:
    # Entries at one moment (thirty notes written in one frozen second) keep the order they were
    # written in only if every statement says its order: PostgreSQL returns rows as it finds them,
    # which once printed "Visit 4" where "Visit 29" belonged.

    feeding = ("RAGS", "REQUESTS", "DECISIONS", "AUTHORISATIONS", "HAND_OFFS", "CONTACT_NOTES", "PERSON_NOTES")
    for name in (*feeding, "GCPS", "DASHES"):
        statement = getattr(queries, name)
        assert statement._order_by_clauses, f"{name} reads in no stated order"
