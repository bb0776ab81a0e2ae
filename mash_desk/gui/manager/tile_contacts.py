"""The cases behind a dashboard tile, listed under the tiles when one is opened (Enter, Space or a
click): what the tile counted — contacts, children, agency checks, hand-offs or child referrals — one
row each, and Enter on a row opens its contact. For a percentage the caption says the list is what the
percentage is worked out over, and a column says which rows it is a percentage of."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from mash_desk.domain.words import counted
from mash_desk.gui.inbox_models import LoadedListModel
from mash_desk.gui.queue_panels import TablePanel
from mash_desk.gui.table_models import Cell
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import short_when, status_words, tr, when
from mash_desk.services.dashboard_tiles import TileContact, TileContacts, TileUnit


class TileColumn(IntEnum):
    REFERENCE = 0
    CHILDREN = 1
    ABOUT = 2
    RECEIVED = 3
    STATUS = 4
    DECIDED = 5
    COUNTS = 6


@dataclass(frozen=True)
class PartWords:
    """How a tile's list names the part its tile counts besides the whole (``TileContact.meets``)."""

    header: str
    meets: str
    not_meets: str
    caption: str
    """What the part is, in the caption: "3 of them decided in time"."""
    meeting_is_bad: bool
    """Which answer is the one to look at, shown in bold (late, a re-referral, overdue)."""
    percentage: bool = True


PART_WORDS: dict[str, PartWords] = {
    "decided_within_one_working_day": PartWords(
        "Within one working day", "Yes — in time", "No — late", "decided in time", meeting_is_bad=False
    ),
    "completed_within_rag": PartWords(
        "Within the RAG timescale", "Yes — in time", "No — late", "completed in time", meeting_is_bad=False
    ),
    "agency_returns_on_time": PartWords(
        "Returned on time", "Yes — on time", "No — late", "returned on time", meeting_is_bad=False
    ),
    "re_referrals": PartWords(
        "Re-referral",
        "Yes — referred in the 12 months before",
        "No",
        "re-referred within 12 months",
        meeting_is_bad=True,
    ),
    "nfa": PartWords(
        "No further action",
        "Yes — no further action",
        "No — another outcome",
        "decided no further action",
        meeting_is_bad=True,
    ),
    "decisions_returned": PartWords(
        "Returned at review", "Yes — returned", "No — authorised first time", "returned at review", meeting_is_bad=True
    ),
    "hand_offs_awaiting": PartWords(
        "Overdue", "OVERDUE", "Not yet due", "overdue now", meeting_is_bad=True, percentage=False
    ),
}

# what a tile counts, one and many
UNIT_NOUNS: dict[TileUnit, tuple[str, str]] = {
    TileUnit.CONTACT: ("contact", "contacts"),
    TileUnit.CHILD: ("child", "children"),
    TileUnit.CHECK: ("agency check", "agency checks"),
    TileUnit.HAND_OFF: ("hand-off", "hand-offs"),
    TileUnit.REFERRAL: ("child referral (one per child per day)", "child referrals (one per child per day)"),
}

ABOUT_HEADERS: dict[TileUnit, str] = {TileUnit.CHECK: "Agency asked", TileUnit.HAND_OFF: "Waiting on team"}


class TileContactsModel(LoadedListModel[TileContact]):
    """The rows of one tile; what each counts for is said in words."""

    columns = TileColumn

    def __init__(
        self, window: WindowContext, load: Callable[[], list[TileContact]], parent: QObject | None = None
    ) -> None:
        super().__init__(window, load, parent)
        self.tile_key = ""
        self.unit = TileUnit.CONTACT

    def show_listed(self, listed: TileContacts) -> None:
        """The rows of the tile opened, with the headers its kind of row reads under."""
        self.tile_key, self.unit = listed.key, listed.unit
        self.set_rows(list(listed.rows))  # a reset: the views read the headers again too

    def part_words(self) -> PartWords | None:
        return PART_WORDS.get(self.tile_key)

    def header(self, column: int) -> str:
        part = self.part_words()
        one_child = self.unit in (TileUnit.CHILD, TileUnit.REFERRAL)
        return {
            TileColumn.REFERENCE: self.tr("Reference"),
            TileColumn.CHILDREN: self.tr("Child") if one_child else self.tr("Children"),
            TileColumn.ABOUT: tr(ABOUT_HEADERS.get(self.unit, "")),
            TileColumn.RECEIVED: self.tr("Received"),
            TileColumn.STATUS: self.tr("Status"),
            TileColumn.DECIDED: self.tr("Decided"),
            TileColumn.COUNTS: tr(part.header) if part is not None else "",
        }[TileColumn(column)]

    def key(self, row: TileContact) -> int:
        return row.row_id

    def cell(self, row: TileContact, column: int, now: datetime) -> Cell:
        match TileColumn(column):
            case TileColumn.REFERENCE:
                return Cell(row.reference, row.contact_id)
            case TileColumn.CHILDREN:
                return Cell(row.children or tr("(no child named)"))
            case TileColumn.ABOUT:
                return Cell(row.about)
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
                part = self.part_words()
                if row.meets is None or part is None:
                    return Cell("")
                words = tr(part.meets) if row.meets else tr(part.not_meets)
                return Cell(words, int(row.meets), bold=row.meets == part.meeting_is_bad)
        raise AssertionError(column)  # pragma: no cover - every column is handled above


class TileContactsPanel(TablePanel):
    """The list under the tiles; says which tile it shows, how many, and what they are."""

    model: TileContactsModel
    closed = Signal()
    """Emitted when the person closes the list (Escape)."""

    def __init__(self, model: TileContactsModel, parent: QWidget | None = None) -> None:
        super().__init__(model, empty_text=tr("This tile counts nothing in the period."), parent=parent)
        self.title = ""
        self.total = 0
        self.meeting: int | None = None
        model.loaded.connect(self._rows_changed)

    def show_listed(self, title: str, listed: TileContacts) -> None:
        """Show what a tile counted: its rows, and only the columns that say something about them."""
        self.title, self.total, self.meeting = title, listed.total, listed.meeting
        self.model.show_listed(listed)
        self.view.setColumnHidden(TileColumn.ABOUT, listed.unit not in ABOUT_HEADERS)
        self.view.setColumnHidden(TileColumn.COUNTS, listed.meeting is None)

    def count_text(self) -> str:
        shown = self.model.rowCount()
        singular, plural = UNIT_NOUNS[self.model.unit]
        total = counted(self.total, tr(singular), tr(plural))
        cut_short = shown < self.total  # beyond MAX_LISTED only the newest are listed
        how_many = tr("the {shown:,} newest of {total}").format(shown=shown, total=total) if cut_short else total
        order = tr("Enter opens it.") if shown == 1 else tr("Newest first; Enter opens one.")
        part = self.model.part_words()
        if part is None or self.meeting is None:
            return tr("{title}: {how_many}. {order}").format(title=self.title, how_many=how_many, order=order)
        of_which = (tr("{meeting:,} of 1 {part}") if self.total == 1 else tr("{meeting:,} of them {part}")).format(
            meeting=self.meeting, part=tr(part.caption)
        )
        if not part.percentage:
            return tr("{title}: {how_many}, {of_which}. {order}").format(
                title=self.title, how_many=how_many, of_which=of_which, order=order
            )
        if cut_short:  # the percentage is of every one the tile counts, not only of those listed
            return tr(
                "{title}: the percentage is worked out over all {total}, {of_which}; the {shown:,} newest are "
                "listed. Enter opens one."
            ).format(title=self.title, total=total, of_which=of_which, shown=shown)
        these = tr("this {total}") if self.total == 1 else tr("these {total}")
        return tr("{title}: the percentage is worked out over {these}, {of_which}. {order}").format(
            title=self.title, these=these.format(total=total), of_which=of_which, order=order
        )
