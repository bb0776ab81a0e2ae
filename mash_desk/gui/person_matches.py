"""Possible existing records for the child being typed, with their history at the MASH.

The search runs on a worker, 300 ms after the typing stops, whatever the spelling (the service
matches sound-alike names, dates of birth and NHS numbers). The best match is selected, so linking
it is one keystroke (Ctrl+L).
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.validation import format_nhs_number
from mash_desk.domain.words import counted
from mash_desk.gui.messages import shortcut_text
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import ROW_ROLE, Cell, RowsModel
from mash_desk.gui.widgets import leave_on_tab
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import day, enum_words, short_when, tr
from mash_desk.services.search import PersonMatch, PersonQuery, find_people

SEARCH_DELAY_MS = 300
LINK_SHORTCUT = "Ctrl+L"
OPEN_SHORTCUT = "Ctrl+O"


class MatchColumn(IntEnum):
    WHO = 0
    IDENTITY = 1
    HISTORY = 2


class PersonMatchModel(RowsModel[PersonMatch]):
    """Three columns whose text wraps rather than runs off the side of a narrow panel: who (born, NHS
    number, why they may match), where they live and who their parents are, and their history here."""

    columns = MatchColumn

    def header(self, column: int) -> str:
        return {
            MatchColumn.WHO: self.tr("Who"),
            MatchColumn.IDENTITY: self.tr("Address and parents"),
            MatchColumn.HISTORY: self.tr("Earlier contacts"),
        }[MatchColumn(column)]

    def key(self, row: PersonMatch) -> int:
        return row.person_id

    def cell(self, row: PersonMatch, column: int, now: datetime) -> Cell:
        match MatchColumn(column):
            case MatchColumn.WHO:
                born = day(row.date_of_birth) or (
                    tr("expected {date}").format(date=day(row.expected_date_of_birth))
                    if row.expected_date_of_birth
                    else tr("not known")
                )
                lines = [row.name, tr("born {born}").format(born=born)]
                if row.nhs_number:
                    lines.append(tr("NHS {number}").format(number=format_nhs_number(row.nhs_number)))
                if row.reasons:
                    lines.append(tr("({reasons})").format(reasons=", ".join(row.reasons)))
                return Cell("\n".join(lines), -row.score, tooltip=tr("Match score {score:.2f}").format(score=row.score))
            case MatchColumn.IDENTITY:
                parents = "; ".join(f"{name} ({enum_words(kind).lower()})" for name, kind in row.parents)
                lines = [row.address or tr("no address recorded"), parents or tr("no parents recorded")]
                return Cell("\n".join(lines), row.address or "")
            case MatchColumn.HISTORY:
                return history_cell(row, now)
        raise AssertionError(column)  # pragma: no cover


def history_cell(row: PersonMatch, now: datetime) -> Cell:
    """Earlier contacts (a re-referral stands out), and an open case said in words under them."""
    open_case = ""
    if row.open_case_team is not None:
        worker = f" ({row.allocated_worker})" if row.allocated_worker else ""
        open_case = "\n" + tr("OPEN CASE: {team}{worker}").format(team=row.open_case_team, worker=worker)
    if row.last_contact_at is None:
        text = tr("none") + open_case
        return Cell(text, 0, "open-case" if open_case else None, tr("Already known to a team") if open_case else None)
    text = tr("{count} in 12 months; last {last}").format(
        count=row.contacts_last_12_months, last=short_when(row.last_contact_at, now)
    )
    if row.re_referral:
        return Cell(
            tr("RE-REFERRAL: ") + text + open_case,
            row.contacts_last_12_months,
            "re-referral",
            tr("Named in a contact in the last 12 months: this would be a re-referral."),
            ("amber_bg", "amber_text"),
            bold=True,
        )
    return Cell(text + open_case, row.contacts_last_12_months, "open-case" if open_case else None)


class MatchesPanel(QWidget):
    """The list of possible existing records beside the intake form."""

    link_requested = Signal(object)
    """Emitted with the chosen ``PersonMatch`` (Ctrl+L, Enter, a double-click or the Link button)."""
    searched = Signal()
    """Emitted when a search has finished and its results are showing."""
    open_requested = Signal(int)
    """Emitted with the selected match's person id when the reader asks to see their record (Ctrl+O)."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = window.runner
        self._ctx = window.ctx
        self._generation = 0
        self._pending: PersonQuery | None = None
        self.subject = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        self.title_label = QLabel(tr("Possible existing records"), self)
        self.title_label.setProperty("subheading", True)
        layout.addWidget(self.title_label)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setProperty("muted", True)
        layout.addWidget(self.status_label)
        self.model = PersonMatchModel(window.theme, window.clock, self)
        self.view = leave_on_tab(QTableView(self))
        self.view.setModel(self.model)
        self.view.setAccessibleName(tr("Possible existing records"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # the panel is narrow: columns share its width and long text wraps, so nothing is cut off
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(header.fontMetrics().horizontalAdvance("NHS 000 000 0000") + 16)
        self.view.activated.connect(lambda _index: self.link_selected())
        layout.addWidget(self.view, 1)
        self.children_label = QLabel(self)
        self.children_label.setWordWrap(True)
        self.children_label.setAccessibleName(tr("Children on this contact"))
        layout.addWidget(self.children_label)
        self.link_button = QPushButton(self)
        self.link_button.setText(tr("Link to this child ({key})").format(key=shortcut_text(LINK_SHORTCUT)))
        self.link_button.setToolTip(tr("Use the selected record for the child you are typing: one child, one record."))
        self.link_button.clicked.connect(self.link_selected)
        layout.addWidget(self.link_button)
        self.link_action = QAction(tr("Link the selected record"), self)
        self.link_action.setShortcut(QKeySequence(LINK_SHORTCUT))
        self.link_action.triggered.connect(self.link_selected)
        self.open_action = QAction(tr("Open the selected record"), self)
        self.open_action.setShortcut(QKeySequence(OPEN_SHORTCUT))
        self.open_action.triggered.connect(self.open_selected)
        self.open_button = QPushButton(self)
        self.open_button.setText(tr("See their record ({key})").format(key=shortcut_text(OPEN_SHORTCUT)))
        self.open_button.setToolTip(tr("Every earlier contact about the selected person, in a tab of its own"))
        self.open_button.clicked.connect(self.open_selected)
        layout.addWidget(self.open_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self._show_status(tr("Type a child's name, date of birth or NHS number to look for an existing record."))

    def show_children(self, children: list[tuple[str, bool]]) -> None:
        """Each child typed so far, and whether they are linked to an existing record yet."""
        lines = [
            tr("{name}: linked to an existing record").format(name=name)
            if linked
            else tr("{name}: not linked, a new record will be made").format(name=name)
            for name, linked in children
        ]
        waiting = sum(1 for _name, linked in children if not linked)
        heading = (
            tr("Every child is linked or new: check each before saving.")
            if not waiting
            else tr("{children} not linked to an existing record:").format(
                children=counted(waiting, tr("child"), tr("children"))
            )
        )
        self.children_label.setText("\n".join([heading, *lines]) if children else "")
        self.children_label.setVisible(bool(children))

    def search_later(self, query: PersonQuery | None, subject: str) -> None:
        """Search for ``query`` once the typing pauses; None clears the list."""
        self._pending = query
        self.subject = subject
        self._timer.start()

    def search_now(self) -> None:
        query = self._pending
        self._generation += 1
        generation = self._generation
        if query is None:
            self.model.set_rows([])
            self._show_status(tr("Type at least two letters of a name, a date of birth or an NHS number."))
            self._update_link()
            return
        self._show_status(tr("Searching…"))
        ctx = self._ctx
        self._runner.run(
            lambda: find_people(ctx, query),
            lambda matches: self._show(generation, matches),
            lambda exc: self._failed(generation, exc),
            owner=self,
        )

    def _show(self, generation: int, matches: list[PersonMatch]) -> None:
        if generation != self._generation:
            return
        self.model.set_rows(matches)
        self.title_label.setText(tr("Possible existing records for {who}").format(who=self.subject))
        if matches:
            self.view.selectRow(0)
            self._show_status(
                tr("{records}. The best match is selected: {key} links it.").format(
                    records=counted(len(matches), tr("possible record"), tr("possible records")),
                    key=shortcut_text(LINK_SHORTCUT),
                )
            )
        else:
            self._show_status(tr("No existing record matches: a new record will be made."))
        self._update_link()
        emit(self.searched)

    def _failed(self, generation: int, exc: MashDeskError) -> None:
        if generation == self._generation:
            self._show_status(tr("The search could not run: {problem}").format(problem=exc))

    def selected(self) -> PersonMatch | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        match = self.model.data(rows[0], ROW_ROLE)
        return match if isinstance(match, PersonMatch) else None

    def link_selected(self) -> None:
        match = self.selected()
        if match is not None:
            emit(self.link_requested, match)

    def open_selected(self) -> None:
        match = self.selected()
        if match is not None:
            emit(self.open_requested, match.person_id)

    def _update_link(self) -> None:
        self.link_button.setEnabled(self.model.rowCount() > 0)
        self.open_button.setEnabled(self.model.rowCount() > 0)

    def _show_status(self, text: str) -> None:
        self.status_label.setText(text)

    def stop(self) -> None:
        self._timer.stop()
        self._generation += 1


def attach_link_shortcut(panel: MatchesPanel, scope: QObject) -> None:
    """Ctrl+L (link) and Ctrl+O (see the record) work anywhere in ``scope`` (the whole intake form)."""
    if isinstance(scope, QWidget):
        for action in (panel.link_action, panel.open_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            scope.addAction(action)
