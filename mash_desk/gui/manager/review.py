"""One decision under review: the proposed decisions and their rationale beside the evidence behind
them (the referral, agency returns, consent, the children's history), read with ``open_contact``."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.review_checks import ReviewCheck, unmet
from mash_desk.domain.words import counted
from mash_desk.gui import contact_sections as sections
from mash_desk.gui.checklist_prompt import check_words
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.signals import emit
from mash_desk.gui.widgets import leave_on_tab
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import (
    enum_words,
    is_due_soon,
    is_overdue,
    rag_words,
    referral_source_words,
    time_left_words,
    tr,
    when,
)
from mash_desk.services.contact_view import ContactDetail, open_contact
from mash_desk.services.manager import DecisionWaiting
from mash_desk.services.review import checklist

READ_DELAY_MS = 150  # arrowing down the list reads only the row the manager stops on


def _label(parent: QWidget, *, rich: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return label


def _table(parent: QWidget, name: str) -> QTableWidget:
    table = leave_on_tab(QTableWidget(parent))
    table.setAccessibleName(name)
    table.setAlternatingRowColors(True)
    return table


def _group(title: str, parent: QWidget, *widgets: QWidget) -> QGroupBox:
    group = QGroupBox(title, parent)
    layout = QVBoxLayout(group)
    for widget in widgets:
        layout.addWidget(widget)
    return group


def _scrolling(parent: QWidget, name: str) -> tuple[QScrollArea, QVBoxLayout]:
    area = QScrollArea(parent)
    area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    content = QWidget(area)
    layout = QVBoxLayout(content)
    layout.setContentsMargins(0, 0, 6, 0)
    area.setWidget(content)
    return area, layout


class ReviewPane(QWidget):
    """Reads the selected contact and shows it for review; the page around it owns the actions."""

    loaded = Signal(object)
    """Emitted with the ``ContactDetail`` each time a contact has been read for review."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = window.runner
        self._ctx = window.ctx
        self._clock = window.clock
        self._generation = 0
        self._wanted: DecisionWaiting | None = None
        self.row: DecisionWaiting | None = None
        self.detail: ContactDetail | None = None
        self.checks: tuple[ReviewCheck, ...] = ()
        """The checklist of the contact under review, met or not."""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 4, 0, 0)
        header = QHBoxLayout()
        self.reference_label = _label(self)
        set_flag(self.reference_label, "heading", True)
        self.reference_label.setWordWrap(False)
        self.decision_due_label = QLabel(self)
        self.rag_due_label = QLabel(self)
        header.addWidget(self.reference_label)
        header.addWidget(self.decision_due_label)
        header.addWidget(self.rag_due_label)
        header.addStretch(1)
        self.worker_label = QLabel(self)
        set_flag(self.worker_label, "muted", True)
        header.addWidget(self.worker_label)
        outer.addLayout(header)
        self.four_eyes_banner = _label(self)
        set_flag(self.four_eyes_banner, "banner", "warning")
        self.four_eyes_banner.hide()
        outer.addWidget(self.four_eyes_banner)
        self.problem_banner = _label(self)
        set_flag(self.problem_banner, "banner", "error")
        self.problem_banner.hide()
        outer.addWidget(self.problem_banner)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(self.splitter)
        self.left_layout = QVBoxLayout(left)
        self.left_layout.setContentsMargins(0, 0, 0, 0)
        rationale_area, rationale = _scrolling(left, "rationale_area")
        # is it safe to authorise? the checklist first, then the proposal with what it rests on
        self.checklist_label = _label(left)
        self.checklist_label.setObjectName("checklist_label")
        self.checklist_label.setAccessibleName(tr("Before you authorise"))
        self.checklist_group = _group(tr("Before you authorise"), left, self.checklist_label)
        rationale.addWidget(self.checklist_group)
        self.rag_reason_label = _label(left)
        self.rag_reason_label.setObjectName("rag_reason_label")
        self.decisions_label = _label(left, rich=True)
        self.decisions_label.setAccessibleName(tr("Proposed decisions and rationale"))
        self.reviews_table = _table(left, tr("Earlier reviews by managers"))
        rationale.addWidget(
            _group(tr("Proposed decisions and rationale"), left, self.rag_reason_label, self.decisions_label)
        )
        self.household_label = _label(left)
        self.adults_table = _table(left, tr("Adults in the household"))
        rationale.addWidget(_group(tr("Household and adults"), left, self.household_label, self.adults_table))
        self.reviews_group = _group(tr("Earlier reviews"), left, self.reviews_table)
        rationale.addWidget(self.reviews_group)
        rationale.addStretch(1)
        self.left_layout.addWidget(rationale_area, 1)
        self.comments_caption = QLabel(tr("&Your comments (optional to authorise, required to send back):"), left)
        self.comments_edit = QPlainTextEdit(left)
        self.comments_edit.setObjectName("comments_edit")
        self.comments_edit.setTabChangesFocus(True)
        self.comments_edit.setAccessibleName(tr("Your comments"))
        self.comments_edit.setFixedHeight(84)
        self.comments_caption.setBuddy(self.comments_edit)
        self.comments_error = QLabel(left)
        self.comments_error.setObjectName("fieldError")
        self.comments_error.setWordWrap(True)
        self.comments_error.hide()
        self.comments_edit.textChanged.connect(self.clear_comment_error)
        for widget in (self.comments_caption, self.comments_edit, self.comments_error):
            self.left_layout.addWidget(widget)
        self.buttons_row = QHBoxLayout()
        self.left_layout.addLayout(self.buttons_row)

        evidence_area, evidence = _scrolling(self.splitter, "evidence_area")
        self.referral_label = _label(self)
        self.agency_table = _table(self, tr("Agency returns"))
        self.consent_label = _label(self)
        self.consent_table = _table(self, tr("Consent history"))
        self.children_table = _table(self, tr("Children"))
        self.notes_label = _label(self, rich=True)
        self.history_table = _table(self, tr("History"))
        evidence.addWidget(_group(tr("The referral"), self, self.referral_label))
        evidence.addWidget(_group(tr("Agency returns"), self, self.agency_table))
        evidence.addWidget(_group(tr("Consent and information sharing"), self, self.consent_label, self.consent_table))
        evidence.addWidget(_group(tr("Children and what is known"), self, self.children_table))
        evidence.addWidget(_group(tr("Notes"), self, self.notes_label))
        evidence.addWidget(_group(tr("History"), self, self.history_table))
        evidence.addStretch(1)
        self.splitter.addWidget(left)
        self.splitter.addWidget(evidence_area)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([500, 500])
        outer.addWidget(self.splitter, 1)
        self._read_timer = QTimer(self)
        self._read_timer.setSingleShot(True)
        self._read_timer.setInterval(READ_DELAY_MS)
        self._read_timer.timeout.connect(self.read_now)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._show_deadlines)
        self._ticker.start()
        self.show_nothing()

    # --- reading -----------------------------------------------------------------------------------

    def review(self, row: DecisionWaiting | None) -> None:
        """Show ``row`` (None: nothing selected); the contact itself is read a moment later."""
        self._wanted = row
        if row is None:
            self._read_timer.stop()
            self.show_nothing()
            return
        if self.row is not None and self.row.contact_id == row.contact_id:
            self.row = row  # the same contact, newer queue facts: no need to read it again
            self._show_row(row)
            return
        self._read_timer.start()

    def read_now(self) -> None:
        self._read_timer.stop()
        row = self._wanted
        if row is None:
            return
        self._generation += 1
        generation, ctx, contact_id = self._generation, self._ctx, row.contact_id
        self._runner.run(
            lambda: open_contact(ctx, contact_id),
            lambda detail: self._arrived(generation, row, detail),
            lambda exc: self._failed(generation, exc),
            owner=self,
            label=tr("Reading the decision to review"),
        )

    def forget(self, contact_ids: tuple[int, ...] | None) -> None:
        """The contact under review changed (None: anything may have): read it again when next reviewed."""
        if self.row is not None and (contact_ids is None or self.row.contact_id in contact_ids):
            self.row = None

    def _failed(self, generation: int, exc: MashDeskError) -> None:
        if generation == self._generation:
            self.problem_banner.setText(tr("This contact could not be read: {problem}").format(problem=exc))
            self.problem_banner.show()

    def _arrived(self, generation: int, row: DecisionWaiting, detail: ContactDetail) -> None:
        if generation != self._generation:
            return
        self.row, self.detail = row, detail
        self.problem_banner.hide()
        self._show_row(row)
        self.splitter.show()  # before filling: the tables size their columns to the width they are shown at
        now = self._clock()
        self.checks = checklist(detail)
        self.checklist_label.setText(checklist_text(self.checks, detail))
        missing = len(unmet(self.checks))
        self.checklist_group.setTitle(
            tr("Before you authorise — ⚠ {points} not met").format(points=counted(missing, tr("point"), tr("points")))
            if missing
            else tr("Before you authorise — every point met")
        )
        self.rag_reason_label.setText(rag_reason_text(detail))
        sections.show_decisions(self.decisions_label, self.reviews_table, detail, now)
        sections.show_household(self.household_label, self.adults_table, detail)
        self.reviews_group.setVisible(bool(detail.authorisations))
        self.referral_label.setText(referral_text(detail))
        sections.show_agency_requests(self.agency_table, detail, now)
        sections.show_consent(self.consent_label, self.consent_table, detail, now)
        sections.show_children(self.children_table, detail)
        sections.show_notes(self.notes_label, detail, now)
        sections.show_chronology(self.history_table, detail, now)
        emit(self.loaded, detail)

    # --- showing -----------------------------------------------------------------------------------

    def show_nothing(self) -> None:
        self.row, self.detail = None, None
        self.reference_label.setText(tr("Select a decision to review it"))
        for label in (self.decision_due_label, self.rag_due_label, self.four_eyes_banner, self.problem_banner):
            label.hide()
        self.worker_label.clear()
        self.splitter.hide()

    def _show_row(self, row: DecisionWaiting) -> None:
        self.reference_label.setText(f"{row.reference} — {row.children}" if row.children else row.reference)
        self.worker_label.setText(tr("Worker: {worker}").format(worker=row.assigned_to or tr("unassigned")))
        if row.proposed_by_me:
            self.four_eyes_banner.setText(
                tr(
                    "You proposed a decision on {reference}, so you cannot authorise it or send it back: "
                    "another manager must review it (four eyes)."
                ).format(reference=row.reference)
            )
        self.four_eyes_banner.setVisible(row.proposed_by_me)
        self._show_deadlines()

    def _show_deadlines(self) -> None:
        row = self.row
        if row is None:
            return
        now = self._clock()
        for label, due, what in (
            (self.decision_due_label, row.decision_due_at, tr("Decision")),
            (self.rag_due_label, row.rag_due_at, tr("RAG")),
        ):
            state = "overdue" if is_overdue(due, now) else "soon" if is_due_soon(due, now) else "ok"
            text = f"{what}: {time_left_words(due, now)}"
            label.setText(("⚠ " if state == "overdue" else "") + text)
            label.setToolTip(tr("{what} due {when}").format(what=what, when=when(due)))
            label.setAccessibleName(text)
            if label.property("due") != state:
                set_flag(label, "due", state)
            label.show()

    def show_comment_error(self, message: str) -> None:
        self.comments_error.setText(message)
        self.comments_error.show()
        set_flag(self.comments_edit, "invalid", True)
        self.comments_edit.setFocus()

    def clear_comment_error(self) -> None:
        if self.comments_error.isVisible():
            self.comments_error.hide()
            set_flag(self.comments_edit, "invalid", False)


def referral_text(detail: ContactDetail) -> str:
    """The referral in a few lines: where it came from, what worries people, and what was said."""
    concerns = ", ".join(enum_words(c) for c in detail.concerns) or tr("none recorded")
    lines = [
        tr("Received {at} from {source}.").format(
            at=when(detail.received_at), source=referral_source_words(detail.referral_source)
        ),
        tr("Concerns: {concerns}.").format(concerns=concerns),
    ]
    if detail.immediate_danger:
        lines.append(tr("⚠ IMMEDIATE DANGER reported by the referrer."))
    if detail.re_referral:
        lines.append(tr("Re-referral: a child was named in a contact in the last 12 months."))
    lines.append(detail.narrative)
    return "\n".join(lines)


def checklist_text(checks: tuple[ReviewCheck, ...], detail: ContactDetail) -> str:
    lines = [check_words(check, detail) for check in checks]
    if unmet(checks):
        lines.append(tr("Authorising anyway asks you why; the reason is kept with the authorisation."))
    return "\n".join(lines)


def rag_reason_text(detail: ContactDetail) -> str:
    """The rating and the reason given for it, beside the proposal it should agree with."""
    latest = detail.rag_history[-1] if detail.rag_history else None
    if latest is None:
        return tr("Not rated.")
    return tr("Rated {rag} by {who}: {reason}").format(
        rag=rag_words(latest.rag), who=latest.rated_by, reason=latest.reason or tr("no reason given")
    )
