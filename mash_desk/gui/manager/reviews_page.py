"""Graded Care Profile 2 reviews past their date: the neglect nobody is watching. A GCP2 is reviewed
by the next GCP2 for the same child; until then, once its review date passes it is listed here, the
longest overdue first, each with the contact it was recorded on (Enter opens it)."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.periods import london_date
from mash_desk.domain.words import counted
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.inbox_models import LoadedListModel
from mash_desk.gui.queue_panels import TablePanel
from mash_desk.gui.table_models import Cell
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr, when
from mash_desk.services.risk_tools import GcpReviewDue, overdue_gcp_reviews


class ReviewColumn(IntEnum):
    CHILD = 0
    REVIEW_DUE = 1
    CONCERN = 2
    ASSESSED = 3
    ASSESSOR = 4
    REFERENCE = 5


class OverdueReviewModel(LoadedListModel[GcpReviewDue]):
    """GCP2s whose review date has passed with no later GCP2 for the child."""

    columns = ReviewColumn

    def header(self, column: int) -> str:
        return {
            ReviewColumn.CHILD: self.tr("Child"),
            ReviewColumn.REVIEW_DUE: self.tr("Review was due"),
            ReviewColumn.CONCERN: self.tr("Worst area (1–5)"),
            ReviewColumn.ASSESSED: self.tr("Assessed"),
            ReviewColumn.ASSESSOR: self.tr("Assessor"),
            ReviewColumn.REFERENCE: self.tr("Contact"),
        }[ReviewColumn(column)]

    def key(self, row: GcpReviewDue) -> int:
        return row.gcp_id

    def cell(self, row: GcpReviewDue, column: int, now: datetime) -> Cell:
        match ReviewColumn(column):
            case ReviewColumn.CHILD:
                return Cell(row.child_name)
            case ReviewColumn.REVIEW_DUE:
                text = tr("OVERDUE by {days} — due {day}").format(
                    days=counted(row.days_overdue, tr("day"), tr("days")), day=f"{row.review_on:%d/%m/%Y}"
                )
                return Cell(text, -row.days_overdue, "overdue", None, ("overdue_bg", "overdue_text"), bold=True)
            case ReviewColumn.CONCERN:
                return Cell(str(row.concern), row.concern)
            case ReviewColumn.ASSESSED:
                day = f"{london_date(row.assessed_at):%d/%m/%Y}"
                return Cell(day, row.assessed_at.timestamp(), tooltip=when(row.assessed_at))
            case ReviewColumn.ASSESSOR:
                return Cell(row.assessor)
            case ReviewColumn.REFERENCE:
                return Cell(row.contact_reference or tr("(from the child's record)"))
        raise AssertionError(column)  # pragma: no cover - every column is handled above


class ReviewsPanel(TablePanel):
    model: OverdueReviewModel

    def __init__(self, model: OverdueReviewModel, parent: QWidget | None = None) -> None:
        super().__init__(model, empty_text=tr("No Graded Care Profile 2 review is overdue."), parent=parent)
        model.loaded.connect(self._rows_changed)

    def count_text(self) -> str:
        return tr("{reviews} overdue.").format(
            reviews=counted(self.model.rowCount(), tr("GCP2 review"), tr("GCP2 reviews"))
        )


class ReviewsPage(QWidget):
    """The overdue GCP2 reviews, the longest overdue first; Enter opens the contact it was recorded on."""

    open_requested = Signal(int)
    """Emitted with a contact id to open in its own tab."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ctx = window.ctx
        self.model = OverdueReviewModel(window, lambda: overdue_gcp_reviews(ctx), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        set_flag(self.summary_label, "banner", "info")
        layout.addWidget(self.summary_label)
        self.panel = ReviewsPanel(self.model, self)
        self.panel.view.setAccessibleName(tr("Overdue Graded Care Profile 2 reviews"))
        self.panel.view.sortByColumn(ReviewColumn.REVIEW_DUE, Qt.SortOrder.AscendingOrder)  # longest overdue first
        layout.addWidget(self.panel, 1)
        self.panel.lead_focus_of(self)
        self.panel.open_requested.connect(self.open_requested)
        self.model.loaded.connect(self._loaded)
        self.model.load_failed.connect(self._failed)

    def reload(self) -> None:
        self.model.reload()

    def _loaded(self) -> None:
        total = self.model.rowCount()
        if total:
            text = tr(
                "⚠ {reviews} OVERDUE: the next GCP2 for each child is its review. "
                "Ask the assessor to book it, or record why not in an oversight note."
            ).format(reviews=counted(total, tr("Graded Care Profile 2 review"), tr("Graded Care Profile 2 reviews")))
        else:
            text = tr("Every Graded Care Profile 2 has been reviewed by its date.")
        self.summary_label.setText(text)
        state = "error" if total else "info"
        if self.summary_label.property("banner") != state:
            set_flag(self.summary_label, "banner", state)

    def _failed(self, exc: MashDeskError) -> None:
        self.summary_label.setText(str(exc))
        set_flag(self.summary_label, "banner", "error")
