"""The case audit on a hub-like server, as real logins with passwords: only managers and auditors set
an audit up; an auditor not assigned cannot read its cases or grade them; a grade is the assigned
auditor's own; and a partner agency's assigned auditor reads the sampled contact, nobody else's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mash_desk.domain.errors import NotFound, PermissionRefused
from mash_desk.services import audits
from tests.audit_cases import agency_ids, decided_cases, good_grading, set_up, user_ids
from tests.pgcluster import PrivateCluster
from tests.security.hub import LoginWorld, login_world, refused
from tests.support import snapshot


@pytest.fixture(scope="module")
def hub(private_cluster: PrivateCluster) -> Iterator[LoginWorld]:
    with login_world(private_cluster) as world:
        yield world


def _rows(hub: LoginWorld, who: str, sql: str) -> list[tuple[object, ...]]:
    with hub.connect(who) as conn:
        return list(conn.execute(sql).fetchall())


def test_only_managers_and_auditors_set_an_audit_up(hub: LoginWorld) -> None:
    insert = (
        "INSERT INTO case_audit (title, theme, period_start, period_end, sample_size, sampling, seed, internal_use, "
        "created_by_id, created_at) "
        "VALUES ('Mine', 'neglect', '2026-03-01', '2026-03-10', 3, 'random', 1, false, 1, now())"
    )
    for who in ("sam", "pc_jones", "bea", "admin"):
        assert "permission denied" in refused(hub, who, insert)
    with hub.connect("maria") as conn, conn.transaction():
        conn.execute(insert)
        made_by = conn.execute(
            "SELECT u.username FROM case_audit a JOIN app_user u ON u.id = a.created_by_id ORDER BY a.id DESC LIMIT 1"
        ).fetchone()
    assert made_by is not None
    assert made_by[0] == hub.logins["maria"]  # stamped from the login, whatever was sent
    with pytest.raises(PermissionRefused):
        set_up(hub, who="sam")


def test_an_auditor_not_assigned_can_neither_read_nor_grade_and_grades_are_the_assigned_auditors_own(
    hub: LoginWorld,
) -> None:
    decided_cases(hub, 3)
    made = set_up(hub, size=2)
    case_ids = [c.id for c in audits.audit_detail(hub.auditor, made.id).cases]
    # priya is not assigned: the database shows her no case, no grade, no audit
    assert _rows(hub, "priya", f"SELECT id FROM case_audit_case WHERE audit_id = {made.id}") == []
    assert _rows(hub, "priya", f"SELECT id FROM case_audit WHERE id = {made.id}") == []
    assert len(_rows(hub, "hv_okafor", f"SELECT id FROM case_audit_case WHERE audit_id = {made.id}")) == 2
    grade = (
        "INSERT INTO case_audit_grade (case_id, auditor_id, grade, learning, answers, graded_at) "
        f"VALUES ({case_ids[0]}, {{who}}, 'good', 'Learning in my own words here.', '{{{{}}}}', now())"
    )
    sam_id, health_id = user_ids(hub, "sam", "hv_okafor")
    assert "assigned to this audit" in refused(hub, "priya", grade.format(who=sam_id))
    assert "assigned to this audit" in refused(hub, "maria", grade.format(who=sam_id))
    with pytest.raises(NotFound):
        audits.grade_case(hub.priya, case_ids[0], **good_grading(hub))  # type: ignore[arg-type]
    # an assigned auditor's grade is their own, whoever the row names
    with hub.connect("hv_okafor") as conn, conn.transaction():
        conn.execute(grade.format(who=sam_id))
        graded_by = conn.execute(
            f"SELECT auditor_id FROM case_audit_grade WHERE case_id = {case_ids[0]} ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert graded_by == (health_id,)
    # grades are never changed, and another auditor's grade takes no findings of yours
    assert "permission denied" in refused(
        hub, "hv_okafor", f"UPDATE case_audit_grade SET grade = 'inadequate' WHERE case_id = {case_ids[0]}"
    )
    police = agency_ids(hub)["POLICE"]
    with hub.connect("hv_okafor") as conn:
        (grade_id,) = conn.execute(f"SELECT id FROM case_audit_grade WHERE case_id = {case_ids[0]}").fetchone()  # type: ignore[misc]
    assert "auditor who graded" in refused(
        hub,
        "sam",
        "INSERT INTO case_audit_finding (grade_id, agency_id, grade, finding) "
        f"VALUES ({grade_id}, {police}, 'good', 'x')",
    )


def test_a_partner_agencys_assigned_auditor_reads_the_sampled_contact_and_no_other(hub: LoginWorld) -> None:
    cases = decided_cases(hub, 3)  # police were asked about each; health about none
    made = set_up(hub, size=1, seed=11)
    (sampled,) = made.contact_ids
    others = [c.id for c in cases if c.id != sampled]
    seen = {row[0] for row in _rows(hub, "hv_okafor", "SELECT id FROM contact")}
    assert sampled in seen
    assert not seen & set(others)
    children = _rows(hub, "hv_okafor", f"SELECT person_id FROM contact_child WHERE contact_id = {sampled}")
    assert children  # and the child's record hangs off it
    (case,) = [c for c in audits.my_audit_cases(hub.health) if c.audit_id == made.id]
    view = audits.audit_case(hub.health, case.id)
    assert view.contact_id == sampled
    assert view.children


def test_actions_are_agreed_by_managers_and_auditors_and_done_once(hub: LoginWorld) -> None:
    decided_cases(hub, 2)
    made = set_up(hub, size=1)
    health = agency_ids(hub)["HEALTH"]
    insert = (
        "INSERT INTO case_audit_action (audit_id, what, owner, agency_id, due_on, created_by_id, created_at) "
        f"VALUES ({made.id}, 'Offer GCP2 at every second contact', 'Jan Cole', {health}, '2026-04-01', 1, now())"
    )
    assert "permission denied" in refused(hub, "sam", insert)
    with hub.connect("aud") as conn, conn.transaction():
        found = conn.execute(insert + " RETURNING id").fetchone()
    assert found is not None
    action_id = int(str(found[0]))
    assert "permission denied" in refused(
        hub, "sam", f"UPDATE case_audit_action SET done_at = now(), done_by_id = 1 WHERE id = {action_id}"
    )
    audits.mark_action_done(hub.auditor, action_id, "GCP2 offered at every second neglect contact since April.")
    before = snapshot(hub.db)
    assert "already done" in refused(
        hub, "maria", f"UPDATE case_audit_action SET done_note = 'again', done_at = now() WHERE id = {action_id}"
    )
    assert snapshot(hub.db) == before
