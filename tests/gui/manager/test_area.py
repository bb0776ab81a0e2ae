"""Who gets which manager pages, reached from the keyboard with the shortcuts the Manager menu shows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mash_desk.gui.manager.dashboard_page import DashboardPage
from mash_desk.gui.manager.work_pages import HandOffsPage
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL, press


def test_each_role_gets_its_pages_and_ctrl_digits_reach_them(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    manager = desk.window("maria")
    area = manager.manager_area
    assert area is not None
    assert [page.key for page in area.pages] == [
        "decisions",
        "handoffs",
        "team",
        "dashboard",
        "letters",
        "exports",
        "restricted",
        "reviews",
        "duplicates",
    ]
    assert area.menu is not None
    shown = [action.text() for action in area.menu.actions()]
    assert shown[0] == "Decisions"
    assert [action.shortcut().toString() for action in area.menu.actions()] == [f"Ctrl+{n}" for n in range(1, 10)]
    press(desk.qtbot, manager.queues, Qt.Key.Key_2, CTRL)
    desk.settle()
    assert manager.workspace.currentWidget() is area
    assert isinstance(area.tabs.currentWidget(), HandOffsPage)
    manager.close_tab(manager.workspace.indexOf(area))  # Ctrl+W never closes it
    assert manager.workspace.indexOf(area) == 1

    support = desk.window("bea")
    assert support.manager_area is not None
    assert [page.key for page in support.manager_area.pages] == ["letters"]
    assert support.workspace.tabText(1) == "Letters"
    assert desk.window("pc_jones").manager_area is None  # an agency partner has no manager pages


def test_the_audit_actions_tile_opens_the_partnerships_case_audits(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    manager = desk.window("maria")
    assert manager.manager_area is not None
    assert manager.partnership_area is not None
    manager.manager_area.show_page("dashboard")
    dashboard = manager.manager_area.tabs.currentWidget()
    assert isinstance(dashboard, DashboardPage)
    desk.qtbot.waitUntil(lambda: dashboard.measures is not None, timeout=20_000)
    tile = dashboard.tiles["audit_actions_overdue"]
    tile.setFocus()
    press(desk.qtbot, tile, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    desk.settle()
    assert manager.workspace.currentWidget() is manager.partnership_area
    audits = manager.partnership_area.page("audits")
    assert audits is not None
    assert manager.partnership_area.tabs.currentWidget() is audits
