"""Merging two records of one person, tried with people's own logins and passwords on a hub-like server.

Only a manager merges, and only through a recorded merge: a practitioner's login cannot point a
record at another, record a merge, or re-point a contact's child; a manager's login cannot re-point
a row or a record without the merge rows that say so, nor rewrite or re-undo a merge. Each refusal is
SQLSTATE 42501 and changes no row (``refused``). The service's merge and undo then run as the same
real manager login, so the rules refuse only what the service would.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from mash_desk.domain.errors import PermissionRefused
from mash_desk.services import intake, merging, restrictions
from mash_desk.store.models import ContactChild, Person
from tests.pgcluster import PrivateCluster
from tests.security.hub import LoginWorld, login_world, refused
from tests.support import child, contact_draft, snapshot


@pytest.fixture(scope="module")
def hub(private_cluster: PrivateCluster) -> Iterator[LoginWorld]:
    with login_world(private_cluster) as world:
        yield world


def _pair(hub: LoginWorld) -> tuple[int, int, int]:
    """Two records of one child, and the contact that names the second."""
    first = intake.log_contact(hub.sam, contact_draft(hub.clock, child("Amira", "Hussain")))
    second = intake.log_contact(hub.priya, contact_draft(hub.clock, child("Ameera", "Hussain")))
    return first.child_person_ids[0], second.child_person_ids[0], second.id


def _link(hub: LoginWorld, contact_id: int) -> int:
    with hub.db.session() as session:
        return session.scalars(select(ContactChild.id).where(ContactChild.contact_id == contact_id)).one()


def _version(hub: LoginWorld, person_id: int) -> int:
    with hub.db.session() as session:
        return session.get_one(Person, person_id).version


def test_a_practitioner_login_cannot_merge_anything(hub: LoginWorld) -> None:
    kept, merged, contact = _pair(hub)
    link = _link(hub, contact)
    refused(hub, "sam", "UPDATE person SET merged_into_id = %(k)s WHERE id = %(m)s", {"k": kept, "m": merged})
    refused(
        hub,
        "sam",
        "INSERT INTO person_merge (kept_id, merged_id, reason, merged_by_id, merged_at) "
        "VALUES (%(k)s, %(m)s, 'mine', 1, now())",
        {"k": kept, "m": merged},
    )
    refused(hub, "sam", "UPDATE contact_child SET person_id = %(k)s WHERE id = %(l)s", {"k": kept, "l": link})
    refused(hub, "sam", "SELECT * FROM person_merge")
    refused(
        hub, "bea", "UPDATE household_member SET person_id = %(k)s WHERE person_id = %(m)s", {"k": kept, "m": merged}
    )
    with pytest.raises(PermissionRefused):
        merging.merge_people(
            hub.sam, kept, merged, "Same child.", kept_version=_version(hub, kept), merged_version=_version(hub, merged)
        )


def test_a_manager_login_cannot_merge_around_the_merge_record(hub: LoginWorld) -> None:
    kept, merged, contact = _pair(hub)
    link = _link(hub, contact)
    assert "only with a manager's merge record" in refused(
        hub, "maria", "UPDATE person SET merged_into_id = %(k)s WHERE id = %(m)s", {"k": kept, "m": merged}
    )
    assert "recorded merge" in refused(
        hub, "maria", "UPDATE contact_child SET person_id = %(k)s WHERE id = %(l)s", {"k": kept, "l": link}
    )
    # a merge row alone does not let a row move that no move row names
    assert "recorded merge" in refused(
        hub,
        "maria",
        [
            "INSERT INTO person_merge (kept_id, merged_id, reason, merged_by_id, merged_at) "
            "VALUES (%(k)s, %(m)s, 'Same child.', 1, now())",
            "UPDATE contact_child SET person_id = %(k)s WHERE id = %(l)s",
        ],
        {"k": kept, "m": merged, "l": link},
    )
    assert "needs a reason" in refused(
        hub,
        "maria",
        "INSERT INTO person_merge (kept_id, merged_id, reason, merged_by_id, merged_at) "
        "VALUES (%(k)s, %(m)s, '  ', 1, now())",
        {"k": kept, "m": merged},
    )
    # the merge row's own move record is the merging manager's alone
    refused(
        hub,
        "mark",
        "INSERT INTO person_merge_move (merge_id, table_name, column_name, row_id) VALUES (999, 'contact_child', "
        "'person_id', %(l)s)",
        {"l": link},
    )


def test_the_service_merges_and_undoes_as_a_real_manager_login_and_a_merge_is_then_fixed(hub: LoginWorld) -> None:
    kept, merged, contact = _pair(hub)
    merge_id = merging.merge_people(
        hub.maria, kept, merged, "Same child.", kept_version=_version(hub, kept), merged_version=_version(hub, merged)
    )
    assert _child_of(hub, contact) == kept
    # what a merge did is not even an updatable column; only its undoing is
    assert "permission denied" in refused(
        hub, "mark", "UPDATE person_merge SET reason = 'Another reason.' WHERE id = %(id)s", {"id": merge_id}
    )
    # the pointer cannot be cleared without undoing the merge on the record
    assert "undone only by recording" in refused(
        hub, "mark", "UPDATE person SET merged_into_id = NULL WHERE id = %(m)s", {"m": merged}
    )
    merging.undo_merge(hub.mark, merge_id, "Two children after all.")
    assert _child_of(hub, contact) == merged
    assert "undone once" in refused(
        hub,
        "maria",
        "UPDATE person_merge SET undone_at = now(), undo_reason = 'Again.' WHERE id = %(id)s",
        {"id": merge_id},
    )
    # once undone, nothing moves the rows back to the kept record without a new merge
    link = _link(hub, contact)
    refused(hub, "maria", "UPDATE contact_child SET person_id = %(k)s WHERE id = %(l)s", {"k": kept, "l": link})


def _child_of(hub: LoginWorld, contact_id: int) -> int:
    with hub.db.session() as session:
        return session.scalars(select(ContactChild.person_id).where(ContactChild.contact_id == contact_id)).one()


def test_a_merge_is_refused_whole_when_a_contact_of_the_record_is_hidden_from_the_manager(hub: LoginWorld) -> None:
    kept, merged, contact = _pair(hub)
    # Mark restricts the second record's contact: Maria is not cleared, so she cannot see that it names the child
    restrictions.restrict_record(hub.mark, contact_id=contact, reason="A staff member's family.")
    before = snapshot(hub.db)
    with pytest.raises(PermissionRefused) as caught:
        merging.merge_people(
            hub.maria,
            kept,
            merged,
            "Same child.",
            kept_version=_version(hub, kept),
            merged_version=_version(hub, merged),
        )
    assert "restricted and hidden from you" in str(caught.value)
    assert snapshot(hub.db) == before


def test_a_merge_of_a_record_restricted_since_hides_with_it_in_raw_sql_as_in_the_window(hub: LoginWorld) -> None:
    """A merge's reason says who the person is and why the two records are one: once either record is
    restricted, a manager the restriction does not clear reads neither the merge's row nor its reason (the
    service's list, which names both records, never showed it to her), until she breaks the glass."""
    kept, merged, _contact = _pair(hub)
    merge_id = merging.merge_people(
        hub.maria,
        kept,
        merged,
        "Same child: the mother is on the council's staff.",
        kept_version=_version(hub, kept),
        merged_version=_version(hub, merged),
    )
    restrictions.restrict_record(hub.mark, person_id=kept, reason="A member of staff's child.")

    def merge_seen(who: str) -> list[tuple[object, ...]]:
        with hub.connect(who) as conn:
            return conn.execute("SELECT id, reason FROM person_merge WHERE id = %s", (merge_id,)).fetchall()

    listed = {row.id for row in merging.merges(hub.maria)}
    assert merge_seen("maria") == []
    assert merge_id not in listed
    assert merge_seen("mark") == [(merge_id, "Same child: the mother is on the council's staff.")]
    assert merge_id in {row.id for row in merging.merges(hub.mark)}
    assert "permission denied" in refused(hub, "sam", "SELECT reason FROM person_merge")
    restrictions.break_glass(hub.maria, person_id=kept, reason="The police are asking about this child.")
    assert merge_seen("maria") == [(merge_id, "Same child: the mother is on the council's staff.")]
    assert merge_id in {row.id for row in merging.merges(hub.maria)}
