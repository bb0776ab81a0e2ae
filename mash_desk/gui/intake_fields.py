"""The intake form's fields, read off the service's draft (``services/drafts.py``): stated once.

A contact's fields are declared in ``ContactDraft``, with the ``ReferrerDraft`` and ``HouseholdDraft``
inside it, in the order the form asks for them. From that one declaration come the form's widget
names, the keys of the service's field messages (``referrer.name``), the order the cursor moves
through the form and the reading of the form back into a draft. The words people see are the
labels in ``ui/intake_form.ui``; the widgets there are named after the fields (the referrer's with
``referrer_`` in front), and so are the keys of a draft kept on disk, which is how a draft kept by
an earlier version still comes back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import MISSING, dataclass, fields
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, get_args, get_type_hints

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QListWidget, QPlainTextEdit, QWidget

from mash_desk.gui.widgets import checked_enums, enum_data
from mash_desk.services.drafts import AdultDraft, ChildDraft, ContactDraft, HouseholdDraft, ReferrerDraft

PARTS: dict[str, tuple[str, type[Any]]] = {"referrer": ("referrer_", ReferrerDraft), "household": ("", HouseholdDraft)}
"""The parts of a contact asked for on the form itself: the ``ContactDraft`` field, the prefix of its
widgets' names, and its dataclass."""
EDITORS = ("children", "adults")
"""The parts asked for in editors of their own (``person_editors``), one for each person."""


@dataclass(frozen=True)
class FormField:
    """One field of a contact as the intake form has it."""

    widget: str
    """The widget's name in ``ui/intake_form.ui``, and its key in a kept draft."""
    key: str
    """The key of the service's message about it (``referrer.name``, ``household.postcode``)."""
    part: str | None
    """``referrer`` or ``household``, or None for a field of the contact itself."""
    name: str
    """The field's name in its dataclass."""
    kind: Any
    """The field's type (an enum is read from a combo box as that enum)."""
    default: Any
    """The field's default: what an unchosen combo box means."""


@cache
def layout() -> tuple[FormField | str, ...]:
    """Every field in the order the form asks for it, with ``children`` and ``adults`` where their
    editors go."""
    return tuple(_walk())


def _walk() -> Iterator[FormField | str]:
    hints = get_type_hints(ContactDraft)
    for field in fields(ContactDraft):
        if field.name in EDITORS:
            yield field.name
        elif field.name in PARTS:
            prefix, part = PARTS[field.name]
            part_hints = get_type_hints(part)
            for inner in fields(part):
                yield FormField(
                    f"{prefix}{inner.name}",
                    f"{field.name}.{inner.name}",
                    field.name,
                    inner.name,
                    part_hints[inner.name],
                    inner.default,
                )
        else:
            yield FormField(field.name, field.name, None, field.name, hints[field.name], field.default)


def form_fields() -> tuple[FormField, ...]:
    return tuple(item for item in layout() if isinstance(item, FormField))


def widget_names() -> tuple[str, ...]:
    """The names of the form's own widgets (the children's and adults' are in their editors)."""
    return tuple(field.widget for field in form_fields())


def error_keys() -> dict[str, str]:
    """The service's field keys → widget names, for everything outside the child and adult editors."""
    return {field.key: field.widget for field in form_fields()}


def enum_kind(kind: Any) -> type[Enum] | None:
    """The enum a field holds, also when it may be left unanswered (``ParentsAware | None``)."""
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind
    members = [arg for arg in get_args(kind) if isinstance(arg, type) and issubclass(arg, Enum)]
    return members[0] if len(members) == 1 else None


def read_value(widget: QWidget, field: FormField) -> Any:
    """What ``widget`` holds, as the draft's ``field`` wants it (text as typed, blank or not)."""
    if isinstance(widget, QLineEdit) and datetime in get_args(field.kind):
        return None  # a moment typed in one box is read against the form's clock (``IntakeForm.collect``)
    if isinstance(widget, QComboBox):
        kind = enum_kind(field.kind)
        if kind is not None:
            chosen = enum_data(widget, kind)
            return field.default if chosen is None else chosen
        return str(widget.currentData() or "")
    if isinstance(widget, QListWidget):
        (kind,) = get_args(field.kind)
        return set(checked_enums(widget, kind))
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    raise TypeError(f"the intake form cannot read a {type(widget).__name__} ({field.widget})")


def given(part: ReferrerDraft | HouseholdDraft) -> bool:
    """Whether anything in ``part`` was filled in: a field differs from its default (spaces are blank)."""
    for field in fields(part):
        value = getattr(part, field.name)
        if isinstance(value, str) and not isinstance(value, Enum):  # a StrEnum is a choice, not text
            if value.strip():
                return True
        elif field.default is not MISSING and value != field.default:
            return True
    return False


def read_draft(widgets: Mapping[str, QWidget], children: list[ChildDraft], adults: list[AdultDraft]) -> ContactDraft:
    """The form's widgets (by name) and its people as a ``ContactDraft``; a household with nothing
    filled in is no household."""
    own: dict[str, Any] = {}
    parts: dict[str, dict[str, Any]] = {name: {} for name in PARTS}
    for field in form_fields():
        value = read_value(widgets[field.widget], field)
        (own if field.part is None else parts[field.part])[field.name] = value
    referrer = ReferrerDraft(**parts["referrer"])
    household = HouseholdDraft(**parts["household"])
    return ContactDraft(
        **own,
        referrer=referrer,
        household=household if given(household) else None,
        children=children,
        adults=adults,
    )
