"""Opening one contact: everything about it on one screen, as the signed-in person may see it.

Read in one unit with the statements of ``statements`` (on PostgreSQL the contact and all its sections in
one round trip, the names of everyone it mentions in one more), built into the frozen rows of ``rows``,
and audited: who looked at whose record is part of the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Dialect

from mash_desk.domain.enums import Concern, DecisionStatus, Outcome
from mash_desk.domain.errors import NotFound
from mash_desk.domain.lifecycle import DECIDING_ACTIONS, Action, allowed_actions, may_decide
from mash_desk.domain.sharing import may_read_return, sees_request
from mash_desk.services.contact_view.chronology import chronology
from mash_desk.services.contact_view.rows import (
    AdultOnContact,
    AgencyRequestView,
    AuthorisationRow,
    ChaseRow,
    ChildOnContact,
    ConsentRow,
    ContactDetail,
    DecisionRow,
    HandOffView,
    HouseholdRow,
    NoteRow,
    PersonRow,
    RagRow,
)
from mash_desk.services.contact_view.statements import (
    AGENCY_NAMES,
    AS_STORED,
    CONTACT_ROW,
    CONTACT_WHOLE,
    NAMES,
    SECTIONS_POSTGRESQL,
    SECTIONS_SQLITE,
    NamedRow,
    person_from,
)
from mash_desk.services.context import Actor, ServiceContext, retry_collisions
from mash_desk.services.restrictions import CONTACT, check_restriction


@retry_collisions
def open_contact(ctx: ServiceContext, contact_id: int) -> ContactDetail:
    """Load one contact whole, as the signed-in person may see it, and audit the opening."""
    now = ctx.now()
    postgresql = ctx.db.is_postgresql
    # columns, not objects: no ORM session; the "opened" row is written as the unit ends (``ServiceContext.
    # read_then_audit``), and only if everything was read
    with ctx.read_then_audit("contact.open", "contact", contact_id, now, contact_id=contact_id) as (conn, actor):
        params = {"contact_id": contact_id, "agency_id": actor.agency_id}
        contact = conn.execute(CONTACT_WHOLE if postgresql else CONTACT_ROW, params).one_or_none()
        if contact is None or not postgresql:  # PostgreSQL's own policy has hidden a restricted one
            check_restriction(conn, actor, CONTACT, contact_id, now)
        if contact is None:
            raise NotFound(f"There is no contact with id {contact_id}.")
        rows = _carried(contact, conn.dialect) if postgresql else _fetch(conn, contact_id)
        return _detail(conn, contact, rows, actor)


@dataclass(frozen=True)
class _Fetched:
    """The contact's rows, as read: one statement each (SQLite), or all carried in the contact's row."""

    links: Sequence[NamedRow]
    adult_links: Sequence[NamedRow]
    decisions: Sequence[NamedRow]
    rags: Sequence[NamedRow]
    consents: Sequence[NamedRow]
    requests: Sequence[NamedRow]
    authorisations: Sequence[NamedRow]
    hand_offs: Sequence[NamedRow]
    """One row per hand-off and chase (a hand-off never chased: one row, its chase columns empty)."""
    notes: Sequence[NamedRow]
    concerns: tuple[Concern, ...]
    agency_names: dict[str, str]
    """Agency code → name, read only when a consent names the agencies it covers."""


def _fetch(conn: Connection, contact_id: int) -> _Fetched:
    """SQLite: each section by its own statement (a call into a library, not a round trip)."""
    params = {"contact_id": contact_id}
    found = {name: conn.execute(rows.statement, params).all() for name, rows in SECTIONS_SQLITE.items()}
    scoped = any(c.scope for c in found["consents"])
    found["agency_names"] = conn.execute(AGENCY_NAMES.statement, params).all() if scoped else []
    return _filed(found)


def _carried(contact: NamedRow, dialect: Dialect) -> _Fetched:
    """PostgreSQL: the same sections, read back from the columns of the contact's own row."""
    carried = contact._mapping
    return _filed({name: rows.read_back(carried[name], dialect) for name, rows in SECTIONS_POSTGRESQL.items()})


def _filed(found: dict[str, Sequence[NamedRow]]) -> _Fetched:
    return _Fetched(
        links=found["links"],
        adult_links=found["adult_links"],
        decisions=found["decisions"],
        rags=found["rags"],
        consents=found["consents"],
        requests=found["requests"],
        authorisations=found["authorisations"],
        hand_offs=found["hand_offs"],
        notes=found["notes"],
        concerns=tuple(row.concern for row in found["concerns"]),
        agency_names={row.code: row.name for row in found["agency_names"]},
    )


def _names(conn: Connection, contact: NamedRow, rows: _Fetched) -> tuple[dict[int, str], dict[int, str]]:
    """The display names of every user and team the contact mentions (users, teams), in one round trip."""
    user_ids = {contact.created_by_id, contact.updated_by_id}
    user_ids.update(d.proposed_by_id for d in rows.decisions)
    user_ids.update(r.rated_by_id for r in rows.rags)
    user_ids.update(c.recorded_by_id for c in rows.consents)
    user_ids.update(c.override_authorised_by_id for c in rows.consents if c.override_authorised_by_id)
    user_ids.update(r.requested_by_id for r in rows.requests)
    user_ids.update(a.manager_id for a in rows.authorisations)
    user_ids.update(h.sent_by_id for h in rows.hand_offs)
    user_ids.update(h.chased_by_id for h in rows.hand_offs if h.chased_by_id is not None)
    user_ids.update(n.author_id for n in rows.notes)
    for optional in (contact.assigned_to_id, contact.closed_by_id):
        if optional is not None:
            user_ids.add(optional)
    team_ids = {h.team_id for h in rows.hand_offs}
    team_ids.update(p.allocated_team_id for p in (*rows.links, *rows.adult_links) if p.allocated_team_id)
    for optional in (contact.team_id, contact.open_case_team_id):
        if optional is not None:
            team_ids.add(optional)
    users: dict[int, str] = {}
    teams: dict[int, str] = {}
    found = conn.execute(NAMES[conn.dialect.name], {"user_ids": sorted(user_ids), "team_ids": sorted(team_ids)})
    for which, key, name in found:
        (teams if which else users)[key] = name
    return users, teams


def _decisions(rows: _Fetched, people: dict[int, PersonRow], users: dict[int, str]) -> list[DecisionRow]:
    link_person = {link.id: link.person_id for link in rows.links}
    return [
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
        for d in rows.decisions
    ]


def _household(contact: NamedRow) -> HouseholdRow | None:
    if contact.h_id is None:
        return None
    address = ", ".join(part for part in (contact.address_line1, contact.address_line2, contact.town) if part)
    return HouseholdRow(
        address,
        contact.postcode,
        contact.tenure,
        contact.temporary_accommodation,
        contact.overcrowded,
        contact.homeless,
        contact.housing_notes,
    )


def _consents(rows: _Fetched, users: dict[int, str]) -> tuple[ConsentRow, ...]:
    return tuple(
        ConsentRow(
            id=c.id,
            status=c.status,
            given_by_name=c.given_by_name,
            given_by_relationship=c.given_by_relationship,
            obtained_on=c.obtained_on,
            method=c.method,
            scope=tuple(s for s in c.scope.split(",") if s),
            scope_names=tuple(rows.agency_names.get(s, s) for s in c.scope.split(",") if s),
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
        for c in rows.consents
    )


def _requests(rows: _Fetched, contact: NamedRow, actor: Actor, postgresql: bool) -> tuple[AgencyRequestView, ...]:
    """The agency checks this person may see, each return's words only where its marking allows."""
    requests = []
    for r in rows.requests:
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
    return tuple(requests)


def _hand_offs(rows: _Fetched, users: dict[int, str], teams: dict[int, str]) -> tuple[HandOffView, ...]:
    chases: dict[int, list[ChaseRow]] = {}
    first: dict[int, NamedRow] = {}
    for h in rows.hand_offs:
        first.setdefault(h.id, h)
        found = chases.setdefault(h.id, [])
        if h.chased_by_id is not None:
            found.append(ChaseRow(users.get(h.chased_by_id, "?"), h.chased_at, h.chase_note))
    return tuple(
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
            tuple(chases[h.id]),
        )
        for h in first.values()
    )


def _detail(conn: Connection, contact: NamedRow, rows: _Fetched, actor: Actor) -> ContactDetail:
    users, teams = _names(conn, contact, rows)
    people = {
        p.p_id: person_from(p, teams.get(p.allocated_team_id) if p.allocated_team_id else None)
        for p in (*rows.links, *rows.adult_links)
    }
    decisions = _decisions(rows, people, users)
    live = {d.person_id: d for d in decisions if d.status in (DecisionStatus.PROPOSED, DecisionStatus.AUTHORISED)}
    children = tuple(
        ChildOnContact(
            people[link.person_id], link.level_of_need, link.outcome, link.primary_need, live.get(link.person_id)
        )
        for link in rows.links
    )
    adults = tuple(
        AdultOnContact(
            people[a.person_id],
            a.relationship_to_children,
            a.parental_responsibility,
            a.alleged_perpetrator,
            a.in_contact_with_child,
        )
        for a in rows.adult_links
    )
    rag_history = tuple(RagRow(r.rag, r.reason, r.due_at, users.get(r.rated_by_id, "?"), r.rated_at) for r in rows.rags)
    consents = _consents(rows, users)
    requests = _requests(rows, contact, actor, conn.dialect.name == "postgresql")
    authorisations = tuple(
        AuthorisationRow(users.get(a.manager_id, "?"), a.decided_at, a.approved, a.comments)
        for a in rows.authorisations
    )
    hand_offs = _hand_offs(rows, users, teams)
    notes = tuple(
        NoteRow(n.id, n.kind, n.text, users.get(n.author_id, "?"), n.written_at, n.corrects_id) for n in rows.notes
    )
    closer = contact.closed_by_id if contact.closed_by_id is not None else contact.updated_by_id
    return ContactDetail(
        **{name: getattr(contact, name) for name in AS_STORED},
        concerns=rows.concerns,
        assigned_to=users.get(contact.assigned_to_id) if contact.assigned_to_id else None,
        team=teams.get(contact.team_id) if contact.team_id else None,
        open_case_team=teams.get(contact.open_case_team_id) if contact.open_case_team_id else None,
        children=children,
        adults=adults,
        household=_household(contact),
        rag_history=rag_history,
        consents=consents,
        agency_requests=requests,
        decisions=tuple(decisions),
        authorisations=authorisations,
        hand_offs=hand_offs,
        notes=notes,
        chronology=chronology(
            contact,
            users,
            rag_history,
            consents,
            requests,
            decisions,
            authorisations,
            hand_offs,
            notes,
            requested_by={r.id: users.get(r.requested_by_id, "?") for r in rows.requests},
            closed_by=users.get(closer, "?"),
        ),
        allowed=_offered(contact, actor, children),
    )


def _offered(contact: NamedRow, actor: Actor, children: tuple[ChildOnContact, ...]) -> frozenset[Action]:
    """What this person may do to this contact now: the state machine, less what the services would
    refuse for this contact in particular (so a screen never offers a step that cannot succeed)."""
    allowed = allowed_actions(contact.status, actor.role)
    if not may_decide(actor.role, actor.team_id, contact.team_id):
        allowed -= DECIDING_ACTIONS
    if contact.open_case_team_id is None or all(c.outcome is not Outcome.PASS_TO_ALLOCATED_WORKER for c in children):
        allowed -= {Action.PASS_TO_ALLOCATED_TEAM}
    return allowed
