"""Reading one person's whole record in one unit: the contacts that named them, as the signed-in
person may see them, and everything that happened on each.

Visibility follows the contact view exactly: a restricted contact or person is left out for anyone
the rule does not clear (on PostgreSQL row-level security has already left it out; on SQLite
``domain.sharing.may_see_restricted`` does it here), a partner agency sees only the contacts its
agency was asked about or its team was handed and only its own checks (``sees_request``), and a
return's words only where its marking allows (``may_read_return``; on PostgreSQL the database's own
``mash_desk_return_summary``). Each kind of row is one statement over all the contacts at once, so
opening a record with forty contacts costs a dozen round trips, not five hundred.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import BindParameter, Connection, bindparam, or_, select, text

from mash_desk.domain.enums import (
    AgencyKind,
    AgencyRequestStatus,
    Concern,
    Confidentiality,
    Role,
)
from mash_desk.domain.risk import GCP_AREAS
from mash_desk.domain.sharing import may_read_return, may_see_restricted, sees_request
from mash_desk.services.contact_view.statements import NamedRow
from mash_desk.services.context import Actor
from mash_desk.store.case_audit_models import CaseAuditAuditor, CaseAuditCase
from mash_desk.store.models import (
    Agency,
    AgencyRequest,
    Authorisation,
    CaseNote,
    Contact,
    ContactAdult,
    ContactChild,
    ContactConcern,
    DashAssessment,
    GcpAssessment,
    GlassBreak,
    HandOff,
    Household,
    HouseholdMember,
    MaracReferral,
    Person,
    PersonAlias,
    RagRating,
    RecordRestriction,
    Relationship,
    Team,
    ThresholdDecision,
    User,
)

INVOLVED_NOW = timedelta(days=365)
"""A return or a hand-off this recent still counts as that agency being involved."""

_IDS: BindParameter[list[int]] = bindparam("contact_ids", expanding=True)
_PERSON: BindParameter[int] = bindparam("person_id")

CHILD_LINKS = select(
    ContactChild.contact_id, ContactChild.id.label("link_id"), ContactChild.level_of_need, ContactChild.outcome
).where(ContactChild.person_id == _PERSON)
ADULT_LINKS = select(ContactAdult.contact_id, ContactAdult.relationship_to_children).where(
    ContactAdult.person_id == _PERSON
)

CONTACTS = select(
    Contact.id,
    Contact.reference,
    Contact.received_at,
    Contact.status,
    Contact.channel,
    Contact.referral_source,
    Contact.referrer_agency,
    Contact.parents_aware,
    Contact.parents_not_aware_reason,
    Contact.created_by_id,
    Contact.assigned_to_id,
    Contact.household_id,
    Contact.closed_at,
    Contact.closed_by_id,
).where(Contact.id.in_(_IDS))
# a partner agency: only the contacts its agency was asked about or its team was handed (PostgreSQL's own rule)
AGENCY_CONTACTS = CONTACTS.where(
    or_(
        # named columns: no login may read every column of agency_request (a return's words)
        select(AgencyRequest.id)
        .where(AgencyRequest.contact_id == Contact.id, AgencyRequest.agency_id == bindparam("agency_id"))
        .exists(),
        select(HandOff.id).where(HandOff.contact_id == Contact.id, HandOff.team_id == bindparam("team_id")).exists(),
        # a case audit's sampled contacts, for the partner's login assigned to audit them
        select(CaseAuditCase.id)
        .join(CaseAuditAuditor, CaseAuditAuditor.audit_id == CaseAuditCase.audit_id)
        .where(CaseAuditCase.contact_id == Contact.id, CaseAuditAuditor.user_id == bindparam("user_id"))
        .exists(),
    )
)

CONCERNS = select(ContactConcern.contact_id, ContactConcern.concern).where(ContactConcern.contact_id.in_(_IDS))
RAGS = (
    select(
        RagRating.id, RagRating.contact_id, RagRating.rag, RagRating.reason, RagRating.rated_by_id, RagRating.rated_at
    )
    .where(RagRating.contact_id.in_(_IDS))
    .order_by(RagRating.id)
)
REQUESTS = (
    select(
        AgencyRequest.id,
        AgencyRequest.contact_id,
        AgencyRequest.agency_id,
        Agency.name.label("agency_name"),
        AgencyRequest.requested_by_id,
        AgencyRequest.requested_at,
        AgencyRequest.status,
        AgencyRequest.returned_at,
        AgencyRequest.nothing_known,
        AgencyRequest.confidentiality,
    )
    .join(Agency, Agency.id == AgencyRequest.agency_id)
    .where(AgencyRequest.contact_id.in_(_IDS))
    .order_by(AgencyRequest.id)
)
REQUESTS_SQLITE = REQUESTS.add_columns(AgencyRequest.summary)
# On PostgreSQL no login reads a return's words directly: the database's own function hands them
# over only where the marking allows (NULL otherwise), as for the contact view. It is asked only
# for the returns that have words: a SECURITY DEFINER call costs a tenth of a millisecond, and a
# child known for years has a hundred checks.
SUMMARIES = text("SELECT t.id, mash_desk_return_summary(t.id) FROM unnest(CAST(:request_ids AS integer[])) AS t(id)")


@dataclass(frozen=True)
class RequestRow:
    """An agency check, with its return's words where this reader may read them."""

    id: int
    contact_id: int
    agency_id: int
    agency_name: str
    requested_by_id: int
    requested_at: datetime
    status: AgencyRequestStatus
    returned_at: datetime | None
    nothing_known: bool
    confidentiality: Confidentiality
    visible: bool
    summary: str | None


def read_requests(conn: Connection, actor: Actor, actor_kind: AgencyKind, contact_ids: list[int]) -> list[RequestRow]:
    """The checks this reader sees (a partner: only its own), each return's words only where its marking allows."""
    if not contact_ids:
        return []
    postgresql = conn.dialect.name == "postgresql"
    statement = REQUESTS if postgresql else REQUESTS_SQLITE
    rows = [
        r
        for r in conn.execute(statement, {"contact_ids": contact_ids})
        if sees_request(actor.role, actor.agency_id, r.agency_id)  # PostgreSQL's policy has already left them out
    ]
    worded = [r for r in rows if r.status is AgencyRequestStatus.RETURNED and not r.nothing_known]
    if postgresql:
        # a return with words that comes back without them is one this reader may not read
        asked = [r.id for r in worded]
        words: dict[int, str] = {}
        if asked:
            for request_id, summary in conn.execute(SUMMARIES, {"request_ids": asked}):
                if summary is not None:
                    words[int(request_id)] = str(summary)
        visible = set(words)
    else:
        visible = {
            r.id
            for r in worded
            if may_read_return(actor.agency_id, actor_kind, actor.role, r.agency_id, r.confidentiality)
        }
        words = {r.id: r.summary for r in worded if r.id in visible}
    return [
        RequestRow(
            id=r.id,
            contact_id=r.contact_id,
            agency_id=r.agency_id,
            agency_name=r.agency_name,
            requested_by_id=r.requested_by_id,
            requested_at=r.requested_at,
            status=r.status,
            returned_at=r.returned_at,
            nothing_known=r.nothing_known,
            confidentiality=r.confidentiality,
            visible=r.id in visible,
            summary=words.get(r.id),
        )
        for r in rows
    ]


DECISIONS = (
    select(
        ThresholdDecision.id,
        ContactChild.contact_id,
        ContactChild.person_id,
        Person.given_names,
        Person.family_name,
        ThresholdDecision.level_of_need,
        ThresholdDecision.outcome,
        ThresholdDecision.rationale,
        ThresholdDecision.proposed_by_id,
        ThresholdDecision.proposed_at,
    )
    .join(ContactChild, ContactChild.id == ThresholdDecision.contact_child_id)
    .join(Person, Person.id == ContactChild.person_id)
    .where(ContactChild.contact_id.in_(_IDS))
    .order_by(ThresholdDecision.id)
)
AUTHORISATIONS = (
    select(
        Authorisation.id,
        Authorisation.contact_id,
        Authorisation.manager_id,
        Authorisation.decided_at,
        Authorisation.approved,
        Authorisation.comments,
    )
    .where(Authorisation.contact_id.in_(_IDS))
    .order_by(Authorisation.id)
)
HAND_OFFS = (
    select(
        HandOff.id,
        HandOff.contact_id,
        HandOff.team_id,
        HandOff.sent_by_id,
        HandOff.sent_at,
        HandOff.status,
        HandOff.responded_at,
        HandOff.rejection_reason,
    )
    .where(HandOff.contact_id.in_(_IDS))
    .order_by(HandOff.id)
)
_NOTE_COLUMNS = (
    CaseNote.id,
    CaseNote.contact_id,
    CaseNote.kind,
    CaseNote.text,
    CaseNote.author_id,
    CaseNote.written_at,
)
# two statements, not one with OR: each uses its own index on both databases. Every statement here
# is in the order rows were written: the chronology keeps that order among entries at one moment
# (PostgreSQL otherwise returns them as it finds them).
CONTACT_NOTES = select(*_NOTE_COLUMNS).where(CaseNote.contact_id.in_(_IDS)).order_by(CaseNote.id)
PERSON_NOTES = (
    select(*_NOTE_COLUMNS).where(CaseNote.person_id == _PERSON, CaseNote.contact_id.is_(None)).order_by(CaseNote.id)
)
GCPS = (
    select(
        GcpAssessment.id,
        GcpAssessment.contact_id,
        *(getattr(GcpAssessment, area) for area in GCP_AREAS),
        GcpAssessment.carer_consent,
        GcpAssessment.carer_participation,
        GcpAssessment.review_on,
        GcpAssessment.assessor_id,
        GcpAssessment.assessed_at,
    )
    .where(GcpAssessment.child_id == _PERSON)
    .order_by(GcpAssessment.id)
)
DASHES = (
    select(
        DashAssessment.id,
        DashAssessment.contact_id,
        DashAssessment.yes_count,
        DashAssessment.level,
        DashAssessment.professional_judgement,
        DashAssessment.marac_referral,
        DashAssessment.assessed_by_id,
        DashAssessment.assessed_at,
        select(MaracReferral.made_at)
        .where(MaracReferral.dash_id == DashAssessment.id)
        .scalar_subquery()
        .label("marac_made_at"),  # a MARAC referral made from it (risk_tools.make_marac_referral), if any
        # a victim is an adult named on the contact (risk_tools)
    )
    .where(DashAssessment.contact_id.in_(_IDS))
    .order_by(DashAssessment.id)
)

USERS = (
    select(User.id, User.display_name, Agency.name.label("agency_name"))
    .join(Agency, Agency.id == User.agency_id)
    .where(User.id.in_(bindparam("user_ids", expanding=True)))
)
TEAMS = (
    select(Team.id, Team.name, Agency.name.label("agency_name"))
    .join(Agency, Agency.id == Team.agency_id)
    .where(Team.id.in_(bindparam("team_ids", expanding=True)))
)

ALIASES = (
    select(PersonAlias.given_names, PersonAlias.family_name, PersonAlias.recorded_at)
    .where(PersonAlias.person_id == _PERSON)
    .order_by(PersonAlias.id)
)
ADDRESSES = (
    select(
        Contact.id.label("contact_id"),
        Contact.reference,
        Contact.received_at,
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
    .join(Household, Household.id == Contact.household_id)
    .join(
        HouseholdMember,
        (HouseholdMember.household_id == Household.id) & (HouseholdMember.person_id == _PERSON),
    )
    .where(Contact.id.in_(_IDS))
    .order_by(Contact.received_at, Contact.id)
)
# the adults linked to a child, or the children linked to an adult, on any contact
ADULTS_OF_CHILD = (
    select(
        Relationship.adult_id.label("other_id"),
        Relationship.kind,
        Relationship.parental_responsibility,
        Relationship.alleged_perpetrator,
        Relationship.in_contact_with_child,
    )
    .where(Relationship.child_id == _PERSON)
    .order_by(Relationship.id)
)
CHILDREN_OF_ADULT = (
    select(
        Relationship.child_id.label("other_id"),
        Relationship.kind,
        Relationship.parental_responsibility,
        Relationship.alleged_perpetrator,
        Relationship.in_contact_with_child,
    )
    .where(Relationship.adult_id == _PERSON)
    .order_by(Relationship.id)
)
CO_CHILDREN = select(ContactChild.contact_id, ContactChild.person_id).where(
    ContactChild.contact_id.in_(_IDS), ContactChild.person_id != _PERSON
)
CO_ADULTS = select(ContactAdult.contact_id, ContactAdult.person_id, ContactAdult.relationship_to_children).where(
    ContactAdult.contact_id.in_(_IDS), ContactAdult.person_id != _PERSON
)
PEOPLE = select(Person.id, Person.kind, Person.given_names, Person.family_name, Person.date_of_birth).where(
    Person.id.in_(bindparam("person_ids", expanding=True))
)


@dataclass(frozen=True)
class Names:
    """Display names and agencies of the users and teams a record mentions."""

    users: dict[int, tuple[str, str]]
    teams: dict[int, tuple[str, str]]

    def user(self, user_id: int | None) -> str:
        return self.users[user_id][0] if user_id in self.users else "?"

    def user_agency(self, user_id: int | None) -> str:
        return self.users[user_id][1] if user_id in self.users else "?"

    def team(self, team_id: int | None) -> str:
        return self.teams[team_id][0] if team_id in self.teams else "?"

    def team_agency(self, team_id: int | None) -> str:
        return self.teams[team_id][1] if team_id in self.teams else "?"


@dataclass(frozen=True)
class Links:
    """How the person is named on each contact: as a child (with their outcome) or as an adult."""

    child: dict[int, NamedRow]
    adult: dict[int, NamedRow]

    @property
    def contact_ids(self) -> list[int]:
        return sorted({*self.child, *self.adult})


def read_links(conn: Connection, person_id: int) -> Links:
    params = {"person_id": person_id}
    return Links(
        child={row.contact_id: row for row in conn.execute(CHILD_LINKS, params)},
        adult={row.contact_id: row for row in conn.execute(ADULT_LINKS, params)},
    )


def visible_contacts(conn: Connection, actor: Actor, contact_ids: list[int], now: datetime) -> list[NamedRow]:
    """The contacts this person may see, oldest first."""
    if not contact_ids:
        return []
    params: dict[str, object] = {"contact_ids": contact_ids}
    statement = CONTACTS
    if actor.role is Role.AGENCY:
        statement = AGENCY_CONTACTS
        params |= {"agency_id": actor.agency_id, "team_id": actor.team_id, "user_id": actor.id}
    rows = list(conn.execute(statement.order_by(Contact.received_at, Contact.id), params))
    if conn.dialect.name != "postgresql":
        hidden = hidden_records(conn, actor, RecordRestriction.contact_id, {r.id: r.assigned_to_id for r in rows}, now)
        rows = [r for r in rows if r.id not in hidden]
    return rows


def hidden_records(
    conn: Connection, actor: Actor, column: object, records: dict[int, int | None], now: datetime
) -> set[int]:
    """SQLite only (PostgreSQL's policies do it there): which of ``records`` (id → the worker it is
    assigned to) are restricted and not open to ``actor``, by ``domain.sharing.may_see_restricted``."""
    if not records:
        return set()
    key = RecordRestriction.contact_id if column is RecordRestriction.contact_id else RecordRestriction.person_id
    live = list(
        conn.execute(
            select(RecordRestriction.id, key.label("record_id"), RecordRestriction.restricted_by_id).where(
                key.in_(list(records)), RecordRestriction.lifted_at.is_(None)
            )
        )
    )
    if not live:
        return set()
    expiries: dict[int, list[datetime]] = defaultdict(list)
    for restriction_id, expires in conn.execute(
        select(GlassBreak.restriction_id, GlassBreak.expires_at).where(
            GlassBreak.restriction_id.in_([r.id for r in live]), GlassBreak.user_id == actor.id
        )
    ):
        expiries[restriction_id].append(expires)
    return {
        r.record_id
        for r in live
        if not may_see_restricted(actor.id, r.restricted_by_id, records.get(r.record_id), expiries[r.id], now)
    }


@dataclass(frozen=True)
class Fetched:
    contacts: Sequence[NamedRow]
    concerns: dict[int, tuple[Concern, ...]]
    rags: Sequence[NamedRow]
    requests: Sequence[RequestRow]
    decisions: Sequence[NamedRow]
    authorisations: Sequence[NamedRow]
    hand_offs: Sequence[NamedRow]
    notes: Sequence[NamedRow]
    gcps: Sequence[NamedRow]
    dashes: Sequence[NamedRow]
    names: Names


def fetch(
    conn: Connection, actor: Actor, actor_kind: AgencyKind, person_id: int, contacts: Sequence[NamedRow]
) -> Fetched:
    """Every row of the chronology, one statement per kind over all the visible contacts."""
    ids = [c.id for c in contacts]
    params: dict[str, object] = {"contact_ids": ids, "person_id": person_id}
    concerns: dict[int, list[Concern]] = defaultdict(list)
    if ids:
        for contact_id, concern in conn.execute(CONCERNS, params):
            concerns[contact_id].append(concern)
    empty: list[NamedRow] = []
    requests = read_requests(conn, actor, actor_kind, ids)
    visible = set(ids)
    notes = [*(conn.execute(CONTACT_NOTES, params) if ids else empty), *conn.execute(PERSON_NOTES, params)]
    gcps = [g for g in conn.execute(GCPS, params) if g.contact_id is None or g.contact_id in visible]
    dashes = list(conn.execute(DASHES, params)) if ids else empty
    rags = list(conn.execute(RAGS, params)) if ids else empty
    decisions = list(conn.execute(DECISIONS, params)) if ids else empty
    authorisations = list(conn.execute(AUTHORISATIONS, params)) if ids else empty
    hand_offs = list(conn.execute(HAND_OFFS, params)) if ids else empty
    user_ids: set[int] = {c.created_by_id for c in contacts}
    user_ids.update(c.closed_by_id for c in contacts if c.closed_by_id)
    user_ids.update(r.rated_by_id for r in rags)
    user_ids.update(r.requested_by_id for r in requests)
    user_ids.update(d.proposed_by_id for d in decisions)
    user_ids.update(a.manager_id for a in authorisations)
    user_ids.update(h.sent_by_id for h in hand_offs)
    user_ids.update(n.author_id for n in notes)
    user_ids.update(g.assessor_id for g in gcps)
    user_ids.update(d.assessed_by_id for d in dashes)
    team_ids = {h.team_id for h in hand_offs}
    return Fetched(
        contacts=contacts,
        concerns={k: tuple(sorted(v)) for k, v in concerns.items()},
        rags=rags,
        requests=requests,
        decisions=decisions,
        authorisations=authorisations,
        hand_offs=hand_offs,
        notes=notes,
        gcps=gcps,
        dashes=dashes,
        names=names(conn, user_ids, team_ids),
    )


def names(conn: Connection, user_ids: set[int], team_ids: set[int]) -> Names:
    users = {
        row.id: (row.display_name, row.agency_name)
        for row in (conn.execute(USERS, {"user_ids": sorted(user_ids)}) if user_ids else [])
    }
    teams = {
        row.id: (row.name, row.agency_name)
        for row in (conn.execute(TEAMS, {"team_ids": sorted(team_ids)}) if team_ids else [])
    }
    return Names(users, teams)
