"""Patterns read from the whole record: on the queue, on one contact, and a manager's decision about them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mash_desk.domain.enums import Concern, HousingTenure
from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.domain.patterns import Interpreter, PatternDecision, PatternKind
from mash_desk.services import intake
from mash_desk.services.drafts import HouseholdDraft
from mash_desk.services.patterns import (
    ConversationInput,
    contact_patterns,
    findings_for,
    history_for,
    kinds_for,
    pattern_counts,
    read_thresholds,
    record_conversation,
    record_response,
    set_threshold,
)
from mash_desk.services.queues import Queue, queue_page
from mash_desk.services.risk_tools import record_dash
from mash_desk.store.models import AuditEvent, Contact, FamilyConversation, PatternResponse, Person
from mash_desk.store.queries import lookup
from tests.support import World, child, contact_draft, unchanged


def _home(line1: str = "12 Park Street", postcode: str = "LU1 3AB", *, temporary: bool = False) -> HouseholdDraft:
    return HouseholdDraft(
        address_line1=line1,
        town="Luton",
        postcode=postcode,
        tenure=HousingTenure.TEMPORARY if temporary else HousingTenure.SOCIAL_RENT,
        temporary_accommodation=temporary,
    )


def _log(world: World, days_ago: float, concerns: set[Concern], person_id: int | None = None, **extra: object) -> int:
    """A contact about Amira received ``days_ago`` days before now (her existing record if ``person_id``)."""
    kid = child(existing_person_id=person_id) if person_id is not None else child()
    draft = contact_draft(world.clock, kid, concerns=concerns, **{"household": _home(), **extra})
    draft.received_at = world.clock() - timedelta(days=days_ago)
    return intake.log_contact(world.sam, draft).id


def _amira(world: World, days_ago: float, concerns: set[Concern], **extra: object) -> tuple[int, int]:
    first = intake.log_contact(
        world.sam,
        contact_draft(
            world.clock,
            child(),
            concerns=concerns,
            received_at=world.clock() - timedelta(days=days_ago),
            **{"household": _home(), **extra},
        ),
    )
    return first.id, first.child_person_ids[0]


def test_the_third_neglect_contact_about_a_child_shows_on_the_queue_with_its_causes(world: World) -> None:
    first, amira = _amira(world, 300, {Concern.NEGLECT})
    second = _log(world, 100, {Concern.NEGLECT}, amira)
    other = _log(world, 50, {Concern.PHYSICAL_ABUSE}, amira)
    assert findings_for_one(world, second) == ()
    third = _log(world, 1, {Concern.NEGLECT}, amira)
    page = queue_page(world.sam, Queue.UNASSIGNED)
    kinds = {row.contact_id: row.patterns for row in page.rows}
    assert kinds[third] == (PatternKind.CUMULATIVE_NEGLECT,)
    assert kinds[first] == kinds[second] == kinds[other] == ()
    shown = contact_patterns(world.sam, third)
    assert [p.kind for p in shown.patterns] == [PatternKind.CUMULATIVE_NEGLECT]
    assert [c.contact_id for c in shown.patterns[0].causes] == [first, second, third]
    assert not shown.may_respond  # a practitioner sees it; a manager decides
    assert contact_patterns(world.maria, third).may_respond


def findings_for_one(world: World, contact_id: int) -> tuple[PatternKind, ...]:
    with world.db.session() as session:
        return tuple(f.kind for f in findings_for(session, [contact_id]).get(contact_id, ()))


def test_exactly_twelve_months_counts_and_a_day_more_does_not(world: World) -> None:
    now = world.clock()
    oldest, amira = _amira(world, 0, {Concern.NEGLECT})
    with world.db.session(write=True) as session:
        session.get_one(Contact, oldest).received_at = now.replace(year=now.year - 1)
    _log(world, 30, {Concern.NEGLECT}, amira)
    third = _log(world, 0, {Concern.NEGLECT}, amira)
    assert findings_for_one(world, third) == (PatternKind.CUMULATIVE_NEGLECT,)
    with world.db.session(write=True) as session:
        session.get_one(Contact, oldest).received_at = now.replace(year=now.year - 1) - timedelta(days=1)
    assert findings_for_one(world, third) == ()


def test_a_family_without_patterns_shows_none(world: World) -> None:
    first, amira = _amira(world, 200, {Concern.NEGLECT})
    later = _log(world, 2, {Concern.DOMESTIC_ABUSE}, amira)
    assert findings_for_one(world, first) == ()
    assert findings_for_one(world, later) == ()
    assert contact_patterns(world.sam, later).patterns == ()


def test_repeated_domestic_abuse_says_no_dash_until_one_is_done(world: World) -> None:
    _first, amira = _amira(world, 60, {Concern.DOMESTIC_ABUSE})
    second = _log(world, 1, {Concern.DOMESTIC_ABUSE}, amira)
    shown = contact_patterns(world.sam, second).patterns
    assert [(p.kind, p.dash_done) for p in shown] == [(PatternKind.REPEATED_DOMESTIC_ABUSE, False)]
    record_dash(world.sam, second, [False] * 24)
    assert contact_patterns(world.sam, second).patterns[0].dash_done


def test_a_household_on_its_third_address_or_in_temporary_accommodation(world: World) -> None:
    _first, amira = _amira(world, 200, {Concern.PHYSICAL_ABUSE})
    second = _log(world, 100, {Concern.PHYSICAL_ABUSE}, amira, household=_home("4 Hill Rise", "LU2 9ZZ"))
    assert findings_for_one(world, second) == ()
    third = _log(world, 5, {Concern.PHYSICAL_ABUSE}, amira, household=_home("Flat 2, 7 Mill Lane", "LU4 1QQ"))
    shown = contact_patterns(world.sam, third).patterns
    assert [(p.kind, p.addresses) for p in shown] == [(PatternKind.MOVING_HOUSEHOLD, 3)]
    temporary = _log(world, 0, {Concern.PHYSICAL_ABUSE}, household=_home(temporary=True))
    assert findings_for_one(world, temporary) == (PatternKind.MOVING_HOUSEHOLD,)


def test_who_interpreted_is_recorded_checked_and_a_child_is_flagged(world: World) -> None:
    contact, _amira_id = _amira(world, 1, {Concern.PHYSICAL_ABUSE})
    today = world.clock().date()
    with unchanged(world.db, "a conversation with wrong fields"), pytest.raises(InvalidInput) as refused:
        record_conversation(
            world.sam, contact, ConversationInput(today + timedelta(days=1), " ", "the neighbour", "x" * 61)
        )
    assert set(refused.value.field_errors) == {"held_on", "spoke_with", "interpreter", "language"}
    with pytest.raises(PermissionRefused):
        record_conversation(world.police, contact, ConversationInput(today, "Mother", "professional"))
    record_conversation(world.sam, contact, ConversationInput(today, "Mother", "professional", "Sylheti"))
    assert findings_for_one(world, contact) == ()
    record_conversation(world.sam, contact, ConversationInput(today, "Mother", Interpreter.CHILD.value, "Sylheti"))
    shown = contact_patterns(world.sam, contact)
    assert [(p.kind, p.interpreters) for p in shown.patterns] == [
        (PatternKind.FAMILY_INTERPRETER, frozenset({Interpreter.CHILD}))
    ]
    assert [c.interpreter for c in shown.conversations] == [Interpreter.PROFESSIONAL, Interpreter.CHILD]
    with world.db.session() as session:
        assert session.scalar(select(func.count(FamilyConversation.id))) == 2
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.contact_id == contact)))
    assert actions.count("conversation.record") == 2


def test_a_manager_records_what_they_decided_and_nobody_else_can(world: World) -> None:
    _first, amira = _amira(world, 200, {Concern.NEGLECT})
    _log(world, 100, {Concern.NEGLECT}, amira)
    third = _log(world, 1, {Concern.NEGLECT}, amira)
    with unchanged(world.db, "a practitioner's decision"), pytest.raises(PermissionRefused):
        record_response(world.sam, third, "cumulative_neglect", "graded_care_profile", "GCP2 now")
    with unchanged(world.db, "a decision without a reason"), pytest.raises(InvalidInput) as refused:
        record_response(world.maria, third, "cumulative_neglect", "graded_care_profile", "  ")
    assert set(refused.value.field_errors) == {"reason"}
    record_response(world.maria, third, "cumulative_neglect", "both", "Fourth neglect concern: GCP2 and strategy.")
    shown = contact_patterns(world.sam, third)
    assert [(r.decision, r.decided_by) for r in shown.responses] == [(PatternDecision.BOTH, "Maria Lopez")]
    with world.db.session() as session:
        assert session.scalar(select(func.count(PatternResponse.id))) == 1
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.contact_id == third)))
    assert "pattern.respond" in actions


def test_no_decision_on_a_contact_without_the_pattern(world: World) -> None:
    contact, _amira_id = _amira(world, 1, {Concern.NEGLECT})
    with unchanged(world.db, "a decision on nothing"), pytest.raises(InvalidInput) as refused:
        record_response(world.maria, contact, "cumulative_neglect", "neither", "Nothing to see.")
    assert "pattern" in refused.value.field_errors


def test_a_partner_agency_sees_no_patterns(world: World) -> None:
    _first, amira = _amira(world, 200, {Concern.NEGLECT})
    _log(world, 100, {Concern.NEGLECT}, amira)
    third = _log(world, 1, {Concern.NEGLECT}, amira)
    assert contact_patterns(world.sam, third).patterns
    police = world.police.whoami()
    with world.db.session() as session:
        assert kinds_for(session, police, {third: world.clock()}) == {}


def test_the_threshold_is_the_administrators_and_a_bad_one_changes_nothing(world: World) -> None:
    first, amira = _amira(world, 100, {Concern.NEGLECT})
    second = _log(world, 1, {Concern.NEGLECT}, amira)
    assert findings_for_one(world, second) == ()
    with unchanged(world.db, "a threshold out of range"), pytest.raises(InvalidInput):
        set_threshold(world.admin, "neglect_contacts", 1)
    with pytest.raises(PermissionRefused):
        set_threshold(world.maria, "neglect_contacts", 2)
    set_threshold(world.admin, "neglect_contacts", 2)
    assert {row.key.value: row.amount for row in read_thresholds(world.sam)}["neglect_contacts"] == 2
    assert findings_for_one(world, second) == (PatternKind.CUMULATIVE_NEGLECT,)
    assert findings_for_one(world, first) == ()


def test_history_takes_a_set_of_records_of_one_child(world: World) -> None:
    """Two records of one child (before a merge): the caller reads both ids at once."""
    a, amira = _amira(world, 100, {Concern.NEGLECT})
    other = intake.log_contact(
        world.sam,
        contact_draft(world.clock, child("Amirah", "Husain"), concerns={Concern.NEGLECT}, household=_home()),
    )
    duplicate = other.child_person_ids[0]
    with world.db.session() as session:
        history = history_for(session, {amira, duplicate}, world.clock() - timedelta(days=365), world.clock())
    assert {c.contact_id for c in history[amira]} == {a}
    assert {c.contact_id for c in history[duplicate]} == {other.id}


def test_the_period_counts_each_pattern(world: World) -> None:
    _first, amira = _amira(world, 200, {Concern.NEGLECT})
    _log(world, 100, {Concern.NEGLECT}, amira)
    third = _log(world, 1, {Concern.NEGLECT}, amira)
    now = world.clock()
    with world.db.session() as session:
        counts = {c.kind: c for c in pattern_counts(session, now - timedelta(days=30), now, [third])}
    assert counts[PatternKind.CUMULATIVE_NEGLECT].contacts == 1
    assert counts[PatternKind.CUMULATIVE_NEGLECT].referrals == 1
    assert counts[PatternKind.CUMULATIVE_NEGLECT].awaiting_decision == 1
    record_response(world.maria, third, "cumulative_neglect", "graded_care_profile", "GCP2 by the health visitor.")
    with world.db.session() as session:
        counts = {c.kind: c for c in pattern_counts(session, now - timedelta(days=30), now)}
    assert counts[PatternKind.CUMULATIVE_NEGLECT].awaiting_decision == 0
    assert counts[PatternKind.MOVING_HOUSEHOLD].contacts == 0


def test_conversation_date_is_required(world: World) -> None:
    contact, _amira_id = _amira(world, 1, {Concern.NEGLECT})
    with pytest.raises(InvalidInput) as refused:
        record_conversation(world.sam, contact, ConversationInput(None, "Father", "none"))
    assert set(refused.value.field_errors) == {"held_on"}


def test_a_long_period_is_read_in_chunks_with_the_same_counts(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from mash_desk.services.patterns import figures

    _first, amira = _amira(world, 200, {Concern.NEGLECT})
    _log(world, 100, {Concern.NEGLECT}, amira)
    _log(world, 1, {Concern.NEGLECT}, amira)
    _log(world, 2, {Concern.PHYSICAL_ABUSE}, household=_home(temporary=True))
    now = world.clock()
    with world.db.session() as session:
        whole = pattern_counts(session, now - timedelta(days=365), now)
    monkeypatch.setattr(figures, "PERIOD_CHUNK", 1)
    with world.db.session() as session:
        chunked = pattern_counts(session, now - timedelta(days=365), now)
    assert chunked == whole
    assert {c.kind: c.contacts for c in whole}[PatternKind.CUMULATIVE_NEGLECT] == 1
    assert {c.kind: c.contacts for c in whole}[PatternKind.MOVING_HOUSEHOLD] == 1


def test_a_restricted_contacts_patterns_are_not_read_without_breaking_the_glass(world: World) -> None:
    from mash_desk.domain.errors import RestrictedRecord
    from mash_desk.services import restrictions

    _first, amira = _amira(world, 200, {Concern.NEGLECT})
    _log(world, 100, {Concern.NEGLECT}, amira)
    third = _log(world, 1, {Concern.NEGLECT}, amira)
    restrictions.restrict_record(world.maria, contact_id=third, reason="A member of staff's family.")
    with pytest.raises(RestrictedRecord):
        contact_patterns(world.sam, third)
    assert contact_patterns(world.maria, third).patterns  # the restricting manager is cleared


def test_a_queue_page_reads_the_same_patterns_in_one_statement(world: World) -> None:
    """The page knows when each contact was received, so its children's history comes in one statement;
    it must find exactly what the two-statement read finds."""
    _first, amira = _amira(world, 200, {Concern.NEGLECT, Concern.DOMESTIC_ABUSE})
    _log(world, 100, {Concern.NEGLECT}, amira, household=_home("4 Hill Rise", "LU2 9ZZ"))
    _log(world, 50, {Concern.DOMESTIC_ABUSE}, amira, household=_home("7 Mill Lane", "LU4 1QQ"))
    _log(world, 1, {Concern.NEGLECT}, amira)
    _log(world, 3, {Concern.PHYSICAL_ABUSE}, household=_home(temporary=True))
    with world.db.session() as session:
        received = lookup(session, select(Contact.id, Contact.received_at))
        two = findings_for(session, list(received))
        one = findings_for(session, list(received), received=received)
    assert one == two
    assert {f.kind for found in one.values() for f in found} == set(PatternKind) - {PatternKind.FAMILY_INTERPRETER}


def test_a_merged_record_brings_its_history_and_undoing_the_merge_takes_it_away(world: World) -> None:
    """Two records of one child, with two and one neglect contacts: no pattern on either until a manager
    merges them, then the third contact shows cumulative neglect; undoing the merge takes it away again."""
    from mash_desk.services import merging

    first, amira = _amira(world, 300, {Concern.NEGLECT})
    _log(world, 100, {Concern.NEGLECT}, amira)
    spelt_otherwise = contact_draft(
        world.clock, child("Ameera", "Hussain"), concerns={Concern.NEGLECT}, household=_home()
    )
    spelt_otherwise.received_at = world.clock() - timedelta(days=1)
    third = intake.log_contact(world.priya, spelt_otherwise)
    ameera = third.child_person_ids[0]
    assert findings_for_one(world, third.id) == ()

    with world.db.session() as session:
        versions = {p.id: p.version for p in session.scalars(select(Person).where(Person.id.in_([amira, ameera])))}
    merge_id = merging.merge_people(
        world.maria,
        amira,
        ameera,
        "Same child: same school, mother and address.",
        kept_version=versions[amira],
        merged_version=versions[ameera],
    )
    assert findings_for_one(world, third.id) == (PatternKind.CUMULATIVE_NEGLECT,)
    assert contact_patterns(world.sam, third.id).patterns[0].causes[0].contact_id == first

    merging.undo_merge(world.maria, merge_id, "Two different children after all: the school confirmed.")
    assert findings_for_one(world, third.id) == ()
