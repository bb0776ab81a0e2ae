"""Printing the day's letters in one batch, with a progress bar and a Cancel button (Close once every
letter is issued).

The batch runs on a worker: ``letters.issue_batch`` issues and stores each letter, then every letter
it issued is printed into one print job. Progress comes back by queued signals; Cancel sets an event
that ``issue_batch`` reads through its ``cancelled`` callable between letters. A letter already
issued is always printed, so nothing is stored as sent that never left the building.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.words import counted
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.manager.pdf_print import PdfPrinter
from mash_desk.gui.signals import emit
from mash_desk.gui.widgets import ctrl_enter_finishes
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services.context import ServiceContext
from mash_desk.services.letters import BatchResult, HeldLetter, LetterJob, issue_batch


class BatchProgress(QObject):
    """Lives on the GUI thread; the worker emits through it, so every update arrives queued."""

    issued = Signal(int, int)
    """Emitted with (letters done, letters in the batch) after each letter is issued."""
    printed = Signal(int, int)
    """Emitted with (letters printed, letters issued) after each letter is printed."""


@dataclass(frozen=True)
class BatchOutcome:
    result: BatchResult
    printed: int
    pages: int
    print_problem: str | None


def run_batch(
    ctx: ServiceContext,
    jobs: list[LetterJob],
    printer: QPrinter,
    progress: BatchProgress,
    stop: threading.Event,
) -> BatchOutcome:
    """Issue the jobs (stopping between letters once ``stop`` is set), then print what was issued."""
    result = issue_batch(ctx, jobs, lambda done, total: emit(progress.issued, done, total), stop.is_set)
    job = PdfPrinter(printer)
    printed = 0
    problem: str | None = None
    try:
        for letter in result.issued:
            job.add(letter.pdf)
            printed += 1
            emit(progress.printed, printed, len(result.issued))
        job.finish()
    except MashDeskError as exc:
        problem = str(exc)
    return BatchOutcome(result, printed, job.pages, problem)


class BatchPrintDialog(QDialog):
    """Shows a batch as it runs; ``finished_batch`` says how it ended."""

    finished_batch = Signal(object)
    """Emitted with the ``BatchOutcome`` when the batch has ended (done, cancelled or failed)."""
    failed = Signal(object)
    """Emitted with the ``MashDeskError`` if the batch could not run at all."""

    def __init__(
        self,
        window: WindowContext,
        jobs: list[LetterJob],
        held: list[HeldLetter],
        printer: QPrinter,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        ctrl_enter_finishes(self)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(520)
        self._runner = window.runner
        self._ctx = window.ctx
        self._jobs = list(jobs)
        self._held = list(held)
        self._printer = printer
        self._stop = threading.Event()
        self._running = False
        self.outcome: BatchOutcome | None = None
        self.progress = BatchProgress(self)
        self.progress.issued.connect(self._issued)
        self.progress.printed.connect(self._printed)
        layout = QVBoxLayout(self)
        self.phase_label = QLabel(self)
        self.phase_label.setWordWrap(True)
        set_flag(self.phase_label, "subheading", True)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName(tr("Batch progress"))
        self.bar.setRange(0, max(len(self._jobs), 1))
        self.bar.setValue(0)
        self.bar.setFormat(tr("%v of %m"))
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.hide()
        for widget in (self.phase_label, self.bar, self.summary_label):
            layout.addWidget(widget)
        self.buttons = QDialogButtonBox(self)
        self.cancel_button = QPushButton(tr("Cancel (Esc)"), self)
        self.cancel_button.setToolTip(tr("Stop after the letter being issued now; letters already issued still print"))
        self.cancel_button.clicked.connect(self.cancel)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(self.buttons)
        self.phase_label.setText(
            tr("Ready to issue and print {letters}.").format(
                letters=counted(len(self._jobs), tr("letter"), tr("letters"))
            )
        )
        if self._held:
            self.summary_label.setText(self._held_words())
            self.summary_label.show()

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Show the dialog and start the batch on a worker."""
        self._running = True
        self.phase_label.setText(tr("Issuing letter 1 of {total}…").format(total=len(self._jobs)))
        self.open()
        ctx, jobs, printer, progress, stop = self._ctx, self._jobs, self._printer, self.progress, self._stop
        self._runner.run(
            lambda: run_batch(ctx, jobs, printer, progress, stop),
            self._done,
            self._failed,
            label=tr("Printing the day's letters"),
        )

    def cancel(self) -> None:
        """Stop issuing after the current letter (Esc and the Cancel button); Close once it has ended."""
        if not self._running:
            self.accept()
            return
        self._stop.set()
        self.cancel_button.setEnabled(False)
        self.phase_label.setText(tr("Stopping after this letter; the letters already issued will print…"))

    def reject(self) -> None:
        self.cancel()  # Esc and the window's close button stop the batch; they never abandon it

    def _issued(self, done: int, total: int) -> None:
        if not self._stop.is_set():
            self.phase_label.setText(tr("Issued {done} of {total} letters…").format(done=done, total=total))
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if done >= total:
            self._nothing_left_to_cancel()

    def _printed(self, done: int, total: int) -> None:
        self.phase_label.setText(
            tr("Printing: {done} of {total} letters sent to the printer…").format(done=done, total=total)
        )
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self._nothing_left_to_cancel()

    def _nothing_left_to_cancel(self) -> None:
        """Every letter is issued: what is left is printing them, which Cancel never stops (a letter stored
        as sent is always printed), so the button no longer offers to cancel; it closes once printing ends."""
        if self._running:
            self.cancel_button.setText(tr("Close"))
            self.cancel_button.setEnabled(False)
            self.cancel_button.setToolTip(tr("Closes once the printer has every letter"))

    def _finish(self) -> None:
        self._running = False
        self.cancel_button.setText(tr("Close"))
        self.cancel_button.setEnabled(True)
        self.cancel_button.setToolTip("")
        self.cancel_button.setFocus()

    def _done(self, outcome: BatchOutcome) -> None:
        self.outcome = outcome
        result = outcome.result
        self.bar.setRange(0, max(len(result.issued), 1))
        self.bar.setValue(outcome.printed if result.issued else self.bar.maximum())
        if result.cancelled:
            headline = tr("Stopped: {issued} of {total} letters were issued and printed; the rest are still due.")
        else:
            headline = tr("Done: {issued} of {total} letters were issued and printed.")
        self.phase_label.setText(headline.format(issued=outcome.printed, total=result.total))
        lines = []
        if outcome.print_problem:
            lines.append(
                tr(
                    "⚠ Printing failed after {printed} of {issued} letters: {problem} The letters are stored on "
                    "each contact; print them again from there."
                ).format(printed=outcome.printed, issued=len(result.issued), problem=outcome.print_problem)
            )
        lines += [
            tr("Skipped {reference} ({recipient}): {why}.").format(
                reference=job.reference, recipient=job.recipient.value, why=why
            )
            for job, why in result.skipped
        ]
        lines += [
            tr("⚠ Not issued: {reference} ({recipient}): {why}").format(
                reference=job.reference, recipient=job.recipient.value, why=why
            )
            for job, why in result.failed
        ]
        if self._held:
            lines.append(self._held_words())
        self.summary_label.setText("\n".join(lines))
        self.summary_label.setVisible(bool(lines))
        if outcome.print_problem or result.failed:
            set_flag(self.phase_label, "banner", "error")
        self._finish()
        emit(self.finished_batch, outcome)

    def _held_words(self) -> str:
        references = ", ".join(h.job.reference for h in self._held)
        if len(self._held) == 1:
            return tr(
                "1 family letter is not in this batch: a social worker must send or suppress it ({references})."
            ).format(references=references)
        return tr("{letters} are not in this batch: a social worker must send or suppress them ({references}).").format(
            letters=counted(len(self._held), tr("family letter"), tr("family letters")), references=references
        )

    def _failed(self, exc: MashDeskError) -> None:
        self.phase_label.setText(tr("The batch could not run: {problem}").format(problem=exc))
        set_flag(self.phase_label, "banner", "error")
        self._finish()
        emit(self.failed, exc)
