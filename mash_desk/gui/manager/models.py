"""The manager's two short lists as table models: decisions awaiting authorisation, and hand-offs no
team has accepted yet. Both are read whole by one service call and count down live."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from mash_desk.gui.inbox_models import LoadedListModel, chased_cell, outcome_cell
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import Cell, due_cell, rag_cell
from mash_desk.gui.words import short_when, tr, when
from mash_desk.services.manager import DecisionWaiting
from mash_desk.services.queues import HandOffRow


class DecisionColumn(IntEnum):
    REFERENCE = 0
    CHILDREN = 1
    RAG = 2
    DECISION_DUE = 3
    RAG_DUE = 4
    PROPOSED_BY = 5
    WORKER = 6


class DecisionQueueModel(LoadedListModel[DecisionWaiting]):
    """Decisions awaiting authorisation, the earliest deadline first, both deadlines counting down."""

    columns = DecisionColumn
    tick_column = DecisionColumn.DECISION_DUE

    def header(self, column: int) -> str:
        return {
            DecisionColumn.REFERENCE: self.tr("Reference"),
            DecisionColumn.CHILDREN: self.tr("Children"),
            DecisionColumn.RAG: self.tr("RAG"),
            DecisionColumn.DECISION_DUE: self.tr("Decision due (1 working day)"),
            DecisionColumn.RAG_DUE: self.tr("RAG timescale"),
            DecisionColumn.PROPOSED_BY: self.tr("Proposed by"),
            DecisionColumn.WORKER: self.tr("Worker"),
        }[DecisionColumn(column)]

    def key(self, row: DecisionWaiting) -> int:
        return row.contact_id

    def cell(self, row: DecisionWaiting, column: int, now: datetime) -> Cell:
        match DecisionColumn(column):
            case DecisionColumn.REFERENCE:
                flags = [tr("Received {at}").format(at=when(row.received_at))]
                if row.immediate_danger:
                    flags.append(tr("Immediate danger reported"))
                if row.re_referral:
                    flags.append(tr("Re-referral: named in a contact in the last 12 months"))
                return Cell(
                    row.reference,
                    row.next_due_at.timestamp(),
                    "danger" if row.immediate_danger else None,
                    "\n".join(flags),
                    accessible=", ".join([row.reference, *flags[1:]]),
                )
            case DecisionColumn.CHILDREN:
                return Cell(row.children or tr("(no child named)"), icon="re-referral" if row.re_referral else None)
            case DecisionColumn.RAG:
                return rag_cell(row.rag)
            case DecisionColumn.DECISION_DUE:
                return due_cell(row.decision_due_at, now, tr("Decision due"))
            case DecisionColumn.RAG_DUE:
                return due_cell(row.rag_due_at, now, tr("RAG timescale due"))
            case DecisionColumn.PROPOSED_BY:
                names = ", ".join(row.proposed_by) or tr("nobody")
                if row.proposed_by_me:
                    why = tr("You proposed a decision here: another manager must authorise it (four eyes).")
                    return Cell(tr("{names} — YOU").format(names=names), names, "warning", why, bold=True)
                return Cell(names)
            case DecisionColumn.WORKER:
                return Cell(row.assigned_to or tr("unassigned"))
        raise AssertionError(column)  # pragma: no cover - every column is handled above

    def _tick(self) -> None:
        # two countdowns side by side: repaint both
        if self._rows:
            top = self.index(0, DecisionColumn.DECISION_DUE)
            bottom = self.index(len(self._rows) - 1, DecisionColumn.RAG_DUE)
            emit(self.dataChanged, top, bottom)


class PendingHandOffColumn(IntEnum):
    REFERENCE = 0
    CHILDREN = 1
    RAG = 2
    OUTCOME = 3
    TEAM = 4
    ACCEPT_BY = 5
    CHASED = 6
    SENT_BY = 7
    SENT = 8
    NOTE = 9


class PendingHandOffModel(LoadedListModel[HandOffRow]):
    """Every hand-off no team has accepted yet, the oldest deadline first: cases between teams."""

    columns = PendingHandOffColumn
    tick_column = PendingHandOffColumn.ACCEPT_BY

    def header(self, column: int) -> str:
        return {
            PendingHandOffColumn.REFERENCE: self.tr("Reference"),
            PendingHandOffColumn.CHILDREN: self.tr("Children"),
            PendingHandOffColumn.RAG: self.tr("RAG"),
            PendingHandOffColumn.OUTCOME: self.tr("Outcome"),
            PendingHandOffColumn.CHASED: self.tr("Chased"),
            PendingHandOffColumn.TEAM: self.tr("Waiting for team"),
            PendingHandOffColumn.SENT_BY: self.tr("Sent by"),
            PendingHandOffColumn.SENT: self.tr("Sent"),
            PendingHandOffColumn.ACCEPT_BY: self.tr("Accept by"),
            PendingHandOffColumn.NOTE: self.tr("Note"),
        }[PendingHandOffColumn(column)]

    def key(self, row: HandOffRow) -> int:
        return row.handoff_id

    def overdue(self, now: datetime) -> int:
        return sum(1 for row in self._rows if row.due_at < now)

    def cell(self, row: HandOffRow, column: int, now: datetime) -> Cell:
        match PendingHandOffColumn(column):
            case PendingHandOffColumn.REFERENCE:
                return Cell(row.reference, row.contact_id)
            case PendingHandOffColumn.CHILDREN:
                return Cell(row.children)
            case PendingHandOffColumn.RAG:
                return rag_cell(row.rag)
            case PendingHandOffColumn.OUTCOME:
                return outcome_cell(row)
            case PendingHandOffColumn.CHASED:
                return chased_cell(row, now)
            case PendingHandOffColumn.TEAM:
                return Cell(row.team)
            case PendingHandOffColumn.SENT_BY:
                return Cell(row.sent_by)
            case PendingHandOffColumn.SENT:
                return Cell(short_when(row.sent_at, now), row.sent_at.timestamp(), tooltip=when(row.sent_at))
            case PendingHandOffColumn.ACCEPT_BY:
                return due_cell(row.due_at, now, tr("Accept by"))
            case PendingHandOffColumn.NOTE:
                note = row.note or ""
                return Cell(note.replace("\n", " "), tooltip=note or None)
        raise AssertionError(column)  # pragma: no cover - every column is handled above
