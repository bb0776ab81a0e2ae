"""Find the child first: one child should be one record, whatever the spelling.

Candidates come from indexed look-ups: the NHS number; the name's sound-code pair keys, every form
of each word (``domain.name_variants``) and, for the typed name, every key one consonant slip away
(``domain.names.near_name_keys``); name prefixes; people born on or one known slip from the typed
date of birth whose name shares a word with the one typed; the postcode. Each look-up orders its
rows before its limit (a date of birth one slip away first, then the most keys met), so the people
most like the one described survive it. ``domain.names.similarity`` and ``domain.birth_dates`` then
rank them: a date of birth is a signal, never a filter, so a day and month swapped, a day or a year
out costs a child a little rank and never hides them. Only the best ``limit`` are read in full.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from mash_desk.domain import validation
from mash_desk.domain.birth_dates import BIRTH_DATE_POINTS, BirthDateMatch, birth_date_match, near_birth_dates
from mash_desk.domain.enums import PersonKind, RelationshipKind
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.names import name_keys, near_name_keys, normalise_name, similarity, word_matcher
from mash_desk.services.context import ServiceContext
from mash_desk.services.drafts import blank_to_none, normalised
from mash_desk.services.policy import OPEN_CASE_WINDOW_DAYS, RE_REFERRAL_MONTHS, get_int_settings
from mash_desk.services.records import address_line
from mash_desk.store.models import (
    Contact,
    ContactChild,
    Household,
    HouseholdMember,
    Person,
    PersonAlias,
    PersonNameKey,
    Relationship,
    Team,
    User,
)
from mash_desk.store.queries import among, starts_with

CANDIDATE_LIMIT = 200
# people born on one date or its slips: about 60 children a day in a 625,000-person hub
BIRTH_DATE_CANDIDATE_LIMIT = 1000
MIN_PREFIX = 2
MAX_MERGE_CHAIN = 20
# a date of birth counts in full only beside a name at least this like the one typed, so a stranger
# born that day does not outrank the child with a slipped date
NAME_FOR_FULL_BIRTH_DATE = 0.5

_BIRTH_DATE_REASONS = {
    BirthDateMatch.SAME: "same date of birth",
    BirthDateMatch.SWAPPED: "date of birth with day and month swapped",
    BirthDateMatch.DAY_OUT: "date of birth a day out",
    BirthDateMatch.YEAR_OUT: "date of birth a year out",
}


@dataclass(frozen=True)
class PersonQuery:
    given_names: str | None = None
    family_name: str | None = None
    date_of_birth: date | None = None
    nhs_number: str | None = None
    postcode: str | None = None
    kind: PersonKind | None = PersonKind.CHILD


@dataclass(frozen=True)
class PersonMatch:
    person_id: int
    given_names: str
    family_name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    nhs_number: str | None
    postcode: str | None
    score: float
    reasons: tuple[str, ...]
    contacts_last_12_months: int
    last_contact_at: datetime | None
    re_referral: bool
    open_case_team: str | None
    allocated_worker: str | None
    address: str | None = None  # the latest household's, to confirm it is the same child
    # parents and carers named with the child on earlier contacts: (name, how they are related)
    parents: tuple[tuple[str, RelationshipKind], ...] = ()

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.family_name}"


@dataclass(frozen=True)
class _Scored:
    person_id: int
    family_name: str
    given_names: str
    score: float
    reasons: tuple[str, ...]


def find_people(ctx: ServiceContext, query: PersonQuery, *, limit: int = 20) -> list[PersonMatch]:
    """People who may be the one described, best match first, with their history at the MASH."""
    given = blank_to_none(query.given_names) or ""
    family = blank_to_none(query.family_name) or ""
    nhs = normalised(query.nhs_number, validation.normalise_nhs_number)
    postcode = normalised(query.postcode, validation.normalise_postcode)
    names_typed = len(normalise_name(given + family)) >= MIN_PREFIX
    if not (names_typed or nhs or query.date_of_birth or postcode):
        raise InvalidInput.single(
            "search", "Type at least two letters of a name, a date of birth, an NHS number or a postcode."
        )
    now = ctx.now()
    with ctx.unit() as (session, _actor):
        candidates = _follow_merges(session, _candidates(session, query, given, family, nhs, postcode))
        if not candidates:
            return []
        best = _score(session, candidates, query, given, family, nhs, postcode)[:limit]
        return _details(session, best, now)


# what ranking reads of each candidate, fetched by the look-up that finds them
_Row = tuple[int, str, str, date | None, str | None]
_RowSelect = Select[int, str, str, date | None, str | None]
_COLUMNS = (Person.id, Person.given_names, Person.family_name, Person.date_of_birth, Person.nhs_number)


def _restrict(stmt: _RowSelect, query: PersonQuery, limit: int = CANDIDATE_LIMIT) -> _RowSelect:
    if query.kind is not None:
        stmt = stmt.where(Person.kind == query.kind)
    return stmt.limit(limit)


def _rows(session: Session, stmt: _RowSelect) -> dict[int, _Row]:
    return {row[0]: (row[0], row[1], row[2], row[3], row[4]) for row in session.execute(stmt)}


def _candidates(
    session: Session, query: PersonQuery, given: str, family: str, nhs: str | None, postcode: str | None
) -> dict[int, _Row]:
    found: dict[int, _Row] = {}
    dates = near_birth_dates(query.date_of_birth) if query.date_of_birth is not None else ()
    if nhs:
        found.update(_rows(session, _restrict(select(*_COLUMNS).where(Person.nhs_number == nhs), query)))
    # a whole name typed into one box pairs its own words (see name_keys), so it meets the stored keys too
    keys = name_keys(given, family) if given or family else frozenset()
    # a single typed word gives only "p:" keys, which stored people (always two-part names) never carry
    if keys and not all(key.startswith("p:") for key in keys):
        found.update(_by_keys(session, query, keys, near_name_keys(given, family), dates))
    family_norm, given_norm = normalise_name(family), normalise_name(given)
    if len(family_norm) >= MIN_PREFIX or len(given_norm) >= MIN_PREFIX:
        if dates:
            # everyone born on the dates whose words the typed ones begin: the prefix look-up and more
            found.update(_by_birth_date(session, query, given, family, dates))
        else:
            stmt = select(*_COLUMNS)
            if family_norm:
                stmt = stmt.where(*starts_with(Person.family_name_norm, family_norm))
            if given_norm:
                stmt = stmt.where(*starts_with(Person.given_names_norm, given_norm))
            # in name order, so the candidate limit keeps the closest names rather than any 200
            stmt = stmt.order_by(Person.family_name_norm, Person.given_names_norm, Person.id)
            found.update(_rows(session, _restrict(stmt, query)))
    elif dates and not nhs:
        stmt = select(*_COLUMNS).where(Person.date_of_birth.in_(dates))
        stmt = stmt.order_by(case((Person.date_of_birth == dates[0], 0), else_=1), Person.id)
        found.update(_rows(session, _restrict(stmt, query)))
    if postcode:
        stmt = (
            select(*_COLUMNS)
            .join(HouseholdMember, HouseholdMember.person_id == Person.id)
            .join(Household, Household.id == HouseholdMember.household_id)
            .where(Household.postcode == postcode)
        )
        found.update(_rows(session, _restrict(stmt, query)))
    return found


def _follow_merges(session: Session, found: dict[int, _Row]) -> dict[int, _Row]:
    """A record merged into another is found as the one kept: its names, date of birth and NHS number
    still find the child (each row keyed by the record it came from, scored as the kept one)."""
    if not found:
        return found
    kept_of: dict[int, int] = {}
    pending: dict[int, int] = {
        merged_id: kept_id
        for merged_id, kept_id in session.execute(
            select(Person.id, Person.merged_into_id).where(
                among(session, Person.id, found.keys()), Person.merged_into_id.is_not(None)
            )
        )
        if kept_id is not None
    }
    for _ in range(MAX_MERGE_CHAIN):  # a merged record's kept record may itself have been merged since
        if not pending:
            break
        kept_of.update(pending)
        onward: dict[int, int] = {
            merged_id: kept_id
            for merged_id, kept_id in session.execute(
                select(Person.id, Person.merged_into_id).where(
                    among(session, Person.id, set(pending.values())), Person.merged_into_id.is_not(None)
                )
            )
            if kept_id is not None
        }
        for merged_id, kept_id in list(kept_of.items()):
            if kept_id in onward:
                kept_of[merged_id] = onward[kept_id]
        pending = {k: v for k, v in onward.items() if k not in kept_of}
    if not kept_of:
        return found
    missing = set(kept_of.values()) - found.keys()
    kept_rows = _rows(session, select(*_COLUMNS).where(among(session, Person.id, missing))) if missing else {}
    result: dict[int, _Row] = {}
    for row_id, row in found.items():
        kept = kept_of.get(row_id)
        if kept is None:
            result[row_id] = row
            continue
        result[row_id] = (kept, row[1], row[2], row[3], row[4])
        if kept in kept_rows:
            result[kept] = kept_rows[kept]
    return result


def _by_keys(
    session: Session, query: PersonQuery, keys: frozenset[str], near: frozenset[str], dates: tuple[date, ...]
) -> dict[int, _Row]:
    """People whose stored keys meet the typed name's own or near keys, best first: those born on or
    one slip from the typed date, then those meeting the most of the name's own keys.

    Two plain look-ups, ordered here: the key rows by the key index, then those people by id. Asked
    to group and order, SQLite walks the whole key table in person order; asked to join, PostgreSQL
    misjudges how many rows hundreds of keys meet (its estimate of distinct keys is a fraction of
    the truth) and scans every person. The rows a name's keys meet are few: about 1,300 for
    "Mohd Khan" in a 625,000-person hub."""
    hits: dict[int, int] = defaultdict(int)
    for person_id, key in session.execute(
        select(PersonNameKey.person_id, PersonNameKey.key).where(among(session, PersonNameKey.key, keys | near))
    ):
        hits[person_id] += key in keys
    if not hits:
        return {}
    stmt = select(*_COLUMNS).where(among(session, Person.id, hits.keys()))
    if query.kind is not None:
        stmt = stmt.where(Person.kind == query.kind)
    rows = _rows(session, stmt)
    ranked = sorted(rows, key=lambda person_id: (rows[person_id][3] not in dates, -hits[person_id], person_id))
    return {person_id: rows[person_id] for person_id in ranked[:CANDIDATE_LIMIT]}


def _by_birth_date(
    session: Session, query: PersonQuery, given: str, family: str, dates: tuple[date, ...]
) -> dict[int, _Row]:
    """People born on or one slip from the typed date whose name shares a word with the one typed:
    the child whose other name part is spelt past any key (a nickname, a name not yet known)."""
    stmt = select(*_COLUMNS).where(Person.date_of_birth.in_(dates))
    if query.kind is not None:
        stmt = stmt.where(Person.kind == query.kind)
    shares_a_word = word_matcher(given, family)
    return {
        row[0]: row
        for row in _rows(session, stmt.limit(BIRTH_DATE_CANDIDATE_LIMIT)).values()
        if shares_a_word(row[1], row[2])
    }


def _score(
    session: Session,
    candidates: dict[int, _Row],
    query: PersonQuery,
    given: str,
    family: str,
    nhs: str | None,
    postcode: str | None,
) -> list[_Scored]:
    """Every candidate scored from the few columns ranking needs, best first."""
    aliases: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if given or family:
        # a merged record's known-as names count for the record kept (its row carries the kept id)
        kept_of = {row_id: row[0] for row_id, row in candidates.items()}
        for person_id, alias_given, alias_family in session.execute(
            select(PersonAlias.person_id, PersonAlias.given_names, PersonAlias.family_name).where(
                among(session, PersonAlias.person_id, candidates.keys())
            )
        ):
            aliases[kept_of.get(person_id, person_id)].append((alias_given, alias_family))
    postcodes: dict[int, str | None] = _postcodes(session, {row[0] for row in candidates.values()}) if postcode else {}
    scored = []
    for row_id, (person_id, person_given, person_family, born, nhs_number) in candidates.items():
        merged_row = row_id != person_id  # the names of a record merged into this one: known-as names
        reasons: list[str] = []
        score = 0.0
        name_score = 1.0
        if given or family:
            name_score = similarity(given, family, person_given, person_family)
            alias_score = max((similarity(given, family, g, f) for g, f in aliases.get(person_id, ())), default=0.0)
            if alias_score > name_score:
                name_score = alias_score
                reasons.append("same known-as name" if alias_score >= 0.99 else "similar known-as name")
            elif merged_row and name_score >= 0.6:
                reasons.append("same known-as name" if name_score >= 0.99 else "similar known-as name")
            elif name_score >= 0.99:
                reasons.append("same name")
            elif name_score >= 0.6:
                reasons.append("similar name")
            score += name_score
        if nhs and nhs_number == nhs:
            score += 2.0
            reasons.append("same NHS number")
        if query.date_of_birth is not None:
            match = birth_date_match(query.date_of_birth, born)
            if match is not None:
                points = BIRTH_DATE_POINTS[match]
                score += points if name_score >= NAME_FOR_FULL_BIRTH_DATE else points / 2
                reasons.append(_BIRTH_DATE_REASONS[match])
        if postcode and postcodes.get(person_id) == postcode:
            score += 0.5
            reasons.append("same postcode")
        scored.append(_Scored(person_id, person_family, person_given, round(score, 3), tuple(reasons)))
    scored.sort(key=lambda m: (-m.score, m.family_name, m.given_names, m.person_id))
    # one line per person: a kept record and a record merged into it are the same child, at their best
    first_of: dict[int, _Scored] = {}
    for scored_match in scored:
        first_of.setdefault(scored_match.person_id, scored_match)
    return list(first_of.values())


def _postcodes(session: Session, ids: set[int] | list[int]) -> dict[int, str | None]:
    postcodes: dict[int, str | None] = {}
    for person_id, code in session.execute(
        select(HouseholdMember.person_id, Household.postcode)
        .join(Household, Household.id == HouseholdMember.household_id)
        .where(HouseholdMember.person_id.in_(ids), Household.postcode.is_not(None))
        .order_by(Household.id)
    ):
        postcodes[person_id] = code
    return postcodes


def _details(session: Session, best: list[_Scored], now: datetime) -> list[PersonMatch]:
    """The best matches in full, with their history at the MASH and any open case, in rank order."""
    ids = [m.person_id for m in best]
    # the household postcode (the latest household's), the team and the worker in the same read:
    # each round trip costs more than the rows on a busy server
    postcode = (
        select(Household.postcode)
        .join(HouseholdMember, HouseholdMember.household_id == Household.id)
        .where(HouseholdMember.person_id == Person.id, Household.postcode.is_not(None))
        .order_by(Household.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    people: dict[int, Person] = {}
    postcodes: dict[int, str | None] = {}
    teams: dict[int, str] = {}
    workers: dict[int, str] = {}
    for person, code, team_name, worker_name in session.execute(
        select(Person, postcode, Team.name, User.display_name)
        .outerjoin(Team, Team.id == Person.allocated_team_id)
        .outerjoin(User, User.id == Person.allocated_worker_id)
        .where(Person.id.in_(ids))
    ):
        people[person.id] = person
        postcodes[person.id] = code
        if person.allocated_team_id is not None and team_name is not None:
            teams[person.allocated_team_id] = team_name
        if person.allocated_worker_id is not None and worker_name is not None:
            workers[person.allocated_worker_id] = worker_name
    settings = get_int_settings(session, (RE_REFERRAL_MONTHS, OPEN_CASE_WINDOW_DAYS))
    since = now - timedelta(days=round(settings[RE_REFERRAL_MONTHS] * 30.44))
    recent: dict[int, int] = defaultdict(int)
    last: dict[int, datetime] = {}
    for person_id, count, latest in session.execute(
        select(
            ContactChild.person_id,
            func.count(Contact.id).filter(Contact.received_at >= since),
            func.max(Contact.received_at),
        )
        .join(Contact, Contact.id == ContactChild.contact_id)
        .where(ContactChild.person_id.in_(ids))
        .group_by(ContactChild.person_id)
    ):
        recent[person_id] = int(count or 0)
        if latest is not None:
            last[person_id] = latest if latest.tzinfo else latest.replace(tzinfo=now.tzinfo)
    window_start = now.date() - timedelta(days=settings[OPEN_CASE_WINDOW_DAYS])
    addresses, parents = _identity(session, ids)
    matches = []
    for scored in best:
        person = people.get(scored.person_id)
        if person is None:
            continue  # hidden from this login between the two reads (a restriction landing)
        open_case = person.allocated_team_id is not None and (
            person.case_open or (person.case_closed_on is not None and person.case_closed_on >= window_start)
        )
        matches.append(
            PersonMatch(
                person_id=person.id,
                given_names=person.given_names,
                family_name=person.family_name,
                date_of_birth=person.date_of_birth,
                expected_date_of_birth=person.expected_date_of_birth,
                nhs_number=person.nhs_number,
                postcode=postcodes.get(person.id),
                score=scored.score,
                reasons=scored.reasons,
                contacts_last_12_months=recent.get(person.id, 0),
                last_contact_at=last.get(person.id),
                re_referral=recent.get(person.id, 0) > 0,
                open_case_team=teams.get(person.allocated_team_id) if open_case and person.allocated_team_id else None,
                allocated_worker=workers.get(person.allocated_worker_id) if person.allocated_worker_id else None,
                address=addresses.get(person.id),
                parents=parents.get(person.id, ()),
            )
        )
    return matches


PARENT_KINDS = (
    RelationshipKind.MOTHER,
    RelationshipKind.FATHER,
    RelationshipKind.STEP_PARENT,
    RelationshipKind.FOSTER_CARER,
)
MAX_PARENTS = 3


def _identity(
    session: Session, ids: list[int]
) -> tuple[dict[int, str], dict[int, tuple[tuple[str, RelationshipKind], ...]]]:
    """What confirms a match is the child being typed: their latest address, and their parents or carers
    as earlier contacts named them (latest first, each once)."""
    addresses: dict[int, str] = {}
    for person_id, household in session.execute(
        select(HouseholdMember.person_id, Household)
        .join(Household, Household.id == HouseholdMember.household_id)
        .where(HouseholdMember.person_id.in_(ids))
        .order_by(HouseholdMember.person_id, Household.id.desc())
    ):
        if person_id not in addresses:
            line = address_line(household)
            if line is not None:
                addresses[person_id] = line
    named: dict[int, list[tuple[str, RelationshipKind]]] = defaultdict(list)
    seen: set[tuple[int, object]] = set()
    for child_id, adult_id, given, family, kind in session.execute(
        select(Relationship.child_id, Person.id, Person.given_names, Person.family_name, Relationship.kind)
        .join(Person, Person.id == Relationship.adult_id)
        .where(Relationship.child_id.in_(ids), Relationship.kind.in_(PARENT_KINDS))
        .order_by(Relationship.child_id, Relationship.id.desc())
    ):
        # each contact may have logged the same mother afresh: one line for each name and relationship
        name_and_kind = (f"{given} {family}".casefold(), str(kind))
        if (child_id, adult_id) in seen or (child_id, name_and_kind) in seen or len(named[child_id]) >= MAX_PARENTS:
            continue
        seen.update({(child_id, adult_id), (child_id, name_and_kind)})
        named[child_id].append((f"{given} {family}", RelationshipKind(kind)))
    return addresses, {child_id: tuple(names) for child_id, names in named.items()}
