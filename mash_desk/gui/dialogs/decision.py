"""A threshold decision for one child: level of need, an outcome that fits it, primary need, rationale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from mash_desk.domain.cin import PRIMARY_NEEDS
from mash_desk.domain.enums import LevelOfNeed, Outcome
from mash_desk.domain.thresholds import OUTCOMES_BY_LEVEL
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.forms import need
from mash_desk.gui.widgets import enum_data, set_combo_value
from mash_desk.gui.words import level_words, outcome_words, primary_need_tip, primary_need_words
from mash_desk.services.decisions import DecisionProposal


@dataclass(frozen=True)
class ChildChoice:
    person_id: int
    name: str
    current: str  # the live proposal or decision, in words ("" if none)


class DecisionDialog(FormDialog[DecisionProposal]):
    ui_name = "decision_dialog.ui"

    def __init__(self, parent: QWidget | None, reference: str, children: list[ChildChoice], first: int | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Threshold decision — {reference}").format(reference=reference))
        self.child_combo = need(self.form, QComboBox, "child_combo")
        self.current_label = need(self.form, QLabel, "current_label")
        self.level_combo = need(self.form, QComboBox, "level_combo")
        self.outcome_combo = need(self.form, QComboBox, "outcome_combo")
        self.primary_need_combo = need(self.form, QComboBox, "primary_need_combo")
        self.rationale_edit = need(self.form, QPlainTextEdit, "rationale_edit")
        self._children = {child.person_id: child for child in children}
        for child in children:
            self.child_combo.addItem(child.name, child.person_id)
        if first is not None:
            set_combo_value(self.child_combo, first)
        self.level_combo.addItem(self.tr("— choose the level of need —"), 0)
        for level in LevelOfNeed:
            self.level_combo.addItem(level_words(level), int(level))
        self.primary_need_combo.addItem(self.tr("— choose the primary need —"), "")
        for code in PRIMARY_NEEDS:
            self.primary_need_combo.addItem(primary_need_words(code), code)
            last = self.primary_need_combo.count() - 1
            self.primary_need_combo.setItemData(last, primary_need_tip(code), Qt.ItemDataRole.ToolTipRole)
        self.child_combo.currentIndexChanged.connect(self._child_changed)
        self.level_combo.currentIndexChanged.connect(self._level_changed)
        self._child_changed()
        self._level_changed()
        for key, widget in (
            ("person_id", self.child_combo),
            ("level_of_need", self.level_combo),
            ("outcome", self.outcome_combo),
            ("primary_need", self.primary_need_combo),
            ("rationale", self.rationale_edit),
        ):
            self.errors.bind(key, widget)
        self.set_ok_text(self.tr("Propose decision"))
        self.resize(620, 460)
        self.child_combo.setFocus()

    def _child_changed(self) -> None:
        child = self._children.get(int(self.child_combo.currentData() or 0))
        self.current_label.setText(child.current if child and child.current else self.tr("No decision proposed yet."))

    def _level_changed(self) -> None:
        """Only the outcomes that fit the chosen level are offered (thresholds.OUTCOMES_BY_LEVEL)."""
        previous = self.outcome_combo.currentData()
        self.outcome_combo.clear()
        self.outcome_combo.addItem(self.tr("— choose the outcome —"), "")
        level = int(self.level_combo.currentData() or 0)
        if level:
            allowed = OUTCOMES_BY_LEVEL[LevelOfNeed(level)]
            for outcome in Outcome:
                if outcome in allowed:
                    self.outcome_combo.addItem(outcome_words(outcome), outcome)
        set_combo_value(self.outcome_combo, previous)

    def answer(self) -> DecisionProposal:
        outcome = enum_data(self.outcome_combo, Outcome)
        return DecisionProposal(
            person_id=int(self.child_combo.currentData() or 0),
            level_of_need=int(self.level_combo.currentData() or 0),
            outcome=outcome or "",
            primary_need=str(self.primary_need_combo.currentData() or ""),
            rationale=self.rationale_edit.toPlainText(),
        )

    def set_answer(self, answer: DecisionProposal) -> None:
        set_combo_value(self.child_combo, answer.person_id)
        set_combo_value(self.level_combo, answer.level_of_need)
        set_combo_value(self.outcome_combo, answer.outcome)
        set_combo_value(self.primary_need_combo, answer.primary_need)
        self.rationale_edit.setPlainText(answer.rationale)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        reference: str,
        children: list[ChildChoice],
        first: int | None,
        *,
        answer: DecisionProposal | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> DecisionProposal | None:
        return cls(parent, reference, children, first).run(answer, errors)
