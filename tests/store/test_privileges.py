"""What each job's group may do to every table and column, read back from PostgreSQL itself.

``store.pg_security.PRIVILEGES`` is the declaration; these tests hold the database to it, column by
column, so a grant cannot widen unnoticed and a new table cannot arrive open. They also hold the
transitions table to the state machine the services use.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from mash_desk.domain.enums import Role
from mash_desk.domain.lifecycle import RULES, result_of, status_transitions
from mash_desk.store.database import Database
from mash_desk.store.models import StatusTransition
from mash_desk.store.pg_security import (
    PRIVILEGES,
    ROW_RULES,
    TRIGGERS,
    hub_roles,
    transition_rows,
    trigger_name,
)

TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


def _declared(table: str, job: Role) -> tuple[set[str], dict[str, set[str]]]:
    """(table-level privileges, {privilege: columns}) that PRIVILEGES gives ``job`` on ``table``."""
    whole: set[str] = set()
    by_column: dict[str, set[str]] = {"SELECT": set(), "UPDATE": set()}
    for privilege, columns, jobs in PRIVILEGES.get(table, ()):
        if job not in jobs:
            continue
        if columns is None:
            whole.add(privilege)
        else:
            by_column[privilege].update(columns)
    return whole, by_column


@pytest.mark.parametrize("backend", ["postgresql"])
def test_every_table_and_column_has_exactly_the_declared_privileges(db: Database) -> None:
    with db.engine.connect() as conn:
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        roles = hub_roles(database)
        tables = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
        # a table no one has declared would be a table no one has thought about
        assert tables == set(PRIVILEGES)
        differences: list[str] = []
        for table in sorted(tables):
            columns = list(
                conn.execute(
                    text(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_schema = 'public' AND table_name = :t"
                    ),
                    {"t": table},
                ).scalars()
            )
            for job in Role:
                group = roles.job(job)
                whole, by_column = _declared(table, job)
                actual = {
                    privilege
                    for privilege in TABLE_PRIVILEGES
                    if conn.execute(
                        text("SELECT has_table_privilege(:g, :t, :p)"),
                        {"g": group, "t": f"public.{table}", "p": privilege},
                    ).scalar_one()
                }
                if actual != whole:
                    differences.append(f"{job.value} on {table}: has {sorted(actual)}, declared {sorted(whole)}")
                for privilege, granted_columns in by_column.items():
                    having = {
                        column
                        for column in columns
                        if conn.execute(
                            text("SELECT has_column_privilege(:g, :t, :c, :p)"),
                            {"g": group, "t": f"public.{table}", "c": column, "p": privilege},
                        ).scalar_one()
                    }
                    expected = set(columns) if privilege in whole else granted_columns
                    if having != expected:
                        differences.append(
                            f"{job.value} has {privilege} on {table}.{sorted(having)}, declared {sorted(expected)}"
                        )
            for group in (roles.staff, "public"):
                for privilege in TABLE_PRIVILEGES:
                    if conn.execute(
                        text("SELECT has_table_privilege(:g, :t, :p)"),
                        {"g": group, "t": f"public.{table}", "p": privilege},
                    ).scalar_one():
                        differences.append(f"{group} has {privilege} on {table}")
        assert differences == []


@pytest.mark.parametrize("backend", ["postgresql"])
def test_every_declared_trigger_and_row_rule_is_in_place_at_the_head_of_the_migrations(db: Database) -> None:
    """install() skips tables a later migration creates; at the head nothing it declares may be missing."""
    with db.engine.connect() as conn:
        triggers = set(
            conn.execute(
                text("SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid")
            ).all()
        )
        secured = set(
            conn.execute(
                text("SELECT relname FROM pg_class WHERE relrowsecurity AND relnamespace = 'public'::regnamespace")
            ).scalars()
        )
        policies = set(conn.execute(text("SELECT tablename, policyname FROM pg_policies")).all())
    missing_triggers = {(t, trigger_name(t, spec)) for t, spec, _w in TRIGGERS} - {tuple(r) for r in triggers}
    assert not missing_triggers
    assert set(ROW_RULES) <= secured
    assert {(t, "mash_desk_staff") for t in ROW_RULES} <= {tuple(r) for r in policies}


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_new_table_or_function_arrives_closed(db: Database) -> None:
    """Default privileges: what a later migration creates, as the owner or the migrating superuser, is closed."""
    with db.engine.begin() as conn:
        roles = hub_roles(conn.execute(text("SELECT current_database()")).scalar_one())
        for creator in (None, roles.owner):
            if creator is not None:
                conn.execute(text(f'SET LOCAL ROLE "{creator}"'))
            conn.execute(text("CREATE TABLE later_table (id integer)"))
            conn.execute(text("CREATE FUNCTION later_function() RETURNS integer LANGUAGE sql AS 'SELECT 1'"))
            for job in Role:
                group = roles.job(job)
                for privilege in TABLE_PRIVILEGES:
                    assert not conn.execute(
                        text("SELECT has_table_privilege(:g, 'later_table', :p)"), {"g": group, "p": privilege}
                    ).scalar_one(), (creator, group, privilege)
                assert not conn.execute(
                    text("SELECT has_function_privilege(:g, 'later_function()', 'EXECUTE')"), {"g": group}
                ).scalar_one(), (creator, group)
            conn.execute(text("DROP TABLE later_table"))
            conn.execute(text("DROP FUNCTION later_function()"))
        conn.rollback()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_every_rule_function_runs_as_the_hubs_owner_never_as_whoever_installed_it(db: Database) -> None:
    """A ``SECURITY DEFINER`` function runs with its owner's rights. The restriction rule's six functions were
    left owned by the installer (a superuser), so they ran as a superuser, and the owner of the functions
    that call them could not: every one of the hub's functions belongs to the hub's owner."""
    with db.engine.connect() as conn:
        owner = hub_roles(conn.execute(text("SELECT current_database()")).scalar_one()).owner
        owned_by: dict[str, str] = dict(
            conn.execute(
                text(
                    "SELECT p.proname, pg_get_userbyid(p.proowner) FROM pg_proc p "
                    "JOIN pg_namespace n ON n.oid = p.pronamespace "
                    "WHERE n.nspname = 'public' AND p.proname LIKE 'mash\\_desk\\_%' AND p.prosecdef"
                )
            ).all()
        )
    assert "mash_desk_cleared" in owned_by
    assert "mash_desk_return_summary" in owned_by
    assert {name: who for name, who in owned_by.items() if who != owner} == {}


@pytest.mark.parametrize("backend", ["postgresql"])
def test_only_the_staff_group_may_connect_and_no_login_can_create_roles(db: Database) -> None:
    with db.engine.connect() as conn:
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        roles = hub_roles(database)
        assert not conn.execute(
            text("SELECT has_database_privilege('public', :d, 'CONNECT')"), {"d": database}
        ).scalar()
        assert conn.execute(
            text("SELECT has_database_privilege(:g, :d, 'CONNECT')"), {"g": roles.staff, "d": database}
        ).scalar()
        owner = conn.execute(
            text("SELECT rolcanlogin, rolcreaterole FROM pg_roles WHERE rolname = :r"), {"r": roles.owner}
        ).one()
        assert tuple(owner) == (False, True), "the owner creates logins for the administrators' functions only"
        for job in Role:
            attributes = conn.execute(
                text("SELECT rolcanlogin, rolcreaterole, rolsuper FROM pg_roles WHERE rolname = :r"),
                {"r": roles.job(job)},
            ).one()
            assert tuple(attributes) == (False, False, False)


def test_the_transitions_table_is_the_state_machine(db: Database) -> None:
    """Generated by the migration from domain.lifecycle: the database checks the services' own rules."""
    with db.session() as session:
        rows = {
            (r.from_status.value, r.to_status.value, r.job.value) for r in session.scalars(select(StatusTransition))
        }
    assert rows == set(transition_rows())
    # and every move the services make is in it, for exactly the roles the services allow
    for action, rule in RULES.items():
        for state in rule.states:
            after = result_of(action, state)
            if after is not state:
                for role in Role:
                    allowed = (state, after, role) in status_transitions()
                    assert allowed == (role in rule.roles) or any(
                        after is result_of(other, state) and role in other_rule.roles and state in other_rule.states
                        for other, other_rule in RULES.items()
                    ), (action, state, role)


def test_hub_role_names_are_short_distinct_and_safe() -> None:
    long_a = "a" * 60 + "_one"
    long_b = "a" * 60 + "_two"
    assert hub_roles(long_a).prefix != hub_roles(long_b).prefix
    for name in ("mash_desk", "Luton-MASH", "9hub", long_a):
        roles = hub_roles(name)
        for role in roles.all_groups():
            assert len(role) <= 63
            assert role.replace("_", "").isalnum()
            assert role == role.lower()
