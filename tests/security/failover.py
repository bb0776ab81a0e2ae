"""A hub that fails over: a private primary, its synchronous hot standby, a hub database on them with
the tests' cast (real logins, SCRAM passwords, TLS verify-full), and the connection profile a
workstation would be given — both servers, and the standby as the reporting server.

Every failover test gets a pair of its own: a test that crashes the primary cannot give it back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from psycopg import sql
from sqlalchemy import event, func, select

from mash_desk.profiles import POSTGRESQL, ConnectionProfile, validate_profile
from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from mash_desk.store.models import Base
from tests.pgcluster import PrivateCluster, StandbyCluster
from tests.security.hub import LoginWorld, build_login_world

HOST = "localhost"  # both servers' certificate names it (and 127.0.0.1)


@dataclass
class FailoverHub:
    primary: PrivateCluster
    standby: StandbyCluster
    world: LoginWorld
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds: the standby's start (base backup to streaming), the crash and the promotion."""
    opened: list[Database] = field(default_factory=list)

    def profile(self, *, reporting: bool = True) -> ConnectionProfile:
        """What IT would lay down: both servers (libpq keeps the read-write one), verify-full against
        the hub's CA, and the standby for reports (the primary after it, should the standby be gone)."""
        return validate_profile(
            {
                "name": "Hub (two servers)",
                "kind": POSTGRESQL,
                "host": f"{HOST}:{self.primary.port}, {HOST}:{self.standby.port}",
                "database": self.world.database,
                "sslmode": "verify-full",
                "sslrootcert": str(self.standby.ca_file),
                "reporting_url": f"{HOST}:{self.standby.port}, {HOST}:{self.primary.port}" if reporting else "",
            }
        )

    def password(self, who: str) -> str:
        return self.world.passwords[self.world.logins[who]]

    def url(self, who: str, server: PrivateCluster) -> str:
        """``who``'s own URL for one of the two servers (what a script would be given)."""
        return server.url_for(self.world.logins[who], self.password(who), self.world.database)

    def sign_in(self, who: str, *, reporting: bool = True) -> ServiceContext:
        """``who`` at a workstation: their own login and password, through the two-server profile."""
        db = self.profile(reporting=reporting).open_database(login=self.world.logins[who], password=self.password(who))
        self.opened.append(db)
        return ServiceContext(db, None, clock=self.world.clock)

    def fail_over(self) -> None:
        """The primary dies (``pg_ctl stop -m immediate``) and the standby is promoted."""
        self.crash()
        self.promote()

    def crash(self) -> None:
        started = time.monotonic()
        self.primary.crash()
        self.timings["crash"] = time.monotonic() - started

    def promote(self) -> None:
        started = time.monotonic()
        self.standby.promote()
        self.timings["promotion"] = time.monotonic() - started

    def count(self, table: str, **equal: object) -> int:
        """Rows in ``table`` (whose columns have the values in ``equal``), read as the superuser on the
        primary while it runs, else on the standby."""
        columns = Base.metadata.tables[table].columns
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        if equal:
            assert set(equal) <= set(columns.keys())
            query += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(
                sql.SQL("{} = {}").format(sql.Identifier(name), sql.Placeholder(name)) for name in equal
            )
        server = self.primary if self.primary.running else self.standby
        with server.connect_superuser(self.world.database) as conn:
            row = conn.execute(query, equal).fetchone()
        assert row is not None
        assert isinstance(row[0], int)
        return row[0]


def crash_before(db: Database, statement: str, hub: FailoverHub, *, promote: bool = False) -> Callable[[], bool]:
    """The next time ``db`` is about to send a statement starting with ``statement``, the primary dies
    (and the standby is promoted, if asked): the statement then meets a dead connection mid-unit.
    Returns a function telling whether it has happened."""
    happened: list[bool] = []

    def before(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if happened or not sql.lstrip().upper().startswith(statement.upper()):
            return
        happened.append(True)
        hub.crash()
        if promote:
            hub.promote()

    event.listen(db.engine, "before_cursor_execute", before)
    return lambda: bool(happened)


def rows(db: Database, table: str) -> int:
    """Rows in ``table`` as ``db`` sees them (a login sees what its row-level security shows it)."""
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Base.metadata.tables[table])) or 0)


@contextmanager
def failover_hub(*, synchronous: bool = True) -> Iterator[FailoverHub]:
    """A primary with a hot standby (synchronous unless asked) and a hub database on them; all gone afterwards."""
    primary = PrivateCluster().start()
    standby: StandbyCluster | None = None
    world: LoginWorld | None = None
    hub: FailoverHub | None = None
    try:
        started = time.monotonic()
        standby = primary.start_standby(synchronous=synchronous)
        standby_start = time.monotonic() - started
        world = build_login_world(primary)
        # a hub's standby has long been streaming before anyone signs in: until it has replayed the
        # hub's database and logins, libpq would pass a reporting sign-in on to the primary
        standby.wait_caught_up()
        hub = FailoverHub(primary, standby, world, timings={"standby start": standby_start})
        yield hub
    finally:
        for db in hub.opened if hub is not None else []:
            db.dispose()
        if world is not None:
            world.dispose()
        if standby is not None:
            standby.stop()
        primary.stop()
