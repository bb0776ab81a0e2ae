"""What a workstation needs around the use cases: signing in, schema checks, re-authentication at
the idle lock, and refreshing queue rows.

Small read-only helpers for the window; the use cases themselves live in their own modules.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from mash_desk.domain.enums import Role
from mash_desk.domain.errors import DatabaseUnavailable, InvalidInput, PermissionRefused, UnknownUser, WrongPassword
from mash_desk.profiles import EMBEDDED, POSTGRESQL, ConnectionProfile, servers_in_url
from mash_desk.services.admin import prepare_database
from mash_desk.services.context import ServiceContext
from mash_desk.services.policy import load_idle_lock_minutes
from mash_desk.services.queues import Queue, QueueRow, queue_query, rows_for
from mash_desk.store import migrate
from mash_desk.store.database import Database, normalise_url, password_refused
from mash_desk.store.models import Contact, Team, User
from mash_desk.store.queries import lookup
from mash_desk.store.reporting import reports_database

log = logging.getLogger(__name__)

MAX_REFRESH = 500


def profile_for_url(url: str) -> tuple[ConnectionProfile, str | None]:
    """A connection profile (and any password in it) for a database URL given on the command line."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        return ConnectionProfile(name=path or "embedded", kind=EMBEDDED, sqlite_path=path), None
    sslmode = parsed.query.get("sslmode", "prefer")
    sslrootcert = parsed.query.get("sslrootcert", "")
    try:
        servers = servers_in_url(parsed)
    except ValueError as exc:
        raise InvalidInput.single("database", f"{url!r}: {exc}") from exc
    profile = ConnectionProfile(
        name=f"{', '.join(s.host for s in servers)}/{parsed.database or 'mash_desk'}",
        kind=POSTGRESQL,
        host=", ".join(str(s) for s in servers),
        port=servers[0].port,
        database=parsed.database or "mash_desk",
        user=parsed.username or "",
        sslmode=sslmode if isinstance(sslmode, str) else sslmode[0],
        sslrootcert=sslrootcert if isinstance(sslrootcert, str) else sslrootcert[0],
    )
    return profile, parsed.password if isinstance(parsed.password, str) else None


@dataclass(frozen=True)
class SignInUser:
    """Someone who may sign in on the embedded database."""

    username: str
    display_name: str
    role: Role
    team: str | None


@dataclass(frozen=True)
class SchemaVersions:
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def check_database(db: Database) -> SchemaVersions:
    """Reach the database and check its schema: ``DatabaseUnavailable`` or ``SchemaMismatch`` if not usable."""
    db.ping()
    migrate.check_schema(db)
    return schema_versions(db)


def schema_versions(db: Database) -> SchemaVersions:
    """The database's schema revision and this program's, for the About box."""
    return SchemaVersions(migrate.current_revision(db), migrate.head_revision())


def set_up_embedded(db: Database) -> SchemaVersions:
    """Create or upgrade the embedded (SQLite) database in place: one workstation, nobody else to wait for.

    A shared PostgreSQL database is upgraded by its administrator with ``mash-desk db upgrade``.
    """
    if db.is_postgresql:
        raise PermissionRefused("A shared database is upgraded by its administrator with `mash-desk db upgrade`.")
    prepare_database(db)
    return schema_versions(db)


def sign_in_users(db: Database) -> list[SignInUser]:
    """Active users of the embedded database, for the sign-in list (on SQLite the name is taken at its word)."""
    if db.is_postgresql:
        raise PermissionRefused("On a shared database you sign in with your own database login.")
    with db.session() as session:
        teams = lookup(session, select(Team.id, Team.name))
        return [
            SignInUser(u.username, u.display_name, u.role, teams.get(u.team_id) if u.team_id else None)
            for u in session.scalars(select(User).where(User.active.is_(True)).order_by(User.display_name))
        ]


@dataclass(frozen=True)
class WorkstationSettings:
    """What the window reads once at sign-in from the shared settings."""

    idle_lock_minutes: int


def workstation_settings(ctx: ServiceContext) -> WorkstationSettings:
    with ctx.unit() as (session, _actor):
        return WorkstationSettings(idle_lock_minutes=load_idle_lock_minutes(session))


def verify_password(ctx: ServiceContext, password: str) -> None:
    """Prove that whoever is at the workstation knows the signed-in login's password (the idle lock).

    A fresh connection is opened as that login with ``password``; ``WrongPassword`` if the server
    refuses it. A server that does not ask for passwords (trust, certificates, Kerberos) lets the
    connection in, and so does this. The embedded database has no passwords at all.
    """
    db = ctx.db
    if not db.is_postgresql:
        raise InvalidInput.single(
            "password", "The embedded database has no passwords: confirm who you are with the button instead."
        )
    if not password:
        raise InvalidInput.single("password", "Enter your password.")
    actor = ctx.whoami()
    probe = Database(db.url.render_as_string(hide_password=False), login=actor.username, password=password)
    try:
        with probe.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        if not password_refused(exc.orig):
            log.warning("checking %s's password: the database could not be reached (%s)", actor.username, exc.orig)
            raise DatabaseUnavailable(
                "The database could not be reached to check your password. Your work is kept; try again."
            ) from exc
        if not _may_still_sign_in(ctx, actor.username):
            log.warning("checking %s's password: the account has been switched off", actor.username)
            raise UnknownUser(f"The account {actor.username!r} has been switched off.") from exc
        log.info("checking %s's password: the server refused the password typed", actor.username)
        raise WrongPassword(f"That password is not right for {actor.username}.") from exc
    finally:
        probe.dispose()


def use_new_password(db: Database, password: str) -> None:
    """After the person changed their own password, every new connection of this session's pool
    signs in with it (the connections already open stay as they are)."""
    if not db.is_postgresql:
        return

    def _sign_in_with_new_password(_dialect: object, _record: object, _args: object, params: dict[str, object]) -> None:
        params["password"] = password

    for engine in {db.engine, reports_database(db).engine}:  # the reporting server's login is the same
        event.listen(engine, "do_connect", _sign_in_with_new_password)


def _may_still_sign_in(ctx: ServiceContext, login: str) -> bool:
    """Whether the login may still connect here, asked over the session already open (so that a
    refusal for any other reason than the password is not called a wrong password)."""
    with ctx.unit() as (session, _actor):
        return bool(
            session.scalar(
                text(
                    "SELECT rolcanlogin AND has_database_privilege(rolname, current_database(), 'CONNECT') "
                    "FROM pg_roles WHERE rolname = :login"
                ),
                {"login": login},
            )
        )


@dataclass(frozen=True)
class QueueRefresh:
    """The asked-for contacts that (still) belong in a queue, and the queue's new length."""

    rows: tuple[QueueRow, ...]
    total: int


def queue_rows(
    ctx: ServiceContext, queue: Queue, contact_ids: Collection[int], *, search: str | None = None
) -> QueueRefresh:
    """Fresh rows for changed contacts, so an open queue updates those lines instead of reloading."""
    if len(contact_ids) > MAX_REFRESH:
        raise InvalidInput.single("contact_ids", f"Refresh at most {MAX_REFRESH} rows at a time.")
    with ctx.unit() as (session, actor):
        query = queue_query(actor, queue, search)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        if not contact_ids:
            return QueueRefresh((), total)
        contacts = list(session.scalars(query.where(Contact.id.in_(sorted(contact_ids)))))
        return QueueRefresh(tuple(rows_for(session, contacts)), total)


def managers(ctx: ServiceContext) -> list[tuple[str, str]]:
    """Active team managers (login, name), for "who authorised sharing without consent"."""
    with ctx.unit() as (session, _actor):
        return [
            (u.username, u.display_name)
            for u in session.scalars(
                select(User).where(User.role == Role.MANAGER, User.active.is_(True)).order_by(User.display_name)
            )
        ]
