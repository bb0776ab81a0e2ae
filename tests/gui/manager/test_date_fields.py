"""The pages' date fields are ``DateBox``es: Tab leaves each in one key, a date is typed in one go, and a
date that is not one is said where it was typed, with nothing read, saved or written on it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDateEdit, QWidget

from mash_desk.gui.date_box import DateBox
from mash_desk.gui.manager.dashboard_page import DashboardPage
from mash_desk.gui.manager.exports_page import ExportsPage
from mash_desk.gui.manager.letters_page import LettersPage
from mash_desk.gui.partnership.audit_setup_page import AuditsPage
from mash_desk.gui.partnership.supervision_page import SupervisionPage
from mash_desk.services.manager import PeriodChoice
from tests.gui.conftest import Dialogs
from tests.gui.manager.conftest import Bench
from tests.support import snapshot

SHIFT = Qt.KeyboardModifier.ShiftModifier


def _shown(bench: Bench, page: QWidget) -> QWidget:
    bench.qtbot.addWidget(page)
    page.resize(1300, 900)
    page.show()
    page.activateWindow()
    bench.qtbot.waitUntil(page.isActiveWindow)
    bench.settle()
    return page


def _boxes(page: QWidget) -> list[DateBox]:
    return [box for box in page.findChildren(DateBox) if box.isVisible() and box.isEnabled()]


def _dashboard(bench: Bench) -> QWidget:
    page = DashboardPage(bench.window(bench.world.maria))
    page.choose(PeriodChoice.CUSTOM, load=False)  # the From and To boxes are open to typing
    return page


def _audits(bench: Bench) -> QWidget:
    page = AuditsPage(bench.window(bench.world.maria))
    page.action_form.setEnabled(True)  # as when an audit is chosen: its actions' due date
    return page


PAGES: dict[str, tuple[Callable[[Bench], QWidget], int]] = {
    "exports": (lambda bench: ExportsPage(bench.window(bench.world.maria)), 1),
    "letters": (lambda bench: LettersPage(bench.window(bench.world.maria)), 1),
    "dashboard": (_dashboard, 2),
    "supervision": (lambda bench: SupervisionPage(bench.window(bench.world.maria)), 1),
    "audits": (_audits, 3),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_tab_leaves_every_date_field_in_one_key(bench: Bench, dialogs: Dialogs, name: str) -> None:
    del dialogs
    build, expected = PAGES[name]
    page = _shown(bench, build(bench))
    boxes = _boxes(page)
    assert len(boxes) == expected
    assert page.findChildren(QDateEdit) == []  # a box per part nowhere
    for box in boxes:
        box.setFocus(Qt.FocusReason.TabFocusReason)
        bench.qtbot.waitUntil(box.hasFocus)
        QTest.keyClick(box, Qt.Key.Key_Tab)
        after = QApplication.focusWidget()
        assert after is not None
        assert after is not box, f"Tab stayed in {box.accessibleName()}"
        assert not box.isAncestorOf(after)
        QTest.keyClick(after, Qt.Key.Key_Tab, SHIFT)
        assert QApplication.focusWidget() is box, f"Shift+Tab did not come back to {box.accessibleName()}"


def test_the_dashboard_reads_a_typed_period_and_says_when_a_date_is_not_one(bench: Bench, dialogs: Dialogs) -> None:
    del dialogs
    page = _shown(bench, _dashboard(bench))
    assert isinstance(page, DashboardPage)
    for box, typed in ((page.from_edit, "1/2/2026"), (page.to_edit, "28.02.26")):
        box.setFocus(Qt.FocusReason.TabFocusReason)
        bench.qtbot.waitUntil(box.hasFocus)
        box.selectAll()
        QTest.keyClicks(box, typed)
        with bench.qtbot.waitSignal(page.loaded, timeout=20_000):
            QTest.keyClick(box, Qt.Key.Key_Tab)  # leaving a changed date reads its figures
    assert page.measures is not None
    assert (page.measures.start, page.measures.end) == (date(2026, 2, 1), date(2026, 2, 28))
    page.to_edit.setFocus(Qt.FocusReason.TabFocusReason)
    page.to_edit.selectAll()
    QTest.keyClicks(page.to_edit, "30/02/2026")
    QTest.keyClick(page.to_edit, Qt.Key.Key_Tab)
    bench.settle()
    assert "no such date" in page.problem_label.text()
    assert page.to_edit.property("invalid")
    assert (page.measures.start, page.measures.end) == (date(2026, 2, 1), date(2026, 2, 28))  # still the last whole one


def test_an_inspection_date_that_is_not_one_writes_no_annex(bench: Bench, dialogs: Dialogs) -> None:
    page = _shown(bench, ExportsPage(bench.window(bench.world.maria)))
    assert isinstance(page, ExportsPage)
    box = page.inspection_edit
    box.setFocus(Qt.FocusReason.TabFocusReason)
    bench.qtbot.waitUntil(box.hasFocus)
    box.selectAll()  # (it may have had the focus already, so was not selected on coming in)
    QTest.keyClicks(box, "1/9/2025")  # the period follows as it is typed
    assert "02 Mar 2025 to 01 Sep 2025" in page.annex_period_label.text()
    box.selectAll()
    QTest.keyClicks(box, "1 Sept")
    assert page.annex_period_label.text() == ""
    QTest.mouseClick(page.annex_button, Qt.MouseButton.LeftButton)
    assert dialogs.of("save") == []  # not even asked where to save it
    assert page.inspection_error.isVisible()
    assert "day/month/year" in page.inspection_error.text()
    assert box.property("invalid")


def test_letters_are_listed_for_a_typed_day_and_not_for_a_day_that_is_not_one(bench: Bench, dialogs: Dialogs) -> None:
    del dialogs
    page = _shown(bench, LettersPage(bench.window(bench.world.maria)))
    assert isinstance(page, LettersPage)
    box = page.day_edit
    box.setFocus(Qt.FocusReason.TabFocusReason)
    bench.qtbot.waitUntil(box.hasFocus)
    box.selectAll()
    QTest.keyClicks(box, "9/3/2026")
    with bench.qtbot.waitSignal(page.listed, timeout=20_000):
        QTest.keyClick(box, Qt.Key.Key_Return)  # type the day, Enter: its letters
    assert "09 Mar 2026" in page.banner.text()
    box.selectAll()
    QTest.keyClicks(box, "9/3")
    QTest.keyClick(box, Qt.Key.Key_Return)
    bench.settle()
    assert "day/month/year" in page.banner.text()
    assert box.property("invalid")


def test_a_supervision_with_a_date_that_is_not_one_is_not_saved(bench: Bench, dialogs: Dialogs) -> None:
    del dialogs
    page = _shown(bench, SupervisionPage(bench.window(bench.world.maria)))
    assert isinstance(page, SupervisionPage)
    before = snapshot(bench.world.db)
    page.held_edit.setFocus(Qt.FocusReason.TabFocusReason)
    bench.qtbot.waitUntil(page.held_edit.hasFocus)
    page.held_edit.selectAll()
    QTest.keyClicks(page.held_edit, "32/1/2026")
    QTest.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    bench.settle()
    assert "no such date" in (page.errors.message_at("held_on") or "")
    assert snapshot(bench.world.db) == before
