"""A contact's whole life through the services, on SQLite and PostgreSQL, step by step.

After every step: the contact's status, the audit rows that step wrote (who, what, which contact),
and at the end the contact view a practitioner opens (chronology, RAG history, consent, agency
returns, decisions, authorisations, hand-offs). Then the other roads a contact can take: the open
case, no further action, a decision returned, a hand-off rejected, an agency check withdrawn.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mash_desk.domain.enums import (
    AgencyRequestStatus,
    Confidentiality,
    ConsentStatus,
    ContactStatus,
    DecisionStatus,
    Gender,
    HandOffStatus,
    Outcome,
    Rag,
    Role,
)
from mash_desk.domain.errors import IllegalTransition, InvalidInput, PermissionRefused
from mash_desk.domain.lifecycle import Action, allowed_actions
from mash_desk.services import changes, decisions, handoffs, intake, notes, queues, screening
from mash_desk.services.contact_view import open_contact, open_person
from mash_desk.services.decisions import DecisionProposal
from mash_desk.services.drafts import ChildDraft
from mash_desk.services.screening import ConsentDraft
from mash_desk.store.models import Person
from tests.support import (
    RATIONALE,
    AuditLine,
    AuditWatch,
    World,
    add_worker,
    case_at,
    child,
    consent_given,
    contact_draft,
    contact_status,
    give_open_case,
    unchanged,
)

S = ContactStatus


def _zain() -> ChildDraft:
    return child("Zain", "Hussain", date(2021, 8, 15), gender=Gender.MALE)


def test_a_contact_about_two_children_from_logging_to_closing(world: World) -> None:
    clock, db, login = world.clock, world.db, world.logins
    watch = AuditWatch(db)

    def step() -> None:
        clock.advance(minutes=15)

    # 1. business support logs what the school phoned in, an hour after the call
    logged = intake.log_contact(world.bea, contact_draft(clock, child(), _zain()))
    cid = logged.id
    amira, zain = logged.child_person_ids
    assert logged.status is S.RECEIVED
    assert logged.reference == f"MASH-{cid:07d}"
    assert (logged.open_case_team_id, logged.re_referral) == (None, False)
    assert watch.new() == [AuditLine(login["bea"], "contact.log", cid)]
    logged_at = clock()

    # 2. screening: AMBER, due 24 clock hours after the MASH received it (not after it was typed)
    step()
    offered = screening.rag_deadlines(world.sam, cid)  # what the rating dialog shows beside each choice
    rated = screening.rate(world.sam, cid, Rag.AMBER)
    received_at = logged_at - timedelta(hours=1)
    assert offered[Rag.AMBER] == rated.due_at
    assert offered[Rag.RED] < offered[Rag.AMBER] < offered[Rag.GREEN]
    assert (rated.status, rated.due_at) == (S.SCREENED, received_at + timedelta(hours=24))
    assert watch.new() == [AuditLine(login["sam"], "contact.rate", cid)]
    rated_at = clock()

    # 3. consent: given by the mother, covering every partner
    step()
    consent_id = screening.record_consent(world.sam, cid, consent_given(clock))
    assert contact_status(db, cid) is S.SCREENED
    assert watch.new() == [AuditLine(login["sam"], "consent.record", cid)]

    # 4. police and health asked for checks
    step()
    health_req, police_req = screening.request_agency_checks(
        world.sam, cid, ["POLICE", "HEALTH"], "Any domestic abuse call-outs or missed health appointments?"
    )
    assert contact_status(db, cid) is S.AGENCY_CHECKS
    assert watch.new() == [AuditLine(login["sam"], "agency_request.create", cid)] * 2
    (police_row,) = queues.agency_requests(world.police)
    assert (police_row.request_id, police_row.contact_id, police_row.agency) == (police_req, cid, "Police")
    assert police_row.due_at == rated.due_at
    assert police_row.children == "Amira Hussain, Zain Hussain"

    # 5-6. each agency returns what it knows; health marks its return agency-confidential
    step()
    screening.record_agency_return(world.police, police_req, summary="Two DA call-outs in 2025.", nothing_known=False)
    assert watch.new() == [AuditLine(login["pc_jones"], "agency_request.return", cid)]
    step()
    screening.record_agency_return(
        world.health,
        health_req,
        summary="Missed two health visitor appointments.",
        nothing_known=False,
        confidentiality=Confidentiality.AGENCY_CONFIDENTIAL,
    )
    assert watch.new() == [AuditLine(login["hv_okafor"], "agency_request.return", cid)]
    assert contact_status(db, cid) is S.AGENCY_CHECKS
    assert queues.agency_requests(world.police) == []

    # 7. a threshold decision for each child
    step()
    decisions.propose_decision(world.sam, cid, DecisionProposal(amira, 3, Outcome.CFA_S17, "N1", RATIONALE))
    decisions.propose_decision(
        world.sam, cid, DecisionProposal(zain, 2, Outcome.EARLY_HELP, "N1", "Younger brother; early help can meet it.")
    )
    assert contact_status(db, cid) is S.AGENCY_CHECKS
    assert watch.new() == [AuditLine(login["sam"], "decision.propose", cid)] * 2
    proposed_at = clock()

    # 8. submitted: the contact is now in the managers' decision queue
    step()
    decisions.submit_for_authorisation(world.sam, cid)
    assert contact_status(db, cid) is S.AWAITING_AUTHORISATION
    assert watch.new() == [AuditLine(login["sam"], "decision.submit", cid)]
    assert [row.contact_id for row in queues.queue_page(world.maria, queues.Queue.DECISIONS).rows] == [cid]

    # 9. a manager who proposed nothing authorises
    step()
    decisions.authorise(world.maria, cid, "Agreed: assessment for Amira, early help for Zain.")
    authorised_at = clock()
    assert contact_status(db, cid) is S.AUTHORISED
    assert watch.new() == [AuditLine(login["maria"], "decision.authorise", cid)]
    assert queues.queue_page(world.maria, queues.Queue.DECISIONS).total == 0

    # 10. handed to the assessment team, which has not accepted yet
    step()
    handoff_id = handoffs.hand_off(world.sam, cid, world.teams["Assessment Team"], "Please allocate today.")
    assert contact_status(db, cid) is S.AWAITING_ACCEPTANCE
    assert watch.new() == [AuditLine(login["sam"], "handoff.send", cid)]
    (pending,) = queues.pending_hand_offs(world.ava, mine_only=True)
    assert (pending.handoff_id, pending.contact_id, pending.team, pending.sent_by) == (
        handoff_id,
        cid,
        "Assessment Team",
        "Sam Carter",
    )

    # 11. the receiving team accepts: the child with a referral outcome is now allocated to it
    step()
    handoffs.accept_hand_off(world.ava, handoff_id)
    assert contact_status(db, cid) is S.ACCEPTED
    assert watch.new() == [AuditLine(login["ava"], "handoff.accept", cid)]
    assert queues.pending_hand_offs(world.sam) == []
    amira_record, zain_record = open_person(world.sam, amira), open_person(world.sam, zain)
    assert (amira_record.person.allocated_team, amira_record.case_open) == ("Assessment Team", True)
    assert (zain_record.person.allocated_team, zain_record.case_open) == (None, False)
    assert watch.new() == [AuditLine(login["sam"], "person.open", None)] * 2

    # 12. closed
    step()
    handoffs.close_contact(world.sam, cid)
    assert contact_status(db, cid) is S.CLOSED
    assert watch.new() == [AuditLine(login["sam"], "contact.close", cid)]

    # the contact as the practitioner sees it, and opening it is itself audited
    view = open_contact(world.sam, cid)
    assert watch.new() == [AuditLine(login["sam"], "contact.open", cid)]
    assert (view.status, view.rag, view.rag_due_at, view.decided_at) == (
        S.CLOSED,
        Rag.AMBER,
        rated.due_at,
        authorised_at,
    )
    assert (view.received_at, view.recorded_at) == (received_at, logged_at)
    assert view.allowed == {Action.ADD_NOTE, Action.ISSUE_LETTER} == allowed_actions(S.CLOSED, Role.PRACTITIONER)
    assert [(r.rag, r.reason, r.due_at, r.rated_by, r.rated_at) for r in view.rag_history] == [
        (Rag.AMBER, None, rated.due_at, "Sam Carter", rated_at)
    ]
    assert view.current_consent is not None
    assert [(c.id, c.status, c.given_by_name, c.override, c.scope, c.recorded_by) for c in view.consents] == [
        (consent_id, ConsentStatus.GIVEN, "Layla Hussain", False, (), "Sam Carter")
    ]
    assert [
        (r.id, r.agency_code, r.status, r.summary, r.confidentiality, r.withheld) for r in view.agency_requests
    ] == [
        (
            health_req,
            "HEALTH",
            AgencyRequestStatus.RETURNED,
            "Missed two health visitor appointments.",
            Confidentiality.AGENCY_CONFIDENTIAL,
            False,
        ),
        (
            police_req,
            "POLICE",
            AgencyRequestStatus.RETURNED,
            "Two DA call-outs in 2025.",
            Confidentiality.SHAREABLE,
            False,
        ),
    ]
    assert [(d.person_id, d.level_of_need, d.outcome, d.status, d.proposed_by) for d in view.decisions] == [
        (amira, 3, Outcome.CFA_S17, DecisionStatus.AUTHORISED, "Sam Carter"),
        (zain, 2, Outcome.EARLY_HELP, DecisionStatus.AUTHORISED, "Sam Carter"),
    ]
    assert [(c.person.name, c.level_of_need, c.outcome, c.primary_need) for c in view.children] == [
        ("Amira Hussain", 3, Outcome.CFA_S17, "N1"),
        ("Zain Hussain", 2, Outcome.EARLY_HELP, "N1"),
    ]
    assert all(c.proposed is not None and c.proposed.proposed_at == proposed_at for c in view.children)
    assert [(a.manager, a.approved, a.decided_at) for a in view.authorisations] == [
        ("Maria Lopez", True, authorised_at)
    ]
    (handoff,) = view.hand_offs
    assert (handoff.id, handoff.team, handoff.status, handoff.sent_by, handoff.note) == (
        handoff_id,
        "Assessment Team",
        HandOffStatus.ACCEPTED,
        "Sam Carter",
        "Please allocate today.",
    )
    assert [(entry.what, entry.who) for entry in view.chronology] == [
        ("Contact received by phone. Parents or carers aware.", "Bea Hughes"),
        ("Rated AMBER", "Sam Carter"),
        ("Consent given", "Sam Carter"),
        ("Checks asked of Health", "Sam Carter"),
        ("Checks asked of Police", "Sam Carter"),
        ("Police returned", "Police"),
        ("Health returned", "Health"),
        (
            "Decision proposed for Amira Hussain: level 3 — complex / child in need; a child and family assessment",
            "Sam Carter",
        ),
        (
            "Decision proposed for Zain Hussain: level 2 — early help / additional needs; early help",
            "Sam Carter",
        ),
        ("Authorised", "Maria Lopez"),
        ("Handed off to Assessment Team", "Sam Carter"),
        ("Assessment Team accepted", "Assessment Team"),
        ("Closed", "Sam Carter"),
    ]
    times = [entry.at for entry in view.chronology]
    assert times == sorted(times)
    assert times[0] == received_at

    # a partner agency sees its own request and return only, not what was asked of health
    police_view = open_contact(world.police, cid)
    assert [(r.agency_code, r.summary, r.withheld) for r in police_view.agency_requests] == [
        ("POLICE", "Two DA call-outs in 2025.", False),
    ]


def test_allowed_actions_in_the_view_follow_the_contact_and_the_role(world: World) -> None:
    case = case_at(world, S.AWAITING_AUTHORISATION)
    assert open_contact(world.maria, case.id).allowed == allowed_actions(S.AWAITING_AUTHORISATION, Role.MANAGER)
    assert Action.AUTHORISE in open_contact(world.maria, case.id).allowed
    sam_sees = open_contact(world.sam, case.id).allowed
    assert Action.AUTHORISE not in sam_sees
    assert Action.RATE in sam_sees
    assert open_contact(world.auditor, case.id).allowed == frozenset()


def test_a_note_after_closing_does_not_change_who_closed_the_contact(world: World) -> None:
    case = case_at(world, S.CLOSED)
    world.clock.advance(minutes=5)
    notes.add_note(world.priya, case.id, "Outcome letter posted to the school.")
    chronology = [(entry.what, entry.who) for entry in open_contact(world.sam, case.id).chronology]
    assert chronology[-2:] == [
        ("Closed", "Sam Carter"),
        ("Case note: Outcome letter posted to the school.", "Priya Shah"),
    ]


# --- the open-case route ------------------------------------------------------------------------


def test_a_child_with_an_open_case_goes_to_the_allocated_team_once_a_manager_agrees(world: World) -> None:
    first = intake.log_contact(world.sam, contact_draft(world.clock))
    (amira,) = first.child_person_ids
    assessment = world.teams["Assessment Team"]
    give_open_case(world.db, amira, assessment)

    logged = intake.log_contact(world.bea, contact_draft(world.clock, ChildDraft(existing_person_id=amira)))
    assert logged.open_case_team_id == assessment
    assert logged.child_person_ids == (amira,)
    assert open_contact(world.sam, logged.id).open_case_team == "Assessment Team"
    (row,) = queues.queue_page(world.sam, queues.Queue.UNASSIGNED, search=logged.reference).rows
    assert row.open_case

    # no shortcut from a new contact: the open-case route starts from an authorised decision
    assert Action.PASS_TO_ALLOCATED_TEAM not in allowed_actions(S.RECEIVED, Role.PRACTITIONER)
    with unchanged(world.db), pytest.raises(IllegalTransition):
        handoffs.pass_to_allocated_team(world.sam, logged.id)

    screening.rate(world.sam, logged.id, Rag.GREEN)
    screening.record_consent(world.sam, logged.id, consent_given(world.clock))
    decisions.propose_decision(
        world.sam,
        logged.id,
        DecisionProposal(amira, 3, Outcome.PASS_TO_ALLOCATED_WORKER, "N1", "Open case: Ava is the allocated worker."),
    )
    decisions.submit_for_authorisation(world.sam, logged.id)
    world.clock.advance(minutes=5)
    decisions.authorise(world.maria, logged.id)
    watch = AuditWatch(world.db)
    world.clock.advance(minutes=5)
    # the decision passes it to the allocated team only
    with unchanged(world.db), pytest.raises(IllegalTransition, match="allocated team only"):
        handoffs.hand_off(world.sam, logged.id, world.teams["Early Help Team"])
    handoff_id = handoffs.pass_to_allocated_team(world.sam, logged.id, "Known to Ava; new concern from school.")
    assert contact_status(world.db, logged.id) is S.AWAITING_ACCEPTANCE
    assert watch.new() == [AuditLine(world.logins["sam"], "handoff.open_case", logged.id)]
    view = open_contact(world.sam, logged.id)
    assert [c.outcome for c in view.children] == [Outcome.PASS_TO_ALLOCATED_WORKER]
    assert [(h.id, h.team, h.status) for h in view.hand_offs] == [
        (handoff_id, "Assessment Team", HandOffStatus.PENDING)
    ]

    handoffs.accept_hand_off(world.ava, handoff_id)
    assert contact_status(world.db, logged.id) is S.ACCEPTED
    handoffs.close_contact(world.ava, logged.id)
    assert contact_status(world.db, logged.id) is S.CLOSED
    assert watch.new()[-2:] == [
        AuditLine(world.logins["ava"], "handoff.accept", logged.id),
        AuditLine(world.logins["ava"], "contact.close", logged.id),
    ]
    # the first contact about Amira is untouched by the second's route
    assert contact_status(world.db, first.id) is S.RECEIVED


def test_a_rejected_open_case_pass_waits_for_a_manager_to_reopen_the_decision(world: World) -> None:
    """The hole the issue found: a rejection left the contact "authorised" with no decision at all."""
    first = intake.log_contact(world.sam, contact_draft(world.clock))
    (amira,) = first.child_person_ids
    give_open_case(world.db, amira, world.teams["Assessment Team"])
    logged = intake.log_contact(world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=amira)))
    screening.rate(world.sam, logged.id, Rag.GREEN)
    screening.record_consent(world.sam, logged.id, consent_given(world.clock))
    decisions.propose_decision(
        world.sam,
        logged.id,
        DecisionProposal(amira, 3, Outcome.PASS_TO_ALLOCATED_WORKER, "N1", "Open case: Ava is the allocated worker."),
    )
    decisions.submit_for_authorisation(world.sam, logged.id)
    decisions.authorise(world.maria, logged.id)
    handoff_id = handoffs.pass_to_allocated_team(world.sam, logged.id)
    handoffs.reject_hand_off(world.ava, handoff_id, "Our case closed last week; this needs a fresh assessment.")
    assert contact_status(world.db, logged.id) is S.AUTHORISED
    # still authorised, but only to the allocated team: nobody can send it anywhere else on that decision
    with unchanged(world.db), pytest.raises(IllegalTransition, match="reopen the decision"):
        handoffs.hand_off(world.sam, logged.id, world.teams["Early Help Team"])
    decisions.return_decision(world.mark, logged.id, "The case has closed: decide it afresh.")
    assert contact_status(world.db, logged.id) is S.RETURNED
    decisions.propose_decision(world.sam, logged.id, DecisionProposal(amira, 3, Outcome.CFA_S17, "N1", RATIONALE))
    decisions.submit_for_authorisation(world.sam, logged.id)
    decisions.authorise(world.maria, logged.id)
    handoffs.hand_off(world.sam, logged.id, world.teams["Assessment Team"])
    assert contact_status(world.db, logged.id) is S.AWAITING_ACCEPTANCE


def test_only_a_manager_of_the_owning_team_decides(world: World) -> None:
    early_help_manager = add_worker(world, "eve", "Eve Early", Role.MANAGER, team_name="Early Help Team")
    case = case_at(world, S.AWAITING_AUTHORISATION)
    with unchanged(world.db), pytest.raises(PermissionRefused, match="team that owns"):
        decisions.authorise(early_help_manager, case.id)
    with unchanged(world.db), pytest.raises(PermissionRefused, match="team that owns"):
        decisions.return_decision(early_help_manager, case.id, "Not enough evidence of neglect.")
    decisions.authorise(world.maria, case.id)
    assert contact_status(world.db, case.id) is S.AUTHORISED


def test_business_support_cannot_answer_a_hand_off_for_the_receiving_team(world: World) -> None:
    assessment_support = add_worker(world, "bo", "Bo Support", Role.BUSINESS_SUPPORT, team_name="Assessment Team")
    case = case_at(world, S.AWAITING_ACCEPTANCE)
    assert case.handoff_id is not None
    with unchanged(world.db), pytest.raises(PermissionRefused):
        handoffs.accept_hand_off(assessment_support, case.handoff_id)
    with unchanged(world.db), pytest.raises(PermissionRefused):
        handoffs.reject_hand_off(assessment_support, case.handoff_id, "Not for us.")
    handoffs.accept_hand_off(world.ava, case.handoff_id)


def test_the_open_case_check_covers_cases_closed_within_the_window(world: World) -> None:
    assessment = world.teams["Assessment Team"]
    for closed_days_ago, expected in ((None, assessment), (10, assessment), (28, assessment), (29, None)):
        (known,) = intake.log_contact(world.sam, contact_draft(world.clock)).child_person_ids
        closed_on = None if closed_days_ago is None else world.clock().date() - timedelta(days=closed_days_ago)
        give_open_case(world.db, known, assessment, closed_on=closed_on)
        logged = intake.log_contact(world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=known)))
        assert logged.open_case_team_id == expected, closed_days_ago


# --- no further action ----------------------------------------------------------------------------


def test_nfa_and_advice_outcomes_close_without_a_hand_off(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock, child(), _zain()))
    amira, zain = logged.child_person_ids
    screening.rate(world.sam, logged.id, Rag.GREEN)
    screening.record_consent(world.sam, logged.id, ConsentDraft(status=ConsentStatus.NOT_SOUGHT))
    decisions.propose_decision(
        world.sam, logged.id, DecisionProposal(amira, 1, Outcome.NFA, "N9", "School has already resolved the issue.")
    )
    decisions.propose_decision(
        world.sam,
        logged.id,
        DecisionProposal(zain, 1, Outcome.ADVICE_SIGNPOST, "N9", "Mother given details of the family hub."),
    )
    decisions.submit_for_authorisation(world.sam, logged.id)
    decisions.authorise(world.mark, logged.id)
    assert contact_status(world.db, logged.id) is S.AUTHORISED

    with unchanged(world.db), pytest.raises(IllegalTransition, match="close it instead"):
        handoffs.hand_off(world.sam, logged.id, world.teams["Assessment Team"])

    world.clock.advance(minutes=1)
    handoffs.close_contact(world.sam, logged.id)
    view = open_contact(world.sam, logged.id)
    assert view.status is S.CLOSED
    assert view.hand_offs == ()
    assert [c.outcome for c in view.children] == [Outcome.NFA, Outcome.ADVICE_SIGNPOST]
    assert view.chronology[-1].what == "Closed"
    assert queues.pending_hand_offs(world.sam) == []
    assert open_person(world.sam, amira).case_open is False


# --- a decision returned by the manager -----------------------------------------------------------


def test_a_returned_decision_is_reproposed_resubmitted_and_authorised(world: World) -> None:
    case = case_at(world, S.AWAITING_AUTHORISATION)
    (amira,) = case.child_ids

    with unchanged(world.db), pytest.raises(InvalidInput) as no_comment:
        decisions.return_decision(world.maria, case.id, "   ")
    assert set(no_comment.value.field_errors) == {"comments"}

    watch = AuditWatch(world.db)
    world.clock.advance(minutes=10)
    decisions.return_decision(world.maria, case.id, "Level 4: the DA history needs a strategy discussion.")
    assert contact_status(world.db, case.id) is S.RETURNED
    assert watch.new() == [AuditLine(world.logins["maria"], "decision.return", case.id)]
    view = open_contact(world.sam, case.id)
    assert [d.status for d in view.decisions] == [DecisionStatus.RETURNED]
    assert [(a.manager, a.approved, a.comments) for a in view.authorisations] == [
        ("Maria Lopez", False, "Level 4: the DA history needs a strategy discussion.")
    ]
    assert view.children[0].proposed is None
    assert "Returned: Level 4: the DA history needs a strategy discussion." in [e.what for e in view.chronology]
    assert [row.contact_id for row in queues.queue_page(world.sam, queues.Queue.MINE).rows] == [case.id]

    # the returned proposal is not a proposal any more: resubmitting unchanged is refused
    with unchanged(world.db), pytest.raises(IllegalTransition, match="every child"):
        decisions.submit_for_authorisation(world.sam, case.id)

    world.clock.advance(minutes=10)
    decisions.propose_decision(
        world.sam, case.id, DecisionProposal(amira, 4, Outcome.STRATEGY_S47, "N1", "Escalating DA with a young child.")
    )
    decisions.submit_for_authorisation(world.sam, case.id)
    assert contact_status(world.db, case.id) is S.AWAITING_AUTHORISATION
    decisions.authorise(world.maria, case.id)
    assert contact_status(world.db, case.id) is S.AUTHORISED
    view = open_contact(world.sam, case.id)
    assert [(d.outcome, d.status) for d in view.decisions] == [
        (Outcome.CFA_S17, DecisionStatus.RETURNED),
        (Outcome.STRATEGY_S47, DecisionStatus.AUTHORISED),
    ]
    assert [a.approved for a in view.authorisations] == [False, True]
    assert (view.children[0].level_of_need, view.children[0].outcome) == (4, Outcome.STRATEGY_S47)


def test_a_new_proposal_supersedes_the_previous_one_for_that_child(world: World) -> None:
    case = case_at(world, S.SCREENED)
    (amira,) = case.child_ids
    first = decisions.propose_decision(world.sam, case.id, DecisionProposal(amira, 3, Outcome.CFA_S17, "N1", RATIONALE))
    second = decisions.propose_decision(
        world.priya,
        case.id,
        DecisionProposal(amira, 2, Outcome.EARLY_HELP, "N4", "Family in acute stress; early help."),
    )
    view = open_contact(world.sam, case.id)
    assert [(d.id, d.status, d.proposed_by) for d in view.decisions] == [
        (first, DecisionStatus.SUPERSEDED, "Sam Carter"),
        (second, DecisionStatus.PROPOSED, "Priya Shah"),
    ]
    assert view.children[0].proposed is not None
    assert view.children[0].proposed.id == second


# --- a hand-off rejected by the receiving team ----------------------------------------------------


def test_a_rejected_hand_off_comes_back_authorised_and_goes_elsewhere(world: World) -> None:
    eli = add_worker(
        world, "eli", "Eli Brooks", Role.PRACTITIONER, agency_code="EARLY_HELP", team_name="Early Help Team"
    )
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    (amira,) = logged.child_person_ids
    screening.rate(world.sam, logged.id, Rag.GREEN)
    screening.record_consent(world.sam, logged.id, consent_given(world.clock))
    decisions.propose_decision(
        world.sam, logged.id, DecisionProposal(amira, 2, Outcome.EARLY_HELP, "N1", "Needs met by early help support.")
    )
    decisions.submit_for_authorisation(world.sam, logged.id)
    decisions.authorise(world.maria, logged.id)
    first = handoffs.hand_off(world.sam, logged.id, world.teams["Assessment Team"])

    with unchanged(world.db), pytest.raises(InvalidInput) as no_reason:
        handoffs.reject_hand_off(world.ava, first, "  ")
    assert set(no_reason.value.field_errors) == {"reason"}

    watch = AuditWatch(world.db)
    world.clock.advance(minutes=30)
    handoffs.reject_hand_off(world.ava, first, "Level 2: this is for early help, not assessment.")
    assert contact_status(world.db, logged.id) is S.AUTHORISED
    assert watch.new() == [AuditLine(world.logins["ava"], "handoff.reject", logged.id)]
    assert queues.pending_hand_offs(world.sam) == []

    world.clock.advance(minutes=5)
    second = handoffs.hand_off(world.sam, logged.id, world.teams["Early Help Team"])
    assert [row.handoff_id for row in queues.pending_hand_offs(eli, mine_only=True)] == [second]
    assert queues.pending_hand_offs(world.ava, mine_only=True) == []
    handoffs.accept_hand_off(eli, second)
    assert contact_status(world.db, logged.id) is S.ACCEPTED
    view = open_contact(world.sam, logged.id)
    assert [(h.team, h.status, h.rejection_reason) for h in view.hand_offs] == [
        ("Assessment Team", HandOffStatus.REJECTED, "Level 2: this is for early help, not assessment."),
        ("Early Help Team", HandOffStatus.ACCEPTED, None),
    ]
    whats = [e.what for e in view.chronology]
    assert whats[-4:] == [
        "Handed off to Assessment Team",
        "Assessment Team rejected: Level 2: this is for early help, not assessment.",
        "Handed off to Early Help Team",
        "Early Help Team accepted",
    ]
    # early help is not a referral to social care: nobody is allocated
    assert open_person(world.sam, amira).case_open is False


# --- an agency check withdrawn --------------------------------------------------------------------


def test_withdrawing_an_outstanding_agency_request_allows_submission(world: World) -> None:
    case = case_at(world, S.SCREENED)
    (amira,) = case.child_ids
    health_req, police_req = screening.request_agency_checks(world.sam, case.id, ["POLICE", "HEALTH"])
    screening.record_agency_return(world.police, police_req, summary=None, nothing_known=True)
    decisions.propose_decision(world.sam, case.id, DecisionProposal(amira, 3, Outcome.CFA_S17, "N1", RATIONALE))

    with unchanged(world.db), pytest.raises(IllegalTransition, match="1 agency check"):
        decisions.submit_for_authorisation(world.sam, case.id)
    with unchanged(world.db), pytest.raises(InvalidInput) as no_reason:
        screening.withdraw_agency_request(world.sam, health_req, "")
    assert set(no_reason.value.field_errors) == {"reason"}

    version = open_contact(world.sam, case.id).version
    marker = changes.current_marker(world.sam)
    watch = AuditWatch(world.db)
    world.clock.advance(minutes=20)
    screening.withdraw_agency_request(world.sam, health_req, "Decision cannot wait: health visitor on leave.")
    assert watch.new() == [AuditLine(world.logins["sam"], "agency_request.withdraw", case.id)]
    assert queues.agency_requests(world.health) == []
    view = open_contact(world.sam, case.id)
    # other workstations must see a withdrawal, but it adds to the contact: a colleague's open copy stays current
    assert changes.changed_since(world.priya, marker).contact_ids == (case.id,)
    assert view.version == version
    assert [(r.agency_code, r.status, r.nothing_known) for r in view.agency_requests] == [
        ("HEALTH", AgencyRequestStatus.WITHDRAWN, False),
        ("POLICE", AgencyRequestStatus.RETURNED, True),
    ]
    assert "Police returned — nothing known" in [e.what for e in view.chronology]

    decisions.submit_for_authorisation(world.sam, case.id)
    assert contact_status(world.db, case.id) is S.AWAITING_AUTHORISATION


def test_a_referral_accepted_by_the_team_that_closed_the_case_reopens_it(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    (child_id,) = logged.child_person_ids
    with world.db.session(write=True) as session:
        person = session.get_one(Person, child_id)
        person.allocated_team_id = world.teams["Assessment Team"]
        person.case_open = False
        person.case_closed_on = (world.clock() - timedelta(days=200)).date()
    again = intake.log_contact(world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=child_id)))
    screening.rate(world.sam, again.id, Rag.AMBER)
    screening.record_consent(world.sam, again.id, consent_given(world.clock))
    decisions.propose_decision(world.sam, again.id, DecisionProposal(child_id, 3, Outcome.CFA_S17, "N1", RATIONALE))
    decisions.submit_for_authorisation(world.sam, again.id)
    decisions.authorise(world.maria, again.id)
    handoff = handoffs.hand_off(world.sam, again.id, world.teams["Assessment Team"])
    handoffs.accept_hand_off(world.ava, handoff)
    with world.db.session() as session:
        person = session.get_one(Person, child_id)
        assert person.case_open
        assert person.case_closed_on is None
