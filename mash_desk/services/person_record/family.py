"""The rest of a person's record: names, corrections, addresses, relatives and the agencies involved now."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from mash_desk.domain.enums import (
    AgencyRequestStatus,
    HandOffStatus,
    NoteKind,
    PersonKind,
    RelationshipKind,
)
from mash_desk.services.context import Actor
from mash_desk.services.person_record.entries import day_words
from mash_desk.services.person_record.queries import (
    ADDRESSES,
    ADULTS_OF_CHILD,
    ALIASES,
    CHILDREN_OF_ADULT,
    CO_ADULTS,
    CO_CHILDREN,
    INVOLVED_NOW,
    PEOPLE,
    Fetched,
    hidden_records,
)
from mash_desk.services.person_record.rows import (
    AddressRow,
    AgencyNowRow,
    AliasRow,
    CorrectionRow,
    RelativeRow,
)
from mash_desk.store.models import (
    RecordRestriction,
)


def aliases(conn: Connection, person_id: int) -> tuple[AliasRow, ...]:
    return tuple(
        AliasRow(r.given_names, r.family_name, r.recorded_at) for r in conn.execute(ALIASES, {"person_id": person_id})
    )


def corrections(rows: Fetched) -> tuple[CorrectionRow, ...]:
    """Corrections of the person's details, newest first (kept as correction notes on the person)."""
    found = [
        CorrectionRow(n.written_at, rows.names.user(n.author_id), n.text)
        for n in rows.notes
        if n.contact_id is None and n.kind is NoteKind.CORRECTION
    ]
    return tuple(sorted(found, key=lambda c: c.at, reverse=True))


def addresses(conn: Connection, person_id: int, contact_ids: list[int]) -> tuple[AddressRow, ...]:
    """Each address the person lived at, newest first; the same address on consecutive contacts is one row."""
    if not contact_ids:
        return ()
    grouped: list[AddressRow] = []
    for r in conn.execute(ADDRESSES, {"person_id": person_id, "contact_ids": contact_ids}):
        address = ", ".join(p for p in (r.address_line1, r.address_line2, r.town) if p)
        same = (address, r.postcode, r.tenure, r.temporary_accommodation, r.overcrowded, r.homeless)
        last = grouped[-1] if grouped else None
        if last is not None and same == (
            last.address,
            last.postcode,
            last.tenure,
            last.temporary_accommodation,
            last.overcrowded,
            last.homeless,
        ):
            grouped[-1] = AddressRow(
                *same,
                housing_notes=r.housing_notes or last.housing_notes,
                first_seen=last.first_seen,
                last_seen=r.received_at,
                references=(*last.references, r.reference),
            )
            continue
        grouped.append(AddressRow(*same, r.housing_notes, r.received_at, r.received_at, (r.reference,)))
    return tuple(reversed(grouped))


@dataclass
class _Tie:
    """What is known of one relative while the rows are read."""

    relationship: RelationshipKind | None = None
    parental_responsibility: bool = False
    alleged_perpetrator: bool = False
    in_contact_with_child: bool | None = None
    contacts: int = 0
    sibling: bool = False


def relatives(
    conn: Connection, actor: Actor, person_id: int, kind: PersonKind, contact_ids: list[int], now: datetime
) -> tuple[RelativeRow, ...]:
    """Parents, carers and alleged perpetrators (for a child) or children (for an adult), and everyone
    else named with the person on their contacts; a restricted record this person may not open is left out."""
    params = {"person_id": person_id, "contact_ids": contact_ids}
    related: dict[int, _Tie] = {}
    statement = ADULTS_OF_CHILD if kind is PersonKind.CHILD else CHILDREN_OF_ADULT
    for r in conn.execute(statement, params):
        tie = related.setdefault(r.other_id, _Tie())
        tie.relationship = r.kind
        tie.parental_responsibility = tie.parental_responsibility or r.parental_responsibility
        tie.alleged_perpetrator = tie.alleged_perpetrator or r.alleged_perpetrator
        tie.in_contact_with_child = r.in_contact_with_child
        tie.contacts += 1
    if contact_ids:
        co_children: dict[int, int] = defaultdict(int)
        for _contact_id, other in conn.execute(CO_CHILDREN, params):
            co_children[other] += 1
        for other, count in co_children.items():
            tie = related.setdefault(other, _Tie())
            tie.sibling = kind is PersonKind.CHILD
            tie.contacts = max(tie.contacts, count)
        if kind is PersonKind.ADULT:
            for _contact_id, other, relationship in conn.execute(CO_ADULTS, params):
                tie = related.setdefault(other, _Tie(relationship=relationship))
                tie.contacts += 1
    if not related:
        return ()
    people = {p.id: p for p in conn.execute(PEOPLE, {"person_ids": sorted(related)})}
    if conn.dialect.name != "postgresql":
        for hidden in hidden_records(conn, actor, RecordRestriction.person_id, dict.fromkeys(people), now):
            people.pop(hidden, None)
    rows = [
        RelativeRow(
            person_id=pid,
            name=f"{people[pid].given_names} {people[pid].family_name}",
            kind=people[pid].kind,
            date_of_birth=people[pid].date_of_birth,
            relationship=tie.relationship,
            sibling=tie.sibling,
            parental_responsibility=tie.parental_responsibility,
            alleged_perpetrator=tie.alleged_perpetrator,
            in_contact_with_child=tie.in_contact_with_child,
            contacts=tie.contacts,
        )
        for pid, tie in related.items()
        if pid in people
    ]
    return tuple(sorted(rows, key=lambda r: (r.kind is not PersonKind.ADULT, not r.alleged_perpetrator, r.name)))


def agencies_now(rows: Fetched, allocated: tuple[str, str | None] | None, now: datetime) -> tuple[AgencyNowRow, ...]:
    """Who is involved with the person now: their allocated team, hand-offs waiting or accepted and
    agency checks outstanding or returned in the last year (as far as this person may see them)."""
    found: dict[str, AgencyNowRow] = {}

    def note(row: AgencyNowRow) -> None:
        known = found.get(row.name)
        if known is None or (row.since or now) > (known.since or now):
            found[row.name] = row

    if allocated is not None:
        team, worker = allocated
        found[team] = AgencyNowRow(team, f"Allocated team; worker {worker}" if worker else "Allocated team", None)
    recent = now - INVOLVED_NOW
    for h in rows.hand_offs:
        team = rows.names.team(h.team_id)
        if h.status is HandOffStatus.PENDING:
            note(AgencyNowRow(team, f"Hand-off waiting to be accepted since {day_words(h.sent_at)}", h.sent_at))
        elif h.status is HandOffStatus.ACCEPTED and h.responded_at is not None and h.responded_at >= recent:
            note(AgencyNowRow(team, f"Accepted a hand-off on {day_words(h.responded_at)}", h.responded_at))
    for r in rows.requests:
        if r.status is AgencyRequestStatus.OUTSTANDING:
            note(
                AgencyNowRow(
                    r.agency_name, f"Checks asked on {day_words(r.requested_at)}, not yet returned", r.requested_at
                )
            )
        elif r.status is AgencyRequestStatus.RETURNED and r.returned_at is not None and r.returned_at >= recent:
            note(AgencyNowRow(r.agency_name, f"Returned checks on {day_words(r.returned_at)}", r.returned_at))
    allocated_first = [found.pop(allocated[0])] if allocated is not None and allocated[0] in found else []
    rest = sorted(found.values(), key=lambda r: r.since or now, reverse=True)
    return (*allocated_first, *rest)
