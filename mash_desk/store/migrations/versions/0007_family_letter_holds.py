"""Family letters: which adult made the contact, and the hold policy as a table.

``contact_adult.is_referrer`` records that an adult named on the contact is the person who made it,
so a family letter is never addressed to a referrer who may not be named to the family (issue 10).
``family_letter_hold`` is the administrator's policy of which outcomes and concerns hold a family
letter for a social worker's review, seeded with the defaults (section 47, emergency protection,
MARAC, domestic abuse, a named alleged perpetrator).

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from mash_desk.domain.family_letters import DEFAULT_HOLDS, every_hold_key
from mash_desk.store import pg_security
from mash_desk.store.types import UtcDateTime

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contact_adult", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_referrer", sa.Boolean(), server_default=sa.text("false"), nullable=False))
    hold = op.create_table(
        "family_letter_hold",
        sa.Column("trigger", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("holds", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("trigger", "code", name=op.f("pk_family_letter_hold")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        hold,
        [
            {"trigger": trigger.value, "code": code, "holds": (trigger, code) in DEFAULT_HOLDS, "updated_at": now}
            for trigger, code in every_hold_key()
        ],
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_security.install(bind)


def downgrade() -> None:
    op.drop_table("family_letter_hold")
    with op.batch_alter_table("contact_adult", schema=None) as batch_op:
        batch_op.drop_column("is_referrer")
