"""The state machine of a contact: which action is allowed, in which state, for which role.

One table, used by the services to refuse and by the GUI to offer only what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mash_desk.domain.enums import ContactStatus, Role

S = ContactStatus

_OPEN_STATES = frozenset(s for s in ContactStatus if s is not ContactStatus.CLOSED)
_WORKING_STATES = frozenset({S.SCREENED, S.AGENCY_CHECKS, S.RETURNED})
_SOCIAL_WORK = frozenset({Role.PRACTITIONER, Role.MANAGER})
# people who carry cases in the receiving team: its social workers, its manager, a partner's practitioner
_CASE_HOLDERS = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.AGENCY})
_ANYONE_WORKING = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.AGENCY, Role.BUSINESS_SUPPORT, Role.ADMIN})


class Action(StrEnum):
    LOG_CONTACT = "log_contact"
    RATE = "rate"
    RECORD_CONSENT = "record_consent"
    REQUEST_AGENCY_CHECKS = "request_agency_checks"
    RECORD_AGENCY_RETURN = "record_agency_return"
    WITHDRAW_AGENCY_REQUEST = "withdraw_agency_request"
    PROPOSE_DECISION = "propose_decision"
    SUBMIT_FOR_AUTHORISATION = "submit_for_authorisation"
    AUTHORISE = "authorise"
    RETURN_DECISION = "return_decision"
    HAND_OFF = "hand_off"
    PASS_TO_ALLOCATED_TEAM = "pass_to_allocated_team"  # noqa: S105 - an action name, not a secret
    ACCEPT_HAND_OFF = "accept_hand_off"
    REJECT_HAND_OFF = "reject_hand_off"
    CLOSE = "close"
    CLAIM = "claim"
    REASSIGN = "reassign"
    ADD_NOTE = "add_note"
    ADD_OVERSIGHT = "add_oversight"
    RECORD_DASH = "record_dash"
    RECORD_GCP = "record_gcp"
    ISSUE_LETTER = "issue_letter"


@dataclass(frozen=True)
class Rule:
    states: frozenset[ContactStatus]
    roles: frozenset[Role]
    result: ContactStatus | None = None  # None: the status does not change


RULES: dict[Action, Rule] = {
    Action.LOG_CONTACT: Rule(frozenset(), frozenset({*_SOCIAL_WORK, Role.BUSINESS_SUPPORT}), S.RECEIVED),
    # the first rating moves a contact to SCREENED; a re-rating keeps the state it is in
    Action.RATE: Rule(_OPEN_STATES - {S.AWAITING_ACCEPTANCE, S.ACCEPTED}, _SOCIAL_WORK),
    Action.RECORD_CONSENT: Rule(_OPEN_STATES, _SOCIAL_WORK),
    Action.REQUEST_AGENCY_CHECKS: Rule(_WORKING_STATES, _SOCIAL_WORK, S.AGENCY_CHECKS),
    Action.RECORD_AGENCY_RETURN: Rule(_OPEN_STATES, frozenset({Role.AGENCY, *_SOCIAL_WORK})),
    Action.WITHDRAW_AGENCY_REQUEST: Rule(_OPEN_STATES, _SOCIAL_WORK),
    Action.PROPOSE_DECISION: Rule(_WORKING_STATES, _SOCIAL_WORK),
    Action.SUBMIT_FOR_AUTHORISATION: Rule(_WORKING_STATES, _SOCIAL_WORK, S.AWAITING_AUTHORISATION),
    # authorising and returning are for a manager of the team that owns the contact (see may_decide)
    Action.AUTHORISE: Rule(frozenset({S.AWAITING_AUTHORISATION}), frozenset({Role.MANAGER}), S.AUTHORISED),
    # returning an authorised decision reopens it: after a rejected hand-off, or when new facts arrive
    Action.RETURN_DECISION: Rule(
        frozenset({S.AWAITING_AUTHORISATION, S.AUTHORISED}), frozenset({Role.MANAGER}), S.RETURNED
    ),
    Action.HAND_OFF: Rule(frozenset({S.AUTHORISED}), _SOCIAL_WORK, S.AWAITING_ACCEPTANCE),
    # the open-case route is a hand-off too: only after a manager authorised "pass to the allocated worker"
    Action.PASS_TO_ALLOCATED_TEAM: Rule(frozenset({S.AUTHORISED}), _SOCIAL_WORK, S.AWAITING_ACCEPTANCE),
    # answered by the receiving team's own case holders (checked against the hand-off's team)
    Action.ACCEPT_HAND_OFF: Rule(frozenset({S.AWAITING_ACCEPTANCE}), _CASE_HOLDERS, S.ACCEPTED),
    # a rejected hand-off goes back to the sender's queue, still authorised, to be handed to another team
    # the decision justifies, or reopened by a manager for a new decision
    Action.REJECT_HAND_OFF: Rule(frozenset({S.AWAITING_ACCEPTANCE}), _CASE_HOLDERS, S.AUTHORISED),
    Action.CLOSE: Rule(frozenset({S.AUTHORISED, S.ACCEPTED}), _SOCIAL_WORK, S.CLOSED),
    Action.CLAIM: Rule(_OPEN_STATES, _SOCIAL_WORK),
    Action.REASSIGN: Rule(_OPEN_STATES, frozenset({Role.MANAGER})),
    Action.ADD_NOTE: Rule(frozenset(ContactStatus), _ANYONE_WORKING),
    Action.ADD_OVERSIGHT: Rule(frozenset(ContactStatus), frozenset({Role.MANAGER})),
    Action.RECORD_DASH: Rule(_OPEN_STATES, frozenset({Role.AGENCY, *_SOCIAL_WORK})),
    Action.RECORD_GCP: Rule(_OPEN_STATES, frozenset({Role.AGENCY, *_SOCIAL_WORK})),
    Action.ISSUE_LETTER: Rule(
        frozenset({S.AUTHORISED, S.AWAITING_ACCEPTANCE, S.ACCEPTED, S.CLOSED}),
        frozenset({*_SOCIAL_WORK, Role.BUSINESS_SUPPORT}),
    ),
}

STATUS_WORDS: dict[ContactStatus, str] = {
    S.RECEIVED: "received, waiting for screening",
    S.SCREENED: "screened",
    S.AGENCY_CHECKS: "waiting for agency checks",
    S.AWAITING_AUTHORISATION: "waiting for a manager's authorisation",
    S.RETURNED: "returned by the manager",
    S.AUTHORISED: "authorised",
    S.AWAITING_ACCEPTANCE: "handed off, waiting for the receiving team to accept",
    S.ACCEPTED: "accepted by the receiving team",
    S.CLOSED: "closed",
}

ACTION_WORDS: dict[Action, str] = {
    Action.LOG_CONTACT: "log a contact",
    Action.RATE: "give a RAG rating",
    Action.RECORD_CONSENT: "record consent",
    Action.REQUEST_AGENCY_CHECKS: "ask agencies for checks",
    Action.RECORD_AGENCY_RETURN: "record an agency return",
    Action.WITHDRAW_AGENCY_REQUEST: "withdraw an agency request",
    Action.PROPOSE_DECISION: "propose a threshold decision",
    Action.SUBMIT_FOR_AUTHORISATION: "submit for authorisation",
    Action.AUTHORISE: "authorise the decision",
    Action.RETURN_DECISION: "return the decision",
    Action.HAND_OFF: "hand off to a team",
    Action.PASS_TO_ALLOCATED_TEAM: "pass to the allocated team",
    Action.ACCEPT_HAND_OFF: "accept the hand-off",
    Action.REJECT_HAND_OFF: "reject the hand-off",
    Action.CLOSE: "close the contact",
    Action.CLAIM: "take this contact",
    Action.REASSIGN: "reassign the contact",
    Action.ADD_NOTE: "add a case note",
    Action.ADD_OVERSIGHT: "record management oversight",
    Action.RECORD_DASH: "record a DASH checklist",
    Action.RECORD_GCP: "record a Graded Care Profile",
    Action.ISSUE_LETTER: "issue an outcome letter",
}


DECIDING_ACTIONS = frozenset({Action.AUTHORISE, Action.RETURN_DECISION})


def may_decide(role: Role, team_id: int | None, contact_team_id: int | None) -> bool:
    """Four eyes at the front door: a manager of the team that owns the contact, nobody else.

    A manager of another team (Early Help, a locality) has no say in this hub's threshold decisions,
    and a contact that belongs to no team yet has nobody to decide it until it is allocated.
    """
    return role is Role.MANAGER and contact_team_id is not None and team_id == contact_team_id


def role_may(role: Role, action: Action) -> bool:
    return role in RULES[action].roles


def state_allows(status: ContactStatus, action: Action) -> bool:
    rule = RULES[action]
    return not rule.states or status in rule.states


def allowed_actions(status: ContactStatus, role: Role) -> frozenset[Action]:
    """What the GUI may offer for a contact in ``status`` to someone in ``role``."""
    return frozenset(
        action
        for action, rule in RULES.items()
        if action is not Action.LOG_CONTACT and role in rule.roles and status in rule.states
    )


def result_of(action: Action, current: ContactStatus) -> ContactStatus:
    """The status after ``action``; actions that only add records keep the current status."""
    rule = RULES[action]
    if action is Action.RATE and current is S.RECEIVED:
        return S.SCREENED
    return rule.result if rule.result is not None else current


def status_transitions() -> frozenset[tuple[ContactStatus, ContactStatus, Role]]:
    """Every (from, to, role) move the table above allows: what the database's own check is built from."""
    moves: set[tuple[ContactStatus, ContactStatus, Role]] = set()
    for action, rule in RULES.items():
        for state in rule.states:
            after = result_of(action, state)
            if after is not state:
                moves.update((state, after, role) for role in rule.roles)
    return frozenset(moves)
