"""The Safeguarding Children Partnership's quarterly pack on paper: charts and short tables on the
letterhead, each numbered and defined in an appendix, small numbers suppressed.

Plain frozen data in, PDF bytes out: no database, no Qt. Charts are reportlab's own graphics. Every
count shown goes through ``domain.suppression`` (1 to 4 shows as "<5", a percentage built on one as
"*"), and a bar for a suppressed count is not drawn. Fixed English words: a professional report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from mash_desk.domain.suppression import chart_value, is_suppressed, shown_count, shown_percent, shown_statistic
from mash_desk.domain.timescales import LONDON
from mash_desk.letters.blocks import table
from mash_desk.letters.model import Letterhead
from mash_desk.letters.pages import build
from mash_desk.letters.style import CONTENT_WIDTH, CORAL, GREY, INK, TEAL, Styles, fonts_for, styles
from mash_desk.letters.templates import LetterWording, load_wording

MARKING = "OFFICIAL"
SERIES_COLOURS = (
    TEAL,
    CORAL,
    colors.Color(0.55, 0.60, 0.64),
    colors.Color(0.35, 0.62, 0.45),
    colors.Color(0.93, 0.69, 0.25),
)
LABEL_WIDTH = 62 * mm
BAR_ROOM = 3.4 * mm  # height per bar
LEGEND_PER_LINE = 3


@dataclass(frozen=True)
class PackStatistic:
    """A figure that is not a count: Fleiss' kappa, a percentage agreement, a mean difference."""

    value: float | None  # None where it is undefined (too few ratings, every rating alike)
    percent: bool = False  # ``value`` is already a percentage (62.5 for 62.5%)


@dataclass(frozen=True)
class PackRow:
    """One figure in a table: a count, and what it is out of (``None``: a plain count); or a statistic,
    with ``out_of`` the number of ratings it is computed over (suppressed with them)."""

    label: str
    count: int | None
    out_of: int | None = None
    statistic: PackStatistic | None = None

    @property
    def shown_figure(self) -> str:
        """The count or the statistic as the PDF shows it."""
        if self.statistic is None:
            return shown_count(self.count)
        return shown_statistic(self.statistic.value, self.out_of, self.statistic.percent)


@dataclass(frozen=True)
class PackTable:
    number: str  # "Table 3"
    title: str
    rows: tuple[PackRow, ...]
    definition: str
    base_heading: str = ""  # a table of statistics: what their ``out_of`` counts ("Ratings")


@dataclass(frozen=True)
class PackChart:
    number: str  # "Figure 2"
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]  # (name, one count per category)
    definition: str


@dataclass(frozen=True)
class PackSection:
    title: str
    lead: str  # a sentence or two in words: what the section shows
    items: tuple[PackTable | PackChart, ...]


@dataclass(frozen=True)
class PackDocument:
    quarter: str  # "2026Q3"
    period_words: str  # "1 July 2026 to 30 September 2026"
    generated_at: datetime
    generated_by: str
    sections: tuple[PackSection, ...]
    notes: tuple[str, ...]  # the appendix's general notes (period, suppression, sections not included)


def _when(at: datetime) -> str:
    local = at.astimezone(LONDON)
    return f"{local.day} {local:%B %Y %H:%M}"


def _chart(chart: PackChart, style: Styles) -> Drawing:
    """A horizontal bar chart: one group of bars per category, one bar per series, legend below."""
    groups = len(chart.categories)
    bars = max(1, len(chart.series))
    plot_height = max(16 * mm, groups * bars * BAR_ROOM + groups * 2.4 * mm)
    # up to three series' names fit on one line under the plot; more (the four audit grades) take two
    legend_rows = 1 if bars <= LEGEND_PER_LINE else 2
    legend_columns = -(-bars // legend_rows)
    legend_room = (7 * mm + (legend_rows - 1) * 4 * mm) if bars > 1 else 0
    height = plot_height + legend_room + 9 * mm
    drawing = Drawing(CONTENT_WIDTH, height)
    bar = HorizontalBarChart()
    bar.x = LABEL_WIDTH
    bar.y = legend_room + 8 * mm
    bar.width = CONTENT_WIDTH - LABEL_WIDTH - 8 * mm
    bar.height = plot_height
    # categories read top down (reverseDirection), which also turns each group upside down: the series
    # go in reversed, so the first series is the top bar of its group, as the legend lists them
    ordered = list(reversed(chart.series))
    bar.data = [tuple(chart_value(v) for v in values) for _name, values in ordered] or [(0,) * groups]
    bar.barSpacing = 0.6
    bar.groupSpacing = 5
    bar.categoryAxis.categoryNames = list(chart.categories)
    bar.categoryAxis.reverseDirection = 1
    bar.categoryAxis.labels.fontName = style.small.fontName
    bar.categoryAxis.labels.fontSize = 7
    bar.categoryAxis.labels.boxAnchor = "e"
    bar.categoryAxis.labels.fillColor = INK
    bar.categoryAxis.strokeColor = GREY
    bar.valueAxis.valueMin = 0
    bar.valueAxis.labels.fontName = style.small.fontName
    bar.valueAxis.labels.fontSize = 7
    bar.valueAxis.labels.fillColor = GREY
    bar.valueAxis.strokeColor = GREY
    bar.valueAxis.gridStrokeColor = colors.Color(0.88, 0.9, 0.91)
    bar.valueAxis.visibleGrid = 1
    bar.valueAxis.labelTextFormat = lambda value: f"{value:,.0f}"
    largest = max((chart_value(v) for _n, values in chart.series for v in values), default=0)
    if largest < 5:
        bar.valueAxis.valueMax = 5
        bar.valueAxis.valueStep = 1
    colour = {name: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, (name, _v) in enumerate(chart.series)}
    for index, (name, _values) in enumerate(ordered):
        bar.bars[index].fillColor = colour[name]
        bar.bars[index].strokeColor = None
    drawing.add(bar)
    if bars > 1:
        legend = Legend()
        legend.x = LABEL_WIDTH
        legend.y = legend_room
        legend.alignment = "right"
        legend.columnMaximum = legend_rows
        legend.fontName = style.small.fontName
        legend.fontSize = 7.5
        legend.dx = legend.dy = 6
        legend.deltax = (CONTENT_WIDTH - LABEL_WIDTH) / legend_columns
        legend.autoXPadding = 0  # columns as wide as deltax says, not as the longest name
        legend.colorNamePairs = [(colour[name], name) for name, _v in chart.series]
        drawing.add(legend)
    if any(is_suppressed(v) for _n, values in chart.series for v in values):
        drawing.add(
            String(
                0,
                0,
                "Counts from 1 to 4 are not drawn (see the table).",
                fontName=style.small.fontName,
                fontSize=6.5,
                fillColor=GREY,
            )
        )
    return drawing


def _table(item: PackTable, style: Styles) -> Flowable:
    with_base = any(row.out_of is not None for row in item.rows)
    if any(row.statistic is not None for row in item.rows):
        header = ["Measure", "Figure", item.base_heading or "Out of"]
        widths = [CONTENT_WIDTH - 48 * mm, 24 * mm, 24 * mm]
        rows = [[escape(row.label), row.shown_figure, shown_count(row.out_of)] for row in item.rows]
    elif with_base:
        header = ["Measure", "Number", "Out of", "Share"]
        widths = [CONTENT_WIDTH - 72 * mm, 22 * mm, 26 * mm, 24 * mm]
        rows = [
            [
                escape(row.label),
                shown_count(row.count),
                shown_count(row.out_of),
                shown_percent(row.count, row.out_of),
            ]
            for row in item.rows
        ]
    else:
        header = ["Measure", "Number"]
        widths = [CONTENT_WIDTH - 30 * mm, 30 * mm]
        rows = [[escape(row.label), shown_count(row.count)] for row in item.rows]
    return table(style, header, rows, widths)


def _caption(number: str, title: str, style: Styles) -> Paragraph:
    return Paragraph(f"<b>{escape(number)}.</b> {escape(title)}", style.small)


def render_pack(data: PackDocument, letterhead: Letterhead, wording: LetterWording | None = None) -> bytes:
    """The quarterly pack as PDF bytes."""
    words = wording or load_wording(letterhead.templates)
    fonts = fonts_for(data, letterhead, words)
    style = styles(fonts)
    story: list[Flowable] = [
        Paragraph(escape(MARKING), style.label),
        Spacer(1, 2 * mm),
        Paragraph(escape(f"Quarterly pack for the Safeguarding Children Partnership: {data.quarter}"), style.heading),
        Paragraph(escape(f"Contacts received by the MASH from {data.period_words}."), style.body),
        Paragraph(
            escape(
                f"Produced by {data.generated_by} on {_when(data.generated_at)} from MASH Desk. Counts from 1 to 4 "
                "are shown as <5 (see the appendix). Each table and figure is defined in the appendix, and the "
                "same numbers are in the pack's CSV files."
            ),
            style.small,
        ),
        Spacer(1, 3 * mm),
    ]
    contents = [[escape(section.title), escape(section.lead)] for section in data.sections]
    story.append(table(style, ["Section", "What it shows"], contents, [48 * mm, CONTENT_WIDTH - 48 * mm]))
    for section in data.sections:
        story += [CondPageBreak(70 * mm), Paragraph(escape(section.title), style.section)]
        story.append(Paragraph(escape(section.lead), style.body))
        for item in section.items:
            caption = _caption(item.number, item.title, style)
            if isinstance(item, PackChart) and not any(v for _n, values in item.series for v in values):
                story += [caption, Paragraph("Nothing to draw: every count in this figure is zero.", style.small)]
                story.append(Spacer(1, 3 * mm))
            elif isinstance(item, PackChart):
                story.append(KeepTogether([caption, Spacer(1, 1.5 * mm), _chart(item, style), Spacer(1, 3 * mm)]))
            else:
                caption.keepWithNext = 1  # never a caption at a page's foot with its table overleaf
                story += [caption, _table(item, style)]
    story += [PageBreak(), Paragraph("Appendix: definitions and notes", style.heading)]
    story += [Paragraph(escape(note), style.body) for note in data.notes]
    definitions = [
        [escape(item.number), escape(item.title), escape(item.definition)]
        for section in data.sections
        for item in section.items
    ]
    story.append(table(style, ["", "Figure", "Definition"], definitions, [20 * mm, 48 * mm, CONTENT_WIDTH - 68 * mm]))
    return build(
        story,
        letterhead,
        fonts,
        words,
        reference=f"Partnership pack {data.quarter}",
        running_title=f"Safeguarding Children Partnership quarterly pack {data.quarter}",
        marking=MARKING,
        title=f"Quarterly pack for the Safeguarding Children Partnership — {data.quarter}",
    )


__all__ = [
    "MARKING",
    "PackChart",
    "PackDocument",
    "PackRow",
    "PackSection",
    "PackStatistic",
    "PackTable",
    "render_pack",
]
