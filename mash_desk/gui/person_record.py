"""A person's record in the workspace: who they are, their family, addresses and the agencies
involved now, every contact that named them, and one chronology across all of it, newest first.

Opened from a contact (Ctrl+O, or Enter on a child or adult), from a search result or from the
intake's possible matches (Ctrl+O); read on a worker (``services.person_record.open_person_record``,
audited like a contact). Alt+Left goes back to where the person came from; Enter on a contact or
a chronology entry opens that contact, Enter on a relative opens their record. Ctrl+P prints the
chronology as filtered, Ctrl+Shift+S saves it as a PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.chronology import KIND_WORDS, ChronologyFilter, EntryKind, newest_first
from mash_desk.domain.enums import HousingTenure, PersonKind, Role
from mash_desk.domain.errors import InvalidInput, MashDeskError, RestrictedRecord
from mash_desk.domain.lifecycle import Action, role_may
from mash_desk.domain.validation import format_nhs_number
from mash_desk.gui.contact_offers import GCP_KEY
from mash_desk.gui.dialogs.person_details import AliasAnswer, AliasDialog, CorrectionAnswer, CorrectPersonDialog
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.messages import shortcut_text
from mash_desk.gui.person_editors import GENDER_WORDS, parse_day
from mash_desk.gui.person_record_parts import (
    ChronologyModel,
    ContactsModel,
    RelativesModel,
    record_label,
    record_table,
)
from mash_desk.gui.risk_actions import RiskActions
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import ROW_ROLE, Clock
from mash_desk.gui.theme import Theme
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import day, enum_words, tr, upn_unknown_words, when
from mash_desk.services.people import add_alias, correct_person
from mash_desk.services.person_record import (
    AddressRow,
    AgencyNowRow,
    PersonRecord,
    RelativeRow,
    open_person_record,
)

BACK_KEY = "Alt+Left"
OPEN_KEY = "Ctrl+O"
PRINT_KEY = "Ctrl+P"
SAVE_PDF_KEY = "Ctrl+Shift+S"
CORRECT_KEY = "Ctrl+E"
ALIAS_KEY = "Ctrl+Shift+N"
EDITORS = frozenset({Role.PRACTITIONER, Role.MANAGER})
"""Who may correct a person's details or add a name (``services.people``): the window offers it to no one else."""


class PersonRecordPage(QWidget):
    loaded = Signal(object)
    """Emitted with the ``PersonRecord`` each time the record has been read."""
    load_failed = Signal(object)
    """Emitted with the ``MashDeskError`` when the record could not be read."""
    restricted = Signal(object)
    """Emitted with the ``RestrictedRecord`` when the person is restricted to this reader."""
    contact_requested = Signal(int)
    """Emitted with a contact's id when the reader asks to open it."""
    person_requested = Signal(int)
    """Emitted with a relative's person id when the reader asks to open their record."""
    back_requested = Signal()
    """Emitted when the reader asks to go back to where they came from (Alt+Left)."""
    printed = Signal(str)
    """Emitted with what was done when the chronology has been printed or saved."""

    def __init__(self, person_id: int, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person_id = person_id
        self.record: PersonRecord | None = None
        self._runner = window.runner
        self._ctx = window.ctx
        self._actor = window.actor
        self._clock = window.clock
        theme, clock, actor = window.theme, window.clock, window.actor
        self._reloads = 0
        self.risk = RiskActions(window, self)
        self.qactions: list[QAction] = []
        layout = QVBoxLayout(self)
        self.title_label = QLabel(tr("Opening the record…"), self)
        self.title_label.setProperty("heading", True)
        layout.addWidget(self.title_label)
        self.facts_label = record_label(self)
        layout.addWidget(self.facts_label)
        self.case_label = record_label(self)
        layout.addWidget(self.case_label)
        self.banner = record_label(self)
        set_flag(self.banner, "banner", "warning")
        self.banner.hide()
        layout.addWidget(self.banner)
        buttons = QHBoxLayout()
        layout.addLayout(buttons)
        self.buttons: dict[str, QPushButton] = {}
        editor = actor.role in EDITORS
        for key, text, shortcut, slot, offered in (
            ("back", tr("Back"), BACK_KEY, lambda: emit(self.back_requested), True),
            ("open", tr("Open the selected"), OPEN_KEY, self.open_selected, True),
            ("print", tr("Print the chronology"), PRINT_KEY, self.print_chronology, True),
            ("save_pdf", tr("Save the chronology as PDF"), SAVE_PDF_KEY, self.save_chronology, True),
            ("correct", tr("Correct details…"), CORRECT_KEY, self.correct_details, editor),
            ("alias", tr("Add another name…"), ALIAS_KEY, self.add_name, editor),
            ("gcp", tr("Graded Care Profile 2…"), GCP_KEY, self.record_gcp, role_may(actor.role, Action.RECORD_GCP)),
        ):
            if not offered:
                continue  # a role that cannot do it is not offered it
            action = QAction(text, self)
            action.setObjectName(f"action_{key}")
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.qactions.append(action)
            button = QPushButton(f"{text} ({shortcut_text(shortcut)})", self)
            button.setObjectName(f"button_{key}")
            button.clicked.connect(action.trigger)
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        self.sections = QTabWidget(self)
        layout.addWidget(self.sections, 1)
        self._build_chronology(theme, clock)
        self.contacts_model = ContactsModel(theme, clock, self)
        self.contacts_view = record_table(self.contacts_model, "earlier_contacts", self)
        self.contacts_view.activated.connect(lambda index: self._open_contact_at(self.contacts_model, index))
        self.sections.addTab(self.contacts_view, tr("Con&tacts"))
        self._build_identity()
        self.relatives_model = RelativesModel(theme, clock, self)
        self.relatives_view = record_table(self.relatives_model, "family_and_household", self)
        self.relatives_view.activated.connect(self._open_relative_at)
        self.sections.addTab(self.relatives_view, tr("&Family and household"))
        self._build_places()
        self.sections.setEnabled(False)
        self.reload()

    # --- building ------------------------------------------------------------------------------

    def _build_chronology(self, theme: Theme, clock: Clock) -> None:
        page = QWidget(self)
        box = QVBoxLayout(page)
        filters = QHBoxLayout()
        box.addLayout(filters)
        self.agency_combo = QComboBox(page)
        self.agency_combo.setObjectName("agency_filter")
        self.agency_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind_combo = QComboBox(page)
        self.kind_combo.setObjectName("kind_filter")
        self.kind_combo.addItem(tr("Every kind"), None)
        for kind, words in KIND_WORDS.items():
            self.kind_combo.addItem(tr(words), kind)
        self.since_edit = QLineEdit(page)
        self.since_edit.setObjectName("since_filter")
        self.until_edit = QLineEdit(page)
        self.until_edit.setObjectName("until_filter")
        for edit in (self.since_edit, self.until_edit):
            edit.setPlaceholderText(tr("dd/mm/yyyy"))
            edit.setMaximumWidth(110)
            edit.editingFinished.connect(self.apply_filter)
        for text, widget in (
            (tr("Agenc&y:"), self.agency_combo),
            (tr("&Kind:"), self.kind_combo),
            (tr("&Period from:"), self.since_edit),
            (tr("&until:"), self.until_edit),
        ):
            label = QLabel(text, page)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        self.agency_combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.count_label = record_label(page, wrap=False)
        filters.addWidget(self.count_label, 1)
        self.filter_error = record_label(page)
        set_flag(self.filter_error, "banner", "error")
        self.filter_error.hide()
        box.addWidget(self.filter_error)
        self.chronology_model = ChronologyModel(theme, clock, self)
        self.chronology_view = record_table(self.chronology_model, "chronology", page)
        self.chronology_view.activated.connect(lambda index: self._open_contact_at(self.chronology_model, index))
        box.addWidget(self.chronology_view, 1)
        self.sections.addTab(page, tr("Chro&nology"))

    def _build_identity(self) -> None:
        page = QWidget(self)
        grid = QGridLayout(page)
        self.identity_labels: dict[str, QLabel] = {}
        for position, (key, caption) in enumerate(
            (
                ("names", tr("Other names and spellings")),
                ("identifiers", tr("Identifiers")),
                ("language", tr("Language and interpreter")),
                ("needs", tr("Disability and communication needs")),
                ("corrections", tr("Corrections (newest first)")),
            )
        ):
            heading = QLabel(caption, page)
            heading.setProperty("subheading", True)
            grid.addWidget(heading, position, 0, Qt.AlignmentFlag.AlignTop)
            value = record_label(page)
            value.setObjectName(f"{key}_value")
            grid.addWidget(value, position, 1, Qt.AlignmentFlag.AlignTop)
            self.identity_labels[key] = value
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(5, 1)
        self.sections.addTab(page, tr("&Identity and names"))

    def _build_places(self) -> None:
        page = QWidget(self)
        box = QVBoxLayout(page)
        heading = QLabel(tr("Addresses, newest first, with housing circumstances"), page)
        heading.setProperty("subheading", True)
        box.addWidget(heading)
        self.addresses_label = record_label(page)
        self.addresses_label.setObjectName("addresses_value")
        box.addWidget(self.addresses_label)
        heading = QLabel(tr("Agencies involved now"), page)
        heading.setProperty("subheading", True)
        box.addWidget(heading)
        self.agencies_label = record_label(page)
        self.agencies_label.setObjectName("agencies_value")
        box.addWidget(self.agencies_label)
        box.addStretch(1)
        self.sections.addTab(page, tr("Addresses and a&gencies"))

    # --- reading -------------------------------------------------------------------------------

    @property
    def title(self) -> str:
        return self.record.person.name if self.record is not None else tr("Person")

    def reload(self) -> None:
        ctx, person_id = self._ctx, self.person_id
        self._reloads += 1
        generation = self._reloads
        self._runner.run(
            lambda: open_person_record(ctx, person_id),
            lambda record: self._show(generation, record),
            self._failed,
            owner=self,
            label=tr("Opening the record"),
        )

    def _failed(self, exc: MashDeskError) -> None:
        if isinstance(exc, RestrictedRecord):
            self.record = None
            self.sections.setEnabled(False)
            self.sections.hide()
            self.title_label.setText(tr("Restricted record"))
            self.banner.setText(str(exc))
            self.banner.show()
            emit(self.restricted, exc)
            return
        if self.record is None:
            self.title_label.setText(tr("This record could not be opened"))
        self.banner.setText(str(exc))
        self.banner.show()
        emit(self.load_failed, exc)

    def _show(self, generation: int, record: PersonRecord) -> None:
        if generation != self._reloads:
            return
        self.record = record
        person = record.person
        self.sections.setEnabled(True)
        self.sections.show()
        self.banner.hide()
        kind = tr("Child") if record.kind is PersonKind.CHILD else tr("Adult")
        self.title_label.setText(f"{person.name} — {kind}")
        born = day(person.date_of_birth) or (
            tr("expected {date}").format(date=day(person.expected_date_of_birth))
            if person.expected_date_of_birth
            else tr("not known")
        )
        facts = [tr("Born {born}").format(born=born), tr(GENDER_WORDS[person.gender]).capitalize()]
        if person.nhs_number:
            facts.append(tr("NHS {number}").format(number=format_nhs_number(person.nhs_number)))
        if person.interpreter_needed:
            facts.append(
                tr("{language} — INTERPRETER NEEDED").format(language=person.first_language or tr("language not known"))
            )
        self.facts_label.setText(" · ".join(facts))
        if record.case_open:
            self.case_label.setText(
                tr("Open case: known to {team}{worker}.").format(
                    team=person.allocated_team or tr("a team"),
                    worker=tr(", worker {name}").format(name=record.allocated_worker)
                    if record.allocated_worker
                    else "",
                )
            )
            set_flag(self.case_label, "banner", "warning")
            self.case_label.show()
        else:
            self.case_label.hide()
        self.contacts_model.set_rows(record.contacts)
        self.sections.setTabText(1, tr("Con&tacts ({count})").format(count=len(record.contacts)))
        self.relatives_model.set_rows(record.relatives)
        self._show_identity(record)
        self._show_places(record.addresses, record.agencies_now)
        self._fill_agencies(record)
        self.apply_filter()
        emit(self.loaded, record)

    def _show_identity(self, record: PersonRecord) -> None:
        person = record.person
        labels = self.identity_labels
        labels["names"].setText(
            "\n".join(
                tr("{name} (recorded {when})").format(name=a.name, when=when(a.recorded_at)) for a in record.aliases
            )
            or tr("None recorded.")
        )
        identifiers = [
            tr("NHS number: {value}").format(
                value=format_nhs_number(person.nhs_number) if person.nhs_number else tr("not known")
            ),
            tr("UPN: {value}").format(value=record.upn or upn_unknown_words(record.upn_unknown)),
            tr("Local id: {value}").format(value=record.local_child_id or tr("none")),
        ]
        if record.ethnicity_code:
            identifiers.append(tr("Ethnicity code: {value}").format(value=record.ethnicity_code))
        labels["identifiers"].setText("\n".join(identifiers))
        language = person.first_language or tr("First language not recorded")
        labels["language"].setText(
            tr("{language} — an interpreter is needed").format(language=language)
            if person.interpreter_needed
            else tr("{language} — no interpreter needed").format(language=language)
        )
        disability = {True: tr("Disability: yes"), False: tr("Disability: no"), None: tr("Disability: not known")}[
            record.disability
        ]
        labels["needs"].setText(
            f"{disability}\n" + (record.communication_needs or tr("No communication needs recorded."))
        )
        labels["corrections"].setText(
            "\n".join(f"{when(c.at)} — {c.who}: {c.text}" for c in record.corrections) or tr("None.")
        )

    def _show_places(self, addresses: tuple[AddressRow, ...], agencies: tuple[AgencyNowRow, ...]) -> None:
        lines = []
        for a in addresses:
            housing = [enum_words(a.tenure)]
            if a.temporary_accommodation and a.tenure is not HousingTenure.TEMPORARY:
                housing.append(tr("temporary accommodation"))
            if a.overcrowded:
                housing.append(tr("overcrowded"))
            if a.homeless:
                housing.append(tr("HOMELESS"))
            span = (
                day(a.first_seen.date())
                if a.first_seen == a.last_seen
                else (f"{day(a.first_seen.date())} – {day(a.last_seen.date())}")
            )
            where = ", ".join(p for p in (a.address, a.postcode) if p) or tr("address not known")
            notes = f" ({a.housing_notes})" if a.housing_notes else ""
            lines.append(
                tr("{where}: {housing}{notes}. {span}, on {references}").format(
                    where=where, housing=", ".join(housing), notes=notes, span=span, references=", ".join(a.references)
                )
            )
        self.addresses_label.setText("\n".join(lines) or tr("No address recorded."))
        self.agencies_label.setText(
            "\n".join(f"{a.name}: {a.why}" for a in agencies) or tr("No agency is involved now, as far as you may see.")
        )

    def _fill_agencies(self, record: PersonRecord) -> None:
        chosen = self.agency_combo.currentData()
        self.agency_combo.blockSignals(True)
        self.agency_combo.clear()
        self.agency_combo.addItem(tr("Every agency"), None)
        for agency in record.agencies:
            self.agency_combo.addItem(agency, agency)
        found = self.agency_combo.findData(chosen) if chosen else 0
        self.agency_combo.setCurrentIndex(max(found, 0))
        self.agency_combo.blockSignals(False)

    # --- the chronology's filter ----------------------------------------------------------------

    def current_filter(self) -> ChronologyFilter:
        """What the filter row says; ``InvalidInput`` (by field) for a date that is not one."""
        problems: dict[str, str] = {}
        days: dict[str, date | None] = {}
        for name, edit in (("since", self.since_edit), ("until", self.until_edit)):
            try:
                days[name] = parse_day(edit.text())
            except ValueError as exc:
                problems[name] = str(exc)
        if problems:
            raise InvalidInput(problems)
        agency = self.agency_combo.currentData()
        kind = self.kind_combo.currentData()
        return ChronologyFilter(
            agencies=frozenset({agency}) if agency else frozenset(),
            kinds=frozenset({EntryKind(kind)}) if kind else frozenset(),
            since=days["since"],
            until=days["until"],
        )

    def apply_filter(self) -> None:
        for edit in (self.since_edit, self.until_edit):
            set_flag(edit, "invalid", False)
        try:
            keep = self.current_filter()
        except InvalidInput as exc:
            self._filter_problem(exc)
            return
        self.filter_error.hide()
        rows = self.record.chronology if self.record is not None else ()
        shown = newest_first(rows, keep)
        self.chronology_model.set_rows(shown)
        self.count_label.setText(
            tr("{shown} of {total} entries, newest first").format(shown=len(shown), total=len(rows))
        )

    def _filter_problem(self, exc: InvalidInput) -> None:
        edits = {"since": self.since_edit, "until": self.until_edit}
        for name in exc.field_errors:
            if name in edits:
                set_flag(edits[name], "invalid", True)
        self.filter_error.setText(" ".join(exc.field_errors.values()))
        self.filter_error.show()

    # --- acting --------------------------------------------------------------------------------

    def focus_first(self) -> None:
        self.sections.setCurrentIndex(0)
        self.chronology_view.setFocus()
        if self.chronology_model.rowCount() and not self.chronology_view.selectionModel().hasSelection():
            self.chronology_view.selectRow(0)

    def open_selected(self) -> None:
        """Ctrl+O: open what is selected in the section on show (a contact, or a relative's record)."""
        current = self.sections.currentWidget()
        if current is self.relatives_view:
            self._open_relative_at(self.relatives_view.currentIndex())
        elif current is self.contacts_view:
            self._open_contact_at(self.contacts_model, self.contacts_view.currentIndex())
        else:
            self._open_contact_at(self.chronology_model, self.chronology_view.currentIndex())

    def _open_contact_at(self, model: ContactsModel | ChronologyModel, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = model.data(index, ROW_ROLE)
        contact_id = getattr(row, "contact_id", None)
        if isinstance(contact_id, int):
            emit(self.contact_requested, contact_id)

    def _open_relative_at(self, index: QModelIndex) -> None:
        if index.isValid():
            row = self.relatives_model.data(index, ROW_ROLE)
            if isinstance(row, RelativeRow):
                emit(self.person_requested, row.person_id)

    def _chronology_pdf(self, then: Callable[[bytes], None]) -> None:
        from mash_desk.services.person_record.printing import print_chronology  # noqa: PLC0415 - reportlab on demand

        try:
            keep = self.current_filter()
        except InvalidInput as exc:
            self._filter_problem(exc)
            return
        ctx, person_id = self._ctx, self.person_id
        self._runner.run(
            lambda: print_chronology(ctx, person_id, keep),
            then,
            self._action_failed,
            owner=self,
            label=tr("Making the chronology"),
        )

    def print_chronology(self) -> None:
        """Ctrl+P: the chronology, as filtered, to a printer the person chooses."""
        from mash_desk.gui.manager.pdf_print import PdfPrinter  # noqa: PLC0415 - Qt PDF only when printing
        from mash_desk.gui.manager.pickers import PrinterChoice  # noqa: PLC0415

        if self.record is None:
            return
        printer = PrinterChoice.ask(self, tr("Print the chronology"))
        if printer is None:
            return

        def send(pdf: bytes) -> None:
            pages = PdfPrinter(printer)
            try:
                count = pages.add(pdf)
            finally:
                pages.finish()
            emit(self.printed, tr("The chronology was printed ({pages} pages).").format(pages=count))

        self._chronology_pdf(send)

    def save_chronology(self) -> None:
        """Ctrl+Shift+S: the chronology, as filtered, saved as a PDF file."""
        from mash_desk.gui.manager.pickers import SaveFileChoice  # noqa: PLC0415

        record = self.record
        if record is None:
            return
        name = f"chronology-{record.person.family_name}-{record.person.given_names}.pdf".replace(" ", "-").lower()
        path = SaveFileChoice.ask(self, tr("Save the chronology"), name, tr("PDF documents (*.pdf)"))
        if path is None:
            return

        def write(pdf: bytes) -> None:
            try:
                path.write_bytes(pdf)
            except OSError as exc:
                self._action_failed(
                    MashDeskError(tr("Could not save {path}: {problem}").format(path=path, problem=exc))
                )
                return
            emit(self.printed, tr("The chronology was saved as {path}.").format(path=path))

        self._chronology_pdf(write)

    def correct_details(self, answer: CorrectionAnswer | None = None, errors: dict[str, str] | None = None) -> None:
        """Ctrl+E: correct identifying details, saying why; a refused save reopens with what was typed."""
        record = self.record
        if record is None or "correct" not in self.buttons:
            return
        answer = CorrectPersonDialog.ask(self, record, answer=answer, errors=errors)
        if answer is None:
            return
        ctx, person_id, version = self._ctx, self.person_id, record.version
        chosen = answer
        self._runner.run(
            lambda: correct_person(ctx, person_id, chosen.correction, expected_version=version, reason=chosen.reason),
            lambda _version: self._saved(tr("The correction is saved, with your reason.")),
            lambda exc: self._refused(exc, lambda e: self.correct_details(chosen, e)),
            owner=self,
            label=tr("Saving the correction"),
        )

    def add_name(self, answer: AliasAnswer | None = None, errors: dict[str, str] | None = None) -> None:
        """Ctrl+Shift+N: another name the person is known by."""
        record = self.record
        if record is None or "alias" not in self.buttons:
            return
        answer = AliasDialog.ask(self, record.person.name, answer=answer, errors=errors)
        if answer is None:
            return
        ctx, person_id = self._ctx, self.person_id
        chosen = answer
        self._runner.run(
            lambda: add_alias(ctx, person_id, chosen.given_names, chosen.family_name),
            lambda _alias: self._saved(tr("The name is added: search finds them by it too.")),
            lambda exc: self._refused(exc, lambda e: self.add_name(chosen, e)),
            owner=self,
            label=tr("Adding the name"),
        )

    def record_gcp(self) -> None:
        """Ctrl+Shift+Y: a Graded Care Profile 2 for this child, on no contact (``RiskActions``)."""
        record = self.record
        if record is not None and record.kind is PersonKind.CHILD and "gcp" in self.buttons:
            self.risk.gcp_for_child(self.person_id, record.person.name, self, done=self.reload)

    def _saved(self, message: str) -> None:
        emit(self.printed, message)
        self.reload()

    def _refused(self, exc: MashDeskError, again: Callable[[dict[str, str]], None]) -> None:
        if isinstance(exc, InvalidInput):
            again(exc.field_errors)
            return
        self._action_failed(exc)

    def _action_failed(self, exc: MashDeskError) -> None:
        self.banner.setText(str(exc))
        self.banner.show()
        emit(self.load_failed, exc)
