"""Deciding that no family letter goes, and why: a safeguarding judgement for social work roles, kept
on the contact like a letter (a suppressed letter is never produced afterwards).
"""

from __future__ import annotations

from mash_desk.domain.enums import LetterMethod, LetterRecipient, Role
from mash_desk.domain.errors import IllegalTransition, InvalidInput, PermissionRefused
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.periods import london_date
from mash_desk.letters import TEMPLATE_VERSION
from mash_desk.services.context import ServiceContext, audit, retry_collisions
from mash_desk.services.drafts import blank_to_none
from mash_desk.services.letters.addressee import addressee_choices
from mash_desk.services.letters.issue import already_issued, lock_contact
from mash_desk.services.records import load_contact, touch
from mash_desk.store.models import Letter

MAX_REASON = 4000


@retry_collisions
def suppress_family_letter(ctx: ServiceContext, contact_id: int, reason: str) -> int:
    """Record that no family letter will go, and why (a safeguarding judgement: social work roles only)."""
    reason_text = blank_to_none(reason)
    if reason_text is None:
        raise InvalidInput.single(
            "reason", "Say why sending the family a letter would put the child at risk: the reason is required."
        )
    if len(reason_text) > MAX_REASON:
        raise InvalidInput.single("reason", f"Keep the reason under {MAX_REASON:,} characters.")
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        lock_contact(ctx, session, contact_id)
        contact = load_contact(session, contact_id, actor, Action.ISSUE_LETTER)
        if actor.role not in (Role.PRACTITIONER, Role.MANAGER):
            raise PermissionRefused("Only a MASH practitioner or manager can decide not to write to the family.")
        previous = already_issued(session, contact.id, LetterRecipient.FAMILY)
        if previous is not None and previous.suppressed:
            raise IllegalTransition("The family letter is already suppressed.")
        if previous is not None:
            raise IllegalTransition(
                f"A family letter was already issued on {london_date(previous.issued_at):%d %b %Y}; it cannot be "
                "recalled by suppressing it now. Record what you have done in a case note."
            )
        adult = addressee_choices(session, [contact])[contact.id].adult
        letter = Letter(
            contact_id=contact.id,
            recipient=LetterRecipient.FAMILY,
            recipient_name=adult.name if adult else None,
            method=LetterMethod.POST,  # the column is required: the way it would have gone
            issued_at=now,
            issued_by_id=actor.id,
            suppressed=True,
            suppression_reason=reason_text,
            pdf=None,
            sha256=None,
            template_version=TEMPLATE_VERSION,
        )
        session.add(letter)
        session.flush()
        touch(session, contact.id, actor, now)
        audit(
            session,
            actor,
            "letter.suppress",
            "letter",
            letter.id,
            at=now,
            contact_id=contact.id,
            detail={"recipient": LetterRecipient.FAMILY.value, "reason": reason_text},
        )
        return letter.id
