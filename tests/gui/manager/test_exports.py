"""The statutory lists from the manager's screen: Annex A and the CIN census are written to the files
chosen, on a worker, with a clear message; a missing LA code is said at its field and nothing is asked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from mash_desk.domain.enums import ContactStatus
from mash_desk.gui.manager.exports_page import ExportsPage
from mash_desk.services import policy
from tests.gui.conftest import Dialogs
from tests.gui.manager.conftest import Bench
from tests.support import case_at, child


def test_annex_a_and_the_cin_census_are_written_from_the_screen(bench: Bench, dialogs: Dialogs, tmp_path: Path) -> None:
    world = bench.world
    case_at(world, ContactStatus.AUTHORISED, child("Amira", "Hussain"))
    case_at(world, ContactStatus.AUTHORISED, child("Leo", "Brennan"), child("Mia", "Brennan"))
    page = ExportsPage(bench.window(world.maria))
    bench.qtbot.addWidget(page)
    page.show()
    assert page.inspection_edit.day() == date(2026, 3, 10)
    assert "11 Sep 2025 to 10 Mar 2026" in page.annex_period_label.text()

    workbook = tmp_path / "annex-a.xlsx"
    dialogs.answer("save", workbook)
    dialogs.answer("notice", None)
    with bench.qtbot.waitSignal(page.exported, timeout=30_000):
        page.annex_button.click()
    assert not page.busy_bar.isVisible()
    book = load_workbook(workbook, read_only=True)
    assert {"List 1", "List 3"} <= set(book.sheetnames)
    assert "List 1 has 3 rows" in page.status_label.text()  # one row per child named
    assert "saved to" in dialogs.of("notice")[0].text()

    page.la_edit.clear()
    page.census_button.click()  # no LA code: said at the field, no save dialog
    assert page.la_error.isVisible()
    assert page.la_edit.property("invalid") is True
    assert not dialogs.of("save")[1:]

    page.la_edit.setText("12")
    census = tmp_path / "cin.xml"
    dialogs.answer("save", census)
    page.census_button.click()
    bench.settle()
    assert page.la_error.isVisible()  # the service's own check, shown at the same field
    assert "three digits" in page.la_error.text()
    assert not census.exists()

    page.la_edit.setText("821")
    dialogs.answer("save", census)
    dialogs.answer("notice", None)
    assert page.year_spin.value() == 2025
    page.year_spin.setValue(2026)
    with bench.qtbot.waitSignal(page.exported, timeout=30_000):
        page.census_button.click()
    written = census.read_text(encoding="utf-8")  # 2025-26: the DfE's rules judge it (tests/exports/test_cin_rules)
    assert "<Year>2026</Year>" in written
    assert "<Sex>" in written
    assert "<GenderCurrent>" not in written
    assert "3 children" in page.status_label.text()


def test_the_census_starts_on_the_hubs_own_la_code(bench: Bench, dialogs: Dialogs, tmp_path: Path) -> None:
    world = bench.world
    case_at(world, ContactStatus.AUTHORISED, child("Amira", "Hussain"))
    policy.set_la_code(world.admin, "821")
    page = ExportsPage(bench.window(world.maria))
    bench.qtbot.addWidget(page)
    page.show()
    bench.settle()
    page.year_spin.setValue(2026)
    assert page.la_edit.text() == "821"  # the manager is not asked for it again
    assert "set by the administrator" in page.la_note.text()
    census = tmp_path / "cin.xml"
    dialogs.answer("save", census)
    dialogs.answer("notice", None)
    with bench.qtbot.waitSignal(page.exported, timeout=30_000):
        page.census_button.click()
    assert dialogs.of("save")[0].args[2].endswith("-821.xml")
    assert "<LEA>821</LEA>" in census.read_text(encoding="utf-8")
