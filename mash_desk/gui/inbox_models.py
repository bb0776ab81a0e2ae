"""The two short lists that are somebody's inbox: checks asked of my agency, and hand-offs to my team.

Both are small (one agency's outstanding checks, one team's unaccepted hand-offs), so they reload
whole when anything changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import IntEnum
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.thresholds import SERIOUSNESS, is_child_protection
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import Cell, RowsModel, due_cell, rag_cell
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import outcome_words, short_when, tr, when
from mash_desk.services.queues import AgencyRequestRow, HandOffRow

R = TypeVar("R")


class LoadedListModel(RowsModel[R]):
    """Rows read whole by one service call on a worker."""

    loaded = Signal()
    """Emitted after the rows have been replaced with fresh ones."""
    load_failed = Signal(object)
    """Emitted with the ``MashDeskError`` when the rows could not be read."""

    def __init__(self, window: WindowContext, load: Callable[[], list[R]], parent: QObject | None = None) -> None:
        super().__init__(window.theme, window.clock, parent)
        self._runner = window.runner
        self._load = load
        self._generation = 0

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        self._runner.run(
            self._load, lambda rows: self._arrived(generation, rows), self._failed, owner=self, label=self.tr("Loading")
        )

    def _arrived(self, generation: int, rows: list[R]) -> None:
        if generation == self._generation:
            self.set_rows(rows)
            emit(self.loaded)

    def _failed(self, exc: MashDeskError) -> None:
        emit(self.load_failed, exc)


class AgencyRequestColumn(IntEnum):
    REFERENCE = 0
    CHILDREN = 1
    RAG = 2
    TIME_LEFT = 3
    REQUESTED = 4
    QUESTION = 5


class AgencyRequestTableModel(LoadedListModel[AgencyRequestRow]):
    """Checks asked of the signed-in person's agency, most urgent first."""

    columns = AgencyRequestColumn
    tick_column = AgencyRequestColumn.TIME_LEFT

    def header(self, column: int) -> str:
        return {
            AgencyRequestColumn.REFERENCE: self.tr("Reference"),
            AgencyRequestColumn.CHILDREN: self.tr("Children"),
            AgencyRequestColumn.RAG: self.tr("RAG"),
            AgencyRequestColumn.TIME_LEFT: self.tr("Return due"),
            AgencyRequestColumn.QUESTION: self.tr("What the MASH asks"),
            AgencyRequestColumn.REQUESTED: self.tr("Asked"),
        }[AgencyRequestColumn(column)]

    def key(self, row: AgencyRequestRow) -> int:
        return row.request_id

    def cell(self, row: AgencyRequestRow, column: int, now: datetime) -> Cell:
        match AgencyRequestColumn(column):
            case AgencyRequestColumn.REFERENCE:
                return Cell(row.reference, row.contact_id, tooltip=row.agency)
            case AgencyRequestColumn.CHILDREN:
                return Cell(row.children)
            case AgencyRequestColumn.RAG:
                return rag_cell(row.rag)
            case AgencyRequestColumn.TIME_LEFT:
                return due_cell(row.due_at, now, tr("Return due"))
            case AgencyRequestColumn.QUESTION:
                question = row.question or tr("Please share what your agency knows.")
                return Cell(question.replace("\n", " "), tooltip=question)
            case AgencyRequestColumn.REQUESTED:
                return Cell(
                    short_when(row.requested_at, now), row.requested_at.timestamp(), tooltip=when(row.requested_at)
                )
        raise AssertionError(column)  # pragma: no cover


class HandOffColumn(IntEnum):
    REFERENCE = 0
    CHILDREN = 1
    RAG = 2
    OUTCOME = 3
    TIME_LEFT = 4
    CHASED = 5
    FROM = 6
    SENT = 7
    NOTE = 8


def outcome_cell(row: HandOffRow) -> Cell:
    """What was decided, the most serious first; child protection stands out (icon, bold, colours)."""
    words = "; ".join(outcome_words(outcome) for outcome in row.outcomes) or tr("not recorded")
    serious = any(is_child_protection(outcome) for outcome in row.outcomes)
    rank = SERIOUSNESS.index(row.outcomes[0]) if row.outcomes else len(SERIOUSNESS)
    if serious:
        return Cell(words, rank, "danger", words, ("overdue_bg", "overdue_text"), bold=True)
    return Cell(words, rank, tooltip=words)


def chased_cell(row: HandOffRow, now: datetime) -> Cell:
    """How often the MASH chased, and the latest time, by whom and how."""
    if not row.chases:
        return Cell(tr("not chased"), 0)
    last = row.chases[-1]
    text = tr("{count}× — last {when} by {who}").format(
        count=len(row.chases), when=short_when(last.chased_at, now), who=last.chased_by
    )
    details = "\n".join(f"{when(c.chased_at)} — {c.chased_by}: {c.note}" for c in row.chases)
    return Cell(text, len(row.chases), "warning", details)


class HandOffTableModel(LoadedListModel[HandOffRow]):
    """Hand-offs waiting for my team to accept or reject, oldest deadline first."""

    columns = HandOffColumn
    tick_column = HandOffColumn.TIME_LEFT

    def header(self, column: int) -> str:
        return {
            HandOffColumn.REFERENCE: self.tr("Reference"),
            HandOffColumn.CHILDREN: self.tr("Children"),
            HandOffColumn.RAG: self.tr("RAG"),
            HandOffColumn.OUTCOME: self.tr("Outcome"),
            HandOffColumn.CHASED: self.tr("Chased by the MASH"),
            HandOffColumn.FROM: self.tr("Sent by"),
            HandOffColumn.SENT: self.tr("Sent"),
            HandOffColumn.TIME_LEFT: self.tr("Accept by"),
            HandOffColumn.NOTE: self.tr("Note"),
        }[HandOffColumn(column)]

    def key(self, row: HandOffRow) -> int:
        return row.handoff_id

    def cell(self, row: HandOffRow, column: int, now: datetime) -> Cell:
        match HandOffColumn(column):
            case HandOffColumn.REFERENCE:
                return Cell(row.reference, row.contact_id, tooltip=tr("To {team}").format(team=row.team))
            case HandOffColumn.CHILDREN:
                return Cell(row.children)
            case HandOffColumn.RAG:
                return rag_cell(row.rag)
            case HandOffColumn.OUTCOME:
                return outcome_cell(row)
            case HandOffColumn.CHASED:
                return chased_cell(row, now)
            case HandOffColumn.FROM:
                return Cell(row.sent_by)
            case HandOffColumn.SENT:
                return Cell(short_when(row.sent_at, now), row.sent_at.timestamp(), tooltip=when(row.sent_at))
            case HandOffColumn.TIME_LEFT:
                return due_cell(row.due_at, now, tr("Accept by"))
            case HandOffColumn.NOTE:
                note = row.note or ""
                return Cell(note.replace("\n", " "), tooltip=note or None)
        raise AssertionError(column)  # pragma: no cover
