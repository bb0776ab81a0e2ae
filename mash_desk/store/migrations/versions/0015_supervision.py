"""Case supervision (issue 14): ``supervision`` (a practitioner, a manager, a date) and
``supervision_case`` (each case discussed, with the reflection, the actions agreed and the
management oversight note written on the contact).

A supervision is never with oneself (a check constraint, both databases). On PostgreSQL,
``pg_security.install`` grants them to managers only (others read nothing but the oversight notes),
and its triggers refuse a supervision from any login that is not a manager's, of anyone who is not
an active practitioner, by anyone who is not a manager, dated in the future, or a case whose note
is not that manager's own management oversight note on the same contact.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mash_desk.store import pg_security
from mash_desk.store.types import UtcDateTime

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supervision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint("practitioner_id <> supervisor_id", name=op.f("ck_supervision_not_self")),
        sa.ForeignKeyConstraint(
            ["practitioner_id"], ["app_user.id"], name=op.f("fk_supervision_practitioner_id_app_user")
        ),
        sa.ForeignKeyConstraint(["supervisor_id"], ["app_user.id"], name=op.f("fk_supervision_supervisor_id_app_user")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["app_user.id"], name=op.f("fk_supervision_recorded_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision")),
    )
    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.create_index("ix_supervision_practitioner_held", ["practitioner_id", "held_on"], unique=False)
    op.create_table(
        "supervision_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supervision_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("reflection", sa.Text(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], name=op.f("fk_supervision_case_contact_id_contact")),
        sa.ForeignKeyConstraint(["note_id"], ["case_note.id"], name=op.f("fk_supervision_case_note_id_case_note")),
        sa.ForeignKeyConstraint(
            ["supervision_id"], ["supervision.id"], name=op.f("fk_supervision_case_supervision_id_supervision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_case")),
        sa.UniqueConstraint("note_id", name=op.f("uq_supervision_case_note_id")),
        sa.UniqueConstraint("supervision_id", "contact_id", name=op.f("uq_supervision_case_supervision_id_contact_id")),
    )
    with op.batch_alter_table("supervision_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_case_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_case_supervision_id"), ["supervision_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_security.install(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS public.mash_desk_guard_supervision_insert() CASCADE")
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS public.mash_desk_guard_supervision_case_insert() CASCADE")
    op.drop_table("supervision_case")
    op.drop_table("supervision")
