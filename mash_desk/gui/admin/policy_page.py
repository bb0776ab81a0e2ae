"""The timescale policy: each timescale's time allowed and how it is counted, one row edited at a time.

A change applies to deadlines worked out from then on; deadlines already set stay as they were.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from mash_desk.domain.enums import ClockKind, TimescaleKey
from mash_desk.gui.admin.form import AdminForm
from mash_desk.gui.admin.lists_page import heading, list_view, select_row
from mash_desk.gui.admin.models import PolicyModel, amount_words, timescale_words
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import ROW_ROLE
from mash_desk.gui.widgets import fill_enum, set_combo_value
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services.policy import PolicyRow, read_policy, set_policy_row


class PolicyPage(QWidget):
    """The timescale table, and a form for the selected row (Enter saves it)."""

    message = Signal(str)
    """Emitted with a sentence for the status bar."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        runner, ctx = window.runner, window.ctx
        self._ctx = ctx
        self._selected: TimescaleKey | None = None
        self.model = PolicyModel(window, lambda: read_policy(ctx), self)
        self.model.loaded.connect(self._loaded)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(heading(tr("Timescales"), self))
        self.view = list_view(self.model, tr("Timescales"), self)
        self.view.setSortingEnabled(False)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _previous: self._picked(current))
        left.addWidget(self.view, 1)
        layout.addLayout(left, 3)
        self.form = AdminForm(tr("Change the selected timescale"), runner, self)
        self.form.explain(
            tr(
                "A change applies to deadlines worked out from now on; work already rated or received keeps "
                "the deadline it was given."
            )
        )
        self.amount_edit = self.form.field("amount", tr("Time &allowed:"), QLineEdit(self))
        self.clock_combo = self.form.field("clock", tr("C&ounted in:"), QComboBox(self))
        fill_enum(self.clock_combo, ClockKind)
        self.save_button = self.form.button(tr("&Save timescale"), self.save, primary=True)
        self.amount_edit.returnPressed.connect(self.save)
        self.view.activated.connect(lambda _index: self.amount_edit.setFocus())
        self.form.done.connect(lambda sentence: emit(self.message, sentence))
        right = QVBoxLayout()
        right.addWidget(self.form)
        right.addStretch(1)
        layout.addLayout(right, 2)
        self.setFocusProxy(self.view)

    def reload(self) -> None:
        self.model.reload()

    def select(self, key: TimescaleKey) -> None:
        select_row(self.view, lambda item: isinstance(item, PolicyRow) and item.key == key)

    def _loaded(self) -> None:
        self.select(self._selected or TimescaleKey.RED)

    def _picked(self, index: QModelIndex) -> None:
        row = self.view.model().data(index, ROW_ROLE) if index.isValid() else None
        if not isinstance(row, PolicyRow):
            return
        if row.key != self._selected:
            self.form.errors.clear()
            self.form.outcome.hide()
        self._selected = TimescaleKey(row.key)
        self.form.setTitle(tr("Change “{timescale}”").format(timescale=timescale_words(self._selected)))
        self.amount_edit.setText(str(row.amount))
        set_combo_value(self.clock_combo, row.clock)

    def save(self) -> None:
        key = self._selected
        if key is None:
            return
        text = self.amount_edit.text().strip().replace(",", "")
        if not text.isdigit():
            self.form.fail({"amount": tr("Enter the time allowed as a whole number, such as 4 or 24.")})
            return
        amount, clock, ctx = int(text), str(self.clock_combo.currentData()), self._ctx

        def saved(row: PolicyRow) -> None:
            self.form.succeeded(
                tr("{timescale}: now {allowed}.").format(
                    timescale=timescale_words(TimescaleKey(row.key)), allowed=amount_words(row.amount, row.clock)
                )
            )
            self.model.reload()

        self.form.run(lambda: set_policy_row(ctx, key.value, amount, clock), saved, label=tr("Saving the timescale"))
