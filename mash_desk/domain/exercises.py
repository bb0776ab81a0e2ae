"""The threshold consistency exercise's rules: its states, what a rater may answer, what a manager types.

A manager sets an exercise up (draft), turns past contacts into vignettes, reviews each one (editing
if need be) and opens it; staff rate every vignette's level of need and outcome; the manager closes
it and the results are final. Nothing is released unreviewed, and a released vignette never changes.
"""

from __future__ import annotations

from enum import StrEnum

from mash_desk.domain.enums import LevelOfNeed, Outcome, Role
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.thresholds import OUTCOME_WORDS, OUTCOMES_BY_LEVEL


class ExerciseStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


EXERCISE_STATUS_WORDS = {
    ExerciseStatus.DRAFT: "Being prepared",
    ExerciseStatus.OPEN: "Open for rating",
    ExerciseStatus.CLOSED: "Closed",
}

LEVELS: tuple[int, ...] = tuple(level.value for level in LevelOfNeed)
# what a rater may choose: the outcomes a threshold decision can reach from a vignette alone (no open
# case to pass back, no other authority to transfer to), in the order of the thresholds document
RATEABLE_OUTCOMES: tuple[Outcome, ...] = (
    Outcome.NFA,
    Outcome.ADVICE_SIGNPOST,
    Outcome.EARLY_HELP,
    Outcome.SINGLE_AGENCY,
    Outcome.CFA_S17,
    Outcome.STRATEGY_S47,
    Outcome.EMERGENCY_PROTECTION,
    Outcome.MARAC,
    Outcome.LADO,
)
RATERS = frozenset({Role.PRACTITIONER, Role.AGENCY, Role.MANAGER})
SETS_UP = frozenset({Role.MANAGER})
MIN_TITLE = 5
MAX_TITLE = 200
MIN_VIGNETTE = 40
MAX_VIGNETTE = 20_000
MIN_VIGNETTES_TO_OPEN = 2
DISAGREED_SHOWN = 5


def check_title(title: str | None) -> str:
    text = " ".join((title or "").split())
    if len(text) < MIN_TITLE:
        raise InvalidInput.single("title", f"Give the exercise a title of at least {MIN_TITLE} characters.")
    if len(text) > MAX_TITLE:
        raise InvalidInput.single("title", f"Keep the title to {MAX_TITLE} characters.")
    return text


def check_vignette_text(text: str | None) -> str:
    body = (text or "").strip()
    if len(body) < MIN_VIGNETTE:
        raise InvalidInput.single("text", f"A vignette needs at least {MIN_VIGNETTE} characters for raters to judge.")
    if len(body) > MAX_VIGNETTE:
        raise InvalidInput.single("text", f"Keep a vignette to {MAX_VIGNETTE:,} characters.")
    return body


def check_rating(level: int | str | None, outcome: Outcome | str | None) -> tuple[int, Outcome]:
    """A rater's answer: a level 1-4 and an outcome that fits it. Every problem is reported at once."""
    errors: dict[str, str] = {}
    parsed_level: int | None = None
    try:
        parsed_level = int(level) if level is not None and level != "" else None
    except ValueError:
        parsed_level = None
    if parsed_level not in LEVELS:
        errors["level"] = "Choose a level of need from 1 to 4."
        parsed_level = None
    parsed_outcome: Outcome | None = None
    try:
        parsed_outcome = Outcome(outcome) if outcome else None
    except ValueError:
        parsed_outcome = None
    if parsed_outcome not in RATEABLE_OUTCOMES:
        errors["outcome"] = "Choose the outcome you would decide."
        parsed_outcome = None
    if (
        parsed_level is not None
        and parsed_outcome is not None
        and parsed_outcome not in OUTCOMES_BY_LEVEL[LevelOfNeed(parsed_level)]
    ):
        errors["outcome"] = f"'{OUTCOME_WORDS[parsed_outcome]}' does not fit level {parsed_level}."
    if errors:
        raise InvalidInput(errors)
    assert parsed_level is not None
    assert parsed_outcome is not None
    return parsed_level, parsed_outcome


def shift_weeks(draw: int) -> int:
    """Days to move a vignette's dates: back between 10 and 104 whole weeks, from any drawn number."""
    return -7 * (10 + draw % 95)
