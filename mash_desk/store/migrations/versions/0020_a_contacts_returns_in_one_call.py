"""A contact's returns in one call: ``mash_desk_contact_returns``.

Opening a contact on PostgreSQL asked two rule functions per agency request (the words, and whether the
marking withheld them), and each looked the reader up again: on a busy contact most of the server's time
for the whole view (benchmarks/README.md, sixth pass). The new function answers for all of a contact's
requests with the reader looked up once, under exactly the rules of ``mash_desk_return_summary`` (now
answered through it) and ``mash_desk_may_read_return`` (which shares its SQL: the reader's row and the
marking's rule are written once, in ``pg_security.functions``).

``mash_desk_add_user`` also comments each login role it makes (``MADE_BY_MASH_DESK``): a login is the
server's and outlives the hub's database, so whoever retires a hub can tell MASH Desk's logins from the
server's others.

A merge of two records of one person (``person_merge``) now hides with either record: a manager the
restriction does not clear read its reason by SQL (found in review, December 2026), although the service's
list of merges, which names both records, never showed it to them. Reinstalling the rules applies all
three; nothing else changes.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from mash_desk.store import pg_security

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_security.install(bind)


def downgrade() -> None:
    # the rules are not put back as they were (they are installed from today's code): the new function stays,
    # as mash_desk_return_summary, which the code of 0019 reads the words through, now answers through it
    pass
