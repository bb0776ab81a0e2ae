"""Setting a database up, and the people, teams and agencies in it.

On PostgreSQL every user is also a database login role, a member of ``mash_desk_staff``, which
is granted only what the application needs: no DELETE anywhere (nothing is deleted), and the
audit trail insert-only. This is the second line of defence behind the application's own checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from mash_desk.domain.enums import AgencyKind, Role, TeamKind
from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.services.context import ServiceContext, audit, utc_now
from mash_desk.services.drafts import FieldErrors, blank_to_none
from mash_desk.services.policy import ensure_defaults
from mash_desk.store import migrate
from mash_desk.store.database import Database, translate_errors
from mash_desk.store.models import Agency, Team, User
from mash_desk.store.queries import lookup

STAFF_ROLE = "mash_desk_staff"
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
    """``db upgrade``: migrate to head, lay down defaults, and (PostgreSQL) the staff role's grants."""
    migrate.upgrade(db)
    install_defaults(db)
    if db.is_postgresql:
        grant_staff(db)


def install_defaults(db: Database) -> None:
    """Default timescales, settings and the usual MASH partner agencies, where none are configured."""
    with db.session(write=True) as session:
        ensure_defaults(session, utc_now())
        existing = set(session.scalars(select(Agency.code)))
        for code, name, kind in DEFAULT_AGENCIES:
            if code not in existing:
                session.add(Agency(code=code, name=name, kind=kind))


def grant_staff(db: Database) -> None:
    """The staff group role may read, add and update; it may never delete or rewrite the audit trail."""
    with translate_errors(), db.engine.begin() as conn:
        conn.execute(
            text(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mash_desk_staff') "
                "THEN CREATE ROLE mash_desk_staff NOLOGIN; END IF; END $$"
            )
        )
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {STAFF_ROLE}"))
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {STAFF_ROLE}"))
        conn.execute(text(f"REVOKE UPDATE ON audit_event FROM {STAFF_ROLE}"))
        conn.execute(text(f"REVOKE INSERT, UPDATE ON alembic_version FROM {STAFF_ROLE}"))
        conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {STAFF_ROLE}"))


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: Role
    team: str | None
    agency_code: str
    active: bool


def _first_user(session: Session) -> bool:
    return not session.scalar(select(func.count(User.id)))


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
) -> int:
    """Add a user (an administrator's job; the very first user of a database may add themselves).

    On PostgreSQL the user's login role is created too (without a password: the administrator
    sets one, or the hub uses its own authentication such as Kerberos or certificates).
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
    errors.raise_if_any()
    now = utc_now()
    with db.session(write=True) as session:
        first = _first_user(session)
        actor = None
        if not first:
            actor = ServiceContext(db, acting_login)._resolve_actor(session)
            if actor.role is not Role.ADMIN:
                raise PermissionRefused("Only an administrator can add users.")
        elif parsed_role is not Role.ADMIN:
            raise InvalidInput.single("role", "The first user of a new database must be its administrator.")
        if session.scalar(select(User.id).where(User.username == username)):
            raise InvalidInput.single("username", f"There is already a user {username}.")
        agency_id = session.scalar(select(Agency.id).where(Agency.code == agency_code))
        if agency_id is None:
            raise InvalidInput.single("agency", f"There is no agency {agency_code}.")
        team_id = None
        if team_name:
            team_id = session.scalar(select(Team.id).where(Team.name == team_name))
            if team_id is None:
                raise InvalidInput.single("team", f"There is no team called {team_name}.")
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
        if db.is_postgresql:
            ensure_login_role(session, username, administrator=parsed_role is Role.ADMIN)
        if actor is not None:
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


def ensure_login_role(session: Session, username: str, *, administrator: bool) -> None:
    """Create the PostgreSQL login role for a user, in the staff group, if it is not there yet.

    Administrators may create roles and hand out staff membership (PostgreSQL 16+ asks for the
    ADMIN OPTION as well as CREATEROLE); nobody else may.
    """
    exists = session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": username})
    quoted = session.get_bind().dialect.identifier_preparer.quote(username)
    if not exists:
        session.execute(text(f"CREATE ROLE {quoted} LOGIN{' CREATEROLE' if administrator else ''}"))
    suffix = " WITH ADMIN OPTION" if administrator else ""
    session.execute(text(f"GRANT {STAFF_ROLE} TO {quoted}{suffix}"))


def list_users(ctx: ServiceContext) -> list[UserRow]:
    with ctx.unit() as (session, _actor):
        teams = lookup(session, select(Team.id, Team.name))
        agencies = lookup(session, select(Agency.id, Agency.code))
        return [
            UserRow(
                u.id,
                u.username,
                u.display_name,
                u.role,
                teams.get(u.team_id) if u.team_id else None,
                agencies[u.agency_id],
                u.active,
            )
            for u in session.scalars(select(User).order_by(User.display_name))
        ]


def list_teams(ctx: ServiceContext) -> list[tuple[int, str, TeamKind]]:
    with ctx.unit() as (session, _actor):
        return [(t.id, t.name, t.kind) for t in session.scalars(select(Team).order_by(Team.name))]


def list_agencies(ctx: ServiceContext) -> list[tuple[str, str]]:
    with ctx.unit() as (session, _actor):
        return [(a.code, a.name) for a in session.scalars(select(Agency).order_by(Agency.name))]
