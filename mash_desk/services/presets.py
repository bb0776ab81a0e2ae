"""The defaults of ``domain.defaults`` filled from the hub's own configuration (its agencies' names)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from mash_desk.domain.defaults import POLICE_NOTIFICATION, SourcePreset, standard_checks
from mash_desk.domain.enums import Channel, Concern, ReferrerKind
from mash_desk.services.context import ServiceContext
from mash_desk.store.models import Agency


@dataclass(frozen=True)
class FilledPreset:
    """A source preset as the intake form fills it in."""

    channel: Channel
    referral_source: str
    concerns: frozenset[Concern]
    referrer_kind: ReferrerKind
    referrer_agency: str


def filled_preset(ctx: ServiceContext, preset: SourcePreset = POLICE_NOTIFICATION) -> FilledPreset:
    """``preset`` with the referrer's agency named: the signed-in person's own agency when it is of the
    preset's kind (a police officer logging their own notification), else the hub's agency of that kind."""
    with ctx.unit() as (session, actor):
        agencies = list(session.scalars(select(Agency).where(Agency.kind == preset.referrer_agency_kind)))
        own = next((agency for agency in agencies if agency.code == actor.agency_code), None)
        chosen = own or (min(agencies, key=lambda agency: agency.name) if agencies else None)
        return FilledPreset(
            channel=preset.channel,
            referral_source=preset.referral_source,
            concerns=preset.concerns,
            referrer_kind=preset.referrer_kind,
            referrer_agency=chosen.name if chosen is not None else "",
        )


def checks_to_offer(ctx: ServiceContext) -> tuple[str, ...]:
    """The agency codes a request for checks starts with ticked (``domain.defaults.STANDARD_CHECK_KINDS``)."""
    with ctx.unit() as (session, _actor):
        return standard_checks((agency.code, agency.kind) for agency in session.scalars(select(Agency)))
