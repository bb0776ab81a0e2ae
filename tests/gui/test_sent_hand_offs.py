"""A MASH practitioner chases a receiving team from "Hand-offs not accepted" in the work queues (Ctrl+K),
with the same step as the managers' Hand-offs page, and the chase shows in the list at once."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mash_desk.gui.dialogs.text import TextAnswer
from mash_desk.gui.inbox_models import HandOffColumn
from mash_desk.gui.queue_panels import SentHandOffsPanel
from mash_desk.services.contact_view import open_contact as read_contact
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL, open_queue, press
from tests.gui.manager.test_chase import _section_47_handed_off


def test_a_practitioner_chases_a_hand_off_the_team_has_not_accepted(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    contact_id, _handoff_id = _section_47_handed_off(world)
    window = desk.window("sam")
    told: list[str] = []
    window.queues.message.connect(told.append)
    panel = open_queue(desk, window, "sent")
    assert isinstance(panel, SentHandOffsPanel)
    desk.qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=15_000)
    desk.settle()
    # one hand-off reads as one, not "1 hand-off(s)" (issue 15)
    assert panel.count_label.text() == "1 hand-off sent and not yet accepted, the oldest deadline first."
    chased_column = panel.model.index(0, HandOffColumn.CHASED)
    assert panel.model.headerData(HandOffColumn.CHASED, Qt.Orientation.Horizontal) == "Chased by the MASH"
    assert panel.model.data(chased_column) == "not chased"
    assert "(Ctrl+K)" in panel.chase_button.text()

    dialogs.answer("text", TextAnswer("Phoned the duty manager, Ava: will allocate today."))
    press(desk.qtbot, panel.view, Qt.Key.Key_K, CTRL)
    desk.settle()
    assert "Chase Assessment Team" in dialogs.of("text")[0].kwargs["title"]
    chronology = read_contact(world.sam, contact_id).chronology
    assert any(
        e.what == "Chased Assessment Team: Phoned the duty manager, Ava: will allocate today." for e in chronology
    )
    desk.qtbot.waitUntil(lambda: panel.model.rowCount() == 1 and bool(panel.model.row_at(0).chases), timeout=15_000)
    chased = panel.model.data(panel.model.index(0, HandOffColumn.CHASED))
    assert chased.startswith("1×")
    assert "Sam Carter" in chased
    # the column sized for "not chased" grows to show the chase whole, not cut short
    needed = panel.view.sizeHintForColumn(HandOffColumn.CHASED)
    desk.qtbot.waitUntil(lambda: panel.view.columnWidth(HandOffColumn.CHASED) >= needed)
    assert told == [f"Recorded that you chased Assessment Team about {panel.model.row_at(0).reference}."]


def test_the_receiving_team_does_not_see_its_own_hand_off_as_one_to_chase(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    world = desk.world
    _section_47_handed_off(world)
    window = desk.window("sam")
    panel = open_queue(desk, window, "sent")
    desk.qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=15_000)
    receiving = desk.window("ava")  # the Assessment Team: it accepts or rejects from its own inbox
    assert "sent" not in [tab.key for tab in receiving.queues.tab_list]
