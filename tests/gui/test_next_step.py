"""A contact's next step (issue 15): first in its row of buttons and first to forward Tab, before any of
the contact's tables, however often the contact is read again; and Ctrl+Enter takes it from anywhere in
the contact."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from mash_desk.domain.enums import ContactStatus, Rag
from mash_desk.gui.contact_view import ContactView
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.shortcuts_help import shortcuts_text
from mash_desk.services import screening
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL, open_contact
from tests.support import case_at

KEYPAD_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.KeypadModifier


def tab_stops_from_the_tab_bar(window: MainWindow, presses: int = 40) -> list[QWidget]:
    """Where forward Tab goes, press by press, starting on the tab bar above the contact."""
    window.workspace.tabBar().setFocus(Qt.FocusReason.TabFocusReason)
    reached: list[QWidget] = []
    for _ in range(presses):
        focus = QApplication.focusWidget()
        assert focus is not None
        QTest.keyClick(focus, Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())  # type: ignore[arg-type]
    return reached


def assert_next_step_then_buttons_then_tables(view: ContactView, reached: list[QWidget]) -> None:
    names = [f"{type(w).__name__}:{w.objectName()}" for w in reached]
    assert view.next_step_key is not None
    buttons = [reached.index(b) for b in view.buttons.values() if b in reached]
    tables = [reached.index(t) for t in view.tables.values() if t in reached]
    assert len(buttons) == len(view.buttons), names
    assert tables, names
    assert min(buttons) == reached.index(view.buttons[view.next_step_key]), names
    assert max(buttons) < min(tables), names
    top_left = min(view.buttons.values(), key=lambda button: place(view, button))
    assert top_left is view.buttons[view.next_step_key], "first on screen too"


def place(view: ContactView, button: QWidget) -> tuple[int, int]:
    """Where ``button`` is in the view, as a person reads: row first, then from the left."""
    corner = button.mapTo(view, QPoint(0, 0))
    return corner.y(), corner.x()


def read_again(desk: Desk, view: ContactView) -> None:
    """Changed behind the window's back (as by another workstation): read it again."""
    with desk.qtbot.waitSignal(view.loaded, timeout=15_000):
        view.reload()
    desk.settle()


def test_the_next_step_stays_first_to_tab_when_the_contact_is_read_again(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    world = desk.world
    case = case_at(world, ContactStatus.RECEIVED)
    window = desk.window("sam")
    view = open_contact(desk, window, case.id)
    assert view.next_step_key == "claim"
    assert_next_step_then_buttons_then_tables(view, tab_stops_from_the_tab_bar(window))
    consent = view.buttons["consent"]
    consent.setFocus(Qt.FocusReason.TabFocusReason)

    screening.rate(world.sam, case.id, Rag.AMBER)
    read_again(desk, view)
    # consent comes before rating in the order of the work's buttons no more: it is what to do now
    assert view.next_step_key == "consent"
    assert view.buttons["consent"].hasFocus(), "the cursor stays on the action it was on"
    assert "rate" in view.buttons
    assert view.buttons["consent"].property("primary") is True
    assert view.buttons["rate"].property("primary") is False
    assert_next_step_then_buttons_then_tables(view, tab_stops_from_the_tab_bar(window))


def test_ctrl_enter_takes_the_next_step_from_anywhere_in_the_contact(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    case = case_at(world, ContactStatus.SCREENED)  # rated, consent given: asking the agencies is next
    window = desk.window("sam")
    view = open_contact(desk, window, case.id)
    assert view.next_step_key == "checks"
    assert "Ctrl+Enter" in view.buttons["checks"].toolTip()
    assert "Ctrl+Enter" not in view.buttons["rate"].toolTip()
    assert view.next_step_action.text() == "Take the next step: Ask agencies…"
    assert view.next_step_action.shortcut().toString() == "Ctrl+Enter"  # what the Contact menu shows
    places = (view.scroll_area, view.tables["children_table"], view.buttons["rate"])
    dialogs.answer("checks", *[None] * (len(places) + 1))  # each time left with Esc: which dialog opened is what counts
    for place in places:
        place.setFocus(Qt.FocusReason.TabFocusReason)
        assert place.hasFocus()
        QTest.keyClick(place, Qt.Key.Key_Return, CTRL)
        desk.settle()
    QTest.keyClick(view.scroll_area, Qt.Key.Key_Enter, KEYPAD_CTRL)  # the keypad's Enter too
    desk.settle()
    assert len(dialogs.of("checks")) == len(places) + 1
    assert not dialogs.of("rag")  # Ctrl+Enter on the Rate button is still the next step, not Rate


def test_ctrl_enter_does_nothing_when_nothing_is_next(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs  # any dialog opening fails the test
    case = case_at(desk.world, ContactStatus.AWAITING_AUTHORISATION)  # the manager's turn, not Sam's
    window = desk.window("sam")
    view = open_contact(desk, window, case.id)
    assert view.next_step_key is None
    assert not view.next_step_action.isEnabled()
    assert not any(button.property("primary") for button in view.buttons.values())
    QTest.keyClick(view.scroll_area, Qt.Key.Key_Return, CTRL)
    desk.settle()
    assert view.detail is not None
    assert view.detail.status is ContactStatus.AWAITING_AUTHORISATION


def test_the_shortcut_list_says_ctrl_enter_takes_the_next_step() -> None:
    line = next(line for line in shortcuts_text().splitlines() if line.startswith("Ctrl+Enter\t"))
    assert "next step" in line
