"""The risk tools on a hub-like server, as real logins with passwords: only a login whose user
record is marked trained and licensed records a Graded Care Profile 2, only an administrator sets
that mark (through the database's own audited function), and a DASH's level follows its score."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.errors import PermissionRefused
from mash_desk.domain.periods import london_date
from mash_desk.domain.risk import CarerParticipation
from mash_desk.services import admin, risk_tools
from tests.pgcluster import PrivateCluster
from tests.security.hub import LoginWorld, login_world, refused
from tests.support import case_at, snapshot

GRADES = {"physical_care": 4, "safety": 3, "love_and_belonging": 2, "esteem": 3}


@pytest.fixture(scope="module")
def hub(private_cluster: PrivateCluster) -> Iterator[LoginWorld]:
    with login_world(private_cluster) as world:
        yield world


def _insert_gcp(case_id: int, child_id: int) -> str:
    return (
        "INSERT INTO gcp_assessment (contact_id, child_id, physical_care, safety, love_and_belonging, esteem, "
        f"carer_consent, carer_participation, review_on, assessor_id, assessed_at) VALUES ({case_id}, {child_id}, "
        "4, 3, 2, 3, true, 'full', current_date + 30, 1, now())"
    )


def _licensed(hub: LoginWorld, who: str) -> bool:
    with hub.db.engine.connect() as conn:
        return bool(
            conn.exec_driver_sql(
                "SELECT gcp_licensed FROM app_user WHERE username = %(u)s", {"u": hub.logins[who]}
            ).scalar_one()
        )


def test_an_unlicensed_login_cannot_record_a_gcp2_even_with_raw_sql(hub: LoginWorld) -> None:
    case = case_at(hub, ContactStatus.SCREENED)
    child_id = case.child_ids[0]
    assert not _licensed(hub, "sam")
    message = refused(hub, "sam", _insert_gcp(case.id, child_id))
    assert "trained and licensed" in message
    # the service says the same, and writes nothing either
    before = snapshot(hub.db)
    with pytest.raises(PermissionRefused):
        risk_tools.record_gcp(
            hub.sam,
            case.id,
            child_id,
            GRADES,
            carer_consent=True,
            carer_participation=CarerParticipation.FULL,
            review_on=london_date(hub.clock()) + timedelta(weeks=6),
        )
    assert snapshot(hub.db) == before


def test_nobody_but_an_administrator_marks_a_licence(hub: LoginWorld) -> None:
    sam = hub.logins["sam"]
    assert "permission denied" in refused(
        hub, "sam", "UPDATE app_user SET gcp_licensed = true WHERE username = %(u)s", {"u": sam}
    )
    assert "permission denied" in refused(hub, "sam", "SELECT mash_desk_set_user_gcp_licensed(%(u)s, true)", {"u": sam})
    assert "permission denied" in refused(
        hub, "maria", "SELECT mash_desk_set_user_gcp_licensed(%(u)s, true)", {"u": sam}
    )
    with pytest.raises(PermissionRefused):
        admin.set_user_gcp_licensed(hub.maria, sam, True)


def test_once_marked_the_assessor_records_one_and_unmarked_cannot_again(hub: LoginWorld) -> None:
    case = case_at(hub, ContactStatus.SCREENED)
    child_id = case.child_ids[0]
    admin.set_user_gcp_licensed(hub.admin, hub.logins["priya"], True)
    assert _licensed(hub, "priya")
    with hub.connect("priya") as conn, conn.transaction():
        conn.execute(_insert_gcp(case.id, child_id))  # the assessor is stamped from the login, whatever was sent
        stamped = conn.execute(
            "SELECT u.username FROM gcp_assessment g JOIN app_user u ON u.id = g.assessor_id ORDER BY g.id DESC LIMIT 1"
        ).fetchone()
    assert stamped is not None
    assert stamped[0] == hub.logins["priya"]
    gcp_id = risk_tools.record_gcp(
        hub.priya,
        case.id,
        child_id,
        GRADES,
        carer_consent=False,
        carer_participation=CarerParticipation.PARTIAL,
        review_on=london_date(hub.clock()) + timedelta(weeks=8),
    )
    assert gcp_id
    admin.set_user_gcp_licensed(hub.admin, hub.logins["priya"], False)
    assert "trained and licensed" in refused(hub, "priya", _insert_gcp(case.id, child_id))
    with hub.db.engine.connect() as owner:
        audited = owner.exec_driver_sql(
            "SELECT count(*) FROM audit_event WHERE action = 'user.set_gcp_licensed' AND actor_login = %(a)s",
            {"a": hub.logins["admin"]},
        ).scalar_one()
    assert audited == 2


def test_a_dash_level_that_does_not_follow_its_score_is_refused(hub: LoginWorld) -> None:
    case = case_at(hub, ContactStatus.SCREENED)
    before = snapshot(hub.db)
    with hub.connect("sam") as conn, pytest.raises(psycopg.errors.CheckViolation), conn.transaction():
        conn.execute(
            "INSERT INTO dash_assessment (contact_id, answers, yes_count, level, professional_judgement, "
            f"marac_referral, assessed_by_id, assessed_at) VALUES ({case.id}, '{'Y' * 24}', 24, 'standard', "
            "false, false, 1, now())"
        )
    assert snapshot(hub.db) == before


def test_a_marac_referral_follows_a_high_dash_on_its_own_contact_and_the_database_stamps_it(hub: LoginWorld) -> None:
    case = case_at(hub, ContactStatus.SCREENED)
    other = case_at(hub, ContactStatus.SCREENED)
    medium = risk_tools.record_dash(hub.sam, case.id, [True] * 11 + [False] * 13)
    high = risk_tools.record_dash(hub.sam, case.id, [True] * 15 + [False] * 9)

    def insert(dash_id: int, contact_id: int) -> str:
        return (
            "INSERT INTO marac_referral (dash_id, contact_id, made_by_id, made_at, children, pdf, sha256) "
            f"VALUES ({dash_id}, {contact_id}, 1, now(), 'Amira', '\\x255044462d'::bytea, 'forged')"
        )

    one_answer = "follows a high-risk DASH recorded on the same contact"
    assert one_answer in refused(hub, "sam", insert(medium.id, case.id))
    assert one_answer in refused(hub, "sam", insert(high.id, other.id))
    assert "permission denied" in refused(hub, "aud", insert(high.id, case.id))
    # a partner never asked about the contact gets that same answer whatever it tries: high-risk or not, on
    # the DASH's own contact or another (it had one answer per case, so it could find the high-risk DASHes
    # and their contacts by trying ids in turn)
    with hub.connect("hv_okafor") as conn:
        assert conn.execute("SELECT count(*) FROM contact WHERE id = %s", (case.id,)).fetchone() == (0,)
    for dash_id, contact_id in ((high.id, case.id), (medium.id, case.id), (high.id, other.id)):
        assert one_answer in refused(hub, "hv_okafor", insert(dash_id, contact_id))
    referral = risk_tools.make_marac_referral(hub.sam, high.id)
    with hub.db.engine.connect() as owner:
        made_by, digest = owner.exec_driver_sql(
            "SELECT u.username, m.sha256 FROM marac_referral m JOIN app_user u ON u.id = m.made_by_id "
            "WHERE m.id = %(i)s",
            {"i": referral.id},
        ).one()
    assert made_by == hub.logins["sam"]
    assert digest == referral.sha256
    assert "permission denied" in refused(
        hub, "sam", f"UPDATE marac_referral SET children = 'nobody' WHERE id = {referral.id}"
    )
