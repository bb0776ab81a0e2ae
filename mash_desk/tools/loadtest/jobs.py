"""Each job's piece of work at a workstation: a manager deciding, a partner agency answering checks, a
receiving team answering hand-offs, business support logging contacts and letters, an auditor reading;
the MASH practitioner's is in ``casework``. ``run_workstation`` puts a person at their workstation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from mash_desk.domain.enums import (
    Confidentiality,
    ContactStatus,
)
from mash_desk.domain.periods import london_date
from mash_desk.services import (
    decisions,
    handoffs,
    letters,
    queues,
    restrictions,
    screening,
)
from mash_desk.tools.loadtest import casework
from mash_desk.tools.loadtest.drafts import sharing_allowed
from mash_desk.tools.loadtest.outcomes import RoleKind, WorkstationResult
from mash_desk.tools.loadtest.workstation import SHARING, WORKING, Hub, Workstation, WorkstationSpec, handoffs_pending


def manager_step(ws: Workstation) -> None:
    roll = ws.rng.random()
    if roll < 0.62:
        row = ws.pick(ws.queue(queues.Queue.DECISIONS), 3)
        if row is not None:
            decide(ws, row.contact_id)
        return
    row = ws.pick([r for r in ws.queue(queues.Queue.TEAM) if r.status is not ContactStatus.CLOSED], 10)
    if row is None:
        return
    if roll < 0.70:
        ws.note(row.contact_id, oversight=True)
    elif roll < 0.76:
        to = ws.rng.choice(ws.hub.mash_practitioners)
        ws.call(
            "reassign",
            lambda: queues.reassign(ws.ctx, row.contact_id, to, "Load test: balancing caseloads."),
            write=True,
            contact_id=row.contact_id,
            audit_action="contact.reassign",
        )
    elif roll < 0.78:
        detail = ws.open(row.contact_id)
        if detail is not None and detail.status in WORKING and detail.children:
            casework.propose(ws, detail.id, ws.rng.choice(detail.children).person.person_id)
    elif roll < 0.87:  # agreeing to share without consent where the practitioners are stuck
        detail = ws.open(row.contact_id)
        if detail is not None and detail.status in SHARING and not sharing_allowed(detail):
            casework.record_consent(ws, detail, override=True)
    elif roll < 0.90:
        worked, restriction = ws.call(
            "restrict record",
            lambda: restrictions.restrict_record(
                ws.ctx, contact_id=row.contact_id, reason="Load test: a member of staff is related."
            ),
            write=True,
            contact_id=row.contact_id,
            audit_action="record.restrict",
        )
        if worked and restriction is not None:
            ws.my_restrictions[restriction] = row.contact_id
    elif roll < 0.93 and ws.my_restrictions:
        restriction_id = ws.rng.choice(sorted(ws.my_restrictions))
        contact_id = ws.my_restrictions.pop(restriction_id)
        ws.call(
            "lift restriction",
            lambda: restrictions.lift_restriction(ws.ctx, restriction_id, "Load test: no longer needed."),
            write=True,
            contact_id=contact_id,
            audit_action="record.unrestrict",
        )
    else:
        ws.open(row.contact_id)


def decide(ws: Workstation, contact_id: int) -> None:
    detail = ws.open(contact_id)
    if detail is None or detail.status is not ContactStatus.AWAITING_AUTHORISATION:
        return
    if ws.rng.random() < 0.75:
        ws.call(
            "authorise (versioned)",
            lambda: decisions.authorise(ws.ctx, detail.id, "Agreed.", expected_version=detail.version),
            write=True,
            contact_id=detail.id,
            audit_action="decision.authorise",
            record_key=f"contact:{detail.id}",
            expected_version=detail.version,
        )
    else:
        ws.call(
            "return decision (versioned)",
            lambda: decisions.return_decision(
                ws.ctx, detail.id, "Load test: reconsider the level of need.", expected_version=detail.version
            ),
            write=True,
            contact_id=detail.id,
            audit_action="decision.return",
            record_key=f"contact:{detail.id}",
            expected_version=detail.version,
        )


def agency_step(ws: Workstation) -> None:
    _worked, rows = ws.call("queue: agency requests", lambda: queues.agency_requests(ws.ctx), write=False)
    row = ws.pick(rows or [], 3)
    if row is None:
        return
    roll = ws.rng.random()
    if roll < 0.25:
        ws.open(row.contact_id)
    if roll > 0.9:
        ws.note(row.contact_id)
        return
    nothing_known = ws.rng.random() < 0.4
    confidentiality = ws.rng.choice(
        (Confidentiality.SHAREABLE, Confidentiality.SHAREABLE, Confidentiality.AGENCY_CONFIDENTIAL)
    )
    summary = None if nothing_known else "Load test: known to us; two incidents last year, no further action."
    ws.call(
        "record agency return (versioned)",
        lambda: screening.record_agency_return(
            ws.ctx,
            row.request_id,
            summary=summary,
            nothing_known=nothing_known,
            confidentiality=confidentiality,
            expected_version=row.version,
        ),
        write=True,
        contact_id=row.contact_id,
        audit_action="agency_request.return",
        record_key=f"request:{row.request_id}",
        expected_version=row.version,
    )


def receiving_step(ws: Workstation) -> None:
    roll = ws.rng.random()
    if ws.spec.login in ws.hub.agency_logins and ws.rng.random() < 0.3:
        agency_step(ws)  # an agency officer in a receiving team also answers their agency's checks
        return
    if roll < 0.07:  # answering another team's hand-off: the services must refuse
        worked, everyone = ws.call(
            "queue: all hand-offs", lambda: handoffs_pending(ws.ctx, mine_only=False), write=False
        )
        mine = ws.hub.team_of.get(ws.spec.login)
        others = [h for h in everyone or [] if h.team_id != mine]
        if worked and others:
            other = ws.rng.choice(others)
            ws.call(
                "accept hand-off (another team's)",
                lambda: handoffs.accept_hand_off(ws.ctx, other.handoff_id),
                write=True,
                contact_id=other.contact_id,
                audit_action="handoff.accept",
            )
        return
    if roll < 0.15:
        ws.search()
        return
    worked, rows = ws.call("queue: my team's hand-offs", lambda: handoffs_pending(ws.ctx, mine_only=True), write=False)
    row = ws.pick(rows or [], 2)
    if row is None:
        return
    if ws.rng.random() < 0.5:
        ws.open(row.contact_id)
    if ws.rng.random() < 0.65:
        accepted, _ = ws.call(
            "accept hand-off",
            lambda: handoffs.accept_hand_off(ws.ctx, row.handoff_id),
            write=True,
            contact_id=row.contact_id,
            audit_action="handoff.accept",
        )
        if accepted and ws.spec.login not in ws.hub.agency_logins and ws.rng.random() < 0.3:
            detail = ws.open(row.contact_id)
            if detail is not None and detail.status is ContactStatus.ACCEPTED:
                casework.close(ws, detail)
    else:
        ws.call(
            "reject hand-off",
            lambda: handoffs.reject_hand_off(ws.ctx, row.handoff_id, "Load test: not for this team."),
            write=True,
            contact_id=row.contact_id,
            audit_action="handoff.reject",
        )


def business_support_step(ws: Workstation) -> None:
    roll = ws.rng.random()
    if roll < 0.55:
        ws.log_contact()
    elif roll < 0.85:
        today = london_date(datetime.now(UTC))
        _worked, jobs = ws.call("letters due", lambda: letters.letters_due(ws.ctx, today), write=False)
        job = ws.pick(jobs or [], 5)
        if job is not None:
            ws.letter(job.contact_id, job.recipient, job.addressee_id)
    else:
        ws.search()


def auditor_step(ws: Workstation) -> None:
    roll = ws.rng.random()
    if roll < 0.55 and ws.known:
        ws.open(ws.rng.choice(ws.known))
    elif roll < 0.8:
        ws.search()
    else:
        ws.call("queue: all hand-offs", lambda: handoffs_pending(ws.ctx, mine_only=False), write=False)


JOBS: dict[RoleKind, Callable[[Workstation], None]] = {
    RoleKind.MASH: casework.mash_step,
    RoleKind.MANAGER: manager_step,
    RoleKind.AGENCY: agency_step,
    RoleKind.RECEIVING: receiving_step,
    RoleKind.BUSINESS_SUPPORT: business_support_step,
    RoleKind.AUDITOR: auditor_step,
}


def run_workstation(spec: WorkstationSpec, hub: Hub) -> WorkstationResult:
    """One person at their workstation until the run ends, doing their job's work."""
    return Workstation(spec, hub, JOBS[spec.role]).run()
