"""The town's families over ten years: who lives in them, their names and spellings, NHS numbers and
pupil numbers, where they live, and which team each child is allocated to at any moment."""

import random
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from mash_desk.domain import validation
from mash_desk.domain.enums import Gender, HousingTenure, PersonKind, RelationshipKind
from mash_desk.domain.names import name_keys
from mash_desk.tools.demo.choice import Picker, below, between, pairs, pick
from mash_desk.tools.demo.ledger import Ledger
from mash_desk.tools.demo.vocabulary import (
    _HERITAGE_LIST,
    _HERITAGE_WEIGHTS,
    _INWARD_LETTERS,
    LANGUAGE_NEEDS,
    MIXED_SHARE,
    RE_REFERRAL_DAYS,
    STREETS,
    Heritage,
)

# Where the town's pupils' UPNs were issued: Luton's own schools, then Bedford, Central Bedfordshire
# and Hertfordshire (cumulative shares, for bisect)
UPN_AUTHORITIES = ("821", "822", "823", "919")
UPN_AUTHORITY_WEIGHTS = (0.8, 0.87, 0.94, 1.0)
# Why a child of school age has no UPN: new to the area, records that disagree, never at school in
# England, educated outside England (cumulative shares)
UPN_UNKNOWN_CODES = ("UN4", "UN5", "UN2", "UN3")
UPN_UNKNOWN_WEIGHTS = (0.35, 0.6, 0.85, 1.0)


@dataclass(slots=True)
class Person:
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
    upn_unknown: str | None = None  # why a child of school age has no UPN (a census UPNunknown code)


@dataclass(slots=True)
class Adult:
    person: Person
    relationship: str
    parental_responsibility: bool
    male: bool


@dataclass(slots=True)
class Family:
    heritage: Heritage
    language: str
    children: list[Person]
    adults: list[Adult]
    address: str
    postcode: str
    tenure: str
    temporary: bool
    overcrowded: bool
    homeless: bool
    contacts: int = 0
    story: bool = False


# prepared weighted choices (see Picker)
PICK_HERITAGE = Picker(_HERITAGE_LIST, _HERITAGE_WEIGHTS)
PICK_LANGUAGE = {h.key: pairs(h.languages) for h in _HERITAGE_LIST}
PICK_ETHNICITY = {h.key: pairs(h.ethnicities) for h in _HERITAGE_LIST}
PICK_CHILD_COUNT = Picker((1, 2, 3, 4, 5), (40, 30, 18, 8, 4))
PICK_ELDEST_AGE = Picker((0, 2, 7, 12, 16), (10, 22, 28, 31, 9))
PICK_TENURE = Picker(
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
PICK_NEW_TENURE = Picker((HousingTenure.SOCIAL_RENT, HousingTenure.PRIVATE_RENT, HousingTenure.TEMPORARY), (45, 40, 15))


class Town:
    """Everyone the demo invents, as they were first heard of and as they change from contact to contact."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.rng = ledger.rng
        self.now = ledger.now
        self.people: list[Person] = []
        self.families: list[Family] = []
        self.contact_log: list[tuple[datetime, Family]] = []  # every contact, in arrival order
        self.log_times: list[datetime] = []
        self.key_cache: dict[tuple[str, str], tuple[str, ...]] = {}
        self.alias_keys: dict[int, set[str]] = {}  # a person's keys once an alias has added to them
        self.story_families: dict[str, Family] = {}
        self.nhs_cursor = 0
        self.postcodes = self._postcodes()
        # the UPNs' local authorities and the reasons a UPN is unknown come from their own stream, so
        # the rest of the town stays as it was for a given seed
        self.upn_rng = random.Random(f"upn:{ledger.rng.getstate()[1][1:5]}")
        self.upns_issued: set[str] = set()

    # -- identifiers --------------------------------------------------------------------------------

    def _postcodes(self) -> list[str]:
        """A fixed pool of LU-shaped postcodes (drawn from the run's generator, each one checked)."""
        pool = []
        for _ in range(2500):
            raw = (
                f"LU{between(self.rng, 1, 4)} {between(self.rng, 1, 9)}"
                f"{pick(self.rng, _INWARD_LETTERS)}{pick(self.rng, _INWARD_LETTERS)}"
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

    def upn(self, rng: random.Random | None = None) -> str:
        """A valid UPN from a school in the hub's own local authority (Luton) or a neighbouring one:
        LA code, school number, year of issue, serial and the DfE check letter."""
        draw = rng or self.rng
        while True:  # one UPN, one child: a number already issued is drawn again (from the UPNs' own stream)
            la = UPN_AUTHORITIES[bisect_left(UPN_AUTHORITY_WEIGHTS, self.upn_rng.random())]
            body = f"{la}{between(draw, 2000, 7999)}{between(draw, 10, 24)}{between(draw, 0, 999):03d}"
            if body not in self.upns_issued:
                self.upns_issued.add(body)
                return validation.upn_check_letter(body) + body
            draw = self.upn_rng

    def _school_age_without_upn(self, dob: date) -> tuple[str | None, str | None]:
        """A child first heard of without a UPN (too young for one then, or a young person whose school
        days are not on record): once of school age (the record as it stands now), most have one; the
        others say why not."""
        if (self.now.date() - dob).days / 365.25 < 4:
            return None, None
        if self.upn_rng.random() < 0.75:
            return self.upn(self.upn_rng), None
        return None, UPN_UNKNOWN_CODES[bisect_left(UPN_UNKNOWN_WEIGHTS, self.upn_rng.random())]

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
    ) -> Person:
        child = kind is PersonKind.CHILD
        disability = None
        needs = None
        upn = upn_unknown = None
        nhs = None
        if child:
            roll = self.rng.random()
            disability = True if roll < 0.06 else (False if roll < 0.8 else None)
            if disability and self.rng.random() < 0.4:
                needs = pick(self.rng, LANGUAGE_NEEDS)
            if self.rng.random() < 0.88 and not duplicate:
                nhs = self.nhs_number()
            if (
                not duplicate
                and dob is not None
                and 4 <= (at.date() - dob).days / 365.25 <= 16
                and self.rng.random() < 0.7
            ):
                upn = self.upn()
            elif not duplicate and dob is not None:
                upn, upn_unknown = self._school_age_without_upn(dob)
            elif duplicate and dob is not None and (self.now.date() - dob).days / 365.25 >= 4:
                upn_unknown = "UN5"  # a second record of a child: it does not match the school census's
        person = Person(
            id=self.ledger.next_id("person"),
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
            upn_unknown=upn_unknown,
            disability=disability,
            first_language=language,
            interpreter=interpreter,
            communication_needs=needs,
            created_at=at,
        )
        self.people.append(person)
        self.ledger.counts["children" if child else "adults"] += 1
        keys = self.key_cache.get((person.given, person.family))
        if keys is None:
            keys = self.key_cache[(person.given, person.family)] = tuple(sorted(name_keys(person.given, person.family)))
        rows = self.ledger.rows["person_name_key"]
        for key in keys:
            rows.append((person.id, key))
        return person

    def alias(self, person: Person, given: str, surname: str, at: datetime) -> None:
        """Another name the person is known by, and the search keys it adds (as ``people.add_alias``)."""
        ledger = self.ledger
        ledger.rows["person_alias"].append((ledger.next_id("person_alias"), person.id, given, surname, ledger.ts(at)))
        known = self.alias_keys.get(person.id)
        if known is None:
            known = self.alias_keys[person.id] = set(self.key_cache[(person.given, person.family)])
        rows = ledger.rows["person_name_key"]
        for key in sorted(name_keys(given, surname) - known):
            rows.append((person.id, key))
            known.add(key)

    def _name(self, heritage: Heritage, boy: bool) -> tuple[str, ...]:
        pool = heritage.boys if boy else heritage.girls
        spellings = pick(self.rng, pool)
        # the spelling first recorded is any of the group; the others become the variants
        first = below(self.rng, len(spellings))
        return (spellings[first], *spellings[:first], *spellings[first + 1 :])

    def _surname(self, heritage: Heritage) -> tuple[str, ...]:
        spellings = pick(self.rng, heritage.families)
        first = below(self.rng, len(spellings))
        return (spellings[first], *spellings[:first], *spellings[first + 1 :])

    def new_family(
        self, at: datetime, *, heritage: Heritage | None = None, forced: dict[str, Any] | None = None
    ) -> Family:
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
                ethnicity = pick(rng, ("MWBC", "MWBA", "MWAS", "MOTH"))
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
        children: list[Person] = []
        age = eldest_age
        today = at.date()
        for index in range(count):
            spec = forced.get("children", [None] * count)[index]
            if spec is not None:
                given, boy, age = spec
            else:
                boy = rng.random() < 0.5
                given = self._name(heritage, boy)
            # an unborn baby is due within 40 weeks of the contact (as intake and the census require)
            born = today - timedelta(days=round(max(age, -0.75) * 365.25))
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
        adults: list[Adult] = []
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
            adults.append(Adult(mother, RelationshipKind.MOTHER.value, True, False))
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
            adults.append(Adult(father, kind.value, kind is RelationshipKind.FATHER, True))
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
            adults.append(Adult(grandparent, RelationshipKind.GRANDPARENT.value, False, False))
        # housing
        tenure = PICK_TENURE(rng)
        if forced.get("temporary"):
            tenure = HousingTenure.TEMPORARY
        temporary = tenure is HousingTenure.TEMPORARY
        homeless = tenure is HousingTenure.NO_FIXED_ABODE or (temporary and rng.random() < 0.5)
        overcrowded = bool(forced.get("overcrowded")) or rng.random() < (0.35 if temporary or count >= 4 else 0.1)
        family = Family(
            heritage=heritage,
            language=language,
            children=children,
            adults=adults,
            address=f"{between(rng, 1, 220)} {pick(rng, STREETS)}",
            postcode=pick(rng, self.postcodes),
            tenure=tenure.value,
            temporary=temporary,
            overcrowded=overcrowded,
            homeless=homeless,
        )
        self.families.append(family)
        return family

    def add_sibling(self, family: Family, at: datetime) -> None:
        """A baby born since the family was last known (or expected, for a recent contact)."""
        rng = self.rng
        youngest = family.children[-1].dob or family.children[-1].expected
        if youngest is None or (at.date() - youngest).days < 500:
            return
        boy = rng.random() < 0.5
        unborn = rng.random() < 0.25
        if unborn:
            expected = at.date() + timedelta(days=between(rng, 20, 200))
            dob, expected_now = (None, expected) if expected > self.now.date() else (expected, None)
        else:
            dob, expected_now = youngest + timedelta(days=between(rng, 400, (at.date() - youngest).days)), None
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

    # -- families over time -------------------------------------------------------------------------

    def recent_family(self, at: datetime) -> Family | None:
        """A family with a contact in the last 12 months (busier families more likely): a re-referral."""
        low = bisect_left(self.log_times, at - timedelta(days=RE_REFERRAL_DAYS))
        if low >= len(self.log_times):
            return None
        family = self.contact_log[low + below(self.rng, len(self.log_times) - low)][1]
        return None if family.story else family

    def older_family(self, at: datetime) -> Family | None:
        """A family last heard of more than a year ago, back again."""
        low = bisect_left(self.log_times, at - timedelta(days=RE_REFERRAL_DAYS))
        if low == 0:
            return None
        family = self.contact_log[below(self.rng, low)][1]
        return None if family.story else family

    @staticmethod
    def eligible(family: Family, at: datetime) -> list[Person]:
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

    def move_house(self, family: Family) -> None:
        """The family has moved since the last contact: new address, perhaps a different tenure."""
        rng = self.rng
        family.address = f"{between(rng, 1, 220)} {pick(rng, STREETS)}"
        family.postcode = pick(rng, self.postcodes)
        if rng.random() < 0.5:
            tenure = PICK_NEW_TENURE(rng)
            family.tenure = tenure.value
            family.temporary = tenure is HousingTenure.TEMPORARY
            family.homeless = family.temporary and rng.random() < 0.5
            family.overcrowded = rng.random() < (0.35 if family.temporary else 0.1)

    def allocation_at(self, person: Person, at: datetime) -> tuple[int, bool, date | None] | None:
        """The child's allocated team at ``at``, whether the case is open, and the day it closed."""
        latest = None
        for allocation in person.allocations:
            if allocation[0] <= at and (latest is None or allocation[0] > latest[0]):
                latest = allocation
        if latest is None:
            return None
        is_open = latest[2] > at
        return latest[1], is_open, None if is_open else latest[2].date()

    def story_family(self, key: str, at: datetime) -> Family:
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

    def duplicate(self, person: Person, given: str, surname: str, at: datetime) -> Person:
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
