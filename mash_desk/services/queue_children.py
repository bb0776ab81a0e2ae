"""What a queue row shows of each contact's children and concerns: one statement each, built once.

Kept beside ``services.queues`` (which reads the rows) so the dashboard's tile lists can name the
children the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from mash_desk.domain.enums import Concern
from mash_desk.store.models import ContactChild, ContactConcern, Person
from mash_desk.store.queries import Reader, core, in_list


@dataclass(frozen=True)
class ChildInQueue:
    """A child named in a contact: the name and what their age is worked out from."""

    name: str
    born: date | None
    expected: date | None


def children_of(reader: Reader, contact_ids: Sequence[int]) -> dict[int, tuple[ChildInQueue, ...]]:
    """The children named in each contact, in the order they were entered, with their birth dates: one query."""
    named: dict[int, list[ChildInQueue]] = defaultdict(list)
    if contact_ids:
        conn = core(reader)
        for contact_id, given, family, born, expected in conn.execute(
            _CHILDREN[conn.dialect.name], {"contacts": list(contact_ids)}
        ):
            named[contact_id].append(ChildInQueue(f"{given} {family}", born, expected))
    return {contact_id: tuple(children) for contact_id, children in named.items()}


def children_text(reader: Reader, contact_ids: Sequence[int]) -> dict[int, str]:
    """The children named in each contact, in the order they were entered, as one line: one query."""
    return {
        contact_id: ", ".join(child.name for child in children)
        for contact_id, children in children_of(reader, contact_ids).items()
    }


def concerns_of(reader: Reader, contact_ids: Sequence[int]) -> dict[int, tuple[Concern, ...]]:
    """The concerns ticked on each contact, in the list's own order: one query."""
    found: dict[int, list[Concern]] = defaultdict(list)
    if contact_ids:
        conn = core(reader)
        for contact_id, concern in conn.execute(_CONCERNS[conn.dialect.name], {"contacts": list(contact_ids)}):
            found[contact_id].append(concern)
    return {contact_id: tuple(sorted(items, key=_CONCERN_ORDER.__getitem__)) for contact_id, items in found.items()}


_CONCERN_ORDER = {concern: position for position, concern in enumerate(Concern)}
_CONCERNS = {
    dialect: select(ContactConcern.contact_id, ContactConcern.concern).where(among)
    for dialect, among in in_list(ContactConcern.contact_id, "contacts").items()
}


_CHILDREN = {
    dialect: select(
        ContactChild.contact_id,
        Person.given_names,
        Person.family_name,
        Person.date_of_birth,
        Person.expected_date_of_birth,
    )
    .join(Person, Person.id == ContactChild.person_id)
    .where(among)
    .order_by(ContactChild.contact_id, ContactChild.id)
    for dialect, among in in_list(ContactChild.contact_id, "contacts").items()
}
