"""Risk tools in the window: the carer's part in a Graded Care Profile 2, and the database's own checks.

``gcp_assessment.carer_participation`` records how far the carer took part (empty for assessments
recorded before it was asked). Check constraints make both databases refuse a GCP2 grade outside 1-5,
a DASH professional judgement without its reason, and a DASH level or MARAC flag that does not follow
from its score. ``marac_referral`` keeps each MARAC referral made from a high-risk DASH (the PDF as
sent, its digest, who and when). On PostgreSQL, ``pg_security.install`` adds the trigger that refuses a GCP2 from a
login whose user record is not marked trained and licensed, and the administrators' function that
sets that mark.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mash_desk.store import pg_security
from mash_desk.store.types import UtcDateTime

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DASH_LEVEL = (
    "level = CASE WHEN yes_count >= 14 OR professional_judgement THEN 'high' "
    "WHEN yes_count >= 10 THEN 'medium' ELSE 'standard' END AND marac_referral = (level = 'high')"
)
_GCP_GRADES = (
    "physical_care BETWEEN 1 AND 5 AND safety BETWEEN 1 AND 5 AND love_and_belonging BETWEEN 1 AND 5 "
    "AND esteem BETWEEN 1 AND 5"
)


def upgrade() -> None:
    with op.batch_alter_table("gcp_assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carer_participation", sa.String(length=40), nullable=True))
        batch_op.create_check_constraint("gcp_grades_1_to_5", _GCP_GRADES)
    with op.batch_alter_table("dash_assessment", schema=None) as batch_op:
        batch_op.create_check_constraint(
            "dash_judgement_has_reason", "NOT professional_judgement OR judgement_reason IS NOT NULL"
        )
        batch_op.create_check_constraint("dash_level_follows_score", _DASH_LEVEL)
    op.create_table(
        "marac_referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dash_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("made_by_id", sa.Integer(), nullable=False),
        sa.Column("made_at", UtcDateTime(), nullable=False),
        sa.Column("children", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], name=op.f("fk_marac_referral_contact_id_contact")),
        sa.ForeignKeyConstraint(
            ["dash_id"], ["dash_assessment.id"], name=op.f("fk_marac_referral_dash_id_dash_assessment")
        ),
        sa.ForeignKeyConstraint(["made_by_id"], ["app_user.id"], name=op.f("fk_marac_referral_made_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marac_referral")),
        sa.UniqueConstraint("dash_id", name=op.f("uq_marac_referral_dash_id")),
    )
    with op.batch_alter_table("marac_referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marac_referral_contact_id"), ["contact_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_security.install(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS public.mash_desk_set_user_gcp_licensed(text, boolean)")
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS public.mash_desk_guard_gcp_insert() CASCADE")
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS public.mash_desk_guard_marac_insert() CASCADE")
    op.drop_table("marac_referral")
    with op.batch_alter_table("dash_assessment", schema=None) as batch_op:
        batch_op.drop_constraint("dash_level_follows_score", type_="check")
        batch_op.drop_constraint("dash_judgement_has_reason", type_="check")
    with op.batch_alter_table("gcp_assessment", schema=None) as batch_op:
        batch_op.drop_constraint("gcp_grades_1_to_5", type_="check")
        batch_op.drop_column("carer_participation")
