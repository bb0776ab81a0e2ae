"""What a hand-off list shows beside each hand-off: the authorised outcomes, the most serious first,
and each time the MASH chased the receiving team."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk.domain.enums import Outcome
from mash_desk.domain.thresholds import most_serious_first
from mash_desk.services.contact_view.rows import ChaseRow
from mash_desk.store.models import ContactChild, HandOffChase, User


def outcomes_of(session: Session, contact_ids: Sequence[int]) -> dict[int, tuple[Outcome, ...]]:
    """Each contact's authorised outcomes, once each, the most serious first (``domain.thresholds``)."""
    found: dict[int, set[Outcome]] = defaultdict(set)
    if contact_ids:
        for contact_id, outcome in session.connection().execute(
            select(ContactChild.contact_id, ContactChild.outcome).where(
                ContactChild.contact_id.in_(contact_ids), ContactChild.outcome.is_not(None)
            )
        ):
            if outcome is not None:
                found[contact_id].add(outcome)
    return {contact_id: most_serious_first(items) for contact_id, items in found.items()}


def chases_of(session: Session, handoff_ids: Sequence[int]) -> dict[int, tuple[ChaseRow, ...]]:
    """Every chase of these hand-offs, oldest first: one query."""
    found: dict[int, list[ChaseRow]] = defaultdict(list)
    if handoff_ids:
        for handoff_id, name, at, note in session.connection().execute(
            select(HandOffChase.hand_off_id, User.display_name, HandOffChase.chased_at, HandOffChase.note)
            .join(User, User.id == HandOffChase.chased_by_id)
            .where(HandOffChase.hand_off_id.in_(handoff_ids))
            .order_by(HandOffChase.hand_off_id, HandOffChase.id)
        ):
            found[handoff_id].append(ChaseRow(name, at, note))
    return {handoff_id: tuple(items) for handoff_id, items in found.items()}
