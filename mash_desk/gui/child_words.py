"""A child's age and a contact's concerns in the words a practitioner uses ("8 weeks", "unborn")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from mash_desk.domain.ages import AgeUnit, ChildAge, child_age
from mash_desk.domain.enums import Concern
from mash_desk.gui.words import enum_words, tr
from mash_desk.services.queue_children import ChildInQueue


def age_words(age: ChildAge | None) -> str:
    if age is None:
        return tr("age not known")
    match age.unit:
        case AgeUnit.UNBORN:
            return tr("unborn")
        case AgeUnit.DAYS:
            return tr("1 day") if age.amount == 1 else tr("{n} days").format(n=age.amount)
        case AgeUnit.WEEKS:
            return tr("1 week") if age.amount == 1 else tr("{n} weeks").format(n=age.amount)
        case AgeUnit.MONTHS:
            return tr("1 month") if age.amount == 1 else tr("{n} months").format(n=age.amount)
        case AgeUnit.YEARS:
            return tr("1 year") if age.amount == 1 else tr("{n} years").format(n=age.amount)


def ages_text(children: Sequence[ChildInQueue], today: date) -> str:
    """Each child's age, in the order the children are named: "6 years, unborn"."""
    return ", ".join(age_words(child_age(child.born, child.expected, today)) for child in children)


def youngest_days(children: Sequence[ChildInQueue], today: date) -> float:
    """A sort key: the youngest child's age in days (an unborn child sorts first, no date last)."""
    ages = [
        -1.0 if child.born is None or child.born > today else float((today - child.born).days)
        for child in children
        if child.born is not None or child.expected is not None
    ]
    return min(ages) if ages else 1e9


def concerns_text(concerns: Sequence[Concern]) -> str:
    return ", ".join(enum_words(concern) for concern in concerns)
