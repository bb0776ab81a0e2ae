"""Two records of one child: find likely duplicates, and let a manager merge them (and undo it).

Nothing is deleted. The merged record points at the one kept (``person.merged_into_id``); every row
that named it (the contacts it is a child or adult on, relationships, household membership, notes,
DASH and GCP2 assessments) is re-pointed at the kept record, and each re-pointed row is recorded
(``person_merge_move``) so that undoing the merge puts back exactly what moved. Search finds the
kept record by the merged record's names too (``services.search`` follows the pointer), and
``resolve_person`` gives anyone holding an old id the record to open.

Lock order, as everywhere: the contacts first (every contact naming either record, in id order),
then the two person rows (in id order). An intake that links an existing person locks that person's
row and follows the pointer (``services.intake``), so an intake racing a merge either lands first
(and its contact is moved with the rest) or waits and links the kept record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, and_, func, select, update
from sqlalchemy.orm import Session, aliased

from mash_desk.domain import validation
from mash_desk.domain.duplicates import (
    MERGE_REFUSAL_WORDS,
    PersonFacts,
    merge_refusal,
)
from mash_desk.domain.enums import PersonKind, Role
from mash_desk.domain.errors import ConcurrentEdit, InvalidInput, NotFound, PermissionRefused, WriteCollision
from mash_desk.services.context import Actor, ServiceContext, audit, retry_collisions
from mash_desk.store.models import (
    CaseNote,
    Contact,
    ContactAdult,
    ContactChild,
    DashAssessment,
    GcpAssessment,
    Household,
    HouseholdMember,
    Person,
    PersonAlias,
    PersonMerge,
    PersonMergeMove,
    RecordRestriction,
    Relationship,
    User,
)
from mash_desk.store.queries import among

MAX_REASON = 4000
# a chain of merges is followed this far at most (a loop would be a bug; this stops it going round)
MAX_CHAIN = 20

# (table, column naming the person, the row's key): what a merge re-points, in the order it does it
_REPOINTS: tuple[tuple[Table, str, str], ...] = tuple(
    (cast(Table, model.__table__), column, key)
    for model, column, key in (
        (ContactChild, "person_id", "id"),
        (ContactAdult, "person_id", "contact_id"),
        (Relationship, "child_id", "id"),
        (Relationship, "adult_id", "id"),
        (HouseholdMember, "person_id", "household_id"),
        (CaseNote, "person_id", "id"),
        (DashAssessment, "victim_id", "id"),
        (GcpAssessment, "child_id", "id"),
    )
)
_TABLES = {table.name: table for table, _column, _key in _REPOINTS}


def require_may_merge(actor: Actor) -> None:
    if actor.role is not Role.MANAGER:
        raise PermissionRefused("Only a team manager can merge two records of one person, or undo a merge.")


def _reason(text: str, field: str) -> str:
    return validation.require_text(field, text, max_length=MAX_REASON)


# --- following the pointer --------------------------------------------------------------------------


def resolve_in(session: Session, person_id: int) -> int:
    """The record to use for ``person_id`` within a unit: itself, or the one it was merged into."""
    current = person_id
    for _ in range(MAX_CHAIN):
        pointer = session.scalar(select(Person.merged_into_id).where(Person.id == current))
        if pointer is None:
            return current
        current = pointer
    return current


def resolve_person(ctx: ServiceContext, person_id: int) -> int:
    """The id of the record to open for ``person_id``: the kept record when it was merged away."""
    with ctx.unit() as (session, _actor):
        if session.scalar(select(Person.id).where(Person.id == person_id)) is None:
            raise NotFound(f"There is no person with id {person_id}.")
        return resolve_in(session, person_id)


def lock_people(session: Session, person_ids: list[int]) -> dict[int, Person]:
    """Lock these person rows in id order (FOR UPDATE on PostgreSQL; SQLite's writers take turns),
    read as they stand now."""
    if not person_ids:
        return {}
    rows = session.scalars(
        select(Person)
        .where(Person.id.in_(sorted(set(person_ids))))
        .order_by(Person.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {person.id: person for person in rows}


def resolve_locked(session: Session, person_id: int) -> Person | None:
    """Lock ``person_id`` and, when it was merged away, the record it was merged into (and so on):
    the live record to link, as it stands once any merge under way has committed."""
    current = person_id
    for _ in range(MAX_CHAIN):
        person = lock_people(session, [current]).get(current)
        if person is None or person.merged_into_id is None:
            return person
        current = person.merged_into_id
    return None


def named_together_on_a_contact(session: Session, ids: set[int]) -> set[tuple[int, int]]:
    """Pairs of these people named as children on one contact (so two children), smaller id first."""
    x, y = aliased(ContactChild), aliased(ContactChild)
    rows = session.execute(
        select(x.person_id, y.person_id)
        .join(y, and_(y.contact_id == x.contact_id, y.person_id > x.person_id))
        .where(among(session, x.person_id, ids))
    )
    return {(p, q) for p, q in rows}


# --- the two records side by side ------------------------------------------------------------------


@dataclass(frozen=True)
class PersonSide:
    """One record as a manager compares it with another before merging."""

    person_id: int
    kind: PersonKind
    given_names: str
    family_name: str
    date_of_birth: date | None
    nhs_number: str | None
    upn: str | None
    first_language: str | None
    postcode: str | None
    aliases: tuple[str, ...]
    contacts: int
    last_contact_at: datetime | None
    created_at: datetime
    version: int

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.family_name}"


def compare_people(ctx: ServiceContext, first_id: int, second_id: int) -> tuple[PersonSide, PersonSide]:
    """Both records side by side, for a manager deciding whether to merge them; each opening audited."""
    now = ctx.now()
    with ctx.unit() as (session, actor):
        require_may_merge(actor)
        sides = tuple(_person_side(session, person_id) for person_id in (first_id, second_id))
    for person_id in (first_id, second_id):
        ctx.record_opening("person.open", "person", person_id, now)
    return sides[0], sides[1]


def _person_side(session: Session, person_id: int) -> PersonSide:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person with id {person_id}.")
    aliases = tuple(
        f"{g} {f}"
        for g, f in session.execute(
            select(PersonAlias.given_names, PersonAlias.family_name)
            .where(PersonAlias.person_id == person_id)
            .order_by(PersonAlias.id)
        )
    )
    count, last = session.execute(
        select(func.count(Contact.id), func.max(Contact.received_at))
        .join(ContactChild, ContactChild.contact_id == Contact.id)
        .where(ContactChild.person_id == person_id)
    ).one()
    adult_count, adult_last = session.execute(
        select(func.count(Contact.id), func.max(Contact.received_at))
        .join(ContactAdult, ContactAdult.contact_id == Contact.id)
        .where(ContactAdult.person_id == person_id)
    ).one()
    lasts = [at for at in (last, adult_last) if at is not None]
    postcode = session.scalar(
        select(Household.postcode)
        .join(HouseholdMember, HouseholdMember.household_id == Household.id)
        .where(HouseholdMember.person_id == person_id, Household.postcode.is_not(None))
        .order_by(Household.id.desc())
        .limit(1)
    )
    return PersonSide(
        person_id=person.id,
        kind=person.kind,
        given_names=person.given_names,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        nhs_number=person.nhs_number,
        upn=person.upn,
        first_language=person.first_language,
        postcode=postcode,
        aliases=aliases,
        contacts=int(count or 0) + int(adult_count or 0),
        last_contact_at=max(lasts) if lasts else None,
        created_at=person.created_at,
        version=person.version,
    )


# --- merging and undoing ---------------------------------------------------------------------------


def _contacts_of(session: Session, person_ids: list[int]) -> set[int]:
    children = select(ContactChild.contact_id).where(ContactChild.person_id.in_(person_ids))
    adults = select(ContactAdult.contact_id).where(ContactAdult.person_id.in_(person_ids))
    return set(session.scalars(children.union(adults)))


def _lock_contacts(session: Session, contact_ids: set[int]) -> None:
    if contact_ids:
        session.execute(
            select(Contact.id).where(Contact.id.in_(sorted(contact_ids))).order_by(Contact.id).with_for_update()
        ).all()


def _touch_contacts(session: Session, contact_ids: set[int], now: datetime) -> None:
    """The contacts whose children or adults moved: a new version, and a place in the change feed."""
    for contact in session.scalars(select(Contact).where(Contact.id.in_(sorted(contact_ids)))):
        contact.updated_at = now


def _restricted(session: Session, person_ids: list[int]) -> bool:
    return (
        session.scalar(
            select(func.count(RecordRestriction.id)).where(
                RecordRestriction.person_id.in_(person_ids), RecordRestriction.lifted_at.is_(None)
            )
        )
        or 0
    ) > 0


def _facts(person: Person) -> PersonFacts:
    return PersonFacts(
        person.id,
        person.kind,
        person.given_names,
        person.family_name,
        person.date_of_birth,
        person.nhs_number,
        person.merged_into_id,
    )


@retry_collisions
def merge_people(
    ctx: ServiceContext,
    kept_id: int,
    merged_id: int,
    reason: str,
    *,
    kept_version: int,
    merged_version: int,
) -> int:
    """A manager merges ``merged_id`` into ``kept_id``, saying why. Returns the merge's id."""
    errors_reason = _reason(reason, "reason")
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        require_may_merge(actor)
        pair = [kept_id, merged_id]
        # the contacts first, then the people: the one lock order
        contacts = _contacts_of(session, pair)
        _lock_contacts(session, contacts)
        people = lock_people(session, pair)
        if _contacts_of(session, pair) - contacts:
            # an intake named one of them between the two reads: start again with its contact too
            raise WriteCollision("A new contact named one of these records while merging; trying again.")
        kept, merged = people.get(kept_id), people.get(merged_id)
        if kept is None or merged is None:
            raise NotFound("One of these records no longer exists (or is hidden from you); refresh the list.")
        for person, expected in ((kept, kept_version), (merged, merged_version)):
            if person.version != expected:
                raise ConcurrentEdit(
                    f"Someone else changed {person.given_names} {person.family_name}'s record after you opened it. "
                    "Nothing was merged; look at both records again."
                )
        if _restricted(session, pair):
            raise InvalidInput.single(
                "merge", "One of these records is restricted. A restricted record is not merged; lift it first."
            )
        together = bool(named_together_on_a_contact(session, {kept_id, merged_id}))
        refusal = merge_refusal(_facts(kept), _facts(merged), named_together=together)
        if refusal is not None:
            raise InvalidInput.single("merge", MERGE_REFUSAL_WORDS[refusal])
        merge = PersonMerge(
            kept_id=kept_id, merged_id=merged_id, reason=errors_reason, merged_by_id=actor.id, merged_at=now
        )
        session.add(merge)
        session.flush()
        moved = _move(session, merge.id, merged_id, kept_id)
        merged.merged_into_id = kept_id
        session.flush()
        moved_contacts = {row_id for table, _c, row_id in moved if table == "contact_adult"}
        moved_contacts |= set(
            session.scalars(
                select(ContactChild.contact_id).where(
                    ContactChild.id.in_([row_id for table, _c, row_id in moved if table == "contact_child"])
                )
            )
        )
        _touch_contacts(session, moved_contacts, now)
        session.flush()
        counts: dict[str, int] = defaultdict(int)
        for table, _column, _row in moved:
            counts[table] += 1
        audit(
            session,
            actor,
            "person.merge",
            "person",
            kept_id,
            at=now,
            detail={"merge_id": merge.id, "kept_id": kept_id, "merged_id": merged_id, "moved": dict(counts)},
        )
        return merge.id


def _move(session: Session, merge_id: int, from_id: int, to_id: int) -> list[tuple[str, str, int]]:
    """Re-point every row naming ``from_id`` at ``to_id``, recording each one first."""
    moved: list[tuple[str, str, int]] = []
    for table, column, key in _REPOINTS:
        col, key_col = table.c[column], table.c[key]
        stmt = select(key_col).where(col == from_id)
        if key != "id":
            # a (record, person) row stays where the kept record is already named on that record
            other = table.alias()
            stmt = stmt.where(~select(other.c[key]).where(other.c[key] == key_col, other.c[column] == to_id).exists())
        row_ids = sorted(set(session.scalars(stmt)))
        if not row_ids:
            continue
        session.add_all(
            PersonMergeMove(merge_id=merge_id, table_name=table.name, column_name=column, row_id=row_id)
            for row_id in row_ids
        )
        session.flush()
        session.execute(update(table).where(key_col.in_(row_ids), col == from_id).values({column: to_id}))
        moved.extend((table.name, column, row_id) for row_id in row_ids)
    return moved


@retry_collisions
def undo_merge(ctx: ServiceContext, merge_id: int, reason: str) -> None:
    """A manager undoes a merge, saying why: exactly the rows it moved go back, and the pointer goes."""
    undo_reason = _reason(reason, "reason")
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        require_may_merge(actor)
        merge = session.get(PersonMerge, merge_id)
        if merge is None:
            raise NotFound(f"There is no merge with id {merge_id}.")
        if merge.undone_at is not None:
            raise InvalidInput.single("merge", "This merge was already undone.")
        moves = list(session.scalars(select(PersonMergeMove).where(PersonMergeMove.merge_id == merge_id)))
        pair = [merge.kept_id, merge.merged_id]
        contacts = _contacts_of(session, pair)
        _lock_contacts(session, contacts)
        people = lock_people(session, pair)
        if _contacts_of(session, pair) - contacts:
            raise WriteCollision("A new contact named one of these records while undoing; trying again.")
        session.refresh(merge)
        kept, merged = people.get(merge.kept_id), people.get(merge.merged_id)
        if kept is None or merged is None:
            raise NotFound("One of these records is hidden from you; it cannot be unmerged by you.")
        if merge.undone_at is not None:
            raise InvalidInput.single("merge", "This merge was already undone.")
        if kept.merged_into_id is not None:
            raise InvalidInput.single(
                "merge",
                "The record kept by this merge was itself merged into another since. Undo that later merge first.",
            )
        merge.undone_at = now
        merge.undone_by_id = actor.id
        merge.undo_reason = undo_reason
        session.flush()
        touched: set[int] = set()
        by_table: dict[tuple[str, str], list[int]] = defaultdict(list)
        for move in moves:
            by_table[(move.table_name, move.column_name)].append(move.row_id)
        for (table_name, column), row_ids in by_table.items():
            table = _TABLES[table_name]
            key = next(k for t, c, k in _REPOINTS if t.name == table_name and c == column)
            session.execute(
                update(table)
                .where(table.c[key].in_(row_ids), table.c[column] == merge.kept_id)
                .values({column: merge.merged_id})
            )
            if table_name == "contact_adult":
                touched.update(row_ids)
            elif table_name == "contact_child":
                touched.update(session.scalars(select(ContactChild.contact_id).where(ContactChild.id.in_(row_ids))))
        merged.merged_into_id = None
        session.flush()
        _touch_contacts(session, touched, now)
        session.flush()
        audit(
            session,
            actor,
            "person.unmerge",
            "person",
            merge.kept_id,
            at=now,
            detail={"merge_id": merge.id, "kept_id": merge.kept_id, "merged_id": merge.merged_id, "moves": len(moves)},
        )


# --- merges made ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeRow:
    id: int
    kept_id: int
    kept_name: str
    merged_id: int
    merged_name: str
    reason: str
    merged_by: str
    merged_at: datetime
    undone_by: str | None
    undone_at: datetime | None
    undo_reason: str | None
    moved: int


def merges(ctx: ServiceContext, *, include_undone: bool = True) -> list[MergeRow]:
    """The merges managers have made, newest first."""
    with ctx.unit() as (session, actor):
        require_may_merge(actor)
        kept, merged = aliased(Person), aliased(Person)
        by, undone_by = aliased(User), aliased(User)
        moved = (
            select(func.count(PersonMergeMove.id))
            .where(PersonMergeMove.merge_id == PersonMerge.id)
            .correlate(PersonMerge)
            .scalar_subquery()
        )
        stmt = (
            select(PersonMerge, kept, merged, by.display_name, undone_by.display_name, moved)
            .join(kept, kept.id == PersonMerge.kept_id)
            .join(merged, merged.id == PersonMerge.merged_id)
            .join(by, by.id == PersonMerge.merged_by_id)
            .outerjoin(undone_by, undone_by.id == PersonMerge.undone_by_id)
            .order_by(PersonMerge.merged_at.desc(), PersonMerge.id.desc())
        )
        if not include_undone:
            stmt = stmt.where(PersonMerge.undone_at.is_(None))
        return [
            MergeRow(
                id=m.id,
                kept_id=k.id,
                kept_name=f"{k.given_names} {k.family_name}",
                merged_id=g.id,
                merged_name=f"{g.given_names} {g.family_name}",
                reason=m.reason,
                merged_by=who,
                merged_at=m.merged_at,
                undone_by=undoer,
                undone_at=m.undone_at,
                undo_reason=m.undo_reason,
                moved=int(count or 0),
            )
            for m, k, g, who, undoer, count in session.execute(stmt)
        ]
