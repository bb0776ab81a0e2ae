"""The cases behind a dashboard tile: the same rule counts them for the tile and lists them when a
manager opens it, so the list is never one more or one less than the number on the tile.

A tile counts one kind of thing (its ``TileUnit``): contacts, children named in contacts, agency
checks, hand-offs, or child referrals (one per child per day). The rules here are the ones
``dashboard.front_door_measures`` counts with: a rule's ``counted`` is what the tile counts (for a
percentage, what it is out of), ``meets`` the part the tile names besides (for a percentage, what it is
a percentage of; for hand-offs, the overdue ones). Two tiles are counted in Python, not SQL — child
referrals (the census's one per child per day) and cumulative neglect awaiting a decision — and for
each the dashboard counts the very list ``tile_contacts`` shows (``child_referrals``,
``patterns.neglect_awaiting_decision``). Every row opens the contact it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, FromClause, and_, case, exists, func, join, null, select, true
from sqlalchemy.orm import Session

from mash_desk.domain.enums import AgencyRequestStatus, ContactStatus, HandOffStatus, Outcome, Role
from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.domain.periods import Period, london_date
from mash_desk.domain.validation import add_months
from mash_desk.exports.referrals import is_re_referral, referral_days
from mash_desk.services.context import Actor, ServiceContext
from mash_desk.services.patterns import PERIOD_CHUNK, neglect_awaiting_decision
from mash_desk.services.queue_children import children_text
from mash_desk.services.reporting import for_reports
from mash_desk.store.models import (
    Agency,
    AgencyRequest,
    Authorisation,
    Contact,
    ContactChild,
    HandOff,
    Person,
    Team,
)

MAX_LISTED = 500
REFERRAL_OUTCOMES = (Outcome.CFA_S17, Outcome.STRATEGY_S47, Outcome.EMERGENCY_PROTECTION)


class TileUnit(StrEnum):
    """What one row of a tile's list is, and what its number counts."""

    CONTACT = "contact"
    CHILD = "child"
    CHECK = "check"
    HAND_OFF = "hand_off"
    REFERRAL = "referral"
    """A child referral: one per child per day (the CIN census's), opening the contact it came in."""


@dataclass(frozen=True)
class TileRule:
    counted: ColumnElement[bool]
    """What the tile counts (for a percentage: what it is out of)."""
    meets: ColumnElement[bool] | None = None
    """For a percentage: which of them it is the percentage of; for hand-offs: which are overdue."""
    unit: TileUnit = TileUnit.CONTACT


def tile_source(unit: TileUnit) -> FromClause:
    """The rows a unit's rules are written over, joined to their contact: counting and listing both
    read from here, so a row the database hides from this login is missing from both alike."""
    match unit:
        case TileUnit.CONTACT:
            return Contact.__table__
        case TileUnit.CHILD | TileUnit.REFERRAL:
            return join(ContactChild, Contact, Contact.id == ContactChild.contact_id)
        case TileUnit.CHECK:
            return join(AgencyRequest, Contact, Contact.id == AgencyRequest.contact_id).join(
                Agency, Agency.id == AgencyRequest.agency_id
            )
        case TileUnit.HAND_OFF:
            return join(HandOff, Contact, Contact.id == HandOff.contact_id).join(Team, Team.id == HandOff.team_id)
    raise AssertionError(unit)  # pragma: no cover - every unit is handled above


def tile_rules(period: Period, now: datetime) -> dict[str, TileRule]:
    """The tiles counted by a rule in SQL, by tile key (the period's contacts; hand-offs as they are now)."""
    in_period = and_(Contact.received_at >= period.start, Contact.received_at < period.end)
    reviewed = exists().where(Authorisation.contact_id == Contact.id)
    returned = exists().where(Authorisation.contact_id == Contact.id, Authorisation.approved.is_(False))
    return {
        "contacts_received": TileRule(in_period),
        "undecided_past_deadline": TileRule(
            and_(in_period, Contact.decided_at.is_(None), Contact.decision_due_at < now)
        ),
        "decided_within_one_working_day": TileRule(
            and_(in_period, Contact.decided_at.is_not(None)), Contact.decided_at <= Contact.decision_due_at
        ),
        "completed_within_rag": TileRule(
            and_(in_period, Contact.rag.is_not(None), Contact.decided_at.is_not(None)),
            Contact.decided_at <= Contact.rag_due_at,
        ),
        "decisions_returned": TileRule(and_(in_period, reviewed), returned),
        "nfa": TileRule(
            and_(in_period, ContactChild.outcome.is_not(None)), ContactChild.outcome == Outcome.NFA, TileUnit.CHILD
        ),
        "agency_returns_on_time": TileRule(
            and_(in_period, AgencyRequest.status == AgencyRequestStatus.RETURNED),
            AgencyRequest.returned_at <= AgencyRequest.due_at,
            TileUnit.CHECK,
        ),
        "agency_returns_overdue": TileRule(
            and_(in_period, AgencyRequest.status == AgencyRequestStatus.OUTSTANDING, AgencyRequest.due_at < now),
            unit=TileUnit.CHECK,
        ),
        "hand_offs_awaiting": TileRule(
            HandOff.status == HandOffStatus.PENDING, HandOff.due_at < now, TileUnit.HAND_OFF
        ),
    }


COUNTED_IN_PYTHON = {"re_referrals": TileUnit.REFERRAL, "neglect_awaiting_decision": TileUnit.CONTACT}
"""Tiles whose rule is not SQL: their lists are worked out in Python, and the dashboard counts those lists."""

LISTED_TILES = frozenset(
    {
        "contacts_received",
        "undecided_past_deadline",
        "decided_within_one_working_day",
        "completed_within_rag",
        "decisions_returned",
        "nfa",
        "agency_returns_on_time",
        "agency_returns_overdue",
        "hand_offs_awaiting",
        *COUNTED_IN_PYTHON,
    }
)
"""Tiles that open the cases behind them (every tile but the audit actions, which are not cases)."""


# --- child referrals: one per child per day -------------------------------------------------------


@dataclass(frozen=True)
class ChildReferral:
    """A child referred on a London day of the period; ``re_referral``: referred in the 12 months before."""

    contact_child_id: int
    contact_id: int
    received_at: datetime
    re_referral: bool


def child_referrals(session: Session, period: Period) -> list[ChildReferral]:
    """The period's child referrals (one per child per day, the day's latest contact), newest first:
    the dashboard's referral and re-referral figures are this list's length and its re-referrals."""
    lookback = Period(add_months(period.first, -12), period.last)
    referred = and_(ContactChild.outcome.in_(REFERRAL_OUTCOMES), Contact.received_at < period.end)
    in_period_children = (
        select(ContactChild.person_id).join(Contact).where(referred, Contact.received_at >= period.start).distinct()
    )
    rows = session.execute(
        select(ContactChild.id, ContactChild.person_id, Contact.id, Contact.received_at)
        .select_from(tile_source(TileUnit.REFERRAL))
        .where(referred, ContactChild.person_id.in_(in_period_children), Contact.received_at >= lookback.start)
        .order_by(Contact.received_at, Contact.id)
    ).all()
    days = referral_days((person_id, london_date(received)) for _id, person_id, _contact, received in rows)
    latest: dict[tuple[int, date], ChildReferral] = {}
    for child_id, person_id, contact_id, received in rows:  # in time order: the last of a day stays
        day = london_date(received)
        if day in period:
            latest[person_id, day] = ChildReferral(child_id, contact_id, received, is_re_referral(days[person_id], day))
    return sorted(latest.values(), key=lambda r: (r.received_at, r.contact_id, r.contact_child_id), reverse=True)


# --- listing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TileContact:
    """One row behind a tile, and the contact it opens; ``meets`` says whether it counts towards the
    percentage (for hand-offs: whether it is overdue)."""

    row_id: int
    """The counted thing's own id (contact, child in a contact, agency check or hand-off)."""
    contact_id: int
    reference: str
    received_at: datetime
    children: str
    """The contact's children; for a tile that counts children, the one child the row is."""
    status: ContactStatus
    decision_due_at: datetime
    decided_at: datetime | None
    meets: bool | None
    about: str = ""
    """The agency asked (checks) or the receiving team (hand-offs)."""


@dataclass(frozen=True)
class TileContacts:
    key: str
    unit: TileUnit
    rows: tuple[TileContact, ...]
    total: int
    """How many the tile counts (more than ``rows`` only beyond ``MAX_LISTED``)."""
    meeting: int | None
    """Of ``total``, how many meet (``None``: the tile names no part)."""


DASHBOARD_ROLES = frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR})
"""Who sees the front-door measures, and the cases behind them."""


def require_dashboard(actor: Actor) -> None:
    if actor.role not in DASHBOARD_ROLES:
        raise PermissionRefused("Only managers, administrators and auditors can see the front-door measures.")


@dataclass(frozen=True)
class _Counted:
    row_id: int
    contact_id: int
    one_child: bool
    """The row is one child of the contact (``row_id`` is the child-in-contact's id)."""
    about: str
    meets: bool | None


def tile_contacts(ctx: ServiceContext, key: str, start: date, end: date) -> TileContacts:
    """The rows a tile counts for the period, newest contact first (at most ``MAX_LISTED``)."""
    period = Period(start, end)
    rule = tile_rules(period, ctx.now()).get(key)
    if rule is None and key not in COUNTED_IN_PYTHON:
        raise InvalidInput.single("tile", "That tile does not list cases.")
    with for_reports(ctx).unit() as (session, actor):
        require_dashboard(actor)
        if rule is not None:
            unit, (total, meeting, counted) = rule.unit, _by_rule(session, rule)
        elif key == "re_referrals":
            unit, (total, meeting, counted) = TileUnit.REFERRAL, _referrals(session, period)
        else:
            waiting = neglect_awaiting_decision(session, period.start, period.end)
            unit, total, meeting = TileUnit.CONTACT, len(waiting), None
            counted = [_Counted(i, i, False, "", None) for i in _newest_first(session, waiting)]
        return TileContacts(key, unit, _listed(session, counted), total, meeting)


def _by_rule(session: Session, rule: TileRule) -> tuple[int, int | None, list[_Counted]]:
    source = tile_source(rule.unit)
    meets = rule.meets if rule.meets is not None else true()
    total, meeting = session.execute(
        select(func.count(), func.coalesce(func.sum(case((meets, 1), else_=0)), 0))
        .select_from(source)
        .where(rule.counted)
    ).one()
    row_id, about = {
        TileUnit.CONTACT: (Contact.id, null()),
        TileUnit.CHILD: (ContactChild.id, null()),
        TileUnit.CHECK: (AgencyRequest.id, Agency.name),
        TileUnit.HAND_OFF: (HandOff.id, Team.name),
    }[rule.unit]
    rows = session.execute(
        select(row_id, Contact.id, about, case((meets, 1), else_=0))
        .select_from(source)
        .where(rule.counted)
        .order_by(Contact.received_at.desc(), Contact.id.desc(), row_id.desc())
        .limit(MAX_LISTED)
    )
    counted = [
        _Counted(
            row, contact_id, rule.unit is TileUnit.CHILD, about or "", bool(meets) if rule.meets is not None else None
        )
        for row, contact_id, about, meets in rows
    ]
    return int(total), int(meeting) if rule.meets is not None else None, counted


def _referrals(session: Session, period: Period) -> tuple[int, int, list[_Counted]]:
    referrals = child_referrals(session, period)
    # "meets" is what the percentage is of: here, being a re-referral
    counted = [_Counted(r.contact_child_id, r.contact_id, True, "", r.re_referral) for r in referrals[:MAX_LISTED]]
    return len(referrals), sum(r.re_referral for r in referrals), counted


def _newest_first(session: Session, contact_ids: Iterable[int]) -> list[int]:
    ids = list(contact_ids)
    ordered: list[tuple[datetime, int]] = []
    for first in range(0, len(ids), PERIOD_CHUNK):  # SQLite takes at most 32,766 values in one list
        ordered += session.execute(
            select(Contact.received_at, Contact.id).where(Contact.id.in_(ids[first : first + PERIOD_CHUNK]))
        )
    ordered.sort(reverse=True)
    return [contact_id for _received, contact_id in ordered[:MAX_LISTED]]


def _listed(session: Session, counted: Sequence[_Counted]) -> tuple[TileContact, ...]:
    """Each counted row with its contact's reference, dates and status, in the order given."""
    contact_ids = sorted({row.contact_id for row in counted})
    contacts = {
        row.id: row
        for row in session.execute(
            select(
                Contact.id,
                Contact.reference,
                Contact.received_at,
                Contact.status,
                Contact.decision_due_at,
                Contact.decided_at,
            ).where(Contact.id.in_(contact_ids))
        )
    }
    names = children_text(session, contact_ids)
    one_child = _child_names(session, [row.row_id for row in counted if row.one_child])
    listed: list[TileContact] = []
    for row in counted:
        contact = contacts[row.contact_id]
        listed.append(
            TileContact(
                row.row_id,
                row.contact_id,
                contact.reference,
                contact.received_at,
                one_child.get(row.row_id, "") if row.one_child else names.get(row.contact_id, ""),
                contact.status,
                contact.decision_due_at,
                contact.decided_at,
                row.meets,
                row.about,
            )
        )
    return tuple(listed)


def _child_names(session: Session, contact_child_ids: Sequence[int]) -> dict[int, str]:
    """The child each child-in-contact row is, named as the queues name children."""
    if not contact_child_ids:
        return {}
    return {
        row_id: f"{given} {family}"
        for row_id, given, family in session.execute(
            select(ContactChild.id, Person.given_names, Person.family_name)
            .join(Person, Person.id == ContactChild.person_id)
            .where(ContactChild.id.in_(contact_child_ids))
        )
    }
