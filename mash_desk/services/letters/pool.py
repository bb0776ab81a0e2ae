"""Rendering a batch's letters in worker processes (reportlab is pure Python: threads would not help)."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager

from mash_desk.letters import LetterData, Letterhead, LetterWording, render_letter

log = logging.getLogger(__name__)


PARALLEL_FROM = 24  # below this, starting worker processes costs more than it saves


@contextmanager
def renderer(letters: int) -> Iterator[Callable[[LetterData, Letterhead, LetterWording], Future[bytes]]]:
    """Render in worker processes for a big batch; in this process (as a finished future) otherwise.

    Workers are spawned, not forked: the batch runs on a GUI worker thread, and forking a
    multi-threaded Qt process is unsafe.
    """
    workers = min(os.cpu_count() or 1, 4)
    if letters < PARALLEL_FROM or workers < 2:

        def render_here(data: LetterData, letterhead: Letterhead, wording: LetterWording) -> Future[bytes]:
            future: Future[bytes] = Future()
            future.set_result(render_letter(data, letterhead, wording))
            return future

        yield render_here
        return
    log.info("rendering %d letters in %d worker processes", letters, workers)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:

        def render_there(data: LetterData, letterhead: Letterhead, wording: LetterWording) -> Future[bytes]:
            return pool.submit(render_letter, data, letterhead, wording)

        yield render_there
