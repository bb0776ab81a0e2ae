"""The contacts behind a dashboard tile: the same rule counts them for the tile and lists them when a
manager opens it, so the list is never one more or one less than the number on the tile.

The rules here are the ones ``dashboard.front_door_measures`` counts with: a tile's ``counted`` is
what it counts (for a percentage, what it is out of), ``meets`` what the percentage is of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, select

from mash_desk.domain.enums import ContactStatus, Role
from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.domain.periods import Period
from mash_desk.services.context import Actor, ServiceContext
from mash_desk.services.queue_children import children_text
from mash_desk.services.reporting import for_reports
from mash_desk.store.models import Contact

MAX_LISTED = 500


@dataclass(frozen=True)
class TileRule:
    counted: ColumnElement[bool]
    """The contacts the tile counts (for a percentage: what it is out of)."""
    meets: ColumnElement[bool] | None = None
    """For a percentage: which of them it is the percentage of."""


def contact_tile_rules(period: Period, now: datetime) -> dict[str, TileRule]:
    """The tiles that count contacts received in ``period``, by tile key."""
    in_period = and_(Contact.received_at >= period.start, Contact.received_at < period.end)
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
    }


LISTED_TILES = frozenset(
    {"contacts_received", "undecided_past_deadline", "decided_within_one_working_day", "completed_within_rag"}
)
"""Tiles that open the contacts behind them."""


@dataclass(frozen=True)
class TileContact:
    """One contact behind a tile; ``meets`` says whether it counts towards the percentage."""

    contact_id: int
    reference: str
    received_at: datetime
    children: str
    status: ContactStatus
    decision_due_at: datetime
    decided_at: datetime | None
    meets: bool | None


@dataclass(frozen=True)
class TileContacts:
    key: str
    rows: tuple[TileContact, ...]
    total: int
    """How many the tile counts (more than ``rows`` only beyond ``MAX_LISTED``)."""


DASHBOARD_ROLES = frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR})
"""Who sees the front-door measures, and the contacts behind them."""


def require_dashboard(actor: Actor) -> None:
    if actor.role not in DASHBOARD_ROLES:
        raise PermissionRefused("Only managers, administrators and auditors can see the front-door measures.")


def tile_contacts(ctx: ServiceContext, key: str, start: date, end: date) -> TileContacts:
    """The contacts a tile counts for the period, newest first (at most ``MAX_LISTED``)."""
    rules = contact_tile_rules(Period(start, end), ctx.now())
    rule = rules.get(key)
    if rule is None:
        raise InvalidInput.single("tile", "That tile does not list contacts.")
    meets = rule.meets if rule.meets is not None else None
    with for_reports(ctx).unit() as (session, actor):
        require_dashboard(actor)
        total = session.scalar(select(func.count(Contact.id)).where(rule.counted)) or 0
        columns = [
            Contact.id,
            Contact.reference,
            Contact.received_at,
            Contact.status,
            Contact.decision_due_at,
            Contact.decided_at,
        ]
        rows = session.execute(
            select(*columns, *([meets.label("meets")] if meets is not None else []))
            .where(rule.counted)
            .order_by(Contact.received_at.desc(), Contact.id.desc())
            .limit(MAX_LISTED)
        ).all()
        names = children_text(session, [row.id for row in rows])
        return TileContacts(
            key,
            tuple(
                TileContact(
                    row.id,
                    row.reference,
                    row.received_at,
                    names.get(row.id, ""),
                    row.status,
                    row.decision_due_at,
                    row.decided_at,
                    bool(row.meets) if meets is not None else None,
                )
                for row in rows
            ),
            int(total),
        )
