"""PostgreSQL as the security boundary: the roles, grants, rules and audit of one hub's database.

Every workstation connects with the person's own login, so whatever the services refuse, the
database refuses too (DESIGN.md, "The client is not the security boundary"). This module is the
one place that says how: the migrations call :func:`install`, the tests read :data:`PRIVILEGES`.

- Roles are per hub database, named from it (:func:`hub_roles`), so two hubs on one server never
  share a group. A NOLOGIN owner holds the tables and the ``SECURITY DEFINER`` functions; a group
  per job sits in a staff group that alone may CONNECT. A person's job is their group membership.
- Privileges start from none and are granted by column (:data:`PRIVILEGES`).
- Triggers stamp every "by whom" from the login, freeze past facts, check status changes against
  ``mash_desk_transition`` (generated from ``domain.lifecycle``), and keep four eyes, the consent
  gate, RAG reasons, hand-off acceptance and agency returns. They raise SQLSTATE 42501.
- The audit trail is written by the database: ``mash_desk_audit()`` for the services' own rows,
  row triggers for every change to the case tables. Staff cannot insert into it directly.

Triggers and audit rows are skipped for the owner and superusers (migrations, the demo loader),
by a ``WHEN`` clause, so bulk loads pay nothing for them.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from mash_desk.store.pg_security.admin_functions import admin_sql
from mash_desk.store.pg_security.case_audits import case_audit_sql
from mash_desk.store.pg_security.exercises import EXERCISE_FUNCTIONS, exercise_sql
from mash_desk.store.pg_security.functions import FUNCTION_NAMES, helper_sql
from mash_desk.store.pg_security.guards import guard_sql
from mash_desk.store.pg_security.merges import merge_sql
from mash_desk.store.pg_security.privileges import (
    ADMIN_FUNCTIONS,
    PRIVILEGES,
    STAFF_FUNCTIONS,
    Grant,
    grant_privileges,
    transition_rows,
)
from mash_desk.store.pg_security.risk_rules import risk_sql
from mash_desk.store.pg_security.roles import (
    IDLE_IN_TRANSACTION_TIMEOUT,
    JOBS,
    STATEMENT_TIMEOUT,
    HubRoles,
    adopt_existing_users,
    create_roles,
    current_hub,
    existing_tables,
    hub_roles,
    run_sql,
    take_ownership,
)
from mash_desk.store.pg_security.row_security import POLICIES, ROW_RULES, install_row_security
from mash_desk.store.pg_security.supervision_rules import SUPERVISION_FUNCTIONS, supervision_sql
from mash_desk.store.pg_security.triggers import TRIGGERS, install_triggers, trigger_name

__all__ = [
    "ADMIN_FUNCTIONS",
    "EXERCISE_FUNCTIONS",
    "IDLE_IN_TRANSACTION_TIMEOUT",
    "JOBS",
    "PRIVILEGES",
    "ROW_RULES",
    "STAFF_FUNCTIONS",
    "STATEMENT_TIMEOUT",
    "TRIGGERS",
    "Grant",
    "HubRoles",
    "admin_sql",
    "current_hub",
    "existing_tables",
    "grant_privileges",
    "guard_sql",
    "hub_roles",
    "install",
    "install_row_security",
    "refresh_transitions",
    "transition_rows",
    "trigger_name",
    "uninstall",
]


def refresh_transitions(conn: Connection) -> None:
    """Make ``mash_desk_transition`` say exactly what ``domain.lifecycle`` says (both databases)."""
    conn.execute(text("DELETE FROM mash_desk_transition"))
    conn.execute(
        text("INSERT INTO mash_desk_transition (from_status, to_status, job) VALUES (:a, :b, :job)"),
        [{"a": a, "b": b, "job": job} for a, b, job in transition_rows()],
    )


def install(conn: Connection) -> None:
    """Roles, ownership, grants, rules and audit for this database (run as a superuser, idempotent).

    It secures the schema as it stands: migration 0003 runs it with today's code on yesterday's
    tables, so grants, policies and triggers for a table a later migration creates are skipped
    here, and that migration calls ``install`` again once its table exists. Function bodies are
    not checked at creation (as pg_restore does), so a function may name such a table too.
    """
    hub = current_hub(conn)
    run_sql(conn, "SET LOCAL check_function_bodies = off")
    create_roles(conn, hub)
    take_ownership(conn, hub)
    install_functions(conn, hub)
    install_triggers(conn, hub)
    grant_privileges(conn, hub)
    install_row_security(conn, hub)
    adopt_existing_users(conn, hub)


def uninstall(conn: Connection) -> None:
    """Undo :func:`install` (the downgrade): back to the superuser's tables, open to CONNECT."""
    hub = current_hub(conn)
    present = existing_tables(conn)
    for table in ROW_RULES.keys() & present:
        for policy in POLICIES:
            run_sql(conn, f'DROP POLICY IF EXISTS {policy} ON public."{table}"')
        run_sql(conn, f'ALTER TABLE public."{table}" DISABLE ROW LEVEL SECURITY')
    for table, spec, _when in TRIGGERS:
        if table not in present:
            continue
        run_sql(conn, f'DROP TRIGGER IF EXISTS "{trigger_name(table, spec)}" ON public."{table}"')
    for function in (*FUNCTION_NAMES, *EXERCISE_FUNCTIONS, *SUPERVISION_FUNCTIONS):
        run_sql(conn, f"DROP FUNCTION IF EXISTS public.{function} CASCADE")
    for table in sorted(present):
        run_sql(conn, f'ALTER TABLE public."{table}" OWNER TO CURRENT_USER')
    if conn.execute(text("SELECT 1 FROM pg_proc WHERE proname = 'mash_desk_notify_change'")).scalar():
        run_sql(conn, "ALTER FUNCTION public.mash_desk_notify_change() OWNER TO CURRENT_USER")
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    quoted_db = conn.dialect.identifier_preparer.quote(database)
    run_sql(conn, f"GRANT CONNECT, TEMPORARY ON DATABASE {quoted_db} TO PUBLIC")
    run_sql(conn, "GRANT USAGE ON SCHEMA public TO PUBLIC")
    for group in hub.all_groups():
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": group}).scalar()
        if exists:
            run_sql(conn, f'DROP OWNED BY "{group}"')
            run_sql(conn, f'DROP ROLE "{group}"')


def install_functions(conn: Connection, hub: HubRoles) -> None:
    for part in (
        helper_sql(hub),
        guard_sql(hub),
        admin_sql(hub),
        risk_sql(),
        merge_sql(),
        case_audit_sql(),
        exercise_sql(),
        supervision_sql(),
    ):
        conn.exec_driver_sql(part.replace("%", "%%"))
    for function in (*FUNCTION_NAMES, *EXERCISE_FUNCTIONS, *SUPERVISION_FUNCTIONS):
        run_sql(conn, f'ALTER FUNCTION public.{function} OWNER TO "{hub.owner}"')
        run_sql(conn, f"REVOKE ALL ON FUNCTION public.{function} FROM PUBLIC")
    notify = conn.execute(text("SELECT 1 FROM pg_proc WHERE proname = 'mash_desk_notify_change'")).scalar()
    if notify:
        run_sql(conn, f'ALTER FUNCTION public.mash_desk_notify_change() OWNER TO "{hub.owner}"')
