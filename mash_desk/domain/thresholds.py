"""Which outcomes fit which level of need, and what a decision must say.

A level-3 or level-4 child can never be closed with no further action: that is the decision
serious case reviews keep finding. Routing outcomes (another local authority, the allocated
worker, MARAC, LADO) fit any level where the child's needs go beyond universal services.
"""

from __future__ import annotations

from collections.abc import Iterable

from mash_desk.domain.cin import PRIMARY_NEEDS
from mash_desk.domain.enums import LevelOfNeed, Outcome
from mash_desk.domain.errors import InvalidInput

ROUTING_OUTCOMES = frozenset({Outcome.TRANSFER_OTHER_LA, Outcome.PASS_TO_ALLOCATED_WORKER, Outcome.MARAC, Outcome.LADO})

OUTCOMES_BY_LEVEL: dict[LevelOfNeed, frozenset[Outcome]] = {
    LevelOfNeed.UNIVERSAL: frozenset({Outcome.NFA, Outcome.ADVICE_SIGNPOST, Outcome.TRANSFER_OTHER_LA}),
    LevelOfNeed.EARLY_HELP: frozenset({Outcome.EARLY_HELP, Outcome.SINGLE_AGENCY, Outcome.ADVICE_SIGNPOST})
    | ROUTING_OUTCOMES,
    LevelOfNeed.COMPLEX: frozenset({Outcome.CFA_S17}) | ROUTING_OUTCOMES,
    LevelOfNeed.ACUTE: frozenset({Outcome.STRATEGY_S47, Outcome.EMERGENCY_PROTECTION}) | ROUTING_OUTCOMES,
}

LEVEL_WORDS: dict[LevelOfNeed, str] = {
    LevelOfNeed.UNIVERSAL: "Level 1 — universal",
    LevelOfNeed.EARLY_HELP: "Level 2 — early help / additional needs",
    LevelOfNeed.COMPLEX: "Level 3 — complex / child in need",
    LevelOfNeed.ACUTE: "Level 4 — acute / child protection",
}

OUTCOME_WORDS: dict[Outcome, str] = {
    Outcome.NFA: "No further action",
    Outcome.ADVICE_SIGNPOST: "Advice and signposting to universal services",
    Outcome.EARLY_HELP: "Step down to early help",
    Outcome.SINGLE_AGENCY: "Single agency to act",
    Outcome.CFA_S17: "Child and family assessment (section 17)",
    Outcome.STRATEGY_S47: "Strategy discussion / section 47 enquiry",
    Outcome.EMERGENCY_PROTECTION: "Police protection or emergency protection order",
    Outcome.TRANSFER_OTHER_LA: "Transfer to another local authority",
    Outcome.PASS_TO_ALLOCATED_WORKER: "Passed to the allocated worker (open case)",
    Outcome.MARAC: "Referral to MARAC",
    Outcome.LADO: "Referral to the LADO",
}

MIN_RATIONALE = 20


def check_decision(level: int, outcome: Outcome | str, primary_need: str, rationale: str) -> LevelOfNeed:
    """Validate a proposed threshold decision; every problem is reported against its field."""
    errors: dict[str, str] = {}
    parsed_level: LevelOfNeed | None = None
    try:
        parsed_level = LevelOfNeed(level)
    except ValueError:
        errors["level_of_need"] = "Choose a level of need from 1 (universal) to 4 (acute)."
    parsed_outcome: Outcome | None = None
    try:
        parsed_outcome = Outcome(outcome)
    except ValueError:
        errors["outcome"] = "Choose an outcome from the list."
    if (
        parsed_level is not None
        and parsed_outcome is not None
        and parsed_outcome not in OUTCOMES_BY_LEVEL[parsed_level]
    ):
        errors["outcome"] = (
            f"'{OUTCOME_WORDS[parsed_outcome]}' does not fit {LEVEL_WORDS[parsed_level]}. "
            "Change the level or the outcome."
        )
    if primary_need not in PRIMARY_NEEDS:
        errors["primary_need"] = "Choose a primary need code (N0 to N9)."
    if len((rationale or "").strip()) < MIN_RATIONALE:
        errors["rationale"] = (
            f"Write the rationale in at least {MIN_RATIONALE} characters: "
            "what is known, what it means for the child, and why this outcome."
        )
    if errors:
        raise InvalidInput(errors)
    assert parsed_level is not None
    return parsed_level


SERIOUSNESS: tuple[Outcome, ...] = (
    Outcome.EMERGENCY_PROTECTION,
    Outcome.STRATEGY_S47,
    Outcome.LADO,
    Outcome.MARAC,
    Outcome.CFA_S17,
    Outcome.PASS_TO_ALLOCATED_WORKER,
    Outcome.TRANSFER_OTHER_LA,
    Outcome.SINGLE_AGENCY,
    Outcome.EARLY_HELP,
    Outcome.ADVICE_SIGNPOST,
    Outcome.NFA,
)
"""Outcomes, the most serious first: what a list shows first so a section 47 never looks routine."""


def most_serious_first(outcomes: Iterable[Outcome]) -> tuple[Outcome, ...]:
    return tuple(sorted(set(outcomes), key=SERIOUSNESS.index))


def is_child_protection(outcome: Outcome) -> bool:
    """A strategy discussion / section 47 enquiry or emergency protection: level 4 work."""
    return outcome in (Outcome.STRATEGY_S47, Outcome.EMERGENCY_PROTECTION)
