"""Asking, saving, and what happens when a save is refused or fails, for every action the same way.

1. The action's dialog asks (filled with what was typed last time, if it was never saved).
2. The service call runs on a worker.
3. Refused with field messages (``InvalidInput``): the dialog opens again with the messages at the
   fields and everything still typed in it.
4. The database could not be reached (``DatabaseUnavailable``): the app says so plainly and offers
   Retry; what was typed is kept.
5. Someone else saved first (``ConcurrentEdit``): the contact is read again and their version is
   shown beside yours, to save yours on top, edit it first, or drop it.
6. Any other refusal (consent missing, wrong state, not allowed): the reason, in plain words; the
   contact is read again only if it has moved on (a refusal itself changes nothing).

Nothing typed is dropped unless the person says so: a cancelled retry is remembered per contact
and action, and the next time that action is opened its dialog starts from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from mash_desk.domain.errors import (
    ConcurrentEdit,
    DatabaseUnavailable,
    IllegalTransition,
    InvalidInput,
    MashDeskError,
    NotFound,
)
from mash_desk.gui.dialogs.conflict import ConflictChoice, ConflictDialog
from mash_desk.gui.messages import ErrorChoice, ErrorDialog
from mash_desk.gui.signals import emit
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.words import enum_words, rag_words, status_words, tr, when
from mash_desk.services.contact_view import ContactDetail, open_contact
from mash_desk.services.context import ServiceContext

A = TypeVar("A")
R = TypeVar("R")


@dataclass
class Step(Generic[A, R]):
    """One action on one contact: how to ask for it, how to save it, and how to describe it."""

    key: str
    contact_id: int
    reference: str
    title: str
    parent: QWidget | None
    ask: Callable[[A | None, Mapping[str, str]], A | None] | None
    save: Callable[[A, int | None], R]
    version: int | None = None
    yours: Callable[[A], dict[str, str]] = field(default=lambda _answer: {})
    confirm: Callable[[], bool] | None = None
    done: Callable[[R], None] | None = None


def describe_contact(detail: ContactDetail) -> dict[str, str]:
    """The contact as it is now, for the "theirs" side of a conflict."""
    consent = detail.current_consent
    last = detail.chronology[-1] if detail.chronology else None
    return {
        tr("Status"): status_words(detail.status),
        tr("RAG"): rag_words(detail.rag),
        tr("Worker"): detail.assigned_to or tr("unassigned"),
        tr("Consent"): (tr("override recorded") if consent.override else enum_words(consent.status))
        if consent
        else tr("not recorded"),
        tr("Latest entry"): f"{last.what} — {last.who}, {when(last.at)}" if last else "",
    }


class ActionFlow(QObject):
    """Runs ``Step``s: ask, save on a worker, and handle every way a save can go wrong."""

    contact_changed = Signal(int)
    """Emitted with a contact's id after this workstation changed it (or learned that it had changed)."""
    running_changed = Signal(int, bool)
    """Emitted with a contact's id when a save for it starts (True) and ends (False)."""

    def __init__(self, runner: TaskRunner, ctx: ServiceContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._ctx = ctx
        self._unsent: dict[tuple[int, str], object] = {}

    def unsent(self, contact_id: int, key: str) -> object | None:
        """What was typed for this action and never saved."""
        return self._unsent.get((contact_id, key))

    def start(self, step: Step[Any, Any]) -> None:
        if step.ask is None:
            if step.confirm is not None and not step.confirm():
                return
            self._save(step, None)
            return
        self._ask(step, self._unsent.get((step.contact_id, step.key)), {})

    def _ask(self, step: Step[Any, Any], previous: object | None, errors: Mapping[str, str]) -> None:
        assert step.ask is not None
        answer = step.ask(previous, errors)
        if answer is None:
            if previous is not None:
                self._unsent[(step.contact_id, step.key)] = previous
            return
        self._unsent[(step.contact_id, step.key)] = answer
        self._save(step, answer)

    def _save(self, step: Step[Any, Any], answer: object | None) -> None:
        emit(self.running_changed, step.contact_id, True)
        version = step.version
        self._runner.run(
            lambda: step.save(answer, version),
            lambda result: self._saved(step, result),
            lambda exc: self._failed(step, answer, exc),
            label=step.title,
        )

    def _saved(self, step: Step[Any, Any], result: object) -> None:
        self._unsent.pop((step.contact_id, step.key), None)
        emit(self.running_changed, step.contact_id, False)
        emit(self.contact_changed, step.contact_id)
        if step.done is not None:
            step.done(result)

    def _failed(self, step: Step[Any, Any], answer: object | None, exc: MashDeskError) -> None:
        emit(self.running_changed, step.contact_id, False)
        if isinstance(exc, InvalidInput) and step.ask is not None:
            self._ask(step, answer, exc.field_errors)
            return
        if isinstance(exc, DatabaseUnavailable):
            choice = ErrorDialog.ask(
                step.parent,
                step.title,
                tr(
                    "{problem}\n\nNothing was saved, and nothing you typed is lost. Retry when the connection is back."
                ).format(problem=exc),
                retry=True,
                edit=step.ask is not None,
            )
            self._after_choice(step, answer, choice)
            return
        if isinstance(exc, ConcurrentEdit):
            choice = ErrorDialog.ask(step.parent, step.title, str(exc), compare=True, edit=step.ask is not None)
            if choice is ErrorChoice.COMPARE:
                self._compare(step, answer, exc)
            else:
                self._after_choice(step, answer, choice)
            return
        self._tell(step, exc)
        if isinstance(exc, IllegalTransition | NotFound):
            emit(self.contact_changed, step.contact_id)  # the contact moved on: show it as it is now

    def _tell(self, step: Step[Any, Any], exc: MashDeskError) -> None:
        ErrorDialog.ask(step.parent, step.title, str(exc))

    def _after_choice(self, step: Step[Any, Any], answer: object | None, choice: ErrorChoice) -> None:
        if choice is ErrorChoice.RETRY:
            self._save(step, answer)
        elif choice is ErrorChoice.EDIT:
            self._ask(step, answer, {})

    def _compare(self, step: Step[Any, Any], answer: object | None, conflict: ConcurrentEdit) -> None:
        ctx, contact_id = self._ctx, step.contact_id
        self._runner.run(
            lambda: open_contact(ctx, contact_id),
            lambda detail: self._show_conflict(step, answer, conflict, detail),
            lambda exc: self._tell(step, exc),
            label=tr("Reading the other change"),
        )

    def _show_conflict(
        self, step: Step[Any, Any], answer: object | None, conflict: ConcurrentEdit, detail: ContactDetail
    ) -> None:
        emit(self.contact_changed, step.contact_id)
        yours = step.yours(answer) if answer is not None else {}
        choice = ConflictDialog.ask(
            step.parent,
            reference=step.reference,
            changed_by=conflict.changed_by,
            changed_at=conflict.changed_at,
            theirs=describe_contact(detail),
            yours=yours or {tr("Action"): step.title},
        )
        if choice is ConflictChoice.KEEP_THEIRS:
            self._unsent.pop((step.contact_id, step.key), None)
            return
        step.version = detail.version
        if choice is ConflictChoice.APPLY_MINE:
            self._save(step, answer)
        else:
            self._ask(step, answer, {})
