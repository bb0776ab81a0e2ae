"""The exercises' part of the partnership's quarterly pack: ``exercise_summary(ctx, start, end)``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from mash_desk.domain.audits import QUALITY_ASSURANCE_OVERSEERS
from mash_desk.domain.errors import PermissionRefused
from mash_desk.domain.exercises import ExerciseStatus
from mash_desk.domain.periods import london_midnight
from mash_desk.services.context import ServiceContext
from mash_desk.services.exercises.results import AgencyFigures, Figures, by_agency, figures, rating_facts
from mash_desk.store.exercise_models import ThresholdExercise


@dataclass(frozen=True)
class ExerciseSummary:
    """Exercises closed in [start, end] (London dates, both included), their ratings taken together."""

    start: date
    end: date
    exercises: tuple[str, ...]  # titles, in the order closed
    overall: Figures  # level and outcome agreement (percentage and Fleiss' kappa), against the real decision
    agencies: tuple[AgencyFigures, ...]

    @property
    def closed(self) -> int:
        return len(self.exercises)


def exercise_summary(ctx: ServiceContext, start: date, end: date) -> ExerciseSummary:
    if end < start:
        raise ValueError("The period ends before it starts.")
    with ctx.unit() as (session, actor):
        if actor.role not in QUALITY_ASSURANCE_OVERSEERS:
            raise PermissionRefused("Only managers and auditors see the exercises' results.")
        closed = session.execute(
            select(ThresholdExercise.id, ThresholdExercise.title)
            .where(
                ThresholdExercise.status == ExerciseStatus.CLOSED,
                ThresholdExercise.closed_at >= london_midnight(start),
                ThresholdExercise.closed_at < london_midnight(date.fromordinal(end.toordinal() + 1)),
            )
            .order_by(ThresholdExercise.closed_at, ThresholdExercise.id)
        )
        found = list(closed)
        facts = rating_facts(session, [exercise_id for exercise_id, _title in found])
        return ExerciseSummary(
            start=start,
            end=end,
            exercises=tuple(title for _id, title in found),
            overall=figures(facts),
            agencies=by_agency(facts),
        )
