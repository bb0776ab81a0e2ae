"""Give or change a contact's RAG rating; a change needs a reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QRadioButton, QWidget

from mash_desk.domain.enums import Rag
from mash_desk.domain.errors import InvalidInput
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.forms import need
from mash_desk.gui.words import when


@dataclass(frozen=True)
class RagAnswer:
    rag: Rag
    reason: str


class _LetterChooses(QObject):
    """R, A or G typed on the ratings chooses that rating, as a letter chooses in a list."""

    def __init__(self, radios: Mapping[Rag, QRadioButton], parent: QObject) -> None:
        super().__init__(parent)
        self._by_letter = {rag.value[0]: radio for rag, radio in radios.items()}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress and not event.modifiers():
            radio = self._by_letter.get(event.text().lower())
            if radio is not None:
                radio.setChecked(True)
                radio.setFocus()
                return True
        return False


class RagDialog(FormDialog[RagAnswer]):
    ui_name = "rag_dialog.ui"

    def __init__(
        self,
        parent: QWidget | None,
        reference: str,
        current: Rag | None,
        deadlines: Mapping[Rag, datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("RAG rating — {reference}").format(reference=reference))
        self.radios = {
            Rag.RED: need(self.form, QRadioButton, "red_radio"),
            Rag.AMBER: need(self.form, QRadioButton, "amber_radio"),
            Rag.GREEN: need(self.form, QRadioButton, "green_radio"),
        }
        self.reason_edit = need(self.form, QPlainTextEdit, "reason_edit")
        letters = _LetterChooses(self.radios, self)
        for radio in self.radios.values():
            radio.installEventFilter(letters)
        if deadlines:
            # the due time itself, not a reference to a policy: what each choice commits the MASH to
            for rag, radio in self.radios.items():
                radio.setText(self.tr("{choice}: due by {due}").format(choice=radio.text(), due=when(deadlines[rag])))
            need(self.form, QLabel, "policy_note").setText(
                self.tr("Due times follow your hub's timescales and run from when the MASH received the contact.")
            )
        intro = need(self.form, QLabel, "intro_label")
        if current is None:
            intro.setText(self.tr("{reference} has not been rated yet.").format(reference=reference))
        else:
            intro.setText(
                self.tr(
                    "{reference} is rated {rag}. Changing it needs a reason, which is kept with the history."
                ).format(reference=reference, rag=current.value.upper())
            )
            self.radios[current].setChecked(True)
        self.errors.bind("rag", self.radios[Rag.RED])
        self.errors.bind("reason", self.reason_edit)
        self.set_ok_text(self.tr("Save rating"))
        (self.radios[current] if current else self.radios[Rag.RED]).setFocus()

    def answer(self) -> RagAnswer:
        chosen = next((rag for rag, radio in self.radios.items() if radio.isChecked()), None)
        if chosen is None:
            raise InvalidInput.single("rag", self.tr("Choose RED, AMBER or GREEN."))
        return RagAnswer(chosen, self.reason_edit.toPlainText().strip())

    def set_answer(self, answer: RagAnswer) -> None:
        self.radios[answer.rag].setChecked(True)
        self.reason_edit.setPlainText(answer.reason)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        reference: str,
        current: Rag | None,
        *,
        deadlines: Mapping[Rag, datetime] | None = None,
        answer: RagAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> RagAnswer | None:
        return cls(parent, reference, current, deadlines).run(answer, errors)
