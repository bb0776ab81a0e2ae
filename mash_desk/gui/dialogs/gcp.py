"""A Graded Care Profile 2 for one child: the four areas graded 1 (best) to 5 (worst), the carer's
part, the targets and the review date, each grade shown against the child's previous GCP2 as it is
typed (better, the same, worse). Only grades and outcomes are kept, never the licensed form text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPlainTextEdit, QSpinBox, QWidget

from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.risk import (
    GCP_AREA_WORDS,
    GCP_AREAS,
    CarerParticipation,
    GcpAreaChange,
    GcpTrend,
    check_gcp_review_date,
    validate_gcp_grades,
)
from mash_desk.gui.date_box import DateBox, read_day
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.forms import need
from mash_desk.gui.widgets import enum_data, set_combo_value
from mash_desk.gui.words import short_when, tr
from mash_desk.services.risk_tools import GcpHistory

DEFAULT_REVIEW_WEEKS = 8


def participation_words(value: CarerParticipation) -> str:
    return {
        CarerParticipation.FULL: tr("Took part throughout"),
        CarerParticipation.PARTIAL: tr("Took part in some of it"),
        CarerParticipation.DECLINED: tr("Declined to take part"),
        CarerParticipation.UNABLE: tr("Could not take part (illness, absence)"),
    }[value]


def trend_words(change: GcpAreaChange) -> str:
    return {
        GcpTrend.BETTER: tr("▼ better than {before} last time"),
        GcpTrend.SAME: tr("= the same as last time ({before})"),
        GcpTrend.WORSE: tr("▲ WORSE than {before} last time"),
    }[change.trend].format(before=change.before)


@dataclass(frozen=True)
class ChildGcp:
    """A child the GCP2 may be for, with their GCP2s so far (None until read)."""

    person_id: int
    name: str
    history: GcpHistory | None = None


@dataclass(frozen=True)
class GcpAnswer:
    child_id: int
    grades: dict[str, int]
    carer_participation: CarerParticipation | None
    carer_consent: bool
    review_on: date
    targets: str


class GcpDialog(FormDialog[GcpAnswer]):
    ui_name = "gcp_dialog.ui"

    def __init__(self, parent: QWidget | None, title: str, children: Sequence[ChildGcp], today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Graded Care Profile 2 — {title}").format(title=title))
        self._today = today
        self._children = {child.person_id: child for child in children}
        self.child_combo = need(self.form, QComboBox, "child_combo")
        self.previous_label = need(self.form, QLabel, "previous_label")
        self.spins = {area: need(self.form, QSpinBox, f"{area}_spin") for area in GCP_AREAS}
        self.changes = {area: need(self.form, QLabel, f"{area}_change") for area in GCP_AREAS}
        self.participation_combo = need(self.form, QComboBox, "participation_combo")
        self.consent_check = need(self.form, QCheckBox, "consent_check")
        self.review_edit = need(self.form, DateBox, "review_edit")
        self.targets_edit = need(self.form, QPlainTextEdit, "targets_edit")
        need(self.form, QLabel, "intro_label").setText(
            self.tr(
                "Grade each area with the carer, from 1 (the child's needs are met) to 5 (they are not): type the "
                "number. The next Graded Care Profile 2 for this child is its review."
            )
        )
        for child in children:
            self.child_combo.addItem(child.name, child.person_id)
        self.child_combo.setEnabled(len(children) > 1)
        self.participation_combo.addItem(self.tr("— choose —"), "")
        for value in CarerParticipation:
            self.participation_combo.addItem(participation_words(value), value.value)
        self.review_edit.today = lambda: today
        # no range on the box: the rule for the review date, and its message, is check_gcp_review_date
        self.review_edit.set_day(today + timedelta(weeks=DEFAULT_REVIEW_WEEKS))
        self.child_combo.currentIndexChanged.connect(self._child_changed)
        for spin in self.spins.values():
            spin.valueChanged.connect(self._show_changes)
            spin.setAccessibleDescription(self.tr("1 best, 5 worst"))
        self.participation_combo.currentIndexChanged.connect(self._participation_changed)
        self.errors.bind("child", self.child_combo)
        for area in GCP_AREAS:
            self.errors.bind(area, self.spins[area])
        self.errors.bind("carer_participation", self.participation_combo)
        self.errors.bind("review_on", self.review_edit)
        self.errors.bind("targets", self.targets_edit)
        self.set_ok_text(self.tr("Save GCP2"))
        self.resize(640, 560)
        self._child_changed()
        (self.child_combo if len(children) > 1 else self.spins[GCP_AREAS[0]]).setFocus()

    def current_child(self) -> ChildGcp | None:
        return self._children.get(int(self.child_combo.currentData() or 0))

    def _child_changed(self) -> None:
        child = self.current_child()
        latest = child.history.latest if child and child.history else None
        if latest is None:
            self.previous_label.setText(self.tr("This is the child's first Graded Care Profile 2 here."))
        else:
            grades = ", ".join(f"{GCP_AREA_WORDS[a]} {latest.grades[a]}" for a in GCP_AREAS)
            text = self.tr("Previous GCP2 on {when} by {who}: {grades}.").format(
                when=short_when(latest.assessed_at), who=latest.assessor, grades=grades
            )
            if latest.overdue:
                text = (
                    "⚠ "
                    + text
                    + " "
                    + self.tr("Its review was due on {day}: this GCP2 reviews it.").format(
                        day=f"{latest.review_on:%d/%m/%Y}"
                    )
                )
            self.previous_label.setText(text)
        self._show_changes()

    def _participation_changed(self) -> None:
        if enum_data(self.participation_combo, CarerParticipation) is CarerParticipation.DECLINED:
            self.consent_check.setChecked(False)

    def _show_changes(self) -> None:
        child = self.current_child()
        latest = child.history.latest if child and child.history else None
        for area in GCP_AREAS:
            now = self.spins[area].value()
            label = self.changes[area]
            if latest is None or not now:
                label.clear()
                continue
            label.setText(trend_words(GcpAreaChange(area, latest.grades[area], now)))

    def answer(self) -> GcpAnswer:
        grades = {area: spin.value() for area, spin in self.spins.items() if spin.value()}
        errors: dict[str, str] = {}
        try:
            validate_gcp_grades(grades)
        except InvalidInput as exc:
            errors.update(exc.field_errors)
        participation = enum_data(self.participation_combo, CarerParticipation)
        if participation is None:
            errors["carer_participation"] = self.tr("Say how far the parent or carer took part in the assessment.")
        # an empty box is the rule's own message ("Set the date ..."); text that is no date, the box's
        review_on = read_day(self.review_edit, "review_on", errors) if self.review_edit.text().strip() else None
        if "review_on" not in errors:
            errors.update(check_gcp_review_date(review_on, self._today))
        if errors:
            raise InvalidInput(errors)
        assert review_on is not None  # check_gcp_review_date refuses a missing date
        return GcpAnswer(
            int(self.child_combo.currentData() or 0),
            grades,
            participation,
            self.consent_check.isChecked(),
            review_on,
            self.targets_edit.toPlainText().strip(),
        )

    def set_answer(self, answer: GcpAnswer) -> None:
        set_combo_value(self.child_combo, answer.child_id)
        for area, spin in self.spins.items():
            spin.setValue(answer.grades.get(area, 0))
        set_combo_value(
            self.participation_combo, answer.carer_participation.value if answer.carer_participation else ""
        )
        self.consent_check.setChecked(answer.carer_consent)
        self.review_edit.set_day(answer.review_on)
        self.targets_edit.setPlainText(answer.targets)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        children: Sequence[ChildGcp],
        today: date,
        *,
        answer: GcpAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> GcpAnswer | None:
        return cls(parent, title, children, today).run(answer, errors)
