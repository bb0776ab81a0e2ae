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
from mash_desk.store.types import CodeEnum, UtcDateTime

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
    op.create_table(
        "record_restriction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("restricted_by_id", sa.Integer(), nullable=False),
        sa.Column("restricted_at", UtcDateTime(), nullable=False),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.Column("lifted_at", UtcDateTime(), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(contact_id IS NULL) <> (person_id IS NULL)", name=op.f("ck_record_restriction_one_record")
        ),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], name=op.f("fk_record_restriction_contact_id_contact")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_record_restriction_person_id_person")),
        sa.ForeignKeyConstraint(
            ["restricted_by_id"], ["app_user.id"], name=op.f("fk_record_restriction_restricted_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"], ["app_user.id"], name=op.f("fk_record_restriction_lifted_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_restriction")),
    )
    op.create_index(op.f("ix_record_restriction_contact_id"), "record_restriction", ["contact_id"])
    op.create_index(op.f("ix_record_restriction_person_id"), "record_restriction", ["person_id"])
    op.create_table(
        "glass_break",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("restriction_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("broken_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["restriction_id"], ["record_restriction.id"], name=op.f("fk_glass_break_restriction_id_record_restriction")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_glass_break_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_glass_break")),
    )
    op.create_index(op.f("ix_glass_break_restriction_id"), "glass_break", ["restriction_id"])
    op.create_index(op.f("ix_glass_break_user_id"), "glass_break", ["user_id"])
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
    op.drop_table("glass_break")
    op.drop_table("record_restriction")
    op.drop_table("mash_desk_transition")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_contact_closed_by_id_app_user"), type_="foreignkey")
        batch_op.drop_column("closed_by_id")
