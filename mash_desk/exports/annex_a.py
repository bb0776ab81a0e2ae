"""Ofsted inspection Annex A: the contacts (List 1) and referrals (List 3) workbook, with openpyxl.

Sheet names and column headings are exactly Ofsted's; dates are real Excel dates, ages whole numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from mash_desk.domain.periods import Period

LIST_1 = "List 1"
LIST_3 = "List 3"
LIST_1_COLUMNS = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Date of Contact",
    "Contact Source",
)
LIST_3_COLUMNS = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Date of Referral",
    "Referral Source",
    "Referral NFA?",
    "Number of Referrals in Last 12 Months",
    "Allocated Team",
    "Allocated Worker",
)
DATE_FORMAT = "dd/mm/yyyy"


@dataclass(frozen=True)
class ContactRow:
    """List 1: one child named in one contact."""

    child_id: str
    gender: str
    ethnicity: str
    date_of_birth: date | None
    age: int | None
    contact_date: date
    contact_source: str


@dataclass(frozen=True)
class ReferralRow:
    """List 3: one referral of one child (same-day duplicates already removed)."""

    child_id: str
    gender: str
    ethnicity: str
    date_of_birth: date | None
    age: int | None
    referral_date: date
    referral_source: str
    referral_nfa: bool
    referrals_last_12_months: int
    allocated_team: str | None
    allocated_worker: str | None


@dataclass(frozen=True)
class AnnexA:
    period: Period
    generated_at: datetime
    contacts: tuple[ContactRow, ...]
    referrals: tuple[ReferralRow, ...]


def _sheet(workbook: Workbook, title: str, columns: Sequence[str], rows: list[list[object]], dates: set[int]) -> None:
    """One list, streamed (write-only: tens of thousands of rows in seconds, not minutes)."""
    sheet = workbook.create_sheet(title)
    for index, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(len(name) + 4, 40))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    header_font = Font(bold=True, color="FFFFFFFF")
    header_fill = PatternFill("solid", start_color="FF155E75")
    header: list[WriteOnlyCell] = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    for row in rows:
        values: list[object] = list(row)
        for index in dates:
            if values[index] is not None:
                cell = WriteOnlyCell(sheet, value=values[index])
                cell.number_format = DATE_FORMAT
                values[index] = cell
        sheet.append(values)


def write_annex_a(annex: AnnexA, target: Path | BinaryIO) -> None:
    """Write the workbook (List 1 then List 3) to a path or a binary file."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "MASH Desk"
    workbook.properties.title = f"Annex A, {annex.period.first:%d %b %Y} to {annex.period.last:%d %b %Y}"
    workbook.properties.created = annex.generated_at.replace(tzinfo=None, microsecond=0)
    _sheet(
        workbook,
        LIST_1,
        LIST_1_COLUMNS,
        [
            [r.child_id, r.gender, r.ethnicity, r.date_of_birth, r.age, r.contact_date, r.contact_source]
            for r in annex.contacts
        ],
        dates={3, 5},
    )
    _sheet(
        workbook,
        LIST_3,
        LIST_3_COLUMNS,
        [
            [
                r.child_id,
                r.gender,
                r.ethnicity,
                r.date_of_birth,
                r.age,
                r.referral_date,
                r.referral_source,
                "Yes" if r.referral_nfa else "No",
                r.referrals_last_12_months,
                r.allocated_team,
                r.allocated_worker,
            ]
            for r in annex.referrals
        ],
        dates={3, 5},
    )
    workbook.save(target)
