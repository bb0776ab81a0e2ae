"""Builders shared by the tests: a controllable clock, a hub full of people, and contact drafts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import TypedDict

from sqlalchemy import func, select, text

from mash_desk.domain.enums import (
    Channel,
    Concern,
    ConsentStatus,
    ContactStatus,
    Gender,
    HousingTenure,
    Outcome,
    OverrideBasis,
    ParentsAware,
    Rag,
    ReferrerKind,
    RelationshipKind,
    Role,
    TeamKind,
)
from mash_desk.domain.periods import london_date
from mash_desk.domain.risk import CarerParticipation
from mash_desk.services import admin, decisions, handoffs, intake, screening
from mash_desk.services.context import ServiceContext
from mash_desk.services.drafts import AdultDraft, ChildDraft, ContactDraft, HouseholdDraft, ReferrerDraft
from mash_desk.services.screening import ConsentDraft
from mash_desk.store import migrate
from mash_desk.store.database import Database
from mash_desk.store.models import AuditEvent, Base, Contact, Person, StatusTransition

# a Tuesday in term time, no bank holiday near, GMT
DEFAULT_NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


class FrozenClock:
    """Time stands still until a test moves it."""

    def __init__(self, now: datetime = DEFAULT_NOW) -> None:
        self.current = now

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


# rows the migrations write, part of the schema rather than of a hub's work
MIGRATION_DATA = frozenset({StatusTransition.__tablename__})


def reset_postgres(db: Database) -> None:
    """Empty every table of the session's PostgreSQL database and lay the defaults down again."""
    # DELETE, children first, is ~15x faster than TRUNCATE on tables this small; the sequences are
    # restarted so each test sees the same ids a fresh database would give
    with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in MIGRATION_DATA:
                conn.execute(table.delete())
        for table in Base.metadata.sorted_tables:
            if "id" in table.c and table.c.id.primary_key:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), 1, false)"))
        # a test may have stamped another schema version; every test starts at head
        conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": migrate.head_revision()})
    admin.install_defaults(db)


@dataclass
class World:
    db: Database
    clock: FrozenClock
    logins: dict[str, str] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)

    def as_(self, who: str) -> ServiceContext:
        return ServiceContext(self.db, self.logins[who], clock=self.clock)

    @property
    def admin(self) -> ServiceContext:
        return self.as_("admin")

    @property
    def sam(self) -> ServiceContext:
        """A MASH practitioner."""
        return self.as_("sam")

    @property
    def priya(self) -> ServiceContext:
        """Another MASH practitioner."""
        return self.as_("priya")

    @property
    def maria(self) -> ServiceContext:
        """A MASH team manager."""
        return self.as_("maria")

    @property
    def mark(self) -> ServiceContext:
        """Another MASH team manager."""
        return self.as_("mark")

    @property
    def police(self) -> ServiceContext:
        return self.as_("pc_jones")

    @property
    def health(self) -> ServiceContext:
        return self.as_("hv_okafor")

    @property
    def bea(self) -> ServiceContext:
        """Business support."""
        return self.as_("bea")

    @property
    def auditor(self) -> ServiceContext:
        return self.as_("aud")

    @property
    def ava(self) -> ServiceContext:
        """A social worker in the assessment team (receives hand-offs)."""
        return self.as_("ava")


USERS: tuple[tuple[str, str, Role, str, str | None], ...] = (
    ("sam", "Sam Carter", Role.PRACTITIONER, "SOCIAL_CARE", "MASH Team"),
    ("priya", "Priya Shah", Role.PRACTITIONER, "SOCIAL_CARE", "MASH Team"),
    ("maria", "Maria Lopez", Role.MANAGER, "SOCIAL_CARE", "MASH Team"),
    ("mark", "Mark Evans", Role.MANAGER, "SOCIAL_CARE", "MASH Team"),
    ("pc_jones", "PC Dan Jones", Role.AGENCY, "POLICE", None),
    ("hv_okafor", "Grace Okafor", Role.AGENCY, "HEALTH", None),
    ("bea", "Bea Hughes", Role.BUSINESS_SUPPORT, "SOCIAL_CARE", "MASH Team"),
    ("aud", "Alex Auditor", Role.AUDITOR, "SOCIAL_CARE", None),
    ("ava", "Ava Green", Role.PRACTITIONER, "SOCIAL_CARE", "Assessment Team"),
)

TEAMS: tuple[tuple[str, TeamKind, str], ...] = (
    ("MASH Team", TeamKind.MASH, "SOCIAL_CARE"),
    ("Assessment Team", TeamKind.ASSESSMENT, "SOCIAL_CARE"),
    ("Early Help Team", TeamKind.EARLY_HELP, "EARLY_HELP"),
)


def build_world(db: Database, clock: FrozenClock, *, tag: str | None = None) -> World:
    """An administrator, three teams and one user of every kind; PostgreSQL logins carry ``tag``."""
    world = World(db=db, clock=clock)

    def login(name: str) -> str:
        return f"{name}_{tag}" if tag else name

    world.logins["admin"] = login("admin")
    admin.add_user(
        db, None, username=login("admin"), display_name="Ada Admin", role=Role.ADMIN, agency_code="SOCIAL_CARE"
    )
    for name, kind, agency in TEAMS:
        world.teams[name] = admin.add_team(world.admin, name, kind, agency)
    for name, display, role, agency, team in USERS:
        world.logins[name] = login(name)
        admin.add_user(
            db,
            login("admin"),
            username=login(name),
            display_name=display,
            role=role,
            agency_code=agency,
            team_name=team,
        )
    return world


def child(
    given: str = "Amira", family: str = "Hussain", dob: date | None = date(2019, 5, 4), **extra: object
) -> ChildDraft:
    draft = ChildDraft(given_names=given, family_name=family, date_of_birth=dob, gender=Gender.FEMALE)
    for key, value in extra.items():
        setattr(draft, key, value)
    return draft


def contact_draft(clock: FrozenClock, *children: ChildDraft, **extra: object) -> ContactDraft:
    """A complete, valid contact: a school's concern about neglect, received an hour ago."""
    draft = ContactDraft(
        parents_aware=ParentsAware.YES,
        received_at=clock() - timedelta(hours=1),
        channel=Channel.PHONE,
        referral_source="2A",
        referrer=ReferrerDraft(
            kind=ReferrerKind.PROFESSIONAL,
            name="Jo Bell",
            role="Designated safeguarding lead",
            agency="Hillside Primary School",
            phone="01582 123456",
            email="jo.bell@hillside.sch.uk",
        ),
        children=list(children) or [child()],
        adults=[
            AdultDraft(
                given_names="Layla",
                family_name="Hussain",
                relationship=RelationshipKind.MOTHER,
                parental_responsibility=True,
            )
        ],
        household=HouseholdDraft(
            address_line1="12 Park Street",
            town="Luton",
            postcode="LU1 3AB",
            tenure=HousingTenure.TEMPORARY,
            temporary_accommodation=True,
            overcrowded=True,
        ),
        concerns={Concern.NEGLECT, Concern.HOUSING},
        narrative="Child arrives hungry most days, in the same clothes, and has missed 9 days this half term.",
        whereabouts="At school today",
    )
    for key, value in extra.items():
        setattr(draft, key, value)
    return draft


def consent_given(clock: FrozenClock) -> ConsentDraft:
    return ConsentDraft(
        status=ConsentStatus.GIVEN,
        given_by_name="Layla Hussain",
        given_by_relationship="mother",
        given_by_has_pr=True,
        obtained_on=clock().date(),
        method="by phone",
        all_agencies=True,
        parent_aware=True,
    )


def consent_override(clock: FrozenClock, manager_login: str) -> ConsentDraft:
    del clock
    return ConsentDraft(
        status=ConsentStatus.NOT_SOUGHT,
        parent_aware=False,
        parent_not_aware_reason="Telling the mother's partner could put the children at risk.",
        override=True,
        override_basis=OverrideBasis.PUBLIC_TASK_SAFEGUARDING,
        override_reason="Seeking consent would put the child at risk of significant harm.",
        override_authorised_by=manager_login,
    )


# --- service-test helpers: database snapshots, audit trails, contacts driven to any state ---------


Rows = list[tuple[object, ...]]


def snapshot(db: Database) -> dict[str, Rows]:
    """Every row of every table, ordered by primary key: two equal snapshots mean nothing was written."""
    tables: dict[str, Rows] = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns))
            tables[table.name] = [tuple(row) for row in rows]
    return tables


def snapshot_diff(before: dict[str, Rows], after: dict[str, Rows]) -> dict[str, dict[str, Rows]]:
    """Per changed table, the rows only in ``before`` (gone or changed) and only in ``after`` (new or changed)."""
    diff: dict[str, dict[str, Rows]] = {}
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name, []), after.get(name, [])
        if old != new:
            diff[name] = {"before": [r for r in old if r not in new], "after": [r for r in new if r not in old]}
    return diff


def assert_same(before: dict[str, Rows], after: dict[str, Rows], what: str = "a refused action") -> None:
    diff = snapshot_diff(before, after)
    assert not diff, f"{what} changed the database: {diff}"


@contextmanager
def unchanged(db: Database, what: str = "a refused action") -> Iterator[None]:
    """Assert the block leaves every table (audit included) exactly as it was.

    Put it outside ``pytest.raises`` so the comparison runs after the expected error is caught.
    """
    before = snapshot(db)
    yield
    assert_same(before, snapshot(db), what)


@dataclass(frozen=True)
class AuditLine:
    login: str
    action: str
    contact_id: int | None


def audit_lines(db: Database, *, contact_id: int | None = None, after_id: int = 0) -> list[AuditLine]:
    """The services' audit rows in the order written (optionally for one contact, or after a known row id).

    On PostgreSQL the database adds its own ``row.insert`` / ``row.update`` rows for every change to
    a case table; those are tested on their own (tests/security), not mixed in here.
    """
    query = (
        select(AuditEvent).where(AuditEvent.id > after_id, AuditEvent.action.not_like("row.%")).order_by(AuditEvent.id)
    )
    if contact_id is not None:
        query = query.where(AuditEvent.contact_id == contact_id)
    with db.session() as session:
        return [AuditLine(e.actor_login, e.action, e.contact_id) for e in session.scalars(query)]


class AuditWatch:
    """Hands back the audit rows written since it last looked: ``watch.new()`` after each step."""

    def __init__(self, db: Database) -> None:
        self.db = db
        with db.session() as session:
            self.last_id = session.scalar(select(func.max(AuditEvent.id))) or 0

    def new(self) -> list[AuditLine]:
        with self.db.session() as session:
            query = (
                select(AuditEvent)
                .where(AuditEvent.id > self.last_id, AuditEvent.action.not_like("row.%"))
                .order_by(AuditEvent.id)
            )
            events = [(e.id, AuditLine(e.actor_login, e.action, e.contact_id)) for e in session.scalars(query)]
        if events:
            self.last_id = events[-1][0]
        return [line for _id, line in events]


def add_worker(
    world: World,
    key: str,
    display_name: str,
    role: Role,
    *,
    agency_code: str = "SOCIAL_CARE",
    team_name: str | None = None,
    gcp_licensed: bool = False,
) -> ServiceContext:
    """One more user in the world (logins carry the PostgreSQL tag like everyone else's)."""
    tag = world.logins["admin"].removeprefix("admin")
    world.logins[key] = f"{key}{tag}"
    admin.add_user(
        world.db,
        world.logins["admin"],
        username=world.logins[key],
        display_name=display_name,
        role=role,
        agency_code=agency_code,
        team_name=team_name,
        gcp_licensed=gcp_licensed,
    )
    return world.as_(key)


def give_open_case(db: Database, person_id: int, team_id: int, *, closed_on: date | None = None) -> None:
    """A child already known to a team: an open case, or (``closed_on``) one closed on that day."""
    with db.session(write=True) as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.allocated_team_id = team_id
        person.case_open = closed_on is None
        person.case_closed_on = closed_on


RATIONALE = "Chronic neglect alongside housing stress; the family needs a child and family assessment."


@dataclass(frozen=True)
class Case:
    """A contact driven through the services, and the records made on the way."""

    id: int
    child_ids: tuple[int, ...]
    request_ids: tuple[int, ...] = ()
    handoff_id: int | None = None


def case_at(world: World, status: ContactStatus, *children: ChildDraft) -> Case:
    """A contact logged by Sam and worked to ``status`` the ordinary way (AMBER, consent given, police
    checks, level 3 child and family assessment for every child, Maria authorises, Assessment Team)."""
    logged = intake.log_contact(world.sam, contact_draft(world.clock, *children))
    case = Case(logged.id, logged.child_person_ids)
    if status is ContactStatus.RECEIVED:
        return case
    screening.rate(world.sam, case.id, Rag.AMBER)
    screening.record_consent(world.sam, case.id, consent_given(world.clock))
    if status is ContactStatus.SCREENED:
        return case
    case = replace(case, request_ids=tuple(screening.request_agency_checks(world.sam, case.id, ["POLICE"])))
    if status is ContactStatus.AGENCY_CHECKS:
        return case
    screening.record_agency_return(
        world.police, case.request_ids[0], summary="Known to police: two DA call-outs.", nothing_known=False
    )
    for person_id in case.child_ids:
        decisions.propose_decision(
            world.sam, case.id, decisions.DecisionProposal(person_id, 3, Outcome.CFA_S17, "N1", RATIONALE)
        )
    decisions.submit_for_authorisation(world.sam, case.id)
    if status is ContactStatus.AWAITING_AUTHORISATION:
        return case
    if status is ContactStatus.RETURNED:
        decisions.return_decision(world.maria, case.id, "Say more about the school's evidence.")
        return case
    decisions.authorise(world.maria, case.id)
    if status is ContactStatus.AUTHORISED:
        return case
    case = replace(case, handoff_id=handoffs.hand_off(world.sam, case.id, world.teams["Assessment Team"]))
    if status is ContactStatus.AWAITING_ACCEPTANCE:
        return case
    assert case.handoff_id is not None
    handoffs.accept_hand_off(world.ava, case.handoff_id)
    if status is ContactStatus.ACCEPTED:
        return case
    handoffs.close_contact(world.sam, case.id)
    return case


OPEN_CASE_RATIONALE = "Open case: the allocated worker knows the family and should have this today."


def open_case_authorised(world: World, consent: ConsentDraft | None = None) -> Case:
    """A second contact about a child whose case is open in the Assessment Team, rated GREEN, with
    ``consent`` (given by default) recorded, and "pass to the allocated worker" authorised by Maria."""
    first = intake.log_contact(world.sam, contact_draft(world.clock))
    (child_id,) = first.child_person_ids
    give_open_case(world.db, child_id, world.teams["Assessment Team"])
    logged = intake.log_contact(world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=child_id)))
    assert logged.open_case_team_id == world.teams["Assessment Team"]
    screening.rate(world.sam, logged.id, Rag.GREEN)
    screening.record_consent(world.sam, logged.id, consent or consent_given(world.clock))
    decisions.propose_decision(
        world.sam,
        logged.id,
        decisions.DecisionProposal(child_id, 3, Outcome.PASS_TO_ALLOCATED_WORKER, "N1", OPEN_CASE_RATIONALE),
    )
    decisions.submit_for_authorisation(world.sam, logged.id)
    decisions.authorise(world.maria, logged.id)
    return Case(logged.id, logged.child_person_ids)


def contact_status(db: Database, contact_id: int) -> ContactStatus:
    with db.session() as session:
        status = session.scalar(select(Contact.status).where(Contact.id == contact_id))
        assert status is not None, f"no contact {contact_id}"
        return ContactStatus(status)


class GcpReview(TypedDict):
    carer_participation: CarerParticipation
    review_on: date


def gcp_review(world: World, *, weeks: int = 8) -> GcpReview:
    """The carer's part and a review date for a Graded Care Profile 2 recorded now in ``world``."""
    return {
        "carer_participation": CarerParticipation.FULL,
        "review_on": london_date(world.clock()) + timedelta(weeks=weeks),
    }
