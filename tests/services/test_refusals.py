"""Every refusal of the state machine, and every rule that must hold, each proven to write nothing.

For every action in ``lifecycle.RULES``: each role that may not do it is refused (and then someone
who may, does it, so the refusal was about the role); for contact actions, each state that does not
allow it is refused with the state machine's own words. Then the rules no role or state can waive:
four eyes, consent before sharing, reasons for changes, thresholds, outstanding checks, teams.
A refused action leaves every table as it was, the audit trail included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import select

from mash_desk.domain.enums import (
    AgencyRequestStatus,
    ConsentStatus,
    ContactStatus,
    HandOffStatus,
    LetterMethod,
    LetterRecipient,
    Outcome,
    Rag,
    Role,
)
from mash_desk.domain.errors import (
    ConsentRequired,
    IllegalTransition,
    InvalidInput,
    NotFound,
    PermissionRefused,
)
from mash_desk.domain.lifecycle import ACTION_WORDS, RULES, STATUS_WORDS, Action
from mash_desk.services import decisions, handoffs, intake, letters, notes, queues, risk_tools, screening
from mash_desk.services.context import ServiceContext
from mash_desk.services.decisions import DecisionProposal
from mash_desk.services.drafts import ChildDraft
from mash_desk.services.screening import ConsentDraft
from mash_desk.store.models import Agency, AgencyRequest, ConsentDecision, HandOff
from tests.support import (
    RATIONALE,
    Case,
    World,
    add_worker,
    assert_same,
    case_at,
    child,
    consent_given,
    consent_override,
    contact_draft,
    contact_status,
    gcp_review,
    give_open_case,
    open_case_authorised,
    snapshot,
    unchanged,
)

S = ContactStatus

# one user of each role in the world
ROLE_USER: dict[Role, str] = {
    Role.PRACTITIONER: "sam",
    Role.MANAGER: "maria",
    Role.AGENCY: "pc_jones",
    Role.BUSINESS_SUPPORT: "bea",
    Role.ADMIN: "admin",
    Role.AUDITOR: "aud",
}

GCP_GRADES = {"physical_care": 3, "safety": 2, "love_and_belonging": 2, "esteem": 3}


def _proposed(world: World) -> Case:
    case = case_at(world, S.SCREENED)
    decisions.propose_decision(
        world.sam, case.id, DecisionProposal(case.child_ids[0], 3, Outcome.CFA_S17, "N1", RATIONALE)
    )
    return case


def _with_gcp_assessor(world: World) -> Case:
    add_worker(world, "gina", "Gina Patel", Role.PRACTITIONER, team_name="MASH Team", gcp_licensed=True)
    return case_at(world, S.SCREENED)


@dataclass(frozen=True)
class Spec:
    """How to do an action through its service, on a contact built where it is allowed, and who may."""

    build: Callable[[World], Case] | None
    do: Callable[[World, ServiceContext, Case], object]
    doer: str


def _at(status: ContactStatus) -> Callable[[World], Case]:
    return lambda world: case_at(world, status)


SPECS: dict[Action, Spec] = {
    Action.LOG_CONTACT: Spec(None, lambda w, ctx, _c: intake.log_contact(ctx, contact_draft(w.clock)), "bea"),
    Action.RATE: Spec(
        _at(S.SCREENED), lambda _w, ctx, c: screening.rate(ctx, c.id, Rag.GREEN, "School says it has improved."), "sam"
    ),
    Action.RECORD_CONSENT: Spec(
        _at(S.SCREENED), lambda w, ctx, c: screening.record_consent(ctx, c.id, consent_given(w.clock)), "sam"
    ),
    Action.REQUEST_AGENCY_CHECKS: Spec(
        _at(S.SCREENED), lambda _w, ctx, c: screening.request_agency_checks(ctx, c.id, ["HEALTH"]), "sam"
    ),
    Action.RECORD_AGENCY_RETURN: Spec(
        _at(S.AGENCY_CHECKS),
        lambda _w, ctx, c: screening.record_agency_return(
            ctx, c.request_ids[0], summary="One call-out in 2024.", nothing_known=False
        ),
        "pc_jones",
    ),
    Action.WITHDRAW_AGENCY_REQUEST: Spec(
        _at(S.AGENCY_CHECKS),
        lambda _w, ctx, c: screening.withdraw_agency_request(ctx, c.request_ids[0], "The decision cannot wait."),
        "sam",
    ),
    Action.PROPOSE_DECISION: Spec(
        _at(S.SCREENED),
        lambda _w, ctx, c: decisions.propose_decision(
            ctx, c.id, DecisionProposal(c.child_ids[0], 3, Outcome.CFA_S17, "N1", RATIONALE)
        ),
        "sam",
    ),
    Action.SUBMIT_FOR_AUTHORISATION: Spec(
        _proposed, lambda _w, ctx, c: decisions.submit_for_authorisation(ctx, c.id), "sam"
    ),
    Action.AUTHORISE: Spec(_at(S.AWAITING_AUTHORISATION), lambda _w, ctx, c: decisions.authorise(ctx, c.id), "maria"),
    Action.RETURN_DECISION: Spec(
        _at(S.AWAITING_AUTHORISATION),
        lambda _w, ctx, c: decisions.return_decision(ctx, c.id, "Say more about the evidence."),
        "maria",
    ),
    Action.HAND_OFF: Spec(
        _at(S.AUTHORISED), lambda w, ctx, c: handoffs.hand_off(ctx, c.id, w.teams["Assessment Team"]), "sam"
    ),
    Action.PASS_TO_ALLOCATED_TEAM: Spec(
        open_case_authorised, lambda _w, ctx, c: handoffs.pass_to_allocated_team(ctx, c.id), "sam"
    ),
    Action.ACCEPT_HAND_OFF: Spec(
        _at(S.AWAITING_ACCEPTANCE), lambda _w, ctx, c: handoffs.accept_hand_off(ctx, c.handoff_id or 0), "ava"
    ),
    Action.REJECT_HAND_OFF: Spec(
        _at(S.AWAITING_ACCEPTANCE),
        lambda _w, ctx, c: handoffs.reject_hand_off(ctx, c.handoff_id or 0, "Not for this team."),
        "ava",
    ),
    Action.CLOSE: Spec(_at(S.ACCEPTED), lambda _w, ctx, c: handoffs.close_contact(ctx, c.id), "sam"),
    Action.CLAIM: Spec(_at(S.RECEIVED), lambda _w, ctx, c: queues.claim(ctx, c.id), "priya"),
    Action.REASSIGN: Spec(
        _at(S.SCREENED), lambda w, ctx, c: queues.reassign(ctx, c.id, w.logins["priya"], "Sam is on leave."), "maria"
    ),
    Action.ADD_NOTE: Spec(_at(S.SCREENED), lambda _w, ctx, c: notes.add_note(ctx, c.id, "Phoned the school."), "sam"),
    Action.ADD_OVERSIGHT: Spec(
        _at(S.SCREENED),
        lambda _w, ctx, c: notes.add_note(ctx, c.id, "Agree with the plan; review tomorrow.", oversight=True),
        "maria",
    ),
    Action.RECORD_DASH: Spec(
        _at(S.SCREENED), lambda _w, ctx, c: risk_tools.record_dash(ctx, c.id, [True] * 5 + [False] * 19), "sam"
    ),
    Action.RECORD_GCP: Spec(
        _with_gcp_assessor,
        lambda _w, ctx, c: risk_tools.record_gcp(
            ctx, c.id, c.child_ids[0], GCP_GRADES, carer_consent=True, **gcp_review(_w)
        ),
        "gina",
    ),
    Action.ISSUE_LETTER: Spec(
        _at(S.AUTHORISED),
        lambda _w, ctx, c: letters.issue_letter(ctx, c.id, LetterRecipient.REFERRER, LetterMethod.POST),
        "bea",
    ),
}


def test_every_action_of_the_state_machine_is_covered() -> None:
    assert set(SPECS) == set(RULES) == set(Action)


def _role_words(role: Role) -> str:
    return role.value.replace("_", " ")


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_a_role_that_may_not_do_an_action_is_refused_and_nothing_is_written(world: World, action: Action) -> None:
    spec = SPECS[action]
    case = spec.build(world) if spec.build is not None else Case(0, ())
    refused = [role for role in Role if role not in RULES[action].roles]
    assert Role.AUDITOR in refused  # the auditor reads; no action of the state machine is theirs
    before = snapshot(world.db)
    for role in refused:
        with pytest.raises(PermissionRefused) as info:
            spec.do(world, world.as_(ROLE_USER[role]), case)
        assert str(info.value) == f"Your role ({_role_words(role)}) cannot {ACTION_WORDS[action]}."
        assert_same(before, snapshot(world.db), f"{role} trying to {action}")
    # someone who may do it, can: the refusals above were about the role and nothing else
    spec.do(world, world.as_(spec.doer), case)
    assert snapshot(world.db) != before


def test_a_state_that_does_not_allow_an_action_is_refused_and_nothing_is_written(world: World) -> None:
    add_worker(world, "gina", "Gina Patel", Role.PRACTITIONER, team_name="MASH Team", gcp_licensed=True)
    cases = {status: case_at(world, status) for status in S}
    # Records that the services never leave behind, made by hand so that the contact's state is
    # the only thing left to refuse on: a police request still outstanding on a closed contact,
    # and a hand-off still pending on a contact in every other state.
    stale_request: int
    stale_handoffs: dict[ContactStatus, int] = {}
    sam_id = world.sam.whoami().id
    with world.db.session(write=True) as session:
        police = session.scalar(select(Agency.id).where(Agency.code == "POLICE"))
        assert police is not None
        closed = cases[S.CLOSED]
        request = AgencyRequest(
            contact_id=closed.id,
            agency_id=police,
            requested_by_id=sam_id,
            requested_at=world.clock(),
            due_at=world.clock(),
            status=AgencyRequestStatus.OUTSTANDING,
        )
        session.add(request)
        for status, case in cases.items():
            if status is not S.AWAITING_ACCEPTANCE:
                handoff = HandOff(
                    contact_id=case.id,
                    team_id=world.teams["Assessment Team"],
                    sent_by_id=sam_id,
                    sent_at=world.clock(),
                    due_at=world.clock(),
                    status=HandOffStatus.PENDING,
                )
                session.add(handoff)
                session.flush()
                stale_handoffs[status] = handoff.id
        session.flush()
        stale_request = request.id

    def case_for(action: Action, status: ContactStatus) -> Case:
        case = cases[status]
        if action is Action.RECORD_AGENCY_RETURN:
            return replace(case, request_ids=(stale_request,))
        if action in (Action.ACCEPT_HAND_OFF, Action.REJECT_HAND_OFF):
            return replace(case, handoff_id=stale_handoffs[status])
        return case

    for status, case in cases.items():
        assert contact_status(world.db, case.id) is status
    before = snapshot(world.db)
    checked: list[tuple[Action, ContactStatus]] = []
    wrong: list[str] = []
    for action, rule in RULES.items():
        if not rule.states:
            continue
        spec = SPECS[action]
        for status in (s for s in S if s not in rule.states):
            checked.append((action, status))
            try:
                spec.do(world, world.as_(spec.doer), case_for(action, status))
            except IllegalTransition as exc:
                expected = f"You cannot {ACTION_WORDS[action]} while the contact is {STATUS_WORDS[status]}."
                if str(exc) != expected:
                    wrong.append(f"{action} in {status}: refused for another reason: {exc}")
            except Exception as exc:  # collected, so one run reports every wrong refusal
                wrong.append(f"{action} in {status}: {type(exc).__name__}: {exc}")
            else:
                wrong.append(f"{action} in {status}: allowed")
            assert_same(before, snapshot(world.db), f"{action} refused in {status}")
    assert not wrong, "\n".join(wrong)
    # every contact action has at least one state it is refused in, except notes (always allowed)
    assert {action for action, _ in checked} == {
        a for a, rule in RULES.items() if rule.states and rule.states != frozenset(S)
    }
    assert len(checked) == sum(len(set(S) - rule.states) for rule in RULES.values() if rule.states)


# --- four eyes ------------------------------------------------------------------------------------


def test_a_manager_who_proposed_a_decision_never_authorises_or_returns_it(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock, child(), child("Zain", dob=None)))
    amira, zain = logged.child_person_ids
    screening.rate(world.sam, logged.id, Rag.AMBER)
    screening.record_consent(world.sam, logged.id, consent_given(world.clock))
    decisions.propose_decision(world.sam, logged.id, DecisionProposal(amira, 3, Outcome.CFA_S17, "N1", RATIONALE))
    decisions.propose_decision(world.maria, logged.id, DecisionProposal(zain, 3, Outcome.CFA_S17, "N1", RATIONALE))
    decisions.submit_for_authorisation(world.maria, logged.id)

    with unchanged(world.db), pytest.raises(PermissionRefused, match="four eyes"):
        decisions.authorise(world.maria, logged.id)
    with unchanged(world.db), pytest.raises(PermissionRefused, match="another manager"):
        decisions.return_decision(world.maria, logged.id, "Changed my mind.")
    decisions.authorise(world.mark, logged.id)
    assert contact_status(world.db, logged.id) is S.AUTHORISED


def test_the_practitioner_who_proposed_cannot_authorise_as_a_manager_either(world: World) -> None:
    case = case_at(world, S.AWAITING_AUTHORISATION)
    with unchanged(world.db), pytest.raises(PermissionRefused):
        decisions.authorise(world.sam, case.id)


# --- consent before sharing -----------------------------------------------------------------------


def test_no_agency_request_without_consent_given_or_an_override(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    screening.rate(world.sam, logged.id, Rag.RED)
    with unchanged(world.db), pytest.raises(ConsentRequired, match="Record the consent decision"):
        screening.request_agency_checks(world.sam, logged.id, ["POLICE"])
    for status in (ConsentStatus.REFUSED, ConsentStatus.NOT_SOUGHT, ConsentStatus.NOT_POSSIBLE):
        screening.record_consent(world.sam, logged.id, ConsentDraft(status=status))
        with unchanged(world.db), pytest.raises(ConsentRequired, match="without consent"):
            screening.request_agency_checks(world.sam, logged.id, ["POLICE"])

    # the manager who authorises sharing without consent records it in person
    screening.record_consent(world.maria, logged.id, consent_override(world.clock, world.logins["maria"]))
    assert len(screening.request_agency_checks(world.sam, logged.id, ["POLICE"])) == 1


def test_a_later_refusal_of_consent_stops_further_sharing(world: World) -> None:
    case = case_at(world, S.SCREENED)
    screening.record_consent(world.sam, case.id, ConsentDraft(status=ConsentStatus.REFUSED))
    with unchanged(world.db), pytest.raises(ConsentRequired, match="refused"):
        screening.request_agency_checks(world.sam, case.id, ["HEALTH"])


def test_no_hand_off_without_consent_given_or_an_override(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    screening.rate(world.sam, logged.id, Rag.AMBER)
    screening.record_consent(world.sam, logged.id, ConsentDraft(status=ConsentStatus.REFUSED))
    decisions.propose_decision(
        world.sam, logged.id, DecisionProposal(logged.child_person_ids[0], 3, Outcome.CFA_S17, "N1", RATIONALE)
    )
    decisions.submit_for_authorisation(world.sam, logged.id)
    decisions.authorise(world.maria, logged.id)
    with unchanged(world.db), pytest.raises(ConsentRequired):
        handoffs.hand_off(world.sam, logged.id, world.teams["Assessment Team"])

    screening.record_consent(world.mark, logged.id, consent_override(world.clock, world.logins["mark"]))
    handoffs.hand_off(world.sam, logged.id, world.teams["Assessment Team"])
    assert contact_status(world.db, logged.id) is S.AWAITING_ACCEPTANCE


def test_no_pass_to_the_allocated_team_without_consent_or_an_override(world: World) -> None:
    case = open_case_authorised(world, ConsentDraft(status=ConsentStatus.NOT_POSSIBLE))
    with unchanged(world.db), pytest.raises(ConsentRequired):
        handoffs.pass_to_allocated_team(world.sam, case.id)


def test_an_override_is_recorded_by_the_authorising_manager_in_person(world: World) -> None:
    """Nobody can record that a manager authorised sharing without consent: the manager does it."""
    case = case_at(world, S.RECEIVED)
    for who in ("priya", "pc_jones", "nobody_at_all", "maria"):
        draft = consent_override(world.clock, world.logins.get(who, who))
        with unchanged(world.db), pytest.raises(InvalidInput) as info:
            screening.record_consent(world.sam, case.id, draft)
        assert set(info.value.field_errors) == {"override_authorised_by"}
    assert "ask Maria Lopez to record it" in str(info.value)
    # Mark cannot record Maria's authorisation either; Maria records her own
    with unchanged(world.db), pytest.raises(InvalidInput, match="only your own authorisation"):
        screening.record_consent(world.mark, case.id, consent_override(world.clock, world.logins["maria"]))
    screening.record_consent(world.maria, case.id, consent_override(world.clock, world.logins["maria"]))
    with world.db.session() as session:
        row = session.scalars(select(ConsentDecision).order_by(ConsentDecision.id.desc())).first()
        assert row is not None
        assert row.override_authorised_by_id == row.recorded_by_id


def test_consent_scope_must_cover_the_agency_asked(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    screening.rate(world.sam, logged.id, Rag.AMBER)
    draft = consent_given(world.clock)
    draft.scope = ["HEALTH"]
    draft.all_agencies = False
    screening.record_consent(world.sam, logged.id, draft)

    with unchanged(world.db), pytest.raises(ConsentRequired, match="does not cover POLICE"):
        screening.request_agency_checks(world.sam, logged.id, ["POLICE"])
    # one agency out of scope refuses the whole request: health's row is not left behind
    with unchanged(world.db), pytest.raises(ConsentRequired, match="does not cover POLICE"):
        screening.request_agency_checks(world.sam, logged.id, ["HEALTH", "POLICE"])
    assert len(screening.request_agency_checks(world.sam, logged.id, ["HEALTH"])) == 1


def test_consent_scope_must_cover_the_receiving_team_agency(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    screening.rate(world.sam, logged.id, Rag.GREEN)
    draft = consent_given(world.clock)
    draft.scope = ["POLICE", "HEALTH"]
    draft.all_agencies = False
    screening.record_consent(world.sam, logged.id, draft)
    decisions.propose_decision(
        world.sam, logged.id, DecisionProposal(logged.child_person_ids[0], 2, Outcome.EARLY_HELP, "N1", RATIONALE)
    )
    decisions.submit_for_authorisation(world.sam, logged.id)
    decisions.authorise(world.maria, logged.id)
    with unchanged(world.db), pytest.raises(ConsentRequired, match="does not cover EARLY_HELP"):
        handoffs.hand_off(world.sam, logged.id, world.teams["Early Help Team"])


# --- screening ------------------------------------------------------------------------------------


def test_a_change_of_rating_needs_a_reason_and_the_same_rating_is_refused(world: World) -> None:
    case = case_at(world, S.SCREENED)  # rated AMBER
    with unchanged(world.db), pytest.raises(InvalidInput) as same:
        screening.rate(world.sam, case.id, Rag.AMBER, "Still amber.")
    assert set(same.value.field_errors) == {"rag"}
    for reason in (None, "", "   "):
        with unchanged(world.db), pytest.raises(InvalidInput) as no_reason:
            screening.rate(world.sam, case.id, Rag.RED, reason)
        assert set(no_reason.value.field_errors) == {"reason"}
    rated = screening.rate(world.sam, case.id, Rag.RED, "Police report a new incident last night.")
    assert rated.rag is Rag.RED


# --- thresholds -----------------------------------------------------------------------------------


def test_no_further_action_is_refused_at_level_3_and_4(world: World) -> None:
    case = case_at(world, S.SCREENED)
    for level in (3, 4):
        for outcome in (Outcome.NFA, Outcome.ADVICE_SIGNPOST):
            proposal = DecisionProposal(case.child_ids[0], level, outcome, "N1", RATIONALE)
            with unchanged(world.db), pytest.raises(InvalidInput) as info:
                decisions.propose_decision(world.sam, case.id, proposal)
            assert set(info.value.field_errors) == {"outcome"}, (level, outcome)


# --- submitting -----------------------------------------------------------------------------------


def test_submit_is_refused_while_agency_checks_are_outstanding(world: World) -> None:
    case = case_at(world, S.AGENCY_CHECKS)
    decisions.propose_decision(
        world.sam, case.id, DecisionProposal(case.child_ids[0], 3, Outcome.CFA_S17, "N1", RATIONALE)
    )
    with unchanged(world.db), pytest.raises(IllegalTransition, match="1 agency check"):
        decisions.submit_for_authorisation(world.sam, case.id)


def test_submit_is_refused_while_a_child_has_no_proposal(world: World) -> None:
    case = case_at(world, S.SCREENED, child(), child("Zain", dob=None))
    decisions.propose_decision(
        world.sam, case.id, DecisionProposal(case.child_ids[0], 3, Outcome.CFA_S17, "N1", RATIONALE)
    )
    with unchanged(world.db), pytest.raises(IllegalTransition, match="every child"):
        decisions.submit_for_authorisation(world.sam, case.id)


def test_submit_is_refused_before_the_consent_decision_is_recorded(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    screening.rate(world.sam, logged.id, Rag.GREEN)
    decisions.propose_decision(
        world.sam, logged.id, DecisionProposal(logged.child_person_ids[0], 1, Outcome.NFA, "N9", RATIONALE)
    )
    with unchanged(world.db), pytest.raises(IllegalTransition, match="consent"):
        decisions.submit_for_authorisation(world.sam, logged.id)


def test_a_proposal_for_a_child_not_on_the_contact_is_refused(world: World) -> None:
    case = case_at(world, S.SCREENED)
    other = case_at(world, S.RECEIVED)
    with unchanged(world.db), pytest.raises(InvalidInput) as info:
        decisions.propose_decision(
            world.sam, case.id, DecisionProposal(other.child_ids[0], 3, Outcome.CFA_S17, "N1", RATIONALE)
        )
    assert set(info.value.field_errors) == {"person_id"}


# --- hand-offs and closing ------------------------------------------------------------------------


def test_only_the_receiving_team_accepts_or_rejects_a_hand_off(world: World) -> None:
    case = case_at(world, S.AWAITING_ACCEPTANCE)
    assert case.handoff_id is not None
    for who in (world.sam, world.maria, world.police):  # MASH Team, MASH Team, no team
        with unchanged(world.db), pytest.raises(PermissionRefused, match="receiving team"):
            handoffs.accept_hand_off(who, case.handoff_id)
        with unchanged(world.db), pytest.raises(PermissionRefused, match="receiving team"):
            handoffs.reject_hand_off(who, case.handoff_id, "Not ours.")
    handoffs.accept_hand_off(world.ava, case.handoff_id)


def test_a_hand_off_is_answered_once(world: World) -> None:
    case = case_at(world, S.ACCEPTED)
    assert case.handoff_id is not None
    with unchanged(world.db), pytest.raises(IllegalTransition, match="already been accepted"):
        handoffs.accept_hand_off(world.ava, case.handoff_id)
    with unchanged(world.db), pytest.raises(IllegalTransition, match="already been accepted"):
        handoffs.reject_hand_off(world.ava, case.handoff_id, "Changed our minds.")


def test_an_authorised_contact_that_needs_another_team_cannot_just_be_closed(world: World) -> None:
    case = case_at(world, S.AUTHORISED)
    with unchanged(world.db), pytest.raises(IllegalTransition, match="hand it off"):
        handoffs.close_contact(world.sam, case.id)


def test_pass_to_allocated_team_needs_an_open_case_and_that_decision(world: World) -> None:
    case = case_at(world, S.AUTHORISED)  # no open case
    with unchanged(world.db), pytest.raises(IllegalTransition, match="No child on this contact has an open case"):
        handoffs.pass_to_allocated_team(world.sam, case.id)
    first = intake.log_contact(world.sam, contact_draft(world.clock))
    give_open_case(world.db, first.child_person_ids[0], world.teams["Assessment Team"])
    case = case_at(world, S.AUTHORISED, ChildDraft(existing_person_id=first.child_person_ids[0]))
    # an open case, but the manager authorised a child and family assessment, not passing it on
    with unchanged(world.db), pytest.raises(IllegalTransition, match="does not pass this to the allocated worker"):
        handoffs.pass_to_allocated_team(world.sam, case.id)


def test_hand_off_to_a_team_that_does_not_exist_is_refused(world: World) -> None:
    case = case_at(world, S.AUTHORISED)
    with unchanged(world.db), pytest.raises(InvalidInput) as info:
        handoffs.hand_off(world.sam, case.id, 9999)
    assert set(info.value.field_errors) == {"team"}


# --- agency returns -------------------------------------------------------------------------------


def test_only_the_agency_asked_records_its_return(world: World) -> None:
    case = case_at(world, S.AGENCY_CHECKS)
    for who in (world.sam, world.maria):
        with unchanged(world.db), pytest.raises(PermissionRefused, match="Only the agency that was asked"):
            screening.record_agency_return(who, case.request_ids[0], summary="We know them.", nothing_known=False)
    # another partner agency: on PostgreSQL its login cannot even see what was asked of the police
    expected = (NotFound, "no agency request") if world.db.is_postgresql else (PermissionRefused, "Only the agency")
    with unchanged(world.db), pytest.raises(expected[0], match=expected[1]):
        screening.record_agency_return(world.health, case.request_ids[0], summary="We know them.", nothing_known=False)


def test_a_request_already_answered_cannot_be_returned_or_withdrawn_again(world: World) -> None:
    case = case_at(world, S.AGENCY_CHECKS)
    (police,) = case.request_ids
    screening.record_agency_return(world.police, police, summary=None, nothing_known=True)
    with unchanged(world.db), pytest.raises(IllegalTransition, match="already returned"):
        screening.record_agency_return(
            world.police, police, summary="On reflection, one call-out.", nothing_known=False
        )
    with unchanged(world.db), pytest.raises(IllegalTransition, match="already returned"):
        screening.withdraw_agency_request(world.sam, police, "No longer needed.")

    (health,) = screening.request_agency_checks(world.sam, case.id, ["HEALTH"])
    screening.withdraw_agency_request(world.sam, health, "Emergency decision.")
    with unchanged(world.db), pytest.raises(IllegalTransition, match="already withdrawn"):
        screening.record_agency_return(world.health, health, summary="Too late.", nothing_known=False)


def test_the_same_agency_is_not_asked_twice_while_it_has_not_replied(world: World) -> None:
    case = case_at(world, S.AGENCY_CHECKS)
    with unchanged(world.db), pytest.raises(InvalidInput) as info:
        screening.request_agency_checks(world.sam, case.id, ["POLICE"])
    assert set(info.value.field_errors) == {"agencies"}


# --- claiming -------------------------------------------------------------------------------------


def test_claiming_someone_elses_contact_is_refused(world: World) -> None:
    case = case_at(world, S.SCREENED)  # rated by Sam, so Sam's
    with unchanged(world.db), pytest.raises(IllegalTransition, match="Sam Carter is already working on this contact"):
        queues.claim(world.priya, case.id)


# --- records that are not there -------------------------------------------------------------------


def test_actions_on_records_that_do_not_exist_are_refused(world: World) -> None:
    case_at(world, S.RECEIVED)
    attempts: list[Callable[[], object]] = [
        lambda: screening.rate(world.sam, 9999, Rag.RED),
        lambda: screening.record_consent(world.sam, 9999, consent_given(world.clock)),
        lambda: screening.record_agency_return(world.police, 9999, summary=None, nothing_known=True),
        lambda: screening.withdraw_agency_request(world.sam, 9999, "Gone."),
        lambda: decisions.submit_for_authorisation(world.sam, 9999),
        lambda: decisions.authorise(world.maria, 9999),
        lambda: handoffs.accept_hand_off(world.ava, 9999),
        lambda: handoffs.close_contact(world.sam, 9999),
        lambda: queues.claim(world.sam, 9999),
        lambda: notes.add_note(world.sam, 9999, "Hello?"),
    ]
    for attempt in attempts:
        with unchanged(world.db), pytest.raises(NotFound):
            attempt()
