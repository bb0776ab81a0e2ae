"""Which of the templates' sentences a letter says, and how they join up: the rules, not the words.

The words are in ``resources/letters/`` (``templates.load_wording``). What stays here is what must
not depend on a council's wording: saying only the steps the records show were taken, and never
naming the team to a MARAC household. Nothing here ever mentions a referrer by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape

from mash_desk.domain.enums import ConsentStatus, Outcome
from mash_desk.domain.family_letters import DOMESTIC_ABUSE_OUTCOMES
from mash_desk.letters.model import CaseFacts, InformationSharing
from mash_desk.letters.templates import LetterWording, Markup, key_of


def format_date(day: date, wording: LetterWording) -> str:
    """A date as letters print it, 10 March 2026, whatever the machine's locale."""
    return f"{day.day} {wording.items('common.months')[day.month - 1]} {day.year}"


def join_words(items: list[str] | tuple[str, ...], wording: LetterWording) -> str:
    """Items joined the way a sentence lists them: a; a and b; a, b and c."""
    return _join(items, wording.text("common.and"))


def join_markup(items: list[Markup], wording: LetterWording) -> Markup:
    """``join_words`` for texts that are already markup."""
    return Markup(_join(items, escape(wording.text("common.and"))))


def _join(items: Sequence[str], and_word: str) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {and_word} {items[-1]}"


def the_team(name: str) -> str:
    """A team name in a sentence, with "the" in front unless it already has it."""
    return name if name.lower().startswith("the ") else f"the {name}"


# --- to a professional --------------------------------------------------------------------------


def steps_taken(wording: LetterWording, facts: CaseFacts, decided: str) -> Markup:
    """What was done with the contact, in a sentence, saying only what the records show was done.

    A contact passed straight to an open case's team, say, was neither screened nor authorised by
    a manager, and the letter must not claim it was.
    """
    steps = "referrer.professional.steps"
    decision = wording.markup(
        f"{steps}.manager_authorised" if facts.authorised_by_manager else f"{steps}.decided", decided=decided
    )
    if facts.screened and facts.agencies_checked:
        done = "screened_and_checked"
    elif facts.screened:
        done = "screened"
    elif facts.agencies_checked:
        done = "checked"
    else:
        done = "neither"
    sentence = wording.markup(f"{steps}.{done}", decision=decision)
    return Markup(f"{sentence[:1].upper()}{sentence[1:]}")


def next_step_for_professional(wording: LetterWording, outcome: Outcome, team: str | None, accepted: bool) -> Markup:
    """What happens next, and which team, for one child."""
    step = "referrer.professional.next_step"
    if outcome in (Outcome.NFA, Outcome.ADVICE_SIGNPOST):
        return wording.markup(f"{step}.no_team")
    if team is None:
        return wording.markup(f"{step}.team_unknown")
    return wording.markup(f"{step}.accepted" if accepted else f"{step}.passed", team=the_team(team))


# --- to the family --------------------------------------------------------------------------------

_NO_TEAM_NAMED = frozenset({Outcome.NFA, Outcome.ADVICE_SIGNPOST, Outcome.TRANSFER_OTHER_LA, *DOMESTIC_ABUSE_OUTCOMES})


def support_for_family(wording: LetterWording, outcome: Outcome, team: str | None) -> Markup:
    base = wording.markup(f"family.support.{key_of(outcome)}")
    # a MARAC team's name could say what the meeting is about: the household is not told
    if team and outcome not in _NO_TEAM_NAMED:
        return Markup(f"{base} {wording.markup('family.support_team', team=the_team(team))}")
    return base


def sharing_for_family(wording: LetterWording, sharing: InformationSharing) -> list[Markup]:
    """How the family's information was used and shared, in a paragraph or two."""
    asked = (
        f" {wording.markup('family.sharing.asked', agencies=join_words(list(sharing.agencies_asked), wording))}"
        if sharing.agencies_asked
        else ""
    )
    paragraphs = [wording.markup("family.sharing.record")]
    if sharing.override:
        basis = sharing.override_basis
        reason = wording.markup(
            f"family.override_reason.{key_of(basis)}" if basis else "family.sharing.override_reason_unknown"
        )
        paragraphs.append(Markup(f"{wording.markup('family.sharing.override', reason=reason)}{asked}"))
    elif sharing.consent is ConsentStatus.GIVEN:
        paragraphs.append(Markup(f"{wording.markup('family.sharing.consent_given')}{asked}"))
    else:
        paragraphs.append(wording.markup("family.sharing.not_shared"))
    return paragraphs
