"""The people at the hub beyond the MASH practitioners: team managers, partner agencies, receiving
teams, business support and auditors, each doing what their job does, through the services."""

from __future__ import annotations

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
from mash_desk.tools.loadtest.entries import sharing_allowed
from mash_desk.tools.loadtest.outcomes import RoleKind, WorkstationResult
from mash_desk.tools.loadtest.workstation import SHARING, WORKING, Hub, Workstation, WorkstationSpec, handoffs_pending


class HubWorkstation(Workstation):
    """A workstation of any kind: the MASH practitioner's work is the base class's."""

    def step(self) -> None:
        role = self.spec.role
        if role is RoleKind.MASH:
            self.mash_step()
        elif role is RoleKind.MANAGER:
            self.manager_step()
        elif role is RoleKind.AGENCY:
            self.agency_step()
        elif role is RoleKind.RECEIVING:
            self.receiving_step()
        elif role is RoleKind.BUSINESS_SUPPORT:
            self.business_support_step()
        else:
            self.auditor_step()

    # --- team managers -----------------------------------------------------------------------------

    def manager_step(self) -> None:
        roll = self.rng.random()
        if roll < 0.62:
            row = self.pick(self.queue(queues.Queue.DECISIONS), 3)
            if row is not None:
                self.decide(row.contact_id)
            return
        row = self.pick([r for r in self.queue(queues.Queue.TEAM) if r.status is not ContactStatus.CLOSED], 10)
        if row is None:
            return
        if roll < 0.70:
            self.note(row.contact_id, oversight=True)
        elif roll < 0.76:
            to = self.rng.choice(self.hub.mash_practitioners)
            self.call(
                "reassign",
                lambda: queues.reassign(self.ctx, row.contact_id, to, "Load test: balancing caseloads."),
                write=True,
                contact_id=row.contact_id,
                audit_action="contact.reassign",
            )
        elif roll < 0.78:
            detail = self.open(row.contact_id)
            if detail is not None and detail.status in WORKING and detail.children:
                self.propose(detail.id, self.rng.choice(detail.children).person.person_id)
        elif roll < 0.87:  # agreeing to share without consent where the practitioners are stuck
            detail = self.open(row.contact_id)
            if detail is not None and detail.status in SHARING and not sharing_allowed(detail):
                self.record_consent(detail, override=True)
        elif roll < 0.90:
            worked, restriction = self.call(
                "restrict record",
                lambda: restrictions.restrict_record(
                    self.ctx, contact_id=row.contact_id, reason="Load test: a member of staff is related."
                ),
                write=True,
                contact_id=row.contact_id,
                audit_action="record.restrict",
            )
            if worked and restriction is not None:
                self.my_restrictions[restriction] = row.contact_id
        elif roll < 0.93 and self.my_restrictions:
            restriction_id = self.rng.choice(sorted(self.my_restrictions))
            contact_id = self.my_restrictions.pop(restriction_id)
            self.call(
                "lift restriction",
                lambda: restrictions.lift_restriction(self.ctx, restriction_id, "Load test: no longer needed."),
                write=True,
                contact_id=contact_id,
                audit_action="record.unrestrict",
            )
        else:
            self.open(row.contact_id)

    def decide(self, contact_id: int) -> None:
        detail = self.open(contact_id)
        if detail is None or detail.status is not ContactStatus.AWAITING_AUTHORISATION:
            return
        if self.rng.random() < 0.75:
            self.call(
                "authorise (versioned)",
                lambda: decisions.authorise(self.ctx, detail.id, "Agreed.", expected_version=detail.version),
                write=True,
                contact_id=detail.id,
                audit_action="decision.authorise",
                record_key=f"contact:{detail.id}",
                expected_version=detail.version,
            )
        else:
            self.call(
                "return decision (versioned)",
                lambda: decisions.return_decision(
                    self.ctx, detail.id, "Load test: reconsider the level of need.", expected_version=detail.version
                ),
                write=True,
                contact_id=detail.id,
                audit_action="decision.return",
                record_key=f"contact:{detail.id}",
                expected_version=detail.version,
            )

    # --- partner agencies --------------------------------------------------------------------------

    def agency_step(self) -> None:
        _worked, rows = self.call("queue: agency requests", lambda: queues.agency_requests(self.ctx), write=False)
        row = self.pick(rows or [], 3)
        if row is None:
            return
        roll = self.rng.random()
        if roll < 0.25:
            self.open(row.contact_id)
        if roll > 0.9:
            self.note(row.contact_id)
            return
        nothing_known = self.rng.random() < 0.4
        confidentiality = self.rng.choice(
            (Confidentiality.SHAREABLE, Confidentiality.SHAREABLE, Confidentiality.AGENCY_CONFIDENTIAL)
        )
        summary = None if nothing_known else "Load test: known to us; two incidents last year, no further action."
        self.call(
            "record agency return (versioned)",
            lambda: screening.record_agency_return(
                self.ctx,
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

    # --- receiving teams ---------------------------------------------------------------------------

    def receiving_step(self) -> None:
        roll = self.rng.random()
        if self.spec.login in self.hub.agency_logins and self.rng.random() < 0.3:
            self.agency_step()  # an agency officer in a receiving team also answers their agency's checks
            return
        if roll < 0.07:  # answering another team's hand-off: the services must refuse
            worked, everyone = self.call(
                "queue: all hand-offs", lambda: handoffs_pending(self.ctx, mine_only=False), write=False
            )
            mine = self.hub.team_of.get(self.spec.login)
            others = [h for h in everyone or [] if h.team_id != mine]
            if worked and others:
                other = self.rng.choice(others)
                self.call(
                    "accept hand-off (another team's)",
                    lambda: handoffs.accept_hand_off(self.ctx, other.handoff_id),
                    write=True,
                    contact_id=other.contact_id,
                    audit_action="handoff.accept",
                )
            return
        if roll < 0.15:
            self.search()
            return
        worked, rows = self.call(
            "queue: my team's hand-offs", lambda: handoffs_pending(self.ctx, mine_only=True), write=False
        )
        row = self.pick(rows or [], 2)
        if row is None:
            return
        if self.rng.random() < 0.5:
            self.open(row.contact_id)
        if self.rng.random() < 0.65:
            accepted, _ = self.call(
                "accept hand-off",
                lambda: handoffs.accept_hand_off(self.ctx, row.handoff_id),
                write=True,
                contact_id=row.contact_id,
                audit_action="handoff.accept",
            )
            if accepted and self.spec.login not in self.hub.agency_logins and self.rng.random() < 0.3:
                detail = self.open(row.contact_id)
                if detail is not None and detail.status is ContactStatus.ACCEPTED:
                    self.close(detail)
        else:
            self.call(
                "reject hand-off",
                lambda: handoffs.reject_hand_off(self.ctx, row.handoff_id, "Load test: not for this team."),
                write=True,
                contact_id=row.contact_id,
                audit_action="handoff.reject",
            )

    # --- business support --------------------------------------------------------------------------

    def business_support_step(self) -> None:
        roll = self.rng.random()
        if roll < 0.55:
            self.log_contact()
        elif roll < 0.85:
            today = london_date(datetime.now(UTC))
            _worked, jobs = self.call("letters due", lambda: letters.letters_due(self.ctx, today), write=False)
            job = self.pick(jobs or [], 5)
            if job is not None:
                self.letter(job.contact_id, job.recipient, job.addressee_id)
        else:
            self.search()

    # --- the auditor -------------------------------------------------------------------------------

    def auditor_step(self) -> None:
        roll = self.rng.random()
        if roll < 0.55 and self.known:
            self.open(self.rng.choice(self.known))
        elif roll < 0.8:
            self.search()
        else:
            self.call("queue: all hand-offs", lambda: handoffs_pending(self.ctx, mine_only=False), write=False)


def run_workstation(spec: WorkstationSpec, hub: Hub) -> WorkstationResult:
    return HubWorkstation(spec, hub).run()
