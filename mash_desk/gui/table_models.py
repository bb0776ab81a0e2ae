"""The shared shape of every table model: service rows in, one ``Cell`` per column out.

A subclass names its columns as an ``IntEnum`` and says how each row reads in each column; this
class turns that into Qt's roles, with a sort key role for ``QSortFilterProxyModel`` and the row
itself for whoever needs to act on it. Colours and icons come from the theme, and every coloured
cell also says what it means in words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QFont

from mash_desk.domain.enums import Rag
from mash_desk.gui.signals import emit
from mash_desk.gui.theme import Theme
from mash_desk.gui.words import is_due_soon, is_overdue, rag_words, time_left_words, when

R = TypeVar("R")
SORT_KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 2
ROOT = QModelIndex()
Index = QModelIndex | QPersistentModelIndex
Clock = Callable[[], datetime]
RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
CELL_MEMORY_LIMIT = 20_000
"""Cells remembered at most; a long queue scrolled to its end is forgotten and read again as it is seen."""


@dataclass(frozen=True)
class Cell:
    """How one row reads in one column."""

    text: str
    sort_key: float | str | None = None
    icon: str | None = None
    tooltip: str | None = None
    colours: tuple[str, str] | None = None  # theme colour names: background, text
    bold: bool = False
    accessible: str | None = None


def rag_cell(rag: Rag | None) -> Cell:
    words = rag_words(rag)
    colours = (f"{rag.value}_bg", f"{rag.value}_text") if rag is not None else None
    return Cell(words, RAG_ORDER.get(rag, 3) if rag else 3, f"rag-{rag.value}" if rag else "rag-none", colours=colours)


def due_cell(due: datetime, now: datetime, what: str) -> Cell:
    """A live countdown; overdue work says OVERDUE in capitals, with an icon and strong colours."""
    text = time_left_words(due, now)
    tooltip = f"{what}: {when(due)}"
    if is_overdue(due, now):
        return Cell(text, due.timestamp(), "overdue", tooltip, ("overdue_bg", "overdue_text"), bold=True)
    if is_due_soon(due, now):
        return Cell(text, due.timestamp(), "due-soon", tooltip, ("amber_bg", "amber_text"), bold=True)
    return Cell(text, due.timestamp(), None, tooltip)


class RowsModel(QAbstractTableModel, Generic[R]):
    """A read-only table of frozen service rows."""

    columns: type[IntEnum]
    tick_column: int | None = None
    """A column whose text depends on the clock (a countdown): repainted every ``TICK_MS``."""
    TICK_MS = 1000

    def __init__(self, theme: Theme, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._clock = clock
        self._rows: list[R] = []
        # Qt asks for each cell many times (text, font, icon, colours, sort key; for painting, sizing and
        # sorting), and a cell is worked out from a frozen row and the clock: so each is worked out once a
        # second, not once a question, keyed by the row itself (the row is kept, so its id is never reused)
        self._cells: dict[tuple[int, int], tuple[R, Cell]] = {}
        self._cells_second = 0
        self._bold = QFont()
        self._bold.setBold(True)
        theme.changed.connect(self._repaint_all)
        self._ticker = QTimer(self)
        self._ticker.setInterval(self.TICK_MS)
        self._ticker.timeout.connect(self._tick)
        if self.tick_column is not None:
            self._ticker.start()

    # --- what subclasses say -------------------------------------------------------------------

    def header(self, column: int) -> str:
        raise NotImplementedError

    def cell(self, row: R, column: int, now: datetime) -> Cell:
        raise NotImplementedError

    def key(self, row: R) -> int:
        """What identifies a row across refreshes (a contact id, a request id)."""
        raise NotImplementedError

    # --- rows ----------------------------------------------------------------------------------

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, key: int) -> int | None:
        for position, row in enumerate(self._rows):
            if self.key(row) == key:
                return position
        return None

    # --- Qt --------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.header(section) if 0 <= section < len(self.columns) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        cell = self._cell_of(row, index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == SORT_KEY_ROLE:
            return cell.sort_key if cell.sort_key is not None else cell.text.casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tooltip
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return cell.accessible or cell.text
        if role == Qt.ItemDataRole.DecorationRole:
            return self._theme.icon(cell.icon) if cell.icon else None
        if role == Qt.ItemDataRole.BackgroundRole and cell.colours is not None:
            return self._theme.colour(cell.colours[0])
        if role == Qt.ItemDataRole.ForegroundRole and cell.colours is not None:
            return self._theme.colour(cell.colours[1])
        if role == Qt.ItemDataRole.FontRole and cell.bold:
            return self._bold
        return None

    def _cell_of(self, row: R, column: int) -> Cell:
        now = self._clock()
        second = int(now.timestamp())
        if second != self._cells_second or len(self._cells) >= CELL_MEMORY_LIMIT:
            self._cells.clear()
            self._cells_second = second
        key = (id(row), column)
        remembered = self._cells.get(key)
        if remembered is not None and remembered[0] is row:
            return remembered[1]
        cell = self.cell(row, column, now)
        self._cells[key] = (row, cell)
        return cell

    def _tick(self) -> None:
        if self.tick_column is not None and self._rows:
            top = self.index(0, self.tick_column)
            bottom = self.index(len(self._rows) - 1, self.tick_column)
            emit(self.dataChanged, top, bottom)

    def _repaint_all(self) -> None:
        if self._rows:
            emit(self.dataChanged, self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))
