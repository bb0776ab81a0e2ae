"""Migrations build, from nothing, exactly the schema the models describe, on SQLite and PostgreSQL.

Also: the schema check that refuses a database this program does not understand, and on PostgreSQL
the grants that make the database itself refuse what the application would refuse.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg.errors
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError

from mash_desk.domain.enums import ContactStatus, TeamKind, TimescaleKey
from mash_desk.domain.errors import PermissionRefused, SchemaMismatch
from mash_desk.services import admin
from mash_desk.services.context import ServiceContext
from mash_desk.store import migrate
from mash_desk.store.database import Database
from mash_desk.store.models import Agency, Base, Contact, Setting, TimescalePolicyRow
from mash_desk.store.pg_security import hub_roles
from tests.support import World, case_at, snapshot, unchanged

MODEL_TABLES = {table.name for table in Base.metadata.sorted_tables}


@pytest.fixture
def empty_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A database with nothing in it: a new SQLite file, or a scratch PostgreSQL database dropped after."""
    if backend == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        yield database
        database.dispose()
        return
    server_url: str = request.getfixturevalue("pg_server_url")
    tag: str = request.getfixturevalue("session_tag")
    name = f"mash_desk_migrations_{tag}_{uuid.uuid4().hex[:6]}"
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    database = Database(make_url(server_url).set(database=name).render_as_string(hide_password=False))
    try:
        yield database
    finally:
        database.dispose()
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def _schema_diff(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return list(compare_metadata(context, Base.metadata))


def _tables(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def _downgrade(db: Database, revision: str) -> None:
    config = migrate.alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def _notify_trigger_objects(db: Database) -> tuple[int, int]:
    """(triggers named contact_changed, functions named mash_desk_notify_change) on PostgreSQL."""
    with db.engine.connect() as conn:
        triggers = conn.execute(
            text("SELECT count(*) FROM pg_trigger WHERE tgname = 'contact_changed' AND NOT tgisinternal")
        ).scalar_one()
        functions = conn.execute(
            text("SELECT count(*) FROM pg_proc WHERE proname = 'mash_desk_notify_change'")
        ).scalar_one()
    return int(triggers), int(functions)


def test_every_migration_runs_up_from_empty_and_the_schema_matches_the_models(empty_db: Database) -> None:
    assert _tables(empty_db) == set()
    with pytest.raises(SchemaMismatch, match="not been set up"):
        migrate.check_schema(empty_db)

    revisions = [script.revision for script in ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()]
    for revision in reversed(revisions):  # oldest first, one at a time
        migrate.upgrade(empty_db, revision)
        assert migrate.current_revision(empty_db) == revision
    assert migrate.current_revision(empty_db) == migrate.head_revision()
    migrate.check_schema(empty_db)
    assert _tables(empty_db) == MODEL_TABLES | {"alembic_version"}
    # nothing ignored: columns, types, nullability, server defaults, indexes, unique and foreign keys
    assert _schema_diff(empty_db) == []
    if empty_db.is_postgresql:  # the change-notification trigger is not in the models: check it by name
        assert _notify_trigger_objects(empty_db) == (1, 1)

    # a database a newer program has upgraded is refused, naming the schema it is at
    with empty_db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfacef00d'"))
    with pytest.raises(SchemaMismatch, match="newer version of MASH Desk") as info:
        migrate.check_schema(empty_db)
    assert "f00dfacef00d" in str(info.value)


def test_migrations_go_down_to_empty_and_up_again(empty_db: Database) -> None:
    migrate.upgrade(empty_db)
    _downgrade(empty_db, "base")
    assert _tables(empty_db) <= {"alembic_version"}
    assert migrate.current_revision(empty_db) is None
    if empty_db.is_postgresql:
        assert _notify_trigger_objects(empty_db) == (0, 0)

    # ``db upgrade`` run twice (every install, every update) lays the defaults down once
    admin.prepare_database(empty_db)
    admin.prepare_database(empty_db)
    assert _schema_diff(empty_db) == []
    with empty_db.session() as session:
        assert session.scalar(select(func.count(Agency.id))) == len(admin.DEFAULT_AGENCIES)
        assert session.scalar(select(func.count()).select_from(TimescalePolicyRow)) == len(TimescaleKey)
        assert set(session.scalars(select(Setting.key))) >= {"open_case_window_days", "re_referral_months"}


# --- PostgreSQL refuses what the application would refuse -----------------------------------------


def _refused_by_postgresql(world: World, sql: str, **params: object) -> None:
    """Raw SQL as Sam's own login (SET LOCAL ROLE): PostgreSQL refuses it, and the store says so politely."""
    with (  # noqa: PT012 - the unit, the identity check and the statement are one attempt
        unchanged(world.db, f"a staff login trying {sql!r}"),
        pytest.raises(PermissionRefused, match="The database refused this for your login") as info,
        world.sam.unit(write=True) as (session, actor),
    ):
        assert actor.username == world.logins["sam"]
        assert session.execute(text("SELECT current_user")).scalar_one() == world.logins["sam"]
        session.execute(text(sql), params)
    driver_error = info.value.__cause__
    assert isinstance(driver_error, DBAPIError)
    assert isinstance(driver_error.orig, psycopg.errors.InsufficientPrivilege), driver_error


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_staff_login_can_neither_delete_records_nor_rewrite_the_audit_trail(world: World) -> None:
    case = case_at(world, ContactStatus.SCREENED)
    _refused_by_postgresql(world, "DELETE FROM contact WHERE id = :id", id=case.id)
    _refused_by_postgresql(world, "DELETE FROM consent_decision")
    _refused_by_postgresql(world, "UPDATE audit_event SET actor_login = 'x' WHERE contact_id = :id", id=case.id)
    _refused_by_postgresql(world, "DELETE FROM audit_event")
    _refused_by_postgresql(world, "UPDATE alembic_version SET version_num = 'ffff'")


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_staff_login_can_still_do_its_work(world: World) -> None:
    """The refusals above are specific grants, not a login that can do nothing: Sam's own login claims
    a contact by raw SQL, and the database writes the audit rows, naming Sam whatever the client says."""
    case = case_at(world, ContactStatus.RECEIVED)
    before = snapshot(world.db)
    with world.sam.unit(write=True) as (session, actor):
        session.execute(
            text("UPDATE contact SET assigned_to_id = :me, updated_by_id = 1 WHERE id = :id"),
            {"me": actor.id, "id": case.id},
        )
        session.execute(text("SELECT mash_desk_audit('test.claim', 'contact', :id, :id, NULL)"), {"id": case.id})
    after = snapshot(world.db)
    assert len(after["audit_event"]) == len(before["audit_event"]) + 2  # the service's row and the trigger's
    with world.db.session() as session:
        contact = session.get(Contact, case.id)
        assert contact is not None
        assert contact.assigned_to_id == contact.updated_by_id  # stamped by the database, not the client's 1
        events = session.execute(
            text("SELECT action, actor_login FROM audit_event WHERE id > :last ORDER BY id"),
            {"last": max(int(str(row[0])) for row in before["audit_event"]) if before["audit_event"] else 0},
        ).all()
    assert [tuple(event) for event in events] == [
        ("row.update", world.logins["sam"]),
        ("test.claim", world.logins["sam"]),
    ]
    _refused_by_postgresql(
        world,
        "INSERT INTO audit_event (at, actor_login, action, entity) VALUES (now(), 'maria', 'contact.close', 'contact')",
    )
    _refused_by_postgresql(world, "UPDATE contact SET whereabouts = 'elsewhere' WHERE id = :id", id=case.id)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_hub_set_up_before_the_database_kept_the_rules_is_adopted(empty_db: Database, session_tag: str) -> None:
    """Upgrading a 0002 hub: its users join their job's group and lose CREATEROLE; the old
    server-wide group keeps nothing in this database."""
    migrate.upgrade(empty_db, "0002")
    admin.install_defaults(empty_db)
    login = f"old_admin_{session_tag}_{uuid.uuid4().hex[:4]}"
    with empty_db.engine.connect() as conn:
        made_here = conn.execute(text(f"SELECT 1 FROM pg_roles WHERE rolname = '{LEGACY_GROUP}'")).scalar() is None
    try:
        _adopt_a_0002_hub(empty_db, login)
    finally:
        if made_here:
            _drop_legacy_group(empty_db)


LEGACY_GROUP = "mash_desk_staff"
"""The server-wide group hubs had before the database kept the rules: one name for the whole server."""


def _drop_legacy_group(db: Database) -> None:
    """The group is the server's, not this database's: dropped by the run that made it, so that no run leaves it
    behind. Another run's database may still hold a grant to it (the same test, at the same moment, in a
    parallel run): then that database keeps it, and the group stays until it has gone."""
    with db.engine.begin() as conn:
        conn.execute(text(f"DROP OWNED BY {LEGACY_GROUP}"))
    try:
        with db.engine.begin() as conn:
            conn.execute(text(f"DROP ROLE IF EXISTS {LEGACY_GROUP}"))
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != "2BP01":  # dependent objects: another database's grant
            raise


def _adopt_a_0002_hub(empty_db: Database, login: str) -> None:
    with empty_db.engine.begin() as conn:
        conn.execute(
            text(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mash_desk_staff') "
                "THEN CREATE ROLE mash_desk_staff NOLOGIN; END IF; END $$"
            )
        )
        conn.execute(text("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO mash_desk_staff"))
        conn.execute(text(f'CREATE ROLE "{login}" LOGIN CREATEROLE'))
        conn.execute(text(f'GRANT mash_desk_staff TO "{login}" WITH ADMIN OPTION'))
        conn.execute(
            text(
                "INSERT INTO app_user (username, display_name, role, agency_id, gcp_licensed, active) "
                "SELECT :u, 'Old Admin', 'admin', id, false, true FROM agency WHERE code = 'SOCIAL_CARE'"
            ),
            {"u": login},
        )
    admin.prepare_database(empty_db)
    with empty_db.engine.connect() as conn:
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        group = hub_roles(database).job("admin")
        assert conn.execute(text("SELECT pg_has_role(:u, :g, 'MEMBER')"), {"u": login, "g": group}).scalar_one()
        assert not conn.execute(
            text("SELECT rolcreaterole FROM pg_roles WHERE rolname = :u"), {"u": login}
        ).scalar_one()
        assert not conn.execute(
            text("SELECT has_table_privilege('mash_desk_staff', 'public.contact', 'UPDATE')")
        ).scalar_one()
    # and the old administrator still administers, through the database's functions
    ctx = ServiceContext(empty_db, login)
    assert ctx.whoami().role.value == "admin"
    admin.add_team(ctx, "MASH Team", TeamKind.MASH)


def test_an_embedded_upgrade_leaves_foreign_keys_enforced(tmp_path: Path) -> None:
    """The SQLite upgrade switches foreign keys off while it copies tables; every connection after it
    has them on again, and a row pointing nowhere is still refused."""
    db = Database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    migrate.upgrade(db)
    for _ in range(3):
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO person_alias (person_id, given_names, family_name, recorded_at) "
            "VALUES (999999, 'No', 'One', '2026-01-01 00:00:00')"
        )
    db.dispose()


def test_an_embedded_upgrade_keeps_the_change_feeds_triggers(tmp_path: Path) -> None:
    """0017 copies the contact table on SQLite (a check constraint cannot be added in place), which drops
    its triggers: the change feed's stamps must be made again, or other workstations never see a change."""
    db = Database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")

    def triggers() -> list[str]:
        with db.engine.connect() as conn:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'contact' ORDER BY name"
            return list(conn.exec_driver_sql(query).scalars())

    migrate.upgrade(db, "0012")
    stamps = ["contact_change_stamp_insert", "contact_change_stamp_update"]
    assert triggers() == stamps
    migrate.upgrade(db)
    assert triggers() == stamps
    _downgrade(db, "0012")
    assert triggers() == stamps
    db.dispose()
