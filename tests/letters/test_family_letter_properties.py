"""Property tests of the family letter through intake, decision and the letter services, on both databases.

Over every outcome, concern, referrer kind (anonymous, member of the public, professional, family,
with and without anonymity) and household shape (one parent, two parents, a parent living elsewhere,
the referrer as a parent with parental responsibility, an alleged perpetrator with it, no adult with
it, a step-parent, a kinship carer): a family letter is never addressed to a referrer who may not be
named, an alleged perpetrator or an adult away from the child's address; its data and its PDF carry no
detail of the referrer; a letter that must wait is held and never goes in a batch; a MARAC letter never
says domestic abuse.

The tests use only the letter services' long-standing calls (``letter_data``, ``preview_letter``,
``letters_due``, ``letters_held``, ``issue_batch``), so they can be run against the code before the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mash_desk.domain.enums import Concern, LetterRecipient, Outcome, ReferrerKind, RelationshipKind
from mash_desk.domain.errors import IllegalTransition
from mash_desk.letters import FamilyLetterData
from mash_desk.services import letters
from mash_desk.services.drafts import AdultDraft, ReferrerDraft
from tests.letters.journeys import decide
from tests.letters.test_render import pdf_text
from tests.support import World, contact_draft

# enough to meet every shape and referrer kind many times over, and to fail on the code before the fix
EXAMPLES = 60
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HELD_BY_DEFAULT = {Outcome.STRATEGY_S47, Outcome.EMERGENCY_PROTECTION, Outcome.MARAC}

REFERRER_NAME = "Quillon Zanzibarr"
REFERRER_AGENCY = "Zorbaton Wellbeing Clinic"
REFERRER_PHONE = "07700 900417"
REFERRER_EMAIL = "quillon.zanzibarr@example.org"


class Shape(StrEnum):
    ONE_PARENT = "one parent"
    TWO_PARENTS = "two parents"
    PARENT_ELSEWHERE = "a parent not living with the child"
    REFERRER_PARENT = "the referrer is a parent with parental responsibility"
    PERPETRATOR_PR = "an alleged perpetrator with parental responsibility"
    NO_PR = "no adult with parental responsibility"
    STEP_PARENT = "a step-parent"
    KINSHIP_CARER = "a kinship carer"


class Identified(StrEnum):
    """How the intake worker recorded that the referrer is one of the adults."""

    MARKED = "marked as the referrer"
    BY_NAME = "the referrer's name is the adult's"
    BY_RELATIONSHIP = "the referrer described themselves as mum"


REFERRERS: list[tuple[ReferrerKind, bool]] = [
    (ReferrerKind.ANONYMOUS, True),
    (ReferrerKind.MEMBER_OF_PUBLIC, False),
    (ReferrerKind.MEMBER_OF_PUBLIC, True),
    (ReferrerKind.PROFESSIONAL, False),
    (ReferrerKind.PROFESSIONAL, True),
    (ReferrerKind.FAMILY, False),
    (ReferrerKind.FAMILY, True),
]


def adult(
    given: str,
    relationship: RelationshipKind,
    *,
    pr: bool = True,
    lives: bool = True,
    perpetrator: bool = False,
    referrer: bool = False,
) -> AdultDraft:
    return AdultDraft(
        given_names=given,
        family_name="Okafor",
        relationship=relationship,
        parental_responsibility=pr,
        alleged_perpetrator=perpetrator,
        lives_with_child=lives,
        is_referrer=referrer,
    )


@dataclass(frozen=True)
class Case:
    """A generated contact, and who its family letter may safely go to."""

    adults: list[AdultDraft]
    referrer: ReferrerDraft
    safe: set[str]  # names of the adults the letter may be addressed to
    unsafe: set[str]  # names it must never be addressed to
    must_hold: bool  # no safe addressee, or a referrer who may be one of the adults unrecorded


def build_case(shape: Shape, kind: ReferrerKind, anonymity: bool, identified: Identified, second_parent: bool) -> Case:
    nameable = kind is ReferrerKind.PROFESSIONAL and not anonymity
    referrer = ReferrerDraft(
        kind=kind,
        name=None if kind is ReferrerKind.ANONYMOUS else REFERRER_NAME,
        role="Practice nurse" if kind is ReferrerKind.PROFESSIONAL else None,
        agency=REFERRER_AGENCY if kind is ReferrerKind.PROFESSIONAL else None,
        phone=REFERRER_PHONE,
        email=REFERRER_EMAIL,
        relationship="neighbour" if kind is ReferrerKind.MEMBER_OF_PUBLIC else None,
        anonymity_requested=anonymity,
    )
    mother, father = "Adaeze Okafor", "Chidi Okafor"
    safe: set[str]
    unsafe: set[str]
    match shape:
        case Shape.ONE_PARENT:
            adults = [adult("Adaeze", RelationshipKind.MOTHER)]
            safe, unsafe = {mother}, set()
        case Shape.TWO_PARENTS:
            adults = [adult("Chidi", RelationshipKind.FATHER), adult("Adaeze", RelationshipKind.MOTHER)]
            safe, unsafe = {mother, father}, set()
        case Shape.PARENT_ELSEWHERE:
            adults = [adult("Chidi", RelationshipKind.FATHER, lives=False), adult("Adaeze", RelationshipKind.MOTHER)]
            safe, unsafe = {mother}, {father}
        case Shape.REFERRER_PARENT:
            if identified is Identified.BY_NAME and kind is ReferrerKind.ANONYMOUS:
                identified = Identified.MARKED  # an anonymous caller left no name to match
            adults = [adult("Adaeze", RelationshipKind.MOTHER, referrer=identified is Identified.MARKED)]
            if second_parent:
                adults.append(adult("Chidi", RelationshipKind.FATHER))
            if identified is Identified.BY_NAME and kind is not ReferrerKind.ANONYMOUS:
                referrer.name = mother
            if identified is Identified.BY_RELATIONSHIP:
                referrer.relationship = "the children's mum"
            safe = {father} if second_parent else set()
            unsafe = {mother}
            if nameable:  # a professional who may be named: being the addressee reveals nothing new
                safe, unsafe = safe | {mother}, set()
        case Shape.PERPETRATOR_PR:
            adults = [
                adult("Chidi", RelationshipKind.FATHER, perpetrator=True),
                adult("Adaeze", RelationshipKind.MOTHER),
            ]
            safe, unsafe = {mother}, {father}
        case Shape.NO_PR:
            adults = [adult("Ngozi", RelationshipKind.GRANDPARENT, pr=False)]
            safe, unsafe = set(), {"Ngozi Okafor"}
        case Shape.STEP_PARENT:
            adults = [
                adult("Chidi", RelationshipKind.FATHER, lives=False),
                adult("Emeka", RelationshipKind.STEP_PARENT),
            ]
            safe, unsafe = {"Emeka Okafor"}, {father}
        case Shape.KINSHIP_CARER:
            adults = [
                adult("Adaeze", RelationshipKind.MOTHER, lives=False),
                adult("Ngozi", RelationshipKind.GRANDPARENT),
            ]
            safe, unsafe = {"Ngozi Okafor"}, {mother}
    # a relative who asked not to be named, and was not recorded as one of the adults, may be any of them
    unrecorded_relative = kind is ReferrerKind.FAMILY and anonymity and shape is not Shape.REFERRER_PARENT
    return Case(adults, referrer, safe, unsafe, must_hold=not safe or unrecorded_relative)


def secrets_of(referrer: ReferrerDraft) -> list[str]:
    """Everything identifying about the referrer, compared without spaces (a wrapped line still counts)."""
    found = [REFERRER_NAME, REFERRER_AGENCY, REFERRER_PHONE, REFERRER_EMAIL, "Practice nurse"]
    if referrer.name:
        found.append(referrer.name)
    if referrer.kind is ReferrerKind.MEMBER_OF_PUBLIC:
        found.append("neighbour")
    return [secret.replace(" ", "").lower() for secret in found]


def check_family_letter(
    world: World,
    outcome: Outcome,
    concerns: set[Concern],
    shape: Shape,
    kind: ReferrerKind,
    anonymity: bool,
    identified: Identified,
    second_parent: bool,
) -> None:
    case = build_case(shape, kind, anonymity, identified, second_parent)
    referral_source = {"professional": "3A", "anonymous": "9", "family": "1A"}.get(kind.value, "1D")
    draft = contact_draft(
        world.clock,
        referrer=case.referrer,
        adults=case.adults,
        concerns=concerns,
        referral_source=referral_source,
    )
    logged = decide(world, draft, (outcome,))
    perpetrator = shape is Shape.PERPETRATOR_PR
    should_hold = case.must_hold or outcome in HELD_BY_DEFAULT or Concern.DOMESTIC_ABUSE in concerns or perpetrator
    held = letters.letters_held_for_contact(world.bea, logged.reference)
    due = [j for j in letters.letters_due_for_contact(world.bea, logged.reference) if j.recipient.value == "family"]
    where = f"{shape.value}, {kind.value} (anonymity {anonymity}), {outcome.value}, {sorted(concerns)}"
    assert len(held) + len(due) == 1, where
    assert bool(held) is should_hold, f"held {bool(held)} but should be {should_hold}: {where}"
    job = held[0].job if held else due[0]
    assert job.recipient_name not in case.unsafe, where
    assert (job.recipient_name in case.safe) if case.safe else job.recipient_name is None, where

    try:
        data = letters.letter_data(world.sam, logged.id, "family")
    except IllegalTransition:
        assert not case.safe, f"a safe addressee exists but the letter was refused: {where}"
        data = None
    if data is not None:
        assert isinstance(data, FamilyLetterData)
        assert data.recipient_name in case.safe, f"addressed to {data.recipient_name}: {where}"
        text = pdf_text(letters.preview_letter(world.sam, logged.id, "family")).replace(" ", "").lower()
        as_data = repr(data).replace(" ", "").lower()
        for secret in secrets_of(case.referrer):
            assert secret not in text, f"{secret} in the letter: {where}"
            assert secret not in as_data, f"{secret} in the letter's data: {where}"
        if outcome is Outcome.MARAC:
            for word in ("domesticabuse", "domesticviolence", "marac"):
                assert word not in text, f"{word} in a MARAC letter: {where}"
    # the batch, whoever runs it, never sends a held letter
    batch = letters.issue_batch(world.sam, [job])
    if held:
        assert not batch.issued, f"a held letter went in a batch: {where}"


OUTCOMES = st.sampled_from(list(Outcome))
CONCERNS = st.sets(st.sampled_from(list(Concern)), min_size=1, max_size=3)


@PROPERTY
@given(
    outcome=OUTCOMES,
    concerns=CONCERNS,
    shape=st.sampled_from(list(Shape)),
    referrer=st.sampled_from(REFERRERS),
    identified=st.sampled_from(list(Identified)),
    second_parent=st.booleans(),
)
def test_property_family_letters_go_only_to_a_safe_addressee_and_reveal_no_referrer(
    world: World,
    outcome: Outcome,
    concerns: set[Concern],
    shape: Shape,
    referrer: tuple[ReferrerKind, bool],
    identified: Identified,
    second_parent: bool,
) -> None:
    kind, anonymity = referrer
    if shape is Shape.REFERRER_PARENT and kind is ReferrerKind.PROFESSIONAL:
        kind = ReferrerKind.FAMILY  # a professional is never one of the family's adults (intake refuses it)
    check_family_letter(world, outcome, concerns, shape, kind, anonymity, identified, second_parent)


@pytest.mark.parametrize("shape", list(Shape))
def test_every_household_shape_with_every_referrer_kind(world: World, shape: Shape) -> None:
    """Every shape meets every referrer kind at least once, whatever hypothesis happened to draw."""
    outcomes = list(Outcome)
    concerns = list(Concern)
    for index, (kind, anonymity) in enumerate(REFERRERS):
        if shape is Shape.REFERRER_PARENT and kind is ReferrerKind.PROFESSIONAL:
            continue
        outcome = outcomes[(index + list(Shape).index(shape)) % len(outcomes)]
        check_family_letter(
            world,
            outcome,
            {concerns[(index * 3 + list(Shape).index(shape)) % len(concerns)]},
            shape,
            kind,
            anonymity,
            list(Identified)[index % len(Identified)],
            index % 2 == 0,
        )


def test_a_marac_family_letter_is_held_and_never_says_domestic_abuse(world: World) -> None:
    """The issue's example: a MARAC outcome with domestic abuse recorded."""
    logged = decide(
        world,
        contact_draft(world.clock, concerns={Concern.DOMESTIC_ABUSE, Concern.NEGLECT}),
        (Outcome.MARAC,),
    )
    (held,) = letters.letters_held_for_contact(world.bea, logged.reference)
    assert "the outcome is MARAC" in held.reason
    assert "domestic abuse is recorded" in held.reason
    assert [j.recipient for j in letters.letters_due_for_contact(world.bea, logged.reference)] == [
        LetterRecipient.REFERRER
    ]
    text = pdf_text(letters.preview_letter(world.sam, logged.id, "family")).lower()
    assert "domestic" not in text
    assert "marac" not in text
    assert "everyday needs" in text  # the other concern is still explained
