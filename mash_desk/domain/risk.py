"""Scoring the risk tools the MASH records: the DASH checklist and the Graded Care Profile 2.

Only scores and outcomes are kept here, never the tools' licensed wording: a DASH answer is its
question number's yes/no, a GCP2 grade is a number per area.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
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
    level = dash_level_for(yes_count)
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


# --- DASH: what each question is about --------------------------------------------------------------

DASH_TOPICS: tuple[str, ...] = (
    "Injury in the current incident",
    "Very frightened",
    "Afraid of further injury or violence",
    "Isolated from family or friends",
    "Depressed or having suicidal thoughts",
    "Separated or tried to separate in the past year",
    "Conflict over child contact",
    "Constant contact, following, stalking or harassment",
    "Pregnant or a baby in the last 18 months",
    "Abuse happening more often",
    "Abuse getting worse",
    "Controlling or excessively jealous",
    "Weapons or objects used to hurt",
    "Threats to kill believed",
    "Strangulation, choking, suffocation or drowning",
    "Sexual abuse",
    "Another person making threats, or feared",
    "Has hurt anyone else",
    "Mistreated an animal or pet",
    "Financial issues",
    "Drugs, alcohol or mental health problems",
    "Threatened or attempted suicide",
    "Broken bail, an injunction or an agreement",
    "Trouble with the police or a criminal history",
)
"""A short topic per DASH question, in the checklist's order: enough to find the question on the
form and to read an answer back in a MARAC referral, never the checklist's own wording."""


def dash_level_for(yes_count: int) -> DashLevel:
    """The level a count of yes answers reaches on its own (professional judgement may only raise it)."""
    if yes_count >= DASH_HIGH_FROM:
        return DashLevel.HIGH
    if yes_count >= DASH_MEDIUM_FROM:
        return DashLevel.MEDIUM
    return DashLevel.STANDARD


def dash_progress(answers: Sequence[bool | None]) -> DashResult:
    """The score and level so far, while the checklist is being answered (unanswered counts as no).

    Fewer than 24 answers is fine here: the form shows this live, as each answer is given."""
    padded = list(answers[:DASH_QUESTION_COUNT]) + [None] * (DASH_QUESTION_COUNT - len(answers))
    return score_dash(padded)


# --- Graded Care Profile 2: the carer, the review, the comparison --------------------------------


class CarerParticipation(StrEnum):
    """How far the parent or carer took part in the Graded Care Profile 2 (it is done with them)."""

    FULL = "full"
    PARTIAL = "partial"
    DECLINED = "declined"
    UNABLE = "unable"


CARER_PARTICIPATION_WORDS: Mapping[CarerParticipation, str] = MappingProxyType(
    {
        CarerParticipation.FULL: "took part throughout",
        CarerParticipation.PARTIAL: "took part in some of it",
        CarerParticipation.DECLINED: "declined to take part",
        CarerParticipation.UNABLE: "could not take part",
    }
)
"""How a record (the chronology, a report) says the carer's part in plain words."""

GCP_REVIEW_LONGEST_WEEKS = 26
"""A GCP2's review is set within six months: neglect left unreviewed longer is neglect unwatched."""


class GcpTrend(StrEnum):
    """How one area moved since the previous GCP2 for the same child (1 best, 5 worst)."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


@dataclass(frozen=True)
class GcpAreaChange:
    area: str
    before: int
    now: int

    @property
    def trend(self) -> GcpTrend:
        if self.now < self.before:
            return GcpTrend.BETTER
        if self.now > self.before:
            return GcpTrend.WORSE
        return GcpTrend.SAME


def compare_gcp(previous: Mapping[str, int], current: Mapping[str, int]) -> tuple[GcpAreaChange, ...]:
    """Each area's grade then and now, in ``GCP_AREAS`` order (a lower grade is better care)."""
    before, now = validate_gcp_grades(previous), validate_gcp_grades(current)
    return tuple(GcpAreaChange(area, before[area], now[area]) for area in GCP_AREAS)


def check_gcp_review_date(review_on: date | None, today: date) -> dict[str, str]:
    """What is wrong with a GCP2's review date (empty when it is right): required, after today, and
    no more than ``GCP_REVIEW_LONGEST_WEEKS`` away."""
    if review_on is None:
        return {"review_on": "Set the date the Graded Care Profile 2 will be reviewed."}
    if review_on <= today:
        return {"review_on": "The review date must be after today."}
    if review_on > today + timedelta(weeks=GCP_REVIEW_LONGEST_WEEKS):
        return {"review_on": f"Review within {GCP_REVIEW_LONGEST_WEEKS} weeks; neglect needs watching closely."}
    return {}


def gcp_review_overdue(review_on: date | None, reviewed: bool, today: date) -> bool:
    """A GCP2 is overdue for review once its review date has passed and no later GCP2 for the child
    has been recorded (the next GCP2 for the same child is its review)."""
    return review_on is not None and not reviewed and review_on < today
