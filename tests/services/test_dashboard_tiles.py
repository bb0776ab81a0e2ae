"""A dashboard tile opens the cases behind it: the list is what the tile counted, one for one."""

from __future__ import annotations

from datetime import date

import pytest

from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.domain.periods import london_date
from mash_desk.services.context import ServiceContext
from mash_desk.services.dashboard import FrontDoorMeasures, front_door_measures
from mash_desk.services.dashboard_tiles import LISTED_TILES, MAX_LISTED, TileUnit, tile_contacts
from mash_desk.services.manager import count_tiles, measure_tiles
from mash_desk.store.database import Database
from mash_desk.tools.demo import generate_demo
from tests.services.test_dashboard import DAY, _front_door
from tests.support import World
from tests.tools.test_demo import CONTACTS, NOW

EVERY_TILE = (
    "decided_within_one_working_day",
    "completed_within_rag",
    "agency_returns_on_time",
    "re_referrals",
    "nfa",
    "decisions_returned",
    "contacts_received",
    "undecided_past_deadline",
    "agency_returns_overdue",
    "hand_offs_awaiting",
    "neglect_awaiting_decision",
    "audit_actions_overdue",
)


def shown_on_tiles(measures: FrontDoorMeasures) -> dict[str, tuple[int, int | None]]:
    """What each tile shows, as the dashboard shows it: (the number, the part it names besides)."""
    shown: dict[str, tuple[int, int | None]] = {
        tile.key: (tile.ratio.denominator, tile.ratio.numerator) for tile in measure_tiles(measures)
    }
    shown |= {tile.key: (tile.count, tile.of_which_overdue) for tile in count_tiles(measures)}
    assert set(shown) == set(EVERY_TILE)
    return shown


def assert_tiles_list_what_they_count(ctx: ServiceContext, first: date, last: date) -> dict[str, int]:
    """Every tile but the audit actions lists exactly what it counts; returns each tile's number."""
    shown = shown_on_tiles(front_door_measures(ctx, first, last))
    assert set(shown) - LISTED_TILES == {"audit_actions_overdue"}  # actions agreed from audits, not cases
    for key in sorted(LISTED_TILES):
        number, part = shown[key]
        listed = tile_contacts(ctx, key, first, last)
        assert number <= MAX_LISTED, key  # else the list would rightly stop short
        assert (listed.total, len(listed.rows)) == (number, number), key
        assert listed.meeting == part, key
        if part is not None:
            assert sum(1 for row in listed.rows if row.meets) == part, key
        else:
            assert all(row.meets is None for row in listed.rows), key
        assert len({row.row_id for row in listed.rows}) == number, key  # each counted thing once
        received = [row.received_at for row in listed.rows]
        assert received == sorted(received, reverse=True), key
    return {key: number for key, (number, _part) in shown.items()}


def test_each_tile_lists_exactly_what_it_counts(world: World) -> None:
    measures = _front_door(world)
    assert measures == front_door_measures(world.maria, DAY, DAY)
    numbers = assert_tiles_list_what_they_count(world.maria, DAY, DAY)
    assert (numbers["nfa"], numbers["re_referrals"], numbers["hand_offs_awaiting"]) == (3, 2, 1)
    # the undecided one late: the contact nobody screened (D), named in words
    late = tile_contacts(world.maria, "undecided_past_deadline", DAY, DAY).rows
    assert len(late) == 1
    assert late[0].decided_at is None
    assert late[0].children
    # a tile that counts children lists each child once, by name, and opens the contact it is in
    children = tile_contacts(world.maria, "nfa", DAY, DAY)
    assert children.unit is TileUnit.CHILD
    assert [row.children for row in children.rows if row.meets] == [late[0].children]
    referrals = tile_contacts(world.maria, "re_referrals", DAY, DAY)
    assert referrals.unit is TileUnit.REFERRAL
    assert "Omar Haddad" in {row.children for row in referrals.rows}
    # a hand-off names the team it is waiting on
    (waiting,) = tile_contacts(world.maria, "hand_offs_awaiting", DAY, DAY).rows
    assert waiting.about == "Assessment Team"


@pytest.mark.parametrize("login", ["maria", "admin", "aud"])
def test_on_demo_data_every_tile_lists_what_it_counts(db: Database, login: str) -> None:
    generate_demo(db, contacts=CONTACTS, seed=7, now=NOW)
    ctx = ServiceContext(db, login, clock=lambda: NOW)
    today = london_date(NOW)
    whole_year = assert_tiles_list_what_they_count(ctx, date(today.year - 1, today.month, 1), today)
    this_month = assert_tiles_list_what_they_count(ctx, today.replace(day=1), today)
    # the demo has something behind every tile, so no list is trivially right by being empty
    assert all(whole_year[key] > 0 for key in LISTED_TILES), whole_year
    assert this_month["contacts_received"] < whole_year["contacts_received"]


def test_only_the_dashboards_people_list_a_tile_and_only_a_listed_tile(world: World) -> None:
    with pytest.raises(PermissionRefused):
        tile_contacts(world.sam, "contacts_received", DAY, DAY)
    with pytest.raises(PermissionRefused):
        tile_contacts(world.sam, "re_referrals", DAY, DAY)
    with pytest.raises(InvalidInput):
        tile_contacts(world.maria, "audit_actions_overdue", DAY, DAY)
