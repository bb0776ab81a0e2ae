"""One tab of the work queues: a filter box, a table, and the buttons for what can be done from it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.words import counted
from mash_desk.gui.chase import CHASE_KEY
from mash_desk.gui.forms import load_form, need
from mash_desk.gui.inbox_models import AgencyRequestTableModel, HandOffTableModel, LoadedListModel
from mash_desk.gui.messages import shortcut_text
from mash_desk.gui.queue_model import FLAG_ICONS, QueueTableModel
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import ROW_ROLE, SORT_KEY_ROLE, RowsModel
from mash_desk.gui.words import tr
from mash_desk.services.queues import AgencyRequestRow, HandOffRow

SEARCH_DELAY_MS = 500
MAX_COLUMN = 420
ROWS_MEASURED = 100


class TablePanel(QWidget):
    """A sortable, filterable table of rows, each of which opens a contact."""

    open_requested = Signal(int)
    """Emitted with a contact id when the person opens a row (Enter, double-click or Open)."""

    def __init__(self, model: RowsModel[Any], *, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._empty_text = empty_text
        form = load_form("queue_panel.ui", self)
        self.filter_caption = need(form, QLabel, "filter_caption")
        self.filter_edit = need(form, QLineEdit, "filter_edit")
        self.search_edit = need(form, QLineEdit, "search_edit")
        self.search_caption = need(form, QLabel, "search_caption")
        self.count_label = need(form, QLabel, "count_label")
        self.view = need(form, QTableView, "table_view")
        self.main_layout = need(form, QVBoxLayout, "main_layout")
        # the table takes the height there is; an empty list hides it, and then what is left (its words, its
        # buttons) stays at the top instead of being spread down the page with gaps between
        self.main_layout.setStretchFactor(self.view, 1)
        self.main_layout.addStretch()
        self.view.setAccessibleName(tr("The rows of this list: Enter opens the one selected"))
        self.empty_label = need(form, QLabel, "empty_label")
        self.open_button = need(form, QPushButton, "open_button")
        self.buttons_row = need(form, QHBoxLayout, "buttons_row")
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_KEY_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.view.setModel(self.proxy)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.view.setSortingEnabled(True)
        if model.tick_column is not None:  # most urgent first, until the person sorts otherwise
            self.view.sortByColumn(model.tick_column, Qt.SortOrder.AscendingOrder)
        self.view.activated.connect(lambda _index: self.open_current())
        self.open_button.setText(tr("Open (Enter)"))
        self.open_button.setToolTip(tr("Open the selected contact — Enter, or double-click the row"))
        self.open_button.clicked.connect(self.open_current)
        self.filter_edit.setPlaceholderText(tr("narrow the rows shown ({key})").format(key=shortcut_text("Ctrl+F")))
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter_edit.returnPressed.connect(self.view.setFocus)
        focus_filter = QAction(tr("Filter"), self)
        focus_filter.setShortcut(QKeySequence("Ctrl+F"))
        focus_filter.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        focus_filter.triggered.connect(self.focus_filter)
        self.addAction(focus_filter)
        self.search_caption.hide()
        self.search_edit.hide()
        model.modelReset.connect(self._rows_changed)
        model.rowsInserted.connect(self._rows_changed)
        model.rowsRemoved.connect(self._rows_changed)
        self.proxy.layoutChanged.connect(self._rows_changed)
        self.empty_label.hide()
        self._sized = False
        self._fit_pending = False
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_columns)
        self._led_page: QWidget | None = None
        self._row_actions: list[QPushButton | QAction] = []
        """What a page added to act on the selected row: unavailable while the list has no row to act on. (Not
        Open: a queue's Open stays where the keyboard's path through the window expects it.)"""
        self._heading: QLabel | None = None
        # a column is measured on at most this many rows, those in sight first, not on every row of a long list
        header.setResizeContentsPrecision(ROWS_MEASURED)

    def add_button(self, text: str, shortcut: str, slot: Any) -> QPushButton:
        """A button that acts on the selected row, with its shortcut shown and working."""
        button = QPushButton(f"{text} ({shortcut_text(shortcut)})", self)
        button.setToolTip(f"{text} — {shortcut_text(shortcut)}")
        button.clicked.connect(slot)
        self.buttons_row.insertWidget(self.buttons_row.count() - 1, button)
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        self._row_actions.extend((button, action))
        self._enable_row_actions()
        return button

    def _enable_row_actions(self) -> None:
        has_rows = self.model.rowCount() > 0
        for control in self._row_actions:
            control.setEnabled(has_rows)

    def lead_focus_of(self, page: QWidget) -> None:
        """``page`` hands its focus to this list's table while the table is shown. An empty list hides it,
        and a focus proxy that is hidden takes no focus: Tab stopped at the page. So an empty list's page
        has no proxy (Tab goes on to the filter), and takes the focus itself; when rows arrive, the table
        becomes its proxy again and Qt moves the focus into it."""
        self._led_page = page
        # the table comes first in the Tab order, as it takes the page's focus, and the filter right after
        # it: forward Tab went from the tab bar to the table, and never reached the filter above it
        QWidget.setTabOrder(self.view, self.filter_edit)
        self._hand_focus_on()

    def headed_by(self, heading: QLabel) -> None:
        """``heading``'s Alt key goes into this list: to its table while it has rows, and to its filter
        (the section's first control) while it is empty. An empty list hides its table, and a hidden buddy
        takes no focus: the key did nothing."""
        self._heading = heading
        self._point_heading()

    def _point_heading(self) -> None:
        if self._heading is None:
            return
        target = self.filter_edit if self.view.isHidden() else self.view
        if self._heading.buddy() is not target:
            self._heading.setBuddy(target)

    def _hand_focus_on(self) -> None:
        if self._led_page is None:
            return
        target = None if self.view.isHidden() else self.view
        if self._led_page.focusProxy() is not target:
            self._led_page.setFocusProxy(target)  # type: ignore[arg-type]  # None clears it; the stubs omit None

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def focus_table(self) -> None:
        self.view.setFocus()
        if not self.view.selectionModel().hasSelection() and self.proxy.rowCount():
            self.view.selectRow(0)

    def current_row(self) -> Any:
        rows = self.view.selectionModel().selectedRows()
        index = rows[0] if rows else self.view.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.data(index, ROW_ROLE)

    def contact_id_of(self, row: Any) -> int | None:
        contact_id = getattr(row, "contact_id", None)
        return contact_id if isinstance(contact_id, int) else None

    def open_current(self) -> None:
        contact_id = self.contact_id_of(self.current_row())
        if contact_id is not None:
            emit(self.open_requested, contact_id)

    def _rows_changed(self) -> None:
        shown = self.model.rowCount()
        self.empty_label.setText(self._empty_text)
        empty = shown == 0 and not self.is_loading()
        self.empty_label.setVisible(empty)
        self.view.setVisible(shown > 0 or self.is_loading())
        # an empty list's page hands Tab and its heading's Alt key to the filter: a screen reader landing
        # there hears that the list is empty, not only "filter"
        self.filter_edit.setAccessibleDescription(self._empty_text if empty else "")
        self._hand_focus_on()
        self._point_heading()
        self.count_label.setText(self.count_text())
        self.count_label.setVisible(not empty)  # "0 merges, the newest first." says less than the empty list's words
        self._enable_row_actions()
        if shown:
            self._fit_columns_when_seen()
        if shown and not self.view.selectionModel().hasSelection():
            self.view.selectRow(0)

    def _fit_columns_when_seen(self) -> None:
        """Measuring a column asks for every cell in it, so a list out of sight (a queue tab not shown) is
        measured when it is first shown, and one already on screen is measured once however many signals
        one page of rows sends (inserted, sorted, counted, loaded): at once for its first rows, so they
        are never painted cut short, and on the next turn of the event loop after that."""
        if not self.isVisible():
            self._fit_pending = True
        elif not self._sized:
            self._fit_columns()
        else:
            self._fit_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_pending:
            self._fit_columns()

    def _fit_columns(self) -> None:
        self._fit_pending = False
        if not self.model.rowCount():
            return
        if not self._sized:
            # once, when the first rows are seen: every word fits (OVERDUE is never cut short)
            self._sized = True
            self.view.resizeColumnsToContents()
            # a long text gives way (MAX_COLUMN at most), but only as it is measured: a header-wide maximum
            # also held the last column, which stretches to fill the table, to that width, so a reason was
            # cut short beside empty space; and the reader may still widen any column by hand
            for column in range(self.proxy.columnCount()):
                if self.view.columnWidth(column) > MAX_COLUMN:
                    self.view.setColumnWidth(column, MAX_COLUMN)
            tick = self.model.tick_column
            if tick is not None:  # a countdown grows ("9h left" → "OVERDUE 10d 2h"): leave it room
                self.view.setColumnWidth(tick, int(self.view.columnWidth(tick) * 1.4))
            # measuring set the last column to its words' width too; the header stretches it to the table's
            # edge again only when it is next resized, which a list read out of sight and then shown (a page
            # behind another tab) never was: it stopped short, beside an empty box. Asked again, it stretches;
            # where there is no room to stretch into it keeps its words' width (the table scrolls sideways)
            last = self.proxy.columnCount() - 1
            measured = self.view.columnWidth(last)
            header = self.view.horizontalHeader()
            header.setStretchLastSection(False)
            header.setStretchLastSection(True)
            if self.view.columnWidth(last) < measured:
                self.view.setColumnWidth(last, measured)
        else:
            self._widen_to_fit()

    def _widen_to_fit(self) -> None:
        """Columns grow to fit what a reload brought ("not chased" becoming "1× — last 17:17 by Sam
        Carter") but never shrink: a column that narrowed under the reader's eye would move the rest."""
        for column in range(self.proxy.columnCount()):
            if self.view.isColumnHidden(column):
                continue
            needed = min(self.view.sizeHintForColumn(column), MAX_COLUMN)
            if needed > self.view.columnWidth(column):
                self.view.setColumnWidth(column, needed)

    def is_loading(self) -> bool:
        return False

    def count_text(self) -> str:
        return counted(self.model.rowCount(), tr("row"), tr("rows"))


class QueuePanel(TablePanel):
    """A work queue: paged from the database, searchable there, filterable here."""

    model: QueueTableModel

    def __init__(self, model: QueueTableModel, *, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(model, empty_text=empty_text, parent=parent)
        self.search_caption.show()
        self.search_edit.show()
        self.search_edit.setPlaceholderText(
            tr("reference or family name, whole queue ({key})").format(key=shortcut_text("Ctrl+Shift+F"))
        )
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)
        self.search_edit.textEdited.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.search_now)
        focus_search = QAction(tr("Search the queue"), self)
        focus_search.setShortcut(QKeySequence("Ctrl+Shift+F"))
        focus_search.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        focus_search.triggered.connect(self.focus_search)
        self.addAction(focus_search)
        model.total_changed.connect(lambda _total: self._rows_changed())
        model.page_loaded.connect(self._rows_changed)
        model.load_failed.connect(self._load_failed)
        for column in model.hidden_columns():
            self.view.setColumnHidden(column, True)
        self.legend = IconLegend(model.icon_for, self)
        self.main_layout.insertWidget(self.main_layout.indexOf(self.view) + 1, self.legend)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def search_now(self) -> None:
        self._search_timer.stop()
        self.model.set_search(self.search_edit.text())

    def is_loading(self) -> bool:
        return self.model.loading or self.model.total is None

    def count_text(self) -> str:
        total = self.model.total
        loaded = self.model.rowCount()
        searching = tr(" matching “{term}”").format(term=self.model.search) if self.model.search else ""
        if total is None:
            return tr("Loading…")
        if loaded < total:
            return tr("Showing the {loaded:,} most urgent of {total:,}{searching} — scroll down for more.").format(
                loaded=loaded, total=total, searching=searching
            )
        return tr("{contacts}{searching}, most urgent first.").format(
            contacts=counted(total, tr("contact"), tr("contacts")), searching=searching
        )

    def _load_failed(self, exc: MashDeskError) -> None:
        self.count_label.setText(tr("The queue could not be read: {problem}. It will try again.").format(problem=exc))


class AgencyRequestsPanel(TablePanel):
    """Checks asked of my agency: open the contact, or record our return straight away."""

    return_requested = Signal(object)
    """Emitted with the selected ``AgencyRequestRow`` (Record our return)."""

    def __init__(self, model: AgencyRequestTableModel, parent: QWidget | None = None) -> None:
        super().__init__(model, empty_text=tr("No checks are waiting for your agency."), parent=parent)
        self.return_button = self.add_button(tr("Record our return…"), "Ctrl+Shift+E", self._return)
        self._wire(model)

    def _wire(self, model: LoadedListModel[Any]) -> None:
        model.loaded.connect(self._rows_changed)

    def _return(self) -> None:
        row = self.current_row()
        if isinstance(row, AgencyRequestRow):
            emit(self.return_requested, row)

    def count_text(self) -> str:
        return tr("{checks} waiting for your agency, most urgent first.").format(
            checks=counted(self.model.rowCount(), tr("check"), tr("checks"))
        )


class HandOffsPanel(TablePanel):
    """Hand-offs to my team: accept (the team takes the case) or reject with a reason."""

    accept_requested = Signal(object)
    """Emitted with the selected ``HandOffRow`` (Accept)."""
    reject_requested = Signal(object)
    """Emitted with the selected ``HandOffRow`` (Reject)."""

    def __init__(self, model: HandOffTableModel, parent: QWidget | None = None) -> None:
        super().__init__(model, empty_text=tr("No hand-off is waiting for your team."), parent=parent)
        self.accept_button = self.add_button(tr("Accept"), "Ctrl+Shift+K", self._accept)
        self.reject_button = self.add_button(tr("Reject…"), "Ctrl+Shift+J", self._reject)
        model.loaded.connect(self._rows_changed)

    def _accept(self) -> None:
        row = self.current_row()
        if isinstance(row, HandOffRow):
            emit(self.accept_requested, row)

    def _reject(self) -> None:
        row = self.current_row()
        if isinstance(row, HandOffRow):
            emit(self.reject_requested, row)

    def count_text(self) -> str:
        return tr("{hand_offs} waiting for your team to accept.").format(
            hand_offs=counted(self.model.rowCount(), tr("hand-off"), tr("hand-offs"))
        )


class SentHandOffsPanel(TablePanel):
    """Hand-offs my team (the MASH) sent that the receiving team has not accepted: chase it (Ctrl+K)."""

    chase_requested = Signal(object)
    """Emitted with the selected ``HandOffRow`` (Chase the team)."""

    def __init__(self, model: HandOffTableModel, parent: QWidget | None = None) -> None:
        super().__init__(model, empty_text=tr("Every hand-off your team sent has been accepted."), parent=parent)
        self.chase_button = self.add_button(tr("Chase the team…"), CHASE_KEY, self._chase)
        model.loaded.connect(self._rows_changed)

    def _chase(self) -> None:
        row = self.current_row()
        if isinstance(row, HandOffRow):
            emit(self.chase_requested, row)

    def count_text(self) -> str:
        return tr("{hand_offs} sent and not yet accepted, the oldest deadline first.").format(
            hand_offs=counted(self.model.rowCount(), tr("hand-off"), tr("hand-offs"))
        )


class IconLegend(QWidget):
    """What each icon in the table means, on screen beside it (a tooltip is found by nobody)."""

    def __init__(self, icon_for: Callable[[str], QIcon], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("icon_legend")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        caption = QLabel(tr("Icons:"), self)
        caption.setProperty("muted", True)
        row.addWidget(caption)
        self.entries: list[str] = []
        for name, words in FLAG_ICONS:
            picture = QLabel(self)
            picture.setPixmap(icon_for(name).pixmap(16, 16))
            text = QLabel(tr(words), self)
            text.setProperty("muted", True)
            row.addWidget(picture)
            row.addWidget(text)
            row.addSpacing(10)
            self.entries.append(text.text())
        row.addStretch(1)
        self.setAccessibleName(tr("Icons: {what}").format(what=", ".join(self.entries)))
