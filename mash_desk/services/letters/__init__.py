"""Outcome letters on the case: preview, issue (stored with its hash), suppress, and the daily batch.

Each letter issued is kept whole on the contact (PDF bytes, SHA-256, template version, recipient,
method, who and when) with an audit row; a family letter can instead be suppressed, with a reason,
where sending it would put a child at risk, and a suppressed letter is never produced afterwards.

The family letter's words carry nothing of the referrer's identity: the only thing taken from the
referrer into its data is ``referrer_disclosable_to_family(kind, anonymity_requested)``. Who it is
addressed to is ``domain.family_letters.choose_family_addressee``, which reads the referrer's name and
relationship only to make sure the letter is never addressed to them. Which letters wait for a
social worker is the administrator's hold policy; a held letter never goes in a batch. The words
are the templates in ``resources/letters/``: a broken one stops a letter before anything is stored.

This module is the package's interface; the work is split by job:

- ``reading``: the case read into a letter's data, the letterhead, the checks every letter makes;
- ``addressee``: who a family letter goes to; ``holds``: which family letters wait, and why;
- ``preview``: letters as they would be, stored nowhere;
- ``issue``: one letter prepared, rendered and stored; ``suppress``: no family letter, and why;
- ``worklists``: the letters still to go; ``batch`` and ``pool``: the daily batch, rendered in
  worker processes;
- ``history``: the letters on a case, and a PDF exactly as issued.
"""

from mash_desk.services.letters.addressee import FamilyAddressee, family_addressee
from mash_desk.services.letters.batch import BatchResult, issue_batch
from mash_desk.services.letters.history import LetterRecord, letters_for_contact, stored_letter_pdf
from mash_desk.services.letters.holds import family_letter_risks
from mash_desk.services.letters.issue import IssuedLetter, issue_letter
from mash_desk.services.letters.preview import preview_letter, preview_letterhead
from mash_desk.services.letters.reading import letter_data, load_letterhead, referrer_reachable
from mash_desk.services.letters.suppress import suppress_family_letter
from mash_desk.services.letters.worklists import (
    HeldLetter,
    LetterJob,
    letters_due,
    letters_due_for_contact,
    letters_held,
    letters_held_for_contact,
)

__all__ = [
    "BatchResult",
    "FamilyAddressee",
    "HeldLetter",
    "IssuedLetter",
    "LetterJob",
    "LetterRecord",
    "family_addressee",
    "family_letter_risks",
    "issue_batch",
    "issue_letter",
    "letter_data",
    "letters_due",
    "letters_due_for_contact",
    "letters_for_contact",
    "letters_held",
    "letters_held_for_contact",
    "load_letterhead",
    "preview_letter",
    "preview_letterhead",
    "referrer_reachable",
    "stored_letter_pdf",
    "suppress_family_letter",
]
