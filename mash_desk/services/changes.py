"""How a workstation learns that another one changed something.

Every change to a contact (and to anything on it) stamps ``contact.updated_at``, so "what changed
since I last looked" is one indexed query on both databases. On PostgreSQL a statement trigger
also sends ``NOTIFY mash_desk_changes`` so listeners wake at once instead of at the next poll;
a notification carries no data, and after a reconnect the listener simply asks again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import psycopg
from sqlalchemy import func, select

from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from mash_desk.store.models import Contact

CHANNEL = "mash_desk_changes"
MAX_IDS = 500
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChangeMarker:
    """The newest change seen so far; ``None`` on an empty database."""

    updated_at: datetime | None


@dataclass(frozen=True)
class ChangeBatch:
    marker: ChangeMarker
    contact_ids: tuple[int, ...]
    overflow: bool  # more changed than fit: refresh everything


def current_marker(ctx: ServiceContext) -> ChangeMarker:
    with ctx.db.session() as session:
        return ChangeMarker(session.scalar(select(func.max(Contact.updated_at))))


def changed_since(ctx: ServiceContext, marker: ChangeMarker) -> ChangeBatch:
    """Contacts changed after ``marker`` (by anyone, on any workstation)."""
    with ctx.db.session() as session:
        query = select(Contact.id, Contact.updated_at).order_by(Contact.updated_at, Contact.id).limit(MAX_IDS + 1)
        if marker.updated_at is not None:
            query = query.where(Contact.updated_at > marker.updated_at)
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
