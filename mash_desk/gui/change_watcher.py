"""Changes made at other workstations, within a couple of seconds.

Every ~2 s a worker asks ``services.changes.changed_since`` which contacts changed; on PostgreSQL a
``PostgresListener`` also wakes the watcher the moment a NOTIFY arrives (its callback runs on the
listener's thread and reaches the GUI thread through a queued signal). One question is in flight
at a time; the answer says which contacts changed, so views refresh only those.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from mash_desk.domain.errors import MashDeskError
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.services.changes import ChangeBatch, ChangeMarker, PostgresListener, changed_since, current_marker

POLL_MS = 2000


class ChangeWatcher(QObject):
    contacts_changed = Signal(object, bool)
    """Emitted with the changed contact ids (a tuple) and whether too many changed to list (refresh all)."""
    connection_changed = Signal(bool, str)
    """Emitted when the database stops (False, why) or starts (True, "") answering the watcher."""
    _woken = Signal()

    def __init__(
        self,
        window: WindowContext,
        *,
        poll_ms: int = POLL_MS,
        listen: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = window.runner
        self._ctx = ctx = window.ctx
        self._marker: ChangeMarker | None = None
        self._asking = False
        self._again = False
        self._online = True
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.check_now)
        self._woken.connect(self.check_now)
        self._listen = listen and ctx.db.is_postgresql
        self._listener: PostgresListener | None = None

    def start(self) -> None:
        self.start_marker()
        self._timer.start()
        if self._listen and self._listener is None:
            self._listener = PostgresListener(self._ctx.db, lambda: emit(self._woken))
            self._listener.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def check_now(self) -> None:
        """Ask the database what changed since the last answer (a second ask waits for the first)."""
        if self._asking:
            self._again = True
            return
        if self._marker is None:
            self.start_marker()
            return
        ctx, marker = self._ctx, self._marker
        self._asking = True
        self._runner.run(lambda: changed_since(ctx, marker), self._answered, self._failed, owner=self)

    def start_marker(self) -> None:
        ctx = self._ctx
        self._asking = True
        self._runner.run(lambda: current_marker(ctx), self._started, self._failed, owner=self)

    def _started(self, marker: ChangeMarker) -> None:
        self._asking = False
        self._marker = marker
        self._back_online()

    def _answered(self, batch: ChangeBatch) -> None:
        self._asking = False
        self._marker = batch.marker
        self._back_online()
        if batch.contact_ids or batch.overflow:
            emit(self.contacts_changed, batch.contact_ids, batch.overflow)
        if self._again:
            self._again = False
            self.check_now()

    def _failed(self, exc: MashDeskError) -> None:
        self._asking = False
        self._again = False
        if self._online:
            self._online = False
            emit(self.connection_changed, False, str(exc))

    def _back_online(self) -> None:
        if not self._online:
            self._online = True
            emit(self.connection_changed, True, "")
            emit(self.contacts_changed, (), True)
