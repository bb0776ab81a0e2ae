"""Reading back the letters on a case: the history (issued and suppressed), and a PDF exactly as
issued, checked against its stored SHA-256.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from mash_desk.domain.enums import LetterMethod, LetterRecipient, Role
from mash_desk.domain.errors import MashDeskError, NotFound, PermissionRefused
from mash_desk.domain.lifecycle import RULES, Action
from mash_desk.services.context import ServiceContext
from mash_desk.store.models import Contact, Letter, User


@dataclass(frozen=True)
class LetterRecord:
    """One line of a contact's letter history (no PDF: fetch it with ``stored_letter_pdf``)."""

    letter_id: int
    recipient: LetterRecipient
    recipient_name: str | None
    method: LetterMethod
    issued_at: datetime
    issued_by: str
    suppressed: bool
    suppression_reason: str | None
    sha256: str | None
    template_version: str


_READERS = frozenset({*RULES[Action.ISSUE_LETTER].roles, Role.AUDITOR})


def letters_for_contact(ctx: ServiceContext, contact_id: int) -> list[LetterRecord]:
    """Every letter issued or suppressed on a contact, oldest first."""
    with ctx.unit() as (session, actor):
        if actor.role not in _READERS:
            raise PermissionRefused("Your role cannot see the letters on a case.")
        if session.get(Contact, contact_id) is None:
            raise NotFound(f"There is no contact with id {contact_id}.")
        return [
            LetterRecord(
                letter_id=letter.id,
                recipient=letter.recipient,
                recipient_name=letter.recipient_name,
                method=letter.method,
                issued_at=letter.issued_at,
                issued_by=name,
                suppressed=letter.suppressed,
                suppression_reason=letter.suppression_reason,
                sha256=letter.sha256,
                template_version=letter.template_version,
            )
            for letter, name in session.execute(
                select(Letter, User.display_name)
                .join(User, User.id == Letter.issued_by_id)
                .where(Letter.contact_id == contact_id)
                .order_by(Letter.id)
            )
        ]


def stored_letter_pdf(ctx: ServiceContext, letter_id: int) -> bytes:
    """The PDF exactly as issued, checked against its stored SHA-256 (to view or print a copy)."""
    with ctx.unit() as (session, actor):
        if actor.role not in _READERS:
            raise PermissionRefused("Your role cannot see the letters on a case.")
        letter = session.get(Letter, letter_id)
        if letter is None:
            raise NotFound(f"There is no letter with id {letter_id}.")
        if letter.suppressed or letter.pdf is None:
            raise NotFound("This letter was suppressed, so there is no PDF.")
        if hashlib.sha256(letter.pdf).hexdigest() != letter.sha256:
            raise MashDeskError("The stored letter does not match its fingerprint; it may have been altered.")
        return bytes(letter.pdf)
