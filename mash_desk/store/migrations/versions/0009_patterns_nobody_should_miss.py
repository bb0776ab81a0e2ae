"""Patterns nobody should miss: the thresholds, who interpreted, and what a manager decided.

``pattern_policy`` is the administrator's table of pattern thresholds (seeded with the defaults:
a third neglect contact in 12 months, a second domestic abuse notification, more than two
addresses). ``family_conversation`` records each conversation with the family and who interpreted
it (a professional, a family member, the child, nobody). ``pattern_response`` is a manager's
decision about a pattern on a contact, which PostgreSQL takes from managers only.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from mash_desk.domain.patterns import THRESHOLD_LIMITS
from mash_desk.store import pg_security
from mash_desk.store.types import UtcDateTime

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    policy = op.create_table(
        "pattern_policy",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_pattern_policy")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        policy,
        [{"key": key.value, "amount": limits[0], "updated_at": now} for key, limits in THRESHOLD_LIMITS.items()],
    )
    op.create_table(
        "family_conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("spoke_with", sa.String(length=120), nullable=False),
        sa.Column("language", sa.String(length=60), nullable=True),
        sa.Column("interpreter", sa.String(length=40), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], name=op.f("fk_family_conversation_contact_id_contact")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["app_user.id"], name=op.f("fk_family_conversation_recorded_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_conversation")),
    )
    with op.batch_alter_table("family_conversation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_conversation_contact_id"), ["contact_id"], unique=False)
    op.create_table(
        "pattern_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("pattern", sa.String(length=40), nullable=False),
        sa.Column("decision", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], name=op.f("fk_pattern_response_contact_id_contact")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["app_user.id"], name=op.f("fk_pattern_response_decided_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pattern_response")),
    )
    with op.batch_alter_table("pattern_response", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pattern_response_contact_id"), ["contact_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_security.install(bind)


def downgrade() -> None:
    with op.batch_alter_table("pattern_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pattern_response_contact_id"))
    op.drop_table("pattern_response")
    with op.batch_alter_table("family_conversation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_conversation_contact_id"))
    op.drop_table("family_conversation")
    op.drop_table("pattern_policy")
