"""The MASH front door as tables.

Nothing is ever deleted: a correction is a new row that points at the row it corrects
(``corrects_id`` / ``supersedes_id``), and history tables (RAG ratings, decisions, authorisations,
hand-offs, notes, audit) only grow. Rows that people edit concurrently carry a ``version``
column, so a second writer gets a conflict instead of silently overwriting the first.

One module on purpose (about 800 lines, over the 600 lines a module may have): the schema reads as a
whole, the migrations are compared against it as a whole, and splitting it would only scatter the
relationships.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql import text

from mash_desk.domain.enums import (
    AgencyKind,
    AgencyRequestStatus,
    Channel,
    ClockKind,
    Concern,
    Confidentiality,
    ConsentStatus,
    ContactStatus,
    DecisionStatus,
    Gender,
    HandOffStatus,
    HousingTenure,
    LetterMethod,
    LetterRecipient,
    NoteKind,
    Outcome,
    OverrideBasis,
    ParentsAware,
    PersonKind,
    Rag,
    ReferrerKind,
    RelationshipKind,
    Role,
    TeamKind,
    TimescaleKey,
)
from mash_desk.domain.family_letters import HoldTrigger
from mash_desk.domain.patterns import Interpreter, PatternDecision, PatternKind, ThresholdKey
from mash_desk.domain.risk import CarerParticipation
from mash_desk.store.types import CodeEnum, UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SERVER_ASSIGNED = "server_assigned"
"""Marks a column only the database writes (a trigger): loaders and forms leave it alone."""

# Audit grows by every action and every opening of a record: it outgrows 32-bit ids first.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Agency(Base):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[AgencyKind] = mapped_column(CodeEnum(AgencyKind))


class Team(Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[TeamKind] = mapped_column(CodeEnum(TeamKind))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))


class User(Base):
    """A person who signs in; on PostgreSQL ``username`` is their database login role."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(63), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(CodeEnum(Role))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    job_title: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    gcp_licensed: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Person(Base):
    """A child or an adult; one real person should be one row (intake searches first)."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("date_of_birth IS NULL OR expected_date_of_birth IS NULL", name="one_birth_date"),
        Index("ix_person_family_given", "family_name_norm", "given_names_norm"),
        Index("ix_person_dob", "date_of_birth"),
        Index("ix_person_allocated_team", "allocated_team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PersonKind] = mapped_column(CodeEnum(PersonKind))
    given_names: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str] = mapped_column(String(120))
    # casefolded, accent-free copies so prefix search can use an index on both databases
    given_names_norm: Mapped[str] = mapped_column(String(120))
    family_name_norm: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    expected_date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[Gender] = mapped_column(CodeEnum(Gender), default=Gender.NOT_KNOWN)
    ethnicity_code: Mapped[str | None] = mapped_column(String(4))
    nhs_number: Mapped[str | None] = mapped_column(String(10), index=True)
    upn: Mapped[str | None] = mapped_column(String(13), index=True)
    # the census UPNunknown code when there is no UPN (domain.cin.UPN_UNKNOWN_REASONS)
    upn_unknown: Mapped[str | None] = mapped_column(String(3))
    local_child_id: Mapped[str | None] = mapped_column(String(40), index=True)
    disability: Mapped[bool | None] = mapped_column(Boolean)
    first_language: Mapped[str | None] = mapped_column(String(60))
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    communication_needs: Mapped[str | None] = mapped_column(String(400))
    allocated_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    allocated_worker_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    case_open: Mapped[bool] = mapped_column(Boolean, default=False)
    case_closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # set when a manager merged this record into another (the one kept); nothing is deleted
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PersonMerge(Base):
    """A manager's merge of one person's record into another's, with why; undone, never deleted."""

    __tablename__ = "person_merge"
    __table_args__ = (
        # a record is merged into one other at a time
        Index(
            "uq_person_merge_one_live",
            "merged_id",
            unique=True,
            sqlite_where=text("undone_at IS NULL"),
            postgresql_where=text("undone_at IS NULL"),
        ),
        CheckConstraint("kept_id <> merged_id", name="two_records"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kept_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    merged_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    merged_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    merged_at: Mapped[datetime] = mapped_column(UtcDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    undo_reason: Mapped[str | None] = mapped_column(Text)


class PersonMergeMove(Base):
    """One row a merge re-pointed from the merged record to the kept one, so that undoing it is exact.

    ``row_id`` is the row's id, or for the two tables keyed by (record, person) the record's id:
    ``contact_adult``'s contact, ``household_member``'s household.
    """

    __tablename__ = "person_merge_move"
    __table_args__ = (Index("ix_person_merge_move_row", "table_name", "row_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    merge_id: Mapped[int] = mapped_column(ForeignKey("person_merge.id"), index=True)
    table_name: Mapped[str] = mapped_column(String(40))
    column_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)


class PersonNameKey(Base):
    """Spelling- and transliteration-tolerant search keys (see ``domain.names``)."""

    __tablename__ = "person_name_key"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)


class PersonAlias(Base):
    __tablename__ = "person_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    given_names: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Household(Base):
    __tablename__ = "household"

    id: Mapped[int] = mapped_column(primary_key=True)
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    town: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(8), index=True)
    tenure: Mapped[HousingTenure] = mapped_column(CodeEnum(HousingTenure), default=HousingTenure.UNKNOWN)
    temporary_accommodation: Mapped[bool] = mapped_column(Boolean, default=False)
    overcrowded: Mapped[bool] = mapped_column(Boolean, default=False)
    homeless: Mapped[bool] = mapped_column(Boolean, default=False)
    housing_notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class HouseholdMember(Base):
    __tablename__ = "household_member"

    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)


class Relationship(Base):
    __tablename__ = "relationship"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    adult_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[RelationshipKind] = mapped_column(CodeEnum(RelationshipKind))
    parental_responsibility: Mapped[bool] = mapped_column(Boolean, default=False)
    alleged_perpetrator: Mapped[bool] = mapped_column(Boolean, default=False)
    in_contact_with_child: Mapped[bool | None] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


# the database refuses what intake refuses: an answer it knows, and "no" only with the reason why not
PARENTS_AWARE_RULE = (
    "parents_aware IS NULL OR parents_aware IN ('yes', 'not_known') "
    "OR (parents_aware = 'no' AND parents_not_aware_reason IS NOT NULL)"
)


class Contact(Base):
    """One contact received by the MASH; the clock runs from ``received_at``."""

    __tablename__ = "contact"
    __table_args__ = (
        Index("ix_contact_status_due", "status", "rag_due_at"),
        Index("ix_contact_assigned_status_due", "assigned_to_id", "status", "rag_due_at"),
        Index("ix_contact_team_status_due", "team_id", "status", "rag_due_at"),
        Index("ix_contact_received_at", "received_at"),
        Index("ix_contact_updated_at", "updated_at"),
        Index("ix_contact_decided_at", "decided_at"),
        Index("ix_contact_change_stamp", "change_stamp"),
        CheckConstraint(PARENTS_AWARE_RULE, name="parents_not_aware_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    channel: Mapped[Channel] = mapped_column(CodeEnum(Channel))
    referral_source: Mapped[str] = mapped_column(String(3))
    referrer_kind: Mapped[ReferrerKind] = mapped_column(CodeEnum(ReferrerKind))
    referrer_name: Mapped[str | None] = mapped_column(String(120))
    referrer_role: Mapped[str | None] = mapped_column(String(120))
    referrer_agency: Mapped[str | None] = mapped_column(String(120))
    referrer_phone: Mapped[str | None] = mapped_column(String(40))
    referrer_email: Mapped[str | None] = mapped_column(String(200))
    referrer_relationship: Mapped[str | None] = mapped_column(String(120))
    referrer_first_hand: Mapped[bool] = mapped_column(Boolean, default=True)
    referrer_anonymity_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    narrative: Mapped[str] = mapped_column(Text)
    whereabouts: Mapped[str | None] = mapped_column(String(400))
    immediate_danger: Mapped[bool] = mapped_column(Boolean, default=False)
    # asked of every contact logged since migration 0017 (older contacts: None, "not recorded")
    parents_aware: Mapped[ParentsAware | None] = mapped_column(CodeEnum(ParentsAware))
    parents_not_aware_reason: Mapped[str | None] = mapped_column(Text)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    status: Mapped[ContactStatus] = mapped_column(CodeEnum(ContactStatus))
    rag: Mapped[Rag | None] = mapped_column(CodeEnum(Rag))
    # what the queues sort by: the RAG deadline once rated, the screening deadline before
    rag_due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decision_due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    open_case_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    re_referral: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # kept on the contact so that "closed by" needs no read of the audit trail, which staff may not read
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # The change feed's order, assigned by the database on every insert and update, never by a
    # workstation's clock: PostgreSQL's transaction id (read against a snapshot, so a commit that
    # lands late is still seen), SQLite's next number (its writers take turns, so numbers are in
    # commit order). See services/changes.py.
    change_stamp: Mapped[int | None] = mapped_column(BigInteger, info={SERVER_ASSIGNED: True})
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ContactConcern(Base):
    __tablename__ = "contact_concern"
    __table_args__ = (Index("ix_contact_concern_concern", "concern"),)

    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), primary_key=True)
    concern: Mapped[Concern] = mapped_column(CodeEnum(Concern), primary_key=True)


class ContactChild(Base):
    """A child named in a contact; the threshold decision and the outcome are per child."""

    __tablename__ = "contact_child"
    __table_args__ = (UniqueConstraint("contact_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # the authorised result, copied here when a manager approves (the history is in threshold_decision)
    level_of_need: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[Outcome | None] = mapped_column(CodeEnum(Outcome))
    primary_need: Mapped[str | None] = mapped_column(String(2))


class ContactAdult(Base):
    __tablename__ = "contact_adult"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    relationship_to_children: Mapped[RelationshipKind] = mapped_column(CodeEnum(RelationshipKind))
    parental_responsibility: Mapped[bool] = mapped_column(Boolean, default=False)
    alleged_perpetrator: Mapped[bool] = mapped_column(Boolean, default=False)
    in_contact_with_child: Mapped[bool | None] = mapped_column(Boolean)
    # this adult made the contact: never the family letter's addressee unless they may be named to the family
    is_referrer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))


class ConsentDecision(Base):
    """Whether information may be shared, and why: recorded whether or not it is shared."""

    __tablename__ = "consent_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    status: Mapped[ConsentStatus] = mapped_column(CodeEnum(ConsentStatus))
    given_by_name: Mapped[str | None] = mapped_column(String(120))
    given_by_relationship: Mapped[str | None] = mapped_column(String(120))
    given_by_has_pr: Mapped[bool | None] = mapped_column(Boolean)
    obtained_on: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str | None] = mapped_column(String(60))
    # agency codes the consent covers, comma-separated; empty means every MASH partner
    scope: Mapped[str] = mapped_column(String(400), default="")
    parent_aware: Mapped[bool] = mapped_column(Boolean)
    parent_not_aware_reason: Mapped[str | None] = mapped_column(Text)
    child_views: Mapped[str | None] = mapped_column(Text)
    override: Mapped[bool] = mapped_column(Boolean, default=False)
    override_basis: Mapped[OverrideBasis | None] = mapped_column(CodeEnum(OverrideBasis))
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_authorised_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("consent_decision.id"))


class RagRating(Base):
    __tablename__ = "rag_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    rag: Mapped[Rag] = mapped_column(CodeEnum(Rag))
    reason: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    rated_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AgencyRequest(Base):
    """A check asked of one partner agency, and what it returned."""

    __tablename__ = "agency_request"
    __table_args__ = (Index("ix_agency_request_agency_status_due", "agency_id", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    question: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[AgencyRequestStatus] = mapped_column(CodeEnum(AgencyRequestStatus))
    returned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # not loaded with the row: on PostgreSQL only mash_desk_return_summary() may read it
    summary: Mapped[str | None] = mapped_column(Text, deferred=True)
    nothing_known: Mapped[bool] = mapped_column(Boolean, default=False)
    confidentiality: Mapped[Confidentiality] = mapped_column(
        CodeEnum(Confidentiality), default=Confidentiality.SHAREABLE
    )
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ThresholdDecision(Base):
    """A proposed level of need and outcome for one child; replaced, never edited."""

    __tablename__ = "threshold_decision"
    __table_args__ = (
        Index("ix_threshold_decision_child_status", "contact_child_id", "status"),
        # one current proposal per child, whatever two workstations do at the same moment
        Index(
            "uq_threshold_decision_one_proposed",
            "contact_child_id",
            unique=True,
            sqlite_where=text("status = 'proposed'"),
            postgresql_where=text("status = 'proposed'"),
        ),
        CheckConstraint("level_of_need BETWEEN 1 AND 4", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_child_id: Mapped[int] = mapped_column(ForeignKey("contact_child.id"))
    level_of_need: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[Outcome] = mapped_column(CodeEnum(Outcome))
    primary_need: Mapped[str] = mapped_column(String(2))
    rationale: Mapped[str] = mapped_column(Text)
    status: Mapped[DecisionStatus] = mapped_column(CodeEnum(DecisionStatus))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("threshold_decision.id"))


class Authorisation(Base):
    """A manager's approval of, or return of, the decisions on a contact."""

    __tablename__ = "authorisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    approved: Mapped[bool] = mapped_column(Boolean)
    comments: Mapped[str | None] = mapped_column(Text)


class HandOff(Base):
    """A case passed to a receiving team; not done until that team accepts it."""

    __tablename__ = "hand_off"
    __table_args__ = (
        Index("ix_hand_off_team_status", "team_id", "status"),
        Index("ix_hand_off_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    note: Mapped[str | None] = mapped_column(Text)
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[HandOffStatus] = mapped_column(CodeEnum(HandOffStatus))
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    rejection_reason: Mapped[str | None] = mapped_column(Text)


class HandOffChase(Base):
    """The MASH chased a receiving team about a hand-off it has not accepted: who, when, and how.

    Kept (never changed) so the chronology shows that a case between teams was not left to drift,
    and the receiving team sees it beside the hand-off. Only while the hand-off is still pending,
    and never by the receiving team itself (the migration's trigger refuses both on PostgreSQL)."""

    __tablename__ = "hand_off_chase"
    __table_args__ = (CheckConstraint("length(trim(note)) > 0", name="chase_says_how"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hand_off_id: Mapped[int] = mapped_column(ForeignKey("hand_off.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    chased_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    chased_at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(Text)


class CaseNote(Base):
    """Case notes and management oversight; a correction is a new note pointing at the old one."""

    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[NoteKind] = mapped_column(CodeEnum(NoteKind))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    written_at: Mapped[datetime] = mapped_column(UtcDateTime)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("case_note.id"))


class DashAssessment(Base):
    """DASH risk checklist for an adult victim of domestic abuse (answers kept for MARAC reuse)."""

    __tablename__ = "dash_assessment"
    __table_args__ = (
        # the database refuses what the services refuse: a judgement says why, and the level follows the score
        CheckConstraint("NOT professional_judgement OR judgement_reason IS NOT NULL", name="dash_judgement_has_reason"),
        CheckConstraint(
            "level = CASE WHEN yes_count >= 14 OR professional_judgement THEN 'high' "
            "WHEN yes_count >= 10 THEN 'medium' ELSE 'standard' END AND marac_referral = (level = 'high')",
            name="dash_level_follows_score",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    victim_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # one character per question: Y yes, N no, - not answered
    answers: Mapped[str] = mapped_column(String(24))
    yes_count: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(10))
    professional_judgement: Mapped[bool] = mapped_column(Boolean, default=False)
    judgement_reason: Mapped[str | None] = mapped_column(Text)
    marac_referral: Mapped[bool] = mapped_column(Boolean)
    assessed_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    assessed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class MaracReferral(Base):
    """A MARAC referral made from a high-risk DASH: the PDF as sent to the MARAC coordinator, its
    digest, who made it and when. One per DASH (made again, the stored one is reopened). Making it
    changes nothing about the contact: the children's own route carries on."""

    __tablename__ = "marac_referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    dash_id: Mapped[int] = mapped_column(ForeignKey("dash_assessment.id"), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    made_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    made_at: Mapped[datetime] = mapped_column(UtcDateTime)
    children: Mapped[str] = mapped_column(Text)  # the children it lists, as sent: one name a line
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))


class GcpAssessment(Base):
    """Graded Care Profile 2 grades (1 best to 5 worst); the licensed form text is not stored.

    One row is one assessment of one child. The next row for the same child (by ``assessed_at``) is
    its review: a row is overdue for review when ``review_on`` has passed and no later row exists.
    ``carer_participation`` is how far the carer took part (``domain.risk.CarerParticipation``;
    empty on rows recorded before it was asked).
    """

    __tablename__ = "gcp_assessment"
    __table_args__ = (
        CheckConstraint(
            "physical_care BETWEEN 1 AND 5 AND safety BETWEEN 1 AND 5 AND love_and_belonging BETWEEN 1 AND 5 "
            "AND esteem BETWEEN 1 AND 5",
            name="gcp_grades_1_to_5",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    physical_care: Mapped[int] = mapped_column(Integer)
    safety: Mapped[int] = mapped_column(Integer)
    love_and_belonging: Mapped[int] = mapped_column(Integer)
    esteem: Mapped[int] = mapped_column(Integer)
    carer_consent: Mapped[bool] = mapped_column(Boolean)
    targets: Mapped[str | None] = mapped_column(Text)
    review_on: Mapped[date | None] = mapped_column(Date)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    assessed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    carer_participation: Mapped[CarerParticipation | None] = mapped_column(CodeEnum(CarerParticipation))


class Letter(Base):
    """An outcome letter issued (or deliberately suppressed) for a contact."""

    __tablename__ = "letter"
    __table_args__ = (Index("ix_letter_issued_at", "issued_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    recipient: Mapped[LetterRecipient] = mapped_column(CodeEnum(LetterRecipient))
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    method: Mapped[LetterMethod] = mapped_column(CodeEnum(LetterMethod))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    suppressed: Mapped[bool] = mapped_column(Boolean, default=False)
    suppression_reason: Mapped[str | None] = mapped_column(Text)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str | None] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(20))


class TimescalePolicyRow(Base):
    """The administrator's timescale table: rating or step → duration → clock."""

    __tablename__ = "timescale_policy"

    key: Mapped[TimescaleKey] = mapped_column(CodeEnum(TimescaleKey), primary_key=True)
    amount: Mapped[int] = mapped_column(Integer)
    clock: Mapped[ClockKind] = mapped_column(CodeEnum(ClockKind))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class FamilyLetterHold(Base):
    """The administrator's hold policy: which outcomes and concerns hold a family letter for a social worker."""

    __tablename__ = "family_letter_hold"

    trigger: Mapped[HoldTrigger] = mapped_column(CodeEnum(HoldTrigger), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    holds: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PatternThresholdRow(Base):
    """The administrator's pattern thresholds (how many contacts, over how many months)."""

    __tablename__ = "pattern_policy"

    key: Mapped[ThresholdKey] = mapped_column(CodeEnum(ThresholdKey), primary_key=True)
    amount: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class FamilyConversation(Base):
    """A conversation with the family about a contact, and who interpreted it."""

    __tablename__ = "family_conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    spoke_with: Mapped[str] = mapped_column(String(120))
    language: Mapped[str | None] = mapped_column(String(60))
    interpreter: Mapped[Interpreter] = mapped_column(CodeEnum(Interpreter))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PatternResponse(Base):
    """What a manager decided about a pattern on a contact (a Graded Care Profile 2, a strategy discussion...)."""

    __tablename__ = "pattern_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    pattern: Mapped[PatternKind] = mapped_column(CodeEnum(PatternKind))
    decision: Mapped[PatternDecision] = mapped_column(CodeEnum(PatternDecision))
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Setting(Base):
    """Shared configuration (letterhead, open-case window...): one place for every workstation."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class RecordRestriction(Base):
    """A manager's restriction of one contact or one person: others must break the glass to read it."""

    __tablename__ = "record_restriction"
    __table_args__ = (CheckConstraint("(contact_id IS NULL) <> (person_id IS NULL)", name="one_record"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    restricted_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    restricted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    lift_reason: Mapped[str | None] = mapped_column(Text)


class GlassBreak(Base):
    """Someone opened a restricted record they are not cleared for, saying why; managers review these."""

    __tablename__ = "glass_break"

    id: Mapped[int] = mapped_column(primary_key=True)
    restriction_id: Mapped[int] = mapped_column(ForeignKey("record_restriction.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    broken_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StatusTransition(Base):
    """A move between contact states and a job allowed to make it: ``domain.lifecycle`` as rows.

    Written by the migrations from the state machine; PostgreSQL's own check reads it.
    """

    __tablename__ = "mash_desk_transition"

    from_status: Mapped[ContactStatus] = mapped_column(CodeEnum(ContactStatus), primary_key=True)
    to_status: Mapped[ContactStatus] = mapped_column(CodeEnum(ContactStatus), primary_key=True)
    job: Mapped[Role] = mapped_column(CodeEnum(Role), primary_key=True)


class AuditEvent(Base):
    """Who did or opened what, and when. Insert-only."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_entity", "entity", "entity_id"),
        Index("ix_audit_event_at", "at"),
        Index("ix_audit_event_contact", "contact_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    actor_login: Mapped[str] = mapped_column(String(63))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    contact_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)


class Supervision(Base):
    """A practitioner's case supervision with a manager (issue 14): when, and with whom.

    The cases discussed are ``supervision_case`` rows; each also wrote a management oversight note
    on its contact, so the supervision shows in the child's chronology. Only a manager records one.
    """

    __tablename__ = "supervision"
    __table_args__ = (
        CheckConstraint("practitioner_id <> supervisor_id", name="not_self"),
        Index("ix_supervision_practitioner_held", "practitioner_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    held_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SupervisionCase(Base):
    """One case discussed in a supervision: the reflection, the actions agreed, and the oversight note."""

    __tablename__ = "supervision_case"
    __table_args__ = (UniqueConstraint("supervision_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supervision_id: Mapped[int] = mapped_column(ForeignKey("supervision.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("case_note.id"), unique=True)
    reflection: Mapped[str] = mapped_column(Text)
    actions: Mapped[str] = mapped_column(Text)
