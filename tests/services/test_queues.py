"""Work queues: most urgent first, paged, searchable; claiming the next item; reassigning; inboxes."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from mash_desk.domain.enums import Concern, ContactStatus, Outcome, Rag, Role
from mash_desk.domain.errors import PermissionRefused
from mash_desk.domain.urgency import urgency_key
from mash_desk.services import decisions, handoffs, intake, queues, screening
from mash_desk.services.contact_view import open_contact
from mash_desk.services.context import ServiceContext
from mash_desk.services.decisions import DecisionProposal
from mash_desk.services.queues import Queue
from mash_desk.store.models import AuditEvent, Contact
from mash_desk.store.queries import lookup
from tests.support import (
    RATIONALE,
    AuditLine,
    AuditWatch,
    World,
    add_worker,
    audit_lines,
    case_at,
    child,
    consent_given,
    contact_draft,
    unchanged,
)

S = ContactStatus


def _log(
    world: World,
    ctx: ServiceContext | None = None,
    *,
    hours_ago: float = 1,
    family: str = "Hussain",
    danger: bool = False,
) -> int:
    draft = contact_draft(world.clock, child("Amira", family))
    draft.received_at = world.clock() - timedelta(hours=hours_ago)
    draft.immediate_danger = danger
    return intake.log_contact(ctx or world.bea, draft).id


def _ids(page: queues.QueuePage) -> list[int]:
    return [row.contact_id for row in page.rows]


def _assert_most_urgent_first(page: queues.QueuePage, now: datetime, queue: Queue = Queue.TEAM) -> None:
    keys = [urgency_key(row.urgency_facts(queue), now, row.contact_id) for row in page.rows]
    assert keys == sorted(keys)


@pytest.fixture
def hub(world: World) -> dict[str, int]:
    """Six contacts at the MASH front door, with deadlines from 3 hours to 3 days away."""
    ids = {
        "green": _log(world, hours_ago=2),  # due now + 70h once rated
        "red": _log(world, hours_ago=1),  # due now + 3h
        "amber": _log(world, hours_ago=3, family="Kowalski"),  # due now + 21h
        "danger": _log(world, hours_ago=0.5, danger=True),  # unrated, due within RED's 4 hours: now + 3.5h
        "managers": _log(world, hours_ago=2),  # rated AMBER by a manager, who is not given it: now + 22h
        "new": _log(world, hours_ago=1),  # unrated: due when the decision is, a working day on
    }
    screening.rate(world.sam, ids["green"], Rag.GREEN)
    screening.rate(world.sam, ids["red"], Rag.RED)
    screening.rate(world.sam, ids["amber"], Rag.AMBER)
    screening.rate(world.maria, ids["managers"], Rag.AMBER)
    return ids


def test_my_queue_is_what_i_rated_most_urgent_first(world: World, hub: dict[str, int]) -> None:
    page = queues.queue_page(world.sam, Queue.MINE)
    assert _ids(page) == [hub["red"], hub["amber"], hub["green"]]
    assert page.total == 3
    _assert_most_urgent_first(page, world.clock())
    now = world.clock()
    assert [row.due_at - now for row in page.rows] == [timedelta(hours=3), timedelta(hours=21), timedelta(hours=70)]
    assert [row.rag for row in page.rows] == [Rag.RED, Rag.AMBER, Rag.GREEN]
    assert {row.assigned_to for row in page.rows} == {"Sam Carter"}
    assert queues.queue_page(world.priya, Queue.MINE).total == 0


def test_the_unassigned_queue_is_what_nobody_has_taken(world: World, hub: dict[str, int]) -> None:
    page = queues.queue_page(world.priya, Queue.UNASSIGNED)
    assert _ids(page) == [hub["danger"], hub["managers"], hub["new"]]
    _assert_most_urgent_first(page, world.clock())
    danger = page.rows[0]
    assert (danger.immediate_danger, danger.rag, danger.due_at) == (True, None, world.clock() + timedelta(hours=3.5))
    assert page.rows[2].due_at == page.rows[2].decision_due_at


def test_the_team_queue_pages_through_everything_the_team_has(world: World, hub: dict[str, int]) -> None:
    everything = queues.queue_page(world.priya, Queue.TEAM)
    # immediate danger first, then the earliest deadline (nothing is overdue yet)
    expected = [hub["danger"], hub["red"], hub["amber"], hub["managers"], hub["new"], hub["green"]]
    assert (_ids(everything), everything.total) == (expected, 6)
    _assert_most_urgent_first(everything, world.clock())
    first = queues.queue_page(world.priya, Queue.TEAM, offset=0, limit=4)
    second = queues.queue_page(world.priya, Queue.TEAM, offset=4, limit=4)
    beyond = queues.queue_page(world.priya, Queue.TEAM, offset=6, limit=4)
    assert (_ids(first), first.total, first.offset) == (expected[:4], 6, 0)
    assert (_ids(second), second.total, second.offset) == (expected[4:], 6, 4)
    assert (_ids(beyond), beyond.total) == ([], 6)
    # another team sees none of it
    assert queues.queue_page(world.ava, Queue.TEAM).total == 0


def test_queues_search_by_reference_and_family_name(world: World, hub: dict[str, int]) -> None:
    amber_ref = f"MASH-{hub['amber']:07d}"
    for typed in (amber_ref, amber_ref.lower(), f"  {amber_ref}  ", f"{hub['amber']:07d}"):
        page = queues.queue_page(world.priya, Queue.TEAM, search=typed)
        assert (_ids(page), page.total) == ([hub["amber"]], 1), typed
    for typed in ("Kowalski", "kowal", "KOW"):
        assert _ids(queues.queue_page(world.priya, Queue.TEAM, search=typed)) == [hub["amber"]], typed
    hussains = queues.queue_page(world.priya, Queue.TEAM, search="huss", limit=2)
    assert (len(hussains.rows), hussains.total) == (2, 5)
    assert "Amira Hussain" in hussains.rows[0].children
    # search narrows the queue it is in: Sam's own work only
    assert _ids(queues.queue_page(world.sam, Queue.MINE, search="Hussain")) == [hub["red"], hub["green"]]
    for typed in ("Nobody", "MASH-9999999", "-", "'", "%", "_"):
        assert queues.queue_page(world.priya, Queue.TEAM, search=typed).total == 0, typed


def test_the_decision_queue_is_for_managers_in_decision_deadline_order(world: World) -> None:
    later = case_at(world, S.AWAITING_AUTHORISATION)
    world.clock.advance(days=-1)  # logged a working day earlier: its decision is due first
    earlier = case_at(world, S.AWAITING_AUTHORISATION)
    world.clock.advance(days=1)
    case_at(world, S.AUTHORISED)  # decided already: not in the queue
    page = queues.queue_page(world.maria, Queue.DECISIONS)
    assert (_ids(page), page.total) == ([earlier.id, later.id], 2)
    assert page.rows[0].decision_due_at < page.rows[1].decision_due_at
    for not_a_manager in (world.sam, world.police, world.bea):
        with pytest.raises(PermissionRefused):
            queues.queue_page(not_a_manager, Queue.DECISIONS)


def test_someone_without_a_team_has_an_empty_team_queue(world: World) -> None:
    tess = add_worker(world, "tess", "Tess Without-Team", Role.PRACTITIONER)
    mine = _log(world, tess)
    assert queues.queue_page(tess, Queue.UNASSIGNED).total == 1
    assert queues.queue_page(world.police, Queue.TEAM).total == 0
    assert queues.queue_page(tess, Queue.TEAM).total == 0
    assert _ids(queues.queue_page(world.sam, Queue.UNASSIGNED)) == [mine]


# --- claiming -------------------------------------------------------------------------------------


def test_claim_next_takes_the_most_urgent_unassigned_contact_each_time(world: World, hub: dict[str, int]) -> None:
    for not_mash_work in (world.police, world.bea, world.auditor):
        with unchanged(world.db), pytest.raises(PermissionRefused):
            queues.claim_next(not_mash_work)
    watch = AuditWatch(world.db)
    claimed = [queues.claim_next(world.priya) for _ in range(3)]
    assert [c.contact_id if c else None for c in claimed] == [hub["danger"], hub["managers"], hub["new"]]
    assert [c.reference if c else None for c in claimed] == [
        f"MASH-{hub[k]:07d}" for k in ("danger", "managers", "new")
    ]
    assert watch.new() == [
        AuditLine(world.logins["priya"], "contact.claim", hub[k]) for k in ("danger", "managers", "new")
    ]
    assert _ids(queues.queue_page(world.priya, Queue.MINE)) == [hub["danger"], hub["managers"], hub["new"]]
    with unchanged(world.db, "claiming from an empty queue"):
        assert queues.claim_next(world.sam) is None


def test_claim_next_leaves_work_that_is_with_a_manager(world: World) -> None:
    logged = _log(world)
    screening.rate(world.maria, logged, Rag.AMBER)  # a manager rating it does not take it
    screening.record_consent(world.maria, logged, consent_given(world.clock))
    (amira,) = open_contact(world.maria, logged).children
    decisions.propose_decision(
        world.maria, logged, DecisionProposal(amira.person.person_id, 3, Outcome.CFA_S17, "N1", RATIONALE)
    )
    decisions.submit_for_authorisation(world.maria, logged)
    assert queues.queue_page(world.sam, Queue.UNASSIGNED).total == 0
    with unchanged(world.db, "claiming when only decisions are waiting"):
        assert queues.claim_next(world.sam) is None


def test_two_people_claiming_at_once_never_get_the_same_contact(world: World) -> None:
    # received a minute apart, so each has its own deadline and "most urgent" is well defined
    ids = [_log(world, hours_ago=(n + 1) / 60) for n in range(20)]
    with world.db.session() as session:
        due = lookup(session, select(Contact.id, Contact.rag_due_at))
    assert len(set(due.values())) == 20
    contexts = [world.sam, world.priya]
    got: list[list[int]] = [[] for _ in contexts]
    errors: list[BaseException] = []
    start = threading.Barrier(len(contexts))

    def work(index: int, ctx: ServiceContext) -> None:
        try:
            start.wait(timeout=10)
            while (claimed := queues.claim_next(ctx)) is not None:
                got[index].append(claimed.contact_id)
        except BaseException as exc:  # reported on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i, ctx)) for i, ctx in enumerate(contexts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    everything = [cid for claimed in got for cid in claimed]
    assert len(everything) == len(set(everything)), f"claimed twice: {got}"
    assert sorted(everything) == sorted(ids)
    with world.db.session() as session:
        owners = lookup(session, select(Contact.id, Contact.assigned_to_id))
    for index, ctx in enumerate(contexts):
        me = ctx.whoami().id
        assert all(owners[cid] == me for cid in got[index])
        # each person was always handed the most urgent contact still free
        assert got[index] == sorted(got[index], key=lambda cid: (due[cid], cid))
    claims = [line.contact_id for line in audit_lines(world.db) if line.action == "contact.claim"]
    assert sorted(cid or 0 for cid in claims) == sorted(ids)


# --- reassigning ----------------------------------------------------------------------------------


def test_a_manager_reassigns_with_a_reason_that_is_audited(world: World) -> None:
    case = case_at(world, S.SCREENED)  # Sam's
    with unchanged(world.db), pytest.raises(PermissionRefused):
        queues.reassign(world.sam, case.id, world.logins["priya"], "Swapping.")
    watch = AuditWatch(world.db)
    queues.reassign(world.maria, case.id, world.logins["ava"], "Sam is on leave; Ava knows the family.")
    assert watch.new() == [AuditLine(world.logins["maria"], "contact.reassign", case.id)]
    with world.db.session() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "contact.reassign")).one()
        assert event.detail is not None
        detail = json.loads(event.detail)
    assert detail == {
        "from_user_id": world.sam.whoami().id,
        "to_user_id": world.ava.whoami().id,
        "reason": "Sam is on leave; Ava knows the family.",
    }
    assert queues.queue_page(world.sam, Queue.MINE).total == 0
    (row,) = queues.queue_page(world.ava, Queue.MINE).rows
    assert (row.contact_id, row.assigned_to, row.team) == (case.id, "Ava Green", "Assessment Team")
    assert _ids(queues.queue_page(world.ava, Queue.TEAM)) == [case.id]


# --- agency inboxes and hand-offs -----------------------------------------------------------------


def test_each_agency_sees_only_its_own_outstanding_requests(world: World) -> None:
    first = case_at(world, S.SCREENED)
    world.clock.advance(minutes=30)
    second = case_at(world, S.SCREENED)
    screening.rate(world.sam, second.id, Rag.RED, "Disclosure at school this morning.")
    (police_first,) = screening.request_agency_checks(world.sam, first.id, ["POLICE"], "Any call-outs?")
    _health_second, police_second = screening.request_agency_checks(world.sam, second.id, ["POLICE", "HEALTH"])

    police = queues.agency_requests(world.police)
    # the RED contact's request is due first
    assert [(r.request_id, r.contact_id, r.rag) for r in police] == [
        (police_second, second.id, Rag.RED),
        (police_first, first.id, Rag.AMBER),
    ]
    assert police[1].question == "Any call-outs?"
    assert police[0].due_at < police[1].due_at
    assert [r.agency for r in queues.agency_requests(world.health)] == ["Health"]
    assert [r.request_id for r in queues.agency_requests(world.police, offset=1, limit=1)] == [police_first]

    screening.record_agency_return(world.police, police_second, summary=None, nothing_known=True)
    assert [r.request_id for r in queues.agency_requests(world.police)] == [police_first]


def test_hand_offs_wait_in_the_receiving_teams_inbox_until_answered(world: World) -> None:
    eli = add_worker(
        world, "eli", "Eli Brooks", Role.PRACTITIONER, agency_code="EARLY_HELP", team_name="Early Help Team"
    )
    to_assessment = case_at(world, S.AWAITING_ACCEPTANCE)
    world.clock.advance(hours=2)
    early = case_at(world, S.SCREENED)
    decisions.propose_decision(
        world.sam, early.id, DecisionProposal(early.child_ids[0], 2, Outcome.EARLY_HELP, "N1", RATIONALE)
    )
    decisions.submit_for_authorisation(world.sam, early.id)
    decisions.authorise(world.maria, early.id)
    to_early_help = handoffs.hand_off(world.sam, early.id, world.teams["Early Help Team"], "Family agreed to help.")

    everything = queues.pending_hand_offs(world.maria)
    assert [(h.handoff_id, h.team) for h in everything] == [
        (to_assessment.handoff_id, "Assessment Team"),
        (to_early_help, "Early Help Team"),
    ]
    assert everything[0].due_at <= everything[1].due_at
    assert everything[1].note == "Family agreed to help."
    assert [h.handoff_id for h in queues.pending_hand_offs(eli, mine_only=True)] == [to_early_help]
    assert [h.handoff_id for h in queues.pending_hand_offs(world.ava, mine_only=True)] == [to_assessment.handoff_id]
    assert queues.pending_hand_offs(world.sam, mine_only=True) == []

    handoffs.accept_hand_off(eli, to_early_help)
    assert [h.handoff_id for h in queues.pending_hand_offs(world.maria)] == [to_assessment.handoff_id]


def test_immediate_danger_and_an_overdue_red_come_before_an_overdue_green(world: World) -> None:
    late_green = _log(world, hours_ago=80)  # GREEN allows 72 hours: 8 hours overdue
    late_red = _log(world, hours_ago=5)  # RED allows 4 hours: 1 hour overdue
    on_time = _log(world, hours_ago=1, family="Kowalski")  # not rated yet, due a working day on
    danger = _log(world, hours_ago=0.5, danger=True)  # not overdue, but a child in danger
    screening.rate(world.sam, late_green, Rag.GREEN)
    screening.rate(world.sam, late_red, Rag.RED)
    page = queues.queue_page(world.priya, Queue.TEAM)
    assert _ids(page) == [danger, late_red, late_green, on_time]  # by deadline alone: green, red, danger
    _assert_most_urgent_first(page, world.clock())
    mine = queues.queue_page(world.sam, Queue.MINE)
    assert _ids(mine) == [late_red, late_green]
    # a refreshed row and a page agree: the window slots rows in by the same rule
    refreshed = queues.queue_rows(world.priya, Queue.TEAM, [late_green, danger])
    assert {row.contact_id for row in refreshed.rows} == {late_green, danger}
    claimed = queues.claim_next(world.priya)
    assert claimed is not None
    assert claimed.contact_id == danger


def test_a_queue_row_carries_ages_and_concerns(world: World) -> None:
    draft = contact_draft(world.clock, child("Amira", "Hussain"), child("Baby", "Hussain", dob=None))
    draft.children[1].expected_date_of_birth = date(2026, 6, 1)
    contact_id = intake.log_contact(world.bea, draft).id
    row = queues.queue_page(world.priya, Queue.UNASSIGNED).rows[0]
    assert row.contact_id == contact_id
    assert [(c.name, c.born, c.expected) for c in row.children_named] == [
        ("Amira Hussain", date(2019, 5, 4), None),
        ("Baby Hussain", None, date(2026, 6, 1)),
    ]
    assert row.concerns == tuple(sorted(draft.concerns, key=list(Concern).index))
    assert row.concerns


def test_a_receiving_team_does_not_take_the_mashs_next_contact(world: World) -> None:
    _log(world)
    assert not queues.works_the_front_door(world.ava.whoami())
    assert queues.works_the_front_door(world.priya.whoami())
    with unchanged(world.db), pytest.raises(PermissionRefused):
        queues.claim_next(world.ava)
