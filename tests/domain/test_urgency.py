"""The one urgency order: immediate danger, then overdue RED, AMBER/unrated, GREEN, then on time."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mash_desk.domain.ages import AgeUnit, ChildAge, child_age
from mash_desk.domain.enums import Rag
from mash_desk.domain.urgency import Urgency, UrgencyFacts, urgency, urgency_key

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)

facts = st.builds(
    UrgencyFacts,
    immediate_danger=st.booleans(),
    rag=st.sampled_from([None, Rag.RED, Rag.AMBER, Rag.GREEN]),
    due_at=st.integers(-10 * 24 * 60, 10 * 24 * 60).map(lambda minutes: NOW + timedelta(minutes=minutes)),
    with_another_team=st.booleans(),
)


def _overdue(item: UrgencyFacts) -> bool:
    return item.due_at < NOW


@given(st.lists(facts, min_size=2, max_size=12))
def test_no_overdue_green_sorts_above_an_overdue_red_or_immediate_danger(items: list[UrgencyFacts]) -> None:
    ordered = sorted(items, key=lambda item: urgency_key(item, NOW))
    mash = [item for item in ordered if not item.with_another_team]
    for above, below in itertools.pairwise(ordered):
        assert not (above.with_another_team and not below.with_another_team)
    for position, item in enumerate(mash):
        later = mash[position + 1 :]
        if item.immediate_danger:
            continue  # nothing may come before it but other danger
        assert not any(other.immediate_danger for other in later), "immediate danger below other work"
        if not _overdue(item):
            assert not any(_overdue(other) for other in later), "overdue work below work on time"
        if _overdue(item) and item.rag is Rag.GREEN:
            assert not any(_overdue(other) and other.rag is Rag.RED for other in later), "overdue RED below GREEN"
    within_tier = [
        (int(urgency(item, NOW)), item.due_at) for item in ordered
    ]  # within a tier the earlier deadline comes first
    assert within_tier == sorted(within_tier)


def test_the_tiers_in_words_of_the_issue() -> None:
    hour = timedelta(hours=1)
    overdue_green = UrgencyFacts(False, Rag.GREEN, NOW - 9 * hour)
    overdue_red = UrgencyFacts(False, Rag.RED, NOW - hour)
    danger_on_time = UrgencyFacts(True, None, NOW + 3 * hour)
    on_time_red = UrgencyFacts(False, Rag.RED, NOW + hour)
    handed_off = UrgencyFacts(True, Rag.RED, NOW - 9 * hour, with_another_team=True)
    assert [urgency(item, NOW) for item in (danger_on_time, overdue_red, overdue_green, on_time_red, handed_off)] == [
        Urgency.IMMEDIATE_DANGER,
        Urgency.OVERDUE_RED,
        Urgency.OVERDUE_GREEN,
        Urgency.ON_TIME,
        Urgency.WITH_ANOTHER_TEAM,
    ]
    assert urgency(UrgencyFacts(False, Rag.GREEN, NOW), NOW) is Urgency.ON_TIME  # due this minute: not late yet


def test_ages_the_way_a_practitioner_says_them() -> None:
    today = date(2026, 3, 10)
    assert child_age(None, date(2026, 6, 1), today) == ChildAge(AgeUnit.UNBORN)
    assert child_age(date(2026, 6, 1), None, today) == ChildAge(AgeUnit.UNBORN)
    assert child_age(None, None, today) is None
    assert child_age(date(2026, 3, 1), None, today) == ChildAge(AgeUnit.DAYS, 9)
    assert child_age(date(2026, 1, 13), None, today) == ChildAge(AgeUnit.WEEKS, 8)
    assert child_age(date(2025, 8, 11), None, today) == ChildAge(AgeUnit.MONTHS, 6)
    assert child_age(date(2024, 3, 11), None, today) == ChildAge(AgeUnit.MONTHS, 23)
    assert child_age(date(2023, 3, 10), None, today) == ChildAge(AgeUnit.YEARS, 3)
    assert child_age(date(2019, 3, 11), None, today) == ChildAge(AgeUnit.YEARS, 6)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2026, 3, 10)))
def test_an_age_never_goes_down_as_the_child_grows(born: date) -> None:
    units = list(AgeUnit)
    today = date(2026, 3, 10)
    before = child_age(born, None, today)
    after = child_age(born, None, today + timedelta(days=1))
    assert before is not None
    assert after is not None
    # a coarser unit, or the same unit with the same or a larger number
    assert (units.index(before.unit), before.amount) <= (units.index(after.unit), after.amount)
