"""The manager's actions on any contact, as ``ActionFlow`` steps: reassign to another worker (with a
reason) and record management oversight. Both are audited by the services."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtWidgets import QWidget

from mash_desk.domain.enums import Role
from mash_desk.domain.errors import MashDeskError
from mash_desk.gui.action_flow import Step
from mash_desk.gui.dialogs.text import TextAnswer
from mash_desk.gui.manager.reassign_dialog import ReassignAnswer, ReassignDialog, Worker
from mash_desk.gui.step_parts import text_ask, text_step_yours
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services import notes, queues
from mash_desk.services.admin import list_users
from mash_desk.services.context import ServiceContext

WORKER_ROLES = frozenset({Role.PRACTITIONER, Role.MANAGER})


class WorkerList:
    """Who can hold MASH work (from ``admin.list_users``), read once on a worker when first needed."""

    def __init__(self, window: WindowContext) -> None:
        self._runner = window.runner
        self._ctx = window.ctx
        self._workers: list[Worker] | None = None

    def then(self, use: Callable[[list[Worker]], None], on_error: Callable[[MashDeskError], object]) -> None:
        if self._workers is not None:
            use(self._workers)
            return
        ctx = self._ctx

        def keep(workers: list[Worker]) -> None:
            self._workers = workers
            use(workers)

        def read() -> list[Worker]:
            return [
                Worker(user.username, user.display_name, user.team)
                for user in list_users(ctx)
                if user.active and user.role in WORKER_ROLES
            ]

        self._runner.run(read, keep, on_error, label=tr("Reading the list of workers"))


def reassign_step(
    ctx: ServiceContext,
    workers: list[Worker],
    contact_id: int,
    reference: str,
    current: str | None,
    parent: QWidget,
    done: Callable[[object], None],
) -> Step[ReassignAnswer, None]:
    """Ask who takes the work and why, then move it (``queues.reassign``)."""

    def ask(previous: ReassignAnswer | None, errors: Mapping[str, str]) -> ReassignAnswer | None:
        return ReassignDialog.ask(parent, reference, current, workers, answer=previous, errors=errors)

    return Step(
        key="reassign",
        contact_id=contact_id,
        reference=reference,
        title=tr("Reassign {reference}").format(reference=reference),
        parent=parent,
        ask=ask,
        save=lambda answer, _version: queues.reassign(ctx, contact_id, answer.username, answer.reason),
        yours=lambda answer: {tr("Move to"): answer.username, tr("Reason"): answer.reason},
        done=done,
    )


def start_reassign(
    window: WindowContext,
    workers: WorkerList,
    contact_id: int,
    reference: str,
    current: str | None,
    parent: QWidget,
    tell: Callable[[str], None],
) -> None:
    """Read the workers (once per page), then ask who takes the work and move it; ``tell`` says how it went."""

    def start(listed: list[Worker]) -> None:
        done = tr("Reassigned {reference}.").format(reference=reference)
        window.flow.start(
            reassign_step(window.ctx, listed, contact_id, reference, current, parent, lambda _result: tell(done))
        )

    workers.then(start, lambda exc: tell(str(exc)))


def oversight_step(
    ctx: ServiceContext, contact_id: int, reference: str, parent: QWidget, done: Callable[[object], None]
) -> Step[TextAnswer, int]:
    """Ask for a management oversight note and add it (``notes.add_note(oversight=True)``)."""
    title = tr("Management oversight on {reference}").format(reference=reference)

    ask = text_ask(
        parent,
        title=title,
        intro=tr("Your oversight goes on the contact with your name; notes are never edited or removed."),
        caption=tr("&Management oversight:"),
        ok_text=tr("Record oversight"),
        field="text",
        required=True,
    )

    return Step(
        key="oversight",
        contact_id=contact_id,
        reference=reference,
        title=title,
        parent=parent,
        ask=ask,
        save=lambda answer, _version: notes.add_note(ctx, contact_id, answer.text, oversight=True),
        yours=text_step_yours(tr("Oversight")),
        done=done,
    )
