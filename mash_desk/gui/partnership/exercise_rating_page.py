"""Vignettes to rate: staff of every agency read each anonymised vignette and say the level of need and
the outcome they would decide. They never see the real decision, or anyone else's rating."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.domain.exercises import LEVELS, RATEABLE_OUTCOMES
from mash_desk.domain.words import counted
from mash_desk.gui.field_errors import FieldErrorDisplay, set_flag
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import level_words, outcome_words, tr
from mash_desk.services import exercises
from mash_desk.services.exercises import VignetteToRate


class VignettesToRatePage(QWidget):
    """The vignettes of every open exercise this person may rate; the first not yet rated comes first."""

    message = Signal(str)
    """A line for the status bar: the rating just saved."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vignettes_to_rate_page")
        self._window = window
        self._rows: list[VignetteToRate] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        set_flag(self.banner, "banner", "error")
        layout.addWidget(self.banner)
        self.errors = FieldErrorDisplay(self.banner, self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        body = QHBoxLayout()
        layout.addLayout(body, 1)
        column = QVBoxLayout()
        self.list = QListWidget(self)
        self.list.setObjectName("rating_vignette_list")
        self.list.setAccessibleName(tr("Vignettes to rate"))
        caption = QLabel(tr("V&ignettes to rate"), self)
        caption.setBuddy(self.list)
        caption.setProperty("subheading", True)
        column.addWidget(caption)
        column.addWidget(self.list, 1)
        body.addLayout(column, 2)
        column = QVBoxLayout()
        self.text_view = QTextBrowser(self)
        self.text_view.setObjectName("rating_vignette_text")
        self.text_view.setAccessibleName(tr("The vignette"))
        column.addWidget(self.text_view, 1)
        form_host = QWidget(self)
        form = QFormLayout(form_host)
        self.level_combo = QComboBox(form_host)
        self.level_combo.setObjectName("rating_level_combo")
        self.level_combo.addItem(tr("Choose a level…"), None)
        for level in LEVELS:
            self.level_combo.addItem(level_words(level), level)
        self.outcome_combo = QComboBox(form_host)
        self.outcome_combo.setObjectName("rating_outcome_combo")
        self.outcome_combo.addItem(tr("Choose an outcome…"), None)
        for outcome in RATEABLE_OUTCOMES:
            self.outcome_combo.addItem(outcome_words(outcome), outcome.value)
        level_label = QLabel(tr("&Level of need"), form_host)
        level_label.setBuddy(self.level_combo)
        outcome_label = QLabel(tr("Ou&tcome you would decide"), form_host)
        outcome_label.setBuddy(self.outcome_combo)
        form.addRow(level_label, self.level_combo)
        form.addRow(outcome_label, self.outcome_combo)
        self.save_button = QPushButton(tr("&Save my rating"), form_host)
        self.save_button.setObjectName("rating_save_button")
        form.addRow("", self.save_button)
        column.addWidget(form_host)
        body.addLayout(column, 5)
        self.errors.bind("level", self.level_combo)
        self.errors.bind("outcome", self.outcome_combo)
        self.list.currentRowChanged.connect(self._show)
        self.save_button.clicked.connect(self.save)
        self.setFocusProxy(self.list)
        self._show(-1)

    def reload(self) -> None:
        ctx = self._window.ctx
        self._window.runner.run(
            lambda: exercises.vignettes_to_rate(ctx), self._read, self._failed, owner=self, label=tr("Loading")
        )

    def _read(self, rows: list[VignetteToRate]) -> None:
        self._rows = rows
        self.list.blockSignals(True)
        self.list.clear()
        for row in rows:
            state = tr("rated {level}").format(level=level_words(row.my_level)) if row.my_level else tr("not rated yet")
            self.list.addItem(
                tr("{title} — vignette {n}: {state}").format(title=row.exercise_title, n=row.position, state=state)
            )
        self.list.blockSignals(False)
        waiting = [i for i, row in enumerate(rows) if row.my_level is None]
        self.summary.setText(
            tr(
                "{waiting} of {vignettes} {wait} for your rating. You see only the vignette: never the real "
                "decision, or anyone else's rating."
            ).format(
                waiting=len(waiting),
                vignettes=counted(len(rows), tr("vignette"), tr("vignettes")),
                wait=tr("waits") if len(waiting) == 1 else tr("wait"),
            )
            if rows
            else tr("No exercise is open for you to rate.")
        )
        self.list.setCurrentRow(waiting[0] if waiting else (0 if rows else -1))
        self._show(self.list.currentRow())

    def _failed(self, exc: MashDeskError) -> None:
        self.errors.show({}, summary=tr("The vignettes could not be read: {problem}").format(problem=exc))

    def current(self) -> VignetteToRate | None:
        index = self.list.currentRow()
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def _show(self, _index: int) -> None:
        row = self.current()
        self.errors.clear()
        rated = row is not None and row.my_level is not None
        self.text_view.setPlainText(row.text if row is not None else "")
        self.level_combo.setCurrentIndex(self.level_combo.findData(row.my_level) if rated and row else 0)
        outcome = row.my_outcome.value if rated and row and row.my_outcome else None
        self.outcome_combo.setCurrentIndex(self.outcome_combo.findData(outcome) if outcome else 0)
        for widget in (self.level_combo, self.outcome_combo, self.save_button):
            widget.setEnabled(row is not None and not rated)

    def save(self) -> None:
        row = self.current()
        if row is None:
            return
        level = self.level_combo.currentData()
        outcome = self.outcome_combo.currentData()
        ctx = self._window.ctx

        def done(_rating_id: int) -> None:
            emit(self.message, tr("Your rating of vignette {n} is saved.").format(n=row.position))
            self.reload()

        def refused(exc: MashDeskError) -> None:
            if isinstance(exc, InvalidInput):
                self.errors.show(exc.field_errors)
            else:
                self.errors.show({}, summary=str(exc))

        self._window.runner.run(
            lambda: exercises.rate_vignette(ctx, row.vignette_id, level, outcome),
            done,
            refused,
            owner=self,
            label=tr("Saving your rating"),
        )
