"""The CIN census rules by year: episodes, UPN-unknown reasons, unborn children, sex, child ids."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mash_desk.domain.cin import UPN_UNKNOWN_REASONS
from mash_desk.domain.cin_census import (
    CensusBirth,
    CinEpisode,
    ReferralFact,
    carries_sex,
    census_birth,
    census_child_id,
    census_gender,
    census_upn_unknown,
    census_year,
    cin_episodes,
    of_school_age,
    year_label,
)
from mash_desk.domain.enums import Gender
from mash_desk.domain.errors import InvalidInput
from tests.domain.test_cin import XS, XSD

REFERENCE = date(2026, 3, 31)


@pytest.mark.parametrize(("text", "year"), [("2025-26", 2026), (" 2026-27 ", 2027), ("2023-24", 2024), ("2026", 2026)])
def test_census_years_are_read_as_the_year_they_end(text: str, year: int) -> None:
    assert census_year(text) == year
    assert year_label(year) == {2024: "2023-24", 2026: "2025-26", 2027: "2026-27"}[year]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2025-27", "is not a census year"),
        ("25-26", "is not a census year"),
        ("twenty", "is not a census year"),
        ("2022-23", "for 2023-24 to 2026-27, not 2022-23"),
        ("2028", "not 2027-28"),
    ],
)
def test_other_years_are_refused_with_the_years_the_export_knows(text: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        census_year(text)
    assert words in caught.value.field_errors["year"]


def test_sex_replaces_gender_current_from_2024_25() -> None:
    born = CensusBirth(date(2015, 1, 1), None)
    unborn = CensusBirth(None, date(2026, 5, 1))
    assert not carries_sex(2024)
    assert carries_sex(2025)
    assert [census_gender(g, born, 2026) for g in Gender] == ["U", "M", "F", "U"]  # NOT_KNOWN, M, F, NOT_SPECIFIED
    assert [census_gender(g, born, 2024) for g in Gender] == ["0", "1", "2", "9"]
    assert census_gender(Gender.FEMALE, unborn, 2026) == "U"  # rule 8750
    assert census_gender(Gender.FEMALE, unborn, 2024) == "0"


def test_a_child_born_after_the_census_date_was_unborn_on_it() -> None:
    assert census_birth(date(2026, 4, 20), None, REFERENCE) == CensusBirth(None, date(2026, 4, 20))
    assert census_birth(date(2026, 3, 31), None, REFERENCE) == CensusBirth(date(2026, 3, 31), None)
    assert census_birth(None, date(2026, 6, 1), REFERENCE) == CensusBirth(None, date(2026, 6, 1))
    assert census_birth(None, None, REFERENCE) == CensusBirth(None, None)
    assert census_birth(date(2026, 4, 20), None, REFERENCE).unborn


def test_upn_unknown_reasons() -> None:
    school_age = CensusBirth(date(2020, 8, 31), None)
    too_young = CensusBirth(date(2020, 9, 1), None)
    assert of_school_age(date(2020, 8, 31), REFERENCE)
    assert not of_school_age(date(2020, 9, 1), REFERENCE)
    assert census_upn_unknown("A821...", "UN2", school_age, REFERENCE, all_nfa=False) is None
    assert census_upn_unknown(None, "UN2", school_age, REFERENCE, all_nfa=True) == "UN2"  # what was recorded
    assert census_upn_unknown(None, None, school_age, REFERENCE, all_nfa=True) == "UN7"
    assert census_upn_unknown(None, None, too_young, REFERENCE, all_nfa=False) == "UN1"
    assert census_upn_unknown(None, None, CensusBirth(None, date(2026, 5, 1)), REFERENCE, all_nfa=False) == "UN1"
    assert census_upn_unknown(None, None, school_age, REFERENCE, all_nfa=False) is None
    assert census_upn_unknown(None, None, CensusBirth(None, None), REFERENCE, all_nfa=False) is None


def test_upn_unknown_codes_are_the_schemas() -> None:
    tree = ET.parse(XSD)
    node = tree.getroot().find(f"{XS}simpleType[@name='unknownupntype']")
    assert node is not None
    codes = {e.attrib["value"] for e in node.iter(f"{XS}enumeration")}
    assert set(UPN_UNKNOWN_REASONS) | {"UN6", "UN7"} == codes


def test_child_ids_the_census_accepts() -> None:
    assert census_child_id("MD0000042", 42) == "MD0000042"
    assert census_child_id("LA77", 42) == "LA77"
    assert census_child_id("LA-77", 42) == "MD0000042"  # rule 1580: letters and digits only
    assert census_child_id("A" * 21, 42) == "MD0000042"  # rule 1570: at most 20


def fact(day: int, nfa_after: int | None = None) -> ReferralFact:
    start = date(2025, 4, 1) + timedelta(days=day)
    return ReferralFact(start, "6", "N1", None if nfa_after is None else start + timedelta(days=nfa_after))


def test_a_referral_while_one_is_open_joins_it() -> None:
    (episode,) = cin_episodes([fact(10), fact(100), fact(50)])
    assert episode == CinEpisode(date(2025, 4, 11), "6", "N1", False, None, None, referrals=3)


def test_front_door_nfa_is_closed_rc8_and_the_next_referral_starts_an_episode() -> None:
    first, second, third = cin_episodes([fact(10, nfa_after=2), fact(30, nfa_after=0), fact(40)])
    assert (first.nfa, first.closure_date, first.closure_reason) == (True, date(2025, 4, 13), "RC8")
    assert (second.closure_date, second.referral_date) == (date(2025, 5, 1), date(2025, 5, 1))
    assert (third.nfa, third.closure_date, third.closure_reason) == (False, None, None)


def test_an_nfa_closed_after_the_next_referral_closes_on_its_day() -> None:
    first, second = cin_episodes([fact(10, nfa_after=20), fact(15)])
    assert first.closure_date == second.referral_date == date(2025, 4, 16)


def test_two_referrals_on_one_day_are_one_episode() -> None:
    (episode,) = cin_episodes([fact(10, nfa_after=0), fact(10)])
    assert episode.referrals == 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 364), st.one_of(st.none(), st.integers(0, 40))), max_size=12))
def test_episodes_keep_the_dfes_rules_whatever_the_referrals(raw: list[tuple[int, int | None]]) -> None:
    """8815 (one open), 8816 (the open one is the latest), 8820 (no overlap), 8805/8810 (date with reason)."""
    episodes = cin_episodes([fact(day, nfa) for day, nfa in raw])
    assert sum(e.referrals for e in episodes) == len(raw)
    open_ones = [e for e in episodes if e.closure_date is None]
    assert len(open_ones) <= 1
    if open_ones:
        assert open_ones[0] is episodes[-1]
        assert not open_ones[0].nfa
    for earlier, later in pairwise(episodes):
        assert earlier.referral_date < later.referral_date
        assert earlier.closure_date is not None
        assert earlier.referral_date <= earlier.closure_date <= later.referral_date
    for episode in episodes:
        assert (episode.closure_date is None) == (episode.closure_reason is None)
        assert episode.nfa == (episode.closure_reason == "RC8")
