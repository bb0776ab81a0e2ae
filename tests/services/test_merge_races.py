"""A merge racing an intake that links the record being merged away: whichever holds the person's
lock first, the result is one consistent record: every contact names the kept child, nothing names
the merged one, and every row the merge moved is recorded (so undo stays exact).

On PostgreSQL the server says when the second unit is waiting for the first's lock
(``pg_stat_activity``); on SQLite the second writer waits for the first's ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select, text

from mash_desk.services import intake, merging
from mash_desk.services.drafts import ChildDraft
from mash_desk.store.database import Database
from mash_desk.store.models import ContactChild, Person, PersonMergeMove
from tests.support import World, child, contact_draft


def _a_backend_waits_for_a_lock(db: Database, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with db.engine.connect() as conn:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
        if waiting:
            return True
        time.sleep(0.02)
    return False


def _second_is_waiting(db: Database, thread: threading.Thread) -> None:
    if db.is_postgresql:
        assert _a_backend_waits_for_a_lock(db), "the second unit waits for the first's lock"
    else:
        # SQLite: the second writer is held at BEGIN IMMEDIATE (busy_timeout 10 s) while the first is open
        thread.join(0.5)
    assert thread.is_alive()


class _Run:
    """A unit of work on its own thread, its result or error kept for the test."""

    def __init__(self, work: Callable[[], object]) -> None:
        self.result: object = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(work,))

    def _run(self, work: Callable[[], object]) -> None:
        try:
            self.result = work()
        except BaseException as exc:  # handed to the test
            self.error = exc

    def start(self) -> _Run:
        self.thread.start()
        return self

    def join(self) -> None:
        self.thread.join(60)
        assert not self.thread.is_alive()
        if self.error is not None:
            raise self.error


@contextmanager
def _paused_after(
    module: Any, name: str, only_on: Callable[[], bool]
) -> Iterator[tuple[threading.Event, threading.Event]]:
    """Patch ``module.name`` so that, on the first call where ``only_on()`` holds, it runs, then
    signals ``held`` and waits for ``go``: the unit holds whatever that call locked."""
    real: Callable[..., Any] = getattr(module, name)
    held, go = threading.Event(), threading.Event()

    def pause(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        if only_on() and not held.is_set():
            held.set()
            assert go.wait(30)
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, name, pause)
        yield held, go


def _records(world: World) -> tuple[int, int]:
    first = intake.log_contact(world.sam, contact_draft(world.clock, child("Amira", "Hussain")))
    world.clock.advance(days=30)
    second = intake.log_contact(world.priya, contact_draft(world.clock, child("Ameera", "Hussain")))
    return first.child_person_ids[0], second.child_person_ids[0]


def _version(world: World, person_id: int) -> int:
    with world.db.session() as session:
        return session.get_one(Person, person_id).version


def _merge(world: World, kept: int, merged: int) -> Callable[[], object]:
    kept_version, merged_version = _version(world, kept), _version(world, merged)
    return lambda: merging.merge_people(
        world.maria, kept, merged, "Same child.", kept_version=kept_version, merged_version=merged_version
    )


def _consistent(world: World, kept: int, merged: int, new_contact: int) -> None:
    with world.db.session() as session:
        assert session.get_one(Person, merged).merged_into_id == kept
        assert session.scalars(select(ContactChild.person_id).where(ContactChild.contact_id == new_contact)).all() == [
            kept
        ]
        assert not session.scalars(select(ContactChild.id).where(ContactChild.person_id == merged)).all()
        moved = set(
            session.scalars(select(PersonMergeMove.row_id).where(PersonMergeMove.table_name == "contact_child"))
        )
        links = set(session.scalars(select(ContactChild.id).where(ContactChild.person_id == kept)))
    # the merged record's contacts were all moved and recorded; the kept record's own first contact was not
    assert len(links - moved) == (1 if new_contact_moved(world, new_contact) else 2)


def new_contact_moved(world: World, new_contact: int) -> bool:
    with world.db.session() as session:
        link = session.scalars(select(ContactChild.id).where(ContactChild.contact_id == new_contact)).one()
        return link in set(
            session.scalars(select(PersonMergeMove.row_id).where(PersonMergeMove.table_name == "contact_child"))
        )


def test_an_intake_holding_the_merged_record_lands_first_and_its_contact_is_moved(world: World) -> None:
    kept, merged = _records(world)
    merge = _merge(world, kept, merged)
    intake_thread: list[threading.Thread] = []
    draft = contact_draft(world.clock, ChildDraft(existing_person_id=merged))
    with _paused_after(intake, "lock_people", lambda: threading.current_thread() in intake_thread) as (held, go):
        logging = _Run(lambda: intake.log_contact(world.sam, draft))
        intake_thread.append(logging.thread)
        logging.start()
        assert held.wait(30)
        merging_run = _Run(merge).start()
        _second_is_waiting(world.db, merging_run.thread)
        go.set()
        logging.join()
        merging_run.join()
    logged = logging.result
    assert isinstance(logged, intake.LoggedContact)
    assert logged.child_person_ids == (merged,)  # it linked the record as it stood when it locked it
    _consistent(world, kept, merged, logged.id)
    with world.db.session() as session:
        new_link = session.scalars(select(ContactChild.id).where(ContactChild.contact_id == logged.id)).one()
        assert new_link in set(session.scalars(select(PersonMergeMove.row_id)))


def test_an_intake_waiting_for_a_merge_links_the_kept_record(world: World) -> None:
    kept, merged = _records(world)
    merge = _merge(world, kept, merged)
    merge_thread: list[threading.Thread] = []
    draft = contact_draft(world.clock, ChildDraft(existing_person_id=merged))
    with _paused_after(merging, "lock_people", lambda: threading.current_thread() in merge_thread) as (held, go):
        merging_run = _Run(merge)
        merge_thread.append(merging_run.thread)
        merging_run.start()
        assert held.wait(30)
        logging = _Run(lambda: intake.log_contact(world.sam, draft)).start()
        _second_is_waiting(world.db, logging.thread)
        go.set()
        merging_run.join()
        logging.join()
    logged = logging.result
    assert isinstance(logged, intake.LoggedContact)
    assert logged.child_person_ids == (kept,)
    _consistent(world, kept, merged, logged.id)
