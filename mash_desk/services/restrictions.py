"""Restricted records: a manager restricts a contact or a person (a staff member's child, a case in
the news); others see that it exists and who restricted it, and must break the glass, saying why,
to read it. Every break is audited and listed for managers.

On PostgreSQL row-level security hides a restricted record from everyone the rule does not clear
(``mash_desk_cleared``); this module applies the same rule (``domain.sharing``) on SQLite
and turns "not there" into the notice a person needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from mash_desk.domain.enums import ContactStatus, Role
from mash_desk.domain.errors import IllegalTransition, InvalidInput, NotFound, PermissionRefused, RestrictedRecord
from mash_desk.domain.sharing import GLASS_BREAK_HOURS, may_see_restricted
from mash_desk.services.context import Actor, ServiceContext, audit, retry_collisions
from mash_desk.services.drafts import blank_to_none
from mash_desk.store.models import Contact, GlassBreak, Person, RecordRestriction, User
from mash_desk.store.queries import Reader, core, lock_contact

CONTACT = "contact"
PERSON = "person"
MIN_REASON = 10
OVERSEERS = (Role.MANAGER, Role.AUDITOR)


@dataclass(frozen=True)
class GlassBreakRow:
    id: int
    who: str
    record: str
    reason: str
    broken_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class RestrictionRow:
    id: int
    record: str
    reason: str
    restricted_by: str
    restricted_at: datetime


def _record(contact_id: int | None, person_id: int | None) -> tuple[str, int]:
    if (contact_id is None) == (person_id is None):
        raise InvalidInput.single("record", "Choose one contact or one person.")
    return (CONTACT, contact_id) if contact_id is not None else (PERSON, person_id)  # type: ignore[return-value]


def _live(session: Session, kind: str, record_id: int) -> RecordRestriction | None:
    column = RecordRestriction.contact_id if kind == CONTACT else RecordRestriction.person_id
    return session.scalars(
        select(RecordRestriction).where(column == record_id, RecordRestriction.lifted_at.is_(None))
    ).first()


_LIVE = select(RecordRestriction.id, RecordRestriction.restricted_by_id, RecordRestriction.restricted_at).where(
    RecordRestriction.lifted_at.is_(None)
)
_LIVE_ON_CONTACT = _LIVE.where(RecordRestriction.contact_id == bindparam("record_id"))
_LIVE_ON_PERSON = _LIVE.where(RecordRestriction.person_id == bindparam("record_id"))
_NOTICE = text("SELECT restricted_by, restricted_at FROM mash_desk_restriction_notice(:kind, :id)")


def _reason(reason: str, field: str = "reason") -> str:
    text_ = blank_to_none(reason)
    if text_ is None or len(text_) < MIN_REASON:
        raise InvalidInput.single(field, f"Say why, in at least {MIN_REASON} characters: it is audited.")
    return text_


@retry_collisions
def restrict_record(
    ctx: ServiceContext, *, contact_id: int | None = None, person_id: int | None = None, reason: str
) -> int:
    """A manager restricts a contact or a person; audited."""
    kind, record_id = _record(contact_id, person_id)
    why = _reason(reason)
    with ctx.unit(write=True) as (session, actor):
        if actor.role is not Role.MANAGER:
            raise PermissionRefused("Only a manager can restrict a record.")
        # first: a record already restricted by someone else is hidden from this manager too
        if _restriction_id(session, kind, record_id) is not None:
            raise IllegalTransition(f"This {kind} is already restricted.")
        found = lock_contact(session, record_id) if kind == CONTACT else session.get(Person, record_id)
        if found is None:
            raise NotFound(f"There is no {kind} with id {record_id}.")
        if isinstance(found, Contact) and found.assigned_to_id is None and found.status is not ContactStatus.CLOSED:
            # a restricted contact leaves the queues of everyone not cleared to read it: unassigned,
            # it would leave every queue but the manager's, so it becomes the manager's own work
            found.assigned_to_id = actor.id
            found.updated_at, found.updated_by_id = ctx.now(), actor.id
        restriction = RecordRestriction(
            contact_id=contact_id,
            person_id=person_id,
            reason=why,
            restricted_by_id=actor.id,
            restricted_at=ctx.now(),
        )
        session.add(restriction)
        session.flush()
        audit(
            session,
            actor,
            "record.restrict",
            kind,
            record_id,
            at=ctx.now(),
            contact_id=contact_id,
            detail={"restriction": restriction.id},
        )
        return restriction.id


@retry_collisions
def lift_restriction(ctx: ServiceContext, restriction_id: int, reason: str) -> None:
    why = _reason(reason)
    with ctx.unit(write=True) as (session, actor):
        if actor.role is not Role.MANAGER:
            raise PermissionRefused("Only a manager can lift a restriction.")
        restriction = session.get(RecordRestriction, restriction_id)
        if restriction is None:
            raise NotFound(f"There is no restriction {restriction_id}.")
        if restriction.lifted_at is not None:
            raise IllegalTransition("This restriction has already been lifted.")
        restriction.lifted_by_id, restriction.lifted_at, restriction.lift_reason = actor.id, ctx.now(), why
        audit(
            session,
            actor,
            "record.unrestrict",
            CONTACT if restriction.contact_id else PERSON,
            restriction.contact_id or restriction.person_id,
            at=ctx.now(),
            contact_id=restriction.contact_id,
        )


@retry_collisions
def break_glass(
    ctx: ServiceContext, *, contact_id: int | None = None, person_id: int | None = None, reason: str
) -> datetime:
    """Open a restricted record for this working day, saying why; audited and shown to managers."""
    kind, record_id = _record(contact_id, person_id)
    why = _reason(reason)
    with ctx.unit(write=True) as (session, actor):
        restriction_id = _restriction_id(session, kind, record_id)
        if restriction_id is None:
            raise IllegalTransition(f"This {kind} is not restricted: open it as usual.")
        now = ctx.now()
        expires = now + timedelta(hours=GLASS_BREAK_HOURS)
        glass = GlassBreak(
            restriction_id=restriction_id, user_id=actor.id, reason=why, broken_at=now, expires_at=expires
        )
        session.add(glass)
        session.flush()
        audit(
            session,
            actor,
            "record.break_glass",
            kind,
            record_id,
            at=now,
            contact_id=contact_id,
            detail={"reason": why},
        )
        return expires


def _restriction_id(session: Session, kind: str, record_id: int) -> int | None:
    """The restriction in force on a record, if any (on PostgreSQL staff cannot read the table itself)."""
    if session.get_bind().dialect.name == "postgresql":
        found = session.execute(
            text("SELECT mash_desk_live_restriction(:kind, :id)"), {"kind": kind, "id": record_id}
        ).scalar()
        return int(found) if found is not None else None
    live = _live(session, kind, record_id)
    return live.id if live else None


def check_restriction(reader: Reader, actor: Actor, kind: str, record_id: int, now: datetime) -> None:
    """Raise ``RestrictedRecord`` when this record is restricted and the rule does not clear ``actor``.

    Columns on the unit's connection, not ORM objects: every opening asks, and nearly every answer is
    "not restricted"."""
    conn = core(reader)
    if conn.dialect.name == "postgresql":
        notice = conn.execute(_NOTICE, {"kind": kind, "id": record_id}).first()
        if notice is None:
            return
        by, at = str(notice[0]), notice[1]
    else:
        live = conn.execute(_LIVE_ON_CONTACT if kind == CONTACT else _LIVE_ON_PERSON, {"record_id": record_id}).first()
        if live is None:
            return
        assigned = (
            conn.scalar(select(Contact.assigned_to_id).where(Contact.id == record_id)) if kind == CONTACT else None
        )
        expiries = conn.scalars(
            select(GlassBreak.expires_at).where(GlassBreak.restriction_id == live.id, GlassBreak.user_id == actor.id)
        )
        if may_see_restricted(actor.id, live.restricted_by_id, assigned, expiries, now):
            return
        by = conn.scalar(select(User.display_name).where(User.id == live.restricted_by_id)) or "a manager"
        at = live.restricted_at
    raise RestrictedRecord(
        f"This {kind} is restricted (by {by}, {at:%d %b %Y}). To open it, break the glass and say why: "
        "your reason is recorded and shown to managers.",
        kind=kind,
        record_id=record_id,
        restricted_by=by,
        restricted_at=at,
    )


def glass_breaks(ctx: ServiceContext, *, since: datetime | None = None) -> list[GlassBreakRow]:
    """Every time someone broke the glass, newest first: for managers and auditors."""
    with ctx.unit() as (session, actor):
        if actor.role not in OVERSEERS:
            raise PermissionRefused("Only managers and auditors review who broke the glass.")
        query = (
            select(
                GlassBreak,
                User.display_name,
                RecordRestriction.contact_id,
                RecordRestriction.person_id,
                Contact.reference,
            )
            .join(User, User.id == GlassBreak.user_id)
            .join(RecordRestriction, RecordRestriction.id == GlassBreak.restriction_id)
            .outerjoin(Contact, Contact.id == RecordRestriction.contact_id)
            .order_by(GlassBreak.id.desc())
        )
        if since is not None:
            query = query.where(GlassBreak.broken_at >= since)
        return [
            GlassBreakRow(
                g.id,
                who,
                _label(contact_id, person_id, reference),
                g.reason,
                g.broken_at,
                g.expires_at,
            )
            for g, who, contact_id, person_id, reference in session.execute(query)
        ]


def restriction_of(
    ctx: ServiceContext, *, contact_id: int | None = None, person_id: int | None = None
) -> RestrictionRow | None:
    """The restriction in force on one record (None if there is none), for managers and auditors:
    what the contact view's banner says to them, and the id a manager lifts."""
    kind, record_id = _record(contact_id, person_id)
    with ctx.unit() as (session, actor):
        if actor.role not in OVERSEERS:
            raise PermissionRefused("Only managers and auditors see who restricted a record and why.")
        column = RecordRestriction.contact_id if kind == CONTACT else RecordRestriction.person_id
        found = session.execute(
            select(RecordRestriction, User.display_name)
            .join(User, User.id == RecordRestriction.restricted_by_id)
            .where(column == record_id, RecordRestriction.lifted_at.is_(None))
        ).first()
        if found is None:
            return None
        restriction, who = found
        return RestrictionRow(restriction.id, f"{kind} {record_id}", restriction.reason, who, restriction.restricted_at)


def restrictions(ctx: ServiceContext) -> list[RestrictionRow]:
    """The restrictions in force: for managers and auditors."""
    with ctx.unit() as (session, actor):
        if actor.role not in OVERSEERS:
            raise PermissionRefused("Only managers and auditors see the list of restricted records.")
        query = (
            select(RecordRestriction, User.display_name, Contact.reference)
            .join(User, User.id == RecordRestriction.restricted_by_id)
            .outerjoin(Contact, Contact.id == RecordRestriction.contact_id)
            .where(RecordRestriction.lifted_at.is_(None))
            .order_by(RecordRestriction.id)
        )
        return [
            RestrictionRow(r.id, _label(r.contact_id, r.person_id, reference), r.reason, who, r.restricted_at)
            for r, who, reference in session.execute(query)
        ]


def _label(contact_id: int | None, person_id: int | None, reference: str | None) -> str:
    """How a person reads the record: the contact's reference where this login may see it."""
    if contact_id is not None:
        return f"contact {reference}" if reference else f"contact {contact_id}"
    return f"person {person_id}"
