"""A child's age the way a practitioner says it: "unborn", "10 days", "8 weeks", "7 months", "3 years".

Babies change fastest and are the most vulnerable, so the younger the child the finer the unit:
days in the first fortnight, weeks to three months, months to two years, years after that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class AgeUnit(StrEnum):
    UNBORN = "unborn"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


@dataclass(frozen=True)
class ChildAge:
    unit: AgeUnit
    amount: int = 0


WEEKS_FROM_DAYS = 14
MONTHS_FROM_DAYS = 91  # about thirteen weeks
YEARS_FROM_MONTHS = 24


def whole_months(born: date, today: date) -> int:
    months = (today.year - born.year) * 12 + today.month - born.month
    return months - 1 if today.day < born.day else months


def child_age(born: date | None, expected: date | None, today: date) -> ChildAge | None:
    """The age on ``today``; ``None`` when no date of birth is known. A birth date still to come
    (or only an expected date) is an unborn child."""
    if born is None or born > today:
        return ChildAge(AgeUnit.UNBORN) if (expected is not None or born is not None) else None
    days = (today - born).days
    if days < WEEKS_FROM_DAYS:
        return ChildAge(AgeUnit.DAYS, days)
    if days < MONTHS_FROM_DAYS:
        return ChildAge(AgeUnit.WEEKS, days // 7)
    months = whole_months(born, today)
    if months < YEARS_FROM_MONTHS:
        return ChildAge(AgeUnit.MONTHS, months)
    return ChildAge(AgeUnit.YEARS, months // 12)
