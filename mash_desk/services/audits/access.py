"""Who may do what with a case audit: the service's half of the rule PostgreSQL keeps too
(``store.pg_security.case_audits``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk.domain.audits import QUALITY_ASSURANCE_OVERSEERS
from mash_desk.domain.errors import NotFound, PermissionRefused
from mash_desk.services.context import Actor
from mash_desk.store.case_audit_models import CaseAudit, CaseAuditAuditor


def require_overseer(actor: Actor, doing: str) -> None:
    """Set-up, sampling and actions are a manager's or the partnership business unit's (auditor role)."""
    if actor.role not in QUALITY_ASSURANCE_OVERSEERS:
        raise PermissionRefused(f"Only a manager or the partnership's auditors can {doing}.")


def assigned(session: Session, actor: Actor, audit_id: int) -> bool:
    return (
        session.scalar(
            select(CaseAuditAuditor.id).where(
                CaseAuditAuditor.audit_id == audit_id, CaseAuditAuditor.user_id == actor.id
            )
        )
        is not None
    )


def readable_audit(session: Session, actor: Actor, audit_id: int) -> CaseAudit:
    """The audit, if this person oversees audits or is one of its auditors; otherwise it is not there
    for them (as PostgreSQL's policy hides it)."""
    audit = session.get(CaseAudit, audit_id)
    if audit is None or (actor.role not in QUALITY_ASSURANCE_OVERSEERS and not assigned(session, actor, audit_id)):
        raise NotFound(f"There is no case audit with id {audit_id} that you can read.")
    return audit
