"""The Partnership area's Supervision and Quarterly pack pages (issue 14), driven from the keyboard;
they live beside the manager's pages' tests to share their bench (a frozen clock, answered dialogs)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from mash_desk.domain.enums import ContactStatus, Role
from mash_desk.gui.manager.dashboard_page import DashboardPage
from mash_desk.gui.partnership.area import pages_for
from mash_desk.gui.partnership.pack_page import QuarterlyPackPage
from mash_desk.gui.partnership.supervision_page import SupervisionPage
from mash_desk.services import contact_view
from mash_desk.services.supervision import recent_supervisions
from tests.gui.conftest import Dialogs
from tests.gui.manager.conftest import Bench
from tests.support import case_at, snapshot

REFLECTION = "Three neglect contacts in a year: each looked low, together they do not."


def _type(widget: QWidget, words: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, words)


def _key(widget: QWidget, key: Qt.Key) -> None:
    QTest.keyClick(widget, key)


def test_a_manager_records_supervision_with_the_keyboard_and_it_lands_in_the_chronology(bench: Bench) -> None:
    world = bench.world
    case = case_at(world, ContactStatus.SCREENED)
    page = SupervisionPage(bench.window(world.maria))
    bench.qtbot.addWidget(page)
    page.show()
    page.reload()
    bench.settle()
    assert "practitioners are overdue" in page.summary_label.text()
    assert page.cards.who.model.rowCount() == 3  # Sam, Priya and Ava, none supervised yet
    qt = bench.qtbot

    # a case with no reflection: said at the field, nothing added
    _type(page.reference_edit, f"mash-{case.id}")
    _type(page.actions_edit, "Ask for a GCP2.")
    _key(page.add_button, Qt.Key.Key_Space)
    assert page.errors.message_at("reflection") is not None
    assert page.case_list.count() == 0
    _type(page.reflection_edit, REFLECTION)
    _key(page.add_button, Qt.Key.Key_Space)
    assert page.errors.message_at("reflection") is None
    assert page.case_list.count() == 1
    assert page.reference_edit.text() == ""

    # no practitioner chosen: the service says so at the field and writes nothing
    before = snapshot(world.db)
    _key(page.save_button, Qt.Key.Key_Space)
    bench.settle()
    assert page.errors.message_at("practitioner") is not None
    assert snapshot(world.db) == before

    _key(page.practitioner_combo, Qt.Key.Key_Down)
    assert page.practitioner_combo.currentText() == "Ava Green"
    _key(page.practitioner_combo, Qt.Key.Key_Down)
    _key(page.practitioner_combo, Qt.Key.Key_Down)
    assert page.practitioner_combo.currentText() == "Sam Carter"
    assert page.supervisor_combo.currentText() == "Maria Lopez"
    with qt.waitSignal(page.saved, timeout=20_000):
        _key(page.save_button, Qt.Key.Key_Space)
    bench.settle()
    assert page.case_list.count() == 0
    assert page.recent.model.rowCount() == 1
    [row] = recent_supervisions(world.maria)
    assert (row.practitioner, row.cases) == ("Sam Carter", 1)
    entries = [e for e in contact_view.open_contact(world.maria, case.id).chronology if REFLECTION in e.what]
    assert len(entries) == 1


def test_an_auditor_sees_supervision_but_has_no_form(bench: Bench) -> None:
    page = SupervisionPage(bench.window(bench.world.auditor))
    bench.qtbot.addWidget(page)
    page.reload()
    bench.settle()
    assert page.form is None
    assert page.cards.who.model.rowCount() == 3
    assert not {spec.key for spec in pages_for(Role.PRACTITIONER)} & {"supervision", "pack"}
    assert {spec.key for spec in pages_for(Role.AUDITOR)} >= {"supervision", "pack"}


def test_the_dashboard_shows_who_is_overdue_for_supervision(bench: Bench) -> None:
    world = bench.world
    page = DashboardPage(bench.window(world.maria))
    bench.qtbot.addWidget(page)
    page.show()
    with bench.qtbot.waitSignal(page.loaded, timeout=20_000):
        page.set_custom(date(2026, 1, 1), date(2026, 3, 10))
    assert page.supervision.who.model.rowCount() == 3
    assert "3 of 3 practitioners overdue" in page.supervision.who.title()
    assert page.supervision.over_time.model.rowCount() == 3  # January, February, March


def test_the_quarterly_pack_is_built_from_the_window(bench: Bench, dialogs: Dialogs, tmp_path: Path) -> None:
    world = bench.world
    case_at(world, ContactStatus.AUTHORISED)
    page = QuarterlyPackPage(bench.window(world.maria))
    bench.qtbot.addWidget(page)
    page.show()
    assert page.quarter() == "2025Q4"  # the last whole quarter first
    _key(page.quarter_combo, Qt.Key.Key_Up)
    assert page.quarter() == "2026Q1"
    target = tmp_path / "pack.pdf"
    dialogs.answer("save", target)
    dialogs.answer("notice", None)
    with bench.qtbot.waitSignal(page.built, timeout=60_000):
        _key(page.build_button, Qt.Key.Key_Space)
    assert target.read_bytes().startswith(b"%PDF")
    for name in ("tables", "charts", "definitions"):
        assert (tmp_path / f"pack-2026Q1-{name}.csv").exists()
    assert "The pack is saved to" in page.status_label.text()
    assert not page.busy_bar.isVisible()
