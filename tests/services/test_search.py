"""Find the child first: whatever the spelling, with their history at the MASH and any open case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, settings
from hypothesis import given as for_all
from hypothesis import strategies as st

from mash_desk.domain.enums import PersonKind
from mash_desk.services import intake
from mash_desk.services.drafts import ChildDraft
from mash_desk.services.people import add_alias
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
    # another birthday ranks below; it is no longer hidden (issue 10: a date of birth never filters)
    found = [m.person_id for m in matches]
    assert people["khan_2016"] not in found or found.index(people["khan_2016"]) > found.index(people["khan"])
    assert all("same date of birth" not in m.reasons for m in matches if m.person_id == people["khan_2016"])
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


# --- issue 10: no child missed by search -----------------------------------------------------------

SPELT = {
    "mohammed": ("Mohammed", "Khan", date(2015, 3, 8)),
    "md_ali": ("Muhammad Ali", "Hussain", date(2012, 7, 4)),
    "abd_al_rahman": ("Abd al-Rahman", "Al-Sayed", date(2012, 6, 4)),
    "abdul_rahman": ("Abdul Rahman", "Chowdhury", date(2011, 10, 5)),
    "abdirahman": ("Abdirahman", "Hassan", date(2012, 9, 3)),
    "oneill": ("Ciarán", "O'Neill", date(2014, 10, 2)),
    "shah_jahan": ("Shah Jahan", "Miah", date(2013, 6, 9)),
    "sharma": ("Arjun", "Sharma", date(2014, 5, 9)),
    "jankowska": ("Natalia", "Jankowska", date(2014, 1, 6)),
    "siobhan": ("Siobhán", "O'Sullivan", date(2012, 5, 3)),
    "tadhg": ("Tadhg", "O'Brien", date(2011, 3, 4)),
    "niamh": ("Niamh", "Kelly", date(2015, 8, 9)),
    "kazlauskaite": ("Emilija", "Kazlauskaitė", date(2016, 7, 8)),
    "lukasz": ("Łukasz", "Wiśniewski", date(2013, 2, 5)),
    "kwadwo": ("Kwadwo", "Asante", date(2012, 7, 2)),
    "oluwaseun": ("Oluwaseun", "Adeyemi", date(2012, 3, 6)),
}


@pytest.fixture
def spelt(world: World) -> dict[str, int]:
    """Children whose names referrers write many ways, each logged with look-alikes: a child of the
    same name born three years later, a sibling, and one with the same given name and birthday."""
    found = {}
    for key, (given_names, family, born) in SPELT.items():
        found[key], _sibling = _log(
            world, child(given_names, family, born), child("Sara", family, born.replace(year=born.year - 2))
        )
        _log(world, child(given_names, family, born.replace(year=born.year + 3)))
        _log(world, child(given_names, "Smith", born))
    return found


DOB = "recorded"
SEARCHES_THAT_MISSED = [
    # (which child, typed given, typed family, typed date of birth or DOB for the recorded one)
    ("mohammed", "Mohd", "Khan", DOB),
    ("mohammed", "Md", "Khan", None),
    ("md_ali", "Md Ali", "Hussain", DOB),
    ("abd_al_rahman", "Abdulrahman", "Alsayed", DOB),
    ("abd_al_rahman", "Abdel Rahman", "El Sayed", None),
    ("abdul_rahman", "Abdulrahman", "Choudhury", DOB),
    ("abdirahman", "Abdi Rahman", "Hasan", DOB),
    ("abdirahman", "Abdulrahman", "Hassan", None),
    ("oneill", "Kieran", "O Neill", DOB),
    ("oneill", "Ciaran", "ONeill", None),
    ("shah_jahan", "Shahjahan", "Miah", DOB),
    ("sharma", "Arjun", "Sharmar", None),
    ("sharma", "Arjun", "Sherma", DOB),
    ("jankowska", "Natalia", "Jankowksa", None),
    ("siobhan", "Shivaun", "O'Sullivan", DOB),
    ("siobhan", "Shevonne", "OSullivan", None),
    ("tadhg", "Tige", "O'Brien", DOB),
    ("niamh", "Neve", "Kelly", None),
    ("kazlauskaite", "Emilija", "Kazlauskas", DOB),
    ("lukasz", "Lukasz", "Wisniewski", None),
    ("kwadwo", "Kojo", "Asante", DOB),
    ("oluwaseun", "Seun", "Adeyemi", DOB),
]


@pytest.mark.parametrize(("key", "given_names", "family", "born"), SEARCHES_THAT_MISSED)
def test_names_written_as_referrers_write_them_find_the_child(
    world: World, spelt: dict[str, int], key: str, given_names: str, family: str, born: str | None
) -> None:
    typed_born = SPELT[key][2] if born == DOB else None
    found = [m.person_id for m in _find(world, given_names=given_names, family_name=family, date_of_birth=typed_born)]
    assert spelt[key] in found[:5], (given_names, family, found)
    if typed_born is not None:
        assert found[0] == spelt[key]


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        (date(2015, 8, 3), "date of birth with day and month swapped"),
        (date(2015, 3, 9), "date of birth a day out"),
        (date(2015, 3, 7), "date of birth a day out"),
        (date(2014, 3, 8), "date of birth a year out"),
        (date(2016, 3, 8), "date of birth a year out"),
    ],
)
def test_a_slipped_date_of_birth_still_finds_the_child_first(
    world: World, spelt: dict[str, int], typed: date, reason: str
) -> None:
    for given_names in ("Mohammed", "Mohd", "Muhammad"):
        matches = _find(world, given_names=given_names, family_name="Khan", date_of_birth=typed)
        assert matches, given_names
        assert matches[0].person_id == spelt["mohammed"], (given_names, [m.name for m in matches])
        assert reason in matches[0].reasons


def test_a_swapped_date_of_birth_finds_the_child_the_old_search_hid(world: World, people: dict[str, int]) -> None:
    swapped = date(KHAN_DOB.year, KHAN_DOB.day, KHAN_DOB.month)
    matches = _find(world, given_names="Mohammed", family_name="Khan", date_of_birth=swapped)
    assert matches[0].person_id == people["khan"]
    assert "date of birth with day and month swapped" in matches[0].reasons


def test_the_same_date_of_birth_ranks_above_a_slipped_one(world: World) -> None:
    (exact,) = _log(world, child("Hodan", "Farah", date(2016, 4, 7)))
    (swapped,) = _log(world, child("Hodan", "Farah", date(2016, 7, 4)))
    (year_out,) = _log(world, child("Hodan", "Farah", date(2015, 4, 7)))
    (other,) = _log(world, child("Hodan", "Farah", date(2010, 11, 20)))
    found = [
        m.person_id for m in _find(world, given_names="Hodan", family_name="Farah", date_of_birth=date(2016, 4, 7))
    ]
    assert found[:2] == [exact, swapped]
    assert set(found[2:4]) == {year_out, other}
    assert found.index(year_out) < found.index(other)


def test_a_known_as_name_finds_the_child(world: World) -> None:
    (brooke,) = _log(world, child("Brooke", "Taylor-Smith", date(2016, 9, 10)))
    _log(world, child("Brooke", "Jones", date(2016, 9, 10)))
    add_alias(world.sam, brooke, "Brooke", "Summers")
    matches = _find(world, given_names="Brooke", family_name="Summers")
    assert matches[0].person_id == brooke
    assert "same known-as name" in matches[0].reasons


def test_a_date_of_birth_alone_offers_the_slips_after_the_same_date(world: World) -> None:
    (same,) = _log(world, child("Amira", "Hussain", date(2019, 5, 4)))
    (swapped,) = _log(world, child("Zain", "Patel", date(2019, 4, 5)))
    found = [m.person_id for m in _find(world, date_of_birth=date(2019, 5, 4))]
    assert found[0] == same
    assert swapped in found


CONSONANTS = "bcdfgjklmnpqrstvwz"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@for_all(data=st.data())
def test_a_single_consonant_mistyped_still_finds_the_child(
    world: World, spelt: dict[str, int], data: st.DataObject
) -> None:
    """Property: one consonant of a name word of five or more letters mistyped, no date of birth:
    the child is still in the top five among their look-alikes."""
    key = data.draw(st.sampled_from(sorted(SPELT)))
    given_names, family, _born = SPELT[key]
    words = [(side, word) for side, part in enumerate((given_names, family)) for word in part.split() if len(word) >= 5]
    assume(words)
    side, word = data.draw(st.sampled_from(words))
    positions = [i for i, char in enumerate(word) if char in CONSONANTS]
    assume(positions)
    i = data.draw(st.sampled_from(positions))
    typo = data.draw(st.sampled_from([c for c in CONSONANTS if c != word[i].lower()]))
    slipped = word[:i] + typo + word[i + 1 :]
    assume(not slipped.lower().startswith(("kn", "gn", "ps", "wr")))  # a silent first letter: another name
    parts = [given_names, family]
    parts[side] = parts[side].replace(word, slipped, 1)
    found = [m.person_id for m in _find(world, given_names=parts[0], family_name=parts[1])]
    assert spelt[key] in found[:5], (parts, found)


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
