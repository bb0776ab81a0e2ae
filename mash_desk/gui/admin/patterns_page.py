"""When a pattern is shown: the administrator's thresholds (how many contacts, over how many months),
one row edited at a time. A change applies at once to every queue, contact and report."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from mash_desk.domain.patterns import ThresholdKey
from mash_desk.gui.admin.form import AdminForm
from mash_desk.gui.admin.lists_page import heading, list_view, select_row
from mash_desk.gui.inbox_models import LoadedListModel
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import ROW_ROLE, Cell
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services.patterns import ThresholdRow, read_thresholds, set_threshold

THRESHOLD_WORDS: dict[ThresholdKey, str] = {
    ThresholdKey.NEGLECT_CONTACTS: "Cumulative neglect: contacts with neglect concerns about a child",
    ThresholdKey.NEGLECT_MONTHS: "Cumulative neglect (and who interpreted): within how many months",
    ThresholdKey.DOMESTIC_ABUSE_NOTIFICATIONS: "Repeated domestic abuse: notifications about one household",
    ThresholdKey.DOMESTIC_ABUSE_MONTHS: "Repeated domestic abuse: within how many months",
    ThresholdKey.MOVING_ADDRESSES: "A household that keeps moving: more addresses than",
    ThresholdKey.MOVING_MONTHS: "A household that keeps moving: within how many months",
}


def threshold_words(key: ThresholdKey) -> str:
    return tr(THRESHOLD_WORDS[key])


class ThresholdColumn(IntEnum):
    THRESHOLD = 0
    VALUE = 1


class ThresholdModel(LoadedListModel[ThresholdRow]):
    columns = ThresholdColumn

    def header(self, column: int) -> str:
        return {ThresholdColumn.THRESHOLD: self.tr("Pattern threshold"), ThresholdColumn.VALUE: self.tr("Value")}[
            ThresholdColumn(column)
        ]

    def key(self, row: ThresholdRow) -> int:
        return list(ThresholdKey).index(row.key)

    def cell(self, row: ThresholdRow, column: int, now: datetime) -> Cell:
        if column == ThresholdColumn.THRESHOLD:
            return Cell(threshold_words(row.key), self.key(row))
        return Cell(
            f"{row.amount:,}", row.amount, tooltip=tr("from {low} to {high}").format(low=row.smallest, high=row.largest)
        )


class PatternsPage(QWidget):
    """The pattern thresholds, and a form for the selected one (Enter saves it)."""

    message = Signal(str)
    """Emitted with a sentence for the status bar."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        runner, ctx = window.runner, window.ctx
        self._ctx = ctx
        self._selected: ThresholdKey | None = None
        self.model = ThresholdModel(window, lambda: read_thresholds(ctx), self)
        self.model.loaded.connect(self._loaded)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(heading(tr("Patterns nobody should miss"), self))
        self.view = list_view(self.model, tr("Pattern thresholds"), self)
        self.view.setSortingEnabled(False)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _previous: self._picked(current))
        left.addWidget(self.view, 1)
        layout.addLayout(left, 3)
        self.form = AdminForm(tr("Change the selected threshold"), runner, self)
        self.form.explain(
            tr(
                "A change applies at once: every queue, contact and report shows the patterns by the new numbers. "
                "A family member or a child interpreting is flagged every time, whatever the numbers."
            )
        )
        self.amount_edit = self.form.field("amount", tr("V&alue:"), QLineEdit(self))
        self.save_button = self.form.button(tr("&Save threshold"), self.save, primary=True)
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

    def select(self, key: ThresholdKey) -> None:
        select_row(self.view, lambda item: isinstance(item, ThresholdRow) and item.key == key)

    def _loaded(self) -> None:
        self.select(self._selected or ThresholdKey.NEGLECT_CONTACTS)

    def _picked(self, index: QModelIndex) -> None:
        row = self.view.model().data(index, ROW_ROLE) if index.isValid() else None
        if not isinstance(row, ThresholdRow):
            return
        if row.key != self._selected:
            self.form.errors.clear()
            self.form.outcome.hide()
        self._selected = row.key
        self.form.setTitle(tr("Change “{threshold}”").format(threshold=threshold_words(row.key)))
        self.amount_edit.setText(str(row.amount))

    def save(self) -> None:
        key = self._selected
        if key is None:
            return
        text = self.amount_edit.text().strip().replace(",", "")
        if not text.isdigit():
            self.form.fail({"amount": tr("Enter a whole number, such as 3 or 12.")})
            return
        amount, ctx = int(text), self._ctx

        def saved(row: ThresholdRow) -> None:
            self.form.succeeded(
                tr("{threshold}: now {value}.").format(threshold=threshold_words(row.key), value=row.amount)
            )
            self.model.reload()

        self.form.run(lambda: set_threshold(ctx, key.value, amount), saved, label=tr("Saving the threshold"))
