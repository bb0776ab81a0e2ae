"""The front-door dashboard: the measures of DOMAIN.md §7 for a chosen period, as tiles and charts,
with every number one click away and the lot exportable to CSV.

Every figure comes from ``services.dashboard.front_door_measures`` (the same the command line
prints); this page only lays them out.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.audits import QUALITY_ASSURANCE_OVERSEERS
from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.domain.moments import MomentError
from mash_desk.domain.periods import london_date, london_midnight
from mash_desk.domain.risk import DashLevel
from mash_desk.gui.date_box import DateBox
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.manager.charts import ChartCard, FiguresCard, Series
from mash_desk.gui.manager.figures_model import Figure, count, percent, text
from mash_desk.gui.manager.pickers import SaveFileChoice
from mash_desk.gui.manager.supervision_cards import SupervisionCards
from mash_desk.gui.manager.tile_contacts import TileContactsModel, TileContactsPanel
from mash_desk.gui.manager.tiles import Tile, target_words, verdict_words
from mash_desk.gui.messages import shortcut_text
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import referral_source_tip, referral_source_words, short_when, tr
from mash_desk.services.dashboard import FrontDoorMeasures, front_door_measures, measures_to_csv
from mash_desk.services.dashboard_tiles import LISTED_TILES, TileContacts, tile_contacts
from mash_desk.services.manager import PeriodChoice, count_tiles, measure_tiles, period_for
from mash_desk.services.risk_tools import RiskToolSummary, risk_tool_summary

EXPORT_KEY = "Ctrl+E"
TILES_PER_ROW = 5


def source_figure(source: str) -> Figure:
    """A referral source in words, with its CIN census code in the tooltip (codes are for exports)."""
    if source == "all":
        return text(tr("All sources"))
    words = referral_source_words(source)
    return Figure(words, words, referral_source_tip(source))


AUDIT_ACTIONS_TILE = "audit_actions_overdue"
AUDITS_PAGE = "audits"
"""The Partnership area's case audits page (``gui/partnership/area.py``)."""


class DashboardPage(QWidget):
    loaded = Signal(object)
    """Emitted with the ``FrontDoorMeasures`` each time the figures shown have been replaced."""
    message = Signal(str)
    """Emitted with a sentence for the status bar."""
    open_requested = Signal(int)
    """Emitted with a contact id to open (from the cases behind a tile)."""
    page_requested = Signal(str)
    """Emitted with the key of a Partnership page to show: the audit actions tile opens the case audits,
    where each overdue action is listed with the audit and the case it came from."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = window.runner
        self._ctx = window.ctx
        self._theme = theme = window.theme
        self._clock = window.clock
        self._generation = 0
        self._tile_request = 0  # the latest tile opened: a list read for an earlier one is dropped
        self._filling = False
        self.measures: FrontDoorMeasures | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._controls())
        self.problem_label = QLabel(self)
        self.problem_label.setWordWrap(True)
        set_flag(self.problem_label, "banner", "error")
        self.problem_label.hide()
        outer.addWidget(self.problem_label)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget(self.scroll_area)
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 8, 0)
        self.summary_label = QLabel(content)
        self.summary_label.setWordWrap(True)
        set_flag(self.summary_label, "subheading", True)
        body.addWidget(self.summary_label)
        self.tiles: dict[str, Tile] = {}
        tiles = QGridLayout()
        self.headline = FiguresCard(
            tr("The headline figures"),
            [tr("Measure"), tr("Percent"), tr("Count"), tr("Out of"), tr("Target"), tr("Against target")],
            content,
        )
        for position, key in enumerate(
            (
                "decided_within_one_working_day",
                "completed_within_rag",
                "agency_returns_on_time",
                "re_referrals",
                "nfa",
                "contacts_received",
                "undecided_past_deadline",
                "agency_returns_overdue",
                "hand_offs_awaiting",
                "decisions_returned",
                "neglect_awaiting_decision",
                "audit_actions_overdue",
            )
        ):
            opens_audits = key == AUDIT_ACTIONS_TILE and window.actor.role in QUALITY_ASSURANCE_OVERSEERS
            tile = Tile(key, theme, content, openable=key in LISTED_TILES or opens_audits)
            if opens_audits:
                tile.setToolTip(tr("Enter, Space or a click: the case audits, with their actions and who owns them"))
            tile.opened.connect(self.open_tile)
            self.tiles[key] = tile
            tiles.addWidget(tile, position // TILES_PER_ROW, position % TILES_PER_ROW)
        body.addLayout(tiles)
        self.behind_model = TileContactsModel(window, list, self)
        self.behind_panel = TileContactsPanel(self.behind_model, content)
        self.behind_panel.view.setAccessibleName(tr("The cases behind the tile"))
        self.behind_panel.open_requested.connect(self.open_requested)
        self.behind_panel.setMinimumHeight(260)
        self.behind_panel.hide()
        body.addWidget(self.behind_panel)
        self.conversion = ChartCard(
            tr("Conversion by source: contact to referral, assessment, strategy discussion"),
            [tr("Source"), tr("Contacts"), tr("Referrals"), tr("To referral"), tr("To assessment"), tr("To strategy")],
            theme,
            percent=True,
            empty_text=tr("No contacts were received in this period."),
            parent=content,
        )
        self.caseloads = ChartCard(
            tr("Caseloads now: open and overdue work per worker"),
            [tr("Worker"), tr("Open"), tr("Overdue")],
            theme,
            empty_text=tr("Nobody holds open MASH work."),
            parent=content,
        )
        self.hand_offs = ChartCard(
            tr("Hand-offs not yet accepted, by receiving team (now)"),
            [tr("Team"), tr("Awaiting"), tr("Overdue")],
            theme,
            empty_text=tr("Every hand-off has been accepted."),
            parent=content,
        )
        self.breakdowns = ChartCard(
            tr("Breakdowns: contacts and referrals by circumstance"),
            [tr("Circumstance"), tr("Contacts"), tr("Became a referral"), tr("Share referred")],
            theme,
            empty_text=tr("No contacts were received in this period."),
            parent=content,
        )
        grid = QGridLayout()
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self.conversion, 0, 0, top)
        grid.addWidget(self.caseloads, 0, 1, top)
        grid.addWidget(self.breakdowns, 1, 0, top)
        grid.addWidget(self.hand_offs, 1, 1, top)
        grid.addWidget(self.headline, 2, 0, 1, 2, top)
        self.risk_tools = FiguresCard(
            tr("Risk tools: DASH, MARAC and Graded Care Profile 2"), [tr("Measure"), tr("Count")], content
        )
        grid.addWidget(self.risk_tools, 3, 0, 1, 2, top)
        self.supervision = SupervisionCards(theme, content)
        grid.addWidget(self.supervision.who, 4, 0, top)
        grid.addWidget(self.supervision.over_time, 4, 1, top)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        body.addLayout(grid)
        body.addStretch(1)
        self.scroll_area.setWidget(content)
        outer.addWidget(self.scroll_area, 1)
        self.cards = (
            self.headline,
            self.conversion,
            self.caseloads,
            self.hand_offs,
            self.breakdowns,
            self.risk_tools,
            self.supervision.who,
            self.supervision.over_time,
        )
        self.risk: RiskToolSummary | None = None
        self.choose(PeriodChoice.THIS_MONTH, load=False)

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        caption = QLabel(tr("Peri&od:"), self)
        self.period_combo = QComboBox(self)
        self.period_combo.setAccessibleName(tr("Period"))
        for choice, words in (
            (PeriodChoice.THIS_MONTH, tr("This month")),
            (PeriodChoice.LAST_MONTH, tr("Last month")),
            (PeriodChoice.LAST_THREE_MONTHS, tr("Last 3 months")),
            (PeriodChoice.CUSTOM, tr("From … to …")),
        ):
            self.period_combo.addItem(words, choice.value)
        caption.setBuddy(self.period_combo)
        from_caption = QLabel(tr("&From:"), self)
        self.from_edit = DateBox(self)
        to_caption = QLabel(tr("&To:"), self)
        self.to_edit = DateBox(self)
        for label, edit, name in ((from_caption, self.from_edit, tr("From")), (to_caption, self.to_edit, tr("To"))):
            edit.today = self.today
            edit.setAccessibleName(name)
            label.setBuddy(edit)
            edit.editingFinished.connect(self._custom_dates)
        self.show_button = QPushButton(tr("&Show figures"), self)
        self.show_button.clicked.connect(self.load)
        self.export_button = QPushButton(tr("Export CSV… ({key})").format(key=shortcut_text(EXPORT_KEY)), self)
        self.export_button.setToolTip(tr("Save every figure for this period as CSV — {key}").format(key=EXPORT_KEY))
        self.export_button.clicked.connect(self.export_csv)
        export = QAction(tr("Export CSV…"), self)
        export.setShortcut(QKeySequence(EXPORT_KEY))
        export.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        export.triggered.connect(self.export_csv)
        self.addAction(export)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(100)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName(tr("Reading the figures"))
        self.busy_bar.hide()
        self.period_combo.currentIndexChanged.connect(lambda _index: self._period_changed())
        for widget in (caption, self.period_combo, from_caption, self.from_edit, to_caption, self.to_edit):
            row.addWidget(widget)
        row.addWidget(self.show_button)
        row.addWidget(self.busy_bar)
        row.addStretch(1)
        row.addWidget(self.export_button)
        return row

    # --- the period --------------------------------------------------------------------------------

    def today(self) -> date:
        return london_date(self._clock())

    def choice(self) -> PeriodChoice:
        return PeriodChoice(str(self.period_combo.currentData()))

    def choose(self, choice: PeriodChoice, *, load: bool = True) -> None:
        """Pick a named period (what the combo box does), and read its figures."""
        index = self.period_combo.findData(choice.value)
        self._filling = True
        self.period_combo.setCurrentIndex(index)
        self._filling = False
        self._fill_dates(choice)
        if load:
            self.load()

    def set_custom(self, first: date, last: date) -> None:
        """Pick "From … to …" with these dates, and read its figures."""
        self.choose(PeriodChoice.CUSTOM, load=False)
        self.from_edit.set_day(first)
        self.to_edit.set_day(last)
        self.load()

    def period(self) -> tuple[date, date]:
        """The dates in the From and To boxes; ``MomentError`` (marked on the box) when one is not a date."""
        days = []
        for edit in (self.from_edit, self.to_edit):
            try:
                days.append(edit.day())
            except MomentError:
                set_flag(edit, "invalid", True)
                raise
            if edit.property("invalid"):
                set_flag(edit, "invalid", False)
        return days[0], days[1]

    def _fill_dates(self, choice: PeriodChoice) -> None:
        custom = choice is PeriodChoice.CUSTOM
        if not custom:
            first, last = period_for(choice, self.today())
            self.from_edit.set_day(first)
            self.to_edit.set_day(last)
        self.from_edit.setEnabled(custom)
        self.to_edit.setEnabled(custom)

    def _period_changed(self) -> None:
        if self._filling:
            return
        choice = self.choice()
        self._fill_dates(choice)
        if choice is PeriodChoice.CUSTOM:
            self.from_edit.setFocus()
        else:
            self.load()

    def _custom_dates(self) -> None:
        if self.choice() is not PeriodChoice.CUSTOM:
            return
        try:
            period = self.period()
        except MomentError:
            period = None  # load() says what is wrong
        if self.measures is None or period is None or (self.measures.start, self.measures.end) != period:
            self.load()

    # --- reading -----------------------------------------------------------------------------------

    def open_tile(self, key: str) -> None:
        """List the cases behind a tile, read by the same rule that counted them."""
        if key == AUDIT_ACTIONS_TILE:  # actions agreed from audits, not cases: they are on the audits page
            emit(self.page_requested, AUDITS_PAGE)
            return
        if self.measures is None:
            return
        first, last = self.measures.start, self.measures.end  # the period the tile counted, whatever is typed since
        ctx, title = self._ctx, self.tiles[key].title_label.text()
        self._tile_request += 1
        request = self._tile_request
        self._runner.run(
            lambda: tile_contacts(ctx, key, first, last),
            lambda listed: self._tile_listed(request, title, listed),
            lambda exc: emit(self.message, str(exc)),
            owner=self,
            label=tr("Listing the cases behind the tile"),
        )

    def _tile_listed(self, request: int, title: str, listed: TileContacts) -> None:
        if request != self._tile_request:  # another tile, or another period, was asked for since
            return
        panel = self.behind_panel
        panel.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's: newest first
        panel.show_listed(title, listed)
        emit(self.behind_model.loaded)
        panel.show()
        panel.focus_table()
        self.scroll_area.ensureWidgetVisible(panel)

    def load(self) -> None:
        self.behind_panel.hide()  # the list was for the period shown before
        self._tile_request += 1  # and one still being read is too
        self._generation += 1
        generation, ctx = self._generation, self._ctx
        try:
            first, last = self.period()
        except MomentError as exc:  # the figures shown stay those of the last whole period
            self.problem_label.setText(tr("Check the dates: {problem}").format(problem=exc))
            self.problem_label.show()
            return
        self.busy_bar.show()
        self._runner.run(
            lambda: front_door_measures(ctx, first, last),
            lambda measures: self._arrived(generation, measures),
            lambda exc: self._failed(generation, exc),
            owner=self,
            label=tr("Reading the front-door measures"),
        )
        since, until = london_midnight(first), london_midnight(last + timedelta(days=1))
        self._runner.run(
            lambda: risk_tool_summary(ctx, since=since, until=until),
            lambda summary: self._risk_arrived(generation, summary),
            lambda exc: self._failed(generation, exc),
            owner=self,
            label=tr("Reading the risk tools' figures"),
        )

    def _risk_arrived(self, generation: int, summary: RiskToolSummary) -> None:
        """DASH and GCP2 in the period; the GCP2 reviews overdue now (the manager's GCP2 reviews page lists them)."""
        if generation != self._generation:
            return
        self.risk = summary
        levels = summary.dash_by_level
        overdue = summary.gcp_reviews_overdue
        self.risk_tools.model.set_rows(
            [
                [text(tr("DASH checklists recorded")), count(summary.dash_total)],
                [text(tr("    standard risk (0–9 yes)")), count(levels[DashLevel.STANDARD])],
                [text(tr("    medium risk (10–13 yes)")), count(levels[DashLevel.MEDIUM])],
                [text(tr("    high risk (14+ yes, or professional judgement)")), count(levels[DashLevel.HIGH])],
                [text(tr("    rated high on professional judgement")), count(summary.judgement_overrides)],
                [text(tr("MARAC referrals made")), count(summary.marac_referrals)],
                [
                    text(
                        tr("⚠ High-risk DASH with no MARAC referral yet")
                        if summary.high_not_referred
                        else tr("High-risk DASH with no MARAC referral yet")
                    ),
                    count(summary.high_not_referred),
                ],
                [text(tr("Graded Care Profile 2 assessments")), count(summary.gcp_total)],
                [text(tr("    children assessed")), count(summary.gcp_children)],
                [
                    text(tr("⚠ GCP2 reviews OVERDUE now") if overdue else tr("GCP2 reviews overdue now")),
                    count(overdue),
                ],
            ]
        )

    def _failed(self, generation: int, exc: MashDeskError) -> None:
        if generation != self._generation:
            return
        self.busy_bar.hide()
        problem = " ".join(exc.field_errors.values()) if isinstance(exc, InvalidInput) else str(exc)
        self.problem_label.setText(tr("The figures could not be read: {problem}").format(problem=problem))
        self.problem_label.show()

    def _arrived(self, generation: int, measures: FrontDoorMeasures) -> None:
        if generation != self._generation:
            return
        self.busy_bar.hide()
        self.problem_label.hide()
        self.measures = measures
        self._show(measures)
        emit(self.loaded, measures)

    def _show(self, m: FrontDoorMeasures) -> None:
        self.summary_label.setText(
            tr(
                "{count:,} contacts received {first:%d %b %Y} to {last:%d %b %Y}. "
                "Caseloads and hand-offs are as they are now ({at})."
            ).format(count=m.contacts_received, first=m.start, last=m.end, at=short_when(m.generated_at))
        )
        headline = measure_tiles(m)
        for measure in headline:
            self.tiles[measure.key].show_measure(measure)
        for number in count_tiles(m):
            self.tiles[number.key].show_count(number)
        self.headline.model.set_rows(
            [
                [
                    text(tr(tile.label)),
                    percent(tile.ratio),
                    count(tile.ratio.numerator),
                    count(tile.ratio.denominator),
                    Figure(target_words(tile), tile.target),
                    text(verdict_words(tile)),
                ]
                for tile in headline
            ]
        )
        sources = (*m.conversion_by_source, m.conversion)
        self.conversion.model.set_rows(
            [
                [
                    source_figure(row.source),
                    count(row.contacts),
                    count(row.referrals),
                    percent(row.to_referral),
                    percent(row.to_assessment),
                    percent(row.to_strategy),
                ]
                for row in sources
            ]
        )
        self.conversion.set_data(
            [tr("All sources") if row.source == "all" else referral_source_words(row.source) for row in sources],
            [
                Series(tr("To referral"), [row.to_referral.percent or 0.0 for row in sources]),
                Series(tr("To assessment"), [row.to_assessment.percent or 0.0 for row in sources]),
                Series(tr("To strategy discussion"), [row.to_strategy.percent or 0.0 for row in sources]),
            ],
        )
        self.caseloads.model.set_rows([[text(c.worker), count(c.open), count(c.overdue)] for c in m.caseloads])
        self.caseloads.set_data(
            [c.worker for c in m.caseloads],
            [
                Series(tr("Open"), [c.open for c in m.caseloads]),
                Series(tr("Overdue"), [c.overdue for c in m.caseloads]),
            ],
        )
        teams = m.hand_offs_by_team
        self.hand_offs.model.set_rows([[text(t.team), count(t.awaiting), count(t.overdue)] for t in teams])
        self.hand_offs.set_data(
            [t.team for t in teams],
            [Series(tr("Awaiting"), [t.awaiting for t in teams]), Series(tr("Overdue"), [t.overdue for t in teams])],
        )
        self.breakdowns.model.set_rows(
            [[text(tr(b.label)), count(b.contacts), count(b.referrals), percent(b.to_referral)] for b in m.breakdowns]
        )
        self.supervision.show_measures(m, self.today())
        self.breakdowns.set_data(
            [tr(b.label) for b in m.breakdowns],
            [
                Series(tr("Contacts"), [b.contacts for b in m.breakdowns]),
                Series(tr("Became a referral"), [b.referrals for b in m.breakdowns]),
            ],
        )

    # --- export ------------------------------------------------------------------------------------

    def export_csv(self) -> None:
        """Save the figures shown as CSV (``measures_to_csv``), written on a worker."""
        measures = self.measures
        if measures is None:
            return
        path = SaveFileChoice.ask(
            self,
            tr("Export the front-door measures"),
            f"front-door-measures-{measures.start:%Y-%m-%d}-to-{measures.end:%Y-%m-%d}.csv",
            tr("CSV files (*.csv)"),
        )
        if path is None:
            return

        def write() -> None:
            try:
                path.write_text(measures_to_csv(measures), encoding="utf-8", newline="")
            except OSError as exc:
                raise MashDeskError(f"{path} could not be written: {exc.strerror or exc}") from exc

        self._runner.run(
            write,
            lambda _none: emit(self.message, tr("Saved the figures to {path}.").format(path=path)),
            lambda exc: self._failed(self._generation, exc),
            owner=self,
            label=tr("Saving the figures"),
        )
