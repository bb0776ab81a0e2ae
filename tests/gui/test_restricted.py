"""Restricted records in the window: the break-the-glass prompt wherever a contact is opened, a manager
restricting and lifting from the contact view, and the managers' list of every glass break."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from shiboken6 import Shiboken

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.errors import PermissionRefused
from mash_desk.gui.contact_view import ContactView
from mash_desk.gui.dialogs.restricted import BreakGlassDialog
from mash_desk.gui.dialogs.text import TextAnswer
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.manager.restricted_page import GlassBreakColumn, RestrictedRecordsPage
from mash_desk.services import restrictions
from mash_desk.services.contact_view import open_contact as read_contact
from tests.gui.conftest import Desk, Dialogs, Shown
from tests.gui.helpers import (
    CTRL,
    CTRL_SHIFT,
    act,
    check_model,
    current_view,
    open_contact,
    open_restricted_records,
    press,
)
from tests.support import World, assert_same, audit_lines, case_at, snapshot, unchanged

MARIAS_REASON = "A staff member's child: the protocol applies."
SAMS_REASON = "Duty worker: the police are on the phone about tonight."


def restricted_case(world: World) -> int:
    """A contact Sam logged and nobody has taken yet, restricted by Maria."""
    case = case_at(world, ContactStatus.RECEIVED)
    restrictions.restrict_record(world.maria, contact_id=case.id, reason=MARIAS_REASON)
    return case.id


def open_restricted(desk: Desk, window: MainWindow, contact_id: int) -> ContactView:
    """Open a contact the way every list and Go to does, and wait until the prompt has been answered."""
    view = window.open_contact(contact_id)
    desk.qtbot.waitUntil(
        lambda: not Shiboken.isValid(view) or view.detail is not None or view not in window.contact_views(),
        timeout=15_000,
    )
    desk.settle()
    return view


def contents_shown(view: ContactView) -> bool:
    """Whether the contact's sections (everything it says) are on the screen."""
    contents = view.scroll_area.widget()
    assert contents is not None
    return contents.isVisible()


def glass_breaks(world: World) -> list[restrictions.GlassBreakRow]:
    return restrictions.glass_breaks(world.maria)


def test_sam_breaks_the_glass_with_a_reason_and_is_not_asked_again(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    contact_id = restricted_case(world)
    window = desk.window("sam")
    before = snapshot(world.db)

    def refused_then_says_why(shown: Shown) -> TextAnswer:
        # the service's message at the reason field, what was typed still there, and nothing written
        assert "at least 10 characters" in shown.errors["reason"]
        assert shown.kwargs["answer"] == TextAnswer("need it")
        assert_same(before, snapshot(world.db), "a glass break with too short a reason")
        return TextAnswer(SAMS_REASON)

    dialogs.answer("break_glass", TextAnswer("need it"), refused_then_says_why)
    view = open_restricted(desk, window, contact_id)
    first, _second = dialogs.of("break_glass")
    assert first.kwargs["restricted_by"] == "Maria Lopez"
    assert first.kwargs["kind"] == "contact"
    assert first.errors == {}
    assert view.detail is not None
    assert view.detail.id == contact_id
    assert window.workspace.currentWidget() is view
    assert window.workspace.tabText(window.workspace.indexOf(view)) == view.detail.reference
    assert contents_shown(view)
    # Sam is told the record is restricted, and that managers see his reason
    assert view.restriction_banner.isVisible()
    assert "Restricted by Maria Lopez" in view.restriction_banner.text()
    assert "You broke the glass" in view.restriction_banner.text()
    assert "restrict" not in view.buttons
    assert "lift" not in view.buttons
    (row,) = glass_breaks(world)
    assert (row.who, row.reason) == ("Sam Carter", SAMS_REASON)
    assert [line.action for line in audit_lines(world.db, contact_id=contact_id)][-2:] == [
        "record.break_glass",
        "contact.open",
    ]
    # closed and opened again the same day: no prompt (an unexpected dialog would fail the test)
    press(desk.qtbot, view.scroll_area, Qt.Key.Key_W, CTRL)
    assert view not in window.contact_views()
    again = open_contact(desk, window, contact_id)
    assert again.detail is not None
    assert again.detail.id == contact_id
    assert len(dialogs.of("break_glass")) == 2
    assert len(glass_breaks(world)) == 1


def test_cancel_opens_nothing_and_writes_nothing(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    contact_id = restricted_case(world)
    window = desk.window("sam")
    dialogs.answer("break_glass", None)
    with unchanged(world.db, "a cancelled glass break"):
        view = open_restricted(desk, window, contact_id)
    assert len(dialogs.of("break_glass")) == 1
    assert view not in window.contact_views()  # the tab is gone again
    assert window.workspace.currentWidget() is window.queues
    assert "Not opened" in window.statusBar().currentMessage()


def test_priya_is_still_asked_after_sam_broke_the_glass(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    contact_id = restricted_case(world)
    restrictions.break_glass(world.sam, contact_id=contact_id, reason=SAMS_REASON)
    window = desk.window("priya")
    dialogs.answer("break_glass", None)
    with unchanged(world.db, "Priya's cancelled glass break"):
        open_restricted(desk, window, contact_id)
    (asked,) = dialogs.of("break_glass")
    assert asked.kwargs["restricted_by"] == "Maria Lopez"


def test_go_to_a_reference_asks_too(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    contact_id = restricted_case(world)
    reference = read_contact(world.maria, contact_id).reference
    window = desk.window("sam")
    dialogs.answer("goto", reference)
    dialogs.answer("break_glass", None)
    press(desk.qtbot, window.queues, Qt.Key.Key_G, CTRL)
    desk.qtbot.waitUntil(lambda: len(dialogs.of("break_glass")) == 1, timeout=15_000)
    desk.settle()
    assert window.contact_views() == []


def test_maria_restricts_and_lifts_from_the_contact_view(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    case = case_at(world, ContactStatus.RECEIVED)
    window = desk.window("maria")
    view = open_contact(desk, window, case.id)
    assert not view.restriction_banner.isVisible()
    assert "lift" not in view.buttons
    assert view.buttons["restrict"].text() == "Restrict this record… (Ctrl+Shift+G)"
    before = snapshot(world.db)

    def refused_then_says_why(shown: Shown) -> TextAnswer:
        assert "at least 10 characters" in shown.errors["reason"]
        assert_same(before, snapshot(world.db), "a restriction with too short a reason")
        return TextAnswer(MARIAS_REASON)

    dialogs.answer("text", TextAnswer("staff"), refused_then_says_why)
    detail = act(desk, view, Qt.Key.Key_G, CTRL_SHIFT)
    assert detail.id == case.id
    restricted = dialogs.of("text")[0]
    assert restricted.kwargs["field"] == "reason"
    assert restricted.kwargs["title"] == f"Restrict {detail.reference}"
    (row,) = restrictions.restrictions(world.mark)
    assert (row.restricted_by, row.reason) == ("Maria Lopez", MARIAS_REASON)
    assert view.restriction_banner.isVisible()
    assert view.restriction_banner.text().startswith("Restricted by Maria Lopez on ")
    assert MARIAS_REASON in view.restriction_banner.text()
    assert "restrict" not in view.buttons
    assert view.buttons["lift"].text() == "Lift restriction… (Ctrl+Shift+G)"
    # lifted: the banner goes, and Priya opens it without being asked
    dialogs.answer("text", TextAnswer("The family has moved out of the area."))
    act(desk, view, Qt.Key.Key_G, CTRL_SHIFT)
    lifted = dialogs.of("text")[-1]
    assert "Restricted by Maria Lopez" in lifted.kwargs["intro"]
    assert restrictions.restrictions(world.mark) == []
    assert not view.restriction_banner.isVisible()
    assert "restrict" in view.buttons
    assert "record.unrestrict" in [line.action for line in audit_lines(world.db, contact_id=case.id)]
    priya = open_contact(desk, desk.window("priya"), case.id)
    assert priya.detail is not None
    assert dialogs.of("break_glass") == []


def test_the_managers_page_lists_every_glass_break_newest_first(
    desk: Desk, dialogs: Dialogs, qtmodeltester: ModelTester
) -> None:
    world = desk.world
    contact_id = restricted_case(world)
    restrictions.break_glass(world.priya, contact_id=contact_id, reason="Checking before a strategy discussion.")
    sam = desk.window("sam")
    dialogs.answer("break_glass", TextAnswer(SAMS_REASON))
    open_restricted(desk, sam, contact_id)
    window = desk.window("maria")
    area = window.manager_area
    assert area is not None
    press(desk.qtbot, window.queues, Qt.Key.Key_7, CTRL)  # the Manager menu's seventh page
    desk.settle()
    page = area.tabs.currentWidget()
    assert isinstance(page, RestrictedRecordsPage)
    assert window.workspace.currentWidget() is area
    for model in (page.restrictions_model, page.breaks_model):
        check_model(qtmodeltester, model)
    shown_breaks = [
        page.breaks_panel.proxy.index(row, column).data()
        for row in range(page.breaks_panel.proxy.rowCount())
        for column in (GlassBreakColumn.WHO, GlassBreakColumn.REASON)
    ]
    assert shown_breaks == ["Sam Carter", SAMS_REASON, "Priya Shah", "Checking before a strategy discussion."]
    assert page.restrictions_panel.proxy.index(0, 1).data() == "Maria Lopez"
    assert page.restrictions_panel.proxy.index(0, 3).data() == MARIAS_REASON
    assert "glass has been broken twice;" in page.summary_label.text()
    # the auditor has the page too, as the last of their Reports pages
    auditor = desk.window("aud")
    assert auditor.manager_area is not None
    assert [page.key for page in auditor.manager_area.pages][-1] == "restricted"
    press(desk.qtbot, auditor.queues, Qt.Key.Key_3, CTRL)
    desk.settle()
    assert isinstance(auditor.manager_area.tabs.currentWidget(), RestrictedRecordsPage)


def test_the_page_says_when_nobody_has_broken_the_glass(desk: Desk) -> None:
    restricted_case(desk.world)
    page = open_restricted_records(desk, desk.window("maria"))
    said = page.summary_label.text()
    assert said.startswith("1 record restricted. Nobody has broken the glass;"), said
    assert "0 times" not in said


def test_the_shortcut_list_names_this_persons_pages(desk: Desk, dialogs: Dialogs) -> None:
    window = desk.window("maria")
    dialogs.answer("notice", None)
    press(desk.qtbot, window.queues, Qt.Key.Key_Slash, CTRL)
    (notice,) = dialogs.of("notice")
    text = notice.args[2]
    assert "Ctrl+7\tRestricted records" in text
    assert "Ctrl+Shift+G\tRestrict the contact" in text


def test_the_prompt_is_answered_from_the_keyboard(qtbot: QtBot, dialogs: Dialogs) -> None:
    del dialogs
    dialog = BreakGlassDialog(None, kind="contact", restricted_by="Maria Lopez", restricted_at=datetime.now(UTC))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert "Restricted by Maria Lopez" in dialog.intro_label.text()
    assert "shown to managers" in dialog.intro_label.text()
    assert dialog.text_edit.hasFocus()
    dialog.show_errors({"reason": "Say why, in at least 10 characters: it is audited."})
    assert dialog.errors.message_at("reason") == "Say why, in at least 10 characters: it is audited."
    QTest.keyClicks(dialog.text_edit, SAMS_REASON)
    QTest.keyClick(dialog.text_edit, Qt.Key.Key_Tab)
    button = dialog.ok_button()
    assert button.hasFocus()
    assert button.text() == "Break the glass and open"
    QTest.keyClick(button, Qt.Key.Key_Space)
    assert dialog.result_answer() == TextAnswer(SAMS_REASON)


def test_escape_cancels_the_prompt(qtbot: QtBot, dialogs: Dialogs) -> None:
    del dialogs
    dialog = BreakGlassDialog(None, kind="contact", restricted_by="Maria Lopez", restricted_at=datetime.now(UTC))
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClicks(dialog.text_edit, SAMS_REASON)
    QTest.keyClick(dialog.text_edit, Qt.Key.Key_Escape)
    assert dialog.result_answer() is None


def test_a_view_restricted_while_open_hides_what_it_showed(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    case = case_at(world, ContactStatus.RECEIVED)
    window = desk.window("priya")
    view = open_contact(desk, window, case.id)
    restrictions.restrict_record(world.maria, contact_id=case.id, reason=MARIAS_REASON)
    view.changed_elsewhere()  # what the change feed does when another workstation touches the contact
    desk.qtbot.waitUntil(lambda: view.detail is None, timeout=15_000)
    desk.settle()
    assert current_view(window) is view
    assert not contents_shown(view)
    assert view.buttons == {}
    assert "break the glass" in view.restriction_banner.text()
    assert dialogs.of("break_glass") == []  # never a prompt out of the blue


def test_only_managers_and_auditors_read_the_restriction_the_view_shows(desk: Desk, dialogs: Dialogs) -> None:
    """``restrictions.restriction_of``, the read the contact view makes for those who oversee restrictions."""
    del dialogs
    world = desk.world
    case = case_at(world, ContactStatus.RECEIVED)
    assert restrictions.restriction_of(world.maria, contact_id=case.id) is None
    restriction = restrictions.restrict_record(world.maria, contact_id=case.id, reason=MARIAS_REASON)
    for who in (world.maria, world.mark, world.auditor):
        found = restrictions.restriction_of(who, contact_id=case.id)
        assert found is not None
        assert (found.id, found.restricted_by, found.reason) == (restriction, "Maria Lopez", MARIAS_REASON)
    with pytest.raises(PermissionRefused):
        restrictions.restriction_of(world.sam, contact_id=case.id)
    assert restrictions.restriction_of(world.mark, person_id=case.child_ids[0]) is None
    restrictions.lift_restriction(world.maria, restriction, "The family has moved out of the area.")
    assert restrictions.restriction_of(world.mark, contact_id=case.id) is None
