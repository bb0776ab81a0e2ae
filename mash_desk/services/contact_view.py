"""Everything about one contact on one screen, and everything about one person.

Opening either writes an audit row: who looked at whose record is part of the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnClause, Connection, Row, bindparam, func, literal_column, select, union_all
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
)
from mash_desk.domain.errors import NotFound
from mash_desk.domain.lifecycle import DECIDING_ACTIONS, Action, allowed_actions, may_decide
from mash_desk.domain.sharing import may_read_return, sees_request
from mash_desk.services.context import Actor, ServiceContext, audit, retry_collisions
from mash_desk.services.restrictions import CONTACT, PERSON, check_restriction
from mash_desk.store.models import (
    Agency,
    AgencyRequest,
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

_Row = Row[*tuple[Any, ...]]  # a row of named columns, read by attribute


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


# --- the statements, built once: only the columns shown, names looked up by the ids in use --------

_PERSON_COLUMNS = (
    Person.id.label("p_id"),
    Person.given_names,
    Person.family_name,
    Person.date_of_birth,
    Person.expected_date_of_birth,
    Person.gender,
    Person.nhs_number,
    Person.first_language,
    Person.interpreter_needed,
    Person.allocated_team_id,
)

_PEOPLE = (
    select(*_PERSON_COLUMNS, Team.name.label("team_name"))
    .outerjoin(Team, Team.id == Person.allocated_team_id)
    .where(Person.id.in_(bindparam("person_ids", expanding=True)))
)


_CONTACT = (
    select(
        Contact.id,
        Contact.reference,
        Contact.version,
        Contact.status,
        Contact.received_at,
        Contact.recorded_at,
        Contact.channel,
        Contact.referral_source,
        Contact.referrer_kind,
        Contact.referrer_name,
        Contact.referrer_role,
        Contact.referrer_agency,
        Contact.referrer_phone,
        Contact.referrer_email,
        Contact.referrer_relationship,
        Contact.referrer_first_hand,
        Contact.referrer_anonymity_requested,
        Contact.narrative,
        Contact.whereabouts,
        Contact.immediate_danger,
        Contact.household_id,
        Contact.rag,
        Contact.rag_due_at,
        Contact.decision_due_at,
        Contact.assigned_to_id,
        Contact.team_id,
        Contact.open_case_team_id,
        Contact.re_referral,
        Contact.created_by_id,
        Contact.updated_by_id,
        Contact.decided_at,
        Contact.closed_at,
        Contact.closed_by_id,
        select(Agency.kind).where(Agency.id == bindparam("agency_id")).scalar_subquery().label("actor_agency_kind"),
        Household.id.label("h_id"),
        Household.address_line1,
        Household.address_line2,
        Household.town,
        Household.postcode,
        Household.tenure,
        Household.temporary_accommodation,
        Household.overcrowded,
        Household.homeless,
        Household.housing_notes,
    )
    .outerjoin(Household, Household.id == Contact.household_id)
    .where(Contact.id == bindparam("contact_id"))
)

_CHILDREN = (
    select(
        ContactChild.id,
        ContactChild.person_id,
        ContactChild.level_of_need,
        ContactChild.outcome,
        ContactChild.primary_need,
        *_PERSON_COLUMNS,
    )
    .join(Person, Person.id == ContactChild.person_id)
    .where(ContactChild.contact_id == bindparam("contact_id"))
    .order_by(ContactChild.id)
)

# in primary-key order, as the contact_adult table has always handed them back
_ADULTS = (
    select(
        ContactAdult.person_id,
        ContactAdult.relationship_to_children,
        ContactAdult.parental_responsibility,
        ContactAdult.alleged_perpetrator,
        ContactAdult.in_contact_with_child,
        *_PERSON_COLUMNS,
    )
    .join(Person, Person.id == ContactAdult.person_id)
    .where(ContactAdult.contact_id == bindparam("contact_id"))
    .order_by(ContactAdult.person_id)
)

_DECISIONS = (
    select(
        ThresholdDecision.id,
        ThresholdDecision.contact_child_id,
        ThresholdDecision.level_of_need,
        ThresholdDecision.outcome,
        ThresholdDecision.primary_need,
        ThresholdDecision.rationale,
        ThresholdDecision.status,
        ThresholdDecision.proposed_by_id,
        ThresholdDecision.proposed_at,
    )
    .join(ContactChild, ContactChild.id == ThresholdDecision.contact_child_id)
    .where(ContactChild.contact_id == bindparam("contact_id"))
    .order_by(ThresholdDecision.id)
)

_RAGS = (
    select(RagRating.rag, RagRating.reason, RagRating.due_at, RagRating.rated_by_id, RagRating.rated_at)
    .where(RagRating.contact_id == bindparam("contact_id"))
    .order_by(RagRating.id)
)

_CONSENTS = (
    select(
        ConsentDecision.id,
        ConsentDecision.status,
        ConsentDecision.given_by_name,
        ConsentDecision.given_by_relationship,
        ConsentDecision.obtained_on,
        ConsentDecision.method,
        ConsentDecision.scope,
        ConsentDecision.parent_aware,
        ConsentDecision.parent_not_aware_reason,
        ConsentDecision.child_views,
        ConsentDecision.override,
        ConsentDecision.override_basis,
        ConsentDecision.override_reason,
        ConsentDecision.override_authorised_by_id,
        ConsentDecision.recorded_by_id,
        ConsentDecision.recorded_at,
    )
    .where(ConsentDecision.contact_id == bindparam("contact_id"))
    .order_by(ConsentDecision.id)
)

_REQUESTS = (
    select(
        AgencyRequest.id,
        AgencyRequest.agency_id,
        Agency.code,
        Agency.name,
        AgencyRequest.question,
        AgencyRequest.requested_by_id,
        AgencyRequest.requested_at,
        AgencyRequest.due_at,
        AgencyRequest.status,
        AgencyRequest.returned_at,
        AgencyRequest.nothing_known,
        AgencyRequest.confidentiality,
        AgencyRequest.version,
    )
    .join(Agency, Agency.id == AgencyRequest.agency_id)
    .where(AgencyRequest.contact_id == bindparam("contact_id"))
    .order_by(AgencyRequest.id)
)
# On PostgreSQL no login may read a return's words directly: the database's own function hands
# them over only to those the marking allows. SQLite, one workstation, applies the same rule here.
_REQUESTS_SQLITE = _REQUESTS.add_columns(AgencyRequest.summary)
_REQUESTS_POSTGRESQL = _REQUESTS.add_columns(
    func.mash_desk_return_summary(AgencyRequest.id).label("summary"),
    func.mash_desk_may_read_return(AgencyRequest.agency_id, AgencyRequest.confidentiality).label("visible"),
)

_AUTHORISATIONS = (
    select(Authorisation.manager_id, Authorisation.decided_at, Authorisation.approved, Authorisation.comments)
    .where(Authorisation.contact_id == bindparam("contact_id"))
    .order_by(Authorisation.id)
)

_HAND_OFFS = (
    select(
        HandOff.id,
        HandOff.team_id,
        HandOff.sent_by_id,
        HandOff.sent_at,
        HandOff.due_at,
        HandOff.status,
        HandOff.responded_at,
        HandOff.rejection_reason,
        HandOff.note,
    )
    .where(HandOff.contact_id == bindparam("contact_id"))
    .order_by(HandOff.id)
)

_NOTES = (
    select(CaseNote.id, CaseNote.kind, CaseNote.text, CaseNote.author_id, CaseNote.written_at, CaseNote.corrects_id)
    .where(CaseNote.contact_id == bindparam("contact_id"))
    .order_by(CaseNote.id)
)

_CONCERNS = select(ContactConcern.concern).where(ContactConcern.contact_id == bindparam("contact_id"))

# the display names of the users and the teams one contact mentions, in one round trip
_USER_NAMES: ColumnClause[int] = literal_column("0")
_TEAM_NAMES: ColumnClause[int] = literal_column("1")
_NAMES = union_all(
    select(_USER_NAMES, User.id, User.display_name).where(User.id.in_(bindparam("user_ids", expanding=True))),
    select(_TEAM_NAMES, Team.id, Team.name).where(Team.id.in_(bindparam("team_ids", expanding=True))),
)


def _person(row: _Row, team: str | None) -> PersonRow:
    return PersonRow(
        person_id=row.p_id,
        given_names=row.given_names,
        family_name=row.family_name,
        date_of_birth=row.date_of_birth,
        expected_date_of_birth=row.expected_date_of_birth,
        gender=row.gender,
        nhs_number=row.nhs_number,
        first_language=row.first_language,
        interpreter_needed=row.interpreter_needed,
        allocated_team=team if row.allocated_team_id else None,
    )


def person_rows(session: Session, person_ids: list[int]) -> dict[int, PersonRow]:
    if not person_ids:
        return {}
    return {
        row.p_id: _person(row, row.team_name)
        for row in session.connection().execute(_PEOPLE, {"person_ids": list(person_ids)})
    }


@retry_collisions
def open_contact(ctx: ServiceContext, contact_id: int) -> ContactDetail:
    """Load one contact whole, as the signed-in person may see it, and audit the opening."""
    now = ctx.now()
    with ctx.unit() as (session, actor):
        conn = session.connection()
        contact = conn.execute(_CONTACT, {"contact_id": contact_id, "agency_id": actor.agency_id}).one_or_none()
        if contact is None or not ctx.db.is_postgresql:  # PostgreSQL's own policy has hidden a restricted one
            check_restriction(session, actor, CONTACT, contact_id, now)
        if contact is None:
            raise NotFound(f"There is no contact with id {contact_id}.")
        detail = _detail(conn, contact, actor)
    _audit_opening(ctx, "contact.open", "contact", contact_id, now, contact_id=contact_id)
    return detail


def _audit_opening(
    ctx: ServiceContext, action: str, entity: str, entity_id: int, now: datetime, *, contact_id: int | None = None
) -> None:
    """The "opened" row in its own short write unit, after the read: reading never waits for the write lock."""
    with ctx.unit(write=True) as (session, actor):
        audit(session, actor, action, entity, entity_id, at=now, contact_id=contact_id)


def _detail(conn: Connection, contact: _Row, actor: Actor) -> ContactDetail:
    params = {"contact_id": contact.id}
    links = conn.execute(_CHILDREN, params).all()
    adult_links = conn.execute(_ADULTS, params).all()
    decision_rows = conn.execute(_DECISIONS, params).all()
    rag_rows = conn.execute(_RAGS, params).all()
    consent_rows = conn.execute(_CONSENTS, params).all()
    postgresql = conn.dialect.name == "postgresql"
    request_rows = conn.execute(_REQUESTS_POSTGRESQL if postgresql else _REQUESTS_SQLITE, params).all()
    authorisation_rows = conn.execute(_AUTHORISATIONS, params).all()
    hand_off_rows = conn.execute(_HAND_OFFS, params).all()
    note_rows = conn.execute(_NOTES, params).all()
    concerns = tuple(conn.execute(_CONCERNS, params).scalars())

    user_ids = {contact.created_by_id, contact.updated_by_id}
    user_ids.update(d.proposed_by_id for d in decision_rows)
    user_ids.update(r.rated_by_id for r in rag_rows)
    user_ids.update(c.recorded_by_id for c in consent_rows)
    user_ids.update(c.override_authorised_by_id for c in consent_rows if c.override_authorised_by_id)
    user_ids.update(r.requested_by_id for r in request_rows)
    user_ids.update(a.manager_id for a in authorisation_rows)
    user_ids.update(h.sent_by_id for h in hand_off_rows)
    user_ids.update(n.author_id for n in note_rows)
    for optional in (contact.assigned_to_id, contact.closed_by_id):
        if optional is not None:
            user_ids.add(optional)
    team_ids = {h.team_id for h in hand_off_rows}
    team_ids.update(p.allocated_team_id for p in (*links, *adult_links) if p.allocated_team_id)
    for optional in (contact.team_id, contact.open_case_team_id):
        if optional is not None:
            team_ids.add(optional)
    users: dict[int, str] = {}
    teams: dict[int, str] = {}
    for which, key, name in conn.execute(_NAMES, {"user_ids": sorted(user_ids), "team_ids": sorted(team_ids)}):
        (teams if which else users)[key] = name

    people = {
        p.p_id: _person(p, teams.get(p.allocated_team_id) if p.allocated_team_id else None)
        for p in (*links, *adult_links)
    }
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
        for d in decision_rows
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
    if contact.h_id is not None:
        address = ", ".join(part for part in (contact.address_line1, contact.address_line2, contact.town) if part)
        household = HouseholdRow(
            address,
            contact.postcode,
            contact.tenure,
            contact.temporary_accommodation,
            contact.overcrowded,
            contact.homeless,
            contact.housing_notes,
        )
    rag_history = tuple(RagRow(r.rag, r.reason, r.due_at, users.get(r.rated_by_id, "?"), r.rated_at) for r in rag_rows)
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
        for c in consent_rows
    )
    requests = []
    for r in request_rows:
        if not sees_request(actor.role, actor.agency_id, r.agency_id):
            continue  # on PostgreSQL row-level security has already left it out
        visible = (
            bool(r.visible)
            if postgresql
            else may_read_return(actor.agency_id, contact.actor_agency_kind, actor.role, r.agency_id, r.confidentiality)
        )
        requests.append(
            AgencyRequestView(
                id=r.id,
                agency_code=r.code,
                agency=r.name,
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
        AuthorisationRow(users.get(a.manager_id, "?"), a.decided_at, a.approved, a.comments) for a in authorisation_rows
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
        for h in hand_off_rows
    )
    notes = tuple(
        NoteRow(n.id, n.kind, n.text, users.get(n.author_id, "?"), n.written_at, n.corrects_id) for n in note_rows
    )
    requested_by = {r.id: users.get(r.requested_by_id, "?") for r in request_rows}
    closer = contact.closed_by_id if contact.closed_by_id is not None else contact.updated_by_id
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
        closed_by=users.get(closer, "?"),
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
        allowed=_offered(contact, actor, children),
    )


def _offered(contact: _Row, actor: Actor, children: tuple[ChildOnContact, ...]) -> frozenset[Action]:
    """What this person may do to this contact now: the state machine, less what the services would
    refuse for this contact in particular (so a screen never offers a step that cannot succeed)."""
    allowed = allowed_actions(contact.status, actor.role)
    if not may_decide(actor.role, actor.team_id, contact.team_id):
        allowed -= DECIDING_ACTIONS
    if contact.open_case_team_id is None or all(c.outcome is not Outcome.PASS_TO_ALLOCATED_WORKER for c in children):
        allowed -= {Action.PASS_TO_ALLOCATED_TEAM}
    return allowed


def _chronology(
    contact: _Row,
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
    closed_by: str,
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
        entries.append(ChronologyEntry(contact.closed_at, "Closed", closed_by))
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


@retry_collisions
def open_person(ctx: ServiceContext, person_id: int) -> PersonDetail:
    """A person's record and every contact that named them; audited."""
    now = ctx.now()
    with ctx.unit() as (session, actor):
        person = session.get(Person, person_id)
        if person is None or not ctx.db.is_postgresql:
            check_restriction(session, actor, PERSON, person_id, now)
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
        detail = PersonDetail(
            row,
            person.upn,
            person.ethnicity_code,
            person.disability,
            person.communication_needs,
            person.case_open,
            worker.display_name if worker else None,
            contacts,
        )
    _audit_opening(ctx, "person.open", "person", person_id, now)
    return detail
