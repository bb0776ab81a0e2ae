"""A contact's steps, as ``domain.lifecycle`` has them: the demo plans which steps a contact took and
when, and the lifecycle's own table says what each step does to its status and who may take it.

Each step of a planned route is named for the lifecycle ``Action`` it stands for (``STEP_ACTIONS``).
How far along the usual route each status lies is worked out from the lifecycle's results
(``STAGE_REACHING``), and every planned contact's steps are walked through ``state_allows``,
``role_may`` and ``result_of`` (``walk``): a route the services would refuse, or one that ends
anywhere but the status planned, stops the demo with an error rather than writing it.
"""

from mash_desk.domain.enums import ContactStatus, Rag, Role
from mash_desk.domain.lifecycle import Action, result_of, role_may, state_allows
from mash_desk.domain.timescales import due_at
from mash_desk.tools.demo.state import ContactState

S = ContactStatus
A = Action

# The usual route's milestones, in order: a contact planned to end at a stage has taken the steps
# before it (agency checks, a return, a rejection only where they happened)
ROUTE: tuple[tuple[str, Action], ...] = (
    ("log", A.LOG_CONTACT),
    ("rate", A.RATE),
    ("consent", A.RECORD_CONSENT),
    ("request", A.REQUEST_AGENCY_CHECKS),
    ("propose", A.PROPOSE_DECISION),
    ("submit", A.SUBMIT_FOR_AUTHORISATION),
    ("mreturn", A.RETURN_DECISION),
    ("auth", A.AUTHORISE),
    ("handoff", A.HAND_OFF),
    ("reject", A.REJECT_HAND_OFF),
    ("accept", A.ACCEPT_HAND_OFF),
    ("close", A.CLOSE),
)
STAGE: dict[str, int] = {name: index for index, (name, _action) in enumerate(ROUTE, start=1)}
# the first milestone whose action moves a new contact to each status (actions that only add records
# leave it as it is): the stage a contact planned to end in that status reaches
STAGE_REACHING: dict[ContactStatus, int] = {}
for _name, _action in ROUTE:
    STAGE_REACHING.setdefault(result_of(_action, S.RECEIVED), STAGE[_name])

# every step a planned route can hold, as the lifecycle action it stands for
STEP_ACTIONS: dict[str, Action] = {
    **dict(ROUTE),
    "returns": A.RECORD_AGENCY_RETURN,
    "propose2": A.PROPOSE_DECISION,  # a second thought: the first proposal superseded
    "repropose": A.PROPOSE_DECISION,  # after the manager returned it
    "resubmit": A.SUBMIT_FOR_AUTHORISATION,
    "handoff2": A.HAND_OFF,  # to the next team, after a rejection
}


class ImpossibleRoute(RuntimeError):
    """A planned contact's steps are not a route the services would take: a bug in the demo's plan."""


def walk(steps: list[tuple[str, Role]], *, open_case: bool) -> ContactStatus:
    """The status a contact reaches by ``steps`` (each step's name and the role of who took it), from
    logging onwards, checked step by step against the lifecycle; raises ``ImpossibleRoute``.

    On the open-case route the hand-off is ``PASS_TO_ALLOCATED_TEAM``.
    """
    status: ContactStatus | None = None
    for name, role in steps:
        action = STEP_ACTIONS[name]
        if open_case and action is A.HAND_OFF:
            action = A.PASS_TO_ALLOCATED_TEAM
        if status is None and action is not A.LOG_CONTACT:
            raise ImpossibleRoute(f"{name}: a contact's first step is logging it")
        if status is not None and not state_allows(status, action):
            raise ImpossibleRoute(f"{name} ({action}) is not allowed in {status}")
        if not role_may(role, action):
            raise ImpossibleRoute(f"{name} ({action}) is not for a {role}")
        status = result_of(action, status or S.RECEIVED)
    if status is None:
        raise ImpossibleRoute("a contact with no steps")
    return status


def target_stage(s: ContactState) -> int:
    """How far along the usual route the contact's planned status lies (a screened contact may have
    had its consent recorded too)."""
    status = s.status
    if status is S.SCREENED:
        return STAGE["rate"] if s.rng.random() < 0.5 else STAGE["consent"]
    return STAGE_REACHING[status]


def accept_minutes(s: ContactState) -> float:
    """How long the receiving team takes to accept: mostly within the day, sometimes a day or two."""
    rng = s.rng
    if rng.random() < 0.85:
        return rng.uniform(0.05, 0.9) * 24 * 60
    return 24 * 60 + rng.uniform(60, 2880)


def normal_chain(
    s: ContactState,
    stage: int,
    rag: Rag,
    has_requests: bool,
    returned_once: bool,
    rejected: bool,
    superseded: bool,
    needs: bool,
) -> list[tuple[str, float]]:
    """Nominal minutes between the steps of the usual route, up to the stage reached."""
    rng = s.rng
    chain: list[tuple[str, float]] = []
    if stage >= STAGE["rate"]:
        chain.append(
            ("rate", {Rag.RED: rng.uniform(5, 60), Rag.AMBER: rng.uniform(15, 480)}.get(rag, rng.uniform(30, 1440)))
        )
    if stage >= STAGE["consent"]:
        chain.append(("consent", rng.uniform(10, 240)))
    if stage >= STAGE["request"] and has_requests:
        chain.append(("request", rng.uniform(5, 60)))
    if stage >= STAGE["propose"]:
        if has_requests:
            window = (due_at(s.t0, s.ledger.rag_rules[rag], s.ledger.calendar) - s.t0).total_seconds() / 60
            late = rng.random() < 0.2
            chain.append(("returns", window * (rng.uniform(1.05, 2.0) if late else rng.uniform(0.3, 0.95))))
        chain.append(("propose", rng.uniform(15, 240)))
        if superseded:
            chain.append(("propose2", rng.uniform(10, 120)))
    if stage >= STAGE["submit"]:
        chain.append(("submit", rng.uniform(2, 60)))
    if returned_once and stage >= STAGE["mreturn"]:
        chain.append(("mreturn", rng.uniform(30, 600)))
        if stage >= STAGE["auth"] or rng.random() < 0.3:
            chain.append(("repropose", rng.uniform(60, 1440)))
        if stage >= STAGE["auth"]:
            chain.append(("resubmit", rng.uniform(2, 60)))
    if stage >= STAGE["auth"]:
        chain.append(("auth", rng.uniform(20, 600)))
    if needs and stage >= STAGE["handoff"]:
        chain.append(("handoff", rng.uniform(15, 480)))
        if rejected:
            chain.append(("reject", rng.uniform(60, 1440)))
            if stage >= STAGE["accept"] or s.status is S.AWAITING_ACCEPTANCE:
                chain.append(("handoff2", rng.uniform(30, 1440)))
        if stage >= STAGE["accept"]:
            chain.append(("accept", accept_minutes(s)))
    if stage >= STAGE["close"]:
        chain.append(("close", rng.uniform(60, 7200) if needs else rng.uniform(10, 2880)))
    return chain
