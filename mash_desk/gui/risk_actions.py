"""The risk tools on a contact: the DASH checklist, a Graded Care Profile 2 for a child, and the MARAC
referral made from a saved high-risk DASH. Each is a ``Step`` on the shared ``ActionFlow`` (so a
refused or failed save keeps every answer given), reading what it needs on a worker first.

The dialogs that need Qt PDF or print support are imported only when a referral is made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.periods import london_date
from mash_desk.domain.risk import GCP_AREA_WORDS, GCP_AREAS
from mash_desk.gui.action_flow import Step
from mash_desk.gui.dialogs.dash import DashAnswer, DashDialog, VictimChoice, level_words
from mash_desk.gui.dialogs.gcp import ChildGcp, GcpAnswer, GcpDialog, participation_words
from mash_desk.gui.messages import ConfirmDialog, ErrorDialog, Notice, ask_item
from mash_desk.gui.step_parts import contact_step
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import short_when, tr
from mash_desk.services import risk_tools
from mash_desk.services.contact_view import ContactDetail
from mash_desk.services.risk_tools import DashRecord, GcpHistory, MaracReferral


def _dash_yours(answer: DashAnswer) -> dict[str, str]:
    yes = sum(1 for a in answer.answers if a is True)
    words = {tr("Yes answers"): str(yes)}
    if answer.professional_judgement:
        words[tr("Professional judgement")] = answer.judgement_reason
    return words


def _gcp_yours(answer: GcpAnswer) -> dict[str, str]:
    words = {GCP_AREA_WORDS[area].capitalize(): str(answer.grades.get(area, "")) for area in GCP_AREAS}
    if answer.carer_participation is not None:
        words[tr("Carer")] = participation_words(answer.carer_participation)
    words[tr("Review by")] = f"{answer.review_on:%d/%m/%Y}"
    return words


class RiskActions(QObject):
    """Starts the DASH, GCP2 and MARAC steps (from a contact's actions, or a GCP2 from a child)."""

    def __init__(self, window: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._flow = window.flow
        self._runner = window.runner
        self._ctx = window.ctx

    # --- DASH --------------------------------------------------------------------------------------

    def dash(self, detail: ContactDetail, parent: QWidget) -> None:
        ctx = self._ctx
        victims = [
            VictimChoice(adult.person.person_id, adult.person.name)
            for adult in detail.adults
            if not adult.alleged_perpetrator
        ]

        def ask(previous: DashAnswer | None, errors: Mapping[str, str]) -> DashAnswer | None:
            return DashDialog.ask(parent, detail.reference, victims, answer=previous, errors=errors)

        def save(answer: DashAnswer, _version: int | None) -> DashRecord:
            return risk_tools.record_dash(
                ctx,
                detail.id,
                answer.answers,
                victim_person_id=answer.victim_person_id,
                professional_judgement_high=answer.professional_judgement,
                judgement_reason=answer.judgement_reason or None,
            )

        step = contact_step(
            detail, parent, "dash", tr("DASH checklist on {reference}"), ask=ask, save=save, yours=_dash_yours
        )
        self._flow.start(replace(step, done=partial(self._dash_saved, parent=parent)))

    def _dash_saved(self, record: DashRecord, *, parent: QWidget) -> None:
        if not record.marac_referral:
            Notice.show(
                parent,
                tr("DASH saved"),
                tr("{yes} yes: {level}. It is on the contact's record.").format(
                    yes=record.yes_count, level=level_words(record.level)
                ),
            )
            return
        if ConfirmDialog.ask(
            parent,
            tr("High risk: refer to MARAC"),
            tr(
                "{yes} yes: {level}. Make the MARAC referral now, from the answers just saved? The contact stays in "
                "the MASH queue for the children's own decision."
            ).format(yes=record.yes_count, level=level_words(record.level)),
            ok_text=tr("Make MARAC referral"),
        ):
            self.make_marac(record.id, parent)

    # --- MARAC -------------------------------------------------------------------------------------

    def marac(self, detail: ContactDetail, parent: QWidget) -> None:
        """Refer a saved high-risk DASH on this contact (the newest first, when there are several)."""
        ctx, contact_id = self._ctx, detail.id

        def chosen(records: list[DashRecord]) -> None:
            high = [record for record in records if record.marac_referral]
            if not high:
                Notice.show(
                    parent,
                    tr("No high-risk DASH"),
                    tr(
                        "No DASH on {reference} is high risk. A MARAC referral follows a DASH of 14 or more yes "
                        "answers, or professional judgement with its reason: record the DASH first (Ctrl+Shift+I)."
                    ).format(reference=detail.reference),
                )
                return
            if len(high) == 1:
                self.make_marac(high[0].id, parent)
                return
            names = [
                tr("{when} — {yes} yes, by {who}").format(
                    when=short_when(r.assessed_at), yes=r.yes_count, who=r.assessed_by
                )
                for r in high
            ]
            choice = ask_item(parent, tr("MARAC referral"), tr("Which DASH?"), names)
            if choice is not None:
                self.make_marac(high[choice].id, parent)

        self._runner.run(
            lambda: risk_tools.contact_dashes(ctx, contact_id),
            chosen,
            partial(self._failed, parent, tr("MARAC referral")),
            owner=parent,
            label=tr("Reading the DASH checklists"),
        )

    def make_marac(self, dash_id: int, parent: QWidget) -> None:
        ctx = self._ctx

        def show(referral: MaracReferral) -> None:
            from mash_desk.gui.marac_dialog import MaracReferralDialog  # noqa: PLC0415 - Qt PDF on first use

            MaracReferralDialog.show_referral(referral, parent)

        self._runner.run(
            lambda: risk_tools.make_marac_referral(ctx, dash_id),
            show,
            partial(self._failed, parent, tr("MARAC referral")),
            owner=parent,
            label=tr("Making the MARAC referral"),
        )

    # --- Graded Care Profile 2 ---------------------------------------------------------------------

    def gcp(self, detail: ContactDetail, parent: QWidget, child_id: int | None = None) -> None:
        """A GCP2 on this contact for one of its children (``child_id`` first, if given)."""
        children = [(child.person.person_id, child.person.name) for child in detail.children]
        if child_id is not None:
            children.sort(key=lambda pair: pair[0] != child_id)
        self._gcp(children, parent, detail=detail)

    def gcp_for_child(
        self, child_id: int, name: str, parent: QWidget, *, done: Callable[[], None] | None = None
    ) -> None:
        """A GCP2 from the child's own record, on no contact; ``done`` runs once it is saved."""
        self._gcp([(child_id, name)], parent, detail=None, done=done)

    def _gcp(
        self,
        children: Sequence[tuple[int, str]],
        parent: QWidget,
        *,
        detail: ContactDetail | None,
        done: Callable[[], None] | None = None,
    ) -> None:
        ctx = self._ctx

        def read() -> list[GcpHistory]:
            return [risk_tools.gcp_history(ctx, person_id) for person_id, _name in children]

        def ready(histories: list[GcpHistory]) -> None:
            choices = [ChildGcp(h.child_id, h.child_name, h) for h in histories]
            self._start_gcp(choices, parent, detail, done)

        self._runner.run(
            read,
            ready,
            partial(self._failed, parent, tr("Graded Care Profile 2")),
            owner=parent,
            label=tr("Reading the child's earlier GCP2s"),
        )

    def _start_gcp(
        self,
        choices: list[ChildGcp],
        parent: QWidget,
        detail: ContactDetail | None,
        done: Callable[[], None] | None = None,
    ) -> None:
        ctx = self._ctx
        today = london_date(ctx.now())
        contact_id = detail.id if detail else None
        title = detail.reference if detail else choices[0].name

        def ask(previous: GcpAnswer | None, errors: Mapping[str, str]) -> GcpAnswer | None:
            return GcpDialog.ask(parent, title, choices, today, answer=previous, errors=errors)

        def save(answer: GcpAnswer, _version: int | None) -> int:
            return risk_tools.record_gcp(
                ctx,
                contact_id,
                answer.child_id,
                answer.grades,
                carer_consent=answer.carer_consent,
                carer_participation=answer.carer_participation,
                review_on=answer.review_on,
                targets=answer.targets or None,
            )

        if detail is not None:
            step = contact_step(
                detail, parent, "gcp", tr("Graded Care Profile 2 on {reference}"), ask=ask, save=save, yours=_gcp_yours
            )
        else:
            step = Step(
                key=f"gcp-child-{choices[0].person_id}",
                contact_id=0,
                reference=title,
                title=tr("Graded Care Profile 2 for {name}").format(name=title),
                parent=parent,
                ask=ask,
                save=save,
                yours=_gcp_yours,
                done=(lambda _id: done()) if done is not None else None,
            )
        self._flow.start(step)

    def _failed(self, parent: QWidget, title: str, exc: MashDeskError) -> None:
        ErrorDialog.ask(parent, title, str(exc))
