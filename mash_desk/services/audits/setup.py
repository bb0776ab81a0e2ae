"""Setting an audit up: theme, period, sample and auditors; the sample drawn (reproducibly) and kept."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from mash_desk.domain.audits import (
    MAX_SEED,
    AuditPlan,
    AuditTheme,
    Candidate,
    Sampling,
    check_plan,
    draw_sample,
)
from mash_desk.domain.enums import Concern, Role
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.periods import Period, london_date
from mash_desk.services.audits.access import require_overseer
from mash_desk.services.context import ServiceContext, audit, retry_collisions
from mash_desk.store.case_audit_models import CaseAudit, CaseAuditAuditor, CaseAuditCase
from mash_desk.store.models import Agency, Contact, ContactChild, ContactConcern, Household, Person, User


@dataclass(frozen=True)
class AuditorChoice:
    """Someone who may be asked to audit: any active user but the administrators."""

    id: int
    name: str
    agency_id: int
    agency: str
    role: Role


@dataclass(frozen=True)
class AuditSetUp:
    id: int
    contact_ids: tuple[int, ...]
    seed: int | None
    candidates: int


def auditor_choices(ctx: ServiceContext) -> list[AuditorChoice]:
    """Everyone who could audit, by agency then name (the set-up form's list)."""
    with ctx.unit() as (session, actor):
        require_overseer(actor, "set up a case audit")
        rows = session.execute(
            select(User.id, User.display_name, User.agency_id, Agency.name, User.role)
            .join(Agency, Agency.id == User.agency_id)
            .where(User.active.is_(True), User.role != Role.ADMIN)
            .order_by(Agency.name, User.display_name)
        ).all()
    return [AuditorChoice(*row) for row in rows]


def _theme_condition(theme: AuditTheme) -> ColumnElement[bool] | None:
    def concern(kind: Concern) -> ColumnElement[bool]:
        return exists().where(ContactConcern.contact_id == Contact.id, ContactConcern.concern == kind)

    match theme:
        case AuditTheme.NEGLECT:
            return concern(Concern.NEGLECT)
        case AuditTheme.DOMESTIC_ABUSE:
            return concern(Concern.DOMESTIC_ABUSE)
        case AuditTheme.HOUSING:
            return or_(
                concern(Concern.HOUSING),
                exists().where(
                    Household.id == Contact.household_id,
                    or_(Household.temporary_accommodation.is_(True), Household.homeless.is_(True)),
                ),
            )
        case AuditTheme.INTERPRETERS:
            return (
                exists()
                .where(ContactChild.contact_id == Contact.id)
                .where(Person.id == ContactChild.person_id, Person.interpreter_needed.is_(True))
            )
        case AuditTheme.OPEN:
            return None


def audit_candidates(session: Session, theme: AuditTheme, start: date, end: date) -> list[Candidate]:
    """The decided contacts received in the period that fit the theme, with their first child's outcome."""
    period = Period(start, end)
    first_outcome = (
        select(ContactChild.outcome)
        .where(ContactChild.contact_id == Contact.id)
        .order_by(ContactChild.id)
        .limit(1)
        .scalar_subquery()
    )
    query = select(Contact.id, first_outcome, Contact.referral_source).where(
        and_(Contact.received_at >= period.start, Contact.received_at < period.end, Contact.decided_at.is_not(None))
    )
    condition = _theme_condition(theme)
    if condition is not None:
        query = query.where(condition)
    return [
        Candidate(contact_id, outcome.value if outcome is not None else "", source)
        for contact_id, outcome, source in session.execute(query)
    ]


@retry_collisions
def set_up_audit(
    ctx: ServiceContext,
    *,
    title: str,
    theme: AuditTheme | str | None,
    period_start: date | None,
    period_end: date | None,
    sample_size: int | None,
    sampling: Sampling | str | None,
    seed: str | int | None,
    auditor_ids: Sequence[int],
    hand_picked: Sequence[str] = (),
    internal_use: bool = False,
) -> AuditSetUp:
    """Set up a case audit and draw its sample; every field checked first, nothing written if one is wrong.

    A drawn sample's seed is kept (one is chosen when none is given), so the same draw can be made again
    from the same cases. A hand-picked sample lists contact references received in the period.
    """
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        require_overseer(actor, "set up a case audit")
        agencies = dict(
            session.execute(
                select(User.id, User.agency_id).where(
                    User.id.in_(list(auditor_ids)), User.active.is_(True), User.role != Role.ADMIN
                )
            ).all()
        )
        plan = check_plan(
            title=title,
            theme=theme,
            period_start=period_start,
            period_end=period_end,
            sample_size=sample_size,
            sampling=sampling,
            seed=seed,
            auditor_ids=[a for a in auditor_ids if a in agencies],
            auditor_agencies=agencies,
            hand_picked=hand_picked,
            internal_use=internal_use,
            today=london_date(now),
        )
        candidates = audit_candidates(session, plan.theme, plan.period_start, plan.period_end)
        chosen_seed, contact_ids = _sample(session, plan, candidates)
        record = CaseAudit(
            title=plan.title,
            theme=plan.theme,
            period_start=plan.period_start,
            period_end=plan.period_end,
            sample_size=len(contact_ids),
            sampling=plan.sampling,
            seed=chosen_seed,
            internal_use=plan.internal_use,
            created_by_id=actor.id,
            created_at=now,
        )
        session.add(record)
        session.flush()
        session.add_all(CaseAuditAuditor(audit_id=record.id, user_id=user_id) for user_id in plan.auditor_ids)
        session.add_all(
            CaseAuditCase(audit_id=record.id, contact_id=contact_id, position=position)
            for position, contact_id in enumerate(contact_ids, start=1)
        )
        session.flush()
        audit(
            session,
            actor,
            "case_audit.set_up",
            "case_audit",
            record.id,
            at=now,
            detail={
                "theme": plan.theme.value,
                "sampling": plan.sampling.value,
                "seed": chosen_seed,
                "cases": len(contact_ids),
                "auditors": list(plan.auditor_ids),
            },
        )
        return AuditSetUp(record.id, tuple(contact_ids), chosen_seed, len(candidates))


def _sample(session: Session, plan: AuditPlan, candidates: list[Candidate]) -> tuple[int | None, list[int]]:
    if plan.sampling is Sampling.HAND_PICKED:
        found = dict(
            session.execute(select(Contact.reference, Contact.id).where(Contact.reference.in_(plan.hand_picked))).all()
        )
        missing = [ref for ref in plan.hand_picked if ref not in found]
        if missing:
            raise InvalidInput.single("hand_picked", f"No contact has the reference {', '.join(missing)}.")
        fitting = {c.contact_id for c in candidates}
        outside = [ref for ref in plan.hand_picked if found[ref] not in fitting]
        if outside:
            raise InvalidInput.single(
                "hand_picked",
                f"{', '.join(outside)}: not a decided contact received in the period that fits the theme.",
            )
        return None, [found[ref] for ref in plan.hand_picked]
    if not candidates:
        raise InvalidInput.single(
            "period_start", "No decided contact received in this period fits the theme: widen the period."
        )
    chosen_seed = plan.seed if plan.seed is not None else secrets.randbelow(MAX_SEED)
    return chosen_seed, draw_sample(candidates, plan.sample_size, plan.sampling, chosen_seed)


def redraw_sample(ctx: ServiceContext, audit_id: int) -> tuple[int, ...]:
    """Draw an audit's sample again from its recorded seed (to show anyone the draw was fair): the same
    contacts come back as long as the cases of the period have not changed since."""
    with ctx.unit() as (session, actor):
        require_overseer(actor, "check how an audit was sampled")
        record = session.get(CaseAudit, audit_id)
        if record is None or record.sampling is Sampling.HAND_PICKED or record.seed is None:
            raise InvalidInput.single("audit", "Only a drawn sample can be drawn again.")
        candidates = audit_candidates(session, record.theme, record.period_start, record.period_end)
        return tuple(draw_sample(candidates, record.sample_size, record.sampling, record.seed))
