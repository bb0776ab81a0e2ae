"""What the window refuses: each refusal says why, where the person is looking, and changes nothing.

Runs on SQLite and PostgreSQL; ``unchanged`` compares every table (the audit trail included) before
and after.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from mash_desk.domain.enums import ConsentStatus, ContactStatus, Outcome, Rag
from mash_desk.gui.dialogs.handoff import HandOffAnswer
from mash_desk.gui.dialogs.rag import RagAnswer
from mash_desk.gui.messages import ErrorChoice
from mash_desk.services import decisions, intake, screening
from mash_desk.services.contact_view import open_contact as open_contact_detail
from mash_desk.services.decisions import DecisionProposal
from mash_desk.services.screening import ConsentDraft
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL, CTRL_SHIFT, fill_valid_contact, new_contact, open_contact, press
from tests.gui.manager.test_decisions import decisions_page, review_settled
from tests.support import RATIONALE, case_at, contact_draft, contact_status, unchanged


def test_an_invalid_nhs_number_is_shown_at_the_field_and_nothing_is_saved(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window = desk.window("sam")
    form = new_contact(desk, window)
    fill_valid_contact(desk.qtbot, form, nhs="123 456 7890")
    with unchanged(desk.world.db, "a contact with an invalid NHS number"):
        with desk.qtbot.waitSignal(form.save_failed, timeout=15_000):
            press(desk.qtbot, form.top["narrative"], Qt.Key.Key_S, CTRL)
        desk.settle()
    message = form.errors.message_at("children.0.nhs_number")
    assert message is not None
    assert "NHS number" in message
    nhs_field = form.child_editors[0].line("nhs_number")
    assert nhs_field.hasFocus()
    assert nhs_field.property("invalid") is True
    assert "Nothing was saved" in form.errors.banner_text()
    # what was typed is all still there
    assert nhs_field.text() == "123 456 7890"
    assert form.child_editors[0].line("given_names").text() == "Ruby"
    assert form.line("referrer_name").text() == "PC Amy Stone"


def test_changing_a_rating_without_a_reason_is_refused_at_the_reason_field(desk: Desk, dialogs: Dialogs) -> None:
    case = case_at(desk.world, ContactStatus.SCREENED)  # rated AMBER already
    window = desk.window("sam")
    view = open_contact(desk, window, case.id)
    dialogs.answer("rag", RagAnswer(Rag.RED, ""), None)  # then the person cancels the second time
    with unchanged(desk.world.db, "a RAG change without a reason"):
        press(desk.qtbot, view.scroll_area, Qt.Key.Key_R, CTRL)
        desk.qtbot.waitUntil(lambda: len(dialogs.of("rag")) == 2, timeout=15_000)
        desk.settle()
    first, second = dialogs.of("rag")
    assert first.errors == {}
    assert "reason" in second.errors
    assert "every change needs a reason" in second.errors["reason"]
    assert second.kwargs["answer"] == RagAnswer(Rag.RED, "")  # the dialog reopens with what was chosen
    # and what was chosen is kept for next time
    assert window.flow.unsent(case.id, "rate") == RagAnswer(Rag.RED, "")


def test_a_hand_off_without_consent_is_refused_with_a_message(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    screening.rate(world.sam, logged.id, Rag.AMBER)
    screening.record_consent(
        world.sam,
        logged.id,
        ConsentDraft(status=ConsentStatus.REFUSED, parent_aware=True, child_views="Does not want social care."),
    )
    decisions.propose_decision(
        world.sam, logged.id, DecisionProposal(logged.child_person_ids[0], 3, Outcome.CFA_S17, "N1", RATIONALE)
    )
    decisions.submit_for_authorisation(world.sam, logged.id)
    decisions.authorise(world.maria, logged.id)
    window = desk.window("sam")
    view = open_contact(desk, window, logged.id)
    assert "hand_off" in view.buttons
    dialogs.answer("handoff", HandOffAnswer(world.teams["Assessment Team"], "Please assess."))
    dialogs.answer("error", ErrorChoice.CLOSE)
    with unchanged(world.db, "a hand-off without consent"):
        press(desk.qtbot, view.scroll_area, Qt.Key.Key_H, CTRL)
        desk.qtbot.waitUntil(lambda: bool(dialogs.of("error")), timeout=15_000)
        desk.settle()
    message = dialogs.of("error")[0].text()
    assert "consent" in message.lower()
    assert "override" in message.lower()
    assert contact_status(world.db, logged.id) is ContactStatus.AUTHORISED


def test_a_manager_cannot_authorise_a_decision_they_proposed(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    logged = intake.log_contact(world.maria, contact_draft(world.clock))
    screening.rate(world.maria, logged.id, Rag.GREEN)
    screening.record_consent(world.maria, logged.id, ConsentDraft(status=ConsentStatus.NOT_POSSIBLE, parent_aware=True))
    decisions.propose_decision(
        world.maria, logged.id, DecisionProposal(logged.child_person_ids[0], 2, Outcome.EARLY_HELP, "N4", RATIONALE)
    )
    decisions.submit_for_authorisation(world.maria, logged.id)
    maria = desk.window("maria")
    view = open_contact(desk, maria, logged.id)
    assert not view.buttons["authorise"].isEnabled()
    assert "four eyes" in view.buttons["authorise"].toolTip()
    with unchanged(world.db, "pressing a switched-off action"):
        press(desk.qtbot, view.scroll_area, Qt.Key.Key_U, CTRL_SHIFT)
        desk.settle()
    mark = desk.window("mark")  # another manager authorises it straight from his decision queue
    page = decisions_page(desk, mark)
    review_settled(desk, page, logged.id)
    page.review.comments_edit.setPlainText("Agreed: early help offer.")
    press(desk.qtbot, page.panel.view, Qt.Key.Key_U, CTRL_SHIFT)
    desk.settle()
    assert contact_status(world.db, logged.id) is ContactStatus.AUTHORISED
    assert open_contact_detail(world.mark, logged.id).authorisations[-1].comments == "Agreed: early help offer."
