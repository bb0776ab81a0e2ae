"""When two records are offered as one person, and when a merge of them is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from mash_desk.domain.duplicates import (
    MERGE_REFUSAL_WORDS,
    DuplicateReason,
    MergeRefusal,
    PersonFacts,
    likely_duplicate,
    merge_refusal,
)
from mash_desk.domain.enums import PersonKind

AMIRA = PersonFacts(1, PersonKind.CHILD, "Amira", "Hussain", date(2019, 5, 4), None)


@pytest.mark.parametrize(
    ("given", "family"),
    [("Ameera", "Hussain"), ("Amira", "Husain"), ("Amirah", "Hussein"), ("Hussain", "Amira")],
)
def test_the_same_birthday_and_a_close_name_is_a_likely_duplicate(given: str, family: str) -> None:
    other = PersonFacts(2, PersonKind.CHILD, given, family, date(2019, 5, 4), None)
    found = likely_duplicate(AMIRA, other)
    assert found is not None
    assert found.reason is DuplicateReason.SAME_BIRTH_AND_CLOSE_NAME
    assert found.name_similarity >= 0.85


def test_what_is_never_offered() -> None:
    sister = PersonFacts(2, PersonKind.CHILD, "Layla", "Hussain", date(2019, 5, 4), None)
    assert likely_duplicate(AMIRA, sister) is None  # a twin: same birthday, another name
    born_later = replace(AMIRA, id=2, date_of_birth=date(2019, 5, 5))
    assert likely_duplicate(AMIRA, born_later) is None  # a date slip is search's business, not a merge's
    assert likely_duplicate(AMIRA, replace(AMIRA, id=2), named_together=True) is None
    assert likely_duplicate(AMIRA, replace(AMIRA, id=2, kind=PersonKind.ADULT)) is None
    assert likely_duplicate(AMIRA, replace(AMIRA, id=2, merged_into_id=1)) is None
    assert likely_duplicate(AMIRA, AMIRA) is None
    with_nhs = replace(AMIRA, nhs_number="9434765919")
    assert likely_duplicate(with_nhs, replace(AMIRA, id=2, nhs_number="9434765927")) is None


def test_the_same_nhs_number_is_a_likely_duplicate_whatever_the_name_or_birthday() -> None:
    a = replace(AMIRA, nhs_number="9434765919")
    b = PersonFacts(2, PersonKind.CHILD, "Zahra", "Patel", None, "9434765919")
    found = likely_duplicate(a, b)
    assert found is not None
    assert found.reason is DuplicateReason.SAME_NHS_NUMBER


def test_merge_refusals_each_with_words() -> None:
    other = replace(AMIRA, id=2, given_names="Ameera")
    assert merge_refusal(AMIRA, other, named_together=False) is None
    cases = {
        MergeRefusal.SAME_RECORD: (AMIRA, AMIRA, False),
        MergeRefusal.DIFFERENT_KINDS: (AMIRA, replace(other, kind=PersonKind.ADULT), False),
        MergeRefusal.ALREADY_MERGED: (AMIRA, replace(other, merged_into_id=7), False),
        MergeRefusal.KEPT_IS_MERGED: (replace(AMIRA, merged_into_id=7), other, False),
        MergeRefusal.DIFFERENT_NHS_NUMBERS: (
            replace(AMIRA, nhs_number="9434765919"),
            replace(other, nhs_number="9434765927"),
            False,
        ),
        MergeRefusal.DIFFERENT_BIRTH_DATES: (AMIRA, replace(other, date_of_birth=date(2019, 4, 5)), False),
        MergeRefusal.NAMED_TOGETHER: (AMIRA, other, True),
    }
    for refusal, (kept, merged, together) in cases.items():
        assert merge_refusal(kept, merged, named_together=together) is refusal
        assert MERGE_REFUSAL_WORDS[refusal].endswith(".")
    assert set(cases) == set(MergeRefusal)
    # two adults named on one contact may still be one person (the mother typed twice)
    mother = PersonFacts(3, PersonKind.ADULT, "Layla", "Hussain", None, None)
    assert merge_refusal(mother, replace(mother, id=4), named_together=True) is None
