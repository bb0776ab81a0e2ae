"""Every family's names print: a letter with a name outside Latin-1 embeds the TrueType font."""

from __future__ import annotations

import io

from pypdf import PdfReader

from mash_desk.domain.enums import LetterRecipient, RelationshipKind
from mash_desk.services import letters
from mash_desk.services.drafts import AdultDraft
from tests.letters.journeys import decide
from tests.support import World, child, contact_draft


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_polish_and_turkish_names_survive_in_the_family_letter(world: World) -> None:
    draft = contact_draft(world.clock, child("Zoë", "Kowalska"))
    draft.adults = [
        AdultDraft(
            given_names="Łucja",
            family_name="Kowalska",
            relationship=RelationshipKind.MOTHER,
            parental_responsibility=True,
        )
    ]
    logged = decide(world, draft)
    pdf = letters.preview_letter(world.sam, logged.id, LetterRecipient.FAMILY)
    text = _text(pdf)
    assert "Łucja" in text
    assert "Zoë" in text
    assert b"DejaVu" in pdf  # the embedded TrueType subset, not Helvetica's Latin-1


def test_latin_1_letters_keep_the_standard_font(world: World) -> None:
    logged = decide(world)
    pdf = letters.preview_letter(world.sam, logged.id, LetterRecipient.FAMILY)
    assert b"DejaVu" not in pdf
    assert "Amira" in _text(pdf)
