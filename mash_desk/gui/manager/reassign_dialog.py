"""A manager moves a contact to another worker, with the reason on the record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from mash_desk.domain.errors import InvalidInput
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.forms import need
from mash_desk.gui.widgets import set_combo_value


@dataclass(frozen=True)
class ReassignAnswer:
    username: str
    reason: str


@dataclass(frozen=True)
class Worker:
    """Someone who can hold MASH work, for the picker."""

    username: str
    display_name: str
    team: str | None


class ReassignDialog(FormDialog[ReassignAnswer]):
    ui_name = "reassign_dialog.ui"

    def __init__(self, parent: QWidget | None, reference: str, current: str | None, workers: list[Worker]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reassign {reference}").format(reference=reference))
        need(self.form, QLabel, "intro_label").setText(
            self.tr("{reference} is with {current}. The move and your reason are kept on the audit trail.").format(
                reference=reference, current=current or self.tr("nobody yet")
            )
        )
        self.worker_combo = need(self.form, QComboBox, "worker_combo")
        self.reason_edit = need(self.form, QPlainTextEdit, "reason_edit")
        self.worker_combo.addItem(self.tr("— choose a worker —"), "")
        for worker in workers:
            label = f"{worker.display_name} ({worker.team})" if worker.team else worker.display_name
            self.worker_combo.addItem(label, worker.username)
        self.errors.bind("worker", self.worker_combo)
        self.errors.bind("reason", self.reason_edit)
        self.set_ok_text(self.tr("Reassign"))
        self.resize(540, 340)
        self.worker_combo.setFocus()

    def answer(self) -> ReassignAnswer:
        username = str(self.worker_combo.currentData() or "")
        reason = self.reason_edit.toPlainText().strip()
        problems = {}
        if not username:
            problems["worker"] = self.tr("Choose who takes the work.")
        if not reason:
            problems["reason"] = self.tr("Say why the work is moving.")
        if problems:
            raise InvalidInput(problems)
        return ReassignAnswer(username, reason)

    def set_answer(self, answer: ReassignAnswer) -> None:
        set_combo_value(self.worker_combo, answer.username)
        self.reason_edit.setPlainText(answer.reason)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        reference: str,
        current: str | None,
        workers: list[Worker],
        *,
        answer: ReassignAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> ReassignAnswer | None:
        return cls(parent, reference, current, workers).run(answer, errors)
