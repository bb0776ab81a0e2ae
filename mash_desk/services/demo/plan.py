"""Planning a contact's life in memory, row by row, as the services would have written it."""

import math
import random
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

from mash_desk.domain import validation
from mash_desk.domain.cin import is_referral, needs_hand_off, pick_primary_need
from mash_desk.domain.enums import (
    AgencyRequestStatus,
    Channel,
    Concern,
    Confidentiality,
    ConsentStatus,
    ContactStatus,
    DecisionStatus,
    Gender,
    HandOffStatus,
    HousingTenure,
    NoteKind,
    Outcome,
    OverrideBasis,
    PersonKind,
    Rag,
    ReferrerKind,
    RelationshipKind,
    TimescaleKey,
)
from mash_desk.domain.names import name_keys, normalise_name
from mash_desk.domain.risk import DASH_QUESTION_COUNT, score_dash, validate_gcp_grades
from mash_desk.domain.timescales import LONDON, TimescalePolicy, WorkingCalendar, due_at, rag_key
from mash_desk.services.demo.loading import COLUMNS
from mash_desk.services.demo.vocabulary import (
    _HERITAGE_LIST,
    _HERITAGE_WEIGHTS,
    _INWARD_LETTERS,
    AGENCY_USER,
    CASE_NOTES,
    CHANNEL_WEIGHTS,
    COMPANIONS,
    CONCERN_SOURCE_FAMILY,
    FAMILY_REFERRERS,
    GCP_ASSESSORS,
    GENERIC_NARRATIVE,
    HOUSING_NOTES,
    LANGUAGE_NEEDS,
    MANAGERS,
    MASH_PRACTITIONERS,
    MIXED_SHARE,
    NARRATIVES,
    OPEN_CASE_WINDOW,
    OPEN_MINIMUM,
    OPEN_SHARE,
    OVERSIGHT_NOTES,
    PRIMARY_CONCERNS,
    RATIONALES,
    RE_REFERRAL_DAYS,
    REJECTION_REASONS,
    REQUEST_QUESTIONS,
    RETURN_COMMENTS,
    RETURN_SUMMARIES,
    SCHOOLS,
    SEVERITY,
    SOURCE_REFERRER,
    SOURCES_BY_CONCERN,
    STORY_MINIMUM,
    STREETS,
    TEAM_WORKER,
    TEAMS,
    TOWN,
    WHEREABOUTS,
    YEARS,
    C,
    Heritage,
    Row,
    S,
)
from mash_desk.services.intake import contact_reference

# --- the plan ------------------------------------------------------------------------------------


class _Picker:
    """A weighted choice prepared once: a bisect on cumulative weights, several times faster than ``choices``."""

    __slots__ = ("cumulative", "items", "total")

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[min(bisect_right(self.cumulative, rng.random() * self.total), len(self.items) - 1)]


def _pairs(pairs: Sequence[tuple[Any, float]]) -> _Picker:
    return _Picker([item for item, _ in pairs], [weight for _, weight in pairs])


def _weighted(rng: random.Random, items: Sequence[Any], weights: Sequence[float]) -> Any:
    """A one-off weighted choice (for weights worked out per call)."""
    return _Picker(items, weights)(rng)


def _pick(rng: random.Random, items: Sequence[Any]) -> Any:
    """``rng.choice`` without its Python-level overhead (it is called millions of times)."""
    return items[int(rng.random() * len(items)) % len(items)]


def _below(rng: random.Random, bound: int) -> int:
    """``rng.randrange(bound)``, likewise."""
    return int(rng.random() * bound) % bound


def _between(rng: random.Random, low: int, high: int) -> int:
    """``_between(rng, low, high)``, likewise: both ends included."""
    return low + _below(rng, high - low + 1)


def _minutes(value: float) -> timedelta:
    return timedelta(minutes=max(1, round(value)))


@dataclass(slots=True)
class _Person:
    id: int
    kind: str
    given: str
    family: str
    given_spellings: tuple[str, ...]
    family_spellings: tuple[str, ...]
    dob: date | None
    expected: date | None
    gender: str
    ethnicity: str | None
    nhs: str | None
    upn: str | None
    disability: bool | None
    first_language: str | None
    interpreter: bool
    communication_needs: str | None
    created_at: datetime
    last_contact_at: datetime | None = None
    # accepted hand-offs that allocated this child: (accepted at, team id, case closes at, worker id)
    allocations: list[tuple[datetime, int, datetime, int | None]] = field(default_factory=list)


@dataclass(slots=True)
class _Adult:
    person: _Person
    relationship: str
    parental_responsibility: bool
    male: bool


@dataclass(slots=True)
class _Family:
    heritage: Heritage
    language: str
    children: list[_Person]
    adults: list[_Adult]
    address: str
    postcode: str
    tenure: str
    temporary: bool
    overcrowded: bool
    homeless: bool
    contacts: int = 0
    story: bool = False


@dataclass(frozen=True)
class _StoryContact:
    """One contact of a scripted storyline: which family, which children, and how it goes."""

    family: str
    children: tuple[int, ...]
    concerns: tuple[Concern, ...]
    outcome: Outcome | None = None
    level: int | None = None
    spelling: tuple[int, ...] = ()  # per named child: index of the given-name spelling used (0 = as recorded)
    dash: bool = False
    gcp: bool = False
    rag: Rag | None = None
    case_days: int | None = None  # how long the case stays open after an accepted referral
    notes: bool = False


@dataclass(slots=True)
class _Slot:
    """One contact before it is cast: when it arrived and where it should end up."""

    received_at: datetime
    status: ContactStatus
    story: _StoryContact | None = None
    forced: frozenset[str] = frozenset()  # features the first slot of its kind must show


OPEN_STATUS_WEIGHTS: tuple[tuple[ContactStatus, float], ...] = (
    (S.RECEIVED, 20),
    (S.SCREENED, 12),
    (S.AGENCY_CHECKS, 25),
    (S.AWAITING_AUTHORISATION, 12),
    (S.RETURNED, 5),
    (S.AUTHORISED, 8),
    (S.AWAITING_ACCEPTANCE, 12),
    (S.ACCEPTED, 6),
)
# how long ago open work arrived, in hours: (usual from, to, share in a backlog, backlog from, to)
OPEN_AGE_HOURS: dict[ContactStatus, tuple[float, float, float, float, float]] = {
    S.RECEIVED: (0.1, 6, 0.1, 24, 120),
    S.SCREENED: (1, 30, 0.05, 48, 120),
    S.AGENCY_CHECKS: (2, 48, 0.15, 48, 240),
    S.AWAITING_AUTHORISATION: (3, 30, 0.1, 30, 96),
    S.RETURNED: (6, 48, 0.1, 48, 120),
    S.AUTHORISED: (4, 72, 0.1, 72, 168),
    S.AWAITING_ACCEPTANCE: (2, 40, 0.15, 72, 192),
    S.ACCEPTED: (24, 240, 0.0, 0, 0),
}
# so that even the smallest demo shows them: the first open contact of a status gets these
FIRST_FORCED: dict[ContactStatus, frozenset[str]] = {
    S.RECEIVED: frozenset({"overdue"}),
    S.AGENCY_CHECKS: frozenset({"markings"}),
    S.AUTHORISED: frozenset({"rejected"}),
    S.AWAITING_ACCEPTANCE: frozenset({"overdue_hand_off"}),
}

# storylines: (days before now, status, contact)
STORIES: tuple[tuple[float, ContactStatus, _StoryContact], ...] = (
    (410, S.CLOSED, _StoryContact("khan", (0, 1), (C.NEGLECT, C.HOUSING), Outcome.EARLY_HELP, 2, gcp=True)),
    (
        205,
        S.CLOSED,
        _StoryContact(
            "khan",
            (0, 1),
            (C.DOMESTIC_ABUSE, C.EMOTIONAL_ABUSE),
            Outcome.CFA_S17,
            3,
            spelling=(1, 1),
            dash=True,
            rag=Rag.AMBER,
            case_days=70,
        ),
    ),
    (
        0.8,
        S.AGENCY_CHECKS,
        _StoryContact(
            "khan", (0, 1), (C.DOMESTIC_ABUSE, C.NEGLECT), spelling=(2, 0), dash=True, rag=Rag.RED, notes=True
        ),
    ),
    (
        62,
        S.CLOSED,
        _StoryContact("nowak", (0,), (C.PHYSICAL_ABUSE,), Outcome.STRATEGY_S47, 4, rag=Rag.RED, case_days=400),
    ),
    (0.15, S.RECEIVED, _StoryContact("nowak", (0,), (C.EMOTIONAL_ABUSE, C.SCHOOL_ABSENCE))),
)


class _Builder:
    """Plans every row of the demo, contact by contact in the order they arrived."""

    def __init__(
        self,
        *,
        rng: random.Random,
        now: datetime,
        backend: str,
        policy: TimescalePolicy,
        users: dict[str, int],
        teams: dict[str, int],
        agencies: dict[str, int],
        base_ids: dict[str, int],
    ) -> None:
        self.rng = rng
        self.now = now
        self.sqlite = backend == "sqlite"
        self.policy = policy
        self.calendar = WorkingCalendar()
        self.users = users
        self.teams = teams
        self.agencies = agencies
        self.ids = dict(base_ids)
        self.rows: dict[str, list[Row]] = {table: [] for table in COLUMNS}
        self.people: list[_Person] = []
        self.families: list[_Family] = []
        self.contact_log: list[tuple[datetime, _Family]] = []  # every contact, in arrival order
        self.log_times: list[datetime] = []
        self.key_cache: dict[tuple[str, str], tuple[str, ...]] = {}
        self.alias_keys: dict[int, set[str]] = {}  # a person's keys once an alias has added to them
        self.norm_cache: dict[str, str] = {}
        self.story_families: dict[str, _Family] = {}
        self.first_seen: set[str] = set()
        self.nhs_cursor = 0
        self.postcodes = self._postcodes()
        self.usernames = {uid: name for name, uid in users.items()}
        self.counts: dict[str, int] = {
            "open": 0,
            "overdue": 0,
            "referrals": 0,
            "re_referrals": 0,
            "pending_hand_offs": 0,
            "children": 0,
            "adults": 0,
            "dash": 0,
            "gcp": 0,
        }
        self.team_names = {team_id: name for name, team_id in teams.items()}
        self.team_worker = {
            team_id: users[TEAM_WORKER[name]] for team_id, name in self.team_names.items() if name in TEAM_WORKER
        }
        self.rule_decision = policy.rule(TimescaleKey.DECISION)
        self.rule_red = policy.rule(TimescaleKey.RED)
        self.rule_handoff = policy.rule(TimescaleKey.HANDOFF_ACCEPTANCE)
        self.rag_rules = {rag: policy.rule(rag_key(rag)) for rag in Rag}

    # -- storage forms ----------------------------------------------------------------------------

    def ts(self, moment: datetime) -> object:
        """A UTC datetime as the column stores it: SQLAlchemy's naive text on SQLite, aware on PostgreSQL."""
        if self.sqlite:
            # SQLAlchemy's SQLite DATETIME text, naive UTC: "2026-03-10 10:05:00.000000"
            if moment.microsecond:
                return moment.isoformat(" ")[:26]
            return moment.isoformat(" ")[:19] + ".000000"
        return moment

    def norm(self, name: str) -> str:
        """``normalise_name``, remembered: the town has a few hundred names and half a million people."""
        found = self.norm_cache.get(name)
        if found is None:
            found = self.norm_cache[name] = normalise_name(name)
        return found

    def day(self, value: date | None) -> object:
        if value is None:
            return None
        return value.isoformat() if self.sqlite else value

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    # -- identifiers --------------------------------------------------------------------------------

    def _postcodes(self) -> list[str]:
        """A fixed pool of LU-shaped postcodes (drawn from the run's generator, each one checked)."""
        pool = []
        for _ in range(2500):
            raw = (
                f"LU{_between(self.rng, 1, 4)} {_between(self.rng, 1, 9)}"
                f"{_pick(self.rng, _INWARD_LETTERS)}{_pick(self.rng, _INWARD_LETTERS)}"
            )
            pool.append(validation.normalise_postcode(raw))
        return pool

    def nhs_number(self) -> str | None:
        """The next unused NHS number in the 999 test range (never issued), or None once that runs out."""
        while self.nhs_cursor < 1_000_000:
            serial = (self.nhs_cursor * 7_919 + 104_729) % 1_000_000
            self.nhs_cursor += 1
            first_nine = f"999{serial:06d}"
            total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
            check = 11 - total % 11
            if check == 10:
                continue
            return first_nine + str(0 if check == 11 else check)
        return None

    def upn(self) -> str:
        body = f"999{_between(self.rng, 2000, 7999)}{_between(self.rng, 10, 24)}{_between(self.rng, 0, 999):03d}"
        return validation.upn_check_letter(body) + body

    # -- people -------------------------------------------------------------------------------------

    def _new_person(
        self,
        *,
        kind: PersonKind,
        given: tuple[str, ...],
        family: tuple[str, ...],
        dob: date | None,
        gender: Gender,
        at: datetime,
        ethnicity: str | None = None,
        language: str | None = None,
        interpreter: bool = False,
        expected: date | None = None,
        duplicate: bool = False,
    ) -> _Person:
        child = kind is PersonKind.CHILD
        disability = None
        needs = None
        upn = None
        nhs = None
        if child:
            roll = self.rng.random()
            disability = True if roll < 0.06 else (False if roll < 0.8 else None)
            if disability and self.rng.random() < 0.4:
                needs = _pick(self.rng, LANGUAGE_NEEDS)
            if self.rng.random() < 0.88 and not duplicate:
                nhs = self.nhs_number()
            if (
                not duplicate
                and dob is not None
                and 4 <= (at.date() - dob).days / 365.25 <= 16
                and self.rng.random() < 0.7
            ):
                upn = self.upn()
        person = _Person(
            id=self.next_id("person"),
            kind=kind.value,
            given=given[0],
            family=family[0],
            given_spellings=given,
            family_spellings=family,
            dob=dob,
            expected=expected,
            gender=gender.value,
            ethnicity=ethnicity,
            nhs=nhs,
            upn=upn,
            disability=disability,
            first_language=language,
            interpreter=interpreter,
            communication_needs=needs,
            created_at=at,
        )
        self.people.append(person)
        self.counts["children" if child else "adults"] += 1
        keys = self.key_cache.get((person.given, person.family))
        if keys is None:
            keys = self.key_cache[(person.given, person.family)] = tuple(sorted(name_keys(person.given, person.family)))
        rows = self.rows["person_name_key"]
        for key in keys:
            rows.append((person.id, key))
        return person

    def alias(self, person: _Person, given: str, surname: str, at: datetime) -> None:
        """Another name the person is known by, and the search keys it adds (as ``people.add_alias``)."""
        self.rows["person_alias"].append((self.next_id("person_alias"), person.id, given, surname, self.ts(at)))
        known = self.alias_keys.get(person.id)
        if known is None:
            known = self.alias_keys[person.id] = set(self.key_cache[(person.given, person.family)])
        rows = self.rows["person_name_key"]
        for key in sorted(name_keys(given, surname) - known):
            rows.append((person.id, key))
            known.add(key)

    def _name(self, heritage: Heritage, boy: bool) -> tuple[str, ...]:
        pool = heritage.boys if boy else heritage.girls
        spellings = _pick(self.rng, pool)
        # the spelling first recorded is any of the group; the others become the variants
        first = _below(self.rng, len(spellings))
        return (spellings[first], *spellings[:first], *spellings[first + 1 :])

    def _surname(self, heritage: Heritage) -> tuple[str, ...]:
        spellings = _pick(self.rng, heritage.families)
        first = _below(self.rng, len(spellings))
        return (spellings[first], *spellings[:first], *spellings[first + 1 :])

    def new_family(
        self, at: datetime, *, heritage: Heritage | None = None, forced: dict[str, Any] | None = None
    ) -> _Family:
        """A household of a parent or two and their children, as the MASH first hears of them."""
        rng = self.rng
        forced = forced or {}
        heritage = heritage or PICK_HERITAGE(rng)
        language = forced.get("language") or PICK_LANGUAGE[heritage.key](rng)
        ethnicity = PICK_ETHNICITY[heritage.key](rng)
        surname = forced.get("surname") or self._surname(heritage)
        father_heritage = heritage
        if not forced and rng.random() < MIXED_SHARE:
            father_heritage = PICK_HERITAGE(rng)
            if father_heritage is not heritage:
                ethnicity = _pick(rng, ("MWBC", "MWBA", "MWAS", "MOTH"))
                father_name = self._surname(father_heritage)
                if rng.random() < 0.5:
                    double = f"{father_name[0]}-{surname[0]}"
                    surname = (double, f"{father_name[0]} {surname[0]}", surname[0])
        # children: how many, and how old at this first contact
        count = PICK_CHILD_COUNT(rng)
        if "children" in forced:
            count = len(forced["children"])
        eldest_age = PICK_ELDEST_AGE(rng) + rng.random() * (2 if count == 1 else 3)
        eldest_age = min(eldest_age, 17.4)
        if not forced and rng.random() < 0.04:  # a pre-birth contact: the baby is the only child
            count, eldest_age = 1, -rng.uniform(0.05, 0.6)
        children: list[_Person] = []
        age = eldest_age
        today = at.date()
        for index in range(count):
            spec = forced.get("children", [None] * count)[index]
            if spec is not None:
                given, boy, age = spec
            else:
                boy = rng.random() < 0.5
                given = self._name(heritage, boy)
            born = today - timedelta(days=round(age * 365.25))
            dob: date | None = born
            expected = None
            if age < 0 and born > self.now.date():  # unborn at this contact and still expected now
                dob, expected = None, born
            child_language = language if language != "English" and (rng.random() < 0.6 or (age or 0) < 5) else "English"
            interpreter = child_language != "English" and rng.random() < 0.25 and age < 12
            children.append(
                self._new_person(
                    kind=PersonKind.CHILD,
                    given=given,
                    family=surname,
                    dob=dob,
                    expected=expected,
                    gender=Gender.MALE if boy else Gender.FEMALE,
                    at=at,
                    ethnicity=ethnicity,
                    language=child_language,
                    interpreter=bool(interpreter) or forced.get("child_interpreter", False),
                )
            )
            age -= 1.2 + rng.random() * 3
            if age < -0.8 and index + 1 < count and "children" not in forced:
                break
        # adults
        eldest_dob = children[0].dob or children[0].expected or today
        adults: list[_Adult] = []
        mother_interpreter = language != "English" and rng.random() < heritage.interpreter_rate
        if forced.get("mother_interpreter"):
            mother_interpreter = True
        if forced or rng.random() < 0.96:
            mother_family = surname
            if heritage.key == "south_asian" and rng.random() < 0.3:
                mother_family = ("Begum", "Bibi")
            elif "-" in surname[0] or rng.random() < 0.15:
                mother_family = (surname[-1],)
            mother = self._new_person(
                kind=PersonKind.ADULT,
                given=self._name(heritage, False),
                family=mother_family,
                dob=eldest_dob - timedelta(days=round(rng.uniform(18, 38) * 365.25)) if rng.random() < 0.85 else None,
                gender=Gender.FEMALE,
                at=at,
                language=language,
                interpreter=mother_interpreter,
            )
            adults.append(_Adult(mother, RelationshipKind.MOTHER.value, True, False))
        roll = rng.random()
        male_kind = None
        if roll < 0.45:
            male_kind = RelationshipKind.FATHER
        elif roll < 0.62:
            male_kind = RelationshipKind.PARTNER_OF_PARENT
        elif roll < 0.67:
            male_kind = RelationshipKind.STEP_PARENT
        if male_kind is not None or not adults:
            kind = male_kind or RelationshipKind.FATHER
            male_family = surname if kind is RelationshipKind.FATHER else self._surname(father_heritage)
            father = self._new_person(
                kind=PersonKind.ADULT,
                given=self._name(father_heritage, True),
                family=(male_family[0].split("-")[0], *male_family[1:])
                if kind is RelationshipKind.FATHER
                else male_family,
                dob=eldest_dob - timedelta(days=round(rng.uniform(19, 45) * 365.25)) if rng.random() < 0.75 else None,
                gender=Gender.MALE,
                at=at,
                language=language if father_heritage is heritage else "English",
                interpreter=mother_interpreter and rng.random() < 0.5,
            )
            adults.append(_Adult(father, kind.value, kind is RelationshipKind.FATHER, True))
        if rng.random() < 0.05:
            grandparent = self._new_person(
                kind=PersonKind.ADULT,
                given=self._name(heritage, rng.random() < 0.3),
                family=surname,
                dob=eldest_dob - timedelta(days=round(rng.uniform(40, 65) * 365.25)),
                gender=Gender.FEMALE,
                at=at,
                language=language,
            )
            adults.append(_Adult(grandparent, RelationshipKind.GRANDPARENT.value, False, False))
        # housing
        tenure = PICK_TENURE(rng)
        if forced.get("temporary"):
            tenure = HousingTenure.TEMPORARY
        temporary = tenure is HousingTenure.TEMPORARY
        homeless = tenure is HousingTenure.NO_FIXED_ABODE or (temporary and rng.random() < 0.5)
        overcrowded = bool(forced.get("overcrowded")) or rng.random() < (0.35 if temporary or count >= 4 else 0.1)
        family = _Family(
            heritage=heritage,
            language=language,
            children=children,
            adults=adults,
            address=f"{_between(rng, 1, 220)} {_pick(rng, STREETS)}",
            postcode=_pick(rng, self.postcodes),
            tenure=tenure.value,
            temporary=temporary,
            overcrowded=overcrowded,
            homeless=homeless,
        )
        self.families.append(family)
        return family

    def add_sibling(self, family: _Family, at: datetime) -> None:
        """A baby born since the family was last known (or expected, for a recent contact)."""
        rng = self.rng
        youngest = family.children[-1].dob or family.children[-1].expected
        if youngest is None or (at.date() - youngest).days < 500:
            return
        boy = rng.random() < 0.5
        unborn = rng.random() < 0.25
        if unborn:
            expected = at.date() + timedelta(days=_between(rng, 20, 200))
            dob, expected_now = (None, expected) if expected > self.now.date() else (expected, None)
        else:
            dob, expected_now = youngest + timedelta(days=_between(rng, 400, (at.date() - youngest).days)), None
        family.children.append(
            self._new_person(
                kind=PersonKind.CHILD,
                given=self._name(family.heritage, boy),
                family=family.children[0].family_spellings,
                dob=dob,
                expected=expected_now,
                gender=Gender.MALE if boy else Gender.FEMALE,
                at=at,
                ethnicity=family.children[0].ethnicity,
                language=family.language,
            )
        )

    # -- when contacts arrive -----------------------------------------------------------------------

    def plan_slots(self, total: int) -> list[_Slot]:
        """Every contact's arrival time and final status, in arrival order.

        Most contacts are spread over the last ten years (slowly growing, fewer at weekends, mostly in
        office hours) and closed; the open share arrived in the last days or weeks, each status with
        an age that fits it, so queues, deadlines and overdue work look like a working hub's.
        """
        rng = self.rng
        stories = STORIES if total >= STORY_MINIMUM else ()
        open_total = min(total, max(OPEN_MINIMUM, round(total * OPEN_SHARE)))
        story_open = sum(1 for _, status, _ in stories if status is not S.CLOSED)
        n_open = max(0, min(open_total - story_open, total - len(stories)))
        n_closed = total - len(stories) - n_open
        slots: list[_Slot] = []
        for status, quota in self._open_quotas(n_open):
            for index in range(quota):
                forced = FIRST_FORCED.get(status, frozenset()) if index == 0 else frozenset()
                age = self._open_age(status, forced)
                slots.append(_Slot(self.minute(self.now - age), status, forced=forced))
        for index in range(n_closed):
            forced = frozenset({"refused_override"}) if index == 0 else frozenset()
            slots.append(_Slot(self._historic_time(), S.CLOSED, forced=forced))
        for days, status, story in stories:
            slots.append(_Slot(self.minute(self.now - timedelta(days=days)), status, story=story))
        rng.shuffle(slots)  # ties in arrival time then fall in a seeded, not a constructed, order
        slots.sort(key=lambda slot: slot.received_at)
        return slots

    @staticmethod
    def minute(moment: datetime) -> datetime:
        return moment.replace(second=0, microsecond=0)

    def _open_quotas(self, n_open: int) -> list[tuple[ContactStatus, int]]:
        """Split the open contacts between the open statuses (largest remainder; each at least one)."""
        if n_open <= 0:
            return []
        total_weight = sum(w for _, w in OPEN_STATUS_WEIGHTS)
        exact = [(status, n_open * w / total_weight) for status, w in OPEN_STATUS_WEIGHTS]
        quotas = {status: int(share) for status, share in exact}
        if n_open >= len(OPEN_STATUS_WEIGHTS):
            quotas = {status: max(quota, 1) for status, quota in quotas.items()}
        remaining = n_open - sum(quotas.values())
        by_remainder = sorted(exact, key=lambda item: item[1] - int(item[1]), reverse=True)
        index = 0
        while remaining > 0:
            quotas[by_remainder[index % len(by_remainder)][0]] += 1
            remaining -= 1
            index += 1
        while remaining < 0:  # the minimum of one each overshot: take back from the largest
            largest = max(quotas, key=lambda status: quotas[status])
            quotas[largest] -= 1
            remaining += 1
        return [(status, quotas[status]) for status, _ in OPEN_STATUS_WEIGHTS if quotas[status] > 0]

    def _open_age(self, status: ContactStatus, forced: frozenset[str]) -> timedelta:
        rng = self.rng
        low, high, backlog, backlog_low, backlog_high = OPEN_AGE_HOURS[status]
        hours = rng.uniform(low, high)
        if "overdue" in forced:
            hours = 50.0 + rng.random() * 20
        elif "overdue_hand_off" in forced:
            hours = 24.0 * 6 + rng.random() * 24
        elif rng.random() < backlog:
            hours = rng.uniform(backlog_low, backlog_high)  # a backlog: overdue work
        return timedelta(hours=hours)

    def _historic_time(self) -> datetime:
        """A moment in the last ten years: slowly growing volume, fewer at weekends, mostly office hours."""
        rng = self.rng
        start = self.now - timedelta(days=round(365.25 * YEARS))
        span = (self.now - timedelta(days=1) - start).total_seconds()
        growth = 0.5
        for _ in range(4):
            x = (-1 + math.sqrt(1 + growth * (2 + growth) * rng.random())) / growth
            day = (start + timedelta(seconds=x * span)).astimezone(LONDON).date()
            if day.weekday() < 5 or rng.random() < 0.4:
                break
        office = rng.random() < 0.8
        minute_of_day = 8 * 60 + _below(rng, 10 * 60) if office else _below(rng, 24 * 60)
        local = datetime(day.year, day.month, day.day, minute_of_day // 60, minute_of_day % 60, tzinfo=LONDON)
        return min(local.astimezone(UTC), self.minute(self.now - timedelta(days=1)))

    # -- one contact --------------------------------------------------------------------------------

    def contact(self, slot: _Slot, cid: int) -> None:
        """Cast one contact and plan every row its life would have written."""
        _ContactLife(self, slot, cid).run()

    # -- families over time -------------------------------------------------------------------------

    def recent_family(self, at: datetime) -> _Family | None:
        """A family with a contact in the last 12 months (busier families more likely): a re-referral."""
        low = bisect_left(self.log_times, at - timedelta(days=RE_REFERRAL_DAYS))
        if low >= len(self.log_times):
            return None
        family = self.contact_log[low + _below(self.rng, len(self.log_times) - low)][1]
        return None if family.story else family

    def older_family(self, at: datetime) -> _Family | None:
        """A family last heard of more than a year ago, back again."""
        low = bisect_left(self.log_times, at - timedelta(days=RE_REFERRAL_DAYS))
        if low == 0:
            return None
        family = self.contact_log[_below(self.rng, low)][1]
        return None if family.story else family

    @staticmethod
    def eligible(family: _Family, at: datetime) -> list[_Person]:
        """The family's children a contact at ``at`` can name: under 18, born or expected within months."""
        today = at.date()
        found = []
        for child in family.children:
            if child.dob is None:
                if child.expected is not None and (child.expected - today).days <= 300:
                    found.append(child)
            elif child.dob > today:
                if (child.dob - today).days <= 280:
                    found.append(child)
            elif (today - child.dob).days < 18 * 365:
                found.append(child)
        return found

    def move_house(self, family: _Family) -> None:
        """The family has moved since the last contact: new address, perhaps a different tenure."""
        rng = self.rng
        family.address = f"{_between(rng, 1, 220)} {_pick(rng, STREETS)}"
        family.postcode = _pick(rng, self.postcodes)
        if rng.random() < 0.5:
            tenure = PICK_NEW_TENURE(rng)
            family.tenure = tenure.value
            family.temporary = tenure is HousingTenure.TEMPORARY
            family.homeless = family.temporary and rng.random() < 0.5
            family.overcrowded = rng.random() < (0.35 if family.temporary else 0.1)

    def allocation_at(self, person: _Person, at: datetime) -> tuple[int, bool, date | None] | None:
        """The child's allocated team at ``at``, whether the case is open, and the day it closed."""
        latest = None
        for allocation in person.allocations:
            if allocation[0] <= at and (latest is None or allocation[0] > latest[0]):
                latest = allocation
        if latest is None:
            return None
        is_open = latest[2] > at
        return latest[1], is_open, None if is_open else latest[2].date()

    def story_family(self, key: str, at: datetime) -> _Family:
        """The scripted families the README and the summary point people to."""
        heritages = {h.key: h for h in _HERITAGE_LIST}
        if key == "khan":
            forced: dict[str, Any] = {
                "surname": ("Khan",),
                "language": "Urdu",
                "children": [(("Muhammad", "Mohammed", "Mohamed"), True, 7.2), (("Ayesha", "Aisha"), False, 4.1)],
                "mother_interpreter": True,
                "temporary": True,
                "overcrowded": True,
            }
            family = self.new_family(at, heritage=heritages["south_asian"], forced=forced)
        else:
            forced = {
                "surname": ("Nowak", "Novak"),
                "language": "Polish",
                "children": [(("Zuzanna",), False, 9.3)],
                "mother_interpreter": True,
            }
            family = self.new_family(at, heritage=heritages["eastern_european"], forced=forced)
        family.story = True
        self.story_families[key] = family
        return family

    def duplicate(self, person: _Person, given: str, surname: str, at: datetime) -> _Person:
        """The same child logged again under another spelling, without their NHS number: search must find both."""
        return self._new_person(
            kind=PersonKind.CHILD,
            given=(given,),
            family=(surname,),
            dob=person.dob,
            expected=person.expected,
            gender=Gender(person.gender),
            at=at,
            ethnicity=person.ethnicity,
            language=person.first_language,
            interpreter=person.interpreter,
            duplicate=True,
        )


ROUTE_OPEN_CASE = frozenset({S.RECEIVED, S.AWAITING_ACCEPTANCE, S.ACCEPTED, S.CLOSED})
# the stage a normal-route contact has reached, for each status it can end in
STAGE = {
    "log": 1,
    "rate": 2,
    "consent": 3,
    "request": 4,
    "propose": 5,
    "submit": 6,
    "mreturn": 7,
    "auth": 8,
    "handoff": 9,
    "reject": 10,
    "accept": 11,
    "close": 12,
}
LEVEL_WEIGHTS = (40.0, 38.0, 16.0, 6.0)
OUTCOMES_FOR_LEVEL: dict[int, tuple[tuple[Outcome, float], ...]] = {
    1: ((Outcome.NFA, 50), (Outcome.ADVICE_SIGNPOST, 49), (Outcome.TRANSFER_OTHER_LA, 1)),
    2: (
        (Outcome.EARLY_HELP, 72),
        (Outcome.SINGLE_AGENCY, 25),
        (Outcome.LADO, 0.5),
        (Outcome.TRANSFER_OTHER_LA, 1),
        (Outcome.MARAC, 1.5),
    ),
    3: ((Outcome.CFA_S17, 96), (Outcome.TRANSFER_OTHER_LA, 1), (Outcome.LADO, 0.5), (Outcome.MARAC, 2.5)),
    4: ((Outcome.STRATEGY_S47, 95.5), (Outcome.EMERGENCY_PROTECTION, 4), (Outcome.LADO, 0.5)),
}
# the receiving team for the weightiest outcome on the contact (earlier wins)
TEAM_FOR_OUTCOME: tuple[tuple[Outcome, str], ...] = (
    (Outcome.EMERGENCY_PROTECTION, "Child Protection Team"),
    (Outcome.STRATEGY_S47, "Child Protection Team"),
    (Outcome.CFA_S17, "Assessment Team"),
    (Outcome.MARAC, "MARAC Coordination"),
    (Outcome.LADO, "LADO Service"),
    (Outcome.TRANSFER_OTHER_LA, "Neighbouring Authority MASH"),
    (Outcome.EARLY_HELP, "Early Help Team"),
    (Outcome.SINGLE_AGENCY, "Early Help Team"),
)
SECOND_TEAM = {
    "Assessment Team": "Early Help Team",
    "Early Help Team": "Assessment Team",
    "Child Protection Team": "Assessment Team",
    "Children in Need Team": "Assessment Team",
}
TEAM_AGENCY = {name: agency for name, _kind, agency in TEAMS}
PRIMARY_NEED_FOR: dict[Concern, str] = {
    C.NEGLECT: "N1",
    C.PHYSICAL_ABUSE: "N1",
    C.SEXUAL_ABUSE: "N1",
    C.EMOTIONAL_ABUSE: "N1",
    C.DOMESTIC_ABUSE: "N1",
    C.FGM: "N1",
    C.CSE: "N1",
    C.TRAFFICKING: "N1",
    C.FAITH_BASED_ABUSE: "N1",
    C.LEARNING_DISABILITY: "N2",
    C.PARENTAL_MENTAL_HEALTH: "N3",
    C.SUBSTANCE_MISUSE: "N3",
    C.YOUNG_CARER: "N3",
    C.HOUSING: "N4",
    C.SELF_HARM: "N4",
    C.SCHOOL_ABSENCE: "N5",
    C.CCE: "N6",
    C.GANGS: "N6",
    C.MISSING: "N6",
    C.RADICALISATION: "N6",
    C.UNACCOMPANIED_ASYLUM_SEEKER: "N8",
    C.PRIVATE_FOSTERING: "N8",
}
CASE_DAYS: dict[Outcome, tuple[int, int]] = {
    Outcome.CFA_S17: (20, 150),
    Outcome.STRATEGY_S47: (60, 500),
    Outcome.EMERGENCY_PROTECTION: (120, 700),
    Outcome.PASS_TO_ALLOCATED_WORKER: (30, 200),
}
POLICE_CONCERNS = frozenset(
    {
        C.DOMESTIC_ABUSE,
        C.PHYSICAL_ABUSE,
        C.SEXUAL_ABUSE,
        C.CSE,
        C.CCE,
        C.MISSING,
        C.GANGS,
        C.TRAFFICKING,
        C.RADICALISATION,
        C.FGM,
    }
)
CONSENT_KINDS: tuple[tuple[tuple[ConsentStatus, bool], float], ...] = (
    ((ConsentStatus.GIVEN, False), 60),
    ((ConsentStatus.REFUSED, True), 9),
    ((ConsentStatus.NOT_SOUGHT, True), 14),
    ((ConsentStatus.NOT_POSSIBLE, True), 4),
    ((ConsentStatus.REFUSED, False), 7),
    ((ConsentStatus.NOT_SOUGHT, False), 6),
)
OVERRIDE_REASONS = {
    ConsentStatus.REFUSED: "Mother refused consent; the risk of significant harm to the children outweighs it.",
    ConsentStatus.NOT_SOUGHT: "Seeking consent could alert the alleged perpetrator and place the children at risk.",
    ConsentStatus.NOT_POSSIBLE: "Parents could not be contacted and the concern cannot wait.",
}
NOT_AWARE_REASONS = (
    "Telling the parents could put the child at risk from the alleged perpetrator.",
    "Police asked that the family are not told while enquiries continue.",
)


# prepared weighted choices (see _Picker)
PICK_HERITAGE = _Picker(_HERITAGE_LIST, _HERITAGE_WEIGHTS)
PICK_LANGUAGE = {h.key: _pairs(h.languages) for h in _HERITAGE_LIST}
PICK_ETHNICITY = {h.key: _pairs(h.ethnicities) for h in _HERITAGE_LIST}
PICK_CHILD_COUNT = _Picker((1, 2, 3, 4, 5), (40, 30, 18, 8, 4))
PICK_ELDEST_AGE = _Picker((0, 2, 7, 12, 16), (10, 22, 28, 31, 9))
PICK_TENURE = _Picker(
    (
        HousingTenure.SOCIAL_RENT,
        HousingTenure.PRIVATE_RENT,
        HousingTenure.OWNER_OCCUPIED,
        HousingTenure.TEMPORARY,
        HousingTenure.WITH_FAMILY_OR_FRIENDS,
        HousingTenure.NO_FIXED_ABODE,
        HousingTenure.UNKNOWN,
    ),
    (35, 30, 15, 8, 5, 2, 5),
)
PICK_NEW_TENURE = _Picker(
    (HousingTenure.SOCIAL_RENT, HousingTenure.PRIVATE_RENT, HousingTenure.TEMPORARY), (45, 40, 15)
)
PICK_CONCERN = _pairs(PRIMARY_CONCERNS)
PICK_SOURCE = {group: _pairs(weights) for group, weights in SOURCES_BY_CONCERN.items()}
PICK_PERSONAL_CHANNEL = _Picker((Channel.PHONE, Channel.IN_PERSON, Channel.EMAIL, Channel.LETTER), (70, 10, 10, 10))
PICK_CHANNEL = _pairs(CHANNEL_WEIGHTS)
PICK_DASH_BAND = _Picker(((0, 9), (10, 13), (14, 22)), (55, 25, 20))
PICK_OUTCOME = {level: _pairs(options) for level, options in OUTCOMES_FOR_LEVEL.items()}
PICK_CONSENT = _pairs(CONSENT_KINDS)
PICK_BASIS = _Picker(
    (
        OverrideBasis.PUBLIC_TASK_SAFEGUARDING.value,
        OverrideBasis.VITAL_INTERESTS.value,
        OverrideBasis.LEGAL_OBLIGATION.value,
    ),
    (85, 12, 3),
)
PICK_MARKING = _Picker(
    (Confidentiality.SHAREABLE, Confidentiality.AGENCY_CONFIDENTIAL, Confidentiality.RESTRICTED), (78, 16, 6)
)
PICK_GCP_GRADE = _Picker((1, 2, 3, 4, 5), (5, 20, 35, 30, 10))
PICK_NOTE_COUNT = _Picker((0, 1, 2), (45, 35, 20))


class _ContactLife:
    """One contact from arrival to where it is now, and the rows each step would have written."""

    def __init__(self, builder: _Builder, slot: _Slot, cid: int) -> None:
        self.b = builder
        self.rng = builder.rng
        self.slot = slot
        self.cid = cid
        self.t0 = slot.received_at
        self.status = slot.status
        self.story = slot.story
        self.forced = slot.forced
        self.last_at = self.t0
        self.last_by = 0

    def office_hours(self, moment: datetime) -> datetime:
        """Routine steps happen in the working day: a step that would fall at night or at a weekend
        waits for the next morning (UTC hours, near enough to London's for this)."""
        rng = self.rng
        hour, weekday = moment.hour, moment.weekday()
        if weekday < 5 and 8 <= hour < 18:
            return moment
        day = moment.date()
        if hour >= 18 or weekday >= 5:
            day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        start = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        return start + timedelta(minutes=_below(rng, 300))

    def touch(self, at: datetime, user: int) -> None:
        """Remember the latest step and who took it: the contact's ``updated_at`` / ``updated_by_id``."""
        if at >= self.last_at:
            self.last_at, self.last_by = at, user

    # -- the whole life -----------------------------------------------------------------------------

    def run(self) -> None:
        """Cast the contact, decide where it is heading, time its steps, and plan each step's rows."""
        b, rng, t0, story = self.b, self.rng, self.t0, self.story
        now = b.now
        is_open = self.status is not S.CLOSED
        # the last step happened a while before now: open work is waiting, closed work was closed
        if is_open:
            idle = (now - t0) * rng.uniform(0.05, 0.4)
            if "overdue_hand_off" in self.forced:
                idle = max(idle, timedelta(days=3, hours=12))
        else:
            idle = timedelta(minutes=rng.uniform(30, 720))
        limit = min(now, max(now - idle, t0 + timedelta(minutes=2)))

        # -- who, what, from whom --
        first_new_person = len(b.people)
        family, named, aliases, _duplicates = self.cast()
        concerns = self.concerns(family)
        severity = max(SEVERITY.get(c, 0.0) for c in concerns)
        immediate = story is None and rng.random() < 0.015 + 0.05 * severity
        source, channel = self.source_and_channel(concerns[0])
        creator = self.creator(channel)
        worker = b.users["sam" if story is not None else _pick(rng, MASH_PRACTITIONERS)]
        manager = b.users[_pick(rng, MANAGERS)]
        log_minutes = min(self.log_delay(channel), max(1.0, (limit - t0).total_seconds() / 60 * 0.5))
        t_log = min(now, t0 + _minutes(log_minutes))
        for person in b.people[first_new_person:]:
            person.created_at = t_log
        self.touch(t_log, creator)

        # -- what intake works out --
        re_referral = any(
            p.last_contact_at is not None and p.last_contact_at >= t0 - timedelta(days=RE_REFERRAL_DAYS) for p in named
        )
        open_case_team = self.open_case_team(named, t_log)
        open_case_route = (
            open_case_team is not None and self.status in ROUTE_OPEN_CASE and (story is not None or rng.random() < 0.85)
        )
        decision_due = due_at(t0, b.rule_decision, b.calendar)
        screening_due = min(decision_due, due_at(t0, b.rule_red, b.calendar)) if immediate else decision_due

        # -- what the hub will decide: the truth the steps lead to --
        rag = (story.rag if story is not None else None) or self.rag(severity, immediate)
        dash = self.dash_answers(concerns)
        outcomes = self.outcomes(named, concerns, severity, immediate, dash)
        if open_case_route:
            # the allocated worker's team takes it, once a manager has agreed (four eyes on every route)
            outcomes = [
                (max(level, 2), Outcome.PASS_TO_ALLOCATED_WORKER, need if level > 1 else "N9")
                for level, _outcome, need in outcomes
            ]
        must_hand_off = self.status in (S.AWAITING_ACCEPTANCE, S.ACCEPTED) or "rejected" in self.forced
        if must_hand_off and not open_case_route and not any(needs_hand_off(o) for _, o, _ in outcomes):
            outcomes = [(3, Outcome.CFA_S17, self.primary_need(3, Outcome.CFA_S17, concerns))] * len(named)
        needs = any(needs_hand_off(o) for _, o, _ in outcomes)
        team_name = self.receiving_team([o for _, o, _ in outcomes]) if needs and not open_case_route else None
        if story is None and team_name == "Assessment Team" and any(p.disability for p in named) and rng.random() < 0.5:
            team_name = "Children in Need Team"
        consent_status, override = self.consent_kind(sharing_needed=needs)
        sharing = consent_status is ConsentStatus.GIVEN or override

        adults = self.contact_adults(family, named, concerns, t_log)
        household_id = self.household(family, [p.id for p in named] + [a.person.id for a, _, _ in adults], t_log)

        # -- the steps, squeezed if need be so that the last one is before `limit` --
        requested: list[str] = []
        returned_once = False
        if open_case_route and self.status is S.RECEIVED:
            # an open-case contact not yet decided has its consent recorded half the time (always in a story)
            chain = [("consent", rng.uniform(10, 240))] if story is not None or rng.random() < 0.5 else []
        elif open_case_route:
            # no agency checks, no second thoughts: the allocated worker knows the family
            chain = self.normal_chain(self.target_stage(), rag, False, False, False, False, needs)
        else:
            stage = self.target_stage()
            if self.status is S.AGENCY_CHECKS and not sharing:
                consent_status, override, sharing = ConsentStatus.NOT_SOUGHT, True, True
            if sharing and (self.status is S.AGENCY_CHECKS or story is not None or rng.random() < 0.85):
                requested = self.agencies_to_ask(concerns, family, named, any(a.male for a, _, _ in adults))
            returned_once = self.status is S.RETURNED or (
                story is None and stage >= STAGE["auth"] and rng.random() < 0.08
            )
            rejected = "rejected" in self.forced or (
                story is None
                and needs
                and (stage >= STAGE["handoff"] or self.status is S.AUTHORISED)
                and rng.random() < (0.3 if self.status is S.AUTHORISED else 0.05)
            )
            if rejected and self.status is S.AUTHORISED:
                stage = STAGE["reject"]
            superseded = story is None and stage >= STAGE["submit"] and rng.random() < 0.05
            chain = self.normal_chain(stage, rag, bool(requested), returned_once, rejected, superseded, needs)
        total = sum(minutes for _, minutes in chain)
        span = (limit - t_log).total_seconds() / 60
        factor = min(1.0, span / total) if total > 0 else 1.0
        times: dict[str, datetime] = {}
        cursor = t_log
        office = not immediate and rag is not Rag.RED  # RED work is done out of hours too
        for name, minutes in chain:
            step = cursor + _minutes(minutes * factor)
            if office:
                step = self.office_hours(step)
            cursor = max(cursor, min(step, limit))
            times[name] = cursor

        # -- the rows each step writes --
        rated = "rate" in times
        rag_due = due_at(t0, b.rag_rules[rag], b.calendar) if rated else screening_due
        if rated:
            b.rows["rag_rating"].append(
                (b.next_id("rag_rating"), self.cid, rag.value, None, b.ts(rag_due), worker, b.ts(times["rate"]))
            )
            self.touch(times["rate"], worker)
        if "consent" in times:
            receiving = team_name or (b.team_names.get(open_case_team) if open_case_team else None)
            scope = [*requested, *([TEAM_AGENCY[receiving]] if receiving in TEAM_AGENCY else [])]
            self.consent_row(consent_status, override, family, named, times["consent"], worker, manager, scope)
        if requested and "request" in times:
            self.agency_requests(requested, times, rag_due, worker)
        link_ids = [b.next_id("contact_child") for _ in named]
        final: list[tuple[int | None, str | None, str | None]] = [(None, None, None)] * len(named)
        decided_at: datetime | None = None
        sent: list[tuple[int, datetime, str | None]] = []
        decided_at = self.decisions(link_ids, outcomes, times, worker, manager, returned_once)
        if decided_at is not None:
            final = [(level, outcome.value, need) for level, outcome, need in outcomes]
        if open_case_route:
            assert open_case_team is not None
            if "handoff" in times:
                sent.append((open_case_team, times["handoff"], "Open case: passed to the allocated worker's team."))
        elif team_name is not None and "handoff" in times:
            note = "Strategy discussion held; please allocate today." if team_name == "Child Protection Team" else None
            sent.append((b.teams[team_name], times["handoff"], note))
            if "handoff2" in times:
                sent.append((b.teams[SECOND_TEAM.get(team_name, "Early Help Team")], times["handoff2"], None))
        accepted_team = self.hand_off_rows(sent, times, worker)
        closed_at = times.get("close")
        if closed_at is not None:
            self.touch(closed_at, worker)
        if accepted_team is not None:
            for person, (_level, outcome, _need) in zip(named, final, strict=True):
                if outcome is not None and (
                    is_referral(Outcome(outcome)) or outcome == Outcome.PASS_TO_ALLOCATED_WORKER.value
                ):
                    self.allocate(person, accepted_team, times["accept"], Outcome(outcome))
        if dash is not None:
            mother = next((a.person.id for a, _, _ in adults if a.relationship == RelationshipKind.MOTHER.value), None)
            self.dash_row(dash, mother, worker)
        if C.NEGLECT in concerns and (story.gcp if story is not None else rng.random() < 0.3):
            self.gcp_row(named)
        overdue = is_open and rag_due < now
        self.notes(t_log, worker, manager, is_open, overdue, times.get("auth"))
        for person, given, surname in aliases:
            b.alias(person, given, surname, t_log)

        # rating assigns the contact to the practitioner; some new contacts have been claimed already
        claimed = story is None and rng.random() < (0.5 if open_case_route else 0.25)
        assigned = worker if rated or (not open_case_route and self.status is not S.RECEIVED) or claimed else None
        for link_id, person, (level, outcome, need) in zip(link_ids, named, final, strict=True):
            b.rows["contact_child"].append((link_id, self.cid, person.id, level, outcome, need))
        for concern in sorted(c.value for c in concerns):
            b.rows["contact_concern"].append((self.cid, concern))
        b.rows["contact"].append(
            (
                self.cid,
                contact_reference(self.cid),
                b.ts(t0),
                b.ts(t_log),
                channel.value,
                source,
                *self.referrer(source, family, named),
                self.narrative(concerns[0], family, named, re_referral),
                _pick(rng, WHEREABOUTS),
                immediate,
                household_id,
                self.status.value,
                rag.value if rated else None,
                b.ts(rag_due),
                b.ts(decision_due),
                assigned,
                b.teams["MASH Team"],
                open_case_team,
                re_referral,
                creator,
                b.ts(self.last_at),
                self.last_by,
                b.ts(decided_at) if decided_at else None,
                b.ts(closed_at) if closed_at else None,
                worker if closed_at else None,
                1,
            )
        )
        b.rows["audit_event"].append(
            (
                b.next_id("audit_event"),
                b.ts(t_log),
                creator,
                b.usernames[creator],
                "demo.generate",
                "contact",
                self.cid,
                self.cid,
                None,
            )
        )

        # -- what later contacts and the summary need to know --
        for person in named:
            person.last_contact_at = t0
        b.contact_log.append((t0, family))
        b.log_times.append(t0)
        counts = b.counts
        if is_open:
            counts["open"] += 1
            counts["overdue"] += overdue
        counts["re_referrals"] += re_referral
        counts["referrals"] += any(o is not None and is_referral(Outcome(o)) for _, o, _ in final)

    # -- who and what -------------------------------------------------------------------------------

    def cast(self) -> tuple[_Family, list[_Person], list[tuple[_Person, str, str]], list[_Person]]:
        """The family and the children named; a re-contact may spell a child differently."""
        b, rng, t0, story = self.b, self.rng, self.t0, self.story
        aliases: list[tuple[_Person, str, str]] = []
        if story is not None:
            family = b.story_families.get(story.family) or b.story_family(story.family, t0)
            named = [family.children[i] for i in story.children]
            for person, spelling in zip(named, story.spelling or (0,) * len(named), strict=True):
                if spelling:
                    aliases.append((person, person.given_spellings[spelling], person.family))
            family.contacts += 1
            return family, named, aliases, []
        found: _Family | None = None
        roll = rng.random()
        if roll < 0.24:
            found = b.recent_family(t0)
        elif roll < 0.31:
            found = b.older_family(t0)
        eligible: list[_Person] = []
        if found is not None:
            if rng.random() < 0.1:
                b.add_sibling(found, t0)
            eligible = b.eligible(found, t0)
        if found is None or not eligible:
            found = b.new_family(t0)
            eligible = b.eligible(found, t0)
        family = found
        family.contacts += 1
        if len(eligible) > 1 and rng.random() >= 0.55:
            chosen = {p.id for p in rng.sample(eligible, _between(rng, 1, len(eligible) - 1))}
            named = [p for p in eligible if p.id in chosen]
        else:
            named = list(eligible)
        duplicates: list[_Person] = []
        final: list[_Person] = []
        for person in named:
            varied = len(person.given_spellings) > 1 or len(person.family_spellings) > 1
            if person.last_contact_at is not None and varied and rng.random() < 0.35:
                given, surname = person.given, person.family
                if len(person.given_spellings) > 1 and (len(person.family_spellings) == 1 or rng.random() < 0.7):
                    given = _pick(rng, person.given_spellings[1:])
                else:
                    surname = _pick(rng, person.family_spellings[1:])
                if rng.random() < 0.12:
                    duplicate = b.duplicate(person, given, surname, t0)
                    duplicates.append(duplicate)
                    final.append(duplicate)
                    continue
                aliases.append((person, given, surname))
            final.append(person)
        return family, final, aliases, duplicates

    def concerns(self, family: _Family) -> list[Concern]:
        """The primary concern first, then any that come with it."""
        rng, story = self.rng, self.story
        if story is not None:
            return list(story.concerns)
        primary: Concern = PICK_CONCERN(rng)
        found = [primary]
        for companion in COMPANIONS.get(primary, ()):
            if rng.random() < 0.3 and companion not in found:
                found.append(companion)
        if (
            (family.temporary or family.overcrowded or family.homeless)
            and C.HOUSING not in found
            and rng.random() < 0.6
        ):
            found.append(C.HOUSING)
        return found

    def source_and_channel(self, primary: Concern) -> tuple[str, Channel]:
        rng = self.rng
        source: str = PICK_SOURCE[CONCERN_SOURCE_FAMILY.get(primary, "general")](rng)
        if source == "6":
            channel = Channel.POLICE_NOTIFICATION if rng.random() < 0.75 else Channel.PHONE
        elif source in ("1A", "1B", "1C", "1D", "9", "10"):
            channel = PICK_PERSONAL_CHANNEL(rng)
        else:
            channel = PICK_CHANNEL(rng)
        return source, channel

    def creator(self, channel: Channel) -> int:
        rng, users = self.rng, self.b.users
        if self.story is not None:
            return users["sam"]
        if (
            channel in (Channel.PHONE, Channel.EMAIL, Channel.LETTER, Channel.POLICE_NOTIFICATION)
            and rng.random() < 0.45
        ):
            return users["bea"]
        return users[_pick(rng, MASH_PRACTITIONERS) if rng.random() < 0.88 else _pick(rng, MANAGERS)]

    def log_delay(self, channel: Channel) -> float:
        rng = self.rng
        if channel in (Channel.PHONE, Channel.IN_PERSON):
            return rng.uniform(3, 45)
        if channel is Channel.POLICE_NOTIFICATION:
            return rng.uniform(30, 720)
        return rng.uniform(10, 360)

    def open_case_team(self, named: list[_Person], at: datetime) -> int | None:
        """As intake: a child's team if their case is open, or closed within the window (open first)."""
        cutoff = at.date() - OPEN_CASE_WINDOW
        recent = None
        for person in named:
            state = self.b.allocation_at(person, at)
            if state is None:
                continue
            team, is_open, closed_on = state
            if is_open:
                return team
            if recent is None and closed_on is not None and closed_on >= cutoff:
                recent = team
        return recent

    def rag(self, severity: float, immediate: bool) -> Rag:
        roll = self.rng.random()
        if immediate:
            return Rag.RED if roll < 0.9 else Rag.AMBER
        red = min(0.35, 0.03 + 0.22 * severity)
        if roll < red:
            return Rag.RED
        return Rag.AMBER if roll < red + 0.36 else Rag.GREEN

    def dash_answers(self, concerns: list[Concern]) -> tuple[str, Any, str | None] | None:
        """A DASH checklist for domestic abuse contacts: the answers, the score, any judgement reason."""
        rng, story = self.rng, self.story
        if C.DOMESTIC_ABUSE not in concerns:
            return None
        if story is not None:
            if not story.dash:
                return None
            yes = 16
        elif rng.random() < 0.6:
            low, high = PICK_DASH_BAND(rng)
            yes = _between(rng, low, high)
        else:
            return None
        answers: list[bool | None] = [False] * DASH_QUESTION_COUNT
        for position in rng.sample(range(DASH_QUESTION_COUNT), yes):
            answers[position] = True
        if rng.random() < 0.3:
            unanswered = [i for i, answer in enumerate(answers) if answer is False]
            if unanswered:
                answers[_pick(rng, unanswered)] = None
        judgement = 10 <= yes < 14 and rng.random() < 0.2
        reason = "Reports of non-fatal strangulation and threats to kill; risk escalating." if judgement else None
        result = score_dash(answers, professional_judgement_high=judgement, judgement_reason=reason)
        text_answers = "".join("Y" if a is True else ("-" if a is None else "N") for a in answers)
        return text_answers, result, reason

    def outcomes(
        self,
        named: list[_Person],
        concerns: list[Concern],
        severity: float,
        immediate: bool,
        dash: tuple[str, Any, str | None] | None,
    ) -> list[tuple[int, Outcome, str]]:
        """Each child's level of need, outcome and CIN primary need (the decision the steps lead to)."""
        rng, story = self.rng, self.story
        if story is not None and story.outcome is not None and story.level is not None:
            need = self.primary_need(story.level, story.outcome, concerns)
            return [(story.level, story.outcome, need)] * len(named)
        if immediate:
            weights = [0.0, 5.0, 30.0, 65.0]
        else:
            a, b_, c, d = LEVEL_WEIGHTS
            weights = [
                a * (1 - 0.6 * severity),
                b_ * (1 - 0.3 * severity),
                c * (1 + 0.5 * severity),
                d * (1 + 2.5 * severity),
            ]
        dash_high = dash is not None and dash[1].marac_referral
        result: list[tuple[int, Outcome, str]] = []
        for index in range(len(named)):
            if index == 0 or rng.random() >= 0.15:
                level = result[0][0] if index else _weighted(rng, (1, 2, 3, 4), weights)
                if index:
                    result.append(result[0])
                    continue
            else:
                level = min(4, max(1, result[0][0] + _pick(rng, (-1, 1))))
            outcome = self.outcome_for(level, concerns, immediate, dash_high)
            result.append((level, outcome, self.primary_need(level, outcome, concerns)))
        return result

    def outcome_for(self, level: int, concerns: list[Concern], immediate: bool, dash_high: bool) -> Outcome:
        rng = self.rng
        domestic_abuse = C.DOMESTIC_ABUSE in concerns
        if dash_high and domestic_abuse and level in (2, 3) and rng.random() < 0.4:
            return Outcome.MARAC
        if immediate and level == 4 and rng.random() < 0.25:
            return Outcome.EMERGENCY_PROTECTION
        options = OUTCOMES_FOR_LEVEL[level]
        outcome: Outcome = PICK_OUTCOME[level](rng)
        if outcome is Outcome.MARAC and not domestic_abuse:
            outcome = options[0][0]
        return outcome

    def primary_need(self, level: int, outcome: Outcome, concerns: list[Concern]) -> str:
        if outcome in (Outcome.NFA, Outcome.ADVICE_SIGNPOST) and self.rng.random() < 0.7:
            return "N9"
        return pick_primary_need(PRIMARY_NEED_FOR.get(c, "N0") for c in concerns)

    @staticmethod
    def receiving_team(outcomes: list[Outcome]) -> str | None:
        for outcome, team in TEAM_FOR_OUTCOME:
            if outcome in outcomes:
                return team
        return None

    def consent_kind(self, *, sharing_needed: bool) -> tuple[ConsentStatus, bool]:
        if "refused_override" in self.forced:
            return ConsentStatus.REFUSED, True
        status, override = PICK_CONSENT(self.rng)
        if sharing_needed and status is not ConsentStatus.GIVEN:
            override = True
        return status, override

    def target_stage(self) -> int:
        status = self.status
        if status is S.SCREENED:
            return STAGE["rate"] if self.rng.random() < 0.5 else STAGE["consent"]
        return {
            S.RECEIVED: STAGE["log"],
            S.AGENCY_CHECKS: STAGE["request"],
            S.AWAITING_AUTHORISATION: STAGE["submit"],
            S.RETURNED: STAGE["mreturn"],
            S.AUTHORISED: STAGE["auth"],
            S.AWAITING_ACCEPTANCE: STAGE["handoff"],
            S.ACCEPTED: STAGE["accept"],
            S.CLOSED: STAGE["close"],
        }[status]

    def agencies_to_ask(self, concerns: list[Concern], family: _Family, named: list[_Person], men: bool) -> list[str]:
        rng = self.rng
        asks: set[str] = set()
        if POLICE_CONCERNS.intersection(concerns) or rng.random() < 0.5:
            asks.add("POLICE")
        if rng.random() < 0.85:
            asks.add("HEALTH")
        today = self.t0.date()
        if any(p.dob is not None and 4 <= (today - p.dob).days / 365.25 < 17 for p in named) and rng.random() < 0.8:
            asks.add("EDUCATION")
        housing = family.temporary or family.overcrowded or family.homeless or C.HOUSING in concerns
        if rng.random() < (0.9 if housing else 0.08):
            asks.add("HOUSING")
        if C.DOMESTIC_ABUSE in concerns:
            if men and rng.random() < 0.35:
                asks.add("PROBATION")
            if rng.random() < 0.45:
                asks.add("DA_SERVICE")
        if rng.random() < 0.12:
            asks.add("EARLY_HELP")
        if "markings" in self.forced:
            asks.update(("POLICE", "HEALTH", "EDUCATION"))
        return sorted(asks or {"HEALTH"})

    def accept_minutes(self) -> float:
        rng = self.rng
        if rng.random() < 0.85:
            return rng.uniform(0.05, 0.9) * 24 * 60
        return 24 * 60 + rng.uniform(60, 2880)

    def normal_chain(
        self,
        stage: int,
        rag: Rag,
        has_requests: bool,
        returned_once: bool,
        rejected: bool,
        superseded: bool,
        needs: bool,
    ) -> list[tuple[str, float]]:
        """Nominal minutes between the steps of the usual route, up to the stage reached."""
        rng = self.rng
        chain: list[tuple[str, float]] = []
        if stage >= STAGE["rate"]:
            chain.append(
                ("rate", {Rag.RED: rng.uniform(5, 60), Rag.AMBER: rng.uniform(15, 480)}.get(rag, rng.uniform(30, 1440)))
            )
        if stage >= STAGE["consent"]:
            chain.append(("consent", rng.uniform(10, 240)))
        if stage >= STAGE["request"] and has_requests:
            chain.append(("request", rng.uniform(5, 60)))
        if stage >= STAGE["propose"]:
            if has_requests:
                window = (due_at(self.t0, self.b.rag_rules[rag], self.b.calendar) - self.t0).total_seconds() / 60
                late = rng.random() < 0.2
                chain.append(("returns", window * (rng.uniform(1.05, 2.0) if late else rng.uniform(0.3, 0.95))))
            chain.append(("propose", rng.uniform(15, 240)))
            if superseded:
                chain.append(("propose2", rng.uniform(10, 120)))
        if stage >= STAGE["submit"]:
            chain.append(("submit", rng.uniform(2, 60)))
        if returned_once and stage >= STAGE["mreturn"]:
            chain.append(("mreturn", rng.uniform(30, 600)))
            if stage >= STAGE["auth"] or rng.random() < 0.3:
                chain.append(("repropose", rng.uniform(60, 1440)))
            if stage >= STAGE["auth"]:
                chain.append(("resubmit", rng.uniform(2, 60)))
        if stage >= STAGE["auth"]:
            chain.append(("auth", rng.uniform(20, 600)))
        if needs and stage >= STAGE["handoff"]:
            chain.append(("handoff", rng.uniform(15, 480)))
            if rejected:
                chain.append(("reject", rng.uniform(60, 1440)))
                if stage >= STAGE["accept"] or self.status is S.AWAITING_ACCEPTANCE:
                    chain.append(("handoff2", rng.uniform(30, 1440)))
            if stage >= STAGE["accept"]:
                chain.append(("accept", self.accept_minutes()))
        if stage >= STAGE["close"]:
            chain.append(("close", rng.uniform(60, 7200) if needs else rng.uniform(10, 2880)))
        return chain

    # -- rows for each step ------------------------------------------------------------------------

    def contact_adults(
        self, family: _Family, named: list[_Person], concerns: list[Concern], at: datetime
    ) -> list[tuple[_Adult, bool, bool | None]]:
        """The adults named on the contact, with the relationships intake records for each child."""
        b, rng = self.b, self.rng
        abuse = C.DOMESTIC_ABUSE in concerns or C.PHYSICAL_ABUSE in concerns
        chosen: list[tuple[_Adult, bool, bool | None]] = []
        for adult in family.adults:
            if adult.relationship == RelationshipKind.MOTHER.value:
                keep = True
            elif adult.male:
                keep = abuse or rng.random() < 0.7
            else:
                keep = rng.random() < 0.5
            if not keep:
                continue
            perpetrator = adult.male and abuse and rng.random() < 0.85
            in_contact: bool | None = None
            if perpetrator:
                roll = rng.random()
                in_contact = True if roll < 0.55 else (False if roll < 0.85 else None)
            chosen.append((adult, perpetrator, in_contact))
        contact_adult, relationship = b.rows["contact_adult"], b.rows["relationship"]
        stamp = b.ts(at)
        for adult, perpetrator, in_contact in chosen:
            # the demo's relatives who ring in are matched to an adult by the relationship they give, not marked
            contact_adult.append(
                (
                    self.cid,
                    adult.person.id,
                    adult.relationship,
                    adult.parental_responsibility,
                    perpetrator,
                    in_contact,
                    False,
                )
            )
            for child in named:
                relationship.append(
                    (
                        b.next_id("relationship"),
                        child.id,
                        adult.person.id,
                        adult.relationship,
                        adult.parental_responsibility,
                        perpetrator,
                        in_contact,
                        stamp,
                    )
                )
        return chosen

    def household(self, family: _Family, members: list[int], at: datetime) -> int | None:
        """Intake saves the household given on each contact as a new record, with its members."""
        b, rng = self.b, self.rng
        if self.story is None and rng.random() < 0.08:
            return None  # the referrer did not know the address
        if family.contacts > 1 and self.story is None and rng.random() < 0.15:
            b.move_house(family)
        line2 = None
        notes = None
        if family.temporary:
            line2 = f"Room {_between(rng, 1, 40)}, Station House (temporary accommodation)"
            notes = HOUSING_NOTES["temporary"]
        elif rng.random() < 0.2:
            line2 = f"Flat {_between(rng, 1, 30)}"
        if family.homeless and not family.temporary:
            notes = HOUSING_NOTES["homeless"]
        elif family.overcrowded and notes is None:
            notes = HOUSING_NOTES["overcrowded"].format(people=len(family.children) + len(family.adults) + 1)
        household_id = b.next_id("household")
        address = None if family.tenure == HousingTenure.NO_FIXED_ABODE.value else family.address
        postcode = None if address is None else family.postcode
        b.rows["household"].append(
            (
                household_id,
                address,
                line2,
                TOWN if address else None,
                postcode,
                family.tenure,
                family.temporary,
                family.overcrowded,
                family.homeless,
                notes,
                b.ts(at),
            )
        )
        rows = b.rows["household_member"]
        for person_id in sorted(set(members)):
            rows.append((household_id, person_id))
        return household_id

    def consent_row(
        self,
        status: ConsentStatus,
        override: bool,
        family: _Family,
        named: list[_Person],
        at: datetime,
        worker: int,
        manager: int,
        scope_codes: list[str],
    ) -> None:
        b, rng = self.b, self.rng
        mother = next((a.person for a in family.adults if a.relationship == RelationshipKind.MOTHER.value), None)
        carer = mother or family.adults[0].person if family.adults else None
        carer_name = f"{carer.given} {carer.family}" if carer else None
        given_by = relationship = method = None
        has_pr: bool | None = None
        obtained: date | None = None
        scope = ""
        parent_aware = True
        not_aware = None
        if status in (ConsentStatus.GIVEN, ConsentStatus.REFUSED) and carer_name:
            given_by, relationship, has_pr = carer_name, "mother" if carer is mother else "carer", True
            obtained = at.astimezone(LONDON).date()
            method = _pick(rng, ("by phone", "in person", "in writing"))
            if status is ConsentStatus.GIVEN and rng.random() < 0.15:
                scope = ",".join(sorted(set(scope_codes) | {"SOCIAL_CARE", "EARLY_HELP"}))
        elif status is ConsentStatus.GIVEN:
            given_by, relationship, has_pr = "Foster carer", "carer", False
            obtained = at.astimezone(LONDON).date()
            method = "in person"
        if status is ConsentStatus.NOT_SOUGHT or (status is ConsentStatus.NOT_POSSIBLE and rng.random() < 0.5):
            parent_aware = False
            not_aware = (
                _pick(rng, NOT_AWARE_REASONS)
                if status is ConsentStatus.NOT_SOUGHT
                else "Parents could not be contacted."
            )
        births = [p.dob for p in named if p.dob is not None]
        child_views = None
        if births and (at.date() - min(births)).days > 8 * 365 and rng.random() < 0.3:
            child_views = "Says they want things to be calmer at home and does not want to move school."
        basis = reason = None
        authoriser = None
        if override:
            basis = PICK_BASIS(rng)
            reason = OVERRIDE_REASONS.get(status, OVERRIDE_REASONS[ConsentStatus.NOT_SOUGHT])
            authoriser = manager
        b.rows["consent_decision"].append(
            (
                b.next_id("consent_decision"),
                self.cid,
                status.value,
                given_by,
                relationship,
                has_pr,
                b.day(obtained),
                method,
                scope,
                parent_aware,
                not_aware,
                child_views,
                override,
                basis,
                reason,
                authoriser,
                worker,
                b.ts(at),
                None,
            )
        )
        self.touch(at, worker)

    def agency_requests(self, codes: list[str], times: dict[str, datetime], due: datetime, worker: int) -> None:
        """Checks asked of each agency, and each agency's return (or the request withdrawn)."""
        b, rng, now = self.b, self.rng, self.b.now
        asked = times["request"]
        answered_by = times.get("propose")
        window = max(timedelta(minutes=30), due - asked)
        plans: list[tuple[str, datetime | None, bool]] = []  # code, returned at, withdrawn
        for code in codes:
            if answered_by is not None:
                at = asked + (answered_by - asked) * rng.uniform(0.1, 0.97)
                plans.append((code, self.b.minute(at), rng.random() < 0.03))
            else:
                late = rng.random() < 0.2
                offset = window * (rng.uniform(1.05, 2.0) if late else rng.uniform(0.1, 0.95))
                at = self.b.minute(asked + offset)
                plans.append((code, at if at <= now - timedelta(minutes=1) else None, False))
        if answered_by is None:
            if "markings" in self.forced and len(plans) >= 3:
                plans = [(code, asked + (now - asked) * (0.3 + 0.2 * i), False) for i, (code, _, _) in enumerate(plans)]
                plans[-1] = (plans[-1][0], None, False)
            elif all(returned is not None for _, returned, _ in plans):
                plans[-1] = (plans[-1][0], None, False)  # still waiting for one agency
        rows = b.rows["agency_request"]
        for index, (code, returned_at, withdrawn) in enumerate(plans):
            request_id = b.next_id("agency_request")
            question = REQUEST_QUESTIONS[code]
            agency_user = b.users[AGENCY_USER[code]]
            if withdrawn and returned_at is not None:
                rows.append(
                    (
                        request_id,
                        self.cid,
                        b.agencies[code],
                        question,
                        worker,
                        b.ts(asked),
                        b.ts(due),
                        AgencyRequestStatus.WITHDRAWN.value,
                        None,
                        None,
                        None,
                        False,
                        Confidentiality.SHAREABLE.value,
                        "The decision could not wait for this return: strategy discussion held.",
                        1,
                    )
                )
                continue
            if returned_at is None:
                rows.append(
                    (
                        request_id,
                        self.cid,
                        b.agencies[code],
                        question,
                        worker,
                        b.ts(asked),
                        b.ts(due),
                        AgencyRequestStatus.OUTSTANDING.value,
                        None,
                        None,
                        None,
                        False,
                        Confidentiality.SHAREABLE.value,
                        None,
                        1,
                    )
                )
                continue
            nothing_known = rng.random() < 0.35
            summary = None if nothing_known and rng.random() < 0.7 else _pick(rng, RETURN_SUMMARIES[code])
            marking = PICK_MARKING(rng)
            if "markings" in self.forced and answered_by is None and index < 2:
                marking = (Confidentiality.AGENCY_CONFIDENTIAL, Confidentiality.RESTRICTED)[index]
                nothing_known, summary = False, RETURN_SUMMARIES[code][0]
            rows.append(
                (
                    request_id,
                    self.cid,
                    b.agencies[code],
                    question,
                    worker,
                    b.ts(asked),
                    b.ts(due),
                    AgencyRequestStatus.RETURNED.value,
                    b.ts(returned_at),
                    agency_user,
                    summary,
                    nothing_known,
                    marking.value,
                    None,
                    1,
                )
            )
            self.touch(returned_at, agency_user)
        self.touch(asked, worker)

    def decisions(
        self,
        link_ids: list[int],
        outcomes: list[tuple[int, Outcome, str]],
        times: dict[str, datetime],
        worker: int,
        manager: int,
        returned_once: bool,
    ) -> datetime | None:
        """Proposals per child (superseded, returned, authorised as the route went) and authorisations."""
        b, rng = self.b, self.rng
        if "propose" not in times:
            return None
        rows, authorisations = b.rows["threshold_decision"], b.rows["authorisation"]

        def propose(
            at: datetime, status: DecisionStatus, *, lowered: bool = False, supersedes: list[int] | None = None
        ) -> list[int]:
            ids = []
            for index, (link_id, (level, outcome, need)) in enumerate(zip(link_ids, outcomes, strict=True)):
                if lowered and level > 1:  # the first proposal was a level lower than the one authorised
                    level, outcome = level - 1, OUTCOMES_FOR_LEVEL[level - 1][0][0]  # noqa: PLW2901
                    need = need if level > 1 else "N9"  # noqa: PLW2901
                decision_id = b.next_id("threshold_decision")
                rows.append(
                    (
                        decision_id,
                        link_id,
                        level,
                        outcome.value,
                        need,
                        RATIONALES[outcome],
                        status.value,
                        worker,
                        b.ts(at),
                        supersedes[index] if supersedes else None,
                    )
                )
                ids.append(decision_id)
            self.touch(at, worker)
            return ids

        final = DecisionStatus.AUTHORISED if "auth" in times else DecisionStatus.PROPOSED
        lowered = returned_once and rng.random() < 0.5
        if "propose2" in times:
            first = propose(times["propose"], DecisionStatus.SUPERSEDED, lowered=lowered)
            current_at, supersedes = times["propose2"], first
        else:
            current_at, supersedes = times["propose"], None
        if "submit" in times:
            self.touch(times["submit"], worker)
        if returned_once and "mreturn" in times:
            propose(current_at, DecisionStatus.RETURNED, lowered=lowered, supersedes=supersedes)
            authorisations.append(
                (
                    b.next_id("authorisation"),
                    self.cid,
                    manager,
                    b.ts(times["mreturn"]),
                    False,
                    _pick(rng, RETURN_COMMENTS),
                )
            )
            self.touch(times["mreturn"], manager)
            if "repropose" in times:
                propose(times["repropose"], final)
            if "resubmit" in times:
                self.touch(times["resubmit"], worker)
        else:
            propose(current_at, final, supersedes=supersedes)
        if "auth" not in times:
            return None
        comment = _pick(
            rng, (None, None, "Agreed; rationale is clear.", "Agree. Please make sure the referrer gets feedback.")
        )
        authorisations.append((b.next_id("authorisation"), self.cid, manager, b.ts(times["auth"]), True, comment))
        self.touch(times["auth"], manager)
        return times["auth"]

    def hand_off_rows(
        self, sent: list[tuple[int, datetime, str | None]], times: dict[str, datetime], worker: int
    ) -> int | None:
        """Each hand-off and the receiving team's answer; returns the team that accepted, if any."""
        b, rng = self.b, self.rng
        accepted = None
        rows = b.rows["hand_off"]
        for index, (team_id, sent_at, note) in enumerate(sent):
            due = due_at(sent_at, b.rule_handoff, b.calendar)
            responder = b.team_worker.get(team_id)
            self.touch(sent_at, worker)
            if index == 0 and "reject" in times:
                rows.append(
                    (
                        b.next_id("hand_off"),
                        self.cid,
                        team_id,
                        note,
                        worker,
                        b.ts(sent_at),
                        b.ts(due),
                        HandOffStatus.REJECTED.value,
                        responder,
                        b.ts(times["reject"]),
                        _pick(rng, REJECTION_REASONS),
                    )
                )
                self.touch(times["reject"], responder or worker)
            elif "accept" in times:
                rows.append(
                    (
                        b.next_id("hand_off"),
                        self.cid,
                        team_id,
                        note,
                        worker,
                        b.ts(sent_at),
                        b.ts(due),
                        HandOffStatus.ACCEPTED.value,
                        responder,
                        b.ts(times["accept"]),
                        None,
                    )
                )
                self.touch(times["accept"], responder or worker)
                accepted = team_id
            else:
                rows.append(
                    (
                        b.next_id("hand_off"),
                        self.cid,
                        team_id,
                        note,
                        worker,
                        b.ts(sent_at),
                        b.ts(due),
                        HandOffStatus.PENDING.value,
                        None,
                        None,
                        None,
                    )
                )
                b.counts["pending_hand_offs"] += 1
        return accepted

    def allocate(self, person: _Person, team_id: int, at: datetime, outcome: Outcome) -> None:
        """As accept_hand_off: the child is allocated to the team, unless already allocated to it."""
        b, rng = self.b, self.rng
        state = b.allocation_at(person, at)
        if state is not None and state[0] == team_id:
            return
        low, high = CASE_DAYS.get(outcome, (30, 200))
        if self.story is not None and self.story.case_days is not None:
            low = high = self.story.case_days
        closes = at + timedelta(days=rng.uniform(low, high))
        person.allocations.append((at, team_id, closes, b.team_worker.get(team_id)))

    def dash_row(self, dash: tuple[str, Any, str | None], victim: int | None, worker: int) -> None:
        b, rng = self.b, self.rng
        answers, result, reason = dash
        roll = rng.random()
        if roll < 0.6 or self.story is not None:
            assessor = b.users["pc_jones"]
            at = self.t0 - timedelta(minutes=round(rng.uniform(30, 600)))  # at the incident, before the MASH heard
        else:
            assessor = b.users["ida_khan"] if roll < 0.8 else worker
            at = b.minute(self.t0 + (self.last_at - self.t0) * rng.random())
        b.rows["dash_assessment"].append(
            (
                b.next_id("dash_assessment"),
                self.cid,
                victim,
                answers,
                result.yes_count,
                result.level.value,
                result.professional_judgement,
                reason,
                result.marac_referral,
                assessor,
                b.ts(at),
            )
        )
        b.counts["dash"] += 1

    def gcp_row(self, named: list[_Person]) -> None:
        b, rng = self.b, self.rng
        child = named[-1]
        grades = validate_gcp_grades(
            {area: PICK_GCP_GRADE(rng) for area in ("physical_care", "safety", "love_and_belonging", "esteem")}
        )
        assessor = b.users["hv_okafor" if self.story is not None else _pick(rng, GCP_ASSESSORS)]
        if rng.random() < 0.4:
            at = b.minute(self.t0 - timedelta(days=rng.uniform(1, 60)))
        else:
            at = b.minute(self.t0 + (self.last_at - self.t0) * rng.random())
        born = child.dob or child.expected
        if born is not None and at.date() < born:
            at = b.minute(self.last_at)
        review = (at + timedelta(weeks=_between(rng, 6, 12))).date()
        b.rows["gcp_assessment"].append(
            (
                b.next_id("gcp_assessment"),
                self.cid,
                child.id,
                grades["physical_care"],
                grades["safety"],
                grades["love_and_belonging"],
                grades["esteem"],
                rng.random() < 0.9,
                "Regular meals and a bedtime routine; home conditions improved; attendance above 95%.",
                b.day(review),
                assessor,
                b.ts(at),
            )
        )
        b.counts["gcp"] += 1

    def notes(
        self, t_log: datetime, worker: int, manager: int, is_open: bool, overdue: bool, auth_at: datetime | None
    ) -> None:
        b, rng = self.b, self.rng
        rows = b.rows["case_note"]
        span = self.last_at - t_log
        count = 2 if self.story is not None and self.story.notes else PICK_NOTE_COUNT(rng)
        for _ in range(count):
            note_id = b.next_id("case_note")
            at = b.minute(t_log + span * rng.random())
            rows.append(
                (note_id, self.cid, None, NoteKind.CASE_NOTE.value, _pick(rng, CASE_NOTES), worker, b.ts(at), None)
            )
            if rng.random() < 0.02:
                later = b.minute(at + (self.last_at - at) * rng.random())
                rows.append(
                    (
                        b.next_id("case_note"),
                        self.cid,
                        None,
                        NoteKind.CORRECTION.value,
                        "Correction: the call was with the maternal aunt, not the mother.",
                        worker,
                        b.ts(later),
                        note_id,
                    )
                )
        oversight = 0.5 if is_open and overdue else 0.25
        if (self.story is not None and self.story.notes) or rng.random() < oversight:
            at = auth_at or b.minute(t_log + span * rng.random())
            text_ = OVERSIGHT_NOTES[1] if overdue and is_open else _pick(rng, OVERSIGHT_NOTES)
            rows.append(
                (
                    b.next_id("case_note"),
                    self.cid,
                    None,
                    NoteKind.MANAGEMENT_OVERSIGHT.value,
                    text_,
                    manager,
                    b.ts(at),
                    None,
                )
            )

    def narrative(self, primary: Concern, family: _Family, named: list[_Person], re_referral: bool) -> str:
        rng = self.rng
        template: str = _pick(rng, NARRATIVES.get(primary, (GENERIC_NARRATIVE,)))
        mother = next(
            (a.person.given for a in family.adults if a.relationship == RelationshipKind.MOTHER.value), "the mother"
        )
        return template.format(
            child=named[0].given,
            adult=mother,
            perp=_pick(rng, ("her partner", "his father", "the mother's boyfriend")),
            hour=f"{self.t0.astimezone(LONDON):%H:%M}",
            attendance=_between(rng, 61, 89),
            concern=primary.value.replace("_", " "),
            known="known to the MASH (a contact in the last 12 months)"
            if re_referral
            else "not known to the MASH recently",
        )

    def referrer(self, source: str, family: _Family, named: list[_Person]) -> Row:
        """kind, name, role, agency, phone, email, relationship, first hand, anonymity requested."""
        rng = self.rng
        kind, role, agency = SOURCE_REFERRER[source]
        if agency == "school":
            agency = _pick(rng, SCHOOLS)
        heritage = PICK_HERITAGE(rng)
        given = _pick(rng, heritage.boys if rng.random() < 0.4 else heritage.girls)[0]
        surname = _pick(rng, heritage.families)[0]
        if kind is ReferrerKind.PROFESSIONAL:
            assert agency is not None
            b = self.b
            local = f"{b.norm(given).replace(' ', '')}.{b.norm(surname).replace(' ', '')}"
            domain = "-".join(b.norm(agency).split()[:3]) + ".example.org.uk"
            return (
                kind.value,
                f"{given} {surname}",
                role,
                agency,
                f"01632960{_between(rng, 0, 999):03d}",
                f"{local}@{domain}",
                "Professional working with the family",
                rng.random() < 0.85,
                False,
            )
        if kind is ReferrerKind.ANONYMOUS:
            return (kind.value, None, None, None, None, None, None, False, True)
        phone = f"07700900{_between(rng, 0, 999):03d}"
        if kind is ReferrerKind.SELF:
            child = named[0]
            return (
                kind.value,
                f"{child.given} {child.family}",
                None,
                None,
                phone if rng.random() < 0.5 else None,
                None,
                "The child",
                True,
                rng.random() < 0.3,
            )
        if kind is ReferrerKind.FAMILY:
            relation, woman = _pick(rng, FAMILY_REFERRERS)
            given = _pick(rng, heritage.girls if woman else heritage.boys)[0]
            return (
                kind.value,
                f"{given} {family.children[0].family}",
                None,
                None,
                phone,
                None,
                relation,
                rng.random() < 0.6,
                rng.random() < 0.2,
            )
        return (
            kind.value,
            f"{given} {surname}",
            None,
            None,
            phone,
            None,
            _pick(rng, ("neighbour", "family friend")),
            rng.random() < 0.5,
            rng.random() < 0.4,
        )
