"""Chasing a hand-off on a hub-like server, as real logins with passwords: the database stamps who
chased from the login, and refuses a chase by the receiving team, by a job that does not chase, of a
hand-off already answered, filed against another contact, or changed afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.errors import IllegalTransition, PermissionRefused
from mash_desk.services import handoffs
from tests.pgcluster import PrivateCluster
from tests.security.hub import LoginWorld, login_world, refused
from tests.support import case_at, snapshot


@pytest.fixture(scope="module")
def hub(private_cluster: PrivateCluster) -> Iterator[LoginWorld]:
    with login_world(private_cluster) as world:
        yield world


def _chase(handoff_id: int, contact_id: int, chased_by: int = 1) -> str:
    return (
        "INSERT INTO hand_off_chase (hand_off_id, contact_id, chased_by_id, chased_at, note) "
        f"VALUES ({handoff_id}, {contact_id}, {chased_by}, now(), 'Phoned the duty manager')"
    )


def _user_id(hub: LoginWorld, who: str) -> int:
    with hub.db.engine.connect() as conn:
        return int(
            conn.exec_driver_sql("SELECT id FROM app_user WHERE username = %(u)s", {"u": hub.logins[who]}).scalar_one()
        )


def test_only_mash_social_work_chases_and_the_database_says_who(hub: LoginWorld) -> None:
    case = case_at(hub, ContactStatus.AWAITING_ACCEPTANCE)
    other = case_at(hub, ContactStatus.SCREENED)
    assert case.handoff_id is not None
    # the receiving team, business support and a partner agency are refused, even with raw SQL
    assert "does not chase" in refused(hub, "ava", _chase(case.handoff_id, case.id))
    assert "permission denied" in refused(hub, "bea", _chase(case.handoff_id, case.id))
    assert "permission denied" in refused(hub, "pc_jones", _chase(case.handoff_id, case.id))
    # a chase belongs to its hand-off's contact
    assert "belongs to the contact" in refused(hub, "sam", _chase(case.handoff_id, other.id))
    with pytest.raises(PermissionRefused):  # the service refuses the receiving team too
        handoffs.chase_hand_off(hub.ava, case.handoff_id, "Any news?")
    # Sam may, and whoever Sam claims to be, the database writes Sam
    with hub.connect("sam") as sams, sams.transaction():
        sams.execute(_chase(case.handoff_id, case.id, chased_by=_user_id(hub, "maria")))
    with hub.db.engine.connect() as conn:
        chased_by = conn.exec_driver_sql(
            "SELECT chased_by_id FROM hand_off_chase WHERE hand_off_id = %(h)s", {"h": case.handoff_id}
        ).scalar_one()
    assert chased_by == _user_id(hub, "sam")
    # nobody changes or removes a chase
    assert "permission denied" in refused(hub, "sam", "UPDATE hand_off_chase SET note = 'Did nothing'")
    assert "permission denied" in refused(hub, "maria", "DELETE FROM hand_off_chase")


def test_an_answered_hand_off_is_not_chased(hub: LoginWorld) -> None:
    case = case_at(hub, ContactStatus.ACCEPTED)
    assert case.handoff_id is not None
    assert "still waiting" in refused(hub, "maria", _chase(case.handoff_id, case.id))
    before = snapshot(hub.db)
    with pytest.raises(IllegalTransition, match="already been accepted"):
        handoffs.chase_hand_off(hub.maria, case.handoff_id, "Any news?")
    assert snapshot(hub.db) == before
