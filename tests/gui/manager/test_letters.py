"""Letters in the app: the preview shows the PDF the service made; the day's letters print in one batch
to a PDF printer with the progress bar reaching the end, and Cancel stops a batch between letters."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest

from mash_desk.domain.enums import ContactStatus, LetterRecipient
from mash_desk.gui.dialogs.text import TextAnswer
from mash_desk.gui.manager import batch_print
from mash_desk.gui.manager.letters_page import LetterLine, LettersPage
from mash_desk.services import letters
from mash_desk.services.context import ServiceContext
from mash_desk.services.letters import BatchResult, LetterJob
from tests.gui.conftest import Dialogs
from tests.gui.helpers import CTRL, CTRL_SHIFT
from tests.gui.manager.conftest import Bench
from tests.support import case_at, child

FAMILIES = ("Hussain", "Brennan", "Kowalski", "Adeyemi", "Clarke")
Progress = Callable[[int, int], None] | None


def pdf_printer(path: Path) -> QPrinter:
    """What the print dialog hands back in these tests: a printer that writes a PDF file."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(72)  # quick to render; the letters are checked as text elsewhere
    return printer


def letters_page(bench: Bench, who: str = "maria") -> LettersPage:
    world = bench.world
    ctx = world.as_(who)
    page = LettersPage(bench.window(ctx))
    bench.qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    with bench.qtbot.waitSignal(page.listed, timeout=20_000):
        page.list_day()
    return page


def select(bench: Bench, page: LettersPage, recipient: LetterRecipient) -> LetterLine:
    for row in range(page.panel.proxy.rowCount()):
        line = page.panel.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole + 2)
        if isinstance(line, LetterLine) and line.job.recipient is recipient:
            page.panel.view.selectRow(row)
            return line
    raise AssertionError(f"no {recipient} letter on the list")


def test_the_preview_shows_the_letter_and_issue_prints_it(bench: Bench, dialogs: Dialogs, tmp_path: Path) -> None:
    case = case_at(bench.world, ContactStatus.AUTHORISED)
    page = letters_page(bench)
    assert page.model.rowCount() == 2  # the referrer's letter and the family's
    with bench.qtbot.waitSignal(page.preview_shown, timeout=20_000):
        select(bench, page, LetterRecipient.REFERRER)
    assert page.document is not None
    assert page.document.pageCount() > 0
    assert page.preview.document() is page.document
    assert "not yet issued" in page.preview_caption.text()
    assert letters.letters_for_contact(bench.world.maria, case.id) == []  # a preview stores nothing

    target = tmp_path / "one-letter.pdf"
    dialogs.answer("printer", pdf_printer(target))
    with bench.qtbot.waitSignal(page.listed, timeout=20_000):
        QTest.keyClick(page.panel.view, Qt.Key.Key_P, CTRL)
    issued = letters.letters_for_contact(bench.world.maria, case.id)
    assert [(r.recipient, r.suppressed) for r in issued] == [(LetterRecipient.REFERRER, False)]
    assert len(PdfReader(target).pages) == page_count(bench, case.id, LetterRecipient.REFERRER)
    assert page.model.rowCount() == 1  # only the family's letter is still due

    # a family letter shows who it goes to first; declining issues nothing
    dialogs.answer("confirm", False)
    select(bench, page, LetterRecipient.FAMILY)
    QTest.keyClick(page.panel.view, Qt.Key.Key_P, CTRL)
    bench.settle()
    (asked,) = dialogs.of("confirm")
    assert "Layla Hussain (mother)\n12 Park Street\nLuton\nLU1 3AB" in asked.args[2]
    assert asked.kwargs["ok_text"] == "Issue to Layla Hussain"
    assert [r.recipient for r in letters.letters_for_contact(bench.world.maria, case.id)] == [LetterRecipient.REFERRER]

    dialogs.answer("text", TextAnswer("Police are about to interview the stepfather at home."))
    select(bench, page, LetterRecipient.FAMILY)
    with bench.qtbot.waitSignal(page.listed, timeout=20_000):
        QTest.keyClick(page.panel.view, Qt.Key.Key_D, CTRL_SHIFT)
    records = letters.letters_for_contact(bench.world.maria, case.id)
    assert records[-1].suppressed
    assert records[-1].suppression_reason == "Police are about to interview the stepfather at home."
    assert page.model.rowCount() == 0


def page_count(bench: Bench, contact_id: int, recipient: LetterRecipient) -> int:
    records = [r for r in letters.letters_for_contact(bench.world.maria, contact_id) if r.recipient is recipient]
    return len(PdfReader(io.BytesIO(letters.stored_letter_pdf(bench.world.maria, records[-1].letter_id))).pages)


def test_the_days_letters_print_in_one_batch_to_a_pdf_printer(bench: Bench, dialogs: Dialogs, tmp_path: Path) -> None:
    for family in FAMILIES[:3]:
        case_at(bench.world, ContactStatus.AUTHORISED, child("Sam", family))
    page = letters_page(bench, "bea")  # business support prints the day's letters
    assert page.model.rowCount() == 6
    target = tmp_path / "batch.pdf"
    dialogs.answer("confirm", True)  # the family letters' addressees, seen and confirmed
    dialogs.answer("printer", pdf_printer(target))
    seen: list[tuple[int, int]] = []
    QTest.keyClick(page.panel.view, Qt.Key.Key_P, CTRL_SHIFT)
    (shown,) = dialogs.of("confirm")
    assert "3 letters to families" in shown.args[2]
    assert "Layla Hussain, 12 Park Street, Luton, LU1 3AB" in shown.args[2]
    dialog = page.batch
    assert dialog is not None
    dialog.bar.valueChanged.connect(lambda value: seen.append((value, dialog.bar.maximum())))
    # once every letter is issued there is nothing left to cancel: the button says so while they print
    button = dialog.cancel_button
    while_printing: list[tuple[str, bool]] = []
    dialog.progress.printed.connect(lambda _d, _t: while_printing.append((button.text(), button.isEnabled())))
    bench.qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=60_000)
    assert while_printing
    assert set(while_printing) == {("Close", False)}
    outcome = dialog.outcome
    assert outcome is not None
    assert not outcome.result.cancelled
    assert len(outcome.result.issued) == 6
    assert outcome.printed == 6
    assert dialog.bar.value() == dialog.bar.maximum() == 6  # the progress bar reached the end
    assert seen
    assert max(value for value, _m in seen) == 6
    assert "Done: 6 of 6" in dialog.phase_label.text()
    assert dialog.cancel_button.text() == "Close"
    assert len(PdfReader(target).pages) == outcome.pages
    bench.settle()
    assert page.model.rowCount() == 0
    assert letters.letters_due(bench.world.bea, bench.world.clock().date()) == []
    QTest.keyClick(dialog, Qt.Key.Key_Escape)  # Esc closes it once it has finished
    assert not dialog.isVisible()


def test_cancel_stops_the_batch_between_letters(
    bench: Bench, dialogs: Dialogs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for family in FAMILIES:
        case_at(bench.world, ContactStatus.AUTHORISED, child("Sam", family))
    page = letters_page(bench, "bea")
    assert page.model.rowCount() == 10
    # the worker pauses after the first letter until the person has pressed Cancel: no race with the clock
    first_issued, cancel_pressed = threading.Event(), threading.Event()
    real_issue_batch = letters.issue_batch

    def issue_batch(
        ctx: ServiceContext, jobs: Sequence[LetterJob], progress: Progress, cancelled: Callable[[], bool]
    ) -> BatchResult:
        def report(done: int, total: int) -> None:
            if progress is not None:
                progress(done, total)
            if done == 1:
                first_issued.set()
                cancel_pressed.wait(20)

        return real_issue_batch(ctx, jobs, report, cancelled)

    monkeypatch.setattr(batch_print, "issue_batch", issue_batch)
    dialogs.answer("confirm", True)
    dialogs.answer("printer", pdf_printer(tmp_path / "cancelled.pdf"))
    QTest.keyClick(page.panel.view, Qt.Key.Key_P, CTRL_SHIFT)
    dialog = page.batch
    assert dialog is not None
    bench.qtbot.waitUntil(first_issued.is_set, timeout=30_000)
    QTest.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    cancel_pressed.set()
    assert not dialog.cancel_button.isEnabled()  # one press is enough; it says it is stopping
    bench.qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=60_000)
    outcome = dialog.outcome
    assert outcome is not None
    assert outcome.result.cancelled
    assert len(outcome.result.issued) == 1  # stopped between letters, straight after the first
    assert outcome.printed == 1  # every letter issued was printed
    assert "Stopped" in dialog.phase_label.text()
    assert len(letters.letters_due(bench.world.bea, bench.world.clock().date())) == 9


def test_a_family_letter_is_issued_to_the_addressee_the_person_confirmed(
    bench: Bench, dialogs: Dialogs, tmp_path: Path
) -> None:
    case = case_at(bench.world, ContactStatus.AUTHORISED)
    page = letters_page(bench, "bea")
    line = select(bench, page, LetterRecipient.FAMILY)
    assert line.job.recipient_name == "Layla Hussain"
    assert line.job.address == ("12 Park Street", "Luton", "LU1 3AB")
    dialogs.answer("confirm", True)
    dialogs.answer("printer", pdf_printer(tmp_path / "family.pdf"))
    with bench.qtbot.waitSignal(page.listed, timeout=20_000):
        QTest.keyClick(page.panel.view, Qt.Key.Key_P, CTRL)
    (record,) = letters.letters_for_contact(bench.world.maria, case.id)
    assert (record.recipient, record.recipient_name) == (LetterRecipient.FAMILY, "Layla Hussain")
