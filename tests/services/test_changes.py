"""Other workstations learn of changes: an indexed poll on both databases, NOTIFY on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import text

from mash_desk.domain.enums import Rag
from mash_desk.services import intake, screening
from mash_desk.services.changes import PostgresListener, changed_since, current_marker
from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from tests.support import World, contact_draft


def test_poll_sees_new_and_changed_contacts_only_once(world: World) -> None:
    marker = current_marker(world.sam)
    first = intake.log_contact(world.sam, contact_draft(world.clock))
    batch = changed_since(world.priya, marker)
    assert batch.contact_ids == (first.id,)
    assert not batch.overflow
    assert changed_since(world.priya, batch.marker).contact_ids == ()

    world.clock.advance(minutes=5)
    screening.rate(world.sam, first.id, Rag.RED)
    second = changed_since(world.priya, batch.marker)
    assert second.contact_ids == (first.id,)
    assert changed_since(world.priya, second.marker).contact_ids == ()


def test_a_workstation_whose_clock_is_hours_behind_is_still_seen(world: World) -> None:
    """The feed's order is the database's: a slow clock, or updated_at in 2999, hides nobody's change."""
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    marker = changed_since(world.priya, current_marker(world.priya)).marker
    slow = ServiceContext(world.db, world.logins["sam"], clock=lambda: world.clock() - timedelta(hours=7))
    screening.rate(slow, logged.id, Rag.AMBER)
    batch = changed_since(world.priya, marker)
    assert batch.contact_ids == (logged.id,)
    # someone stamps a contact in the far future: the next ordinary change is still seen
    with world.db.engine.begin() as conn:
        conn.execute(text("UPDATE contact SET updated_at = '2999-01-01 00:00:00+00' WHERE id = :id"), {"id": logged.id})
    other = intake.log_contact(world.priya, contact_draft(world.clock))
    after = changed_since(world.priya, batch.marker)
    assert set(after.contact_ids) == {logged.id, other.id}


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_commit_that_lands_after_a_later_one_is_still_seen(world: World) -> None:
    """Two saves: the first to begin commits last. Polling in between must not step past it."""
    early = intake.log_contact(world.sam, contact_draft(world.clock))
    late = intake.log_contact(world.sam, contact_draft(world.clock))
    marker = changed_since(world.priya, current_marker(world.priya)).marker
    with world.db.engine.connect() as slow_writer:
        slow_writer.execute(text("BEGIN"))
        slow_writer.execute(text("UPDATE contact SET whereabouts = 'with aunt' WHERE id = :id"), {"id": early.id})
        with world.db.engine.begin() as quick_writer:
            quick_writer.execute(text("UPDATE contact SET whereabouts = 'at school' WHERE id = :id"), {"id": late.id})
        between = changed_since(world.priya, marker)
        assert between.contact_ids == (late.id,)
        slow_writer.execute(text("COMMIT"))
    after = changed_since(world.priya, between.marker)
    assert after.contact_ids == (early.id,)
    assert changed_since(world.priya, after.marker).contact_ids == ()


def test_postgres_listener_wakes_on_a_change(world: World, db: Database, backend: str) -> None:
    if backend != "postgresql":
        with pytest.raises(ValueError, match="PostgreSQL"):
            PostgresListener(db, lambda: None)
        return
    woke = threading.Event()
    listener = PostgresListener(db, woke.set)
    listener.start()
    try:
        # the listener subscribes asynchronously; keep changing until it has heard one
        for _ in range(50):
            intake.log_contact(world.sam, contact_draft(world.clock))
            if woke.wait(0.2):
                break
        assert woke.is_set(), "no NOTIFY reached the listener"
    finally:
        listener.stop()
