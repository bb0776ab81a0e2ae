"""Ofsted Annex A (ILACS) code sets: how each list's category cells are written (pure, no Qt).

The labels are the current Annex A template's, as councils' data teams read them back (Social
Finance's ``liia-tools`` column map in ``shared/reference/annex_a/``; a test proves each one is in
its column's code set): ``a) Male``, ``e) 2A: Schools``, ``a) Yes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from mash_desk.domain.cin import ETHNICITIES, REFERRAL_SOURCES
from mash_desk.domain.enums import Gender

# CIN's "not known" and "indeterminate" are both "not stated/recorded" in Annex A
GENDERS: Mapping[Gender, str] = MappingProxyType(
    {
        Gender.MALE: "a) Male",
        Gender.FEMALE: "b) Female",
        Gender.NOT_KNOWN: "c) Not stated/recorded",
        Gender.NOT_SPECIFIED: "c) Not stated/recorded",
    }
)

# a) WBRI ... r) OOTH in the census's order; refused and not yet obtained share the template's "s)"
ETHNICITY_LABELS: Mapping[str, str] = MappingProxyType(
    {code: f"{'abcdefghijklmnopqrs'[min(index, 18)]}) {code}" for index, code in enumerate(ETHNICITIES)}
)

_SOURCE_GROUPS = {
    "1": "Individual",
    "2A": "Schools",
    "2B": "Education services",
    "3": "Health services",
    "4": "Housing",
    "5": "LA services",
    "6": "Police",
    "7": "Other legal agency",
    "8": "Other",
    "9": "Anonymous",
    "10": "Unknown",
}
_SOURCE_LETTERS = {
    "1A": "a",
    "1B": "b",
    "1C": "c",
    "1D": "d",
    "2A": "e",
    "2B": "f",
    "3A": "g",
    "3B": "h",
    "3C": "i",
    "3D": "j",
    "3E": "k",
    "3F": "l",
    "4": "m",
    "5A": "n",
    "5B": "o",
    "5C": "p",
    "5D": "p1",
    "6": "q",
    "7": "r",
    "8": "s",
    "9": "t",
    "10": "u",
}


def _source_label(code: str) -> str:
    group = _SOURCE_GROUPS.get(code) or _SOURCE_GROUPS[code[0]]
    return f"{_SOURCE_LETTERS[code]}) {code}: {group}"


SOURCE_LABELS: Mapping[str, str] = MappingProxyType({code: _source_label(code) for code in REFERRAL_SOURCES})
YES, NO, UNKNOWN = "a) Yes", "b) No", "c) Unknown"


def gender_label(gender: Gender) -> str:
    return GENDERS[gender]


def ethnicity_label(code: str) -> str:
    """A census ethnicity code (NOBT when not known) as Annex A writes it."""
    return ETHNICITY_LABELS[code]


def source_label(code: str) -> str:
    """A census referral source code as Annex A writes the contact or referral source."""
    return SOURCE_LABELS[code.strip().upper()]


def yes_no(value: bool) -> str:
    return YES if value else NO


def yes_no_unknown(value: bool | None) -> str:
    return UNKNOWN if value is None else yes_no(value)
