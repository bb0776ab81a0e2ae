"""What the hub will decide about a contact: its RAG rating, any DASH score, each child's level of
need and outcome, the receiving team, consent, and the agencies asked: the truth its steps lead to."""

from typing import Any

from mash_desk.domain.cin import pick_primary_need
from mash_desk.domain.enums import Concern, ConsentStatus, Outcome, Rag
from mash_desk.domain.risk import DASH_QUESTION_COUNT, score_dash
from mash_desk.tools.demo.choice import Picker, between, pairs, pick, weighted
from mash_desk.tools.demo.state import ContactState
from mash_desk.tools.demo.town import Family, Person
from mash_desk.tools.demo.vocabulary import C

LEVEL_WEIGHTS = (40.0, 38.0, 16.0, 6.0)
OUTCOMES_FOR_LEVEL: dict[int, tuple[tuple[Outcome, float], ...]] = {
    1: ((Outcome.NFA, 50), (Outcome.ADVICE_SIGNPOST, 49), (Outcome.TRANSFER_OTHER_LA, 1)),
    2: (
        (Outcome.EARLY_HELP, 72),
        (Outcome.SINGLE_AGENCY, 25),
        (Outcome.LADO, 0.5),
        (Outcome.TRANSFER_OTHER_LA, 1),
        (Outcome.MARAC, 1.5),
    ),
    3: ((Outcome.CFA_S17, 96), (Outcome.TRANSFER_OTHER_LA, 1), (Outcome.LADO, 0.5), (Outcome.MARAC, 2.5)),
    4: ((Outcome.STRATEGY_S47, 95.5), (Outcome.EMERGENCY_PROTECTION, 4), (Outcome.LADO, 0.5)),
}
# the receiving team for the weightiest outcome on the contact (earlier wins)
TEAM_FOR_OUTCOME: tuple[tuple[Outcome, str], ...] = (
    (Outcome.EMERGENCY_PROTECTION, "Child Protection Team"),
    (Outcome.STRATEGY_S47, "Child Protection Team"),
    (Outcome.CFA_S17, "Assessment Team"),
    (Outcome.MARAC, "MARAC Coordination"),
    (Outcome.LADO, "LADO Service"),
    (Outcome.TRANSFER_OTHER_LA, "Neighbouring Authority MASH"),
    (Outcome.EARLY_HELP, "Early Help Team"),
    (Outcome.SINGLE_AGENCY, "Early Help Team"),
)
PRIMARY_NEED_FOR: dict[Concern, str] = {
    C.NEGLECT: "N1",
    C.PHYSICAL_ABUSE: "N1",
    C.SEXUAL_ABUSE: "N1",
    C.EMOTIONAL_ABUSE: "N1",
    C.DOMESTIC_ABUSE: "N1",
    C.FGM: "N1",
    C.CSE: "N1",
    C.TRAFFICKING: "N1",
    C.FAITH_BASED_ABUSE: "N1",
    C.LEARNING_DISABILITY: "N2",
    C.PARENTAL_MENTAL_HEALTH: "N3",
    C.SUBSTANCE_MISUSE: "N3",
    C.YOUNG_CARER: "N3",
    C.HOUSING: "N4",
    C.SELF_HARM: "N4",
    C.SCHOOL_ABSENCE: "N5",
    C.CCE: "N6",
    C.GANGS: "N6",
    C.MISSING: "N6",
    C.RADICALISATION: "N6",
    C.UNACCOMPANIED_ASYLUM_SEEKER: "N8",
    C.PRIVATE_FOSTERING: "N8",
}
CASE_DAYS: dict[Outcome, tuple[int, int]] = {
    Outcome.CFA_S17: (20, 150),
    Outcome.STRATEGY_S47: (60, 500),
    Outcome.EMERGENCY_PROTECTION: (120, 700),
    Outcome.PASS_TO_ALLOCATED_WORKER: (30, 200),
}
POLICE_CONCERNS = frozenset(
    {
        C.DOMESTIC_ABUSE,
        C.PHYSICAL_ABUSE,
        C.SEXUAL_ABUSE,
        C.CSE,
        C.CCE,
        C.MISSING,
        C.GANGS,
        C.TRAFFICKING,
        C.RADICALISATION,
        C.FGM,
    }
)
CONSENT_KINDS: tuple[tuple[tuple[ConsentStatus, bool], float], ...] = (
    ((ConsentStatus.GIVEN, False), 60),
    ((ConsentStatus.REFUSED, True), 9),
    ((ConsentStatus.NOT_SOUGHT, True), 14),
    ((ConsentStatus.NOT_POSSIBLE, True), 4),
    ((ConsentStatus.REFUSED, False), 7),
    ((ConsentStatus.NOT_SOUGHT, False), 6),
)

PICK_DASH_BAND = Picker(((0, 9), (10, 13), (14, 22)), (55, 25, 20))
PICK_OUTCOME = {level: pairs(options) for level, options in OUTCOMES_FOR_LEVEL.items()}
PICK_CONSENT = pairs(CONSENT_KINDS)


def rag(s: ContactState, severity: float, immediate: bool) -> Rag:
    roll = s.rng.random()
    if immediate:
        return Rag.RED if roll < 0.9 else Rag.AMBER
    red = min(0.35, 0.03 + 0.22 * severity)
    if roll < red:
        return Rag.RED
    return Rag.AMBER if roll < red + 0.36 else Rag.GREEN


def dash_answers(s: ContactState, concerns: list[Concern]) -> tuple[str, Any, str | None] | None:
    """A DASH checklist for domestic abuse contacts: the answers, the score, any judgement reason."""
    rng, story = s.rng, s.story
    if C.DOMESTIC_ABUSE not in concerns:
        return None
    if story is not None:
        if not story.dash:
            return None
        yes = 16
    elif rng.random() < 0.6:
        low, high = PICK_DASH_BAND(rng)
        yes = between(rng, low, high)
    else:
        return None
    answers: list[bool | None] = [False] * DASH_QUESTION_COUNT
    for position in rng.sample(range(DASH_QUESTION_COUNT), yes):
        answers[position] = True
    if rng.random() < 0.3:
        unanswered = [i for i, answer in enumerate(answers) if answer is False]
        if unanswered:
            answers[pick(rng, unanswered)] = None
    judgement = 10 <= yes < 14 and rng.random() < 0.2
    reason = "Reports of non-fatal strangulation and threats to kill; risk escalating." if judgement else None
    result = score_dash(answers, professional_judgement_high=judgement, judgement_reason=reason)
    text_answers = "".join("Y" if a is True else ("-" if a is None else "N") for a in answers)
    return text_answers, result, reason


def outcomes(
    s: ContactState,
    named: list[Person],
    concerns: list[Concern],
    severity: float,
    immediate: bool,
    dash: tuple[str, Any, str | None] | None,
) -> list[tuple[int, Outcome, str]]:
    """Each child's level of need, outcome and CIN primary need (the decision the steps lead to)."""
    rng, story = s.rng, s.story
    if story is not None and story.outcome is not None and story.level is not None:
        need = primary_need(s, story.level, story.outcome, concerns)
        return [(story.level, story.outcome, need)] * len(named)
    if immediate:
        weights = [0.0, 5.0, 30.0, 65.0]
    else:
        a, b_, c, d = LEVEL_WEIGHTS
        weights = [
            a * (1 - 0.6 * severity),
            b_ * (1 - 0.3 * severity),
            c * (1 + 0.5 * severity),
            d * (1 + 2.5 * severity),
        ]
    dash_high = dash is not None and dash[1].marac_referral
    result: list[tuple[int, Outcome, str]] = []
    for index in range(len(named)):
        if index == 0 or rng.random() >= 0.15:
            level = result[0][0] if index else weighted(rng, (1, 2, 3, 4), weights)
            if index:
                result.append(result[0])
                continue
        else:
            level = min(4, max(1, result[0][0] + pick(rng, (-1, 1))))
        outcome = outcome_for(s, level, concerns, immediate, dash_high)
        result.append((level, outcome, primary_need(s, level, outcome, concerns)))
    return result


def outcome_for(s: ContactState, level: int, concerns: list[Concern], immediate: bool, dash_high: bool) -> Outcome:
    rng = s.rng
    domestic_abuse = C.DOMESTIC_ABUSE in concerns
    if dash_high and domestic_abuse and level in (2, 3) and rng.random() < 0.4:
        return Outcome.MARAC
    if immediate and level == 4 and rng.random() < 0.25:
        return Outcome.EMERGENCY_PROTECTION
    options = OUTCOMES_FOR_LEVEL[level]
    outcome: Outcome = PICK_OUTCOME[level](rng)
    if outcome is Outcome.MARAC and not domestic_abuse:
        outcome = options[0][0]
    return outcome


def primary_need(s: ContactState, level: int, outcome: Outcome, concerns: list[Concern]) -> str:
    if outcome in (Outcome.NFA, Outcome.ADVICE_SIGNPOST) and s.rng.random() < 0.7:
        return "N9"
    return pick_primary_need(PRIMARY_NEED_FOR.get(c, "N0") for c in concerns)


def receiving_team(outcomes: list[Outcome]) -> str | None:
    """The team for the weightiest outcome on the contact."""
    for outcome, team in TEAM_FOR_OUTCOME:
        if outcome in outcomes:
            return team
    return None


def consent_kind(s: ContactState, *, sharing_needed: bool) -> tuple[ConsentStatus, bool]:
    if "refused_override" in s.forced:
        return ConsentStatus.REFUSED, True
    status, override = PICK_CONSENT(s.rng)
    if sharing_needed and status is not ConsentStatus.GIVEN:
        override = True
    return status, override


def agencies_to_ask(
    s: ContactState, concerns: list[Concern], family: Family, named: list[Person], men: bool
) -> list[str]:
    rng = s.rng
    asks: set[str] = set()
    if POLICE_CONCERNS.intersection(concerns) or rng.random() < 0.5:
        asks.add("POLICE")
    if rng.random() < 0.85:
        asks.add("HEALTH")
    today = s.t0.date()
    if any(p.dob is not None and 4 <= (today - p.dob).days / 365.25 < 17 for p in named) and rng.random() < 0.8:
        asks.add("EDUCATION")
    housing = family.temporary or family.overcrowded or family.homeless or C.HOUSING in concerns
    if rng.random() < (0.9 if housing else 0.08):
        asks.add("HOUSING")
    if C.DOMESTIC_ABUSE in concerns:
        if men and rng.random() < 0.35:
            asks.add("PROBATION")
        if rng.random() < 0.45:
            asks.add("DA_SERVICE")
    if rng.random() < 0.12:
        asks.add("EARLY_HELP")
    if "markings" in s.forced:
        asks.update(("POLICE", "HEALTH", "EDUCATION"))
    return sorted(asks or {"HEALTH"})
