"""Children in Need census code lists (DfE CIN schema 2024) and the rules that use them.

The code sets equal the enumerations in ``shared/reference/CIN_schema_2024.xsd`` (a test proves it), so
whatever a contact records can go into the census return unchanged. Descriptions are for people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from mash_desk.domain.enums import Outcome, TeamKind
from mash_desk.domain.errors import InvalidInput

REFERRAL_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "1A": "Family/relative/carer",
        "1B": "Acquaintance",
        "1C": "Self",
        "1D": "Other individual",
        "2A": "Schools",
        "2B": "Education services",
        "3A": "GP",
        "3B": "Health visitor",
        "3C": "School nurse",
        "3D": "Other primary health",
        "3E": "A&E",
        "3F": "Other health",
        "4": "Housing",
        "5A": "LA social care",
        "5B": "LA other internal",
        "5C": "Another LA",
        "5D": "LA early help",
        "6": "Police",
        "7": "Other legal agency",
        "8": "Other",
        "9": "Anonymous",
        "10": "Unknown",
    }
)

# In priority order: where several needs fit, the earliest wins; N0 only when nothing else is known.
PRIMARY_NEEDS: Mapping[str, str] = MappingProxyType(
    {
        "N1": "Abuse or neglect",
        "N2": "Child's disability or illness",
        "N3": "Parental disability or illness",
        "N4": "Family in acute stress",
        "N5": "Family dysfunction",
        "N6": "Socially unacceptable behaviour",
        "N7": "Low income",
        "N8": "Absent parenting",
        "N9": "Cases other than children in need",
        "N0": "Not stated",
    }
)
NOT_STATED = "N0"

ETHNICITIES: Mapping[str, str] = MappingProxyType(
    {
        "WBRI": "White British",
        "WIRI": "White Irish",
        "WIRT": "Traveller of Irish heritage",
        "WOTH": "Any other White background",
        "WROM": "Gypsy/Roma",
        "MWBC": "White and Black Caribbean",
        "MWBA": "White and Black African",
        "MWAS": "White and Asian",
        "MOTH": "Any other mixed background",
        "AIND": "Indian",
        "APKN": "Pakistani",
        "ABAN": "Bangladeshi",
        "AOTH": "Any other Asian background",
        "BCRB": "Caribbean",
        "BAFR": "African",
        "BOTH": "Any other black background",
        "CHNE": "Chinese",
        "OOTH": "Any other ethnic group",
        "REFU": "Refused",
        "NOBT": "Information not yet obtained",
    }
)

DISABILITIES: Mapping[str, str] = MappingProxyType(
    {
        "NONE": "No disability",
        "MOB": "Mobility",
        "HAND": "Hand function",
        "PC": "Personal care",
        "INC": "Incontinence",
        "COMM": "Communication",
        "LD": "Learning",
        "HEAR": "Hearing",
        "VIS": "Vision",
        "BEH": "Behaviour",
        "CON": "Consciousness",
        "AUT": "Autism",
        "DDA": "Other",
    }
)
NO_DISABILITY = "NONE"

# Why a child has no UPN (the census item UPNunknown). UN1 is for a child not yet of school age (and
# unborn children); UN7 is given by the census export itself when every referral of the child in the
# year ended in no further action, so it is not offered to people.
UPN_UNKNOWN_REASONS: Mapping[str, str] = MappingProxyType(
    {
        "UN1": "Not of school age and not yet given a UPN",
        "UN2": "Has never attended a maintained school in England",
        "UN3": "Educated outside England",
        "UN4": "New to the local authority; the UPN is not known yet",
        "UN5": "Records of the child's name or date of birth disagree, so the UPN cannot be matched",
    }
)
NOT_OF_SCHOOL_AGE = "UN1"
NFA_REFERRALS_ONLY = "UN7"

_REFERRAL_OUTCOMES = frozenset({Outcome.CFA_S17, Outcome.STRATEGY_S47, Outcome.EMERGENCY_PROTECTION})
_NO_RECEIVING_TEAM = frozenset({Outcome.NFA, Outcome.ADVICE_SIGNPOST})


def _code(text: str) -> str:
    return text.strip().upper()


def pick_primary_need(codes: Iterable[str]) -> str:
    """The census primary need among ``codes``: the one earliest in N1..N9, or N0 if none is given."""
    order = list(PRIMARY_NEEDS)
    best = NOT_STATED
    for raw in codes:
        code = _code(raw)
        if code not in PRIMARY_NEEDS:
            raise InvalidInput.single("primary_need", f"“{raw}” is not a primary need code. Use N0 to N9.")
        if order.index(code) < order.index(best):
            best = code
    return best


def validate_referral_source(code: str) -> str:
    """Return the census referral source code for ``code`` (any case, spaces ignored)."""
    normal = _code(code)
    if not normal:
        raise InvalidInput.single("referral_source", "Choose where the contact came from (the referral source).")
    if normal not in REFERRAL_SOURCES:
        raise InvalidInput.single(
            "referral_source", f"“{code}” is not a CIN census referral source. Choose one from the list (1A to 10)."
        )
    return normal


def validate_ethnicity(code: str) -> str:
    """Return the DfE ethnicity code for ``code``; NOBT records that it is not yet known."""
    normal = _code(code)
    if normal not in ETHNICITIES:
        raise InvalidInput.single(
            "ethnicity", "Choose an ethnicity from the list, or “Information not yet obtained” if it is not known."
        )
    return normal


def validate_disabilities(codes: Iterable[str]) -> tuple[str, ...]:
    """Return the distinct census disability codes in list order; "No disability" stands alone."""
    chosen = {_code(code) for code in codes}
    unknown = sorted(chosen - DISABILITIES.keys())
    if unknown:
        raise InvalidInput.single(
            "disabilities", f"“{unknown[0]}” is not a CIN census disability code. Choose from the list."
        )
    if NO_DISABILITY in chosen and len(chosen) > 1:
        raise InvalidInput.single(
            "disabilities", "“No disability” cannot be chosen together with a disability. Untick one of them."
        )
    return tuple(code for code in DISABILITIES if code in chosen)


def is_referral(outcome: Outcome) -> bool:
    """Whether a contact with this outcome counts as a referral to children's social care in the returns."""
    return outcome in _REFERRAL_OUTCOMES


def needs_hand_off(outcome: Outcome) -> bool:
    """Whether this outcome sends the child to a receiving team that must accept it (all but NFA and advice)."""
    return outcome not in _NO_RECEIVING_TEAM


RECEIVING_TEAM_KINDS: tuple[tuple[Outcome, TeamKind], ...] = (
    (Outcome.EMERGENCY_PROTECTION, TeamKind.CHILD_PROTECTION),
    (Outcome.STRATEGY_S47, TeamKind.CHILD_PROTECTION),
    (Outcome.CFA_S17, TeamKind.ASSESSMENT),
    (Outcome.TRANSFER_OTHER_LA, TeamKind.OTHER_LOCAL_AUTHORITY),
    (Outcome.EARLY_HELP, TeamKind.EARLY_HELP),
    (Outcome.SINGLE_AGENCY, TeamKind.PARTNER_AGENCY),
)
"""The kind of team each outcome goes to, most urgent first. MARAC and LADO are meetings and a
designated officer, not a team that takes the case; "pass to the allocated worker" has its own route."""


def receiving_team_kind(outcomes: Iterable[Outcome]) -> TeamKind | None:
    """The kind of team a contact goes to first: the most urgent of its children's outcomes decides
    (a section 47 for one child and early help for a sibling goes to child protection first)."""
    given = set(outcomes)
    return next((kind for outcome, kind in RECEIVING_TEAM_KINDS if outcome in given), None)


def validate_upn_unknown(code: str | None, upn: str | None) -> str | None:
    """The reason a child has no UPN, or ``None``; a child whose UPN is recorded needs no reason."""
    normal = _code(code or "")
    if not normal:
        return None
    if normal not in UPN_UNKNOWN_REASONS:
        raise InvalidInput.single("upn_unknown", "Choose why the UPN is not known from the list.")
    if (upn or "").strip():
        raise InvalidInput.single(
            "upn_unknown", "The UPN is recorded, so there is no reason to give for it being unknown. Clear one of them."
        )
    return normal
