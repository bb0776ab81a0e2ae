"""The manager's, the administrator's and the partnership pages work from the keyboard, like the forms
in ``test_keyboard_forms``: each page, shown in the window of someone whose role sees it, has unique Alt
keys (clear of the menu bar's), a label for every field, and Tab from any widget reaches every other."""

from __future__ import annotations

import pytest

from mash_desk.domain.enums import ContactStatus
from mash_desk.gui.main_window import MainWindow
from tests.gui.conftest import Desk, Dialogs
from tests.gui.test_keyboard_forms import check_keyboard
from tests.support import case_at

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # the widgets are the same whatever the database


def check_every_page(desk: Desk, window: MainWindow, area_name: str) -> list[str]:
    """Show each page of one area in turn and check it; the keys of the pages checked."""
    area = getattr(window, area_name)
    assert area is not None, f"{area_name} is missing from this person's window"
    checked, problems = [], []
    for page in list(area.pages):
        area.show_page(page.key)
        desk.settle()
        try:
            check_keyboard(desk.qtbot, window)
        except AssertionError as exc:  # every page's problems at once, not only the first page's
            problems.append(f"{area_name} {page.key}: {exc}".splitlines()[0])
        checked.append(page.key)
    assert problems == [], "\n".join(problems)
    return checked


def test_the_managers_pages(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    case_at(desk.world, ContactStatus.AWAITING_AUTHORISATION)
    window = desk.window("maria")
    assert len(check_every_page(desk, window, "manager_area")) == 9


def test_the_partnership_pages(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window = desk.window("maria")
    assert len(check_every_page(desk, window, "partnership_area")) == 6


def test_the_administrators_pages(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window = desk.window("admin")
    assert len(check_every_page(desk, window, "admin_area")) == 7
    assert check_every_page(desk, window, "manager_area") == ["dashboard", "exports"]


def test_the_auditors_pages(desk: Desk, dialogs: Dialogs) -> None:
    """An auditor's supervision page has no form to record one: its focus is on the table instead."""
    del dialogs
    window = desk.window("aud")
    assert check_every_page(desk, window, "manager_area") == ["dashboard", "exports", "restricted"]
    assert len(check_every_page(desk, window, "partnership_area")) == 5
