"""Asking partner agencies for checks, and an agency recording what it knows."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QListWidget, QPlainTextEdit, QWidget

from mash_desk.domain.enums import Confidentiality
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.forms import need
from mash_desk.gui.widgets import checked, enum_data, fill_checkable, fill_enum, set_checked, set_combo_value
from mash_desk.gui.words import tr, when


@dataclass(frozen=True)
class ChecksAnswer:
    agency_codes: tuple[str, ...]
    question: str


class AgencyChecksDialog(FormDialog[ChecksAnswer]):
    ui_name = "agency_checks_dialog.ui"

    def __init__(
        self,
        parent: QWidget | None,
        reference: str,
        agencies: list[tuple[str, str]],
        outstanding: set[str],
        ticked: Collection[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ask agencies — {reference}").format(reference=reference))
        need(self.form, QLabel, "intro_label").setText(
            self.tr(
                "Each agency searches its own systems and returns a proportionate summary before the contact's "
                "RAG deadline. Agencies already asked and not yet replied are not listed."
            )
        )
        self.agencies_list = need(self.form, QListWidget, "agencies_list")
        self.question_edit = need(self.form, QPlainTextEdit, "question_edit")
        fill_checkable(
            self.agencies_list,
            [(code, name) for code, name in agencies if code not in outstanding and code != "SOCIAL_CARE"],
        )
        set_checked(self.agencies_list, ticked)  # the usual checks start ticked; untick any not needed
        if self.agencies_list.count():
            self.agencies_list.setCurrentRow(0)
        self.errors.bind("agencies", self.agencies_list)
        self.errors.bind("question", self.question_edit)
        self.set_ok_text(self.tr("Send requests"))
        self.agencies_list.setFocus()

    def answer(self) -> ChecksAnswer:
        return ChecksAnswer(tuple(str(code) for code in checked(self.agencies_list)), self.question_edit.toPlainText())

    def set_answer(self, answer: ChecksAnswer) -> None:
        set_checked(self.agencies_list, answer.agency_codes)
        self.question_edit.setPlainText(answer.question)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        reference: str,
        agencies: list[tuple[str, str]],
        outstanding: set[str],
        *,
        ticked: Collection[str] = (),
        answer: ChecksAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> ChecksAnswer | None:
        return cls(parent, reference, agencies, outstanding, ticked).run(answer, errors)


@dataclass(frozen=True)
class ReturnRequest:
    """What the agency partner sees of the request they are answering."""

    request_id: int
    contact_id: int
    reference: str
    children: str
    agency: str
    question: str | None
    due_at: datetime


@dataclass(frozen=True)
class ReturnAnswer:
    summary: str
    nothing_known: bool
    confidentiality: Confidentiality


def confidentiality_words(marking: Confidentiality) -> str:
    return {
        Confidentiality.SHAREABLE: tr("Shareable: the MASH partners may read it"),
        Confidentiality.AGENCY_CONFIDENTIAL: tr("Agency confidential: social care and my agency only"),
        Confidentiality.RESTRICTED: tr("Restricted: my agency only (the MASH sees that it is withheld)"),
    }[marking]


class AgencyReturnDialog(FormDialog[ReturnAnswer]):
    ui_name = "agency_return_dialog.ui"

    def __init__(self, parent: QWidget | None, request: ReturnRequest) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Return for {reference}").format(reference=request.reference))
        need(self.form, QLabel, "intro_label").setText(
            self.tr("{agency}'s checks on {children} ({reference}), due {due}.").format(
                agency=request.agency, children=request.children, reference=request.reference, due=when(request.due_at)
            )
        )
        need(self.form, QLabel, "question_label").setText(
            self.tr("The MASH asks: {question}").format(
                question=request.question or self.tr("please share what your agency knows.")
            )
        )
        self.nothing_known_check = need(self.form, QCheckBox, "nothing_known_check")
        self.summary_edit = need(self.form, QPlainTextEdit, "summary_edit")
        self.confidentiality_combo = need(self.form, QComboBox, "confidentiality_combo")
        fill_enum(self.confidentiality_combo, list(Confidentiality), confidentiality_words)
        self.errors.bind("summary", self.summary_edit)
        self.set_ok_text(self.tr("Send return"))
        self.summary_edit.setFocus()
        self.resize(560, 420)

    def answer(self) -> ReturnAnswer:
        marking = enum_data(self.confidentiality_combo, Confidentiality)
        return ReturnAnswer(
            self.summary_edit.toPlainText(),
            self.nothing_known_check.isChecked(),
            marking or Confidentiality.SHAREABLE,
        )

    def set_answer(self, answer: ReturnAnswer) -> None:
        self.summary_edit.setPlainText(answer.summary)
        self.nothing_known_check.setChecked(answer.nothing_known)
        set_combo_value(self.confidentiality_combo, answer.confidentiality)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        request: ReturnRequest,
        *,
        answer: ReturnAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> ReturnAnswer | None:
        return cls(parent, request).run(answer, errors)
