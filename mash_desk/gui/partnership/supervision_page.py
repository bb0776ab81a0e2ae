"""Supervision (issue 14): who is overdue, caseload against supervision month by month, the latest
supervisions, and for a manager the form that records one.

A manager picks the practitioner, the supervisor and the date, adds each case discussed (the
contact's reference, the reflection, the actions agreed) and saves: each case goes on its contact as
management oversight. Everything is read and saved on a worker; a wrong field is said beneath it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.enums import Role
from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.domain.periods import london_date
from mash_desk.domain.supervision import CaseDiscussed, check_case_discussed
from mash_desk.domain.words import counted
from mash_desk.gui.date_box import DateBox, read_day
from mash_desk.gui.field_errors import FieldErrorDisplay, set_flag
from mash_desk.gui.manager.charts import FiguresCard
from mash_desk.gui.manager.figures_model import Figure, count, text
from mash_desk.gui.manager.supervision_cards import SupervisionCards
from mash_desk.gui.messages import ErrorDialog
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services.dashboard import supervision_overview
from mash_desk.services.supervision import (
    SupervisionChoices,
    SupervisionRow,
    recent_supervisions,
    record_supervision,
    supervision_choices,
)
from mash_desk.services.supervision.measures import SupervisionMeasures

FORM_WIDTH = 720


@dataclass(frozen=True)
class _Loaded:
    overview: SupervisionMeasures
    recent: list[SupervisionRow]
    choices: SupervisionChoices | None


def _text_box(parent: QWidget, name: str, placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field
    box.setPlaceholderText(placeholder)
    box.setAccessibleName(name)
    box.setFixedHeight(64)
    return box


class SupervisionPage(QWidget):
    message = Signal(str)
    """A sentence for the status bar."""
    saved = Signal(int)
    """Emitted with the new supervision's id."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervision_page")
        self._runner = window.runner
        self._ctx = window.ctx
        self._clock = window.clock
        self._manager = window.actor.role is Role.MANAGER
        self.cases: list[CaseDiscussed] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        set_flag(self.summary_label, "banner", "info")
        outer.addWidget(self.summary_label)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        # not a Tab stop of its own: the page's focus goes past it, so forward Tab never reached it; its
        # fields and tables scroll into view as Tab reaches them
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        content = QWidget(scroll)
        body = QGridLayout(content)
        # a manager's page opens at the form (its focus): made first, it comes first in the Tab order, so
        # forward Tab goes on from it to the tables instead of never reaching them
        self.form = self._form(content) if self._manager else None
        self.cards = SupervisionCards(window.theme, content)
        top = Qt.AlignmentFlag.AlignTop
        body.addWidget(self.cards.who, 0, 0, top)
        body.addWidget(self.cards.over_time, 0, 1, top)
        self.recent = FiguresCard(
            tr("The latest supervisions recorded"),
            [tr("Held on"), tr("Practitioner"), tr("Supervisor"), tr("Cases discussed")],
            content,
        )
        body.addWidget(self.recent, 1, 1, top)
        if self.form is not None:
            body.addWidget(self.form, 1, 0, top)
        body.setColumnStretch(0, 1)
        body.setColumnStretch(1, 1)
        body.setRowStretch(2, 1)
        scroll.setWidget(content)
        outer.addWidget(scroll, 1)
        self.setFocusProxy(self.practitioner_combo if self._manager else self.cards.who.table)

    # --- the form ----------------------------------------------------------------------------------

    def _form(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(tr("Record a supervision"), parent)
        box.setMaximumWidth(FORM_WIDTH)
        layout = QVBoxLayout(box)
        self.banner = QLabel(box)
        self.banner.setWordWrap(True)
        set_flag(self.banner, "banner", "error")
        layout.addWidget(self.banner)
        self.errors = FieldErrorDisplay(self.banner, self)
        who = QFormLayout()
        self.practitioner_combo = QComboBox(box)
        self.practitioner_combo.setAccessibleName(tr("Practitioner supervised"))
        self.supervisor_combo = QComboBox(box)
        self.supervisor_combo.setAccessibleName(tr("Supervisor"))
        self.held_edit = DateBox(box)
        self.held_edit.today = lambda: london_date(self._clock())
        self.held_edit.set_day(london_date(self._clock()))
        self.held_edit.setAccessibleName(tr("Date of the supervision"))
        for caption, field in (
            (tr("Pract&itioner:"), self.practitioner_combo),
            (tr("Supervis&or:"), self.supervisor_combo),
            (tr("Dat&e held:"), self.held_edit),
        ):
            label = QLabel(caption, box)
            label.setBuddy(field)
            who.addRow(label, field)
        layout.addLayout(who)
        case_box = QGroupBox(tr("A case discussed"), box)
        case_form = QFormLayout(case_box)
        self.reference_edit = QLineEdit(case_box)
        self.reference_edit.setPlaceholderText(tr("MASH-0000042"))
        self.reference_edit.setAccessibleName(tr("Contact reference"))
        self.reference_edit.setMaximumWidth(200)
        self.reflection_edit = _text_box(case_box, tr("Reflection"), tr("What was thought through about the case"))
        self.actions_edit = _text_box(case_box, tr("Actions agreed"), tr("Who does what, by when"))
        case_fields: tuple[tuple[str, QWidget], ...] = (
            (tr("Contact re&ference:"), self.reference_edit),
            (tr("Ref&lection:"), self.reflection_edit),
            (tr("Actions a&greed:"), self.actions_edit),
        )
        for caption, case_field in case_fields:
            label = QLabel(caption, case_box)
            label.setBuddy(case_field)
            case_form.addRow(label, case_field)
        self.add_button = QPushButton(tr("&Add this case"), case_box)
        self.add_button.clicked.connect(self.add_case)
        case_form.addRow("", self.add_button)
        layout.addWidget(case_box)
        self.case_list = QListWidget(box)
        self.case_list.setAccessibleName(tr("Cases to be recorded"))
        self.case_list.setMaximumHeight(90)
        cases_caption = QLabel(tr("Cases to be recorded (Delete takes the selected one out):"), box)
        cases_caption.setBuddy(self.case_list)
        layout.addWidget(cases_caption)
        layout.addWidget(self.case_list)
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.case_list)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self.remove_case)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(tr("&Save the supervision"), box)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        fields: tuple[tuple[str, QWidget], ...] = (
            ("practitioner", self.practitioner_combo),
            ("supervisor", self.supervisor_combo),
            ("held_on", self.held_edit),
            ("reference", self.reference_edit),
            ("reflection", self.reflection_edit),
            ("actions", self.actions_edit),
            ("cases", self.case_list),
        )
        for key, widget in fields:
            self.errors.bind(key, widget)
        return box

    def add_case(self) -> None:
        """Check the case typed and add it to the list; a wrong field is said beneath it."""
        try:
            case = check_case_discussed(
                self.reference_edit.text(), self.reflection_edit.toPlainText(), self.actions_edit.toPlainText()
            )
        except InvalidInput as exc:
            self.errors.show(exc.field_errors)
            return
        if any(existing.reference == case.reference for existing in self.cases):
            self.errors.show({"reference": tr("{reference} is already in the list.").format(reference=case.reference)})
            return
        self.errors.clear()
        self.cases.append(case)
        self.case_list.addItem(f"{case.reference}: {case.reflection[:80]}")
        for field in (self.reference_edit, self.reflection_edit, self.actions_edit):
            field.clear()
        self.reference_edit.setFocus()

    def remove_case(self) -> None:
        row = self.case_list.currentRow()
        if 0 <= row < len(self.cases):
            del self.cases[row]
            self.case_list.takeItem(row)

    def save(self) -> None:
        ctx, cases = self._ctx, list(self.cases)
        practitioner = self.practitioner_combo.currentData()
        supervisor = self.supervisor_combo.currentData()
        errors: dict[str, str] = {}
        held_on = read_day(self.held_edit, "held_on", errors)
        if held_on is None:  # not a date: said beside it, nothing saved
            self.errors.show(errors, summary=tr("Nothing was saved."))
            return
        self.save_button.setEnabled(False)
        self._runner.run(
            lambda: record_supervision(ctx, practitioner, supervisor, held_on, cases),
            self._saved,
            self._save_failed,
            owner=self,
            label=tr("Saving the supervision"),
        )

    def _saved(self, supervision_id: int) -> None:
        self.save_button.setEnabled(True)
        self.errors.clear()
        count_saved = len(self.cases)
        self.cases.clear()
        self.case_list.clear()
        emit(
            self.message,
            tr("Supervision saved: {cases} written on their contacts as management oversight.").format(
                cases=counted(count_saved, tr("case"), tr("cases"))
            ),
        )
        emit(self.saved, supervision_id)
        self.reload()

    def _save_failed(self, exc: MashDeskError) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, InvalidInput):
            self.errors.show(exc.field_errors, summary=tr("Nothing was saved."))
            return
        ErrorDialog.ask(self, tr("Nothing was saved"), str(exc))

    # --- reading -----------------------------------------------------------------------------------

    def reload(self) -> None:
        ctx, manager = self._ctx, self._manager

        def read() -> _Loaded:
            return _Loaded(
                supervision_overview(ctx), recent_supervisions(ctx), supervision_choices(ctx) if manager else None
            )

        self._runner.run(read, self._loaded, self._failed, owner=self, label=tr("Reading supervision"))

    def _loaded(self, loaded: _Loaded) -> None:
        overview = loaded.overview
        today = london_date(self._clock())
        self.cards.show(overview, today)
        self.summary_label.setText(
            tr(
                "{overdue} of {practitioners} {are} overdue for case supervision (policy: {policy}; "
                "an administrator sets it under Administration, Timescales)."
            ).format(
                overdue=overview.overdue_now,
                practitioners=counted(len(overview.practitioners), tr("practitioner"), tr("practitioners")),
                are=tr("is") if overview.overdue_now == 1 else tr("are"),
                policy=overview.frequency_words,
            )
        )
        set_flag(self.summary_label, "banner", "warning" if overview.overdue_now else "info")
        self.recent.model.set_rows(
            [
                [
                    Figure(f"{row.held_on:%d %b %Y}", row.held_on.toordinal()),
                    text(row.practitioner),
                    text(row.supervisor),
                    count(row.cases),
                ]
                for row in loaded.recent[:12]
            ]
        )
        if loaded.choices is not None:
            self._fill(loaded.choices)

    def _fill(self, choices: SupervisionChoices) -> None:
        keep_practitioner = self.practitioner_combo.currentData()
        keep_supervisor = self.supervisor_combo.currentData() or choices.me
        self.practitioner_combo.clear()
        self.practitioner_combo.addItem(tr("Choose…"), None)
        for person in choices.practitioners:
            self.practitioner_combo.addItem(person.name, person.user_id)
        self.supervisor_combo.clear()
        for person in choices.managers:
            self.supervisor_combo.addItem(person.name, person.user_id)
        for combo, wanted in ((self.practitioner_combo, keep_practitioner), (self.supervisor_combo, keep_supervisor)):
            index = combo.findData(wanted)
            if index >= 0:
                combo.setCurrentIndex(index)

    def _failed(self, exc: MashDeskError) -> None:
        self.summary_label.setText(tr("Supervision could not be read: {problem}").format(problem=exc))
        set_flag(self.summary_label, "banner", "error")
