"""``mash_desk_contact_returns``, which opening a contact reads a return's words through on PostgreSQL, says
for every request exactly what row security and the two per-request rules say: the same requests, the same
words, the same marking, for every login of the cast, on an open, a partner's and a restricted contact."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mash_desk.domain.enums import Confidentiality, ContactStatus
from mash_desk.services import restrictions, screening
from mash_desk.services.contact_view import open_contact
from tests.pgcluster import PrivateCluster
from tests.security.hub import LoginWorld, login_world
from tests.support import case_at

S = ContactStatus
Said = list[tuple[object, ...]]


@pytest.fixture(scope="module")
def hub(private_cluster: PrivateCluster) -> Iterator[LoginWorld]:
    with login_world(private_cluster) as world:
        yield world


def _returned(hub: LoginWorld, contact_id: int, police: Confidentiality, health: Confidentiality) -> None:
    """The police and health asked about ``contact_id``, each answering under the marking given."""
    (police_request,) = case_requests(hub, contact_id)
    (health_request,) = screening.request_agency_checks(hub.sam, contact_id, ["HEALTH"])
    for who, request, marking in ((hub.police, police_request, police), (hub.health, health_request, health)):
        screening.record_agency_return(
            who, request, summary=f"{marking.value} words.", nothing_known=False, confidentiality=marking
        )


def case_requests(hub: LoginWorld, contact_id: int) -> list[int]:
    with hub.db.engine.connect() as conn:
        return list(
            conn.exec_driver_sql(
                "SELECT id FROM agency_request WHERE contact_id = %(c)s ORDER BY id", {"c": contact_id}
            ).scalars()
        )


def _both_ways(hub: LoginWorld, who: str, contact_id: int) -> tuple[Said, Said]:
    """The set-returning function's answer, and the per-request rules' over the rows row security shows."""
    with hub.connect(who) as conn:
        at_once = conn.execute(
            "SELECT request_id, summary, readable FROM mash_desk_contact_returns(%s) ORDER BY request_id",
            (contact_id,),
        ).fetchall()
        one_by_one = conn.execute(
            "SELECT r.id, mash_desk_return_summary(r.id), mash_desk_may_read_return(r.agency_id, r.confidentiality) "
            "FROM agency_request r WHERE r.contact_id = %s ORDER BY r.id",
            (contact_id,),
        ).fetchall()
    return at_once, one_by_one


def test_one_call_says_what_the_per_request_rules_say_for_every_login(hub: LoginWorld) -> None:
    confidential = case_at(hub, S.AGENCY_CHECKS)
    _returned(hub, confidential.id, Confidentiality.AGENCY_CONFIDENTIAL, Confidentiality.RESTRICTED)
    shared = case_at(hub, S.AGENCY_CHECKS)
    _returned(hub, shared.id, Confidentiality.SHAREABLE, Confidentiality.SHAREABLE)
    hidden = case_at(hub, S.AGENCY_CHECKS)
    _returned(hub, hidden.id, Confidentiality.SHAREABLE, Confidentiality.AGENCY_CONFIDENTIAL)
    restrictions.restrict_record(hub.maria, contact_id=hidden.id, reason="A member of staff's family.")

    answers: dict[tuple[str, int], Said] = {}
    for who in ("sam", "priya", "maria", "mark", "bea", "aud", "ava", "pc_jones", "hv_okafor"):
        for contact in (confidential, shared, hidden):
            at_once, one_by_one = _both_ways(hub, who, contact.id)
            assert at_once == one_by_one, (who, contact.id)
            answers[who, contact.id] = at_once

    police_request, health_request = case_requests(hub, confidential.id)
    # the cases the comparison must have covered, so that agreeing is not agreeing on nothing
    assert answers["sam", confidential.id] == [
        (police_request, "agency_confidential words.", True),
        (health_request, None, False),
    ]
    assert answers["bea", confidential.id] == [(police_request, None, False), (health_request, None, False)]
    assert answers["hv_okafor", confidential.id] == [(health_request, "restricted words.", True)]
    assert answers["pc_jones", confidential.id] == [(police_request, "agency_confidential words.", True)]
    assert [words for _id, words, _readable in answers["bea", shared.id]] == ["shareable words."] * 2
    assert answers["priya", hidden.id] == []  # hidden by the restriction: not a row, not a word
    assert answers["mark", hidden.id] == []
    assert [words for _id, words, _readable in answers["maria", hidden.id]] == [
        "shareable words.",
        "agency_confidential words.",
    ]


def test_the_window_shows_what_the_function_hands_over(hub: LoginWorld) -> None:
    case = case_at(hub, S.AGENCY_CHECKS)
    _returned(hub, case.id, Confidentiality.AGENCY_CONFIDENTIAL, Confidentiality.RESTRICTED)
    seen = {
        who: [(r.agency_code, r.summary, r.withheld) for r in open_contact(getattr(hub, who), case.id).agency_requests]
        for who in ("sam", "bea", "police", "health")
    }
    assert seen == {
        "sam": [("POLICE", "agency_confidential words.", False), ("HEALTH", None, True)],
        "bea": [("POLICE", None, True), ("HEALTH", None, True)],
        "police": [("POLICE", "agency_confidential words.", False)],
        "health": [("HEALTH", "restricted words.", False)],
    }
