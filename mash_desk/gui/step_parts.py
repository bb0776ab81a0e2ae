"""The parts every step on a contact is built from: pick lists, the one-box dialog, a confirmation,
and ``contact_step`` (a ``Step`` keyed to one contact), shared by the contact's and the restricted
record's actions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from mash_desk.gui.action_flow import Step
from mash_desk.gui.dialogs.text import TextAnswer, TextDialog
from mash_desk.gui.messages import ConfirmDialog
from mash_desk.services.admin import list_agencies
from mash_desk.services.contact_view import ContactDetail
from mash_desk.services.context import ServiceContext
from mash_desk.services.handoffs import ReceivingTeam, receiving_teams
from mash_desk.services.presets import checks_to_offer
from mash_desk.services.screening import managers


@dataclass(frozen=True)
class Lookups:
    """Lists the dialogs pick from; read once per sign-in."""

    agencies: list[tuple[str, str]]
    managers: list[tuple[str, str]]
    teams: list[ReceivingTeam]
    usual_checks: tuple[str, ...] = ()
    """The agencies a request for checks starts with ticked."""


def load_lookups(ctx: ServiceContext) -> Lookups:
    return Lookups(list_agencies(ctx), managers(ctx), receiving_teams(ctx), checks_to_offer(ctx))


def text_step_yours(label: str) -> Callable[[TextAnswer], dict[str, str]]:
    return lambda answer: {label: answer.text}


A = TypeVar("A")
R = TypeVar("R")
Ask = Callable[[A | None, Mapping[str, str]], A | None]
TextAsk = Callable[[TextAnswer | None, Mapping[str, str]], TextAnswer | None]


def text_ask(
    parent: QWidget, *, title: str, intro: str, caption: str, ok_text: str, field: str, required: bool
) -> TextAsk:
    """The one-box dialog most steps ask with: a reason, a note, comments."""

    def ask(previous: TextAnswer | None, errors: Mapping[str, str]) -> TextAnswer | None:
        return TextDialog.ask(
            parent,
            title=title,
            intro=intro,
            caption=caption,
            ok_text=ok_text,
            field=field,
            required=required,
            answer=previous,
            errors=errors,
        )

    return ask


def confirm_first(parent: QWidget, title: str, question: str, ok_text: str) -> Callable[[], bool]:
    """A step with nothing to type asks only this, then saves."""
    return lambda: ConfirmDialog.ask(parent, title, question, ok_text=ok_text)


def contact_step(
    detail: ContactDetail,
    parent: QWidget,
    key: str,
    title: str,
    *,
    ask: Ask[A] | None,
    save: Callable[[A, int | None], R],
    version: int | None = None,
    yours: Callable[[A], dict[str, str]] | None = None,
    confirm: Callable[[], bool] | None = None,
) -> Step[A, R]:
    step: Step[A, R] = Step(
        key=key,
        contact_id=detail.id,
        reference=detail.reference,
        title=title.format(reference=detail.reference),
        parent=parent,
        ask=ask,
        save=save,
        version=version,
        confirm=confirm,
    )
    return step if yours is None else replace(step, yours=yours)
