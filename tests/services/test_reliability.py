"""Issue 9's failures, met for real: one current proposal per child, one lock order, collisions
retried, lost connections and deadlocks classified by SQLSTATE and reported as a person needs."""

from __future__ import annotations

import threading
from collections.abc import Callable

import psycopg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from mash_desk.domain.enums import ContactStatus, DecisionStatus, Outcome
from mash_desk.domain.errors import ConcurrentEdit, DatabaseUnavailable, IllegalTransition, WriteCollision
from mash_desk.services import decisions, handoffs
from mash_desk.services.context import retry_collisions
from mash_desk.store.database import Database, translate_errors
from mash_desk.store.models import ContactChild, HandOff, ThresholdDecision
from tests.support import RATIONALE, World, case_at


def _proposed(world: World, contact_id: int) -> list[tuple[int, int]]:
    """(child link, number of current proposals) for every child on the contact."""
    with world.db.session() as session:
        rows = session.execute(
            select(ContactChild.id, func.count(ThresholdDecision.id))
            .outerjoin(
                ThresholdDecision,
                (ThresholdDecision.contact_child_id == ContactChild.id)
                & (ThresholdDecision.status == DecisionStatus.PROPOSED),
            )
            .where(ContactChild.contact_id == contact_id)
            .group_by(ContactChild.id)
        ).all()
    return [(link, count) for link, count in rows]


def test_the_database_keeps_one_current_proposal_per_child(world: World) -> None:
    case = case_at(world, ContactStatus.AGENCY_CHECKS)
    (child,) = case.child_ids
    decisions.propose_decision(
        world.sam, case.id, decisions.DecisionProposal(child, 2, Outcome.EARLY_HELP, "N1", RATIONALE)
    )
    with world.db.engine.connect() as conn:
        link = conn.execute(select(ContactChild.id).where(ContactChild.contact_id == case.id)).scalar_one()
        with pytest.raises(IntegrityError):
            conn.execute(
                text(
                    "INSERT INTO threshold_decision (contact_child_id, level_of_need, outcome, primary_need, "
                    "rationale, status, proposed_by_id, proposed_at) "
                    "SELECT :link, 2, 'EARLY_HELP', 'N1', 'x', 'proposed', proposed_by_id, proposed_at "
                    "FROM threshold_decision WHERE contact_child_id = :link"
                ),
                {"link": link},
            )


def _together(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at the same moment on their own threads; each result or exception, in order."""
    start = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        start.wait()
        try:
            results[index] = call()
        except Exception as exc:  # the outcome under test, whatever it is
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_proposals_made_at_the_same_moment_leave_one_current_each(world: World) -> None:
    case = case_at(world, ContactStatus.AGENCY_CHECKS)
    (child,) = case.child_ids

    def propose(who: str, level: int) -> Callable[[], object]:
        outcome = Outcome.EARLY_HELP if level == 2 else Outcome.CFA_S17
        proposal = decisions.DecisionProposal(child, level, outcome, "N1", RATIONALE)
        return lambda: decisions.propose_decision(world.as_(who), case.id, proposal)

    results = _together(*(propose(who, level) for who in ("sam", "priya") * 3 for level in (2, 3)))
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert [count for _link, count in _proposed(world, case.id)] == [1]
    with world.db.session() as session:
        chain = session.execute(select(ThresholdDecision.id, ThresholdDecision.supersedes_id)).all()
    # every proposal but the first answers exactly one earlier one: none was superseded twice
    superseded = [older for _id, older in chain if older is not None]
    assert len(superseded) == len(set(superseded)) == len(chain) - 1


def test_accepting_and_rejecting_one_hand_off_at_once_gives_one_answer_and_a_clear_refusal(world: World) -> None:
    case = case_at(world, ContactStatus.AWAITING_ACCEPTANCE)
    assert case.handoff_id is not None
    handoff_id = case.handoff_id
    accept = lambda: handoffs.accept_hand_off(world.ava, handoff_id)  # noqa: E731
    reject = lambda: handoffs.reject_hand_off(world.ava, handoff_id, "Not for this team.")  # noqa: E731
    results = _together(accept, reject)
    failures = [r for r in results if isinstance(r, BaseException)]
    assert len(failures) == 1
    assert isinstance(failures[0], IllegalTransition | ConcurrentEdit), failures[0]
    with world.db.session() as session:
        assert session.scalar(select(HandOff.status).where(HandOff.id == handoff_id)) in ("accepted", "rejected")


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_deadlock_is_a_write_collision_and_a_collision_is_tried_again(db: Database) -> None:
    """Two raw connections that lock in opposite orders: PostgreSQL picks a victim with SQLSTATE 40P01."""
    url = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as setup:
        setup.execute("CREATE TABLE IF NOT EXISTS test_locks (id int PRIMARY KEY)")
        setup.execute("INSERT INTO test_locks VALUES (1), (2) ON CONFLICT DO NOTHING")
    met: list[BaseException] = []
    first_locked = threading.Event()
    second_locked = threading.Event()

    def worker(mine: int, theirs: int, locked: threading.Event, other: threading.Event) -> None:
        try:
            with translate_errors(), db.engine.begin() as conn:
                conn.execute(text("SELECT 1 FROM test_locks WHERE id = :id FOR UPDATE"), {"id": mine})
                locked.set()
                other.wait(10)
                conn.execute(text("SELECT 1 FROM test_locks WHERE id = :id FOR UPDATE"), {"id": theirs})
        except BaseException as exc:
            met.append(exc)

    threads = [
        threading.Thread(target=worker, args=(1, 2, first_locked, second_locked)),
        threading.Thread(target=worker, args=(2, 1, second_locked, first_locked)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with psycopg.connect(url, autocommit=True) as setup:
        setup.execute("DROP TABLE test_locks")
    assert len(met) == 1
    assert isinstance(met[0], WriteCollision)
    assert "Nothing of yours was saved" in str(met[0])

    calls: list[int] = []

    @retry_collisions
    def meets_it_once() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise met[0]
        return "saved"

    assert meets_it_once() == "saved"
    assert len(calls) == 2


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_connection_killed_mid_unit_says_nothing_was_saved(world: World) -> None:
    case = case_at(world, ContactStatus.SCREENED)
    url = world.db.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with (  # noqa: PT012 - the unit, the kill and the statement after it are one attempt
        pytest.raises(DatabaseUnavailable, match="Nothing was saved; try again") as info,
        world.sam.unit(write=True) as (session, _actor),
    ):
        backend = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with psycopg.connect(url, autocommit=True) as killer:
            killer.execute("SELECT pg_terminate_backend(%s)", (backend,))
        session.execute(text("UPDATE contact SET updated_at = updated_at WHERE id = :id"), {"id": case.id})
    # the person is told in their own words; the driver's exception is only the cause
    assert not isinstance(info.value, psycopg.Error)
