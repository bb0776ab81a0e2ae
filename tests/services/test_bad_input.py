"""Bad input at every service entry: ``InvalidInput`` naming the right field(s), and nothing written.

Each table below is a list of (what is wrong, the call, the field keys the form must mark); every
case runs against the same database and every failure is reported together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mash_desk.domain import validation
from mash_desk.domain.cin import REFERRAL_SOURCES
from mash_desk.domain.enums import ConsentStatus, ContactStatus, OverrideBasis, ParentsAware, ReferrerKind, Role
from mash_desk.domain.errors import InvalidInput
from mash_desk.services import decisions, handoffs, intake, notes, queues, screening, search
from mash_desk.services.decisions import DecisionProposal
from mash_desk.services.drafts import AdultDraft, ChildDraft, ContactDraft, blank_to_none
from mash_desk.services.screening import ConsentDraft
from mash_desk.store.models import Contact, Household, Person
from tests.support import (
    RATIONALE,
    World,
    add_worker,
    case_at,
    child,
    contact_draft,
    snapshot,
    snapshot_diff,
    unchanged,
)

S = ContactStatus


@dataclass(frozen=True)
class Bad:
    what: str
    call: Callable[[], object]
    keys: set[str]


def check_all(world: World, cases: list[Bad]) -> None:
    """Run every case; each must raise InvalidInput with exactly ``keys`` and write nothing."""
    problems: list[str] = []
    before = snapshot(world.db)
    for case in cases:
        try:
            case.call()
        except InvalidInput as exc:
            if set(exc.field_errors) != case.keys:
                problems.append(f"{case.what}: marked {sorted(exc.field_errors)}, expected {sorted(case.keys)}")
            if not all(isinstance(m, str) and m.strip() for m in exc.field_errors.values()):
                problems.append(f"{case.what}: a field has no message: {exc.field_errors}")
        except Exception as exc:  # collected, so one run reports every wrong case
            problems.append(f"{case.what}: {type(exc).__name__}: {exc}")
        else:
            problems.append(f"{case.what}: accepted")
        diff = snapshot_diff(before, snapshot(world.db))
        if diff:
            problems.append(f"{case.what}: wrote {diff}")
            before = snapshot(world.db)
    assert not problems, "\n".join(problems)


# --- logging a contact ----------------------------------------------------------------------------

VALID_NHS = "943 476 5919"


def _draft_with(world: World, change: Callable[[ContactDraft], None], *children: ChildDraft) -> ContactDraft:
    draft = contact_draft(world.clock, *children)
    change(draft)
    return draft


def test_every_invalid_contact_field_is_marked_and_nothing_is_saved(world: World) -> None:
    now = world.clock()

    def log(change: Callable[[ContactDraft], None], *children: ChildDraft) -> Callable[[], object]:
        return lambda: intake.log_contact(world.sam, _draft_with(world, change, *children))

    def set_child(name: str, value: object) -> Callable[[ContactDraft], None]:
        return lambda d: setattr(d.children[0], name, value)

    def set_referrer(name: str, value: object) -> Callable[[ContactDraft], None]:
        return lambda d: setattr(d.referrer, name, value)

    def set_household(name: str, value: object) -> Callable[[ContactDraft], None]:
        def change(d: ContactDraft) -> None:
            assert d.household is not None
            setattr(d.household, name, value)

        return change

    def set_field(name: str, value: object) -> Callable[[ContactDraft], None]:
        return lambda d: setattr(d, name, value)

    def everything_wrong(d: ContactDraft) -> None:
        d.received_at = now + timedelta(days=1)
        d.narrative = ""
        d.referral_source = "99"
        d.children[0].nhs_number = "9434765918"
        d.referrer.name = " "

    def professional_without_agency(d: ContactDraft) -> None:
        d.referrer.agency = "  "

    def public_without_name(d: ContactDraft) -> None:
        d.referrer.kind, d.referrer.name, d.referrer.agency = ReferrerKind.MEMBER_OF_PUBLIC, None, None

    check_all(
        world,
        [
            Bad(
                "NHS number with a wrong check digit",
                log(set_child("nhs_number", "943 476 5918")),
                {"children.0.nhs_number"},
            ),
            Bad("NHS number of nine digits", log(set_child("nhs_number", "943476591")), {"children.0.nhs_number"}),
            Bad("NHS number with letters", log(set_child("nhs_number", "94347659I9")), {"children.0.nhs_number"}),
            Bad(
                "second child's NHS number",
                log(set_child("nhs_number", VALID_NHS), child(), child("Zain", nhs_number="1234567890")),
                {"children.1.nhs_number"},
            ),
            Bad("UPN with a wrong check letter", log(set_child("upn", "A801200005001")), {"children.0.upn"}),
            Bad("postcode with O for 0", log(set_household("postcode", "LU1 3OB")), {"household.postcode"}),
            Bad("postcode that is not one", log(set_household("postcode", "12345")), {"household.postcode"}),
            Bad("received tomorrow", log(set_field("received_at", now + timedelta(days=1))), {"received_at"}),
            Bad("received in ten minutes", log(set_field("received_at", now + timedelta(minutes=10))), {"received_at"}),
            Bad("received two years ago", log(set_field("received_at", now - timedelta(days=730))), {"received_at"}),
            Bad("received time missing", log(set_field("received_at", None)), {"received_at"}),
            Bad(
                "received time without a zone", log(set_field("received_at", now.replace(tzinfo=None))), {"received_at"}
            ),
            Bad("no children", log(set_field("children", [])), {"children"}),
            Bad(
                "the same linked child twice",
                log(set_field("children", [ChildDraft(existing_person_id=1)] * 2)),
                {"children"},
            ),
            Bad("no narrative", log(set_field("narrative", "  \n ")), {"narrative"}),
            Bad("narrative too long", log(set_field("narrative", "x" * 20001)), {"narrative"}),
            # whether the parents or carers know is asked of every contact; "no" says why not
            Bad("parents' awareness not answered", log(set_field("parents_aware", None)), {"parents_aware"}),
            Bad(
                "parents not aware, no reason why",
                log(set_field("parents_aware", ParentsAware.NO)),
                {"parents_not_aware_reason"},
            ),
            Bad("no referral source", log(set_field("referral_source", "")), {"referral_source"}),
            Bad("unknown referral source", log(set_field("referral_source", "2Z")), {"referral_source"}),
            Bad("referrer name missing", log(set_referrer("name", None)), {"referrer.name"}),
            Bad("member of the public without a name", log(public_without_name), {"referrer.name"}),
            Bad("professional without an agency", log(professional_without_agency), {"referrer.agency"}),
            Bad("referrer role too long", log(set_referrer("role", "r" * 121)), {"referrer.role"}),
            Bad("referrer phone", log(set_referrer("phone", "12345")), {"referrer.phone"}),
            Bad("referrer e-mail", log(set_referrer("email", "jo.bell@")), {"referrer.email"}),
            Bad("child's given names missing", log(set_child("given_names", "")), {"children.0.given_names"}),
            Bad("child's family name too long", log(set_child("family_name", "H" * 121)), {"children.0.family_name"}),
            Bad(
                "child born tomorrow",
                log(set_child("date_of_birth", now.date() + timedelta(days=1))),
                {"children.0.date_of_birth"},
            ),
            Bad(
                "child with a birth date and an expected date",
                log(set_child("expected_date_of_birth", now.date() + timedelta(days=30))),
                {"children.0.date_of_birth", "children.0.expected_date_of_birth"},
            ),
            Bad(
                "communication needs too long",
                log(set_child("communication_needs", "c" * 401)),
                {"children.0.communication_needs"},
            ),
            Bad("ethnicity code too long", log(set_child("ethnicity_code", "WBRIX")), {"children.0.ethnicity_code"}),
            Bad(
                "adult's family name missing",
                log(lambda d: setattr(d.adults[0], "family_name", "")),
                {"adults.0.family_name"},
            ),
            Bad("whereabouts too long", log(set_field("whereabouts", "w" * 401)), {"whereabouts"}),
            Bad("town too long", log(set_household("town", "t" * 101)), {"household.town"}),
            Bad(
                "every problem at once",
                log(everything_wrong),
                {"received_at", "narrative", "referral_source", "children.0.nhs_number", "referrer.name"},
            ),
        ],
    )


def test_linking_a_record_that_is_not_a_child_saves_nothing_though_the_household_was_written_first(
    world: World,
) -> None:
    adult_id = intake.log_contact(world.sam, contact_draft(world.clock)).child_person_ids[0] + 1  # the mother
    with world.db.session() as session:
        households = session.scalar(select(func.count(Household.id)))
        assert session.get(Person, adult_id) is not None
    check_all(
        world,
        [
            Bad(
                "linked child that does not exist",
                lambda: intake.log_contact(world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=9999))),
                {"children"},
            ),
            Bad(
                "linked child that is an adult",
                lambda: intake.log_contact(
                    world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=adult_id))
                ),
                {"children"},
            ),
            Bad(
                "linked adult that is a child",
                lambda: intake.log_contact(
                    world.sam, _draft_with(world, lambda d: setattr(d, "adults", [AdultDraft(existing_person_id=1)]))
                ),
                {"adults"},
            ),
        ],
    )
    with world.db.session() as session:
        assert session.scalar(select(func.count(Household.id))) == households


def test_anonymous_referrers_need_no_name_and_are_kept_anonymous(world: World) -> None:
    draft = contact_draft(world.clock)
    draft.referrer.kind, draft.referrer.name, draft.referrer.agency = ReferrerKind.ANONYMOUS, None, None
    draft.referral_source = "9"
    logged = intake.log_contact(world.bea, draft)
    with world.db.session() as session:
        contact = session.get(Contact, logged.id)
        assert contact is not None
        assert (contact.referrer_name, contact.referrer_anonymity_requested) == (None, True)


# --- hypothesis: garbage in the identifiers -------------------------------------------------------


def _nhs_with_check_digit(nine: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else nine + str(check)


valid_nhs = st.from_regex(r"[0-9]{9}", fullmatch=True).map(_nhs_with_check_digit).filter(lambda n: n is not None)
nhs_like = st.one_of(
    st.text(max_size=14),
    st.text(alphabet="0123456789 -", max_size=14),
    valid_nhs.map(lambda n: f"{n[:3]} {n[3:6]} {n[6:]}" if n else ""),
)
postcode_like = st.one_of(
    st.text(max_size=10),
    st.from_regex(r"[A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?[0-9][A-Za-z]{2}", fullmatch=True),
    st.sampled_from(["LU1 3AB", "lu13ab", "SW1A 1AA", "GIR 0AA", "LU1 3OB", "Q1 1AA"]),
)
source_like = st.one_of(st.text(max_size=4), st.sampled_from([*REFERRAL_SOURCES, "1a", " 6 ", "11", "2Z"]))


def _expected_problems(nhs: str, postcode: str, source: str) -> set[str]:
    """What the form must mark, by the domain rules the services are built on."""
    expected = set()
    if blank_to_none(nhs) and not validation.is_valid_nhs_number(nhs):
        expected.add("children.0.nhs_number")
    if blank_to_none(postcode):
        try:
            validation.normalise_postcode(postcode)
        except InvalidInput:
            expected.add("household.postcode")
    if source.strip().upper() not in REFERRAL_SOURCES:
        expected.add("referral_source")
    return expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nhs=nhs_like, postcode=postcode_like, source=source_like)
def test_garbage_identifiers_either_save_normalised_or_are_refused_with_nothing_written(
    world: World, nhs: str, postcode: str, source: str
) -> None:
    draft = contact_draft(world.clock, child(nhs_number=nhs))
    assert draft.household is not None
    draft.household.postcode = postcode
    draft.referral_source = source
    expected = _expected_problems(nhs, postcode, source)
    before = snapshot(world.db)
    if expected:
        with pytest.raises(InvalidInput) as info:
            intake.log_contact(world.sam, draft)
        assert set(info.value.field_errors) == expected
        assert snapshot_diff(before, snapshot(world.db)) == {}
        return
    logged = intake.log_contact(world.sam, draft)
    with world.db.session() as session:
        contact = session.get(Contact, logged.id)
        person = session.get(Person, logged.child_person_ids[0])
        assert contact is not None
        assert person is not None
        household = session.get(Household, contact.household_id)
        assert household is not None
        assert contact.referral_source == source.strip().upper()
        assert person.nhs_number == (validation.normalise_nhs_number(nhs) if blank_to_none(nhs) else None)
        assert household.postcode == (validation.normalise_postcode(postcode) if blank_to_none(postcode) else None)


# --- consent --------------------------------------------------------------------------------------


def test_every_incomplete_consent_record_is_marked_and_nothing_is_saved(world: World) -> None:
    case = case_at(world, S.SCREENED)
    today = world.clock().date()

    def record(**fields: object) -> Callable[[], object]:
        return lambda: screening.record_consent(world.sam, case.id, ConsentDraft(**fields))  # type: ignore[arg-type]

    given_fully = {
        "status": ConsentStatus.GIVEN,
        "given_by_name": "Layla Hussain",
        "obtained_on": today,
        "method": "by phone",
        "all_agencies": True,
    }
    check_all(
        world,
        [
            Bad("no status", record(), {"status"}),
            Bad(
                "given, by nobody, never, somehow",
                record(status=ConsentStatus.GIVEN),
                {"given_by_name", "obtained_on", "method", "scope"},
            ),
            Bad("given tomorrow", record(**{**given_fully, "obtained_on": today + timedelta(days=1)}), {"obtained_on"}),
            Bad(
                "given, and overridden too",
                record(
                    **given_fully,
                    override=True,
                    override_basis=OverrideBasis.PUBLIC_TASK_SAFEGUARDING,
                    override_reason="Risk.",
                    override_authorised_by=world.logins["maria"],
                ),
                {"override"},
            ),
            Bad("scope naming an unknown agency", record(**given_fully, scope=["POLICE", "MI5"]), {"scope"}),
            # no agency ticked is not "every agency": every agency is chosen in so many words
            Bad("given, covering no agency", record(**{**given_fully, "all_agencies": False}), {"scope"}),
            Bad(
                "parent unaware, no reason why",
                record(status=ConsentStatus.NOT_SOUGHT, parent_aware=False),
                {"parent_not_aware_reason"},
            ),
            Bad(
                # the authoriser is the manager recording it (tests/services/test_refusals.py)
                "override with no basis or reason",
                record(status=ConsentStatus.REFUSED, override=True),
                {"override_basis", "override_reason"},
            ),
            Bad(
                "correcting a consent record on another contact",
                record(**given_fully, corrects_id=9999),
                {"corrects_id"},
            ),
        ],
    )


# --- threshold decisions --------------------------------------------------------------------------


def test_every_invalid_decision_is_marked_and_nothing_is_saved(world: World) -> None:
    case = case_at(world, S.SCREENED)
    (amira,) = case.child_ids

    def propose(level: int, outcome: str, need: str, rationale: str = RATIONALE) -> Callable[[], object]:
        return lambda: decisions.propose_decision(
            world.sam, case.id, DecisionProposal(amira, level, outcome, need, rationale)
        )

    check_all(
        world,
        [
            Bad("level 0", propose(0, "NFA", "N9"), {"level_of_need"}),
            Bad("level 5", propose(5, "STRATEGY_S47", "N1"), {"level_of_need"}),
            Bad("an outcome that does not exist", propose(3, "ADOPTION", "N1"), {"outcome"}),
            Bad("an outcome that does not fit the level", propose(1, "STRATEGY_S47", "N1"), {"outcome"}),
            Bad("NFA at level 4", propose(4, "NFA", "N1"), {"outcome"}),
            Bad("primary need N10", propose(3, "CFA_S17", "N10"), {"primary_need"}),
            Bad("primary need blank", propose(3, "CFA_S17", ""), {"primary_need"}),
            Bad("primary need in lower case", propose(3, "CFA_S17", "n1"), {"primary_need"}),
            Bad("rationale too short", propose(3, "CFA_S17", "N1", "Neglect."), {"rationale"}),
            Bad("rationale of spaces", propose(3, "CFA_S17", "N1", " " * 40), {"rationale"}),
            Bad(
                "everything wrong",
                propose(7, "MAYBE", "X", ""),
                {"level_of_need", "outcome", "primary_need", "rationale"},
            ),
        ],
    )


# --- the other entries ----------------------------------------------------------------------------


def test_every_other_service_entry_marks_bad_input_and_saves_nothing(world: World) -> None:
    agency_user = world.logins["pc_jones"]
    case = case_at(world, S.AGENCY_CHECKS)
    awaiting = case_at(world, S.AWAITING_ACCEPTANCE)
    other = case_at(world, S.RECEIVED)
    (request,) = case.request_ids
    assert awaiting.handoff_id is not None
    handoff = awaiting.handoff_id
    note_elsewhere = notes.add_note(world.sam, other.id, "A note on another contact.")
    long = "x" * 20001

    check_all(
        world,
        [
            Bad("RAG purple", lambda: screening.rate(world.sam, case.id, "purple"), {"rag"}),
            Bad("RAG reason too long", lambda: screening.rate(world.sam, case.id, "red", long), {"reason"}),
            Bad("no agencies chosen", lambda: screening.request_agency_checks(world.sam, case.id, []), {"agencies"}),
            Bad(
                "an unknown agency", lambda: screening.request_agency_checks(world.sam, case.id, ["MI5"]), {"agencies"}
            ),
            Bad(
                "question too long",
                lambda: screening.request_agency_checks(world.sam, case.id, ["HEALTH"], long),
                {"question"},
            ),
            Bad(
                "a return saying nothing",
                lambda: screening.record_agency_return(world.police, request, summary="  ", nothing_known=False),
                {"summary"},
            ),
            Bad(
                "a return too long",
                lambda: screening.record_agency_return(world.police, request, summary=long, nothing_known=False),
                {"summary"},
            ),
            Bad(
                "withdrawn without a reason",
                lambda: screening.withdraw_agency_request(world.sam, request, " "),
                {"reason"},
            ),
            Bad("returned without comments", lambda: decisions.return_decision(world.maria, case.id, ""), {"comments"}),
            Bad("rejected without a reason", lambda: handoffs.reject_hand_off(world.ava, handoff, "\t"), {"reason"}),
            Bad("reassigned to nobody", lambda: queues.reassign(world.maria, case.id, "nobody", "Leave."), {"worker"}),
            Bad(
                "reassigned to an agency partner",
                lambda: queues.reassign(world.maria, case.id, agency_user, "Leave."),
                {"worker"},
            ),
            Bad(
                "reassigned to who has it already",
                lambda: queues.reassign(world.maria, case.id, world.logins["sam"], "Leave."),
                {"worker"},
            ),
            Bad(
                "reassigned without a reason",
                lambda: queues.reassign(world.maria, case.id, world.logins["priya"], ""),
                {"reason"},
            ),
            Bad("an empty note", lambda: notes.add_note(world.sam, case.id, "   "), {"text"}),
            Bad("a note too long", lambda: notes.add_note(world.sam, case.id, long), {"text"}),
            Bad(
                "correcting a note on another contact",
                lambda: notes.add_note(world.sam, case.id, "Correction.", corrects_id=note_elsewhere),
                {"corrects_id"},
            ),
            Bad(
                "a page from a negative offset",
                lambda: queues.queue_page(world.sam, queues.Queue.MINE, offset=-1),
                {"page"},
            ),
            Bad("a page of no rows", lambda: queues.queue_page(world.sam, queues.Queue.MINE, limit=0), {"page"}),
            Bad("a page of 501 rows", lambda: queues.queue_page(world.sam, queues.Queue.TEAM, limit=501), {"page"}),
            Bad("a search for nothing", lambda: search.find_people(world.sam, search.PersonQuery()), {"search"}),
            Bad(
                "a search for one letter",
                lambda: search.find_people(world.sam, search.PersonQuery(given_names="A", family_name=" ")),
                {"search"},
            ),
            Bad(
                "a search by a bad NHS number",
                lambda: search.find_people(world.sam, search.PersonQuery(nhs_number="943 476 5918")),
                {"nhs_number"},
            ),
            Bad(
                "a search by a bad postcode",
                lambda: search.find_people(world.sam, search.PersonQuery(postcode="LU1 3OB")),
                {"postcode"},
            ),
            Bad("a blank reference", lambda: queues.find_contact_id(world.sam, "  "), {"reference"}),
        ],
    )


def test_a_new_user_with_a_bad_username_is_refused(world: World) -> None:
    with unchanged(world.db), pytest.raises(InvalidInput) as info:
        add_worker(world, "Not Valid!", "Someone", Role.PRACTITIONER)
    assert set(info.value.field_errors) == {"username"}


def test_a_time_received_in_another_zone_is_compared_and_stored_in_utc(world: World) -> None:
    half_an_hour_ago = (world.clock() - timedelta(minutes=30)).astimezone(timezone(timedelta(hours=2)))
    draft = contact_draft(world.clock)
    draft.received_at = half_an_hour_ago  # 11:30 at UTC+2 is 09:30 UTC: not in the future
    logged = intake.log_contact(world.sam, draft)
    with world.db.session() as session:
        contact = session.get(Contact, logged.id)
        assert contact is not None
        assert contact.received_at == world.clock() - timedelta(minutes=30)
        assert contact.received_at.utcoffset() == timedelta(0)
