"""How a workstation learns that another one changed something.

Every change to a contact (and to anything on it, which stamps the contact) gets a
``contact.change_stamp`` from the database itself, never from a workstation's clock:

- On PostgreSQL the stamp is the writing transaction's id. A poll returns the contacts whose
  transaction was not yet visible in the previous poll's snapshot and is now, and hands back the
  current snapshot as the next marker: a transaction that commits after a later one is still seen.
- On SQLite the stamp is the next number; its writers take turns, so numbers follow the commits.

On PostgreSQL a statement trigger also sends ``NOTIFY mash_desk_changes`` so listeners wake at once
instead of at the next poll; a notification carries no data, and after a reconnect the listener
simply asks again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select, text

from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from mash_desk.store.models import Contact

CHANNEL = "mash_desk_changes"
MAX_IDS = 500
log = logging.getLogger(__name__)

# One statement, so the snapshot handed back is the one the rows were read in.
_POSTGRESQL_NOW = text("SELECT pg_current_snapshot()::text")
_POSTGRESQL_SINCE = text(
    "SELECT pg_current_snapshot()::text, ARRAY(SELECT id FROM contact "
    "WHERE change_stamp >= pg_snapshot_xmin(CAST(:seen AS pg_snapshot))::text::bigint "
    "AND NOT pg_visible_in_snapshot(change_stamp::text::xid8, CAST(:seen AS pg_snapshot)) "
    "ORDER BY id LIMIT :limit)"
)


@dataclass(frozen=True)
class ChangeMarker:
    """How far this workstation has looked: a PostgreSQL snapshot, or SQLite's last stamp (``None``: nothing yet)."""

    position: str | int | None


@dataclass(frozen=True)
class ChangeBatch:
    marker: ChangeMarker
    contact_ids: tuple[int, ...]
    overflow: bool  # more changed than fit: refresh everything


def current_marker(ctx: ServiceContext) -> ChangeMarker:
    with ctx.db.session() as session:
        if ctx.db.is_postgresql:
            return ChangeMarker(session.execute(_POSTGRESQL_NOW).scalar_one())
        return ChangeMarker(session.scalar(select(func.max(Contact.change_stamp))))


def changed_since(ctx: ServiceContext, marker: ChangeMarker) -> ChangeBatch:
    """Contacts changed after ``marker`` (by anyone, on any workstation), and the marker to use next."""
    with ctx.db.session() as session:
        if ctx.db.is_postgresql:
            if marker.position is None:
                return ChangeBatch(ChangeMarker(session.execute(_POSTGRESQL_NOW).scalar_one()), (), overflow=False)
            snapshot, ids = session.execute(_POSTGRESQL_SINCE, {"seen": marker.position, "limit": MAX_IDS + 1}).one()
            ids = list(ids)
            # past the limit the snapshot moves on anyway: the window refreshes everything it shows
            return ChangeBatch(ChangeMarker(snapshot), tuple(ids[:MAX_IDS]), overflow=len(ids) > MAX_IDS)
        query = (
            select(Contact.id, Contact.change_stamp)
            .where(Contact.change_stamp.is_not(None))
            .order_by(Contact.change_stamp)
            .limit(MAX_IDS + 1)
        )
        if marker.position is not None:
            query = query.where(Contact.change_stamp > marker.position)
        rows = session.execute(query).all()
    if not rows:
        return ChangeBatch(marker, (), overflow=False)
    overflow = len(rows) > MAX_IDS
    rows = rows[:MAX_IDS]
    return ChangeBatch(ChangeMarker(rows[-1][1]), tuple(row[0] for row in rows), overflow)


class PostgresListener:
    """LISTEN on a dedicated autocommit connection in its own thread; calls ``on_change`` per wake-up.

    ``on_change`` runs on the listener thread: callers hand it to their own thread (the GUI uses a
    queued signal). A dropped connection is retried every few seconds; each reconnect also calls
    ``on_change`` because notifications sent while we were away are lost.
    """

    def __init__(self, db: Database, on_change: Callable[[], None], *, retry_seconds: float = 5.0) -> None:
        if not db.is_postgresql:
            raise ValueError("LISTEN/NOTIFY needs PostgreSQL")
        self._conninfo = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._on_change = on_change
        self._retry = retry_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mash-desk-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        import psycopg  # noqa: PLC0415 - PostgreSQL only: the embedded database's window never loads the driver

        first = True
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=10) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    if not first:
                        self._on_change()
                    first = False
                    while not self._stop.is_set():
                        for _notice in conn.notifies(timeout=1.0, stop_after=1):
                            self._on_change()
            except psycopg.Error as exc:
                log.warning("change listener lost its connection (%s); retrying", exc.__class__.__name__)
                first = False
                self._stop.wait(self._retry)
