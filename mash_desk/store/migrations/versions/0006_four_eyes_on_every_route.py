"""Four eyes on every route: no contact is authorised or handed off without its team manager's say.

The open-case route ("pass to the allocated team") now starts from an authorised decision, not
from a new contact; a receiving team's answer comes from its practitioners or managers, not from
business support; only a manager of the team that owns the contact authorises or returns its
decisions, and returning an authorised decision reopens it. ``mash_desk_transition`` is rebuilt
from ``domain.lifecycle`` (both databases); on PostgreSQL the rules are installed again.

A contact an older version passed to the allocated team without a decision stays awaiting
acceptance: the receiving team can accept it, but rejecting it needs a manager's decision first.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

from alembic import op

from mash_desk.store import pg_security

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    pg_security.refresh_transitions(connection)
    if connection.dialect.name == "postgresql":
        pg_security.install(connection)


def downgrade() -> None:
    # the older rules are not kept anywhere to go back to; the transitions stay as they are now
    # (they are stricter), and the functions added here are harmless to an older client
    pass
