"""The DASH risk checklist, answered from the keyboard: Y, N or K for each of the 24 questions, the
next question following, with the score and level shown as the answers are given.

The rule that scores it is ``domain.risk`` (the same the service saves with); this form only shows it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.risk import (
    DASH_HIGH_FROM,
    DASH_MEDIUM_FROM,
    DASH_QUESTION_COUNT,
    DASH_TOPICS,
    DashLevel,
    dash_progress,
)
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.forms import need
from mash_desk.gui.widgets import leave_on_tab, set_combo_value
from mash_desk.gui.words import tr

UNANSWERED = ""
KEYS: dict[int, bool | None] = {Qt.Key.Key_Y: True, Qt.Key.Key_N: False, Qt.Key.Key_K: None}
ANSWER_COLUMN = 2


def answer_words(answer: bool | str | None) -> str:
    if answer == UNANSWERED:
        return "—"
    return {True: tr("Yes"), False: tr("No"), None: tr("Not known")}[answer]  # type: ignore[index]


def level_words(level: DashLevel) -> str:
    return {
        DashLevel.STANDARD: tr("STANDARD risk"),
        DashLevel.MEDIUM: tr("MEDIUM risk"),
        DashLevel.HIGH: tr("HIGH risk — goes to MARAC"),
    }[level]


@dataclass(frozen=True)
class VictimChoice:
    person_id: int
    name: str


@dataclass(frozen=True)
class DashAnswer:
    victim_person_id: int | None
    answers: tuple[bool | None, ...]
    professional_judgement: bool
    judgement_reason: str


class DashDialog(FormDialog[DashAnswer]):
    ui_name = "dash_dialog.ui"

    def __init__(self, parent: QWidget | None, reference: str, victims: Sequence[VictimChoice]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("DASH risk checklist — {reference}").format(reference=reference))
        self.victim_combo = need(self.form, QComboBox, "victim_combo")
        self.table = need(self.form, QTableWidget, "questions_table")
        self.yes_button = need(self.form, QPushButton, "yes_button")
        self.no_button = need(self.form, QPushButton, "no_button")
        self.unknown_button = need(self.form, QPushButton, "unknown_button")
        self.score_label = need(self.form, QLabel, "score_label")
        self.judgement_check = need(self.form, QCheckBox, "judgement_check")
        self.reason_edit = need(self.form, QPlainTextEdit, "reason_edit")
        need(self.form, QLabel, "intro_label").setText(
            self.tr(
                "Ask the adult victim each question. Only the answers are kept: {medium} or more yes is medium "
                "risk, {high} or more is high risk and goes to MARAC."
            ).format(medium=DASH_MEDIUM_FROM, high=DASH_HIGH_FROM)
        )
        self.victim_combo.addItem(self.tr("— not named —"), 0)
        for victim in victims:
            self.victim_combo.addItem(victim.name, victim.person_id)
        if victims:
            self.victim_combo.setCurrentIndex(1)
        self.answers: list[bool | str | None] = [UNANSWERED] * DASH_QUESTION_COUNT
        self.table.setHorizontalHeaderLabels([self.tr("No."), self.tr("About"), self.tr("Answer")])
        self.table.setRowCount(DASH_QUESTION_COUNT)
        for row, topic in enumerate(DASH_TOPICS):
            for column, value in enumerate((str(row + 1), self.tr(topic), answer_words(UNANSWERED))):
                self.table.setItem(row, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        leave_on_tab(self.table)
        self.table.setCurrentCell(0, 0)
        self.table.installEventFilter(self)
        self.yes_button.clicked.connect(lambda: self.answer_current(True))
        self.no_button.clicked.connect(lambda: self.answer_current(False))
        self.unknown_button.clicked.connect(lambda: self.answer_current(None))
        for button in (self.yes_button, self.no_button, self.unknown_button):
            button.setAutoDefault(False)
        self.judgement_check.toggled.connect(self._judgement_toggled)
        self.reason_edit.setEnabled(False)
        self.errors.bind("victim", self.victim_combo)
        self.errors.bind("answers", self.table)
        self.errors.bind("judgement_reason", self.reason_edit)
        self.set_ok_text(self.tr("Save DASH"))
        self.resize(760, 780)
        self._show_score()
        self.table.setFocus()

    # --- answering ---------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if plain and event.key() in KEYS:
                self.answer_current(KEYS[event.key()])
                return True
            if plain and event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
                self.set_answer_at(self.table.currentRow(), UNANSWERED)
                return True
        return super().eventFilter(watched, event)

    def answer_current(self, answer: bool | None) -> None:
        """Answer the question in focus and move to the next (the first unanswered one after it)."""
        row = max(self.table.currentRow(), 0)
        self.set_answer_at(row, answer)
        following = next(
            (r for r in range(row + 1, DASH_QUESTION_COUNT) if self.answers[r] == UNANSWERED),
            min(row + 1, DASH_QUESTION_COUNT - 1),
        )
        self.table.setCurrentCell(following, 0)
        self.table.scrollTo(self.table.model().index(following, 0), QAbstractItemView.ScrollHint.EnsureVisible)
        self.table.setFocus()

    def set_answer_at(self, row: int, answer: bool | str | None) -> None:
        self.answers[row] = answer
        item = self.table.item(row, ANSWER_COLUMN)
        assert item is not None
        item.setText(answer_words(answer))
        self._show_score()

    def _judgement_toggled(self, on: bool) -> None:
        self.reason_edit.setEnabled(on)
        if on:
            self.reason_edit.setFocus()
        self._show_score()

    def _given(self) -> list[bool | None]:
        return [None if a == UNANSWERED else a for a in self.answers]  # type: ignore[misc]

    def _show_score(self) -> None:
        result = dash_progress(self._given())
        answered = sum(1 for a in self.answers if a != UNANSWERED)
        level = DashLevel.HIGH if self.judgement_check.isChecked() else result.level
        words = level_words(level)
        if self.judgement_check.isChecked() and result.level is not DashLevel.HIGH:
            words = self.tr("HIGH risk on professional judgement — goes to MARAC")
        self.score_label.setText(
            ("⚠ " if level is DashLevel.HIGH else "")
            + self.tr("{yes} yes of {answered} answered ({left} to go): {level}.").format(
                yes=result.yes_count, answered=answered, left=DASH_QUESTION_COUNT - answered, level=words
            )
        )
        self.score_label.setAccessibleName(self.score_label.text())
        state = {DashLevel.STANDARD: "info", DashLevel.MEDIUM: "warning", DashLevel.HIGH: "error"}[level]
        if self.score_label.property("banner") != state:
            set_flag(self.score_label, "banner", state)

    # --- the answer --------------------------------------------------------------------------------

    def answer(self) -> DashAnswer:
        errors: dict[str, str] = {}
        blank = [str(row + 1) for row, a in enumerate(self.answers) if a == UNANSWERED]
        if blank:
            errors["answers"] = self.tr("Answer every question (K if not known). Still blank: {questions}.").format(
                questions=", ".join(blank)
            )
        judgement = self.judgement_check.isChecked()
        reason = self.reason_edit.toPlainText().strip()
        if judgement and not reason:
            errors["judgement_reason"] = self.tr("Say why your professional judgement puts this at high risk.")
        if errors:
            raise InvalidInput(errors)
        victim = int(self.victim_combo.currentData() or 0)
        return DashAnswer(victim or None, tuple(self._given()), judgement, reason if judgement else "")

    def set_answer(self, answer: DashAnswer) -> None:
        set_combo_value(self.victim_combo, answer.victim_person_id or 0)
        for row, given in enumerate(answer.answers):
            self.set_answer_at(row, given)
        self.judgement_check.setChecked(answer.professional_judgement)
        self.reason_edit.setPlainText(answer.judgement_reason)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        reference: str,
        victims: Sequence[VictimChoice],
        *,
        answer: DashAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> DashAnswer | None:
        return cls(parent, reference, victims).run(answer, errors)
