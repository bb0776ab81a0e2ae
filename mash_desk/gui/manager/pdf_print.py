"""Letters as PDF documents in Qt: open the bytes a service made (QPdfDocument from a QBuffer) and
print them, page by page, onto whatever printer the print dialog gave (or a PDF file, in tests).

``PdfPrinter`` may run on a worker thread: Qt allows painting on a ``QPrinter`` from any one thread,
and each document it opens lives and dies on the thread that prints it.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from mash_desk.domain.errors import MashDeskError

MAX_PRINT_DPI = 200  # sharp text on paper, without a page taking seconds to send


class PrintFailed(MashDeskError):
    """The printer (or the PDF file standing in for it) could not be written to."""


def load_pdf(data: bytes, parent: QObject | None = None) -> QPdfDocument:
    """A document over ``data``; the buffer it reads from is its child, so they go together."""
    document = QPdfDocument(parent) if parent is not None else QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() is not QPdfDocument.Status.Ready or document.pageCount() < 1:
        document.deleteLater()
        raise MashDeskError("The letter could not be opened as a PDF document.")
    return document


class PdfPrinter:
    """One print job: documents added one after another, each page scaled to fit the paper."""

    def __init__(self, printer: QPrinter) -> None:
        self._printer = printer
        self._painter = QPainter()
        self._pages = 0
        self._dpi = max(72, min(printer.resolution(), MAX_PRINT_DPI))

    @property
    def pages(self) -> int:
        return self._pages

    def add(self, data: bytes) -> int:
        """Print every page of the PDF ``data``; returns the number of pages printed."""
        document = load_pdf(data)
        try:
            for page in range(document.pageCount()):
                self._next_page()
                self._draw(document, page)
            return document.pageCount()
        finally:
            document.close()
            document.deleteLater()

    def finish(self) -> None:
        """End the job (the printer starts, or the file is complete)."""
        if self._painter.isActive() and not self._painter.end():
            raise PrintFailed("The printer did not accept the end of the print job.")

    def _next_page(self) -> None:
        if not self._painter.isActive():
            self._printer.setFullPage(True)  # the letter brings its own margins
            if not self._painter.begin(self._printer):
                raise PrintFailed(
                    "The printer could not be started. Check it is switched on and connected, then print again."
                )
        elif not self._printer.newPage():
            raise PrintFailed("The printer did not accept another page.")
        self._pages += 1

    def _draw(self, document: QPdfDocument, page: int) -> None:
        points = document.pagePointSize(page)
        size = QSize(round(points.width() * self._dpi / 72), round(points.height() * self._dpi / 72))
        image = document.render(page, size).convertToFormat(QImage.Format.Format_RGB32)
        target = QRectF(self._painter.viewport())
        scale = min(target.width() / size.width(), target.height() / size.height())
        width, height = size.width() * scale, size.height() * scale
        placed = QRectF(
            target.x() + (target.width() - width) / 2, target.y() + (target.height() - height) / 2, width, height
        )
        self._painter.drawImage(placed, image)
