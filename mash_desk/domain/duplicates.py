"""Two records of one person: when a pair is a likely duplicate, and when two records may be merged.

A pair is a likely duplicate when both carry the same NHS number, or when both were born on the same
day and their names are close (``domain.names.similarity``: spellings, transliterations, the forms
in ``domain.name_variants``). Two children named together on one contact are two children (twins
share a birthday and often a name's sound), and two different NHS numbers are two people: neither is
ever offered. A manager decides; these rules only choose what to put in front of them, and refuse a
merge that could not be right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mash_desk.domain.enums import PersonKind
from mash_desk.domain.names import similarity

# names at least this alike, with the same date of birth, are offered as one person
CLOSE_NAME = 0.85


class DuplicateReason(StrEnum):
    SAME_NHS_NUMBER = "same_nhs_number"
    SAME_BIRTH_AND_CLOSE_NAME = "same_birth_and_close_name"


DUPLICATE_REASON_WORDS: dict[DuplicateReason, str] = {
    DuplicateReason.SAME_NHS_NUMBER: "same NHS number",
    DuplicateReason.SAME_BIRTH_AND_CLOSE_NAME: "same date of birth, name spelt alike",
}


@dataclass(frozen=True)
class PersonFacts:
    """What the rules read of one record."""

    id: int
    kind: PersonKind
    given_names: str
    family_name: str
    date_of_birth: date | None
    nhs_number: str | None
    merged_into_id: int | None = None


@dataclass(frozen=True)
class LikelyDuplicate:
    reason: DuplicateReason
    name_similarity: float


def likely_duplicate(a: PersonFacts, b: PersonFacts, *, named_together: bool = False) -> LikelyDuplicate | None:
    """Why ``a`` and ``b`` may be one person, or ``None`` when they should not be offered as one."""
    if a.id == b.id or a.kind is not b.kind or named_together:
        return None
    if a.merged_into_id is not None or b.merged_into_id is not None:
        return None
    name = similarity(a.given_names, a.family_name, b.given_names, b.family_name)
    if a.nhs_number and b.nhs_number:
        return LikelyDuplicate(DuplicateReason.SAME_NHS_NUMBER, name) if a.nhs_number == b.nhs_number else None
    if a.date_of_birth is not None and a.date_of_birth == b.date_of_birth and name >= CLOSE_NAME:
        return LikelyDuplicate(DuplicateReason.SAME_BIRTH_AND_CLOSE_NAME, name)
    return None


class MergeRefusal(StrEnum):
    SAME_RECORD = "same_record"
    DIFFERENT_KINDS = "different_kinds"
    ALREADY_MERGED = "already_merged"
    KEPT_IS_MERGED = "kept_is_merged"
    DIFFERENT_NHS_NUMBERS = "different_nhs_numbers"
    DIFFERENT_BIRTH_DATES = "different_birth_dates"
    NAMED_TOGETHER = "named_together"


MERGE_REFUSAL_WORDS: dict[MergeRefusal, str] = {
    MergeRefusal.SAME_RECORD: "A record cannot be merged into itself.",
    MergeRefusal.DIFFERENT_KINDS: "A child's record and an adult's record are never one person.",
    MergeRefusal.ALREADY_MERGED: "This record was already merged into another; undo that merge first.",
    MergeRefusal.KEPT_IS_MERGED: "The record to keep was itself merged into another; merge into that one instead.",
    MergeRefusal.DIFFERENT_NHS_NUMBERS: (
        "The two records carry different NHS numbers, so they are two people. If one number is wrong, correct it first."
    ),
    MergeRefusal.DIFFERENT_BIRTH_DATES: (
        "The two records carry different dates of birth. If one is wrong, correct it first."
    ),
    MergeRefusal.NAMED_TOGETHER: (
        "Both records are named as children on the same contact, so they are two children. If that contact "
        "named one child twice, correct it first."
    ),
}


def merge_refusal(kept: PersonFacts, merged: PersonFacts, *, named_together: bool) -> MergeRefusal | None:
    """Why ``merged`` may not be merged into ``kept``, or ``None`` when a manager may merge them."""
    if kept.id == merged.id:
        return MergeRefusal.SAME_RECORD
    if kept.kind is not merged.kind:
        return MergeRefusal.DIFFERENT_KINDS
    if merged.merged_into_id is not None:
        return MergeRefusal.ALREADY_MERGED
    if kept.merged_into_id is not None:
        return MergeRefusal.KEPT_IS_MERGED
    if kept.nhs_number and merged.nhs_number and kept.nhs_number != merged.nhs_number:
        return MergeRefusal.DIFFERENT_NHS_NUMBERS
    if kept.date_of_birth and merged.date_of_birth and kept.date_of_birth != merged.date_of_birth:
        return MergeRefusal.DIFFERENT_BIRTH_DATES
    if named_together and kept.kind is PersonKind.CHILD:
        return MergeRefusal.NAMED_TOGETHER
    return None
