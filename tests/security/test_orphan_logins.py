"""The logins MASH Desk makes say so, and a run's clean-up drops only those left over from a hub that is gone
(``tests.orphan_logins``): on a private cluster, where this test may make and drop roles of any name."""

from __future__ import annotations

import psycopg
from sqlalchemy import create_engine

from mash_desk.domain.enums import Role
from mash_desk.services import admin
from mash_desk.store.pg_security import hub_roles
from mash_desk.store.pg_security.admin_functions import MADE_BY_MASH_DESK
from tests.orphan_logins import drop_orphaned_logins
from tests.pgcluster import PrivateCluster
from tests.security.hub import build_login_world


def _comment(conn: psycopg.Connection[tuple[object, ...]], role: str) -> object:
    row = conn.execute(
        "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = %s", (role,)
    ).fetchone()
    return None if row is None else row[0]


def _roles(conn: psycopg.Connection[tuple[object, ...]], names: list[str]) -> set[str]:
    return {str(row[0]) for row in conn.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (names,))}


def test_a_gone_hubs_logins_are_dropped_and_nothing_else(private_cluster: PrivateCluster) -> None:
    gone = build_login_world(private_cluster)
    live = build_login_world(private_cluster)
    adopted = f"own_login_{gone.database}"
    never_a_user = f"someone_else_{gone.database}"
    with private_cluster.connect_superuser() as conn:
        conn.execute(f'CREATE ROLE "{adopted}" LOGIN')
        conn.execute(f"COMMENT ON ROLE \"{adopted}\" IS 'the DBA made this one'")
        conn.execute(f'CREATE ROLE "{never_a_user}" LOGIN')
    admin.add_user(
        gone.db,
        gone.logins["admin"],
        username=adopted,
        display_name="Own Login",
        role=Role.PRACTITIONER,
        agency_code="SOCIAL_CARE",
    )
    # the live hub also has the gone hub's Sam, as two runs of the demo on one server share "sam"
    shared = gone.logins["sam"]
    admin.add_user(
        live.db,
        live.logins["admin"],
        username=shared,
        display_name="Sam",
        role=Role.PRACTITIONER,
        agency_code="SOCIAL_CARE",
    )
    gone_only = [login for who, login in gone.logins.items() if who != "sam"]
    names = [*gone.logins.values(), adopted, never_a_user, *live.logins.values()]

    with private_cluster.connect_superuser() as conn:
        assert _comment(conn, gone.logins["maria"]) == MADE_BY_MASH_DESK
        assert _comment(conn, adopted) == "the DBA made this one", "a login it adopted keeps its own comment"

    server = create_engine(private_cluster.superuser_url(), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            assert drop_orphaned_logins(conn, names) == [], "every login is in a hub's groups while the hub lives"
        gone.dispose()
        with private_cluster.connect_superuser() as conn:
            conn.execute(f'DROP DATABASE "{gone.database}" WITH (FORCE)')
            for group in hub_roles(gone.database).all_groups():
                conn.execute(f'DROP ROLE "{group}"')
        with server.connect() as conn:
            dropped = drop_orphaned_logins(conn, names)
    finally:
        server.dispose()
        live.dispose()

    assert sorted(dropped) == sorted(gone_only)
    with private_cluster.connect_superuser() as conn:
        assert _roles(conn, names) == {shared, adopted, never_a_user, *live.logins.values()}
        conn.execute(f'DROP DATABASE "{live.database}" WITH (FORCE)')
