"""Case audits, for managers and the partnership's auditors: the audits set up, a new one set up (theme,
period, sample and how it is drawn, auditors from several agencies), and the chosen audit's cases and
grades, its actions tracked to done, and its report.

Every read and write runs on a worker; a refused set-up or action shows its messages at the fields and
writes nothing. Enter on a case opens its contact (audited as any opening is).
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.audits import MAX_SAMPLE, AuditTheme, Sampling
from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.periods import london_date
from mash_desk.domain.words import counted
from mash_desk.gui.admin.form import AdminForm
from mash_desk.gui.date_box import DateBox, read_day
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.manager.pickers import SaveFileChoice
from mash_desk.gui.partnership.audit_words import grade_words, sampling_words, theme_words
from mash_desk.gui.signals import emit
from mash_desk.gui.widgets import fill_table, leave_on_tab
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services import audits
from mash_desk.services.audits import AuditDetail, AuditorChoice, AuditRow, AuditSetUp

DEFAULT_PERIOD_DAYS = 90


def audit_line(row: AuditRow) -> str:
    """One audit in the list: what, when, how far the grading has got, and what is overdue."""
    overdue = (
        tr(" — {actions} OVERDUE").format(actions=counted(row.actions_overdue, tr("action"), tr("actions")))
        if row.actions_overdue
        else ""
    )
    return tr("{title} · {theme} · {start:%d %b %Y} to {end:%d %b %Y} · {made} of {expected} graded{overdue}").format(
        title=row.title,
        theme=theme_words(row.theme),
        start=row.period_start,
        end=row.period_end,
        made=row.grades_made,
        expected=row.grades_expected,
        overdue=overdue,
    )


class AuditsPage(QWidget):
    message = Signal(str)
    """Emitted with a sentence for the status bar."""
    open_requested = Signal(int)
    """Emitted with a contact's id to open it (Enter on a case)."""
    detail_shown = Signal(object)
    """Emitted with the ``AuditDetail`` each time one is shown."""
    report_saved = Signal(str)
    """Emitted with the path of a report PDF once it is saved."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audits_page")
        self._window = window
        self._ctx = window.ctx
        self._runner = window.runner
        self.detail: AuditDetail | None = None
        self.rows: list[AuditRow] = []
        self.choices: list[AuditorChoice] = []
        today = london_date(window.clock())
        split = QSplitter(Qt.Orientation.Horizontal, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        # left: the audits, and the set-up form
        left = QWidget(split)
        left_layout = QVBoxLayout(left)
        heading = QLabel(tr("Case audits set up, newest first"), left)
        set_flag(heading, "subheading", True)
        left_layout.addWidget(heading)
        self.audits_list = QListWidget(left)
        self.audits_list.setAccessibleName(tr("Case audits"))
        self.audits_list.currentRowChanged.connect(self._chosen)
        heading.setBuddy(self.audits_list)
        left_layout.addWidget(self.audits_list, 1)
        self.setup = AdminForm(tr("Set up a multi-agency case audit"), self._runner, left)
        self.setup.explain(
            tr(
                "Cases are drawn from the decided contacts received in the period that fit the theme. A drawn "
                "sample keeps its seed, so anyone can draw it again and get the same cases."
            )
        )
        self.title_edit = self.setup.field("title", tr("Tit&le:"), QLineEdit(self))
        self.theme_combo = self.setup.field("theme", tr("Th&eme:"), QComboBox(self))
        for theme in AuditTheme:
            self.theme_combo.addItem(theme_words(theme), theme)
        self.start_edit = self.setup.field("period_start", tr("Period &from:"), self._date_box())
        self.start_edit.set_day(today - timedelta(DEFAULT_PERIOD_DAYS))
        self.end_edit = self.setup.field("period_end", tr("Period &to:"), self._date_box())
        self.end_edit.set_day(today)
        self.size_spin = self.setup.field("sample_size", tr("Sample si&ze:"), QSpinBox(self))
        self.size_spin.setRange(1, MAX_SAMPLE)
        self.size_spin.setValue(10)
        self.sampling_combo = self.setup.field("sampling", tr("Sampli&ng:"), QComboBox(self))
        for sampling in Sampling:
            self.sampling_combo.addItem(sampling_words(sampling), sampling)
        self.seed_edit = self.setup.field("seed", tr("&Seed:"), QLineEdit(self))
        self.seed_edit.setPlaceholderText(tr("blank: one is chosen and recorded"))
        self.picked_edit = self.setup.field("hand_picked", tr("Hand-picked references:"), QLineEdit(self))
        self.picked_edit.setPlaceholderText(tr("contact references, separated by commas"))
        self.auditors_list = self.setup.field("auditors", tr("A&uditors (Space ticks):"), QListWidget(self))
        self.auditors_list.setMinimumHeight(self.auditors_list.fontMetrics().lineSpacing() * 7)
        self.internal_check = self.setup.field(
            "internal_use", tr("Report:"), QCheckBox(tr("For internal use: the report may name the children"), self)
        )
        self.setup_button = self.setup.button(tr("Set &it up and draw the sample"), self.set_up, primary=True)
        self.sampling_combo.currentIndexChanged.connect(lambda _i: self._sampling_changed())
        self._sampling_changed()
        scroll = QScrollArea(left)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.setup)
        left_layout.addWidget(scroll, 3)

        # right: the chosen audit
        right = QWidget(split)
        right_layout = QVBoxLayout(right)
        self.summary_label = QLabel(tr("Choose an audit to see its cases, grades and actions."), right)
        self.summary_label.setWordWrap(True)
        set_flag(self.summary_label, "banner", "info")
        right_layout.addWidget(self.summary_label)
        cases_label = QLabel(tr("Cases and &grades (Enter opens the contact)"), right)
        set_flag(cases_label, "subheading", True)
        self.cases_table = leave_on_tab(QTableWidget(right))  # Tab moves on, not from cell to cell
        self.cases_table.setAccessibleName(tr("Cases and grades"))
        self.cases_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cases_table.activated.connect(lambda index: self._open_case(index.row()))
        cases_label.setBuddy(self.cases_table)
        right_layout.addWidget(cases_label)
        right_layout.addWidget(self.cases_table, 2)
        self.auditors_label = QLabel(right)
        self.auditors_label.setWordWrap(True)
        right_layout.addWidget(self.auditors_label)
        actions_label = QLabel(tr("Actions agreed from the findings"), right)
        set_flag(actions_label, "subheading", True)
        self.actions_table = leave_on_tab(QTableWidget(right))
        self.actions_table.setAccessibleName(tr("Actions"))
        self.actions_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        actions_label.setBuddy(self.actions_table)
        right_layout.addWidget(actions_label)
        right_layout.addWidget(self.actions_table, 2)
        self.action_form = AdminForm(tr("Agree an action, or mark one done"), self._runner, right)
        self.what_edit = self.action_form.field("what", tr("What will &be done:"), QLineEdit(self))
        self.owner_edit = self.action_form.field("owner", tr("&Owner:"), QLineEdit(self))
        self.agency_combo = self.action_form.field("agency", tr("Agenc&y:"), QComboBox(self))
        self.due_edit = self.action_form.field("due_on", tr("Due on:"), self._date_box())
        self.due_edit.set_day(today + timedelta(28))
        self.done_note_edit = self.action_form.field("done_note", tr("What was done:"), QPlainTextEdit(self))
        self.done_note_edit.setFixedHeight(self.done_note_edit.fontMetrics().lineSpacing() * 3)
        self.add_action_button = self.action_form.button(tr("&Add the action"), self.add_action)
        self.done_button = self.action_form.button(tr("Mar&k the selected action done"), self.mark_done)
        right_layout.addWidget(self.action_form)
        buttons = QHBoxLayout()
        self.report_button = QPushButton(tr("E&xport the report PDF…"), right)
        self.report_button.clicked.connect(lambda _checked=False: self.save_report())
        buttons.addStretch(1)
        buttons.addWidget(self.report_button)
        right_layout.addLayout(buttons)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self._set_detail_enabled(False)
        self.setup.done.connect(lambda sentence: emit(self.message, sentence))
        self.action_form.done.connect(lambda sentence: emit(self.message, sentence))
        self.setFocusProxy(self.audits_list)

    # --- reading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        ctx = self._ctx

        def read() -> tuple[list[AuditRow], list[AuditorChoice], list[audits.AgencyChoice]]:
            return audits.list_audits(ctx), audits.auditor_choices(ctx), audits.agency_choices(ctx)

        self._runner.run(read, self._filled, self._read_failed, owner=self, label=tr("Reading the case audits"))

    def _filled(self, found: tuple[list[AuditRow], list[AuditorChoice], list[audits.AgencyChoice]]) -> None:
        rows, choices, agencies = found
        keep = self.detail.audit.id if self.detail else None
        self.rows, self.choices = rows, choices
        self.audits_list.blockSignals(True)
        self.audits_list.clear()
        for row in rows:
            self.audits_list.addItem(audit_line(row))
        self.audits_list.blockSignals(False)
        ticked = set(self.ticked_auditors())
        self.auditors_list.clear()
        for choice in choices:
            item = QListWidgetItem(f"{choice.name} — {choice.agency}", self.auditors_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if choice.id in ticked else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
        self.agency_combo.clear()
        for agency in agencies:
            self.agency_combo.addItem(agency.name, agency.id)
        index = next((i for i, r in enumerate(rows) if r.id == keep), 0 if rows else -1)
        if index >= 0:
            self.audits_list.setCurrentRow(index)
            self._chosen(index)

    def _read_failed(self, exc: MashDeskError) -> None:
        self.summary_label.setText(tr("The case audits could not be read: {problem}").format(problem=exc))
        set_flag(self.summary_label, "banner", "error")

    def _chosen(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        ctx, audit_id = self._ctx, self.rows[index].id
        self._runner.run(
            lambda: audits.audit_detail(ctx, audit_id),
            self.show_detail,
            self._read_failed,
            owner=self,
            label=tr("Reading the audit"),
        )

    def show_detail(self, detail: AuditDetail) -> None:
        self.detail = detail
        row = detail.audit
        seed = tr(", seed {seed}").format(seed=row.seed) if row.seed is not None else ""
        self.summary_label.setText(
            tr(
                "{title}: {theme}, {cases} {sampling}{seed}. {made} of {expected} made. "
                "{open} open, {overdue} overdue.{internal}"
            ).format(
                title=row.title,
                theme=theme_words(row.theme),
                cases=counted(row.cases, tr("case"), tr("cases")),
                sampling=sampling_words(row.sampling).lower(),
                seed=seed,
                made=row.grades_made,
                expected=counted(row.grades_expected, tr("grading"), tr("gradings")),
                open=counted(row.actions_open, tr("action"), tr("actions")),
                overdue=row.actions_overdue,
                internal=tr(" The report is for internal use.") if detail.internal_use else "",
            )
        )
        set_flag(self.summary_label, "banner", "warning" if row.actions_overdue else "info")
        fill_table(
            self.cases_table,
            [tr("Case"), tr("Contact"), tr("Grades so far")],
            [
                [str(c.position), c.reference, ", ".join(grade_words(g) for g in c.grades) or tr("none yet")]
                for c in detail.cases
            ],
            empty=tr("No cases in this audit."),
        )
        self.auditors_label.setText(
            tr("Auditors: {who}").format(
                who="; ".join(
                    tr("{name} ({agency}), {graded} of {cases} graded").format(
                        name=a.name, agency=a.agency, graded=a.graded, cases=row.cases
                    )
                    for a in detail.auditors
                )
            )
        )
        fill_table(
            self.actions_table,
            [tr("Action"), tr("Owner"), tr("Agency"), tr("Due"), tr("State")],
            [
                [
                    a.what,
                    a.owner,
                    a.agency,
                    f"{a.due_on:%d %b %Y}",
                    tr("Done {day:%d %b %Y}: {note}").format(day=a.done_at, note=a.done_note or "")
                    if a.done_at
                    else (tr("OVERDUE") if a.overdue else tr("Open")),
                ]
                for a in detail.actions
            ],
            empty=tr("No actions agreed yet."),
        )
        self._set_detail_enabled(True)
        emit(self.detail_shown, detail)

    def _set_detail_enabled(self, enabled: bool) -> None:
        for widget in (self.action_form, self.report_button, self.cases_table, self.actions_table):
            widget.setEnabled(enabled)

    def _open_case(self, row: int) -> None:
        if self.detail is not None and 0 <= row < len(self.detail.cases):
            emit(self.open_requested, self.detail.cases[row].contact_id)

    # --- setting up ------------------------------------------------------------------------------

    def _sampling_changed(self) -> None:
        sampling = self.sampling_combo.currentData()
        picked = sampling is Sampling.HAND_PICKED
        self.picked_edit.setEnabled(picked)
        self.size_spin.setEnabled(not picked)
        self.seed_edit.setEnabled(not picked)

    def ticked_auditors(self) -> list[int]:
        return [
            int(item.data(Qt.ItemDataRole.UserRole))
            for i in range(self.auditors_list.count())
            if (item := self.auditors_list.item(i)).checkState() == Qt.CheckState.Checked
        ]

    def _date_box(self) -> DateBox:
        box = DateBox(self)
        box.today = lambda: london_date(self._window.clock())
        return box

    def set_up(self) -> None:
        ctx = self._ctx
        sampling = self.sampling_combo.currentData()
        errors: dict[str, str] = {}
        start, end = read_day(self.start_edit, "period_start", errors), read_day(self.end_edit, "period_end", errors)
        if start is None or end is None:  # not dates: said beside them, nothing set up
            self.setup.fail(errors)
            return
        fields = {
            "title": self.title_edit.text(),
            "theme": self.theme_combo.currentData(),
            "period_start": start,
            "period_end": end,
            "sample_size": self.size_spin.value(),
            "sampling": sampling,
            "seed": self.seed_edit.text() if sampling is not Sampling.HAND_PICKED else None,
            "auditor_ids": self.ticked_auditors(),
            "hand_picked": [part for part in self.picked_edit.text().replace(";", ",").split(",") if part.strip()],
            "internal_use": self.internal_check.isChecked(),
        }

        def done(made: AuditSetUp) -> None:
            seed = tr(" with seed {seed}").format(seed=made.seed) if made.seed is not None else ""
            self.setup.succeeded(
                tr("Set up: {cases} drawn from {candidates} that fit{seed}.").format(
                    cases=counted(len(made.contact_ids), tr("case"), tr("cases")), candidates=made.candidates, seed=seed
                )
            )
            self.detail = None
            self.title_edit.clear()
            self.seed_edit.clear()
            self.picked_edit.clear()
            self.reload()

        self.setup.run(lambda: audits.set_up_audit(ctx, **fields), done, label=tr("Setting up the audit"))

    # --- actions and the report -------------------------------------------------------------------

    def add_action(self) -> None:
        if self.detail is None:
            return
        ctx, audit_id = self._ctx, self.detail.audit.id
        what, owner = self.what_edit.text(), self.owner_edit.text()
        agency_id = self.agency_combo.currentData()
        errors: dict[str, str] = {}
        due_on = read_day(self.due_edit, "due_on", errors)
        if due_on is None:  # not a date: said beside it, nothing agreed
            self.action_form.fail(errors)
            return

        def done(_action_id: int) -> None:
            self.action_form.succeeded(tr("Action agreed: {what}").format(what=what.strip()))
            self.what_edit.clear()
            self.owner_edit.clear()
            self.reload()

        self.action_form.run(
            lambda: audits.add_action(ctx, audit_id, what=what, owner=owner, agency_id=agency_id, due_on=due_on),
            done,
            label=tr("Agreeing the action"),
        )

    def mark_done(self) -> None:
        if self.detail is None:
            return
        row = self.actions_table.currentRow()
        if not 0 <= row < len(self.detail.actions):
            self.action_form.fail({}, summary=tr("Choose the action that is done in the list of actions first."))
            return
        ctx, action, note = self._ctx, self.detail.actions[row], self.done_note_edit.toPlainText()

        def done(_result: None) -> None:
            self.action_form.succeeded(tr("Marked done: {what}").format(what=action.what))
            self.done_note_edit.clear()
            self.reload()

        self.action_form.run(
            lambda: audits.mark_action_done(ctx, action.id, note), done, label=tr("Marking the action done")
        )

    def save_report(self) -> None:
        if self.detail is None:
            return
        audit_id = self.detail.audit.id
        path = SaveFileChoice.ask(
            self, tr("Save the audit report"), f"case-audit-{audit_id}.pdf", tr("PDF files (*.pdf)")
        )
        if path is None:
            return
        ctx = self._ctx

        def write() -> str:
            path.write_bytes(audits.audit_report(ctx, audit_id))
            return str(path)

        def saved(where: str) -> None:
            emit(self.message, tr("The audit report is saved to {path}.").format(path=where))
            emit(self.report_saved, where)

        self.action_form.run(write, saved, label=tr("Writing the audit report"))
