"""Scoring the risk tools the MASH records: the DASH checklist and the Graded Care Profile 2.

Only scores and outcomes are kept here, never the tools' licensed wording: a DASH answer is its
question number's yes/no, a GCP2 grade is a number per area.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from mash_desk.domain.errors import InvalidInput

DASH_QUESTION_COUNT = 24
DASH_MEDIUM_FROM = 10
DASH_HIGH_FROM = 14


class DashLevel(StrEnum):
    """The DASH risk level: standard (0-9 yes), medium (10-13) or high (14+, or professional judgement)."""

    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class DashResult:
    """A scored DASH checklist; ``professional_judgement`` records that the practitioner rated it high."""

    yes_count: int
    level: DashLevel
    marac_referral: bool
    professional_judgement: bool


def score_dash(
    answers: Sequence[bool | None],
    *,
    professional_judgement_high: bool = False,
    judgement_reason: str | None = None,
) -> DashResult:
    """Score 24 DASH answers (None, not answered or refused, counts as no); high risk goes to MARAC.

    A practitioner may rate the risk high on professional judgement at any count, and must say why.
    """
    if len(answers) != DASH_QUESTION_COUNT:
        raise ValueError(f"the DASH checklist has {DASH_QUESTION_COUNT} questions, got {len(answers)} answers")
    yes_count = sum(1 for answer in answers if answer is True)
    if yes_count >= DASH_HIGH_FROM:
        level = DashLevel.HIGH
    elif yes_count >= DASH_MEDIUM_FROM:
        level = DashLevel.MEDIUM
    else:
        level = DashLevel.STANDARD
    if professional_judgement_high:
        if not (judgement_reason or "").strip():
            raise InvalidInput.single(
                "judgement_reason",
                "Say why your professional judgement puts this at high risk "
                "(for example strangulation, stalking, threats to kill, escalation, honour-based abuse).",
            )
        level = DashLevel.HIGH
    return DashResult(
        yes_count=yes_count,
        level=level,
        marac_referral=level is DashLevel.HIGH,
        professional_judgement=professional_judgement_high,
    )


GCP_AREAS = ("physical_care", "safety", "love_and_belonging", "esteem")
GCP_AREA_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "physical_care": "physical care",
        "safety": "care of safety",
        "love_and_belonging": "emotional care (love and belonging)",
        "esteem": "developmental care (esteem)",
    }
)
GCP_BEST, GCP_WORST = 1, 5


def validate_gcp_grades(grades: Mapping[str, int]) -> dict[str, int]:
    """Check a Graded Care Profile 2: a grade from 1 (best) to 5 (worst) for each of the four areas.

    Every wrong or missing area is reported against its own field; the result is in ``GCP_AREAS`` order.
    """
    errors: dict[str, str] = {}
    for area in grades:
        if area not in GCP_AREAS:
            errors[area] = "This is not one of the four Graded Care Profile 2 areas."
    for area in GCP_AREAS:
        grade = grades.get(area)
        if grade is None:
            errors[area] = f"Give a grade for {GCP_AREA_WORDS[area]}."
        elif isinstance(grade, bool) or not GCP_BEST <= grade <= GCP_WORST:
            errors[area] = f"The grade for {GCP_AREA_WORDS[area]} must be from 1 (best) to 5 (worst)."
    if errors:
        raise InvalidInput(errors)
    return {area: grades[area] for area in GCP_AREAS}


def gcp_concern_level(grades: Mapping[str, int]) -> int:
    """The overall concern of a GCP2: its worst area grade, since one neglected area is enough to act on."""
    return max(validate_gcp_grades(grades).values())
