"""Chasing a hand-off the receiving team has not accepted: ``hand_off_chase``.

A case handed on is not done until the receiving team accepts it (DESIGN.md); when it is not, the
MASH chases, and the chase is kept: who, when and how, in the contact's chronology and beside the
hand-off in the receiving team's inbox (issue 15). Both databases refuse an empty note (a check
constraint). On PostgreSQL, ``pg_security.install`` grants INSERT to practitioners and managers only
and adds the trigger that stamps the chaser from the login, and refuses
a chase of a hand-off already answered, a chase by the receiving team itself, and a chase filed
against another contact than the hand-off's. Nobody updates or deletes one.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mash_desk.store import pg_security
from mash_desk.store.types import UtcDateTime

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hand_off_chase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hand_off_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("chased_by_id", sa.Integer(), nullable=False),
        sa.Column("chased_at", UtcDateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("length(trim(note)) > 0", name=op.f("ck_hand_off_chase_chase_says_how")),
        sa.ForeignKeyConstraint(
            ["chased_by_id"], ["app_user.id"], name=op.f("fk_hand_off_chase_chased_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], name=op.f("fk_hand_off_chase_contact_id_contact")),
        sa.ForeignKeyConstraint(["hand_off_id"], ["hand_off.id"], name=op.f("fk_hand_off_chase_hand_off_id_hand_off")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hand_off_chase")),
    )
    with op.batch_alter_table("hand_off_chase", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hand_off_chase_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hand_off_chase_hand_off_id"), ["hand_off_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_security.install(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS public.mash_desk_guard_chase_insert() CASCADE")
    op.drop_table("hand_off_chase")
