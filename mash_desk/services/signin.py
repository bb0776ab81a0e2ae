"""Opening a database as a person: what the connection dialog runs on a worker, and what it hands back (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

from mash_desk.profiles import EMBEDDED, ConnectionProfile
from mash_desk.services.context import Actor, ServiceContext
from mash_desk.services.policy import DEFAULT_SETTINGS, IDLE_LOCK_MINUTES
from mash_desk.services.workstation import (
    SchemaVersions,
    SignInUser,
    check_database,
    set_up_embedded,
    sign_in_users,
    workstation_settings,
)
from mash_desk.store.database import Database


@dataclass(frozen=True)
class SignedIn:
    """A database, the person using it, and the profile it came from: what the main window runs on."""

    db: Database
    ctx: ServiceContext
    actor: Actor
    profile: ConnectionProfile
    schema: SchemaVersions
    idle_lock_minutes: int = int(DEFAULT_SETTINGS[IDLE_LOCK_MINUTES])
    """Read once at sign-in from the shared settings: a change takes effect at the next sign-in."""

    @property
    def embedded(self) -> bool:
        return self.profile.kind == EMBEDDED

    @property
    def where(self) -> str:
        """The database, for the status bar: its server(s) and name, and the reporting server if any
        (never the password, nor the libpq settings a URL carries)."""
        if self.embedded:
            return "embedded database"
        profile = self.profile
        servers = ", ".join(str(server) for server in profile.servers)
        where = f"{profile.database} on {servers}"
        return f"{where}; reports from {profile.reporting_url}" if profile.reporting_url else where

    @property
    def described(self) -> str:
        """The database for the About box, as a person would name it: the profile and where it is (the
        embedded database's file, or the servers), never a driver's URL."""
        where = self.db.url.database if self.embedded else self.where
        return f"{self.profile.name} — {where}"

    @property
    def has_passwords(self) -> bool:
        """A shared PostgreSQL hub: logins have passwords; the embedded database has none."""
        return self.db.is_postgresql

    def close(self) -> None:
        self.db.dispose()


@dataclass(frozen=True)
class EmbeddedUsers:
    """The embedded database, checked, and who may sign in to it."""

    db: Database
    schema: SchemaVersions
    users: tuple[SignInUser, ...]


def probe_embedded(profile: ConnectionProfile) -> EmbeddedUsers:
    """Open the embedded database and list its users (runs on a worker)."""
    db = Database(profile.url())
    try:
        schema = check_database(db)
        users = tuple(sign_in_users(db))
    except BaseException:
        db.dispose()
        raise
    return EmbeddedUsers(db, schema, users)


def sign_in(profile: ConnectionProfile, login: str, password: str | None, *, db: Database | None = None) -> SignedIn:
    """Connect as ``login`` and find out who that is (runs on a worker).

    On PostgreSQL the login is the database user and the password goes to the server; on the
    embedded database the name is taken at its word (one workstation, no security boundary).
    """
    if profile.kind == EMBEDDED:
        database = db or Database(profile.url())
        ctx_login: str | None = login
    else:
        database = profile.open_database(login=login, password=password or None)
        ctx_login = None
    try:
        schema = check_database(database)
        ctx = ServiceContext(database, ctx_login)
        actor = ctx.whoami()
        settings = workstation_settings(ctx)
    except BaseException:
        if database is not db:
            database.dispose()
        raise
    return SignedIn(database, ctx, actor, profile, schema, settings.idle_lock_minutes)


def set_up_embedded_database(profile: ConnectionProfile) -> SchemaVersions:
    """Create or upgrade the embedded database file (runs on a worker)."""
    db = Database(profile.url())
    try:
        return set_up_embedded(db)
    finally:
        db.dispose()
