"""Found by the load test (``mash-desk loadtest``, PostgreSQL, 50 workstations): a manager restricts a
contact while someone's save on it is under way. On PostgreSQL each statement sees the latest
commits, so rows the save read before it locked the contact can vanish behind row-level security
when it reads them again; and a save that had to wait for the manager's lock is granted the row as
it stood before the restriction, which only the statements after it see. The person must be told
the contact is restricted (or their save simply lands first), never meet a raw error or a wrong
reason. Seen under load: ``accept hand-off as cp_osei: ObjectDeletedError: Instance '<HandOff …>'
has been deleted``; ``add note: The database refused this for your login: New row violates
row-level security policy for table "case_note"``; and, reproduced here, "There is no hand-off" and
``ObjectDeletedError`` from withdrawing an agency request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest
from sqlalchemy import text

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.errors import RestrictedRecord
from mash_desk.services import handoffs, notes, records, restrictions, screening
from mash_desk.services.context import ServiceContext
from mash_desk.store import queries
from mash_desk.store.database import Database
from tests.support import World, case_at

pytestmark = pytest.mark.parametrize("backend", ["postgresql"])
WHEN = pytest.mark.parametrize("when", ["before the lock", "just after the lock"])


@contextmanager
def restricted_mid_unit(manager: ServiceContext, contact_id: int, when: str) -> Iterator[list[object]]:
    """The manager's restriction is made after the save's first read: it commits before the save locks
    the contact, or is made just after the lock (from another thread: it may have to wait for the save)."""
    real: Callable[..., Any] = queries.lock_contact
    outcome: list[object] = []
    threads: list[threading.Thread] = []

    def restrict() -> None:
        try:
            outcome.append(restrictions.restrict_record(manager, contact_id=contact_id, reason="A staff member's."))
        except Exception as exc:  # reported by the test below
            outcome.append(exc)

    def lock_around_the_restriction(session: Any, locked_id: int) -> Any:
        if threads:
            return real(session, locked_id)
        if when == "before the lock":
            threads.append(threading.current_thread())
            restrict()
            return real(session, locked_id)
        locked = real(session, locked_id)
        thread = threading.Thread(target=restrict)
        threads.append(thread)
        thread.start()
        thread.join(1.0)  # done by now, unless restricting waits for this save's lock
        return locked

    with pytest.MonkeyPatch.context() as patch:
        for module in (queries, records, handoffs, screening):  # wherever it is called from by name
            if hasattr(module, "lock_contact"):
                patch.setattr(module, "lock_contact", lock_around_the_restriction)
        yield outcome
    for thread in threads:
        if thread is not threading.current_thread():
            thread.join(30)
    assert outcome, "the restriction was attempted mid-unit"
    assert all(isinstance(done, int) for done in outcome), outcome


def _save_is_refused_or_lands(save: Callable[[], object], when: str) -> None:
    if when == "before the lock":
        with pytest.raises(RestrictedRecord):
            save()
        return
    with suppress(RestrictedRecord):
        save()


@WHEN
def test_accepting_a_hand_off_restricted_meanwhile(world: World, when: str) -> None:
    case = case_at(world, ContactStatus.AWAITING_ACCEPTANCE)
    handoff_id = case.handoff_id
    assert handoff_id is not None
    with restricted_mid_unit(world.maria, case.id, when):
        _save_is_refused_or_lands(lambda: handoffs.accept_hand_off(world.ava, handoff_id), when)


@WHEN
def test_an_agency_return_on_a_contact_restricted_meanwhile(world: World, when: str) -> None:
    case = case_at(world, ContactStatus.AGENCY_CHECKS)
    request_id = case.request_ids[0]
    with restricted_mid_unit(world.maria, case.id, when):
        _save_is_refused_or_lands(
            lambda: screening.record_agency_return(world.police, request_id, summary=None, nothing_known=True), when
        )


@WHEN
def test_withdrawing_a_request_on_a_contact_restricted_meanwhile(world: World, when: str) -> None:
    case = case_at(world, ContactStatus.AGENCY_CHECKS)
    request_id = case.request_ids[0]
    with restricted_mid_unit(world.maria, case.id, when):
        _save_is_refused_or_lands(
            lambda: screening.withdraw_agency_request(world.priya, request_id, "The decision cannot wait."), when
        )


def _a_backend_waits_for_a_lock(db: Database, seconds: float = 20.0) -> bool:
    """Whether, within ``seconds``, a session of this database is waiting for a lock."""
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


def _while_the_save_waits_for_the_lock(
    manager: ServiceContext, contact_id: int, save: Callable[[], object]
) -> BaseException | None:
    """The manager's restriction holds the contact's lock; the save starts and waits for it; the
    restriction commits and the save goes on. What the save raised (``None``: it went through)."""
    from mash_desk.services import restrictions as restricting

    real: Callable[..., Any] = queries.lock_contact
    locked, go = threading.Event(), threading.Event()
    # one slot each: the save can finish before the restricting thread has recorded its own result
    outcome: dict[str, object] = {}

    def lock_then_pause(session: Any, locked_id: int) -> Any:
        row = real(session, locked_id)
        locked.set()
        go.wait(10)
        return row

    def restrict() -> None:
        outcome["restricted"] = restrictions.restrict_record(manager, contact_id=contact_id, reason="A staff member's.")

    def run_save() -> None:
        try:
            save()
        except BaseException as exc:  # handed to the test
            outcome["saved"] = exc
        else:
            outcome["saved"] = None

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(restricting, "lock_contact", lock_then_pause)
        restricting_thread = threading.Thread(target=restrict)
        restricting_thread.start()
        assert locked.wait(10)
        saving_thread = threading.Thread(target=run_save)
        saving_thread.start()
        # the server, not a pause, says when the save is waiting for the contact's lock
        assert _a_backend_waits_for_a_lock(manager.db), "the save waits for the restriction's lock"
        assert saving_thread.is_alive()
        go.set()
        restricting_thread.join(30)
        saving_thread.join(30)
    restricted, saved = outcome["restricted"], outcome["saved"]
    assert isinstance(restricted, int)
    assert saved is None or isinstance(saved, BaseException)
    return saved


def test_saves_that_waited_for_a_restricting_manager_are_told_it_is_restricted(world: World) -> None:
    awaiting = case_at(world, ContactStatus.AWAITING_ACCEPTANCE)
    checks = case_at(world, ContactStatus.AGENCY_CHECKS)
    more_checks = case_at(world, ContactStatus.AGENCY_CHECKS)
    screened = case_at(world, ContactStatus.SCREENED)
    handoff_id = awaiting.handoff_id
    assert handoff_id is not None
    saves: dict[str, tuple[int, Callable[[], object]]] = {
        "accept a hand-off": (awaiting.id, lambda: handoffs.accept_hand_off(world.ava, handoff_id)),
        "record an agency return": (
            checks.id,
            lambda: screening.record_agency_return(
                world.police, checks.request_ids[0], summary=None, nothing_known=True
            ),
        ),
        "withdraw a request": (
            more_checks.id,
            lambda: screening.withdraw_agency_request(world.priya, more_checks.request_ids[0], "Cannot wait."),
        ),
        "add a note": (screened.id, lambda: notes.add_note(world.priya, screened.id, "Spoke to the school.")),
    }
    told = {
        what: _while_the_save_waits_for_the_lock(world.maria, contact_id, save)
        for what, (contact_id, save) in saves.items()
    }
    assert {what: type(exc).__name__ for what, exc in told.items()} == dict.fromkeys(saves, "RestrictedRecord"), told
