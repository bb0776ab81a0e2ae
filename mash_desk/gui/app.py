"""The composition root: the application, theme, settings, keyring, task runner, and the windows.

Everything is built here and passed in through constructors; nothing is global. ``run_gui`` opens
the connection dialog (pre-selecting the embedded database, or the machine-wide profile IT laid
down), then the main window for whoever signed in.
"""

from __future__ import annotations

import linecache
import sys

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from mash_desk import __version__
from mash_desk.credentials import CredentialStore, KeyringStore
from mash_desk.domain.errors import InvalidInput
from mash_desk.gui.connection_dialog import ConnectionDialog
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.messages import ErrorDialog, install_crash_handler
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.theme import Theme
from mash_desk.paths import resource, settings_file
from mash_desk.profiles import EMBEDDED, EMBEDDED_NAME, ConnectionProfile, all_profiles
from mash_desk.services.context import utc_now
from mash_desk.services.signin import SignedIn
from mash_desk.services.workstation import profile_for_url


def application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication (made here, or the one a test harness already made)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("MASH Desk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("MASH Desk")
    app.setWindowIcon(QIcon(str(resource("icons", "mash-desk.png"))))
    return app


class Workstation(QObject):
    """Moves between signing in and working, and cleans up after each session."""

    def __init__(
        self,
        app: QApplication,
        theme: Theme,
        settings: QSettings,
        runner: TaskRunner,
        credentials: CredentialStore,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.theme = theme
        self.settings = settings
        self.runner = runner
        self.credentials = credentials
        self.window: MainWindow | None = None
        self.dialog: ConnectionDialog | None = None
        self.session: SignedIn | None = None

    def sign_in(
        self,
        *,
        preselect: ConnectionProfile | None = None,
        login: str | None = None,
        password: str | None = None,
        auto: bool = False,
    ) -> ConnectionDialog:
        try:
            profiles = all_profiles()
        except InvalidInput as exc:
            ErrorDialog.ask(None, "MASH Desk", str(exc))
            profiles = [ConnectionProfile(name=EMBEDDED_NAME, kind=EMBEDDED)]
        dialog = ConnectionDialog(
            self.runner,
            self.credentials,
            self.settings,
            profiles,
            preselect=preselect,
            login=login,
            password=password,
            auto_sign_in=auto,
        )
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.signed_in.connect(self.start_work)
        dialog.rejected.connect(self._dialog_cancelled)
        self.dialog = dialog
        dialog.show()
        return dialog

    def start_work(self, session: SignedIn) -> MainWindow:
        self.session = session
        self.dialog = None
        window = MainWindow(session, self.runner, self.theme, self.settings, utc_now)
        window.switch_requested.connect(self._switch)
        window.closed.connect(self._window_closed)
        window.password_changed.connect(self._password_changed)
        self.window = window
        window.show()
        return window

    def _password_changed(self, password: str) -> None:
        """A password remembered in the keyring follows the person's change (one never remembered stays so)."""
        session = self.session
        if session is None or not self.credentials.available():
            return
        key, login = session.profile.key, session.actor.username
        if self.credentials.get(key, login) is not None:
            self.credentials.set(key, login, password)

    def _switch(self) -> None:
        window = self.window
        if window is None:
            return
        self.window = None
        window.close()
        window.deleteLater()
        self._end_session()
        self.sign_in()

    def _window_closed(self) -> None:
        window = self.window
        if window is None:
            return  # signing in again: _switch has it in hand
        self.window = None
        window.deleteLater()
        self._end_session()
        self.app.quit()

    def _dialog_cancelled(self) -> None:
        if self.window is None:
            self.app.quit()

    def _end_session(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    def quit_now(self) -> None:
        """Close every window and leave (the installer's smoke test: ``--quit-after``)."""
        if self.dialog is not None:
            self.dialog.reject()
        if self.window is not None:
            self.window.close()
        self.app.quit()

    def shut_down(self) -> None:
        if self.window is not None:
            self.window.close()
        self.runner.shutdown()
        self._end_session()


def run_gui(database_url: str | None, user: str | None, *, quit_after_ms: int | None = None) -> int:
    """Open the window: sign in (to ``database_url``, or a chosen profile), then work. Returns the exit code."""
    # PySide6 reads the source of every module imported after it, looking for its ``__feature__``
    # switches, and the lines stay cached: about 10 MB by now that nothing will read again
    linecache.clearcache()
    app = application()
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    theme = Theme(app)
    uninstall_crash_handler = install_crash_handler(app)
    settings = QSettings(str(settings_file()), QSettings.Format.IniFormat)
    runner = TaskRunner(app)
    workstation = Workstation(app, theme, settings, runner, KeyringStore())
    preselect: ConnectionProfile | None = None
    password: str | None = None
    if database_url:
        preselect, password = profile_for_url(database_url)
        user = user or (preselect.user or None)
    # with a name to sign in as (--user, $MASH_DESK_USER, or the login in the URL) there is nothing to ask
    workstation.sign_in(preselect=preselect, login=user, password=password, auto=bool(user))
    if quit_after_ms is not None:
        QTimer.singleShot(quit_after_ms, workstation.quit_now)
    try:
        code = app.exec()
    finally:
        workstation.shut_down()
        uninstall_crash_handler()
        app.setQuitOnLastWindowClosed(quit_on_close)
        for part in (workstation, runner, theme):
            part.deleteLater()
    return int(code)
