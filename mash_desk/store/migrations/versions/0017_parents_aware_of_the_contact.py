"""Whether the parents or carers know about a contact: ``contact.parents_aware`` (yes, no, not known)
and, for no, ``contact.parents_not_aware_reason``.

Intake asks it of every contact (issue 15); contacts logged before have neither (shown as not
recorded). A check constraint refuses an unknown answer and a "no" without its reason on both
databases. Like every other contact column the two are written once, when the contact is logged
(pg_security grants INSERT on the table to those who log contacts, and UPDATE on neither column).

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mash_desk.store import pg_security

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARENTS_AWARE_RULE = (
    "parents_aware IS NULL OR parents_aware IN ('yes', 'not_known') "
    "OR (parents_aware = 'no' AND parents_not_aware_reason IS NOT NULL)"
)


def _sqlite_contact_triggers() -> list[str]:
    """The SQLite triggers on ``contact`` (the change feed's stamps, 0005): a batch that adds a constraint
    copies the table and drops them, so they are made again on the copy."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return []
    return list(
        bind.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'contact' ORDER BY name")
        ).scalars()
    )


def _remake(triggers: list[str]) -> None:
    for sql in triggers:
        op.execute(sql)


def upgrade() -> None:
    triggers = _sqlite_contact_triggers()
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parents_aware", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("parents_not_aware_reason", sa.Text(), nullable=True))
        batch_op.create_check_constraint("parents_not_aware_has_reason", _PARENTS_AWARE_RULE)
    _remake(triggers)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_security.install(bind)


def downgrade() -> None:
    triggers = _sqlite_contact_triggers()
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_constraint("parents_not_aware_has_reason", type_="check")
        batch_op.drop_column("parents_not_aware_reason")
        batch_op.drop_column("parents_aware")
    _remake(triggers)
