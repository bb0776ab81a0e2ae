"""Hand an authorised contact to the team that will act on it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from mash_desk.domain.errors import InvalidInput
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.forms import need
from mash_desk.gui.widgets import set_combo_value
from mash_desk.services.handoffs import ReceivingTeam


@dataclass(frozen=True)
class HandOffAnswer:
    team_id: int
    note: str


class HandOffDialog(FormDialog[HandOffAnswer]):
    ui_name = "handoff_dialog.ui"

    def __init__(
        self,
        parent: QWidget | None,
        reference: str,
        teams: Sequence[ReceivingTeam],
        outcomes: str,
        suggested: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hand off — {reference}").format(reference=reference))
        self.team_combo = need(self.form, QComboBox, "team_combo")
        self.note_edit = need(self.form, QPlainTextEdit, "note_edit")
        outcomes_label = need(self.form, QLabel, "outcomes_label")
        outcomes_label.setText(outcomes)
        outcomes_label.setVisible(bool(outcomes))
        self.team_combo.addItem(self.tr("— choose the receiving team —"), 0)
        for team in teams:
            self.team_combo.addItem(team.name, team.id)
        if suggested is not None:
            set_combo_value(self.team_combo, suggested)  # the team the outcome goes to; still the person's choice
        self.errors.bind("team", self.team_combo)
        self.set_ok_text(self.tr("Hand off"))
        self.resize(540, 380)
        self.team_combo.setFocus()

    def answer(self) -> HandOffAnswer:
        team_id = int(self.team_combo.currentData() or 0)
        if not team_id:
            raise InvalidInput.single("team", self.tr("Choose the team that will take the case."))
        return HandOffAnswer(team_id, self.note_edit.toPlainText())

    def set_answer(self, answer: HandOffAnswer) -> None:
        set_combo_value(self.team_combo, answer.team_id)
        self.note_edit.setPlainText(answer.note)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        reference: str,
        teams: Sequence[ReceivingTeam],
        outcomes: str,
        *,
        suggested: int | None = None,
        answer: HandOffAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> HandOffAnswer | None:
        return cls(parent, reference, teams, outcomes, suggested).run(answer, errors)
