"""The timescale policy (how long each stage may take) and the deadline arithmetic behind it.

Every datetime here is timezone-aware: clock hours are added in UTC, so a 4-hour RED deadline is
4 real hours even across a clock change; working time is read on the Europe/London wall clock,
09:00-17:00 on weekdays that are not England & Wales bank holidays (``holidays``, GB/ENG).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from mash_desk.domain.enums import ClockKind, Rag, TimescaleKey
from mash_desk.domain.errors import InvalidInput

LONDON = ZoneInfo("Europe/London")
WORKDAY_START = time(9, 0)
WORKDAY_END = time(17, 0)
MAX_POLICY_AMOUNT = 10_000


def _require_aware(name: str, moment: datetime) -> None:
    """Refuse naive datetimes: a deadline from a naive time would silently use the wrong zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {moment!r}")


@dataclass(frozen=True)
class TimescaleRule:
    """One row of the policy: ``key`` must be done within ``amount`` units of ``clock``."""

    key: TimescaleKey
    amount: int
    clock: ClockKind

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise ValueError(f"a timescale amount must be positive, got {self.amount} for {self.key}")


@dataclass(frozen=True)
class TimescalePolicy:
    """The whole policy table; it has a rule for every ``TimescaleKey`` and cannot be changed in place."""

    rules: Mapping[TimescaleKey, TimescaleRule]

    def __post_init__(self) -> None:
        for key, rule in self.rules.items():
            if rule.key != key:
                raise ValueError(f"the rule filed under {key} is for {rule.key}")
        missing = [key.value for key in TimescaleKey if key not in self.rules]
        if missing:
            raise ValueError(f"the timescale policy has no rule for: {', '.join(missing)}")
        object.__setattr__(self, "rules", MappingProxyType(dict(self.rules)))

    def rule(self, key: TimescaleKey) -> TimescaleRule:
        """The rule for ``key``."""
        return self.rules[key]


def _default_rules(*rules: TimescaleRule) -> dict[TimescaleKey, TimescaleRule]:
    return {rule.key: rule for rule in rules}


DEFAULT_POLICY = TimescalePolicy(
    _default_rules(
        TimescaleRule(TimescaleKey.RED, 4, ClockKind.CLOCK_HOURS),
        TimescaleRule(TimescaleKey.AMBER, 24, ClockKind.CLOCK_HOURS),
        TimescaleRule(TimescaleKey.GREEN, 72, ClockKind.CLOCK_HOURS),
        TimescaleRule(TimescaleKey.DECISION, 1, ClockKind.WORKING_DAYS),
        TimescaleRule(TimescaleKey.HANDOFF_ACCEPTANCE, 1, ClockKind.WORKING_DAYS),
        TimescaleRule(TimescaleKey.ACKNOWLEDGEMENT, 1, ClockKind.WORKING_DAYS),
        # each practitioner's case supervision: about monthly, the usual local policy
        TimescaleRule(TimescaleKey.SUPERVISION, 20, ClockKind.WORKING_DAYS),
    )
)

_RAG_KEYS: Mapping[Rag, TimescaleKey] = MappingProxyType(
    {Rag.RED: TimescaleKey.RED, Rag.AMBER: TimescaleKey.AMBER, Rag.GREEN: TimescaleKey.GREEN}
)


def rag_key(rag: Rag) -> TimescaleKey:
    """The policy row that sets the completion deadline for a RAG rating."""
    return _RAG_KEYS[rag]


class WorkingCalendar:
    """Which days are working days: weekdays that are neither England & Wales bank holidays nor
    extra closures the administrator has added (an office closure day, say)."""

    def __init__(self, extra_closures: Iterable[date] = ()) -> None:
        self.extra_closures: frozenset[date] = frozenset(extra_closures)
        self._holidays_by_year: dict[int, frozenset[date]] = {}

    def bank_holidays(self, year: int) -> frozenset[date]:
        """England & Wales bank holidays in ``year`` (including substitute days), computed once per year."""
        cached = self._holidays_by_year.get(year)
        if cached is None:
            import holidays  # noqa: PLC0415 - loaded when a deadline is first worked out, not at start-up

            cached = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())
            self._holidays_by_year[year] = cached
        return cached

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday, not a bank holiday and not an extra closure."""
        return d.weekday() < 5 and d not in self.bank_holidays(d.year) and d not in self.extra_closures

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        d += timedelta(days=1)
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The moment ``days`` working days after ``start``, in UTC.

        The reading of local procedures: the deadline is the same London clock time ``days`` working
        days later (Tue 10:30 → Wed 10:30; Fri 15:00 → Mon 15:00; Thu before Good Friday → Tue after
        Easter Monday). Something received on a non-working day counts as received at 09:00 on the
        next working day (Sat 11:00 → Mon 09:00 → due Tue 09:00); on a working day before 09:00 it
        counts as received at 09:00 that day (Mon 07:00 → due Tue 09:00), so a later receipt is never
        due earlier and no deadline falls in the small hours.
        """
        _require_aware("start", start)
        if days < 0:
            raise ValueError(f"days must not be negative, got {days}")
        local = start.astimezone(LONDON)
        day, clock = local.date(), local.time().replace(fold=0)
        if not self.is_working_day(day):
            day, clock = self.next_working_day(day), WORKDAY_START
        elif clock < WORKDAY_START:
            clock = WORKDAY_START
        for _ in range(days):
            day = self.next_working_day(day)
        # Working days are never clock-change days (those are Sundays), so the wall time exists once.
        return datetime.combine(day, clock, tzinfo=LONDON).astimezone(UTC)

    def add_working_hours(self, start: datetime, hours: int) -> datetime:
        """The moment after ``hours`` hours of 09:00-17:00 London time on working days, in UTC.

        Time outside working hours does not count: Fri 16:00 + 2 working hours is Mon 10:00. A
        deadline that uses up a day exactly falls at 17:00 that day, not 09:00 the next.
        """
        _require_aware("start", start)
        if hours < 0:
            raise ValueError(f"hours must not be negative, got {hours}")
        local = start.astimezone(LONDON)
        day, clock = local.date(), local.time().replace(fold=0)
        if not self.is_working_day(day) or clock >= WORKDAY_END:
            day, clock = self.next_working_day(day), WORKDAY_START
        elif clock < WORKDAY_START:
            clock = WORKDAY_START
        remaining = timedelta(hours=hours)
        while True:
            cursor = datetime.combine(day, clock)
            available = datetime.combine(day, WORKDAY_END) - cursor
            if remaining <= available:
                return (cursor + remaining).replace(tzinfo=LONDON).astimezone(UTC)
            remaining -= available
            day, clock = self.next_working_day(day), WORKDAY_START


def due_at(start: datetime, rule: TimescaleRule, calendar: WorkingCalendar) -> datetime:
    """When work started at ``start`` is due under ``rule``, as a UTC datetime."""
    _require_aware("start", start)
    if rule.clock is ClockKind.CLOCK_HOURS:
        return start.astimezone(UTC) + timedelta(hours=rule.amount)
    if rule.clock is ClockKind.WORKING_HOURS:
        return calendar.add_working_hours(start, rule.amount)
    return calendar.add_working_days(start, rule.amount)


def time_left(due: datetime, now: datetime) -> timedelta:
    """Real time until ``due``; negative once it has passed."""
    _require_aware("due", due)
    _require_aware("now", now)
    return due.astimezone(UTC) - now.astimezone(UTC)


def is_overdue(due: datetime, now: datetime) -> bool:
    """Whether ``due`` has passed; work is still on time at the very moment it is due."""
    return time_left(due, now) < timedelta(0)


_CLOCK_WORDS = "clock hours, working hours or working days"


def validate_policy_row(key: str, amount: int, clock: str) -> TimescaleRule:
    """Turn an administrator's edit of one policy row into a rule, reporting every wrong field at once."""
    errors: dict[str, str] = {}
    try:
        parsed_key: TimescaleKey | None = TimescaleKey(key)
    except ValueError:
        parsed_key = None
        known = ", ".join(item.value for item in TimescaleKey)
        errors["key"] = f"There is no timescale called “{key}”. The timescales are: {known}."
    if isinstance(amount, bool) or not 1 <= amount <= MAX_POLICY_AMOUNT:
        errors["amount"] = f"The time allowed must be a whole number from 1 to {MAX_POLICY_AMOUNT:,}."
    try:
        parsed_clock: ClockKind | None = ClockKind(clock)
    except ValueError:
        parsed_clock = None
        errors["clock"] = f"Choose how the time is counted: {_CLOCK_WORDS}."
    if errors or parsed_key is None or parsed_clock is None:
        raise InvalidInput(errors)
    return TimescaleRule(parsed_key, amount, parsed_clock)
