"""Threshold exercises on a hub-like server, as real logins with passwords: raters never reach the real
decision or the source contact through the exercise, nor a vignette before release, nor anyone else's
rating; only managers set up, review, open and close; the database stamps who did what."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from mash_desk.domain.enums import Outcome
from mash_desk.domain.errors import PermissionRefused
from mash_desk.services import exercises
from tests.pgcluster import PrivateCluster
from tests.security.hub import LoginWorld, login_world, refused
from tests.services.test_exercises import closed_case_naming_the_family
from tests.support import snapshot


@pytest.fixture(scope="module")
def hub(private_cluster: PrivateCluster) -> Iterator[LoginWorld]:
    with login_world(private_cluster) as world:
        yield world


def _scalar(hub: LoginWorld, who: str, sql: str, params: dict[str, object] | None = None) -> object:
    with hub.connect(who) as conn:
        row = conn.execute(sql, params).fetchone()
    assert row is not None
    return row[0]


def _user_id(hub: LoginWorld, who: str) -> int:
    with hub.db.engine.connect() as conn:
        return int(
            conn.exec_driver_sql("SELECT id FROM app_user WHERE username = %(u)s", {"u": hub.logins[who]}).scalar_one()
        )


def _draft(hub: LoginWorld, title: str) -> tuple[int, list[exercises.VignetteRow]]:
    references = []
    for _ in range(2):
        contact_id = closed_case_naming_the_family(hub)
        references.append(f"MASH-{contact_id:07d}")
    exercise_id = exercises.create_exercise(hub.maria, title)
    exercises.add_contacts(hub.maria, exercise_id, " ".join(references))
    return exercise_id, exercises.vignettes(hub.maria, exercise_id)


def test_only_managers_set_up_and_review_and_the_database_stamps_it(hub: LoginWorld) -> None:
    insert = (
        "INSERT INTO threshold_exercise (title, status, created_by_id, created_at, version) "
        "VALUES ('Sneaky exercise', 'draft', 1, now(), 1)"
    )
    assert "permission denied" in refused(hub, "sam", insert)
    assert "permission denied" in refused(hub, "pc_jones", insert)
    assert "permission denied" in refused(hub, "aud", insert)
    assert "starts as a draft" in refused(hub, "maria", insert.replace("'draft'", "'open'"))
    before = snapshot(hub.db)
    with pytest.raises(PermissionRefused):
        exercises.create_exercise(hub.sam, "Sneaky exercise")
    assert snapshot(hub.db) == before

    exercise_id, drafted = _draft(hub, "Stamped by the database")
    first = drafted[0].id
    assert "permission denied" in refused(hub, "sam", f"UPDATE exercise_vignette SET text = 'x' WHERE id = {first}")
    assert "reviewed by a person" in refused(
        hub, "maria", f"UPDATE threshold_exercise SET status = 'open' WHERE id = {exercise_id}"
    )
    # a manager's review is stamped with their own login, whoever the statement names
    with hub.connect("maria") as conn, conn.transaction():
        conn.execute(
            f"UPDATE exercise_vignette SET reviewed_by_id = {_user_id(hub, 'mark')}, reviewed_at = now() "
            f"WHERE id = {first}"
        )
    assert _scalar(hub, "maria", f"SELECT reviewed_by_id FROM exercise_vignette WHERE id = {first}") == _user_id(
        hub, "maria"
    )
    # the real decision is the contact's own, whatever a manager sends
    source = drafted[1]
    with hub.db.engine.connect() as owner:
        contact_id, child_id = owner.exec_driver_sql(
            f"SELECT contact_id, child_id FROM vignette_source WHERE vignette_id = {source.id}"
        ).one()
    with hub.connect("maria") as conn, pytest.raises(psycopg.errors.UniqueViolation), conn.transaction():
        conn.execute(
            "INSERT INTO vignette_source (vignette_id, contact_id, child_id, real_level, real_outcome, shift_days) "
            f"VALUES ({source.id}, {contact_id}, {child_id}, 1, 'NFA', -70)"
        )


def test_raters_never_reach_the_source_the_real_decision_or_an_unreleased_vignette(hub: LoginWorld) -> None:
    exercise_id, drafted = _draft(hub, "Blind rating")
    for who in ("sam", "pc_jones", "hv_okafor", "ava"):
        assert "permission denied" in refused(hub, who, "SELECT real_level, real_outcome FROM vignette_source")
        assert "permission denied" in refused(hub, who, "SELECT contact_id FROM vignette_source")
        assert _scalar(hub, who, f"SELECT count(*) FROM exercise_vignette WHERE exercise_id = {exercise_id}") == 0
    assert _scalar(hub, "aud", "SELECT count(*) FROM vignette_source") == len(drafted) + 2  # the first test's too
    rate = "INSERT INTO vignette_rating (vignette_id, rater_id, agency_id, level_of_need, outcome, rated_at) VALUES "
    assert "only while the exercise is open" in refused(
        hub, "sam", f"{rate} ({drafted[0].id}, 1, 1, 3, 'CFA_S17', now())"
    )
    for vignette in drafted:
        exercises.review_vignette(hub.maria, vignette.id, vignette.text, vignette.version)
    exercises.open_exercise(hub.maria, exercise_id)
    assert _scalar(hub, "sam", f"SELECT count(*) FROM exercise_vignette WHERE exercise_id = {exercise_id}") == 2
    assert "never changes" in refused(
        hub, "maria", f"UPDATE exercise_vignette SET text = 'changed after release' WHERE id = {drafted[0].id}"
    )
    assert "prepared this exercise" in refused(hub, "maria", f"{rate} ({drafted[0].id}, 1, 1, 3, 'CFA_S17', now())")
    assert "permission denied" in refused(hub, "aud", f"{rate} ({drafted[0].id}, 1, 1, 3, 'CFA_S17', now())")
    assert "permission denied" in refused(hub, "bea", f"{rate} ({drafted[0].id}, 1, 1, 3, 'CFA_S17', now())")
    # the rater and their agency are the login's, whatever the statement says
    police_id = _user_id(hub, "pc_jones")
    with hub.connect("sam") as conn, conn.transaction():
        conn.execute(f"{rate} ({drafted[0].id}, {police_id}, 2, 3, 'CFA_S17', now())")
    exercises.rate_vignette(hub.police, drafted[0].id, 4, Outcome.STRATEGY_S47)
    with hub.db.engine.connect() as owner:
        stamped = owner.exec_driver_sql(
            f"SELECT r.rater_id, a.code FROM vignette_rating r JOIN agency a ON a.id = r.agency_id "
            f"WHERE r.vignette_id = {drafted[0].id} ORDER BY r.id"
        ).all()
    assert [(row[0], row[1]) for row in stamped] == [(_user_id(hub, "sam"), "SOCIAL_CARE"), (police_id, "POLICE")]
    # each rater sees only their own rating; managers and auditors see them all
    assert _scalar(hub, "sam", "SELECT count(*) FROM vignette_rating") == 1
    assert _scalar(hub, "pc_jones", "SELECT count(*) FROM vignette_rating") == 1
    assert _scalar(hub, "aud", "SELECT count(*) FROM vignette_rating") == 2
    with pytest.raises(PermissionRefused):
        exercises.exercise_results(hub.sam, exercise_id)
    assert exercises.exercise_results(hub.auditor, exercise_id).overall.ratings == 2
    # the services ask for nothing the database refuses a rater
    assert [v.position for v in exercises.vignettes_to_rate(hub.health)] == [1, 2]
    assert "permission denied" in refused(
        hub, "pc_jones", f"UPDATE threshold_exercise SET status = 'closed' WHERE id = {exercise_id}"
    )
    exercises.close_exercise(hub.maria, exercise_id)
    assert "cannot go from closed to open" in refused(
        hub, "maria", f"UPDATE threshold_exercise SET status = 'open' WHERE id = {exercise_id}"
    )
