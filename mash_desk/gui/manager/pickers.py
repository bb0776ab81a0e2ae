"""Choosing where a file goes and which printer a letter goes to: Qt's own dialogs, each behind a
``classmethod ask()`` that tests replace (a PDF file stands in for the printer)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget


class SaveFileChoice:
    """Where to save a file: the platform's save dialog, starting in Documents with a suggested name."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, suggested_name: str, file_filter: str) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        start = str(Path(folder) / suggested_name) if folder else suggested_name
        chosen, _filter = QFileDialog.getSaveFileName(parent, title, start, file_filter)
        if not chosen:
            return None
        path = Path(chosen)
        suffix = Path(suggested_name).suffix
        return path if path.suffix or not suffix else path.with_suffix(suffix)


class PrinterChoice:
    """Which printer, how many copies, which pages: Qt's print dialog. None if the person cancels."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str) -> QPrinter | None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(title)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer
