"""Staff of every agency rate the vignettes of open exercises, blind to what was really decided.

A rater reads only the vignette: never its source, never the real decision, never anyone else's
rating (PostgreSQL hides all three from them too). One rating per person per vignette, given once.
Whoever prepared an exercise has seen the real families, so does not rate it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mash_desk.domain.enums import Outcome
from mash_desk.domain.errors import IllegalTransition, InvalidInput, PermissionRefused
from mash_desk.domain.exercises import RATERS, ExerciseStatus, check_rating
from mash_desk.services.context import ServiceContext, audit, retry_collisions
from mash_desk.store.exercise_models import ExerciseVignette, ThresholdExercise, VignetteRating


@dataclass(frozen=True)
class VignetteToRate:
    vignette_id: int
    exercise_id: int
    exercise_title: str
    position: int
    text: str
    my_level: int | None
    my_outcome: Outcome | None
    rated_at: datetime | None


def _prepared_by(session: Session, exercise_id: int, user_id: int) -> bool:
    return bool(
        session.scalar(
            select(ThresholdExercise.id).where(
                ThresholdExercise.id == exercise_id,
                or_(
                    ThresholdExercise.created_by_id == user_id,
                    select(ExerciseVignette.id)
                    .where(ExerciseVignette.exercise_id == exercise_id, ExerciseVignette.reviewed_by_id == user_id)
                    .exists(),
                ),
            )
        )
    )


def vignettes_to_rate(ctx: ServiceContext) -> list[VignetteToRate]:
    """The vignettes of every open exercise this person may rate, with their own rating where given."""
    with ctx.unit() as (session, actor):
        if actor.role not in RATERS:
            return []
        rows = session.execute(
            select(ExerciseVignette, ThresholdExercise.title, VignetteRating)
            .join(ThresholdExercise, ThresholdExercise.id == ExerciseVignette.exercise_id)
            .outerjoin(
                VignetteRating,
                (VignetteRating.vignette_id == ExerciseVignette.id) & (VignetteRating.rater_id == actor.id),
            )
            .where(ThresholdExercise.status == ExerciseStatus.OPEN)
            .order_by(ThresholdExercise.id, ExerciseVignette.position)
        )
        found: list[VignetteToRate] = []
        excluded: dict[int, bool] = {}
        for vignette, title, rating in rows:
            if vignette.exercise_id not in excluded:
                excluded[vignette.exercise_id] = _prepared_by(session, vignette.exercise_id, actor.id)
            if excluded[vignette.exercise_id]:
                continue
            found.append(
                VignetteToRate(
                    vignette_id=vignette.id,
                    exercise_id=vignette.exercise_id,
                    exercise_title=title,
                    position=vignette.position,
                    text=vignette.text,
                    my_level=rating.level_of_need if rating else None,
                    my_outcome=rating.outcome if rating else None,
                    rated_at=rating.rated_at if rating else None,
                )
            )
        return found


@retry_collisions
def rate_vignette(ctx: ServiceContext, vignette_id: int, level: int | str | None, outcome: Outcome | str | None) -> int:
    """Record this person's level of need and outcome for one vignette; the rating's id."""
    checked_level, checked_outcome = check_rating(level, outcome)
    with ctx.unit(write=True) as (session, actor):
        if actor.role not in RATERS:
            raise PermissionRefused(
                "Practitioners, partner agency staff and managers rate vignettes; your role does not."
            )
        # on PostgreSQL a vignette of an exercise not yet open is not even visible to a rater
        vignette = session.get(ExerciseVignette, vignette_id)
        exercise = session.get(ThresholdExercise, vignette.exercise_id) if vignette is not None else None
        if (
            vignette is None
            or exercise is None
            or exercise.status is not ExerciseStatus.OPEN
            or vignette.reviewed_at is None
        ):
            raise IllegalTransition("Ratings are taken only while the exercise is open.")
        if _prepared_by(session, exercise.id, actor.id):
            raise PermissionRefused("You prepared this exercise and have seen the real cases, so you do not rate it.")
        already = session.scalar(
            select(VignetteRating.id).where(
                VignetteRating.vignette_id == vignette_id, VignetteRating.rater_id == actor.id
            )
        )
        if already is not None:
            raise InvalidInput.single("level", "You have already rated this vignette; a rating is given once.")
        now = ctx.now()
        rating = VignetteRating(
            vignette_id=vignette_id,
            rater_id=actor.id,
            agency_id=actor.agency_id,
            level_of_need=checked_level,
            outcome=checked_outcome,
            rated_at=now,
        )
        session.add(rating)
        try:
            session.flush()
        except IntegrityError as exc:
            raise InvalidInput.single("level", "You have already rated this vignette; a rating is given once.") from exc
        audit(
            session,
            actor,
            "exercise.rated",
            "vignette_rating",
            rating.id,
            at=now,
            detail={"exercise": exercise.id, "vignette": vignette_id},
        )
        return rating.id
