"""What an exercise shows: how far raters agree, overall, by agency and by vignette, and where each
agency sits against the decision actually made. Managers and auditors only (it needs the real decision)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk.domain.agreement import (
    Agreement,
    count_table,
    fleiss,
    mean_difference,
    share_matching,
    subject_agreement,
)
from mash_desk.domain.audits import QUALITY_ASSURANCE_OVERSEERS
from mash_desk.domain.enums import Outcome
from mash_desk.domain.errors import NotFound, PermissionRefused
from mash_desk.domain.exercises import DISAGREED_SHOWN, LEVELS, RATEABLE_OUTCOMES, ExerciseStatus
from mash_desk.services.context import ServiceContext
from mash_desk.store.exercise_models import ExerciseVignette, ThresholdExercise, VignetteRating, VignetteSource
from mash_desk.store.models import Agency


@dataclass(frozen=True)
class RatingFact:
    """One rating with what was really decided: the input of every figure."""

    vignette_id: int
    rater_id: int
    agency: str
    level: int
    outcome: Outcome
    real_level: int
    real_outcome: Outcome


@dataclass(frozen=True)
class Figures:
    raters: int
    ratings: int
    vignettes: int
    level: Agreement
    outcome: Agreement
    matches_level: float | None  # share of ratings at the level actually decided
    matches_outcome: float | None
    mean_difference: float | None  # rated minus decided level: above 0, higher than the decision
    higher: float | None  # share of ratings above the decided level
    lower: float | None


@dataclass(frozen=True)
class AgencyFigures:
    agency: str
    figures: Figures


@dataclass(frozen=True)
class VignetteFigures:
    vignette_id: int
    position: int
    ratings: int
    level_counts: tuple[int, ...]  # raters choosing level 1, 2, 3, 4
    level_agreement: float | None  # share of pairs of raters agreeing on the level
    outcome_agreement: float | None
    real_level: int
    real_outcome: Outcome
    matches_level: float | None


@dataclass(frozen=True)
class ExerciseResults:
    exercise_id: int
    title: str
    status: ExerciseStatus
    overall: Figures
    agencies: tuple[AgencyFigures, ...]
    vignettes: tuple[VignetteFigures, ...]
    most_disagreed: tuple[VignetteFigures, ...]


def figures(facts: Sequence[RatingFact]) -> Figures:
    """Every figure over a set of ratings (all of an exercise's, one agency's, one period's)."""
    _subjects, levels = count_table(((f.vignette_id, f.level) for f in facts), LEVELS)
    _subjects, outcomes = count_table(((f.vignette_id, f.outcome) for f in facts), RATEABLE_OUTCOMES)
    differences = [f.level - f.real_level for f in facts]
    return Figures(
        raters=len({f.rater_id for f in facts}),
        ratings=len(facts),
        vignettes=len({f.vignette_id for f in facts}),
        level=fleiss(levels),
        outcome=fleiss(outcomes),
        matches_level=share_matching((f.level == f.real_level for f in facts), True),
        matches_outcome=share_matching((f.outcome == f.real_outcome for f in facts), True),
        mean_difference=mean_difference((f.level, f.real_level) for f in facts),
        higher=share_matching((d > 0 for d in differences), True),
        lower=share_matching((d < 0 for d in differences), True),
    )


def by_agency(facts: Sequence[RatingFact]) -> tuple[AgencyFigures, ...]:
    agencies = sorted({f.agency for f in facts})
    return tuple(AgencyFigures(agency, figures([f for f in facts if f.agency == agency])) for agency in agencies)


def _vignette_figures(
    vignettes: Iterable[tuple[int, int, int, Outcome]], facts: Sequence[RatingFact]
) -> list[VignetteFigures]:
    found = []
    for vignette_id, position, real_level, real_outcome in vignettes:
        mine = [f for f in facts if f.vignette_id == vignette_id]
        counts = tuple(sum(1 for f in mine if f.level == level) for level in LEVELS)
        outcome_counts = [sum(1 for f in mine if f.outcome == outcome) for outcome in RATEABLE_OUTCOMES]
        found.append(
            VignetteFigures(
                vignette_id=vignette_id,
                position=position,
                ratings=len(mine),
                level_counts=counts,
                level_agreement=subject_agreement(counts),
                outcome_agreement=subject_agreement(outcome_counts),
                real_level=real_level,
                real_outcome=real_outcome,
                matches_level=share_matching((f.level == f.real_level for f in mine), True),
            )
        )
    return found


def rating_facts(session: Session, exercise_ids: Sequence[int]) -> list[RatingFact]:
    rows = session.execute(
        select(
            VignetteRating.vignette_id,
            VignetteRating.rater_id,
            Agency.name,
            VignetteRating.level_of_need,
            VignetteRating.outcome,
            VignetteSource.real_level,
            VignetteSource.real_outcome,
        )
        .join(ExerciseVignette, ExerciseVignette.id == VignetteRating.vignette_id)
        .join(VignetteSource, VignetteSource.vignette_id == VignetteRating.vignette_id)
        .join(Agency, Agency.id == VignetteRating.agency_id)
        .where(ExerciseVignette.exercise_id.in_(exercise_ids))
        .order_by(VignetteRating.id)
    )
    return [RatingFact(v, r, a, lv, o, rl, ro) for v, r, a, lv, o, rl, ro in rows]


def exercise_results(ctx: ServiceContext, exercise_id: int) -> ExerciseResults:
    with ctx.unit() as (session, actor):
        if actor.role not in QUALITY_ASSURANCE_OVERSEERS:
            raise PermissionRefused("Only managers and auditors see an exercise's results and the real decisions.")
        exercise = session.get(ThresholdExercise, exercise_id)
        if exercise is None:
            raise NotFound(f"There is no threshold exercise with id {exercise_id}.")
        facts = rating_facts(session, [exercise_id])
        vignettes = session.execute(
            select(
                ExerciseVignette.id, ExerciseVignette.position, VignetteSource.real_level, VignetteSource.real_outcome
            )
            .join(VignetteSource, VignetteSource.vignette_id == ExerciseVignette.id)
            .where(ExerciseVignette.exercise_id == exercise_id)
            .order_by(ExerciseVignette.position)
        )
        per_vignette = _vignette_figures(vignettes, facts)
        scored = [v for v in per_vignette if v.level_agreement is not None]
        scored.sort(key=lambda v: (v.level_agreement, -v.ratings, v.position))
        return ExerciseResults(
            exercise_id=exercise.id,
            title=exercise.title,
            status=exercise.status,
            overall=figures(facts),
            agencies=by_agency(facts),
            vignettes=tuple(per_vignette),
            most_disagreed=tuple(scored[:DISAGREED_SHOWN]),
        )
