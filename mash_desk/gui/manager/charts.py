"""Bar charts for the dashboard, in the window's light or dark colours, each with its numbers one
click away: a card holds the chart and, on its second tab, the same figures as a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QCursor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from mash_desk.gui.manager.figures_model import FigureTableModel
from mash_desk.gui.table_models import SORT_KEY_ROLE
from mash_desk.gui.theme import Theme
from mash_desk.gui.widgets import leave_on_tab

# series colours that read on both backgrounds and apart from each other (and the bars carry labels)
LIGHT_SERIES = ("#1d4f91", "#b35c00", "#2e7d32", "#7b1fa2")
DARK_SERIES = ("#8ab4f8", "#ffb74d", "#81c784", "#ce93d8")
BAR_HEIGHT = 26  # pixels per category row, so long lists grow the card instead of squashing the bars
MIN_CHART_HEIGHT = 200


@dataclass(frozen=True)
class Series:
    """One set of bars: its name in the legend and a value per category."""

    name: str
    values: Sequence[float]


def _shorten(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class ChartCard(QGroupBox):
    """A titled card: a bar chart on the first tab, the same figures as a table on the second.

    Horizontal bars, so long category names (workers, referral sources, circumstances) read in full;
    with one or two series each bar carries its value as a label, and every bar shows it on hover.
    """

    def __init__(
        self,
        title: str,
        headers: Sequence[str],
        theme: Theme,
        *,
        percent: bool = False,
        empty_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self._theme = theme
        self._percent = percent
        self._series: list[Series] = []
        self._categories: list[str] = []
        self.setObjectName(title)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.stack = QStackedWidget(self.tabs)
        self.view = QChartView(self.stack)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setAccessibleName(title)
        self.empty_label = QLabel(empty_text, self.stack)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty_label)
        self.model = FigureTableModel(headers, self)
        self.table = figures_table(self.model, title, self.tabs)
        self.tabs.addTab(self.stack, self.tr("Chart"))
        self.tabs.addTab(self.table, self.tr("Numbers"))
        self.tabs.setTabToolTip(0, self.tr("The figures as bars"))
        self.tabs.setTabToolTip(1, self.tr("The same figures as a table, to read or copy"))
        layout.addWidget(self.tabs)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        theme.changed.connect(self._draw)

    def show_numbers(self, numbers: bool = True) -> None:
        self.tabs.setCurrentIndex(1 if numbers else 0)

    def set_data(self, categories: Sequence[str], series: Sequence[Series]) -> None:
        """Draw bars for ``categories`` (top to bottom); with no categories, say why the chart is empty."""
        self._categories = list(categories)
        self._series = list(series)
        self._draw()

    def _height(self) -> int:
        per_row = BAR_HEIGHT + 10 * (len(self._series) - 1)
        return max(MIN_CHART_HEIGHT, 80 + max(len(self._categories), 1) * per_row)

    def _draw(self) -> None:
        empty = not self._categories or not any(any(s.values) for s in self._series)
        self.stack.setCurrentIndex(1 if empty else 0)
        height = MIN_CHART_HEIGHT if empty else self._height()
        self.tabs.setFixedHeight(height + self.tabs.tabBar().sizeHint().height() + 6)
        self.view.setChart(QChart() if empty else self._chart())
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _hovered(self, status: bool, index: int, bars: QBarSet) -> None:
        """A bar's exact value, for whoever points at it."""
        if not status:
            QToolTip.hideText()
            return
        value = f"{bars.at(index):.1f}%" if self._percent else f"{bars.at(index):g}"
        QToolTip.showText(QCursor.pos(), f"{bars.label()}: {value}")

    def _chart(self) -> QChart:
        colours = self._theme.colours
        text, grid = QColor(colours.text), QColor(colours.border)
        palette = DARK_SERIES if self._theme.dark else LIGHT_SERIES
        chart = QChart()
        chart.setBackgroundVisible(False)
        chart.setMargins(QMargins(4, 4, 16, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        series = QHorizontalBarSeries()
        # a horizontal series draws its first category at the bottom: reverse, so the list reads down
        order = list(reversed(range(len(self._categories))))
        for number, item in enumerate(self._series):
            bars = QBarSet(item.name)
            bars.append([float(item.values[i]) for i in order])
            colour = QColor(palette[number % len(palette)])
            bars.setColor(colour)
            bars.setBorderColor(colour)
            bars.setLabelColor(text)
            series.append(bars)
        labelled = len(self._series) <= 2
        series.setLabelsVisible(labelled)
        if labelled:
            series.setLabelsPosition(series.LabelsPosition.LabelsOutsideEnd)
            series.setLabelsFormat("@value%" if self._percent else "@value")
            series.setLabelsPrecision(3)
        series.hovered.connect(self._hovered)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([_shorten(self._categories[i]) for i in order])
        values = QValueAxis()
        if self._percent:
            values.setRange(0, 100)
            values.setTickCount(6)
            values.setLabelFormat("%d%%")
        else:
            biggest = max((max(s.values, default=0) for s in self._series), default=0)
            values.setRange(0, max(4.0, float(biggest) * 1.15))
            values.applyNiceNumbers()
            values.setLabelFormat("%d")
        for axis in (categories, values):
            axis.setLabelsColor(text)
            axis.setGridLineColor(grid)
            axis.setLinePen(QPen(grid))
        font = QFont()
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        categories.setLabelsFont(font)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
        legend = chart.legend()
        legend.setVisible(len(self._series) > 1)
        legend.setAlignment(Qt.AlignmentFlag.AlignTop)
        legend.setLabelColor(text)
        legend.setBrush(QBrush(Qt.BrushStyle.NoBrush))
        return chart


def figures_table(model: FigureTableModel, title: str, parent: QWidget) -> QTableView:
    """A sortable, read-only table over ``model`` (sorted as the service listed it until asked)."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_KEY_ROLE)
    table = leave_on_tab(QTableView(parent))
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setAccessibleName(QCoreApplication.translate("ChartCard", "{title}: the numbers").format(title=title))
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


class FiguresCard(QGroupBox):
    """A titled table of figures with no chart: for numbers that already have their tiles."""

    def __init__(self, title: str, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        layout = QVBoxLayout(self)
        self.model = FigureTableModel(headers, self)
        self.table = figures_table(self.model, title, self)
        layout.addWidget(self.table)
        self.model.modelReset.connect(self._fit)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def _fit(self) -> None:
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        rows = sum(self.table.rowHeight(r) for r in range(self.model.rowCount()))
        self.table.setFixedHeight(
            self.table.horizontalHeader().sizeHint().height() + rows + 2 * self.table.frameWidth() + 6
        )
