"""Found by the load test: on PostgreSQL a partner agency's queries carry every row-level security
policy as a subplan, their cost estimates pass ``jit_above_cost``, and compiling them took seconds
(a police officer's person search: 5 s instead of 50 ms on a hub of 1,500 contacts). A hub's
database turns JIT off for every session, whatever the client."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from tests.support import World

pytestmark = pytest.mark.parametrize("backend", ["postgresql"])


def test_sessions_on_a_hub_database_do_not_compile_queries(world: World) -> None:
    fresh = Database(world.db.url.render_as_string(hide_password=False))  # settings apply to new sessions
    try:
        with ServiceContext(fresh, world.logins["pc_jones"]).unit() as (session, actor):
            assert actor.agency_code == "POLICE"
            assert session.execute(text("SHOW jit")).scalar_one() == "off"
    finally:
        fresh.dispose()
