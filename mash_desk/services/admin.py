"""Setting a database up, and the people, teams and agencies in it.

On PostgreSQL every user is a database login in one of this hub's job groups (see
``store.pg_security``): adding a user, changing their job, switching them off and setting their
password go through the administrators' ``SECURITY DEFINER`` functions, which alone may touch
roles. No login has CREATEROLE. The checks here are the first line; the database is the boundary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from mash_desk.domain.enums import AgencyKind, Role, TeamKind
from mash_desk.domain.errors import InvalidInput, PermissionRefused, WrongPassword
from mash_desk.services.context import Actor, ServiceContext, audit, retry_collisions, utc_now
from mash_desk.services.drafts import FieldErrors, blank_to_none
from mash_desk.services.policy import ensure_defaults
from mash_desk.services.reauthentication import verify_password
from mash_desk.store import migrate
from mash_desk.store.database import Database
from mash_desk.store.models import Agency, Team, User
from mash_desk.store.queries import lookup

MIN_PASSWORD = 12
USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{1,62}$")

DEFAULT_AGENCIES: tuple[tuple[str, str, AgencyKind], ...] = (
    ("SOCIAL_CARE", "Children's Social Care", AgencyKind.SOCIAL_CARE),
    ("POLICE", "Police", AgencyKind.POLICE),
    ("HEALTH", "Health", AgencyKind.HEALTH),
    ("EDUCATION", "Education", AgencyKind.EDUCATION),
    ("PROBATION", "Probation Service", AgencyKind.PROBATION),
    ("HOUSING", "Housing", AgencyKind.HOUSING),
    ("DA_SERVICE", "Domestic Abuse Service", AgencyKind.DOMESTIC_ABUSE),
    ("EARLY_HELP", "Early Help", AgencyKind.EARLY_HELP),
)


def prepare_database(db: Database) -> None:
    """``db upgrade``: migrate to head (on PostgreSQL also the hub's roles and rules) and lay down defaults."""
    migrate.upgrade(db)
    install_defaults(db)


def install_defaults(db: Database) -> None:
    """Default timescales, settings and the usual MASH partner agencies, where none are configured."""
    with db.session(write=True) as session:
        ensure_defaults(session, utc_now())
        existing = set(session.scalars(select(Agency.code)))
        for code, name, kind in DEFAULT_AGENCIES:
            if code not in existing:
                session.add(Agency(code=code, name=name, kind=kind))


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: Role
    team: str | None
    agency_code: str
    active: bool
    gcp_licensed: bool = False
    agency_name: str = ""


def _first_user(session: Session) -> bool:
    return not session.scalar(select(func.count(User.id)))


@retry_collisions
def add_agency(ctx: ServiceContext, code: str, name: str, kind: AgencyKind) -> int:
    errors = FieldErrors()
    if not re.fullmatch(r"[A-Z][A-Z0-9_]{1,29}", code or ""):
        errors.add("code", "Use 2 to 30 capital letters, digits or underscores for the agency code.")
    if not blank_to_none(name):
        errors.add("name", "Enter the agency's name.")
    errors.raise_if_any()
    with ctx.unit(write=True) as (session, actor):
        if actor.role is not Role.ADMIN:
            raise PermissionRefused("Only an administrator can add agencies.")
        if session.scalar(select(Agency.id).where(Agency.code == code)):
            raise InvalidInput.single("code", f"There is already an agency {code}.")
        agency = Agency(code=code, name=name.strip(), kind=kind)
        session.add(agency)
        session.flush()
        audit(session, actor, "agency.add", "agency", agency.id, at=ctx.now(), detail={"code": code})
        return agency.id


@retry_collisions
def add_team(
    ctx: ServiceContext,
    name: str,
    kind: TeamKind,
    agency_code: str = "SOCIAL_CARE",
    *,
    phone: str | None = None,
    email: str | None = None,
) -> int:
    if not blank_to_none(name):
        raise InvalidInput.single("name", "Enter the team's name.")
    with ctx.unit(write=True) as (session, actor):
        if actor.role is not Role.ADMIN:
            raise PermissionRefused("Only an administrator can add teams.")
        agency_id = session.scalar(select(Agency.id).where(Agency.code == agency_code))
        if agency_id is None:
            raise InvalidInput.single("agency", f"There is no agency {agency_code}.")
        if session.scalar(select(Team.id).where(Team.name == name.strip())):
            raise InvalidInput.single("name", f"There is already a team called {name.strip()}.")
        team = Team(
            name=name.strip(), kind=kind, agency_id=agency_id, phone=blank_to_none(phone), email=blank_to_none(email)
        )
        session.add(team)
        session.flush()
        audit(session, actor, "team.add", "team", team.id, at=ctx.now(), detail={"name": team.name})
        return team.id


def add_user(
    db: Database,
    acting_login: str | None,
    *,
    username: str,
    display_name: str,
    role: Role | str,
    agency_code: str,
    team_name: str | None = None,
    job_title: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    gcp_licensed: bool = False,
    password: str | None = None,
) -> int:
    """Add a user (an administrator's job; the very first user of a database may add themselves).

    On PostgreSQL the database's own function creates the login (or adopts an existing one with no
    server-wide powers) in the job's group; with a password, only its SCRAM verifier is sent.
    Without one the hub uses its own authentication (Kerberos, certificates) or sets it later.
    """
    errors = FieldErrors()
    if not USERNAME.fullmatch(username or ""):
        errors.add(
            "username", "Use 2 to 63 lower-case letters, digits, dots, hyphens or underscores, starting with a letter."
        )
    if not blank_to_none(display_name):
        errors.add("display_name", "Enter the person's name as colleagues know it.")
    try:
        parsed_role = Role(role)
    except ValueError:
        errors.add("role", f"Choose one of: {', '.join(r.value for r in Role)}.")
        parsed_role = Role.AUDITOR
    if password is not None:
        _check_password(errors, password)
    errors.raise_if_any()
    if password is not None and not db.is_postgresql:
        raise InvalidInput.single("password", NO_PASSWORDS)
    now = utc_now()
    with db.session(write=True) as session:
        first = _first_user(session)
        if not first:
            actor = ServiceContext(db, acting_login)._resolve_actor(session)
            if actor.role is not Role.ADMIN:
                raise PermissionRefused("Only an administrator can add users.")
        elif parsed_role is not Role.ADMIN:
            raise InvalidInput.single("role", "The first user of a new database must be its administrator.")
        if session.scalar(select(User.id).where(User.username == username)):
            raise InvalidInput.single("username", f"There is already a user {username}.")
        if session.scalar(select(Agency.id).where(Agency.code == agency_code)) is None:
            raise InvalidInput.single("agency", f"There is no agency {agency_code}.")
        if team_name and session.scalar(select(Team.id).where(Team.name == team_name)) is None:
            raise InvalidInput.single("team", f"There is no team called {team_name}.")
        if db.is_postgresql:
            verifier = _scram_verifier(session, username, password) if password is not None else None
            user_id: int = session.execute(
                text(
                    "SELECT mash_desk_add_user(:username, :display_name, :job, :agency, :team, :job_title, "
                    ":phone, :email, :gcp, :verifier)"
                ),
                {
                    "username": username,
                    "display_name": display_name.strip(),
                    "job": parsed_role.value,
                    "agency": agency_code,
                    "team": team_name or None,
                    "job_title": blank_to_none(job_title),
                    "phone": blank_to_none(phone),
                    "email": blank_to_none(email),
                    "gcp": gcp_licensed,
                    "verifier": verifier,
                },
            ).scalar_one()
            return user_id
        agency_id = session.scalar(select(Agency.id).where(Agency.code == agency_code))
        team_id = session.scalar(select(Team.id).where(Team.name == team_name)) if team_name else None
        user = User(
            username=username,
            display_name=display_name.strip(),
            role=parsed_role,
            team_id=team_id,
            agency_id=agency_id,
            job_title=blank_to_none(job_title),
            phone=blank_to_none(phone),
            email=blank_to_none(email),
            gcp_licensed=gcp_licensed,
            active=True,
        )
        session.add(user)
        session.flush()
        if not first:
            audit(
                session,
                actor,
                "user.add",
                "app_user",
                user.id,
                at=now,
                detail={"username": username, "role": parsed_role.value},
            )
        return user.id


NO_PASSWORDS = (
    "The embedded database has no passwords: it belongs to whoever is signed in to this computer. "
    "Passwords are for a shared PostgreSQL hub."
)


def _check_password(errors: FieldErrors, password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD:
        errors.add(field, f"Use at least {MIN_PASSWORD} characters: a phrase of a few words is easiest to remember.")
    elif password.strip() != password:
        errors.add(field, "A password cannot start or end with a space.")


def _scram_verifier(session: Session, username: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier libpq makes, as ``\\password`` does: the password never travels."""
    raw = session.connection().connection.driver_connection
    pgconn = raw.pgconn  # type: ignore[union-attr]
    verifier: bytes = pgconn.encrypt_password(password.encode(), username.encode(), b"scram-sha-256")
    return verifier.decode()


def _target(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise InvalidInput.single("username", f"There is no user {username}.")
    return user


def _admin_unit(ctx: ServiceContext, what: str) -> Iterator[tuple[Session, Actor]]:
    with ctx.unit(write=True) as (session, actor):
        if actor.role is not Role.ADMIN:
            raise PermissionRefused(f"Only an administrator can {what}.")
        yield session, actor


@retry_collisions
def set_user_job(
    ctx: ServiceContext, username: str, *, role: Role | str, team_name: str | None, agency_code: str
) -> None:
    """Change what someone does: their job (and so their database group), team and agency."""
    try:
        job = Role(role)
    except ValueError:
        raise InvalidInput.single("role", f"Choose one of: {', '.join(r.value for r in Role)}.") from None
    team_name = blank_to_none(team_name)
    with contextmanager(_admin_unit)(ctx, "change someone's job") as (session, actor):
        user = _target(session, username)
        agency_id = session.scalar(select(Agency.id).where(Agency.code == agency_code))
        if agency_id is None:
            raise InvalidInput.single("agency", f"There is no agency {agency_code}.")
        team_id = session.scalar(select(Team.id).where(Team.name == team_name)) if team_name else None
        if team_name and team_id is None:
            raise InvalidInput.single("team", f"There is no team called {team_name}.")
        if user.role is Role.ADMIN and job is not Role.ADMIN and not _other_admins(session, username):
            raise InvalidInput.single("role", "This is the last administrator; make someone else administrator first.")
        if ctx.db.is_postgresql:
            session.execute(
                text("SELECT mash_desk_set_user_job(:username, :job, :agency, :team)"),
                {"username": username, "job": job.value, "agency": agency_code, "team": team_name},
            )
            return
        before = user.role
        user.role, user.agency_id, user.team_id = job, agency_id, team_id
        audit(
            session,
            actor,
            "user.set_job",
            "app_user",
            user.id,
            at=ctx.now(),
            detail={
                "username": username,
                "from": before.value,
                "to": job.value,
                "agency": agency_code,
                "team": team_name,
            },
        )


def _other_admins(session: Session, username: str) -> bool:
    return bool(
        session.scalar(
            select(func.count(User.id)).where(User.role == Role.ADMIN, User.active.is_(True), User.username != username)
        )
    )


@retry_collisions
def set_user_active(ctx: ServiceContext, username: str, active: bool, reason: str) -> None:
    """Switch an account off (it can no longer even connect to this hub) or on again, with a reason."""
    reason_text = blank_to_none(reason)
    if reason_text is None:
        raise InvalidInput.single("reason", "Say why the account is being switched on or off.")
    with contextmanager(_admin_unit)(ctx, "switch accounts on or off") as (session, actor):
        user = _target(session, username)
        if not active and username == actor.username:
            raise InvalidInput.single("username", "You cannot switch off your own account.")
        if not active and user.role is Role.ADMIN and not _other_admins(session, username):
            raise InvalidInput.single("username", "This is the last administrator; it cannot be switched off.")
        if user.active == active:
            raise InvalidInput.single(
                "username", f"{user.display_name}'s account is already {'on' if active else 'off'}."
            )
        if ctx.db.is_postgresql:
            session.execute(
                text("SELECT mash_desk_set_user_active(:username, :active, :reason)"),
                {"username": username, "active": active, "reason": reason_text},
            )
            return
        user.active = active
        audit(
            session,
            actor,
            "user.enable" if active else "user.disable",
            "app_user",
            user.id,
            at=ctx.now(),
            detail={"username": username, "reason": reason_text},
        )


@retry_collisions
def set_user_gcp_licensed(ctx: ServiceContext, username: str, licensed: bool) -> None:
    """Mark someone trained and licensed for the Graded Care Profile 2 (or no longer); only they may
    record one, and on PostgreSQL the database itself refuses a GCP2 from anyone else."""
    with contextmanager(_admin_unit)(ctx, "say who is licensed for the Graded Care Profile 2") as (session, actor):
        user = _target(session, username)
        if user.gcp_licensed == licensed:
            raise InvalidInput.single(
                "gcp_licensed",
                f"{user.display_name} is already {'' if licensed else 'not '}marked trained and licensed.",
            )
        if ctx.db.is_postgresql:
            session.execute(
                text("SELECT mash_desk_set_user_gcp_licensed(:username, :licensed)"),
                {"username": username, "licensed": licensed},
            )
            return
        user.gcp_licensed = licensed
        audit(
            session,
            actor,
            "user.set_gcp_licensed",
            "app_user",
            user.id,
            at=ctx.now(),
            detail={"username": username, "licensed": licensed},
        )


@retry_collisions
def set_user_password(ctx: ServiceContext, username: str, password: str) -> None:
    """An administrator sets someone's password (PostgreSQL hubs only); SCRAM, made on this workstation."""
    errors = FieldErrors()
    _check_password(errors, password)
    errors.raise_if_any()
    if not ctx.db.is_postgresql:
        raise InvalidInput.single("password", NO_PASSWORDS)
    with contextmanager(_admin_unit)(ctx, "set someone else's password") as (session, _actor):
        _target(session, username)
        session.execute(
            text("SELECT mash_desk_set_password(:username, :verifier)"),
            {"username": username, "verifier": _scram_verifier(session, username, password)},
        )


@retry_collisions
def change_own_password(ctx: ServiceContext, current_password: str, new_password: str) -> None:
    """Anyone changes their own password, proving the current one first (PostgreSQL hubs only)."""
    errors = FieldErrors()
    if not current_password:
        errors.add("current_password", "Enter your current password.")
    _check_password(errors, new_password, "new_password")
    if new_password and new_password == current_password:
        errors.add("new_password", "Choose a password different from the current one.")
    errors.raise_if_any()
    if not ctx.db.is_postgresql:
        raise InvalidInput.single("new_password", NO_PASSWORDS)
    try:
        verify_password(ctx, current_password)
    except WrongPassword as exc:
        raise InvalidInput.single("current_password", str(exc)) from exc
    with ctx.unit(write=True) as (session, me):
        verifier = _scram_verifier(session, me.username, new_password)
        # a login may always change its own password; ALTER ROLE takes a literal, not a parameter
        raw = session.connection().connection.driver_connection
        from psycopg import sql  # noqa: PLC0415 - PostgreSQL only: the embedded database's start never loads the driver

        statement = sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(me.username), sql.Literal(verifier))
        raw.execute(statement)  # type: ignore[union-attr]
        audit(session, me, "user.change_own_password", "app_user", me.id, at=ctx.now())


def list_users(ctx: ServiceContext) -> list[UserRow]:
    with ctx.unit() as (session, _actor):
        teams = lookup(session, select(Team.id, Team.name))
        agencies = {a.id: a for a in session.execute(select(Agency.id, Agency.code, Agency.name))}
        return [
            UserRow(
                u.id,
                u.username,
                u.display_name,
                u.role,
                teams.get(u.team_id) if u.team_id else None,
                agencies[u.agency_id].code,
                u.active,
                u.gcp_licensed,
                agencies[u.agency_id].name,
            )
            for u in session.scalars(select(User).order_by(User.display_name))
        ]


def list_teams(ctx: ServiceContext) -> list[tuple[int, str, TeamKind]]:
    with ctx.unit() as (session, _actor):
        return [(t.id, t.name, t.kind) for t in session.scalars(select(Team).order_by(Team.name))]


def list_agencies(ctx: ServiceContext) -> list[tuple[str, str]]:
    with ctx.unit() as (session, _actor):
        return [(a.code, a.name) for a in session.scalars(select(Agency).order_by(Agency.name))]
