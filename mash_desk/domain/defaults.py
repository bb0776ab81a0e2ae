"""What a form starts from before anyone types: each a sensible default, always the person's to change.

Nothing here is saved by itself. The defaults save keystrokes on the commonest path (a police
notification of domestic abuse, screened, checked with the statutory partners, decided the same way
for siblings); the services' checks still apply to whatever the person leaves in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from mash_desk.domain.cin import PRIMARY_NEEDS
from mash_desk.domain.enums import AgencyKind, Channel, Concern, LevelOfNeed, Outcome, ReferrerKind, RelationshipKind
from mash_desk.domain.thresholds import OUTCOMES_BY_LEVEL, ROUTING_OUTCOMES


@dataclass(frozen=True)
class SourcePreset:
    """How a kind of contact usually comes in: filled in with one key on the intake form."""

    channel: Channel
    referral_source: str
    """A CIN census referral source code."""
    concerns: frozenset[Concern]
    referrer_kind: ReferrerKind
    referrer_agency_kind: AgencyKind
    """The referrer's agency is the hub's agency of this kind (its name is configuration)."""


POLICE_NOTIFICATION = SourcePreset(
    channel=Channel.POLICE_NOTIFICATION,
    referral_source="6",  # Police
    concerns=frozenset({Concern.DOMESTIC_ABUSE}),
    referrer_kind=ReferrerKind.PROFESSIONAL,
    referrer_agency_kind=AgencyKind.POLICE,
)
"""The commonest contact a MASH takes: a police notification of domestic abuse where children live."""

STANDARD_CHECK_KINDS: tuple[AgencyKind, ...] = (AgencyKind.POLICE, AgencyKind.HEALTH, AgencyKind.EDUCATION)
"""The agencies asked for checks unless the person unticks them: the statutory safeguarding partners
(police and health, with the local authority doing the asking) and the child's school."""

ABUSE_OR_NEGLECT: frozenset[Concern] = frozenset(
    {
        Concern.NEGLECT,
        Concern.PHYSICAL_ABUSE,
        Concern.SEXUAL_ABUSE,
        Concern.EMOTIONAL_ABUSE,
        Concern.DOMESTIC_ABUSE,
        Concern.CSE,
        Concern.CCE,
        Concern.TRAFFICKING,
        Concern.FGM,
        Concern.FAITH_BASED_ABUSE,
    }
)
"""Concerns that make N1 (abuse or neglect) the primary need: N1 comes first in the census's order,
so where it fits it wins."""

ABUSE_OR_NEGLECT_NEED = next(iter(PRIMARY_NEEDS))
"""N1, the first of the census's primary needs."""


def standard_checks(agencies: Iterable[tuple[str, AgencyKind]]) -> tuple[str, ...]:
    """The codes of the hub's agencies (code, kind) that a contact's checks start with ticked."""
    return tuple(code for code, kind in agencies if kind in STANDARD_CHECK_KINDS)


def obvious_outcome(level: LevelOfNeed) -> Outcome | None:
    """The outcome a level leaves as the one obvious choice: the only one that fits it apart from the
    routing outcomes (another authority, the allocated worker, MARAC, the LADO). Level 3 means a child
    and family assessment; levels with two real choices have none."""
    choices = OUTCOMES_BY_LEVEL[level] - ROUTING_OUTCOMES
    return next(iter(choices)) if len(choices) == 1 else None


def suggested_primary_need(concerns: Iterable[Concern]) -> str | None:
    """N1 when any concern is abuse or neglect; otherwise the person chooses."""
    return ABUSE_OR_NEGLECT_NEED if ABUSE_OR_NEGLECT.intersection(concerns) else None


@dataclass(frozen=True)
class AdultSeen:
    """What the consent default needs to know about an adult named on a contact."""

    name: str
    relationship: RelationshipKind
    parental_responsibility: bool
    alleged_perpetrator: bool


PARENTS = (RelationshipKind.MOTHER, RelationshipKind.FATHER)


def likely_consent_giver(adults: Sequence[AdultSeen]) -> AdultSeen | None:
    """Whom consent was most likely sought from: a parent not alleged to harm (one with parental
    responsibility first). Never someone alleged to harm the child."""
    candidates = [adult for adult in adults if not adult.alleged_perpetrator]
    preferences: list[Callable[[AdultSeen], bool]] = [
        lambda a: a.parental_responsibility and a.relationship in PARENTS,
        lambda a: a.relationship in PARENTS,
        lambda a: a.parental_responsibility,
    ]
    for wanted in preferences:
        found = next((adult for adult in candidates if wanted(adult)), None)
        if found is not None:
            return found
    return None


def submit_with_decision(*, children_left: int, checks_outstanding: int, consent_recorded: bool) -> bool:
    """Whether "submit for authorisation" starts ticked with a decision: when it leaves no child without
    one and nothing stands in the way (every check back, consent recorded). The submission's own checks
    still apply."""
    return children_left == 0 and checks_outstanding == 0 and consent_recorded


class ScreeningStep(StrEnum):
    """The screening steps that follow one another: each, once saved, offers the next."""

    LOGGED = "logged"
    """The contact was logged into the logger's own work: screening starts straight away."""
    RATE = "rate"
    CONSENT = "consent"
    CHECKS = "checks"


def next_screening_step(done: ScreeningStep, *, consent_recorded: bool, checks_asked: bool) -> ScreeningStep | None:
    """What to open after ``done`` was saved: the rating after logging, consent after a first rating, then
    the checks; nothing once they were done before (a re-rating, a corrected consent)."""
    if done is ScreeningStep.LOGGED:
        return ScreeningStep.RATE
    if done is ScreeningStep.RATE and not consent_recorded:
        return ScreeningStep.CONSENT
    if done in (ScreeningStep.RATE, ScreeningStep.CONSENT) and consent_recorded and not checks_asked:
        return ScreeningStep.CHECKS
    return None
