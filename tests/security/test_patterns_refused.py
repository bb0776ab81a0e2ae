"""Patterns: the database refuses a manager's decision from anyone but a manager, and stamps who decided.

Each attack runs as the attacker's own login and password on the suite's private, hub-like cluster;
the services then do the same work as real logins, so the rules refuse only what the services would.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from mash_desk.domain.enums import Concern, ContactStatus
from mash_desk.domain.patterns import Interpreter, PatternKind
from mash_desk.services import intake
from mash_desk.services.patterns import ConversationInput, contact_patterns, record_conversation, record_response
from tests.pgcluster import PrivateCluster
from tests.security.hub import LoginWorld, login_world, refused
from tests.support import case_at, child, contact_draft


@pytest.fixture(scope="module")
def hub(private_cluster: PrivateCluster) -> Iterator[LoginWorld]:
    with login_world(private_cluster) as world:
        yield world


def _user_id(world: LoginWorld, who: str) -> int:
    with world.db.engine.connect() as conn:
        value = conn.exec_driver_sql(
            "SELECT id FROM app_user WHERE username = %(u)s", {"u": world.logins[who]}
        ).scalar_one()
    return int(value)


_RESPOND = (
    "INSERT INTO pattern_response (contact_id, pattern, decision, reason, decided_by_id, decided_at) "
    "VALUES (%(id)s, 'cumulative_neglect', 'neither', 'not needed', %(m)s, now())"
)


@pytest.mark.parametrize("who", ["sam", "bea", "pc_jones", "aud", "admin"])
def test_only_a_manager_records_a_decision_about_a_pattern(hub: LoginWorld, who: str) -> None:
    case = case_at(hub, ContactStatus.RECEIVED)
    message = refused(hub, who, _RESPOND, {"id": case.id, "m": _user_id(hub, "maria")})
    assert "permission denied" in message


def test_nobody_rewrites_a_decision_a_conversation_or_the_thresholds(hub: LoginWorld) -> None:
    for who, sql in (
        ("maria", "UPDATE pattern_response SET reason = 'rewritten'"),
        ("maria", "DELETE FROM pattern_response"),
        ("sam", "UPDATE family_conversation SET interpreter = 'professional'"),
        ("sam", "DELETE FROM family_conversation"),
        ("maria", "UPDATE pattern_policy SET amount = 20"),
        (
            "pc_jones",
            "INSERT INTO family_conversation (contact_id, held_on, spoke_with, interpreter, recorded_by_id, "
            "recorded_at) VALUES (1, current_date, 'x', 'child', 1, now())",
        ),
    ):
        assert "permission denied" in refused(hub, who, sql)


def test_the_services_work_as_real_logins_and_the_database_stamps_who(hub: LoginWorld) -> None:
    first = intake.log_contact(
        hub.sam,
        contact_draft(hub.clock, child(), concerns={Concern.NEGLECT}, received_at=hub.clock() - timedelta(days=90)),
    )
    amira = first.child_person_ids[0]
    for days in (40, 1):
        intake.log_contact(
            hub.sam,
            contact_draft(
                hub.clock,
                child(existing_person_id=amira),
                concerns={Concern.NEGLECT},
                received_at=hub.clock() - timedelta(days=days),
            ),
        )
    with hub.db.engine.connect() as conn:
        third = int(conn.exec_driver_sql("SELECT max(id) FROM contact").scalar_one())
    assert PatternKind.CUMULATIVE_NEGLECT in {p.kind for p in contact_patterns(hub.sam, third).patterns}
    record_response(hub.maria, third, "cumulative_neglect", "graded_care_profile", "GCP2 with the health visitor.")
    record_conversation(hub.sam, third, ConversationInput(hub.clock().date(), "Mother", Interpreter.CHILD.value))
    with hub.db.engine.connect() as conn:
        decided_by = conn.exec_driver_sql("SELECT decided_by_id FROM pattern_response").scalar_one()
        recorded_by = conn.exec_driver_sql("SELECT recorded_by_id FROM family_conversation").scalar_one()
        rows = conn.exec_driver_sql(
            "SELECT count(*) FROM audit_event WHERE entity IN ('pattern_response', 'family_conversation') "
            "AND action = 'row.insert'"
        ).scalar_one()
    assert (decided_by, recorded_by) == (_user_id(hub, "maria"), _user_id(hub, "sam"))
    assert rows == 2
