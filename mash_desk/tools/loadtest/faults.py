"""Faults injected while the workstations work, each from its own connection.

- PostgreSQL: ``pg_terminate_backend`` of a workstation's server process, ``kills`` times spread
  over the run, preferring one that is in the middle of a unit of work (its pool would recover an
  idle one on the next checkout without anyone noticing). Needs a login that may signal the
  workstations' backends (a superuser, or the same login with ``pg_signal_backend``).
- SQLite: another connection takes ``BEGIN EXCLUSIVE`` every so often and holds it, like a backup
  tool or a second program; every fifth hold outlasts the writers' 10-second busy timeout, so some
  saves do fail with "busy" and are retried.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from dataclasses import dataclass, field

import psycopg

from mash_desk.store.database import Database

BUSY_STATES = ("active", "idle in transaction")
LONG_HOLD_EVERY = 5
LONG_HOLD_SECONDS = 12.0  # longer than PRAGMA busy_timeout (10 s)


@dataclass
class FaultLog:
    """What was injected, for the report."""

    kind: str
    planned: int = 0
    injected: int = 0
    mid_unit: int = 0  # PostgreSQL: backends killed in a transaction or a statement
    long_holds: int = 0  # SQLite: holds longer than the busy timeout
    held_seconds: float = 0.0
    refused: list[str] = field(default_factory=list)  # why an injection failed

    def describe(self) -> str:
        if self.kind == "kill":
            return (
                f"{self.injected} of {self.planned} backends killed with pg_terminate_backend "
                f"({self.mid_unit} in the middle of a unit of work, {self.injected - self.mid_unit} idle in a pool)"
            )
        if self.kind == "exclusive":
            return (
                f"BEGIN EXCLUSIVE held {self.injected} times by another connection, {self.held_seconds:.0f} s in all "
                f"({self.long_holds} holds longer than the 10 s busy timeout)"
            )
        return "no faults injected"


class FaultInjector(threading.Thread):
    """Runs beside the workstations between ``start_at`` and ``end_at`` (wall clock)."""

    def __init__(self, db: Database, log: FaultLog, start_at: float, end_at: float, seed: int, every: float) -> None:
        super().__init__(name="loadtest-faults", daemon=True)
        self.db = db
        self.log = log
        self.start_at = start_at
        self.end_at = end_at
        self.rng = random.Random(seed)
        self.every = every
        self.stopped = threading.Event()

    def stop(self) -> None:
        self.stopped.set()
        self.join(LONG_HOLD_SECONDS + 5)

    def _sleep_until(self, moment: float) -> bool:
        """Wait for ``moment``; False if the run ended or we were stopped first."""
        while not self.stopped.is_set():
            left = min(moment, self.end_at) - time.time()
            if left <= 0:
                return time.time() < self.end_at
            self.stopped.wait(min(left, 0.2))
        return False

    def run(self) -> None:
        try:
            if self.log.kind == "kill":
                self._kill_backends()
            elif self.log.kind == "exclusive":
                self._hold_exclusive()
        except Exception as exc:  # the injector's own failure is reported, never hidden
            self.log.refused.append(f"{exc.__class__.__name__}: {exc}")

    # --- PostgreSQL --------------------------------------------------------------------------------

    def _kill_backends(self) -> None:
        conninfo = self.db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True, application_name="mash-desk-loadtest-faults") as conn:
            span = self.end_at - self.start_at
            for number in range(self.log.planned):
                moment = self.start_at + span * (number + self.rng.uniform(0.2, 0.8)) / self.log.planned
                if not self._sleep_until(moment):
                    return
                self._kill_one(conn)

    def _kill_one(self, conn: psycopg.Connection[tuple[object, ...]]) -> None:
        candidates: list[tuple[object, ...]] = []
        for _look in range(40):  # catch one mid-unit if we can: that is the fault that matters
            candidates = conn.execute(
                "SELECT pid, state FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name LIKE 'mash-desk-loadtest-ws%%' AND pid <> pg_backend_pid()"
            ).fetchall()
            busy = [row for row in candidates if row[1] in BUSY_STATES]
            if busy:
                candidates = busy
                break
            time.sleep(0.005)
        if not candidates:
            self.log.refused.append("no workstation backend to kill")
            return
        pid, state = self.rng.choice(candidates)
        killed = conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()
        if killed and killed[0]:
            self.log.injected += 1
            self.log.mid_unit += state in BUSY_STATES
        else:
            self.log.refused.append(f"pg_terminate_backend({pid}) returned false")

    # --- SQLite ------------------------------------------------------------------------------------

    def _hold_exclusive(self) -> None:
        path = str(self.db.url.database)
        conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        try:
            moment = self.start_at
            while True:
                moment += self.every * self.rng.uniform(0.6, 1.4)
                if not self._sleep_until(moment):
                    return
                long = (self.log.injected + 1) % LONG_HOLD_EVERY == 0
                hold = LONG_HOLD_SECONDS if long else self.rng.uniform(0.5, 3.0)
                conn.execute("BEGIN EXCLUSIVE")
                taken = time.time()
                try:
                    self.stopped.wait(hold)
                finally:
                    conn.execute("ROLLBACK")
                self.log.injected += 1
                self.log.long_holds += long
                self.log.held_seconds += time.time() - taken
        finally:
            conn.close()
