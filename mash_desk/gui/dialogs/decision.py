"""A threshold decision: for one child, or the same for all of them (siblings' rationale written once).

Level of need, an outcome that fits it (the obvious one chosen for you), primary need, rationale, and
whether to submit for authorisation straight away.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPlainTextEdit, QWidget

from mash_desk.domain.cin import PRIMARY_NEEDS
from mash_desk.domain.defaults import obvious_outcome
from mash_desk.domain.enums import LevelOfNeed, Outcome
from mash_desk.domain.thresholds import OUTCOMES_BY_LEVEL
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.forms import need
from mash_desk.gui.widgets import enum_data, set_combo_value
from mash_desk.gui.words import level_words, outcome_words, primary_need_tip, primary_need_words
from mash_desk.services.decisions import DecisionForChildren

ALL_CHILDREN = 0
"""The child list's item for "the same decision for every child"."""


@dataclass(frozen=True)
class ChildChoice:
    person_id: int
    name: str
    current: str  # the live proposal or decision, in words ("" if none)


class _DigitChoosesLevel(QObject):
    """Typing 1 to 4 in the level list chooses that level (its items all begin "Level", so the
    list's own type-ahead could not tell them apart)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QComboBox)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.text().isdigit()
        ):
            index = watched.findData(int(event.text()))
            if index >= 0:
                watched.setCurrentIndex(index)
            return True
        return False


class DecisionDialog(FormDialog[DecisionForChildren]):
    ui_name = "decision_dialog.ui"

    def __init__(
        self,
        parent: QWidget | None,
        reference: str,
        children: list[ChildChoice],
        first: int | None,
        *,
        primary_need: str | None = None,
        submit: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Threshold decision — {reference}").format(reference=reference))
        self.child_combo = need(self.form, QComboBox, "child_combo")
        self.current_label = need(self.form, QLabel, "current_label")
        self.level_combo = need(self.form, QComboBox, "level_combo")
        self.outcome_combo = need(self.form, QComboBox, "outcome_combo")
        self.primary_need_combo = need(self.form, QComboBox, "primary_need_combo")
        self.rationale_edit = need(self.form, QPlainTextEdit, "rationale_edit")
        self.submit_check = need(self.form, QCheckBox, "submit_check")
        self._children = {child.person_id: child for child in children}
        if len(children) > 1:
            self.child_combo.addItem(
                self.tr("All {count} children: the same decision for each").format(count=len(children)), ALL_CHILDREN
            )
        for child in children:
            self.child_combo.addItem(child.name, child.person_id)
        undecided = [child for child in children if not child.current]
        if len(children) > 1 and len(undecided) == len(children):
            set_combo_value(self.child_combo, ALL_CHILDREN)  # none decided yet: brothers and sisters alike
        elif first is not None:
            set_combo_value(self.child_combo, first)
        self.level_combo.addItem(self.tr("— choose the level of need (type 1 to 4) —"), 0)
        for level in LevelOfNeed:
            self.level_combo.addItem(level_words(level), int(level))
        self.level_combo.installEventFilter(_DigitChoosesLevel(self.level_combo))
        self.primary_need_combo.addItem(self.tr("— choose the primary need —"), "")
        for code in PRIMARY_NEEDS:
            self.primary_need_combo.addItem(primary_need_words(code), code)
            last = self.primary_need_combo.count() - 1
            self.primary_need_combo.setItemData(last, primary_need_tip(code), Qt.ItemDataRole.ToolTipRole)
        if primary_need:
            set_combo_value(self.primary_need_combo, primary_need)  # suggested from the concerns
        self.submit_check.setChecked(submit)
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
        self.resize(620, 480)
        self.level_combo.setFocus()  # the children are chosen already: the decision starts at the level

    def _person_ids(self) -> tuple[int, ...]:
        chosen = int(self.child_combo.currentData() or 0)
        return tuple(self._children) if chosen == ALL_CHILDREN else (chosen,)

    def _child_changed(self) -> None:
        ids = self._person_ids()
        texts = [
            f"{self._children[pid].name}: {self._children[pid].current}"
            if len(ids) > 1
            else self._children[pid].current
            for pid in ids
            if self._children[pid].current
        ]
        self.current_label.setText("\n".join(texts) or self.tr("No decision proposed yet."))

    def _level_changed(self) -> None:
        """Only the outcomes that fit the chosen level are offered (thresholds.OUTCOMES_BY_LEVEL), and
        the one obvious outcome of a level is chosen for you."""
        previous = self.outcome_combo.currentData()
        self.outcome_combo.clear()
        self.outcome_combo.addItem(self.tr("— choose the outcome —"), "")
        level = int(self.level_combo.currentData() or 0)
        if not level:
            return
        allowed = OUTCOMES_BY_LEVEL[LevelOfNeed(level)]
        for outcome in Outcome:
            if outcome in allowed:
                self.outcome_combo.addItem(outcome_words(outcome), outcome)
        set_combo_value(self.outcome_combo, previous if previous in allowed else obvious_outcome(LevelOfNeed(level)))

    def answer(self) -> DecisionForChildren:
        outcome = enum_data(self.outcome_combo, Outcome)
        return DecisionForChildren(
            person_ids=self._person_ids(),
            level_of_need=int(self.level_combo.currentData() or 0),
            outcome=outcome or "",
            primary_need=str(self.primary_need_combo.currentData() or ""),
            rationale=self.rationale_edit.toPlainText(),
            submit=self.submit_check.isChecked(),
        )

    def set_answer(self, answer: DecisionForChildren) -> None:
        several = len(answer.person_ids) > 1
        set_combo_value(self.child_combo, ALL_CHILDREN if several else answer.person_ids[0])
        set_combo_value(self.level_combo, answer.level_of_need)
        set_combo_value(self.outcome_combo, answer.outcome)
        set_combo_value(self.primary_need_combo, answer.primary_need)
        self.rationale_edit.setPlainText(answer.rationale)
        self.submit_check.setChecked(answer.submit)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        reference: str,
        children: list[ChildChoice],
        first: int | None,
        *,
        primary_need: str | None = None,
        submit: bool = False,
        answer: DecisionForChildren | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> DecisionForChildren | None:
        dialog = cls(parent, reference, children, first, primary_need=primary_need, submit=submit)
        return dialog.run(answer, errors)
