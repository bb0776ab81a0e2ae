"""The hub's roles: named from the database, created, made owner, and given to existing users."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from mash_desk.domain.enums import Role

# what the staff group's logins get by default; a person can still SET their own, so these are a
# safety net against a forgotten transaction holding locks, not a limit
STATEMENT_TIMEOUT = "120s"
IDLE_IN_TRANSACTION_TIMEOUT = "60s"

JOBS: tuple[str, ...] = tuple(role.value for role in Role)
_PREFIX_MAX = 40


@dataclass(frozen=True)
class HubRoles:
    """The database's own role names."""

    prefix: str

    @property
    def owner(self) -> str:
        return f"{self.prefix}_owner"

    @property
    def staff(self) -> str:
        return f"{self.prefix}_staff"

    def job(self, job: Role | str) -> str:
        return f"{self.prefix}_{Role(job).value}"

    def all_groups(self) -> tuple[str, ...]:
        return (*(self.job(job) for job in JOBS), self.staff, self.owner)


def hub_roles(database: str) -> HubRoles:
    """Role names derived from the database name: short, lower-case, and distinct per database."""
    cleaned = re.sub(r"[^a-z0-9_]", "_", database.lower())
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"hub_{cleaned}"
    if len(cleaned) > _PREFIX_MAX:
        digest = hashlib.sha256(database.encode()).hexdigest()[:8]
        cleaned = f"{cleaned[: _PREFIX_MAX - 9]}_{digest}"
    return HubRoles(cleaned)


def current_hub(conn: Connection) -> HubRoles:
    return hub_roles(conn.execute(text("SELECT current_database()")).scalar_one())


def existing_tables(conn: Connection) -> frozenset[str]:
    """The tables of the public schema now: what ``install`` can secure at this point of the migrations."""
    return frozenset(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())


def run_sql(conn: Connection, statement: str) -> None:
    conn.exec_driver_sql(statement.replace("%", "%%"))


def create_roles(conn: Connection, hub: HubRoles) -> None:
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    # the owner creates logins through the administrators' functions; nobody logs in as it
    _ensure_role(conn, hub.owner, "NOLOGIN CREATEROLE")
    _ensure_role(conn, hub.staff, "NOLOGIN")
    for job in JOBS:
        _ensure_role(conn, hub.job(job), "NOLOGIN")
        run_sql(conn, f'GRANT "{hub.staff}" TO "{hub.job(job)}"')
    quoted_db = conn.dialect.identifier_preparer.quote(database)
    # Row-level security makes a partner agency's plans large (every policy a subplan), and their cost
    # estimates pass jit_above_cost: compiling them took seconds (a person search by a police login
    # 5 s, not 50 ms, on a hub of 1,500 contacts; found by the load test). Short OLTP queries never
    # repay JIT, so it is off for every session on this hub's database, whatever the client.
    run_sql(conn, f"ALTER DATABASE {quoted_db} SET jit = off")
    run_sql(conn, f"REVOKE ALL ON DATABASE {quoted_db} FROM PUBLIC")
    run_sql(conn, f'GRANT CONNECT ON DATABASE {quoted_db} TO "{hub.staff}"')
    run_sql(conn, f'GRANT CONNECT, TEMPORARY ON DATABASE {quoted_db} TO "{hub.owner}"')
    run_sql(conn, "REVOKE ALL ON SCHEMA public FROM PUBLIC")
    run_sql(conn, f'GRANT USAGE ON SCHEMA public TO "{hub.staff}"')
    run_sql(conn, f'GRANT USAGE, CREATE ON SCHEMA public TO "{hub.owner}"')


def _ensure_role(conn: Connection, name: str, options: str) -> None:
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar()
    run_sql(conn, f'{"ALTER" if exists else "CREATE"} ROLE "{name}" {options}')


def take_ownership(conn: Connection, hub: HubRoles) -> None:
    tables = conn.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    ).scalars()
    for table in list(tables):
        run_sql(conn, f'ALTER TABLE public."{table}" OWNER TO "{hub.owner}"')
    # a table a later migration adds is closed until that migration opens it
    for role in ("CURRENT_USER", f'"{hub.owner}"'):
        run_sql(conn, f"ALTER DEFAULT PRIVILEGES FOR ROLE {role} IN SCHEMA public REVOKE ALL ON TABLES FROM PUBLIC")
        run_sql(conn, f"ALTER DEFAULT PRIVILEGES FOR ROLE {role} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC")
        run_sql(conn, f"ALTER DEFAULT PRIVILEGES FOR ROLE {role} IN SCHEMA public REVOKE ALL ON SEQUENCES FROM PUBLIC")


def adopt_existing_users(conn: Connection, hub: HubRoles) -> None:
    """Users made before this hub had its own groups join their job's group and lose server-wide powers."""
    rows = conn.execute(
        text(
            "SELECT u.username, u.role, u.active FROM app_user u JOIN pg_roles r ON r.rolname = u.username "
            "WHERE NOT r.rolsuper"
        )
    ).all()
    database = conn.dialect.identifier_preparer.quote(conn.execute(text("SELECT current_database()")).scalar_one())
    for username, job, active in rows:
        run_sql(conn, f'ALTER ROLE "{username}" NOCREATEROLE')
        if active:
            run_sql(conn, f'GRANT "{hub.job(job)}" TO "{username}"')
        run_sql(conn, f"ALTER ROLE \"{username}\" IN DATABASE {database} SET statement_timeout = '{STATEMENT_TIMEOUT}'")
        run_sql(
            conn,
            f'ALTER ROLE "{username}" IN DATABASE {database} '
            f"SET idle_in_transaction_session_timeout = '{IDLE_IN_TRANSACTION_TIMEOUT}'",
        )
    legacy = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = 'mash_desk_staff'")).scalar()
    if legacy:
        for kind in ("TABLES", "SEQUENCES"):
            run_sql(conn, f"REVOKE ALL ON ALL {kind} IN SCHEMA public FROM mash_desk_staff")
        run_sql(conn, "REVOKE ALL ON SCHEMA public FROM mash_desk_staff")
