"""The contact view answers at a glance: which deadline the chip counts down to, why a manager sent a
decision back (at the top), each child's age, empty sections in words, and the one next step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from mash_desk.domain.enums import ContactStatus, Rag
from mash_desk.gui.contact_view import ContactView
from mash_desk.services import decisions, intake, screening
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import current_view, open_contact
from tests.support import World, case_at, child, contact_draft


def read_again(desk: Desk, view: ContactView) -> ContactView:
    """Changed behind the window's back (as by another workstation): read it again."""
    with desk.qtbot.waitSignal(view.loaded, timeout=15_000):
        view.reload()
    desk.settle()
    return view


def test_the_chip_says_which_deadline_and_the_next_step_stands_out(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    world: World = desk.world
    case = case_at(world, ContactStatus.RECEIVED, child("Amira", "Hussain"))
    window = desk.window("sam")
    view = open_contact(desk, window, case.id)
    assert view.time_left_label.text().startswith(("Screening and RAG rating due:", "⚠ Screening and RAG rating due:"))
    assert view.next_step_key == "claim"  # nobody has it yet: taking it is the next step
    assert view.buttons["claim"].property("primary") is True
    assert view.buttons["rate"].property("primary") is not True
    # ages beside the children, in words
    children = view.tables["children_table"]
    first = children.item(0, 0)
    assert first is not None
    assert "years, born" in first.text()
    # a section with nothing in it reads as a sentence, not a box to type in
    handoffs = view.tables["handoffs_table"]
    empty = handoffs.item(0, 0)
    assert empty is not None
    assert empty.text() == "Not handed off yet."
    assert handoffs.property("empty_section") is True

    screening.rate(world.sam, case.id, Rag.AMBER)
    rated = read_again(desk, view)
    assert rated.time_left_label.text().lstrip("⚠ ").startswith("AMBER timescale:")
    assert rated.next_step_key == "consent"


def test_a_managers_reasons_for_sending_back_are_at_the_top(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    world = desk.world
    case = case_at(world, ContactStatus.AWAITING_AUTHORISATION)
    window = desk.window("sam")
    waiting = open_contact(desk, window, case.id)
    assert waiting.time_left_label.text().lstrip("⚠ ").startswith("Decision due (one working day):")
    assert not waiting.returned_banner.isVisible()
    decisions.return_decision(world.maria, case.id, "Ask the school for attendance figures first.")
    returned = read_again(desk, waiting)
    assert returned.returned_banner.isVisible()
    text = returned.returned_banner.text()
    assert "Sent back by Maria Lopez" in text
    assert "Ask the school for attendance figures first." in text
    assert returned.next_step_key == "decide"  # the decision is to be made again


def test_the_re_referral_banner_names_the_child_and_opens_the_earlier_contact(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    world = desk.world
    earlier = case_at(world, ContactStatus.SCREENED, child("Leo", "Brennan"))
    again = intake.log_contact(
        world.bea, contact_draft(world.clock, child("Leo", "Brennan", existing_person_id=earlier.child_ids[0]))
    )
    assert again.re_referral
    window = desk.window("sam")
    view = open_contact(desk, window, again.id)
    desk.qtbot.waitUntil(view.earlier_row.isVisible, timeout=15_000)
    [button] = view.earlier_row.buttons
    assert button.text().startswith(f"Leo Brennan — MASH-{earlier.id:07d}, received ")
    button.setFocus()
    QTest.keyClick(button, Qt.Key.Key_Space)
    desk.settle()
    assert current_view(window).contact_id == earlier.id
