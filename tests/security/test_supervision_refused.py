"""Supervision on a hub-like server, as real logins with passwords: only a manager records it, the
database stamps who recorded it, and each case discussed must be that manager's own management
oversight note on the same contact. Everyone else is refused by the service and by PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.errors import PermissionRefused
from mash_desk.domain.periods import london_date
from mash_desk.domain.supervision import CaseDiscussed
from mash_desk.services.supervision import record_supervision
from tests.pgcluster import PrivateCluster
from tests.security.hub import LoginWorld, login_world, refused
from tests.support import case_at, snapshot

REFLECTION = "Reflected on the drift between the second and third neglect contacts."
ACTIONS = "Ask for a Graded Care Profile 2; review at the next supervision."


@pytest.fixture(scope="module")
def hub(private_cluster: PrivateCluster) -> Iterator[LoginWorld]:
    with login_world(private_cluster) as world:
        yield world


def _user_id(hub: LoginWorld, who: str) -> int:
    with hub.db.engine.connect() as conn:
        return int(
            conn.exec_driver_sql("SELECT id FROM app_user WHERE username = %(u)s", {"u": hub.logins[who]}).scalar_one()
        )


def _insert_supervision(practitioner: int, supervisor: int, days_ahead: int = 0) -> str:
    return (
        "INSERT INTO supervision (practitioner_id, supervisor_id, held_on, recorded_by_id, recorded_at) "
        f"VALUES ({practitioner}, {supervisor}, current_date + {days_ahead}, {supervisor}, now())"
    )


def test_nobody_but_a_manager_writes_supervision_even_with_raw_sql(hub: LoginWorld) -> None:
    sam, maria = _user_id(hub, "sam"), _user_id(hub, "maria")
    for who in ("sam", "bea", "pc_jones", "aud", "admin"):
        assert "permission denied" in refused(hub, who, _insert_supervision(sam, maria))
    case = case_at(hub, ContactStatus.SCREENED)
    before = snapshot(hub.db)
    with pytest.raises(PermissionRefused):
        record_supervision(
            hub.sam,
            sam,
            maria,
            london_date(hub.clock()),
            [CaseDiscussed(f"MASH-{case.id:07d}", REFLECTION, ACTIONS)],
        )
    assert snapshot(hub.db) == before


def test_a_manager_is_held_to_the_rules_by_the_database(hub: LoginWorld) -> None:
    sam, maria, mark = _user_id(hub, "sam"), _user_id(hub, "maria"), _user_id(hub, "mark")
    # a manager "supervised" as a practitioner, a practitioner as the supervisor, a date to come
    assert "active practitioner" in refused(hub, "maria", _insert_supervision(mark, maria))
    assert "active manager" in refused(hub, "maria", _insert_supervision(sam, _user_id(hub, "priya")))
    assert "before it has happened" in refused(hub, "maria", _insert_supervision(sam, maria, days_ahead=2))
    # a case with no oversight note of this manager's on that contact
    case = case_at(hub, ContactStatus.SCREENED)
    other = case_at(hub, ContactStatus.SCREENED)
    supervision_id = record_supervision(
        hub.maria,
        sam,
        maria,
        london_date(hub.clock()) - timedelta(days=1),
        [CaseDiscussed(f"MASH-{case.id:07d}", REFLECTION, ACTIONS)],
    )
    with hub.db.engine.connect() as conn:
        note_id, recorded_by = conn.exec_driver_sql(
            "SELECT c.note_id, s.recorded_by_id FROM supervision_case c JOIN supervision s ON s.id = c.supervision_id "
            "WHERE s.id = %(s)s",
            {"s": supervision_id},
        ).one()
    assert recorded_by == maria  # stamped by the database from the login
    moved = (
        "INSERT INTO supervision_case (supervision_id, contact_id, note_id, reflection, actions) "
        f"VALUES ({supervision_id}, {other.id}, {note_id}, 'x', 'y')"
    )
    assert "management oversight" in refused(hub, "maria", moved)
    # another manager cannot add cases to Maria's supervision, even with an oversight note of their own
    marks_note = (
        f"INSERT INTO case_note (contact_id, kind, text, author_id, written_at) VALUES ({other.id}, "
        f"'management_oversight', 'Mark''s oversight', {mark}, now())"
    )
    added = (
        "INSERT INTO supervision_case (supervision_id, contact_id, note_id, reflection, actions) "
        f"VALUES ({supervision_id}, {other.id}, currval('case_note_id_seq'), 'x', 'y')"
    )
    assert "manager who recorded it" in refused(hub, "mark", [marks_note, added])
    # nobody reads supervision but those who oversee the work
    assert "permission denied" in refused(hub, "sam", "SELECT count(*) FROM supervision_case")
    assert "permission denied" in refused(hub, "pc_jones", "SELECT count(*) FROM supervision")
