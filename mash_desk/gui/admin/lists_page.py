"""Teams and agencies: the two lists, and a form under each to add one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.enums import AgencyKind, TeamKind
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.validation import normalise_email, normalise_phone
from mash_desk.gui.admin.form import AdminForm
from mash_desk.gui.admin.models import AgencyListModel, TeamListModel
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import ROW_ROLE, SORT_KEY_ROLE
from mash_desk.gui.widgets import enum_data, fill_codes, fill_enum, leave_on_tab, set_combo_value
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import agency_code_tip, tr
from mash_desk.services.admin import add_agency, add_team, list_agencies, list_teams


def list_view(model: QAbstractItemModel, name: str, parent: QWidget) -> QTableView:
    """A sortable, read-only table over ``model``: Tab reaches it, arrows move along it."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_KEY_ROLE)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    leave_on_tab(view)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    return view


def select_row(view: QTableView, matches: Callable[[object], bool]) -> None:
    """Make current the first row (in the order shown) whose item ``matches``; none if nothing does."""
    shown = view.model()
    for row in range(shown.rowCount()):
        if matches(shown.data(shown.index(row, 0), ROW_ROLE)):
            view.setCurrentIndex(shown.index(row, 0))
            return


def heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    set_flag(label, "subheading", True)
    return label


def _check_contact_details(phone: str, email: str) -> dict[str, str]:
    """The team's phone and e-mail print on letters: checked here by the domain's own rules."""
    errors: dict[str, str] = {}
    for key, value, check in (("phone", phone, normalise_phone), ("email", email, normalise_email)):
        if value.strip():
            try:
                check(value)
            except InvalidInput as exc:
                errors[key] = next(iter(exc.field_errors.values()))
    return errors


class TeamsAgenciesPage(QWidget):
    """Every agency and team in the hub; adding one makes it available to users and hand-offs at once."""

    message = Signal(str)
    """Emitted with a sentence for the status bar."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        runner, ctx = window.runner, window.ctx
        self._ctx = ctx
        self.agencies = AgencyListModel(window, lambda: list_agencies(ctx), self)
        self.teams = TeamListModel(window, lambda: list_teams(ctx), self)
        self.agencies.loaded.connect(self._agencies_loaded)
        layout = QHBoxLayout(self)

        left = QVBoxLayout()
        left.addWidget(heading(tr("Agencies"), self))
        self.agency_view = list_view(self.agencies, tr("Agencies"), self)
        left.addWidget(self.agency_view, 1)
        self.agency_form = AdminForm(tr("Add an agency"), runner, self)
        self.agency_code = self.agency_form.field("code", tr("C&ode:"), QLineEdit(self))
        self.agency_code.setPlaceholderText("YOUTH_JUSTICE")
        self.agency_name = self.agency_form.field("name", tr("&Name:"), QLineEdit(self))
        self.agency_kind = self.agency_form.field("kind", tr("&Kind:"), QComboBox(self))
        fill_enum(self.agency_kind, AgencyKind)
        self.add_agency_button = self.agency_form.button(tr("&Add agency"), self.add_agency, primary=True)
        for edit in (self.agency_code, self.agency_name):
            edit.returnPressed.connect(self.add_agency)
        left.addWidget(self.agency_form)
        layout.addLayout(left, 1)

        right = QVBoxLayout()
        right.addWidget(heading(tr("Teams"), self))
        self.team_view = list_view(self.teams, tr("Teams"), self)
        right.addWidget(self.team_view, 1)
        self.team_form = AdminForm(tr("Add a team"), runner, self)
        self.team_name = self.team_form.field("name", tr("Team na&me:"), QLineEdit(self))
        self.team_kind = self.team_form.field("kind", tr("K&ind:"), QComboBox(self))
        fill_enum(self.team_kind, TeamKind)
        self.team_agency = self.team_form.field("agency", tr("A&gency:"), QComboBox(self))
        self.team_phone = self.team_form.field("phone", tr("Phone (on letter&s):"), QLineEdit(self))
        self.team_email = self.team_form.field("email", tr("&E-mail (on letters):"), QLineEdit(self))
        self.add_team_button = self.team_form.button(tr("Add &team"), self.add_team, primary=True)
        for edit in (self.team_name, self.team_phone, self.team_email):
            edit.returnPressed.connect(self.add_team)
        right.addWidget(self.team_form)
        layout.addLayout(right, 1)
        for form in (self.agency_form, self.team_form):
            form.done.connect(lambda sentence: emit(self.message, sentence))
        self.setFocusProxy(self.agency_view)

    def reload(self) -> None:
        self.agencies.reload()
        self.teams.reload()

    def _agencies_loaded(self) -> None:
        chosen = self.team_agency.currentData() or "SOCIAL_CARE"
        fill_codes(self.team_agency, [(code, name) for code, name in self.agencies.rows()], tip=agency_code_tip)
        set_combo_value(self.team_agency, chosen)

    def add_agency(self) -> None:
        ctx = self._ctx
        code, name = self.agency_code.text().strip(), self.agency_name.text()
        kind = enum_data(self.agency_kind, AgencyKind) or AgencyKind.OTHER

        def added(_id: int) -> None:
            self.agency_code.clear()
            self.agency_name.clear()
            self.agency_form.succeeded(tr("Added the agency {name}.").format(name=name.strip()))
            self.agencies.reload()

        self.agency_form.run(lambda: add_agency(ctx, code, name, kind), added, label=tr("Adding an agency"))

    def add_team(self) -> None:
        ctx = self._ctx
        name = self.team_name.text()
        kind = enum_data(self.team_kind, TeamKind) or TeamKind.MASH
        agency = str(self.team_agency.currentData() or "")
        phone, email = self.team_phone.text(), self.team_email.text()
        problems = _check_contact_details(phone, email)
        if problems:
            self.team_form.fail(problems)
            return

        def added(_id: int) -> None:
            for edit in (self.team_name, self.team_phone, self.team_email):
                edit.clear()
            self.team_form.succeeded(tr("Added the team {name}.").format(name=name.strip()))
            self.teams.reload()

        self.team_form.run(
            lambda: add_team(ctx, name, kind, agency, phone=phone, email=email), added, label=tr("Adding a team")
        )
