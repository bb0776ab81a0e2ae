"""Issuing one letter: prepare (read and check, in a read-only unit), render (no database), store
(write, everything checked again under the contact's lock) with its SHA-256 and an audit row.

A family letter goes only to the addressee the rule chooses, confirmed by the person issuing it, and
a held one only by a social worker's hand, never in a batch.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk.domain.enums import LetterMethod, LetterRecipient, Role
from mash_desk.domain.errors import ConcurrentEdit, IllegalTransition, PermissionRefused
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.periods import london_date
from mash_desk.letters import (
    LetterData,
    Letterhead,
    LetterWording,
    load_wording,
    render_letter,
)
from mash_desk.services.context import Actor, ServiceContext, audit, retry_collisions
from mash_desk.services.letters.addressee import addressee_choices, checked_addressee
from mash_desk.services.letters.holds import held_reasons
from mash_desk.services.letters.reading import (
    build_data,
    load_letterhead,
    parse_method,
    parse_recipient,
    refuse_if_suppressed,
)
from mash_desk.services.records import load_contact, touch
from mash_desk.store.models import Contact, Household, Letter

SOCIAL_WORK = frozenset({Role.PRACTITIONER, Role.MANAGER})


@dataclass(frozen=True)
class IssuedLetter:
    """A letter that has been issued and stored: the PDF to print or send, and its record."""

    letter_id: int
    contact_id: int
    reference: str
    recipient: LetterRecipient
    recipient_name: str | None
    method: LetterMethod
    issued_at: datetime
    issued_by: str
    sha256: str
    template_version: str
    pdf: bytes


def lock_contact(ctx: ServiceContext, session: Session, contact_id: int) -> None:
    """Serialise letter issuing per contact, so two batches cannot both send the same letter.

    SQLite write units already hold the database write lock (BEGIN IMMEDIATE).
    """
    if ctx.db.is_postgresql:
        session.execute(select(Contact.id).where(Contact.id == contact_id).with_for_update())


def already_issued(session: Session, contact_id: int, recipient: LetterRecipient) -> Letter | None:
    return session.scalars(
        select(Letter)
        .where(Letter.contact_id == contact_id, Letter.recipient == recipient)
        .order_by(Letter.id)
        .limit(1)
    ).first()


@dataclass(frozen=True)
class Prepared:
    """A letter's data, read and checked, waiting to be rendered and stored."""

    contact_id: int
    contact_version: int
    recipient: LetterRecipient
    method: LetterMethod
    data: LetterData
    letterhead: Letterhead
    wording: LetterWording  # checked before the case is read: a broken template stops the letter first
    addressee_id: int | None = None  # a family letter's addressee, checked again when it is stored
    in_batch: bool = False


def _checked_contact(
    ctx: ServiceContext,
    session: Session,
    actor: Actor,
    contact_id: int,
    recipient: LetterRecipient,
    *,
    only_if_not_done: bool,
    addressee_id: int | None = None,
    in_batch: bool = False,
) -> Contact | str:
    """The contact, if this person may issue this letter now; a reason string if it already went.

    A family letter goes only to the addressee the rule chooses, and only when the person issuing it
    confirmed that addressee (``addressee_id``); a held one never goes in a batch, and only a social
    worker may send it by hand.
    """
    contact = load_contact(session, contact_id, actor, Action.ISSUE_LETTER)
    if only_if_not_done:
        done = already_issued(session, contact.id, recipient)
        if done is not None:
            return "already suppressed" if done.suppressed else "already issued"
    if recipient is LetterRecipient.FAMILY:
        refuse_if_suppressed(session, contact)
        household = session.get(Household, contact.household_id) if contact.household_id else None
        choices = addressee_choices(session, [contact])
        addressee = checked_addressee(choices[contact.id], contact, household)
        if addressee_id != addressee.person_id:
            raise IllegalTransition(
                f"Check who the family letter for {contact.reference} goes to before it is issued: it is addressed "
                f"to {addressee.name}, {', '.join(addressee.address_lines) or 'no address recorded'}."
                if addressee_id is None
                else f"The family letter for {contact.reference} now goes to {addressee.name}, not the person "
                "confirmed (the household changed): check it again."
            )
        risk = held_reasons(session, [contact], choices).get(contact.id)
        if risk is not None and in_batch:
            raise PermissionRefused(
                f"The family letter for {contact.reference} is held for a social worker ({risk}); it is never sent "
                "in a batch."
            )
        if risk is not None and actor.role not in SOCIAL_WORK:
            raise PermissionRefused(
                f"A social worker must decide whether the family letter for {contact.reference} is safe to "
                f"send ({risk}): they can send it or suppress it with a reason."
            )
    return contact


def _prepare(
    ctx: ServiceContext,
    contact_id: int,
    recipient: LetterRecipient,
    method: LetterMethod,
    *,
    only_if_not_done: bool,
    addressee_id: int | None = None,
) -> Prepared | str:
    """Read and check everything a letter needs, in a read-only unit: no lock held while it renders."""
    with ctx.unit() as (session, actor):
        return prepare_in(
            ctx,
            session,
            actor,
            contact_id,
            recipient,
            method,
            only_if_not_done=only_if_not_done,
            addressee_id=addressee_id,
        )


def prepare_in(
    ctx: ServiceContext,
    session: Session,
    actor: Actor,
    contact_id: int,
    recipient: LetterRecipient,
    method: LetterMethod,
    *,
    only_if_not_done: bool,
    letterhead: Letterhead | None = None,
    wording: LetterWording | None = None,
    addressee_id: int | None = None,
    in_batch: bool = False,
) -> Prepared | str:
    head = letterhead or load_letterhead(session)
    words = wording or load_wording(head.templates)  # a broken template stops the letter first
    checked = _checked_contact(
        ctx,
        session,
        actor,
        contact_id,
        recipient,
        only_if_not_done=only_if_not_done,
        addressee_id=addressee_id,
        in_batch=in_batch,
    )
    if isinstance(checked, str):
        return checked
    data = build_data(session, checked, recipient, head, actor, london_date(ctx.now()))
    return Prepared(checked.id, checked.version, recipient, method, data, head, words, addressee_id, in_batch)


@retry_collisions
def _store(ctx: ServiceContext, prepared: Prepared, pdf: bytes, *, only_if_not_done: bool) -> IssuedLetter | str:
    """Keep a rendered letter against the contact, if nothing changed since it was prepared."""
    with ctx.unit(write=True) as (session, actor):
        return store_in(ctx, session, actor, prepared, pdf, only_if_not_done=only_if_not_done)


def store_in(
    ctx: ServiceContext, session: Session, actor: Actor, prepared: Prepared, pdf: bytes, *, only_if_not_done: bool
) -> IssuedLetter | str:
    now = ctx.now()
    lock_contact(ctx, session, prepared.contact_id)
    checked = _checked_contact(
        ctx,
        session,
        actor,
        prepared.contact_id,
        prepared.recipient,
        only_if_not_done=only_if_not_done,
        addressee_id=prepared.addressee_id,
        in_batch=prepared.in_batch,
    )
    if isinstance(checked, str):
        return checked
    if checked.version != prepared.contact_version:
        raise ConcurrentEdit(
            f"{checked.reference} changed while its letter was being made; nothing was stored. Try again."
        )
    digest = hashlib.sha256(pdf).hexdigest()
    letter = Letter(
        contact_id=checked.id,
        recipient=prepared.recipient,
        recipient_name=prepared.data.recipient_name,
        method=prepared.method,
        issued_at=now,
        issued_by_id=actor.id,
        suppressed=False,
        pdf=pdf,
        sha256=digest,
        template_version=prepared.wording.version,
    )
    session.add(letter)
    session.flush()
    touch(session, checked.id, actor, now)  # other workstations see the letter went
    audit(
        session,
        actor,
        "letter.issue",
        "letter",
        letter.id,
        at=now,
        contact_id=checked.id,
        detail={
            "recipient": prepared.recipient.value,
            "method": prepared.method.value,
            "sha256": digest,
            "template_version": prepared.wording.version,
        },
    )
    return IssuedLetter(
        letter_id=letter.id,
        contact_id=checked.id,
        reference=checked.reference,
        recipient=prepared.recipient,
        recipient_name=letter.recipient_name,
        method=prepared.method,
        issued_at=now,
        issued_by=actor.display_name,
        sha256=digest,
        template_version=prepared.wording.version,
        pdf=pdf,
    )


def _issue(
    ctx: ServiceContext,
    contact_id: int,
    recipient: LetterRecipient,
    method: LetterMethod,
    *,
    only_if_not_done: bool,
    addressee_id: int | None = None,
) -> IssuedLetter | str:
    """Issue one letter: prepare (read), render (no database), store (write, re-checked)."""
    prepared = _prepare(
        ctx, contact_id, recipient, method, only_if_not_done=only_if_not_done, addressee_id=addressee_id
    )
    if isinstance(prepared, str):
        return prepared
    return _store(
        ctx,
        prepared,
        render_letter(prepared.data, prepared.letterhead, prepared.wording),
        only_if_not_done=only_if_not_done,
    )


def issue_letter(
    ctx: ServiceContext,
    contact_id: int,
    recipient: LetterRecipient | str,
    method: LetterMethod | str,
    *,
    addressee_id: int | None = None,
) -> IssuedLetter:
    """Issue a letter now and keep it on the case (issuing again sends, and stores, another copy).

    A family letter needs ``addressee_id``: the person the issuer saw and confirmed in
    ``family_addressee`` (refused if it is not, or is no longer, who the rule chooses).
    """
    result = _issue(
        ctx,
        contact_id,
        parse_recipient(recipient),
        parse_method(method),
        only_if_not_done=False,
        addressee_id=addressee_id,
    )
    assert isinstance(result, IssuedLetter)
    return result
