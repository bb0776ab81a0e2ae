"""Which family letters wait for a social worker: the hold policy, one row per outcome and concern.

A held family letter is never sent in a batch: a practitioner or manager checks who it goes to and
sends it by hand, or suppresses it with a reason. Changing a row is audited and applies to the
letters listed from then on.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from mash_desk.domain.enums import Concern, Outcome
from mash_desk.domain.family_letters import HoldKey, HoldTrigger
from mash_desk.gui.admin.form import AdminForm
from mash_desk.gui.admin.lists_page import heading, list_view, select_row
from mash_desk.gui.inbox_models import LoadedListModel
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import ROW_ROLE, Cell
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import enum_words, outcome_words, tr
from mash_desk.services.policy import HoldRow, read_family_letter_holds, set_family_letter_hold


def hold_words(trigger: HoldTrigger, code: str) -> str:
    """A row of the policy as the administrator reads it."""
    if trigger is HoldTrigger.OUTCOME:
        return tr("Outcome: {outcome}").format(outcome=outcome_words(Outcome(code)))
    if trigger is HoldTrigger.CONCERN:
        return tr("Concern: {concern}").format(concern=enum_words(Concern(code)))
    return tr("An alleged perpetrator is named on the contact")


class HoldColumn(IntEnum):
    WHAT = 0
    HOLDS = 1


class HoldsModel(LoadedListModel[HoldRow]):
    columns = HoldColumn

    def header(self, column: int) -> str:
        return {HoldColumn.WHAT: self.tr("When the contact has"), HoldColumn.HOLDS: self.tr("The family letter")}[
            HoldColumn(column)
        ]

    def key(self, row: HoldRow) -> int:
        return self.rows().index(row)

    def cell(self, row: HoldRow, column: int, now: datetime) -> Cell:
        if column == HoldColumn.WHAT:
            return Cell(hold_words(row.trigger, row.code), self.key(row))
        if row.holds:
            return Cell(tr("HELD for a social worker"), 0, bold=True, colours=("warning_bg", "warning_text"))
        return Cell(tr("goes in the batch"), 1)


class HoldsPage(QWidget):
    """The hold policy as a table, and a form for the selected row (Space ticks, Enter saves)."""

    message = Signal(str)
    """Emitted with a sentence for the status bar."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        runner, ctx = window.runner, window.ctx
        self._ctx = ctx
        self._selected: HoldKey | None = None
        self.model = HoldsModel(window, lambda: read_family_letter_holds(ctx), self)
        self.model.loaded.connect(self._loaded)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(heading(tr("Family letters held for a social worker"), self))
        self.view = list_view(self.model, tr("Family letter holds"), self)
        self.view.setSortingEnabled(False)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _previous: self._picked(current))
        left.addWidget(self.view, 1)
        layout.addLayout(left, 3)
        self.form = AdminForm(tr("Change the selected row"), runner, self)
        self.form.explain(
            tr(
                "A held family letter is never sent in a batch: a practitioner or manager checks who it goes to "
                "and sends it, or suppresses it with a reason. A MARAC letter never says what the meeting is "
                "about. Changes are recorded in the audit trail."
            )
        )
        self.holds_check = self.form.field(
            "holds", tr("Hold the &letter:"), QCheckBox(tr("hold for a social worker's review"), self)
        )
        self.save_button = self.form.button(tr("&Save"), self.save, primary=True)
        self.view.activated.connect(lambda _index: self.holds_check.setFocus())
        self.form.done.connect(lambda sentence: emit(self.message, sentence))
        right = QVBoxLayout()
        right.addWidget(self.form)
        right.addStretch(1)
        layout.addLayout(right, 2)
        self.setFocusProxy(self.view)

    def reload(self) -> None:
        self.model.reload()

    def select(self, trigger: HoldTrigger, code: str) -> None:
        select_row(self.view, lambda item: isinstance(item, HoldRow) and (item.trigger, item.code) == (trigger, code))

    def _loaded(self) -> None:
        trigger, code = self._selected or (HoldTrigger.OUTCOME, Outcome.MARAC.value)
        self.select(trigger, code)

    def _picked(self, index: QModelIndex) -> None:
        row = self.view.model().data(index, ROW_ROLE) if index.isValid() else None
        if not isinstance(row, HoldRow):
            return
        key = (row.trigger, row.code)
        if key != self._selected:
            self.form.errors.clear()
            self.form.outcome.hide()
        self._selected = key
        self.form.setTitle(tr("Change “{row}”").format(row=hold_words(row.trigger, row.code)))
        self.holds_check.setChecked(row.holds)

    def save(self) -> None:
        key = self._selected
        if key is None:
            return
        holds, ctx = self.holds_check.isChecked(), self._ctx

        def saved(row: HoldRow) -> None:
            words = hold_words(row.trigger, row.code)
            self.form.succeeded(
                tr("{row}: the family letter is now held for a social worker.").format(row=words)
                if row.holds
                else tr("{row}: the family letter now goes in the batch.").format(row=words)
            )
            self.model.reload()

        self.form.run(
            lambda: set_family_letter_hold(ctx, key[0].value, key[1], holds), saved, label=tr("Saving the hold policy")
        )
