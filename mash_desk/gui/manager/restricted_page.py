"""Restricted records, for managers and auditors: the restrictions in force, and every time someone broke
the glass to read one (who, which record, why, when), newest first."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.words import counted, how_many_times
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.inbox_models import LoadedListModel
from mash_desk.gui.manager.list_panel import ListPanel
from mash_desk.gui.table_models import Cell
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import compact, tr, when
from mash_desk.services.restrictions import GlassBreakRow, RestrictionRow, glass_breaks, restrictions


def record_text(record: str) -> str:
    """A record as a person reads it: "Contact 12"."""
    return record[:1].upper() + record[1:]


def _moment(moment: datetime, now: datetime) -> Cell:
    return Cell(compact(moment, now), moment.timestamp(), tooltip=when(moment))


class RestrictionColumn(IntEnum):
    RECORD = 0
    RESTRICTED_BY = 1
    SINCE = 2
    REASON = 3


class RestrictionsModel(LoadedListModel[RestrictionRow]):
    """The restrictions in force."""

    columns = RestrictionColumn

    def header(self, column: int) -> str:
        return {
            RestrictionColumn.RECORD: self.tr("Record"),
            RestrictionColumn.RESTRICTED_BY: self.tr("Restricted by"),
            RestrictionColumn.SINCE: self.tr("Since"),
            RestrictionColumn.REASON: self.tr("Why"),
        }[RestrictionColumn(column)]

    def key(self, row: RestrictionRow) -> int:
        return row.id

    def cell(self, row: RestrictionRow, column: int, now: datetime) -> Cell:
        match RestrictionColumn(column):
            case RestrictionColumn.RECORD:
                return Cell(record_text(row.record), icon="warning")
            case RestrictionColumn.RESTRICTED_BY:
                return Cell(row.restricted_by)
            case RestrictionColumn.SINCE:
                return _moment(row.restricted_at, now)
            case RestrictionColumn.REASON:
                return Cell(row.reason.replace("\n", " "), tooltip=row.reason)
        raise AssertionError(column)  # pragma: no cover - every column is handled above


class GlassBreakColumn(IntEnum):
    WHEN = 0
    WHO = 1
    RECORD = 2
    OPEN_UNTIL = 3
    REASON = 4  # last: the longest, it takes the table's spare width, as the restrictions' reason does


class GlassBreaksModel(LoadedListModel[GlassBreakRow]):
    """Every time someone broke the glass, newest first."""

    columns = GlassBreakColumn

    def header(self, column: int) -> str:
        return {
            GlassBreakColumn.WHEN: self.tr("When"),
            GlassBreakColumn.WHO: self.tr("Who"),
            GlassBreakColumn.RECORD: self.tr("Record"),
            GlassBreakColumn.OPEN_UNTIL: self.tr("Open to them until"),
            GlassBreakColumn.REASON: self.tr("Their reason"),
        }[GlassBreakColumn(column)]

    def key(self, row: GlassBreakRow) -> int:
        return row.id

    def cell(self, row: GlassBreakRow, column: int, now: datetime) -> Cell:
        match GlassBreakColumn(column):
            case GlassBreakColumn.WHEN:
                return _moment(row.broken_at, now)
            case GlassBreakColumn.WHO:
                return Cell(row.who, bold=True)
            case GlassBreakColumn.RECORD:
                return Cell(record_text(row.record))
            case GlassBreakColumn.REASON:
                return Cell(row.reason.replace("\n", " "), tooltip=row.reason)
            case GlassBreakColumn.OPEN_UNTIL:
                if row.expires_at <= now:
                    return Cell(self.tr("closed again"), row.expires_at.timestamp(), tooltip=when(row.expires_at))
                return _moment(row.expires_at, now)
        raise AssertionError(column)  # pragma: no cover - every column is handled above


class RestrictedRecordsPage(QWidget):
    """The restrictions in force above, every glass break below; both newest first."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restricted_page")
        ctx = window.ctx
        self.restrictions_model = RestrictionsModel(window, lambda: restrictions(ctx), self)
        self.breaks_model = GlassBreaksModel(window, lambda: glass_breaks(ctx), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        set_flag(self.summary_label, "banner", "info")
        layout.addWidget(self.summary_label)
        self.restrictions_panel = ListPanel(
            self.restrictions_model,
            empty_text=tr("No record is restricted."),
            count=lambda n: tr("{records} restricted, the newest first.").format(
                records=counted(n, tr("record"), tr("records"))
            ),
            parent=self,
        )
        self.breaks_panel = ListPanel(
            self.breaks_model,
            empty_text=tr("Nobody has broken the glass."),
            count=lambda n: tr("{breaks}, the newest first.").format(
                breaks=counted(n, tr("glass break"), tr("glass breaks"))
            ),
            parent=self,
        )
        for caption, panel, name, filter_caption, stretch in (
            (
                tr("Restrictions &in force"),
                self.restrictions_panel,
                tr("Restrictions in force"),
                tr("&Filter restrictions:"),
                1,
            ),
            (
                tr("&Glass breaks: who opened a restricted record, and why"),
                self.breaks_panel,
                tr("Glass breaks"),
                tr("Filter glass &breaks:"),
                2,
            ),
        ):
            label = QLabel(caption, self)
            label.setProperty("subheading", True)
            panel.headed_by(label)
            panel.view.setAccessibleName(name)
            panel.filter_caption.setText(filter_caption)
            layout.addWidget(label)
            layout.addWidget(panel, stretch)
        self.restrictions_panel.view.sortByColumn(RestrictionColumn.SINCE, Qt.SortOrder.DescendingOrder)
        self.breaks_panel.view.sortByColumn(GlassBreakColumn.WHEN, Qt.SortOrder.DescendingOrder)
        for model in (self.restrictions_model, self.breaks_model):
            model.loaded.connect(self._loaded)
            model.load_failed.connect(self._failed)
        self.restrictions_panel.lead_focus_of(self)  # the first list on the page

    def reload(self) -> None:
        self.restrictions_model.reload()
        self.breaks_model.reload()

    def _loaded(self) -> None:
        restricted = counted(self.restrictions_model.rowCount(), tr("record"), tr("records"))
        breaks = self.breaks_model.rowCount()
        if breaks:
            said = tr(
                "{restricted} restricted. The glass has been broken {how_often}; every glass break, with who "
                "opened the record and why, is listed here and kept in the audit trail."
            ).format(restricted=restricted, how_often=how_many_times(breaks, tr("once"), tr("twice"), tr("times")))
        else:
            said = tr(
                "{restricted} restricted. Nobody has broken the glass; if someone does, who opened the record "
                "and why will be listed here and kept in the audit trail."
            ).format(restricted=restricted)
        self.summary_label.setText(said)
        if self.summary_label.property("banner") != "info":
            set_flag(self.summary_label, "banner", "info")

    def _failed(self, exc: MashDeskError) -> None:
        self.summary_label.setText(tr("The restricted records could not be read: {problem}").format(problem=exc))
        set_flag(self.summary_label, "banner", "error")
