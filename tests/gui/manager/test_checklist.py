"""Is it safe to authorise? The checklist beside the proposal, and an "are you sure" whose reason is kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from mash_desk.domain.enums import Concern, ContactStatus, Outcome, Rag
from mash_desk.domain.review_checks import ReviewPoint, unmet
from mash_desk.gui.dialogs.text import TextAnswer
from mash_desk.services import decisions, intake, screening
from mash_desk.services.contact_view import open_contact
from mash_desk.services.decisions import DecisionProposal
from mash_desk.store.models import AuditEvent
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL_SHIFT, act, press
from tests.gui.helpers import open_contact as open_contact_view
from tests.gui.manager.test_decisions import decisions_page, review_settled
from tests.support import RATIONALE, World, case_at, consent_given, contact_draft


def _stepped_down_domestic_abuse(world: World) -> int:
    """Domestic abuse, stepped down to early help, no agency asked: one point not met."""
    logged = intake.log_contact(world.sam, contact_draft(world.clock, concerns={Concern.DOMESTIC_ABUSE}))
    screening.rate(world.sam, logged.id, Rag.GREEN)
    screening.record_consent(world.sam, logged.id, consent_given(world.clock))
    decisions.propose_decision(
        world.sam, logged.id, DecisionProposal(logged.child_person_ids[0], 2, Outcome.EARLY_HELP, "N1", RATIONALE)
    )
    decisions.submit_for_authorisation(world.sam, logged.id)
    return logged.id


def test_the_checklist_asks_before_authorising_and_keeps_the_reason(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    contact_id = _stepped_down_domestic_abuse(world)
    page = decisions_page(desk, desk.window("maria"))
    review_settled(desk, page, contact_id)
    review = page.review
    assert ReviewPoint.STEP_DOWN_WITH_DOMESTIC_ABUSE in unmet(review.checks)
    text = review.checklist_label.text()
    assert "✓ Consent decision recorded" in text
    assert "✗ A step-down with domestic abuse and no agency check returned" in text
    assert review.checklist_group.title() == "Before you authorise — ⚠ 1 point not met"
    assert review.rag_reason_label.text().startswith("Rated GREEN by Sam Carter")
    assert review.adults_table.rowCount() >= 1  # the household beside the proposal

    dialogs.answer("text", None)  # not sure after all: nothing happens
    press(desk.qtbot, page.panel.view, Qt.Key.Key_U, CTRL_SHIFT)
    desk.settle()
    assert open_contact(world.maria, contact_id).status is ContactStatus.AWAITING_AUTHORISATION
    assert "although the checklist is not met" in dialogs.of("text")[0].kwargs["title"]

    dialogs.answer("text", TextAnswer("Police closed the incident; the school's early help plan covers it."))
    press(desk.qtbot, page.panel.view, Qt.Key.Key_U, CTRL_SHIFT)
    desk.settle()
    detail = open_contact(world.maria, contact_id)
    assert detail.status is ContactStatus.AUTHORISED
    kept = detail.authorisations[-1].comments or ""
    assert kept.startswith("Authorised although: a step-down with domestic abuse and no agency checks returned")
    assert "Why: Police closed the incident" in kept
    with world.db.session() as session:
        audited = session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.action == "decision.authorise", AuditEvent.contact_id == contact_id
            )
        ).all()
    assert any(detail_text and "step_down_with_domestic_abuse" in detail_text for detail_text in audited)


def test_a_complete_contact_is_authorised_without_a_question(desk: Desk, dialogs: Dialogs) -> None:
    case = case_at(desk.world, ContactStatus.AWAITING_AUTHORISATION)
    page = decisions_page(desk, desk.window("maria"))
    review_settled(desk, page, case.id)
    assert unmet(page.review.checks) == ()
    press(desk.qtbot, page.panel.view, Qt.Key.Key_U, CTRL_SHIFT)
    desk.settle()
    assert dialogs.of("text") == []
    assert open_contact(desk.world.maria, case.id).status is ContactStatus.AUTHORISED


def test_the_contact_itself_asks_the_same_before_authorising(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    contact_id = _stepped_down_domestic_abuse(world)
    view = open_contact_view(desk, desk.window("mark"), contact_id)
    dialogs.answer("text", TextAnswer("Early help lead has met the family; police report no further call-outs."))
    dialogs.answer("text", TextAnswer("Agreed."))
    act(desk, view, Qt.Key.Key_U, CTRL_SHIFT)
    titles = [shown.kwargs["title"] for shown in dialogs.of("text")]
    assert "although the checklist is not met" in titles[0]
    kept = open_contact(world.mark, contact_id).authorisations[-1].comments or ""
    assert "Why: Early help lead has met the family" in kept
    assert kept.endswith("Agreed.")
