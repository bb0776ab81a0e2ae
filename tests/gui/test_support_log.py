"""The log in the window: Help ▸ About and the crash dialog both name the file support asks for, and a
bug's traceback is written to it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from mash_desk.gui.about_dialog import AboutDialog
from mash_desk.gui.messages import CrashDialog, install_crash_handler
from mash_desk.gui.tasks import TaskRunner
from tests.gui.conftest import Dialogs, signed_in
from tests.logfile import fresh_log, log_text
from tests.support import World

__all__ = ["fresh_log"]  # a fixture, used by name


def test_about_names_the_log_file_and_opens_its_folder(
    qtbot: QtBot, world: World, runner: TaskRunner, fresh_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", opened.append)
    about = AboutDialog(runner, signed_in(world, "sam"))
    qtbot.addWidget(about)
    about.show()
    shown = about.findChild(QLabel, "log_value")
    assert shown is not None
    assert shown.text() == str(fresh_log)
    database = about.findChild(QLabel, "database_value")
    assert database is not None
    session = signed_in(world, "sam")
    assert database.text().startswith(f"{session.profile.name} — ")
    assert "://" not in database.text()
    assert "+" not in database.text()
    assert about.open_log_button.isEnabled()
    about.open_log_button.setFocus()  # as Tab reaches it
    QTest.keyClick(about.open_log_button, Qt.Key.Key_Space)
    assert opened == [QUrl.fromLocalFile(str(fresh_log.parent))]
    qtbot.waitUntil(lambda: runner.in_flight == 0)


def test_enter_closes_about_and_never_opens_the_file_manager(
    qtbot: QtBot, world: World, runner: TaskRunner, fresh_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", opened.append)
    for key, modifier in ((Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier), (Qt.Key.Key_Return, None)):
        about = AboutDialog(runner, signed_in(world, "sam"))
        qtbot.addWidget(about)
        about.show()
        qtbot.waitExposed(about)
        about.activateWindow()
        qtbot.waitUntil(about.isActiveWindow, timeout=10_000)
        focus = QApplication.focusWidget()
        assert isinstance(focus, QPushButton)
        assert focus is not about.open_log_button
        with qtbot.waitSignal(about.finished, timeout=5_000):
            if modifier is None:
                QTest.keyClick(focus, key)
            else:
                QTest.keyClick(focus, key, modifier)
        qtbot.waitUntil(lambda: runner.in_flight == 0)
    assert opened == []


def _look_up(key: str) -> str:
    found: dict[str, str] = {}
    return found[key]


def test_a_bug_goes_to_the_log_and_the_crash_dialog_names_it(
    qtbot: QtBot, qapp: QApplication, dialogs: Dialogs, fresh_log: Path
) -> None:
    dialogs.answer("crash", None)
    uninstall = install_crash_handler(qapp)
    try:
        try:
            _look_up("missing")
        except KeyError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        uninstall()
    (shown,) = dialogs.of("crash")
    details = shown.args[1]
    assert "KeyError: 'missing'" in details
    text = log_text(fresh_log)
    assert "ERROR mash_desk.gui.messages: unexpected error" in text
    assert "KeyError: 'missing'" in text

    crash = CrashDialog.for_bug(None, details)
    qtbot.addWidget(crash)
    assert f"The details are also in MASH Desk's log file: {fresh_log}" in crash.message_label.text()
    # the first thing said is that nothing is lost; the traceback waits behind "Show details"
    assert crash.message_label.text().startswith("Your work is safe.")
    crash.show()
    assert not crash.details.isVisible()
    show = next(b for b in crash.findChildren(QPushButton) if b.text() == "Show &details")
    QTest.mouseClick(show, Qt.MouseButton.LeftButton)
    assert crash.details.isVisible()
    assert "KeyError: 'missing'" in crash.details.toPlainText()
