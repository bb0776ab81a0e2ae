"""The connection dialog takes several servers and a reporting server, and says at the field what is
wrong with them, before anything is tried."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from mash_desk.credentials import MemoryStore
from mash_desk.gui.connection_dialog import ConnectionDialog
from mash_desk.gui.tasks import TaskRunner
from mash_desk.profiles import load_machine_profiles
from tests.gui.helpers import NONE, press, type_into


def new_server_dialog(qtbot: QtBot, runner: TaskRunner, settings: QSettings) -> ConnectionDialog:
    dialog = ConnectionDialog(runner, MemoryStore(), settings, [])  # only "Another shared database server…"
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.current_profile() is None
    return dialog


def test_a_bad_server_list_is_marked_at_the_field_as_the_person_leaves_it(
    qtbot: QtBot, runner: TaskRunner, settings: QSettings
) -> None:
    dialog = new_server_dialog(qtbot, runner, settings)
    type_into(qtbot, dialog.host_edit, "mash-db1,,mash-db2")
    press(qtbot, dialog.host_edit, Qt.Key.Key_Tab, NONE)
    assert "empty entry" in (dialog.field_errors.message_at("host") or "")
    assert dialog.port_spin.hasFocus()  # the message does not pull the person back
    dialog.host_edit.clear()
    type_into(qtbot, dialog.host_edit, "mash-db1, mash-db2:5433")
    press(qtbot, dialog.host_edit, Qt.Key.Key_Tab, NONE)
    assert dialog.field_errors.message_at("host") is None


def test_a_reporting_server_with_a_login_in_it_is_refused_at_its_field_and_nothing_is_tried(
    qtbot: QtBot, runner: TaskRunner, settings: QSettings
) -> None:
    dialog = new_server_dialog(qtbot, runner, settings)
    type_into(qtbot, dialog.host_edit, "127.0.0.1:1, 127.0.0.2:1")
    type_into(qtbot, dialog.reporting_edit, "postgresql://sam@mash-report/mash_desk")
    type_into(qtbot, dialog.login_edit, "sam")
    dialog.submit()
    assert "Reports are read with your own login" in (dialog.field_errors.message_at("reporting_url") or "")
    assert dialog.field_errors.message_at("host") is None
    assert "Put right what is marked below" in dialog.status_text()
    assert dialog.reporting_edit.hasFocus()
    assert runner.in_flight == 0  # nothing was tried

    dialog.reporting_edit.clear()
    type_into(qtbot, dialog.reporting_edit, "127.0.0.3:1")
    dialog.submit()
    assert dialog.field_errors.message_at("reporting_url") is None
    qtbot.waitUntil(lambda: "could not be reached" in dialog.status_text(), timeout=20_000)


def test_a_managed_profile_shows_its_servers_and_reporting_server_and_keeps_them(
    qtbot: QtBot, runner: TaskRunner, settings: QSettings, tmp_path: Path
) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(
        '[[profile]]\nname = "Hub"\nhost = ["mash-db1.council.local", "mash-db2.council.local:5433"]\n'
        'database = "mash_luton"\nsslmode = "verify-full"\nreporting_url = "mash-report.council.local"\n',
        encoding="utf-8",
    )
    (profile,) = load_machine_profiles(path)
    dialog = ConnectionDialog(runner, MemoryStore(), settings, [profile])
    qtbot.addWidget(dialog)
    details = dialog.profile_details.text()
    assert "mash-db1.council.local:5432, mash-db2.council.local:5433" in details
    assert "whichever takes saves" in details
    assert "reports from mash-report.council.local" in details
    assert dialog.reporting_edit.text() == "mash-report.council.local"
    assert dialog.reporting_edit.isReadOnly()
    assert dialog.host_edit.isReadOnly()
    dialog.show()
    assert not dialog.server_group.isVisible()  # IT's settings are not offered as boxes to type in
    assert dialog.login_group.isVisible()
