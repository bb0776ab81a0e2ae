"""The CIN census rules that turn a child's referrals into census items (pure functions, no database).

- **Years**: the export writes the 2023-24 census (``GenderCurrent``, the 2024 schema) to the
  2026-27 census; from 2024-25 the census carries ``Sex`` (M, F or U) instead of ``GenderCurrent``.
- **Episodes**: one CIN episode per referral. A referral the front door closed with no further action
  is an episode of its own, closed on the day of that decision with ``ReferralNFA`` true and reason
  RC8. A referral received while the child's episode for an earlier referral is still open (the MASH
  never learns when the receiving team closes a case) is part of that episode, not a new one: so at
  most one episode is open, it is the latest, and no two overlap (the DfE's rules 8815, 8816, 8820).
- **UPN unknown**: the reason recorded for the child; else UN7 when every referral in the year
  ended in no further action, UN1 for an unborn child or one not yet of school age; else none (a
  child of school age without a UPN or a reason is for the receiving team to complete).
- **Unborn children**: a child born after the census date was unborn on it: the census gives the
  birth as the expected date, and sex U, as it does for a child not born yet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from mash_desk.domain.cin import NFA_REFERRALS_ONLY, NOT_OF_SCHOOL_AGE
from mash_desk.domain.enums import Gender
from mash_desk.domain.errors import InvalidInput

FIRST_YEAR = 2024  # 2023-24: the last census with GenderCurrent (CIN_schema_2024.xsd)
LAST_YEAR = 2027  # 2026-27
SEX_FROM = 2025  # 2024-25: Sex replaced GenderCurrent
CLOSED_NFA = "RC8"  # "Case closed after assessment, no further action": the DfE's reason for a referral NFA'd

_GENDER_CODES = {Gender.MALE: "1", Gender.FEMALE: "2", Gender.NOT_KNOWN: "0", Gender.NOT_SPECIFIED: "9"}
_SEX_CODES = {Gender.MALE: "M", Gender.FEMALE: "F", Gender.NOT_KNOWN: "U", Gender.NOT_SPECIFIED: "U"}
_MAX_CHILD_ID = 20
_YEAR = re.compile(r"(?P<start>\d{4})-(?P<end>\d{2})|(?P<single>\d{4})")


def census_year(text: str) -> int:
    """The year a census ends (its 31 March), from "2025-26" or "2026"; only the years the export knows."""
    found = _YEAR.fullmatch(text.strip())
    year = 0
    if found is not None and found["single"]:
        year = int(found["single"])
    elif found is not None and (int(found["start"]) + 1) % 100 == int(found["end"]):
        year = int(found["start"]) + 1
    if not year:
        raise InvalidInput.single(
            "year", f"“{text}” is not a census year: give it as in 2025-26 (1 April 2025 to 31 March 2026)."
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput.single(
            "year",
            f"MASH Desk writes the CIN census for {year_label(FIRST_YEAR)} to {year_label(LAST_YEAR)}, "
            f"not {year_label(year)}.",
        )
    return year


def year_label(year: int) -> str:
    """2026 → "2025-26"."""
    return f"{year - 1}-{year % 100:02d}"


def carries_sex(year: int) -> bool:
    """Whether the census of ``year`` has the ``Sex`` item (from 2024-25) rather than ``GenderCurrent``."""
    return year >= SEX_FROM


def census_child_id(unique_id: str, person_id: int) -> str:
    """``LAchildID``: the child's id in the returns if it is up to 20 letters and digits (rules 1570, 1580),
    else MASH Desk's own (``MD`` and seven digits)."""
    if unique_id.isascii() and unique_id.isalnum() and len(unique_id) <= _MAX_CHILD_ID:
        return unique_id
    return f"MD{person_id:07d}"


@dataclass(frozen=True)
class CensusBirth:
    """The child's birth as the census gives it on its reference date."""

    birth_date: date | None
    expected_birth_date: date | None

    @property
    def unborn(self) -> bool:
        return self.birth_date is None and self.expected_birth_date is not None


def census_birth(birth_date: date | None, expected: date | None, reference_date: date) -> CensusBirth:
    """A child born after the census date was unborn on it (rule 8520): their birth is the expected date."""
    if birth_date is not None and birth_date > reference_date:
        return CensusBirth(None, birth_date)
    if birth_date is not None:
        return CensusBirth(birth_date, None)
    return CensusBirth(None, expected)


def census_gender(gender: Gender, birth: CensusBirth, year: int) -> str:
    """``Sex`` (M, F, U) from 2024-25, ``GenderCurrent`` (1, 2, 0, 9) before; unborn children are U (0)."""
    if carries_sex(year):
        return "U" if birth.unborn else _SEX_CODES[gender]
    return "0" if birth.unborn else _GENDER_CODES[gender]


def of_school_age(birth_date: date, reference_date: date) -> bool:
    """Whether the census expects a UPN: born on or before 31 August six years before the census ends."""
    return birth_date <= date(reference_date.year - 6, 8, 31)


def census_upn_unknown(
    upn: str | None, recorded: str | None, birth: CensusBirth, reference_date: date, *, all_nfa: bool
) -> str | None:
    """``UPNunknown`` for a child: see the module's rules."""
    if upn:
        return None
    if recorded:
        return recorded
    if all_nfa:
        return NFA_REFERRALS_ONLY
    if birth.birth_date is None and birth.expected_birth_date is not None:
        return NOT_OF_SCHOOL_AGE
    if birth.birth_date is not None and not of_school_age(birth.birth_date, reference_date):
        return NOT_OF_SCHOOL_AGE
    return None


@dataclass(frozen=True)
class ReferralFact:
    """One referral of one child as the MASH knows it."""

    day: date
    source: str
    primary_need: str | None
    nfa_on: date | None = None
    """The day the front door closed it with no further action (within the year), else ``None``."""


@dataclass(frozen=True)
class CinEpisode:
    referral_date: date
    source: str
    primary_need: str | None
    nfa: bool
    closure_date: date | None
    closure_reason: str | None
    referrals: int = 1
    """How many of the child's referrals this episode stands for (those made while it was open)."""


def cin_episodes(referrals: Iterable[ReferralFact]) -> tuple[CinEpisode, ...]:
    """One child's CIN episodes for the year from their referrals (see the module's rules)."""
    episodes: list[CinEpisode] = []
    for referral in sorted(referrals, key=lambda r: r.day):
        last = episodes[-1] if episodes else None
        if last is not None and (
            last.closure_date is None or last.referral_date == referral.day
        ):  # open further action, or a second referral the same day: the same episode
            episodes[-1] = replace(last, referrals=last.referrals + 1)
            continue
        if last is not None and last.closure_date is not None and last.closure_date > referral.day:
            episodes[-1] = replace(last, closure_date=referral.day)  # closed by the day of the next referral
        if referral.nfa_on is not None:
            episodes.append(
                CinEpisode(
                    referral.day,
                    referral.source,
                    referral.primary_need,
                    nfa=True,
                    closure_date=max(referral.nfa_on, referral.day),
                    closure_reason=CLOSED_NFA,
                )
            )
        else:
            episodes.append(CinEpisode(referral.day, referral.source, referral.primary_need, False, None, None))
    return tuple(episodes)
