"""Threshold exercises, for managers (set up, review, open, close) and auditors (results only).

The list of exercises on the left; on the right the chosen exercise: past contacts to add by
reference, its vignettes to read and save as reviewed (edited if need be), opening and closing, and
its results. Every read and save runs on a worker; a refusal shows at its field or in the banner.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.domain.exercises import EXERCISE_STATUS_WORDS, SETS_UP, ExerciseStatus
from mash_desk.domain.words import counted
from mash_desk.gui.field_errors import FieldErrorDisplay, set_flag
from mash_desk.gui.inbox_models import LoadedListModel
from mash_desk.gui.manager.list_panel import ListPanel
from mash_desk.gui.messages import ConfirmDialog
from mash_desk.gui.partnership.exercise_results import results_html
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import ROW_ROLE, Cell
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import compact, tr, when
from mash_desk.services import exercises
from mash_desk.services.exercises import ExerciseRow, VignetteRow

SUGGESTED = 5


class ExerciseColumn(IntEnum):
    TITLE = 0
    STATUS = 1
    VIGNETTES = 2
    RATINGS = 3
    CREATED = 4


class ExercisesModel(LoadedListModel[ExerciseRow]):
    """Every exercise, newest first."""

    columns = ExerciseColumn

    def header(self, column: int) -> str:
        return {
            ExerciseColumn.TITLE: self.tr("Exercise"),
            ExerciseColumn.STATUS: self.tr("State"),
            ExerciseColumn.VIGNETTES: self.tr("Vignettes reviewed"),
            ExerciseColumn.RATINGS: self.tr("Ratings"),
            ExerciseColumn.CREATED: self.tr("Set up"),
        }[ExerciseColumn(column)]

    def key(self, row: ExerciseRow) -> int:
        return row.id

    def cell(self, row: ExerciseRow, column: int, now: datetime) -> Cell:
        match ExerciseColumn(column):
            case ExerciseColumn.TITLE:
                return Cell(row.title, bold=row.status is ExerciseStatus.OPEN)
            case ExerciseColumn.STATUS:
                return Cell(tr(EXERCISE_STATUS_WORDS[row.status]), list(ExerciseStatus).index(row.status))
            case ExerciseColumn.VIGNETTES:
                return Cell(f"{row.reviewed} / {row.vignettes}", row.vignettes)
            case ExerciseColumn.RATINGS:
                return Cell(str(row.ratings), row.ratings)
            case ExerciseColumn.CREATED:
                return Cell(compact(row.created_at, now), row.created_at.timestamp(), tooltip=when(row.created_at))
        raise AssertionError(column)  # pragma: no cover - every column is handled above


def _caption(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    label.setProperty("subheading", True)
    return label


class ExercisesPage(QWidget):
    """Set up, review, open and close threshold exercises, and read their results."""

    message = Signal(str)
    """A line for the status bar: what was just saved."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exercises_page")
        self._window = window
        self._ctx = window.ctx
        self._manages = window.actor.role in SETS_UP
        self._exercise: ExerciseRow | None = None
        self._vignettes: list[VignetteRow] = []
        self.model = ExercisesModel(window, lambda: exercises.exercises(self._ctx), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        set_flag(self.banner, "banner", "error")
        layout.addWidget(self.banner)
        self.errors = FieldErrorDisplay(self.banner, self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        layout.addWidget(splitter, 1)

        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        self.list_panel = ListPanel(
            self.model,
            empty_text=tr("No threshold exercise yet."),
            count=lambda n: tr("{exercises}, the newest first.").format(
                exercises=counted(n, tr("exercise"), tr("exercises"))
            ),
            parent=left,
            activate=self._choose_current,
        )
        self.list_panel.view.setAccessibleName(tr("Threshold exercises"))
        exercises_caption = _caption(tr("Exercise&s"), self.list_panel.view, left)
        self.list_panel.headed_by(exercises_caption)  # its filter while there is no exercise to list
        left_layout.addWidget(exercises_caption)
        left_layout.addWidget(self.list_panel, 1)
        self.title_edit = QLineEdit(left)
        self.title_edit.setObjectName("exercise_title_edit")
        self.title_edit.setPlaceholderText(tr("e.g. Neglect thresholds, autumn"))
        self.create_button = QPushButton(tr("Set &up"), left)
        self.create_button.setObjectName("exercise_create_button")
        title_caption = _caption(tr("&New exercise title"), self.title_edit, left)
        left_layout.addWidget(title_caption)
        row = QHBoxLayout()
        row.addWidget(self.title_edit, 1)
        row.addWidget(self.create_button)
        left_layout.addLayout(row)
        self.errors.bind("title", self.title_edit)

        right = QWidget(splitter)
        right_layout = QVBoxLayout(right)
        self.heading = QLabel(tr("Choose an exercise (Enter) to see its vignettes and results."), right)
        self.heading.setWordWrap(True)
        right_layout.addWidget(self.heading)
        self.references_edit = QLineEdit(right)
        self.references_edit.setObjectName("exercise_references_edit")
        self.references_edit.setPlaceholderText(tr("References of past contacts, e.g. MASH-0000123, MASH-0000456"))
        self.add_button = QPushButton(tr("&Add contacts"), right)
        self.suggest_button = QPushButton(tr("Su&ggest recent ones"), right)
        self.references_caption = _caption(
            tr("Contact &references to turn into vignettes"), self.references_edit, right
        )
        right_layout.addWidget(self.references_caption)
        row = QHBoxLayout()
        row.addWidget(self.references_edit, 1)
        row.addWidget(self.suggest_button)
        row.addWidget(self.add_button)
        right_layout.addLayout(row)
        self.errors.bind("references", self.references_edit)
        self.inner = inner = QSplitter(Qt.Orientation.Vertical, right)
        right_layout.addWidget(inner, 1)
        review = QWidget(inner)
        review_layout = QHBoxLayout(review)
        review_layout.setContentsMargins(0, 0, 0, 0)
        column = QVBoxLayout()
        self.vignette_list = QListWidget(review)
        self.vignette_list.setObjectName("exercise_vignette_list")
        self.vignette_list.setAccessibleName(tr("Vignettes"))
        column.addWidget(_caption(tr("V&ignettes"), self.vignette_list, review))
        column.addWidget(self.vignette_list, 1)
        review_layout.addLayout(column, 1)
        column = QVBoxLayout()
        self.text_edit = QPlainTextEdit(review)
        self.text_edit.setObjectName("exercise_vignette_text")
        self.text_edit.setAccessibleName(tr("Vignette text"))
        self.review_hint = QLabel(
            tr(
                "Read it all: names, places and numbers the record holds are replaced, but a name it does not know "
                "(a teacher, a neighbour) is yours to catch. Saving it marks it reviewed by you."
            ),
            review,
        )
        self.review_hint.setWordWrap(True)
        self.review_button = QPushButton(tr("Save as revi&ewed"), review)
        column.addWidget(_caption(tr("Vignette &text"), self.text_edit, review))
        column.addWidget(self.text_edit, 1)
        column.addWidget(self.review_hint)
        column.addWidget(self.review_button)
        review_layout.addLayout(column, 3)
        self.errors.bind("text", self.text_edit)
        results = QWidget(inner)
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        self.results_view = QTextBrowser(results)
        self.results_view.setObjectName("exercise_results_view")
        self.results_view.setAccessibleName(tr("Results"))
        results_layout.addWidget(_caption(tr("Resu&lts"), self.results_view, results))
        results_layout.addWidget(self.results_view, 1)
        row = QHBoxLayout()
        self.open_button = QPushButton(tr("&Open for rating"), right)
        self.close_button = QPushButton(tr("Close e&xercise"), right)
        row.addStretch(1)
        row.addWidget(self.open_button)
        row.addWidget(self.close_button)
        right_layout.addLayout(row)
        splitter.setSizes([380, 1000])

        for widget in (title_caption, self.title_edit, self.create_button):  # only a manager sets one up
            widget.setVisible(self._manages)
        self.create_button.clicked.connect(self.create_exercise)
        self.title_edit.returnPressed.connect(self.create_exercise)
        self.add_button.clicked.connect(self.add_contacts)
        self.references_edit.returnPressed.connect(self.add_contacts)
        self.suggest_button.clicked.connect(self.suggest)
        self.review_button.clicked.connect(self.save_review)
        self.open_button.clicked.connect(self.open_exercise)
        self.close_button.clicked.connect(self.close_exercise)
        self.vignette_list.currentRowChanged.connect(self._show_vignette)
        self.list_panel.view.selectionModel().currentRowChanged.connect(lambda *_: self._choose_current())
        self.model.loaded.connect(self._listed)
        self.model.load_failed.connect(self._failed)
        self._enable()
        self.list_panel.lead_focus_of(self)

    # --- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        self.model.reload()

    def _listed(self) -> None:
        if self._exercise is None:
            return
        fresh = next((row for row in self.model.rows() if row.id == self._exercise.id), None)
        self._exercise = fresh
        self._read_exercise()

    def _choose_current(self) -> None:
        row = self.list_panel.current_row()
        if isinstance(row, ExerciseRow):
            self.choose(row.id)

    def choose(self, exercise_id: int) -> None:
        """Show one exercise (by id): its vignettes, and its results once it has opened."""
        self._exercise = next((row for row in self.model.rows() if row.id == exercise_id), None)
        view = self.list_panel.view
        shown = view.model()
        for index in range(shown.rowCount()):
            row = shown.data(shown.index(index, 0), ROW_ROLE)
            if isinstance(row, ExerciseRow) and row.id == exercise_id:
                view.selectionModel().blockSignals(True)
                view.setCurrentIndex(shown.index(index, 0))
                view.selectionModel().blockSignals(False)
                break
        self._read_exercise()

    def _read_exercise(self) -> None:
        exercise = self._exercise
        self.errors.clear()
        if exercise is None:
            self._vignettes = []
            self.vignette_list.clear()
            self._enable()
            return
        self.heading.setText(
            tr("{title} — {status}; {reviewed} of {vignettes} reviewed, {ratings}.").format(
                title=exercise.title,
                status=tr(EXERCISE_STATUS_WORDS[exercise.status]),
                reviewed=exercise.reviewed,
                vignettes=counted(exercise.vignettes, tr("vignette"), tr("vignettes")),
                ratings=counted(exercise.ratings, tr("rating"), tr("ratings")),
            )
        )
        exercise_id = exercise.id
        self._run(lambda: exercises.vignettes(self._ctx, exercise_id), self._vignettes_read)
        # a draft is mostly reading and editing vignettes; an open or closed exercise mostly its results
        draft = exercise.status is ExerciseStatus.DRAFT
        self.inner.setSizes([600, 200] if draft else [220, 600])
        if not draft:
            self._run(lambda: exercises.exercise_results(self._ctx, exercise_id), self._results_read)
        else:
            self.results_view.setHtml(
                "<p>" + tr("Results show here once the exercise is open and people have rated.") + "</p>"
            )
        self._enable()

    def _vignettes_read(self, rows: list[VignetteRow]) -> None:
        keep = self.vignette_list.currentRow()
        self._vignettes = rows
        self.vignette_list.blockSignals(True)
        self.vignette_list.clear()
        for row in rows:
            state = tr("reviewed by {who}").format(who=row.reviewed_by) if row.reviewed_by else tr("not reviewed")
            source = f" · {row.source_reference}" if row.source_reference else ""
            item = QListWidgetItem(
                tr("Vignette {n}: {state}{source}").format(n=row.position, state=state, source=source)
            )
            self.vignette_list.addItem(item)
        self.vignette_list.blockSignals(False)
        if rows:
            unreviewed = next((i for i, row in enumerate(rows) if row.reviewed_by is None), None)
            self.vignette_list.setCurrentRow(unreviewed if unreviewed is not None else max(0, min(keep, len(rows) - 1)))
        else:
            self.text_edit.clear()
        self._enable()

    def _show_vignette(self, index: int) -> None:
        if 0 <= index < len(self._vignettes):
            self.text_edit.setPlainText(self._vignettes[index].text)
        self._enable()

    def _results_read(self, results: exercises.ExerciseResults) -> None:
        self.results_view.setHtml(results_html(results))

    def current_vignette(self) -> VignetteRow | None:
        index = self.vignette_list.currentRow()
        return self._vignettes[index] if 0 <= index < len(self._vignettes) else None

    def _enable(self) -> None:
        draft = self._exercise is not None and self._exercise.status is ExerciseStatus.DRAFT
        can_edit = self._manages and draft
        for widget in (self.references_edit, self.add_button, self.suggest_button, self.review_button):
            widget.setEnabled(can_edit)
        self.text_edit.setReadOnly(not can_edit)
        self.review_button.setEnabled(can_edit and self.current_vignette() is not None)
        self.open_button.setEnabled(can_edit)
        self.close_button.setEnabled(
            self._manages and self._exercise is not None and self._exercise.status is ExerciseStatus.OPEN
        )
        adding: tuple[QWidget, ...] = (
            self.references_caption,
            self.references_edit,
            self.add_button,
            self.suggest_button,
            self.review_button,
            self.review_hint,
            self.open_button,
        )
        for shown in adding:
            shown.setVisible(can_edit or (self._manages and self._exercise is None))
        self.close_button.setVisible(
            self._manages and self._exercise is not None and self._exercise.status is ExerciseStatus.OPEN
        )

    # --- writing -------------------------------------------------------------------------------

    def _run(self, work: Callable[[], Any], done: Callable[[Any], object]) -> None:
        self._window.runner.run(work, done, self._refused, owner=self, label=tr("Threshold exercise"))

    def _refused(self, exc: MashDeskError) -> None:
        if isinstance(exc, InvalidInput):
            self.errors.show(exc.field_errors)
        else:
            self.errors.show({}, summary=str(exc))

    def _failed(self, exc: MashDeskError) -> None:
        self.errors.show({}, summary=tr("The exercises could not be read: {problem}").format(problem=exc))

    def _saved(self, text: str) -> None:
        self.errors.clear()
        emit(self.message, text)
        self.model.reload()

    def create_exercise(self) -> None:
        title = self.title_edit.text()

        def done(exercise_id: int) -> None:
            self.title_edit.clear()
            self._exercise = ExerciseRow(
                exercise_id, title, ExerciseStatus.DRAFT, "", self._window.clock(), None, None, 0, 0, 0, 1
            )
            self._enable()
            self._saved(tr("Threshold exercise set up: add past contacts by reference."))
            self.references_edit.setFocus()

        self._run(lambda: exercises.create_exercise(self._ctx, title), done)

    def add_contacts(self) -> None:
        if self._exercise is None:
            return
        exercise_id, typed = self._exercise.id, self.references_edit.text()

        def done(made: list[int]) -> None:
            self.references_edit.clear()
            self._saved(
                tr("{vignettes} drafted: read each and save it as reviewed.").format(
                    vignettes=counted(len(made), tr("vignette"), tr("vignettes"))
                )
            )
            self.vignette_list.setFocus()

        self._run(lambda: exercises.add_contacts(self._ctx, exercise_id, typed), done)

    def suggest(self) -> None:
        used = {v.source_reference for v in self._vignettes}

        def done(rows: list[exercises.CandidateRow]) -> None:
            picked = [row.reference for row in rows if row.reference not in used][:SUGGESTED]
            self.references_edit.setText(", ".join(picked))
            self.references_edit.setFocus()

        self._run(lambda: exercises.candidate_contacts(self._ctx), done)

    def save_review(self) -> None:
        vignette = self.current_vignette()
        if vignette is None:
            return
        text = self.text_edit.toPlainText()
        self._run(
            lambda: exercises.review_vignette(self._ctx, vignette.id, text, vignette.version),
            lambda _none: self._saved(tr("Vignette {n} saved as reviewed.").format(n=vignette.position)),
        )

    def open_exercise(self) -> None:
        exercise = self._exercise
        if exercise is None or not ConfirmDialog.ask(
            self,
            tr("Open for rating"),
            tr("Release every vignette of '{title}' for rating? A released vignette never changes.").format(
                title=exercise.title
            ),
            ok_text=tr("Open for rating"),
        ):
            return
        self._run(
            lambda: exercises.open_exercise(self._ctx, exercise.id),
            lambda _none: self._saved(tr("The exercise is open: staff of every agency can rate its vignettes.")),
        )

    def close_exercise(self) -> None:
        exercise = self._exercise
        if exercise is None or not ConfirmDialog.ask(
            self,
            tr("Close exercise"),
            tr("Close '{title}'? No more ratings are taken and the results are final.").format(title=exercise.title),
            ok_text=tr("Close exercise"),
        ):
            return
        self._run(
            lambda: exercises.close_exercise(self._ctx, exercise.id),
            lambda _none: self._saved(tr("The exercise is closed; its results are final.")),
        )
