"""The actions on a contact: for each offered step (``contact_offers``), its dialog and service call."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from mash_desk.domain.defaults import submit_with_decision, suggested_primary_need
from mash_desk.domain.enums import ContactStatus
from mash_desk.gui.action_flow import Step
from mash_desk.gui.checklist_prompt import NOT_NOW, ask_override
from mash_desk.gui.contact_offers import my_hand_off, my_requests, outstanding
from mash_desk.gui.dialogs.agency import (
    AgencyReturnDialog,
    ReturnAnswer,
    ReturnRequest,
)
from mash_desk.gui.dialogs.decision import ChildChoice, DecisionDialog
from mash_desk.gui.dialogs.handoff import HandOffAnswer, HandOffDialog
from mash_desk.gui.dialogs.text import TextAnswer, TextDialog
from mash_desk.gui.messages import ask_item
from mash_desk.gui.restricted_actions import RestrictedActions
from mash_desk.gui.screening_actions import ScreeningActions
from mash_desk.gui.step_parts import Lookups, confirm_first, contact_step, load_lookups, text_ask, text_step_yours
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import level_words, outcome_words, tr, when
from mash_desk.services import agency_brief, decisions, handoffs, notes, queues, screening
from mash_desk.services.agency_brief import ReturnBrief
from mash_desk.services.contact_view import ContactDetail
from mash_desk.services.decisions import ChecklistOverride, DecisionForChildren
from mash_desk.services.restrictions import RestrictionRow

if TYPE_CHECKING:
    from mash_desk.gui.risk_actions import RiskActions


class ContactActions(QObject):
    """Turns an offered action into a ``Step`` and starts it on the shared ``ActionFlow``."""

    def __init__(
        self,
        window: WindowContext,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._flow = window.flow
        self._runner = window.runner
        self._ctx = window.ctx
        self._actor = window.actor
        self._lookups: Lookups | None = None
        self._window = window
        self.restricted = RestrictedActions(window, self)
        self._risk: RiskActions | None = None
        self.screening = ScreeningActions(window, self.with_lookups, self)
        # the offered actions (contact_offers keys) and what starts each; "lift" needs the restriction
        self._handlers: dict[str, Callable[[ContactDetail, QWidget], None]] = {
            "claim": self._claim,
            "rate": self.screening.rate,
            "consent": self.screening.consent,
            "checks": self.screening.checks,
            "agency_return": self._agency_return,
            "withdraw": self._withdraw,
            "decide": self._decide,
            "submit": self._submit,
            "authorise": self._authorise,
            "return_decision": self._return_decision,
            "hand_off": self._hand_off,
            "pass_on": self._pass_on,
            "accept": self._accept,
            "reject": self._reject,
            "close": self._close,
            "note": self._note,
            "oversight": self._oversight,
            "restrict": self.restricted.restrict,
            "dash": self._dash,
            "marac": self._marac,
            "gcp": self._gcp,
        }

    @property
    def risk(self) -> RiskActions:
        """The risk tools' actions (DASH, MARAC, GCP2), made when first used: their dialogs and services are
        not loaded before the window's first paint."""
        if self._risk is None:
            from mash_desk.gui.risk_actions import RiskActions  # noqa: PLC0415 - on first use

            self._risk = RiskActions(self._window, self)
        return self._risk

    def _dash(self, detail: ContactDetail, parent: QWidget) -> None:
        self.risk.dash(detail, parent)

    def _marac(self, detail: ContactDetail, parent: QWidget) -> None:
        self.risk.marac(detail, parent)

    def _gcp(self, detail: ContactDetail, parent: QWidget) -> None:
        self.risk.gcp(detail, parent)

    def with_lookups(self, then: Callable[[Lookups], None]) -> None:
        """Run ``then`` with the pick lists, reading them first (on a worker) if not read yet."""
        if self._lookups is not None:
            then(self._lookups)
            return

        def keep(lookups: Lookups) -> None:
            self._lookups = lookups
            then(lookups)

        ctx = self._ctx
        self._runner.run(lambda: load_lookups(ctx), keep, label=self.tr("Reading teams and agencies"))

    def trigger(
        self, key: str, detail: ContactDetail, parent: QWidget, *, restriction: RestrictionRow | None = None
    ) -> None:
        """Start the action ``key`` on ``detail``; lifting needs the ``restriction`` in force."""
        if key == "lift":
            if restriction is not None:
                self.restricted.lift(detail, restriction, parent)
            return
        self._handlers[key](detail, parent)

    # --- steps -------------------------------------------------------------------------------------

    def _claim(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx = self._ctx
        self._flow.start(
            contact_step(
                detail,
                parent,
                "claim",
                tr("Take {reference}"),
                ask=None,
                save=lambda _a, _v: queues.claim(ctx, detail.id),
            )
        )

    def _agency_return(self, detail: ContactDetail, parent: QWidget) -> None:
        requests = my_requests(detail, self._actor)
        if not requests:
            return
        request = requests[0]
        children = ", ".join(child.person.name for child in detail.children)
        self.record_return(
            ReturnRequest(
                request.id, detail.id, detail.reference, children, request.agency, request.question, request.due_at
            ),
            request.version,
            parent,
        )

    def record_return(self, request: ReturnRequest, version: int, parent: QWidget) -> None:
        """An agency partner answers a request (from the contact, or straight from their queue)."""
        ctx = self._ctx
        # who the children are, where they live and who asked: read first (on a worker), shown before a word is typed
        self._runner.run(
            lambda: agency_brief.return_brief(ctx, request.request_id),
            lambda brief: self._answer_return(brief, request, version, parent),
            label=self.tr("Reading the request"),
        )

    def _answer_return(self, brief: ReturnBrief, request: ReturnRequest, version: int, parent: QWidget) -> None:
        ctx = self._ctx

        def ask(previous: ReturnAnswer | None, errors: Mapping[str, str]) -> ReturnAnswer | None:
            return AgencyReturnDialog.ask(parent, brief, answer=previous, errors=errors)

        def save(answer: ReturnAnswer, _version: int | None) -> None:
            screening.record_agency_return(
                ctx,
                request.request_id,
                summary=answer.summary,
                nothing_known=answer.nothing_known,
                confidentiality=answer.confidentiality,
                expected_version=version,
            )

        self._flow.start(
            Step(
                key=f"return-{request.request_id}",
                contact_id=request.contact_id,
                reference=request.reference,
                title=tr("Return for {reference}").format(reference=request.reference),
                parent=parent,
                ask=ask,
                save=save,
            )
        )

    def _withdraw(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx = self._ctx
        waiting = outstanding(detail)
        names = [f"{r.agency} ({tr('asked')} {when(r.requested_at)})" for r in waiting]
        if len(waiting) == 1:
            request = waiting[0]
        else:
            chosen = ask_item(parent, tr("Withdraw a request"), tr("Which agency?"), names)
            if chosen is None:
                return
            request = waiting[chosen]
        self._flow.start(
            contact_step(
                detail,
                parent,
                f"withdraw-{request.id}",
                tr("Withdraw the request to {agency}").format(agency=request.agency),
                ask=text_ask(
                    parent,
                    title=tr("Withdraw the request to {agency}").format(agency=request.agency),
                    intro=tr("Stop waiting for {agency}, for example when a decision cannot wait.").format(
                        agency=request.agency
                    ),
                    caption=tr("&Why is it withdrawn?"),
                    ok_text=tr("Withdraw request"),
                    field="reason",
                    required=True,
                ),
                save=lambda answer, _v: screening.withdraw_agency_request(ctx, request.id, answer.text),
                yours=text_step_yours(tr("Reason")),
            )
        )

    def _decide(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx = self._ctx
        choices = [
            ChildChoice(
                child.person.person_id,
                child.person.name,
                tr("Proposed by {who}: {level}, {outcome}").format(
                    who=child.proposed.proposed_by,
                    level=level_words(child.proposed.level_of_need),
                    outcome=outcome_words(child.proposed.outcome),
                )
                if child.proposed
                else "",
            )
            for child in detail.children
        ]
        undecided = [c.person_id for c, child in zip(choices, detail.children, strict=True) if child.proposed is None]
        # the dialog starts on every child when none is decided, else on the first undecided one
        left_after = 0 if len(undecided) in (len(choices), 0, 1) else len(undecided) - 1
        submit = submit_with_decision(
            children_left=left_after,
            checks_outstanding=len(outstanding(detail)),
            consent_recorded=detail.current_consent is not None,
        )

        def ask(previous: DecisionForChildren | None, errors: Mapping[str, str]) -> DecisionForChildren | None:
            return DecisionDialog.ask(
                parent,
                detail.reference,
                choices,
                undecided[0] if undecided else None,
                primary_need=suggested_primary_need(detail.concerns),
                submit=submit,
                answer=previous,
                errors=errors,
            )

        self._flow.start(
            contact_step(
                detail,
                parent,
                "decide",
                tr("Decision on {reference}"),
                ask=ask,
                save=lambda decision, _v: decisions.decide_for_children(ctx, detail.id, decision),
            )
        )

    def _submit(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx = self._ctx
        self._flow.start(
            contact_step(
                detail,
                parent,
                "submit",
                tr("Submit {reference} for authorisation"),
                ask=None,
                confirm=confirm_first(
                    parent,
                    tr("Submit for authorisation"),
                    tr("Send the decisions on {reference} to a manager to authorise?").format(
                        reference=detail.reference
                    ),
                    ok_text=tr("Submit"),
                ),
                save=lambda _a, version: decisions.submit_for_authorisation(ctx, detail.id, expected_version=version),
                version=detail.version,
            )
        )

    def _review_text(
        self, parent: QWidget, *, title: str, required: bool, ok_text: str
    ) -> Callable[[TextAnswer | None, Mapping[str, str]], TextAnswer | None]:
        def ask(previous: TextAnswer | None, errors: Mapping[str, str]) -> TextAnswer | None:
            return TextDialog.ask(
                parent,
                title=title,
                intro=tr("Your comments go on the record with your name.")
                if not required
                else tr("Say what needs to change before you can authorise."),
                caption=tr("&Comments (optional):") if not required else tr("&What needs to change:"),
                ok_text=ok_text,
                field="comments",
                required=required,
                answer=previous,
                errors=errors,
            )

        return ask

    def _authorise(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx = self._ctx
        override = ask_override(parent, detail)  # a point of the checklist not met: are you sure, and why?
        if override is NOT_NOW:
            return
        checked = override if isinstance(override, ChecklistOverride) else None
        self._flow.start(
            contact_step(
                detail,
                parent,
                "authorise",
                tr("Authorise {reference}"),
                ask=self._review_text(
                    parent,
                    title=tr("Authorise {reference}").format(reference=detail.reference),
                    required=False,
                    ok_text=tr("Authorise"),
                ),
                save=lambda answer, version: decisions.authorise(
                    ctx, detail.id, answer.text or None, expected_version=version, override=checked
                ),
                version=detail.version,
                yours=text_step_yours(tr("Authorisation comments")),
            )
        )

    def _return_decision(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx = self._ctx
        # an authorised decision is reopened (say why); one awaiting authorisation is sent back
        reopening = detail.status is ContactStatus.AUTHORISED
        title = tr("Reopen the decision on {reference}") if reopening else tr("Send {reference} back")
        self._flow.start(
            contact_step(
                detail,
                parent,
                "return_decision",
                title,
                ask=self._review_text(
                    parent,
                    title=title.format(reference=detail.reference),
                    required=True,
                    ok_text=tr("Reopen decision") if reopening else tr("Send back"),
                ),
                save=lambda answer, version: decisions.return_decision(
                    ctx, detail.id, answer.text, expected_version=version
                ),
                version=detail.version,
                yours=text_step_yours(tr("Comments")),
            )
        )

    def _hand_off(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx = self._ctx
        outcomes = "; ".join(
            f"{child.person.name}: {outcome_words(child.outcome)}" for child in detail.children if child.outcome
        )

        def start(lookups: Lookups) -> None:
            suggested = handoffs.suggested_receiving_team(
                lookups.teams, (child.outcome for child in detail.children if child.outcome)
            )

            def ask(previous: HandOffAnswer | None, errors: Mapping[str, str]) -> HandOffAnswer | None:
                return HandOffDialog.ask(
                    parent,
                    detail.reference,
                    lookups.teams,
                    outcomes,
                    suggested=suggested,
                    answer=previous,
                    errors=errors,
                )

            self._flow.start(
                contact_step(
                    detail,
                    parent,
                    "hand_off",
                    tr("Hand off {reference}"),
                    ask=ask,
                    save=lambda answer, _v: handoffs.hand_off(ctx, detail.id, answer.team_id, answer.note or None),
                )
            )

        self.with_lookups(start)

    def _pass_on(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx = self._ctx
        self._flow.start(
            contact_step(
                detail,
                parent,
                "pass_on",
                tr("Pass {reference} to the allocated team"),
                ask=text_ask(
                    parent,
                    title=tr("Pass to {team}").format(team=detail.open_case_team),
                    intro=tr(
                        "A manager authorised passing this to the allocated worker. A child on this contact has an "
                        "open case with {team}, which must accept it."
                    ).format(team=detail.open_case_team),
                    caption=tr("&Note for the team (optional):"),
                    ok_text=tr("Pass to team"),
                    field="note",
                    required=False,
                ),
                save=lambda answer, _v: handoffs.pass_to_allocated_team(ctx, detail.id, answer.text or None),
            )
        )

    def _accept(self, detail: ContactDetail, parent: QWidget) -> None:
        handoff = my_hand_off(detail, self._actor)
        if handoff is not None:
            self.accept_hand_off(handoff.id, detail.id, detail.reference, parent)

    def _reject(self, detail: ContactDetail, parent: QWidget) -> None:
        handoff = my_hand_off(detail, self._actor)
        if handoff is not None:
            self.reject_hand_off(handoff.id, detail.id, detail.reference, parent)

    def accept_hand_off(self, handoff_id: int, contact_id: int, reference: str, parent: QWidget) -> None:
        ctx = self._ctx
        self._flow.start(
            Step(
                key=f"accept-{handoff_id}",
                contact_id=contact_id,
                reference=reference,
                title=tr("Accept {reference}").format(reference=reference),
                parent=parent,
                ask=None,
                confirm=confirm_first(
                    parent,
                    tr("Accept the hand-off"),
                    tr("Your team takes {reference}: its children will be allocated to your team.").format(
                        reference=reference
                    ),
                    ok_text=tr("Accept"),
                ),
                save=lambda _a, _v: handoffs.accept_hand_off(ctx, handoff_id),
            )
        )

    def reject_hand_off(self, handoff_id: int, contact_id: int, reference: str, parent: QWidget) -> None:
        ctx = self._ctx
        self._flow.start(
            Step(
                key=f"reject-{handoff_id}",
                contact_id=contact_id,
                reference=reference,
                title=tr("Reject {reference}").format(reference=reference),
                parent=parent,
                ask=text_ask(
                    parent,
                    title=tr("Reject {reference}").format(reference=reference),
                    intro=tr("The contact goes back to the MASH to be placed elsewhere."),
                    caption=tr("&Why can your team not take it?"),
                    ok_text=tr("Reject"),
                    field="reason",
                    required=True,
                ),
                save=lambda answer, _v: handoffs.reject_hand_off(ctx, handoff_id, answer.text),
                yours=text_step_yours(tr("Reason")),
            )
        )

    def _close(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx = self._ctx
        self._flow.start(
            contact_step(
                detail,
                parent,
                "close",
                tr("Close {reference}"),
                ask=None,
                confirm=confirm_first(
                    parent,
                    tr("Close the contact"),
                    tr("Close {reference}? Nothing is deleted; it leaves the work queues.").format(
                        reference=detail.reference
                    ),
                    ok_text=tr("Close contact"),
                ),
                save=lambda _a, version: handoffs.close_contact(ctx, detail.id, expected_version=version),
                version=detail.version,
            )
        )

    def _note(self, detail: ContactDetail, parent: QWidget, *, oversight: bool = False) -> None:
        ctx = self._ctx
        title = tr("Management oversight on {reference}") if oversight else tr("Case note on {reference}")
        self._flow.start(
            contact_step(
                detail,
                parent,
                "oversight" if oversight else "note",
                title,
                ask=text_ask(
                    parent,
                    title=title.format(reference=detail.reference),
                    intro=tr("Notes are never edited or removed; a mistake is corrected by a later note."),
                    caption=tr("&Note:"),
                    ok_text=tr("Add note"),
                    field="text",
                    required=True,
                ),
                save=lambda answer, _v: notes.add_note(ctx, detail.id, answer.text, oversight=oversight),
                yours=text_step_yours(tr("Note")),
            )
        )

    def _oversight(self, detail: ContactDetail, parent: QWidget) -> None:
        self._note(detail, parent, oversight=True)
