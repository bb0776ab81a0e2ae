"""What one contact looks like on screen, as frozen rows built inside the session (no ORM object
crosses into the GUI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from mash_desk.domain.enums import (
    AgencyRequestStatus,
    Channel,
    Concern,
    Confidentiality,
    ConsentStatus,
    ContactStatus,
    DecisionStatus,
    Gender,
    HandOffStatus,
    HousingTenure,
    NoteKind,
    Outcome,
    OverrideBasis,
    ParentsAware,
    Rag,
    ReferrerKind,
    RelationshipKind,
)
from mash_desk.domain.lifecycle import Action


@dataclass(frozen=True)
class PersonRow:
    person_id: int
    given_names: str
    family_name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    gender: Gender
    nhs_number: str | None
    first_language: str | None
    interpreter_needed: bool
    allocated_team: str | None

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.family_name}"


@dataclass(frozen=True)
class ChildOnContact:
    person: PersonRow
    level_of_need: int | None
    outcome: Outcome | None
    primary_need: str | None
    proposed: DecisionRow | None


@dataclass(frozen=True)
class AdultOnContact:
    person: PersonRow
    relationship: RelationshipKind
    parental_responsibility: bool
    alleged_perpetrator: bool
    in_contact_with_child: bool | None


@dataclass(frozen=True)
class HouseholdRow:
    address: str
    postcode: str | None
    tenure: HousingTenure
    temporary_accommodation: bool
    overcrowded: bool
    homeless: bool
    housing_notes: str | None


@dataclass(frozen=True)
class RagRow:
    rag: Rag
    reason: str | None
    due_at: datetime
    rated_by: str
    rated_at: datetime


@dataclass(frozen=True)
class ConsentRow:
    id: int
    status: ConsentStatus
    given_by_name: str | None
    given_by_relationship: str | None
    obtained_on: date | None
    method: str | None
    scope: tuple[str, ...]
    """The codes of the agencies consent covers (empty: every agency); ``scope_names`` are their names."""
    scope_names: tuple[str, ...]
    parent_aware: bool
    parent_not_aware_reason: str | None
    child_views: str | None
    override: bool
    override_basis: OverrideBasis | None
    override_reason: str | None
    override_authorised_by: str | None
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class AgencyRequestView:
    id: int
    agency_code: str
    agency: str
    question: str | None
    requested_at: datetime
    due_at: datetime
    status: AgencyRequestStatus
    returned_at: datetime | None
    summary: str | None
    nothing_known: bool
    confidentiality: Confidentiality
    withheld: bool  # the summary is marked for another agency's eyes only
    version: int


@dataclass(frozen=True)
class DecisionRow:
    id: int
    person_id: int
    child: str
    level_of_need: int
    outcome: Outcome
    primary_need: str
    rationale: str
    status: DecisionStatus
    proposed_by: str
    proposed_at: datetime


@dataclass(frozen=True)
class AuthorisationRow:
    manager: str
    decided_at: datetime
    approved: bool
    comments: str | None


@dataclass(frozen=True)
class ChaseRow:
    """The MASH chased a receiving team about a hand-off: who, when, and how."""

    chased_by: str
    chased_at: datetime
    note: str


@dataclass(frozen=True)
class HandOffView:
    id: int
    team_id: int
    team: str
    sent_by: str
    sent_at: datetime
    due_at: datetime
    status: HandOffStatus
    responded_at: datetime | None
    rejection_reason: str | None
    note: str | None
    chases: tuple[ChaseRow, ...] = ()
    """Each time the MASH chased the receiving team about it, oldest first."""


@dataclass(frozen=True)
class NoteRow:
    id: int
    kind: NoteKind
    text: str
    author: str
    written_at: datetime
    corrects_id: int | None


@dataclass(frozen=True)
class ChronologyEntry:
    at: datetime
    what: str
    who: str


@dataclass(frozen=True)
class ContactDetail:
    id: int
    reference: str
    version: int
    status: ContactStatus
    received_at: datetime
    recorded_at: datetime
    channel: Channel
    referral_source: str
    referrer_kind: ReferrerKind
    referrer_name: str | None
    referrer_role: str | None
    referrer_agency: str | None
    referrer_phone: str | None
    referrer_email: str | None
    referrer_relationship: str | None
    referrer_first_hand: bool
    referrer_anonymity_requested: bool
    narrative: str
    whereabouts: str | None
    immediate_danger: bool
    parents_aware: ParentsAware | None
    parents_not_aware_reason: str | None
    concerns: tuple[Concern, ...]
    rag: Rag | None
    rag_due_at: datetime
    decision_due_at: datetime
    decided_at: datetime | None
    assigned_to: str | None
    team: str | None
    open_case_team: str | None
    re_referral: bool
    children: tuple[ChildOnContact, ...]
    adults: tuple[AdultOnContact, ...]
    household: HouseholdRow | None
    rag_history: tuple[RagRow, ...]
    consents: tuple[ConsentRow, ...]
    agency_requests: tuple[AgencyRequestView, ...]
    decisions: tuple[DecisionRow, ...]
    authorisations: tuple[AuthorisationRow, ...]
    hand_offs: tuple[HandOffView, ...]
    notes: tuple[NoteRow, ...]
    chronology: tuple[ChronologyEntry, ...]
    allowed: frozenset[Action]

    @property
    def current_consent(self) -> ConsentRow | None:
        return self.consents[-1] if self.consents else None
