"""Screening a contact: rate it, record the consent decision, ask the agencies for checks.

Each step, once saved, opens the next one the contact still needs (``domain.defaults``
``next_screening_step``), filled with its defaults: a first rating is followed by consent (the
parent consent was most likely sought from filled in), consent by the checks (the usual agencies
ticked). Cancelling a dialog stops the chain; every step stays on its own button and shortcut.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from mash_desk.domain.defaults import AdultSeen, ScreeningStep, likely_consent_giver, next_screening_step
from mash_desk.domain.enums import Rag, Role
from mash_desk.gui.action_flow import Step
from mash_desk.gui.contact_offers import offers, outstanding
from mash_desk.gui.dialogs.agency import AgencyChecksDialog, ChecksAnswer
from mash_desk.gui.dialogs.consent import ConsentDialog
from mash_desk.gui.dialogs.rag import RagAnswer, RagDialog
from mash_desk.gui.step_parts import Lookups, contact_step
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import enum_words, tr
from mash_desk.services import screening
from mash_desk.services.contact_view import ContactDetail, open_contact
from mash_desk.services.screening import ConsentDraft

WithLookups = Callable[[Callable[[Lookups], None]], None]


def consent_giver(detail: ContactDetail) -> AdultSeen | None:
    return likely_consent_giver(
        [
            AdultSeen(adult.person.name, adult.relationship, adult.parental_responsibility, adult.alleged_perpetrator)
            for adult in detail.adults
        ]
    )


class ScreeningActions(QObject):
    """Starts the rate, consent and checks steps on the shared ``ActionFlow``, each leading to the next."""

    def __init__(self, window: WindowContext, with_lookups: WithLookups, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._flow = window.flow
        self._runner = window.runner
        self._ctx = window.ctx
        self._actor = window.actor
        self._with_lookups = with_lookups

    def start(self, step: ScreeningStep, detail: ContactDetail, parent: QWidget) -> None:
        {ScreeningStep.RATE: self.rate, ScreeningStep.CONSENT: self.consent, ScreeningStep.CHECKS: self.checks}[step](
            detail, parent
        )

    def _then(self, done: ScreeningStep, step: Step[Any, Any], parent: QWidget) -> Step[Any, Any]:
        """``step``, opening the next screening step (read afresh) once it is saved."""
        ctx, contact_id = self._ctx, step.contact_id

        def saved(_result: object) -> None:
            self._runner.run(
                lambda: open_contact(ctx, contact_id),
                lambda detail: self.follow(done, detail, parent),
                label=tr("Opening the next step"),
            )

        return replace(step, done=saved)

    def follow(self, done: ScreeningStep, detail: ContactDetail, parent: QWidget) -> None:
        """Open the step that follows ``done`` on ``detail`` (as it is now), if it is one this person is
        offered."""
        following = next_screening_step(
            done, consent_recorded=detail.current_consent is not None, checks_asked=bool(detail.agency_requests)
        )
        offered = {offer.key for offer in offers(detail, self._actor) if offer.enabled}
        if following is not None and following.value in offered:
            self.start(following, detail, parent)

    def rate(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx = self._ctx

        def start(deadlines: Mapping[Rag, datetime]) -> None:
            def ask(previous: RagAnswer | None, errors: Mapping[str, str]) -> RagAnswer | None:
                return RagDialog.ask(
                    parent, detail.reference, detail.rag, deadlines=deadlines, answer=previous, errors=errors
                )

            def save(answer: RagAnswer, version: int | None) -> screening.Rated:
                return screening.rate(ctx, detail.id, answer.rag, answer.reason or None, expected_version=version)

            step = contact_step(
                detail,
                parent,
                "rate",
                tr("Rate {reference}"),
                ask=ask,
                save=save,
                version=detail.version,
                yours=lambda a: {tr("RAG"): a.rag.value.upper(), tr("Reason"): a.reason},
            )
            self._flow.start(self._then(ScreeningStep.RATE, step, parent))

        # the due time for each rating is worked out by the service (the hub's policy, its calendar)
        self._runner.run(lambda: screening.rag_deadlines(ctx, detail.id), start, label=tr("Working out the due times"))

    def consent(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx, today = self._ctx, self._ctx.now().date()
        giver = consent_giver(detail)

        def start(lookups: Lookups) -> None:
            # a manager authorises sharing without consent in person; anyone else sees whom to ask, and
            # the service says so at the field if they try
            me = self._actor
            authorisers = [(me.username, me.display_name)] if me.role is Role.MANAGER else lookups.managers

            def ask(previous: ConsentDraft | None, errors: Mapping[str, str]) -> ConsentDraft | None:
                return ConsentDialog.ask(
                    parent,
                    detail.reference,
                    lookups.agencies,
                    authorisers,
                    today,
                    given_by=giver,
                    answer=previous,
                    errors=errors,
                )

            step = contact_step(
                detail,
                parent,
                "consent",
                tr("Record consent for {reference}"),
                ask=ask,
                save=lambda draft, _v: screening.record_consent(ctx, detail.id, draft),
                yours=lambda d: {
                    tr("Consent"): tr("override") if d.override else enum_words(d.status) if d.status else ""
                },
            )
            self._flow.start(self._then(ScreeningStep.CONSENT, step, parent))

        self._with_lookups(start)

    def checks(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx = self._ctx
        asked = {r.agency_code for r in outstanding(detail)}

        def start(lookups: Lookups) -> None:
            def ask(previous: ChecksAnswer | None, errors: Mapping[str, str]) -> ChecksAnswer | None:
                return AgencyChecksDialog.ask(
                    parent,
                    detail.reference,
                    lookups.agencies,
                    asked,
                    ticked=() if detail.agency_requests else lookups.usual_checks,  # the first request only
                    due_at=detail.rag_due_at,  # what the service gives each request: the contact's deadline
                    rag=detail.rag,
                    consent=detail.current_consent,
                    answer=previous,
                    errors=errors,
                )

            def save(answer: ChecksAnswer, _version: int | None) -> list[int]:
                return screening.request_agency_checks(ctx, detail.id, answer.agency_codes, answer.question or None)

            self._flow.start(
                contact_step(detail, parent, "checks", tr("Ask agencies about {reference}"), ask=ask, save=save)
            )

        self._with_lookups(start)
