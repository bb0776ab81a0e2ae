"""Two manager lists beside the decision queue: hand-offs no team has accepted yet (the cases that
fall between teams), and the team's open work, to reassign between workers or record oversight on."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.words import counted
from mash_desk.gui.chase import CHASE_KEY, start_chase
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.manager.models import PendingHandOffModel
from mash_desk.gui.manager.steps import WorkerList, oversight_step, start_reassign
from mash_desk.gui.queue_model import QueueTableModel
from mash_desk.gui.queue_panels import QueuePanel, TablePanel
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services.queues import Queue, QueueRow, pending_hand_offs


class PendingHandOffsPanel(TablePanel):
    """The list itself: a filter, the table, and Open (Enter)."""

    model: PendingHandOffModel

    def __init__(self, model: PendingHandOffModel, parent: QWidget | None = None) -> None:
        super().__init__(
            model, empty_text=tr("Every hand-off has been accepted: no case is between teams."), parent=parent
        )
        model.loaded.connect(self._rows_changed)

    def count_text(self) -> str:
        return tr("{hand_offs} not yet accepted.").format(
            hand_offs=counted(self.model.rowCount(), tr("hand-off"), tr("hand-offs"))
        )


class HandOffsPage(QWidget):
    """Every hand-off waiting for a team to accept it; overdue ones say so in capitals, with an icon.
    Chase the team (Ctrl+K): how is recorded on the contact and shown to the team beside the hand-off."""

    open_requested = Signal(int)
    """Emitted with a contact id to open in its own tab."""
    message = Signal(str)
    """Emitted with a sentence for the status bar."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = window.clock
        self._window = window
        ctx = window.ctx
        self.model = PendingHandOffModel(window, lambda: pending_hand_offs(ctx), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        set_flag(self.summary_label, "banner", "info")
        layout.addWidget(self.summary_label)
        self.panel = PendingHandOffsPanel(self.model, self)
        self.panel.view.setAccessibleName(tr("Hand-offs not yet accepted"))
        layout.addWidget(self.panel, 1)
        self.panel.open_requested.connect(self.open_requested)
        self.chase_button = self.panel.add_button(tr("Chase the team…"), CHASE_KEY, self.chase)
        self.model.loaded.connect(self._loaded)
        self.model.load_failed.connect(self._failed)
        window.flow.contact_changed.connect(lambda _contact_id: self.reload())

    def chase(self) -> None:
        start_chase(self._window, self.panel.current_row(), self, lambda text: emit(self.message, text))

    def reload(self) -> None:
        self.model.reload()

    def _loaded(self) -> None:
        total = self.model.rowCount()
        overdue = self.model.overdue(self._clock())
        text = (
            tr("1 hand-off waiting for a team to accept it.")
            if total == 1
            else tr("{hand_offs} waiting for a team to accept them, the oldest deadline first.").format(
                hand_offs=counted(total, tr("hand-off"), tr("hand-offs"))
            )
        )
        if overdue:
            text += " " + tr("⚠ {overdue} OVERDUE: chase the receiving team today.").format(overdue=overdue)
        self.summary_label.setText(text)
        state = "error" if overdue else "info"
        if self.summary_label.property("banner") != state:
            set_flag(self.summary_label, "banner", state)

    def _failed(self, exc: MashDeskError) -> None:
        self.summary_label.setText(tr("The hand-offs could not be read: {problem}").format(problem=exc))
        set_flag(self.summary_label, "banner", "error")


class TeamWorkPage(QWidget):
    """The team's open contacts, most urgent first: reassign one (Ctrl+Shift+R) or record oversight."""

    open_requested = Signal(int)
    """Emitted with a contact id to open in its own tab."""
    message = Signal(str)
    """Emitted with a sentence for the status bar."""

    def __init__(
        self,
        window: WindowContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._ctx = window.ctx
        self._flow = flow = window.flow
        self.workers = WorkerList(window)
        self.model = QueueTableModel(window, Queue.TEAM, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.panel = QueuePanel(self.model, empty_text=tr("Your team has no open contacts."), parent=self)
        self.panel.view.setAccessibleName(tr("The team's open work"))
        layout.addWidget(self.panel, 1)
        self.reassign_button = self.panel.add_button(tr("Reassign…"), "Ctrl+Shift+R", self.reassign)
        self.oversight_button = self.panel.add_button(tr("Oversight note…"), "Ctrl+Shift+O", self.add_oversight)
        self.panel.open_requested.connect(self.open_requested)
        self._started = False
        flow.contact_changed.connect(lambda contact_id: self.apply_changes((contact_id,), everything=False))

    def reload(self) -> None:
        self._started = True
        self.model.reload()

    def apply_changes(self, contact_ids: tuple[int, ...], *, everything: bool) -> None:
        if self._started:  # never shown yet: it reads everything when it is
            self.model.apply_changes(contact_ids, everything=everything)

    def _row(self) -> QueueRow | None:
        row = self.panel.current_row()
        return row if isinstance(row, QueueRow) else None

    def reassign(self) -> None:
        row = self._row()
        if row is None:
            return
        start_reassign(
            self._window,
            self.workers,
            row.contact_id,
            row.reference,
            row.assigned_to,
            self,
            lambda text: emit(self.message, text),
        )

    def add_oversight(self) -> None:
        row = self._row()
        if row is None:
            return
        self._flow.start(
            oversight_step(
                self._ctx,
                row.contact_id,
                row.reference,
                self,
                lambda _result: emit(
                    self.message, tr("Oversight recorded on {reference}.").format(reference=row.reference)
                ),
            )
        )
