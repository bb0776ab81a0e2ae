"""Synthetic demo data: a MASH's last ten years, invented from a seed, never real people.

``generate_demo`` fills an empty database with teams, the well-known demo logins (``admin``, ``sam``,
``priya``, ``maria``, ``mark``, ``pc_jones``, ``hv_okafor``, ``bea``, ``aud``, ``ava`` and a few
colleagues) and as many contacts as asked, each carried through the same life the services give a
contact: logged, screened and RAG-rated, consent recorded, agencies asked, decisions proposed,
authorised or returned, handed off and accepted or rejected, closed. Most contacts are closed; a
small open share fills every queue and every ``ContactStatus``, with overdue work, returned
decisions, rejected and unaccepted hand-offs, outstanding agency checks and open cases.

The people are invented from name lists of a diverse English town (White British, South Asian,
Eastern European, Black African and Caribbean, Arabic), and the same child comes back under
spelling variants (Mohammed/Muhammad/Mohamed, Aisha/Ayesha, hyphenated surnames) as aliases and
as the occasional duplicate record that search must find. NHS numbers are in the 999 test range
(never issued to a patient), phone numbers in Ofcom's drama ranges, e-mail domains ``example``.

Why not through the services: 250,000 contacts through the ORM would take hours. The rows are
planned in memory as the services would write them (same references, search keys and deadlines;
each contact's steps walked through ``domain.lifecycle``, see ``route``), in the columns the models
declare (``loading.COLUMNS``), and bulk-loaded with explicit ids: ``executemany`` on SQLite (from a second writer
process for large demos, so planning and writing use both cores), ``COPY`` on PostgreSQL (from a
background thread, so the server works while the next chunk is planned), with secondary indexes
and constraints dropped for the load and rebuilt (on PostgreSQL the foreign keys re-validated) in
the same transaction, so a failure leaves no half-loaded database. Users and teams do go through
``services.admin`` so PostgreSQL login roles exist (that needs a superuser connection, or one that
may act as ``admin``: the demo logins are cluster-wide roles, reused if they exist).

The plan is split by job: ``arrivals`` (when contacts come and where each should end up), ``town``
(families and people over the years), ``casting``, ``judgement``, ``route``, ``steps`` and
``assessments`` (one contact's life, put together in ``life``), on the books kept in ``ledger``;
``planner`` drives them and ``loading`` writes the rows.

Determinism: the same ``seed`` and ``now`` give identical rows. ``now`` defaults to the current
time truncated to the hour (UTC), so two runs within the same hour also agree. Every row is
written as first recorded (``version`` 1), and audit volume stays modest: one ``demo.generate``
row per contact and one for the run.
"""

import json
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func, select, text
from sqlalchemy.exc import DBAPIError

from mash_desk.domain.enums import ContactStatus, Role
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.patterns import PatternKind
from mash_desk.services import admin, restrictions
from mash_desk.services.context import ServiceContext
from mash_desk.services.policy import load_policy
from mash_desk.store.database import Database
from mash_desk.store.models import Agency, Contact, Team, User
from mash_desk.store.queries import lookup
from mash_desk.tools.demo.audits import make_audit_example
from mash_desk.tools.demo.exercises import make_exercise_examples
from mash_desk.tools.demo.ledger import Ledger
from mash_desk.tools.demo.loading import COLUMNS, ID_TABLES, _Loader, _loading
from mash_desk.tools.demo.patterns import EXAMPLE_CONTACTS, PatternExample, make_pattern_examples
from mash_desk.tools.demo.planner import Planner
from mash_desk.tools.demo.supervision import add_supervision
from mash_desk.tools.demo.vocabulary import (
    CHUNK_CONTACTS,
    DEMO_LOGINS,
    STAFF,
    STORY_MINIMUM,
    TEAMS,
    Progress,
    StaffMember,
)

PATTERN_EXAMPLE_WORDS = {
    PatternKind.CUMULATIVE_NEGLECT: "the third neglect contact in a year (a manager decides: GCP2 or strategy)",
    PatternKind.REPEATED_DOMESTIC_ABUSE: "a second domestic abuse notification, and no DASH done",
    PatternKind.MOVING_HOUSEHOLD: "a third address in a year, now in temporary accommodation",
    PatternKind.FAMILY_INTERPRETER: "the child interpreted for his mother",
}

# --- what the run produced ---------------------------------------------------------------------


__all__ = ["COLUMNS", "DEMO_LOGINS", "DemoSummary", "demo_now", "generate_demo", "model_columns"]


@dataclass(frozen=True)
class DemoSummary:
    """What a demo run added (or that it added nothing), for the CLI and the GUI's first-run page."""

    added: bool
    contacts: int
    open_contacts: int = 0
    overdue_open: int = 0
    referrals: int = 0
    re_referrals: int = 0
    children: int = 0
    adults: int = 0
    households: int = 0
    agency_requests: int = 0
    pending_hand_offs: int = 0
    dash_assessments: int = 0
    gcp_assessments: int = 0
    rows: int = 0
    logins: tuple[str, ...] = ()
    seed: int = 0
    now: datetime | None = None
    seconds: float = 0.0
    existing_contacts: int = 0
    restricted_reference: str | None = None
    pattern_examples: tuple[PatternExample, ...] = ()

    def describe(self) -> str:
        """A few lines a person can read: what is there and how to sign in."""
        if not self.added:
            return (
                f"The database already has {self.existing_contacts:,} contacts; no demo data was added. "
                "Use an empty database for a fresh demo."
            )
        when = f"{self.now:%Y-%m-%d %H:%M} UTC" if self.now else "now"
        lines = [
            f"Added {self.contacts:,} synthetic contacts (seed {self.seed}, as of {when}) "
            f"and {self.rows:,} rows in all, in {self.seconds:.1f} s.",
            f"  {self.open_contacts:,} open ({self.overdue_open:,} past their RAG deadline), "
            f"{self.referrals:,} referrals, {self.re_referrals:,} about a child already named in the 12 months before.",
            f"  {self.children:,} children and {self.adults:,} adults in {self.households:,} household records; "
            f"{self.agency_requests:,} agency checks, {self.pending_hand_offs:,} hand-offs awaiting acceptance, "
            f"{self.dash_assessments:,} DASH and {self.gcp_assessments:,} Graded Care Profile assessments.",
            "  Sign in as: " + ", ".join(self.logins) + ".",
        ]
        if self.contacts >= STORY_MINIMUM:
            lines.append(
                "  Try: search for 'Mohamed Khan' (one child, three spellings), or open the RECEIVED contact "
                "about Zuzanna Nowak (an open case: propose passing it to the allocated worker; once a manager "
                "authorises, pass it to the Child Protection Team)."
            )
            lines.append(
                "  Children logged twice under two spellings wait for a manager: as Maria, Manager, Duplicate records "
                "(Ctrl+9) compares each pair side by side and merges them (and can undo it)."
            )
        for example in self.pattern_examples:
            lines.append(
                f"  {example.reference} ({example.child}, unassigned) shows a pattern nobody should miss: "
                f"{PATTERN_EXAMPLE_WORDS[example.kind]}."
            )
        if self.restricted_reference:
            lines.append(
                f"  {self.restricted_reference} (Sam's case) is restricted by Maria Lopez, a member of staff's family: "
                "open it as Priya to break the glass; Maria sees who did under Manager, Restricted records."
            )
        return "\n".join(lines)


RESTRICTABLE = (
    ContactStatus.SCREENED,
    ContactStatus.AGENCY_CHECKS,
    ContactStatus.RETURNED,
    ContactStatus.AWAITING_AUTHORISATION,
)


def _restrict_one(db: Database, first_new_id: int, now: datetime) -> str | None:
    """One restricted record, as a manager would make it, so that people can try the glass."""
    with db.session() as session:
        staff = lookup(session, select(User.username, User.id).where(User.username.in_(("maria", "sam"))))
        if len(staff) < 2:
            return None  # a hub whose own staff were kept: no demo manager and worker to use
        # Sam's own case: he works on as before, anyone else must break the glass (a screened one if
        # the plan gave him one, else his next open piece of MASH work)
        found = session.execute(
            select(Contact.id, Contact.reference)
            .where(
                Contact.id > first_new_id,
                Contact.status.in_(RESTRICTABLE),
                Contact.assigned_to_id == staff["sam"],
            )
            .order_by(case((Contact.status == ContactStatus.SCREENED, 0), else_=1), Contact.id)
            .limit(1)
        ).first()
    if found is None:
        return None
    restrictions.restrict_record(
        ServiceContext(db, "maria", clock=lambda: now),
        contact_id=found.id,
        reason="The children's mother works in our children's services: a member of staff's family.",
    )
    return str(found.reference)


# --- the hub's staff -------------------------------------------------------------------------------


def _ensure_staff(db: Database, report: Progress) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Teams and demo logins through ``services.admin`` (so PostgreSQL login roles exist); existing ones are kept."""
    with db.session() as session:
        existing = lookup(session, select(User.username, User.role))
        team_names = set(session.scalars(select(Team.name)))
    acting: str | None = "admin" if existing.get("admin") is Role.ADMIN else None
    if acting is None:
        acting = next((name for name, role in sorted(existing.items()) if role is Role.ADMIN), None)
    total = len(TEAMS) + len(STAFF)
    done = 0
    first = STAFF[0]
    if first.username not in existing:
        admin.add_user(
            db,
            acting,
            username=first.username,
            display_name=first.display_name,
            role=first.role,
            agency_code=first.agency,
            job_title=first.job_title,
        )
        acting = first.username
    if acting is None:
        raise InvalidInput.single("users", "The database has users but no administrator to add the demo staff.")
    for name, kind, agency in TEAMS:
        if name not in team_names:
            admin.add_team(
                ServiceContext(db, acting), name, kind, agency, phone="01632 960100", email="mash@example.gov.uk"
            )
        done += 1
        report("adding teams and staff", done, total)
    for member in STAFF[1:]:
        if member.username not in existing:
            _add_member(db, acting, member)
        done += 1
        report("adding teams and staff", done, total)
    with db.session() as session:
        users = lookup(session, select(User.username, User.id))
        teams = lookup(session, select(Team.name, Team.id))
        agencies = lookup(session, select(Agency.code, Agency.id))
    return users, teams, agencies


def _add_member(db: Database, acting: str, member: StaffMember) -> None:
    """Add one demo login; on PostgreSQL retry once if another database's demo created the same
    cluster-wide role at the same moment (add_user then finds the role and only grants it)."""
    for attempt in range(2):
        try:
            admin.add_user(
                db,
                acting,
                username=member.username,
                display_name=member.display_name,
                role=member.role,
                agency_code=member.agency,
                team_name=member.team,
                job_title=member.job_title,
                phone="01632 960200",
                email=f"{member.username.replace('_', '.')}@example.gov.uk",
                gcp_licensed=member.gcp_licensed,
            )
        except DBAPIError:
            if not db.is_postgresql or attempt:
                raise
        else:
            return


# --- the entry point -------------------------------------------------------------------------------


def demo_now(now: datetime | None = None) -> datetime:
    """The moment the demo is built around: ``now`` as given (in UTC), else this hour, to the hour."""
    if now is None:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("the demo's now must be timezone-aware")
    return now.astimezone(UTC)


def _silent(_stage: str, _done: int, _total: int) -> None:
    """No progress output."""


def generate_demo(
    db: Database,
    *,
    contacts: int,
    seed: int,
    skip_if_present: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> DemoSummary:
    """Set the database up and fill it with ``contacts`` synthetic contacts; see the module docstring.

    Refuses (``InvalidInput`` on ``contacts``) a database that already has contacts, unless
    ``skip_if_present``, when it returns a summary saying nothing was added.
    """
    if contacts < 1:
        raise InvalidInput.single("contacts", "Ask for at least one contact.")
    report = progress or _silent
    started = time.perf_counter()
    moment = demo_now(now)
    report("preparing the database", 0, 1)
    admin.prepare_database(db)
    report("preparing the database", 1, 1)
    with db.session() as session:
        existing = session.scalar(select(func.count(Contact.id))) or 0
    if existing:
        if skip_if_present:
            return DemoSummary(added=False, contacts=0, existing_contacts=existing, seed=seed, now=moment)
        raise InvalidInput.single(
            "contacts",
            f"This database already has {existing:,} contacts. Demo data only goes into an empty database "
            "(or use --skip-if-present to leave it as it is).",
        )
    users, teams, agencies = _ensure_staff(db, report)
    with db.session() as session:
        policy = load_policy(session)
        base_ids = {
            table: int(session.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar_one())  # noqa: S608
            for table in ID_TABLES
        }
    planner = Planner(
        rng=random.Random(seed),
        now=moment,
        backend=db.dialect,
        policy=policy,
        users=users,
        teams=teams,
        agencies=agencies,
        base_ids=base_ids,
    )
    ledger = planner.ledger
    # a demo big enough for the stories ends with the four pattern families, written through the services
    with_examples = contacts >= STORY_MINIMUM + EXAMPLE_CONTACTS
    slots = planner.plan_slots(contacts - EXAMPLE_CONTACTS if with_examples else contacts)
    with _loading(db, contacts) as loader:
        for index, slot in enumerate(slots, start=1):
            planner.contact(slot, base_ids["contact"] + index)
            if index % CHUNK_CONTACTS == 0 or index == len(slots):
                _flush(ledger, loader)
                report("adding contacts", index, len(slots))
        people = planner.town.people
        for start in range(0, len(people), CHUNK_CONTACTS * 4):
            loader.write("person", [planner.person_row(p) for p in people[start : start + CHUNK_CONTACTS * 4]])
            report("adding people", min(start + CHUNK_CONTACTS * 4, len(people)), len(people))
        detail = json.dumps({"contacts": contacts, "now": moment.isoformat(), "seed": seed}, sort_keys=True)
        loader.write(
            "audit_event",
            [
                (
                    ledger.next_id("audit_event"),
                    ledger.ts(moment),
                    users["admin"],
                    "admin",
                    "demo.generate",
                    "database",
                    None,
                    None,
                    detail,
                )
            ],
        )
        loader.finish(report)
    counts = ledger.counts
    restricted = _restrict_one(db, base_ids["contact"], moment)
    examples = make_pattern_examples(db, moment) if with_examples else ()
    if with_examples:
        make_exercise_examples(db, moment)
        make_audit_example(db, moment)
    add_supervision(db, moment, seed)
    last_planned = base_ids["contact"] + len(slots)
    with db.session() as session:
        added_open, added_overdue = session.execute(
            select(
                func.count(Contact.id),
                func.coalesce(func.sum(case((Contact.rag_due_at < moment, 1), else_=0)), 0),
            ).where(Contact.id > last_planned, Contact.status != ContactStatus.CLOSED)
        ).one()
        added = session.scalar(select(func.count(Contact.id)).where(Contact.id > last_planned)) or 0
    return DemoSummary(
        added=True,
        restricted_reference=restricted,
        pattern_examples=examples,
        contacts=len(slots) + added,
        open_contacts=counts["open"] + int(added_open),
        overdue_open=counts["overdue"] + int(added_overdue),
        referrals=counts["referrals"],
        re_referrals=counts["re_referrals"],
        children=counts["children"],
        adults=counts["adults"],
        households=ledger.ids["household"] - base_ids["household"],
        agency_requests=ledger.ids["agency_request"] - base_ids["agency_request"],
        pending_hand_offs=counts["pending_hand_offs"],
        dash_assessments=counts["dash"],
        gcp_assessments=counts["gcp"],
        rows=loader.rows,
        logins=DEMO_LOGINS,
        seed=seed,
        now=moment,
        seconds=time.perf_counter() - started,
    )


def _flush(ledger: Ledger, loader: _Loader) -> None:
    """Send the rows planned so far (people wait: their allocations change until the last contact)."""
    for table, rows in ledger.rows.items():
        if table != "person" and rows:
            loader.write(table, rows)
            ledger.rows[table] = []


def model_columns() -> dict[str, set[str]]:
    """The columns the demo writes in each table (the models' own, less what the database assigns)."""
    return {table: set(columns) for table, columns in COLUMNS.items()}
