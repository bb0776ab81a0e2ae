"""The demo generator: every feature a user would look for is there, the rows follow the services'
rules, the same seed gives the same rows, and the demo logins and services work on the result."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from mash_desk.domain import validation
from mash_desk.domain.cin import needs_hand_off, validate_upn_unknown
from mash_desk.domain.enums import (
    AgencyRequestStatus,
    Confidentiality,
    ConsentStatus,
    ContactStatus,
    DecisionStatus,
    HandOffStatus,
    NoteKind,
    Outcome,
    PersonKind,
    Rag,
    Role,
    TimescaleKey,
)
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.names import name_keys, normalise_name
from mash_desk.domain.risk import score_dash
from mash_desk.domain.thresholds import check_decision
from mash_desk.domain.timescales import DEFAULT_POLICY, WorkingCalendar, due_at, rag_key
from mash_desk.domain.urgency import urgency_key
from mash_desk.services import decisions, handoffs, queues, reports, screening
from mash_desk.services.contact_view import open_contact, open_person
from mash_desk.services.context import ServiceContext
from mash_desk.services.intake import contact_reference
from mash_desk.services.search import PersonQuery, find_people
from mash_desk.store.database import Database
from mash_desk.store.models import (
    AgencyRequest,
    Authorisation,
    CaseNote,
    ConsentDecision,
    Contact,
    ContactChild,
    DashAssessment,
    GcpAssessment,
    HandOff,
    Household,
    Person,
    PersonAlias,
    PersonNameKey,
    SupervisionCase,
    ThresholdDecision,
    User,
)
from mash_desk.store.queries import lookup
from mash_desk.tools.demo import DEMO_LOGINS, DemoSummary, generate_demo, model_columns
from mash_desk.tools.demo.patterns import EXAMPLE_CONTACTS
from tests.support import reset_postgres

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
CONTACTS = 300
SEED = 7


@pytest.fixture
def demo(db: Database) -> DemoSummary:
    return generate_demo(db, contacts=CONTACTS, seed=SEED, now=NOW)


@pytest.fixture
def fresh(db: Database, backend: str, tmp_path: Path) -> Iterator[Callable[[], Database]]:
    """Fresh databases on the backend under test (SQLite: new files; PostgreSQL: the test database emptied)."""
    made: list[Database] = []

    def make() -> Database:
        if backend == "sqlite":
            database = Database(f"sqlite:///{tmp_path / f'fresh-{len(made)}.sqlite3'}")
        else:
            reset_postgres(db)
            database = db
        made.append(database)
        return database

    yield make
    for database in made:
        if database is not db:
            database.dispose()


def _count(db: Database, stmt: object) -> int:
    with db.session() as session:
        return int(session.scalar(stmt) or 0)  # type: ignore[call-overload]


# --- what a user would look for is there -----------------------------------------------------------


def test_every_status_and_feature_is_in_a_small_demo(db: Database, demo: DemoSummary) -> None:
    assert demo.added
    assert demo.contacts == CONTACTS
    with db.session() as session:
        statuses = Counter(session.scalars(select(Contact.status)))
        assert set(statuses) == set(ContactStatus)
        assert statuses[ContactStatus.CLOSED] > CONTACTS / 2, "most contacts are closed"
        children_per_contact = Counter(session.scalars(select(ContactChild.contact_id)))
        assert max(children_per_contact.values()) >= 2, "a contact about several children"
        assert session.scalar(select(func.count()).where(Contact.re_referral.is_(True)))
        assert session.scalar(select(func.count()).where(Person.interpreter_needed.is_(True)))
        assert session.scalar(select(func.count(DashAssessment.id)))
        assert session.scalar(select(func.count(GcpAssessment.id)))
        overdue = session.scalar(
            select(func.count()).where(Contact.status != ContactStatus.CLOSED, Contact.rag_due_at < NOW)
        )
        assert overdue
        returned = session.execute(select(Authorisation).where(Authorisation.approved.is_(False))).scalars().all()
        assert returned
        assert all(a.comments for a in returned)
        rejected = session.scalars(select(HandOff).where(HandOff.status == HandOffStatus.REJECTED)).all()
        assert rejected
        assert all(h.rejection_reason and h.responded_by_id for h in rejected)
        pending = session.scalars(select(HandOff).where(HandOff.status == HandOffStatus.PENDING)).all()
        assert pending
        assert any(h.due_at < NOW for h in pending), "an unaccepted hand-off gone overdue"
        requests = Counter(
            tuple(row) for row in session.execute(select(AgencyRequest.status, AgencyRequest.confidentiality))
        )
        assert requests[(AgencyRequestStatus.OUTSTANDING, Confidentiality.SHAREABLE)]
        for marking in Confidentiality:
            assert requests[(AgencyRequestStatus.RETURNED, marking)], marking
        consents = {tuple(row) for row in session.execute(select(ConsentDecision.status, ConsentDecision.override))}
        assert (ConsentStatus.GIVEN, False) in consents
        assert (ConsentStatus.REFUSED, True) in consents
        notes = set(session.scalars(select(CaseNote.kind)))
        assert {NoteKind.CASE_NOTE, NoteKind.MANAGEMENT_OVERSIGHT} <= notes
        assert session.scalar(
            select(func.count()).where(Person.case_open.is_(True), Person.allocated_team_id.is_not(None))
        ), "an open case"
        assert session.scalar(
            select(func.count()).where(Contact.status == ContactStatus.RECEIVED, Contact.open_case_team_id.is_not(None))
        ), "a new contact for a child with an open case: the open-case route"
        households = session.execute(
            select(Household.temporary_accommodation, Household.overcrowded, Household.homeless)
        ).all()
        assert any(h.temporary_accommodation for h in households)
        assert any(h.overcrowded for h in households)
        assert any(h.homeless for h in households)
        assert session.scalar(select(func.count(PersonAlias.id))), "a child known under another spelling"
        assert session.scalar(select(func.count(SupervisionCase.id))), "practitioners' case supervision"
    assert demo.open_contacts == sum(n for s, n in statuses.items() if s is not ContactStatus.CLOSED)


def test_the_same_child_is_found_whatever_the_spelling(db: Database, demo: DemoSummary) -> None:
    sam = ServiceContext(db, "sam", clock=lambda: NOW)
    for given in ("Mohamed", "Muhammad", "Mohammed"):
        found = find_people(sam, PersonQuery(given_names=given, family_name="Khan"))
        assert any(m.given_names == "Muhammad" and m.family_name == "Khan" for m in found), given
    with db.session() as session:
        person_id = session.scalar(
            select(Person.id).where(Person.given_names == "Muhammad", Person.family_name == "Khan")
        )
        aliases = set(session.scalars(select(PersonAlias.given_names).where(PersonAlias.person_id == person_id)))
    assert person_id is not None
    assert {"Mohammed", "Mohamed"} <= aliases
    detail = open_person(sam, person_id)
    assert len(detail.contacts) >= 3
    del demo


# --- the rows follow the services' rules -------------------------------------------------------------


def test_rows_are_what_the_services_would_write(db: Database, demo: DemoSummary) -> None:
    calendar = WorkingCalendar()
    policy = DEFAULT_POLICY
    with db.session() as session:
        # the planned contacts (the pattern families at the end are written by the services themselves)
        contacts = session.scalars(select(Contact).where(Contact.id <= CONTACTS - EXAMPLE_CONTACTS)).all()
        children: dict[int, list[ContactChild]] = defaultdict(list)
        for link in session.scalars(select(ContactChild)):
            children[link.contact_id].append(link)
        proposals: dict[int, list[ThresholdDecision]] = defaultdict(list)
        for decision, contact_id in session.execute(
            select(ThresholdDecision, ContactChild.contact_id).join(
                ContactChild, ContactChild.id == ThresholdDecision.contact_child_id
            )
        ):
            proposals[contact_id].append(decision)
            check_decision(decision.level_of_need, decision.outcome, decision.primary_need, decision.rationale)
        requests: dict[int, list[AgencyRequest]] = defaultdict(list)
        for request in session.scalars(select(AgencyRequest)):
            requests[request.contact_id].append(request)
        hand_offs: dict[int, list[HandOff]] = defaultdict(list)
        for hand_off in session.scalars(select(HandOff).order_by(HandOff.id)):
            hand_offs[hand_off.contact_id].append(hand_off)
        consents: dict[int, ConsentDecision] = {}
        for consent in session.scalars(select(ConsentDecision).order_by(ConsentDecision.id)):
            consents[consent.contact_id] = consent
        authorisations: dict[int, list[Authorisation]] = defaultdict(list)
        for authorisation in session.scalars(select(Authorisation).order_by(Authorisation.id)):
            authorisations[authorisation.contact_id].append(authorisation)
        agency_codes = {row[0]: row[1] for row in session.execute(text("SELECT id, code FROM agency"))}
        users = {user.id: user for user in session.scalars(select(User))}
        team_agency = {
            row[0]: row[1]
            for row in session.execute(text("SELECT t.id, a.code FROM team t JOIN agency a ON a.id = t.agency_id"))
        }
        for contact in contacts:
            assert contact.reference == contact_reference(contact.id)
            assert contact.version == 1
            assert contact.received_at <= contact.recorded_at <= NOW
            assert contact.updated_at <= NOW
            assert contact.decision_due_at == due_at(contact.received_at, policy.rule(TimescaleKey.DECISION), calendar)
            if contact.rag is not None:
                assert contact.rag_due_at == due_at(contact.received_at, policy.rule(rag_key(contact.rag)), calendar)
            links = children[contact.id]
            assert links, contact.reference
            status = contact.status
            live = [d for d in proposals[contact.id] if d.status is not DecisionStatus.SUPERSEDED]
            if status in (ContactStatus.RECEIVED, ContactStatus.SCREENED):
                assert not requests[contact.id]
            if status is ContactStatus.RECEIVED:
                assert contact.rag is None
                assert not proposals[contact.id]
            if status is ContactStatus.AGENCY_CHECKS:
                assert any(r.status is AgencyRequestStatus.OUTSTANDING for r in requests[contact.id])
            if status is ContactStatus.AWAITING_AUTHORISATION:
                assert {d.contact_child_id for d in live if d.status is DecisionStatus.PROPOSED} == {
                    link.id for link in links
                }
                assert not any(r.status is AgencyRequestStatus.OUTSTANDING for r in requests[contact.id])
                assert contact.id in consents
            if status is ContactStatus.RETURNED:
                assert authorisations[contact.id][-1].approved is False
            if status in (ContactStatus.AUTHORISED, ContactStatus.AWAITING_ACCEPTANCE, ContactStatus.ACCEPTED):
                assert contact.decided_at is not None
                assert all(link.outcome is not None for link in links)
            if status is ContactStatus.AWAITING_ACCEPTANCE:
                assert hand_offs[contact.id][-1].status is HandOffStatus.PENDING
            if status is ContactStatus.ACCEPTED:
                assert hand_offs[contact.id][-1].status is HandOffStatus.ACCEPTED
            if status is ContactStatus.CLOSED:
                assert contact.closed_at is not None
                assert contact.closed_at <= NOW
                outcomes = [link.outcome for link in links]
                assert all(o is not None for o in outcomes)
                if any(o is not None and needs_hand_off(o) for o in outcomes):
                    assert hand_offs[contact.id][-1].status is HandOffStatus.ACCEPTED
            else:
                assert contact.closed_at is None
            # four eyes: nobody authorises a decision they proposed
            proposers = {d.proposed_by_id for d in proposals[contact.id]}
            assert not proposers & {a.manager_id for a in authorisations[contact.id]}
            # ... and every route past a decision went through a manager of the contact's own team
            if hand_offs[contact.id] or status in (ContactStatus.AUTHORISED, ContactStatus.AWAITING_ACCEPTANCE):
                latest = authorisations[contact.id][-1]
                assert latest.approved, contact.reference
                assert (users[latest.manager_id].role, users[latest.manager_id].team_id) == (
                    Role.MANAGER,
                    contact.team_id,
                )
            for hand_off in hand_offs[contact.id]:
                if hand_off.responded_by_id is not None:
                    responder = users[hand_off.responded_by_id]
                    assert responder.team_id == hand_off.team_id
                    assert responder.role in (Role.PRACTITIONER, Role.MANAGER, Role.AGENCY)
            # nothing is shared without consent given or an override (within the consent's scope)
            shared = [agency_codes[r.agency_id] for r in requests[contact.id]]
            shared += [team_agency[h.team_id] for h in hand_offs[contact.id]]
            if shared:
                consent = consents[contact.id]
                assert consent.status is ConsentStatus.GIVEN or consent.override
                scope = {code for code in consent.scope.split(",") if code}
                assert not scope or set(shared) <= scope
            if contact.open_case_team_id is not None and hand_offs[contact.id]:
                first = hand_offs[contact.id][0]
                if all(link.outcome is Outcome.PASS_TO_ALLOCATED_WORKER for link in links):
                    assert first.team_id == contact.open_case_team_id
        for hand_off_list in hand_offs.values():
            for hand_off in hand_off_list:
                assert hand_off.due_at == due_at(
                    hand_off.sent_at, policy.rule(TimescaleKey.HANDOFF_ACCEPTANCE), calendar
                )
        for dash in session.scalars(select(DashAssessment)):
            answers = [True if a == "Y" else (None if a == "-" else False) for a in dash.answers]
            result = score_dash(
                answers,
                professional_judgement_high=dash.professional_judgement,
                judgement_reason=dash.judgement_reason,
            )
            assert (dash.yes_count, dash.level, dash.marac_referral) == (
                result.yes_count,
                result.level.value,
                result.marac_referral,
            )


def test_people_have_valid_identifiers_and_search_keys(db: Database, demo: DemoSummary) -> None:
    with db.session() as session:
        keys: dict[int, set[str]] = defaultdict(set)
        for person_id, key in session.execute(select(PersonNameKey.person_id, PersonNameKey.key)):
            keys[person_id].add(key)
        people = session.scalars(select(Person)).all()
        known_as: dict[int, set[str]] = defaultdict(set)
        for person_id, alias_given, alias_family in session.execute(
            select(PersonAlias.person_id, PersonAlias.given_names, PersonAlias.family_name)
        ):
            known_as[person_id] |= name_keys(alias_given, alias_family)
        assert known_as, "the demo records known-as names, and search finds people by them"
        assert {p.upn[1:4] for p in people if p.upn} == {"821", "822", "823", "919"}
        upns = [p.upn for p in people if p.upn]
        assert len(upns) == len(set(upns)), "one UPN, one child (the census's rule 1520)"
        assert any(p.upn_unknown for p in people), "some children of school age have a reason for no UPN"
        nhs_numbers = [p.nhs_number for p in people if p.nhs_number]
        assert nhs_numbers
        assert len(nhs_numbers) == len(set(nhs_numbers)), "one NHS number, one child"
        for person in people:
            assert keys[person.id] == set(name_keys(person.given_names, person.family_name)) | known_as[person.id]
            assert person.given_names_norm == normalise_name(person.given_names)
            assert person.family_name_norm == normalise_name(person.family_name)
            if person.nhs_number:
                assert person.nhs_number.startswith("999"), "the NHS test range: never a real patient"
                assert validation.normalise_nhs_number(person.nhs_number) == person.nhs_number
            if person.upn:
                assert validation.normalise_upn(person.upn) == person.upn  # check letter and LA code
                assert person.upn[1:4] in {"821", "822", "823", "919"}, "Luton's schools or its neighbours'"
                assert person.upn_unknown is None
            elif person.upn_unknown is not None:
                assert validate_upn_unknown(person.upn_unknown, None) == person.upn_unknown
            if person.kind is PersonKind.CHILD and person.date_of_birth is not None:
                assert person.date_of_birth <= NOW.date()
            if person.expected_date_of_birth is not None:
                assert person.expected_date_of_birth > NOW.date()
            assert person.created_at <= NOW
        for postcode in session.scalars(select(Household.postcode).where(Household.postcode.is_not(None))):
            assert postcode is not None
            assert validation.normalise_postcode(postcode) == postcode
            assert postcode.startswith("LU")
        for phone, email in session.execute(select(Contact.referrer_phone, Contact.referrer_email)):
            if phone:
                assert validation.normalise_phone(phone) == phone
                assert phone.startswith(("01632960", "07700900")), "Ofcom's drama ranges"
            if email:
                assert validation.normalise_email(email) == email
                assert ".example." in email
    del demo


def test_foreign_keys_hold_and_timestamps_are_stored_as_sqlalchemy_would(
    db: Database, demo: DemoSummary, backend: str
) -> None:
    with db.session() as session:
        total = session.scalar(select(func.count(Contact.id)))
        assert session.scalar(select(func.count()).where(Contact.received_at <= NOW)) == total
        if backend == "sqlite":
            assert not session.execute(text("PRAGMA foreign_key_check")).all()
            stored = session.execute(text("SELECT received_at, rag_due_at, closed_at FROM contact")).all()
            shape = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")
            for row in stored:
                for value in row:
                    assert value is None or shape.match(value), value
        else:
            # the load re-added (and so validated) every foreign key and unique constraint
            constraints = session.execute(
                text("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'contact'::regclass")
            ).scalar_one()
            assert constraints >= 6
    del demo


# --- determinism -------------------------------------------------------------------------------------

SNAPSHOT_TABLES = ("contact", "person", "threshold_decision")


def _snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every column the demo writes (the database's own change stamps differ run to run, by design)."""
    columns = model_columns()
    with db.session() as session:
        return {
            table: [
                tuple(row)
                for row in session.execute(text(f"SELECT {', '.join(sorted(columns[table]))} FROM {table} ORDER BY id"))
            ]
            for table in SNAPSHOT_TABLES
        }


def test_the_same_seed_gives_the_same_rows(fresh: Callable[[], Database]) -> None:
    first = fresh()
    generate_demo(first, contacts=120, seed=11, now=NOW)
    one = _snapshot(first)
    second = fresh()
    generate_demo(second, contacts=120, seed=11, now=NOW)
    assert _snapshot(second) == one
    third = fresh()
    generate_demo(third, contacts=120, seed=12, now=NOW)
    other = _snapshot(third)
    assert other["contact"] != one["contact"]
    assert other["person"] != one["person"]


# --- the demo is usable ------------------------------------------------------------------------------


def test_demo_logins_work(db: Database, demo: DemoSummary) -> None:
    for login in ("admin", "sam", "priya", "maria", "mark", "pc_jones", "hv_okafor", "bea", "aud", "ava"):
        assert login in DEMO_LOGINS
        actor = ServiceContext(db, login).whoami()
        assert actor.username == login
    assert ServiceContext(db, "admin").whoami().role is Role.ADMIN
    with db.session() as session:
        assert set(session.scalars(select(User.username))) >= set(DEMO_LOGINS)
    assert "sam" in demo.describe()


def test_queues_search_and_contacts_work_on_the_demo(db: Database, demo: DemoSummary) -> None:
    clock = lambda: NOW  # noqa: E731 - a frozen clock
    sam = ServiceContext(db, "sam", clock=clock)
    maria = ServiceContext(db, "maria", clock=clock)
    mine = queues.queue_page(sam, queues.Queue.MINE)
    team = queues.queue_page(sam, queues.Queue.TEAM)
    decisions_page = queues.queue_page(maria, queues.Queue.DECISIONS)
    unassigned = queues.queue_page(sam, queues.Queue.UNASSIGNED)
    assert mine.rows
    assert team.rows
    assert decisions_page.rows
    assert unassigned.rows
    assert team.total == demo.open_contacts
    urgency = [urgency_key(r.urgency_facts(queues.Queue.TEAM), NOW, r.contact_id) for r in team.rows]
    assert urgency == sorted(urgency)  # the one urgency order: danger, overdue by RAG, then by deadline
    assert any(r.due_at < NOW for r in team.rows), "overdue work heads the queue"
    assert queues.pending_hand_offs(sam)
    assert queues.agency_requests(ServiceContext(db, "pc_jones", clock=clock))
    report = reports.open_work(sam)
    assert report.open_total == demo.open_contacts
    with db.session() as session:
        by_status = lookup(session, select(Contact.status, func.max(Contact.id)).group_by(Contact.status))
    for contact_id in by_status.values():
        detail = open_contact(sam, contact_id)
        assert detail.children
    claimed = queues.claim_next(ServiceContext(db, "priya", clock=clock))
    assert claimed is not None
    screened = open_contact(sam, by_status[ContactStatus.SCREENED])
    decision = decisions.DecisionProposal(
        screened.children[0].person.person_id, 2, Outcome.EARLY_HELP, "N5", "Family support plan meets the needs."
    )
    assert decisions.propose_decision(sam, screened.id, decision)


def test_the_open_case_contact_can_be_passed_to_the_allocated_team_once_a_manager_agrees(
    db: Database, demo: DemoSummary
) -> None:
    clock = lambda: NOW  # noqa: E731 - a frozen clock
    sam = ServiceContext(db, "sam", clock=clock)
    with db.session() as session:
        contact_id = session.scalar(
            select(Contact.id)
            .join(ContactChild, ContactChild.contact_id == Contact.id)
            .join(Person, Person.id == ContactChild.person_id)
            .where(Contact.status == ContactStatus.RECEIVED, Person.given_names == "Zuzanna")
        )
    assert contact_id is not None
    detail = open_contact(sam, contact_id)
    assert detail.open_case_team == "Child Protection Team"
    assert detail.current_consent is not None
    # four eyes on the open-case route too: Sam proposes passing it on, Maria agrees, then it goes
    screening.rate(sam, contact_id, Rag.AMBER)
    for child_view in detail.children:
        decisions.propose_decision(
            sam,
            contact_id,
            decisions.DecisionProposal(
                child_view.person.person_id,
                4,
                Outcome.PASS_TO_ALLOCATED_WORKER,
                "N1",
                "Open child protection case: the allocated worker needs this today.",
            ),
        )
    decisions.submit_for_authorisation(sam, contact_id)
    decisions.authorise(ServiceContext(db, "maria", clock=clock), contact_id)
    hand_off_id = handoffs.pass_to_allocated_team(sam, contact_id)
    handoffs.accept_hand_off(ServiceContext(db, "cp_osei", clock=clock), hand_off_id)
    assert open_contact(sam, contact_id).status is ContactStatus.ACCEPTED
    del demo


def test_a_rated_demo_contact_can_go_on_through_the_services(db: Database, demo: DemoSummary) -> None:
    clock = lambda: NOW + timedelta(minutes=5)  # noqa: E731 - a frozen clock
    sam = ServiceContext(db, "sam", clock=clock)
    with db.session() as session:
        contact_id = session.scalar(
            select(func.min(Contact.id)).where(Contact.status == ContactStatus.SCREENED, Contact.rag == Rag.GREEN)
        ) or session.scalar(select(func.min(Contact.id)).where(Contact.status == ContactStatus.SCREENED))
    assert contact_id is not None
    rated = screening.rate(sam, contact_id, Rag.RED, "Escalating concern reported by school this morning.")
    assert rated.rag is Rag.RED
    del demo


# --- refusing, skipping, tiny demos -------------------------------------------------------------------


def test_refuses_a_database_that_has_contacts(db: Database) -> None:
    generate_demo(db, contacts=12, seed=1, now=NOW)
    with pytest.raises(InvalidInput) as caught:
        generate_demo(db, contacts=12, seed=1, now=NOW)
    assert "contacts" in caught.value.field_errors
    assert _count(db, select(func.count(Contact.id))) == 12


def test_skip_if_present_adds_nothing(db: Database) -> None:
    generate_demo(db, contacts=12, seed=1, now=NOW)
    rows_before = _count(db, select(func.count(Person.id)))
    summary = generate_demo(db, contacts=50, seed=2, skip_if_present=True, now=NOW)
    assert not summary.added
    assert summary.existing_contacts == 12
    assert "no demo data was added" in summary.describe()
    assert _count(db, select(func.count(Contact.id))) == 12
    assert _count(db, select(func.count(Person.id))) == rows_before


def test_progress_is_reported_and_bad_sizes_refused(db: Database) -> None:
    seen: list[tuple[str, int, int]] = []
    generate_demo(
        db, contacts=3, seed=5, now=NOW, progress=lambda stage, done, total: seen.append((stage, done, total))
    )
    stages = [stage for stage, _, _ in seen]
    assert "adding contacts" in stages
    assert ("adding contacts", 3, 3) in seen
    with pytest.raises(InvalidInput):
        generate_demo(db, contacts=0, seed=5, now=NOW)


def _fail_after(monkeypatch: pytest.MonkeyPatch, contacts: int) -> Callable[[], None]:
    """Make the builder fail after ``contacts`` contacts; returns a function that puts it right."""
    from mash_desk.tools import demo as demo_module
    from mash_desk.tools.demo.planner import Planner

    real_contact = Planner.contact

    def failing(self: Planner, slot: object, cid: int) -> None:
        if cid > contacts:
            raise RuntimeError("the lights went out")
        real_contact(self, slot, cid)  # type: ignore[arg-type]

    monkeypatch.setattr(demo_module, "CHUNK_CONTACTS", 10)  # some chunks are written before the failure
    monkeypatch.setattr(Planner, "contact", failing)
    return lambda: monkeypatch.setattr(Planner, "contact", real_contact)


def _index_names(db: Database) -> set[str]:
    with db.session() as session:
        if db.is_postgresql:
            return set(session.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'contact'")))
        return set(session.scalars(text("SELECT name FROM sqlite_master WHERE tbl_name = 'contact'")))


def test_a_failed_load_leaves_nothing_half_done(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    put_right = _fail_after(monkeypatch, 30)
    with pytest.raises(RuntimeError):
        generate_demo(db, contacts=60, seed=1, now=NOW)
    assert _count(db, select(func.count(Contact.id))) == 0
    assert _count(db, select(func.count(Person.id))) == 0
    assert "ix_contact_status_due" in _index_names(db), "the indexes dropped for the load are back"
    put_right()
    assert generate_demo(db, contacts=20, seed=1, now=NOW).added, "and the database can still take a demo"
    assert _count(db, select(func.count(Contact.id))) == 20


def test_the_sqlite_writer_process_loads_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large SQLite demos are written by a second process; it rolls back with the planner, and commits whole."""
    from mash_desk.tools.demo import loading as demo_loading

    monkeypatch.setattr(demo_loading, "WRITER_PROCESS_FROM", 0)
    db = Database(f"sqlite:///{tmp_path / 'writer.sqlite3'}")
    try:
        put_right = _fail_after(monkeypatch, 30)
        with pytest.raises(RuntimeError):
            generate_demo(db, contacts=60, seed=1, now=NOW)
        assert _count(db, select(func.count(Contact.id))) == 0
        assert "ix_contact_status_due" in _index_names(db)
        put_right()
        summary = generate_demo(db, contacts=60, seed=1, now=NOW)
        assert summary.rows > 60
        assert _count(db, select(func.count(Contact.id))) == 60
        assert "ix_contact_status_due" in _index_names(db)
        with db.session() as session:
            assert not session.execute(text("PRAGMA foreign_key_check")).all()
    finally:
        db.dispose()


def test_the_demo_makes_an_example_of_each_pattern(db: Database, demo: DemoSummary) -> None:
    from mash_desk.domain.patterns import PatternKind
    from mash_desk.services.patterns import contact_patterns

    sam = ServiceContext(db, "sam", clock=lambda: NOW)
    assert [e.kind for e in demo.pattern_examples] == list(PatternKind)
    for example in demo.pattern_examples:
        with db.session() as session:
            contact_id = session.scalar(select(Contact.id).where(Contact.reference == example.reference))
        assert contact_id is not None
        assert example.kind in {p.kind for p in contact_patterns(sam, contact_id).patterns}
        assert example.reference in demo.describe()
    assert {row.contact_id for row in queues.queue_page(sam, queues.Queue.UNASSIGNED, limit=500).rows if row.patterns}
