"""Which earlier contacts make this one a re-referral: each child, and the contact they were named in.

The window is the one intake flagged the re-referral with (``RE_REFERRAL_MONTHS`` before this
contact was received), so the banner names exactly the contacts behind the flag. A restricted
earlier contact is not named here (opening it is the break-the-glass route), and partner agencies,
who see only what they were asked about, are told nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, false, select
from sqlalchemy.orm import aliased

from mash_desk.domain.enums import Role
from mash_desk.services.context import ServiceContext
from mash_desk.services.policy import RE_REFERRAL_MONTHS, get_int_setting
from mash_desk.store.models import Contact, ContactChild, Person, RecordRestriction

MAX_NAMED = 10
DAYS_PER_MONTH = 30.44  # as intake counts the window


@dataclass(frozen=True)
class EarlierContact:
    child: str
    contact_id: int
    reference: str
    received_at: datetime


def since(received_at: datetime, months: int) -> datetime:
    """The start of the re-referral window for a contact received at ``received_at``."""
    return received_at - timedelta(days=round(months * DAYS_PER_MONTH))


def earlier_contacts(ctx: ServiceContext, contact_id: int) -> list[EarlierContact]:
    """The contacts, in the window before this one, that named one of its children; newest first."""
    with ctx.unit() as (session, actor):
        if actor.role is Role.AGENCY:
            return []
        received_at = session.scalar(select(Contact.received_at).where(Contact.id == contact_id))
        if received_at is None:
            return []
        months = get_int_setting(session, RE_REFERRAL_MONTHS)
        mine = aliased(ContactChild)
        theirs = aliased(ContactChild)
        earlier = aliased(Contact)
        # PostgreSQL's row security already hides a restricted contact (staff cannot read the restrictions)
        hidden = (
            exists().where(RecordRestriction.contact_id == earlier.id, RecordRestriction.lifted_at.is_(None))
            if not ctx.db.is_postgresql
            else false()
        )
        rows = session.execute(
            select(Person.given_names, Person.family_name, earlier.id, earlier.reference, earlier.received_at)
            .select_from(mine)
            .join(theirs, theirs.person_id == mine.person_id)
            .join(earlier, earlier.id == theirs.contact_id)
            .join(Person, Person.id == mine.person_id)
            .where(
                mine.contact_id == contact_id,
                earlier.id != contact_id,
                earlier.received_at >= since(received_at, months),
                earlier.received_at <= received_at,
                ~hidden,
            )
            .order_by(earlier.received_at.desc(), earlier.id.desc())
            .limit(MAX_NAMED)
        ).all()
        return [EarlierContact(f"{given} {family}", cid, reference, at) for given, family, cid, reference, at in rows]
