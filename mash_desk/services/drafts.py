"""What a form hands to a service: plain mutable dataclasses, validated by the service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from mash_desk.domain.enums import (
    Channel,
    Concern,
    Gender,
    HousingTenure,
    ParentsAware,
    ReferrerKind,
    RelationshipKind,
)
from mash_desk.domain.errors import InvalidInput

T = TypeVar("T")


@dataclass
class ChildDraft:
    """A child named in a contact: a new record, or ``existing_person_id`` to link one found by search."""

    existing_person_id: int | None = None
    given_names: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    gender: Gender = Gender.NOT_KNOWN
    ethnicity_code: str | None = None
    nhs_number: str | None = None
    upn: str | None = None
    # why there is no UPN: a census UPNunknown code (domain.cin.UPN_UNKNOWN_REASONS), only without a UPN
    upn_unknown: str | None = None
    disability: bool | None = None
    first_language: str | None = None
    interpreter_needed: bool = False
    communication_needs: str | None = None


@dataclass
class AdultDraft:
    existing_person_id: int | None = None
    given_names: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    gender: Gender = Gender.NOT_KNOWN
    relationship: RelationshipKind = RelationshipKind.OTHER
    parental_responsibility: bool = False
    alleged_perpetrator: bool = False
    in_contact_with_child: bool | None = None
    first_language: str | None = None
    interpreter_needed: bool = False
    # lives at the child's address (a member of the household): only then can a family letter be addressed to them
    lives_with_child: bool = True
    # this adult made the contact (a parent ringing in, say): never the family letter's addressee if not nameable
    is_referrer: bool = False


@dataclass
class HouseholdDraft:
    address_line1: str | None = None
    address_line2: str | None = None
    town: str | None = None
    postcode: str | None = None
    tenure: HousingTenure = HousingTenure.UNKNOWN
    temporary_accommodation: bool = False
    overcrowded: bool = False
    homeless: bool = False
    housing_notes: str | None = None


@dataclass
class ReferrerDraft:
    kind: ReferrerKind = ReferrerKind.PROFESSIONAL
    name: str | None = None
    role: str | None = None
    agency: str | None = None
    phone: str | None = None
    email: str | None = None
    relationship: str | None = None
    first_hand: bool = True
    anonymity_requested: bool = False


@dataclass
class ContactDraft:
    """A contact as logged: the one statement of its fields. They stand in the order the intake form
    asks for them, and the form's widgets, its field messages and its reading follow from them
    (``gui/intake_fields.py``): a new field here is a widget of the same name in ``ui/intake_form.ui``."""

    received_at: datetime | None = None
    channel: Channel = Channel.PHONE
    referral_source: str = ""
    immediate_danger: bool = False
    whereabouts: str | None = None
    assign_to_me: bool = False
    children: list[ChildDraft] = field(default_factory=list)
    referrer: ReferrerDraft = field(default_factory=ReferrerDraft)
    # what happened before the tick boxes of what it is about: the form asks for the story first
    narrative: str = ""
    concerns: set[Concern] = field(default_factory=set)
    # asked of every contact: do the parents or carers know the MASH has been contacted? (no: say why)
    parents_aware: ParentsAware | None = None
    parents_not_aware_reason: str | None = None
    household: HouseholdDraft | None = None
    adults: list[AdultDraft] = field(default_factory=list)


class FieldErrors:
    """Collects every field's problem so the form can show them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def check(self, prefix: str, func: Callable[[], T]) -> T | None:
        """Run a domain validator; on failure remember its message under ``prefix`` + its field."""
        try:
            return func()
        except InvalidInput as exc:
            for name, message in exc.field_errors.items():
                key = f"{prefix}{name}" if prefix else name
                self.errors.setdefault(key, message)
            return None

    def add(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, message)

    def max_length(self, field_name: str, value: str | None, limit: int) -> None:
        if value is not None and len(value.strip()) > limit:
            self.add(field_name, f"This is too long: at most {limit} characters.")

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)


def blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


def normalised(value: str | None, normalise: Callable[[str], str]) -> str | None:
    """``normalise`` an optional field: blank stays ``None``, anything else must pass."""
    text = blank_to_none(value)
    return normalise(text) if text is not None else None
