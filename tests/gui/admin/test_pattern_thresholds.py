"""The pattern thresholds, changed by the administrator from the keyboard (Ctrl+9): a bad number shows at
its field and changes nothing; a good one applies to the patterns at once. On SQLite and PostgreSQL."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from mash_desk.domain.patterns import ThresholdKey
from mash_desk.services.patterns import read_thresholds
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL, NONE, press, type_into
from tests.support import unchanged


def test_a_threshold_is_changed_from_the_keyboard(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window = desk.window("admin")
    area = window.admin_area
    assert area is not None
    press(desk.qtbot, window.focusWidget() or window, Qt.Key.Key_9, CTRL)
    desk.settle()
    page = area.patterns
    assert area.tabs.currentWidget() is page
    desk.qtbot.waitUntil(lambda: page.model.rowCount() == len(ThresholdKey), timeout=10_000)
    assert "neglect" in page.form.title()
    assert page.amount_edit.text() == "3"

    def retype(text: str) -> None:
        page.amount_edit.setFocus()
        page.amount_edit.selectAll()
        QTest.keyClick(page.amount_edit, Qt.Key.Key_Delete)
        type_into(desk.qtbot, page.amount_edit, text)
        press(desk.qtbot, page.amount_edit, Qt.Key.Key_Return, NONE)
        desk.settle()

    with unchanged(desk.world.db, "a threshold out of range"):
        retype("1")
        assert "from 2 to 20" in (page.form.message_at("amount") or "")
        retype("three")
        assert "whole number" in (page.form.message_at("amount") or "")
    retype("4")
    assert {row.key: row.amount for row in read_thresholds(desk.world.admin)}[ThresholdKey.NEGLECT_CONTACTS] == 4
    assert page.form.message_at("amount") is None
    assert "now 4" in page.form.outcome.text()
