"""Two records of one person: a manager merges them, and can undo it.

``person.merged_into_id`` points a merged record at the one kept (nothing is deleted);
``person_merge`` records who merged which into which, when and why, and who undid it;
``person_merge_move`` records every row the merge re-pointed, so undoing it is exact. On PostgreSQL
only managers may do either, and only through a merge row (``pg_security.merges``).

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mash_desk.store import pg_security
from mash_desk.store.types import UtcDateTime

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_person_merged_into_id"), ["merged_into_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_person_merged_into_id_person"), "person", ["merged_into_id"], ["id"])
    op.create_table(
        "person_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("merged_by_id", sa.Integer(), nullable=False),
        sa.Column("merged_at", UtcDateTime(), nullable=False),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.Column("undone_at", UtcDateTime(), nullable=True),
        sa.Column("undo_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("kept_id <> merged_id", name=op.f("ck_person_merge_two_records")),
        sa.ForeignKeyConstraint(["kept_id"], ["person.id"], name=op.f("fk_person_merge_kept_id_person")),
        sa.ForeignKeyConstraint(["merged_by_id"], ["app_user.id"], name=op.f("fk_person_merge_merged_by_id_app_user")),
        sa.ForeignKeyConstraint(["merged_id"], ["person.id"], name=op.f("fk_person_merge_merged_id_person")),
        sa.ForeignKeyConstraint(["undone_by_id"], ["app_user.id"], name=op.f("fk_person_merge_undone_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_merge")),
    )
    with op.batch_alter_table("person_merge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_merge_kept_id"), ["kept_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_merge_merged_id"), ["merged_id"], unique=False)
        batch_op.create_index(
            "uq_person_merge_one_live",
            ["merged_id"],
            unique=True,
            sqlite_where=sa.text("undone_at IS NULL"),
            postgresql_where=sa.text("undone_at IS NULL"),
        )
    op.create_table(
        "person_merge_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("merge_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("column_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["merge_id"], ["person_merge.id"], name=op.f("fk_person_merge_move_merge_id_person_merge")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_merge_move")),
    )
    with op.batch_alter_table("person_merge_move", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_merge_move_merge_id"), ["merge_id"], unique=False)
        batch_op.create_index("ix_person_merge_move_row", ["table_name", "row_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_security.install(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # the guards on the tables that stay behind name the columns and tables going away
        for table, spec, _when in pg_security.TRIGGERS:
            if "guard_repoint" in spec or "guard_person_merged" in spec:
                op.execute(f'DROP TRIGGER IF EXISTS "{pg_security.trigger_name(table, spec)}" ON public."{table}"')
    op.drop_table("person_merge_move")
    op.drop_table("person_merge")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_person_merged_into_id_person"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_person_merged_into_id"))
        batch_op.drop_column("merged_into_id")
