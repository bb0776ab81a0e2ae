"""The words of an agency's return are withheld on a restricted contact, whichever way they are asked for.

``mash_desk_return_summary`` runs as the owner, past row-level security, and checked the partner rule and
the marking but not the restriction rule: a login the rule does not clear, which cannot see the request,
got its words by asking the function for the request's id. The function now asks the same rule the
policies do (``pg_security/hidden.py``). Reinstalling the rules applies it; nothing else changes.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from mash_desk.store import pg_security

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_security.install(bind)


def downgrade() -> None:
    # the function is not put back as it was: handing over a restricted contact's words was the defect
    pass
