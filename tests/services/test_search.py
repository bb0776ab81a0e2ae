"""Find the child first: whatever the spelling, with their history at the MASH and any open case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mash_desk.domain.enums import PersonKind
from mash_desk.services import intake
from mash_desk.services.drafts import ChildDraft
from mash_desk.services.search import PersonMatch, PersonQuery, find_people
from mash_desk.store.models import Person
from tests.support import World, child, contact_draft, give_open_case

KHAN_DOB = date(2015, 1, 2)


def _log(world: World, *children: ChildDraft, postcode: str = "LU1 3AB") -> tuple[int, ...]:
    draft = contact_draft(world.clock, *children)
    assert draft.household is not None
    draft.household.postcode = postcode
    return intake.log_contact(world.sam, draft).child_person_ids


def _find(world: World, **query: object) -> list[PersonMatch]:
    return find_people(world.sam, PersonQuery(**query))  # type: ignore[arg-type]


@pytest.fixture
def people(world: World) -> dict[str, int]:
    """Children with names people spell many ways, and a few who only look alike."""
    (khan,) = _log(world, child("Mohammed", "Khan", KHAN_DOB, nhs_number="943 476 5919"))
    (khan_2016,) = _log(world, child("Mohammed", "Khan", date(2016, 3, 4)), postcode="LU2 7XY")
    (mahmood,) = _log(world, child("Mahmood", "Khan", KHAN_DOB), postcode="LU2 7XY")
    (aisha,) = _log(world, child("Aisha", "Begum", date(2018, 6, 1)), postcode="LU4 9AB")
    (amira,) = _log(world, child("Amira", "Begum", date(2018, 6, 1)), postcode="LU4 9AB")
    (lily,) = _log(world, child("Lily", "Smith-Jones", date(2017, 9, 9)), postcode="LU2 7XY")
    (jones,) = _log(world, child("Lily", "Jones", date(2012, 2, 2)), postcode="LU2 7XY")
    return {
        "khan": khan,
        "khan_2016": khan_2016,
        "mahmood": mahmood,
        "aisha": aisha,
        "amira": amira,
        "lily": lily,
        "jones": jones,
    }


def test_by_nhs_number_however_it_is_typed(world: World, people: dict[str, int]) -> None:
    for typed in ("9434765919", "943 476 5919", "943-476-5919"):
        matches = _find(world, nhs_number=typed)
        assert [m.person_id for m in matches] == [people["khan"]], typed
        assert matches[0].nhs_number == "9434765919"
        assert "same NHS number" in matches[0].reasons


def test_muhammad_finds_mohammed_with_the_same_birthday_first(world: World, people: dict[str, int]) -> None:
    matches = _find(world, given_names="Muhammad", family_name="Khan", date_of_birth=KHAN_DOB)
    assert matches[0].person_id == people["khan"]
    assert matches[0].name == "Mohammed Khan"
    assert set(matches[0].reasons) == {"similar name", "same date of birth"}
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)


def test_without_a_birthday_every_mohammed_khan_is_offered(world: World, people: dict[str, int]) -> None:
    found = [m.person_id for m in _find(world, given_names="Muhammed", family_name="Khan")]
    assert set(found[:2]) == {people["khan"], people["khan_2016"]}


def test_ayesha_finds_aisha_before_amira(world: World, people: dict[str, int]) -> None:
    matches = _find(world, given_names="Ayesha", family_name="Begum")
    assert matches[0].person_id == people["aisha"]
    assert "similar name" in matches[0].reasons


def test_names_in_the_wrong_order_or_in_one_box_still_find_the_child(world: World, people: dict[str, int]) -> None:
    for given, family in (("Khan", "Mohammed"), ("Khan Mohammed", ""), ("", "Mohammed Khan"), ("Mohammed Khan", "")):
        matches = _find(world, given_names=given, family_name=family, date_of_birth=KHAN_DOB)
        assert matches, (given, family)
        assert matches[0].person_id == people["khan"], (given, family)


def test_one_half_of_a_hyphenated_surname_finds_the_child(world: World, people: dict[str, int]) -> None:
    for family in ("Smith", "Jones", "Smith Jones", "smith-jones"):
        matches = _find(world, given_names="Lily", family_name=family, date_of_birth=date(2017, 9, 9))
        assert matches, family
        assert (matches[0].person_id, matches[0].family_name) == (people["lily"], "Smith-Jones"), family


def test_the_start_of_a_name_with_a_date_of_birth(world: World, people: dict[str, int]) -> None:
    matches = _find(world, given_names="Moh", family_name="Kh", date_of_birth=KHAN_DOB)
    assert matches[0].person_id == people["khan"]
    assert people["khan_2016"] not in [m.person_id for m in matches]  # another birthday
    assert _find(world, family_name="smith-j")[0].person_id == people["lily"]


def test_by_postcode_however_it_is_typed(world: World, people: dict[str, int]) -> None:
    for typed in ("LU4 9AB", "lu49ab", " lu4  9ab "):
        matches = _find(world, postcode=typed)
        assert {m.person_id for m in matches} == {people["aisha"], people["amira"]}, typed
        assert {m.postcode for m in matches} == {"LU4 9AB"}
        assert all("same postcode" in m.reasons for m in matches)


def test_a_search_for_children_does_not_offer_adults_unless_asked(world: World, people: dict[str, int]) -> None:
    del people
    children = _find(world, family_name="Hussain")  # only the mothers in contact_draft are Hussains
    assert children == []
    adults = _find(world, family_name="Hussain", kind=PersonKind.ADULT)
    assert {m.name for m in adults} == {"Layla Hussain"}
    assert len(adults) == 7  # one mother per contact: intake never searched for her, so seven records


def test_history_at_the_mash_is_shown_with_each_match(world: World) -> None:
    first_seen = world.clock() - timedelta(hours=1)
    (old,) = _log(world, child("Oscar", "Oldfield", date(2014, 4, 4)))
    (both,) = _log(world, child("Bella", "Both", date(2016, 6, 6)))
    world.clock.advance(days=400)  # 13 months on
    second = intake.log_contact(world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=both)))
    third = intake.log_contact(world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=both)))
    assert (second.re_referral, third.re_referral) == (False, True)

    (oscar,) = _find(world, given_names="Oscar", family_name="Oldfield")
    assert (oscar.person_id, oscar.contacts_last_12_months, oscar.re_referral) == (old, 0, False)
    assert oscar.last_contact_at == first_seen
    (bella,) = _find(world, given_names="Bella", family_name="Both")
    assert (bella.contacts_last_12_months, bella.re_referral) == (2, True)
    assert bella.last_contact_at == world.clock() - timedelta(hours=1)


def test_an_open_case_and_its_worker_are_shown(world: World, people: dict[str, int]) -> None:
    assessment = world.teams["Assessment Team"]
    give_open_case(world.db, people["khan"], assessment)
    give_open_case(world.db, people["aisha"], assessment, closed_on=world.clock().date() - timedelta(days=10))
    give_open_case(world.db, people["amira"], assessment, closed_on=world.clock().date() - timedelta(days=40))
    with world.db.session(write=True) as session:
        person = session.get(Person, people["khan"])
        assert person is not None
        person.allocated_worker_id = world.ava.whoami().id

    khan = _find(world, nhs_number="9434765919")[0]
    assert (khan.open_case_team, khan.allocated_worker) == ("Assessment Team", "Ava Green")
    begums = {m.person_id: m.open_case_team for m in _find(world, family_name="Begum")}
    assert begums == {people["aisha"]: "Assessment Team", people["amira"]: None}


# --- the re-referral flag at intake ---------------------------------------------------------------


def test_a_child_named_again_within_12_months_is_a_re_referral(world: World) -> None:
    first = intake.log_contact(world.sam, contact_draft(world.clock))
    assert first.re_referral is False
    world.clock.advance(days=330)  # 11 months
    again = intake.log_contact(
        world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=first.child_person_ids[0]))
    )
    assert again.re_referral is True


def test_a_child_named_again_after_13_months_is_not_a_re_referral(world: World) -> None:
    first = intake.log_contact(world.sam, contact_draft(world.clock))
    world.clock.advance(days=396)  # 13 months
    again = intake.log_contact(
        world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=first.child_person_ids[0]))
    )
    assert again.re_referral is False


def test_a_sibling_named_with_a_child_seen_recently_makes_the_contact_a_re_referral(world: World) -> None:
    first = intake.log_contact(world.sam, contact_draft(world.clock))
    world.clock.advance(days=30)
    again = intake.log_contact(
        world.sam,
        contact_draft(
            world.clock,
            child("Zain", "Hussain", date(2021, 8, 15)),
            ChildDraft(existing_person_id=first.child_person_ids[0]),
        ),
    )
    assert again.re_referral is True
    # a different child with the same name is a different record: no re-referral without the link
    world.clock.advance(days=1)
    unlinked = intake.log_contact(world.sam, contact_draft(world.clock, child("Zainab", "Hussein", date(2020, 1, 1))))
    assert unlinked.re_referral is False
