"""A contact from intake to an accepted hand-off, driven through the windows as people would.

Sam logs a contact about two children (linking one to her existing record with Ctrl+L), rates it,
records consent and asks the police; PC Jones returns the check from his own queue; Sam decides for
each child and submits; Mark authorises from his decision queue; Sam hands it to the Assessment
Team; Ava accepts it from her team's hand-offs. Every step is a keystroke; dialogs are answered
through their ``ask()``. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from mash_desk.domain.enums import AgencyRequestStatus, Confidentiality, ContactStatus, HandOffStatus, Outcome, Rag
from mash_desk.gui.dialogs.agency import ChecksAnswer, ReturnAnswer
from mash_desk.gui.dialogs.handoff import HandOffAnswer
from mash_desk.gui.dialogs.rag import RagAnswer
from mash_desk.gui.dialogs.text import TextAnswer
from mash_desk.gui.intake_form import IntakeForm
from mash_desk.services import intake
from mash_desk.services.contact_view import open_contact
from mash_desk.services.decisions import DecisionForChildren
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL_SHIFT, act, current_view, open_queue, press, type_into
from tests.gui.manager.test_decisions import decisions_page
from tests.support import child, consent_given, contact_draft

RATIONALE = "Persistent neglect with housing stress; both children need a child and family assessment."


def type_contact(desk: Desk, form: IntakeForm, existing_amira: int) -> None:
    qtbot = desk.qtbot
    amira = form.child_editors[0]
    type_into(qtbot, amira.line("given_names"), "Amira")
    type_into(qtbot, amira.line("family_name"), "Husain")  # a spelling variant of Hussain
    with qtbot.waitSignal(form.matches.searched, timeout=10_000):
        type_into(qtbot, amira.line("date_of_birth"), "04/05/2019")
    assert form.matches.selected() is not None
    assert form.matches.selected().person_id == existing_amira  # type: ignore[union-attr]
    assert form.matches.selected().re_referral  # type: ignore[union-attr]
    press(qtbot, amira.line("date_of_birth"), Qt.Key.Key_L)  # Ctrl+L: one keystroke links her
    assert amira.existing_person_id == existing_amira
    assert "RE-REFERRAL" in amira.linked_label.text()

    press(qtbot, form.add_child_button, Qt.Key.Key_C, CTRL_SHIFT)  # Ctrl+Shift+C: another child
    assert len(form.child_editors) == 2
    yusuf = form.child_editors[1]
    assert yusuf.line("given_names").hasFocus()
    QTest.keyClicks(yusuf.line("given_names"), "Yusuf")
    assert yusuf.line("family_name").text() == "Hussain"  # a brother starts with his sister's family name
    type_into(qtbot, yusuf.line("date_of_birth"), "20/11/2016")
    type_into(qtbot, form.combo("referral_source"), "Schools")
    assert form.combo("referral_source").currentData() == "2A"
    type_into(qtbot, form.line("referrer_name"), "Jo Bell")
    type_into(qtbot, form.line("referrer_agency"), "Hillside Primary School")
    narrative = form.top["narrative"]
    type_into(qtbot, narrative, "Both children arrive hungry and Yusuf has missed 9 days this half term.")
    type_into(qtbot, form.combo("parents_aware"), "Y")


def test_a_contact_from_intake_to_accepted_hand_off(desk: Desk, dialogs: Dialogs) -> None:
    world, qtbot = desk.world, desk.qtbot
    earlier = intake.log_contact(world.sam, contact_draft(world.clock, child("Amira", "Hussain", date(2019, 5, 4))))
    amira_id = earlier.child_person_ids[0]

    # --- Sam logs the contact -----------------------------------------------------------------------
    sam = desk.window("sam")
    press(qtbot, sam.queues, Qt.Key.Key_N)  # Ctrl+N
    form = sam.intake
    assert form is not None
    assert sam.workspace.currentWidget() is form
    type_contact(desk, form, amira_id)
    # saved into her own work, the contact goes straight on to its rating, then consent, then the checks
    dialogs.answer("rag", RagAnswer(Rag.AMBER, ""))
    dialogs.answer("consent", consent_given(world.clock))
    dialogs.answer("checks", ChecksAnswer(("POLICE",), "Any domestic abuse call-outs to the address?"))
    with qtbot.waitSignal(form.contact_saved, timeout=15_000) as saved:
        press(qtbot, form.top["narrative"], Qt.Key.Key_S)  # Ctrl+S
    logged = saved.args[0]
    assert isinstance(logged, intake.LoggedContact)
    assert logged.child_person_ids[0] == amira_id
    assert len(logged.child_person_ids) == 2
    assert logged.re_referral
    assert sam.intake is None
    assert not form.isVisible()
    view = current_view(sam)
    assert view.contact_id == logged.id

    # --- rated, consent recorded, the police asked: one dialog after another ------------------------------
    qtbot.waitUntil(lambda: dialogs.pending("checks") == 0, timeout=15_000)
    desk.settle()
    detail = act(desk, view, Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)
    assert [c.person.name for c in detail.children] == ["Amira Hussain", "Yusuf Hussain"]
    assert detail.rag is Rag.AMBER
    # the dialog was told each rating's due time, and AMBER's is the one now on the contact
    assert dialogs.of("rag")[0].kwargs["deadlines"][Rag.AMBER] == detail.rag_due_at
    assert detail.current_consent is not None
    assert dialogs.of("consent")[0].kwargs["given_by"] is None  # no adult named: nobody guessed
    assert set(dialogs.of("checks")[0].kwargs["ticked"]) == {"POLICE", "HEALTH", "EDUCATION"}  # the usual three
    assert detail.status is ContactStatus.AGENCY_CHECKS
    assert [r.agency_code for r in detail.agency_requests] == ["POLICE"]
    # the practitioner was told when the returns are due and what the consent covers, before ticking
    checks = dialogs.of("checks")[0].kwargs
    assert checks["due_at"] == detail.rag_due_at == detail.agency_requests[0].due_at
    assert checks["consent"] == detail.current_consent

    # --- PC Jones returns the check from his agency's queue ----------------------------------------------
    police = desk.window("pc_jones")
    panel = open_queue(desk, police, "agency")
    assert panel.model.rowCount() == 1
    dialogs.answer("return", ReturnAnswer("Two domestic abuse call-outs in 2025.", False, Confidentiality.SHAREABLE))
    press(qtbot, panel.view, Qt.Key.Key_E, CTRL_SHIFT)
    desk.settle()
    returned = open_contact(world.sam, logged.id).agency_requests[0]
    assert returned.status is AgencyRequestStatus.RETURNED
    assert returned.summary == "Two domestic abuse call-outs in 2025."
    brief = dialogs.of("return")[0].args[1]
    assert brief.reference == logged.reference
    # PC Jones saw whom he was asked about, where to search and who asked: not just names
    assert [(c.name, c.date_of_birth) for c in brief.children] == [
        (c.person.name, c.person.date_of_birth) for c in detail.children
    ]
    assert (brief.address is None) == (detail.household is None)
    assert brief.asked_by == "Sam Carter"
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)

    # --- Sam decides for each child and submits -----------------------------------------------------------
    desk.focus(sam)
    detail = act(desk, view, Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)  # F5: see the police return
    both = tuple(c.person.person_id for c in detail.children)
    dialogs.answer("decision", DecisionForChildren(both, 3, Outcome.CFA_S17, "N1", RATIONALE, submit=True))
    detail = act(desk, view, Qt.Key.Key_D)  # one decision for both, submitted with it
    assert all(c.proposed is not None for c in detail.children)
    shown = dialogs.of("decision")[0]
    assert shown.args[3] == amira_id  # the first child without a decision
    assert shown.kwargs["submit"]  # every check back, consent recorded: submitting starts ticked
    assert detail.status is ContactStatus.AWAITING_AUTHORISATION

    # --- Mark, a manager who proposed nothing here, authorises from his decision queue ------------------------
    mark = desk.window("mark")
    decisions_panel = decisions_page(desk, mark).panel  # Ctrl+1: the one decision queue
    assert [decisions_panel.model.row_at(i).contact_id for i in range(decisions_panel.model.rowCount())] == [logged.id]
    decisions_panel.focus_table()
    press(qtbot, decisions_panel.view, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    desk.settle()
    mark_view = current_view(mark)
    assert mark_view.contact_id == logged.id
    dialogs.answer("text", TextAnswer("Agreed: assessment by the Assessment Team."))
    detail = act(desk, mark_view, Qt.Key.Key_U, CTRL_SHIFT)
    assert detail.status is ContactStatus.AUTHORISED
    assert detail.authorisations[-1].approved

    # --- Sam hands off to the Assessment Team -------------------------------------------------------------
    desk.focus(sam)
    act(desk, view, Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)
    dialogs.answer("handoff", HandOffAnswer(world.teams["Assessment Team"], "Strategy discussion not needed."))
    detail = act(desk, view, Qt.Key.Key_H)
    assert detail.status is ContactStatus.AWAITING_ACCEPTANCE
    assert detail.hand_offs[-1].status is HandOffStatus.PENDING

    # --- Ava accepts it for her team -------------------------------------------------------------------
    ava = desk.window("ava")
    inbox = open_queue(desk, ava, "handoffs")
    assert inbox.model.rowCount() == 1
    dialogs.answer("confirm", True)
    press(qtbot, inbox.view, Qt.Key.Key_K, CTRL_SHIFT)
    desk.settle()
    final = open_contact(world.sam, logged.id)
    assert final.status is ContactStatus.ACCEPTED
    assert final.hand_offs[-1].status is HandOffStatus.ACCEPTED
    assert all(c.person.allocated_team == "Assessment Team" for c in final.children)
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 0)
