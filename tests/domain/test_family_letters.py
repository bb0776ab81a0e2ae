"""The family letter's rules on their own: who it may be addressed to, and which letters wait."""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from mash_desk.domain.enums import Concern, Outcome, ReferrerKind, RelationshipKind
from mash_desk.domain.family_letters import (
    DEFAULT_HOLDS,
    AdultOnContact,
    HoldTrigger,
    NoAddressee,
    ReferrerOnContact,
    choose_family_addressee,
    concerns_for_family,
    every_hold_key,
    hold_keys_for,
    may_be_the_referrer,
    relationship_named,
)

PROPERTY = settings(max_examples=1000, deadline=None)
DEFAULT_POLICY = {key: key in DEFAULT_HOLDS for key in every_hold_key()}


def safe_for(adult: AdultOnContact, referrer: ReferrerOnContact) -> bool:
    return (
        adult.parental_responsibility
        and adult.lives_with_child
        and not adult.alleged_perpetrator
        and (referrer.may_be_named_to_family or not may_be_the_referrer(adult, referrer))
    )


adults_strategy = st.lists(
    st.builds(
        AdultOnContact,
        person_id=st.integers(min_value=1, max_value=10_000),
        given_names=st.sampled_from(["Adaeze", "Chidi", "Grace", "Marek", "Layla"]),
        family_name=st.sampled_from(["Okafor", "Nowak", "Hussain"]),
        relationship=st.sampled_from(list(RelationshipKind)),
        parental_responsibility=st.booleans(),
        alleged_perpetrator=st.booleans(),
        lives_with_child=st.booleans(),
        is_referrer=st.booleans(),
    ),
    max_size=5,
    unique_by=lambda a: a.person_id,
)
referrer_strategy = st.builds(
    ReferrerOnContact,
    kind=st.sampled_from(list(ReferrerKind)),
    anonymity_requested=st.booleans(),
    name=st.one_of(st.none(), st.sampled_from(["Adaeze Okafor", "Marek Nowak", "Jo Bell", "okafor adaeze"])),
    relationship=st.one_of(st.none(), st.sampled_from(["mum", "Dad", "neighbour", "step-dad", "grandma", "aunt"])),
)


@PROPERTY
@given(adults=adults_strategy, referrer=referrer_strategy)
def test_property_the_addressee_is_always_safe_and_chosen_whenever_one_is(
    adults: list[AdultOnContact], referrer: ReferrerOnContact
) -> None:
    choice = choose_family_addressee(adults, referrer)
    safe = [adult for adult in adults if safe_for(adult, referrer)]
    if choice.adult is None:
        assert not safe
        has_pr = any(adult.parental_responsibility for adult in adults)
        assert choice.missing is (NoAddressee.NONE_SAFE if has_pr else NoAddressee.NO_ADULT_WITH_PR)
    else:
        assert choice.adult in safe
        assert not choice.adult.alleged_perpetrator
        assert choice.adult.lives_with_child
        assert choice.adult.parental_responsibility
        if not referrer.may_be_named_to_family:
            assert not choice.adult.is_referrer
    # everyone passed over with parental responsibility is said, with why
    passed = {adult.person_id for adult, _why in choice.excluded}
    assert passed == {a.person_id for a in adults if a.parental_responsibility and not safe_for(a, referrer)}


HOUSEHOLD_KINDS = list(RelationshipKind)


def test_every_referrer_kind_marked_as_a_parent_is_never_the_addressee_unless_nameable() -> None:
    for kind, anonymity, how in product(ReferrerKind, (False, True), ("marked", "name", "relationship")):
        mother = AdultOnContact(1, "Adaeze", "Okafor", RelationshipKind.MOTHER, True, False, True, how == "marked")
        father = AdultOnContact(2, "Chidi", "Okafor", RelationshipKind.FATHER, True, False, True)
        referrer = ReferrerOnContact(
            kind,
            anonymity,
            name="Adaeze Okafor" if how == "name" else None,
            relationship="the children's mum" if how == "relationship" else None,
        )
        nameable = kind is ReferrerKind.PROFESSIONAL and not anonymity
        relatives = {ReferrerKind.FAMILY, ReferrerKind.ANONYMOUS, ReferrerKind.MEMBER_OF_PUBLIC}
        identified = how in ("marked", "name") or kind in relatives
        for household in ([mother], [mother, father]):
            choice = choose_family_addressee(household, referrer)
            case = f"{kind} anonymity={anonymity} {how} household={len(household)}"
            if nameable or not identified:
                assert choice.adult == mother, case
            else:
                assert choice.adult == (father if len(household) == 2 else None), case


def test_a_parent_comes_before_a_carer_and_the_choice_is_stable() -> None:
    referrer = ReferrerOnContact(ReferrerKind.PROFESSIONAL, False, "Jo Bell")
    carer = AdultOnContact(1, "Ngozi", "Okafor", RelationshipKind.FOSTER_CARER, True, False, True)
    father = AdultOnContact(5, "Chidi", "Okafor", RelationshipKind.FATHER, True, False, True)
    mother = AdultOnContact(9, "Adaeze", "Okafor", RelationshipKind.MOTHER, True, False, True)
    assert choose_family_addressee([carer, father, mother], referrer).adult == mother
    assert choose_family_addressee([carer, father], referrer).adult == father
    assert choose_family_addressee([carer], referrer).adult == carer


def test_an_anonymous_relative_not_found_among_the_adults_is_flagged() -> None:
    mother = AdultOnContact(1, "Adaeze", "Okafor", RelationshipKind.MOTHER, True, False, True)
    unnamed = ReferrerOnContact(ReferrerKind.FAMILY, True, name="Someone Else")
    assert choose_family_addressee([mother], unnamed).referrer_unidentified
    assert not choose_family_addressee(
        [mother], ReferrerOnContact(ReferrerKind.FAMILY, False, "Someone")
    ).referrer_unidentified


def test_relationship_words() -> None:
    assert relationship_named("the children's mum") == {RelationshipKind.MOTHER}
    assert relationship_named("Step-dad") == {RelationshipKind.STEP_PARENT}
    assert relationship_named("neighbour") == set()
    assert relationship_named(None) == set()


def test_every_outcome_and_concern_against_the_default_holds() -> None:
    """The whole product: 11 outcomes x 22 concerns x a perpetrator named or not."""
    held_outcomes = {Outcome.STRATEGY_S47, Outcome.EMERGENCY_PROTECTION, Outcome.MARAC}
    for outcome, concern, perpetrator in product(Outcome, Concern, (False, True)):
        keys = hold_keys_for(DEFAULT_POLICY, [outcome], [concern], perpetrator)
        expected = outcome in held_outcomes or concern is Concern.DOMESTIC_ABUSE or perpetrator
        assert bool(keys) is expected, (outcome, concern, perpetrator)
        shown = concerns_for_family([concern], [outcome])
        if outcome is Outcome.MARAC:
            assert Concern.DOMESTIC_ABUSE not in shown
        else:
            assert shown == (concern,)


def test_the_policy_is_data_and_a_missing_row_takes_its_default() -> None:
    relaxed = {**DEFAULT_POLICY, (HoldTrigger.OUTCOME, Outcome.MARAC.value): False}
    assert hold_keys_for(relaxed, [Outcome.MARAC], [], False) == []
    stricter = {**DEFAULT_POLICY, (HoldTrigger.CONCERN, Concern.NEGLECT.value): True}
    assert hold_keys_for(stricter, [Outcome.NFA], [Concern.NEGLECT], False) == [(HoldTrigger.CONCERN, "neglect")]
    assert hold_keys_for({}, [Outcome.STRATEGY_S47], [], False) == [(HoldTrigger.OUTCOME, "STRATEGY_S47")]
