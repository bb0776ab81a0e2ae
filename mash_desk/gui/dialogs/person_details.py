"""Correcting a person's identifying details (with the reason, which is kept), and adding another
name they are known by. Only what changed is sent: a field left as it was is not corrected."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from mash_desk.domain.errors import InvalidInput
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.forms import need
from mash_desk.gui.person_editors import parse_day
from mash_desk.gui.words import day
from mash_desk.services.people import PersonCorrection
from mash_desk.services.person_record import PersonRecord

_LINES = ("date_of_birth", "nhs_number", "upn", "first_language", "communication_needs")


@dataclass(frozen=True)
class CorrectionAnswer:
    correction: PersonCorrection
    reason: str
    typed: dict[str, str]
    interpreter_needed: bool


class CorrectPersonDialog(FormDialog[CorrectionAnswer]):
    ui_name = "correct_person_dialog.ui"

    def __init__(self, parent: QWidget | None, record: PersonRecord) -> None:
        super().__init__(parent)
        person = record.person
        self.setWindowTitle(self.tr("Correct {name}'s details").format(name=person.name))
        need(self.form, type(self.banner), "intro_label").setText(
            self.tr(
                "Change what is wrong and say why. The old values are kept: the correction and your reason "
                "appear in the record's history."
            )
        )
        self.lines = {name: need(self.form, QLineEdit, name) for name in _LINES}
        self.interpreter = need(self.form, QCheckBox, "interpreter_needed")
        self.reason = need(self.form, QPlainTextEdit, "reason")
        self._before = {
            "date_of_birth": day(person.date_of_birth),
            "nhs_number": person.nhs_number or "",
            "upn": record.upn or "",
            "first_language": person.first_language or "",
            "communication_needs": record.communication_needs or "",
        }
        self._interpreter_before = person.interpreter_needed
        for name, value in self._before.items():
            self.lines[name].setText(value)
            self.errors.bind(name, self.lines[name])
        self.lines["date_of_birth"].setPlaceholderText(self.tr("dd/mm/yyyy"))
        self.interpreter.setChecked(person.interpreter_needed)
        self.errors.bind("interpreter_needed", self.interpreter)
        self.errors.bind("reason", self.reason)
        self.set_ok_text(self.tr("Save the correction"))
        self.lines["date_of_birth"].setFocus()

    def answer(self) -> CorrectionAnswer:
        typed = {name: line.text().strip() for name, line in self.lines.items()}
        changed = {name: text for name, text in typed.items() if text != self._before[name]}
        problems: dict[str, str] = {}
        born = None
        if "date_of_birth" in changed:
            try:
                born = parse_day(changed["date_of_birth"])
            except ValueError as exc:
                problems["date_of_birth"] = str(exc)
            else:
                if born is None:
                    problems["date_of_birth"] = self.tr("A date of birth cannot be taken away; type the right one.")
        interpreter = self.interpreter.isChecked()
        correction = PersonCorrection(
            date_of_birth=born,
            nhs_number=changed.get("nhs_number"),
            upn=changed.get("upn"),
            first_language=changed.get("first_language"),
            interpreter_needed=interpreter if interpreter != self._interpreter_before else None,
            communication_needs=changed.get("communication_needs"),
        )
        if problems:
            raise InvalidInput(problems)
        return CorrectionAnswer(correction, self.reason.toPlainText().strip(), typed, interpreter)

    def set_answer(self, answer: CorrectionAnswer) -> None:
        for name, text in answer.typed.items():
            self.lines[name].setText(text)
        self.interpreter.setChecked(answer.interpreter_needed)
        self.reason.setPlainText(answer.reason)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        record: PersonRecord,
        *,
        answer: CorrectionAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> CorrectionAnswer | None:
        return cls(parent, record).run(answer, errors)


@dataclass(frozen=True)
class AliasAnswer:
    given_names: str
    family_name: str


class AliasDialog(FormDialog[AliasAnswer]):
    ui_name = "alias_dialog.ui"

    def __init__(self, parent: QWidget | None, name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Another name for {name}").format(name=name))
        need(self.form, type(self.banner), "intro_label").setText(
            self.tr(
                "A previous surname, another spelling or a transliteration: search will find {name} by it too."
            ).format(name=name)
        )
        self.given = need(self.form, QLineEdit, "given_names")
        self.family = need(self.form, QLineEdit, "family_name")
        self.errors.bind("given_names", self.given)
        self.errors.bind("family_name", self.family)
        self.set_ok_text(self.tr("Add the name"))
        self.given.setFocus()

    def answer(self) -> AliasAnswer:
        return AliasAnswer(self.given.text().strip(), self.family.text().strip())

    def set_answer(self, answer: AliasAnswer) -> None:
        self.given.setText(answer.given_names)
        self.family.setText(answer.family_name)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        name: str,
        *,
        answer: AliasAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> AliasAnswer | None:
        return cls(parent, name).run(answer, errors)
