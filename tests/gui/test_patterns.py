"""Patterns in the window: the queue says so in words beside an icon, the contact view lists the contacts
behind each (each opens with the keyboard), and who interpreted and the manager's decision are recorded
from the keyboard. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from mash_desk.domain.enums import Concern, HousingTenure
from mash_desk.domain.patterns import Interpreter, PatternKind
from mash_desk.gui.pattern_panel import ConversationDialog, DecisionAnswer, PatternDecisionDialog
from mash_desk.gui.queue_model import QueueColumn
from mash_desk.services import intake
from mash_desk.services.drafts import HouseholdDraft
from mash_desk.services.patterns import ConversationInput, contact_patterns
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL_SHIFT, NONE, current_view, open_contact, open_queue, press, type_into
from tests.support import World, child, contact_draft

HOME = HouseholdDraft(
    address_line1="12 Park Street", town="Luton", postcode="LU1 3AB", tenure=HousingTenure.SOCIAL_RENT
)


def three_neglect_contacts(world: World) -> list[int]:
    """Amira's first, second and third neglect contacts in a year (the third is the pattern)."""
    ids: list[int] = []
    amira: int | None = None
    for days in (200, 90, 1):
        kid = child() if amira is None else child(existing_person_id=amira)
        draft = contact_draft(world.clock, kid, concerns={Concern.NEGLECT}, household=HOME)
        draft.received_at = world.clock() - timedelta(days=days)
        logged = intake.log_contact(world.sam, draft)
        amira = logged.child_person_ids[0]
        ids.append(logged.id)
    return ids


def test_the_queue_shows_the_pattern_in_words_with_an_icon(desk: Desk) -> None:
    first, _second, third = three_neglect_contacts(desk.world)
    window = desk.window("sam")
    panel = open_queue(desk, window, "unassigned")
    model = panel.model
    rows = {model.key(row): position for position, row in enumerate(model.rows())}
    pattern_cell = model.index(rows[third], QueueColumn.PATTERNS)
    assert model.data(pattern_cell) == "Cumulative neglect"
    assert model.data(pattern_cell, Qt.ItemDataRole.DecorationRole) is not None  # the icon, beside the words
    assert "Pattern: Cumulative neglect" in str(
        model.data(model.index(rows[third], QueueColumn.REFERENCE), Qt.ItemDataRole.AccessibleTextRole)
    )
    assert model.data(model.index(rows[first], QueueColumn.PATTERNS)) == ""


def test_the_contact_view_lists_the_contacts_behind_the_pattern_and_opens_them(desk: Desk) -> None:
    first, second, third = three_neglect_contacts(desk.world)
    window = desk.window("sam")
    with desk.qtbot.waitSignal(window.open_contact(third).pattern_panel.loaded, timeout=15_000):
        pass
    view = current_view(window)
    panel = view.pattern_panel
    assert panel.warnings.isVisible()
    text = " ".join(label.text() for label in panel.warnings.findChildren(type(view.flags_label)))
    assert "CUMULATIVE NEGLECT" in text
    assert "3 contacts with neglect concerns about a child within 12 months" in text
    buttons = panel.cause_buttons
    assert set(buttons) == {(PatternKind.CUMULATIVE_NEGLECT, cid) for cid in (first, second, third)}
    assert not buttons[(PatternKind.CUMULATIVE_NEGLECT, third)].isEnabled()  # this contact
    assert not panel.decision_button.isVisible()  # a practitioner sees it; a manager decides
    button = buttons[(PatternKind.CUMULATIVE_NEGLECT, first)]
    button.setFocus()
    press(desk.qtbot, button, Qt.Key.Key_Space, NONE)
    desk.qtbot.waitUntil(lambda: current_view(window).contact_id == first, timeout=15_000)
    desk.settle()


def test_who_interpreted_is_recorded_from_the_keyboard_and_a_child_is_flagged(desk: Desk, dialogs: Dialogs) -> None:
    *_earlier, third = three_neglect_contacts(desk.world)
    window = desk.window("sam")
    view = open_contact(desk, window, third)
    desk.settle()
    today = desk.world.clock().date()
    # first with a date in the future: the dialog comes back with the message at the field
    dialogs.answer(
        "conversation",
        ConversationInput(date(2100, 1, 1), "Mother", Interpreter.CHILD.value, "Sylheti"),
        lambda shown: ConversationInput(today, "Mother", Interpreter.CHILD.value, "Sylheti"),
    )
    with desk.qtbot.waitSignal(view.pattern_panel.loaded, timeout=15_000):
        press(desk.qtbot, view.scroll_area, Qt.Key.Key_V, CTRL_SHIFT)
        desk.qtbot.waitUntil(lambda: len(dialogs.of("conversation")) == 2, timeout=15_000)
    desk.settle()
    assert "held_on" in dialogs.of("conversation")[1].errors
    found = view.pattern_panel.patterns
    assert found is not None
    assert [p.kind for p in found.patterns] == [PatternKind.CUMULATIVE_NEGLECT, PatternKind.FAMILY_INTERPRETER]
    assert "interpreted by the child" in view.pattern_panel.conversations_label.text()
    assert "FAMILY MEMBER OR CHILD INTERPRETED" in " ".join(
        label.text() for label in view.pattern_panel.warnings.findChildren(type(view.flags_label))
    )


def test_a_manager_records_the_decision_from_the_keyboard(desk: Desk, dialogs: Dialogs) -> None:
    *_earlier, third = three_neglect_contacts(desk.world)
    window = desk.window("maria")
    view = open_contact(desk, window, third)
    desk.settle()
    assert view.pattern_panel.decision_button.isVisible()
    dialogs.answer("pattern_decision", DecisionAnswer("graded_care_profile", "GCP2 with the health visitor."))
    with desk.qtbot.waitSignal(view.pattern_panel.loaded, timeout=15_000):
        press(desk.qtbot, view.scroll_area, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    desk.settle()
    responses = contact_patterns(desk.world.maria, third).responses
    assert [(r.decision.value, r.reason) for r in responses] == [
        ("graded_care_profile", "GCP2 with the health visitor.")
    ]
    shown = " ".join(label.text() for label in view.pattern_panel.warnings.findChildren(type(view.flags_label)))
    assert "Complete a Graded Care Profile 2" in shown
    assert "graded_care_profile" not in shown  # never a code


def test_the_conversation_dialog_is_typed_and_checked_at_its_fields(desk: Desk) -> None:
    dialog = ConversationDialog(None, desk.world.clock().date())
    desk.qtbot.addWidget(dialog)
    dialog.held_on_edit.setFocus()
    dialog.held_on_edit.selectAll()
    QTest.keyClicks(dialog.held_on_edit, "9/3/2026")  # one entry, day first
    type_into(desk.qtbot, dialog.spoke_with_edit, "Mother")
    type_into(desk.qtbot, dialog.language_edit, "Polish")
    dialog.interpreter_combo.setFocus()
    QTest.keyClick(dialog.interpreter_combo, Qt.Key.Key_Down)
    QTest.keyClick(dialog.interpreter_combo, Qt.Key.Key_Down)
    answer = dialog.answer()
    assert (answer.spoke_with, answer.language, answer.interpreter) == ("Mother", "Polish", "family_member")
    assert answer.held_on == date(2026, 3, 9)
    dialog.show_errors({"interpreter": "Say who interpreted."})
    assert dialog.interpreter_combo.property("invalid")


def test_the_decision_dialog_offers_words_not_codes(desk: Desk) -> None:
    dialog = PatternDecisionDialog(None, "3 contacts with neglect concerns.")
    desk.qtbot.addWidget(dialog)
    items = [dialog.decision_combo.itemText(i) for i in range(dialog.decision_combo.count())]
    assert "Hold a strategy discussion" in items
    assert not any("_" in item for item in items)
    dialog.decision_combo.setFocus()
    QTest.keyClick(dialog.decision_combo, Qt.Key.Key_Down)
    type_into(desk.qtbot, dialog.reason_edit, "Fourth concern this year.")
    assert dialog.answer() == DecisionAnswer("graded_care_profile", "Fourth concern this year.")
