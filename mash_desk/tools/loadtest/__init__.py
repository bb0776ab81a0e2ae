"""``mash-desk loadtest``: many workstations, faults, and every invariant checked afterwards.

``run_loadtest`` sets a database up (a modest demo if it is empty), runs workstation threads (in
one process per CPU by default) that each sign in as a demo user on their own connection pool and
work the real services as the window calls them, injects faults (killed PostgreSQL backends, or
another SQLite connection holding ``BEGIN EXCLUSIVE``), and then checks with SQL what must hold:
no double claims, no lost updates, every record with its audit row, one current proposal per child,
every status move allowed by ``domain.lifecycle``, no raw exception or driver message reaching a
person, every fault resolved by Retry, every change seen by every workstation's change feed.
"""

from mash_desk.tools.loadtest.run import LoadTestOptions, LoadTestReport, role_mix, run_loadtest

__all__ = ["LoadTestOptions", "LoadTestReport", "role_mix", "run_loadtest"]
