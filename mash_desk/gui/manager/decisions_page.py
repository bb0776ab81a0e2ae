"""The decision queue: what waits for a manager's authorisation, most urgent first, and the review of
the selected one. Authorise with Ctrl+Shift+U, send back with comments with Ctrl+Shift+B: the same keys
as on the contact itself (Ctrl+R rates a contact everywhere; Ctrl+Enter in the comments box must never
authorise by accident). A manager who proposed one of the decisions is not offered either, and is told
why (four eyes)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.words import counted
from mash_desk.gui.action_flow import Step
from mash_desk.gui.checklist_prompt import NOT_NOW, ask_override
from mash_desk.gui.dialogs.text import TextAnswer
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.manager.models import DecisionQueueModel
from mash_desk.gui.manager.review import ReviewPane
from mash_desk.gui.manager.steps import WorkerList, oversight_step, start_reassign
from mash_desk.gui.messages import shortcut_text
from mash_desk.gui.queue_panels import TablePanel
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services import decisions
from mash_desk.services.decisions import ChecklistOverride
from mash_desk.services.manager import DecisionWaiting, decisions_awaiting

AUTHORISE_KEYS = ("Ctrl+Shift+U",)
RETURN_KEY = "Ctrl+Shift+B"
OVERSIGHT_KEY = "Ctrl+Shift+O"
REASSIGN_KEY = "Ctrl+Shift+R"


class DecisionsPage(QWidget):
    open_requested = Signal(int)
    """Emitted with a contact id to open in its own tab."""
    message = Signal(str)
    """Emitted with a sentence for the status bar (what was just done)."""

    def __init__(
        self,
        window: WindowContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._ctx = ctx = window.ctx
        self._flow = flow = window.flow
        self._clock = window.clock
        self._running: set[int] = set()
        self._started = False
        self._keep_row: tuple[int, int] | None = None  # (contact id, row) to select again after a reload
        self.workers = WorkerList(window)
        self.model = DecisionQueueModel(window, lambda: decisions_awaiting(ctx), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        set_flag(self.summary_label, "banner", "info")
        layout.addWidget(self.summary_label)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.panel = TablePanel(
            self.model, empty_text=tr("No decision is waiting for authorisation. Well done."), parent=splitter
        )
        self.panel.view.setAccessibleName(tr("Decisions awaiting authorisation"))
        self.panel.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order
        self.review = ReviewPane(window, splitter)
        splitter.addWidget(self.panel)
        splitter.addWidget(self.review)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([300, 600])  # the queue a third, the review two thirds
        layout.addWidget(splitter, 1)
        self.panel.open_requested.connect(self.open_requested)
        self.panel.view.selectionModel().currentRowChanged.connect(lambda _now, _before: self._selected())
        self.model.loaded.connect(self._loaded)
        self.model.load_failed.connect(self._load_failed)
        self.review.loaded.connect(lambda _detail: self._enable())
        flow.contact_changed.connect(lambda contact_id: self.apply_changes((contact_id,), everything=False))
        flow.running_changed.connect(self._running_changed)

        self.authorise_action = self._action(tr("Authorise"), AUTHORISE_KEYS, self.authorise)
        self.return_action = self._action(tr("Send back with comments"), (RETURN_KEY,), self.send_back)
        self.oversight_action = self._action(tr("Oversight note…"), (OVERSIGHT_KEY,), self.add_oversight)
        self.reassign_action = self._action(tr("Reassign…"), (REASSIGN_KEY,), self.reassign)
        self.authorise_button = self._button(self.authorise_action, "authorise_button", primary=True)
        self.return_button = self._button(self.return_action, "return_button")
        self.review.buttons_row.addStretch(1)
        self.oversight_button = self._button(self.oversight_action, "oversight_button")
        self.reassign_button = self._button(self.reassign_action, "reassign_button")
        self._enable()

    # --- building ----------------------------------------------------------------------------------

    def _action(self, text: str, keys: tuple[str, ...], slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _button(self, action: QAction, name: str, *, primary: bool = False) -> QPushButton:
        text = action.text()
        key = shortcut_text(action.shortcut())
        button = QPushButton(f"{text} ({key})", self.review)
        button.setObjectName(name)
        button.setToolTip(f"{text.rstrip('…')} — {key}")
        button.clicked.connect(action.trigger)
        if primary:
            set_flag(button, "primary", True)
        self.review.buttons_row.addWidget(button)
        return button

    # --- reading -----------------------------------------------------------------------------------

    def apply_changes(self, contact_ids: tuple[int, ...], *, everything: bool) -> None:
        """Contacts changed (here or on another workstation): read the queue, and the review if it moved."""
        if not self._started:
            return  # never shown yet: it reads everything when it is
        self.review.forget(None if everything else contact_ids)
        self.reload()

    def reload(self) -> None:
        self._started = True
        row = self.current()
        if row is not None:
            self._keep_row = (row.contact_id, self.panel.view.currentIndex().row())
        self.model.reload()

    def current(self) -> DecisionWaiting | None:
        row = self.panel.current_row()
        return row if isinstance(row, DecisionWaiting) else None

    def select_contact(self, contact_id: int) -> bool:
        """Make the row for ``contact_id`` the current one (and so the one under review)."""
        position = self.model.row_of(contact_id)
        if position is None:
            return False
        self._select(self.panel.proxy.mapFromSource(self.model.index(position, 0)))
        return True

    def _select(self, index: QModelIndex | QPersistentModelIndex) -> None:
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.panel.view.selectionModel().setCurrentIndex(index, flags)

    def _loaded(self) -> None:
        rows = self.model.rows()
        self._summarise()
        keep, self._keep_row = self._keep_row, None
        if keep is not None and rows and not self.select_contact(keep[0]):
            self._select(self.panel.proxy.index(min(keep[1], self.panel.proxy.rowCount() - 1), 0))
        if not rows:
            self.review.review(None)
        self._selected()

    def _summarise(self) -> None:
        rows = self.model.rows()
        now = self._clock()
        overdue = sum(1 for row in rows if row.decision_due_at < now)
        mine = sum(1 for row in rows if row.proposed_by_me)
        parts = [
            tr("{decisions} waiting for authorisation, the earliest deadline first.").format(
                decisions=counted(len(rows), tr("decision"), tr("decisions"))
            )
        ]
        if overdue:
            parts.append(tr("⚠ {count} OVERDUE against the one-working-day deadline.").format(count=overdue))
        if mine:
            parts.append(tr("{count} proposed by you: another manager must review those.").format(count=mine))
        self.summary_label.setText(" ".join(parts))
        state = "error" if overdue else "info"
        if self.summary_label.property("banner") != state:
            set_flag(self.summary_label, "banner", state)

    def _load_failed(self, exc: MashDeskError) -> None:
        self.summary_label.setText(tr("The decision queue could not be read: {problem}").format(problem=exc))
        set_flag(self.summary_label, "banner", "error")

    def _selected(self) -> None:
        self.review.review(self.current())
        self._enable()

    # --- acting ------------------------------------------------------------------------------------

    def _reviewable(self) -> DecisionWaiting | None:
        """The selected decision, if it has been read and this manager may decide it now."""
        row = self.current()
        review = self.review.row
        if row is None or review is None or review.contact_id != row.contact_id or row.contact_id in self._running:
            return None
        return row

    def _enable(self) -> None:
        row = self._reviewable()
        mine = row is not None and row.proposed_by_me
        why = (
            tr("You proposed a decision here, so another manager must review it (four eyes).")
            if mine
            else tr("Select a decision that has finished loading.")
            if row is None
            else ""
        )
        for action, button in (
            (self.authorise_action, self.authorise_button),
            (self.return_action, self.return_button),
        ):
            action.setEnabled(row is not None and not mine)
            button.setEnabled(action.isEnabled())
            key = shortcut_text(action.shortcut())
            button.setToolTip(why or f"{action.text()} — {key}")
        for action, button in (
            (self.oversight_action, self.oversight_button),
            (self.reassign_action, self.reassign_button),
        ):
            action.setEnabled(row is not None)
            button.setEnabled(row is not None)

    def _running_changed(self, contact_id: int, running: bool) -> None:
        if running:
            self._running.add(contact_id)
        else:
            self._running.discard(contact_id)
        self._enable()

    def _comments(self, required: bool) -> Callable[[TextAnswer | None, Mapping[str, str]], TextAnswer | None]:
        """The comments box as the step's "dialog": the text in it, or the service's message shown under it."""

        def ask(_previous: TextAnswer | None, errors: Mapping[str, str]) -> TextAnswer | None:
            if errors:
                self.review.show_comment_error(" ".join(errors.values()))
                return None
            text = self.review.comments_edit.toPlainText().strip()
            if required and not text:
                self.review.show_comment_error(tr("Say what needs to change: comments are required to send back."))
                return None
            return TextAnswer(text)

        return ask

    def _version(self, row: DecisionWaiting) -> int:
        detail = self.review.detail
        return detail.version if detail is not None and detail.id == row.contact_id else row.version

    def _done(self, row: DecisionWaiting, text: str) -> Callable[[object], None]:
        def done(_result: object) -> None:
            self.review.comments_edit.clear()
            emit(self.message, text.format(reference=row.reference))

        return done

    def authorise(self) -> None:
        row = self._reviewable()
        if row is None or row.proposed_by_me:
            return
        detail = self.review.detail
        override = ask_override(self, detail) if detail is not None else None
        if override is NOT_NOW:
            self.review.comments_edit.setFocus()
            return
        checked = override if isinstance(override, ChecklistOverride) else None
        ctx, contact_id = self._ctx, row.contact_id
        self._flow.start(
            Step(
                key="authorise",
                contact_id=contact_id,
                reference=row.reference,
                title=tr("Authorise {reference}").format(reference=row.reference),
                parent=self,
                ask=self._comments(required=False),
                save=lambda answer, version: decisions.authorise(
                    ctx, contact_id, answer.text or None, expected_version=version, override=checked
                ),
                version=self._version(row),
                yours=lambda answer: {tr("Authorisation comments"): answer.text},
                done=self._done(row, tr("Authorised {reference}.")),
            )
        )

    def send_back(self) -> None:
        row = self._reviewable()
        if row is None or row.proposed_by_me:
            return
        ctx, contact_id = self._ctx, row.contact_id
        self._flow.start(
            Step(
                key="return_decision",
                contact_id=contact_id,
                reference=row.reference,
                title=tr("Send {reference} back").format(reference=row.reference),
                parent=self,
                ask=self._comments(required=True),
                save=lambda answer, version: decisions.return_decision(
                    ctx, contact_id, answer.text, expected_version=version
                ),
                version=self._version(row),
                yours=lambda answer: {tr("Comments"): answer.text},
                done=self._done(row, tr("Sent {reference} back with your comments.")),
            )
        )

    def add_oversight(self) -> None:
        row = self._reviewable()
        if row is not None:
            self._flow.start(
                oversight_step(
                    self._ctx,
                    row.contact_id,
                    row.reference,
                    self,
                    self._done(row, tr("Oversight recorded on {reference}.")),
                )
            )

    def reassign(self) -> None:
        row = self._reviewable()
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
