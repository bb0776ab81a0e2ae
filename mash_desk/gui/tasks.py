"""Background work the Anki way: a service call runs on a worker thread, its result comes back by signal.

The GUI thread never waits on the database. ``TaskRunner.run(work, on_done, on_error)`` starts
``work`` (a plain function that calls services) on a thread pool; the result, or the error, is
delivered on the GUI thread through a queued signal. Expected errors (``MashDeskError``) go to
``on_error``; anything else is a bug and goes to ``sys.excepthook`` (the crash dialog, or a failed
test under pytest-qt). ``busy_changed`` says when something has been running long enough to show a
busy indicator.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QThreadPool, QTimer, Signal
from shiboken6 import Shiboken

from mash_desk.domain.errors import MashDeskError
from mash_desk.gui.signals import emit

T = TypeVar("T")
BUSY_DELAY_MS = 300

log = logging.getLogger(__name__)


@dataclass
class _Pending:
    on_done: Callable[[Any], object]
    on_error: Callable[[MashDeskError], object] | None
    owner: QObject | None
    label: str


class _Relay(QObject):
    """Lives on the GUI thread; workers emit through it, so delivery is queued to the GUI thread."""

    finished = Signal(int, object)
    failed = Signal(int, object)


def report_bug(exc: BaseException) -> None:
    """Hand an unexpected exception to the application's crash handler (or pytest-qt's)."""
    sys.excepthook(type(exc), exc, exc.__traceback__)


class TaskRunner(QObject):
    """Runs service calls off the GUI thread and reports back on it."""

    busy_changed = Signal(bool)
    """Emitted with True when work has been running for a moment, and False when all work is done."""
    idle = Signal()
    """Emitted when the last task in flight has delivered its result."""
    expected_error = Signal(object)
    """Emitted with a ``MashDeskError`` that no ``on_error`` handler was given for."""

    def __init__(self, parent: QObject | None = None, *, busy_delay_ms: int = BUSY_DELAY_MS) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(4)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver_result)
        self._relay.failed.connect(self._deliver_error)
        self._pending: dict[int, _Pending] = {}
        self._next_id = 0
        self._closing = False
        self._busy = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(busy_delay_ms)
        self._busy_timer.timeout.connect(self._became_busy)

    @property
    def in_flight(self) -> int:
        return len(self._pending)

    @property
    def busy(self) -> bool:
        return self._busy

    def labels(self) -> list[str]:
        """What is running, for the busy indicator's tooltip."""
        return [p.label for p in self._pending.values() if p.label]

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], object],
        on_error: Callable[[MashDeskError], object] | None = None,
        *,
        owner: QObject | None = None,
        label: str = "",
    ) -> int:
        """Start ``work`` on a worker; ``on_done``/``on_error`` run later on the GUI thread.

        If ``owner`` has been destroyed by the time the result arrives, the result is dropped.
        """
        if self._closing:
            return -1
        self._next_id += 1
        job_id = self._next_id
        self._pending[job_id] = _Pending(on_done, on_error, owner, label)
        if not self._busy_timer.isActive() and not self._busy:
            self._busy_timer.start()
        relay = self._relay

        def execute() -> None:
            try:
                result = work()
            except Exception as exc:
                emit(relay.failed, job_id, exc)
            else:
                emit(relay.finished, job_id, result)

        self._pool.start(execute)
        return job_id

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Spin an event loop until no task is in flight (screenshots and start-up only, never a handler)."""
        if not self._pending:
            return True
        loop = QEventLoop()
        self.idle.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        self.idle.disconnect(loop.quit)
        return not self._pending

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Stop delivering results and let running work finish (the window is closing)."""
        self._closing = True
        self._busy_timer.stop()
        self._pool.waitForDone(timeout_ms)
        self._pending.clear()

    def _take(self, job_id: int) -> _Pending | None:
        pending = self._pending.pop(job_id, None)
        if pending is None or self._closing:
            return None
        if pending.owner is not None and not Shiboken.isValid(pending.owner):
            return None
        return pending

    def _deliver_result(self, job_id: int, result: object) -> None:
        pending = self._take(job_id)
        try:
            if pending is not None:
                pending.on_done(result)
        finally:
            self._settle()

    def _deliver_error(self, job_id: int, exc: BaseException) -> None:
        pending = self._take(job_id)
        try:
            if pending is None:
                return
            if isinstance(exc, MashDeskError):
                log.info("%s: %s: %s", pending.label or "background work", type(exc).__name__, exc)
                if pending.on_error is not None:
                    pending.on_error(exc)
                else:
                    emit(self.expected_error, exc)
            else:
                report_bug(exc)
        finally:
            self._settle()

    def _became_busy(self) -> None:
        if self._pending and not self._busy:
            self._busy = True
            emit(self.busy_changed, True)

    def _settle(self) -> None:
        if self._pending:
            return
        self._busy_timer.stop()
        if self._busy:
            self._busy = False
            emit(self.busy_changed, False)
        emit(self.idle)
