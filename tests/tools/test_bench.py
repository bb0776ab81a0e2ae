"""The benchmark runs end to end on a small demo (the real numbers come from a 250,000-contact demo)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.patterns import window_start
from mash_desk.services.context import ServiceContext
from mash_desk.services.patterns import history_for, load_thresholds
from mash_desk.services.queues import OPEN_STATES, Queue, queue_page
from mash_desk.store.database import Database
from mash_desk.store.models import ContactChild
from mash_desk.tools.bench import BenchReport, Measurement, _Bare, percentile, run_benchmarks
from mash_desk.tools.demo import generate_demo

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
READS = (
    "queue: my open work, first page",
    "queue: team, first page",
    "queue: decisions, first page",
)
# search ranks in Python (no bare twin can return the same rows); opening a contact reads
SEARCHES = ("search: 3-letter family prefix + DOB", "search: 3-letter family prefix only")
OPEN = ("open contact (busiest contacts)",)
PERSON = ("open person record (40 contacts)",)
WRITES = ("claim next unassigned (writes)", "propose a decision (writes)")


def test_every_measurement_runs_on_a_small_demo(db: Database) -> None:
    generate_demo(db, contacts=120, seed=3, now=NOW)
    report = run_benchmarks(db, repeats=3)
    assert isinstance(report, BenchReport)
    assert report.contacts == 120
    names = [m.name for m in report.measurements]
    assert names == [*READS, *SEARCHES, *OPEN, *PERSON, *WRITES]
    for measurement in report.measurements:
        assert measurement.samples == 3
        assert 0 < measurement.p50_ms <= measurement.p95_ms
        if measurement.name in (*READS, *OPEN):
            assert measurement.bare_p50_ms is not None
            assert measurement.bare_p50_ms > 0
            assert measurement.ratio is not None
            assert measurement.ratio > 0
        else:
            assert measurement.bare_p50_ms is None
    with db.session() as session:
        busiest = session.execute(
            select(ContactChild.person_id, func.count()).group_by(ContactChild.person_id).order_by(func.count().desc())
        ).first()
    assert busiest is not None
    assert busiest[1] >= 40  # the person record was timed with forty contacts (the demo closes enough of its 120)
    table = report.describe()
    for name in names:
        assert name in table


def test_the_benchmark_needs_the_demo_users(db: Database) -> None:
    with pytest.raises(InvalidInput):
        run_benchmarks(db, repeats=1)


def test_percentiles_and_targets() -> None:
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5) == 3.0
    assert percentile([float(n) for n in range(1, 101)], 0.95) == 95.0
    slow = Measurement("x", "sam", 10, p50_ms=40.0, p95_ms=150.0, bare_p50_ms=10.0, bare_p95_ms=12.0)
    assert slow.ratio == 4.0
    assert len(slow.misses) == 2
    fine = Measurement("y", "sam", 10, p50_ms=2.0, p95_ms=3.0, bare_p50_ms=1.0, bare_p95_ms=1.5)
    assert not fine.misses


@pytest.mark.parametrize("queue", [Queue.MINE, Queue.TEAM])
def test_a_queue_twin_reads_what_the_service_reads(db: Database, queue: Queue) -> None:
    """The bare twin of a queue page reads the same rows: the page, and what its patterns are made of."""
    generate_demo(db, contacts=120, seed=3, now=NOW)
    sam = ServiceContext(db, "sam")
    actor = sam.whoami()
    bare = _Bare(db)
    try:
        worker_or_team = actor.id if queue is Queue.MINE else actor.team_id
        read = bare.queue(queue, [worker_or_team], [s.value for s in OPEN_STATES])
    finally:
        bare.close()
    assert isinstance(read, tuple)
    total, page, _names, history = read
    served = queue_page(sam, queue)
    assert ([row[0] for row in page], total) == ([row.contact_id for row in served.rows], served.total)
    assert served.rows, "the demo gives sam work to time"
    with db.session() as session:
        policy = load_thresholds(session)
        children = set(
            session.scalars(
                select(ContactChild.person_id).where(ContactChild.contact_id.in_([r.contact_id for r in served.rows]))
            )
        )
        received = [row.received_at for row in served.rows]
        expected = history_for(session, children, window_start(min(received), policy.longest_months), max(received))
    assert {(row[0], row[1]) for row in history} == {
        (person_id, item.contact_id) for person_id, items in expected.items() for item in items
    }
