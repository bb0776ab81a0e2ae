"""Chasing a receiving team that has not accepted a hand-off: one flow for the managers' Hand-offs page
and the practitioners' "Hand-offs not accepted" tab (``handoffs.chase_hand_off`` records it)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from mash_desk.gui.action_flow import Step
from mash_desk.gui.dialogs.text import TextAnswer
from mash_desk.gui.step_parts import text_ask, text_step_yours
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services import handoffs
from mash_desk.services.context import ServiceContext
from mash_desk.services.handoffs import may_chase
from mash_desk.services.queues import HandOffRow

CHASE_KEY = "Ctrl+K"  # "knock on their door": the team has not accepted yet


def chase_step(
    ctx: ServiceContext,
    handoff_id: int,
    contact_id: int,
    reference: str,
    team: str,
    parent: QWidget,
    done: Callable[[object], None],
) -> Step[TextAnswer, int]:
    """Ask how the receiving team was chased and record it (``handoffs.chase_hand_off``)."""
    title = tr("Chase {team} about {reference}").format(team=team, reference=reference)

    ask = text_ask(
        parent,
        title=title,
        intro=tr(
            "{team} has not accepted this hand-off yet. Say whom you phoned or e-mailed and what they said: "
            "it goes in the contact's chronology, and {team} sees it beside the hand-off."
        ).format(team=team),
        caption=tr("&How you chased:"),
        ok_text=tr("Record the chase"),
        field="note",
        required=True,
    )

    return Step(
        key="chase",
        contact_id=contact_id,
        reference=reference,
        title=title,
        parent=parent,
        ask=ask,
        save=lambda answer, _version: handoffs.chase_hand_off(ctx, handoff_id, answer.text),
        yours=text_step_yours(tr("How you chased")),
        done=done,
    )


def start_chase(window: WindowContext, row: object, parent: QWidget, tell: Callable[[str], None]) -> None:
    """Chase the team holding the hand-off in ``row`` (the selected row of a list; anything else is
    ignored); ``tell`` gets a sentence for the status bar, when it is refused or once it is recorded."""
    if not isinstance(row, HandOffRow):
        return
    if not may_chase(window.actor, row.team_id):
        tell(tr("Your own team holds this hand-off: accept or reject it instead."))
        return
    done = tr("Recorded that you chased {team} about {reference}.").format(team=row.team, reference=row.reference)
    window.flow.start(
        chase_step(
            window.ctx, row.handoff_id, row.contact_id, row.reference, row.team, parent, lambda _result: tell(done)
        )
    )
