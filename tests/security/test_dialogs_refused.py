"""Issue 15's two stored facts, tried with real logins on a hub-like server: whether the parents know of
a contact is written once, with the contact, and "no" never without its reason; the hub's LA code is an
administrator's to set. The database refuses what the services refuse, and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from mash_desk.domain.enums import ContactStatus, ParentsAware
from mash_desk.domain.errors import PermissionRefused
from mash_desk.services import intake, policy
from tests.pgcluster import PrivateCluster
from tests.security.hub import LoginWorld, login_world, refused
from tests.support import case_at, contact_draft, snapshot, unchanged

COPY = (
    "INSERT INTO contact (reference, received_at, recorded_at, channel, referral_source, referrer_kind, "
    "referrer_first_hand, referrer_anonymity_requested, narrative, immediate_danger, status, rag_due_at, "
    "decision_due_at, re_referral, created_by_id, updated_at, updated_by_id, version, parents_aware, "
    "parents_not_aware_reason) "
    "SELECT %(ref)s, received_at, recorded_at, channel, referral_source, referrer_kind, referrer_first_hand, "
    "referrer_anonymity_requested, narrative, immediate_danger, status, rag_due_at, decision_due_at, re_referral, "
    "created_by_id, updated_at, updated_by_id, 1, %(aware)s, %(why)s FROM contact WHERE id = %(id)s"
)


@pytest.fixture(scope="module")
def hub(private_cluster: PrivateCluster) -> Iterator[LoginWorld]:
    with login_world(private_cluster) as world:
        yield world


def test_whether_the_parents_know_is_written_once_and_no_says_why(hub: LoginWorld) -> None:
    logged = intake.log_contact(hub.bea, contact_draft(hub.clock, parents_aware=ParentsAware.YES))
    # nobody rewrites it afterwards: the column is not granted for UPDATE to any job
    for who in ("sam", "maria", "bea"):
        message = refused(
            hub, who, "UPDATE contact SET parents_aware = 'no', parents_not_aware_reason = 'x' WHERE id = %(id)s",
            {"id": logged.id},
        )  # fmt: skip
        assert "permission denied" in message
    # and a contact logged by hand as "not aware" must say why, as intake insists
    before = snapshot(hub.db)
    with hub.connect("bea") as conn, pytest.raises(psycopg.errors.CheckViolation), conn.transaction():
        conn.execute(COPY, {"ref": "BY-HAND-1", "aware": "no", "why": None, "id": logged.id})
    assert snapshot(hub.db) == before


def test_only_an_administrator_sets_the_hubs_la_code(hub: LoginWorld) -> None:
    case_at(hub, ContactStatus.SCREENED)
    with unchanged(hub.db), pytest.raises(PermissionRefused):
        policy.set_la_code(hub.maria, "821")
    for who in ("maria", "sam"):
        message = refused(hub, who, "INSERT INTO setting (key, value) VALUES ('la_code', '821')")
        assert "permission denied" in message
    assert policy.set_la_code(hub.admin, "821") == "821"
    message = refused(hub, "maria", "UPDATE setting SET value = '999' WHERE key = 'la_code'")
    assert "permission denied" in message
    assert policy.hub_la_code(hub.maria) == "821"
