"""Nothing typed is ever lost: a save that fails for real keeps the form, says why and retries; someone
else's change is shown beside yours; the intake form survives a closed tab in its draft.

The failures are real, not mocked services: on SQLite another connection holds the write lock
(BEGIN EXCLUSIVE); on PostgreSQL the save's own server backend is killed with pg_terminate_backend
while it waits on a lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from PySide6.QtCore import Qt
from sqlalchemy import event
from sqlalchemy.engine import make_url

from mash_desk.domain.enums import ContactStatus, Rag
from mash_desk.gui.dialogs.conflict import ConflictChoice
from mash_desk.gui.dialogs.rag import RagAnswer
from mash_desk.gui.intake_form import IntakeForm
from mash_desk.gui.messages import ErrorChoice
from mash_desk.services import screening
from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from tests.gui.conftest import Desk, Dialogs, Shown
from tests.gui.helpers import CTRL, act, contact_count, fill_valid_contact, new_contact, open_contact, press
from tests.support import case_at


class SaveBreaker:
    """Makes the next save fail for real, then lets the database work again."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.release: Callable[[], object] = lambda: None

    @contextmanager
    def sqlite_locked(self) -> Iterator[None]:
        # saves give up after 0.3 s instead of the product's 10 s, so the test stays quick
        event.listen(self.db.engine, "connect", lambda conn, _record: conn.execute("PRAGMA busy_timeout=300"))
        self.db.engine.dispose()
        locker = sqlite3.connect(str(self.db.url.database), isolation_level=None, timeout=0)
        locker.execute("BEGIN EXCLUSIVE")

        def unlock() -> None:
            locker.execute("ROLLBACK")

        self.release = unlock
        try:
            yield
        finally:
            locker.close()

    @contextmanager
    def postgres_killed(self, watch: Callable[[Callable[[], bool]], None]) -> Iterator[Callable[[], None]]:
        url = make_url(self.db.url.render_as_string(hide_password=False)).set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        locker = psycopg.connect(conninfo)
        locker.execute("LOCK TABLE contact IN ACCESS EXCLUSIVE MODE")
        admin = psycopg.connect(conninfo, autocommit=True)

        def kill_the_waiting_save() -> None:
            waiting: list[int] = []

            def blocked() -> bool:
                waiting[:] = [
                    row[0]
                    for row in admin.execute(
                        "SELECT pid FROM pg_stat_activity WHERE application_name = 'mash-desk' "
                        "AND wait_event_type = 'Lock' AND datname = current_database()"
                    )
                ]
                return bool(waiting)

            watch(blocked)
            for pid in waiting:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

        self.release = locker.rollback
        try:
            yield kill_the_waiting_save
        finally:
            locker.close()
            admin.close()


def typed(form: IntakeForm) -> dict[str, Any]:
    return form.state()


def test_a_save_that_loses_the_database_keeps_the_form_and_retries(desk: Desk, dialogs: Dialogs, backend: str) -> None:
    db, qtbot = desk.world.db, desk.qtbot
    window = desk.window("sam")
    form = new_contact(desk, window)
    fill_valid_contact(qtbot, form)
    before = typed(form)
    contacts_before = contact_count(db)
    breaker = SaveBreaker(db)
    seen: dict[str, Any] = {}

    def when_told(shown: Shown) -> ErrorChoice:
        # the save has failed: the form must still hold every character, and say so plainly
        seen["message"] = shown.args[2]
        seen["state"] = typed(form)
        seen["banner"] = form.errors.banner_text()
        breaker.release()  # the connection is back (and the count below would wait for the lock)
        seen["contacts"] = contact_count(db)
        return ErrorChoice.RETRY

    dialogs.answer("error", when_told)
    dialogs.answer("rag", None)  # saved into her own work it goes on to its rating: Esc leaves that for later
    if backend == "sqlite":
        with breaker.sqlite_locked(), qtbot.waitSignal(form.contact_saved, timeout=20_000) as saved:
            press(qtbot, form.top["narrative"], Qt.Key.Key_S, CTRL)
    else:
        with (
            breaker.postgres_killed(lambda check: qtbot.waitUntil(check, timeout=15_000)) as kill,
            qtbot.waitSignal(form.contact_saved, timeout=20_000) as saved,
        ):
            press(qtbot, form.top["narrative"], Qt.Key.Key_S, CTRL)
            kill()
    desk.settle()
    assert seen["state"] == before
    assert seen["contacts"] == contacts_before
    assert "Nothing was saved" in seen["message"]
    assert "everything you typed is still here" in seen["banner"]
    assert contact_count(db) == contacts_before + 1
    assert saved.args[0].reference.startswith("MASH-")
    assert not window.draft_file.exists()


def test_someone_elses_change_is_shown_beside_yours(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    case = case_at(world, ContactStatus.SCREENED)  # AMBER
    window = desk.window("sam")
    view = open_contact(desk, window, case.id)
    # Priya, at another workstation, re-rates it after Sam opened it
    priya = ServiceContext(world.db, world.logins["priya"])
    screening.rate(priya, case.id, Rag.GREEN, "School confirms the child is eating well now.")

    dialogs.answer("rag", RagAnswer(Rag.RED, "The child disclosed being hit at home."))
    dialogs.answer("error", ErrorChoice.COMPARE)
    dialogs.answer("conflict", ConflictChoice.APPLY_MINE)
    dialogs.answer("checks", None)  # rated, with consent recorded, it goes on to the checks: Esc leaves them
    act(desk, view, Qt.Key.Key_R)
    desk.qtbot.waitUntil(lambda: view.detail is not None and view.detail.rag is Rag.RED, timeout=15_000)
    detail = view.detail
    assert detail is not None
    conflict = dialogs.of("conflict")[0].kwargs
    assert conflict["changed_by"] == "Priya Shah"
    assert conflict["theirs"]["RAG"] == "GREEN"
    assert conflict["yours"]["RAG"] == "RED"
    assert "hit at home" in conflict["yours"]["Reason"]
    assert detail.rag_history[-1].reason == "The child disclosed being hit at home."
    assert [r.rag for r in detail.rag_history][-2:] == [Rag.GREEN, Rag.RED]
