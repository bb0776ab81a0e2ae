"""A workstation carries on when the hub's server fails over.

Sam signs in through the connection dialog with the profile IT lays down for a hub with two servers
(and the standby for reports), types a contact, and presses Ctrl+S; the primary dies half-way
through the save. The window says nothing was saved and keeps every character, the status bar says
the database is not answering; the standby is promoted, the window says it is connected again, and
the one Retry lands the contact exactly once — on the server that took over, where it opens.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from mash_desk.credentials import MemoryStore
from mash_desk.gui.connection_dialog import ConnectionDialog
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.messages import ErrorChoice
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.theme import Theme
from mash_desk.profiles import load_user_profiles
from mash_desk.services.context import utc_now
from mash_desk.services.signin import SignedIn
from mash_desk.store.reporting import HubDatabase, reports_database
from tests.gui.conftest import Dialogs, Shown
from tests.gui.helpers import CTRL, fill_valid_contact, press, type_into
from tests.security.failover import FailoverHub, crash_before, failover_hub

NARRATIVE = "Police attended a domestic incident; Ruby was present."


@pytest.fixture
def hub() -> Iterator[FailoverHub]:
    with failover_hub() as pair:
        yield pair


def sign_in_through_the_dialog(
    qtbot: QtBot, runner: TaskRunner, settings: QSettings, hub: FailoverHub, who: str
) -> SignedIn:
    profile = hub.profile()
    dialog = ConnectionDialog(runner, MemoryStore(), settings, [profile], preselect=profile)
    qtbot.addWidget(dialog)
    dialog.show()
    assert str(hub.primary.port) in dialog.profile_details.text()
    assert str(hub.standby.port) in dialog.profile_details.text()
    assert dialog.reporting_edit.text() == profile.reporting_url
    dialog.login_edit.clear()
    type_into(qtbot, dialog.login_edit, hub.world.logins[who])
    type_into(qtbot, dialog.password_edit, hub.password(who))
    with qtbot.waitSignal(dialog.signed_in, timeout=20_000, raising=False) as signed:
        press(qtbot, dialog.password_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    assert signed.signal_triggered, dialog.status_text()
    session = signed.args[0]
    assert isinstance(session, SignedIn)
    # kept as the person's own profile: both servers, the reporting server and the hub's CA
    assert load_user_profiles() == [profile]
    return session


def test_the_window_says_what_happened_and_the_retried_save_lands_once_on_the_promoted_standby(
    qtbot: QtBot, runner: TaskRunner, theme: Theme, settings: QSettings, dialogs: Dialogs, hub: FailoverHub
) -> None:
    session = sign_in_through_the_dialog(qtbot, runner, settings, hub, "sam")
    assert isinstance(session.db, HubDatabase)
    assert reports_database(session.db) is session.db.reporting
    window = MainWindow(session, runner, theme, settings, utc_now, watch_changes=True)
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=15_000)
        servers = f"localhost:{hub.primary.port}, localhost:{hub.standby.port}"
        assert f"{hub.world.database} on {servers}; reports from" in window.who_label.text()
        press(qtbot, window.queues, Qt.Key.Key_N)
        form = window.intake
        assert form is not None
        fill_valid_contact(qtbot, form)
        typed = form.state()
        contacts_before = hub.count("contact")
        seen: dict[str, Any] = {}

        def when_told(shown: Shown) -> ErrorChoice:
            # the primary has gone half-way through the save: nothing of it may be anywhere
            seen["message"] = shown.args[2]
            seen["state"] = form.state()
            seen["banner"] = form.errors.banner_text()
            seen["contacts"] = hub.count("contact")  # read on the standby
            # the status bar says the database stopped answering (the change watcher's next poll)
            qtbot.waitUntil(window.connection_label.isVisible, timeout=15_000)
            seen["status"] = window.connection_label.text()
            hub.promote()
            # …and that it is back, on the server that took over
            qtbot.waitUntil(lambda: not window.connection_label.isVisible(), timeout=15_000)
            seen["back"] = window.statusBar().currentMessage()
            return ErrorChoice.RETRY

        dialogs.answer("error", when_told)
        dialogs.answer("rag", None)  # saved into her own work it goes on to its rating: Esc leaves it
        crashed = crash_before(session.db, "INSERT INTO", hub)
        with qtbot.waitSignal(form.contact_saved, timeout=40_000) as saved:
            press(qtbot, form.top["narrative"], Qt.Key.Key_S, CTRL)
        qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=15_000)

        assert crashed()
        assert len(dialogs.of("error")) == 1  # one failure, one Retry
        assert "Nothing was saved" in seen["message"]
        assert "try again" in seen["message"]
        assert seen["state"] == typed
        assert "everything you typed is still here" in seen["banner"]
        assert seen["contacts"] == contacts_before
        assert "not answering" in seen["status"]
        assert seen["back"] == "Connected to the database again."
        assert hub.count("contact") == contacts_before + 1
        assert hub.count("contact", narrative=NARRATIVE) == 1
        assert hub.standby.promoted
        assert not hub.primary.running

        # reads carry on: the new contact opens from the server that took over
        logged = saved.args[0]
        view = window.open_contact(logged.id)
        qtbot.waitUntil(lambda: view.detail is not None, timeout=15_000)
        assert view.detail is not None
        assert view.detail.reference == logged.reference
    finally:
        window.watcher.stop()
        window.close()
        runner.shutdown()
        session.close()
