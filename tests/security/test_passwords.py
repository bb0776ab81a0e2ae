"""Passwords on a hub: SCRAM verifiers made on the workstation, changed by their owner or an administrator."""

from __future__ import annotations

import psycopg
import pytest

from mash_desk.domain.errors import InvalidInput
from mash_desk.services import admin
from tests.pgcluster import PrivateCluster
from tests.security.hub import login_world


def test_people_change_their_own_password_proving_the_old_one(private_cluster: PrivateCluster) -> None:
    with login_world(private_cluster) as hub:
        sam = hub.logins["sam"]
        old = hub.passwords[sam]
        with pytest.raises(InvalidInput) as info:
            admin.change_own_password(hub.sam, "not my password at all", "a new phrase for the winter")
        assert "not right" in info.value.field_errors["current_password"]
        admin.change_own_password(hub.sam, old, "a new phrase for the winter")
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(private_cluster.conninfo(sam, old, hub.database)).close()
        with psycopg.connect(private_cluster.conninfo(sam, "a new phrase for the winter", hub.database)) as conn:
            assert conn.execute("SELECT current_user").fetchone() == (sam,)
        with hub.db.engine.connect() as conn:
            stored = conn.exec_driver_sql(
                "SELECT rolpassword FROM pg_authid WHERE rolname = %(u)s", {"u": sam}
            ).scalar_one()
            assert str(stored).startswith("SCRAM-SHA-256$")
            assert (
                conn.exec_driver_sql(
                    "SELECT count(*) FROM audit_event "
                    "WHERE action = 'user.change_own_password' AND actor_login = %(u)s",
                    {"u": sam},
                ).scalar_one()
                == 1
            )


def test_only_an_administrator_sets_someone_elses_password(private_cluster: PrivateCluster) -> None:
    with login_world(private_cluster) as hub:
        with hub.connect("maria") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT mash_desk_set_password(%s, 'SCRAM-SHA-256$4096:x')", (hub.logins["sam"],))
        # a plain-text password is refused even from an administrator: only a verifier is accepted
        with hub.connect("admin") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT mash_desk_set_password(%s, 'plain text')", (hub.logins["sam"],))
        admin.set_user_password(hub.admin, hub.logins["sam"], "a phrase the admin chose")
        with psycopg.connect(private_cluster.conninfo(hub.logins["sam"], "a phrase the admin chose", hub.database)):
            pass
