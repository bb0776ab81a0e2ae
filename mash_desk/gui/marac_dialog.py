"""The MARAC referral made from a saved DASH: shown as it will print, to save as a PDF for the MARAC
coordinator or to print. Nothing in it is typed here: the service reads every answer as recorded.

This module loads Qt PDF and the print support, so it is imported only when a referral is made.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.words import counted
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.manager.pdf_print import PdfPrinter, load_pdf
from mash_desk.gui.manager.pickers import PrinterChoice, SaveFileChoice
from mash_desk.gui.messages import shortcut_text
from mash_desk.gui.widgets import ctrl_enter_finishes
from mash_desk.gui.words import tr, when
from mash_desk.services.risk_tools import MaracReferral

SAVE_KEY = "Ctrl+S"
PRINT_KEY = "Ctrl+P"


class MaracReferralDialog(QDialog):
    """The referral as it prints, with Save as PDF (Ctrl+S), Print (Ctrl+P) and Close (Esc)."""

    def __init__(self, referral: MaracReferral, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ctrl_enter_finishes(self)
        self.referral = referral
        self.saved_to: Path | None = None
        self.setWindowTitle(tr("MARAC referral — {reference}").format(reference=referral.reference))
        layout = QVBoxLayout(self)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        children = ", ".join(referral.children) or tr("none recorded")
        self.summary_label.setText(
            tr(
                "Made from the DASH as it was saved, for the MARAC coordinator, and kept on the contact. "
                "Children in the household: "
                "{children}. The contact stays in the MASH queue: MARAC never replaces the children's own "
                "safeguarding route."
            ).format(children=children)
        )
        if referral.reopened:
            self.summary_label.setText(
                tr("Made by {who} on {when}; this is the referral as it was sent. ").format(
                    who=referral.made_by, when=when(referral.made_at)
                )
                + self.summary_label.text()
            )
        set_flag(self.summary_label, "banner", "info")
        layout.addWidget(self.summary_label)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        layout.addWidget(self.message_label)
        self.document = load_pdf(referral.pdf, self)
        self.view = QPdfView(self)
        self.view.setAccessibleName(tr("MARAC referral preview"))
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.save_button = QPushButton(tr("Save as PDF… ({key})").format(key=shortcut_text(SAVE_KEY)), self)
        self.print_button = QPushButton(tr("Print… ({key})").format(key=shortcut_text(PRINT_KEY)), self)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_referral)
        QShortcut(QKeySequence(SAVE_KEY), self, self.save)
        QShortcut(QKeySequence(PRINT_KEY), self, self.print_referral)
        layout.addWidget(buttons)
        self.resize(760, 860)
        self.save_button.setFocus()

    def _say(self, text: str, state: str) -> None:
        self.message_label.setText(text)
        set_flag(self.message_label, "banner", state)
        self.message_label.show()

    def save(self) -> None:
        target = SaveFileChoice.ask(self, tr("Save the MARAC referral"), self.referral.file_name, tr("PDF (*.pdf)"))
        if target is None:
            return
        try:
            target.write_bytes(self.referral.pdf)
        except OSError as exc:
            self._say(tr("The referral could not be saved to {path}: {why}").format(path=target, why=exc), "error")
            return
        self.saved_to = target
        self._say(tr("Saved to {path}. Send it to the MARAC coordinator securely.").format(path=target), "info")

    def print_referral(self) -> None:
        printer = PrinterChoice.ask(self, tr("Print the MARAC referral"))
        if printer is None:
            return
        job = PdfPrinter(printer)
        try:
            pages = job.add(self.referral.pdf)
            job.finish()
        except MashDeskError as exc:
            self._say(str(exc), "error")
            return
        self._say(tr("Printed {pages}.").format(pages=counted(pages, tr("page"), tr("pages"))), "info")

    @classmethod
    def show_referral(cls, referral: MaracReferral, parent: QWidget | None) -> None:
        cls(referral, parent).exec()
