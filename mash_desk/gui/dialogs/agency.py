"""Asking partner agencies for checks, and an agency recording what it knows."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QListWidget, QPlainTextEdit, QWidget

from mash_desk.domain.enums import Confidentiality, ConsentStatus, Rag
from mash_desk.domain.sharing import consent_covers
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.forms import need
from mash_desk.gui.widgets import checked, enum_data, fill_checkable, fill_enum, set_checked, set_combo_value
from mash_desk.gui.words import day, enum_words, rag_words, tr, when
from mash_desk.services.agency_brief import ChildAsked, ReturnBrief
from mash_desk.services.contact_view import ConsentRow


def due_words(due_at: datetime | None, rag: Rag | None) -> str:
    """When the agencies' returns are due: the contact's RAG deadline, which moves with its rating."""
    if due_at is None:
        return tr("Each agency searches its own systems and returns a proportionate summary.")
    if rag is None:
        return tr(
            "Each agency's return is due by {due}, the contact's screening deadline; rating the contact sets it "
            "again by the hub's timescales."
        ).format(due=when(due_at))
    return tr("Each agency's return is due by {due}, the contact's {rag} deadline under the hub's timescales.").format(
        due=when(due_at), rag=rag_words(rag)
    )


def consent_words(consent: ConsentRow | None, agency_names: Mapping[str, str]) -> str:
    """What the consent decision on record lets the MASH share, and with whom, in words."""
    if consent is None:
        return tr("No consent decision is recorded yet: record consent given, or an override, before asking agencies.")
    if consent.override:
        return tr("Shared without consent, authorised by {manager}: any agency may be asked.").format(
            manager=consent.override_authorised_by or tr("a manager")
        )
    if consent.status is not ConsentStatus.GIVEN:
        return tr(
            "Consent is recorded as {status} and no override is recorded: no agency can be asked until consent "
            "is given or a manager records an override."
        ).format(status=enum_words(consent.status).lower())
    who = tr(" by {name}").format(name=consent.given_by_name) if consent.given_by_name else ""
    if not consent.scope:
        return tr("Consent was given{who} for every agency in the MASH.").format(who=who)
    covered = ", ".join(agency_names.get(code, code) for code in consent.scope)
    return tr("Consent was given{who} for these agencies only: {agencies}.").format(who=who, agencies=covered)


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
        *,
        due_at: datetime | None = None,
        rag: Rag | None = None,
        consent: ConsentRow | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ask agencies — {reference}").format(reference=reference))
        names = dict(agencies)
        # what the practitioner commits each agency to, and what the family agreed to: before they tick
        self.due_label = need(self.form, QLabel, "intro_label")
        waiting = [name for code, name in agencies if code in outstanding]
        already = (
            " " + self.tr("Already asked and not replied yet: {agencies}.").format(agencies=", ".join(waiting))
            if waiting
            else ""
        )
        self.due_label.setText(due_words(due_at, rag) + already)
        self.consent_label = need(self.form, QLabel, "consent_label")
        self.consent_label.setText(consent_words(consent, names))
        self.agencies_list = need(self.form, QListWidget, "agencies_list")
        self.question_edit = need(self.form, QPlainTextEdit, "question_edit")
        offered = [(code, name) for code, name in agencies if code not in outstanding and code != "SOCIAL_CARE"]
        fill_checkable(self.agencies_list, offered)
        if consent is not None:
            # an agency the consent does not cover is shown, but cannot be ticked: the request would be refused
            for row, (code, name) in enumerate(offered):
                if not consent_covers(consent.status, consent.override, consent.scope, code):
                    item = self.agencies_list.item(row)
                    item.setText(self.tr("{agency} — not covered by the consent").format(agency=name))
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsUserCheckable)
        first = next(
            (
                row
                for row in range(self.agencies_list.count())
                if self.agencies_list.item(row).flags() & Qt.ItemFlag.ItemIsEnabled
            ),
            None,
        )
        # the usual checks start ticked, where the consent covers them; untick any not needed
        covered = {
            code
            for code, _name in offered
            if consent is None or consent_covers(consent.status, consent.override, consent.scope, code)
        }
        set_checked(self.agencies_list, [code for code in ticked if code in covered])
        if first is not None:
            self.agencies_list.setCurrentRow(first)
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
        due_at: datetime | None = None,
        rag: Rag | None = None,
        consent: ConsentRow | None = None,
        answer: ChecksAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> ChecksAnswer | None:
        dialog = cls(parent, reference, agencies, outstanding, ticked, due_at=due_at, rag=rag, consent=consent)
        return dialog.run(answer, errors)


@dataclass(frozen=True)
class ReturnRequest:
    """Which request the agency partner is answering (the dialog shows its ``ReturnBrief``)."""

    request_id: int
    contact_id: int
    reference: str
    children: str
    agency: str
    question: str | None
    due_at: datetime


def child_words(child: ChildAsked) -> str:
    if child.date_of_birth is not None:
        return tr("{name}, born {born}").format(name=child.name, born=day(child.date_of_birth))
    if child.expected_date_of_birth is not None:
        return tr("{name}, unborn, expected {due}").format(name=child.name, due=day(child.expected_date_of_birth))
    return tr("{name}, date of birth not known").format(name=child.name)


def brief_words(brief: ReturnBrief) -> str:
    """About whom, where to search and who asked: the lines the partner searches their systems with."""
    team = f" ({brief.asked_by_team})" if brief.asked_by_team else ""
    lines = [
        tr("About: {children}").format(children="; ".join(child_words(child) for child in brief.children)),
        tr("Address to search: {address}").format(address=brief.address or tr("not known")),
        tr("Asked by {who}{team} at {when}").format(who=brief.asked_by, team=team, when=when(brief.asked_at)),
    ]
    return "\n".join(lines)


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

    def __init__(self, parent: QWidget | None, brief: ReturnBrief) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Return for {reference}").format(reference=brief.reference))
        rag = f" ({rag_words(brief.rag)})" if brief.rag is not None else ""
        need(self.form, QLabel, "intro_label").setText(
            self.tr("{agency}'s checks for {reference}: due by {due}{rag}.").format(
                agency=brief.agency, reference=brief.reference, due=when(brief.due_at), rag=rag
            )
        )
        self.subjects_label = need(self.form, QLabel, "subjects_label")
        self.subjects_label.setText(brief_words(brief))
        need(self.form, QLabel, "question_label").setText(
            self.tr("The MASH asks: {question}").format(
                question=brief.question or self.tr("please share what your agency knows.")
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
        brief: ReturnBrief,
        *,
        answer: ReturnAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> ReturnAnswer | None:
        return cls(parent, brief).run(answer, errors)
