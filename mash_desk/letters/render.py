"""Outcome letters as PDF: whichever letter the data describes, in the templates' wording.

The letters are built from ``style`` (fonts, colours), ``pages`` (letterhead, footer, page numbers),
``blocks`` (address block, tables, panels), one module per letter, and the words in
``resources/letters/`` (``templates``), chosen by the rules in ``wording``.
"""

from __future__ import annotations

from mash_desk.letters.family_letter import render_family_letter
from mash_desk.letters.model import FamilyLetterData, LetterData, Letterhead
from mash_desk.letters.referrer_letter import render_referrer_letter
from mash_desk.letters.templates import LetterWording

__all__ = ["render_family_letter", "render_letter", "render_referrer_letter"]


def render_letter(data: LetterData, letterhead: Letterhead, wording: LetterWording | None = None) -> bytes:
    """Whichever letter ``data`` describes (in the letterhead's wording unless ``wording`` is given)."""
    if isinstance(data, FamilyLetterData):
        return render_family_letter(data, letterhead, wording)
    return render_referrer_letter(data, letterhead, wording)
