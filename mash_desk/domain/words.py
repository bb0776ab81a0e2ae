"""The words people read for the core's codes: one place for the window, the command line and the PDFs.

Enums store stable codes ("EARLY_HELP", "agency_checks") and the CIN census keeps its own ("6",
"N1"); a person reads "Step down to early help", "waiting for agency checks", "Police", "Abuse or
neglect". The window wraps these in Qt's translator (``gui.words``); the services that build
sentences (a contact's chronology, a child's record), the command line and the letters use them as
they are. CIN codes belong in exports and in tooltips (``gui.words``' ``*_tip``), never in the words.
"""

from __future__ import annotations

from enum import Enum

from mash_desk.domain.cin import PRIMARY_NEEDS, REFERRAL_SOURCES
from mash_desk.domain.enums import (
    Channel,
    Concern,
    ConsentStatus,
    ContactStatus,
    LevelOfNeed,
    NoteKind,
    Outcome,
    OverrideBasis,
    Rag,
    Role,
)
from mash_desk.domain.lifecycle import STATUS_WORDS
from mash_desk.domain.thresholds import LEVEL_WORDS, OUTCOME_WORDS

# codes whose words are not just the code with spaces
SPECIAL_WORDS: dict[str, str] = {
    "fgm": "FGM (female genital mutilation)",
    "mash": "MASH",
    "uk_gdpr_6_1_e_9_2_g_dpa_sch1_p18": "UK GDPR public task / safeguarding",
    "uk_gdpr_6_1_d": "UK GDPR vital interests",
    "uk_gdpr_6_1_c": "UK GDPR legal obligation",
    "email": "E-mail",
    "secure_email": "Secure e-mail",
    "da_service": "Domestic abuse service",
    "partner_of_parent": "Partner of a parent",
}

# an outcome inside a sentence: "the outcome is a section 47 enquiry"
_OUTCOMES_IN_SENTENCES: dict[Outcome, str] = {
    Outcome.NFA: "no further action",
    Outcome.ADVICE_SIGNPOST: "advice and signposting",
    Outcome.EARLY_HELP: "early help",
    Outcome.SINGLE_AGENCY: "single-agency support",
    Outcome.CFA_S17: "a child and family assessment",
    Outcome.STRATEGY_S47: "a section 47 enquiry",
    Outcome.EMERGENCY_PROTECTION: "emergency protection",
    Outcome.TRANSFER_OTHER_LA: "a transfer to another local authority",
    Outcome.PASS_TO_ALLOCATED_WORKER: "passed to the allocated worker",
    Outcome.MARAC: "MARAC",
    Outcome.LADO: "a referral to the LADO",
}

# a concern inside a sentence, where its phrase would not read ("FGM is recorded")
_CONCERNS_IN_SENTENCES: dict[Concern, str] = {
    Concern.CSE: "child sexual exploitation",
    Concern.CCE: "child criminal exploitation",
    Concern.FGM: "FGM",
    Concern.UNACCOMPANIED_ASYLUM_SEEKER: "an unaccompanied asylum-seeking child",
}

ROLE_WORDS: dict[Role, str] = {
    Role.PRACTITIONER: "practitioner",
    Role.AGENCY: "partner agency",
    Role.MANAGER: "team manager",
    Role.BUSINESS_SUPPORT: "business support",
    Role.ADMIN: "administrator",
    Role.AUDITOR: "auditor",
}

OVERRIDE_BASIS_WORDS: dict[OverrideBasis, str] = {
    OverrideBasis.PUBLIC_TASK_SAFEGUARDING: (
        "UK GDPR Art 6(1)(e) public task, Art 9(2)(g) with DPA 2018 Sch 1 para 18 (safeguarding)"
    ),
    OverrideBasis.VITAL_INTERESTS: "UK GDPR Art 6(1)(d) vital interests",
    OverrideBasis.LEGAL_OBLIGATION: "UK GDPR Art 6(1)(c) legal obligation",
}


def code_words(value: Enum | str) -> str:
    """A stored code as a phrase: ``HousingTenure.TEMPORARY`` → "Temporary accommodation",
    ``"DA_SERVICE"`` → "Domestic abuse service"."""
    code = str(value.value if isinstance(value, Enum) else value)
    special = SPECIAL_WORDS.get(code.lower())
    if special is not None:
        return special
    if isinstance(value, Outcome):
        return OUTCOME_WORDS[value]
    if isinstance(value, Role):
        return ROLE_WORDS[value][:1].upper() + ROLE_WORDS[value][1:]
    words = code.replace("_", " ").strip().lower()
    return words[:1].upper() + words[1:]


def in_sentence(words: str) -> str:
    """A phrase inside a sentence: "Schools" → "schools", but "LA early help" and "GP" stay as they are."""
    return words if words[:2].isupper() else words[:1].lower() + words[1:]


def role_words(role: Role) -> str:
    return ROLE_WORDS[role]


def status_words(status: Enum) -> str:
    """A contact's status as a person says it ("waiting for agency checks"); other statuses as phrases."""
    if isinstance(status, ContactStatus):
        words = STATUS_WORDS[status]
        return words[:1].upper() + words[1:]
    return code_words(status)


def rag_words(rag: Rag | None) -> str:
    """RED, AMBER, GREEN in capitals (so a rating never depends on its colour), or "Not rated"."""
    return rag.value.upper() if rag is not None else "Not rated"


def outcome_words(outcome: Outcome) -> str:
    return OUTCOME_WORDS[outcome]


def outcome_in_sentence(outcome: Outcome) -> str:
    return _OUTCOMES_IN_SENTENCES[outcome]


def concern_in_sentence(concern: Concern) -> str:
    return _CONCERNS_IN_SENTENCES.get(concern) or code_words(concern).lower()


def level_words(level: int) -> str:
    """ "Level 3 — complex / child in need"; a level outside 1–4 as "Level n"."""
    try:
        return LEVEL_WORDS[LevelOfNeed(level)]
    except ValueError:
        return f"Level {level}"


def consent_words(status: ConsentStatus) -> str:
    return {
        ConsentStatus.GIVEN: "given",
        ConsentStatus.REFUSED: "refused",
        ConsentStatus.NOT_SOUGHT: "not sought",
        ConsentStatus.NOT_POSSIBLE: "not possible to seek",
    }[status]


def channel_words(channel: Channel) -> str:
    """How a contact came in, after "by": "phone", "e-mail", "a police notification"."""
    return {
        Channel.PHONE: "phone",
        Channel.EMAIL: "e-mail",
        Channel.REFERRAL_FORM: "referral form",
        Channel.POLICE_NOTIFICATION: "police notification",
        Channel.IN_PERSON: "a visit in person",
        Channel.LETTER: "letter",
    }[channel]


def note_kind_words(kind: NoteKind) -> str:
    return {
        NoteKind.CASE_NOTE: "Case note",
        NoteKind.MANAGEMENT_OVERSIGHT: "Management oversight",
        NoteKind.CORRECTION: "Correction",
    }[kind]


def override_basis_words(basis: OverrideBasis) -> str:
    return OVERRIDE_BASIS_WORDS[basis]


def referral_source_words(code: str) -> str:
    """Who the contact came from, in the census's words ("Police", "Schools"); the code only if unknown."""
    return REFERRAL_SOURCES.get(code, code)


def primary_need_words(code: str) -> str:
    return PRIMARY_NEEDS.get(code, code)


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """A number of things as a person says it: "1 contact", "3 contacts", "1,250 contacts".

    ``plural`` is for words that do not just take an "s" ("1 child", "2 children"; "1 pair of
    records", "2 pairs of records"). The words come in as they are, so the window can pass them
    through its translator first.
    """
    things = singular if count == 1 else (plural if plural is not None else f"{singular}s")
    return f"{count:,} {things}"


def how_many_times(count: int, once: str = "once", twice: str = "twice", times: str = "times") -> str:
    """How often something happened, as a person says it: "once", "twice", "3 times", "1,250 times".

    The words come in as they are, as :func:`counted`'s do, so the window can translate them first.
    """
    return once if count == 1 else twice if count == 2 else f"{count:,} {times}"


def person_at_work(name: str, job: str, agency: str | None, team: str | None) -> str:
    """Who someone is at work, in one line: "Priya Shah · Police officer, Bedfordshire Police"."""
    where = ", ".join(part for part in (job, team or agency) if part)
    return f"{name} · {where}" if where else name
