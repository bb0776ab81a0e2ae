"""Annex A read back through the current template's column map (``shared/reference/annex_a``), as a
council's data team would: exact headings in order, every category cell in its code set, real dates
written dd/mm/yyyy, whole numbers, and no blank where the template wants a value (except what is
documented as the receiving team's: ``exports.annex_a.LEFT_TO_THE_RECEIVING_TEAM``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from mash_desk.domain.annex_a import ETHNICITY_LABELS, GENDERS, SOURCE_LABELS, UNKNOWN, YES, yes_no
from mash_desk.domain.enums import Outcome, Role
from mash_desk.exports.annex_a import LEFT_TO_THE_RECEIVING_TEAM, write_annex_a
from mash_desk.services import admin, handoffs
from mash_desk.services.context import ServiceContext
from mash_desk.services.statutory import annex_a, export_annex_a
from mash_desk.store.database import Database
from mash_desk.tools.demo import generate_demo
from tests.exports.census_cases import _closed_at_the_front_door
from tests.exports.scenario import build_returns
from tests.letters.journeys import decide
from tests.support import World, child, contact_draft

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO.parent / "shared" / "reference" / "annex_a" / "Annex_A_schema.yml"
INSPECTION = date(2026, 3, 10)


def column_map() -> dict[str, dict[str, dict[str, Any]]]:
    found: dict[str, dict[str, dict[str, Any]]] = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))["column_map"]
    return found


def codes(list_name: str, column: str) -> set[str]:
    return {entry["code"] for entry in column_map()[list_name][column]["category"]}


def problems_in(sheet: Worksheet) -> list[str]:
    spec = column_map()[sheet.title]
    headers = [cell.value for cell in sheet[1]]
    problems = [] if headers == list(spec) else [f"{sheet.title}: headings {headers} are not {list(spec)}"]
    allowed_blank = LEFT_TO_THE_RECEIVING_TEAM.get(sheet.title, frozenset())
    for row in sheet.iter_rows(min_row=2):
        for header, cell in zip(headers, row, strict=True):
            column = spec[str(header)]
            where = f"{sheet.title} {cell.coordinate} ({header})"
            if cell.value is None:
                if column.get("canbeblank") is not True and header not in allowed_blank:
                    problems.append(f"{where} is blank")
            elif "category" in column:
                if cell.value not in {entry["code"] for entry in column["category"]}:
                    problems.append(f"{where}: {cell.value!r} is not in the code set")
            elif "date" in column:
                if not (isinstance(cell.value, datetime) and cell.number_format == "dd/mm/yyyy"):
                    problems.append(f"{where}: {cell.value!r} ({cell.number_format}) is not a dd/mm/yyyy date")
            elif "numeric" in column:
                if not isinstance(cell.value, int):
                    problems.append(f"{where}: {cell.value!r} is not a whole number")
            elif not (isinstance(cell.value, str) and cell.value.strip()):
                problems.append(f"{where}: {cell.value!r} is not text")
    return problems


def test_every_label_the_export_can_write_is_in_the_templates_code_sets() -> None:
    for list_name in ("List 1", "List 2", "List 3", "List 5"):
        assert set(GENDERS.values()) <= codes(list_name, "Gender")
        assert set(ETHNICITY_LABELS.values()) <= codes(list_name, "Ethnicity")
    assert set(SOURCE_LABELS.values()) == codes("List 1", "Contact Source") == codes("List 3", "Referral Source")
    assert {yes_no(True), yes_no(False)} == codes("List 3", "Referral NFA?")
    assert {YES, yes_no(False), UNKNOWN} == codes("List 5", "Does the Child have a Disability")
    for list_name, columns in LEFT_TO_THE_RECEIVING_TEAM.items():
        assert columns <= set(column_map()[list_name]), list_name


def _early_help_accepted(world: World) -> None:
    login = world.logins["admin"].replace("admin", "eh_test")
    admin.add_user(
        world.db,
        world.logins["admin"],
        username=login,
        display_name="Erin Brown",
        role=Role.PRACTITIONER,
        agency_code="EARLY_HELP",
        team_name="Early Help Team",
    )
    world.logins["eh_test"] = login
    logged = decide(world, contact_draft(world.clock, child("Lily", "Evans", date(2017, 3, 3))), (Outcome.EARLY_HELP,))
    handoff = handoffs.hand_off(world.sam, logged.id, world.teams["Early Help Team"])
    handoffs.accept_hand_off(world.as_("eh_test"), handoff)


def test_the_workbook_reads_back_through_the_template(world: World, tmp_path: Path) -> None:
    build_returns(world)
    world.clock.current = datetime(2026, 2, 2, 10, 0, tzinfo=UTC)
    zara = _closed_at_the_front_door(world, child("Zara", "Ali", date(2012, 2, 2)))
    _early_help_accepted(world)
    world.clock.current = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
    target = tmp_path / "annex-a.xlsx"
    written = export_annex_a(world.auditor, INSPECTION, target)
    assert (written.contacts, written.early_help, written.referrals, written.enquiries) == (6, 1, 2, 1)
    book = load_workbook(target)
    assert book.sheetnames == ["List 1", "List 2", "List 3", "List 5"]
    for sheet in book.worksheets:
        assert problems_in(sheet) == []
    referrals = {row[0].value: row for row in book["List 3"].iter_rows(min_row=2)}
    assert referrals[f"MD{zara:07d}"][7].value == YES  # closed with no further action at the front door
    assert referrals[f"MD{zara:07d}"][9].value is None  # so no team was allocated
    (early_help,) = book["List 2"].iter_rows(min_row=2)
    assert [c.value for c in early_help[5:]] == [datetime(2026, 2, 4), None, "Early Help Team"]  # the day accepted


def test_a_demo_workbook_reads_back_through_the_template(db: Database, tmp_path: Path) -> None:
    now = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    generate_demo(db, contacts=600, seed=5, now=now)
    annex = annex_a(ServiceContext(db, "aud", clock=lambda: now), now.date())
    assert annex.contacts
    assert annex.referrals
    assert annex.enquiries
    target = tmp_path / "annex-a.xlsx"
    write_annex_a(annex, target)
    for sheet in load_workbook(target).worksheets:
        assert problems_in(sheet) == []
