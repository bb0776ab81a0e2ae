"""One child, or one adult, inside the intake form.

Widget names in ``ui/child_editor.ui`` and ``ui/adult_editor.ui`` are the service's field names, so
``InvalidInput`` keys such as ``children.0.nhs_number`` find their widget without a mapping table.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton, QWidget

from mash_desk.domain.cin import ETHNICITIES, UPN_UNKNOWN_REASONS
from mash_desk.domain.enums import Gender, RelationshipKind
from mash_desk.domain.validation import format_nhs_number, is_valid_nhs_number
from mash_desk.domain.words import counted
from mash_desk.gui.field_errors import FieldErrorDisplay
from mash_desk.gui.forms import load_form, need
from mash_desk.gui.intake_draft import Json, read_widgets, write_widgets
from mash_desk.gui.intake_keys import ALLEGED_HARM_KEY
from mash_desk.gui.messages import shortcut_text
from mash_desk.gui.signals import emit
from mash_desk.gui.widgets import (
    combos_may_shrink,
    enum_data,
    fill_codes,
    fill_enum,
    fill_tristate,
    set_combo_value,
    tristate,
)
from mash_desk.gui.words import day, enum_words, tr
from mash_desk.services.drafts import AdultDraft, ChildDraft
from mash_desk.services.search import PersonMatch

_DATE = re.compile(r"^\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")

GENDER_WORDS = {
    Gender.NOT_KNOWN: "not known",
    Gender.MALE: "male",
    Gender.FEMALE: "female",
    Gender.NOT_SPECIFIED: "not specified",
}


def parse_day(text: str) -> date | None:
    """A date as people type it (04/05/2019, 4.5.2019, 2019-05-04); blank is "not known".

    Raises ``ValueError`` with a message for the field when it is not a date.
    """
    if not text.strip():
        return None
    match = _DATE.match(text)
    if match:
        d, m, y = (int(part) for part in match.groups())
    else:
        iso = _ISO.match(text)
        if not iso:
            raise ValueError(tr("Write the date as day/month/year, for example 04/05/2019."))
        y, m, d = (int(part) for part in iso.groups())
    try:
        return date(y, m, d)
    except ValueError:
        raise ValueError(tr("There is no such date; check the day and the month.")) from None


class PersonEditor(QWidget):
    """What a child and an adult editor share: a form, a title, a remove button, a draft state."""

    ui_name: str
    FIELDS: tuple[str, ...]
    DATE_FIELDS: tuple[str, ...] = ()
    changed = Signal()
    """Emitted whenever anything in the editor is edited (for the draft and the search)."""
    remove_requested = Signal(object)
    """Emitted with this editor when its remove button is pressed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form(self.ui_name, self)
        self.title_label = need(self.form, QLabel, "title_label")
        self.remove_button = need(self.form, QPushButton, "remove_button")
        self.remove_button.clicked.connect(lambda: emit(self.remove_requested, self))
        self.fields: dict[str, QWidget] = {name: need(self.form, QWidget, name) for name in self.FIELDS}
        gender = self.combo("gender")
        fill_enum(gender, list(Gender), lambda g: tr(GENDER_WORDS[g]))
        combos_may_shrink(self.form)

    def first_to_type(self) -> QLineEdit:
        """Where typing this person starts: the family name, or the given names once it is filled in
        (a brother or sister starts with the family name of the child before)."""
        family = self.line("family_name")
        return self.line("given_names") if family.text().strip() else family

    def line(self, name: str) -> QLineEdit:
        widget = self.fields[name]
        assert isinstance(widget, QLineEdit)
        return widget

    def combo(self, name: str) -> QComboBox:
        widget = self.fields[name]
        assert isinstance(widget, QComboBox)
        return widget

    def check(self, name: str) -> QCheckBox:
        widget = self.fields[name]
        assert isinstance(widget, QCheckBox)
        return widget

    def _watch(self) -> None:
        for widget in self.fields.values():
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(self.changed)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self.changed)
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(self.changed)

    def set_number(self, number: int, total: int) -> None:
        raise NotImplementedError

    def bind_errors(self, errors: FieldErrorDisplay, prefix: str) -> None:
        for name, widget in self.fields.items():
            errors.bind(f"{prefix}{name}", widget)

    def parse_dates(self, prefix: str, problems: dict[str, str]) -> dict[str, date | None]:
        dates: dict[str, date | None] = {}
        for name in self.DATE_FIELDS:
            try:
                dates[name] = parse_day(self.line(name).text())
            except ValueError as exc:
                problems[f"{prefix}{name}"] = str(exc)
                dates[name] = None
        return dates

    def focus_widgets(self) -> list[QWidget]:
        return [*self.fields.values(), self.remove_button]

    def state(self) -> dict[str, Json]:
        return read_widgets(self.fields)

    def restore(self, state: dict[str, Json]) -> None:
        write_widgets(self.fields, state)


class ChildEditor(PersonEditor):
    ui_name = "child_editor.ui"
    FIELDS = (  # in the order of the screen, row by row: the tab order
        "family_name",
        "given_names",
        "date_of_birth",
        "expected_date_of_birth",
        "gender",
        "nhs_number",
        "ethnicity_code",
        "first_language",
        "interpreter_needed",
        "communication_needs",
        "disability",
        "upn",
        "upn_unknown",
    )
    DATE_FIELDS = ("date_of_birth", "expected_date_of_birth")
    SEARCH_FIELDS = ("given_names", "family_name", "date_of_birth", "nhs_number")
    search_changed = Signal(object)
    """Emitted with this editor when a field the person search uses was edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.linked: PersonMatch | None = None
        self._linked_id: int | None = None
        self.linked_label = need(self.form, QLabel, "linked_label")
        self.unlink_button = need(self.form, QPushButton, "unlink_button")
        self.unlink_button.clicked.connect(self.unlink)
        fill_codes(self.combo("ethnicity_code"), list(ETHNICITIES.items()), blank=tr("— not recorded —"))
        fill_tristate(self.combo("disability"))
        fill_codes(
            self.combo("upn_unknown"),
            list(UPN_UNKNOWN_REASONS.items()),
            blank=tr("— the UPN is known, or not needed —"),
        )
        self._watch()
        for name in self.SEARCH_FIELDS:
            self.line(name).textEdited.connect(lambda _text: emit(self.search_changed, self))
        self._show_link()

    def set_number(self, number: int, total: int) -> None:
        self.title_label.setText(tr("Child {number}").format(number=number))
        self.remove_button.setVisible(total > 1)
        self.remove_button.setAccessibleName(tr("Remove child {number}").format(number=number))

    @property
    def existing_person_id(self) -> int | None:
        return self._linked_id

    def link(self, match: PersonMatch) -> None:
        """Use the existing record for this child: one child, one record."""
        self.linked = match
        self._linked_id = match.person_id
        self.line("given_names").setText(match.given_names)
        self.line("family_name").setText(match.family_name)
        self.line("date_of_birth").setText(day(match.date_of_birth))
        self.line("nhs_number").setText(format_nhs_number(match.nhs_number) if match.nhs_number else "")
        self._show_link()
        emit(self.changed)

    def unlink(self) -> None:
        self.linked = None
        self._linked_id = None
        self._show_link()
        emit(self.changed)
        self.line("given_names").setFocus()

    def _show_link(self) -> None:
        linked = self._linked_id is not None
        for widget in self.fields.values():
            widget.setEnabled(not linked)
        self.linked_label.setVisible(linked)
        self.unlink_button.setVisible(linked)
        if not linked:
            return
        match = self.linked
        if match is None:
            self.linked_label.setText(tr("Linked to an existing record (restored from your draft)."))
            return
        history = [
            tr("Linked to the existing record of {name}, born {born}.").format(
                name=match.name, born=day(match.date_of_birth) or tr("not known")
            )
        ]
        if match.re_referral:
            history.append(
                tr("RE-REFERRAL: {contacts} in the last 12 months.").format(
                    contacts=counted(match.contacts_last_12_months, tr("contact"), tr("contacts"))
                )
            )
        if match.open_case_team:
            history.append(tr("Open case with {team}.").format(team=match.open_case_team))
        self.linked_label.setText(" ".join(history))

    def search_terms(self) -> tuple[str, str, date | None, str | None]:
        """Given names, family name, date of birth and NHS number as far as they can be read yet."""
        try:
            born = parse_day(self.line("date_of_birth").text())
        except ValueError:
            born = None
        nhs = self.line("nhs_number").text()
        return (
            self.line("given_names").text(),
            self.line("family_name").text(),
            born,
            nhs if is_valid_nhs_number(nhs) else None,
        )

    def to_draft(self, prefix: str, problems: dict[str, str]) -> ChildDraft:
        if self._linked_id is not None:
            return ChildDraft(existing_person_id=self._linked_id)
        dates = self.parse_dates(prefix, problems)
        gender = enum_data(self.combo("gender"), Gender)
        return ChildDraft(
            given_names=self.line("given_names").text(),
            family_name=self.line("family_name").text(),
            date_of_birth=dates["date_of_birth"],
            expected_date_of_birth=dates["expected_date_of_birth"],
            gender=gender or Gender.NOT_KNOWN,
            ethnicity_code=str(self.combo("ethnicity_code").currentData() or "") or None,
            nhs_number=self.line("nhs_number").text() or None,
            upn=self.line("upn").text() or None,
            upn_unknown=str(self.combo("upn_unknown").currentData() or "") or None,
            disability=tristate(self.combo("disability")),
            first_language=self.line("first_language").text() or None,
            interpreter_needed=self.check("interpreter_needed").isChecked(),
            communication_needs=self.line("communication_needs").text() or None,
        )

    def state(self) -> dict[str, Json]:
        return {**super().state(), "existing_person_id": self._linked_id}

    def restore(self, state: dict[str, Json]) -> None:
        super().restore(state)
        linked = state.get("existing_person_id")
        self._linked_id = linked if isinstance(linked, int) else None
        self._show_link()


class AdultEditor(PersonEditor):
    ui_name = "adult_editor.ui"
    FIELDS = (  # in the order of the screen, row by row: who they are to the child straight after the name
        "family_name",
        "given_names",
        "relationship",
        "alleged_perpetrator",
        "date_of_birth",
        "gender",
        "parental_responsibility",
        "in_contact_with_child",
        "lives_with_child",
        "is_referrer",
        "first_language",
        "interpreter_needed",
    )
    DATE_FIELDS = ("date_of_birth",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        fill_enum(self.combo("relationship"), list(RelationshipKind), enum_words)
        set_combo_value(self.combo("relationship"), RelationshipKind.OTHER)
        fill_tristate(self.combo("in_contact_with_child"))
        self._alleged_harm_shortcut()
        self._watch()

    def _alleged_harm_shortcut(self) -> None:
        """Ctrl+Shift+G ticks or unticks "Alleged to harm the children" from anywhere in this adult's row,
        so naming the adult alleged to harm costs one key, not a walk to the box."""
        box = self.check("alleged_perpetrator")
        action = QAction(tr("Alleged to harm the children"), self)
        action.setShortcut(QKeySequence(ALLEGED_HARM_KEY))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(box.toggle)
        self.addAction(action)
        key = shortcut_text(ALLEGED_HARM_KEY)
        box.setText(tr("Alleged to harm the children ({key})").format(key=key))
        box.setToolTip(tr("Tick or untick from anywhere in this adult's row: {key}").format(key=key))

    def set_number(self, number: int, total: int) -> None:
        del total
        self.title_label.setText(tr("Adult {number}").format(number=number))
        self.remove_button.setAccessibleName(tr("Remove adult {number}").format(number=number))

    def to_draft(self, prefix: str, problems: dict[str, str]) -> AdultDraft:
        dates = self.parse_dates(prefix, problems)
        gender = enum_data(self.combo("gender"), Gender)
        relationship = enum_data(self.combo("relationship"), RelationshipKind)
        return AdultDraft(
            given_names=self.line("given_names").text(),
            family_name=self.line("family_name").text(),
            date_of_birth=dates["date_of_birth"],
            gender=gender or Gender.NOT_KNOWN,
            relationship=relationship or RelationshipKind.OTHER,
            parental_responsibility=self.check("parental_responsibility").isChecked(),
            alleged_perpetrator=self.check("alleged_perpetrator").isChecked(),
            in_contact_with_child=tristate(self.combo("in_contact_with_child")),
            first_language=self.line("first_language").text() or None,
            interpreter_needed=self.check("interpreter_needed").isChecked(),
            lives_with_child=self.check("lives_with_child").isChecked(),
            is_referrer=self.check("is_referrer").isChecked(),
        )
