"""Outcome letters (reportlab, no Qt, no database): data in, reproducible PDF bytes out.

The wording is in ``resources/letters/*.toml`` (``load_wording`` reads and checks it); the package's
interface is what this module exports.
"""

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
from mash_desk.letters.templates import TEMPLATES_DIR, LetterTemplateError, LetterWording, load_wording

__all__ = [
    "RESOURCES_DIR",
    "TEMPLATES_DIR",
    "TEMPLATE_VERSION",
    "CaseFacts",
    "ChildOutcome",
    "FamilyLetterData",
    "InformationSharing",
    "LetterData",
    "LetterTemplateError",
    "LetterWording",
    "Letterhead",
    "NamedContact",
    "ReferrerLetterData",
    "load_wording",
    "referrer_disclosable_to_family",
    "render_family_letter",
    "render_letter",
    "render_referrer_letter",
    "resolve_resource",
]
