"""The chronology's rules: newest first, and a filter by agency, kind and a period of English days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from mash_desk.domain.chronology import ChronologyFilter, EntryKind, newest_first
from mash_desk.domain.errors import InvalidInput


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: EntryKind
    agency: str
    name: str = ""


def test_newest_first_keeps_the_order_of_entries_at_the_same_moment() -> None:
    moment = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    received = Entry(moment, EntryKind.CONTACT, "Police", "received")
    rated = Entry(moment, EntryKind.RATING, "Children's Social Care", "rated")
    earlier = Entry(datetime(2025, 1, 1, tzinfo=UTC), EntryKind.NOTE, "Health", "earlier")
    assert [e.name for e in newest_first([earlier, received, rated])] == ["rated", "received", "earlier"]


def test_the_period_is_by_day_in_england_both_ends_included() -> None:
    # 23:30 UTC on 31 May is 00:30 on 1 June in London (summer time): it belongs to 1 June
    late = Entry(datetime(2026, 5, 31, 23, 30, tzinfo=UTC), EntryKind.CONTACT, "Police")
    assert ChronologyFilter(since=date(2026, 6, 1), until=date(2026, 6, 1)).keeps(late)
    assert not ChronologyFilter(until=date(2026, 5, 31)).keeps(late)
    # in winter London is UTC: 23:30 UTC on 31 January is still 31 January
    winter = Entry(datetime(2026, 1, 31, 23, 30, tzinfo=UTC), EntryKind.CONTACT, "Police")
    assert ChronologyFilter(until=date(2026, 1, 31)).keeps(winter)
    assert not ChronologyFilter(since=date(2026, 2, 1)).keeps(winter)


def test_agency_and_kind_narrow_and_empty_means_everything() -> None:
    entry = Entry(datetime(2026, 3, 10, tzinfo=UTC), EntryKind.AGENCY, "Police")
    assert ChronologyFilter().keeps(entry)
    assert not ChronologyFilter().narrowed
    assert ChronologyFilter(agencies=frozenset({"Police", "Health"})).keeps(entry)
    assert not ChronologyFilter(agencies=frozenset({"Health"})).keeps(entry)
    assert ChronologyFilter(kinds=frozenset({EntryKind.AGENCY})).keeps(entry)
    assert not ChronologyFilter(kinds=frozenset({EntryKind.NOTE})).keeps(entry)


def test_a_period_that_ends_before_it_starts_is_refused_at_its_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        ChronologyFilter(since=date(2026, 3, 2), until=date(2026, 3, 1))
    assert list(refused.value.field_errors) == ["since"]
    assert ChronologyFilter(since=date(2026, 3, 1), until=date(2026, 3, 1)).narrowed
