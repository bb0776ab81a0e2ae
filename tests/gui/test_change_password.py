"""Change my password: offered on a shared PostgreSQL hub (disabled, saying why, on the embedded
database); the new one at least 12 characters and typed twice; a wrong current one said at its field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mash_desk.credentials import MemoryStore
from mash_desk.domain.errors import InvalidInput
from mash_desk.gui import password_dialog
from mash_desk.gui.app import Workstation
from mash_desk.gui.password_dialog import ChangePasswordDialog
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.theme import Theme
from mash_desk.profiles import POSTGRESQL, ConnectionProfile
from mash_desk.services.context import ServiceContext
from mash_desk.services.signin import SignedIn
from tests.gui.conftest import Desk, Dialogs, signed_in, window_context
from tests.gui.helpers import NONE, press, type_into
from tests.support import World, unchanged


def test_the_menu_offers_it_only_where_there_are_passwords(desk: Desk, dialogs: Dialogs, backend: str) -> None:
    del dialogs
    window = desk.window("sam")
    action = window.change_password_action
    assert action.shortcut().toString() == "Ctrl+Shift+M"
    if backend == "sqlite":
        assert not action.isEnabled()
        assert "not on the embedded database" in action.text()
        assert "no passwords" in action.toolTip()
    else:
        assert action.isEnabled()


def dialog_for(qtbot: QtBot, runner: TaskRunner, theme: Theme, world: World) -> ChangePasswordDialog:
    dialog = ChangePasswordDialog(window_context(runner, world.sam, theme, world.clock), world.logins["sam"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_the_new_password_is_checked_before_anything_is_sent(
    qtbot: QtBot, world: World, runner: TaskRunner, theme: Theme
) -> None:
    dialog = dialog_for(qtbot, runner, theme, world)
    type_into(qtbot, dialog.current_edit, "the current phrase")
    type_into(qtbot, dialog.new_edit, "too short")
    type_into(qtbot, dialog.repeat_edit, "too short")
    with unchanged(world.db, "a short password"):
        press(qtbot, dialog.repeat_edit, Qt.Key.Key_Return, NONE)
    assert "at least 12 characters" in (dialog.message_at("new_password") or "")
    assert dialog.new_edit.hasFocus()
    dialog.new_edit.clear()
    type_into(qtbot, dialog.new_edit, "long enough at last")
    with unchanged(world.db, "passwords that differ"):
        press(qtbot, dialog.new_edit, Qt.Key.Key_Return, NONE)
    assert "not the same" in (dialog.message_at("new_password_repeat") or "")
    assert dialog.isVisible()


def test_the_embedded_database_says_it_has_no_passwords(
    qtbot: QtBot, world: World, runner: TaskRunner, theme: Theme, backend: str
) -> None:
    dialog = dialog_for(qtbot, runner, theme, world)
    for edit, text in (
        (dialog.current_edit, "the current phrase"),
        (dialog.new_edit, "long enough at last"),
        (dialog.repeat_edit, "long enough at last"),
    ):
        type_into(qtbot, edit, text)
    if backend != "sqlite":
        return  # on the shared server the change itself is the next test's
    with unchanged(world.db, "a password on the embedded database"):
        press(qtbot, dialog.repeat_edit, Qt.Key.Key_Return, NONE)
        qtbot.waitUntil(lambda: runner.in_flight == 0 and dialog.ok_button.isEnabled(), timeout=10_000)
    assert "no passwords" in (dialog.message_at("new_password") or "")
    assert dialog.isVisible()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_wrong_current_password_is_said_at_its_field_and_the_right_one_changes_it(
    qtbot: QtBot, world: World, runner: TaskRunner, theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str]] = []

    def change(ctx: ServiceContext, current: str, new: str) -> None:
        calls.append((current, new))
        if current != "the current phrase":
            raise InvalidInput.single("current_password", f"That password is not right for {ctx.whoami().username}.")

    monkeypatch.setattr(password_dialog, "change_own_password", change)
    monkeypatch.setattr(password_dialog, "use_new_password", lambda _db, _password: None)
    dialog = dialog_for(qtbot, runner, theme, world)
    type_into(qtbot, dialog.current_edit, "a wrong guess")
    type_into(qtbot, dialog.new_edit, "long enough at last")
    type_into(qtbot, dialog.repeat_edit, "long enough at last")
    press(qtbot, dialog.repeat_edit, Qt.Key.Key_Return, NONE)
    qtbot.waitUntil(lambda: dialog.message_at("current_password") is not None, timeout=10_000)
    assert dialog.message_at("current_password") == f"That password is not right for {world.logins['sam']}."
    assert dialog.current_edit.hasFocus()
    assert dialog.isVisible()
    dialog.current_edit.clear()
    type_into(qtbot, dialog.current_edit, "the current phrase")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        press(qtbot, dialog.current_edit, Qt.Key.Key_Return, NONE)
    assert dialog.new_password == "long enough at last"
    assert calls == [("a wrong guess", "long enough at last"), ("the current phrase", "long enough at last")]


def test_a_remembered_password_follows_the_change(qapp: QApplication, world: World, runner: TaskRunner) -> None:
    store = MemoryStore()
    workstation = Workstation(qapp, None, None, runner, store)  # type: ignore[arg-type]
    session = signed_in(world, "sam")
    shared = ConnectionProfile(name="hub", kind=POSTGRESQL, host="db.example", database="mash")
    workstation.session = SignedIn(session.db, session.ctx, session.actor, shared, session.schema)
    login = session.actor.username
    workstation._password_changed("the new phrase here")
    assert store.get(shared.key, login) is None  # never remembered: not remembered now either
    store.set(shared.key, login, "the old phrase here")
    workstation._password_changed("the new phrase here")
    assert store.get(shared.key, login) == "the new phrase here"
    workstation.session = None
    workstation.deleteLater()
