"""One person's record and every contact that named them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from mash_desk.domain.enums import ContactStatus, Outcome
from mash_desk.domain.errors import NotFound
from mash_desk.services.contact_view.rows import PersonRow
from mash_desk.services.contact_view.statements import person_rows
from mash_desk.services.context import ServiceContext, retry_collisions
from mash_desk.services.restrictions import PERSON, check_restriction
from mash_desk.store.models import Contact, ContactChild, Person, User


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
    ctx.record_opening("person.open", "person", person_id, now)
    return detail
