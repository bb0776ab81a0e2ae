"""A change feed ordered by the database, never by a workstation's clock.

``contact.change_stamp`` is written by a trigger on every insert and update, whatever the client
sends: on PostgreSQL the writing transaction's id (the feed reads it against the previous poll's
snapshot, so a commit that lands after a later one is still seen); on SQLite the next number (its
writers take turns, so the numbers follow the commits). A slow clock, or a contact stamped with
``updated_at`` in 2999, no longer hides anyone's change from the other workstations.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION mash_desk_change_stamp() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, public AS $$
BEGIN
    NEW.change_stamp := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END $$
"""

SQLITE_TRIGGERS = {
    "contact_change_stamp_insert": "AFTER INSERT ON contact",
    "contact_change_stamp_update": "AFTER UPDATE ON contact",
}


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_stamp", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_contact_change_stamp", ["change_stamp"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        op.execute("REVOKE ALL ON FUNCTION mash_desk_change_stamp() FROM PUBLIC")
        owner = bind.execute(sa.text("SELECT tableowner FROM pg_tables WHERE tablename = 'contact'")).scalar_one()
        op.execute(f'ALTER FUNCTION mash_desk_change_stamp() OWNER TO "{owner}"')
        # every writer, the owner and the demo loader too: the feed must see every change
        op.execute(
            "CREATE TRIGGER mash_desk_change_stamp BEFORE INSERT OR UPDATE ON contact "
            "FOR EACH ROW EXECUTE FUNCTION mash_desk_change_stamp()"
        )
    else:
        for name, event in SQLITE_TRIGGERS.items():
            # recursive triggers are off, so the trigger's own UPDATE does not fire it again
            op.execute(
                f"CREATE TRIGGER {name} {event} BEGIN "  # noqa: S608 - our own trigger names
                "UPDATE contact SET change_stamp = (SELECT coalesce(max(change_stamp), 0) + 1 FROM contact) "
                "WHERE id = NEW.id; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS mash_desk_change_stamp ON contact")
        op.execute("DROP FUNCTION IF EXISTS mash_desk_change_stamp()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_change_stamp")
        batch_op.drop_column("change_stamp")
