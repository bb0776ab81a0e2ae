"""A manager clears the decision queue from the keyboard: Ctrl+Shift+U authorises, Ctrl+Shift+B sends
back with comments (the contact's own keys; Ctrl+Enter in the comments box authorises nothing); a
manager who proposed a decision is not offered either, and the service refuses them too."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from mash_desk.domain.enums import ContactStatus, NoteKind, Outcome
from mash_desk.domain.errors import PermissionRefused
from mash_desk.gui.dialogs.text import TextAnswer
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.manager.decisions_page import DecisionsPage
from mash_desk.gui.manager.models import DecisionColumn
from mash_desk.gui.manager.reassign_dialog import ReassignAnswer
from mash_desk.services import decisions
from mash_desk.services.contact_view import open_contact
from mash_desk.services.decisions import DecisionProposal
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL, CTRL_SHIFT, press, type_into
from tests.support import RATIONALE, AuditWatch, World, case_at, child


def decisions_page(desk: Desk, window: MainWindow) -> DecisionsPage:
    """Ctrl+1 opens the Manager area at its first page, the decision queue, read and reviewed."""
    press(desk.qtbot, window.queues, Qt.Key.Key_1, CTRL)
    area = window.manager_area
    assert area is not None
    assert window.workspace.currentWidget() is area
    page = area.decisions
    assert page is not None
    desk.settle()
    desk.qtbot.waitUntil(lambda: page.review.detail is not None or page.model.rowCount() == 0, timeout=15_000)
    desk.settle()
    return page


def review_settled(desk: Desk, page: DecisionsPage, contact_id: int) -> None:
    desk.qtbot.waitUntil(
        lambda: page.review.row is not None and page.review.row.contact_id == contact_id, timeout=15_000
    )
    desk.settle()


def status_of(world: World, contact_id: int) -> ContactStatus:
    return open_contact(world.maria, contact_id).status


def test_authorise_with_ctrl_shift_u_and_send_back_with_ctrl_shift_b(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs  # no dialog may open: the comments are typed beside the evidence
    world = desk.world
    first = case_at(world, ContactStatus.AWAITING_AUTHORISATION, child("Amira", "Hussain"))
    second = case_at(world, ContactStatus.AWAITING_AUTHORISATION, child("Leo", "Brennan"))
    window = desk.window("maria")
    page = decisions_page(desk, window)
    assert page.model.rowCount() == 2
    assert "(Ctrl+Shift+U)" in page.authorise_button.text()  # the shortcuts are on the buttons
    assert "(Ctrl+Shift+B)" in page.return_button.text()
    row = page.current()
    assert row is not None
    review_settled(desk, page, row.contact_id)
    # the rationale and the evidence behind it are on screen, side by side
    assert RATIONALE in page.review.decisions_label.text()
    agency = page.review.agency_table
    summaries = [cell.text() for r in range(agency.rowCount()) if (cell := agency.item(r, agency.columnCount() - 1))]
    assert any("two DA call-outs" in summary for summary in summaries)
    assert "Consent given" in page.review.consent_label.text()
    assert page.authorise_button.isEnabled()

    type_into(desk.qtbot, page.review.comments_edit, "Agreed: assessment is right.")
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_R):  # typing in the box authorises nothing
        press(desk.qtbot, page.review.comments_edit, key, CTRL)
    desk.settle()
    assert status_of(world, row.contact_id) is ContactStatus.AWAITING_AUTHORISATION
    page.review.comments_edit.setPlainText("Agreed: assessment is right.")
    press(desk.qtbot, page.review.comments_edit, Qt.Key.Key_U, CTRL_SHIFT)
    desk.qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=15_000)
    desk.settle()
    authorised = open_contact(world.maria, row.contact_id)
    assert authorised.status is ContactStatus.AUTHORISED
    assert authorised.authorisations[-1].approved
    assert authorised.authorisations[-1].comments == "Agreed: assessment is right."
    assert page.review.comments_edit.toPlainText() == ""
    assert "Authorised" in window.statusBar().currentMessage()

    remaining = {first.id, second.id} - {row.contact_id}
    other = remaining.pop()
    review_settled(desk, page, other)
    press(desk.qtbot, page.review.comments_edit, Qt.Key.Key_B, CTRL_SHIFT)  # no comments: told at the field
    assert page.review.comments_error.isVisible()
    assert "required" in page.review.comments_error.text()
    assert page.review.comments_edit.hasFocus()
    desk.settle()
    assert status_of(world, other) is ContactStatus.AWAITING_AUTHORISATION
    QTest.keyClicks(page.review.comments_edit, "Ask the school for attendance figures first.")
    assert not page.review.comments_error.isVisible()
    press(desk.qtbot, page.review.comments_edit, Qt.Key.Key_B, CTRL_SHIFT)
    desk.qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=15_000)
    desk.settle()
    returned = open_contact(world.maria, other)
    assert returned.status is ContactStatus.RETURNED
    assert returned.authorisations[-1].comments == "Ask the school for attendance figures first."
    assert not returned.authorisations[-1].approved
    assert "No decision is waiting" in page.panel.empty_label.text()
    assert not page.authorise_button.isEnabled()


def test_the_proposer_is_not_offered_authorise_and_the_service_refuses(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    world = desk.world
    case = case_at(world, ContactStatus.SCREENED)
    decisions.propose_decision(
        world.maria, case.id, DecisionProposal(case.child_ids[0], 3, Outcome.CFA_S17, "N1", RATIONALE)
    )
    decisions.submit_for_authorisation(world.maria, case.id)
    window = desk.window("maria")
    page = decisions_page(desk, window)
    review_settled(desk, page, case.id)
    proposer = page.model.index(0, DecisionColumn.PROPOSED_BY)
    assert "YOU" in page.model.data(proposer)
    assert page.review.four_eyes_banner.isVisible()
    assert "four eyes" in page.review.four_eyes_banner.text()
    assert not page.authorise_button.isEnabled()
    assert not page.return_button.isEnabled()
    assert "four eyes" in page.authorise_button.toolTip()
    assert "1 proposed by you" in page.summary_label.text()
    type_into(desk.qtbot, page.review.comments_edit, "Fine by me.")
    press(desk.qtbot, page.review.comments_edit, Qt.Key.Key_U, CTRL_SHIFT)
    desk.settle()
    assert status_of(world, case.id) is ContactStatus.AWAITING_AUTHORISATION
    with pytest.raises(PermissionRefused, match="four eyes"):
        decisions.authorise(world.maria, case.id)
    assert status_of(world, case.id) is ContactStatus.AWAITING_AUTHORISATION

    other_manager = desk.window("mark")  # another manager may, and is offered it
    page = decisions_page(desk, other_manager)
    review_settled(desk, page, case.id)
    assert page.authorise_button.isEnabled()
    assert not page.review.four_eyes_banner.isVisible()


def test_reassign_and_oversight_from_the_review(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    case = case_at(world, ContactStatus.AWAITING_AUTHORISATION)
    window = desk.window("maria")
    page = decisions_page(desk, window)
    review_settled(desk, page, case.id)
    watch = AuditWatch(world.db)
    dialogs.answer("reassign", ReassignAnswer(world.logins["priya"], "Sam is on leave this week."))
    press(desk.qtbot, page.panel.view, Qt.Key.Key_R, CTRL_SHIFT)
    desk.settle()
    workers = [w.display_name for w in dialogs.of("reassign")[0].args[3]]
    assert "Priya Shah" in workers
    assert "PC Dan Jones" not in workers  # only people who can hold MASH work are offered
    assert open_contact(world.maria, case.id).assigned_to == "Priya Shah"
    assert "contact.reassign" in [line.action for line in watch.new()]

    review_settled(desk, page, case.id)  # read again after the change, then on to the oversight note
    dialogs.answer("text", TextAnswer("Checked the threshold with the team: right level."))
    press(desk.qtbot, page.panel.view, Qt.Key.Key_O, CTRL_SHIFT)
    desk.settle()
    notes = open_contact(world.maria, case.id).notes
    assert notes[-1].kind is NoteKind.MANAGEMENT_OVERSIGHT
    assert notes[-1].author == "Maria Lopez"
