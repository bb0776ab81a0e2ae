"""Work queues, most urgent first, and claiming work so two people never take the same contact."""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    SQLColumnExpression,
    and_,
    bindparam,
    case,
    false,
    func,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, aliased

from mash_desk.domain.enums import (
    AgencyRequestStatus,
    Concern,
    ContactStatus,
    HandOffStatus,
    Outcome,
    Rag,
    Role,
    TeamKind,
)
from mash_desk.domain.errors import IllegalTransition, InvalidInput, NotFound, PermissionRefused
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.names import normalise_name
from mash_desk.domain.patterns import PatternKind
from mash_desk.domain.rows import filled_at_once
from mash_desk.domain.urgency import OVERDUE_TIER, WITH_ANOTHER_TEAM_STATUSES, Urgency, UrgencyFacts
from mash_desk.services.contact_view.rows import ChaseRow
from mash_desk.services.context import Actor, ServiceContext, audit, require, retry_collisions
from mash_desk.services.drafts import blank_to_none
from mash_desk.services.hand_off_facts import chases_of, outcomes_of
from mash_desk.services.patterns import kinds_for
from mash_desk.services.queue_children import ChildInQueue, children_of, children_text, concerns_of
from mash_desk.services.records import load_contact
from mash_desk.store.models import (
    Agency,
    AgencyRequest,
    Contact,
    ContactChild,
    HandOff,
    Person,
    Team,
    User,
)
from mash_desk.store.queries import lookup, starts_with

PAGE_SIZE = 50
MAX_REFRESH = 500  # rows refreshed at once (``queue_rows``)

# work that is with the MASH: screening, research, decisions and placing the case
MASH_WORK = (
    ContactStatus.RECEIVED,
    ContactStatus.SCREENED,
    ContactStatus.AGENCY_CHECKS,
    ContactStatus.RETURNED,
    ContactStatus.AUTHORISED,
)
OPEN_STATES = tuple(s for s in ContactStatus if s is not ContactStatus.CLOSED)


class Queue(StrEnum):
    MINE = "mine"
    TEAM = "team"
    UNASSIGNED = "unassigned"
    DECISIONS = "decisions"


FRONT_DOOR_TEAMS = frozenset({TeamKind.MASH})


def works_the_front_door(actor: Actor) -> bool:
    """Whether someone picks up new work at the MASH's front door ("Unassigned", "Take next"):
    MASH staff, not a receiving team (assessment, early help) whose work arrives as hand-offs."""
    if actor.role not in (Role.PRACTITIONER, Role.MANAGER, Role.BUSINESS_SUPPORT):
        return False
    return actor.team_kind is None or actor.team_kind in FRONT_DOOR_TEAMS


@filled_at_once  # fifty a page
@dataclass(frozen=True)
class QueueRow:
    """One line of a work queue, complete enough to draw without another query."""

    contact_id: int
    reference: str
    received_at: datetime
    status: ContactStatus
    rag: Rag | None
    due_at: datetime
    decision_due_at: datetime
    children: str
    assigned_to: str | None
    team: str | None
    referral_source: str
    immediate_danger: bool
    re_referral: bool
    open_case: bool
    version: int
    patterns: tuple[PatternKind, ...] = ()
    """Patterns nobody should miss on this contact (``services.patterns``), in the order they are shown."""
    children_named: tuple[ChildInQueue, ...] = ()
    concerns: tuple[Concern, ...] = ()

    def urgency_facts(self, queue: Queue) -> UrgencyFacts:
        """What the one urgency order (``domain.urgency``) looks at, with this queue's deadline."""
        due = min(self.due_at, self.decision_due_at) if queue is Queue.DECISIONS else self.due_at
        return UrgencyFacts(self.immediate_danger, self.rag, due, self.status in WITH_ANOTHER_TEAM_STATUSES)


@dataclass(frozen=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    total: int
    offset: int


def _base(queue: Queue, worker: int | BindParameter[int], team: int | BindParameter[int] | None) -> Select[Contact]:
    """The contacts in ``queue`` for this worker and team (values, or parameters bound at run time)."""
    query = select(Contact)
    if queue is Queue.MINE:
        return query.where(Contact.assigned_to_id == worker, Contact.status.in_(OPEN_STATES))
    if queue is Queue.TEAM:
        if team is None:  # "== None" would be IS NULL: every contact nobody's team holds
            return query.where(false())
        return query.where(Contact.team_id == team, Contact.status.in_(OPEN_STATES))
    if queue is Queue.UNASSIGNED:
        return query.where(Contact.assigned_to_id.is_(None), Contact.status.in_(MASH_WORK))
    return query.where(Contact.status == ContactStatus.AWAITING_AUTHORISATION)


def queue_due(queue: Queue) -> SQLColumnExpression[datetime]:
    """The deadline a queue counts down to: the earlier of the two while a decision waits."""
    if queue is Queue.DECISIONS:
        return case((Contact.rag_due_at < Contact.decision_due_at, Contact.rag_due_at), else_=Contact.decision_due_at)
    return Contact.rag_due_at


def urgency_order(
    due: SQLColumnExpression[datetime], now: datetime | BindParameter[datetime]
) -> tuple[SQLColumnExpression[Any], ...]:
    """``domain.urgency``'s tiers as SQL: ORDER BY these for the same order the window keeps."""
    overdue = [
        (and_(due < now, Contact.rag.is_(None) if rag is None else Contact.rag == rag), int(tier))
        for rag, tier in OVERDUE_TIER.items()
    ]
    tier = case(
        (Contact.status.in_(WITH_ANOTHER_TEAM_STATUSES), int(Urgency.WITH_ANOTHER_TEAM)),
        (Contact.immediate_danger.is_(True), int(Urgency.IMMEDIATE_DANGER)),
        *overdue,
        else_=int(Urgency.ON_TIME),
    )
    return (tier, due, Contact.id)


def _order(queue: Queue, now: datetime | BindParameter[datetime]) -> tuple[SQLColumnExpression[Any], ...]:
    return urgency_order(queue_due(queue), now)


def _may_work(actor: Actor, queue: Queue) -> None:
    if queue is Queue.DECISIONS and actor.role is not Role.MANAGER:
        raise PermissionRefused("Only team managers work the decision queue.")


def queue_query(actor: Actor, queue: Queue, search: str | None = None) -> Select[Contact]:
    """The contacts in ``queue`` for ``actor``, narrowed by ``search`` (a reference or a family name)."""
    _may_work(actor, queue)
    query = _base(queue, actor.id, actor.team_id)
    term = blank_to_none(search)
    return query.where(_matches(term)) if term else query


def _count_and_page(
    query: Select[Contact],
    queue: Queue,
    now: datetime | BindParameter[datetime],
    offset: int | BindParameter[int],
    limit: int | BindParameter[int],
) -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]]:
    """How many contacts ``query`` finds, and one page of them as the columns a row shows, worker and
    team joined in: no ORM objects, no extra look-ups."""
    count = select(func.count()).select_from(query.subquery())
    page = (
        query.with_only_columns(*_ROW_COLUMNS)
        .select_from(Contact)
        .outerjoin(User, User.id == Contact.assigned_to_id)
        .outerjoin(Team, Team.id == Contact.team_id)
        .order_by(*_order(queue, now))
        .offset(offset)
        .limit(limit)
    )
    return count, page


@functools.cache
def _unsearched(queue: Queue, has_team: bool) -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]]:
    """A queue's count and page statements without a search, built once with the worker, team, the moment
    (which decides what is overdue), offset and limit bound at run time: built per call they cost more than
    the SQL (each call would assemble them clause by clause and work out their cache key again)."""
    worker, team = bindparam("worker", type_=Integer()), bindparam("team", type_=Integer())
    return _count_and_page(
        _base(queue, worker, team if has_team else None),
        queue,
        bindparam("now", type_=Contact.rag_due_at.type),
        bindparam("offset", type_=Integer()),
        bindparam("limit", type_=Integer()),
    )


def queue_page(
    ctx: ServiceContext, queue: Queue, *, offset: int = 0, limit: int = PAGE_SIZE, search: str | None = None
) -> QueuePage:
    """One page of a queue; ``search`` narrows it to a reference or a child's family name."""
    if offset < 0 or not 1 <= limit <= 500:
        raise InvalidInput.single("page", "Ask for between 1 and 500 rows from a non-negative offset.")
    now = ctx.now()
    with ctx.read() as (conn, actor):  # Core rows: an ORM session would add bookkeeping and nothing else here
        _may_work(actor, queue)
        if blank_to_none(search) is None:
            count, page = _unsearched(queue, actor.team_id is not None)
            bound = {"worker": actor.id, "team": actor.team_id, "now": now, "offset": offset, "limit": limit}
        else:
            count, page = _count_and_page(queue_query(actor, queue, search), queue, now, offset, limit)
            bound = {}
        total = conn.scalar(count, bound) or 0
        rows = conn.execute(page, bound).all()
        ids = [row.id for row in rows]
        children = children_of(conn, ids)
        concerns = concerns_of(conn, ids)
        patterns = kinds_for(conn, actor, {row.id: row.received_at for row in rows})
        return QueuePage(
            rows=tuple(
                QueueRow(
                    contact_id=row.id,
                    reference=row.reference,
                    received_at=row.received_at,
                    status=row.status,
                    rag=row.rag,
                    due_at=row.rag_due_at,
                    decision_due_at=row.decision_due_at,
                    children=", ".join(child.name for child in children.get(row.id, ())),
                    assigned_to=row.display_name,
                    team=row.name,
                    referral_source=row.referral_source,
                    immediate_danger=row.immediate_danger,
                    re_referral=row.re_referral,
                    open_case=row.open_case_team_id is not None,
                    version=row.version,
                    patterns=patterns.get(row.id, ()),
                    children_named=children.get(row.id, ()),
                    concerns=concerns.get(row.id, ()),
                )
                for row in rows
            ),
            total=total,
            offset=offset,
        )


_ROW_COLUMNS = (
    Contact.id,
    Contact.reference,
    Contact.received_at,
    Contact.status,
    Contact.rag,
    Contact.rag_due_at,
    Contact.decision_due_at,
    Contact.referral_source,
    Contact.immediate_danger,
    Contact.re_referral,
    Contact.open_case_team_id,
    Contact.version,
    User.display_name,
    Team.name,
)


def _matches(term: str) -> ColumnElement[bool]:
    upper = term.strip().upper()
    normalised = normalise_name(term)
    by_reference = (Contact.reference == upper) | Contact.reference.endswith(upper, autoescape=True)
    if not normalised:  # punctuation only: a name prefix of "" would match every child
        return by_reference
    child = aliased(ContactChild)
    person = aliased(Person)
    by_child = (
        select(child.contact_id)
        .join(person, person.id == child.person_id)
        .where(*starts_with(person.family_name_norm, normalised))
    )
    return by_reference | Contact.id.in_(by_child)


def rows_for(session: Session, contacts: Sequence[Contact], actor: Actor | None = None) -> list[QueueRow]:
    """Queue rows for contacts already loaded (inboxes, refreshed rows): one query for names, and
    (given who is asking) two for the patterns."""
    children = children_of(session, [c.id for c in contacts])
    concerns = concerns_of(session, [c.id for c in contacts])
    patterns = kinds_for(session, actor, {c.id: c.received_at for c in contacts}) if actor is not None else {}
    user_ids = {c.assigned_to_id for c in contacts if c.assigned_to_id}
    team_ids = {c.team_id for c in contacts if c.team_id}
    users = lookup(session, select(User.id, User.display_name).where(User.id.in_(user_ids))) if user_ids else {}
    teams = lookup(session, select(Team.id, Team.name).where(Team.id.in_(team_ids))) if team_ids else {}
    return [
        QueueRow(
            contact_id=c.id,
            reference=c.reference,
            received_at=c.received_at,
            status=c.status,
            rag=c.rag,
            due_at=c.rag_due_at,
            decision_due_at=c.decision_due_at,
            children=", ".join(child.name for child in children.get(c.id, ())),
            assigned_to=users.get(c.assigned_to_id) if c.assigned_to_id else None,
            team=teams.get(c.team_id) if c.team_id else None,
            referral_source=c.referral_source,
            immediate_danger=c.immediate_danger,
            re_referral=c.re_referral,
            open_case=c.open_case_team_id is not None,
            version=c.version,
            patterns=patterns.get(c.id, ()),
            children_named=children.get(c.id, ()),
            concerns=concerns.get(c.id, ()),
        )
        for c in contacts
    ]


@dataclass(frozen=True)
class Claimed:
    contact_id: int
    reference: str


@retry_collisions
def claim_next(ctx: ServiceContext) -> Claimed | None:
    """Take the most urgent unassigned contact; two people asking at once never get the same one."""
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        require(actor, Action.CLAIM)
        if not works_the_front_door(actor):
            raise PermissionRefused("New work at the front door is taken by the MASH team; yours arrives as hand-offs.")
        candidates = (
            select(Contact.id)
            .where(Contact.assigned_to_id.is_(None), Contact.status.in_(MASH_WORK))
            .order_by(*urgency_order(Contact.rag_due_at, now))
        )
        if ctx.db.is_postgresql:
            # the row is locked for us and skipped by everyone else asking at the same moment
            offered = list(session.scalars(candidates.limit(1).with_for_update(skip_locked=True)))
        else:
            # SQLite ignores FOR UPDATE; the write transaction began IMMEDIATE, so we hold the
            # write lock and the conditional update below cannot race another workstation.
            offered = list(session.scalars(candidates.limit(5)))
        contact_id = next((candidate for candidate in offered if _take(session, candidate, actor, now)), None)
        if contact_id is None:
            return None
        reference = session.scalar(select(Contact.reference).where(Contact.id == contact_id))
        assert reference is not None
        audit(session, actor, "contact.claim", "contact", contact_id, at=now, contact_id=contact_id)
        return Claimed(contact_id, reference)


def _take(session: Session, contact_id: int, actor: Actor, now: datetime) -> bool:
    """Assign a contact to ``actor`` if it is still unassigned; whether it was."""
    result = session.execute(
        update(Contact)
        .where(Contact.id == contact_id, Contact.assigned_to_id.is_(None))
        .values(assigned_to_id=actor.id, updated_at=now, updated_by_id=actor.id, version=Contact.version + 1)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


@retry_collisions
def claim(ctx: ServiceContext, contact_id: int) -> None:
    """Take one particular unassigned contact."""
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.CLAIM)
        if contact.assigned_to_id is not None and contact.assigned_to_id != actor.id:
            owner = session.get(User, contact.assigned_to_id)
            raise IllegalTransition(f"{owner.display_name if owner else 'Someone'} is already working on this contact.")
        if contact.assigned_to_id == actor.id:
            return  # already yours: nothing changes, nothing to audit
        contact.assigned_to_id = actor.id
        contact.updated_at, contact.updated_by_id = now, actor.id
        audit(session, actor, "contact.claim", "contact", contact.id, at=now, contact_id=contact.id)


@retry_collisions
def reassign(ctx: ServiceContext, contact_id: int, to_username: str, reason: str) -> None:
    """A manager moves work to another worker, with a reason; audited."""
    reason_text = blank_to_none(reason)
    if reason_text is None:
        raise InvalidInput.single("reason", "Say why the work is moving.")
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.REASSIGN)
        worker = session.scalars(select(User).where(User.username == to_username)).first()
        if worker is None or not worker.active:
            raise InvalidInput.single("worker", f"There is no active user {to_username!r}.")
        if worker.role not in (Role.PRACTITIONER, Role.MANAGER):
            raise InvalidInput.single(
                "worker", f"{worker.display_name} cannot hold MASH work (role {worker.role.value})."
            )
        if worker.id == contact.assigned_to_id:
            raise InvalidInput.single("worker", f"{worker.display_name} already has this contact.")
        previous = contact.assigned_to_id
        contact.assigned_to_id = worker.id
        if worker.team_id is not None:
            contact.team_id = worker.team_id
        contact.updated_at, contact.updated_by_id = now, actor.id
        audit(
            session,
            actor,
            "contact.reassign",
            "contact",
            contact.id,
            at=now,
            contact_id=contact.id,
            detail={"from_user_id": previous, "to_user_id": worker.id, "reason": reason_text},
        )


@dataclass(frozen=True)
class AgencyRequestRow:
    request_id: int
    contact_id: int
    reference: str
    agency: str
    children: str
    question: str | None
    requested_at: datetime
    due_at: datetime
    rag: Rag | None
    version: int


def agency_requests(ctx: ServiceContext, *, offset: int = 0, limit: int = PAGE_SIZE) -> list[AgencyRequestRow]:
    """Checks asked of the signed-in person's own agency that have not been returned."""
    with ctx.unit() as (session, actor):
        requests = list(
            session.execute(
                select(AgencyRequest, Agency.name, Contact)
                .join(Agency, Agency.id == AgencyRequest.agency_id)
                .join(Contact, Contact.id == AgencyRequest.contact_id)
                .where(
                    AgencyRequest.agency_id == actor.agency_id, AgencyRequest.status == AgencyRequestStatus.OUTSTANDING
                )
                .order_by(AgencyRequest.due_at, AgencyRequest.id)
                .offset(offset)
                .limit(limit)
            )
        )
        names = children_text(session, [c.id for _r, _n, c in requests])
        return [
            AgencyRequestRow(
                r.id,
                c.id,
                c.reference,
                name,
                names.get(c.id, ""),
                r.question,
                r.requested_at,
                r.due_at,
                c.rag,
                r.version,
            )
            for r, name, c in requests
        ]


@dataclass(frozen=True)
class HandOffRow:
    handoff_id: int
    contact_id: int
    reference: str
    team_id: int
    team: str
    children: str
    sent_by: str
    sent_at: datetime
    due_at: datetime
    note: str | None
    rag: Rag | None = None
    outcomes: tuple[Outcome, ...] = ()
    """The authorised outcomes of the contact's children, the most serious first (a section 47 never looks routine)."""
    chases: tuple[ChaseRow, ...] = ()
    """Each time the MASH chased the team about it, oldest first."""


def pending_hand_offs(
    ctx: ServiceContext, *, mine_only: bool = False, sent_by_my_team: bool = False
) -> list[HandOffRow]:
    """Hand-offs no team has accepted yet, oldest deadline first; ``mine_only`` for my team's inbox,
    ``sent_by_my_team`` for the ones my team (the MASH) sent and may chase."""
    with ctx.unit() as (session, actor):
        sender = aliased(User)
        query = (
            select(HandOff, Team.name, Contact, sender.display_name)
            .join(Team, Team.id == HandOff.team_id)
            .join(Contact, Contact.id == HandOff.contact_id)
            .join(sender, sender.id == HandOff.sent_by_id)
            .where(HandOff.status == HandOffStatus.PENDING)
        )
        if mine_only:
            query = query.where(and_(HandOff.team_id == actor.team_id))
        if sent_by_my_team:
            query = query.where(sender.team_id == actor.team_id, HandOff.team_id != actor.team_id)
        rows = list(session.execute(query.order_by(HandOff.due_at, HandOff.id).limit(500)))
        contact_ids = [c.id for _h, _t, c, _s in rows]
        names = children_text(session, contact_ids)
        outcomes = outcomes_of(session, contact_ids)
        chases = chases_of(session, [h.id for h, _t, _c, _s in rows])
        return [
            HandOffRow(
                h.id,
                c.id,
                c.reference,
                h.team_id,
                team,
                names.get(c.id, ""),
                sent_by,
                h.sent_at,
                h.due_at,
                h.note,
                c.rag,
                outcomes.get(c.id, ()),
                chases.get(h.id, ()),
            )
            for h, team, c, sent_by in rows
        ]


def find_contact_id(ctx: ServiceContext, reference: str) -> int:
    """A contact's id from its reference, as typed or read out over the phone."""
    term = (reference or "").strip().upper()
    if not term:
        raise InvalidInput.single("reference", "Enter a contact reference.")
    with ctx.unit() as (session, _actor):
        found = session.scalar(select(Contact.id).where(Contact.reference == term))
        if found is None and term.isdigit():
            found = session.scalar(select(Contact.id).where(Contact.id == int(term)))
        if found is None and ctx.db.is_postgresql:
            # hidden by a restriction: found, so that opening it offers to break the glass
            found = session.scalar(text("SELECT mash_desk_restricted_contact(:term)"), {"term": term})
        if found is None:
            raise NotFound(f"No contact has the reference {term}.")
        return found


@dataclass(frozen=True)
class QueueRefresh:
    """The asked-for contacts that (still) belong in a queue, and the queue's new length."""

    rows: tuple[QueueRow, ...]
    total: int


def queue_rows(
    ctx: ServiceContext, queue: Queue, contact_ids: Collection[int], *, search: str | None = None
) -> QueueRefresh:
    """Fresh rows for changed contacts, so an open queue updates those lines instead of reloading."""
    if len(contact_ids) > MAX_REFRESH:
        raise InvalidInput.single("contact_ids", f"Refresh at most {MAX_REFRESH} rows at a time.")
    with ctx.unit() as (session, actor):
        query = queue_query(actor, queue, search)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        if not contact_ids:
            return QueueRefresh((), total)
        contacts = list(session.scalars(query.where(Contact.id.in_(sorted(contact_ids)))))
        return QueueRefresh(tuple(rows_for(session, contacts, actor)), total)
