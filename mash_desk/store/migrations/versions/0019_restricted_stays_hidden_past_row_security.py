"""What row security hides stays hidden past it too: a return's words, the trail, a vignette's source, a MARAC.

Functions that run as the owner went round the rules (found in review, December 2026); each now asks them
(``pg_security/hidden.py``, the restriction predicate the policies use, and the contact's own rule):

- ``mash_desk_return_summary`` runs as the owner, past row security, and checked the partner rule and the
  marking but not the restriction: a login that could not see the request got its words by its id.
- ``audit_event`` had no row rule: managers and auditors read the whole trail of a contact hidden from
  them (a decision's level and outcome, every status and RAG change). It now hides with its contact, and
  a person's rows with the person.
- A vignette's source is checked by a guard that copies the child's real decision into the row as the
  owner: any manager naming a hidden contact and child got the decision back. A hidden child is now "not
  found".
- The MARAC referral guard answered differently for a DASH that was not high-risk, one on another
  contact, and one it passed to row security: a partner agency could find the high-risk DASHes, and their
  contacts, on families it had never been asked about, by trying ids. It now asks one question, including
  whether the login may see the contact (``row_security.contact_seen_by_login``), and gives one answer.
- The other insert guards (a decision, an authorisation, an agency request, a hand-off, a chase) answered
  questions about a contact the login could not see (whether it was being worked on, whether consent
  covered an agency, whether it was authorised) before row security refused the row. They now refuse a
  contact the login may not see first, with one answer (``guards.unseen_first``).

The restriction rule's own functions now belong to the hub's owner, as every other rule function does
(they were left to the installing superuser). Reinstalling the rules applies all of it; nothing else
changes.

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
    # the rules are not put back as they were: reading a restricted contact's content was the defect
    pass
