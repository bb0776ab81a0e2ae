"""Counting referrals the way the statutory returns do (pure functions, no database).

A referral is a child whose authorised outcome is an assessment, a strategy discussion or emergency
protection (``domain.cin.is_referral``); its date is the London date the MASH received the contact.
Two referrals of one child on one day count once: the first.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date

from mash_desk.domain.enums import Gender, Outcome
from mash_desk.domain.validation import add_months, age_on

GENDER_WORDS: dict[Gender, str] = {
    Gender.MALE: "Male",
    Gender.FEMALE: "Female",
    Gender.NOT_KNOWN: "Not known",
    Gender.NOT_SPECIFIED: "Not specified",
}


def child_unique_id(person_id: int, local_child_id: str | None) -> str:
    """The child's identifier in returns: the local authority's own id if recorded, else MASH Desk's."""
    return local_child_id.strip() if local_child_id and local_child_id.strip() else f"MD{person_id:07d}"


def age_in_years(date_of_birth: date | None, on: date) -> int | None:
    """Whole years on ``on``; ``None`` for an unborn child or an unknown date of birth."""
    if date_of_birth is None or date_of_birth > on:
        return None
    return age_on(date_of_birth, on)


def referral_days(rows: Iterable[tuple[int, date]]) -> dict[int, list[date]]:
    """Each child's referral dates, sorted, same-day duplicates counted once."""
    days: dict[int, set[date]] = {}
    for person_id, day in rows:
        days.setdefault(person_id, set()).add(day)
    return {person_id: sorted(found) for person_id, found in days.items()}


def referrals_in_last_12_months(days: Sequence[date], on: date) -> int:
    """Referrals of one child in the 12 months up to and including ``on`` (this referral included).

    ``days`` is sorted and free of duplicates (``referral_days``); the window starts on the same
    date a year earlier, so a referral on 10 March 2025 is inside the window of 10 March 2026.
    """
    return bisect_right(days, on) - bisect_left(days, add_months(on, -12))


def is_re_referral(days: Sequence[date], on: date) -> bool:
    """CIN re-referral: another referral of the child in the 12 months before this one's date."""
    return referrals_in_last_12_months(days, on) > 1


def referral_nfa(outcome: Outcome) -> bool:
    """Whether a referral ended in no further action, for Annex A List 3 and the census ReferralNFA.

    MASH Desk counts a referral only when the authorised outcome is an assessment, a strategy
    discussion or emergency protection: further action by definition. A contact that ends in no
    further action is a contact, not an NFA'd referral, so this is ``False`` for every referral the
    MASH makes; a receiving team that later closes a case records that in its own system.
    """
    return outcome is Outcome.NFA
