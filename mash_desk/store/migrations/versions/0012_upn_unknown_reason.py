"""Why a child has no UPN: ``person.upn_unknown`` holds the census UPNunknown code (UN1 to UN5).

The CIN census asks for a UPN, or the reason it is missing, for every child of school age referred
for further action (issue 13); intake and the person record can now say which. Social workers may
correct it like the UPN itself (pg_security grants the column).

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mash_desk.store import pg_security

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("upn_unknown", sa.String(length=3), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_security.install(bind)


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("upn_unknown")
