"""The garbage collector, paused while start-up imports what lives as long as the program.

Starting up imports a few hundred modules, whose classes, functions and tables live until the program
ends. The cyclic collector, left to run while they are made, walks them again and again and frees
nothing: it was a sixth of the start-up's CPU. So ``mash_desk.launch`` pauses it while the command line
is imported and ``mash-desk gui`` while the window's code is; when the program starts, what the command
line's import made is frozen, left out of every later collection for good (not in ``gui``'s pause, as
tests call that: it would freeze their garbage too).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """Import in here what lives until the program ends; the collector runs again afterwards as it was."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_on:
            gc.enable()
