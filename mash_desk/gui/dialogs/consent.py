"""The information-sharing decision: consent, its scope, and an override with its lawful basis."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)

from mash_desk.domain.defaults import AdultSeen
from mash_desk.domain.enums import ConsentStatus, OverrideBasis
from mash_desk.domain.errors import InvalidInput
from mash_desk.gui.date_box import DateBox, read_day
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.forms import need
from mash_desk.gui.widgets import (
    checked,
    enum_data,
    fill_checkable,
    fill_codes,
    fill_enum,
    fill_tristate,
    set_checked,
    set_combo_value,
    tristate,
)
from mash_desk.gui.words import enum_words, override_basis_words
from mash_desk.services.screening import ConsentDraft

CONSENT_WIDTH = 820
STATUS_WORDS = {
    ConsentStatus.GIVEN: "Given: consent was given",
    ConsentStatus.REFUSED: "Refused: consent was refused",
    ConsentStatus.NOT_SOUGHT: "Not sought",
    ConsentStatus.NOT_POSSIBLE: "Unable to seek it (not possible)",
}
"""The consent decisions in the list's order, each with its own first letter."""


class ConsentDialog(FormDialog[ConsentDraft]):
    ui_name = "consent_dialog.ui"

    def __init__(
        self,
        parent: QWidget | None,
        reference: str,
        agencies: list[tuple[str, str]],
        managers: list[tuple[str, str]],
        today: date,
        given_by: AdultSeen | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Consent — {reference}").format(reference=reference))
        form = self.form
        self.status_combo = need(form, QComboBox, "status_combo")
        self.given_group = need(form, QGroupBox, "given_group")
        self.given_by_name_edit = need(form, QLineEdit, "given_by_name_edit")
        self.given_by_relationship_edit = need(form, QLineEdit, "given_by_relationship_edit")
        self.given_by_pr_combo = need(form, QComboBox, "given_by_pr_combo")
        self.obtained_on_edit = need(form, DateBox, "obtained_on_edit")
        self.method_edit = need(form, QLineEdit, "method_edit")
        self.parent_aware_check = need(form, QCheckBox, "parent_aware_check")
        self.parent_not_aware_reason_edit = need(form, QLineEdit, "parent_not_aware_reason_edit")
        self.child_views_edit = need(form, QPlainTextEdit, "child_views_edit")
        self.all_agencies_check = need(form, QCheckBox, "all_agencies_check")
        self.scope_list = need(form, QListWidget, "scope_list")
        self.override_group = need(form, QGroupBox, "override_group")
        self.override_basis_combo = need(form, QComboBox, "override_basis_combo")
        self.override_reason_edit = need(form, QPlainTextEdit, "override_reason_edit")
        self.override_authorised_by_combo = need(form, QComboBox, "override_authorised_by_combo")

        # each begins with its own letter, so one typed letter chooses it
        fill_enum(self.status_combo, list(STATUS_WORDS), lambda status: self.tr(STATUS_WORDS[status]))
        fill_tristate(self.given_by_pr_combo)
        self.obtained_on_edit.today = lambda: today
        self.obtained_on_edit.set_range(latest=today)  # consent is recorded once it has been given
        self.obtained_on_edit.set_day(today)
        fill_checkable(self.scope_list, [(code, name) for code, name in agencies if code != "SOCIAL_CARE"])
        fill_enum(self.override_basis_combo, list(OverrideBasis), override_basis_words)
        for index in range(self.override_basis_combo.count()):
            text = self.override_basis_combo.itemText(index)
            self.override_basis_combo.setItemData(index, text, Qt.ItemDataRole.ToolTipRole)
        fill_codes(self.override_authorised_by_combo, managers, blank=self.tr("— choose the manager —"))
        self.status_combo.currentIndexChanged.connect(self._status_changed)
        self.all_agencies_check.toggled.connect(self._status_changed)
        self.parent_aware_check.toggled.connect(self.parent_not_aware_reason_edit.setDisabled)
        self.parent_not_aware_reason_edit.setEnabled(False)
        self._status_changed()
        if given_by is not None:  # the parent consent was most likely sought from: the person's to change
            self.given_by_name_edit.setText(given_by.name)
            self.given_by_relationship_edit.setText(enum_words(given_by.relationship))
            set_combo_value(self.given_by_pr_combo, True if given_by.parental_responsibility else None)

        for key, widget in (
            ("status", self.status_combo),
            ("given_by_name", self.given_by_name_edit),
            ("obtained_on", self.obtained_on_edit),
            ("method", self.method_edit),
            ("parent_not_aware_reason", self.parent_not_aware_reason_edit),
            ("scope", self.scope_list),
            ("override", self.override_group),
            ("override_basis", self.override_basis_combo),
            ("override_reason", self.override_reason_edit),
            ("override_authorised_by", self.override_authorised_by_combo),
        ):
            self.errors.bind(key, widget)
        # "Record decision" is the threshold decision's word: this records consent
        self.set_ok_text(self.tr("Record consent"))
        # two columns of labelled fields: at the shared minimum width every field was cut off
        self.setMinimumWidth(CONSENT_WIDTH)
        # with the parent already named, the first thing left to type is how consent was given; the
        # decision itself is the field above, in view, and Shift+Tab away
        (self.method_edit if given_by is not None else self.status_combo).setFocus()

    def _status_changed(self) -> None:
        given = enum_data(self.status_combo, ConsentStatus) is ConsentStatus.GIVEN
        self.given_group.setEnabled(given)
        # the agencies are what consent given covers; refused or not sought, nothing is shared on it
        self.all_agencies_check.setEnabled(given)
        self.scope_list.setEnabled(given and not self.all_agencies_check.isChecked())
        self.override_group.setEnabled(not given)  # an override is for sharing without consent
        if given:
            self.parent_aware_check.setChecked(True)  # a parent who consented knows of the contact

    def _override(self) -> bool:
        """Sharing without consent is recorded by writing its reason: no separate tick to forget."""
        given = enum_data(self.status_combo, ConsentStatus) is ConsentStatus.GIVEN
        return not given and bool(self.override_reason_edit.toPlainText().strip())

    def answer(self) -> ConsentDraft:
        status = enum_data(self.status_combo, ConsentStatus)
        given = status is ConsentStatus.GIVEN
        errors: dict[str, str] = {}
        obtained = read_day(self.obtained_on_edit, "obtained_on", errors) if given else None
        if errors:
            raise InvalidInput(errors)
        override = self._override()
        basis = enum_data(self.override_basis_combo, OverrideBasis)
        all_agencies = self.all_agencies_check.isChecked()
        return ConsentDraft(
            status=status,
            given_by_name=self.given_by_name_edit.text() if given else None,
            given_by_relationship=self.given_by_relationship_edit.text() if given else None,
            given_by_has_pr=tristate(self.given_by_pr_combo) if given else None,
            obtained_on=obtained,
            method=self.method_edit.text() if given else None,
            scope=[str(code) for code in checked(self.scope_list)] if given and not all_agencies else [],
            all_agencies=given and all_agencies,
            parent_aware=self.parent_aware_check.isChecked(),
            parent_not_aware_reason=self.parent_not_aware_reason_edit.text() or None,
            child_views=self.child_views_edit.toPlainText() or None,
            override=override,
            override_basis=basis if override else None,
            override_reason=self.override_reason_edit.toPlainText() if override else None,
            override_authorised_by=str(self.override_authorised_by_combo.currentData() or "") if override else None,
        )

    def set_answer(self, answer: ConsentDraft) -> None:
        set_combo_value(self.status_combo, answer.status)
        self.given_by_name_edit.setText(answer.given_by_name or "")
        self.given_by_relationship_edit.setText(answer.given_by_relationship or "")
        set_combo_value(self.given_by_pr_combo, answer.given_by_has_pr)
        if answer.obtained_on is not None:
            self.obtained_on_edit.set_day(answer.obtained_on)
        self.method_edit.setText(answer.method or "")
        set_checked(self.scope_list, answer.scope)
        self.all_agencies_check.setChecked(answer.all_agencies)
        self.parent_aware_check.setChecked(answer.parent_aware)
        self.parent_not_aware_reason_edit.setText(answer.parent_not_aware_reason or "")
        self.child_views_edit.setPlainText(answer.child_views or "")
        if answer.override_basis is not None:
            set_combo_value(self.override_basis_combo, answer.override_basis)
        self.override_reason_edit.setPlainText(answer.override_reason or "")
        set_combo_value(self.override_authorised_by_combo, answer.override_authorised_by or "")

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        reference: str,
        agencies: list[tuple[str, str]],
        managers: list[tuple[str, str]],
        today: date,
        *,
        given_by: AdultSeen | None = None,
        answer: ConsentDraft | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> ConsentDraft | None:
        return cls(parent, reference, agencies, managers, today, given_by).run(answer, errors)
