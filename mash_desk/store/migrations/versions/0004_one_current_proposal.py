"""One current proposal per child, kept by the database: a partial unique index.

Under load two workstations could each leave a "proposed" decision for the same child (issue 9).
Any such pair already in a database is repaired first: the newest proposal stays current and the
older ones are marked superseded, as the application would have done.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROPOSED = sa.text("status = 'proposed'")


def upgrade() -> None:
    op.execute(
        "UPDATE threshold_decision SET status = 'superseded' WHERE status = 'proposed' AND id NOT IN "
        "(SELECT max(id) FROM threshold_decision WHERE status = 'proposed' GROUP BY contact_child_id)"
    )
    with op.batch_alter_table("threshold_decision", schema=None) as batch_op:
        batch_op.create_index(
            "uq_threshold_decision_one_proposed",
            ["contact_child_id"],
            unique=True,
            sqlite_where=PROPOSED,
            postgresql_where=PROPOSED,
        )


def downgrade() -> None:
    with op.batch_alter_table("threshold_decision", schema=None) as batch_op:
        batch_op.drop_index("uq_threshold_decision_one_proposed")
