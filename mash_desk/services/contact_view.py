"""Everything about one contact on one screen, and everything about one person.

Opening either writes an audit row: who looked at whose record is part of the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    Rag,
    ReferrerKind,
    RelationshipKind,
    Role,
)
from mash_desk.domain.errors import NotFound
from mash_desk.domain.lifecycle import Action, allowed_actions
from mash_desk.services.context import Actor, ServiceContext, audit
from mash_desk.store.models import (
    Agency,
    AgencyRequest,
    AuditEvent,
    Authorisation,
    CaseNote,
    ConsentDecision,
    Contact,
    ContactAdult,
    ContactChild,
    ContactConcern,
    HandOff,
    Household,
    Person,
    RagRating,
    Team,
    ThresholdDecision,
    User,
)
from mash_desk.store.queries import lookup


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


def person_rows(session: Session, person_ids: list[int]) -> dict[int, PersonRow]:
    if not person_ids:
        return {}
    teams = lookup(session, select(Team.id, Team.name))
    return {
        p.id: PersonRow(
            person_id=p.id,
            given_names=p.given_names,
            family_name=p.family_name,
            date_of_birth=p.date_of_birth,
            expected_date_of_birth=p.expected_date_of_birth,
            gender=p.gender,
            nhs_number=p.nhs_number,
            first_language=p.first_language,
            interpreter_needed=p.interpreter_needed,
            allocated_team=teams.get(p.allocated_team_id) if p.allocated_team_id else None,
        )
        for p in session.scalars(select(Person).where(Person.id.in_(person_ids)))
    }


def _can_read_return(actor: Actor, request: AgencyRequest, agency_kind_social_care: bool) -> bool:
    """Agency-confidential returns are for social care and the agency itself; restricted ones for the agency only."""
    if request.agency_id == actor.agency_id:
        return True
    if request.confidentiality is Confidentiality.SHAREABLE:
        return True
    if request.confidentiality is Confidentiality.AGENCY_CONFIDENTIAL:
        return agency_kind_social_care and actor.role in (Role.PRACTITIONER, Role.MANAGER, Role.AUDITOR)
    return False


def open_contact(ctx: ServiceContext, contact_id: int) -> ContactDetail:
    """Load one contact whole, as the signed-in person may see it, and audit the opening."""
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = session.get(Contact, contact_id)
        if contact is None:
            raise NotFound(f"There is no contact with id {contact_id}.")
        detail = _detail(session, contact, actor)
        audit(session, actor, "contact.open", "contact", contact.id, at=now, contact_id=contact.id)
        return detail


def _detail(session: Session, contact: Contact, actor: Actor) -> ContactDetail:
    users = lookup(session, select(User.id, User.display_name))
    teams = lookup(session, select(Team.id, Team.name))
    agencies = {a.id: a for a in session.scalars(select(Agency))}
    actor_agency = agencies.get(actor.agency_id)
    social_care = actor_agency is not None and actor_agency.kind.value == "social_care"

    links = list(
        session.scalars(select(ContactChild).where(ContactChild.contact_id == contact.id).order_by(ContactChild.id))
    )
    adult_links = list(session.scalars(select(ContactAdult).where(ContactAdult.contact_id == contact.id)))
    people = person_rows(session, [link.person_id for link in links] + [a.person_id for a in adult_links])
    link_person = {link.id: link.person_id for link in links}
    decisions = [
        DecisionRow(
            id=d.id,
            person_id=link_person[d.contact_child_id],
            child=people[link_person[d.contact_child_id]].name,
            level_of_need=d.level_of_need,
            outcome=d.outcome,
            primary_need=d.primary_need,
            rationale=d.rationale,
            status=d.status,
            proposed_by=users.get(d.proposed_by_id, "?"),
            proposed_at=d.proposed_at,
        )
        for d in session.scalars(
            select(ThresholdDecision)
            .where(ThresholdDecision.contact_child_id.in_(list(link_person)))
            .order_by(ThresholdDecision.id)
        )
    ]
    live = {d.person_id: d for d in decisions if d.status in (DecisionStatus.PROPOSED, DecisionStatus.AUTHORISED)}
    children = tuple(
        ChildOnContact(
            people[link.person_id], link.level_of_need, link.outcome, link.primary_need, live.get(link.person_id)
        )
        for link in links
    )
    adults = tuple(
        AdultOnContact(
            people[a.person_id],
            a.relationship_to_children,
            a.parental_responsibility,
            a.alleged_perpetrator,
            a.in_contact_with_child,
        )
        for a in adult_links
    )
    household = None
    if contact.household_id is not None:
        h = session.get(Household, contact.household_id)
        if h is not None:
            address = ", ".join(part for part in (h.address_line1, h.address_line2, h.town) if part)
            household = HouseholdRow(
                address, h.postcode, h.tenure, h.temporary_accommodation, h.overcrowded, h.homeless, h.housing_notes
            )
    rag_history = tuple(
        RagRow(r.rag, r.reason, r.due_at, users.get(r.rated_by_id, "?"), r.rated_at)
        for r in session.scalars(select(RagRating).where(RagRating.contact_id == contact.id).order_by(RagRating.id))
    )
    consents = tuple(
        ConsentRow(
            id=c.id,
            status=c.status,
            given_by_name=c.given_by_name,
            given_by_relationship=c.given_by_relationship,
            obtained_on=c.obtained_on,
            method=c.method,
            scope=tuple(s for s in c.scope.split(",") if s),
            parent_aware=c.parent_aware,
            parent_not_aware_reason=c.parent_not_aware_reason,
            child_views=c.child_views,
            override=c.override,
            override_basis=c.override_basis,
            override_reason=c.override_reason,
            override_authorised_by=users.get(c.override_authorised_by_id) if c.override_authorised_by_id else None,
            recorded_by=users.get(c.recorded_by_id, "?"),
            recorded_at=c.recorded_at,
        )
        for c in session.scalars(
            select(ConsentDecision).where(ConsentDecision.contact_id == contact.id).order_by(ConsentDecision.id)
        )
    )
    requests = []
    for r in session.scalars(
        select(AgencyRequest).where(AgencyRequest.contact_id == contact.id).order_by(AgencyRequest.id)
    ):
        agency = agencies[r.agency_id]
        visible = _can_read_return(actor, r, social_care)
        requests.append(
            AgencyRequestView(
                id=r.id,
                agency_code=agency.code,
                agency=agency.name,
                question=r.question,
                requested_at=r.requested_at,
                due_at=r.due_at,
                status=r.status,
                returned_at=r.returned_at,
                summary=r.summary if visible else None,
                nothing_known=r.nothing_known,
                confidentiality=r.confidentiality,
                withheld=not visible,
                version=r.version,
            )
        )
    authorisations = tuple(
        AuthorisationRow(users.get(a.manager_id, "?"), a.decided_at, a.approved, a.comments)
        for a in session.scalars(
            select(Authorisation).where(Authorisation.contact_id == contact.id).order_by(Authorisation.id)
        )
    )
    hand_offs = tuple(
        HandOffView(
            h.id,
            h.team_id,
            teams.get(h.team_id, "?"),
            users.get(h.sent_by_id, "?"),
            h.sent_at,
            h.due_at,
            h.status,
            h.responded_at,
            h.rejection_reason,
            h.note,
        )
        for h in session.scalars(select(HandOff).where(HandOff.contact_id == contact.id).order_by(HandOff.id))
    )
    notes = tuple(
        NoteRow(n.id, n.kind, n.text, users.get(n.author_id, "?"), n.written_at, n.corrects_id)
        for n in session.scalars(select(CaseNote).where(CaseNote.contact_id == contact.id).order_by(CaseNote.id))
    )
    concerns = tuple(session.scalars(select(ContactConcern.concern).where(ContactConcern.contact_id == contact.id)))
    requested_by = {
        request_id: users.get(user_id, "?")
        for request_id, user_id in session.execute(
            select(AgencyRequest.id, AgencyRequest.requested_by_id).where(AgencyRequest.contact_id == contact.id)
        )
    }
    # the contact's updated_by moves on with every later note, so who closed it comes from the audit trail
    closed_by_id = (
        session.scalar(
            select(AuditEvent.actor_id)
            .where(AuditEvent.contact_id == contact.id, AuditEvent.action == "contact.close")
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
        if contact.closed_at is not None
        else None
    )
    chronology = _chronology(
        contact,
        users,
        rag_history,
        consents,
        tuple(requests),
        decisions,
        authorisations,
        hand_offs,
        notes,
        requested_by=requested_by,
        closed_by_id=closed_by_id,
    )
    return ContactDetail(
        id=contact.id,
        reference=contact.reference,
        version=contact.version,
        status=contact.status,
        received_at=contact.received_at,
        recorded_at=contact.recorded_at,
        channel=contact.channel,
        referral_source=contact.referral_source,
        referrer_kind=contact.referrer_kind,
        referrer_name=contact.referrer_name,
        referrer_role=contact.referrer_role,
        referrer_agency=contact.referrer_agency,
        referrer_phone=contact.referrer_phone,
        referrer_email=contact.referrer_email,
        referrer_relationship=contact.referrer_relationship,
        referrer_first_hand=contact.referrer_first_hand,
        referrer_anonymity_requested=contact.referrer_anonymity_requested,
        narrative=contact.narrative,
        whereabouts=contact.whereabouts,
        immediate_danger=contact.immediate_danger,
        concerns=concerns,
        rag=contact.rag,
        rag_due_at=contact.rag_due_at,
        decision_due_at=contact.decision_due_at,
        decided_at=contact.decided_at,
        assigned_to=users.get(contact.assigned_to_id) if contact.assigned_to_id else None,
        team=teams.get(contact.team_id) if contact.team_id else None,
        open_case_team=teams.get(contact.open_case_team_id) if contact.open_case_team_id else None,
        re_referral=contact.re_referral,
        children=children,
        adults=adults,
        household=household,
        rag_history=rag_history,
        consents=consents,
        agency_requests=tuple(requests),
        decisions=tuple(decisions),
        authorisations=authorisations,
        hand_offs=hand_offs,
        notes=notes,
        chronology=chronology,
        allowed=allowed_actions(contact.status, actor.role),
    )


def _chronology(
    contact: Contact,
    users: dict[int, str],
    rag_history: tuple[RagRow, ...],
    consents: tuple[ConsentRow, ...],
    requests: tuple[AgencyRequestView, ...],
    decisions: list[DecisionRow],
    authorisations: tuple[AuthorisationRow, ...],
    hand_offs: tuple[HandOffView, ...],
    notes: tuple[NoteRow, ...],
    *,
    requested_by: dict[int, str],
    closed_by_id: int | None,
) -> tuple[ChronologyEntry, ...]:
    entries = [
        ChronologyEntry(
            contact.received_at,
            f"Contact received by {contact.channel.value.replace('_', ' ')}",
            users.get(contact.created_by_id, "?"),
        )
    ]
    entries += [
        ChronologyEntry(r.rated_at, f"Rated {r.rag.value.upper()}" + (f": {r.reason}" if r.reason else ""), r.rated_by)
        for r in rag_history
    ]
    entries += [
        ChronologyEntry(
            c.recorded_at,
            ("Sharing without consent authorised" if c.override else f"Consent {c.status.value.replace('_', ' ')}"),
            c.recorded_by,
        )
        for c in consents
    ]
    for r in requests:
        entries.append(ChronologyEntry(r.requested_at, f"Checks asked of {r.agency}", requested_by.get(r.id, "?")))
        if r.returned_at is not None:
            entries.append(
                ChronologyEntry(
                    r.returned_at, f"{r.agency} returned" + (" — nothing known" if r.nothing_known else ""), r.agency
                )
            )
    entries += [
        ChronologyEntry(
            d.proposed_at, f"Decision proposed for {d.child}: level {d.level_of_need}, {d.outcome.value}", d.proposed_by
        )
        for d in decisions
    ]
    entries += [
        ChronologyEntry(a.decided_at, "Authorised" if a.approved else f"Returned: {a.comments}", a.manager)
        for a in authorisations
    ]
    for h in hand_offs:
        entries.append(ChronologyEntry(h.sent_at, f"Handed off to {h.team}", h.sent_by))
        if h.responded_at is not None:
            verdict = "accepted" if h.status is HandOffStatus.ACCEPTED else f"rejected: {h.rejection_reason}"
            entries.append(ChronologyEntry(h.responded_at, f"{h.team} {verdict}", h.team))
    entries += [
        ChronologyEntry(n.written_at, f"{n.kind.value.replace('_', ' ').capitalize()}: {n.text}", n.author)
        for n in notes
    ]
    if contact.closed_at is not None:
        closer = closed_by_id if closed_by_id is not None else contact.updated_by_id
        entries.append(ChronologyEntry(contact.closed_at, "Closed", users.get(closer, "?")))
    return tuple(sorted(entries, key=lambda e: e.at))


@dataclass(frozen=True)
class PersonContactRow:
    contact_id: int
    reference: str
    received_at: datetime
    status: ContactStatus
    outcome: Outcome | None


@dataclass(frozen=True)
class PersonDetail:
    person: PersonRow
    upn: str | None
    ethnicity_code: str | None
    disability: bool | None
    communication_needs: str | None
    case_open: bool
    allocated_worker: str | None
    contacts: tuple[PersonContactRow, ...]


def open_person(ctx: ServiceContext, person_id: int) -> PersonDetail:
    """A person's record and every contact that named them; audited."""
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(f"There is no person with id {person_id}.")
        row = person_rows(session, [person.id])[person.id]
        contacts = tuple(
            PersonContactRow(c.id, c.reference, c.received_at, c.status, link.outcome)
            for link, c in session.execute(
                select(ContactChild, Contact)
                .join(Contact, Contact.id == ContactChild.contact_id)
                .where(ContactChild.person_id == person.id)
                .order_by(Contact.received_at.desc())
            )
        )
        worker = session.get(User, person.allocated_worker_id) if person.allocated_worker_id else None
        audit(session, actor, "person.open", "person", person.id, at=now)
        return PersonDetail(
            row,
            person.upn,
            person.ethnicity_code,
            person.disability,
            person.communication_needs,
            person.case_open,
            worker.display_name if worker else None,
            contacts,
        )
