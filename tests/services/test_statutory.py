"""Annex A and the CIN census gathered from the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import xmlschema
from openpyxl import load_workbook

from mash_desk.domain.errors import InvalidInput, NotFound, PermissionRefused
from mash_desk.exports.annex_a import LIST_1_COLUMNS, LIST_3_COLUMNS
from mash_desk.exports.cin_census import census_xml
from mash_desk.services.statutory import annex_a, cin_census, export_annex_a, export_cin_census
from tests.exports.scenario import build_returns
from tests.exports.test_formats import XSD
from tests.letters.journeys import decide
from tests.support import World, child, contact_draft

INSPECTION = date(2026, 3, 10)


def test_annex_a_lists(world: World) -> None:
    ids = build_returns(world)
    annex = annex_a(world.maria, INSPECTION)
    x, y, z = (f"MD{pid:07d}" for pid in (ids.x, ids.y, ids.z))
    # List 1: one row per child named in each contact in the six months (July's contact is outside)
    assert [(row.child.child_id, row.contact_date) for row in annex.contacts] == [
        (x, INSPECTION),
        (y, INSPECTION),
        (x, INSPECTION),
        (z, INSPECTION),
    ]
    amira = annex.contacts[0]
    assert (*amira.child.cells()[1:], amira.contact_source) == (
        "b) Female",
        "s) NOBT",
        date(2019, 5, 4),
        6,
        "e) 2A: Schools",
    )
    assert annex.contacts[1].child.age is None  # Yusuf's date of birth is not known
    # List 3: Amira's two referrals that day count once; July's referral makes two in 12 months
    (referral,) = annex.referrals
    assert (referral.child.child_id, referral.referral_date, referral.referral_source) == (
        x,
        INSPECTION,
        "e) 2A: Schools",
    )
    assert referral.referrals_last_12_months == 2
    assert referral.referral_nfa == "b) No"
    assert referral.allocated_team == "Assessment Team"
    assert referral.allocated_worker is None
    # List 5: the strategy discussion decided for Amira that day
    (enquiry,) = annex.enquiries
    assert (enquiry.child.child_id, enquiry.strategy_date, enquiry.enquiries_last_12_months) == (x, INSPECTION, 1)
    assert enquiry.disability == "c) Unknown"
    assert annex.early_help == ()


def test_annex_a_workbook_has_exactly_the_columns(world: World, tmp_path: Path) -> None:
    build_returns(world)
    target = tmp_path / "annex-a.xlsx"
    written = export_annex_a(world.auditor, INSPECTION, target)
    assert (written.path, written.contacts, written.referrals) == (target, 4, 1)  # what the window reports
    book = load_workbook(target)
    assert book.sheetnames == ["List 1", "List 2", "List 3", "List 5"]
    assert tuple(c.value for c in book["List 1"][1]) == LIST_1_COLUMNS
    assert tuple(c.value for c in book["List 3"][1]) == LIST_3_COLUMNS
    assert book["List 1"].max_row == 5
    assert book["List 3"].max_row == 2
    assert book["List 3"]["F2"].is_date
    assert book["List 3"]["I2"].value == 2


def test_cin_census_counts_a_same_day_referral_once_and_joins_a_referral_made_while_one_is_open(
    world: World, tmp_path: Path
) -> None:
    ids = build_returns(world)
    census = cin_census(world.maria, 2026, "821")
    (child,) = census.children
    assert child.la_child_id == f"MD{ids.x:07d}"
    # July's referral is still open (the MASH never hears it closed): March's joins it, one episode
    assert [(r.referral_date, r.referral_source, r.primary_need, r.nfa) for r in child.referrals] == [
        (date(2025, 7, 1), "2A", "N1", False),
    ]
    assert (census.referrals, census.episodes) == (2, 1)
    target = tmp_path / "cin.xml"
    written = export_cin_census(world.maria, 2026, "821", target)
    assert (written.path, written.period, written.children) == (target, census.period, 1)
    assert "<Sex>F</Sex>" in target.read_text(encoding="utf-8")


def test_the_2023_24_census_is_valid_against_the_2024_schema(world: World) -> None:
    world.clock.current = datetime(2023, 7, 1, 10, 0, tzinfo=UTC)
    decide(world)
    world.clock.current = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    decide(world, contact_draft(world.clock, child("Zara", "Khan", None, expected_date_of_birth=date(2024, 6, 1))))
    census = cin_census(world.maria, 2024, "821")
    assert len(census.children) == 2
    xmlschema.XMLSchema(str(XSD)).validate(io.BytesIO(census_xml(census)))


def test_census_refuses_bad_input_and_empty_years(world: World) -> None:
    build_returns(world)
    with pytest.raises(InvalidInput) as caught:
        cin_census(world.maria, 2026, "82")
    assert "la" in caught.value.field_errors
    with pytest.raises(NotFound):
        cin_census(world.maria, 2025, "821")
    with pytest.raises(InvalidInput) as caught:
        cin_census(world.maria, 2023, "821")  # 2022-23: a format the export does not know
    assert "for 2023-24 to 2026-27" in caught.value.field_errors["year"]
    with pytest.raises(PermissionRefused):
        cin_census(world.sam, 2026, "821")
    with pytest.raises(PermissionRefused):
        annex_a(world.bea, INSPECTION)
