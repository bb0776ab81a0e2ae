"""The statutory lists from the manager's screen: Ofsted Annex A (Lists 1 and 3) and the CIN census.

The same services as ``mash-desk export`` write the files, on a worker, while a busy bar runs; a
wrong LA code or year is said next to its field, and a finished file is named in a clear message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.cin_census import FIRST_YEAR, LAST_YEAR
from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.domain.moments import MomentError
from mash_desk.domain.periods import annex_a_period, census_period, london_date
from mash_desk.domain.words import counted
from mash_desk.gui.date_box import DateBox
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.manager.pickers import SaveFileChoice
from mash_desk.gui.messages import ErrorDialog, Notice
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services.policy import hub_la_code
from mash_desk.services.statutory import AnnexAWritten, CensusWritten, export_annex_a, export_cin_census

R = TypeVar("R")
FORM_WIDTH = 760


def _left(widget: QWidget) -> QHBoxLayout:
    """A button at its natural size on the left of a form row, not stretched across it."""
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


class ExportsPage(QWidget):
    exported = Signal(object)
    """Emitted with the ``Path`` of each file written."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = window.runner
        self._ctx = window.ctx
        today = london_date(window.clock())
        self.setAutoFillBackground(True)  # the window's colour, not the tab frame's, around the forms
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "The lists inspectors and the Department for Education ask for, made from this database. "
                "Each file holds children's details: save it only where your authority's policy allows."
            ),
            self,
        )
        intro.setWordWrap(True)
        intro.setMaximumWidth(FORM_WIDTH)
        set_flag(intro, "banner", "info")
        layout.addWidget(intro)

        annex = QGroupBox(
            tr("Ofsted inspection: Annex A, Lists 1 (contacts), 2 (early help), 3 (referrals) and 5 (section 47)"),
            self,
        )
        annex_form = QFormLayout(annex)
        self.inspection_edit = DateBox(annex)
        self.inspection_edit.today = lambda: today
        self.inspection_edit.set_day(today)
        self.inspection_edit.setAccessibleName(tr("Inspection date"))
        self.inspection_error = _error_label(annex)
        self.annex_period_label = QLabel(annex)
        set_flag(self.annex_period_label, "muted", True)
        # the period follows the date as it is typed: it is worked out here, with nothing to read
        self.inspection_edit.textChanged.connect(lambda _t: self._show_periods())
        self.inspection_edit.textEdited.connect(lambda _t: self._clear(self.inspection_edit, self.inspection_error))
        self.annex_button = QPushButton(tr("Save &Annex A…"), annex)
        self.annex_button.clicked.connect(self.export_annex_a)
        inspection_caption = QLabel(tr("&Inspection date:"), annex)
        inspection_caption.setBuddy(self.inspection_edit)
        annex_form.addRow(inspection_caption, self.inspection_edit)
        annex_form.addRow("", self.inspection_error)
        annex_form.addRow("", self.annex_period_label)
        annex_form.addRow("", _left(self.annex_button))
        annex.setMaximumWidth(FORM_WIDTH)
        layout.addWidget(annex)

        census = QGroupBox(tr("Children in Need census (referrals), XML for the DfE"), self)
        census_form = QFormLayout(census)
        self.year_spin = QSpinBox(census)
        self.year_spin.setRange(FIRST_YEAR, LAST_YEAR)  # the census years the export knows the format of
        self.year_spin.setValue(today.year if today.month > 3 else today.year - 1)
        self.year_spin.setAccessibleName(tr("Census year"))
        self.year_spin.setMaximumWidth(120)
        self.year_spin.valueChanged.connect(lambda _v: self._show_periods())
        self.year_error = _error_label(census)
        self.census_period_label = QLabel(census)
        set_flag(self.census_period_label, "muted", True)
        self.la_edit = QLineEdit(census)
        self.la_edit.setMaxLength(3)
        self.la_edit.setMaximumWidth(120)
        self.la_edit.setAccessibleName(tr("Local authority code"))
        self.la_edit.setToolTip(tr("Your local authority's three-digit DfE code, as in 821 for Luton"))
        self.la_error = _error_label(census)
        self.la_note = QLabel(census)
        self.la_note.setWordWrap(True)
        set_flag(self.la_note, "muted", True)
        self.la_edit.textEdited.connect(lambda _t: self._clear(self.la_edit, self.la_error))
        self.census_button = QPushButton(tr("Save the CIN ce&nsus…"), census)
        self.census_button.clicked.connect(self.export_census)
        year_caption = QLabel(tr("Census &year (ending 31 March):"), census)
        year_caption.setBuddy(self.year_spin)
        la_caption = QLabel(tr("&LA code:"), census)
        la_caption.setBuddy(self.la_edit)
        census_form.addRow(year_caption, self.year_spin)
        census_form.addRow("", self.year_error)
        census_form.addRow("", self.census_period_label)
        census_form.addRow(la_caption, self.la_edit)
        census_form.addRow("", self.la_error)
        census_form.addRow("", self.la_note)
        census_form.addRow("", _left(self.census_button))
        census.setMaximumWidth(FORM_WIDTH)
        layout.addWidget(census)

        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(240)
        self.busy_bar.setAccessibleName(tr("Writing the file"))
        self.busy_bar.hide()
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.hide()
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        self._show_periods()
        # the hub's code, set once by an administrator: nobody types it again for each return
        ctx = self._ctx
        self._runner.run(lambda: hub_la_code(ctx), self._show_hub_la_code, owner=self, label=tr("Reading the LA code"))

    def _show_hub_la_code(self, code: str | None) -> None:
        if code is None:
            self.la_note.setText(
                tr("No code is set for the hub yet: an administrator can set it once under Administration ▸ Settings.")
            )
            return
        if not self.la_edit.text().strip():
            self.la_edit.setText(code)
        self.la_note.setText(tr("The hub's code, {code}, set by the administrator.").format(code=code))

    def _show_periods(self) -> None:
        inspection = self.inspection_edit.day_or_none()
        if inspection is None:
            self.annex_period_label.clear()  # half typed: the period comes back with a whole date
        else:
            period = annex_a_period(inspection)
            self.annex_period_label.setText(
                tr("Contacts and referrals received {first:%d %b %Y} to {last:%d %b %Y}.").format(
                    first=period.first, last=period.last
                )
            )
        try:
            census = census_period(self.year_spin.value())
        except InvalidInput as exc:
            self.census_period_label.setText(" ".join(exc.field_errors.values()))
            return
        self.census_period_label.setText(
            tr("Referrals received {first:%d %b %Y} to {last:%d %b %Y}.").format(first=census.first, last=census.last)
        )

    def _clear(self, field: QWidget, error: QLabel) -> None:
        error.hide()
        set_flag(field, "invalid", False)

    def _field_error(self, field: QWidget, error: QLabel, message: str) -> None:
        error.setText(message)
        error.show()
        set_flag(field, "invalid", True)
        field.setFocus()

    # --- exporting ---------------------------------------------------------------------------------

    def export_annex_a(self) -> None:
        self._clear(self.inspection_edit, self.inspection_error)
        try:
            day = self.inspection_edit.day()
        except MomentError as exc:
            self._field_error(self.inspection_edit, self.inspection_error, str(exc))
            return
        path = SaveFileChoice.ask(
            self, tr("Save Annex A"), f"annex-a-{day:%Y-%m-%d}.xlsx", tr("Excel workbooks (*.xlsx)")
        )
        if path is None:
            return
        ctx = self._ctx

        def written(annex: AnnexAWritten) -> str:
            return tr(
                "Annex A saved to {path}: List 1 has {contacts}, List 2 has {early_help:,}, "
                "List 3 has {referrals:,} and List 5 has {enquiries:,}."
            ).format(
                path=path,
                contacts=counted(annex.contacts, tr("row"), tr("rows")),
                early_help=annex.early_help,
                referrals=annex.referrals,
                enquiries=annex.enquiries,
            )

        self._run(lambda: export_annex_a(ctx, day, path), path, written, tr("Writing Annex A"))

    def export_census(self) -> None:
        self._clear(self.la_edit, self.la_error)
        self._clear(self.year_spin, self.year_error)
        year, la_code = self.year_spin.value(), self.la_edit.text().strip()
        if not la_code:
            self._field_error(
                self.la_edit,
                self.la_error,
                tr(
                    "Enter your local authority's three-digit code; an administrator can set it once for the hub "
                    "(Administration ▸ Settings)."
                ),
            )
            return
        path = SaveFileChoice.ask(
            self, tr("Save the CIN census"), f"cin-census-{year}-{la_code}.xml", tr("XML files (*.xml)")
        )
        if path is None:
            return
        ctx = self._ctx

        def written(census: CensusWritten) -> str:
            children = counted(census.children, tr("child"), tr("children"))
            return tr("The {year} CIN census for LA {la} is saved to {path}: {children}.").format(
                year=year, la=la_code, path=path, children=children
            )

        self._run(lambda: export_cin_census(ctx, year, la_code, path), path, written, tr("Writing the CIN census"))

    def _run(self, work: Callable[[], R], path: Path, words: Callable[[R], str], label: str) -> None:
        """Write the file on a worker; a disk that refuses it is a problem to report, not a crash."""

        def write() -> R:
            try:
                return work()
            except OSError as exc:
                raise MashDeskError(f"{path} could not be written: {exc.strerror or exc}") from exc

        self.busy_bar.show()
        self.status_label.setText(tr("{label}… This can take a minute on a large database.").format(label=label))
        self.status_label.show()
        for button in (self.annex_button, self.census_button):
            button.setEnabled(False)
        self._runner.run(
            write,
            lambda result: self._done(path, words(result)),
            self._failed,
            owner=self,
            label=label,
        )

    def _settle(self) -> None:
        self.busy_bar.hide()
        for button in (self.annex_button, self.census_button):
            button.setEnabled(True)

    def _done(self, path: Path, text: str) -> None:
        self._settle()
        self.status_label.setText(text)
        Notice.show(self, tr("File saved"), text)
        emit(self.exported, path)

    def _failed(self, exc: MashDeskError) -> None:
        self._settle()
        self.status_label.hide()
        if isinstance(exc, InvalidInput):
            fields = {"la": (self.la_edit, self.la_error), "year": (self.year_spin, self.year_error)}
            rest = []
            for name, message in exc.field_errors.items():
                if name in fields:
                    self._field_error(*fields[name], message)
                else:
                    rest.append(message)
            if not rest:
                return
            exc = InvalidInput.single("export", " ".join(rest))
        ErrorDialog.ask(self, tr("Nothing was saved"), str(exc))
