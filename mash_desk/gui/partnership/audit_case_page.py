"""My audit cases, for anyone assigned to a case audit (practitioners, partner agencies, managers): each
case with the theme's question set, a grade, the learning in the auditor's own words, and a graded
finding for each agency that had a part. The contact and the child's record open read-only in their
own tabs, each opening audited as usual; a case is graded once, and then shows the grading made.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.audits import Answer, AuditGrade
from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.timescales import LONDON
from mash_desk.domain.words import counted
from mash_desk.gui.admin.form import AdminForm
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.partnership.audit_words import answer_words, grade_words, theme_words
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services import audits
from mash_desk.services.audits import AuditCaseView, MyCaseRow


def case_line(row: MyCaseRow) -> str:
    state = grade_words(row.my_grade) if row.my_grade else tr("TO GRADE")
    return tr("Case {n}, {reference} — {state} ({title})").format(
        title=row.audit_title, n=row.position, reference=row.reference, state=state
    )


def _combo(parent: QWidget, blank: str, items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox(parent)
    combo.addItem(blank, None)
    for text, value in items:
        combo.addItem(text, value)
    return combo


class AuditCasesPage(QWidget):
    message = Signal(str)
    """Emitted with a sentence for the status bar."""
    open_requested = Signal(int)
    """Emitted with the case's contact id, to read it in its own tab."""
    person_requested = Signal(int)
    """Emitted with a child's person id, to read their record in its own tab."""
    case_shown = Signal(object)
    """Emitted with the ``AuditCaseView`` each time a case is shown."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audit_cases_page")
        self._ctx = window.ctx
        self._runner = window.runner
        self.rows: list[MyCaseRow] = []
        self.view: AuditCaseView | None = None
        self.answer_combos: dict[str, QComboBox] = {}
        self.finding_rows: dict[int, tuple[QComboBox, QLineEdit]] = {}
        split = QSplitter(Qt.Orientation.Horizontal, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        left = QWidget(split)
        left_layout = QVBoxLayout(left)
        heading = QLabel(tr("M&y audit cases"), left)
        set_flag(heading, "subheading", True)
        self.cases_list = QListWidget(left)
        self.cases_list.setAccessibleName(tr("My audit cases"))
        self.cases_list.currentRowChanged.connect(self._chosen)
        heading.setBuddy(self.cases_list)
        left_layout.addWidget(heading)
        left_layout.addWidget(self.cases_list, 1)
        self.list_note = QLabel(left)
        self.list_note.setWordWrap(True)
        left_layout.addWidget(self.list_note)
        right = QWidget(split)
        right_layout = QVBoxLayout(right)
        self.case_label = QLabel(tr("Choose a case to read and grade."), right)
        self.case_label.setWordWrap(True)
        set_flag(self.case_label, "banner", "info")
        right_layout.addWidget(self.case_label)
        reading = QHBoxLayout()
        self.open_contact_button = QPushButton(tr("&Open the contact (read only)"), right)
        self.open_contact_button.clicked.connect(lambda _c=False: self.open_contact())
        self.child_combo = QComboBox(right)
        self.child_combo.setAccessibleName(tr("Child"))
        self.child_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.open_child_button = QPushButton(tr("Open the child's r&ecord"), right)
        self.open_child_button.clicked.connect(lambda _c=False: self.open_child())
        for widget in (self.open_contact_button, self.child_combo, self.open_child_button):
            reading.addWidget(widget)
        reading.addStretch(1)
        right_layout.addLayout(reading)
        self.grading_area = QScrollArea(right)
        self.grading_area.setWidgetResizable(True)
        right_layout.addWidget(self.grading_area, 1)
        self.form: AdminForm | None = None
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        self._reading_enabled(False)
        self.setFocusProxy(self.cases_list)

    # --- the list --------------------------------------------------------------------------------

    def reload(self) -> None:
        ctx = self._ctx
        self._runner.run(
            lambda: audits.my_audit_cases(ctx), self._filled, self._failed, owner=self, label=tr("Reading your cases")
        )

    def _filled(self, rows: list[MyCaseRow]) -> None:
        keep = self.view.id if self.view else None
        self.rows = rows
        self.cases_list.blockSignals(True)
        self.cases_list.clear()
        for row in rows:
            self.cases_list.addItem(case_line(row))
        self.cases_list.blockSignals(False)
        to_grade = sum(1 for r in rows if r.my_grade is None)
        self.list_note.setText(
            tr("{cases} to grade, of {total}.").format(
                cases=counted(to_grade, tr("case"), tr("cases")), total=len(rows)
            )
            if rows
            else tr("You are not an auditor of any case audit.")
        )
        index = next((i for i, r in enumerate(rows) if r.id == keep), None)
        if index is None:
            index = next((i for i, r in enumerate(rows) if r.my_grade is None), 0 if rows else None)
        if index is not None:
            self.cases_list.setCurrentRow(index)
            self._chosen(index)

    def _failed(self, exc: MashDeskError) -> None:
        self.case_label.setText(tr("Your audit cases could not be read: {problem}").format(problem=exc))
        set_flag(self.case_label, "banner", "error")

    def _chosen(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        ctx, case_id = self._ctx, self.rows[index].id
        self._runner.run(
            lambda: audits.audit_case(ctx, case_id),
            self.show_case,
            self._failed,
            owner=self,
            label=tr("Reading the case"),
        )

    # --- one case --------------------------------------------------------------------------------

    def show_case(self, view: AuditCaseView) -> None:
        self.view = view
        received = view.received_at.astimezone(LONDON)
        mine = view.mine
        graded = (
            tr(" You graded it {grade} on {day:%d %b %Y}; a grade is not changed once made.").format(
                grade=grade_words(mine.grade).lower(), day=mine.graded_at.astimezone(LONDON)
            )
            if mine
            else ""
        )
        self.case_label.setText(
            tr("{title} ({theme}): case {n} of {of}, contact {reference}, received {day:%d %b %Y}.{graded}").format(
                title=view.audit_title,
                theme=theme_words(view.theme),
                n=view.position,
                of=view.of,
                reference=view.reference,
                day=received,
                graded=graded,
            )
        )
        set_flag(self.case_label, "banner", "info")
        self.child_combo.clear()
        for person_id, name in view.children:
            self.child_combo.addItem(name, person_id)
        self._reading_enabled(True)
        self._build_form(view)
        emit(self.case_shown, view)

    def _reading_enabled(self, enabled: bool) -> None:
        for widget in (self.open_contact_button, self.child_combo, self.open_child_button):
            widget.setEnabled(enabled)

    def _build_form(self, view: AuditCaseView) -> None:
        old = self.grading_area.takeWidget()
        if old is not None:
            old.deleteLater()
        form = AdminForm(tr("Your grading: {title}").format(title=view.questions.title), self._runner, self)
        form.explain(tr("Answer every question, grade the case, and grade each agency that had a part, saying why."))
        self.answer_combos = {}
        answers = [(answer_words(a), a) for a in Answer]
        for number, question in enumerate(view.questions.questions, start=1):
            combo = _combo(form, tr("— choose —"), list(answers))
            combo.setToolTip(question.guidance)
            self.answer_combos[question.id] = form.field(f"answers.{question.id}", f"{number}. {question.text}", combo)
        grades = [(grade_words(g), g) for g in AuditGrade]
        self.grade_combo = form.field("grade", tr("&Grade for the case:"), _combo(form, tr("— choose —"), list(grades)))
        self.learning_edit = form.field("learning", tr("&Learning, in your words:"), QPlainTextEdit(form))
        self.learning_edit.setFixedHeight(self.learning_edit.fontMetrics().lineSpacing() * 5)
        heading = QLabel(tr("Each agency's part (leave an agency blank if it had none):"), form)
        set_flag(heading, "subheading", True)
        form.rows.addRow(heading)
        form.errors.bind("findings", heading)
        self.finding_rows = {}
        for agency_id, name in view.agencies:
            row = QWidget(form)
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            grade = _combo(row, tr("— no part —"), list(grades))
            grade.setAccessibleName(tr("{agency}: grade").format(agency=name))
            finding = QLineEdit(row)
            finding.setAccessibleName(tr("{agency}: finding").format(agency=name))
            finding.setPlaceholderText(tr("what this agency did well, or should do differently"))
            row_layout.addWidget(grade)
            row_layout.addWidget(finding, 1)
            form.field(f"findings.{agency_id}", f"{name}:", row)
            row.setFocusProxy(grade)
            self.finding_rows[agency_id] = (grade, finding)
        self.save_button = form.button(tr("&Save your grading"), self.save, primary=True)
        form.done.connect(lambda sentence: emit(self.message, sentence))
        self.form = form
        self.grading_area.setWidget(form)
        if view.mine is not None:
            self._show_mine(view)

    def _show_mine(self, view: AuditCaseView) -> None:
        mine = view.mine
        assert mine is not None
        assert self.form is not None
        for question, combo in self.answer_combos.items():
            combo.setCurrentIndex(max(combo.findData(mine.answers.get(question)), 0))
        self.grade_combo.setCurrentIndex(max(self.grade_combo.findData(mine.grade), 0))
        self.learning_edit.setPlainText(mine.learning)
        for finding in mine.findings:
            grade, text = self.finding_rows[finding.agency_id]
            grade.setCurrentIndex(max(grade.findData(finding.grade), 0))
            text.setText(finding.finding)
        self.form.setEnabled(False)

    def open_contact(self) -> None:
        if self.view is not None:
            emit(self.open_requested, self.view.contact_id)

    def open_child(self) -> None:
        person_id = self.child_combo.currentData()
        if person_id is not None:
            emit(self.person_requested, int(person_id))

    def save(self) -> None:
        if self.view is None or self.form is None:
            return
        ctx, case_id = self._ctx, self.view.id
        answers = {question: combo.currentData() for question, combo in self.answer_combos.items()}
        findings = [(agency_id, g.currentData(), t.text()) for agency_id, (g, t) in self.finding_rows.items()]
        grade, learning = self.grade_combo.currentData(), self.learning_edit.toPlainText()
        form = self.form

        def saved(_grade_id: int) -> None:
            form.succeeded(tr("Your grading of case {n} is saved.").format(n=self.view.position if self.view else ""))
            emit(self.message, tr("Grading saved: the next case to grade is shown."))
            self.view = None  # on to the next case still to grade
            self.reload()

        form.run(
            lambda: audits.grade_case(ctx, case_id, grade=grade, learning=learning, answers=answers, findings=findings),
            saved,
            label=tr("Saving your grading"),
        )
