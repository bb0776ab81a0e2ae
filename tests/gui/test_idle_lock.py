"""The idle lock: it locks on a short timeout, hides every window's contents, keeps a half-typed contact
exactly as it was, and asks again who this is (a password on PostgreSQL, a button on the embedded
database). A wrong password gets its own message at the field. On SQLite and PostgreSQL.

The suite's own PostgreSQL server trusts local connections, so the password check itself
(``verify_password``) is replaced at the boundary here; it is tested for real, with SCRAM logins, in
``tests/security/test_reauthentication.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from mash_desk.domain.errors import WrongPassword
from mash_desk.gui import idle_lock
from mash_desk.gui.idle_lock import Cover, LockDialog
from mash_desk.gui.main_window import MainWindow
from mash_desk.profiles import EMBEDDED, ConnectionProfile
from mash_desk.services import policy
from mash_desk.services.context import ServiceContext
from mash_desk.services.signin import sign_in
from mash_desk.store.database import Database
from tests.gui.conftest import Desk, Dialogs, signed_in
from tests.gui.helpers import CTRL, CTRL_SHIFT, NONE, new_contact, press, type_into
from tests.support import World

Verifier = Callable[[ServiceContext, str], None]


def locked_window(desk: Desk, who: str, *, idle_ms: int) -> MainWindow:
    window = MainWindow(
        signed_in(desk.world, who), desk.runner, desk.theme, desk.settings, desk.world.clock, idle_lock_ms=idle_ms
    )
    desk.qtbot.addWidget(window)
    desk.windows.append(window)
    window.show()
    desk.focus(window)
    desk.settle()
    return window


def is_locked(window: MainWindow) -> bool:
    """Asked afresh each time (mypy would otherwise take the first answer for every later one)."""
    return window.idle_lock.locked


def lock_dialog(window: MainWindow) -> LockDialog:
    dialog = window.idle_lock.dialog
    assert dialog is not None
    return dialog


def assert_covered(window: QWidget) -> None:
    """Every point of the window shows the cover (or what is on it), never what is underneath."""
    covers = [child for child in window.findChildren(Cover) if child.parentWidget() is window]
    assert len(covers) == 1
    cover = covers[0]
    assert cover.isVisible()
    assert cover.geometry() == window.rect()
    for x in range(5, window.width(), max(window.width() // 12, 1)):
        for y in range(5, window.height(), max(window.height() // 12, 1)):
            hit = window.childAt(QPoint(x, y))
            assert hit is None or hit is cover or cover.isAncestorOf(hit), (x, y, type(hit).__name__)


def visible_text(widget: QWidget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def boundary(monkeypatch: pytest.MonkeyPatch, right: str) -> list[str]:
    """``verify_password`` replaced where the lock calls it: ``right`` is the password; the others are wrong."""
    tried: list[str] = []

    def verify(ctx: ServiceContext, password: str) -> None:
        tried.append(password)
        if password != right:
            raise WrongPassword(f"That password is not right for {ctx.whoami().username}.")

    monkeypatch.setattr(idle_lock, "verify_password", verify)
    return tried


def test_the_window_locks_when_idle_hiding_everything_and_keeping_the_typing(
    desk: Desk, dialogs: Dialogs, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    del dialogs
    tried = boundary(monkeypatch, "the right phrase for sam")
    window = locked_window(desk, "sam", idle_ms=400)
    form = new_contact(desk, window)
    given = form.child_editors[0].line("given_names")
    type_into(desk.qtbot, given, "Rub")  # half-typed, then the person walks away
    with desk.qtbot.waitSignal(window.idle_lock.locked_changed, timeout=10_000) as locked:
        pass
    assert locked.args == [True]
    dialog = lock_dialog(window)
    assert dialog.isVisible()
    assert_covered(window)
    assert window.windowTitle() == "MASH Desk — locked"
    assert "Rub" not in visible_text(dialog)
    assert "without use" in dialog.intro.text()
    login = desk.world.logins["sam"]

    if backend == "postgresql":
        assert dialog.password_edit.isVisible()
        desk.qtbot.waitUntil(dialog.password_edit.hasFocus, timeout=5_000)
        QTest.keyClick(dialog.password_edit, Qt.Key.Key_Escape)  # Escape does not unlock
        assert is_locked(window)
        type_into(desk.qtbot, dialog.password_edit, "a guess")
        press(desk.qtbot, dialog.password_edit, Qt.Key.Key_Return, NONE)
        desk.settle()
        assert is_locked(window)
        assert dialog.message_at("password") == f"That password is not right for {login}."
        assert dialog.password_edit.hasFocus()
        assert_covered(window)
        dialog.password_edit.clear()
        type_into(desk.qtbot, dialog.password_edit, "the right phrase for sam")
        press(desk.qtbot, dialog.password_edit, Qt.Key.Key_Return, NONE)
        desk.settle()
        assert tried == ["a guess", "the right phrase for sam"]
    else:
        assert not dialog.password_edit.isVisible()
        assert dialog.unlock_button.text().replace("&", "") == "I am Sam Carter — unlock"
        desk.qtbot.waitUntil(dialog.unlock_button.hasFocus, timeout=5_000)
        QTest.keyClick(dialog.unlock_button, Qt.Key.Key_Escape)
        assert is_locked(window)
        QTest.keyClick(dialog.unlock_button, Qt.Key.Key_Space)
        assert tried == []  # the embedded database has no passwords to check

    assert not is_locked(window)
    assert not window.findChildren(Cover)
    assert window.windowTitle() == "MASH Desk — Sam Carter"
    # everything as it was: the same tab, the same form, the typing and the keyboard where they were
    assert window.workspace.currentWidget() is form
    assert given.text() == "Rub"
    desk.qtbot.waitUntil(given.hasFocus, timeout=5_000)
    type_into(desk.qtbot, given, "y")
    assert given.text() == "Ruby"


def test_keyboard_and_mouse_use_restart_the_countdown(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window = locked_window(desk, "sam", idle_ms=60_000)
    timer = window.idle_lock.timer
    desk.qtbot.wait(150)
    before = timer.remainingTime()
    assert 0 < before <= 59_880
    QTest.keyClick(window.queues, Qt.Key.Key_Shift)
    assert timer.remainingTime() > before
    desk.qtbot.wait(150)
    before = timer.remainingTime()
    QTest.mouseMove(window.queues, QPoint(20, 20))
    QTest.mouseClick(window.queues, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(20, 20))
    assert timer.remainingTime() > before
    assert not is_locked(window)


def test_lock_now_from_the_keyboard_and_a_window_opened_while_locked_is_covered(
    desk: Desk, dialogs: Dialogs, backend: str
) -> None:
    del dialogs
    window = locked_window(desk, "maria", idle_ms=600_000)
    assert window.lock_action.shortcut().toString() == "Ctrl+Shift+H"
    # a dialog already open (half-filled) when the person steps away
    earlier = QDialog(window)
    earlier.setWindowTitle("Reassign MASH-0000007")
    QVBoxLayout(earlier).addWidget(QLabel("Ruby Okonkwo", earlier))
    earlier.show()
    desk.focus(window)
    press(desk.qtbot, window.queues, Qt.Key.Key_H, CTRL_SHIFT)
    assert is_locked(window)
    dialog = lock_dialog(window)
    assert "locked on request" in dialog.intro.text()
    assert_covered(window)
    assert_covered(earlier)
    assert earlier.isVisible()  # covered, not closed: it comes back as it was
    # the window's own shortcuts are out of reach while locked (Ctrl+G would ask for a reference)
    desk.qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    press(desk.qtbot, dialog, Qt.Key.Key_G, CTRL)
    assert is_locked(window)
    # something from work still running opens a window: it is covered, and the lock keeps the keyboard
    late = QDialog(window)
    late.setWindowTitle("MASH-0000042 for Amira Hussain")
    QVBoxLayout(late).addWidget(QLabel("Amira Hussain", late))
    late.show()
    desk.qtbot.waitUntil(lambda: any(c.parentWidget() is late for c in window.idle_lock.covers), timeout=5_000)
    assert late.windowTitle() == "MASH Desk — locked"
    desk.qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    if backend == "sqlite":
        QTest.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
        assert not is_locked(window)
        assert late.windowTitle() == "MASH-0000042 for Amira Hussain"
        assert earlier.windowTitle() == "Reassign MASH-0000007"
        assert earlier.isVisible()
    late.close()
    earlier.close()


def test_sign_in_as_someone_else_from_the_lock(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window = locked_window(desk, "sam", idle_ms=600_000)
    form = new_contact(desk, window)
    type_into(desk.qtbot, form.child_editors[0].line("given_names"), "Ruby")
    window.lock_now()
    dialog = lock_dialog(window)
    with desk.qtbot.waitSignal(window.switch_requested, timeout=5_000):
        QTest.mouseClick(dialog.switch_button, Qt.MouseButton.LeftButton)
    assert not is_locked(window)
    assert not window.findChildren(Cover)


@pytest.mark.parametrize("backend", ["sqlite"])  # a shared server's sign-in is as a login with a password
def test_the_lock_time_is_read_at_sign_in(world: World) -> None:
    policy.set_idle_lock_minutes(world.admin, 7)
    profile = ConnectionProfile(name="test", kind=EMBEDDED, sqlite_path=str(world.db.url.database))
    session = sign_in(profile, "sam", None, db=Database(str(world.db.url)))
    try:
        assert session.idle_lock_minutes == 7
        assert not session.has_passwords
    finally:
        session.close()
