"""Starting a workstation: the database it connects to, its schema checked (or the embedded one set
up), who may sign in on the embedded database, and the shared settings read at sign-in.

Re-authentication at the idle lock is ``services.reauthentication``; refreshing queue rows is
``services.queues.queue_rows``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from mash_desk.domain.enums import Role
from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.profiles import EMBEDDED, POSTGRESQL, ConnectionProfile, servers_in_url
from mash_desk.services.admin import prepare_database
from mash_desk.services.context import ServiceContext
from mash_desk.services.policy import load_idle_lock_minutes
from mash_desk.store import migrate
from mash_desk.store.database import Database, normalise_url
from mash_desk.store.models import Agency, Team, User
from mash_desk.store.queries import lookup


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
    agency: str | None = None
    """The partner agency a partner's login belongs to (staff of the hub's own council: none)."""


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
        agencies = lookup(session, select(Agency.id, Agency.name))
        return [
            SignInUser(
                u.username,
                u.display_name,
                u.role,
                teams.get(u.team_id) if u.team_id else None,
                agencies.get(u.agency_id) if u.role is Role.AGENCY else None,
            )
            for u in session.scalars(select(User).where(User.active.is_(True)).order_by(User.display_name))
        ]


@dataclass(frozen=True)
class WorkstationSettings:
    """What the window reads once at sign-in from the shared settings."""

    idle_lock_minutes: int


def workstation_settings(ctx: ServiceContext) -> WorkstationSettings:
    with ctx.unit() as (session, _actor):
        return WorkstationSettings(idle_lock_minutes=load_idle_lock_minutes(session))
