"""What a person's record looks like on screen and on paper, as frozen rows built inside the session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from mash_desk.domain.chronology import EntryKind
from mash_desk.domain.enums import Concern, ContactStatus, HousingTenure, Outcome, PersonKind, RelationshipKind
from mash_desk.services.contact_view.rows import PersonRow


@dataclass(frozen=True)
class ChronologyRow:
    """One dated thing in a person's history, across every contact about them."""

    at: datetime
    kind: EntryKind
    contact_id: int | None
    reference: str | None
    agency: str
    """The organisation the entry comes from: who referred, which agency returned, the author's agency."""
    who: str
    what: str


@dataclass(frozen=True)
class ContactHistoryRow:
    """One contact that named the person, with what came of it for them."""

    contact_id: int
    reference: str
    received_at: datetime
    status: ContactStatus
    concerns: tuple[Concern, ...]
    role: str
    """How the person was named: "child" or the adult's relationship, in words."""
    level_of_need: int | None
    outcome: Outcome | None


@dataclass(frozen=True)
class AliasRow:
    given_names: str
    family_name: str
    recorded_at: datetime

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.family_name}"


@dataclass(frozen=True)
class CorrectionRow:
    """A correction of identifying details: what changed and why, kept as a note on the person."""

    at: datetime
    who: str
    text: str


@dataclass(frozen=True)
class RelativeRow:
    """Someone linked to the person across their contacts, each a link to their own record."""

    person_id: int
    name: str
    kind: PersonKind
    date_of_birth: date | None
    relationship: RelationshipKind | None
    """The adult's relationship to the child (for a child's parent or carer; a child's, for an adult)."""
    sibling: bool
    """Another child named on the same contacts."""
    parental_responsibility: bool
    alleged_perpetrator: bool
    in_contact_with_child: bool | None
    contacts: int
    """How many of the person's contacts name them both."""


@dataclass(frozen=True)
class AddressRow:
    """An address the person lived at, as the contacts recorded it, with its housing circumstances."""

    address: str
    postcode: str | None
    tenure: HousingTenure
    temporary_accommodation: bool
    overcrowded: bool
    homeless: bool
    housing_notes: str | None
    first_seen: datetime
    last_seen: datetime
    references: tuple[str, ...]


@dataclass(frozen=True)
class AgencyNowRow:
    """An agency or team involved with the person now, and why."""

    name: str
    why: str
    since: datetime | None


@dataclass(frozen=True)
class PersonRecord:
    person: PersonRow
    kind: PersonKind
    version: int
    upn: str | None
    upn_unknown: str | None
    """Why the UPN is not known (the census code, UN1–UN5); None if it is recorded or no reason was given."""
    local_child_id: str | None
    ethnicity_code: str | None
    disability: bool | None
    communication_needs: str | None
    case_open: bool
    allocated_worker: str | None
    aliases: tuple[AliasRow, ...]
    corrections: tuple[CorrectionRow, ...]
    relatives: tuple[RelativeRow, ...]
    addresses: tuple[AddressRow, ...]
    agencies_now: tuple[AgencyNowRow, ...]
    contacts: tuple[ContactHistoryRow, ...]
    chronology: tuple[ChronologyRow, ...]
    """Every entry, newest first (the window filters it; ``person_chronology`` filters in the service)."""

    @property
    def agencies(self) -> tuple[str, ...]:
        """The agencies the chronology mentions, for its filter."""
        return tuple(sorted({row.agency for row in self.chronology}))
