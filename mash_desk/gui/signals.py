"""Emitting Qt signals from Python, safely on PySide6 6.12.0.

PySide6 6.12.0's ``SignalInstance.emit()`` returns ``True`` without taking a reference to it, so
every emit from Python takes one reference off ``True``. A few hundred emits in (a table's live
countdown emits ``dataChanged`` every second) ``True``'s count reaches zero and the interpreter
aborts with "Fatal Python error: bool_dealloc". Measured here: 50 emits, ``sys.getrefcount(True)``
down by exactly 50; nothing else we call (``setProperty``, ``isVisible``, ``close``...) does it.

pyproject.toml keeps PySide6 below 6.12 for this reason. Every emit in the GUI still goes through
``emit()`` below, which gives the reference back if this PySide drops it (measured once at import,
so a sound PySide is left alone), because an installer or a developer can end up with 6.12.0
anyway, and a crash every few minutes is not something a practitioner should ever meet.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance

PROBE_EMITS = 32
# a private prototype of Py_IncRef (ctypes.pythonapi's is shared with every other library)
_incref = ctypes.PYFUNCTYPE(None, ctypes.py_object)(("Py_IncRef", ctypes.pythonapi))


class _Probe(QObject):
    fired = Signal()


def _emit_drops_its_result() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(PROBE_EMITS):
        probe.fired.emit()
    dropped = before - sys.getrefcount(True)
    for _ in range(max(dropped, 0)):
        _incref(True)  # give back what the probe itself took
    probe.deleteLater()
    return dropped >= PROBE_EMITS // 2


EMIT_DROPS_RESULT = _emit_drops_its_result()


def emit(signal: SignalInstance, *args: object) -> None:
    """``signal.emit(*args)``, without the reference leak of PySide6 6.12.0."""
    # the stubs say emit() returns nothing; at run time it returns the bool it fails to reference
    result: object = signal.emit(*args)  # type: ignore[func-returns-value]
    if EMIT_DROPS_RESULT:
        _incref(result)
