"""Why a child has no UPN (``person.upn_unknown``, issue 13): the database lets social work record it,
as it does the UPN, and refuses anyone else with SQLSTATE 42501, changing nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mash_desk.domain.enums import ContactStatus
from mash_desk.services.people import PersonCorrection, correct_person
from tests.pgcluster import PrivateCluster
from tests.security.hub import LoginWorld, login_world, refused
from tests.support import case_at


@pytest.fixture(scope="module")
def hub(private_cluster: PrivateCluster) -> Iterator[LoginWorld]:
    with login_world(private_cluster) as world:
        yield world


def test_only_social_work_records_why_a_upn_is_unknown(hub: LoginWorld) -> None:
    case = case_at(hub, ContactStatus.SCREENED)
    child = case.child_ids[0]
    for who in ("pc_jones", "aud", "bea"):
        message = refused(hub, who, "UPDATE person SET upn_unknown = 'UN2' WHERE id = %(p)s", {"p": child})
        assert "permission denied" in message
    correct_person(
        hub.sam,
        child,
        PersonCorrection(upn_unknown="UN2"),
        reason="Checked with the school office.",
        expected_version=1,
    )
    with hub.connect("sam") as conn:
        row = conn.execute("SELECT upn_unknown FROM person WHERE id = %s", (child,)).fetchone()
    assert row == ("UN2",)
