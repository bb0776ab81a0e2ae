"""The patterns nobody should miss: the edges (the third contact, exactly 12 months) and their properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mash_desk.domain.enums import Concern
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.patterns import (
    HistoryContact,
    Interpreter,
    PatternDecision,
    PatternKind,
    PatternThresholds,
    ThresholdKey,
    address_key,
    cumulative_neglect,
    family_interpreter,
    find_patterns,
    moving_household,
    repeated_domestic_abuse,
    validate_decision,
    validate_threshold,
    window_start,
)

AS_OF = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
NEGLECT = frozenset({Concern.NEGLECT})
DA = frozenset({Concern.DOMESTIC_ABUSE})


def contact(n: int, at: datetime, **kwargs: object) -> HistoryContact:
    return HistoryContact(contact_id=n, reference=f"C{n}", received_at=at, **kwargs)  # type: ignore[arg-type]


# --- cumulative neglect -------------------------------------------------------------------------------


def test_the_third_neglect_contact_in_12_months_is_a_pattern_and_the_second_is_not() -> None:
    two = [contact(1, AS_OF - timedelta(days=200), concerns=NEGLECT), contact(2, AS_OF, concerns=NEGLECT)]
    assert cumulative_neglect(two, AS_OF) is None
    three = [*two, contact(3, AS_OF - timedelta(days=30), concerns=NEGLECT)]
    found = cumulative_neglect(three, AS_OF)
    assert found is not None
    assert found.kind is PatternKind.CUMULATIVE_NEGLECT
    assert found.contact_ids == (1, 3, 2)  # oldest first
    assert found.count == 3


def test_a_contact_exactly_12_months_before_counts_and_one_a_second_older_does_not() -> None:
    exactly = datetime(2025, 11, 20, 10, 30, tzinfo=UTC)
    assert window_start(AS_OF, 12) == exactly
    recent = [contact(2, AS_OF - timedelta(days=10), concerns=NEGLECT), contact(3, AS_OF, concerns=NEGLECT)]
    assert cumulative_neglect([contact(1, exactly, concerns=NEGLECT), *recent], AS_OF) is not None
    older = exactly - timedelta(seconds=1)
    assert cumulative_neglect([contact(1, older, concerns=NEGLECT), *recent], AS_OF) is None


def test_contacts_after_the_moment_and_without_neglect_do_not_count() -> None:
    history = [
        contact(1, AS_OF - timedelta(days=5), concerns=NEGLECT),
        contact(2, AS_OF - timedelta(days=4), concerns=DA),
        contact(3, AS_OF, concerns=NEGLECT),
        contact(4, AS_OF + timedelta(days=1), concerns=NEGLECT),  # after: not part of the story yet
    ]
    assert cumulative_neglect(history, AS_OF) is None


def test_the_administrators_threshold_is_used() -> None:
    two = [contact(1, AS_OF - timedelta(days=20), concerns=NEGLECT), contact(2, AS_OF, concerns=NEGLECT)]
    assert cumulative_neglect(two, AS_OF, PatternThresholds(neglect_contacts=2)) is not None
    long_ago = [
        contact(1, AS_OF - timedelta(days=500), concerns=NEGLECT),
        *two[1:],
        contact(3, AS_OF, concerns=NEGLECT),
    ]
    assert cumulative_neglect(long_ago, AS_OF) is None
    assert cumulative_neglect(long_ago, AS_OF, PatternThresholds(neglect_months=24)) is not None


def test_the_29th_of_february_looks_back_to_the_28th() -> None:
    leap = datetime(2028, 2, 29, 9, 0, tzinfo=UTC)
    assert window_start(leap, 12) == datetime(2027, 2, 28, 9, 0, tzinfo=UTC)


# --- repeated domestic abuse ----------------------------------------------------------------------------


def test_a_second_domestic_abuse_notification_says_whether_a_dash_was_done() -> None:
    one = [contact(1, AS_OF - timedelta(days=90), concerns=DA)]
    assert repeated_domestic_abuse(one, AS_OF) is None
    found = repeated_domestic_abuse([*one, contact(2, AS_OF, concerns=DA)], AS_OF)
    assert found is not None
    assert found.contact_ids == (1, 2)
    assert found.dash_done is False
    done = repeated_domestic_abuse([*one, contact(2, AS_OF, concerns=DA, dash_done=True)], AS_OF)
    assert done is not None
    assert done.dash_done is True


# --- a household that keeps moving -----------------------------------------------------------------------


def test_three_addresses_in_a_year_is_a_pattern_two_is_not() -> None:
    two = [
        contact(1, AS_OF - timedelta(days=300), address=address_key("1 High St", "LU1 1AA")),
        contact(2, AS_OF - timedelta(days=100), address=address_key("9 Low Rd", "LU2 2BB")),
        contact(3, AS_OF, address=address_key("1 HIGH ST.", "lu11aa")),  # the first address again
    ]
    assert moving_household(two, AS_OF) is None
    three = [*two, contact(4, AS_OF - timedelta(days=10), address=address_key("4 New Way", "LU3 3CC"))]
    found = moving_household(three, AS_OF)
    assert found is not None
    assert found.addresses == 3
    assert found.contact_ids == (1, 2, 4)  # where each address was first seen
    assert not found.temporary_accommodation


def test_temporary_accommodation_alone_is_a_pattern() -> None:
    found = moving_household([contact(1, AS_OF, address=None, temporary_accommodation=True)], AS_OF)
    assert found is not None
    assert found.temporary_accommodation
    assert found.contact_ids == (1,)


def test_no_address_recorded_is_not_an_address() -> None:
    assert address_key(None, None) is None
    assert address_key("", " ") is None
    assert moving_household([contact(n, AS_OF - timedelta(days=n)) for n in range(5)], AS_OF) is None


# --- who interpreted ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [Interpreter.FAMILY_MEMBER, Interpreter.CHILD])
def test_a_family_member_or_child_interpreting_is_flagged_every_time(who: Interpreter) -> None:
    found = family_interpreter([contact(1, AS_OF, interpreters=frozenset({who}))], AS_OF)
    assert found is not None
    assert found.interpreters == {who}


@pytest.mark.parametrize("who", [Interpreter.PROFESSIONAL, Interpreter.NONE])
def test_a_professional_or_no_interpreter_is_not_flagged(who: Interpreter) -> None:
    assert family_interpreter([contact(1, AS_OF, interpreters=frozenset({who}))], AS_OF) is None


def test_a_family_without_patterns_shows_none() -> None:
    history = [
        contact(1, AS_OF - timedelta(days=40), concerns=NEGLECT, address="a"),
        contact(2, AS_OF, concerns=DA, address="a", interpreters=frozenset({Interpreter.PROFESSIONAL})),
    ]
    assert find_patterns(history, AS_OF) == ()


# --- properties -------------------------------------------------------------------------------------------

_concerns = st.sets(st.sampled_from([Concern.NEGLECT, Concern.DOMESTIC_ABUSE, Concern.PHYSICAL_ABUSE]))
_histories = st.lists(
    st.builds(
        lambda n, days, concerns, address, temp, dash, who: contact(
            n,
            AS_OF - timedelta(days=days),
            concerns=frozenset(concerns),
            address=address,
            temporary_accommodation=temp,
            dash_done=dash,
            interpreters=frozenset(who),
        ),
        st.integers(1, 10_000),
        st.integers(-30, 800),
        _concerns,
        st.sampled_from([None, "a", "b", "c", "d"]),
        st.booleans(),
        st.booleans(),
        st.sets(st.sampled_from(list(Interpreter))),
    ),
    max_size=12,
    unique_by=lambda c: c.contact_id,
)


@given(_histories, st.randoms())
def test_the_order_of_the_history_does_not_matter(history: list[HistoryContact], rnd: object) -> None:
    shuffled = list(history)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert find_patterns(history, AS_OF) == find_patterns(shuffled, AS_OF)


@given(_histories)
def test_every_cause_is_in_the_window_and_neglect_counts_exactly(history: list[HistoryContact]) -> None:
    start = window_start(AS_OF, 12)
    for finding in find_patterns(history, AS_OF):
        assert all(start <= c.received_at <= AS_OF for c in finding.contacts)
        assert list(finding.contacts) == sorted(finding.contacts, key=lambda c: (c.received_at, c.contact_id))
    in_window = [c for c in history if start <= c.received_at <= AS_OF and Concern.NEGLECT in c.concerns]
    assert (cumulative_neglect(history, AS_OF) is not None) == (len(in_window) >= 3)


@given(_histories, _histories)
def test_more_history_never_removes_a_pattern(history: list[HistoryContact], more: list[HistoryContact]) -> None:
    known = {c.contact_id for c in history}
    extra = [c for c in more if c.contact_id not in known]
    before = {f.kind for f in find_patterns(history, AS_OF)}
    after = {f.kind for f in find_patterns([*history, *extra], AS_OF)}
    assert before <= after


# --- the administrator's and the manager's input -----------------------------------------------------------


def test_a_threshold_outside_its_range_or_unknown_is_refused() -> None:
    assert validate_threshold("neglect_contacts", 4) == (ThresholdKey.NEGLECT_CONTACTS, 4)
    for key, amount, field in [
        ("neglect_contacts", 1, "amount"),
        ("neglect_contacts", True, "amount"),
        ("neglect_months", "12", "amount"),
        ("sunspots", 3, "key"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            validate_threshold(key, amount)
        assert field in refused.value.field_errors


def test_a_managers_decision_needs_a_known_choice_and_a_reason() -> None:
    assert validate_decision("cumulative_neglect", "graded_care_profile", " GCP2 by Friday ") == (
        PatternKind.CUMULATIVE_NEGLECT,
        PatternDecision.GRADED_CARE_PROFILE,
        "GCP2 by Friday",
    )
    with pytest.raises(InvalidInput) as refused:
        validate_decision("moving_household", "maybe", "  ")
    assert set(refused.value.field_errors) == {"pattern", "decision", "reason"}
