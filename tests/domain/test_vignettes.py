"""No vignette keeps a name, address, date of birth or identifier of the real family.

The families are the demo's own: every group of spellings of one name in its vocabulary (Muhammad,
Mohammed, Mohamed, Mohammad; Khan-Begum, Khan Begum; O'Brien, OBrien; Wiśniewski, Wisniewski...),
recorded under one spelling with the others as aliases, and written into free text in every way
a referrer writes them: other cases, possessives, initials with the surname, titles, no accents.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mash_desk.domain.names import normalise_name
from mash_desk.domain.vignettes import Anonymiser, KnownFacts, KnownPerson, age_words, fold, name_words
from mash_desk.tools.demo.vocabulary import HERITAGES

PROPERTY = settings(max_examples=300, deadline=None)

# every spelling-variant family in the demo's names: (given spellings, family spellings) per heritage
GIVEN_FAMILIES = sorted(
    {group for heritage, _w in HERITAGES for group in (*heritage.boys, *heritage.girls) if len(group) > 1}
)
SURNAME_FAMILIES = sorted({group for heritage, _w in HERITAGES for group in heritage.families if len(group) > 1})
ALL_SURNAMES = sorted({group for heritage, _w in HERITAGES for group in heritage.families})
BORN = date(2017, 9, 14)
NHS = "9434765919"
UPN = "A821200001234"
PHONE = "07700 900123"
EMAIL = "layla.k@example.com"
ADDRESS = "14 Meadow Way"
POSTCODE = "LU2 7QX"


def _writings(given: str, family: str) -> list[str]:
    """How a referrer may write one spelling of a name."""
    first = given.split(maxsplit=1)[0]
    return [
        f"{given} {family}",
        f"{given.upper()} {family.upper()}",
        f"{first.lower()} {family.lower()}",
        f"{first}'s",
        f"{first}’s",
        f"{family}'s",
        f"{first[0]}. {family}",
        f"{first[0]} {family}",
        f"{first} {family[0]}",
        f"Mrs {family}",
        fold(f"{given} {family}"),  # typed without accents
        f"{given}-{family}",
    ]


def _facts(child_names: list[tuple[str, str]], mother_names: list[tuple[str, str]]) -> KnownFacts:
    return KnownFacts(
        people=(
            KnownPerson("Child A", tuple(child_names), BORN, (("NHS number", NHS), ("pupil number", UPN))),
            KnownPerson("Mother", tuple(mother_names), date(1990, 2, 3)),
        ),
        shift_days=-7 * 61,
        other_names=(("Jo Bell", "the referrer"),),
        addresses=((ADDRESS, "[home address]"), (POSTCODE, "[home postcode]")),
        identifiers=((PHONE, "[mother's phone]"), (EMAIL, "[mother's e-mail]"), ("MASH-0000042", "[this contact]")),
    )


def _narrative(names: list[tuple[str, str]]) -> str:
    parts = [f"{w} was seen at school." for given, family in names for w in _writings(given, family)]
    parts += [
        f"Born {BORN:%d/%m/%Y} ({BORN.isoformat()}, {BORN.day} September {BORN.year}, "
        f"September {BORN.day}, {BORN.year}).",
        f"NHS {NHS[:3]} {NHS[3:6]} {NHS[6:]}, UPN {UPN}, phone {PHONE} or +44 7700 900123, {EMAIL}.",
        f"Lives at {ADDRESS}, Luton {POSTCODE}; before that 3 Oak Road. Ref MASH-0000042. Referred by Jo Bell.",
    ]
    return " ".join(parts)


def _leaks(text: str, names: list[tuple[str, str]]) -> list[str]:
    """Every known name word, date-of-birth writing or identifier still in ``text`` (case and accents ignored)."""
    words = set(normalise_name(fold(text)).split())
    joined = normalise_name(fold(text)).replace(" ", "")
    leaks = sorted(w for w in name_words(*(g for g, _f in names), *(f for _g, f in names)) if w in words)
    for needle in (NHS, UPN.lower(), "7700900123", "meadow", "lu27qx", "mash0000042", "jobell", "laylak"):
        if needle in joined:
            leaks.append(needle)
    for written in (f"{BORN:%d/%m/%Y}", BORN.isoformat(), f"{BORN.day} September {BORN.year}", "September 14"):
        if written.lower() in text.lower():
            leaks.append(written)
    return leaks


@pytest.mark.parametrize("spellings", GIVEN_FAMILIES, ids="|".join)
def test_every_spelling_family_of_a_given_name_goes(spellings: tuple[str, ...]) -> None:
    family = "Khan-Begum"
    names = [(spelling, family) for spelling in spellings]
    anonymiser = Anonymiser(_facts(names, [("Layla", "Khan")]))
    text = anonymiser.text(_narrative(names))
    assert _leaks(text, names) == [], text
    assert "Child A" in text
    assert anonymiser.leftovers(text) == []


@pytest.mark.parametrize("spellings", SURNAME_FAMILIES, ids="|".join)
def test_every_spelling_family_of_a_surname_goes(spellings: tuple[str, ...]) -> None:
    names = [("Amira", spelling) for spelling in spellings]
    mother = [("Layla", spelling) for spelling in spellings]
    text = Anonymiser(_facts(names, mother)).text(_narrative(names + mother))
    assert _leaks(text, names + mother) == [], text


@PROPERTY
@given(
    child_given=st.sampled_from(GIVEN_FAMILIES),
    child_family=st.sampled_from(ALL_SURNAMES),
    mother_given=st.sampled_from(GIVEN_FAMILIES),
    recorded=st.integers(0, 3),
    data=st.data(),
)
def test_any_demo_family_recorded_under_any_spelling_leaves_nothing(
    child_given: tuple[str, ...],
    child_family: tuple[str, ...],
    mother_given: tuple[str, ...],
    recorded: int,
    data: st.DataObject,
) -> None:
    """The record holds one spelling as the name and the rest as aliases; the text uses them all,
    in whatever order and mix the referrer happened to write."""
    child = [(g, f) for g in child_given for f in child_family]
    child.insert(0, child.pop(recorded % len(child)))
    mother = [(g, child_family[0]) for g in mother_given]
    written = data.draw(st.permutations(child + mother))
    text = Anonymiser(_facts(child, mother)).text(_narrative(list(written)))
    assert _leaks(text, child + mother) == [], text


def test_dates_move_together_by_whole_weeks_and_ages_stay_true() -> None:
    facts = _facts([("Aisha", "Khan")], [("Layla", "Khan")])
    anonymiser = Anonymiser(facts)
    moved = anonymiser.date(BORN)
    assert (BORN - moved).days == 7 * 61
    assert moved.weekday() == BORN.weekday()
    contact_day = date(2026, 3, 10)
    assert age_words(moved, anonymiser.date(contact_day)) == age_words(BORN, contact_day) == "8 years 5 months"
    text = anonymiser.text("Seen on 10/03/2026 and again on 2026-03-17, a week later.")
    assert text == "Seen on 07/01/2025 and again on 2025-01-14, a week later."
    assert anonymiser.text("Her birthday is 14 September.") == "Her birthday is [a date]."
    # a month and year move as the shift lands; a year alone (or a span) by the whole years it comes to
    assert anonymiser.text("Seen in March 2026; a caution (2021), bailed 2019-2020.") == (
        "Seen in January 2025; a caution (2020), bailed 2018-2019."
    )
    with pytest.raises(ValueError, match="whole number of weeks"):
        KnownFacts(people=(), shift_days=10)
    with pytest.raises(ValueError, match="never by none"):
        KnownFacts(people=(), shift_days=0)


def test_identifiers_are_replaced_consistently_and_labels_read_naturally() -> None:
    anonymiser = Anonymiser(_facts([("Mohammed", "Khan")], [("Layla", "Khan")]))
    text = anonymiser.text(
        "Call 01632 960123, then 01632 960999, then 01632 960123 again. MOHAMMED's mum Layla said "
        "the Khan family moved; Mohd K. (Mohammed Khan) told Mrs Khan. Ayesha visited."
    )
    assert text.count("[phone 1]") == 2
    assert "[phone 2]" in text
    assert "Child A's mum Mother said" in text
    assert "the Family A family" in text
    assert re.search(r"\bKhan\b", text) is None
    assert anonymiser.leftovers(text) == []


def test_age_words() -> None:
    assert age_words(date(2026, 1, 1), date(2026, 2, 26)) == "8 weeks"
    assert age_words(date(2025, 1, 15), date(2026, 1, 14)) == "11 months"
    assert age_words(date(2020, 1, 15), date(2026, 1, 15)) == "6 years"
    assert age_words(date(2026, 6, 1), date(2026, 1, 1)) == "unborn"
