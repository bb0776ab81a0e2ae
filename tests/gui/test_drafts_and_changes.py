"""The intake draft survives a closed tab and a closed window; other workstations' changes show up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from mash_desk.domain.enums import Gender, Rag
from mash_desk.gui.intake_draft import DraftFile
from mash_desk.services import intake, screening
from mash_desk.services.context import ServiceContext
from mash_desk.services.drafts import ChildDraft
from mash_desk.services.queues import Queue
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL, fill_valid_contact, new_contact, open_contact, press, type_into
from tests.support import contact_draft


@pytest.mark.parametrize("backend", ["sqlite"])  # a file on this computer, whatever the database
def test_a_half_typed_contact_comes_back_after_the_tab_and_the_window_close(desk: Desk, dialogs: Dialogs) -> None:
    qtbot = desk.qtbot
    window = desk.window("sam")
    form = new_contact(desk, window)
    fill_valid_contact(qtbot, form, nhs="943 476 5919")
    second = form.add_child(focus=True)
    type_into(qtbot, second.line("given_names"), "Half-typ")
    type_into(qtbot, second.line("date_of_birth"), "31/0")  # not a date yet: kept exactly as typed
    press(qtbot, second.line("date_of_birth"), Qt.Key.Key_W, CTRL)  # Ctrl+W closes the tab
    assert window.intake is None
    assert window.draft_file.exists()

    dialogs.answer("draft", True)  # "Carry on with it"
    restored = new_contact(desk, window)
    assert restored is not form
    assert len(restored.child_editors) == 2
    assert restored.child_editors[0].line("nhs_number").text() == "943 476 5919"
    assert restored.child_editors[1].line("given_names").text() == "Half-typ"
    assert restored.child_editors[1].line("date_of_birth").text() == "31/0"
    assert restored.line("referrer_name").text() == "PC Amy Stone"
    assert restored.combo("referral_source").currentData() == "6"
    assert restored.notice_label.isVisible()

    type_into(qtbot, restored.line("whereabouts"), "At school")
    window.close()  # closing the window keeps it too
    again = DraftFile("sam").load()
    assert again is not None
    assert again.state["top"]["whereabouts"] == "At school"

    other = desk.window("sam")
    dialogs.answer("draft", False)  # "Start again and discard it"
    fresh = new_contact(desk, other)
    assert fresh.child_editors[0].line("given_names").text() == ""
    assert not DraftFile("sam").exists()


def test_changes_at_another_workstation_appear_within_seconds(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    world = desk.world
    window = desk.window("priya", watch_changes=True)
    unassigned = window.queues.queue_models[Queue.UNASSIGNED]
    open_one = intake.log_contact(
        ServiceContext(world.db, world.logins["bea"]),
        contact_draft(world.clock, received_at=world.clock() - timedelta(hours=1)),
    )
    view = open_contact(desk, window, open_one.id)
    # another workstation (real time, as a real one would be) logs a contact and rates the open one
    elsewhere = ServiceContext(world.db, world.logins["sam"])
    draft = contact_draft(
        world.clock,
        ChildDraft(given_names="Kai", family_name="Nguyen", date_of_birth=date(2018, 1, 2), gender=Gender.MALE),
    )
    draft.received_at = elsewhere.now() - timedelta(minutes=5)
    logged = intake.log_contact(ServiceContext(world.db, world.logins["bea"]), draft)
    screening.rate(elsewhere, open_one.id, Rag.RED)

    def shows_new_contact() -> bool:
        return unassigned.row_of(logged.id) is not None

    desk.qtbot.waitUntil(shows_new_contact, timeout=8_000)
    desk.qtbot.waitUntil(lambda: view.detail is not None and view.detail.rag is Rag.RED, timeout=8_000)
    assert view.updated_banner.isVisible()
    row = unassigned.row_at(unassigned.row_of(logged.id) or 0)
    assert row.children == "Kai Nguyen"
