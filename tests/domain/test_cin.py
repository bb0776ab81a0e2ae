"""Tests for the CIN census code lists, checked against the DfE schema itself, and the rules using them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mash_desk.domain.cin import (
    DISABILITIES,
    ETHNICITIES,
    PRIMARY_NEEDS,
    REFERRAL_SOURCES,
    is_referral,
    needs_hand_off,
    pick_primary_need,
    receiving_team_kind,
    validate_disabilities,
    validate_ethnicity,
    validate_referral_source,
)
from mash_desk.domain.enums import Gender, Outcome, TeamKind
from mash_desk.domain.errors import InvalidInput

XSD = Path(__file__).resolve().parents[3] / "shared" / "reference" / "CIN_schema_2024.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"


def xsd_enumeration(type_name: str) -> dict[str, str]:
    """Code → documentation text of a named simple type in the CIN schema, in schema order."""
    root = ET.parse(XSD).getroot()
    for simple_type in root.iter(f"{XS}simpleType"):
        if simple_type.get("name") == type_name:
            codes: dict[str, str] = {}
            for enumeration in simple_type.iter(f"{XS}enumeration"):
                documentation = enumeration.find(f"{XS}annotation/{XS}documentation")
                text = documentation.text if documentation is not None else None
                codes[enumeration.get("value", "")] = (text or "").strip()
            return codes
    raise AssertionError(f"{type_name} is not in {XSD}")


def test_the_schema_is_where_the_tests_expect_it() -> None:
    assert XSD.is_file(), f"expected the shared reference schema at {XSD}"


def test_referral_sources_are_the_schema_codes_in_schema_order() -> None:
    assert list(REFERRAL_SOURCES) == list(xsd_enumeration("referralsourcetype"))
    assert len(REFERRAL_SOURCES) == 22


def test_primary_needs_are_the_schema_codes_in_schema_order() -> None:
    schema = xsd_enumeration("primaryneedcodetype")
    assert list(PRIMARY_NEEDS) == list(schema)
    for code, words in PRIMARY_NEEDS.items():
        # The schema shortens N2 to "Child's disability"; the DfE guide says "or illness".
        assert words.startswith(schema[code])


def test_ethnicities_are_the_schema_codes_and_words() -> None:
    assert dict(ETHNICITIES) == xsd_enumeration("ethnicitytype")


def test_disabilities_are_the_schema_codes_and_words() -> None:
    assert dict(DISABILITIES) == xsd_enumeration("disabilitytype")


def test_gender_enum_is_the_schema_gender_codes() -> None:
    assert {gender.value for gender in Gender} == set(xsd_enumeration("gendertype"))


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("1A", "Family/relative/carer"),
        ("3A", "GP"),
        ("3E", "A&E"),
        ("5C", "Another LA"),
        ("6", "Police"),
        ("9", "Anonymous"),
        ("10", "Unknown"),
    ],
)
def test_referral_source_words(code: str, words: str) -> None:
    assert REFERRAL_SOURCES[code] == words


def test_primary_need_words() -> None:
    assert PRIMARY_NEEDS["N1"] == "Abuse or neglect"
    assert PRIMARY_NEEDS["N2"] == "Child's disability or illness"
    assert PRIMARY_NEEDS["N9"] == "Cases other than children in need"
    assert PRIMARY_NEEDS["N0"] == "Not stated"


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["N4", "N1"], "N1"),
        (["N9", "N5", "N7"], "N5"),
        (["N0", "N8"], "N8"),
        (["N0"], "N0"),
        ([], "N0"),
        ([" n3 ", "N6"], "N3"),
        (("N2", "N2"), "N2"),
    ],
)
def test_pick_primary_need_takes_the_earliest_in_the_list(codes: list[str], expected: str) -> None:
    assert pick_primary_need(codes) == expected


@pytest.mark.parametrize("bad", ["N10", "X", "", "1A"])
def test_pick_primary_need_refuses_unknown_codes(bad: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        pick_primary_need(["N1", bad])
    assert set(excinfo.value.field_errors) == {"primary_need"}
    assert "N0 to N9" in excinfo.value.field_errors["primary_need"]


PRIORITY = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9", "N0"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PRIORITY), max_size=10))
def test_primary_need_is_the_highest_priority_present_whatever_the_order(codes: list[str]) -> None:
    picked = pick_primary_need(codes)
    assert picked == min(codes, key=PRIORITY.index, default="N0")
    assert pick_primary_need(reversed(codes)) == picked


@pytest.mark.parametrize(("typed", "code"), [("1a", "1A"), (" 10 ", "10"), ("5D", "5D"), ("4", "4")])
def test_validate_referral_source(typed: str, code: str) -> None:
    assert validate_referral_source(typed) == code


@pytest.mark.parametrize(("typed", "fragment"), [("11", "not a CIN census referral source"), (" ", "Choose where")])
def test_validate_referral_source_refuses(typed: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        validate_referral_source(typed)
    assert fragment in excinfo.value.field_errors["referral_source"]


def test_validate_ethnicity() -> None:
    assert validate_ethnicity("apkn") == "APKN"
    assert validate_ethnicity("NOBT") == "NOBT"
    with pytest.raises(InvalidInput) as excinfo:
        validate_ethnicity("British")
    assert set(excinfo.value.field_errors) == {"ethnicity"}


def test_validate_disabilities() -> None:
    assert validate_disabilities(["aut", "MOB", "AUT"]) == ("MOB", "AUT")
    assert validate_disabilities(["NONE"]) == ("NONE",)
    assert validate_disabilities([]) == ()
    with pytest.raises(InvalidInput) as excinfo:
        validate_disabilities(["NONE", "AUT"])
    assert "cannot be chosen together" in excinfo.value.field_errors["disabilities"]
    with pytest.raises(InvalidInput) as excinfo:
        validate_disabilities(["ADHD"])
    assert "“ADHD” is not" in excinfo.value.field_errors["disabilities"]


REFERRALS = {Outcome.CFA_S17, Outcome.STRATEGY_S47, Outcome.EMERGENCY_PROTECTION}
NO_TEAM = {Outcome.NFA, Outcome.ADVICE_SIGNPOST}


@pytest.mark.parametrize("outcome", list(Outcome))
def test_is_referral(outcome: Outcome) -> None:
    assert is_referral(outcome) is (outcome in REFERRALS)


@pytest.mark.parametrize("outcome", list(Outcome))
def test_needs_hand_off(outcome: Outcome) -> None:
    assert needs_hand_off(outcome) is (outcome not in NO_TEAM)


def test_every_referral_goes_to_a_receiving_team() -> None:
    assert all(needs_hand_off(outcome) for outcome in Outcome if is_referral(outcome))


def test_every_outcome_that_goes_to_a_team_names_the_kind_of_team() -> None:
    # MARAC and LADO are a meeting and a designated officer; the open-case route has its own action
    without_a_team_kind = {Outcome.MARAC, Outcome.LADO, Outcome.PASS_TO_ALLOCATED_WORKER}
    for outcome in Outcome:
        kind = receiving_team_kind([outcome])
        assert (kind is not None) == (needs_hand_off(outcome) and outcome not in without_a_team_kind), outcome
    assert receiving_team_kind([Outcome.EARLY_HELP, Outcome.EMERGENCY_PROTECTION]) is TeamKind.CHILD_PROTECTION
    assert receiving_team_kind([Outcome.EARLY_HELP, Outcome.CFA_S17]) is TeamKind.ASSESSMENT
    assert receiving_team_kind([]) is None
