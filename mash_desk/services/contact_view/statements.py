"""The statements that read one contact and its people, built once: only the columns shown, the
names of users and teams looked up by the ids in use, in one round trip.

Each section of the contact (its children, decisions, notes ...) is one select, written once: SQLite runs
each on its own, PostgreSQL reads them all as columns of the contact's own row (``CONTACT_WHOLE``), one
round trip instead of a dozen (``mash_desk.store.rows_in_json``)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnClause,
    Integer,
    Row,
    Text,
    bindparam,
    column,
    exists,
    false,
    func,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from mash_desk.services.contact_view.rows import ContactDetail, PersonRow
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
    HandOffChase,
    Household,
    Person,
    RagRating,
    Team,
    ThresholdDecision,
    User,
)
from mash_desk.store.queries import in_list
from mash_desk.store.rows_in_json import OrderedRows

NamedRow = Row[*tuple[Any, ...]]  # a row of named columns, read by attribute


PERSON_COLUMNS = (
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


PEOPLE = (
    select(*PERSON_COLUMNS, Team.name.label("team_name"))
    .outerjoin(Team, Team.id == Person.allocated_team_id)
    .where(Person.id.in_(bindparam("person_ids", expanding=True)))
)


AS_STORED = tuple(field.name for field in fields(ContactDetail) if field.name in Contact.__table__.columns)
"""The fields of ``ContactDetail`` that are the contact's own columns, shown as stored: read and handed
on by name, so the contact's fields (``received_at``, ``referral_source``, the referrer's) are listed
once, in ``ContactDetail``."""

CONTACT_ROW = (
    select(
        *(getattr(Contact, name) for name in AS_STORED),
        Contact.household_id,
        Contact.assigned_to_id,
        Contact.team_id,
        Contact.open_case_team_id,
        Contact.created_by_id,
        Contact.updated_by_id,
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


CHILDREN = OrderedRows(
    select(
        ContactChild.id,
        ContactChild.person_id,
        ContactChild.level_of_need,
        ContactChild.outcome,
        ContactChild.primary_need,
        *PERSON_COLUMNS,
    )
    .join(Person, Person.id == ContactChild.person_id)
    .where(ContactChild.contact_id == bindparam("contact_id")),
    order=(ContactChild.id,),
)


# in primary-key order, as the contact_adult table has always handed them back
ADULTS = OrderedRows(
    select(
        ContactAdult.person_id,
        ContactAdult.relationship_to_children,
        ContactAdult.parental_responsibility,
        ContactAdult.alleged_perpetrator,
        ContactAdult.in_contact_with_child,
        *PERSON_COLUMNS,
    )
    .join(Person, Person.id == ContactAdult.person_id)
    .where(ContactAdult.contact_id == bindparam("contact_id")),
    order=(ContactAdult.person_id,),
)


DECISIONS = OrderedRows(
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
    .where(ContactChild.contact_id == bindparam("contact_id")),
    order=(ThresholdDecision.id,),
)


RAGS = OrderedRows(
    select(RagRating.rag, RagRating.reason, RagRating.due_at, RagRating.rated_by_id, RagRating.rated_at).where(
        RagRating.contact_id == bindparam("contact_id")
    ),
    order=(RagRating.id,),
)

CONSENTS = OrderedRows(
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
    ).where(ConsentDecision.contact_id == bindparam("contact_id")),
    order=(ConsentDecision.id,),
)

# the names of the agencies the contact's consents are scoped to (a scope is stored as their codes, with
# commas between): a handful of rows, not the whole table
AGENCY_NAMES = OrderedRows(
    select(Agency.code, Agency.name).where(
        exists().where(
            ConsentDecision.contact_id == bindparam("contact_id"),
            (literal(",") + ConsentDecision.scope + ",").contains("," + Agency.code + ","),
        )
    ),
    order=(Agency.code,),
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
)
# On PostgreSQL no login may read a return's words directly: the database's own function hands
# them over only to those the marking allows, and says whether it does. SQLite, one workstation, applies
# the same rule here.
REQUESTS_SQLITE = OrderedRows(_REQUESTS.add_columns(AgencyRequest.summary), order=(AgencyRequest.id,))
# One call for the contact's every request (the rules ask who is reading once, not per request); a request
# the function does not name (none that row security shows) is read as withheld.
_RETURNS = (
    func.mash_desk_contact_returns(bindparam("contact_id"))
    .table_valued(column("request_id", Integer), column("summary", Text), column("readable", Boolean))
    .alias("returns")
)
REQUESTS_POSTGRESQL = OrderedRows(
    _REQUESTS.outerjoin(_RETURNS, _RETURNS.c.request_id == AgencyRequest.id).add_columns(
        _RETURNS.c.summary, func.coalesce(_RETURNS.c.readable, false()).label("visible")
    ),
    order=(AgencyRequest.id,),
)


AUTHORISATIONS = OrderedRows(
    select(Authorisation.manager_id, Authorisation.decided_at, Authorisation.approved, Authorisation.comments).where(
        Authorisation.contact_id == bindparam("contact_id")
    ),
    order=(Authorisation.id,),
)


HAND_OFFS = OrderedRows(
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
        # each time the MASH chased the team: one row per chase, in the same statement
        HandOffChase.chased_by_id,
        HandOffChase.chased_at,
        HandOffChase.note.label("chase_note"),
    )
    .outerjoin(HandOffChase, HandOffChase.hand_off_id == HandOff.id)
    .where(HandOff.contact_id == bindparam("contact_id")),
    order=(HandOff.id, HandOffChase.id),
)


NOTES = OrderedRows(
    select(
        CaseNote.id, CaseNote.kind, CaseNote.text, CaseNote.author_id, CaseNote.written_at, CaseNote.corrects_id
    ).where(CaseNote.contact_id == bindparam("contact_id")),
    order=(CaseNote.id,),
)


# in the primary key's order, as both databases hand them back from its index
CONCERNS = OrderedRows(
    select(ContactConcern.concern).where(ContactConcern.contact_id == bindparam("contact_id")),
    order=(ContactConcern.concern,),
)


SECTIONS_SQLITE: dict[str, OrderedRows] = {
    "links": CHILDREN,
    "adult_links": ADULTS,
    "decisions": DECISIONS,
    "rags": RAGS,
    "consents": CONSENTS,
    "requests": REQUESTS_SQLITE,
    "authorisations": AUTHORISATIONS,
    "hand_offs": HAND_OFFS,
    "notes": NOTES,
    "concerns": CONCERNS,
}
"""The sections of a contact, by the name ``detail`` files them under; on SQLite one statement each (and
the agencies' names only when a consent is scoped)."""
SECTIONS_POSTGRESQL: dict[str, OrderedRows] = {
    **SECTIONS_SQLITE,
    "requests": REQUESTS_POSTGRESQL,
    "agency_names": AGENCY_NAMES,
}
CONTACT_WHOLE = CONTACT_ROW.add_columns(*(rows.as_json().label(name) for name, rows in SECTIONS_POSTGRESQL.items()))
"""PostgreSQL: the contact's row with every section as one more column, in one round trip."""


# the display names of the users and the teams one contact mentions, in one round trip; by dialect, the
# ids bound as one array on PostgreSQL, so the statement's text is the same whatever the count (the server
# keeps its plan; an expanding list made a new text, and a new plan, for each count of ids)
USER_NAMES: ColumnClause[int] = literal_column("0")
TEAM_NAMES: ColumnClause[int] = literal_column("1")
_USERS_AMONG = in_list(User.id, "user_ids")
_TEAMS_AMONG = in_list(Team.id, "team_ids")
NAMES = {
    dialect: union_all(
        select(USER_NAMES, User.id, User.display_name).where(_USERS_AMONG[dialect]),
        select(TEAM_NAMES, Team.id, Team.name).where(_TEAMS_AMONG[dialect]),
    )
    for dialect in _USERS_AMONG
}


def person_from(row: NamedRow, team: str | None) -> PersonRow:
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
    """The people with these ids, with their allocated team's name."""
    if not person_ids:
        return {}
    return {
        row.p_id: person_from(row, row.team_name)
        for row in session.connection().execute(PEOPLE, {"person_ids": list(person_ids)})
    }
