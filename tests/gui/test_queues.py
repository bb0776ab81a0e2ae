"""Working the queues from the keyboard: take the next most urgent contact, search, go to a reference;
and what an agency partner may not read stays withheld."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from mash_desk.cli import main
from mash_desk.domain.enums import Confidentiality, ContactStatus
from mash_desk.gui.app import Workstation
from mash_desk.gui.main_window import MainWindow
from mash_desk.services import intake, screening
from mash_desk.services.queues import Queue
from mash_desk.services.signin import SignedIn
from mash_desk.store.database import default_sqlite_url
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL, CTRL_SHIFT, current_view, open_contact, open_queue, press, type_into
from tests.support import World, case_at, child, contact_draft


def test_take_next_claims_the_most_urgent_unassigned_contact_and_opens_it(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    later = intake.log_contact(world.bea, contact_draft(world.clock, child("Later", "Child")))
    urgent = intake.log_contact(
        world.bea,
        contact_draft(
            world.clock, child("Urgent", "Child"), immediate_danger=True, received_at=world.clock() - timedelta(hours=3)
        ),
    )
    window = desk.window("sam")
    press(desk.qtbot, window.queues, Qt.Key.Key_T, CTRL)  # Ctrl+T
    desk.settle()
    view = current_view(window)
    assert view.contact_id == urgent.id
    assert view.detail is not None
    assert view.detail.assigned_to == "Sam Carter"
    assert "IMMEDIATE DANGER" in view.flags_label.text()
    press(desk.qtbot, view.scroll_area, Qt.Key.Key_T, CTRL)
    desk.settle()
    assert current_view(window).contact_id == later.id
    dialogs.answer("notice", None)
    press(desk.qtbot, window.queues, Qt.Key.Key_T, CTRL)
    desk.settle()
    assert "Nothing unassigned is waiting" in dialogs.of("notice")[0].text()


def test_the_search_box_finds_a_family_across_the_whole_queue(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    world = desk.world
    for family in ("Nowak", "Clarke", "Nowakowski", "Ahmed"):
        intake.log_contact(world.bea, contact_draft(world.clock, child("Sam", family)))
    window = desk.window("priya")
    panel = open_queue(desk, window, "unassigned")
    model = window.queues.queue_models[Queue.UNASSIGNED]
    assert model.rowCount() == 4
    press(desk.qtbot, panel.view, Qt.Key.Key_F, CTRL_SHIFT)
    assert panel.search_edit.hasFocus()
    QTest.keyClicks(panel.search_edit, "nowak")
    QTest.keyClick(panel.search_edit, Qt.Key.Key_Return)
    desk.settle()
    assert sorted(model.row_at(i).children for i in range(model.rowCount())) == ["Sam Nowak", "Sam Nowakowski"]
    assert panel.count_label.text() == "2 contacts matching “nowak”, most urgent first."
    QTest.keyClicks(panel.search_edit, "owski")
    QTest.keyClick(panel.search_edit, Qt.Key.Key_Return)
    desk.settle()
    assert panel.count_label.text() == "1 contact matching “nowakowski”, most urgent first."
    for _letter in "owski":
        QTest.keyClick(panel.search_edit, Qt.Key.Key_Backspace)
    QTest.keyClick(panel.search_edit, Qt.Key.Key_Return)
    desk.settle()
    type_into(desk.qtbot, panel.filter_edit, "kowski")  # the filter narrows what is shown, here and now
    assert panel.proxy.rowCount() == 1


def test_go_to_a_reference_read_out_over_the_phone(desk: Desk, dialogs: Dialogs) -> None:
    case = case_at(desk.world, ContactStatus.SCREENED)
    window = desk.window("sam")
    dialogs.answer("goto", str(case.id))  # just the number works as well as MASH-0000001
    press(desk.qtbot, window.queues, Qt.Key.Key_G, CTRL)
    desk.settle()
    assert current_view(window).contact_id == case.id
    dialogs.answer("goto", "MASH-9999999")
    dialogs.answer("error", None)
    press(desk.qtbot, window.queues, Qt.Key.Key_G, CTRL)
    desk.settle()
    assert "No contact has the reference MASH-9999999" in dialogs.of("error")[0].text()


def test_an_agency_never_reads_another_agencys_restricted_return(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    world = desk.world
    case = case_at(world, ContactStatus.SCREENED)
    health_request = screening.request_agency_checks(world.sam, case.id, ["POLICE", "HEALTH"])[0]
    screening.record_agency_return(
        world.health,
        health_request,
        summary="Mother's mental health referral.",
        nothing_known=False,
        confidentiality=Confidentiality.RESTRICTED,
    )
    police = desk.window("pc_jones")
    view = open_contact(desk, police, case.id)
    table = view.tables["agency_table"]
    cells = [cell.text() for r in range(table.rowCount()) if (cell := table.item(r, table.columnCount() - 1))]
    # a partner agency sees only what was asked of it: not even that health was asked
    assert table.rowCount() == 1
    assert not any("mental health" in cell for cell in cells)
    assert "agency_return" in view.buttons  # and the police's own check is theirs to answer
    # social care sees that health returned something restricted, but not what
    social = open_contact(desk, desk.window("sam"), case.id)
    table = social.tables["agency_table"]
    cells = [cell.text() for r in range(table.rowCount()) if (cell := table.item(r, table.columnCount() - 1))]
    assert any(cell.startswith("Withheld (restricted)") for cell in cells)
    assert not any("mental health" in cell for cell in cells)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_mash_desk_user_sam_signs_straight_in_to_the_embedded_database(
    qapp: QApplication, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = Path(default_sqlite_url().removeprefix("sqlite:///"))
    world.db.dispose()
    shutil.copyfile(str(world.db.url.database), target)
    started: list[SignedIn] = []
    original = Workstation.start_work

    def remember(self: Workstation, session: SignedIn) -> MainWindow:
        started.append(session)
        return original(self, session)

    monkeypatch.setattr(Workstation, "start_work", remember)
    assert main(["--user", "sam", "--quit-after", "3000"]) == 0
    assert [s.actor.username for s in started] == ["sam"]
