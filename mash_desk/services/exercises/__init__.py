"""The threshold consistency exercise (issue 14, part 2): set-up and review, rating, results, the pack's summary."""

from mash_desk.services.exercises.rating import VignetteToRate, rate_vignette, vignettes_to_rate
from mash_desk.services.exercises.results import ExerciseResults, exercise_results
from mash_desk.services.exercises.setup import (
    CandidateRow,
    ExerciseRow,
    VignetteRow,
    add_contacts,
    candidate_contacts,
    close_exercise,
    create_exercise,
    exercises,
    open_exercise,
    review_vignette,
    vignettes,
)
from mash_desk.services.exercises.summary import ExerciseSummary, exercise_summary

__all__ = [
    "CandidateRow",
    "ExerciseResults",
    "ExerciseRow",
    "ExerciseSummary",
    "VignetteRow",
    "VignetteToRate",
    "add_contacts",
    "candidate_contacts",
    "close_exercise",
    "create_exercise",
    "exercise_results",
    "exercise_summary",
    "exercises",
    "open_exercise",
    "rate_vignette",
    "review_vignette",
    "vignettes",
    "vignettes_to_rate",
]
