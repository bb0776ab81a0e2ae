"""Likely duplicates: pairs of records that may be one person (same NHS number, or the same date of birth
and a close name), for a manager to compare and merge (``services.merging``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from mash_desk.domain.duplicates import (
    DuplicateReason,
    PersonFacts,
    likely_duplicate,
)
from mash_desk.domain.enums import PersonKind
from mash_desk.services.context import ServiceContext
from mash_desk.services.merging import named_together_on_a_contact, require_may_merge
from mash_desk.store.models import (
    Person,
    PersonNameKey,
)
from mash_desk.store.queries import among

DUPLICATE_LIMIT = 200


@dataclass(frozen=True)
class DuplicateSide:
    person_id: int
    given_names: str
    family_name: str
    date_of_birth: date | None
    nhs_number: str | None

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.family_name}"


@dataclass(frozen=True)
class DuplicatePair:
    first: DuplicateSide
    second: DuplicateSide
    kind: PersonKind
    reason: DuplicateReason
    name_similarity: float


_COLUMNS = (
    Person.id,
    Person.kind,
    Person.given_names,
    Person.family_name,
    Person.date_of_birth,
    Person.nhs_number,
)


def likely_duplicates(ctx: ServiceContext, *, limit: int = DUPLICATE_LIMIT) -> list[DuplicatePair]:
    """Pairs of live records that may be one person (``domain.duplicates``), NHS number matches first."""
    with ctx.unit() as (session, actor):
        require_may_merge(actor)
        a, b = aliased(Person), aliased(Person)
        live = and_(a.merged_into_id.is_(None), b.merged_into_id.is_(None), a.kind == b.kind, a.id < b.id)
        pairs: set[tuple[int, int]] = set()
        by_nhs = select(a.id, b.id).join(b, b.nhs_number == a.nhs_number).where(live, a.nhs_number.is_not(None))
        pairs.update((x, y) for x, y in session.execute(by_nhs.limit(limit * 4)))
        # born the same day, with the family names or the given names starting alike, and sharing a
        # search key: the name rules then say how close. The initial is what makes this cheap: two
        # equality joins instead of every pair born on one day (about 20 a day in a large hub, so
        # hundreds of thousands of pairs); a misspelling seldom changes both initials.
        ka, kb = aliased(PersonNameKey), aliased(PersonNameKey)
        for a_part, b_part in (
            (a.family_name_norm, b.family_name_norm),
            (a.given_names_norm, b.given_names_norm),
        ):
            by_birth = (
                select(a.id, b.id)
                .join(
                    b,
                    and_(
                        b.date_of_birth == a.date_of_birth,
                        func.substr(b_part, 1, 1) == func.substr(a_part, 1, 1),
                    ),
                )
                .join(ka, ka.person_id == a.id)
                .join(kb, and_(kb.person_id == b.id, kb.key == ka.key))
                .where(live, a.date_of_birth.is_not(None))
                .distinct()
                .limit(limit * 4)
            )
            pairs.update((x, y) for x, y in session.execute(by_birth))
        if not pairs:
            return []
        ids = {person_id for pair in pairs for person_id in pair}
        facts = {
            row[0]: PersonFacts(row[0], row[1], row[2], row[3], row[4], row[5])
            for row in session.execute(select(*_COLUMNS).where(among(session, Person.id, ids)))
        }
        together = named_together_on_a_contact(session, ids)
    found: list[DuplicatePair] = []
    for x, y in pairs:
        first, second = facts.get(x), facts.get(y)
        if first is None or second is None:
            continue  # hidden from this login (a restriction)
        likely = likely_duplicate(first, second, named_together=(x, y) in together)
        if likely is None:
            continue
        found.append(
            DuplicatePair(_side(first), _side(second), first.kind, likely.reason, round(likely.name_similarity, 3))
        )
    found.sort(
        key=lambda p: (
            p.reason is not DuplicateReason.SAME_NHS_NUMBER,
            -p.name_similarity,
            p.first.family_name,
            p.first.person_id,
        )
    )
    return found[:limit]


def _side(facts: PersonFacts) -> DuplicateSide:
    return DuplicateSide(facts.id, facts.given_names, facts.family_name, facts.date_of_birth, facts.nhs_number)
