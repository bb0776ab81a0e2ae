"""The threshold consistency exercise's tables (imported by ``models`` so they are on its metadata).

``vignette_source`` is kept apart from the vignette on purpose: it says which contact and child a
vignette came from and what was really decided, and on PostgreSQL only managers and auditors may read
it, so a rater can never reach the real family or the real decision through the exercise.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mash_desk.domain.enums import Outcome
from mash_desk.domain.exercises import ExerciseStatus
from mash_desk.store.models import Base
from mash_desk.store.types import CodeEnum, UtcDateTime

RATEABLE_CODES = (
    "'NFA', 'ADVICE_SIGNPOST', 'EARLY_HELP', 'SINGLE_AGENCY', 'CFA_S17', 'STRATEGY_S47', "
    "'EMERGENCY_PROTECTION', 'MARAC', 'LADO'"
)


class ThresholdExercise(Base):
    """A manager's exercise: drafted, opened for rating, closed; its results are final once closed."""

    __tablename__ = "threshold_exercise"
    __table_args__ = (CheckConstraint("status IN ('draft', 'open', 'closed')", name="exercise_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[ExerciseStatus] = mapped_column(CodeEnum(ExerciseStatus))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ExerciseVignette(Base):
    """One anonymised vignette as raters read it; reviewed (and perhaps edited) by a person before release."""

    __tablename__ = "exercise_vignette"
    __table_args__ = (UniqueConstraint("exercise_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("threshold_exercise.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    drafted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class VignetteSource(Base):
    """Where a vignette came from and what was really decided: managers and auditors only."""

    __tablename__ = "vignette_source"
    __table_args__ = (
        CheckConstraint("real_level BETWEEN 1 AND 4", name="real_level_range"),
        CheckConstraint("shift_days < 0 AND shift_days % 7 = 0", name="shift_whole_weeks_back"),
    )

    vignette_id: Mapped[int] = mapped_column(ForeignKey("exercise_vignette.id"), primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    real_level: Mapped[int] = mapped_column(Integer)
    real_outcome: Mapped[Outcome] = mapped_column(CodeEnum(Outcome))
    shift_days: Mapped[int] = mapped_column(Integer)


class VignetteRating(Base):
    """One person's level of need and outcome for one vignette; given once, never changed."""

    __tablename__ = "vignette_rating"
    __table_args__ = (
        UniqueConstraint("vignette_id", "rater_id"),
        CheckConstraint("level_of_need BETWEEN 1 AND 4", name="rated_level_range"),
        CheckConstraint(f"outcome IN ({RATEABLE_CODES})", name="rateable_outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vignette_id: Mapped[int] = mapped_column(ForeignKey("exercise_vignette.id"), index=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    level_of_need: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[Outcome] = mapped_column(CodeEnum(Outcome))
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime)
