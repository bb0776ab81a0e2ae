"""Signing in: the embedded database's users, a shared server's login with the keyring, and the plain
messages for a database that cannot be used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.engine import make_url

from mash_desk.credentials import MemoryStore
from mash_desk.gui.connection_dialog import ConnectionDialog
from mash_desk.gui.tasks import TaskRunner
from mash_desk.profiles import EMBEDDED, POSTGRESQL, ConnectionProfile
from mash_desk.services.signin import SignedIn
from mash_desk.store.database import Database
from tests.gui.helpers import press, type_into
from tests.support import World


def dialog_for(
    qtbot: QtBot, runner: TaskRunner, settings: QSettings, profile: ConnectionProfile, store: MemoryStore | None = None
) -> ConnectionDialog:
    dialog = ConnectionDialog(runner, store or MemoryStore(), settings, [profile], preselect=profile)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=10_000)
    return dialog


def embedded(path: str) -> ConnectionProfile:
    return ConnectionProfile(name="This computer", kind=EMBEDDED, sqlite_path=path)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_embedded_database_lists_its_people_and_signs_in(
    qtbot: QtBot, world: World, runner: TaskRunner, settings: QSettings
) -> None:
    dialog = dialog_for(qtbot, runner, settings, embedded(str(world.db.url.database)))
    names = [dialog.users_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.users_list.count())]
    assert {"sam", "maria", "pc_jones", "ava"} <= set(names)
    shown = {
        dialog.users_list.item(i).data(Qt.ItemDataRole.UserRole): dialog.users_list.item(i).text()
        for i in range(len(names))
    }
    # a partner says which agency they are from; nobody is shown as a code
    assert "partner agency, " in shown["pc_jones"]
    assert "Police" in shown["pc_jones"]
    assert "practitioner, MASH Team" in shown["sam"]
    assert all("_" not in text.split(" (")[0] for text in shown.values())
    dialog.users_list.setFocus()
    dialog.users_list.setCurrentRow(names.index("sam"))
    assert dialog.username_edit.text() == "sam"
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signed:
        press(qtbot, dialog.users_list, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    session = signed.args[0]
    assert isinstance(session, SignedIn)
    assert session.actor.display_name == "Sam Carter"
    assert session.schema.up_to_date
    session.close()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_unknown_name_is_refused_plainly(
    qtbot: QtBot, world: World, runner: TaskRunner, settings: QSettings
) -> None:
    dialog = dialog_for(qtbot, runner, settings, embedded(str(world.db.url.database)))
    type_into(qtbot, dialog.username_edit, "nobody")
    dialog.submit()
    qtbot.waitUntil(lambda: bool(dialog.status_text()), timeout=10_000)
    assert "'nobody' is not a MASH Desk user" in dialog.status_text()
    assert dialog.result_session is None


def test_a_database_that_is_not_set_up_says_what_to_do_and_can_be_set_up(
    qtbot: QtBot, tmp_path: Path, runner: TaskRunner, settings: QSettings
) -> None:
    dialog = dialog_for(qtbot, runner, settings, embedded(str(tmp_path / "new.sqlite3")))
    assert "mash-desk db upgrade" in dialog.status_text()
    assert dialog.setup_button.isVisible()
    QTest.mouseClick(dialog.setup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "no users yet" in dialog.status_text(), timeout=20_000)
    assert not dialog.setup_button.isVisible()


def test_a_database_newer_than_the_program_is_refused(
    qtbot: QtBot, tmp_path: Path, sqlite_template: Path, runner: TaskRunner, settings: QSettings
) -> None:
    path = tmp_path / "newer.sqlite3"
    shutil.copyfile(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff9999'"))
    db.dispose()
    dialog = dialog_for(qtbot, runner, settings, embedded(str(path)))
    assert "newer version of MASH Desk" in dialog.status_text()
    assert not dialog.setup_button.isVisible()


def test_an_unreachable_server_is_said_plainly(qtbot: QtBot, runner: TaskRunner, settings: QSettings) -> None:
    server = ConnectionProfile(name="Gone", kind=POSTGRESQL, host="127.0.0.1", port=1, database="mash_desk")
    dialog = dialog_for(qtbot, runner, settings, server)
    type_into(qtbot, dialog.login_edit, "sam")
    dialog.submit()
    qtbot.waitUntil(lambda: bool(dialog.status_text()), timeout=20_000)
    assert "could not be reached" in dialog.status_text()


def test_without_a_keyring_the_password_is_asked_each_time(
    qtbot: QtBot, runner: TaskRunner, settings: QSettings
) -> None:
    server = ConnectionProfile(name="Hub", kind=POSTGRESQL, host="127.0.0.1", port=1, database="mash_desk")
    dialog = dialog_for(qtbot, runner, settings, server, MemoryStore(available=False))
    assert dialog.keyring_note.isVisible()
    assert "never written to a file" in dialog.keyring_note.text()
    assert not dialog.remember_check.isVisible()  # nothing to tick that could not be kept
    assert not dialog.remember_check.isChecked()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_shared_server_signs_in_as_the_database_login_and_remembers_the_password_in_the_keyring(
    qtbot: QtBot, world: World, runner: TaskRunner, settings: QSettings
) -> None:
    url = make_url(world.db.url.render_as_string(hide_password=False))
    server = ConnectionProfile(
        name="Hub", kind=POSTGRESQL, host=url.host or "127.0.0.1", port=url.port or 5432, database=url.database or ""
    )
    store = MemoryStore()
    dialog = dialog_for(qtbot, runner, settings, server, store)
    assert not dialog.keyring_note.isVisible()
    assert dialog.remember_check.isVisible()
    dialog.login_edit.clear()  # whoever signed in last on this computer is filled in
    type_into(qtbot, dialog.login_edit, world.logins["sam"])
    type_into(qtbot, dialog.password_edit, "correct horse")
    dialog.remember_check.setChecked(True)
    with qtbot.waitSignal(dialog.signed_in, timeout=15_000) as signed:
        dialog.submit()
    session = signed.args[0]
    assert session.actor.username == world.logins["sam"]
    assert store.saved == {(server.key, world.logins["sam"]): "correct horse"}
    session.close()
    again = dialog_for(qtbot, runner, settings, server, store)
    assert again.login_edit.text() == world.logins["sam"]  # remembered in the window settings
    assert again.password_edit.text() == "correct horse"
    assert again.remember_check.isChecked()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_typing_a_name_in_the_list_and_pressing_return_signs_that_person_in(
    qtbot: QtBot, world: World, runner: TaskRunner, settings: QSettings
) -> None:
    dialog = dialog_for(qtbot, runner, settings, embedded(str(world.db.url.database)))
    dialog.users_list.setFocus()
    QTest.keyClicks(dialog.users_list, "Priya")  # the list's own type-ahead finds her
    assert dialog.username_edit.text() == "priya"
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signed:
        press(qtbot, dialog.users_list, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    assert signed.args[0].actor.username == "priya"
    signed.args[0].close()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_choose_someone_message_goes_once_a_name_is_given(
    qtbot: QtBot, world: World, runner: TaskRunner, settings: QSettings
) -> None:
    dialog = dialog_for(qtbot, runner, settings, embedded(str(world.db.url.database)))
    dialog.username_edit.clear()
    dialog.users_list.setCurrentRow(-1)
    dialog.submit()
    assert "Choose who is signing in" in dialog.status_text()
    assert dialog.username_edit.hasFocus()
    assert dialog.username_edit.text() == ""
    type_into(qtbot, dialog.username_edit, "sam")
    assert dialog.status_text() == ""
    dialog.username_edit.clear()
    dialog.submit()
    assert "Choose who is signing in" in dialog.status_text()
    dialog.users_list.setCurrentRow(0)  # picking someone in the list is giving a name too
    assert dialog.status_text() == ""
    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=10_000)
