"""Who a family letter may go to, and when it must wait for a social worker: pure rules, no I/O.

A family letter is posted to the children's home, so whoever it is addressed to, the household
sees it. It must therefore never be addressed to the person who made the contact when they may
not be named to the family (DOMAIN §5, §8), never to an alleged perpetrator, and never to an
adult who does not live at the child's address. When no adult is safe to address, the letter is
held: it is never sent to "the parent or carer" at the home by default.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from mash_desk.domain.enums import Concern, Outcome, ReferrerKind, RelationshipKind


class HoldTrigger(StrEnum):
    """What on a contact can hold its family letter for a social worker's review."""

    OUTCOME = "outcome"
    CONCERN = "concern"
    ALLEGED_PERPETRATOR = "alleged_perpetrator"


NAMED_PERPETRATOR = "named"
"""The one code of the ``ALLEGED_PERPETRATOR`` trigger: an alleged perpetrator is named on the contact."""

HoldKey = tuple[HoldTrigger, str]

DEFAULT_HOLDS: frozenset[HoldKey] = frozenset(
    {
        (HoldTrigger.OUTCOME, Outcome.STRATEGY_S47.value),
        (HoldTrigger.OUTCOME, Outcome.EMERGENCY_PROTECTION.value),
        (HoldTrigger.OUTCOME, Outcome.MARAC.value),
        (HoldTrigger.CONCERN, Concern.DOMESTIC_ABUSE.value),
        (HoldTrigger.ALLEGED_PERPETRATOR, NAMED_PERPETRATOR),
    }
)
"""The holds a new hub starts with (DOMAIN §8): a section 47 enquiry or emergency protection with the
police, MARAC and domestic abuse (the perpetrator may read the letter), and a named alleged perpetrator."""


def every_hold_key() -> list[HoldKey]:
    """Every row of the hold policy, in the order the administrator sees them."""
    return [
        *((HoldTrigger.OUTCOME, outcome.value) for outcome in Outcome),
        *((HoldTrigger.CONCERN, concern.value) for concern in Concern),
        (HoldTrigger.ALLEGED_PERPETRATOR, NAMED_PERPETRATOR),
    ]


def valid_hold_key(trigger: str, code: str) -> HoldKey | None:
    """The policy row ``trigger``/``code`` names, or ``None`` if there is no such row."""
    try:
        key = (HoldTrigger(trigger), code)
    except ValueError:
        return None
    return key if key in every_hold_key() else None


def hold_keys_for(
    holds: Mapping[HoldKey, bool], outcomes: Iterable[Outcome], concerns: Iterable[Concern], perpetrator_named: bool
) -> list[HoldKey]:
    """The policy rows that hold this contact's family letter (none: it may go in the batch).

    A row missing from ``holds`` takes its default, so a new outcome or concern starts safe.
    """

    def holding(key: HoldKey) -> bool:
        return holds.get(key, key in DEFAULT_HOLDS)

    keys = [(HoldTrigger.OUTCOME, o.value) for o in sorted(set(outcomes), key=list(Outcome).index)]
    keys += [(HoldTrigger.CONCERN, c.value) for c in sorted(set(concerns), key=list(Concern).index)]
    if perpetrator_named:
        keys.append((HoldTrigger.ALLEGED_PERPETRATOR, NAMED_PERPETRATOR))
    return [key for key in keys if holding(key)]


# --- what a family letter may say -------------------------------------------------------------------

DOMESTIC_ABUSE_OUTCOMES = frozenset({Outcome.MARAC})
"""Outcomes whose family letter must not tell the household the contact was about domestic abuse:
MARAC is the domestic abuse risk conference, and the perpetrator may live there or read the post."""


def concerns_for_family(concerns: Iterable[Concern], outcomes: Iterable[Outcome]) -> tuple[Concern, ...]:
    """The concerns a family letter may name: never domestic abuse where the outcome is MARAC."""
    hide = bool(DOMESTIC_ABUSE_OUTCOMES & set(outcomes))
    return tuple(c for c in concerns if not (hide and c is Concern.DOMESTIC_ABUSE))


# --- who the letter goes to -------------------------------------------------------------------------


@dataclass(frozen=True)
class AdultOnContact:
    """An adult named on the contact, with what the addressee rule needs to know about them."""

    person_id: int
    given_names: str
    family_name: str
    relationship: RelationshipKind
    parental_responsibility: bool
    alleged_perpetrator: bool  # on this contact, or on any record about these children
    lives_with_child: bool  # a member of the household at the address the letter goes to
    is_referrer: bool = False  # recorded at intake as the person who made the contact

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()


@dataclass(frozen=True)
class ReferrerOnContact:
    """What the contact says about who made it."""

    kind: ReferrerKind
    anonymity_requested: bool
    name: str | None = None
    relationship: str | None = None

    @property
    def may_be_named_to_family(self) -> bool:
        # the same rule as letters.disclosure.referrer_disclosable_to_family (domain cannot import letters)
        return self.kind is ReferrerKind.PROFESSIONAL and not self.anonymity_requested


class NoAddressee(StrEnum):
    """Why no adult can safely receive the family letter."""

    NO_ADULT_WITH_PR = "no_adult_with_pr"
    NONE_SAFE = "none_safe"


@dataclass(frozen=True)
class AddresseeChoice:
    """The adult the family letter goes to, or why there is none; ``excluded`` says who was passed over and why."""

    adult: AdultOnContact | None
    missing: NoAddressee | None
    excluded: tuple[tuple[AdultOnContact, str], ...] = ()
    referrer_unidentified: bool = False


# a parent before a carer before a relative: the person the family expects the council to write to
_PREFERENCE = (
    RelationshipKind.MOTHER,
    RelationshipKind.FATHER,
    RelationshipKind.FOSTER_CARER,
    RelationshipKind.STEP_PARENT,
    RelationshipKind.GRANDPARENT,
    RelationshipKind.OTHER_RELATIVE,
    RelationshipKind.PARTNER_OF_PARENT,
    RelationshipKind.OTHER,
    RelationshipKind.SIBLING,
)

_RELATIONSHIP_WORDS: dict[RelationshipKind, tuple[str, ...]] = {
    RelationshipKind.MOTHER: ("mother", "mum", "mom", "mam", "mummy", "mama"),
    RelationshipKind.FATHER: ("father", "dad", "daddy", "papa"),
    RelationshipKind.STEP_PARENT: ("stepmother", "stepfather", "stepmum", "stepdad", "stepparent"),
    RelationshipKind.GRANDPARENT: ("grandmother", "grandfather", "grandma", "grandad", "granddad", "nan", "nana"),
    RelationshipKind.FOSTER_CARER: ("foster", "fostercarer", "kinshipcarer", "specialguardian"),
    RelationshipKind.PARTNER_OF_PARENT: ("partner", "boyfriend", "girlfriend"),
}


def _folded(text: str | None) -> str:
    """Letters only, lower case, accents dropped: how two spellings of one name are compared."""
    if not text:
        return ""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def _words(text: str | None) -> set[str]:
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    words = set(re.findall(r"[a-z]+", plain))
    return words | {_folded(text)}


def relationship_named(text: str | None) -> set[RelationshipKind]:
    """The relationships a referrer's own description ("the children's mum", "step-dad") names."""
    words = _words(text)
    joined = _folded(text)
    found = {kind for kind, names in _RELATIONSHIP_WORDS.items() if words & set(names)}
    if "step" in joined:
        found.discard(RelationshipKind.MOTHER)
        found.discard(RelationshipKind.FATHER)
        found.add(RelationshipKind.STEP_PARENT)
    return found


def may_be_the_referrer(adult: AdultOnContact, referrer: ReferrerOnContact) -> bool:
    """Whether ``adult`` is, or could be, the person who made the contact.

    Marked at intake; or the referrer's recorded name is this adult's; or a relative referrer
    described themselves by this adult's relationship to the child ("mum").
    """
    if adult.is_referrer:
        return True
    if referrer.kind is ReferrerKind.PROFESSIONAL and not referrer.anonymity_requested:
        return False
    name = _folded(referrer.name)
    if name and name in {_folded(adult.name), _folded(f"{adult.family_name}{adult.given_names}")}:
        return True
    if referrer.kind in (ReferrerKind.FAMILY, ReferrerKind.ANONYMOUS, ReferrerKind.MEMBER_OF_PUBLIC):
        return adult.relationship in relationship_named(referrer.relationship)
    return False


def choose_family_addressee(adults: Iterable[AdultOnContact], referrer: ReferrerOnContact) -> AddresseeChoice:
    """The safest adult to address the family letter to, or why there is none.

    Only an adult with parental responsibility who lives with the child qualifies, and never an
    alleged perpetrator or a referrer who may not be named to the family. Among those, a parent
    comes before a carer, then the lowest record id (so the choice is stable).
    """
    everyone = list(adults)
    excluded: list[tuple[AdultOnContact, str]] = []
    eligible: list[AdultOnContact] = []
    for adult in everyone:
        if not adult.parental_responsibility:
            continue
        if adult.alleged_perpetrator:
            excluded.append((adult, "alleged perpetrator"))
        elif not adult.lives_with_child:
            excluded.append((adult, "does not live at the child's address"))
        elif not referrer.may_be_named_to_family and may_be_the_referrer(adult, referrer):
            excluded.append((adult, "made the contact and may not be named to the family"))
        else:
            eligible.append(adult)
    identified = any(may_be_the_referrer(adult, referrer) for adult in everyone)
    # a relative who asked not to be named, not identified among the adults, may still be one of them
    unidentified = (
        referrer.kind is ReferrerKind.FAMILY and referrer.anonymity_requested and not identified and bool(eligible)
    )
    if not eligible:
        has_pr = any(adult.parental_responsibility for adult in everyone)
        return AddresseeChoice(
            None,
            NoAddressee.NONE_SAFE if has_pr else NoAddressee.NO_ADULT_WITH_PR,
            tuple(excluded),
        )
    chosen = min(eligible, key=lambda a: (_PREFERENCE.index(a.relationship), a.person_id))
    return AddresseeChoice(chosen, None, tuple(excluded), unidentified)
