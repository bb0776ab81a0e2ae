"""PostgreSQL refuses what the services refuse: per-hub roles, grants by column, rules, audit, RLS.

On both databases: ``contact.closed_by_id`` (so "closed by" needs no read of the audit trail)
and ``mash_desk_transition``, the state machine as rows. On PostgreSQL, everything in
``mash_desk.store.pg_security``. Run it as a superuser (the hub's DBA): it creates the hub's roles.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mash_desk.domain.enums import ContactStatus, Role
from mash_desk.store import pg_security
from mash_desk.store.types import CodeEnum

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_contact_closed_by_id_app_user"), "app_user", ["closed_by_id"], ["id"]
        )
    op.create_table(
        "mash_desk_transition",
        sa.Column("from_status", CodeEnum(ContactStatus), nullable=False),
        sa.Column("to_status", CodeEnum(ContactStatus), nullable=False),
        sa.Column("job", CodeEnum(Role), nullable=False),
        sa.PrimaryKeyConstraint("from_status", "to_status", "job", name=op.f("pk_mash_desk_transition")),
    )
    # who closed a contact, until now read from the audit trail
    op.execute(
        "UPDATE contact SET closed_by_id = (SELECT a.actor_id FROM audit_event a WHERE a.contact_id = contact.id "
        "AND a.action = 'contact.close' ORDER BY a.id DESC LIMIT 1) WHERE closed_at IS NOT NULL"
    )
    connection = op.get_bind()
    pg_security.refresh_transitions(connection)
    if connection.dialect.name == "postgresql":
        pg_security.install(connection)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        pg_security.uninstall(connection)
    op.drop_table("mash_desk_transition")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_contact_closed_by_id_app_user"), type_="foreignkey")
        batch_op.drop_column("closed_by_id")
