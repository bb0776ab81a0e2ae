"""Users: everyone who may sign in to this hub, adding someone, changing what they do, switching an
account off or on (with a reason), and setting a password on a shared PostgreSQL hub.

On PostgreSQL each change goes through the database's own functions (a login, its group, its
password); on the embedded database there are no passwords, and the page says so.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.enums import Role
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.validation import normalise_email, normalise_phone
from mash_desk.domain.words import counted
from mash_desk.gui.admin.form import AdminForm
from mash_desk.gui.admin.lists_page import heading
from mash_desk.gui.admin.models import UserColumn, UserListModel
from mash_desk.gui.password_dialog import password_edit, password_problems
from mash_desk.gui.queue_panels import TablePanel
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import ROW_ROLE
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.widgets import enum_data, fill_codes, fill_enum, set_combo_value
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import agency_code_tip, enum_words, tr
from mash_desk.services.admin import (
    UserRow,
    add_user,
    list_agencies,
    list_teams,
    list_users,
    set_user_active,
    set_user_gcp_licensed,
    set_user_job,
    set_user_password,
)

NO_TEAM = ""


class UserListPanel(TablePanel):
    """The people, filterable (Ctrl+F); selecting one fills the forms beside it."""

    model: UserListModel

    def count_text(self) -> str:
        active = sum(1 for row in self.model.rows() if row.active)
        return tr("{users}, {active} who can sign in.").format(
            users=counted(self.model.rowCount(), tr("user"), tr("users")), active=active
        )


class UsersPage(QWidget):
    message = Signal(str)
    """Emitted with a sentence for the status bar."""

    def __init__(
        self,
        window: WindowContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner = window.runner
        self._ctx = ctx = window.ctx
        self._actor = window.actor
        self._passwords = ctx.db.is_postgresql
        self._keep_selected: int | None = None
        self.model = UserListModel(window, lambda: list_users(ctx), self)
        self.model.loaded.connect(self._users_loaded)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(heading(tr("Users"), self))
        self.panel = UserListPanel(self.model, empty_text=tr("Nobody has been added yet."), parent=self)
        self.panel.open_button.hide()
        self.panel.view.setAccessibleName(tr("Users"))
        self.panel.view.sortByColumn(UserColumn.NAME, Qt.SortOrder.AscendingOrder)
        self.panel.view.selectionModel().currentRowChanged.connect(lambda current, _prev: self._picked(current))
        left.addWidget(self.panel, 1)
        layout.addLayout(left, 3)
        self.panel.lead_focus_of(self)

        side = QWidget(self)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        self._build_add_form(runner, side)
        column.addWidget(self.add_form)
        self._build_selected_forms(runner, side)
        for form in (self.job_form, self.active_form, self.licence_form, self.password_form):
            column.addWidget(form)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(scroll, 2)
        for form in (self.add_form, self.job_form, self.active_form, self.licence_form, self.password_form):
            form.done.connect(lambda sentence: emit(self.message, sentence))
        self._picked(QModelIndex())

    # --- building ----------------------------------------------------------------------------------

    def _job_fields(self, form: AdminForm, prefix: str) -> tuple[QComboBox, QComboBox, QComboBox]:
        # mnemonics unique on the page, and clear of the menus' (Work, Contact, View, Reports, Administration, Help)
        role = form.field("role", tr("Jo&b:") if prefix else tr("&Job:"), QComboBox(self))
        fill_enum(role, Role)
        agency = form.field("agency", tr("Agency:") if prefix else tr("A&gency:"), QComboBox(self))
        team = form.field("team", tr("Team:") if prefix else tr("&Team:"), QComboBox(self))
        return role, agency, team

    def _build_add_form(self, runner: TaskRunner, parent: QWidget) -> None:
        form = AdminForm(tr("Add a user"), runner, parent)
        self.add_form = form
        self.new_username = form.field("username", tr("&Login:"), QLineEdit(self))
        self.new_username.setPlaceholderText("jsmith")
        self.new_display_name = form.field("display_name", tr("&Name:"), QLineEdit(self))
        self.new_role, self.new_agency, self.new_team = self._job_fields(form, "")
        set_combo_value(self.new_role, Role.PRACTITIONER)
        self.new_job_title = form.field("job_title", tr("Job t&itle (on letters):"), QLineEdit(self))
        self.new_phone = form.field("phone", tr("Phone (on letter&s):"), QLineEdit(self))
        self.new_email = form.field("email", tr("&E-mail (on letters):"), QLineEdit(self))
        self.new_password = form.field("password", tr("First pa&ssword:"), password_edit(self))
        self.new_password_repeat = form.field("password_repeat", tr("Password once &more:"), password_edit(self))
        if self._passwords:
            form.explain(
                tr(
                    "The login is the person's database login. Give them the first password in person; "
                    "they can change it from Work ▸ Change my password."
                )
            )
        else:
            form.explain(tr("The embedded database has no passwords: people pick their name when signing in."))
            for edit in (self.new_password, self.new_password_repeat):
                form.rows.setRowVisible(edit, False)
        self.add_button = form.button(tr("&Add user"), self.add, primary=True)

    def _build_selected_forms(self, runner: TaskRunner, parent: QWidget) -> None:
        self.job_form = AdminForm(tr("Job, team and agency"), runner, parent)
        self.job_role, self.job_agency, self.job_team = self._job_fields(self.job_form, "selected")
        self.save_job_button = self.job_form.button(tr("&Update job"), self.save_job, primary=True)

        self.active_form = AdminForm(tr("Switch the account off or on"), runner, parent)
        self.reason_edit = self.active_form.field("reason", tr("Reas&on:"), QLineEdit(self))
        self.reason_edit.setPlaceholderText(tr("e.g. left the MASH on 31 March"))
        self.reason_edit.returnPressed.connect(self.switch_active)
        self.active_button = self.active_form.button(tr("Switch off"), self.switch_active)

        self.licence_form = AdminForm(tr("Graded Care Profile 2 licence"), runner, parent)
        self.licence_form.explain(
            tr(
                "Only someone trained and licensed for the Graded Care Profile 2 may record one; the shared "
                "database refuses anyone else's."
            )
        )
        self.licence_button = self.licence_form.button(tr("Mar&k as trained and licensed"), self.switch_licence)

        self.password_form = AdminForm(tr("Set their password"), runner, parent)
        self.set_password_edit = self.password_form.field("password", tr("New password:"), password_edit(self))
        self.set_password_repeat = self.password_form.field(
            "password_repeat", tr("New password again:"), password_edit(self)
        )
        self.set_password_repeat.returnPressed.connect(self.set_password)
        self.set_password_button = self.password_form.button(tr("Set password"), self.set_password)
        if not self._passwords:
            self.password_form.explain(
                tr("The embedded database has no passwords: it belongs to whoever is signed in to this computer.")
            )
            for widget in (self.set_password_edit, self.set_password_repeat, self.set_password_button):
                widget.setEnabled(False)

    # --- reading -----------------------------------------------------------------------------------

    def reload(self) -> None:
        ctx = self._ctx
        current = self.selected()
        if self._keep_selected is None and current is not None:
            self._keep_selected = current.id
        self._runner.run(
            lambda: (list_agencies(ctx), [(name, name) for _id, name, _kind in list_teams(ctx)]),
            self._choices,
            self.add_form.refused,
            owner=self,
        )
        self.model.reload()

    def _choices(self, choices: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> None:
        agencies, teams = choices
        for combo in (self.new_agency, self.job_agency):
            chosen = combo.currentData() or "SOCIAL_CARE"
            fill_codes(combo, list(agencies), tip=agency_code_tip)
            set_combo_value(combo, chosen)
        for combo in (self.new_team, self.job_team):
            chosen = combo.currentData() or NO_TEAM
            fill_codes(combo, teams, blank=tr("(no team)"))
            set_combo_value(combo, chosen)
        self._picked(self.panel.view.currentIndex())

    def _users_loaded(self) -> None:
        wanted, self._keep_selected = self._keep_selected, None
        if wanted is None:
            return
        row = self.model.row_of(wanted)
        if row is not None:
            proxy = self.panel.proxy
            index = proxy.mapFromSource(self.model.index(row, 0))
            self.panel.view.setCurrentIndex(index)
            self.panel.view.selectRow(index.row())

    def selected(self) -> UserRow | None:
        index = self.panel.view.currentIndex()
        row = self.panel.proxy.data(index, ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, UserRow) else None

    def select(self, username: str) -> None:
        for row in self.model.rows():
            if row.username == username:
                index = self.panel.proxy.mapFromSource(self.model.index(self.model.row_of(row.id) or 0, 0))
                self.panel.view.setCurrentIndex(index)
                return

    def _picked(self, _index: QModelIndex) -> None:
        user = self.selected()
        for form in (self.job_form, self.active_form, self.licence_form, self.password_form):
            form.setEnabled(user is not None)
        if user is None:
            self.job_form.setTitle(tr("Job, team and agency (choose someone in the list)"))
            return
        name = user.display_name
        self.job_form.setTitle(tr("{name}: job, team and agency").format(name=name))
        set_combo_value(self.job_role, user.role)
        set_combo_value(self.job_agency, user.agency_code)
        set_combo_value(self.job_team, user.team or NO_TEAM)
        self.active_form.setTitle(
            tr("{name}: switch the account off").format(name=name)
            if user.active
            else tr("{name}: switch the account on again").format(name=name)
        )
        self.active_button.setText(tr("Switch off") if user.active else tr("Switch on"))
        self.licence_form.setTitle(
            tr("{name}: trained and licensed for the Graded Care Profile 2").format(name=name)
            if user.gcp_licensed
            else tr("{name}: not licensed for the Graded Care Profile 2").format(name=name)
        )
        self.licence_button.setText(
            tr("Remove the licence mar&k") if user.gcp_licensed else tr("Mar&k as trained and licensed")
        )
        self.password_form.setTitle(tr("{name}: set their password").format(name=name))

    # --- changing ----------------------------------------------------------------------------------

    def _changed(self, form: AdminForm, sentence: str, keep: int | None) -> None:
        form.succeeded(sentence)
        self._keep_selected = keep
        self.model.reload()

    def add(self) -> None:
        db, login = self._ctx.db, self._ctx.login
        username = self.new_username.text().strip()
        display_name = self.new_display_name.text()
        role = enum_data(self.new_role, Role) or Role.PRACTITIONER
        agency = str(self.new_agency.currentData() or "")
        team = str(self.new_team.currentData() or "") or None
        job_title, phone, email = self.new_job_title.text(), self.new_phone.text(), self.new_email.text()
        problems: dict[str, str] = {}
        for key, value, check in (("phone", phone, normalise_phone), ("email", email, normalise_email)):
            if value.strip():
                try:
                    check(value)
                except InvalidInput as exc:
                    problems[key] = next(iter(exc.field_errors.values()))
        password: str | None = None
        if self._passwords and (self.new_password.text() or self.new_password_repeat.text()):
            password = self.new_password.text()
            problems |= password_problems(
                password, self.new_password_repeat.text(), field="password", repeat_field="password_repeat"
            )
        if problems:
            self.add_form.fail(problems)
            return

        def added(user_id: int) -> None:
            for edit in (
                self.new_username,
                self.new_display_name,
                self.new_job_title,
                self.new_phone,
                self.new_email,
                self.new_password,
                self.new_password_repeat,
            ):
                edit.clear()
            self._changed(
                self.add_form, tr("Added {name} ({login}).").format(name=display_name.strip(), login=username), user_id
            )

        self.add_form.run(
            lambda: add_user(
                db,
                login,
                username=username,
                display_name=display_name,
                role=role,
                agency_code=agency,
                team_name=team,
                job_title=job_title,
                phone=phone,
                email=email,
                password=password,
            ),
            added,
            label=tr("Adding a user"),
        )

    def save_job(self) -> None:
        user = self.selected()
        if user is None:
            return
        ctx = self._ctx
        role = enum_data(self.job_role, Role) or user.role
        agency = str(self.job_agency.currentData() or "")
        team = str(self.job_team.currentData() or "") or None
        self.job_form.run(
            lambda: set_user_job(ctx, user.username, role=role, team_name=team, agency_code=agency),
            lambda _none: self._changed(
                self.job_form,
                tr("{name} is now {job}{team}.").format(
                    name=user.display_name, job=enum_words(role).lower(), team=f", {team}" if team else ""
                ),
                user.id,
            ),
            label=tr("Changing someone's job"),
        )

    def switch_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        ctx, reason, active = self._ctx, self.reason_edit.text(), not user.active

        def switched(_none: None) -> None:
            self.reason_edit.clear()
            sentence = (
                tr("{name} can sign in again.")
                if active
                else tr("{name}'s account is switched off: they cannot sign in.")
            )
            self._changed(self.active_form, sentence.format(name=user.display_name), user.id)

        self.active_form.run(
            lambda: set_user_active(ctx, user.username, active, reason), switched, label=tr("Switching an account")
        )

    def switch_licence(self) -> None:
        user = self.selected()
        if user is None:
            return
        ctx, licensed = self._ctx, not user.gcp_licensed
        sentence = (
            tr("{name} is marked trained and licensed: they may record a Graded Care Profile 2.")
            if licensed
            else tr("{name} is no longer marked licensed: they cannot record a Graded Care Profile 2.")
        ).format(name=user.display_name)
        self.licence_form.run(
            lambda: set_user_gcp_licensed(ctx, user.username, licensed),
            lambda _none: self._changed(self.licence_form, sentence, user.id),
            label=tr("Changing a Graded Care Profile 2 licence"),
        )

    def set_password(self) -> None:
        user = self.selected()
        if user is None or not self._passwords:
            return
        password = self.set_password_edit.text()
        problems = password_problems(
            password, self.set_password_repeat.text(), field="password", repeat_field="password_repeat"
        )
        if problems:
            self.password_form.fail(problems)
            return
        ctx = self._ctx

        def done(_none: None) -> None:
            self.set_password_edit.clear()
            self.set_password_repeat.clear()
            self.password_form.succeeded(
                tr("{name}'s password is set. Tell them in person, never by e-mail.").format(name=user.display_name)
            )

        self.password_form.run(
            lambda: set_user_password(ctx, user.username, password), done, label=tr("Setting a password")
        )
