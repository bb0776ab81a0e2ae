"""Indexes measured at 250,000 contacts: one removed from the queues, one added for the day's letters.

SQLite chose ``ix_contact_unassigned_due`` (assigned_to_id, rag_due_at) to avoid a sort and then
walked every closed contact a worker ever had (~105 ms for "my open work"); without it the planner
takes ``ix_contact_assigned_status_due`` (5 ms). The letters batch finds the day's decisions by
``decided_at``, which had no index and scanned the table.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_unassigned_due")
        batch_op.create_index("ix_contact_decided_at", ["decided_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_decided_at")
        batch_op.create_index("ix_contact_unassigned_due", ["assigned_to_id", "rag_due_at"], unique=False)
