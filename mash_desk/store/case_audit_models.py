"""The multi-agency case audit's tables (issue 14 part 1), on the front door's metadata.

An audit (``case_audit``) is set up once, with its auditors and its sample of contacts; each
assigned auditor grades each case once (``case_audit_grade``, with a finding per agency), and the
findings become actions tracked to done. Nothing is deleted or regraded: the rows only grow, and an
action changes only once, when it is done. Kept apart from ``models`` only for length; ``models``
imports it, so the metadata is always whole.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mash_desk.domain.audits import MAX_SAMPLE, AuditGrade, AuditTheme, Sampling
from mash_desk.store.models import Base
from mash_desk.store.types import CodeEnum, UtcDateTime

GRADE_CODES = ", ".join(f"'{grade.value}'" for grade in AuditGrade)
SEED_RULE = f"(sampling = '{Sampling.HAND_PICKED.value}') = (seed IS NULL)"


class CaseAudit(Base):
    """One audit as set up: theme, period, sample, how it was sampled (and the seed, to draw it again)."""

    __tablename__ = "case_audit"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_in_order"),
        CheckConstraint(f"sample_size BETWEEN 1 AND {MAX_SAMPLE}", name="sample_size_sensible"),
        CheckConstraint(SEED_RULE, name="drawn_samples_keep_their_seed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    theme: Mapped[AuditTheme] = mapped_column(CodeEnum(AuditTheme))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    sample_size: Mapped[int] = mapped_column(Integer)
    sampling: Mapped[Sampling] = mapped_column(CodeEnum(Sampling))
    seed: Mapped[int | None] = mapped_column(Integer)
    internal_use: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CaseAuditAuditor(Base):
    """A person assigned to audit: they read and grade every case of its sample."""

    __tablename__ = "case_audit_auditor"
    __table_args__ = (UniqueConstraint("audit_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("case_audit.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)


class CaseAuditCase(Base):
    """One contact of an audit's sample, in the order it was drawn."""

    __tablename__ = "case_audit_case"
    __table_args__ = (UniqueConstraint("audit_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("case_audit.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)


class CaseAuditGrade(Base):
    """One auditor's grading of one case: the grade, the answers to the set, the learning in their words."""

    __tablename__ = "case_audit_grade"
    __table_args__ = (
        UniqueConstraint("case_id", "auditor_id"),
        CheckConstraint(f"grade IN ({GRADE_CODES})", name="grade_is_an_ofsted_word"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_audit_case.id"), index=True)
    auditor_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    grade: Mapped[AuditGrade] = mapped_column(CodeEnum(AuditGrade))
    learning: Mapped[str] = mapped_column(Text)
    answers: Mapped[str] = mapped_column(Text)  # JSON: question id → answer code
    graded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CaseAuditFinding(Base):
    """What an auditor found about one agency's part in the case, graded."""

    __tablename__ = "case_audit_finding"
    __table_args__ = (
        UniqueConstraint("grade_id", "agency_id"),
        CheckConstraint(f"grade IN ({GRADE_CODES})", name="grade_is_an_ofsted_word"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grade_id: Mapped[int] = mapped_column(ForeignKey("case_audit_grade.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    grade: Mapped[AuditGrade] = mapped_column(CodeEnum(AuditGrade))
    finding: Mapped[str] = mapped_column(Text)


class CaseAuditAction(Base):
    """An action agreed from an audit's findings: owner, agency, due date, and when it was done."""

    __tablename__ = "case_audit_action"
    __table_args__ = (CheckConstraint("(done_at IS NULL) = (done_by_id IS NULL)", name="done_says_by_whom"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("case_audit.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    done_note: Mapped[str | None] = mapped_column(Text)
