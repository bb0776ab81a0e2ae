"""Ofsted inspection Annex A (ILACS): the lists the MASH's data fills, as a workbook, with openpyxl.

List 1 (contacts), List 2 (early help, where the Early Help Team accepted the hand-off), List 3
(referrals) and List 5 (section 47: children whose decision was a strategy discussion). Sheet names,
column headings and the category cells' code sets are the current template's (``domain.annex_a``);
dates are real Excel dates, ages and counts whole numbers. Lists 4 and 6 to 11 (assessments, CIN,
child protection and looked-after children) are the receiving teams' records, not the front door's.
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
LIST_2 = "List 2"
LIST_3 = "List 3"
LIST_5 = "List 5"
_CHILD = ("Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)")
LIST_1_COLUMNS = (*_CHILD, "Date of Contact", "Contact Source")
LIST_2_COLUMNS = (
    *_CHILD,
    "Assessment start date",
    "Assessment completion date",
    "Organisation completing assessment",
)
LIST_3_COLUMNS = (
    *_CHILD,
    "Date of referral",
    "Referral Source",
    "Referral NFA?",
    "Number of Referrals in Last 12 Months",
    "Allocated Team",
    "Allocated Worker",
)
LIST_5_COLUMNS = (
    *_CHILD,
    "Does the Child have a Disability",
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Date of Initial Child Protection Conference",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    "Number of Section 47 Enquiries in the last 12 months",
    "Number of ICPCs in the last 12 months",
    "Allocated Team",
    "Allocated Worker",
)
# What the front door cannot know, left blank for the receiving team's system (conference dates and
# outcomes), and who holds the case while no team has accepted it yet
LEFT_TO_THE_RECEIVING_TEAM: dict[str, frozenset[str]] = {
    LIST_2: frozenset({"Assessment completion date"}),
    LIST_3: frozenset({"Allocated Team", "Allocated Worker"}),
    LIST_5: frozenset(
        {
            "Was an Initial Child Protection Conference deemed unnecessary?",
            "Date of Initial Child Protection Conference",
            "Did the Initial Child Protection Conference Result in a Child Protection Plan",
            "Number of ICPCs in the last 12 months",
            "Allocated Team",
            "Allocated Worker",
        }
    ),
}
DATE_FORMAT = "dd/mm/yyyy"


@dataclass(frozen=True)
class ChildColumns:
    """The five columns every list starts with (labels already in the template's code sets)."""

    child_id: str
    gender: str
    ethnicity: str
    date_of_birth: date | None
    age: int | None

    def cells(self) -> list[object]:
        return [self.child_id, self.gender, self.ethnicity, self.date_of_birth, self.age]


@dataclass(frozen=True)
class ContactRow:
    """List 1: one child named in one contact."""

    child: ChildColumns
    contact_date: date
    contact_source: str


@dataclass(frozen=True)
class EarlyHelpRow:
    """List 2: a child the Early Help Team took on from the MASH."""

    child: ChildColumns
    start_date: date
    organisation: str


@dataclass(frozen=True)
class ReferralRow:
    """List 3: one referral of one child (same-day duplicates already removed)."""

    child: ChildColumns
    referral_date: date
    referral_source: str
    referral_nfa: str
    referrals_last_12_months: int
    allocated_team: str | None
    allocated_worker: str | None


@dataclass(frozen=True)
class EnquiryRow:
    """List 5: a child whose authorised decision was a strategy discussion (section 47)."""

    child: ChildColumns
    disability: str
    strategy_date: date
    enquiries_last_12_months: int
    allocated_team: str | None
    allocated_worker: str | None


@dataclass(frozen=True)
class AnnexA:
    period: Period
    generated_at: datetime
    contacts: tuple[ContactRow, ...]
    referrals: tuple[ReferralRow, ...]
    early_help: tuple[EarlyHelpRow, ...] = ()
    enquiries: tuple[EnquiryRow, ...] = ()


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
    """Write the workbook (Lists 1, 2, 3 and 5) to a path or a binary file."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "MASH Desk"
    workbook.properties.title = f"Annex A, {annex.period.first:%d %b %Y} to {annex.period.last:%d %b %Y}"
    workbook.properties.created = annex.generated_at.replace(tzinfo=None, microsecond=0)
    _sheet(
        workbook,
        LIST_1,
        LIST_1_COLUMNS,
        [[*r.child.cells(), r.contact_date, r.contact_source] for r in annex.contacts],
        dates={3, 5},
    )
    _sheet(
        workbook,
        LIST_2,
        LIST_2_COLUMNS,
        [[*r.child.cells(), r.start_date, None, r.organisation] for r in annex.early_help],
        dates={3, 5, 6},
    )
    _sheet(
        workbook,
        LIST_3,
        LIST_3_COLUMNS,
        [
            [
                *r.child.cells(),
                r.referral_date,
                r.referral_source,
                r.referral_nfa,
                r.referrals_last_12_months,
                r.allocated_team,
                r.allocated_worker,
            ]
            for r in annex.referrals
        ],
        dates={3, 5},
    )
    _sheet(
        workbook,
        LIST_5,
        LIST_5_COLUMNS,
        [
            [
                *r.child.cells(),
                r.disability,
                r.strategy_date,
                None,
                None,
                None,
                r.enquiries_last_12_months,
                None,
                r.allocated_team,
                r.allocated_worker,
            ]
            for r in annex.enquiries
        ],
        dates={3, 6, 8},
    )
    workbook.save(target)
