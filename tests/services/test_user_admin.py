"""Administrators manage people: job, team and agency, switching accounts off and on, passwords.

On PostgreSQL each change is made by the database's own functions and shows in group membership,
which is what the database's rules read; on SQLite the app's own checks are the only ones.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from mash_desk.domain.enums import Role
from mash_desk.domain.errors import InvalidInput, PermissionRefused, UnknownUser
from mash_desk.services import admin
from mash_desk.store.models import User
from mash_desk.store.pg_security import hub_roles
from tests.support import World, audit_lines, unchanged


def _member_of(world: World, who: str, job: Role) -> bool:
    with world.db.engine.connect() as conn:
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        return bool(
            conn.execute(
                text("SELECT pg_has_role(:u, :g, 'MEMBER')"),
                {"u": world.logins[who], "g": hub_roles(database).job(job)},
            ).scalar_one()
        )


def _user(world: World, who: str) -> User:
    with world.db.session() as session:
        user = session.scalars(select(User).where(User.username == world.logins[who])).one()
        session.expunge(user)
        return user


def test_an_administrator_changes_someones_job_team_and_agency(world: World) -> None:
    admin.set_user_job(
        world.admin, world.logins["sam"], role=Role.MANAGER, team_name="Assessment Team", agency_code="SOCIAL_CARE"
    )
    user = _user(world, "sam")
    assert (user.role, user.team_id) == (Role.MANAGER, world.teams["Assessment Team"])
    assert world.sam.whoami().role is Role.MANAGER
    if world.db.is_postgresql:
        assert _member_of(world, "sam", Role.MANAGER)
        assert not _member_of(world, "sam", Role.PRACTITIONER)
    assert audit_lines(world.db)[-1].action == "user.set_job"


def test_only_an_administrator_manages_people_and_bad_input_changes_nothing(world: World) -> None:
    sam = world.logins["sam"]
    with unchanged(world.db), pytest.raises(PermissionRefused):
        admin.set_user_job(world.maria, sam, role=Role.ADMIN, team_name=None, agency_code="SOCIAL_CARE")
    with unchanged(world.db), pytest.raises(PermissionRefused):
        admin.set_user_active(world.sam, world.logins["priya"], False, "Left the service")
    with unchanged(world.db), pytest.raises(InvalidInput) as info:
        admin.set_user_job(world.admin, sam, role="wizard", team_name=None, agency_code="SOCIAL_CARE")
    assert "role" in info.value.field_errors
    with unchanged(world.db), pytest.raises(InvalidInput) as info:
        admin.set_user_job(
            world.admin, sam, role=Role.PRACTITIONER, team_name="No Such Team", agency_code="SOCIAL_CARE"
        )
    assert "team" in info.value.field_errors
    with unchanged(world.db), pytest.raises(InvalidInput) as info:
        admin.set_user_active(world.admin, sam, False, "   ")
    assert "reason" in info.value.field_errors
    with unchanged(world.db), pytest.raises(InvalidInput) as info:
        admin.set_user_job(
            world.admin, world.logins["admin"], role=Role.PRACTITIONER, team_name=None, agency_code="SOCIAL_CARE"
        )
    assert "last administrator" in str(info.value)
    with unchanged(world.db), pytest.raises(InvalidInput):
        admin.set_user_active(world.admin, world.logins["admin"], False, "Testing")


def test_a_switched_off_account_cannot_work_until_switched_on(world: World) -> None:
    admin.set_user_active(world.admin, world.logins["priya"], False, "Left the service")
    with pytest.raises(UnknownUser):
        world.priya.whoami()
    if world.db.is_postgresql:
        assert not _member_of(world, "priya", Role.PRACTITIONER), "no group: not even CONNECT"
    admin.set_user_active(world.admin, world.logins["priya"], True, "Came back")
    assert world.priya.whoami().role is Role.PRACTITIONER
    assert [line.action for line in audit_lines(world.db)[-2:]] == ["user.disable", "user.enable"]


def test_passwords_need_a_shared_hub_and_a_sensible_length(world: World) -> None:
    with unchanged(world.db), pytest.raises(InvalidInput) as info:
        admin.set_user_password(world.admin, world.logins["sam"], "short")
    assert "12 characters" in info.value.field_errors["password"]
    if not world.db.is_postgresql:
        with unchanged(world.db), pytest.raises(InvalidInput, match="embedded database has no passwords"):
            admin.set_user_password(world.admin, world.logins["sam"], "a long enough phrase")
        with unchanged(world.db), pytest.raises(InvalidInput, match="embedded database has no passwords"):
            admin.change_own_password(world.sam, "whatever it was", "a long enough phrase")


@pytest.mark.parametrize("backend", ["postgresql"])
def test_every_staff_login_has_the_session_time_limits(world: World) -> None:
    """A forgotten transaction cannot hold the hub's rows for long: each login's settings say so."""
    with world.db.engine.connect() as conn:
        settings = conn.execute(
            text(
                "SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole "
                "JOIN pg_database d ON d.oid = s.setdatabase WHERE r.rolname = :u AND d.datname = current_database()"
            ),
            {"u": world.logins["sam"]},
        ).scalar_one()
    assert "statement_timeout=120s" in settings
    assert "idle_in_transaction_session_timeout=60s" in settings
