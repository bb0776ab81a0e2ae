"""Re-authentication at the idle lock, for real: a hub database on the private SCRAM/TLS cluster, a login
with a password of its own, and ``verify_password`` telling the right password from a wrong one (and
a login that has been switched off from either)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from psycopg import sql

from mash_desk.domain.enums import Role
from mash_desk.domain.errors import UnknownUser, WrongPassword
from mash_desk.services.admin import add_user, prepare_database
from mash_desk.services.context import ServiceContext
from mash_desk.services.reauthentication import verify_password
from mash_desk.store.database import Database
from tests.pgcluster import PrivateCluster


@dataclass
class Hub:
    cluster: PrivateCluster
    database: str
    login: str
    password: str

    def signed_in(self) -> Database:
        """The workstation's own connection, as the login with its password."""
        return Database(self.cluster.url_for(self.login, self.password, self.database))


@pytest.fixture(scope="module")
def hub(private_cluster: PrivateCluster) -> Hub:
    """The cluster is the session's own and goes with it: nothing to tidy here."""
    tag = uuid.uuid4().hex[:8]
    name = f"reauth_{tag}"
    owner = Database(private_cluster.create_database(name))
    try:
        prepare_database(owner)
        add_user(
            owner, None, username=f"ada_{tag}", display_name="Ada Admin", role=Role.ADMIN, agency_code="SOCIAL_CARE"
        )
        login, password = f"sam_{tag}", uuid.uuid4().hex
        add_user(
            owner,
            f"ada_{tag}",
            username=login,
            display_name="Sam Carter",
            role=Role.PRACTITIONER,
            agency_code="SOCIAL_CARE",
        )
    finally:
        owner.dispose()
    with private_cluster.connect_superuser(name) as conn:
        # the password set on the server, as IT would: only its SCRAM verifier is stored
        conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(login), sql.Literal(password)))
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(name), sql.Identifier(login)))
    return Hub(private_cluster, name, login, password)


def test_the_right_password_unlocks_and_a_wrong_one_is_named_as_such(hub: Hub) -> None:
    db = hub.signed_in()
    try:
        ctx = ServiceContext(db)
        assert ctx.whoami().username == hub.login
        verify_password(ctx, hub.password)
        with pytest.raises(WrongPassword) as wrong:
            verify_password(ctx, hub.password + "x")
        assert str(wrong.value) == f"That password is not right for {hub.login}."
        # the session itself is untouched by a failed check
        assert ctx.whoami().username == hub.login
    finally:
        db.dispose()


def test_a_login_that_can_no_longer_log_in_is_not_told_its_password_is_wrong(hub: Hub) -> None:
    db = hub.signed_in()
    try:
        ctx = ServiceContext(db)
        ctx.whoami()
        with hub.cluster.connect_superuser(hub.database) as conn:
            conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(hub.login)))
        try:
            with pytest.raises(UnknownUser):
                verify_password(ctx, hub.password)
        finally:
            with hub.cluster.connect_superuser(hub.database) as conn:
                conn.execute(sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(hub.login)))
    finally:
        db.dispose()
