"""A dashboard tile opens the contacts behind it: the list is what the tile counted, one for one."""

from __future__ import annotations

import pytest

from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.services.dashboard import front_door_measures
from mash_desk.services.dashboard_tiles import LISTED_TILES, tile_contacts
from tests.services.test_dashboard import DAY, _front_door
from tests.support import World


def test_each_tile_lists_exactly_the_contacts_it_counts(world: World) -> None:
    measures = _front_door(world)
    assert measures == front_door_measures(world.maria, DAY, DAY)
    expected = {
        "contacts_received": (measures.contacts_received, None),
        "undecided_past_deadline": (measures.undecided_past_deadline, None),
        "decided_within_one_working_day": (
            measures.decided_within_one_working_day.denominator,
            measures.decided_within_one_working_day.numerator,
        ),
        "completed_within_rag": (
            measures.completed_within_rag.denominator,
            measures.completed_within_rag.numerator,
        ),
    }
    assert set(expected) == LISTED_TILES
    for key, (counted, meeting) in expected.items():
        listed = tile_contacts(world.maria, key, DAY, DAY)
        assert (listed.total, len(listed.rows)) == (counted, counted), key
        if meeting is not None:
            assert sum(1 for row in listed.rows if row.meets) == meeting, key
        else:
            assert all(row.meets is None for row in listed.rows), key
    # the undecided one late: the contact nobody screened (D), named in words
    late = tile_contacts(world.maria, "undecided_past_deadline", DAY, DAY).rows
    assert len(late) == 1
    assert late[0].decided_at is None
    assert late[0].children


def test_only_the_dashboards_people_list_a_tile_and_only_a_listed_tile(world: World) -> None:
    with pytest.raises(PermissionRefused):
        tile_contacts(world.sam, "contacts_received", DAY, DAY)
    with pytest.raises(InvalidInput):
        tile_contacts(world.maria, "nfa", DAY, DAY)
