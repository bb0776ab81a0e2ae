"""The audit rows the services write for the steps of a contact's lifecycle, by the action each stands for.

Read by anything that replays the audit trail against ``domain.lifecycle``: the load test's
invariants and the lifecycle model test.
"""

from __future__ import annotations

from mash_desk.domain.lifecycle import Action

# the audit row each service leaves, and the lifecycle action it stands for
AUDITED_ACTIONS: dict[str, Action] = {
    "contact.rate": Action.RATE,
    "consent.record": Action.RECORD_CONSENT,
    "agency_request.create": Action.REQUEST_AGENCY_CHECKS,
    "agency_request.return": Action.RECORD_AGENCY_RETURN,
    "agency_request.withdraw": Action.WITHDRAW_AGENCY_REQUEST,
    "decision.propose": Action.PROPOSE_DECISION,
    "decision.submit": Action.SUBMIT_FOR_AUTHORISATION,
    "decision.authorise": Action.AUTHORISE,
    "decision.return": Action.RETURN_DECISION,
    "handoff.send": Action.HAND_OFF,
    "handoff.open_case": Action.PASS_TO_ALLOCATED_TEAM,
    "handoff.accept": Action.ACCEPT_HAND_OFF,
    "handoff.reject": Action.REJECT_HAND_OFF,
    "contact.close": Action.CLOSE,
    "contact.claim": Action.CLAIM,
    "contact.reassign": Action.REASSIGN,
    "note.case_note": Action.ADD_NOTE,
    "note.management_oversight": Action.ADD_OVERSIGHT,
    "letter.issue": Action.ISSUE_LETTER,
}
