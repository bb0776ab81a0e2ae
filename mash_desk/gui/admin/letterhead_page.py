"""The letterhead every outcome letter is printed on: organisation, address, phones and e-mail, with a
sample letter to look at before saving (the logo and fonts are set up with the installation)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from mash_desk.domain.errors import MashDeskError
from mash_desk.gui.admin.form import AdminForm
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.manager.pdf_print import load_pdf
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services.letters import preview_letterhead
from mash_desk.services.policy import LetterheadFields, read_letterhead, set_letterhead


class LetterheadPage(QWidget):
    message = Signal(str)
    """Emitted with a sentence for the status bar."""
    preview_shown = Signal(object)
    """Emitted with the ``QPdfDocument`` of the sample letter each time one is shown."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner = window.runner
        self._ctx = window.ctx
        self.document: QPdfDocument | None = None
        self._stored: LetterheadFields | None = None
        self._blank = QPdfDocument(self)
        layout = QHBoxLayout(self)
        self.form = AdminForm(tr("Letterhead"), runner, self)
        self.form.explain(
            tr(
                "What heads every outcome letter. Families and referrers ring and write to these, so check them "
                "on the sample letter before saving."
            )
        )
        self.organisation_edit = self.form.field("organisation", tr("&Organisation:"), QLineEdit(self))
        self.address_edit = self.form.field("address", tr("&Address (a line each):"), QPlainTextEdit(self))
        self.address_edit.setFixedHeight(self.address_edit.fontMetrics().lineSpacing() * 7)
        self.phone_edit = self.form.field("phone", tr("Pho&ne:"), QLineEdit(self))
        self.out_of_hours_edit = self.form.field("out_of_hours_phone", tr("O&ut-of-hours phone:"), QLineEdit(self))
        self.email_edit = self.form.field("email", tr("&E-mail:"), QLineEdit(self))
        self.preview_button = self.form.button(tr("Preview sample &letter"), self.preview)
        self.save_button = self.form.button(tr("&Save letterhead"), self.save, primary=True)
        for edit in (self.organisation_edit, self.phone_edit, self.out_of_hours_edit, self.email_edit):
            edit.returnPressed.connect(self.save)
        self.form.done.connect(lambda sentence: emit(self.message, sentence))
        left = QVBoxLayout()
        left.addWidget(self.form)
        left.addStretch(1)
        layout.addLayout(left, 2)
        right = QVBoxLayout()
        self.preview_caption = QLabel(tr("The sample letter shows here."), self)
        set_flag(self.preview_caption, "subheading", True)
        self.preview_view = QPdfView(self)
        self.preview_view.setAccessibleName(tr("Sample letter"))
        self.preview_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview_view.setDocument(self._blank)
        right.addWidget(self.preview_caption)
        right.addWidget(self.preview_view, 1)
        layout.addLayout(right, 3)
        self.setFocusProxy(self.organisation_edit)

    def fields(self) -> LetterheadFields:
        return LetterheadFields(
            organisation=self.organisation_edit.text(),
            address_lines=tuple(self.address_edit.toPlainText().splitlines()),
            phone=self.phone_edit.text(),
            out_of_hours_phone=self.out_of_hours_edit.text(),
            email=self.email_edit.text(),
        )

    def reload(self) -> None:
        ctx = self._ctx
        self._runner.run(lambda: read_letterhead(ctx), self._fill, self.form.refused, owner=self)

    def _fill(self, fields: LetterheadFields) -> None:
        self._stored = fields
        self.organisation_edit.setText(fields.organisation)
        self.address_edit.setPlainText("\n".join(fields.address_lines))
        self.phone_edit.setText(fields.phone)
        self.out_of_hours_edit.setText(fields.out_of_hours_phone)
        self.email_edit.setText(fields.email)
        self.preview()

    def preview(self) -> None:
        ctx, fields = self._ctx, self.fields()
        self.preview_caption.setText(tr("Preparing the sample letter…"))
        self.form.run(
            lambda: preview_letterhead(ctx, fields),
            lambda pdf: self._previewed(fields, pdf),
            label=tr("Preparing a sample letter"),
            on_refused=lambda: self.preview_caption.setText(tr("No sample letter until the fields marked are right.")),
        )

    def _previewed(self, fields: LetterheadFields, pdf: bytes) -> None:
        try:
            document = load_pdf(pdf, self)
        except MashDeskError as exc:
            self.preview_caption.setText(str(exc))
            return
        old, self.document = self.document, document
        self.preview_view.setDocument(document)
        if old is not None:
            old.deleteLater()
        saved = self._stored is not None and _same(fields, self._stored)
        self.preview_caption.setText(
            tr("Sample letter (invented people) on the saved letterhead")
            if saved
            else tr("Sample letter (invented people) on this letterhead — NOT YET SAVED")
        )
        emit(self.preview_shown, document)

    def save(self) -> None:
        ctx, fields = self._ctx, self.fields()

        def saved(clean: LetterheadFields) -> None:
            self._fill(clean)
            self.form.succeeded(tr("Saved the letterhead: every letter from now on is printed on it."))

        self.form.run(lambda: set_letterhead(ctx, fields), saved, label=tr("Saving the letterhead"))


def _same(typed: LetterheadFields, stored: LetterheadFields) -> bool:
    lines = tuple(line.strip() for line in typed.address_lines if line.strip())
    return (
        typed.organisation.strip(),
        lines,
        typed.phone.strip(),
        typed.out_of_hours_phone.strip(),
        typed.email.strip(),
    ) == (stored.organisation, stored.address_lines, stored.phone, stored.out_of_hours_phone, stored.email)
