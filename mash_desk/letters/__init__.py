"""Outcome letters (reportlab, no Qt, no database): data in, reproducible PDF bytes out."""

from mash_desk.letters.disclosure import referrer_disclosable_to_family
from mash_desk.letters.model import (
    RESOURCES_DIR,
    TEMPLATE_VERSION,
    CaseFacts,
    ChildOutcome,
    FamilyLetterData,
    InformationSharing,
    LetterData,
    Letterhead,
    NamedContact,
    ReferrerLetterData,
    resolve_resource,
)
from mash_desk.letters.render import render_family_letter, render_letter, render_referrer_letter

__all__ = [
    "RESOURCES_DIR",
    "TEMPLATE_VERSION",
    "CaseFacts",
    "ChildOutcome",
    "FamilyLetterData",
    "InformationSharing",
    "LetterData",
    "Letterhead",
    "NamedContact",
    "ReferrerLetterData",
    "referrer_disclosable_to_family",
    "render_family_letter",
    "render_letter",
    "render_referrer_letter",
    "resolve_resource",
]
