"""The contacts behind a dashboard tile, listed under the tiles when one is opened (Enter or a click):
what the tile counted, one row each, and Enter on a row opens the contact."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from mash_desk.gui.inbox_models import LoadedListModel
from mash_desk.gui.queue_panels import TablePanel
from mash_desk.gui.table_models import Cell
from mash_desk.gui.words import short_when, status_words, tr, when
from mash_desk.services.dashboard_tiles import TileContact


class TileColumn(IntEnum):
    REFERENCE = 0
    CHILDREN = 1
    RECEIVED = 2
    STATUS = 3
    DECIDED = 4
    COUNTS = 5


class TileContactsModel(LoadedListModel[TileContact]):
    """The rows of one tile; what each counts for is said in words."""

    columns = TileColumn

    def header(self, column: int) -> str:
        return {
            TileColumn.REFERENCE: self.tr("Reference"),
            TileColumn.CHILDREN: self.tr("Children"),
            TileColumn.RECEIVED: self.tr("Received"),
            TileColumn.STATUS: self.tr("Status"),
            TileColumn.DECIDED: self.tr("Decided"),
            TileColumn.COUNTS: self.tr("In the percentage"),
        }[TileColumn(column)]

    def key(self, row: TileContact) -> int:
        return row.contact_id

    def cell(self, row: TileContact, column: int, now: datetime) -> Cell:
        match TileColumn(column):
            case TileColumn.REFERENCE:
                return Cell(row.reference, row.contact_id)
            case TileColumn.CHILDREN:
                return Cell(row.children or tr("(no child named)"))
            case TileColumn.RECEIVED:
                return Cell(
                    short_when(row.received_at, now), row.received_at.timestamp(), tooltip=when(row.received_at)
                )
            case TileColumn.STATUS:
                return Cell(status_words(row.status))
            case TileColumn.DECIDED:
                if row.decided_at is None:
                    return Cell(tr("not yet"), 0)
                return Cell(short_when(row.decided_at, now), row.decided_at.timestamp(), tooltip=when(row.decided_at))
            case TileColumn.COUNTS:
                if row.meets is None:
                    return Cell("")
                return Cell(tr("yes — in time") if row.meets else tr("NO — late"), int(row.meets), bold=not row.meets)
        raise AssertionError(column)  # pragma: no cover - every column is handled above


class TileContactsPanel(TablePanel):
    """The list under the tiles; says which tile it shows and how many."""

    model: TileContactsModel
    closed = Signal()
    """Emitted when the person closes the list (Escape)."""

    def __init__(self, model: TileContactsModel, parent: QWidget | None = None) -> None:
        super().__init__(model, empty_text=tr("This tile counts no contact in the period."), parent=parent)
        self.title = ""
        self.total = 0
        model.loaded.connect(self._rows_changed)

    def count_text(self) -> str:
        shown = self.model.rowCount()
        if shown < self.total:
            return tr("{title}: the {shown:,} newest of {total:,} contacts. Enter opens one.").format(
                title=self.title, shown=shown, total=self.total
            )
        return tr("{title}: {total:,} contact(s), newest first. Enter opens one.").format(
            title=self.title, total=self.total
        )
