"""The words of the outcome letters: plain English, one place, versioned with ``TEMPLATE_VERSION``.

Professionals get the decision in the terms they use; members of the public get less detail; the
family gets plain words about their own children. Nothing here ever mentions a referrer by name.
"""

from __future__ import annotations

from datetime import date

from mash_desk.domain.enums import Concern, ConsentStatus, Outcome, OverrideBasis

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(day: date) -> str:
    """A date as letters print it, 10 March 2026, whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def join_words(items: list[str] | tuple[str, ...]) -> str:
    """Items joined the way a sentence lists them: a; a and b; a, b and c."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


# --- to a professional --------------------------------------------------------------------------

DECISION_FOR_PROFESSIONAL: dict[Outcome, str] = {
    Outcome.NFA: "No further action by children's social care",
    Outcome.ADVICE_SIGNPOST: "Advice given and signposted to universal services",
    Outcome.EARLY_HELP: "Stepped down to early help",
    Outcome.SINGLE_AGENCY: "One agency to act (single-agency support)",
    Outcome.CFA_S17: "Child and family assessment (Children Act 1989, section 17)",
    Outcome.STRATEGY_S47: "Strategy discussion and section 47 enquiry",
    Outcome.EMERGENCY_PROTECTION: "Emergency protection action taken",
    Outcome.TRANSFER_OTHER_LA: "Transferred to another local authority",
    Outcome.PASS_TO_ALLOCATED_WORKER: "Passed to the child's allocated worker (open case)",
    Outcome.MARAC: "Referred to MARAC",
    Outcome.LADO: "Referred to the Local Authority Designated Officer (LADO)",
}

ROLE_FOR_PROFESSIONAL: dict[Outcome, str] = {
    Outcome.NFA: "Children's social care will not be involved. Please keep supporting the child as part of your "
    "usual work and contact us again if anything changes.",
    Outcome.ADVICE_SIGNPOST: "You keep your usual role with the child. Please keep a watchful eye and contact us "
    "again if your concerns grow.",
    Outcome.EARLY_HELP: "You may be asked to take part in the early help assessment and the team around the "
    "family. Please keep your usual contact with the child.",
    Outcome.SINGLE_AGENCY: "One agency will support the family. If that is your agency we will confirm what is "
    "asked of you; otherwise please keep your usual role with the child.",
    Outcome.CFA_S17: "A social worker may contact you for your views and what you know. Please keep supporting "
    "the child and share anything new with the social worker.",
    Outcome.STRATEGY_S47: "You may be invited to the strategy discussion or asked for information. Please do not "
    "discuss the enquiry with the family until the social worker says it is safe.",
    Outcome.EMERGENCY_PROTECTION: "Immediate action has been taken to keep the child safe. The social worker will "
    "contact you if your involvement is needed.",
    Outcome.TRANSFER_OTHER_LA: "Your information has been passed to the child's home authority, which may contact "
    "you directly.",
    Outcome.PASS_TO_ALLOCATED_WORKER: "The child's allocated worker has your information and may contact you. "
    "Please share anything new with them.",
    Outcome.MARAC: "You may be asked to share information with, or attend, the MARAC meeting.",
    Outcome.LADO: "The LADO will contact you. Please follow your organisation's procedures and do not carry out "
    "your own investigation.",
}


def steps_taken(screened: bool, agencies_checked: bool, authorised_by_manager: bool, decided: str) -> str:
    """What was done with the contact, in a sentence, saying only what the records show was done.

    ``decided`` is already marked up (bold). A contact passed straight to an open case's team, say,
    was neither screened nor authorised by a manager, and the letter must not claim it was.
    """
    decision = (
        f"a manager authorised the decision on <b>{decided}</b>"
        if authorised_by_manager
        else f"the decision was made on <b>{decided}</b>"
    )
    if screened and agencies_checked:
        done = "The information was screened and checked with partner agencies"
    elif screened:
        done = "The information was screened"
    elif agencies_checked:
        done = "The information was checked with partner agencies"
    else:
        return f"{decision[0].upper()}{decision[1:]}."
    return f"{done}, and {decision}."


def the_team(name: str) -> str:
    """A team name in a sentence, with "the" in front unless it already has it."""
    return name if name.lower().startswith("the ") else f"the {name}"


def next_step_for_professional(outcome: Outcome, team: str | None, accepted: bool) -> str:
    """What happens next, and which team, for one child."""
    if outcome in (Outcome.NFA, Outcome.ADVICE_SIGNPOST):
        return "No team is allocated."
    if team is None:
        return "The case is being passed to the team that will act."
    if accepted:
        return f"Accepted by {the_team(team)}, who will act on it."
    return f"Passed to {the_team(team)}, who will act on it."


# --- to a member of the public --------------------------------------------------------------------

DECISION_FOR_PUBLIC: dict[Outcome, str] = {
    Outcome.NFA: "No further action by children's social care is needed at the moment.",
    Outcome.ADVICE_SIGNPOST: "Advice and information have been given.",
}
DECISION_FOR_PUBLIC_DEFAULT = "We have acted on your information, and the right service is now involved."


def decision_for_public(outcome: Outcome) -> str:
    """Less detail for a member of the public: whether we acted, not how."""
    return DECISION_FOR_PUBLIC.get(outcome, DECISION_FOR_PUBLIC_DEFAULT)


# --- to the family --------------------------------------------------------------------------------

DECISION_FOR_FAMILY: dict[Outcome, str] = {
    Outcome.NFA: "We do not need to do anything more.",
    Outcome.ADVICE_SIGNPOST: "We have given you advice and information about services that can help.",
    Outcome.EARLY_HELP: "We have asked the early help service to offer your family support.",
    Outcome.SINGLE_AGENCY: "A service that already knows your family will offer you support.",
    Outcome.CFA_S17: "A social worker will meet you to carry out an assessment with your family.",
    Outcome.STRATEGY_S47: "A social worker and other professionals are looking into the worries to make sure "
    "your child is safe.",
    Outcome.EMERGENCY_PROTECTION: "We have acted straight away to keep your child safe.",
    Outcome.TRANSFER_OTHER_LA: "We have passed this to children's services in the area where you live.",
    Outcome.PASS_TO_ALLOCATED_WORKER: "We have passed this to the worker your child already has.",
    # never says what MARAC is about: the household may include the person who is feared (DOMAIN §8)
    Outcome.MARAC: "We have shared information with a meeting of services that work together to help keep people safe.",
    Outcome.LADO: "The worries are about someone who works with children, so we have passed them to the officer "
    "who deals with this (the LADO).",
}

SUPPORT_FOR_FAMILY: dict[Outcome, str] = {
    Outcome.NFA: "If things change and you would like help, you can contact us, your GP, health visitor or your "
    "child's school at any time.",
    Outcome.ADVICE_SIGNPOST: "Your local family hub, health visitor, GP and your child's school can all offer "
    "help and advice. You can contact them yourself at any time.",
    Outcome.EARLY_HELP: "An early help worker will contact you to talk about what is going well, what is hard, "
    "and what help would make a difference. Early help is voluntary: it works best when families take part.",
    Outcome.SINGLE_AGENCY: "The service will contact you to talk about what support would help.",
    Outcome.CFA_S17: "A social worker will contact you to arrange a visit. The assessment looks at what is going "
    "well, what worries people, and what help your family may need. You and your child will be asked for your "
    "views, and you will be told the outcome.",
    Outcome.STRATEGY_S47: "A social worker will contact you to explain what is happening and what it means for "
    "your family. You can ask them any questions and you can have someone with you when you meet.",
    Outcome.EMERGENCY_PROTECTION: "A social worker will explain what has happened, what it means, and your rights. "
    "You may want to get advice from a solicitor.",
    Outcome.TRANSFER_OTHER_LA: "Children's services where you live will contact you.",
    Outcome.PASS_TO_ALLOCATED_WORKER: "Your child's worker will contact you to talk about it.",
    Outcome.MARAC: "A worker from a support service may contact you to offer help.",
    Outcome.LADO: "You will be told what happens if it affects your child.",
}


def support_for_family(outcome: Outcome, team: str | None) -> str:
    base = SUPPORT_FOR_FAMILY[outcome]
    # a MARAC team's name could say what the meeting is about: the household is not told
    if team and outcome not in (Outcome.NFA, Outcome.ADVICE_SIGNPOST, Outcome.TRANSFER_OTHER_LA, Outcome.MARAC):
        return f"{base} The team working with you is {the_team(team)}."
    return base


CONCERN_FOR_FAMILY: dict[Concern, str] = {
    Concern.NEGLECT: "whether a child's everyday needs, such as food, clothes, health or care, were being met",
    Concern.PHYSICAL_ABUSE: "a child being physically hurt",
    Concern.SEXUAL_ABUSE: "a child being sexually harmed",
    Concern.EMOTIONAL_ABUSE: "a child's emotional wellbeing",
    Concern.DOMESTIC_ABUSE: "domestic abuse in the home",
    Concern.PARENTAL_MENTAL_HEALTH: "a parent's or carer's mental health",
    Concern.SUBSTANCE_MISUSE: "alcohol or drug use in the home",
    Concern.LEARNING_DISABILITY: "support for a learning disability",
    Concern.CSE: "a child being sexually exploited",
    Concern.CCE: "a child being criminally exploited",
    Concern.MISSING: "a child going missing",
    Concern.GANGS: "a child's involvement with gangs",
    Concern.TRAFFICKING: "a child being trafficked",
    Concern.FGM: "female genital mutilation (FGM)",
    Concern.FAITH_BASED_ABUSE: "harm linked to faith or belief",
    Concern.SELF_HARM: "a child harming themselves",
    Concern.YOUNG_CARER: "a child caring for someone in the family",
    Concern.PRIVATE_FOSTERING: "a child living with someone who is not a close relative (private fostering)",
    Concern.UNACCOMPANIED_ASYLUM_SEEKER: "a child seeking asylum without a parent",
    Concern.RADICALISATION: "a child being drawn into extremism",
    Concern.HOUSING: "your family's housing",
    Concern.SCHOOL_ABSENCE: "a child missing school",
}

OVERRIDE_REASON_FOR_FAMILY: dict[OverrideBasis, str] = {
    OverrideBasis.PUBLIC_TASK_SAFEGUARDING: "asking for your agreement first could have put a child at risk of "
    "harm, and the law allows information to be shared to protect children (UK GDPR Article 6(1)(e) and "
    "Article 9(2)(g), Data Protection Act 2018 Schedule 1 paragraph 18)",
    OverrideBasis.VITAL_INTERESTS: "someone's life or safety was at immediate risk (UK GDPR Article 6(1)(d))",
    OverrideBasis.LEGAL_OBLIGATION: "the law required us to share it (UK GDPR Article 6(1)(c))",
}


def sharing_for_family(
    consent: ConsentStatus | None, override: bool, basis: OverrideBasis | None, agencies: tuple[str, ...]
) -> list[str]:
    """How the family's information was used and shared, in a paragraph or two."""
    asked = f" We asked {join_words(list(agencies))} what they knew." if agencies else ""
    paragraphs = [
        "We keep a record of what we were told, what we found out and what we decided, so that the people "
        "helping your family have the full picture."
    ]
    if override:
        reason = OVERRIDE_REASON_FOR_FAMILY[basis] if basis else "it was needed to keep a child safe"
        paragraphs.append(
            "We shared information with other services without asking for your agreement first. "
            f"We did this because {reason}.{asked}"
        )
    elif consent is ConsentStatus.GIVEN:
        paragraphs.append(
            "With your agreement, we checked what other services that work with children, such as health, "
            f"schools and the police, know about your family, so that we could decide what would help.{asked}"
        )
    else:
        paragraphs.append("We did not share your information with other services.")
    return paragraphs
