"""Loading a contact for an action: it exists, the actor may act, the state allows it, nobody raced us."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mash_desk.domain.enums import ConsentStatus, ContactStatus
from mash_desk.domain.errors import ConcurrentEdit, ConsentRequired, NotFound
from mash_desk.domain.lifecycle import Action, result_of
from mash_desk.domain.sharing import consent_covers
from mash_desk.services.context import Actor, require, utc_now
from mash_desk.services.restrictions import CONTACT, check_restriction
from mash_desk.store.models import ConsentDecision, Contact, Household, User
from mash_desk.store.queries import lock_contact


def load_contact(
    session: Session,
    contact_id: int,
    actor: Actor,
    action: Action,
    *,
    expected_version: int | None = None,
) -> Contact:
    """The contact, locked for this unit and checked for role, state and (when the caller knows it) version."""
    require(actor, action)
    # One lock order for every write unit: the contact row first (FOR UPDATE on PostgreSQL; SQLite's
    # BEGIN IMMEDIATE already serialises writers). Whatever this unit read before the lock may have
    # changed while it waited, so it is read again: the decision is made on one consistent picture.
    contact = locked_contact(session, actor, contact_id)
    return check_contact(session, contact, actor, action, expected_version=expected_version)


def locked_contact(session: Session, actor: Actor, contact_id: int) -> Contact:
    """The contact, locked for this unit; if it is not there, why: restricted, or missing."""
    contact = lock_contact(session, contact_id)
    if session.get_bind().dialect.name == "postgresql":
        # Row-level security hid it (a manager may have restricted it a moment ago): say it is
        # restricted rather than missing (on SQLite the window cannot act on a contact it could not open).
        # Asked even when the lock was granted: a lock that had to wait is granted as the row stood when
        # the statement began, so a restriction committed while this unit waited for it (the manager
        # locked the contact first) would only show in the statements after, hiding the very rows
        # this unit goes on to read or write (found by the load test).
        check_restriction(session, actor, CONTACT, contact_id, utc_now())
    if contact is None:
        raise NotFound(f"There is no contact with id {contact_id}.")
    return contact


def check_contact(
    session: Session, contact: Contact, actor: Actor, action: Action, *, expected_version: int | None = None
) -> Contact:
    """A locked contact checked for version (when the caller knows it) and for the state the action needs."""
    if expected_version is not None and contact.version != expected_version:
        changed_by = session.get(User, contact.updated_by_id)
        raise ConcurrentEdit(
            f"{changed_by.display_name if changed_by else 'Someone else'} changed contact "
            f"{contact.reference} at {contact.updated_at:%H:%M on %d %b %Y} after you opened it. "
            "Nothing was overwritten; look at their change and try again.",
            changed_by=changed_by.display_name if changed_by else None,
            changed_at=contact.updated_at,
            theirs={"status": contact.status.value, "rag": contact.rag.value if contact.rag else None},
        )
    require(actor, action, contact.status)
    return contact


def move(contact: Contact, action: Action, actor: Actor, now: datetime) -> ContactStatus:
    """Apply the state machine's result for ``action`` and stamp who changed the contact."""
    contact.status = result_of(action, contact.status)
    contact.updated_at = now
    contact.updated_by_id = actor.id
    return contact.status


def touch(session: Session, contact_id: int, actor: Actor, now: datetime) -> None:
    """Stamp a contact as changed for other workstations' change feed, without bumping its version.

    Adding to a contact (a note, a consent record, an agency return, a proposal) does not conflict
    with someone else's change to the contact itself, so it must not make their open copy stale.
    """
    session.execute(update(Contact).where(Contact.id == contact_id).values(updated_at=now, updated_by_id=actor.id))


def current_consent(session: Session, contact_id: int) -> ConsentDecision | None:
    """The latest consent decision recorded on a contact (later records correct earlier ones)."""
    return session.scalars(
        select(ConsentDecision)
        .where(ConsentDecision.contact_id == contact_id)
        .order_by(ConsentDecision.id.desc())
        .limit(1)
    ).first()


def require_sharing_allowed(session: Session, contact_id: int, agency_code: str | None, purpose: str) -> None:
    """No agency request or hand-off without consent given or an override recorded."""
    consent = current_consent(session, contact_id)
    if consent is None:
        raise ConsentRequired(
            f"Record the consent decision before you {purpose}: consent given, or an override with its lawful basis."
        )
    if consent.override:
        return
    if consent.status is not ConsentStatus.GIVEN:
        raise ConsentRequired(
            f"Consent is recorded as '{consent.status.value.replace('_', ' ')}'. To {purpose} without consent, "
            "record an override with the lawful basis, the reason and who authorised it."
        )
    scope = {code for code in consent.scope.split(",") if code}
    if agency_code is not None and not consent_covers(consent.status, consent.override, scope, agency_code):
        raise ConsentRequired(
            f"The consent given does not cover {agency_code}. Record consent that covers it, or an override."
        )


def address_line(household: Household | None) -> str | None:
    """A household's address on one line, as someone searching records would type it."""
    if household is None:
        return None
    parts = [household.address_line1, household.address_line2, household.town, household.postcode]
    text = ", ".join(part.strip() for part in parts if part and part.strip())
    return text or None
