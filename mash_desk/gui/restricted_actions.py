"""Restricting a contact, lifting the restriction, and breaking the glass to read one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from mash_desk.domain.errors import RestrictedRecord
from mash_desk.gui.action_flow import Step
from mash_desk.gui.dialogs.restricted import BreakGlassDialog, record_words
from mash_desk.gui.dialogs.text import TextAnswer
from mash_desk.gui.step_parts import contact_step, text_ask, text_step_yours
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr, when
from mash_desk.services import restrictions
from mash_desk.services.contact_view import ContactDetail
from mash_desk.services.restrictions import CONTACT, PERSON, RestrictionRow


class RestrictedActions(QObject):
    """A manager restricts or lifts; anyone the restriction hides a contact from may break the glass."""

    def __init__(self, window: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._flow = window.flow
        self._ctx = window.ctx

    def restrict(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx = self._ctx
        title = tr("Restrict {reference}")
        self._flow.start(
            contact_step(
                detail,
                parent,
                "restrict",
                title,
                ask=text_ask(
                    parent,
                    title=title.format(reference=detail.reference),
                    intro=tr(
                        "Only you, the worker it is assigned to, and anyone who breaks the glass (saying why, "
                        "which managers see) will read {reference}. Everyone else sees only that it exists, "
                        "and that you restricted it."
                    ).format(reference=detail.reference),
                    caption=tr("&Why is it restricted? (at least {n} characters)").format(n=restrictions.MIN_REASON),
                    ok_text=tr("Restrict"),
                    field="reason",
                    required=False,  # the service says what a reason needs, at the field
                ),
                save=lambda answer, _v: restrictions.restrict_record(ctx, contact_id=detail.id, reason=answer.text),
                yours=text_step_yours(tr("Reason")),
            )
        )

    def lift(self, detail: ContactDetail, restriction: RestrictionRow, parent: QWidget) -> None:
        ctx = self._ctx
        title = tr("Lift the restriction on {reference}")
        self._flow.start(
            contact_step(
                detail,
                parent,
                "lift",
                title,
                ask=text_ask(
                    parent,
                    title=title.format(reference=detail.reference),
                    intro=tr(
                        "Restricted by {who} on {at}: “{reason}”. Once lifted, everyone who may see {reference} "
                        "reads it again without breaking the glass."
                    ).format(
                        who=restriction.restricted_by,
                        at=when(restriction.restricted_at),
                        reason=restriction.reason,
                        reference=detail.reference,
                    ),
                    caption=tr("&Why is it lifted? (at least {n} characters)").format(n=restrictions.MIN_REASON),
                    ok_text=tr("Lift restriction"),
                    field="reason",
                    required=False,
                ),
                save=lambda answer, _v: restrictions.lift_restriction(ctx, restriction.id, answer.text),
                yours=text_step_yours(tr("Reason")),
            )
        )

    def break_glass(
        self,
        notice: RestrictedRecord,
        parent: QWidget,
        *,
        opened: Callable[[datetime], None],
        cancelled: Callable[[], None],
    ) -> None:
        """Ask why this person must open a contact (or a person's record) restricted to them and, if they
        say, break the glass on a worker; the record is then read again (``opened`` gets when the glass
        mends). ``cancelled`` runs if they choose not to: nothing is written."""
        if notice.kind not in (CONTACT, PERSON):
            return
        ctx, record_id = self._ctx, notice.record_id
        person = notice.kind == PERSON

        def ask(previous: TextAnswer | None, errors: Mapping[str, str]) -> TextAnswer | None:
            answer = BreakGlassDialog.ask(
                parent,
                kind=notice.kind,
                restricted_by=notice.restricted_by,
                restricted_at=notice.restricted_at,
                answer=previous,
                errors=errors,
            )
            if answer is None:
                cancelled()
            return answer

        self._flow.start(
            Step(
                key="break_glass",
                contact_id=0 if person else record_id,  # a person's record is no contact: no contact changes
                reference=tr("restricted {what}").format(what=record_words(notice.kind)),
                title=tr("Break the glass"),
                parent=parent,
                ask=ask,
                save=lambda answer, _v: (
                    restrictions.break_glass(ctx, person_id=record_id, reason=answer.text)
                    if person
                    else restrictions.break_glass(ctx, contact_id=record_id, reason=answer.text)
                ),
                yours=text_step_yours(tr("Reason")),
                done=opened,
            )
        )
