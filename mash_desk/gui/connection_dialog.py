"""Choosing a database and signing in: the embedded database by default, or a shared PostgreSQL server.

Passwords go to the OS keyring when the person asks ("Remember my password on this computer"),
and nowhere else; where no keyring exists the dialog says so and asks each time.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QWidget,
)

from mash_desk.credentials import CredentialStore
from mash_desk.domain.errors import InvalidInput, MashDeskError, SchemaMismatch
from mash_desk.gui.field_errors import FieldErrorDisplay, set_flag
from mash_desk.gui.forms import load_form, need
from mash_desk.gui.signals import emit
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.widgets import ctrl_enter_finishes
from mash_desk.gui.words import role_words
from mash_desk.profiles import (
    EMBEDDED,
    POSTGRESQL,
    SSL_MODES,
    ConnectionProfile,
    load_user_profiles,
    save_user_profiles,
    validate_profile,
)
from mash_desk.services.signin import EmbeddedUsers, SignedIn, probe_embedded, set_up_embedded_database, sign_in

NEW_SERVER = "__new_server__"
PROFILE_KEY = "connection/profile"
LOGIN_KEY = "connection/login"


class ConnectionDialog(QDialog):
    """Pick a database, say who you are, sign in. The database work runs on a worker."""

    signed_in = Signal(object)
    """Emitted with a ``SignedIn`` once the database is reached, its schema checked and the person known."""

    def __init__(
        self,
        runner: TaskRunner,
        credentials: CredentialStore,
        settings: QSettings,
        profiles: list[ConnectionProfile],
        *,
        preselect: ConnectionProfile | None = None,
        login: str | None = None,
        password: str | None = None,
        auto_sign_in: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        ctrl_enter_finishes(self)
        self._runner = runner
        self._credentials = credentials
        self._settings = settings
        self._probe: EmbeddedUsers | None = None
        self._probe_generation = 0
        self._auto = auto_sign_in
        self._given_password = password
        self.result_session: SignedIn | None = None
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        form = load_form("connection_dialog.ui", self)
        self.profile_combo = need(form, QComboBox, "profile_combo")
        self.profile_details = need(form, QLabel, "profile_details")
        self.server_group = need(form, QGroupBox, "server_group")
        self.host_edit = need(form, QLineEdit, "host_edit")
        self.port_spin = need(form, QSpinBox, "port_spin")
        self.database_edit = need(form, QLineEdit, "database_edit")
        self.sslmode_combo = need(form, QComboBox, "sslmode_combo")
        self.reporting_edit = need(form, QLineEdit, "reporting_edit")
        self.embedded_group = need(form, QGroupBox, "embedded_group")
        self.users_list = need(form, QListWidget, "users_list")
        self.username_edit = need(form, QLineEdit, "username_edit")
        self.login_group = need(form, QGroupBox, "login_group")
        self.login_edit = need(form, QLineEdit, "login_edit")
        self.password_edit = need(form, QLineEdit, "password_edit")
        self.remember_check = need(form, QCheckBox, "remember_check")
        self.keyring_note = need(form, QLabel, "keyring_note")
        self.status_label = need(form, QLabel, "status_label")
        self.setup_button = need(form, QPushButton, "setup_button")
        self.busy_bar = need(form, QProgressBar, "busy_bar")
        buttons = need(form, QDialogButtonBox, "button_box")
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        self.sign_in_button = ok
        ok.setText(self.tr("&Sign in"))
        set_flag(ok, "primary", True)
        self.setMinimumWidth(580)
        self.field_errors = FieldErrorDisplay(self.status_label, self)
        for key, widget in (
            ("host", self.host_edit),
            ("port", self.port_spin),
            ("database", self.database_edit),
            ("sslmode", self.sslmode_combo),
            ("reporting_url", self.reporting_edit),
        ):
            self.field_errors.bind(key, widget)
        self.host_edit.editingFinished.connect(self._check_server_fields)
        self.reporting_edit.editingFinished.connect(self._check_server_fields)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.setup_button.clicked.connect(self._set_up)
        self.sslmode_combo.addItems(list(SSL_MODES))
        self.users_list.currentItemChanged.connect(self._user_picked)
        self.username_edit.textChanged.connect(self._name_given)
        self.users_list.itemActivated.connect(lambda _item: self.submit())
        self._show_status("")
        self.setup_button.hide()
        self.busy_bar.hide()
        for profile in profiles:
            self.profile_combo.addItem(profile.name, profile)
        self.profile_combo.addItem(self.tr("Another shared database server…"), NEW_SERVER)
        self.profile_combo.currentIndexChanged.connect(self._profile_changed)
        if login:
            self.username_edit.setText(login)
            self.login_edit.setText(login)
        self.profile_combo.setCurrentIndex(self._initial_index(profiles, preselect))
        self._profile_changed()
        self.resize(self.sizeHint().expandedTo(self.minimumSizeHint()).grownBy(self.contentsMargins()))

    # --- choosing ----------------------------------------------------------------------------------

    def _initial_index(self, profiles: list[ConnectionProfile], preselect: ConnectionProfile | None) -> int:
        if preselect is not None:
            for index, profile in enumerate(profiles):
                if profile == preselect:
                    return index
            self.profile_combo.insertItem(0, preselect.name, preselect)
            return 0
        remembered = str(self._settings.value(PROFILE_KEY, "") or "")
        names = [p.name for p in profiles]
        if remembered in names:
            return names.index(remembered)
        managed = [i for i, p in enumerate(profiles) if p.managed]
        if managed:
            return managed[0]
        embedded = [i for i, p in enumerate(profiles) if p.kind == EMBEDDED]
        return embedded[0] if embedded else 0

    def current_profile(self) -> ConnectionProfile | None:
        data = self.profile_combo.currentData()
        return data if isinstance(data, ConnectionProfile) else None

    def _profile_changed(self) -> None:
        self._release_probe()
        self.field_errors.clear()
        self._show_status("")
        self.setup_button.hide()
        profile = self.current_profile()
        embedded = profile is not None and profile.kind == EMBEDDED
        self.embedded_group.setVisible(embedded)
        # a profile IT laid down is shown in the details line above, not as boxes that look editable
        self.server_group.setVisible(not embedded and not (profile is not None and profile.managed))
        self.login_group.setVisible(not embedded)
        if profile is None:
            self.profile_details.setText(self.tr("Enter the server your IT department gave you."))
            for field in (self.host_edit, self.database_edit, self.reporting_edit):
                field.setReadOnly(False)
            self.port_spin.setReadOnly(False)
            self.sslmode_combo.setEnabled(True)
            self.sign_in_button.setEnabled(True)
            return
        self.profile_details.setText(profile.describe() if embedded else self._server_details(profile))
        if embedded:
            self.sign_in_button.setEnabled(False)
            self._start_probe(profile)
            return
        self.host_edit.setText(profile.host)
        self.port_spin.setValue(profile.port)
        self.database_edit.setText(profile.database)
        self.sslmode_combo.setCurrentText(profile.sslmode)
        self.reporting_edit.setText(profile.reporting_url)
        for field in (self.host_edit, self.database_edit, self.reporting_edit):
            field.setReadOnly(profile.managed)
        self.port_spin.setReadOnly(profile.managed)
        self.sslmode_combo.setEnabled(not profile.managed)
        if not self.login_edit.text():
            self.login_edit.setText(profile.user or str(self._settings.value(LOGIN_KEY, "") or ""))
        # asked only for a server: finding the keyring costs 20 MB and a tenth of a second at start-up
        self._explain_keyring()
        self._fill_password(profile)
        self.sign_in_button.setEnabled(True)
        if self._auto:
            self._auto = False
            self.submit()

    def _server_details(self, profile: ConnectionProfile) -> str:
        servers = ", ".join(str(server) for server in profile.servers)
        details = self.tr("{servers}, database {database}, SSL {sslmode}").format(
            servers=servers, database=profile.database, sslmode=profile.sslmode
        )
        if len(profile.servers) > 1:
            details += self.tr(" (whichever takes saves)")
        if profile.reporting_url:
            details += self.tr("; reports from {reporting}").format(reporting=profile.reporting_url)
        return details

    def _check_server_fields(self) -> None:
        """Check the server list and the reporting server as the person leaves them: the message goes
        under the field, and the focus goes where they were going."""
        profile = self.current_profile()
        if profile is not None and profile.managed:
            return
        try:
            self._server_profile(profile)
        except InvalidInput as exc:
            typed = {"host": self.host_edit.text().strip(), "reporting_url": self.reporting_edit.text().strip()}
            errors = {key: message for key, message in exc.field_errors.items() if typed.get(key)}
        else:
            errors = {}
        self.field_errors.show(errors, focus=False)

    def _explain_keyring(self) -> None:
        if self._credentials.available():
            self.keyring_note.hide()
            self.remember_check.show()
            return
        # not offered at all: a greyed-out box under the note still looked like a choice
        self.remember_check.setChecked(False)
        self.remember_check.hide()
        self.keyring_note.setText(
            self.tr(
                "This computer has no password keyring, so MASH Desk cannot remember your password: "
                "you will be asked for it each time. It is never written to a file."
            )
        )
        self.keyring_note.show()

    def _fill_password(self, profile: ConnectionProfile) -> None:
        if self._given_password is not None:
            self.password_edit.setText(self._given_password)
            return
        login = self.login_edit.text().strip()
        saved = self._credentials.get(profile.key, login) if login else None
        self.password_edit.setText(saved or "")
        self.remember_check.setChecked(saved is not None)

    def _choose_someone(self) -> str:
        return self.tr("Choose who is signing in, or type the user name.")

    def _name_given(self, text: str) -> None:
        # the request for a name is answered as soon as there is one (typed, or picked in the list)
        if text.strip() and self.status_text() == self._choose_someone():
            self._show_status("")

    def _user_picked(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.username_edit.setText(str(item.data(Qt.ItemDataRole.UserRole)))

    # --- the embedded database ---------------------------------------------------------------------

    def _start_probe(self, profile: ConnectionProfile) -> None:
        self._probe_generation += 1
        generation = self._probe_generation
        self.users_list.clear()
        self._busy(True)
        self._runner.run(
            lambda: probe_embedded(profile),
            lambda probe: self._probed(generation, probe),
            lambda exc: self._probe_failed(generation, exc),
            owner=self,
            label=self.tr("Opening the database"),
        )

    def _probed(self, generation: int, probe: EmbeddedUsers) -> None:
        if generation != self._probe_generation or self.current_profile() is None:
            probe.db.dispose()
            return
        self._busy(False)
        self._probe = probe
        self.users_list.clear()
        typed = self.username_edit.text().strip()
        for user in probe.users:
            who = role_words(user.role, team=user.team, agency=user.agency)
            item = QListWidgetItem(f"{user.display_name} — {who} ({user.username})")
            item.setData(Qt.ItemDataRole.UserRole, user.username)
            self.users_list.addItem(item)
            if user.username == typed:
                self.users_list.setCurrentItem(item)
        if not probe.users:
            self._show_status(
                self.tr("This database has no users yet. Add one with `mash-desk user add`, or fill it with demo data.")
            )
        self.sign_in_button.setEnabled(True)
        if self._auto and typed:
            self._auto = False
            self.submit()

    def _probe_failed(self, generation: int, exc: MashDeskError) -> None:
        if generation != self._probe_generation:
            return
        self._busy(False)
        self._show_status(str(exc))
        if isinstance(exc, SchemaMismatch) and "newer version" not in str(exc):
            self.setup_button.show()

    def _set_up(self) -> None:
        profile = self.current_profile()
        if profile is None or profile.kind != EMBEDDED:
            return
        self.setup_button.hide()
        self._busy(True)
        self._show_status("")
        self._runner.run(
            lambda: set_up_embedded_database(profile),
            lambda _versions: self._start_probe(profile),
            self._failed,
            owner=self,
            label=self.tr("Setting up the database"),
        )

    def _release_probe(self) -> None:
        self._probe_generation += 1
        if self._probe is not None:
            self._probe.db.dispose()
            self._probe = None

    # --- signing in --------------------------------------------------------------------------------

    def submit(self) -> None:
        """Sign in with what the form says (the Sign in button, Enter, or a double-clicked user)."""
        if not self.sign_in_button.isEnabled():
            return
        profile = self.current_profile()
        if profile is not None and profile.kind == EMBEDDED:
            login = self.username_edit.text().strip()
            if not login:
                self._show_status(self._choose_someone())
                # not the list: a list given the focus makes its first person current, which would fill
                # in a name nobody chose
                self.username_edit.setFocus()
                return
            self._start_sign_in(profile, login, None, self._probe)
            return
        self.field_errors.clear()
        try:
            server = self._server_profile(profile)
        except InvalidInput as exc:
            self.field_errors.show(exc.field_errors, summary=self.tr("Put right what is marked below, then sign in."))
            return
        login = self.login_edit.text().strip()
        if not login:
            self._show_status(self.tr("Enter your database login."))
            self.login_edit.setFocus()
            return
        self._start_sign_in(server, login, self.password_edit.text(), None)

    def _server_profile(self, profile: ConnectionProfile | None) -> ConnectionProfile:
        if profile is not None and profile.managed:
            return profile
        host = self.host_edit.text().strip()
        database = self.database_edit.text().strip()
        return validate_profile(
            {
                "name": profile.name if profile is not None else f"{database} on {host.split(',')[0].strip()}",
                "kind": POSTGRESQL,
                "host": host,
                "port": self.port_spin.value(),
                "database": database,
                "sslmode": self.sslmode_combo.currentText(),
                "reporting_url": self.reporting_edit.text().strip(),
                # what the form has no field for is kept from the profile (the hub's CA above all)
                "sslrootcert": profile.sslrootcert if profile is not None else "",
                "user": profile.user if profile is not None else "",
            }
        )

    def _start_sign_in(
        self, profile: ConnectionProfile, login: str, password: str | None, db: EmbeddedUsers | None
    ) -> None:
        self._busy(True)
        self._show_status("")
        self.sign_in_button.setEnabled(False)
        self._runner.run(
            lambda: sign_in(profile, login, password, db=db.db if db is not None else None),
            lambda session: self._done(session, password),
            self._failed,
            owner=self,
            label=self.tr("Signing in"),
        )

    def _done(self, session: SignedIn, password: str | None) -> None:
        self._busy(False)
        if self._probe is not None and self._probe.db is session.db:
            self._probe = None  # handed over to the session
        profile = session.profile
        self._settings.setValue(PROFILE_KEY, profile.name)
        self._settings.setValue(LOGIN_KEY, session.actor.username)
        if profile.kind == POSTGRESQL:
            self._keep_password(profile, session.actor.username, password)
            self._keep_profile(profile)
        self.result_session = session
        emit(self.signed_in, session)
        self.accept()

    def _keep_password(self, profile: ConnectionProfile, login: str, password: str | None) -> None:
        if not self._credentials.available():
            return
        if self.remember_check.isChecked() and password:
            self._credentials.set(profile.key, login, password)
        else:
            self._credentials.delete(profile.key, login)

    def _keep_profile(self, profile: ConnectionProfile) -> None:
        if profile.managed:
            return
        saved = load_user_profiles()
        if any(p.name == profile.name for p in saved):
            saved = [profile if p.name == profile.name else p for p in saved]
        else:
            saved.append(profile)
        save_user_profiles(saved)

    def _failed(self, exc: MashDeskError) -> None:
        self._busy(False)
        self.sign_in_button.setEnabled(True)
        self._show_status(str(exc))
        profile = self.current_profile()
        if isinstance(exc, SchemaMismatch) and profile is not None and profile.kind == EMBEDDED:
            self.setup_button.setVisible("newer version" not in str(exc))
        if self.password_edit.isVisible() and "password" in str(exc):
            self.password_edit.setFocus()
            self.password_edit.selectAll()

    # --- bits --------------------------------------------------------------------------------------

    def status_text(self) -> str:
        return "" if self.status_label.isHidden() else self.status_label.text()

    def _show_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def _busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)

    def reject(self) -> None:
        self._release_probe()
        super().reject()

    @classmethod
    def ask(
        cls,
        runner: TaskRunner,
        credentials: CredentialStore,
        settings: QSettings,
        profiles: list[ConnectionProfile],
        parent: QWidget | None = None,
    ) -> SignedIn | None:
        """Sign in again (switching database or user); None if the person cancels."""
        dialog = cls(runner, credentials, settings, profiles, parent=parent)
        dialog.exec()
        return dialog.result_session
