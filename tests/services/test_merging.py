"""Two records of one child: found as likely duplicates, merged by a manager with a reason, followed
by every contact and by search, audited, and undone exactly (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from mash_desk.domain.duplicates import DuplicateReason
from mash_desk.domain.errors import ConcurrentEdit, InvalidInput, NotFound, PermissionRefused
from mash_desk.services import duplicates, intake, merging, notes, restrictions
from mash_desk.services.contact_view import open_person
from mash_desk.services.drafts import AdultDraft, ChildDraft
from mash_desk.services.search import PersonQuery, find_people
from mash_desk.store.models import (
    AuditEvent,
    ContactAdult,
    ContactChild,
    HouseholdMember,
    Person,
    PersonMerge,
    PersonMergeMove,
    Relationship,
)
from tests.support import World, child, contact_draft, snapshot, snapshot_diff, unchanged


def _version(world: World, person_id: int) -> int:
    with world.db.session() as session:
        return session.get_one(Person, person_id).version


def _two_records(world: World) -> tuple[int, int, int, int]:
    """Amira logged twice, the second time spelt "Ameera" with no link: (kept, merged, contact 1, contact 2)."""
    first = intake.log_contact(world.sam, contact_draft(world.clock, child("Amira", "Hussain")))
    world.clock.advance(days=30)
    second = intake.log_contact(world.priya, contact_draft(world.clock, child("Ameera", "Hussain")))
    return first.child_person_ids[0], second.child_person_ids[0], first.id, second.id


def _merge(world: World, kept: int, merged: int, reason: str = "Same child: same school, mother and address.") -> int:
    return merging.merge_people(
        world.maria,
        kept,
        merged,
        reason,
        kept_version=_version(world, kept),
        merged_version=_version(world, merged),
    )


def _children_of(world: World, contact_id: int) -> list[int]:
    with world.db.session() as session:
        return list(session.scalars(select(ContactChild.person_id).where(ContactChild.contact_id == contact_id)))


def test_a_misspelt_second_record_is_offered_as_a_likely_duplicate(world: World) -> None:
    kept, merged, _c1, _c2 = _two_records(world)
    # a stranger born the same day, and another Hussain born another day, are not offered
    intake.log_contact(world.sam, contact_draft(world.clock, child("Oliver", "Smith")))
    intake.log_contact(world.sam, contact_draft(world.clock, child("Amira", "Hussain", date(2018, 1, 2))))
    pairs = duplicates.likely_duplicates(world.maria)
    assert [(p.first.person_id, p.second.person_id, p.reason) for p in pairs] == [
        (kept, merged, DuplicateReason.SAME_BIRTH_AND_CLOSE_NAME)
    ]
    assert pairs[0].name_similarity >= 0.85


def test_the_same_nhs_number_is_a_likely_duplicate_whatever_the_name(world: World) -> None:
    a = intake.log_contact(world.sam, contact_draft(world.clock, child("Zara", "Ali", nhs_number="943 476 5919")))
    b = intake.log_contact(
        world.sam, contact_draft(world.clock, child("Zahra", "Patel", date(2019, 5, 5), nhs_number="9434765919"))
    )
    pairs = duplicates.likely_duplicates(world.maria)
    assert [(p.first.person_id, p.second.person_id, p.reason) for p in pairs] == [
        (a.child_person_ids[0], b.child_person_ids[0], DuplicateReason.SAME_NHS_NUMBER)
    ]


def test_twins_named_on_one_contact_are_never_offered_nor_merged(world: World) -> None:
    logged = intake.log_contact(
        world.sam, contact_draft(world.clock, child("Ella", "Hussain"), child("Ellie", "Hussain"))
    )
    ella, ellie = logged.child_person_ids
    assert duplicates.likely_duplicates(world.maria) == []
    with unchanged(world.db, "merging twins"), pytest.raises(InvalidInput) as caught:
        _merge(world, ella, ellie)
    assert "two children" in caught.value.field_errors["merge"]


def test_a_merge_moves_every_contact_and_search_finds_both_names(world: World) -> None:
    kept, merged, first, second = _two_records(world)
    notes.add_note(world.priya, second, "Spoke to the school about Ameera.")
    merge_id = _merge(world, kept, merged)
    assert _children_of(world, second) == [kept]
    assert [c.contact_id for c in open_person(world.maria, kept).contacts] == [second, first]
    assert merging.resolve_person(world.sam, merged) == kept
    assert merging.resolve_person(world.sam, kept) == kept
    with world.db.session() as session:
        assert session.get_one(Person, merged).merged_into_id == kept
        # the mother was logged twice too: her second record is still a record of its own, untouched
        moved = {(m.table_name, m.column_name) for m in session.scalars(select(PersonMergeMove))}
        assert ("contact_child", "person_id") in moved
        assert ("household_member", "person_id") in moved
        assert ("relationship", "child_id") in moved
        assert not session.scalars(select(HouseholdMember).where(HouseholdMember.person_id == merged)).all()
        assert not session.scalars(select(Relationship).where(Relationship.child_id == merged)).all()
        raw = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "person.merge")).one()
    detail = json.loads(raw or "{}")
    assert (detail["merge_id"], detail["kept_id"], detail["merged_id"]) == (merge_id, kept, merged)
    # search: the merged spelling finds the kept child, once, as a known-as name
    for given in ("Ameera", "Amira"):
        matches = find_people(world.sam, PersonQuery(given, "Hussain"))
        assert [m.person_id for m in matches if m.person_id in (kept, merged)] == [kept]
    ameera = next(m for m in find_people(world.sam, PersonQuery("Ameera", "Hussain")) if m.person_id == kept)
    assert "same known-as name" in ameera.reasons
    assert ameera.contacts_last_12_months == 2
    # nobody is offered as a duplicate any more
    assert duplicates.likely_duplicates(world.maria) == []


def test_an_intake_naming_the_merged_record_links_the_kept_one(world: World) -> None:
    kept, merged, _c1, _c2 = _two_records(world)
    _merge(world, kept, merged)
    again = intake.log_contact(world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=merged)))
    assert again.child_person_ids == (kept,)
    assert again.re_referral
    both = contact_draft(world.clock, ChildDraft(existing_person_id=merged), ChildDraft(existing_person_id=kept))
    with unchanged(world.db, "the same child twice"), pytest.raises(InvalidInput) as caught:
        intake.log_contact(world.sam, both)
    assert "named twice" in caught.value.field_errors["children"]


def test_undo_puts_back_exactly_what_moved(world: World) -> None:
    kept, merged, first, second = _two_records(world)
    before = snapshot(world.db)
    merge_id = _merge(world, kept, merged)
    # after the merge a new contact names the kept child: it stays with the kept record on undo
    world.clock.advance(days=1)
    later = intake.log_contact(world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=merged)))
    merging.undo_merge(world.mark, merge_id, "Different children: the school confirmed two pupils.")
    assert _children_of(world, second) == [merged]
    assert _children_of(world, first) == [kept]
    assert _children_of(world, later.id) == [kept]
    assert merging.resolve_person(world.sam, merged) == merged
    after = snapshot(world.db)
    diff = snapshot_diff(before, after)
    # what changed: the new contact and its rows, the merge's own records, versions, audit, the feed
    for table in ("contact_child", "household_member", "relationship"):
        old_rows = set(before[table])
        assert old_rows <= set(after[table]), f"{table} lost a row on undo"
    assert set(diff) >= {"person_merge", "person_merge_move"}
    with world.db.session() as session:
        merge = session.get_one(PersonMerge, merge_id)
        assert merge.undone_at is not None
        assert merge.undo_reason == "Different children: the school confirmed two pupils."
        assert session.get_one(Person, merged).merged_into_id is None
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("person.%merge"))))
    assert actions == ["person.merge", "person.unmerge"]
    rows = merging.merges(world.maria)
    assert [(r.id, r.undone_by, r.moved) for r in rows] == [(merge_id, "Mark Evans", rows[0].moved)]
    assert rows[0].moved >= 3
    # undone once only
    with unchanged(world.db, "undoing twice"), pytest.raises(InvalidInput):
        merging.undo_merge(world.maria, merge_id, "Again.")


def test_adults_on_one_contact_merge_and_the_shared_row_stays(world: World) -> None:
    mother = AdultDraft(given_names="Layla", family_name="Hussain")
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    layla = next(iter(_adults_of(world, logged.id)))
    # the same mother typed again as a new person on a second contact, and on the first by mistake
    second = intake.log_contact(
        world.sam,
        contact_draft(world.clock, ChildDraft(existing_person_id=logged.child_person_ids[0]), adults=[mother]),
    )
    copy = next(iter(_adults_of(world, second.id)))
    merge_id = merging.merge_people(
        world.maria,
        layla,
        copy,
        "Same mother.",
        kept_version=_version(world, layla),
        merged_version=_version(world, copy),
    )
    assert _adults_of(world, second.id) == {layla}
    merging.undo_merge(world.maria, merge_id, "Not the same mother after all.")
    assert _adults_of(world, second.id) == {copy}


def _adults_of(world: World, contact_id: int) -> set[int]:
    with world.db.session() as session:
        return set(session.scalars(select(ContactAdult.person_id).where(ContactAdult.contact_id == contact_id)))


def test_bad_merges_are_refused_and_change_nothing(world: World) -> None:
    kept, merged, _c1, _c2 = _two_records(world)
    versions = {"kept_version": _version(world, kept), "merged_version": _version(world, merged)}
    with unchanged(world.db, "refused merges"):
        with pytest.raises(PermissionRefused):
            merging.merge_people(world.sam, kept, merged, "Same child.", **versions)
        with pytest.raises(PermissionRefused):
            duplicates.likely_duplicates(world.sam)
        with pytest.raises(InvalidInput) as caught:
            merging.merge_people(world.maria, kept, merged, "   ", **versions)
        assert "reason" in caught.value.field_errors
        with pytest.raises(InvalidInput) as caught:
            merging.merge_people(
                world.maria,
                kept,
                kept,
                "Same child.",
                kept_version=versions["kept_version"],
                merged_version=versions["kept_version"],
            )
        assert "itself" in caught.value.field_errors["merge"]
        with pytest.raises(ConcurrentEdit):
            merging.merge_people(world.maria, kept, merged, "Same child.", kept_version=99, merged_version=1)
        with pytest.raises(NotFound):
            merging.merge_people(world.maria, kept, 9999, "Same child.", kept_version=1, merged_version=1)
        adult = next(iter(_adults_of(world, _c1)))
        with pytest.raises(InvalidInput) as caught:
            merging.merge_people(
                world.maria, kept, adult, "Same.", kept_version=versions["kept_version"], merged_version=1
            )
        assert "adult" in caught.value.field_errors["merge"]
    restrictions.restrict_record(world.maria, person_id=merged, reason="A staff member's child.")
    with unchanged(world.db, "merging a restricted record"), pytest.raises(InvalidInput) as caught:
        merging.merge_people(world.maria, kept, merged, "Same child.", **versions)
    assert "restricted" in caught.value.field_errors["merge"]


def test_a_merged_record_is_not_merged_again_nor_merged_into(world: World) -> None:
    kept, merged, _c1, _c2 = _two_records(world)
    third = intake.log_contact(world.sam, contact_draft(world.clock, child("Amirah", "Hussain"))).child_person_ids[0]
    _merge(world, kept, merged)
    with unchanged(world.db, "merging into a merged record"), pytest.raises(InvalidInput) as caught:
        _merge(world, merged, third)
    assert "merge into that one" in caught.value.field_errors["merge"]
    with pytest.raises(InvalidInput):
        _merge(world, third, merged)
    # a chain: the kept record is merged on; undoing the first merge must wait for the second
    second_merge = _merge(world, third, kept)
    assert merging.resolve_person(world.sam, merged) == third
    first_merge = merging.merges(world.maria)[-1].id
    with unchanged(world.db, "undoing out of order"), pytest.raises(InvalidInput) as caught:
        merging.undo_merge(world.maria, first_merge, "Wrong.")
    assert "Undo that later merge first" in caught.value.field_errors["merge"]
    merging.undo_merge(world.maria, second_merge, "Wrong.")
    merging.undo_merge(world.maria, first_merge, "Wrong too.")
    assert merging.resolve_person(world.sam, merged) == merged


def test_comparing_two_records_shows_both_and_audits_each_opening(world: World) -> None:
    kept, merged, _c1, _c2 = _two_records(world)
    left, right = merging.compare_people(world.maria, kept, merged)
    assert (left.name, right.name) == ("Amira Hussain", "Ameera Hussain")
    assert (left.contacts, right.contacts) == (1, 1)
    assert left.postcode == "LU13AB" or left.postcode == "LU1 3AB"
    with world.db.session() as session:
        opened = list(
            session.scalars(
                select(AuditEvent.entity_id).where(AuditEvent.action == "person.open").order_by(AuditEvent.id)
            )
        )
    assert opened == [kept, merged]
    with pytest.raises(PermissionRefused):
        merging.compare_people(world.sam, kept, merged)


def test_a_gcp2_for_a_merged_record_is_kept_on_the_record_kept(world: World) -> None:
    """A form opened before the merge still names the merged-away record: what it saves follows the merge,
    from a contact and from the child's own record alike."""
    from mash_desk.services import admin
    from mash_desk.services.risk_tools import record_gcp
    from mash_desk.store.models import GcpAssessment
    from tests.support import gcp_review

    kept, merged, _first, second = _two_records(world)
    _merge(world, kept, merged)
    admin.set_user_gcp_licensed(world.admin, world.logins["sam"], True)
    grades = {"physical_care": 4, "safety": 3, "love_and_belonging": 2, "esteem": 3}
    on_contact = record_gcp(world.sam, second, merged, grades, carer_consent=True, **gcp_review(world))
    on_record = record_gcp(world.sam, None, merged, grades, carer_consent=True, **gcp_review(world))
    with world.db.session() as session:
        assert session.get_one(GcpAssessment, on_contact).child_id == kept
        assert session.get_one(GcpAssessment, on_record).child_id == kept


def test_the_merged_records_page_opens_as_the_record_kept_with_both_contacts(world: World) -> None:
    from mash_desk.services.person_record import open_person_record

    kept, merged, first, second = _two_records(world)
    _merge(world, kept, merged)
    record = open_person_record(world.sam, merged)
    assert {row.contact_id for row in record.contacts} == {first, second}
    assert record == open_person_record(world.sam, kept)
