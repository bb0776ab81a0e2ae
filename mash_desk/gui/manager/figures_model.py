"""The numbers behind a chart, as a table: every figure exactly as the service gave it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QObject, Qt

from mash_desk.gui.table_models import ROOT, SORT_KEY_ROLE, Index
from mash_desk.services.dashboard import Ratio

VALUE_ROLE = int(Qt.ItemDataRole.UserRole) + 3
"""The figure itself (an int, a float percentage, or None), for whoever checks or copies it."""


@dataclass(frozen=True)
class Figure:
    """One cell: the words shown, and the value behind them."""

    text: str
    value: int | float | str | None = None
    tooltip: str | None = None

    @property
    def numeric(self) -> bool:
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)


def count(value: int) -> Figure:
    return Figure(f"{value:,}", value)


def percent(ratio: Ratio) -> Figure:
    """A ratio's percentage to one decimal; "n/a" (never 0%) when there was nothing to divide."""
    share = ratio.percent
    if share is None:
        return Figure("n/a", None, f"0 of {ratio.denominator:,}")
    return Figure(f"{share:.1f}%", share, f"{ratio.numerator:,} of {ratio.denominator:,}")


def text(value: str) -> Figure:
    return Figure(value, value, value if len(value) > 24 else None)


class FigureTableModel(QAbstractTableModel):
    """A read-only table of figures with a header per column; numbers right-aligned and sortable."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[tuple[Figure, ...]] = []

    def set_rows(self, rows: Sequence[Sequence[Figure]]) -> None:
        self.beginResetModel()
        self._rows = [tuple(row) for row in rows]
        self.endResetModel()

    def figure(self, row: int, column: int) -> Figure:
        return self._rows[row][column]

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._headers):
            return None
        figure = self._rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return figure.text
        if role == VALUE_ROLE:
            return figure.value
        if role == SORT_KEY_ROLE:
            if figure.numeric:
                return float(figure.value)  # type: ignore[arg-type]
            return -1.0 if figure.value is None and index.column() else figure.text.casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            return figure.tooltip
        if role == Qt.ItemDataRole.TextAlignmentRole and (figure.numeric or figure.text == "n/a"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
