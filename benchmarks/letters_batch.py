"""How fast business support's batch issues outcome letters: ``python -m benchmarks.letters_batch``.

Builds a fresh SQLite database (or uses ``--db URL`` on an empty PostgreSQL database), takes
``--contacts`` contacts through the real services to an authorised decision on one day, then times
``issue_batch`` over every letter due that day (a referrer and a family letter per contact): render,
hash, store and audit each one in its own transaction. The target is at least 50 letters a second.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from mash_desk.services import letters
from mash_desk.services.admin import prepare_database
from mash_desk.store.database import Database
from tests.letters.journeys import decide
from tests.support import FrozenClock, build_world

TARGET_PER_SECOND = 50


def run(db: Database, contacts: int) -> float:
    clock = FrozenClock()
    world = build_world(db, clock)
    for _ in range(contacts):
        decide(world)
    jobs = letters.letters_due(world.bea, clock().date())
    started, cpu_started = time.perf_counter(), time.process_time()
    result = letters.issue_batch(world.bea, jobs)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert len(result.issued) == len(jobs) == 2 * contacts, result
    rate = len(result.issued) / elapsed
    print(
        f"{len(result.issued)} letters in {elapsed:.2f} s: {rate:.1f} letters/second (target {TARGET_PER_SECOND}); "
        f"{1000 * cpu / len(result.issued):.1f} ms of CPU per letter"
    )
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100, help="decided contacts (two letters each)")
    parser.add_argument("--db", help="an empty database URL (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        db = Database(args.db or f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        prepare_database(db)
        try:
            rate = run(db, args.contacts)
        finally:
            db.dispose()
    return 0 if rate >= TARGET_PER_SECOND else 1


if __name__ == "__main__":
    sys.exit(main())
