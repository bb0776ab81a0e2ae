"""Opening a person's record, and their chronology on its own (for print and the command line).

Both read in one unit and audit in their own short unit afterwards, as opening a contact does:
who looked at whose record is part of the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk.domain.chronology import ChronologyFilter, newest_first
from mash_desk.domain.enums import AgencyKind, Role
from mash_desk.domain.errors import NotFound
from mash_desk.services.contact_view.rows import PersonRow
from mash_desk.services.contact_view.statements import person_rows
from mash_desk.services.context import Actor, ServiceContext, retry_collisions
from mash_desk.services.merging import resolve_in
from mash_desk.services.person_record import entries, family, queries
from mash_desk.services.person_record.rows import ChronologyRow, PersonRecord
from mash_desk.services.restrictions import PERSON, check_restriction
from mash_desk.store.models import Agency, Person, Team, User


@dataclass(frozen=True)
class PersonChronology:
    """A person's chronology as one person may see it, filtered: what the PDF and the command line print."""

    person: PersonRow
    rows: tuple[ChronologyRow, ...]
    keep: ChronologyFilter
    total: int
    """How many entries there are before the filter."""
    printed_by: str
    printed_at: datetime


def _person(session: Session, actor: Actor, person_id: int, now: datetime, postgresql: bool) -> Person:
    # a record merged into another opens as the one kept: its contacts and history are there now
    person_id = resolve_in(session, person_id)
    person = session.get(Person, person_id)
    if person is None or not postgresql:  # PostgreSQL's own policy has hidden a restricted one
        check_restriction(session, actor, PERSON, person_id, now)
    if person is None:
        raise NotFound(f"There is no person with id {person_id}.")
    return person


def _chronology(
    session: Session, actor: Actor, person: Person, now: datetime
) -> tuple[queries.Fetched, queries.Links, list[ChronologyRow]]:
    conn = session.connection()
    links = queries.read_links(conn, person.id)
    contacts = queries.visible_contacts(conn, actor, links.contact_ids, now)
    if actor.role is Role.AGENCY and not contacts:
        # a partner sees a person only through a contact it was asked about (PostgreSQL's own rule)
        raise NotFound(f"There is no person with id {person.id}.")
    # the reader's kind of agency decides which returns they read: PostgreSQL's own functions know it
    actor_kind = (
        AgencyKind.OTHER
        if conn.dialect.name == "postgresql"
        else session.scalar(select(Agency.kind).where(Agency.id == actor.agency_id)) or AgencyKind.OTHER
    )
    fetched = queries.fetch(conn, actor, actor_kind, person.id, contacts)
    rows = entries.chronology_rows(fetched, links, person_id=person.id, person_kind=person.kind)
    return fetched, links, rows


@retry_collisions
def open_person_record(ctx: ServiceContext, person_id: int) -> PersonRecord:
    """A person's whole record, as the signed-in person may see it; audited like opening a contact."""
    now = ctx.now()
    with ctx.unit() as (session, actor):
        person = _person(session, actor, person_id, now, ctx.db.is_postgresql)
        fetched, links, rows = _chronology(session, actor, person, now)
        conn = session.connection()
        visible_ids = [c.id for c in fetched.contacts]
        allocated = None
        worker = (
            session.scalar(select(User.display_name).where(User.id == person.allocated_worker_id))
            if (person.allocated_worker_id)
            else None
        )
        if person.case_open and person.allocated_team_id is not None:
            team = session.scalar(select(Team.name).where(Team.id == person.allocated_team_id))
            allocated = (team or "?", worker)
        record = PersonRecord(
            person=person_rows(session, [person.id])[person.id],
            kind=person.kind,
            version=person.version,
            upn=person.upn,
            upn_unknown=person.upn_unknown,
            local_child_id=person.local_child_id,
            ethnicity_code=person.ethnicity_code,
            disability=person.disability,
            communication_needs=person.communication_needs,
            case_open=person.case_open,
            allocated_worker=worker,
            aliases=family.aliases(conn, person.id),
            corrections=family.corrections(fetched),
            relatives=family.relatives(conn, actor, person.id, person.kind, visible_ids, now),
            addresses=family.addresses(conn, person.id, visible_ids),
            agencies_now=family.agencies_now(fetched, allocated, now),
            contacts=entries.contact_history(fetched, links),
            chronology=newest_first(rows),
        )
    ctx.record_opening("person.open", "person", person_id, now)
    return record


@retry_collisions
def person_chronology(ctx: ServiceContext, person_id: int, keep: ChronologyFilter | None = None) -> PersonChronology:
    """A person's chronology alone, newest first, filtered by ``keep``; audited (it is read to be printed)."""
    keep = keep or ChronologyFilter()
    now = ctx.now()
    with ctx.unit() as (session, actor):
        person = _person(session, actor, person_id, now, ctx.db.is_postgresql)
        _fetched, _links, rows = _chronology(session, actor, person, now)
        found = PersonChronology(
            person=person_rows(session, [person.id])[person.id],
            rows=newest_first(rows, keep),
            keep=keep,
            total=len(rows),
            printed_by=actor.display_name,
            printed_at=now,
        )
    ctx.record_opening("person.chronology", "person", person_id, now)
    return found
