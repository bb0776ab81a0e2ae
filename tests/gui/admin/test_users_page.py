"""The Users page: add someone, change their job, switch their account off and on with a reason, and
(PostgreSQL only) set their password. Bad input shows at the field and changes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from mash_desk.domain.enums import Role
from mash_desk.gui.admin.users_page import UsersPage
from mash_desk.services.admin import UserRow, list_users
from tests.gui.admin.test_admin_area import admin_window, click, enter, go, retype
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import type_into
from tests.support import World, unchanged


def user(world: World, login: str) -> UserRow:
    return next(u for u in list_users(world.admin) if u.username == login)


def selected_login(page: UsersPage) -> str | None:
    chosen = page.selected()
    return chosen.username if chosen is not None else None


def open_users(desk: Desk) -> UsersPage:
    window, area = admin_window(desk)
    go(desk, window, Qt.Key.Key_3)
    page = area.users
    desk.qtbot.waitUntil(lambda: page.model.rowCount() > 5, timeout=10_000)
    assert page.panel.view.hasFocus()
    return page


def test_adding_someone_and_changing_their_job(desk: Desk, dialogs: Dialogs, backend: str) -> None:
    del dialogs
    page = open_users(desk)
    names = [page.model.row_at(r).display_name for r in range(page.model.rowCount())]
    shown = [page.panel.proxy.index(r, 0).data() for r in range(page.panel.proxy.rowCount())]
    assert shown == sorted(names, key=str.casefold)  # by name, A first
    login = f"newbie_{desk.world.logins['sam'].partition('_')[2]}" if backend == "postgresql" else "newbie"
    assert page.new_password.isVisible() is (backend == "postgresql")

    # nothing typed: each field says what it needs; a bad e-mail is caught before anything is sent
    type_into(desk.qtbot, page.new_email, "newbie at example")
    with unchanged(desk.world.db, "a user with a bad e-mail"):
        click(desk, page.add_form, "Add user")
    assert "not an e-mail address" in (page.add_form.message_at("email") or "")
    retype(desk, page.new_email, "")
    with unchanged(desk.world.db, "a user with no login"):
        click(desk, page.add_form, "Add user")
    assert page.add_form.message_at("username") is not None
    assert page.add_form.message_at("display_name") is not None

    type_into(desk.qtbot, page.new_username, login)
    type_into(desk.qtbot, page.new_display_name, "Nia Newbie")
    type_into(desk.qtbot, page.new_team, "MASH")
    type_into(desk.qtbot, page.new_job_title, "Social worker")
    if backend == "postgresql":
        type_into(desk.qtbot, page.new_password, "short")
        with unchanged(desk.world.db, "a password that is too short"):
            click(desk, page.add_form, "Add user")
        assert "12 characters" in (page.add_form.message_at("password") or "")
        retype(desk, page.new_password, "")  # a first password at once: test_a_first_password_with_the_user
    click(desk, page.add_form, "Add user")
    added = user(desk.world, login)
    assert (added.display_name, added.role, added.team, added.active) == (
        "Nia Newbie",
        Role.PRACTITIONER,
        "MASH Team",
        True,
    )
    desk.qtbot.waitUntil(lambda: selected_login(page) == login, timeout=10_000)
    assert page.new_username.text() == ""

    # the new person, selected: made a manager in the assessment team
    assert "Nia Newbie" in page.job_form.title()
    type_into(desk.qtbot, page.job_role, "Team")
    type_into(desk.qtbot, page.job_team, "Assessment")
    click(desk, page.job_form, "Update job")
    changed = user(desk.world, login)
    assert (changed.role, changed.team) == (Role.MANAGER, "Assessment Team")
    assert "is now team manager" in page.job_form.outcome.text()


def test_switching_an_account_off_needs_a_reason(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    page = open_users(desk)
    ava = desk.world.logins["ava"]
    page.select(ava)
    assert "Ava Green" in page.active_form.title()
    with unchanged(desk.world.db, "switching off with no reason"):
        click(desk, page.active_form, "Switch off")
    assert "Say why" in (page.active_form.message_at("reason") or "")
    assert page.reason_edit.hasFocus()
    type_into(desk.qtbot, page.reason_edit, "Left the assessment team on 6 March")
    enter(desk, page.reason_edit)
    assert user(desk.world, ava).active is False
    desk.qtbot.waitUntil(lambda: page.active_button.text() == "Switch on", timeout=10_000)
    assert "switch the account on again" in page.active_form.title()
    # on again, by the keyboard
    type_into(desk.qtbot, page.reason_edit, "Back from secondment")
    enter(desk, page.reason_edit)
    assert user(desk.world, ava).active is True

    # an administrator cannot switch themselves off
    page.select(desk.world.logins["admin"])
    type_into(desk.qtbot, page.reason_edit, "Testing")
    with unchanged(desk.world.db, "switching off one's own account"):
        enter(desk, page.reason_edit)
    assert "own account" in page.active_form.banner_text()


def test_setting_a_password_is_for_a_shared_hub_only(desk: Desk, dialogs: Dialogs, backend: str) -> None:
    del dialogs
    page = open_users(desk)
    page.select(desk.world.logins["sam"])
    if backend == "sqlite":
        assert not page.set_password_edit.isEnabled()
        assert "no passwords" in page.password_form.intro.text()
        return
    assert page.set_password_edit.isEnabled()
    type_into(desk.qtbot, page.set_password_edit, "a brand new phrase")
    type_into(desk.qtbot, page.set_password_repeat, "a brand new phrasE")
    with unchanged(desk.world.db, "passwords that differ"):
        enter(desk, page.set_password_repeat)
    assert "not the same" in (page.password_form.message_at("password_repeat") or "")
    retype(desk, page.set_password_repeat, "a brand new phrase")
    QTest.keyClick(page.set_password_repeat, Qt.Key.Key_Return)
    desk.settle()
    assert page.password_form.banner_text() == ""
    assert "password is set" in page.password_form.outcome.text()
    assert page.set_password_edit.text() == ""


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_first_password_with_the_user(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    page = open_users(desk)
    login = f"first_{desk.world.logins['sam'].partition('_')[2]}"
    type_into(desk.qtbot, page.new_username, login)
    type_into(desk.qtbot, page.new_display_name, "Fay First")
    type_into(desk.qtbot, page.new_password, "a long enough first phrase")
    type_into(desk.qtbot, page.new_password_repeat, "a long enough first phrase")
    click(desk, page.add_form, "Add user")
    assert page.add_form.banner_text() == ""
    assert user(desk.world, login).display_name == "Fay First"
