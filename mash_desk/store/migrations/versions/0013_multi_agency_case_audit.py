"""The multi-agency case audit: audits, their auditors and sampled cases, grades with findings per
agency, and the actions agreed from them.

``case_audit`` keeps how the sample was drawn (and the seed, so the draw can be repeated; a
hand-picked sample has none, a drawn one always has one). Check constraints make both databases
refuse a grade that is not one of the Ofsted words, a period that ends before it starts, and an
action marked done without saying by whom. On PostgreSQL, ``pg_security.install`` adds the rules of
``pg_security.case_audits``: only managers and auditors set an audit up; its cases and grades are
read only by its own auditors and by managers and auditors; a case is graded only by an assigned
auditor, as themselves; and a partner agency's assigned auditor reads the sampled contacts.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mash_desk.store import pg_security
from mash_desk.store.pg_security.case_audits import AUDITED_CONTACT, CASE_AUDIT_FUNCTIONS
from mash_desk.store.types import UtcDateTime

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GRADES = "grade IN ('outstanding', 'good', 'requires_improvement', 'inadequate')"
_TABLES = (
    "case_audit_action",
    "case_audit_finding",
    "case_audit_grade",
    "case_audit_case",
    "case_audit_auditor",
    "case_audit",
)


def upgrade() -> None:
    op.create_table(
        "case_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("sampling", sa.String(length=40), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.Column("internal_use", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint(
            "(sampling = 'hand_picked') = (seed IS NULL)", name=op.f("ck_case_audit_drawn_samples_keep_their_seed")
        ),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_case_audit_period_in_order")),
        sa.CheckConstraint("sample_size BETWEEN 1 AND 200", name=op.f("ck_case_audit_sample_size_sensible")),
        sa.ForeignKeyConstraint(["created_by_id"], ["app_user.id"], name=op.f("fk_case_audit_created_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_audit")),
    )
    op.create_table(
        "case_audit_auditor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["case_audit.id"], name=op.f("fk_case_audit_auditor_audit_id_case_audit")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_case_audit_auditor_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_audit_auditor")),
        sa.UniqueConstraint("audit_id", "user_id", name=op.f("uq_case_audit_auditor_audit_id_user_id")),
    )
    with op.batch_alter_table("case_audit_auditor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_audit_auditor_audit_id"), ["audit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_audit_auditor_user_id"), ["user_id"], unique=False)
    op.create_table(
        "case_audit_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["case_audit.id"], name=op.f("fk_case_audit_case_audit_id_case_audit")),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], name=op.f("fk_case_audit_case_contact_id_contact")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_audit_case")),
        sa.UniqueConstraint("audit_id", "contact_id", name=op.f("uq_case_audit_case_audit_id_contact_id")),
    )
    with op.batch_alter_table("case_audit_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_audit_case_audit_id"), ["audit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_audit_case_contact_id"), ["contact_id"], unique=False)
    op.create_table(
        "case_audit_grade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("auditor_id", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=40), nullable=False),
        sa.Column("learning", sa.Text(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("graded_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint(_GRADES, name=op.f("ck_case_audit_grade_grade_is_an_ofsted_word")),
        sa.ForeignKeyConstraint(["auditor_id"], ["app_user.id"], name=op.f("fk_case_audit_grade_auditor_id_app_user")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_audit_case.id"], name=op.f("fk_case_audit_grade_case_id_case_audit_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_audit_grade")),
        sa.UniqueConstraint("case_id", "auditor_id", name=op.f("uq_case_audit_grade_case_id_auditor_id")),
    )
    with op.batch_alter_table("case_audit_grade", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_audit_grade_auditor_id"), ["auditor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_audit_grade_case_id"), ["case_id"], unique=False)
    op.create_table(
        "case_audit_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grade_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=40), nullable=False),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.CheckConstraint(_GRADES, name=op.f("ck_case_audit_finding_grade_is_an_ofsted_word")),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_case_audit_finding_agency_id_agency")),
        sa.ForeignKeyConstraint(
            ["grade_id"], ["case_audit_grade.id"], name=op.f("fk_case_audit_finding_grade_id_case_audit_grade")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_audit_finding")),
        sa.UniqueConstraint("grade_id", "agency_id", name=op.f("uq_case_audit_finding_grade_id_agency_id")),
    )
    with op.batch_alter_table("case_audit_finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_audit_finding_grade_id"), ["grade_id"], unique=False)
    op.create_table(
        "case_audit_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("done_at", UtcDateTime(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("done_note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(done_at IS NULL) = (done_by_id IS NULL)", name=op.f("ck_case_audit_action_done_says_by_whom")
        ),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_case_audit_action_agency_id_agency")),
        sa.ForeignKeyConstraint(["audit_id"], ["case_audit.id"], name=op.f("fk_case_audit_action_audit_id_case_audit")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_case_audit_action_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(["done_by_id"], ["app_user.id"], name=op.f("fk_case_audit_action_done_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_audit_action")),
    )
    with op.batch_alter_table("case_audit_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_audit_action_audit_id"), ["audit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_audit_action_due_on"), ["due_on"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_security.install(bind)


def downgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    if postgresql:
        # CASCADE takes the partner agencies' policies on contact with it: they are made again below,
        # as they were before this revision
        for function in CASE_AUDIT_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS public.{function} CASCADE")
    for table in _TABLES:
        op.drop_table(table)
    if postgresql:
        hub = pg_security.current_hub(bind)
        agency = f'"{hub.job("agency")}"'
        sees = pg_security.ROW_RULES["contact"][1].replace(f" OR {AUDITED_CONTACT}", "")
        for policy, rule in (
            ("mash_desk_agency_read", f"FOR SELECT TO {agency} USING ({sees})"),
            ("mash_desk_agency_write", f"FOR INSERT TO {agency} WITH CHECK ({sees})"),
            ("mash_desk_agency_change", f"FOR UPDATE TO {agency} USING ({sees}) WITH CHECK ({sees})"),
        ):
            op.execute(f"DROP POLICY IF EXISTS {policy} ON public.contact")
            op.execute(f"CREATE POLICY {policy} ON public.contact {rule}")
