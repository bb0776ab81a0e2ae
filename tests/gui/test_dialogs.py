"""The action dialogs themselves, driven by keyboard: what they offer, what they answer, and
where they show a refused field's message."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from mash_desk.domain.enums import ConsentStatus, LevelOfNeed, Outcome, OverrideBasis, Rag, TeamKind
from mash_desk.domain.thresholds import OUTCOMES_BY_LEVEL
from mash_desk.gui.dialogs.agency import AgencyChecksDialog, AgencyReturnDialog
from mash_desk.gui.dialogs.conflict import ConflictChoice, ConflictDialog
from mash_desk.gui.dialogs.consent import ConsentDialog
from mash_desk.gui.dialogs.decision import ChildChoice, DecisionDialog
from mash_desk.gui.dialogs.handoff import HandOffAnswer, HandOffDialog
from mash_desk.gui.dialogs.rag import RagAnswer, RagDialog
from mash_desk.gui.dialogs.text import TextAnswer, TextDialog
from mash_desk.gui.messages import ErrorChoice, ErrorDialog
from mash_desk.gui.widgets import set_combo_value
from mash_desk.gui.words import when
from mash_desk.services.agency_brief import ChildAsked, ReturnBrief
from mash_desk.services.contact_view import ConsentRow
from mash_desk.services.decisions import DecisionForChildren
from mash_desk.services.handoffs import ReceivingTeam, suggested_receiving_team
from mash_desk.services.screening import ConsentDraft
from tests.gui.helpers import type_into

AGENCIES = [("POLICE", "Police"), ("HEALTH", "Health"), ("EDUCATION", "Education")]
MANAGERS = [("maria", "Maria Lopez"), ("mark", "Mark Evans")]


def shown(qtbot: QtBot, dialog: QDialog) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def ok(qtbot: QtBot, dialog: RagDialog | TextDialog | HandOffDialog | DecisionDialog) -> None:
    QTest.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)


def test_the_rating_dialog_answers_from_the_keyboard_and_shows_the_reason_message(qtbot: QtBot) -> None:
    dialog = RagDialog(None, "MASH-0000042", Rag.AMBER)
    shown(qtbot, dialog)
    assert dialog.radios[Rag.AMBER].hasFocus()  # the dialog opens on the current rating
    QTest.keyClick(dialog.radios[Rag.AMBER], Qt.Key.Key_Up)  # the arrow moves to RED
    assert dialog.radios[Rag.RED].isChecked()
    dialog.show_errors({"reason": "Say why the rating is changing: every change needs a reason."})
    assert dialog.errors.message_at("reason") == "Say why the rating is changing: every change needs a reason."
    assert dialog.reason_edit.hasFocus()
    QTest.keyClicks(dialog.reason_edit, "Disclosure of being hit at home.")
    ok(qtbot, dialog)
    assert dialog.result_answer() == RagAnswer(Rag.RED, "Disclosure of being hit at home.")


def test_ctrl_enter_in_a_text_box_accepts_the_dialog(qtbot: QtBot) -> None:
    dialog = RagDialog(None, "MASH-0000042", None)
    shown(qtbot, dialog)
    QTest.keyClick(dialog.radios[Rag.RED], Qt.Key.Key_Space)
    dialog.reason_edit.setFocus()
    QTest.keyClicks(dialog.reason_edit, "Disclosure at school.")
    QTest.keyClick(dialog.reason_edit, Qt.Key.Key_Return)  # a new line, as in any text box
    QTest.keyClicks(dialog.reason_edit, "Police informed.")
    assert dialog.result() != QDialog.DialogCode.Accepted
    QTest.keyClick(dialog.reason_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result_answer() == RagAnswer(Rag.RED, "Disclosure at school.\nPolice informed.")


def test_the_rating_dialog_says_when_each_rating_would_be_due(qtbot: QtBot) -> None:
    received = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    deadlines = {
        Rag.RED: received + timedelta(hours=4),
        Rag.AMBER: received + timedelta(hours=24),
        Rag.GREEN: received + timedelta(days=3),
    }
    dialog = RagDialog(None, "MASH-0000042", None, deadlines)
    shown(qtbot, dialog)
    assert dialog.radios[Rag.RED].text().endswith("due by Tue 10 Mar 2026 13:00")
    assert dialog.radios[Rag.AMBER].text().endswith("due by Wed 11 Mar 2026 09:00")
    assert dialog.radios[Rag.GREEN].text().endswith("due by Fri 13 Mar 2026 09:00")


def test_the_decision_dialog_offers_only_outcomes_that_fit_the_level(qtbot: QtBot) -> None:
    children = [ChildChoice(1, "Amira Hussain", ""), ChildChoice(2, "Yusuf Hussain", "Proposed by Sam: Level 2")]
    dialog = DecisionDialog(None, "MASH-0000042", children, 2)
    shown(qtbot, dialog)
    assert dialog.child_combo.currentData() == 2
    assert dialog.current_label.text() == "Proposed by Sam: Level 2"
    set_combo_value(dialog.level_combo, int(LevelOfNeed.ACUTE))
    offered = {dialog.outcome_combo.itemData(i) for i in range(1, dialog.outcome_combo.count())}
    assert offered == set(OUTCOMES_BY_LEVEL[LevelOfNeed.ACUTE])
    assert Outcome.NFA not in offered
    set_combo_value(dialog.outcome_combo, Outcome.STRATEGY_S47)
    set_combo_value(dialog.primary_need_combo, "N1")
    type_into(qtbot, dialog.rationale_edit, "A child disclosed being hit with a belt; strategy discussion today.")
    ok(qtbot, dialog)
    answer = dialog.result_answer()
    assert answer == DecisionForChildren(
        (2,), 4, Outcome.STRATEGY_S47, "N1", "A child disclosed being hit with a belt; strategy discussion today."
    )


def test_the_consent_dialog_records_an_override_with_its_basis_and_manager(qtbot: QtBot) -> None:
    dialog = ConsentDialog(None, "MASH-0000042", AGENCIES, MANAGERS, date(2026, 3, 10))
    shown(qtbot, dialog)
    draft = ConsentDraft(
        status=ConsentStatus.NOT_SOUGHT,
        parent_aware=False,
        parent_not_aware_reason="Telling the mother's partner could put the children at risk.",
        override=True,
        override_basis=OverrideBasis.VITAL_INTERESTS,
        override_reason="Seeking consent would put the child at risk.",
        override_authorised_by="mark",
    )
    dialog.set_answer(draft)
    assert not dialog.given_group.isEnabled()  # who gave consent only matters when it was given
    assert dialog.answer() == draft
    set_combo_value(dialog.status_combo, ConsentStatus.GIVEN)
    assert dialog.given_group.isEnabled()
    assert not dialog.override_group.isChecked()  # consent given needs no override


def test_the_consent_dialog_shows_every_field_whole_at_its_default_size(qtbot: QtBot) -> None:
    dialog = ConsentDialog(None, "MASH-0000042", AGENCIES, MANAGERS, date(2026, 3, 10))
    shown(qtbot, dialog)
    cut = [
        widget.objectName()
        for widget in dialog.findChildren(QWidget)
        if isinstance(widget, QLabel | QLineEdit | QComboBox | QCheckBox)
        and widget.isVisible()
        and not (isinstance(widget, QLabel) and widget.wordWrap())
        and widget.width() < widget.sizeHint().width()
    ]
    assert cut == []
    assert dialog.ok_button().text() == "Record consent"  # not the threshold decision's "Record decision"


def test_consent_given_covers_the_agencies_ticked_or_all_agencies_said_so(qtbot: QtBot) -> None:
    dialog = ConsentDialog(None, "MASH-0000042", AGENCIES, MANAGERS, date(2026, 3, 10))
    shown(qtbot, dialog)
    set_combo_value(dialog.status_combo, ConsentStatus.GIVEN)
    assert not dialog.all_agencies_check.isChecked()  # nothing ticked is never taken to mean everyone
    assert dialog.answer().scope == []
    assert not dialog.answer().all_agencies
    dialog.scope_list.item(1).setCheckState(Qt.CheckState.Checked)
    assert dialog.answer().scope == ["HEALTH"]
    QTest.keyClick(dialog.status_combo, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # Alt+A: all agencies
    qtbot.waitUntil(dialog.all_agencies_check.isChecked)  # a mnemonic clicks the box after a short animation
    assert not dialog.scope_list.isEnabled()
    answer = dialog.answer()
    assert answer.all_agencies
    assert answer.scope == []
    # refused consent covers no one: the agencies cannot be chosen
    set_combo_value(dialog.status_combo, ConsentStatus.REFUSED)
    assert not dialog.all_agencies_check.isEnabled()
    assert not dialog.scope_list.isEnabled()
    assert not dialog.answer().all_agencies
    dialog.show_errors({"scope": "Tick the agencies the consent covers, or choose All agencies."})
    assert dialog.errors.message_at("scope") == "Tick the agencies the consent covers, or choose All agencies."


TEAMS = [
    ReceivingTeam(2, "Assessment Team", TeamKind.ASSESSMENT),
    ReceivingTeam(3, "Early Help Team", TeamKind.EARLY_HELP),
    ReceivingTeam(4, "Child Protection Team", TeamKind.CHILD_PROTECTION),
]


def test_a_hand_off_starts_on_the_team_the_most_urgent_outcome_goes_to(qtbot: QtBot) -> None:
    # a section 47 for one child and early help for a sibling: child protection first
    suggested = suggested_receiving_team(TEAMS, [Outcome.EARLY_HELP, Outcome.STRATEGY_S47])
    assert suggested == 4
    dialog = HandOffDialog(None, "MASH-0000042", TEAMS, "", suggested)
    shown(qtbot, dialog)
    ok(qtbot, dialog)
    assert dialog.result_answer() == HandOffAnswer(4, "")
    # nothing to go on, or two teams of the kind: the person chooses
    assert suggested_receiving_team(TEAMS, [Outcome.MARAC]) is None
    two = [*TEAMS, ReceivingTeam(5, "Assessment Team North", TeamKind.ASSESSMENT)]
    assert suggested_receiving_team(two, [Outcome.CFA_S17]) is None


def test_a_hand_off_needs_a_team_and_says_so_at_the_team(qtbot: QtBot) -> None:
    dialog = HandOffDialog(None, "MASH-0000042", TEAMS, "")
    shown(qtbot, dialog)
    ok(qtbot, dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.errors.message_at("team") == "Choose the team that will take the case."
    set_combo_value(dialog.team_combo, 3)
    ok(qtbot, dialog)
    assert dialog.result_answer() == HandOffAnswer(3, "")


def test_a_required_reason_cannot_be_left_blank(qtbot: QtBot) -> None:
    dialog = TextDialog(
        None, title="Reject", intro="", caption="&Why?", ok_text="Reject", field="reason", required=True
    )
    shown(qtbot, dialog)
    ok(qtbot, dialog)
    assert dialog.errors.message_at("reason") == "Write something here before saving."
    QTest.keyClicks(dialog.text_edit, "Not our area: the family lives in Bedford.")
    ok(qtbot, dialog)
    assert dialog.result_answer() == TextAnswer("Not our area: the family lives in Bedford.")


def test_agencies_already_asked_are_not_offered_again(qtbot: QtBot) -> None:
    dialog = AgencyChecksDialog(None, "MASH-0000042", AGENCIES, {"HEALTH"})
    shown(qtbot, dialog)
    items = [dialog.agencies_list.item(i).text() for i in range(dialog.agencies_list.count())]
    assert items == ["Police", "Education"]
    assert "Already asked and not replied yet: Health." in dialog.due_label.text()
    dialog.agencies_list.item(0).setCheckState(Qt.CheckState.Checked)
    assert dialog.answer().agency_codes == ("POLICE",)


def consent_row(scope: tuple[str, ...], *, status: ConsentStatus = ConsentStatus.GIVEN) -> ConsentRow:
    at = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    return ConsentRow(
        1, status, "Layla Hussain", "mother", at.date(), "by phone", scope,
        tuple(code.title() for code in scope), True, None, None, False, None, None, None,
        "Sam Carter", at,
    )  # fmt: skip


def test_asking_agencies_says_when_returns_are_due_and_what_consent_covers(qtbot: QtBot) -> None:
    due = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
    dialog = AgencyChecksDialog(
        None, "MASH-0000042", AGENCIES, set(), due_at=due, rag=Rag.RED, consent=consent_row(("POLICE",))
    )
    shown(qtbot, dialog)
    assert f"due by {when(due)}, the contact's RED deadline" in dialog.due_label.text()
    assert dialog.consent_label.text() == "Consent was given by Layla Hussain for these agencies only: Police."
    # the agencies consent does not cover are said so, and cannot be ticked (the request would be refused)
    items = [dialog.agencies_list.item(i) for i in range(dialog.agencies_list.count())]
    assert [item.text() for item in items] == [
        "Police",
        "Health — not covered by the consent",
        "Education — not covered by the consent",
    ]
    assert [bool(item.flags() & Qt.ItemFlag.ItemIsUserCheckable) for item in items] == [True, False, False]
    every = AgencyChecksDialog(None, "MASH-0000042", AGENCIES, set(), due_at=due, rag=None, consent=consent_row(()))
    assert every.consent_label.text() == "Consent was given by Layla Hussain for every agency in the MASH."
    assert "screening deadline" in every.due_label.text()
    refused = consent_row((), status=ConsentStatus.REFUSED)
    assert (
        "no agency can be asked" in AgencyChecksDialog(None, "M", AGENCIES, set(), consent=refused).consent_label.text()
    )
    assert "No consent decision is recorded yet" in AgencyChecksDialog(None, "M", AGENCIES, set()).consent_label.text()


BRIEF = ReturnBrief(
    request_id=7,
    contact_id=42,
    reference="MASH-0000042",
    agency="Police",
    children=(ChildAsked("Amira Hussain", date(2019, 5, 4), None), ChildAsked("Baby Hussain", None, date(2026, 9, 1))),
    address="12 Park Street, Luton, LU1 3AB",
    question="Any call-outs?",
    asked_by="Sam Carter",
    asked_by_team="MASH Team",
    asked_at=datetime(2026, 3, 10, 9, 30, tzinfo=UTC),
    due_at=datetime(2026, 3, 11, 9, 0, tzinfo=UTC),
    rag=Rag.AMBER,
    version=1,
)


def test_the_agency_return_shows_what_was_asked_about_whom_by_whom_and_by_when(qtbot: QtBot) -> None:
    dialog = AgencyReturnDialog(None, BRIEF)
    shown(qtbot, dialog)
    question = dialog.form.findChild(QLabel, "question_label")
    assert question is not None
    assert "Any call-outs?" in question.text()
    assert dialog.subjects_label.text().splitlines() == [
        "About: Amira Hussain, born 04/05/2019; Baby Hussain, unborn, expected 01/09/2026",
        "Address to search: 12 Park Street, Luton, LU1 3AB",
        f"Asked by Sam Carter (MASH Team) at {when(BRIEF.asked_at)}",
    ]
    intro = dialog.form.findChild(QLabel, "intro_label")
    assert intro is not None
    assert intro.text() == f"Police's checks for MASH-0000042: due by {when(BRIEF.due_at)} (AMBER)."
    assert dialog.summary_edit.hasFocus()
    dialog.nothing_known_check.setFocus()
    QTest.keyClick(dialog.nothing_known_check, Qt.Key.Key_Space)
    assert dialog.nothing_known_check.isChecked()


def test_the_conflict_dialog_puts_theirs_beside_yours(qtbot: QtBot) -> None:
    dialog = ConflictDialog(
        None,
        reference="MASH-0000042",
        changed_by="Priya Shah",
        changed_at=datetime(2026, 3, 10, 10, 0, tzinfo=UTC),
        theirs={"RAG": "GREEN", "Status": "Screened"},
        yours={"RAG": "RED", "Reason": "Disclosure."},
    )
    shown(qtbot, dialog)
    table = dialog.table
    rows = [[cell.text() if (cell := table.item(r, c)) else "" for c in range(3)] for r in range(table.rowCount())]
    assert rows == [["RAG", "GREEN", "RED"], ["Status", "Screened", "—"], ["Reason", "—", "Disclosure."]]
    assert dialog.choice is ConflictChoice.KEEP_THEIRS
    # Enter never writes over their change: it goes back to editing mine
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    chosen: ConflictChoice = dialog.choice
    assert chosen is ConflictChoice.EDIT_MINE


def test_the_error_dialog_offers_retry_and_copies_its_details(qtbot: QtBot, qapp: QApplication) -> None:
    dialog = ErrorDialog(None, "Not saved", "The database server could not be reached.", details="trace", retry=True)
    shown(qtbot, dialog)
    buttons = {button.text(): button for button in dialog.findChildren(QPushButton)}
    QTest.mouseClick(buttons["&Copy details"], Qt.MouseButton.LeftButton)
    assert qapp.clipboard().text() == "The database server could not be reached.\n\ntrace"
    QTest.mouseClick(buttons["&Retry"], Qt.MouseButton.LeftButton)
    assert dialog.choice is ErrorChoice.RETRY
