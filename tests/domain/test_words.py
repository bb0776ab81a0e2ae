"""The words people read for codes: every code has words, and none of the words is a code."""

from __future__ import annotations

import re
from enum import Enum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mash_desk.domain import words
from mash_desk.domain.cin import PRIMARY_NEEDS, REFERRAL_SOURCES
from mash_desk.domain.enums import (
    Channel,
    Concern,
    ConsentStatus,
    ContactStatus,
    HousingTenure,
    LevelOfNeed,
    NoteKind,
    Outcome,
    OverrideBasis,
    Rag,
    RelationshipKind,
    Role,
    TeamKind,
)
from mash_desk.services.admin import DEFAULT_AGENCIES

CODE = re.compile(r"\b[A-Z]+_[A-Z0-9_]+\b|\b[a-z]+_[a-z0-9_]+\b")


def test_codes_become_words() -> None:
    assert words.code_words(HousingTenure.NO_FIXED_ABODE) == "No fixed abode"
    assert words.code_words(Concern.FGM) == "FGM (female genital mutilation)"
    assert words.code_words(RelationshipKind.PARTNER_OF_PARENT) == "Partner of a parent"
    assert words.code_words(Outcome.CFA_S17) == "Child and family assessment (section 17)"
    assert words.code_words("DA_SERVICE") == "Domestic abuse service"
    assert words.code_words("SOCIAL_CARE") == "Social care"
    assert words.code_words(TeamKind.MASH) == "MASH"
    assert words.code_words(Role.AGENCY) == "Partner agency"
    assert words.in_sentence("Schools") == "schools"
    assert words.in_sentence("LA early help") == "LA early help"
    assert words.in_sentence("GP") == "GP"


def test_cin_codes_become_the_census_words_without_the_code() -> None:
    assert words.referral_source_words("6") == "Police"
    assert words.referral_source_words("3A") == "GP"
    assert words.primary_need_words("N1") == "Abuse or neglect"
    assert all(not words.referral_source_words(code).startswith(code) for code in REFERRAL_SOURCES)
    assert all(code not in words.primary_need_words(code) for code in PRIMARY_NEEDS)


ALL_VALUES: list[Enum] = [
    *Channel,
    *Concern,
    *ConsentStatus,
    *ContactStatus,
    *HousingTenure,
    *NoteKind,
    *Outcome,
    *OverrideBasis,
    *RelationshipKind,
    *Role,
]


@pytest.mark.parametrize("value", ALL_VALUES, ids=lambda v: f"{type(v).__name__}.{v.name}")
def test_no_words_are_a_code(value: Enum) -> None:
    said = [words.code_words(value)]
    if isinstance(value, ContactStatus):
        said.append(words.status_words(value))
    if isinstance(value, Outcome):
        said += [words.outcome_words(value), words.outcome_in_sentence(value)]
    if isinstance(value, Role):
        said.append(words.role_words(value))
    if isinstance(value, ConsentStatus):
        said.append(words.consent_words(value))
    if isinstance(value, Channel):
        said.append(words.channel_words(value))
    if isinstance(value, NoteKind):
        said.append(words.note_kind_words(value))
    if isinstance(value, OverrideBasis):
        said.append(words.override_basis_words(value))
    for text in said:
        assert text
        assert not CODE.search(text), text


def test_agency_codes_become_words_and_levels_and_ratings_read_as_people_say_them() -> None:
    for code, _name, _kind in DEFAULT_AGENCIES:
        assert not CODE.search(words.code_words(code))
    assert words.level_words(LevelOfNeed.COMPLEX) == "Level 3 — complex / child in need"
    assert words.level_words(7) == "Level 7"
    assert words.rag_words(Rag.RED) == "RED"
    assert words.rag_words(None) == "Not rated"


def test_a_person_at_work_in_one_line() -> None:
    assert (
        words.person_at_work("Priya Shah", "Police officer", "Bedfordshire Police", None)
        == "Priya Shah · Police officer, Bedfordshire Police"
    )
    assert words.person_at_work("Sam Carter", "Social worker", "Children's Social Care", "MASH Team") == (
        "Sam Carter · Social worker, MASH Team"
    )
    assert words.person_at_work("Ada Admin", "", None, None) == "Ada Admin"


def test_one_thing_is_singular_and_any_other_number_plural() -> None:
    assert words.counted(1, "contact") == "1 contact"
    assert words.counted(0, "contact") == "0 contacts"
    assert words.counted(3, "hand-off") == "3 hand-offs"
    assert words.counted(1_250, "contact") == "1,250 contacts"


def test_how_many_times_is_said_as_a_person_says_it() -> None:
    said = [words.how_many_times(n) for n in (1, 2, 3, 1_250)]
    assert said == ["once", "twice", "3 times", "1,250 times"]
    assert words.how_many_times(2, "une fois", "deux fois", "fois") == "deux fois"


def test_an_irregular_plural_is_given_and_used() -> None:
    assert words.counted(1, "child", "children") == "1 child"
    assert words.counted(2, "child", "children") == "2 children"
    assert words.counted(1, "pair of records", "pairs of records") == "1 pair of records"
    assert words.counted(4, "pair of records", "pairs of records") == "4 pairs of records"


@given(st.integers(min_value=-10_000_000, max_value=10_000_000))
def test_the_number_has_thousands_separators_and_the_word_agrees(count: int) -> None:
    said = words.counted(count, "glass break", "glass breaks")
    number, _, things = said.partition(" ")
    assert number == f"{count:,}"
    assert int(number.replace(",", "")) == count
    assert things == ("glass break" if count == 1 else "glass breaks")
