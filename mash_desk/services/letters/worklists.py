"""The letters still to go: for the contacts decided on a day (business support's daily batch) or for
one contact, split into the jobs a batch may send and the family letters held for a social worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from mash_desk.domain.enums import LetterMethod, LetterRecipient
from mash_desk.domain.errors import NotFound
from mash_desk.domain.lifecycle import RULES, Action
from mash_desk.domain.periods import Period
from mash_desk.services.context import ServiceContext, require
from mash_desk.services.drafts import blank_to_none
from mash_desk.services.letters.addressee import address_lines, addressee_choices
from mash_desk.services.letters.holds import held_reasons
from mash_desk.services.letters.reading import referrer_method, referrer_reachable
from mash_desk.services.records import load_contact
from mash_desk.services.reporting import for_reports
from mash_desk.store.models import Contact, Household, Letter, User
from mash_desk.store.queries import lookup

LETTER_STATES = RULES[Action.ISSUE_LETTER].states


@dataclass(frozen=True)
class LetterJob:
    """A letter waiting to be issued in a batch."""

    contact_id: int
    reference: str
    recipient: LetterRecipient
    recipient_name: str | None
    method: LetterMethod = LetterMethod.POST
    # a family letter's addressee and address, as the issuer sees and confirms them (none: no safe addressee)
    addressee_id: int | None = None
    address: tuple[str, ...] = ()


@dataclass(frozen=True)
class HeldLetter:
    """A family letter the batch will not send: a social worker must issue or suppress it."""

    job: LetterJob
    reason: str
    worker: str | None = None
    """Who holds the case at the MASH (the contact's worker), whom the letter waits for."""


def letters_due(ctx: ServiceContext, day: date) -> list[LetterJob]:
    """Letters for the batch: not yet issued, for contacts decided on ``day`` (London), one job per recipient.

    A referrer letter is due when the referrer can be reached (``referrer_reachable``); a family
    letter when the household has an address, no family letter was issued or suppressed, and no
    risk holds it for a social worker's decision (``letters_held``).
    """
    return _day_worklist(ctx, day)[0]


def letters_held(ctx: ServiceContext, day: date) -> list[HeldLetter]:
    """Family letters for contacts decided on ``day`` that the batch will not send until a social worker
    issues or suppresses them (``family_letter_risks``)."""
    return _day_worklist(ctx, day)[1]


def letters_due_for_contact(ctx: ServiceContext, reference: str) -> list[LetterJob]:
    """The letters still due on one contact, found by its reference (``MASH-0000042``), by the same rules."""
    return _contact_worklist(ctx, reference)[0]


def letters_held_for_contact(ctx: ServiceContext, reference: str) -> list[HeldLetter]:
    """The family letter on one contact, if it waits for a social worker's decision."""
    return _contact_worklist(ctx, reference)[1]


def _day_worklist(ctx: ServiceContext, day: date) -> tuple[list[LetterJob], list[HeldLetter]]:
    period = Period(day, day)
    # a list to work from, not a decision: the reporting server may serve it (issuing checks again)
    with for_reports(ctx).unit() as (session, actor):
        require(actor, Action.ISSUE_LETTER)
        return _worklist(
            session,
            (Contact.decided_at >= period.start, Contact.decided_at < period.end, Contact.status.in_(LETTER_STATES)),
        )


def _contact_worklist(ctx: ServiceContext, reference: str) -> tuple[list[LetterJob], list[HeldLetter]]:
    with ctx.unit() as (session, actor):
        contact_id = session.scalar(select(Contact.id).where(Contact.reference == reference.strip().upper()))
        if contact_id is None:
            raise NotFound(f"There is no contact with reference {reference.strip()}.")
        load_contact(session, contact_id, actor, Action.ISSUE_LETTER)
        return _worklist(session, (Contact.id == contact_id,))


def _worklist(session: Session, where: tuple[ColumnElement[bool], ...]) -> tuple[list[LetterJob], list[HeldLetter]]:
    rows: list[tuple[Contact, Household | None]] = [
        (contact, household)
        for contact, household in session.execute(
            select(Contact, Household)
            .outerjoin(Household, Household.id == Contact.household_id)
            .where(*where)
            .order_by(Contact.reference)
        )
    ]
    ids = [contact.id for contact, _household in rows]
    done = set(session.execute(select(Letter.contact_id, Letter.recipient).where(Letter.contact_id.in_(ids))))
    families = [
        contact
        for contact, household in rows
        if (contact.id, LetterRecipient.FAMILY) not in done
        and household is not None
        and (household.address_line1 or household.postcode)
    ]
    choices = addressee_choices(session, families)
    reasons = held_reasons(session, families, choices)
    worker_ids = {contact.assigned_to_id for contact in families if contact.id in reasons and contact.assigned_to_id}
    workers = lookup(session, select(User.id, User.display_name).where(User.id.in_(worker_ids))) if worker_ids else {}
    jobs: list[LetterJob] = []
    held: list[HeldLetter] = []
    for contact, household in rows:
        if (contact.id, LetterRecipient.REFERRER) not in done and referrer_reachable(contact):
            name = blank_to_none(contact.referrer_name)
            method = referrer_method(contact)
            jobs.append(LetterJob(contact.id, contact.reference, LetterRecipient.REFERRER, name, method))
        if contact.id in choices:
            adult = choices[contact.id].adult
            job = LetterJob(
                contact.id,
                contact.reference,
                LetterRecipient.FAMILY,
                adult.name if adult else None,
                LetterMethod.POST,
                adult.person_id if adult else None,
                address_lines(household),
            )
            if contact.id in reasons:
                worker = workers.get(contact.assigned_to_id) if contact.assigned_to_id else None
                held.append(HeldLetter(job, reasons[contact.id], worker))
            else:
                jobs.append(job)
    return jobs, held
