"""The database before and after a load test run: the baseline, and every row written since, read back
as the owner (no row-level security) for the invariants to check."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mash_desk.domain.enums import (
    AgencyRequestStatus,
    ConsentStatus,
    ContactStatus,
    DecisionStatus,
    HandOffStatus,
    Role,
)
from mash_desk.services.changes import current_marker
from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from mash_desk.store.models import (
    Agency,
    AgencyRequest,
    AuditEvent,
    Authorisation,
    CaseNote,
    ConsentDecision,
    Contact,
    ContactChild,
    HandOff,
    Letter,
    RagRating,
    Team,
    ThresholdDecision,
    User,
)
from mash_desk.store.queries import lookup

EXAMPLES = 5
HISTORY_TABLES = (
    Contact,
    RagRating,
    ThresholdDecision,
    ConsentDecision,
    AgencyRequest,
    Authorisation,
    HandOff,
    CaseNote,
    Letter,
)
DECIDED = frozenset(
    {ContactStatus.AUTHORISED, ContactStatus.AWAITING_ACCEPTANCE, ContactStatus.ACCEPTED, ContactStatus.CLOSED}
)
PAST_SUBMISSION = DECIDED | {ContactStatus.AWAITING_AUTHORISATION}

# units that change the contact row itself, so bump its version once each (contact.log: the reference)
VERSION_BUMPS = frozenset(
    {
        "contact.log",
        "contact.rate",
        "agency_request.create",
        "decision.submit",
        "decision.authorise",
        "decision.return",
        "handoff.send",
        "handoff.open_case",
        "handoff.accept",
        "handoff.reject",
        "contact.close",
        "contact.claim",
        "contact.reassign",
    }
)


@dataclass(frozen=True)
class Baseline:
    """The database just before the workstations start."""

    max_ids: dict[str, int]
    audit_id: int
    contacts: dict[int, tuple[ContactStatus, int, int | None]]  # status, version, change stamp
    requests: dict[int, AgencyRequestStatus]
    hand_offs: dict[int, HandOffStatus]
    marker: str | int | None


@dataclass
class Check:
    """One invariant: how many times it broke, with a few examples to start from."""

    name: str
    violations: int = 0
    examples: list[str] = field(default_factory=list)
    note: str = ""

    def add(self, example: str, count: int = 1) -> None:
        self.violations += count
        if len(self.examples) < EXAMPLES:
            self.examples.append(example)


def take_baseline(db: Database) -> Baseline:
    marker = current_marker(ServiceContext(db)).position
    with db.session() as session:
        max_ids = {table.__tablename__: _max_id(session, table.id) for table in HISTORY_TABLES}
        audit_id = _max_id(session, AuditEvent.id)
        contacts = {
            row.id: (row.status, row.version, row.change_stamp)
            for row in session.execute(select(Contact.id, Contact.status, Contact.version, Contact.change_stamp))
        }
        requests = lookup(session, select(AgencyRequest.id, AgencyRequest.status))
        hand_offs = lookup(session, select(HandOff.id, HandOff.status))
    return Baseline(max_ids, audit_id, contacts, requests, hand_offs, marker)


def _max_id(session: Session, column: object) -> int:
    return int(session.scalar(select(func.coalesce(func.max(column), 0))) or 0)


# --- what is read back ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: object
    login: str
    action: str
    entity: str
    entity_id: int | None
    contact_id: int | None
    detail: str | None


@dataclass
class After:
    """The database after the run, as plain rows."""

    audit: list[AuditRow]
    users: dict[str, tuple[int, Role, int | None]]  # login → id, role, team
    login_of: dict[int, str]
    contacts: dict[int, tuple[ContactStatus, int, int | None, int | None]]  # status, version, stamp, assigned to
    links: dict[int, tuple[int, object]]  # contact_child id → contact id, outcome
    decisions: list[tuple[int, int, DecisionStatus, int, object]]  # id, link, status, proposer, outcome
    authorisations: list[tuple[int, int, int, bool]]  # id, contact, manager, approved
    ratings: list[tuple[int, int]]  # id, contact
    consents: dict[int, tuple[int, ConsentStatus, bool, str]]  # id → contact, status, override, scope
    requests: dict[int, tuple[int, str, AgencyRequestStatus, int | None]]  # id → contact, agency, status, by
    hand_offs: dict[int, tuple[int, int, HandOffStatus, int | None]]  # id → contact, team, status, answered by
    team_agency: dict[int, str]
    notes: list[tuple[int, int | None]]
    letters: list[tuple[int, int]]


def read_after(db: Database, baseline: Baseline) -> After:
    with db.session() as session:
        audit = [
            AuditRow(r.id, r.at, r.actor_login, r.action, r.entity, r.entity_id, r.contact_id, r.detail)
            for r in session.execute(
                select(
                    AuditEvent.id,
                    AuditEvent.at,
                    AuditEvent.actor_login,
                    AuditEvent.action,
                    AuditEvent.entity,
                    AuditEvent.entity_id,
                    AuditEvent.contact_id,
                    AuditEvent.detail,
                )
                .where(AuditEvent.id > baseline.audit_id)
                .order_by(AuditEvent.id)
            )
        ]
        users = {
            name: (uid, role, team)
            for name, uid, role, team in session.execute(select(User.username, User.id, User.role, User.team_id))
        }
        agencies = lookup(session, select(Agency.id, Agency.code))
        return After(
            audit=audit,
            users=users,
            login_of={uid: name for name, (uid, _r, _t) in users.items()},
            contacts={
                r.id: (r.status, r.version, r.change_stamp, r.assigned_to_id)
                for r in session.execute(
                    select(Contact.id, Contact.status, Contact.version, Contact.change_stamp, Contact.assigned_to_id)
                )
            },
            links={
                r.id: (r.contact_id, r.outcome)
                for r in session.execute(select(ContactChild.id, ContactChild.contact_id, ContactChild.outcome))
            },
            decisions=[
                (r.id, r.contact_child_id, r.status, r.proposed_by_id, r.outcome)
                for r in session.execute(
                    select(
                        ThresholdDecision.id,
                        ThresholdDecision.contact_child_id,
                        ThresholdDecision.status,
                        ThresholdDecision.proposed_by_id,
                        ThresholdDecision.outcome,
                    ).order_by(ThresholdDecision.id)
                )
            ],
            authorisations=[
                (r.id, r.contact_id, r.manager_id, r.approved)
                for r in session.execute(
                    select(
                        Authorisation.id, Authorisation.contact_id, Authorisation.manager_id, Authorisation.approved
                    ).where(Authorisation.id > baseline.max_ids["authorisation"])
                )
            ],
            ratings=[
                (row[0], row[1])
                for row in session.execute(
                    select(RagRating.id, RagRating.contact_id).where(RagRating.id > baseline.max_ids["rag_rating"])
                )
            ],
            consents={
                r.id: (r.contact_id, r.status, r.override, r.scope)
                for r in session.execute(
                    select(
                        ConsentDecision.id,
                        ConsentDecision.contact_id,
                        ConsentDecision.status,
                        ConsentDecision.override,
                        ConsentDecision.scope,
                    )
                )
            },
            requests={
                r.id: (r.contact_id, agencies[r.agency_id], r.status, r.returned_by_id)
                for r in session.execute(
                    select(
                        AgencyRequest.id,
                        AgencyRequest.contact_id,
                        AgencyRequest.agency_id,
                        AgencyRequest.status,
                        AgencyRequest.returned_by_id,
                    )
                )
            },
            hand_offs={
                r.id: (r.contact_id, r.team_id, r.status, r.responded_by_id)
                for r in session.execute(
                    select(HandOff.id, HandOff.contact_id, HandOff.team_id, HandOff.status, HandOff.responded_by_id)
                )
            },
            team_agency={
                team_id: agencies[agency_id] for team_id, agency_id in session.execute(select(Team.id, Team.agency_id))
            },
            notes=[
                (row[0], row[1])
                for row in session.execute(
                    select(CaseNote.id, CaseNote.contact_id).where(CaseNote.id > baseline.max_ids["case_note"])
                )
            ],
            letters=[
                (row[0], row[1])
                for row in session.execute(
                    select(Letter.id, Letter.contact_id).where(Letter.id > baseline.max_ids["letter"])
                )
            ],
        )
