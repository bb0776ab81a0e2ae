"""Other workstations learn of changes: an indexed poll on both databases, NOTIFY on PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from mash_desk.domain.enums import Rag
from mash_desk.services import intake, screening
from mash_desk.services.changes import PostgresListener, changed_since, current_marker
from mash_desk.store.database import Database
from tests.support import World, contact_draft


def test_poll_sees_new_and_changed_contacts_only_once(world: World) -> None:
    marker = current_marker(world.sam)
    assert marker.updated_at is None
    first = intake.log_contact(world.sam, contact_draft(world.clock))
    batch = changed_since(world.priya, marker)
    assert batch.contact_ids == (first.id,)
    assert not batch.overflow
    assert changed_since(world.priya, batch.marker).contact_ids == ()

    world.clock.advance(minutes=5)
    screening.rate(world.sam, first.id, Rag.RED)
    second = changed_since(world.priya, batch.marker)
    assert second.contact_ids == (first.id,)
    assert second.marker.updated_at == world.clock()


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
