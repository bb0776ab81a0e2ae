"""Opening a contact costs a fixed handful of statements, however much is on it, and reads no whole tables.

The view is the screen practitioners wait on most; before it was reworked it read every user, team
and agency in the database on every opening and took two statements per section. On PostgreSQL each
statement is a round trip to the server, so there the count is pinned exactly, BEGIN and COMMIT included.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from mash_desk.domain.enums import ContactStatus
from mash_desk.services import notes
from mash_desk.services.contact_view import ContactDetail, open_contact
from mash_desk.store.database import Database
from tests.support import World, case_at, child

# one statement per section, the names the contact mentions, the actor, and the "opened" audit row in
# its own short write unit (so reading never waits for the write lock: its BEGIN and a second identity
# read are the two more than before); never one statement per row
MOST_STATEMENTS = 18
# on PostgreSQL, each one a round trip: the pool's check that the connection is alive, BEGIN, the role
# switch with who is working (one message), the contact with all its sections, the names it mentions, the
# "opened" row (in the same transaction), COMMIT. Before (December 2026): 23, in two units (24 when a
# consent is scoped to named agencies).
POSTGRESQL_ROUND_TRIPS = (
    "checkout",
    "BEGIN",
    "SET LOCAL ROLE",
    "SELECT contact.id, contact.reference",
    "SELECT 0, app_user.id, app_user.display_name",
    "SELECT mash_desk_audit(",
    "COMMIT",
)
WHOLE_TABLE = re.compile(r"\bFROM (app_user|team|agency)\s*(\)|$|UNION|ORDER)", re.IGNORECASE)


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)


@contextmanager
def round_trips(db: Database) -> Iterator[list[str]]:
    """Every statement, and what the driver sends the server besides: the pool's liveness check on
    checking a connection out (``pool_pre_ping``), BEGIN, COMMIT and ROLLBACK."""
    seen: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    hooks: list[tuple[Any, str, Callable[..., None]]] = [
        (db.engine, "before_cursor_execute", listen),
        (db.engine.pool, "checkout", lambda *_args: seen.append("checkout")),
        (db.engine, "begin", lambda _conn: seen.append("BEGIN")),
        (db.engine, "commit", lambda _conn: seen.append("COMMIT")),
        (db.engine, "rollback", lambda _conn: seen.append("ROLLBACK")),
    ]
    for target, name, hook in hooks:
        event.listen(target, name, hook)
    try:
        yield seen
    finally:
        for target, name, hook in hooks:
            event.remove(target, name, hook)


def counted(db: Database, opening: Callable[[], ContactDetail]) -> tuple[ContactDetail, list[str]]:
    with statements(db) as seen:
        detail = opening()
    return detail, seen


def test_opening_a_contact_takes_the_same_few_statements_however_much_is_on_it(world: World) -> None:
    small = case_at(world, ContactStatus.CLOSED)
    busy = case_at(
        world, ContactStatus.ACCEPTED, child("Amira"), child("Zain", dob=None), child("Yusuf", "Hussain-Ali")
    )
    for number in range(6):
        notes.add_note(world.sam, busy.id, f"Visit {number}: spoke to the school.")
    notes.add_note(world.maria, busy.id, "Oversight: plan agreed.", oversight=True)

    small_view, small_sql = counted(world.db, lambda: open_contact(world.sam, small.id))
    busy_view, busy_sql = counted(world.db, lambda: open_contact(world.sam, busy.id))

    assert (len(small_view.children), len(busy_view.children), len(busy_view.notes)) == (1, 3, 7)
    assert len(busy_view.decisions) == 3
    assert len(busy_sql) == len(small_sql) <= MOST_STATEMENTS
    assert [sql for sql in small_sql + busy_sql if WHOLE_TABLE.search(sql)] == []


@pytest.mark.parametrize("backend", ["postgresql"])
def test_on_postgresql_opening_a_contact_is_seven_round_trips(world: World) -> None:
    """However much is on the contact: the sections ride in the contact's own row, and the "opened" row is
    written in the read's own transaction, so no second unit (checkout, BEGIN, role, identity) follows."""
    busy = case_at(world, ContactStatus.AWAITING_ACCEPTANCE, child("Amira"), child("Zain", dob=None))
    notes.add_note(world.sam, busy.id, "Visit: spoke to the school.")
    for contact_id in (case_at(world, ContactStatus.RECEIVED).id, busy.id):
        with round_trips(world.db) as seen:
            open_contact(world.sam, contact_id)
        assert len(seen) == len(POSTGRESQL_ROUND_TRIPS), seen
        assert all(map(str.startswith, seen, POSTGRESQL_ROUND_TRIPS)), seen
