"""The manager's screens for ``mash-desk screenshots``: the decision queue under review, hand-offs,
the dashboard and the cases behind one of its tiles, a letter preview, the batch-print dialog, the
statutory lists, the restricted records, the likely duplicate records and the merge dialog."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QThread
from PySide6.QtPrintSupport import QPrinter

from mash_desk.domain.words import counted
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.manager.batch_print import BatchPrintDialog
from mash_desk.gui.manager.merge_dialog import MergeDialog
from mash_desk.gui.signals import emit
from mash_desk.services.merging import compare_people
from mash_desk.tools.screenshots.cast import Cast
from mash_desk.tools.screenshots.shooter import Shooter


def shoot_manager(shooter: Shooter, cast: Cast, *, full: bool) -> None:
    """Render the manager's pages as Maria (a team manager) sees them."""
    window = shooter.window("maria")
    area = window.manager_area
    if area is None or area.decisions is None or area.dashboard is None or area.letters is None:
        raise RuntimeError("a team manager's window has no Manager area to show")
    decisions, dashboard, letters = area.decisions, area.dashboard, area.letters
    area.show_page("decisions")
    shooter.settle()
    decisions.select_contact(cast.awaiting_authorisation)
    decisions.review.read_now()
    shooter.save(window, "40-manager-decisions")
    area.show_page("handoffs")
    shooter.save(window, "41-manager-hand-offs")
    area.show_page("dashboard")
    shooter.save(window, "42-manager-dashboard")
    # a tile opened: the children decided NFA, what that percentage is worked out over
    dashboard.open_tile("nfa")
    shooter.save(window, "42-manager-dashboard-tile-list")
    dashboard.behind_panel.hide()
    dashboard.scroll_area.verticalScrollBar().setValue(0)
    if full:
        dashboard.scroll_area.ensureWidgetVisible(dashboard.conversion, 0, 0)
        dashboard.scroll_area.verticalScrollBar().setValue(dashboard.conversion.y())
        for card in (dashboard.conversion, dashboard.caseloads):
            card.show_numbers()
        shooter.save(window, "43-manager-dashboard-numbers")
        for card in (dashboard.conversion, dashboard.caseloads):
            card.show_numbers(False)
        dashboard.scroll_area.verticalScrollBar().setValue(0)
    area.show_page("letters")
    shooter.settle()
    letters.panel.view.selectRow(0)
    letters.preview_now()
    shooter.settle()
    # QPdfView paints its pages from a render thread: give it a moment before the picture
    deadline = QDeadlineTimer(3000)
    while not deadline.hasExpired():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QThread.msleep(50)
        if deadline.remainingTime() < 2500:
            break
    shooter.save(window, "44-letter-preview")
    worklist = letters.worklist
    with tempfile.TemporaryDirectory(prefix="mash-desk-print-") as folder:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(Path(folder) / "never-printed.pdf"))
        dialog = BatchPrintDialog(
            window.context,
            worklist.jobs,
            worklist.held,
            printer,
            f"Printing {counted(len(worklist.jobs), 'letter')}",
            window,
        )
        # the dialog as it looks part-way through a batch (nothing is issued for a screenshot)
        done = max(1, len(worklist.jobs) // 3)
        emit(dialog.progress.issued, done, max(len(worklist.jobs), done))
        shooter.show(dialog, "45-batch-print-progress")
        dialog.close()
        dialog.deleteLater()
    area.show_page("exports")
    shooter.save(window, "46-statutory-lists")
    area.show_page("restricted")
    shooter.save(window, "47-manager-restricted-records")
    shoot_duplicates(shooter, window)
    window.close()


def shoot_duplicates(shooter: Shooter, window: MainWindow) -> None:
    """The likely duplicates, and the merge dialog for the first pair (the demo logs some children twice)."""
    area = window.manager_area
    if area is None or area.duplicates is None:
        raise RuntimeError("a team manager's window has no duplicate records page to show")
    page = area.duplicates
    area.show_page("duplicates")
    shooter.save(window, "48-manager-duplicate-records")
    if not page.pairs_model.rowCount():
        raise RuntimeError("the demo data has no likely duplicates to show in the merge dialog")
    pair = page.pairs_model.row_at(0)
    first, second = compare_people(window.session.ctx, pair.first.person_id, pair.second.person_id)
    dialog = MergeDialog(window, first, second)
    dialog.reason_edit.setPlainText("Same school and GP; the mother confirmed the spelling on the phone.")
    shooter.show(dialog, "49-merge-dialog")
    dialog.close()
    dialog.deleteLater()
