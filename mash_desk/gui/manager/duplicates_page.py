"""Duplicate records, for managers: pairs of records that may be one child (or one adult), compared side
by side and merged with a reason; and the merges made, each of which a manager can undo with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from mash_desk.domain.duplicates import DUPLICATE_REASON_WORDS, DuplicateReason
from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.domain.words import counted
from mash_desk.gui.dialogs.text import TextAnswer, TextDialog
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.inbox_models import LoadedListModel
from mash_desk.gui.manager.list_panel import ListPanel
from mash_desk.gui.manager.merge_dialog import MergeAnswer, MergeDialog
from mash_desk.gui.messages import ErrorDialog
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import Cell
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import compact, day, enum_words, tr, when
from mash_desk.services.duplicates import DuplicatePair, likely_duplicates
from mash_desk.services.merging import (
    MergeRow,
    PersonSide,
    compare_people,
    merge_people,
    merges,
    undo_merge,
)


def reason_words(reason: DuplicateReason) -> str:
    return tr(DUPLICATE_REASON_WORDS[reason])


class PairColumn(IntEnum):
    FIRST = 0
    SECOND = 1
    KIND = 2
    BORN = 3
    WHY = 4


class DuplicatePairsModel(LoadedListModel[DuplicatePair]):
    """Likely duplicates, the same NHS number first, then the closest names."""

    columns = PairColumn

    def header(self, column: int) -> str:
        return {
            PairColumn.FIRST: self.tr("First record"),
            PairColumn.SECOND: self.tr("Second record"),
            PairColumn.KIND: self.tr("Child or adult"),
            PairColumn.BORN: self.tr("Born"),
            PairColumn.WHY: self.tr("Why they may be one person"),
        }[PairColumn(column)]

    def key(self, row: DuplicatePair) -> int:
        return (row.first.person_id << 32) | row.second.person_id

    def cell(self, row: DuplicatePair, column: int, now: datetime) -> Cell:
        del now
        match PairColumn(column):
            case PairColumn.FIRST:
                return Cell(f"{row.first.name} ({row.first.person_id})", row.first.family_name.casefold(), bold=True)
            case PairColumn.SECOND:
                return Cell(f"{row.second.name} ({row.second.person_id})", row.second.family_name.casefold())
            case PairColumn.KIND:
                return Cell(enum_words(row.kind))
            case PairColumn.BORN:
                born = row.first.date_of_birth
                if born is not None and row.second.date_of_birth not in (None, born):
                    text = f"{day(born)} / {day(row.second.date_of_birth)}"
                else:
                    text = day(born or row.second.date_of_birth) if (born or row.second.date_of_birth) else ""
                return Cell(text, born.isoformat() if born else "")
            case PairColumn.WHY:
                return Cell(reason_words(row.reason), 0 if row.reason is DuplicateReason.SAME_NHS_NUMBER else 1)
        raise AssertionError(column)  # pragma: no cover - every column is handled above


class MergeColumn(IntEnum):
    WHEN = 0
    KEPT = 1
    MERGED = 2
    BY = 3
    WHY = 4
    UNDONE = 5


class MergesModel(LoadedListModel[MergeRow]):
    """The merges managers have made, newest first, undone ones marked in words."""

    columns = MergeColumn

    def header(self, column: int) -> str:
        return {
            MergeColumn.WHEN: self.tr("Merged"),
            MergeColumn.KEPT: self.tr("Record kept"),
            MergeColumn.MERGED: self.tr("Record merged into it"),
            MergeColumn.BY: self.tr("By"),
            MergeColumn.WHY: self.tr("Why"),
            MergeColumn.UNDONE: self.tr("Undone"),
        }[MergeColumn(column)]

    def key(self, row: MergeRow) -> int:
        return row.id

    def cell(self, row: MergeRow, column: int, now: datetime) -> Cell:
        match MergeColumn(column):
            case MergeColumn.WHEN:
                return Cell(compact(row.merged_at, now), row.merged_at.timestamp(), tooltip=when(row.merged_at))
            case MergeColumn.KEPT:
                return Cell(f"{row.kept_name} ({row.kept_id})", bold=row.undone_at is None)
            case MergeColumn.MERGED:
                return Cell(f"{row.merged_name} ({row.merged_id})")
            case MergeColumn.BY:
                return Cell(row.merged_by)
            case MergeColumn.WHY:
                return Cell(row.reason.replace("\n", " "), tooltip=row.reason)
            case MergeColumn.UNDONE:
                if row.undone_at is None:
                    return Cell(self.tr("no: in force"), 0)
                return Cell(
                    self.tr("undone by {who}, {at}").format(who=row.undone_by or "", at=compact(row.undone_at, now)),
                    row.undone_at.timestamp(),
                    tooltip=row.undo_reason,
                )
        raise AssertionError(column)  # pragma: no cover - every column is handled above


class DuplicatesPage(QWidget):
    """Likely duplicates above (Enter or Ctrl+M to compare and merge), the merges made below (Ctrl+U undoes)."""

    message = Signal(str)
    """Emitted with a line for the status bar after a merge or an undo."""
    merged = Signal(int)
    """Emitted with the id of the record kept after a merge, or of the record restored by an undo."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicates_page")
        ctx = window.ctx
        self._runner = window.runner
        self._ctx = ctx
        self.pairs_model = DuplicatePairsModel(window, lambda: likely_duplicates(ctx), self)
        self.merges_model = MergesModel(window, lambda: merges(ctx), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        set_flag(self.summary_label, "banner", "info")
        layout.addWidget(self.summary_label)
        self.pairs_panel = ListPanel(
            self.pairs_model,
            empty_text=tr("No likely duplicates: no two records share an NHS number, or a birthday and a name."),
            count=lambda n: tr("{pairs} that may be one person.").format(pairs=counted(n, tr("pair"), tr("pairs"))),
            activate=self.compare_selected,
            parent=self,
        )
        self.merges_panel = ListPanel(
            self.merges_model,
            empty_text=tr("No records have been merged."),
            count=lambda n: tr("{merges}, the newest first.").format(merges=counted(n, tr("merge"), tr("merges"))),
            activate=self.undo_selected,
            parent=self,
        )
        self.compare_button = self.pairs_panel.add_button(tr("Compare and merge…"), "Ctrl+M", self.compare_selected)
        self.undo_button = self.merges_panel.add_button(tr("Undo merge…"), "Ctrl+U", self.undo_selected)
        for caption, panel, name, filter_caption, stretch in (
            (
                tr("&Likely duplicates: two records that may be one person"),
                self.pairs_panel,
                tr("Likely duplicates"),
                tr("&Filter pairs:"),
                2,
            ),
            (tr("Merges m&ade"), self.merges_panel, tr("Merges made"), tr("Filter m&erges:"), 1),
        ):
            label = QLabel(caption, self)
            label.setProperty("subheading", True)
            panel.headed_by(label)
            panel.view.setAccessibleName(name)
            panel.filter_caption.setText(filter_caption)
            layout.addWidget(label)
            layout.addWidget(panel, stretch)
        # the service's order: the same NHS number first, then the closest names (a stable sort keeps it)
        self.pairs_panel.view.sortByColumn(PairColumn.WHY, Qt.SortOrder.AscendingOrder)
        self.merges_panel.view.sortByColumn(MergeColumn.WHEN, Qt.SortOrder.DescendingOrder)
        for model in (self.pairs_model, self.merges_model):
            model.loaded.connect(self._loaded)
            model.load_failed.connect(self._failed)
        self.pairs_panel.lead_focus_of(self)

    def reload(self) -> None:
        self.pairs_model.reload()
        self.merges_model.reload()

    def _loaded(self) -> None:
        self.summary_label.setText(
            tr(
                "{pairs} may be one person: the same NHS number, or the same date of birth and a "
                "name spelt alike. Compare each pair before merging (Enter); a merge can be undone (Ctrl+U)."
            ).format(pairs=counted(self.pairs_model.rowCount(), tr("pair of records"), tr("pairs of records")))
        )
        if self.summary_label.property("banner") != "info":
            set_flag(self.summary_label, "banner", "info")

    def _failed(self, exc: MashDeskError) -> None:
        self.summary_label.setText(tr("The duplicate records could not be read: {problem}").format(problem=exc))
        set_flag(self.summary_label, "banner", "error")

    # --- merging -----------------------------------------------------------------------------------

    def compare_selected(self) -> None:
        pair = self.pairs_panel.current_row()
        if not isinstance(pair, DuplicatePair):
            return
        ctx, first, second = self._ctx, pair.first.person_id, pair.second.person_id
        self._runner.run(
            lambda: compare_people(ctx, first, second),
            lambda sides: self._ask_merge(sides[0], sides[1], None, {}),
            lambda exc: self._tell(tr("Compare two records"), exc),
            owner=self,
            label=tr("Reading both records"),
        )

    def _ask_merge(
        self, first: PersonSide, second: PersonSide, previous: MergeAnswer | None, errors: Mapping[str, str]
    ) -> None:
        answer = MergeDialog.ask(self, first, second, answer=previous, errors=errors)
        if answer is None:
            return
        versions = {first.person_id: first.version, second.person_id: second.version}
        ctx = self._ctx

        def save() -> int:
            return merge_people(
                ctx,
                answer.kept_id,
                answer.merged_id,
                answer.reason,
                kept_version=versions[answer.kept_id],
                merged_version=versions[answer.merged_id],
            )

        names = {first.person_id: first.name, second.person_id: second.name}
        self._runner.run(
            save,
            lambda _merge_id: self._done(
                tr("{merged} was merged into {kept}.").format(
                    merged=names[answer.merged_id], kept=names[answer.kept_id]
                ),
                answer.kept_id,
            ),
            lambda exc: self._merge_failed(first, second, answer, exc),
            owner=self,
            label=tr("Merging"),
        )

    def _merge_failed(self, first: PersonSide, second: PersonSide, answer: MergeAnswer, exc: MashDeskError) -> None:
        if isinstance(exc, InvalidInput):
            self._ask_merge(first, second, answer, exc.field_errors)
            return
        self._tell(tr("Merge two records"), exc)
        self.reload()

    # --- undoing ------------------------------------------------------------------------------------

    def undo_selected(self) -> None:
        row = self.merges_panel.current_row()
        if not isinstance(row, MergeRow):
            return
        if row.undone_at is not None:
            self._tell(tr("Undo merge"), InvalidInput.single("merge", tr("This merge was already undone.")))
            return
        self._ask_undo(row, None, None)

    def _ask_undo(self, row: MergeRow, previous: TextAnswer | None, errors: Mapping[str, str] | None) -> None:
        answer = TextDialog.ask(
            self,
            title=tr("Undo merge"),
            intro=tr(
                "Undo the merge of {merged} into {kept}: the {moved} it moved {go} back to {merged}'s record, "
                "and the two are separate records again. Contacts logged since stay with {kept}."
            ).format(
                merged=row.merged_name,
                kept=row.kept_name,
                moved=counted(row.moved, tr("row"), tr("rows")),
                go=tr("goes") if row.moved == 1 else tr("go"),
            ),
            caption=tr("&Why undo it? (required)"),
            ok_text=tr("&Undo merge"),
            field="reason",
            required=True,
            answer=previous,
            errors=errors,
        )
        if answer is None:
            return
        ctx, merge_id, reason = self._ctx, row.id, answer.text
        self._runner.run(
            lambda: undo_merge(ctx, merge_id, reason),
            lambda _none: self._done(
                tr("The merge of {merged} into {kept} was undone.").format(merged=row.merged_name, kept=row.kept_name),
                row.merged_id,
            ),
            lambda exc: self._undo_failed(row, answer, exc),
            owner=self,
            label=tr("Undoing the merge"),
        )

    def _undo_failed(self, row: MergeRow, answer: TextAnswer, exc: MashDeskError) -> None:
        if isinstance(exc, InvalidInput) and "reason" in exc.field_errors:
            self._ask_undo(row, answer, exc.field_errors)
            return
        self._tell(tr("Undo merge"), exc)
        self.reload()

    # --- both ---------------------------------------------------------------------------------------

    def _done(self, text: str, person_id: int) -> None:
        emit(self.message, text)
        emit(self.merged, person_id)
        self.reload()

    def _tell(self, title: str, exc: MashDeskError) -> None:
        text = "\n".join(exc.field_errors.values()) if isinstance(exc, InvalidInput) else str(exc)
        ErrorDialog.ask(self, title, text)
