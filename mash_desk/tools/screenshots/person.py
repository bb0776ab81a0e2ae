"""The person's record (issue 12): Sam goes from the showcase contact to Amira's record with Ctrl+O,
the chronology across both her contacts, her family; and the first page of the printed chronology."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtTest import QTest

from mash_desk.gui.manager.pdf_print import load_pdf
from mash_desk.gui.person_record import PersonRecordPage
from mash_desk.services.context import ServiceContext
from mash_desk.services.person_record.printing import print_chronology
from mash_desk.tools.screenshots.cast import Cast
from mash_desk.tools.screenshots.shooter import Shooter

PDF_WIDTH = 1240  # an A4 page at 150 dpi


def shoot_person(shooter: Shooter, cast: Cast, *, full: bool) -> None:
    window = shooter.window("sam")
    view = window.open_contact(cast.showcase)
    shooter.settle()
    view.scroll_area.setFocus()
    QTest.keyClick(view.scroll_area, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    shooter.settle()
    page = window.workspace.currentWidget()
    if not isinstance(page, PersonRecordPage) or page.record is None:
        raise RuntimeError("Ctrl+O on the showcase contact did not open the child's record")
    shooter.save(window, "18-person-record")
    if full:
        page.sections.setCurrentWidget(page.relatives_view)
        shooter.save(window, "18-person-record-family")
        page.sections.setCurrentIndex(4)
        shooter.save(window, "18-person-record-addresses")
        person_id = page.person_id
        window.close()
        pdf = print_chronology(ServiceContext(shooter.db, "sam"), person_id)
        shooter.save_pixmap(first_page(pdf), "19-person-chronology-pdf")
        return
    window.close()


def first_page(pdf: bytes) -> QPixmap:
    """A PDF's first page on white paper, as a picture (the chronology's, the quarterly pack's)."""
    document = load_pdf(pdf)
    try:
        points = document.pagePointSize(0)
        size = QSize(PDF_WIDTH, round(PDF_WIDTH * points.height() / points.width()))
        image = document.render(0, size)  # transparent where the page is blank: painted on white below
    finally:
        document.close()
        document.deleteLater()
    paper = QPixmap(size)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    return paper
