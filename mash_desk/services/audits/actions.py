"""Actions agreed from an audit's findings: owner, agency, due date, tracked to done; overdue ones counted
for the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mash_desk.domain.audits import check_action
from mash_desk.domain.errors import IllegalTransition, InvalidInput, NotFound
from mash_desk.domain.periods import london_date
from mash_desk.services.audits.access import readable_audit, require_overseer
from mash_desk.services.context import ServiceContext, audit, retry_collisions
from mash_desk.store.case_audit_models import CaseAuditAction
from mash_desk.store.models import Agency


@dataclass(frozen=True)
class AgencyChoice:
    id: int
    name: str


def agency_choices(ctx: ServiceContext) -> list[AgencyChoice]:
    with ctx.unit() as (session, _actor):
        return [AgencyChoice(*row) for row in session.execute(select(Agency.id, Agency.name).order_by(Agency.name))]


@retry_collisions
def add_action(
    ctx: ServiceContext, audit_id: int, *, what: str, owner: str, agency_id: int | None, due_on: date | None
) -> int:
    """Agree an action from the audit's findings (a manager's or the business unit's)."""
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        require_overseer(actor, "agree an audit's actions")
        readable_audit(session, actor, audit_id)
        plan = check_action(
            what=what,
            owner=owner,
            agency_id=agency_id,
            due_on=due_on,
            today=london_date(now),
            known_agencies=session.scalars(select(Agency.id)),
        )
        row = CaseAuditAction(
            audit_id=audit_id,
            what=plan.what,
            owner=plan.owner,
            agency_id=plan.agency_id,
            due_on=plan.due_on,
            created_by_id=actor.id,
            created_at=now,
        )
        session.add(row)
        session.flush()
        audit(
            session,
            actor,
            "case_audit.action_added",
            "case_audit_action",
            row.id,
            at=now,
            detail={"audit": audit_id, "due_on": plan.due_on.isoformat()},
        )
        return row.id


@retry_collisions
def mark_action_done(ctx: ServiceContext, action_id: int, note: str) -> None:
    """Record that an action is done, with what was done; an action is done once."""
    now = ctx.now()
    note = (note or "").strip()
    if len(note) < 10:
        raise InvalidInput.single("done_note", "Say what was done, so the partnership can see it.")
    with ctx.unit(write=True) as (session, actor):
        require_overseer(actor, "mark an audit's action done")
        row = session.get(CaseAuditAction, action_id, with_for_update=True)
        if row is None:
            raise NotFound(f"There is no audit action {action_id}.")
        readable_audit(session, actor, row.audit_id)
        if row.done_at is not None:
            raise IllegalTransition("That action is already done.")
        row.done_at = now
        row.done_by_id = actor.id
        row.done_note = note
        session.flush()
        audit(session, actor, "case_audit.action_done", "case_audit_action", row.id, at=now)


def overdue_action_count(session: Session, today: date) -> int:
    """Audit actions not done by the end of their due day (a snapshot of now, like hand-offs)."""
    return int(
        session.scalar(
            select(func.count(CaseAuditAction.id)).where(
                CaseAuditAction.done_at.is_(None), CaseAuditAction.due_on < today
            )
        )
        or 0
    )
