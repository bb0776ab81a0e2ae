"""A hub database on the private cluster, worked by real logins with passwords (never ``SET ROLE``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg

from mash_desk.services import admin
from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from tests.pgcluster import PrivateCluster
from tests.support import FrozenClock, World, build_world, snapshot


@dataclass
class LoginWorld(World):
    """The usual cast (tests.support), each person on their own connection, signed in with a password."""

    cluster: PrivateCluster | None = None
    database: str = ""
    passwords: dict[str, str] = field(default_factory=dict)
    _databases: dict[str, Database] = field(default_factory=dict)

    def as_(self, who: str) -> ServiceContext:
        login = self.logins[who]
        if login not in self._databases:
            assert self.cluster is not None
            self._databases[login] = Database(self.cluster.url_for(login, self.passwords[login], self.database))
        # no login name given: the person working is whoever the connection signed in as
        return ServiceContext(self._databases[login], None, clock=self.clock)

    def connect(self, who: str) -> psycopg.Connection[tuple[object, ...]]:
        """A raw connection as ``who``, as psql or Excel would make it."""
        assert self.cluster is not None
        login = self.logins[who]
        return psycopg.connect(self.cluster.conninfo(login, self.passwords[login], self.database))

    def dispose(self) -> None:
        for database in self._databases.values():
            database.dispose()
        self.db.dispose()


def build_login_world(cluster: PrivateCluster, name: str | None = None) -> LoginWorld:
    """A migrated hub database with the tests' cast, each with a SCRAM password (the caller disposes of it)."""
    tag = uuid.uuid4().hex[:8]
    name = name or f"hub_{tag}"
    owner_url = cluster.create_database(name)
    owner = Database(owner_url)
    admin.prepare_database(owner)
    clock = FrozenClock()
    built = build_world(owner, clock, tag=tag)
    world = LoginWorld(db=owner, clock=clock, logins=built.logins, teams=built.teams, cluster=cluster, database=name)
    acting = ServiceContext(owner, built.logins["admin"], clock=clock)
    for login in built.logins.values():
        password = f"pw-{uuid.uuid4().hex}"
        admin.set_user_password(acting, login, password)
        world.passwords[login] = password
    return world


@contextmanager
def login_world(cluster: PrivateCluster, name: str | None = None) -> Iterator[LoginWorld]:
    """A migrated hub database with the tests' cast, each with a SCRAM password; dropped afterwards."""
    world = build_login_world(cluster, name)
    try:
        yield world
    finally:
        world.dispose()
        with cluster.connect_superuser() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{world.database}" WITH (FORCE)')


def refused(world: LoginWorld, who: str, sql: str | Sequence[str], params: dict[str, object] | None = None) -> str:
    """Run ``sql`` as ``who``'s own login and return the server's refusal; fail if it was accepted
    or if any row of any table changed (audit included)."""
    before = snapshot(world.db)
    with world.connect(who) as conn:
        try:
            with conn.transaction():
                for statement in [sql] if isinstance(sql, str) else sql:
                    conn.execute(statement, params)
        except psycopg.errors.InsufficientPrivilege as exc:
            message = exc.diag.message_primary or ""
        else:
            raise AssertionError(f"the database accepted {sql!r} from {who}")
    assert snapshot(world.db) == before, f"{sql!r} from {who} changed rows although it was refused"
    return message
