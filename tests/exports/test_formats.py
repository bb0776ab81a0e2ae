"""The export formats and counting rules on their own (no database)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import xmlschema
from openpyxl import load_workbook

from mash_desk.domain.enums import Outcome
from mash_desk.domain.periods import Period, census_period
from mash_desk.exports.annex_a import (
    LIST_1_COLUMNS,
    LIST_2_COLUMNS,
    LIST_3_COLUMNS,
    LIST_5_COLUMNS,
    AnnexA,
    ChildColumns,
    ContactRow,
    EarlyHelpRow,
    EnquiryRow,
    ReferralRow,
    write_annex_a,
)
from mash_desk.exports.cin_census import CensusChild, CensusReferral, CensusReturn, census_xml
from mash_desk.exports.referrals import (
    age_in_years,
    child_unique_id,
    is_re_referral,
    referral_days,
    referral_nfa,
    referrals_in_last_12_months,
)

REPO = Path(__file__).resolve().parents[2]
XSD = REPO.parent / "shared" / "reference" / "CIN_schema_2024.xsd"


def test_referral_counting_rules() -> None:
    days = referral_days(
        [(1, date(2025, 3, 10)), (1, date(2026, 3, 10)), (1, date(2026, 3, 10)), (2, date(2026, 1, 1))]
    )
    assert days == {1: [date(2025, 3, 10), date(2026, 3, 10)], 2: [date(2026, 1, 1)]}
    assert referrals_in_last_12_months(days[1], date(2026, 3, 10)) == 2  # the same date a year before is inside
    assert referrals_in_last_12_months(days[1], date(2026, 3, 11)) == 1
    assert is_re_referral(days[1], date(2026, 3, 10))
    assert not is_re_referral(days[2], date(2026, 1, 1))
    assert not referral_nfa(Outcome.CFA_S17)
    assert child_unique_id(42, None) == "MD0000042"
    assert child_unique_id(42, " LA-77 ") == "LA-77"
    assert age_in_years(date(2019, 5, 4), date(2026, 5, 3)) == 6
    assert age_in_years(date(2019, 5, 4), date(2026, 5, 4)) == 7
    assert age_in_years(None, date(2026, 5, 4)) is None
    assert age_in_years(date(2026, 6, 1), date(2026, 5, 4)) is None


def test_annex_a_workbook_layout() -> None:
    amira = ChildColumns("MD0000001", "b) Female", "a) WBRI", date(2019, 5, 4), 6)
    unborn = ChildColumns("MD0000002", "c) Not stated/recorded", "s) NOBT", None, None)
    annex = AnnexA(
        period=Period(date(2025, 9, 11), date(2026, 3, 10)),
        generated_at=datetime(2026, 3, 10, 10, 0, tzinfo=UTC),
        contacts=(ContactRow(amira, date(2026, 3, 10), "e) 2A: Schools"),),
        referrals=(ReferralRow(unborn, date(2026, 3, 10), "e) 2A: Schools", "b) No", 1, "Assessment Team", None),),
        early_help=(EarlyHelpRow(amira, date(2026, 3, 1), "Early Help Team"),),
        enquiries=(EnquiryRow(amira, "b) No", date(2026, 3, 9), 2, None, None),),
    )
    buffer = io.BytesIO()
    write_annex_a(annex, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == ["List 1", "List 2", "List 3", "List 5"]
    list1, list2, list3, list5 = (book[name] for name in book.sheetnames)
    assert tuple(cell.value for cell in list1[1]) == LIST_1_COLUMNS
    assert tuple(cell.value for cell in list2[1]) == LIST_2_COLUMNS
    assert tuple(cell.value for cell in list3[1]) == LIST_3_COLUMNS
    assert tuple(cell.value for cell in list5[1]) == LIST_5_COLUMNS
    assert list1["D2"].value == datetime(2019, 5, 4)
    assert list1["D2"].is_date
    assert list1["E2"].value == 6
    assert list2["F2"].value == datetime(2026, 3, 1)
    assert list2["G2"].value is None
    assert list3["H2"].value == "b) No"
    assert list3["I2"].value == 1
    assert list3["J2"].value == "Assessment Team"
    assert list3["D2"].value is None
    assert list5["G2"].is_date
    assert list5["K2"].value == 2
    assert list5["L2"].value is None  # ICPCs: the receiving team's


def _census(year: int) -> CensusReturn:
    first = census_period(year).first
    return CensusReturn(
        year=year,
        la_code="821",
        period=census_period(year),
        generated_at=datetime(year, 4, 2, 9, 30, 15, 123456),
        release="0.1.0",
        children=(
            CensusChild(
                "MD0000001",
                "A123456789012",
                date(2015, 5, 4),
                None,
                "2" if year < 2025 else "F",
                "WBRI",
                ("NONE",),
                (
                    CensusReferral(first.replace(month=6), "2A", "N1", True, first.replace(month=6, day=3), "RC8"),
                    CensusReferral(first.replace(month=10), "6", None, False),
                ),
            ),
            CensusChild(
                "MD0000002",
                None,
                None,
                date(year, 5, 1),
                "0" if year < 2025 else "U",
                "NOBT",
                (),
                (CensusReferral(date(year, 3, 1), "3B", "N4", False),),
                upn_unknown="UN1",
            ),
        ),
    )


def test_census_xml_2023_24_is_valid_against_the_2024_schema() -> None:
    document = census_xml(_census(2024))
    schema = xmlschema.XMLSchema(str(XSD))
    schema.validate(io.BytesIO(document))
    text = document.decode()
    assert "<ReferenceDate>2024-03-31</ReferenceDate>" in text
    assert "<DateTime>2024-04-02T09:30:15</DateTime>" in text
    assert text.count("<CINdetails>") == 3
    assert text.count("<GenderCurrent>") == 2
    assert "<Sex>" not in text
    assert "<CINclosureDate>2023-06-03</CINclosureDate>\n        <ReasonForClosure>RC8</ReasonForClosure>" in text
    assert "<UPNunknown>UN1</UPNunknown>" in text


def test_census_xml_from_2024_25_carries_sex() -> None:
    text = census_xml(_census(2026)).decode()
    assert "<GenderCurrent>" not in text
    assert "<Sex>F</Sex>" in text
    assert (
        "<UPNunknown>UN1</UPNunknown>\n        <ExpectedPersonBirthDate>2026-05-01</ExpectedPersonBirthDate>\n" in text
    )
    assert "<Sex>U</Sex>" in text
