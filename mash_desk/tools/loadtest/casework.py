"""A MASH practitioner's casework at a workstation: screening, consent, agency checks, proposals and
submission, hand-offs and closing (managers do some of it too, in ``jobs``)."""

from __future__ import annotations

from datetime import UTC, datetime

from mash_desk.domain.cin import needs_hand_off
from mash_desk.domain.enums import (
    AgencyRequestStatus,
    ContactStatus,
    Outcome,
    Rag,
)
from mash_desk.services import (
    decisions,
    handoffs,
    queues,
    screening,
)
from mash_desk.services.contact_view import ContactDetail
from mash_desk.tools.loadtest.drafts import consent_draft, override_draft, sharing_allowed
from mash_desk.tools.loadtest.workstation import (
    OPEN_CASE_ONLY,
    OUTCOME_TEAM,
    PROPOSALS,
    RATIONALE,
    WORKING,
    Workstation,
)


def mash_step(ws: Workstation) -> None:
    roll = ws.rng.random()
    if roll < 0.22:
        worked, claimed = ws.call(
            "claim next",
            lambda: queues.claim_next(ws.ctx),
            write=True,
            after=lambda got: (got.contact_id, "contact.claim") if got is not None else (None, None),
        )
        if worked and claimed is not None:
            ws.result.claimed.append(claimed.contact_id)
            work_on(ws, claimed.contact_id)
    elif roll < 0.62:
        row = ws.pick([r for r in ws.queue(queues.Queue.TEAM) if r.status is not ContactStatus.CLOSED], 8)
        if row is not None:
            work_on(ws, row.contact_id)
    elif roll < 0.74:
        row = ws.pick(ws.queue(queues.Queue.MINE), 5)
        if row is not None:
            work_on(ws, row.contact_id)
    elif roll < 0.82:
        ws.search()
    elif roll < 0.90:
        ws.log_contact()
    else:
        row = ws.pick(ws.queue(queues.Queue.TEAM), 20)
        if row is not None:
            ws.note(row.contact_id)


def work_on(ws: Workstation, contact_id: int) -> None:
    """Open a contact and take the next step its state allows, as a practitioner would."""
    detail = ws.open(contact_id)
    if detail is None:
        return
    status = detail.status
    if status is ContactStatus.RECEIVED:
        if detail.open_case_team is not None and detail.current_consent is None:
            record_consent(ws, detail)
        else:
            rate(ws, detail)
    elif status in WORKING:
        work_on_screened(ws, detail)
    elif status is ContactStatus.AUTHORISED:
        place(ws, detail)
    elif status is ContactStatus.ACCEPTED:
        if ws.rng.random() < 0.75:
            close(ws, detail)
        else:
            ws.letter(detail.id)
    elif status is ContactStatus.CLOSED and ws.rng.random() < 0.3:
        ws.letter(detail.id)
    else:
        ws.note(detail.id)


def work_on_screened(ws: Workstation, detail: ContactDetail) -> None:
    if detail.current_consent is None and ws.rng.random() < 0.85:
        record_consent(ws, detail)
        return
    outstanding = [r for r in detail.agency_requests if r.status is AgencyRequestStatus.OUTSTANDING]
    missing = [child for child in detail.children if child.proposed is None]
    roll = ws.rng.random()
    if roll < 0.08:
        rate(ws, detail)
    elif outstanding and roll < 0.30:
        request = ws.rng.choice(outstanding)
        ws.call(
            "withdraw agency request",
            lambda: screening.withdraw_agency_request(
                ws.ctx, request.id, "Load test: the decision cannot wait for this agency."
            ),
            write=True,
            contact_id=detail.id,
            audit_action="agency_request.withdraw",
        )
    elif not outstanding and not missing and roll < 0.70:
        submit(ws, detail)
    elif roll < 0.45:
        asked = {r.agency_code for r in outstanding}
        choices = [code for code in ws.hub.agency_codes if code not in asked]
        if choices:
            chosen = ws.rng.sample(choices, min(len(choices), ws.rng.choice((1, 1, 2, 3))))
            ws.call(
                "request agency checks",
                lambda: screening.request_agency_checks(ws.ctx, detail.id, chosen, "What do you know?"),
                write=True,
                contact_id=detail.id,
                audit_action="agency_request.create",
                audit_rows=len(chosen),
            )
    elif missing or roll < 0.85:
        for child in missing or [ws.rng.choice(detail.children)]:
            propose(ws, detail.id, child.person.person_id, open_case=detail.open_case_team is not None)
    else:
        submit(ws, detail)  # perhaps too soon: the services say what is still missing


def submit(ws: Workstation, detail: ContactDetail) -> None:
    ws.call(
        "submit for authorisation",
        lambda: decisions.submit_for_authorisation(ws.ctx, detail.id, expected_version=detail.version),
        write=True,
        contact_id=detail.id,
        audit_action="decision.submit",
        record_key=f"contact:{detail.id}",
        expected_version=detail.version,
    )


def rate(ws: Workstation, detail: ContactDetail) -> None:
    choices = [rag for rag in Rag if rag is not detail.rag]
    rag = ws.rng.choice(choices)
    reason = None if detail.rag is None else "Load test: new information from the police changes the risk."
    ws.call(
        "rate (versioned)",
        lambda: screening.rate(ws.ctx, detail.id, rag, reason, expected_version=detail.version),
        write=True,
        contact_id=detail.id,
        audit_action="contact.rate",
        record_key=f"contact:{detail.id}",
        expected_version=detail.version,
    )


def record_consent(ws: Workstation, detail: ContactDetail, *, override: bool = False) -> None:
    if override:  # a manager's own decision, correcting what was recorded before
        draft = override_draft(ws.spec.login)
        draft.corrects_id = detail.current_consent.id if detail.current_consent is not None else None
    else:
        draft = consent_draft(ws.rng, datetime.now(UTC).date())
    ws.call(
        "record consent",
        lambda: screening.record_consent(ws.ctx, detail.id, draft),
        write=True,
        contact_id=detail.id,
        audit_action="consent.record",
    )


def propose(ws: Workstation, contact_id: int, person_id: int, *, open_case: bool = False) -> None:
    if open_case and ws.rng.random() < 0.8:
        level, outcome, need = 3, Outcome.PASS_TO_ALLOCATED_WORKER, "N1"
    else:
        level, outcome, need = ws.rng.choice([p for p in PROPOSALS if open_case or p[1] not in OPEN_CASE_ONLY])
    proposal = decisions.DecisionProposal(person_id, level, outcome, need, RATIONALE)
    ws.call(
        "propose decision",
        lambda: decisions.propose_decision(ws.ctx, contact_id, proposal),
        write=True,
        contact_id=contact_id,
        audit_action="decision.propose",
    )


def pass_to_allocated_team(ws: Workstation, detail: ContactDetail) -> None:
    ws.call(
        "pass to allocated team",
        lambda: handoffs.pass_to_allocated_team(ws.ctx, detail.id, "Open case: for the allocated worker."),
        write=True,
        contact_id=detail.id,
        audit_action="handoff.open_case",
    )


def place(ws: Workstation, detail: ContactDetail) -> None:
    """An authorised contact: hand it to the team its outcome needs, or close it."""
    if ws.rng.random() < 0.2:
        ws.letter(detail.id)
    outcomes = [c.outcome for c in detail.children if c.outcome is not None and needs_hand_off(c.outcome)]
    if not outcomes:
        close(ws, detail)
        return
    if not sharing_allowed(detail):
        # no hand-off without consent or an override, which only a manager records: ask them
        ws.note(detail.id)
        return
    if detail.open_case_team is not None and Outcome.PASS_TO_ALLOCATED_WORKER in outcomes:
        pass_to_allocated_team(ws, detail)
        return
    names = OUTCOME_TEAM.get(outcomes[0], ("Assessment Team",))
    team = ws.hub.teams[ws.rng.choice(names)]
    ws.call(
        "hand off",
        lambda: handoffs.hand_off(ws.ctx, detail.id, team, "Load test: please accept today."),
        write=True,
        contact_id=detail.id,
        audit_action="handoff.send",
    )


def close(ws: Workstation, detail: ContactDetail) -> None:
    ws.call(
        "close (versioned)",
        lambda: handoffs.close_contact(ws.ctx, detail.id, expected_version=detail.version),
        write=True,
        contact_id=detail.id,
        audit_action="contact.close",
        record_key=f"contact:{detail.id}",
        expected_version=detail.version,
    )
