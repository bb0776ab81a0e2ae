"""Who is working, on which database: the first argument of every service call.

On PostgreSQL the person working *is* the database login (``current_user``): the client never
sends a user id that the database believes. A superuser connection may act as another login with
``SET LOCAL ROLE`` (demo data, tests, benchmarks) — PostgreSQL itself checks that it may. On
SQLite, a single workstation, the local sign-in name is taken at its word.
"""

from __future__ import annotations

import functools
import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ParamSpec, TypeVar

from sqlalchemy import Connection, Dialect, TextualSelect, bindparam, func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from mash_desk.domain.enums import ContactStatus, Role, TeamKind
from mash_desk.domain.errors import IllegalTransition, PermissionRefused, UnknownUser, WriteCollision
from mash_desk.domain.lifecycle import ACTION_WORDS, STATUS_WORDS, Action, role_may, state_allows
from mash_desk.domain.timescales import WorkingCalendar
from mash_desk.store.database import LAST_RESULT, Database
from mash_desk.store.models import Agency, AuditEvent, Team, User

log = logging.getLogger(__name__)
NOT_STAFF_SQLSTATES = frozenset({"42P01", "42501"})  # undefined_table, insufficient_privilege


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Actor:
    """The signed-in person, as the database knows them."""

    id: int
    username: str
    display_name: str
    role: Role
    team_id: int | None
    agency_id: int
    agency_code: str
    agency_name: str
    team_name: str | None
    job_title: str | None
    team_kind: TeamKind | None = None
    """What kind of team they are in (a MASH, or a team receiving hand-offs), if any."""


def _identify_as(db: Database, login: str) -> TextualSelect:
    """A superuser connection acting as ``login`` (PostgreSQL): ``SET LOCAL ROLE`` and who that is, two
    statements in one message, so one round trip. The server runs them in turn: the role is switched (and
    checked) before the second statement asks who is working, exactly as when they were sent apart."""
    dialect = db.engine.dialect
    role = dialect.identifier_preparer.quote(login)
    statement = f"SET LOCAL ROLE {role}; {_who_is_working(dialect)}"
    # text() reads ":name" as a parameter and doubles "%" for the driver itself: only the colons need escaping
    return (
        text(statement.replace(":", "\\:")).columns(*_ACTOR.selected_columns).execution_options(**{LAST_RESULT: True})
    )


@functools.cache
def _who_is_working(dialect: Dialect) -> str:
    """``_ACTOR_BY_CURRENT_USER`` as SQL text for ``dialect`` (it has no parameters), compiled once."""
    return str(_ACTOR_BY_CURRENT_USER.compile(dialect=dialect))


class ServiceContext:
    """A database, the person using it, and the clock; cheap to make, safe to share between threads."""

    def __init__(
        self,
        db: Database,
        login: str | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self.db = db
        self.login = login
        self.clock = clock
        self.calendar = calendar or WorkingCalendar()
        # a superuser connection acting as ``login`` (PostgreSQL): the statement, built once, runs in
        # every unit (SET LOCAL ends with the transaction), so the server checks the role each time
        self._identify_as = _identify_as(db, login) if db.is_postgresql and login is not None else None

    def as_user(self, login: str) -> ServiceContext:
        """The same database and clock, working as someone else (tests, demo data, benchmarks)."""
        return ServiceContext(self.db, login, clock=self.clock, calendar=self.calendar)

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def unit(self, *, write: bool = False) -> Iterator[tuple[Session, Actor]]:
        """A unit of work as the signed-in person: the session and who they are."""
        with self.db.session(write=write) as session:
            actor = self._resolve_actor(session)
            yield session, actor

    @contextmanager
    def read(self) -> Iterator[tuple[Connection, Actor]]:
        """A read-only unit as the signed-in person on a Core connection (no ORM session): for reads
        that select columns, not objects. Who is working is resolved here exactly as in ``unit``."""
        with self.db.reading() as conn:
            yield conn, self._identify(conn)

    @contextmanager
    def read_then_audit(
        self, action: str, entity: str, entity_id: int, now: datetime, *, contact_id: int | None = None
    ) -> Iterator[tuple[Connection, Actor]]:
        """A read unit as ``read``, audited when (and only if) the read finishes: who opened what.

        On PostgreSQL the database's own audit function writes the row inside the read's transaction, which
        then commits: one unit, one role switch (checked by the server), one identity read, and the row
        commits with the read or not at all. On SQLite the row has its own short write unit after the read,
        as ``BEGIN IMMEDIATE`` would make the read wait for the write lock: a Core connection, written as
        the person the read has just identified (one action, one look-up of who is working; the next action
        looks again).
        """
        if not self.db.is_postgresql:
            with self.read() as (conn, actor):
                yield conn, actor
            self.record_opening(action, entity, entity_id, now, contact_id=contact_id, read_by=actor)
            return
        with self.db.reading(commit=True) as conn:
            actor = self._identify(conn)
            yield conn, actor
            audit_on(conn, actor, action, entity, entity_id, at=now, contact_id=contact_id)

    def record_opening(
        self,
        action: str,
        entity: str,
        entity_id: int,
        now: datetime,
        *,
        contact_id: int | None = None,
        read_by: Actor | None = None,
    ) -> None:
        """The "opened" row for a read that has finished, in its own short write unit on a Core connection: the
        read never waited for the write lock, and nothing is recorded of a read that failed.

        ``read_by``: who the read just identified, on SQLite (one action, one look-up of who is working; the
        next action looks again). On PostgreSQL who is working is asked of the server in this unit, always.
        """
        with self.db.writing() as conn:
            actor = read_by if read_by is not None and not self.db.is_postgresql else self._identify(conn)
            audit_on(conn, actor, action, entity, entity_id, at=now, contact_id=contact_id)

    def _resolve_actor(self, session: Session) -> Actor:
        return self._identify(session.connection())

    def _identify(self, conn: Connection) -> Actor:
        # resolved in every unit, never cached: an account switched off, or a role changed, takes effect
        # on the person's next action; the statements are built once and run as Core (no ORM state)
        if self.db.is_postgresql:
            # the database says who this is: one round trip, no name taken from the client
            try:
                who = _ACTOR_BY_CURRENT_USER if self._identify_as is None else self._identify_as
                row = conn.execute(who).one_or_none()
            except DBAPIError as exc:
                # a login outside this hub's staff cannot even see the schema (42P01) or read it (42501)
                if getattr(exc.orig, "sqlstate", None) not in NOT_STAFF_SQLSTATES:
                    raise
                raise UnknownUser(
                    "This login is not a MASH Desk staff account of this hub. Ask your administrator."
                ) from exc
            login = row.username if row is not None else conn.execute(text("SELECT current_user")).scalar_one()
        else:
            if self.login is None:
                raise UnknownUser("Sign in first: no user name was given for this workstation.")
            login = self.login
            row = conn.execute(_ACTOR_BY_NAME, {"login": login}).one_or_none()
        if row is None:
            raise UnknownUser(f"{login!r} is not a MASH Desk user. Ask your administrator to add you.")
        if not row.active:
            raise UnknownUser(f"The account {login!r} has been switched off.")
        return Actor(
            id=row.id,
            username=row.username,
            display_name=row.display_name,
            role=row.role,
            team_id=row.team_id,
            agency_id=row.agency_id,
            agency_code=row.code,
            agency_name=row.agency_name,
            team_name=row.team_name,
            job_title=row.job_title,
            team_kind=row.kind,
        )

    def whoami(self) -> Actor:
        with self.read() as (_conn, actor):
            return actor


_ACTOR = (
    select(
        User.id,
        User.username,
        User.display_name,
        User.role,
        User.team_id,
        User.agency_id,
        User.active,
        User.job_title,
        Agency.code,
        Agency.name.label("agency_name"),
        Team.name.label("team_name"),
        Team.kind,
    )
    .join(Agency, Agency.id == User.agency_id)
    .outerjoin(Team, Team.id == User.team_id)
)
_ACTOR_BY_NAME = _ACTOR.where(User.username == bindparam("login"))
_ACTOR_BY_CURRENT_USER = _ACTOR.where(User.username == func.current_user())

WRITE_ATTEMPTS = 3
_P = ParamSpec("_P")
_R = TypeVar("_R")


def retry_collisions(service: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a write service again when its unit met another in the database (a deadlock or a
    serialisation failure): the unit was rolled back whole, so trying again is safe. After
    ``WRITE_ATTEMPTS`` the person is told, as for any concurrent edit."""

    @functools.wraps(service)
    def attempt(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        for tries in range(1, WRITE_ATTEMPTS + 1):
            try:
                return service(*args, **kwargs)
            except WriteCollision:
                if tries == WRITE_ATTEMPTS:
                    raise
                log.info("%s met another save; trying again (%d of %d)", service.__name__, tries + 1, WRITE_ATTEMPTS)
                time.sleep(0.02 * tries * (1 + random.random()))
        raise AssertionError("unreachable")

    return attempt


def require(actor: Actor, action: Action, status: ContactStatus | None = None) -> None:
    """Refuse an action the actor's role or the contact's state does not allow."""
    if not role_may(actor.role, action):
        raise PermissionRefused(f"Your role ({actor.role.value.replace('_', ' ')}) cannot {ACTION_WORDS[action]}.")
    if status is not None and not state_allows(status, action):
        raise IllegalTransition(f"You cannot {ACTION_WORDS[action]} while the contact is {STATUS_WORDS[status]}.")


def audit(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    at: datetime,
    contact_id: int | None = None,
    detail: dict[str, object] | None = None,
) -> None:
    """Write one audit row: who, when, what, which record (a Core insert: no ORM object to track).

    On PostgreSQL staff cannot insert into the trail: the database's own function writes the row,
    taking who and when from the server, whatever this workstation believes.
    """
    # statements built once, on the session's connection: an ORM insert re-built and re-checked its values
    # on every call, and a contact's opening writes one each time. Flushed first, as the ORM's own
    # execute would: the row may name a record added in this unit.
    session.flush()
    audit_on(session.connection(), actor, action, entity, entity_id, at=at, contact_id=contact_id, detail=detail)


def audit_on(
    conn: Connection,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    at: datetime,
    contact_id: int | None = None,
    detail: dict[str, object] | None = None,
) -> None:
    """``audit`` on a Core connection, in its transaction (a unit with no ORM session)."""
    detail_text = json.dumps(detail, default=str, sort_keys=True) if detail else None
    row = {"action": action, "entity": entity, "entity_id": entity_id, "contact_id": contact_id, "detail": detail_text}
    if conn.dialect.name == "postgresql":
        conn.execute(_AUDIT_BY_SERVER, row)
        return
    conn.execute(_AUDIT_ROW, {**row, "at": at, "actor_id": actor.id, "actor_login": actor.username})


_AUDIT_BY_SERVER = text("SELECT mash_desk_audit(:action, :entity, :entity_id, :contact_id, :detail)")
_AUDIT_ROW = insert(AuditEvent)


def audit_export(ctx: ServiceContext, action: str, detail: dict[str, object]) -> None:
    """Record that personal data is leaving the hub in a file, in its own write unit.

    Called after the data is read and before the file is written: if the trail cannot be written,
    nothing is written to disk, so no export leaves without a record of who took it and what it held.
    """
    with ctx.unit(write=True) as (session, actor):
        audit(session, actor, action, "export", None, at=ctx.now(), detail=detail)
