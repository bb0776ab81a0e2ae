"""Outcome letters: the day's letters (or one contact's), each previewed in the app exactly as it would
print; issue and print one, suppress a family letter with a reason, or print the whole day in a batch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.enums import LetterRecipient, Role
from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.moments import MomentError
from mash_desk.domain.periods import london_date
from mash_desk.domain.words import counted
from mash_desk.gui.date_box import DateBox
from mash_desk.gui.dialogs.text import TextDialog
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.manager.batch_print import BatchOutcome, BatchPrintDialog
from mash_desk.gui.manager.pdf_print import PdfPrinter, load_pdf
from mash_desk.gui.manager.pickers import PrinterChoice
from mash_desk.gui.messages import ConfirmDialog, ErrorDialog, Notice, shortcut_text
from mash_desk.gui.queue_panels import TablePanel
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import Cell, RowsModel
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import enum_words, tr
from mash_desk.services import letters
from mash_desk.services.letters import FamilyAddressee, HeldLetter, IssuedLetter, LetterJob

PREVIEW_DELAY_MS = 200
SUPPRESSORS = frozenset({Role.PRACTITIONER, Role.MANAGER})


@dataclass(frozen=True)
class LetterLine:
    """A letter on the list: due (``held`` None) or held for a social worker's decision."""

    job: LetterJob
    held: str | None = None
    held_for: str | None = None

    @property
    def contact_id(self) -> int:
        return self.job.contact_id


@dataclass(frozen=True)
class Worklist:
    jobs: list[LetterJob]
    held: list[HeldLetter]


class LetterColumn(IntEnum):
    REFERENCE = 0
    RECIPIENT = 1
    NAME = 2
    METHOD = 3
    STATE = 4
    ADDRESS = 5  # last: long, and the state must stay in view


class LetterListModel(RowsModel[LetterLine]):
    columns = LetterColumn

    def header(self, column: int) -> str:
        return {
            LetterColumn.REFERENCE: self.tr("Reference"),
            LetterColumn.RECIPIENT: self.tr("Letter to"),
            LetterColumn.NAME: self.tr("Addressed to"),
            LetterColumn.ADDRESS: self.tr("Address"),
            LetterColumn.METHOD: self.tr("Method"),
            LetterColumn.STATE: self.tr("State"),
        }[LetterColumn(column)]

    def key(self, row: LetterLine) -> int:
        return row.job.contact_id * 2 + (row.job.recipient is LetterRecipient.FAMILY)

    def cell(self, row: LetterLine, column: int, now: datetime) -> Cell:
        job = row.job
        match LetterColumn(column):
            case LetterColumn.REFERENCE:
                return Cell(job.reference)
            case LetterColumn.RECIPIENT:
                return Cell(enum_words(job.recipient))
            case LetterColumn.NAME:
                if job.recipient is LetterRecipient.FAMILY and job.addressee_id is None:
                    return Cell(tr("(no one can safely receive it)"), 1, "warning", bold=True)
                return Cell(job.recipient_name or tr("(name not recorded)"))
            case LetterColumn.ADDRESS:
                return Cell(", ".join(job.address))
            case LetterColumn.METHOD:
                return Cell(enum_words(job.method))
            case LetterColumn.STATE:
                if row.held is not None:
                    # who it waits for and why, on the row itself: a tooltip is found by nobody
                    held_for = (
                        tr("HELD for {worker}").format(worker=row.held_for)
                        if row.held_for
                        else tr("HELD for the case's social worker")
                    )
                    return Cell(
                        f"{held_for}: {row.held}",
                        1,
                        "warning",
                        tr("A social worker must send or suppress this letter: {why}").format(why=row.held),
                        ("warning_bg", "warning_text"),
                        bold=True,
                    )
                return Cell(tr("Due"), 0)
        raise AssertionError(column)  # pragma: no cover - every column is handled above


class LettersPage(QWidget):
    preview_shown = Signal(object)
    """Emitted with the ``QPdfDocument`` each time a letter preview has been loaded."""
    listed = Signal()
    """Emitted after the list of letters has been read."""
    message = Signal(str)
    """Emitted with a sentence for the status bar."""

    def __init__(
        self,
        window: WindowContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._runner = window.runner
        self._ctx = window.ctx
        self._actor = actor = window.actor
        self._clock = window.clock
        self._generation = 0
        self._worklist = Worklist([], [])
        self.document: QPdfDocument | None = None
        self._blank = QPdfDocument(self)  # what the view shows between letters (it warns about None)
        self.batch: BatchPrintDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._controls())
        self.actions_row = QHBoxLayout()
        layout.addLayout(self.actions_row)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        set_flag(self.banner, "banner", "info")
        layout.addWidget(self.banner)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = LetterListModel(window.theme, window.clock, self)
        self.panel = TablePanel(self.model, empty_text=tr("No letters are due for this day."), parent=splitter)
        self.panel.view.setAccessibleName(tr("Letters due"))
        self.panel.open_button.hide()
        preview_side = QWidget(splitter)
        preview_layout = QVBoxLayout(preview_side)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        self.preview_caption = QLabel(tr("Select a letter to preview it."), preview_side)
        set_flag(self.preview_caption, "subheading", True)
        self.preview = QPdfView(preview_side)
        self.preview.setAccessibleName(tr("Letter preview"))
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview.setDocument(self._blank)
        preview_layout.addWidget(self.preview_caption)
        preview_layout.addWidget(self.preview, 1)
        splitter.addWidget(self.panel)
        splitter.addWidget(preview_side)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)
        self.issue_button = self._act(tr("Issue and print…"), "Ctrl+P", self.issue_and_print, primary=True)
        self.suppress_button = self._act(tr("Suppress family letter…"), "Ctrl+Shift+D", self.suppress)
        self.actions_row.addStretch(1)
        self.batch_button = self._act(tr("Print all the day's letters…"), "Ctrl+Shift+P", self.print_batch)
        if actor.role not in SUPPRESSORS:
            self.suppress_button.hide()
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.preview_now)
        self.panel.view.selectionModel().currentRowChanged.connect(lambda _a, _b: self._preview_timer.start())
        self.panel.view.activated.connect(lambda _index: self.preview_now())
        self.day_edit.set_day(london_date(self._clock()))

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        caption = QLabel(tr("Letters for contacts decided &on:"), self)
        self.day_edit = DateBox(self)
        self.day_edit.today = lambda: london_date(self._clock())
        self.day_edit.setAccessibleName(tr("Day decided"))
        self.day_edit.returnPressed.connect(self.list_day)  # type the day, Enter: its letters
        caption.setBuddy(self.day_edit)
        self.day_button = QPushButton(tr("&List the day's letters"), self)
        self.day_button.clicked.connect(self.list_day)
        reference_caption = QLabel(tr("or one contact's: &reference"), self)
        self.reference_edit = QLineEdit(self)
        self.reference_edit.setPlaceholderText("MASH-0000042")
        self.reference_edit.setMinimumWidth(self.reference_edit.fontMetrics().horizontalAdvance("MASH-00000000") + 16)
        self.reference_edit.setAccessibleName(tr("Contact reference"))
        self.reference_edit.returnPressed.connect(self.list_contact)
        reference_caption.setBuddy(self.reference_edit)
        for widget in (caption, self.day_edit, self.day_button, reference_caption, self.reference_edit):
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def _act(self, text: str, key: str, slot: Callable[[], object], *, primary: bool = False) -> QPushButton:
        button = QPushButton(f"{text} ({shortcut_text(key)})", self)
        button.setToolTip(f"{text.rstrip('…')} — {shortcut_text(key)}")
        button.clicked.connect(slot)
        if primary:
            set_flag(button, "primary", True)
        self.actions_row.addWidget(button)
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return button

    # --- the list ----------------------------------------------------------------------------------

    def list_day(self) -> None:
        try:
            day = self.day_edit.day()
        except MomentError as exc:  # the day box says what is wrong; the list stays as it was
            self.banner.setText(str(exc))
            set_flag(self.banner, "banner", "error")
            set_flag(self.day_edit, "invalid", True)
            self.day_edit.setFocus()
            return
        if self.day_edit.property("invalid"):
            set_flag(self.day_edit, "invalid", False)
        ctx = self._ctx
        self._read(
            lambda: Worklist(letters.letters_due(ctx, day), letters.letters_held(ctx, day)),
            tr("for contacts decided on {day:%d %b %Y}").format(day=day),
        )

    def list_contact(self) -> None:
        ctx, reference = self._ctx, self.reference_edit.text().strip()
        if not reference:
            return
        self._read(
            lambda: Worklist(
                letters.letters_due_for_contact(ctx, reference), letters.letters_held_for_contact(ctx, reference)
            ),
            tr("on {reference}").format(reference=reference.upper()),
        )

    def reload(self) -> None:
        if self.reference_edit.text().strip():
            self.list_contact()
        else:
            self.list_day()

    def _read(self, work: Callable[[], Worklist], scope: str) -> None:
        self._generation += 1
        generation = self._generation
        self._runner.run(
            work,
            lambda worklist: self._listed(generation, worklist, scope),
            self._list_failed,
            owner=self,
            label=tr("Reading the letters due"),
        )

    def _list_failed(self, exc: MashDeskError) -> None:
        self.banner.setText(str(exc))
        set_flag(self.banner, "banner", "error")

    def _listed(self, generation: int, worklist: Worklist, scope: str) -> None:
        if generation != self._generation:
            return
        self._worklist = worklist
        held = [LetterLine(h.job, h.reason, h.worker) for h in worklist.held]
        lines = [LetterLine(job) for job in worklist.jobs] + held
        self.model.set_rows(lines)
        text = tr("{letters} due {scope}.").format(
            letters=counted(len(worklist.jobs), tr("letter"), tr("letters")), scope=scope
        )
        if worklist.held:
            text += " " + tr("{held} HELD for a social worker's decision (marked below).").format(
                held=counted(len(worklist.held), tr("family letter"), tr("family letters"))
            )
        self.banner.setText(text)
        state = "warning" if worklist.held else "info"
        if self.banner.property("banner") != state:
            set_flag(self.banner, "banner", state)
        if not lines:
            self._show_document(None, tr("No letters to preview."))
        emit(self.listed)

    @property
    def worklist(self) -> Worklist:
        """The letters on the list: those due, and family letters held for a social worker."""
        return self._worklist

    def current(self) -> LetterLine | None:
        row = self.panel.current_row()
        return row if isinstance(row, LetterLine) else None

    # --- preview -----------------------------------------------------------------------------------

    def preview_now(self) -> None:
        self._preview_timer.stop()
        line = self.current()
        if line is None:
            return
        ctx, job = self._ctx, line.job
        self.preview_caption.setText(tr("Preparing the preview…"))
        self._runner.run(
            lambda: letters.preview_letter(ctx, job.contact_id, job.recipient),
            lambda pdf: self._previewed(line, pdf),
            lambda exc: self._show_document(None, tr("No preview: {problem}").format(problem=exc)),
            owner=self,
            label=tr("Preparing the letter preview"),
        )

    def _previewed(self, line: LetterLine, pdf: bytes) -> None:
        if self.current() != line:
            return  # the person has moved on; their new choice has its own preview coming
        try:
            document = load_pdf(pdf, self)
        except MashDeskError as exc:
            self._show_document(None, str(exc))
            return
        caption = tr("Preview: letter to the {recipient} on {reference} — {pages}, not yet issued").format(
            recipient=enum_words(line.job.recipient).lower(),
            reference=line.job.reference,
            pages=counted(document.pageCount(), tr("page"), tr("pages")),
        )
        self._show_document(document, caption)
        emit(self.preview_shown, document)

    def _show_document(self, document: QPdfDocument | None, caption: str) -> None:
        old = self.document
        self.document = document
        self.preview.setDocument(document if document is not None else self._blank)
        self.preview_caption.setText(caption)
        if old is not None:
            old.deleteLater()

    # --- issuing -----------------------------------------------------------------------------------

    def issue_and_print(self) -> None:
        """Issue the selected letter (stored on the contact) and print it, after choosing a printer.

        A family letter first shows who it goes to and where, read afresh; only if the person confirms
        that addressee is it issued, and the service refuses it if the addressee has changed since.
        """
        line = self.current()
        if line is None:
            return
        job = line.job
        if job.recipient is LetterRecipient.FAMILY:
            ctx, contact_id = self._ctx, job.contact_id
            self._runner.run(
                lambda: letters.family_addressee(ctx, contact_id),
                lambda addressee: self._confirm_family(job, addressee),
                self._refused,
                owner=self,
                label=tr("Checking who the family letter goes to"),
            )
            return
        self._print_and_issue(job, None)

    def _confirm_family(self, job: LetterJob, addressee: FamilyAddressee) -> None:
        text = tr("The letter to the family on {reference} will be addressed to:").format(reference=job.reference)
        text += f"\n\n{addressee.name} ({enum_words(addressee.relationship).lower()})\n"
        text += "\n".join(addressee.address_lines)
        if addressee.passed_over:
            text += "\n\n" + tr("Not addressed to:") + "\n"
            text += "\n".join(f"• {name}: {why}" for name, why in addressee.passed_over)
        text += "\n\n" + tr("Check this is the right person and address before it is issued.")
        if not ConfirmDialog.ask(
            self,
            tr("Who the family letter goes to"),
            text,
            ok_text=tr("Issue to {name}").format(name=addressee.name),
        ):
            return
        self._print_and_issue(job, addressee.person_id)

    def _print_and_issue(self, job: LetterJob, addressee_id: int | None) -> None:
        printer = PrinterChoice.ask(self, tr("Print the letter to the {who}").format(who=enum_words(job.recipient)))
        if printer is None:
            return
        ctx = self._ctx

        def work() -> tuple[IssuedLetter, str | None]:
            letter = letters.issue_letter(ctx, job.contact_id, job.recipient, job.method, addressee_id=addressee_id)
            return letter, print_one(letter.pdf, printer)

        self._runner.run(work, self._issued, self._refused, owner=self, label=tr("Issuing and printing the letter"))

    def _issued(self, done: tuple[IssuedLetter, str | None]) -> None:
        letter, problem = done
        if problem is not None:
            ErrorDialog.ask(
                self,
                tr("Printing failed"),
                tr("The letter was issued and is stored on {reference}, but it did not print: {problem}").format(
                    reference=letter.reference, problem=problem
                ),
            )
        else:
            emit(
                self.message,
                tr("Issued and printed the letter to the {who} on {reference}.").format(
                    who=enum_words(letter.recipient).lower(), reference=letter.reference
                ),
            )
        self.reload()

    def _refused(self, exc: MashDeskError) -> None:
        ErrorDialog.ask(self, tr("Letters"), str(exc))
        self.reload()

    def suppress(self) -> None:
        line = self.current()
        if line is None or line.job.recipient is not LetterRecipient.FAMILY:
            Notice.show(self, tr("Suppress a family letter"), tr("Select a letter to the family first."))
            return
        answer = TextDialog.ask(
            self,
            title=tr("Suppress the family letter on {reference}").format(reference=line.job.reference),
            intro=tr(
                "No letter will go to the family. Only do this where sending it would put the child at risk; "
                "your reason is kept on the contact."
            ),
            caption=tr("&Why would the letter put the child at risk?"),
            ok_text=tr("Suppress letter"),
            field="reason",
            required=True,
        )
        if answer is None:
            return
        ctx, contact_id, reference = self._ctx, line.job.contact_id, line.job.reference
        self._runner.run(
            lambda: letters.suppress_family_letter(ctx, contact_id, answer.text),
            lambda _id: self._suppressed(reference),
            self._refused,
            owner=self,
            label=tr("Suppressing the family letter"),
        )

    def _suppressed(self, reference: str) -> None:
        emit(self.message, tr("The family letter on {reference} is suppressed.").format(reference=reference))
        self.reload()

    def print_batch(self) -> BatchPrintDialog | None:
        """Issue and print every letter due on the list in one batch (a progress bar and Cancel)."""
        jobs = list(self._worklist.jobs)
        if not jobs:
            Notice.show(self, tr("Print the day's letters"), tr("No letters are due on the list shown."))
            return None
        family = [job for job in jobs if job.recipient is LetterRecipient.FAMILY]
        if family and not ConfirmDialog.ask(
            self,
            tr("Who the family letters go to"),
            family_batch_text(family),
            ok_text=tr("Issue to these addressees"),
        ):
            return None
        letters = counted(len(jobs), tr("letter"), tr("letters"))
        printer = PrinterChoice.ask(self, tr("Print {letters}").format(letters=letters))
        if printer is None:
            return None
        dialog = BatchPrintDialog(
            self._window,
            jobs,
            list(self._worklist.held),
            printer,
            tr("Printing {letters}").format(letters=letters),
            self,
        )
        dialog.finished_batch.connect(self._batch_done)
        dialog.failed.connect(lambda exc: self.reload())
        self.batch = dialog
        dialog.start()
        return dialog

    def _batch_done(self, outcome: BatchOutcome) -> None:
        emit(
            self.message,
            tr("Batch: {printed} of {total} letters issued and printed.").format(
                printed=outcome.printed, total=outcome.result.total
            ),
        )
        self.reload()


SHOWN_IN_FULL = 15


def family_batch_text(family: list[LetterJob]) -> str:
    """The family letters in a batch, each with who it goes to and where, for the issuer to confirm."""
    lines = [
        f"{job.reference}: {job.recipient_name}, {', '.join(job.address) or tr('no address')}"
        for job in family[:SHOWN_IN_FULL]
    ]
    if len(family) > SHOWN_IN_FULL:
        lines.append(
            tr("… and {more} more, each shown on the list under “Addressed to”.").format(
                more=len(family) - SHOWN_IN_FULL
            )
        )
    intro = tr("{letters} to families will be issued, each addressed to:").format(
        letters=counted(len(family), tr("letter"), tr("letters"))
    )
    return intro + "\n\n" + "\n".join(lines) + "\n\n" + tr("Check each is the right person and address.")


def print_one(pdf: bytes, printer: QPrinter) -> str | None:
    """Print one letter (on the worker that issued it); the problem in words if the printer refused."""
    job = PdfPrinter(printer)
    try:
        job.add(pdf)
        job.finish()
    except MashDeskError as exc:
        return str(exc)
    return None
