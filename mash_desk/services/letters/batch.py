"""The daily batch: issue each job's letter, with progress, stopping cleanly between letters; a letter
that went meanwhile is skipped, one that fails is reported and the batch carries on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.lifecycle import Action
from mash_desk.letters import load_wording
from mash_desk.services.context import ServiceContext, require
from mash_desk.services.letters.issue import IssuedLetter, Prepared, prepare_in, store_in
from mash_desk.services.letters.pool import renderer
from mash_desk.services.letters.reading import load_letterhead
from mash_desk.services.letters.worklists import LetterJob

log = logging.getLogger(__name__)


BATCH_CHUNK = 16


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: letters issued, jobs skipped (done meanwhile) or failed, and whether it was stopped."""

    issued: tuple[IssuedLetter, ...]
    skipped: tuple[tuple[LetterJob, str], ...]
    failed: tuple[tuple[LetterJob, str], ...]
    cancelled: bool
    total: int


def issue_batch(
    ctx: ServiceContext,
    jobs: Sequence[LetterJob],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BatchResult:
    """Issue each job's letter, reporting progress; stops cleanly between letters.

    A job whose letter went (or was suppressed) since the list was made is skipped, never sent twice;
    a job that fails (the contact changed state, say) is reported and the batch carries on. Letters
    render in worker processes while this one reads and stores (reportlab is pure Python, so threads
    would not help), which is what keeps a day's batch above 50 letters a second on two cores.
    """
    with ctx.unit() as (session, actor):
        require(actor, Action.ISSUE_LETTER)
        letterhead = load_letterhead(session)
    wording = load_wording(letterhead.templates)  # a broken template stops the batch before its first letter
    issuer = actor.username
    issued: list[IssuedLetter] = []
    skipped: list[tuple[LetterJob, str]] = []
    failed: list[tuple[LetterJob, str]] = []
    total = len(jobs)
    stopped = False
    done = 0

    def finish(job: LetterJob, outcome: IssuedLetter | str | MashDeskError) -> None:
        nonlocal done
        if isinstance(outcome, IssuedLetter):
            issued.append(outcome)
        elif isinstance(outcome, MashDeskError):
            failed.append((job, str(outcome)))
        else:
            skipped.append((job, outcome))
        done += 1
        if progress is not None:
            progress(done, total)

    with renderer(total) as render:
        for start in range(0, total, BATCH_CHUNK):
            if cancelled is not None and cancelled():
                stopped = True
                break
            waiting: list[tuple[LetterJob, Prepared, Future[bytes]]] = []
            # one read unit for the chunk's checks and data, then one write unit to store it
            with ctx.unit() as (session, actor):
                for job in jobs[start : start + BATCH_CHUNK]:
                    try:
                        prepared = prepare_in(
                            ctx,
                            session,
                            actor,
                            job.contact_id,
                            job.recipient,
                            job.method,
                            only_if_not_done=True,
                            letterhead=letterhead,
                            wording=wording,
                            addressee_id=job.addressee_id,
                            in_batch=True,
                        )
                    except MashDeskError as exc:
                        finish(job, exc)
                        continue
                    if isinstance(prepared, str):
                        finish(job, prepared)
                    else:
                        waiting.append((job, prepared, render(prepared.data, prepared.letterhead, prepared.wording)))
            if not waiting:
                continue
            with ctx.unit(write=True) as (session, actor):
                for job, prepared, rendering in waiting:
                    if cancelled is not None and cancelled():
                        stopped = True
                        break
                    try:
                        # a savepoint per letter: one that cannot be stored leaves the others alone
                        with session.begin_nested():
                            outcome = store_in(ctx, session, actor, prepared, rendering.result(), only_if_not_done=True)
                    except MashDeskError as exc:
                        finish(job, exc)
                    else:
                        finish(job, outcome)
            if stopped:
                for _job, _prepared, rendering in waiting:
                    rendering.cancel()
                break
    for job, reason in failed:
        log.warning("letter batch: %s %s letter not issued: %s", job.reference, job.recipient.value, reason)
    log.info(
        "letter batch by %s: %d of %d issued, %d skipped, %d failed%s",
        issuer,
        len(issued),
        total,
        len(skipped),
        len(failed),
        " (stopped)" if stopped else "",
    )
    return BatchResult(tuple(issued), tuple(skipped), tuple(failed), stopped, total)
