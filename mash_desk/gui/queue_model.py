"""A work queue as a table: pages fetched on demand, a live countdown, and rows refreshed one by one.

250,000 contacts open instantly because only the first page is read; scrolling asks for the next
(``canFetchMore``/``fetchMore``, on a worker). When another workstation changes contacts, only
those rows are fetched again and updated, moved out, or slotted in where they belong.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.periods import london_date
from mash_desk.domain.urgency import WITH_ANOTHER_TEAM_STATUSES, urgency_key
from mash_desk.gui.child_words import ages_text, concerns_text, youngest_days
from mash_desk.gui.pattern_panel import pattern_title, queue_words
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import ROOT, Cell, Index, RowsModel, due_cell, rag_cell
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import referral_source_tip, referral_source_words, short_when, status_words, tr, when
from mash_desk.services.queues import PAGE_SIZE, Queue, QueuePage, QueueRefresh, QueueRow, queue_page, queue_rows

TIER_SPAN = 1e11  # seconds: wider than any deadline's timestamp, so the tier always decides first


class QueueColumn(IntEnum):
    REFERENCE = 0
    CHILDREN = 1
    AGES = 2
    CONCERNS = 3
    RAG = 4
    TIME_LEFT = 5
    FLAGS = 6
    PATTERNS = 7
    RECEIVED = 8
    STATUS = 9
    WORKER = 10
    SOURCE = 11


SAME_WORKER_ON_EVERY_ROW = frozenset({Queue.MINE, Queue.UNASSIGNED})
"""Queues where the Worker column would say the same thing on every row (you, or nobody)."""

FLAG_ICONS = (
    ("danger", "Immediate danger"),
    ("re-referral", "Re-referral"),
    ("open-case", "Open case"),
    ("overdue", "Overdue"),
    ("due-soon", "Due within the hour"),
    ("warning", "Pattern nobody should miss"),
)
"""Every icon a queue draws, with what it means: shown under the table, not only in tooltips."""


def short_flags(row: QueueRow) -> list[tuple[str, str]]:
    """The flags as (icon, short words), each one visible: a re-referral never hides an open case."""
    flags = []
    if row.immediate_danger:
        flags.append(("danger", tr("Danger")))
    if row.re_referral:
        flags.append(("re-referral", tr("Re-referral")))
    if row.open_case:
        flags.append(("open-case", tr("Open case")))
    return flags


def flags_of(row: QueueRow) -> list[str]:
    """What a practitioner must notice about a contact, in words."""
    flags = []
    if row.immediate_danger:
        flags.append(tr("Immediate danger reported"))
    if row.re_referral:
        flags.append(tr("Re-referral: named in a contact in the last 12 months"))
    if row.open_case:
        flags.append(tr("Open case: already known to a team"))
    flags += [tr("Pattern: {what}").format(what=pattern_title(kind)) for kind in row.patterns]
    return flags


class QueueTableModel(RowsModel[QueueRow]):
    """One work queue, most urgent first."""

    columns = QueueColumn
    tick_column = QueueColumn.TIME_LEFT

    page_loaded = Signal()
    """Emitted after a page of rows (or a refresh) has been applied."""
    load_failed = Signal(object)
    """Emitted with the ``MashDeskError`` when a page could not be read."""
    total_changed = Signal(int)
    """Emitted with the queue's length whenever the database says it changed."""

    def __init__(
        self,
        window: WindowContext,
        queue: Queue,
        *,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(window.theme, window.clock, parent)
        self._runner = window.runner
        self._ctx = window.ctx
        self.queue = queue
        self._page_size = page_size
        self._total: int | None = None
        self._loading = False
        self._generation = 0
        self._search: str | None = None

    @property
    def total(self) -> int | None:
        return self._total

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def search(self) -> str | None:
        return self._search

    def header(self, column: int) -> str:
        return {
            QueueColumn.REFERENCE: self.tr("Reference"),
            QueueColumn.CHILDREN: self.tr("Children"),
            QueueColumn.AGES: self.tr("Age"),
            QueueColumn.CONCERNS: self.tr("Concerns"),
            QueueColumn.RAG: self.tr("RAG"),
            QueueColumn.TIME_LEFT: self.tr("Decision due") if self.queue is Queue.DECISIONS else self.tr("Time left"),
            QueueColumn.FLAGS: self.tr("Flags"),
            QueueColumn.RECEIVED: self.tr("Received"),
            QueueColumn.STATUS: self.tr("Status"),
            QueueColumn.WORKER: self.tr("Worker"),
            QueueColumn.SOURCE: self.tr("Source"),
            QueueColumn.PATTERNS: self.tr("Patterns"),
        }[QueueColumn(column)]

    def key(self, row: QueueRow) -> int:
        return row.contact_id

    def due(self, row: QueueRow) -> datetime:
        return row.urgency_facts(self.queue).due_at

    def icon_for(self, name: str) -> QIcon:
        return self._theme.icon(name)

    def hidden_columns(self) -> tuple[QueueColumn, ...]:
        """Columns that would say nothing in this queue."""
        return (QueueColumn.WORKER,) if self.queue in SAME_WORKER_ON_EVERY_ROW else ()

    def urgency_sort_key(self, row: QueueRow, now: datetime) -> float:
        """``domain.urgency``'s order as one number, for the table's sort."""
        tier, due, _id = urgency_key(row.urgency_facts(self.queue), now)
        return tier * TIER_SPAN + due.timestamp()

    def cell(self, row: QueueRow, column: int, now: datetime) -> Cell:
        flags = flags_of(row)
        match QueueColumn(column):
            case QueueColumn.REFERENCE:
                return Cell(
                    row.reference,
                    row.contact_id,
                    "danger" if row.immediate_danger else None,
                    "\n".join([tr("Received {at}").format(at=when(row.received_at)), *flags]),
                    accessible=", ".join([row.reference, *flags]),
                )
            case QueueColumn.CHILDREN:
                return Cell(row.children or tr("(no child named)"), tooltip="\n".join(flags) or None)
            case QueueColumn.AGES:
                today = london_date(now)
                return Cell(ages_text(row.children_named, today), youngest_days(row.children_named, today))
            case QueueColumn.CONCERNS:
                words = concerns_text(row.concerns)
                return Cell(words or tr("none ticked"), tooltip=words or None)
            case QueueColumn.RAG:
                return rag_cell(row.rag)
            case QueueColumn.TIME_LEFT:
                key = self.urgency_sort_key(row, now)
                if row.status in WITH_ANOTHER_TEAM_STATUSES:
                    return Cell(tr("with the receiving team"), key, tooltip=tr("See Hand-offs for acceptance"))
                what = tr("Decision due") if self.queue is Queue.DECISIONS else tr("Due")
                timed = due_cell(self.due(row), now, what)
                return Cell(timed.text, key, timed.icon, timed.tooltip, timed.colours, timed.bold, timed.accessible)
            case QueueColumn.FLAGS:
                shown = short_flags(row)
                words = " · ".join(text for _icon, text in shown)
                return Cell(words, -len(shown), shown[0][0] if shown else None, "\n".join(flags) or None)
            case QueueColumn.RECEIVED:
                return Cell(
                    short_when(row.received_at, now), row.received_at.timestamp(), tooltip=when(row.received_at)
                )
            case QueueColumn.STATUS:
                words = status_words(row.status)
                return Cell(words, tooltip=words)
            case QueueColumn.WORKER:
                return Cell(row.assigned_to or tr("unassigned"))
            case QueueColumn.SOURCE:
                source = referral_source_words(row.referral_source)
                return Cell(source, source, tooltip=referral_source_tip(row.referral_source))
            case QueueColumn.PATTERNS:
                if not row.patterns:
                    return Cell("", 0)
                words = queue_words(row.patterns)
                return Cell(
                    words,
                    -len(row.patterns),
                    "warning",
                    tr("Patterns nobody should miss: {what}. Open the contact to see the contacts behind each.").format(
                        what=words
                    ),
                    accessible=tr("Patterns: {what}").format(what=words),
                )
        raise AssertionError(column)  # pragma: no cover - every column is handled above

    # --- paging ------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Start again from the first page (a new search, or too much changed to patch)."""
        self._generation += 1
        self._loading = False
        self._total = None
        self.set_rows([])
        self.fetchMore(ROOT)

    def set_search(self, term: str | None) -> None:
        """Narrow the queue to a reference or a child's family name (searched in the database)."""
        cleaned = (term or "").strip() or None
        if cleaned != self._search:
            self._search = cleaned
            self.reload()

    def canFetchMore(self, parent: Index) -> bool:
        if parent.isValid() or self._loading:
            return False
        return self._total is None or len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        self._loading = True
        generation, offset, search = self._generation, len(self._rows), self._search
        ctx, queue, limit = self._ctx, self.queue, self._page_size
        self._runner.run(
            lambda: queue_page(ctx, queue, offset=offset, limit=limit, search=search),
            lambda page: self._page_arrived(generation, page),
            lambda exc: self._failed(generation, exc),
            owner=self,
            label=self.tr("Loading the queue"),
        )

    def _page_arrived(self, generation: int, page: QueuePage) -> None:
        if generation != self._generation:
            return
        self._loading = False
        known = {row.contact_id for row in self._rows}
        new = [row for row in page.rows if row.contact_id not in known]
        if new:
            start = len(self._rows)
            self.beginInsertRows(ROOT, start, start + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
        # rows shift between pages while others work; an empty page means we have them all
        self._set_total(page.total if page.rows else len(self._rows))
        emit(self.page_loaded)

    def _failed(self, generation: int, exc: MashDeskError) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if self._total is None:
            self._total = len(self._rows)
        emit(self.load_failed, exc)

    def _set_total(self, total: int) -> None:
        if total != self._total:
            self._total = total
            emit(self.total_changed, total)

    # --- live changes ------------------------------------------------------------------------------

    def apply_changes(self, contact_ids: Collection[int], *, everything: bool = False) -> None:
        """Contacts changed somewhere: fetch just those rows again (or everything, if too many changed)."""
        if everything:
            self.reload()
            return
        if not contact_ids:
            return
        ids = frozenset(contact_ids)
        generation, search, ctx, queue = self._generation, self._search, self._ctx, self.queue
        self._runner.run(
            lambda: queue_rows(ctx, queue, ids, search=search),
            lambda refresh: self._refreshed(generation, ids, refresh),
            lambda exc: self._failed(generation, exc),
            owner=self,
        )

    def _order(self, row: QueueRow) -> tuple[int, datetime, int]:
        return urgency_key(row.urgency_facts(self.queue), self._clock(), row.contact_id)

    def _refreshed(self, generation: int, ids: frozenset[int], refresh: QueueRefresh) -> None:
        if generation != self._generation:
            return
        all_loaded = self._total is not None and len(self._rows) >= self._total
        fresh = {row.contact_id: row for row in refresh.rows}
        for position in reversed(range(len(self._rows))):
            contact_id = self._rows[position].contact_id
            if contact_id not in ids:
                continue
            replacement = fresh.pop(contact_id, None)
            if replacement is None:
                self.beginRemoveRows(ROOT, position, position)
                del self._rows[position]
                self.endRemoveRows()
            else:
                self._rows[position] = replacement
                emit(self.dataChanged, self.index(position, 0), self.index(position, len(self.columns) - 1))
        for row in sorted(fresh.values(), key=self._order):
            position = next(
                (i for i, existing in enumerate(self._rows) if self._order(row) < self._order(existing)),
                len(self._rows),
            )
            if position == len(self._rows) and not all_loaded:
                continue  # beyond what is loaded: it will come with a later page
            self.beginInsertRows(ROOT, position, position)
            self._rows.insert(position, row)
            self.endInsertRows()
        self._set_total(refresh.total)
        emit(self.page_loaded)
