"""What a partner agency is asked: about whom (names and dates of birth), where to search (the
address), by whom and by when. The agency's return dialog shows it before a word is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from mash_desk.domain.enums import Rag
from mash_desk.domain.errors import NotFound
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.sharing import sees_request
from mash_desk.services.context import ServiceContext, require, retry_collisions
from mash_desk.services.records import address_line
from mash_desk.store.models import Agency, AgencyRequest, Contact, ContactChild, Household, Person, Team, User


@dataclass(frozen=True)
class ChildAsked:
    name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None  # an unborn child


@dataclass(frozen=True)
class ReturnBrief:
    request_id: int
    contact_id: int
    reference: str
    agency: str
    children: tuple[ChildAsked, ...]
    address: str | None  # the household's address as one line, to search the agency's systems on
    question: str | None
    asked_by: str
    asked_by_team: str | None
    asked_at: datetime
    due_at: datetime
    rag: Rag | None
    version: int


@retry_collisions
def return_brief(ctx: ServiceContext, request_id: int) -> ReturnBrief:
    """The request as the agency asked sees it; another agency is told it does not exist."""
    with ctx.unit() as (session, actor):
        require(actor, Action.RECORD_AGENCY_RETURN)
        request = session.get(AgencyRequest, request_id)
        if request is None or not sees_request(actor.role, actor.agency_id, request.agency_id):
            raise NotFound(f"There is no agency request with id {request_id}.")
        contact = session.get(Contact, request.contact_id)
        agency = session.get(Agency, request.agency_id)
        asker = session.get(User, request.requested_by_id)
        if contact is None or agency is None or asker is None:  # hidden: the contact was restricted since
            raise NotFound(f"There is no agency request with id {request_id}.")
        team = session.get(Team, asker.team_id) if asker.team_id is not None else None
        children = tuple(
            ChildAsked(f"{given} {family}", born, expected)
            for given, family, born, expected in session.execute(
                select(Person.given_names, Person.family_name, Person.date_of_birth, Person.expected_date_of_birth)
                .join(ContactChild, ContactChild.person_id == Person.id)
                .where(ContactChild.contact_id == contact.id)
                .order_by(ContactChild.id)
            )
        )
        household = session.get(Household, contact.household_id) if contact.household_id is not None else None
        return ReturnBrief(
            request_id=request.id,
            contact_id=contact.id,
            reference=contact.reference,
            agency=agency.name,
            children=children,
            address=address_line(household),
            question=request.question,
            asked_by=asker.display_name,
            asked_by_team=team.name if team is not None else None,
            asked_at=request.requested_at,
            due_at=request.due_at,
            rag=contact.rag,
            version=request.version,
        )
