"""A partner agency reads a case note or GCP2 made on a contact only through that contact.

Row security let a partner read every note and GCP2 on a child it could see through one contact it
was asked about, including those made on the child's other contacts, which the record never shows it
(``pg_security/row_security.py``: ``_via_contact_else_person``). Reinstalling the rules applies the
narrower ones; nothing else changes.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from mash_desk.store import pg_security

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_security.install(bind)


def downgrade() -> None:
    # the wider rule is not put back: reading more than the record shows was the defect this fixed
    pass
