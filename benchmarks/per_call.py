"""Per-call overhead in one process: ``python benchmarks/per_call.py URL [--calls N]``.

On a demo database (``mash-desk demo``), calls ``whoami``, the three queue reads ``mash-desk bench`` times,
opening a contact, and each read's bare-driver twin (``mash_desk.tools.bench``) in turn, ``--calls`` times,
and prints each one's median wall time and median CPU time of the calling thread, and the ratios. Every
path meets the same moment's load (they take turns call by call), and CPU time is what a loaded machine
inflates least: on a shared machine this says more about a change than ``bench`` can. To compare two
source trees, run it once with each on ``PYTHONPATH``, alternately. Reads only; opening a contact writes
its audit row, as the window's does.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from mash_desk.domain.enums import ContactStatus
from mash_desk.services.contact_view import open_contact
from mash_desk.services.context import ServiceContext
from mash_desk.services.queues import OPEN_STATES, Queue, queue_page
from mash_desk.store.database import Database
from mash_desk.tools.bench import _Bare, _fixtures

READS = ("mine", "team", "decisions", "contact")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", help="a demo database")
    parser.add_argument("--calls", type=int, default=100, help="calls of each path (default 100)")
    args = parser.parse_args(argv)
    db = Database(args.url)
    fixtures = _fixtures(db)
    sam, maria = ServiceContext(db, "sam"), ServiceContext(db, "maria")
    bare = _Bare(db)
    open_states = [state.value for state in OPEN_STATES]
    awaiting = [ContactStatus.AWAITING_AUTHORISATION.value]
    busiest, sam_id = fixtures.busy_contacts[0], fixtures.users["sam"]
    paths: dict[str, Callable[[], object]] = {
        "whoami": sam.whoami,
        "mine": lambda: queue_page(sam, Queue.MINE),
        "team": lambda: queue_page(sam, Queue.TEAM),
        "decisions": lambda: queue_page(maria, Queue.DECISIONS),
        "contact": lambda: open_contact(sam, busiest),
        "bare mine": lambda: bare.queue(Queue.MINE, [sam_id], open_states),
        "bare team": lambda: bare.queue(Queue.TEAM, [fixtures.sam_team], open_states),
        "bare decisions": lambda: bare.queue(Queue.DECISIONS, [], awaiting),
        "bare contact": lambda: bare.contact(busiest, sam_id, "sam", datetime.now(UTC)),
    }
    wall: dict[str, list[float]] = {name: [] for name in paths}
    cpu: dict[str, list[float]] = {name: [] for name in paths}
    try:
        for _ in range(5):
            for path in paths.values():
                path()
        gc.collect()
        for _ in range(args.calls):
            for name, path in paths.items():
                cpu_started, started = time.thread_time(), time.perf_counter()
                path()
                wall[name].append((time.perf_counter() - started) * 1000)
                cpu[name].append((time.thread_time() - cpu_started) * 1000)
    finally:
        bare.close()
        db.dispose()
    print(f"{args.calls} calls of each path on {db.describe()}; load average {os.getloadavg()}")
    for name in paths:
        print(
            f"{name:16} median {statistics.median(wall[name]):8.3f} ms wall {statistics.median(cpu[name]):8.3f} ms CPU"
        )
    for name in READS:
        over_wall = statistics.median(wall[name]) / statistics.median(wall[f"bare {name}"])
        over_cpu = statistics.median(cpu[name]) / statistics.median(cpu[f"bare {name}"])
        print(f"ratio to its twin: {name:10} wall {over_wall:6.2f}  CPU {over_cpu:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
