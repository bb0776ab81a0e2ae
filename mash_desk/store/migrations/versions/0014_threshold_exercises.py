"""Threshold consistency exercises: anonymised vignettes of past contacts, rated by staff of every agency.

``threshold_exercise`` is a manager's exercise (draft, open, closed); ``exercise_vignette`` holds each
vignette as raters read it, with who reviewed it; ``vignette_source`` says which contact and child it
came from and what was really decided (on PostgreSQL only managers and auditors read it);
``vignette_rating`` is one person's level of need and outcome for one vignette. Check constraints keep
levels 1-4, outcomes a rater may choose, and date shifts in whole weeks on both databases. On
PostgreSQL, ``pg_security.install`` adds the grants, the row rules (nobody but managers and auditors
sees a vignette before its exercise opens, or anyone's rating but their own) and the triggers that
stamp who reviewed, opened, closed and rated, copy the real decision from the contact itself, and
refuse a release of anything unreviewed or a change to anything released.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mash_desk.store import pg_security
from mash_desk.store.exercise_models import RATEABLE_CODES
from mash_desk.store.types import UtcDateTime

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "threshold_exercise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", UtcDateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'open', 'closed')", name=op.f("ck_threshold_exercise_exercise_status")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_threshold_exercise_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["app_user.id"], name=op.f("fk_threshold_exercise_opened_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["app_user.id"], name=op.f("fk_threshold_exercise_closed_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threshold_exercise")),
    )
    with op.batch_alter_table("threshold_exercise", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_threshold_exercise_closed_at"), ["closed_at"], unique=False)
    op.create_table(
        "exercise_vignette",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("drafted_at", UtcDateTime(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", UtcDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exercise_id"], ["threshold_exercise.id"], name=op.f("fk_exercise_vignette_exercise_id_threshold_exercise")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["app_user.id"], name=op.f("fk_exercise_vignette_reviewed_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_vignette")),
        sa.UniqueConstraint("exercise_id", "position", name=op.f("uq_exercise_vignette_exercise_id_position")),
    )
    with op.batch_alter_table("exercise_vignette", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exercise_vignette_exercise_id"), ["exercise_id"], unique=False)
    op.create_table(
        "vignette_source",
        sa.Column("vignette_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("real_level", sa.Integer(), nullable=False),
        sa.Column("real_outcome", sa.String(length=40), nullable=False),
        sa.Column("shift_days", sa.Integer(), nullable=False),
        sa.CheckConstraint("real_level BETWEEN 1 AND 4", name=op.f("ck_vignette_source_real_level_range")),
        sa.CheckConstraint(
            "shift_days < 0 AND shift_days % 7 = 0", name=op.f("ck_vignette_source_shift_whole_weeks_back")
        ),
        sa.ForeignKeyConstraint(["child_id"], ["person.id"], name=op.f("fk_vignette_source_child_id_person")),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], name=op.f("fk_vignette_source_contact_id_contact")),
        sa.ForeignKeyConstraint(
            ["vignette_id"], ["exercise_vignette.id"], name=op.f("fk_vignette_source_vignette_id_exercise_vignette")
        ),
        sa.PrimaryKeyConstraint("vignette_id", name=op.f("pk_vignette_source")),
    )
    with op.batch_alter_table("vignette_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vignette_source_contact_id"), ["contact_id"], unique=False)
    op.create_table(
        "vignette_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vignette_id", sa.Integer(), nullable=False),
        sa.Column("rater_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("level_of_need", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("rated_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint("level_of_need BETWEEN 1 AND 4", name=op.f("ck_vignette_rating_rated_level_range")),
        sa.CheckConstraint(f"outcome IN ({RATEABLE_CODES})", name=op.f("ck_vignette_rating_rateable_outcome")),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_vignette_rating_agency_id_agency")),
        sa.ForeignKeyConstraint(["rater_id"], ["app_user.id"], name=op.f("fk_vignette_rating_rater_id_app_user")),
        sa.ForeignKeyConstraint(
            ["vignette_id"], ["exercise_vignette.id"], name=op.f("fk_vignette_rating_vignette_id_exercise_vignette")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vignette_rating")),
        sa.UniqueConstraint("vignette_id", "rater_id", name=op.f("uq_vignette_rating_vignette_id_rater_id")),
    )
    with op.batch_alter_table("vignette_rating", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vignette_rating_rater_id"), ["rater_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_vignette_rating_vignette_id"), ["vignette_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_security.install(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for function in pg_security.EXERCISE_FUNCTIONS:
            bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS public.{function} CASCADE")
    op.drop_table("vignette_rating")
    op.drop_table("vignette_source")
    op.drop_table("exercise_vignette")
    op.drop_table("threshold_exercise")
