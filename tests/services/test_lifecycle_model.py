"""The lifecycle as a model: random sequences of every action, by every kind of user, on both databases.

Hypothesis drives the services as a hub would, wrong people and wrong moments included, and after
every step checks the rules that protect a child:

- nothing is authorised, handed off, accepted or closed on a decision unless the contact's latest
  authorisation approved it, by a manager of the team that owns the contact, and every child has a
  current authorised decision that manager did not propose;
- no hand-off or agency request went out without consent given (covering that agency) or an override;
- a hand-off is answered only by a practitioner or manager of the receiving team;
- a refused step changes no row, audit trail included;
- the audit trail replays, through ``domain.lifecycle``, to each contact's current status, every step
  allowed to the role that took it.

On PostgreSQL each step runs as the user's own login, so the database's triggers take part.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk.domain.enums import (
    AgencyRequestStatus,
    ConsentStatus,
    ContactStatus,
    DecisionStatus,
    HandOffStatus,
    Outcome,
    Rag,
    Role,
)
from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.lifecycle import result_of, role_may, state_allows
from mash_desk.services import decisions, handoffs, intake, screening
from mash_desk.services.drafts import ChildDraft
from mash_desk.services.screening import ConsentDraft
from mash_desk.store.models import (
    Agency,
    AgencyRequest,
    AuditEvent,
    Authorisation,
    ConsentDecision,
    Contact,
    ContactChild,
    HandOff,
    Team,
    ThresholdDecision,
    User,
)
from mash_desk.tools.loadtest.invariants import AUDITED_ACTIONS
from tests.support import (
    World,
    add_worker,
    assert_same,
    child,
    consent_given,
    consent_override,
    contact_draft,
    give_open_case,
    snapshot,
)

S = ContactStatus
# enough to walk contacts to every status and to find each hole issue 10 named with its fix reverted
EXAMPLES = 10
STEPS = 50
MAX_CONTACTS = 4  # per run, counting the earlier contact that gives a child an open case

# the people of the hub, by key in World.logins (ash, bo, eve and eh are added by the test)
EVERYONE = ("sam", "priya", "maria", "mark", "bea", "ava", "ash", "bo", "eve", "eh", "pc_jones", "aud", "admin")
MANAGERS = ("maria", "mark")
# who answers a hand-off for each team, as the receiving team would (and, wrongly, its business support)
ANSWERERS = {"Assessment Team": ("ava", "ash", "bo"), "Early Help Team": ("eh", "eve"), "MASH Team": ("priya",)}
TEAMS = tuple(ANSWERERS)
OUTCOMES = (Outcome.CFA_S17, Outcome.PASS_TO_ALLOCATED_WORKER, Outcome.EARLY_HELP, Outcome.NFA)
LEVEL = {Outcome.CFA_S17: 3, Outcome.PASS_TO_ALLOCATED_WORKER: 3, Outcome.EARLY_HELP: 2, Outcome.NFA: 1}
TEAM_FOR = {Outcome.CFA_S17: "Assessment Team", Outcome.EARLY_HELP: "Early Help Team"}
RATIONALE = "Written for the model test: the facts, what they mean for the child, and why."
ACTIONS = (
    "rate",
    "consent given",
    "consent not possible",
    "consent override",
    "request",
    "agency return",
    "propose",
    "submit",
    "authorise",
    "return",
    "hand off",
    "pass on",
    "accept",
    "reject",
    "close",
)


@dataclass
class Reached:
    """What the runs reached, so the test can show it explored the whole lifecycle."""

    statuses: set[ContactStatus] = field(default_factory=set)
    refused: int = 0
    done: int = 0
    routes: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Facts:
    """What a person at the desk would see of one contact before choosing the next step."""

    status: ContactStatus
    children: tuple[int, ...]
    open_case: bool
    consent: bool
    outstanding_request: int | None
    pending_hand_off: tuple[int, str] | None
    outcomes: tuple[Outcome | None, ...]
    proposed: bool  # every child has a proposal waiting


def facts(world: World, contact_id: int) -> Facts:
    with world.db.session() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None
        links = list(session.scalars(select(ContactChild).where(ContactChild.contact_id == contact_id)))
        pending = session.execute(
            select(HandOff.id, Team.name)
            .join(Team, Team.id == HandOff.team_id)
            .where(HandOff.contact_id == contact_id, HandOff.status == HandOffStatus.PENDING)
        ).first()
        return Facts(
            status=contact.status,
            children=tuple(link.person_id for link in links),
            open_case=contact.open_case_team_id is not None,
            consent=session.scalar(select(ConsentDecision.id).where(ConsentDecision.contact_id == contact_id))
            is not None,
            outstanding_request=session.scalar(
                select(AgencyRequest.id).where(
                    AgencyRequest.contact_id == contact_id, AgencyRequest.status == AgencyRequestStatus.OUTSTANDING
                )
            ),
            pending_hand_off=(pending[0], pending[1]) if pending is not None else None,
            outcomes=tuple(link.outcome for link in links),
            proposed=all(
                session.scalar(
                    select(ThresholdDecision.id).where(
                        ThresholdDecision.contact_child_id == link.id,
                        ThresholdDecision.status == DecisionStatus.PROPOSED,
                    )
                )
                is not None
                for link in links
            ),
        )


def _machine(world: World, reached: Reached) -> type[RuleBasedStateMachine]:
    class Lifecycle(RuleBasedStateMachine):
        contacts = Bundle("contacts")

        def __init__(self) -> None:
            super().__init__()
            self.mine: list[int] = []

        def attempt(self, name: str, call: Callable[[], object]) -> None:
            """Run one step; a refusal must leave every row as it was."""
            world.clock.advance(minutes=1)
            before = snapshot(world.db)
            try:
                call()
            except MashDeskError:
                reached.refused += 1
                assert_same(before, snapshot(world.db), f"the refused step {name}")
            else:
                reached.done += 1
                reached.routes[name] += 1

        def step(self, name: str, by: str, contact: int, known: Facts, outcome: Outcome, team: str) -> None:
            """``name`` done by ``by`` to ``contact``, however wrong that may be."""
            ctx = world.as_(by)
            hand_off_id = known.pending_hand_off[0] if known.pending_hand_off else 0
            calls: dict[str, Callable[[], object]] = {
                "rate": lambda: screening.rate(ctx, contact, Rag.AMBER, "Re-rated on new information."),
                "consent given": lambda: screening.record_consent(ctx, contact, consent_given(world.clock)),
                "consent not possible": lambda: screening.record_consent(
                    ctx, contact, ConsentDraft(status=ConsentStatus.NOT_POSSIBLE)
                ),
                "consent override": lambda: screening.record_consent(
                    ctx, contact, consent_override(world.clock, world.logins[by])
                ),
                "request": lambda: screening.request_agency_checks(ctx, contact, ["POLICE"]),
                "agency return": lambda: screening.record_agency_return(
                    ctx, known.outstanding_request or 0, summary="Two call-outs last year.", nothing_known=False
                ),
                "propose": lambda: [
                    decisions.propose_decision(
                        ctx, contact, decisions.DecisionProposal(child, LEVEL[outcome], outcome, "N1", RATIONALE)
                    )
                    for child in known.children
                ],
                "submit": lambda: decisions.submit_for_authorisation(ctx, contact),
                "authorise": lambda: decisions.authorise(ctx, contact),
                "return": lambda: decisions.return_decision(ctx, contact, "Think again about the level."),
                "hand off": lambda: handoffs.hand_off(ctx, contact, world.teams[team]),
                "pass on": lambda: handoffs.pass_to_allocated_team(ctx, contact),
                "accept": lambda: handoffs.accept_hand_off(ctx, hand_off_id),
                "reject": lambda: handoffs.reject_hand_off(ctx, hand_off_id, "Not for this team, sorry."),
                "close": lambda: handoffs.close_contact(ctx, contact),
            }
            self.attempt(name, calls[name])

        @initialize(target=contacts)
        def first_contact(self) -> int:
            return self._log("sam", open_case=True)

        @precondition(lambda self: len(self.mine) < MAX_CONTACTS)
        @rule(target=contacts, by=st.sampled_from(("sam", "bea", *EVERYONE)), open_case=st.booleans())
        def log_contact(self, by: str, open_case: bool) -> int:
            try:
                return self._log(by, open_case=open_case)
            except MashDeskError:
                return self.mine[-1]

        def _log(self, by: str, *, open_case: bool) -> int:
            world.clock.advance(minutes=1)
            if open_case:
                earlier = intake.log_contact(world.sam, contact_draft(world.clock))
                give_open_case(world.db, earlier.child_person_ids[0], world.teams["Assessment Team"])
                draft = contact_draft(world.clock, ChildDraft(existing_person_id=earlier.child_person_ids[0]))
                self.mine.append(earlier.id)
            else:
                draft = contact_draft(world.clock, child("Noor", "Begum"))
            logged = intake.log_contact(world.as_(by), draft)
            self.mine.append(logged.id)
            return logged.id

        @rule(contact=contacts, data=st.data())
        def advance(self, contact: int, data: st.DataObject) -> None:
            """The step a MASH would take next, by someone whose job it is."""
            known = facts(world, contact)
            draw = data.draw
            worker = draw(st.sampled_from(("sam", "priya")))
            manager = draw(st.sampled_from(MANAGERS))
            # a child with an open case is mostly passed to the allocated worker
            outcomes = [o for o in OUTCOMES if known.open_case or o is not Outcome.PASS_TO_ALLOCATED_WORKER]
            if known.open_case:
                outcomes += [Outcome.PASS_TO_ALLOCATED_WORKER] * 2
            outcome = draw(st.sampled_from(outcomes))
            status = known.status
            if status is S.RECEIVED and known.open_case:
                # a child the allocated team knows: record consent, then try to send it straight on
                first = "pass on" if known.consent else "consent given"
                self.step(draw(st.sampled_from((first, "rate"))), worker, contact, known, outcome, "")
            elif status is S.RECEIVED:
                self.step("rate", worker, contact, known, outcome, "")
            elif status in (S.SCREENED, S.RETURNED) and not known.consent:
                kind = draw(
                    st.sampled_from(("consent given", "consent given", "consent override", "consent not possible"))
                )
                self.step(kind, manager if kind == "consent override" else worker, contact, known, outcome, "")
            elif status is S.SCREENED and draw(st.integers(0, 4)) == 0:
                self.step("request", worker, contact, known, outcome, "")
            elif status is S.AGENCY_CHECKS and known.outstanding_request is not None:
                self.step("agency return", "pc_jones", contact, known, outcome, "")
            elif status in (S.SCREENED, S.AGENCY_CHECKS, S.RETURNED):
                self.step("submit" if known.proposed else "propose", worker, contact, known, outcome, "")
            elif status is S.AWAITING_AUTHORISATION:
                self.step(
                    draw(st.sampled_from(("authorise", "authorise", "return"))), manager, contact, known, outcome, ""
                )
            elif status is S.AUTHORISED:
                decided = [o for o in known.outcomes if o is not None]
                if draw(st.integers(0, 5)) == 0:
                    self.step("return", manager, contact, known, outcome, "")
                elif Outcome.PASS_TO_ALLOCATED_WORKER in decided:
                    self.step("pass on", worker, contact, known, outcome, "")
                elif any(o in TEAM_FOR for o in decided):
                    team = TEAM_FOR[next(o for o in decided if o in TEAM_FOR)]
                    self.step("hand off", worker, contact, known, outcome, team)
                else:
                    self.step("close", worker, contact, known, outcome, "")
            elif status is S.AWAITING_ACCEPTANCE and known.pending_hand_off is not None:
                answerer = draw(st.sampled_from(ANSWERERS[known.pending_hand_off[1]]))
                self.step(draw(st.sampled_from(("accept", "reject"))), answerer, contact, known, outcome, "")
            elif status is S.ACCEPTED:
                self.step("close", worker, contact, known, outcome, "")

        @rule(
            contact=contacts,
            name=st.sampled_from(ACTIONS),
            by=st.sampled_from(EVERYONE),
            outcome=st.sampled_from(OUTCOMES),
            team=st.sampled_from(TEAMS),
        )
        def chaos(self, contact: int, name: str, by: str, outcome: Outcome, team: str) -> None:
            """Any step, by anyone, at any moment: the services and the database must hold."""
            self.step(name, by, contact, facts(world, contact), outcome, team)

        # --- the rules that protect a child --------------------------------------------------------

        @invariant()
        def rules_hold(self) -> None:
            check_every_contact(world, set(self.mine), reached)

    return Lifecycle


def check_every_contact(world: World, contact_ids: set[int], reached: Reached) -> None:
    with world.db.session() as session:
        users = {u.id: u for u in session.scalars(select(User))}
        contacts = {c.id: c for c in session.scalars(select(Contact).where(Contact.id.in_(contact_ids)))}
        links: dict[int, list[ContactChild]] = defaultdict(list)
        for link in session.scalars(select(ContactChild).where(ContactChild.contact_id.in_(contact_ids))):
            links[link.contact_id].append(link)
        decided: dict[int, list[ThresholdDecision]] = defaultdict(list)
        superseded: set[int] = set()
        for decision in session.scalars(
            select(ThresholdDecision)
            .join(ContactChild, ContactChild.id == ThresholdDecision.contact_child_id)
            .where(ContactChild.contact_id.in_(contact_ids))
        ):
            decided[decision.contact_child_id].append(decision)
            if decision.supersedes_id is not None:
                superseded.add(decision.supersedes_id)
        authorisations: dict[int, list[Authorisation]] = defaultdict(list)
        for row in session.scalars(
            select(Authorisation).where(Authorisation.contact_id.in_(contact_ids)).order_by(Authorisation.id)
        ):
            authorisations[row.contact_id].append(row)
        consents: dict[int, list[ConsentDecision]] = defaultdict(list)
        for consent in session.scalars(
            select(ConsentDecision).where(ConsentDecision.contact_id.in_(contact_ids)).order_by(ConsentDecision.id)
        ):
            consents[consent.contact_id].append(consent)
        hand_offs = list(session.scalars(select(HandOff).where(HandOff.contact_id.in_(contact_ids))))
        requests = list(session.scalars(select(AgencyRequest).where(AgencyRequest.contact_id.in_(contact_ids))))
        agency_codes: dict[int, str] = dict(session.execute(select(Agency.id, Agency.code)).all())
        agency_of_team = {team_id: agency_codes[agency_id] for team_id, agency_id in _team_agency_ids(session)}
        audit = list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.contact_id.in_(contact_ids), AuditEvent.action.not_like("row.%"))
                .order_by(AuditEvent.id)
            )
        )

        for contact in contacts.values():
            reached.statuses.add(contact.status)
            _decided_properly(contact, links[contact.id], decided, superseded, authorisations[contact.id], users)
        for hand_off in hand_offs:
            _shared_with_consent(consents[hand_off.contact_id], agency_of_team[hand_off.team_id], hand_off.sent_at)
            if hand_off.responded_by_id is not None:
                responder = users[hand_off.responded_by_id]
                assert responder.team_id == hand_off.team_id, "a hand-off answered from outside the receiving team"
                assert responder.role in (Role.PRACTITIONER, Role.MANAGER, Role.AGENCY), (
                    f"a hand-off answered by {responder.role.value}"
                )
        for request in requests:
            _shared_with_consent(consents[request.contact_id], agency_codes[request.agency_id], request.requested_at)
        _audit_replays(audit, contacts, users)


def _decided_properly(
    contact: Contact,
    links: list[ContactChild],
    decided: dict[int, list[ThresholdDecision]],
    superseded: set[int],
    authorisations: list[Authorisation],
    users: dict[int, User],
) -> None:
    """A contact past the decision stands on its team manager's approval of a current decision per child."""
    # closing, too, is only from authorised or accepted: every closed contact was decided
    if contact.status not in (S.AUTHORISED, S.AWAITING_ACCEPTANCE, S.ACCEPTED, S.CLOSED):
        return
    assert authorisations, f"{contact.reference} is {contact.status.value} with no manager's authorisation"
    latest = authorisations[-1]
    assert latest.approved, f"{contact.reference} is {contact.status.value} after its decision was returned"
    manager = users[latest.manager_id]
    assert manager.role is Role.MANAGER
    assert manager.team_id == contact.team_id, f"{contact.reference} authorised by a manager of another team"
    for link in links:
        current = [d for d in decided[link.id] if d.status is DecisionStatus.AUTHORISED and d.id not in superseded]
        assert current, f"{contact.reference}: a child with no current authorised decision"
        assert all(d.proposed_by_id != manager.id for d in current), "four eyes: authorised by its proposer"
        assert link.outcome in {d.outcome for d in current}


def _shared_with_consent(consents: list[ConsentDecision], agency_code: str, at: datetime) -> None:
    before = [c for c in consents if c.recorded_at <= at]
    assert before, "shared before any consent decision"
    consent = before[-1]
    scope = {code for code in consent.scope.split(",") if code}
    assert consent.override or (consent.status is ConsentStatus.GIVEN and (not scope or agency_code in scope)), (
        "shared without consent or an override"
    )


def _audit_replays(audit: list[AuditEvent], contacts: dict[int, Contact], users: dict[int, User]) -> None:
    by_login = {u.username: u for u in users.values()}
    status: dict[int, ContactStatus] = {}
    for event in audit:
        assert event.contact_id is not None
        if event.action == "contact.log":
            status[event.contact_id] = S.RECEIVED
            continue
        action = AUDITED_ACTIONS.get(event.action)
        if action is None or event.contact_id not in status:
            continue
        current = status[event.contact_id]
        role = by_login[event.actor_login].role
        assert role_may(role, action), f"{event.action} by a {role.value}"
        assert state_allows(current, action), f"{event.action} while {current.value}"
        status[event.contact_id] = result_of(action, current)
    for contact_id, replayed in status.items():
        assert replayed is contacts[contact_id].status, (
            f"the audit trail of {contacts[contact_id].reference} replays to {replayed.value}, "
            f"but it is {contacts[contact_id].status.value}"
        )


def _team_agency_ids(session: Session) -> list[tuple[int, int]]:
    return [(team_id, agency_id) for team_id, agency_id in session.execute(select(Team.id, Team.agency_id))]


def test_random_work_by_every_role_never_breaks_the_rules_that_protect_a_child(world: World) -> None:
    add_worker(world, "ash", "Ash Moore", Role.MANAGER, team_name="Assessment Team")
    add_worker(world, "bo", "Bo Reed", Role.BUSINESS_SUPPORT, team_name="Assessment Team")
    add_worker(world, "eve", "Eve Lane", Role.MANAGER, team_name="Early Help Team")
    add_worker(world, "eh", "Lucy Brown", Role.AGENCY, agency_code="EARLY_HELP", team_name="Early Help Team")
    reached = Reached()
    machine = _machine(world, reached)
    runner = settings(
        max_examples=EXAMPLES,
        stateful_step_count=STEPS,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )(machine)
    runner.TestCase().runTest()
    # the runs went everywhere: a test that never reached a hand-off could not catch a bad one
    assert reached.statuses == set(ContactStatus), f"never reached {set(ContactStatus) - reached.statuses}; {reached}"
    assert {"authorise", "hand off", "pass on", "accept", "reject", "return"} <= set(reached.routes), reached.routes
    assert reached.refused > reached.done / 4, "the runs should try plenty of wrong steps too"
