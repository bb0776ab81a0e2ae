"""The work queues a person sees, by role and team: my work, my team, unassigned, agency checks, hand-offs."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from mash_desk.domain.enums import Role
from mash_desk.gui.chase import start_chase
from mash_desk.gui.contact_actions import ContactActions
from mash_desk.gui.dialogs.agency import ReturnRequest
from mash_desk.gui.inbox_models import AgencyRequestTableModel, HandOffTableModel
from mash_desk.gui.queue_model import QueueTableModel
from mash_desk.gui.queue_panels import AgencyRequestsPanel, HandOffsPanel, QueuePanel, SentHandOffsPanel, TablePanel
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services.queues import (
    AgencyRequestRow,
    HandOffRow,
    Queue,
    agency_requests,
    pending_hand_offs,
    works_the_front_door,
)

_Reloadable = QueueTableModel | AgencyRequestTableModel | HandOffTableModel


@dataclass
class QueueTab:
    key: str
    title: str
    panel: TablePanel


class QueuesArea(QWidget):
    open_requested = Signal(int)
    """Emitted with a contact id to open."""
    message = Signal(str)
    """Emitted with a sentence for the status bar."""

    def __init__(
        self,
        window: WindowContext,
        actions: ContactActions,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._actions = actions
        self._window = window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toolbar_row = QHBoxLayout()
        layout.addLayout(self.toolbar_row)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs)
        self.queue_models: dict[Queue, QueueTableModel] = {}
        self.tab_list: list[QueueTab] = []
        actor, ctx = window.actor, window.ctx
        role = actor.role
        wanted = []
        if role in (Role.PRACTITIONER, Role.MANAGER, Role.BUSINESS_SUPPORT):
            wanted.append((Queue.MINE, tr("My work"), tr("Nothing is assigned to you. Take the next item (Ctrl+T).")))
        if actor.team_id is not None and role is not Role.AGENCY:
            wanted.append((Queue.TEAM, tr("Team"), tr("Your team has no open contacts.")))
        if works_the_front_door(actor):  # a receiving team's work arrives as hand-offs, not from here
            wanted.append((Queue.UNASSIGNED, tr("Unassigned"), tr("Nothing is waiting to be picked up.")))
        # a manager's decisions are the Manager area's decision queue (Ctrl+1): one queue, one order, one set of keys
        for queue, title, empty in wanted:
            model = QueueTableModel(window, queue, parent=self)
            self.queue_models[queue] = model
            panel = QueuePanel(model, empty_text=empty, parent=self)
            model.total_changed.connect(lambda total, q=queue: self._count(q.value, total))
            self._add(QueueTab(queue.value, title, panel))
        self.agency_model: AgencyRequestTableModel | None = None
        if role is Role.AGENCY:
            self.agency_model = AgencyRequestTableModel(window, lambda: agency_requests(ctx), self)
            agency_panel = AgencyRequestsPanel(self.agency_model, self)
            agency_panel.return_requested.connect(self._record_return)
            self.agency_model.loaded.connect(lambda: self._count("agency", self._rows(self.agency_model)))
            self._add(QueueTab("agency", tr("Agency requests"), agency_panel))
        self.handoff_model: HandOffTableModel | None = None
        if actor.team_id is not None:
            self.handoff_model = HandOffTableModel(window, lambda: pending_hand_offs(ctx, mine_only=True), self)
            handoff_panel = HandOffsPanel(self.handoff_model, self)
            handoff_panel.accept_requested.connect(self._accept)
            handoff_panel.reject_requested.connect(self._reject)
            self.handoff_model.loaded.connect(lambda: self._count("handoffs", self._rows(self.handoff_model)))
            self._add(QueueTab("handoffs", tr("Hand-offs to my team"), handoff_panel))
        self.sent_model: HandOffTableModel | None = None
        if role is Role.PRACTITIONER and actor.team_id is not None and works_the_front_door(actor):
            # the managers see every hand-off on their Hand-offs page; a practitioner sees the MASH's own
            self.sent_model = HandOffTableModel(window, lambda: pending_hand_offs(ctx, sent_by_my_team=True), self)
            sent_panel = SentHandOffsPanel(self.sent_model, self)
            sent_panel.chase_requested.connect(self._chase)
            self.sent_model.loaded.connect(lambda: self._count("sent", self._rows(self.sent_model)))
            self._add(QueueTab("sent", tr("Hand-offs not accepted"), sent_panel))
        self.tabs.currentChanged.connect(lambda _index: self.focus_current())

    def _add(self, tab: QueueTab) -> None:
        number = len(self.tab_list) + 1
        self.tab_list.append(tab)
        index = self.tabs.addTab(tab.panel, tab.title)
        key = f"Alt+{number}"
        self.tabs.setTabToolTip(
            index, f"{tab.title} — {QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)}"
        )
        tab.panel.open_requested.connect(self.open_requested)
        switch = QAction(tab.title, self)
        switch.setShortcut(QKeySequence(key))
        switch.triggered.connect(lambda _checked=False, i=index: self.show_tab(i))
        self.addAction(switch)

    def _rows(self, model: AgencyRequestTableModel | HandOffTableModel | None) -> int:
        return model.rowCount() if model is not None else 0

    def _count(self, key: str, count: int) -> None:
        for index, tab in enumerate(self.tab_list):
            if tab.key == key:
                self.tabs.setTabText(index, f"{tab.title} ({count:,})")

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self.focus_current()

    def show_key(self, key: str) -> None:
        for index, tab in enumerate(self.tab_list):
            if tab.key == key:
                self.show_tab(index)

    def current_panel(self) -> TablePanel | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, TablePanel) else None

    def focus_current(self) -> None:
        panel = self.current_panel()
        if panel is not None:
            panel.focus_table()

    def load(self) -> None:
        """Read every queue and inbox: the tab on show first, the others once it has answered, so its rows are
        painted without sharing the workers (and a two-core machine) with tabs nobody is looking at yet."""
        shown = self.tabs.currentWidget()
        models = self._tab_models()
        first = next((model for panel, model in models if panel is shown), None)
        rest = [model for _panel, model in models if model is not first]
        if first is None:
            for model in rest:
                model.reload()
            return
        started = False

        def load_the_rest(*_answer: object) -> None:
            nonlocal started
            if not started:  # whichever comes first: the rows, or the reason there are none
                started = True
                for model in rest:
                    model.reload()

        answered = first.page_loaded if isinstance(first, QueueTableModel) else first.loaded
        for signal in (answered, first.load_failed):
            signal.connect(load_the_rest, Qt.ConnectionType.SingleShotConnection)
        first.reload()

    def _tab_models(self) -> list[tuple[QWidget, _Reloadable]]:
        """Each tab's panel and the model it shows, in the order of ``tab_list``."""
        by_key: dict[str, _Reloadable | None] = {queue.value: model for queue, model in self.queue_models.items()}
        by_key["agency"], by_key["handoffs"], by_key["sent"] = self.agency_model, self.handoff_model, self.sent_model
        return [(tab.panel, model) for tab in self.tab_list if (model := by_key.get(tab.key)) is not None]

    def apply_changes(self, contact_ids: Collection[int], everything: bool) -> None:
        """Contacts changed (here or elsewhere): patch the queues, reload the short inboxes."""
        for model in self.queue_models.values():
            model.apply_changes(contact_ids, everything=everything)
        for inbox in (self.agency_model, self.handoff_model, self.sent_model):
            if inbox is not None:
                inbox.reload()

    def _record_return(self, row: AgencyRequestRow) -> None:
        request = ReturnRequest(
            row.request_id, row.contact_id, row.reference, row.children, row.agency, row.question, row.due_at
        )
        self._actions.record_return(request, row.version, self)

    def _accept(self, row: HandOffRow) -> None:
        self._actions.accept_hand_off(row.handoff_id, row.contact_id, row.reference, self)

    def _reject(self, row: HandOffRow) -> None:
        self._actions.reject_hand_off(row.handoff_id, row.contact_id, row.reference, self)

    def _chase(self, row: HandOffRow) -> None:
        start_chase(self._window, row, self, lambda text: emit(self.message, text))
