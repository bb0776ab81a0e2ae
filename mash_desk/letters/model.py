"""What an outcome letter says, as plain frozen data: no database, no Qt.

There is one data type per recipient. ``FamilyLetterData`` has no field that could carry the
referrer's identity: the family letter is told only whether "a professional" raised the concern,
and only when ``referrer_disclosable_to_family`` allows it, so no template change can leak a name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mash_desk.domain.enums import Concern, ConsentStatus, Outcome, OverrideBasis
from mash_desk.domain.errors import InvalidInput
from mash_desk.paths import resource

TEMPLATE_VERSION = "2026.2"
"""Bumped whenever the wording or layout changes, and stored with every letter issued."""

RESOURCES_DIR = resource()


def resolve_resource(name: str | None, resources: Path = RESOURCES_DIR) -> Path | None:
    """An absolute path as given, or a name inside the resources folder; ``None`` if there is no such file."""
    if not name or not name.strip():
        return None
    path = Path(name.strip()).expanduser()
    if not path.is_absolute():
        path = resources / path
    return path if path.is_file() else None


def _folder(name: str, resources: Path) -> Path | None:
    """An absolute folder as given, or one inside the resources folder; ``None`` if not set (never checked)."""
    if not name:
        return None
    path = Path(name).expanduser()
    return path if path.is_absolute() else resources / path


@dataclass(frozen=True)
class Letterhead:
    """The hub's letterhead: administrator configuration (the ``letterhead`` setting)."""

    organisation: str
    address_lines: tuple[str, ...]
    phone: str
    out_of_hours_phone: str
    email: str
    logo: Path | None = None
    complaints_phone: str | None = None
    complaints_email: str | None = None
    # a TrueType font pair for names outside Latin-1 (Ł, ő, Arabic script...); Helvetica when not set
    font_regular: Path | None = None
    font_bold: Path | None = None
    # a council's own wording templates (a folder like resources/letters, kept outside the program so
    # an upgrade leaves it alone); the shipped wording when not set. Not checked here: a folder that
    # is missing or broken stops every letter with LetterTemplateError (templates.load_wording).
    templates: Path | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, object], resources: Path = RESOURCES_DIR) -> Letterhead:
        """Read the setting's JSON object; missing essentials are reported field by field."""

        def text(key: str) -> str:
            value = config.get(key)
            return value.strip() if isinstance(value, str) else ""

        errors: dict[str, str] = {}
        for key, words in (
            ("organisation", "the organisation's name"),
            ("phone", "the hub's phone number"),
            ("out_of_hours_phone", "the out-of-hours phone number"),
            ("email", "the hub's e-mail address"),
        ):
            if not text(key):
                errors[f"letterhead.{key}"] = f"The letterhead needs {words}."
        raw_address = config.get("address", ())
        address = (
            tuple(str(line).strip() for line in raw_address if str(line).strip())
            if isinstance(raw_address, list | tuple)
            else tuple(line.strip() for line in str(raw_address).splitlines() if line.strip())
        )
        if not address:
            errors["letterhead.address"] = "The letterhead needs the hub's postal address."
        if errors:
            raise InvalidInput(errors)
        return cls(
            organisation=text("organisation"),
            address_lines=address,
            phone=text("phone"),
            out_of_hours_phone=text("out_of_hours_phone"),
            email=text("email"),
            logo=resolve_resource(text("logo"), resources),
            complaints_phone=text("complaints_phone") or None,
            complaints_email=text("complaints_email") or None,
            font_regular=resolve_resource(text("font"), resources),
            font_bold=resolve_resource(text("font_bold"), resources),
            templates=_folder(text("templates"), resources),
        )


@dataclass(frozen=True)
class NamedContact:
    """The person the recipient can ring about this letter."""

    name: str
    job_title: str | None
    team: str | None
    phone: str
    email: str | None


@dataclass(frozen=True)
class ChildOutcome:
    """One child's authorised decision; every letter lists each child's outcome separately."""

    given_names: str
    family_name: str
    date_of_birth: date | None
    outcome: Outcome
    team: str | None = None  # the team the case was passed to, if any
    team_accepted: bool = False

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()


@dataclass(frozen=True)
class CaseFacts:
    """What both letters may say about the contact: reference, dates, decisions, who to ring."""

    reference: str
    received_on: date
    decided_on: date
    letter_date: date
    children: tuple[ChildOutcome, ...]
    contact: NamedContact
    # what the records show was done, so a letter never claims a step nobody took (issue 10)
    screened: bool = False  # a RAG rating is recorded
    agencies_checked: bool = False  # partner agencies were asked what they know
    authorised_by_manager: bool = False  # a manager's approving authorisation is recorded


@dataclass(frozen=True)
class ReferrerLetterData:
    """The letter to the person or professional who made the contact."""

    facts: CaseFacts
    professional: bool
    recipient_name: str | None
    recipient_role: str | None = None
    recipient_agency: str | None = None
    recipient_email: str | None = None


@dataclass(frozen=True)
class InformationSharing:
    """How the family's information was used: the consent decision and who was asked."""

    consent: ConsentStatus | None
    override: bool = False
    override_basis: OverrideBasis | None = None
    agencies_asked: tuple[str, ...] = ()


@dataclass(frozen=True)
class FamilyLetterData:
    """The letter to the child's parent or carer; it can say nothing about who the referrer is."""

    facts: CaseFacts
    recipient_name: str | None
    address_lines: tuple[str, ...]
    concerns: tuple[Concern, ...]
    sharing: InformationSharing
    # True only when referrer_disclosable_to_family(...) allowed it; the letter then says "a professional"
    raised_by_professional: bool = False
    language: str | None = None
    interpreter_needed: bool = False


LetterData = ReferrerLetterData | FamilyLetterData
