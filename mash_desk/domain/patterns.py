"""Patterns serious case reviews keep finding missed, as pure functions over a child's history.

Each contact is handled on its own; these rules look across the contacts about the same children
and say what nobody should miss (``DOMAIN.md`` section 10): cumulative neglect, repeated domestic
abuse, a household that keeps moving, and a family member or a child used as interpreter. A pattern
is information for a decision, not a decision: each finding names the contacts that caused it, and
a manager records what they decided about it.

The services read the history in one or two set-based queries for a whole page of contacts and call
:func:`find_patterns` once per contact; the thresholds are the administrator's policy table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache

from mash_desk.domain.enums import Concern
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.rows import filled_at_once
from mash_desk.domain.validation import add_months


class PatternKind(StrEnum):
    """The patterns, in the order they are shown."""

    CUMULATIVE_NEGLECT = "cumulative_neglect"
    REPEATED_DOMESTIC_ABUSE = "repeated_domestic_abuse"
    MOVING_HOUSEHOLD = "moving_household"
    FAMILY_INTERPRETER = "family_interpreter"


class Interpreter(StrEnum):
    """Who interpreted a conversation with the family."""

    PROFESSIONAL = "professional"
    FAMILY_MEMBER = "family_member"
    CHILD = "child"
    NONE = "none"


UNSAFE_INTERPRETERS = frozenset({Interpreter.FAMILY_MEMBER, Interpreter.CHILD})
"""Reviews keep saying a professional interpreter must be used: these are flagged every time."""


class PatternDecision(StrEnum):
    """What a manager decided about a cumulative neglect pattern."""

    GRADED_CARE_PROFILE = "graded_care_profile"
    STRATEGY_DISCUSSION = "strategy_discussion"
    BOTH = "both"
    NEITHER = "neither"


class ThresholdKey(StrEnum):
    """Rows of the pattern policy table (an administrator's numbers)."""

    NEGLECT_CONTACTS = "neglect_contacts"
    NEGLECT_MONTHS = "neglect_months"
    DOMESTIC_ABUSE_NOTIFICATIONS = "domestic_abuse_notifications"
    DOMESTIC_ABUSE_MONTHS = "domestic_abuse_months"
    MOVING_ADDRESSES = "moving_addresses"
    MOVING_MONTHS = "moving_months"


# (default, smallest, largest) for each threshold
THRESHOLD_LIMITS: Mapping[ThresholdKey, tuple[int, int, int]] = {
    ThresholdKey.NEGLECT_CONTACTS: (3, 2, 20),
    ThresholdKey.NEGLECT_MONTHS: (12, 1, 60),
    ThresholdKey.DOMESTIC_ABUSE_NOTIFICATIONS: (2, 2, 20),
    ThresholdKey.DOMESTIC_ABUSE_MONTHS: (12, 1, 60),
    ThresholdKey.MOVING_ADDRESSES: (2, 1, 20),
    ThresholdKey.MOVING_MONTHS: (12, 1, 60),
}


@dataclass(frozen=True)
class PatternThresholds:
    """When each pattern fires. ``moving_addresses``: more than this many addresses is a pattern."""

    neglect_contacts: int = 3
    neglect_months: int = 12
    domestic_abuse_notifications: int = 2
    domestic_abuse_months: int = 12
    moving_addresses: int = 2
    moving_months: int = 12

    @property
    def longest_months(self) -> int:
        """How far back any pattern looks: the history a service must read."""
        return max(self.neglect_months, self.domestic_abuse_months, self.moving_months, self.neglect_months)

    @classmethod
    def from_rows(cls, rows: Mapping[ThresholdKey, int]) -> PatternThresholds:
        """The policy from stored rows; a missing row takes its default."""
        values = {key.value: rows.get(key, limits[0]) for key, limits in THRESHOLD_LIMITS.items()}
        return cls(**values)


DEFAULT_THRESHOLDS = PatternThresholds()


def validate_threshold(key: str, amount: object) -> tuple[ThresholdKey, int]:
    """One policy row as an administrator typed it, or ``InvalidInput`` saying what is wrong."""
    try:
        threshold = ThresholdKey(key)
    except ValueError:
        raise InvalidInput.single("key", f"There is no pattern threshold called {key!r}.") from None
    _default, low, high = THRESHOLD_LIMITS[threshold]
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidInput.single("amount", "Enter a whole number.")
    if not low <= amount <= high:
        raise InvalidInput.single("amount", f"Enter a whole number from {low} to {high}.")
    return threshold, amount


@filled_at_once  # a queue page reads a few hundred
@dataclass(frozen=True)
class HistoryContact:
    """What the patterns need to know of one contact about the children (or household) in question."""

    contact_id: int
    reference: str
    received_at: datetime
    concerns: frozenset[Concern] = frozenset()
    address: str | None = None
    """The contact's address as a comparable key (see :func:`address_key`); ``None``: none recorded."""
    temporary_accommodation: bool = False
    dash_done: bool = False
    interpreters: frozenset[Interpreter] = frozenset()


@dataclass(frozen=True)
class Finding:
    """One pattern that fires, and the contacts (oldest first) that caused it."""

    kind: PatternKind
    contacts: tuple[HistoryContact, ...]
    count: int
    dash_done: bool = True
    """Repeated domestic abuse: whether a DASH checklist was done on any of the notifications."""
    addresses: int = 0
    """A moving household: how many different addresses in the window."""
    temporary_accommodation: bool = False
    interpreters: frozenset[Interpreter] = field(default_factory=frozenset)

    @property
    def contact_ids(self) -> tuple[int, ...]:
        return tuple(c.contact_id for c in self.contacts)


_NOT_ALNUM = re.compile(r"[\W_]+")


def address_key(line1: str | None, postcode: str | None) -> str | None:
    """Two records of one address compare equal: case, spacing and punctuation ignored."""
    parts = [_NOT_ALNUM.sub("", (part or "").casefold()) for part in (line1, postcode)]
    return "|".join(parts) if any(parts) else None


@lru_cache(maxsize=4096)
def window_start(as_of: datetime, months: int) -> datetime:
    """``months`` calendar months before ``as_of``, at the same time of day (a short month: its last day)."""
    day = add_months(as_of.date(), -months)
    return as_of.replace(year=day.year, month=day.month, day=day.day)


def _within(history: Iterable[HistoryContact], as_of: datetime, months: int) -> list[HistoryContact]:
    """The contacts received in the ``months`` up to and including ``as_of`` (exactly ``months`` ago counts)."""
    start = window_start(as_of, months)
    unique = {c.contact_id: c for c in history if start <= c.received_at <= as_of}
    return sorted(unique.values(), key=lambda c: (c.received_at, c.contact_id))


def cumulative_neglect(
    history: Iterable[HistoryContact], as_of: datetime, thresholds: PatternThresholds = DEFAULT_THRESHOLDS
) -> Finding | None:
    """The third (by default) contact with neglect concerns about a child within 12 months."""
    neglect = [c for c in _within(history, as_of, thresholds.neglect_months) if Concern.NEGLECT in c.concerns]
    if len(neglect) < thresholds.neglect_contacts:
        return None
    return Finding(PatternKind.CUMULATIVE_NEGLECT, tuple(neglect), len(neglect))


def repeated_domestic_abuse(
    history: Iterable[HistoryContact], as_of: datetime, thresholds: PatternThresholds = DEFAULT_THRESHOLDS
) -> Finding | None:
    """A second (by default) domestic abuse notification about one household within 12 months; says
    whether a DASH risk checklist was done on any of them."""
    notes = [
        c for c in _within(history, as_of, thresholds.domestic_abuse_months) if Concern.DOMESTIC_ABUSE in c.concerns
    ]
    if len(notes) < thresholds.domestic_abuse_notifications:
        return None
    return Finding(
        PatternKind.REPEATED_DOMESTIC_ABUSE, tuple(notes), len(notes), dash_done=any(c.dash_done for c in notes)
    )


def moving_household(
    history: Iterable[HistoryContact], as_of: datetime, thresholds: PatternThresholds = DEFAULT_THRESHOLDS
) -> Finding | None:
    """More than two (by default) addresses, or any temporary accommodation, within 12 months."""
    recent = _within(history, as_of, thresholds.moving_months)
    addresses = {c.address for c in recent if c.address is not None}
    temporary = [c for c in recent if c.temporary_accommodation]
    if len(addresses) <= thresholds.moving_addresses and not temporary:
        return None
    # the contacts that show each address the first time it was recorded, and every temporary one
    first_seen: dict[str, HistoryContact] = {}
    for c in recent:
        if c.address is not None:
            first_seen.setdefault(c.address, c)
    moving = len(addresses) > thresholds.moving_addresses
    causes = {c.contact_id: c for c in temporary}
    if moving:
        causes.update({c.contact_id: c for c in first_seen.values()})
    ordered = tuple(sorted(causes.values(), key=lambda c: (c.received_at, c.contact_id)))
    return Finding(
        PatternKind.MOVING_HOUSEHOLD,
        ordered,
        len(ordered),
        addresses=len(addresses),
        temporary_accommodation=bool(temporary),
    )


def family_interpreter(
    history: Iterable[HistoryContact], as_of: datetime, thresholds: PatternThresholds = DEFAULT_THRESHOLDS
) -> Finding | None:
    """A family member or a child interpreted a conversation with the family: flagged every time, in
    the same window as neglect (the mother always interpreted for by her eldest is a pattern too)."""
    unsafe = [c for c in _within(history, as_of, thresholds.neglect_months) if c.interpreters & UNSAFE_INTERPRETERS]
    if not unsafe:
        return None
    who = frozenset().union(*(c.interpreters & UNSAFE_INTERPRETERS for c in unsafe))
    return Finding(PatternKind.FAMILY_INTERPRETER, tuple(unsafe), len(unsafe), interpreters=who)


def find_patterns(
    history: Iterable[HistoryContact], as_of: datetime, thresholds: PatternThresholds = DEFAULT_THRESHOLDS
) -> tuple[Finding, ...]:
    """Every pattern in the history as it stood at ``as_of``, in :class:`PatternKind` order."""
    contacts = tuple(history)
    found = (
        cumulative_neglect(contacts, as_of, thresholds),
        repeated_domestic_abuse(contacts, as_of, thresholds),
        moving_household(contacts, as_of, thresholds),
        family_interpreter(contacts, as_of, thresholds),
    )
    return tuple(f for f in found if f is not None)


def validate_decision(kind: str, decision: str, reason: str) -> tuple[PatternKind, PatternDecision, str]:
    """A manager's response to a pattern: only cumulative neglect asks for one; a reason is always given."""
    errors: dict[str, str] = {}
    try:
        pattern = PatternKind(kind)
    except ValueError:
        pattern = None
        errors["pattern"] = f"There is no pattern called {kind!r}."
    if pattern is not None and pattern is not PatternKind.CUMULATIVE_NEGLECT:
        errors["pattern"] = "A manager's decision is recorded for cumulative neglect only."
    try:
        choice: PatternDecision | None = PatternDecision(decision)
    except ValueError:
        choice = None
        errors["decision"] = "Choose what was decided: a Graded Care Profile 2, a strategy discussion, both or neither."
    text = (reason or "").strip()
    if not text:
        errors["reason"] = "Say why: the decision and its reason go on the child's record."
    elif len(text) > 4000:
        errors["reason"] = "Keep the reason to 4,000 characters."
    if errors:
        raise InvalidInput(errors)
    assert pattern is not None
    assert choice is not None
    return pattern, choice, text
