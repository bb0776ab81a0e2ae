"""Which family letters wait for a social worker, and why: the administrator's hold policy (outcomes,
concerns, a named alleged perpetrator), no safe addressee, or a referrer who may be one of the adults.
A held letter never goes in a batch.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk.domain.enums import Concern, Outcome
from mash_desk.domain.family_letters import (
    AddresseeChoice,
    HoldKey,
    HoldTrigger,
    hold_keys_for,
)
from mash_desk.domain.words import concern_in_sentence, outcome_in_sentence
from mash_desk.services.letters.addressee import no_addressee_reason
from mash_desk.services.policy import load_holds
from mash_desk.store.models import (
    Contact,
    ContactAdult,
    ContactChild,
    ContactConcern,
)


def hold_reason(key: HoldKey) -> str:
    """A hold policy row as the reason a letter is held ("the outcome is MARAC")."""
    trigger, code = key
    if trigger is HoldTrigger.OUTCOME:
        return f"the outcome is {outcome_in_sentence(Outcome(code))}"
    if trigger is HoldTrigger.CONCERN:
        return f"{concern_in_sentence(Concern(code))} is recorded"
    return "an alleged perpetrator is named on the contact"


def family_letter_risks(session: Session, contact_ids: Sequence[int]) -> dict[int, str]:
    """Contacts whose family letter a social worker must decide on (send or suppress), and why.

    DOMAIN §8: a family letter can put a child at risk, as in a section 47 enquiry with the police or
    domestic abuse where the perpetrator may read it. Which outcomes and concerns hold a letter is
    the administrator's policy (``family_letter_hold``). Such letters are never sent by the batch; a
    practitioner or manager issues them by hand, after checking who they go to, or suppresses them.
    """
    if not contact_ids:
        return {}
    policy = load_holds(session)
    outcomes: dict[int, set[Outcome]] = {}
    for contact_id, outcome in session.execute(
        select(ContactChild.contact_id, ContactChild.outcome).where(
            ContactChild.contact_id.in_(contact_ids), ContactChild.outcome.is_not(None)
        )
    ):
        if outcome is not None:
            outcomes.setdefault(contact_id, set()).add(outcome)
    concerns: dict[int, set[Concern]] = {}
    for contact_id, concern in session.execute(
        select(ContactConcern.contact_id, ContactConcern.concern).where(ContactConcern.contact_id.in_(contact_ids))
    ):
        concerns.setdefault(contact_id, set()).add(concern)
    perpetrators = set(
        session.scalars(
            select(ContactAdult.contact_id).where(
                ContactAdult.contact_id.in_(contact_ids), ContactAdult.alleged_perpetrator.is_(True)
            )
        )
    )
    reasons: dict[int, str] = {}
    for contact_id in contact_ids:
        keys = hold_keys_for(
            policy, outcomes.get(contact_id, ()), concerns.get(contact_id, ()), contact_id in perpetrators
        )
        # a named perpetrator first: it is the reason a social worker most needs to see
        keys.sort(key=lambda key: key[0] is not HoldTrigger.ALLEGED_PERPETRATOR)
        if keys:
            reasons[contact_id] = "; ".join(hold_reason(key) for key in keys)
    return reasons


def held_reasons(session: Session, contacts: Sequence[Contact], choices: dict[int, AddresseeChoice]) -> dict[int, str]:
    """Every reason a family letter waits: the hold policy, no safe addressee, or a referrer who may be one of them."""
    reasons = family_letter_risks(session, [contact.id for contact in contacts])
    for contact in contacts:
        choice = choices[contact.id]
        extra: str | None = None
        if choice.adult is None:
            extra = no_addressee_reason(choice)
        elif choice.referrer_unidentified:
            extra = "a relative who asked not to be named made the contact, and it is not recorded which adult they are"
        if extra is not None:
            reasons[contact.id] = f"{extra}; {reasons[contact.id]}" if contact.id in reasons else extra
    return reasons
