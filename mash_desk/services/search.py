"""Find the child first: one child should be one record, whatever the spelling.

Candidates come from indexed look-ups (NHS number, sound-alike name keys, name prefixes, date of
birth, postcode); ``domain.names.similarity`` then ranks them, so a broad look-up costs a few rows
and never hides the child the practitioner is looking for.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from mash_desk.domain import validation
from mash_desk.domain.enums import PersonKind
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.names import name_keys, normalise_name, similarity
from mash_desk.services.context import ServiceContext
from mash_desk.services.drafts import blank_to_none, normalised
from mash_desk.services.policy import OPEN_CASE_WINDOW_DAYS, RE_REFERRAL_MONTHS, get_int_settings
from mash_desk.store.models import (
    Contact,
    ContactChild,
    Household,
    HouseholdMember,
    Person,
    PersonNameKey,
    Team,
    User,
)
from mash_desk.store.queries import lookup, starts_with

CANDIDATE_LIMIT = 200
MIN_PREFIX = 2


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

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.family_name}"


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
        candidates = _candidates(session, query, given, family, nhs, postcode)
        if not candidates:
            return []
        return _rank(session, candidates, query, given, family, nhs, postcode, now)[:limit]


def _restrict(stmt: Select[int], query: PersonQuery) -> Select[int]:
    if query.kind is not None:
        stmt = stmt.where(Person.kind == query.kind)
    return stmt.limit(CANDIDATE_LIMIT)


def _candidates(
    session: Session, query: PersonQuery, given: str, family: str, nhs: str | None, postcode: str | None
) -> set[int]:
    ids: set[int] = set()
    if nhs:
        ids.update(session.scalars(_restrict(select(Person.id).where(Person.nhs_number == nhs), query)))
    # a whole name typed into one box pairs its own words (see name_keys), so it meets the stored keys too
    keys = name_keys(given, family) if given or family else frozenset()
    # a single typed word gives only "p:" keys, which stored people (always two-part names) never carry
    if keys and not all(key.startswith("p:") for key in keys):
        stmt = (
            select(Person.id)
            .join(PersonNameKey, PersonNameKey.person_id == Person.id)
            .where(PersonNameKey.key.in_(sorted(keys)))
        )
        if query.date_of_birth is not None:
            stmt = stmt.where(Person.date_of_birth == query.date_of_birth)
        ids.update(session.scalars(_restrict(stmt.distinct(), query)))
    family_norm, given_norm = normalise_name(family), normalise_name(given)
    if len(family_norm) >= MIN_PREFIX or len(given_norm) >= MIN_PREFIX:
        stmt = select(Person.id)
        if family_norm:
            stmt = stmt.where(*starts_with(Person.family_name_norm, family_norm))
        if given_norm:
            stmt = stmt.where(*starts_with(Person.given_names_norm, given_norm))
        if query.date_of_birth is not None:
            stmt = stmt.where(Person.date_of_birth == query.date_of_birth)
        # in name order, so the candidate limit keeps the closest names rather than any 200
        stmt = stmt.order_by(Person.family_name_norm, Person.given_names_norm, Person.id)
        ids.update(session.scalars(_restrict(stmt, query)))
    elif query.date_of_birth is not None and not nhs:
        ids.update(
            session.scalars(_restrict(select(Person.id).where(Person.date_of_birth == query.date_of_birth), query))
        )
    if postcode:
        stmt = (
            select(Person.id)
            .join(HouseholdMember, HouseholdMember.person_id == Person.id)
            .join(Household, Household.id == HouseholdMember.household_id)
            .where(Household.postcode == postcode)
        )
        ids.update(session.scalars(_restrict(stmt, query)))
    return ids


def _rank(
    session: Session,
    ids: set[int],
    query: PersonQuery,
    given: str,
    family: str,
    nhs: str | None,
    postcode: str | None,
    now: datetime,
) -> list[PersonMatch]:
    people = list(session.scalars(select(Person).where(Person.id.in_(ids))))
    postcodes: dict[int, str | None] = {}
    for person_id, code in session.execute(
        select(HouseholdMember.person_id, Household.postcode)
        .join(Household, Household.id == HouseholdMember.household_id)
        .where(HouseholdMember.person_id.in_(ids), Household.postcode.is_not(None))
        .order_by(Household.id)
    ):
        postcodes[person_id] = code
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
    team_ids = {p.allocated_team_id for p in people if p.allocated_team_id}
    teams = lookup(session, select(Team.id, Team.name).where(Team.id.in_(team_ids))) if team_ids else {}
    window_start = now.date() - timedelta(days=settings[OPEN_CASE_WINDOW_DAYS])
    worker_ids = {p.allocated_worker_id for p in people if p.allocated_worker_id}
    workers = lookup(session, select(User.id, User.display_name).where(User.id.in_(worker_ids))) if worker_ids else {}
    matches = []
    for person in people:
        reasons: list[str] = []
        score = 0.0
        if given or family:
            name_score = similarity(given, family, person.given_names, person.family_name)
            score += name_score
            if name_score >= 0.99:
                reasons.append("same name")
            elif name_score >= 0.6:
                reasons.append("similar name")
        if nhs and person.nhs_number == nhs:
            score += 2.0
            reasons.append("same NHS number")
        if query.date_of_birth is not None and person.date_of_birth == query.date_of_birth:
            score += 1.0
            reasons.append("same date of birth")
        if postcode and postcodes.get(person.id) == postcode:
            score += 0.5
            reasons.append("same postcode")
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
                score=round(score, 3),
                reasons=tuple(reasons),
                contacts_last_12_months=recent.get(person.id, 0),
                last_contact_at=last.get(person.id),
                re_referral=recent.get(person.id, 0) > 0,
                open_case_team=teams.get(person.allocated_team_id) if open_case and person.allocated_team_id else None,
                allocated_worker=workers.get(person.allocated_worker_id) if person.allocated_worker_id else None,
            )
        )
    matches.sort(key=lambda m: (-m.score, m.family_name, m.given_names, m.person_id))
    return matches
