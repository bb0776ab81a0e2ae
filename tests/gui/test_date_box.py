"""``DateBox``, the one date field: Tab leaves it in one key, a date is typed in one go, Up and Down step
the part under the cursor, a calendar opens from the keyboard; and every dialog's date field is one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from mash_desk.domain.moments import MomentError
from mash_desk.gui.date_box import DateBox, step_day
from mash_desk.gui.dialogs.consent import ConsentDialog
from mash_desk.gui.dialogs.gcp import ChildGcp, GcpDialog
from mash_desk.gui.pattern_panel import ConversationDialog

TODAY = date(2026, 12, 7)
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def active(qtbot: QtBot, window: QWidget) -> None:
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def enter_by_tab(qtbot: QtBot, before: QWidget) -> None:
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    QTest.keyClick(before, Qt.Key.Key_Tab)


@dataclass
class Row:
    """A box between two others, in a shown window: where Tab comes from and goes to."""

    window: QWidget
    before: QLineEdit
    box: DateBox
    after: QLineEdit


@pytest.fixture
def row(qtbot: QtBot) -> Row:
    window = QWidget()
    layout = QVBoxLayout(window)
    before, box, after = QLineEdit(window), DateBox(window), QLineEdit(window)
    for widget in (before, box, after):
        layout.addWidget(widget)
    box.today = lambda: TODAY
    box.set_day(TODAY)
    active(qtbot, window)
    return Row(window, before, box, after)


def test_tab_and_shift_tab_cross_the_date_in_one_key_each(qtbot: QtBot, row: Row) -> None:
    before, box, after = row.before, row.box, row.after
    enter_by_tab(qtbot, before)
    assert focused() is box
    assert box.selectedText() == "07/12/2026"  # the whole date, ready to be typed over
    QTest.keyClick(box, Qt.Key.Key_Tab)
    assert focused() is after  # not on to the month
    QTest.keyClick(after, Qt.Key.Key_Tab, SHIFT)
    assert focused() is box
    QTest.keyClick(box, Qt.Key.Key_Tab, SHIFT)
    assert focused() is before  # not back to the day


def test_a_date_is_typed_in_one_go_and_written_back_the_one_way(qtbot: QtBot, row: Row) -> None:
    before, box, after = row.before, row.box, row.after
    settled: list[date] = []
    box.day_changed.connect(settled.append)
    enter_by_tab(qtbot, before)
    QTest.keyClicks(box, "15/03/2025")
    assert box.day() == date(2025, 3, 15)
    assert settled == []  # not while it is typed
    QTest.keyClick(box, Qt.Key.Key_Tab)
    assert settled == [date(2025, 3, 15)]
    enter_by_tab(qtbot, before)
    QTest.keyClicks(box, "7/3/25")
    QTest.keyClick(box, Qt.Key.Key_Tab)
    assert box.text() == "07/03/2025"
    assert settled == [date(2025, 3, 15), date(2025, 3, 7)]
    assert focused() is after


def test_up_and_down_step_the_part_under_the_cursor(qtbot: QtBot, row: Row) -> None:
    box = row.box
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.set_day(date(2026, 1, 31))
    box.setCursorPosition(1)  # in the day
    QTest.keyClick(box, Qt.Key.Key_Up)
    assert box.text() == "01/02/2026"
    assert box.selectedText() == "01"  # the part stays chosen: Up again moves it on
    QTest.keyClick(box, Qt.Key.Key_Down)
    assert box.text() == "31/01/2026"
    box.setCursorPosition(4)  # in the month: 31 January and a month on is the end of February
    QTest.keyClick(box, Qt.Key.Key_Up)
    assert box.text() == "28/02/2026"
    assert box.selectedText() == "02"
    box.setCursorPosition(8)  # in the year
    QTest.keyClick(box, Qt.Key.Key_Down)
    assert box.text() == "28/02/2025"
    assert box.selectedText() == "2025"


def test_stepping_keeps_a_leap_day_real() -> None:
    assert step_day(date(2024, 2, 29), "year", 1) == date(2025, 2, 28)
    assert step_day(date(2026, 12, 31), "month", 1) == date(2027, 1, 31)
    assert step_day(date(2026, 1, 1), "day", -1) == date(2025, 12, 31)


def test_what_is_not_a_date_or_out_of_range_says_so(qtbot: QtBot, row: Row) -> None:
    before, box = row.before, row.box
    box.set_range(latest=TODAY)
    enter_by_tab(qtbot, before)
    QTest.keyClicks(box, "31/02/2026")
    with pytest.raises(MomentError, match="no such date"):
        box.day()
    box.selectAll()
    QTest.keyClicks(box, "8/12/2026")
    with pytest.raises(MomentError, match="07/12/2026 or earlier"):
        box.day()
    box.selectAll()
    QTest.keyClicks(box, "today")
    assert box.day() == TODAY


@pytest.mark.qt_log_ignore("This plugin does not support")  # the offscreen platform cannot raise or grab
def test_alt_down_opens_a_calendar_and_enter_picks_from_it(qtbot: QtBot, row: Row) -> None:
    box = row.box
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    QTest.keyClick(box, Qt.Key.Key_Down, ALT)
    calendar = box.calendar
    assert calendar is not None
    qtbot.waitUntil(calendar.isVisible)
    grid = focused()
    assert grid is not None
    QTest.keyClick(grid, Qt.Key.Key_Right)  # the day after
    QTest.keyClick(grid, Qt.Key.Key_Return)
    assert box.day() == date(2026, 12, 8)
    qtbot.waitUntil(lambda: box.calendar is None)
    qtbot.waitUntil(box.hasFocus)  # back in the box once the popup has gone
    QTest.keyClick(box, Qt.Key.Key_F4)
    calendar = box.calendar
    assert calendar is not None
    qtbot.waitUntil(calendar.isVisible)
    grid = focused()
    assert grid is not None
    QTest.keyClick(grid, Qt.Key.Key_Left)
    QTest.keyClick(grid, Qt.Key.Key_Escape)  # nothing chosen
    qtbot.waitUntil(lambda: box.calendar is None)
    assert box.day() == date(2026, 12, 8)


# --- every dialog's date field ----------------------------------------------------------------------


def _crosses(qtbot: QtBot, dialog: QDialog, box: DateBox, before: QWidget, after: QWidget) -> None:
    active(qtbot, dialog)
    enter_by_tab(qtbot, before)
    assert focused() is box
    QTest.keyClick(box, Qt.Key.Key_Tab)
    assert focused() is after


def test_tab_crosses_the_consent_date_in_one_key(qtbot: QtBot) -> None:
    dialog = ConsentDialog(None, "MASH-0000042", [("POLICE", "Police")], [("maria", "Maria Lopez")], TODAY)
    _crosses(qtbot, dialog, dialog.obtained_on_edit, dialog.given_by_pr_combo, dialog.parent_aware_check)


def test_tab_crosses_the_conversation_date_in_one_key(qtbot: QtBot) -> None:
    dialog = ConversationDialog(None, TODAY)
    # the date is the first field: Shift+Tab from the next one comes back to it, Tab leaves it
    active(qtbot, dialog)
    dialog.spoke_with_edit.setFocus()
    qtbot.waitUntil(dialog.spoke_with_edit.hasFocus)
    QTest.keyClick(dialog.spoke_with_edit, Qt.Key.Key_Tab, SHIFT)
    assert focused() is dialog.held_on_edit
    QTest.keyClick(dialog.held_on_edit, Qt.Key.Key_Tab)
    assert focused() is dialog.spoke_with_edit


def test_tab_crosses_the_gcp_review_date_in_one_key(qtbot: QtBot) -> None:
    dialog = GcpDialog(None, "MASH-0000042", [ChildGcp(5, "Amira Hussain", None)], TODAY)
    _crosses(qtbot, dialog, dialog.review_edit, dialog.consent_check, dialog.targets_edit)


def test_a_consent_date_that_is_no_date_is_said_at_the_field_and_nothing_is_answered(qtbot: QtBot) -> None:
    dialog = ConsentDialog(None, "MASH-0000042", [("POLICE", "Police")], [("maria", "Maria Lopez")], TODAY)
    active(qtbot, dialog)
    enter_by_tab(qtbot, dialog.given_by_pr_combo)
    QTest.keyClicks(dialog.obtained_on_edit, "9/13/2026")
    QTest.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert dialog.result_answer() is None
    assert dialog.isVisible()
    assert "no such date" in (dialog.errors.message_at("obtained_on") or "")
    assert dialog.obtained_on_edit.property("invalid")
    dialog.obtained_on_edit.selectAll()
    QTest.keyClicks(dialog.obtained_on_edit, "8/12/2026")  # tomorrow: consent is recorded once given
    QTest.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert "07/12/2026 or earlier" in (dialog.errors.message_at("obtained_on") or "")
    dialog.obtained_on_edit.selectAll()
    QTest.keyClicks(dialog.obtained_on_edit, "1/12/26")
    QTest.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    answer = dialog.result_answer()
    assert answer is not None
    assert answer.obtained_on == date(2026, 12, 1)
