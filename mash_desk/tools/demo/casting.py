"""Who a contact is about and who made it: the family, the children named (a re-contact may spell them
differently), the concerns, the referrer, the adults and the household intake records."""

from datetime import datetime

from mash_desk.domain.enums import Channel, Concern, HousingTenure, ReferrerKind, RelationshipKind
from mash_desk.domain.timescales import LONDON
from mash_desk.tools.demo.choice import Picker, between, pairs, pick
from mash_desk.tools.demo.referrers import SOURCE_REFERRER
from mash_desk.tools.demo.state import ContactState
from mash_desk.tools.demo.town import PICK_HERITAGE, Adult, Family, Person
from mash_desk.tools.demo.vocabulary import (
    CHANNEL_WEIGHTS,
    COMPANIONS,
    CONCERN_SOURCE_FAMILY,
    FAMILY_REFERRERS,
    GENERIC_NARRATIVE,
    HOUSING_NOTES,
    MANAGERS,
    MASH_PRACTITIONERS,
    NARRATIVES,
    OPEN_CASE_WINDOW,
    PRIMARY_CONCERNS,
    SCHOOLS,
    SOURCES_BY_CONCERN,
    TOWN,
    C,
    Row,
)

PICK_CONCERN = pairs(PRIMARY_CONCERNS)
PICK_SOURCE = {group: pairs(weights) for group, weights in SOURCES_BY_CONCERN.items()}
PICK_PERSONAL_CHANNEL = Picker((Channel.PHONE, Channel.IN_PERSON, Channel.EMAIL, Channel.LETTER), (70, 10, 10, 10))
PICK_CHANNEL = pairs(CHANNEL_WEIGHTS)


def cast(s: ContactState) -> tuple[Family, list[Person], list[tuple[Person, str, str]], list[Person]]:
    """The family and the children named; a re-contact may spell a child differently."""
    rng, t0, story, town = s.rng, s.t0, s.story, s.town
    aliases: list[tuple[Person, str, str]] = []
    if story is not None:
        family = town.story_families.get(story.family) or town.story_family(story.family, t0)
        named = [family.children[i] for i in story.children]
        for person, spelling in zip(named, story.spelling or (0,) * len(named), strict=True):
            if spelling:
                aliases.append((person, person.given_spellings[spelling], person.family))
        family.contacts += 1
        return family, named, aliases, []
    found: Family | None = None
    roll = rng.random()
    if roll < 0.24:
        found = town.recent_family(t0)
    elif roll < 0.31:
        found = town.older_family(t0)
    eligible: list[Person] = []
    if found is not None:
        if rng.random() < 0.1:
            town.add_sibling(found, t0)
        eligible = town.eligible(found, t0)
    if found is None or not eligible:
        found = town.new_family(t0)
        eligible = town.eligible(found, t0)
    family = found
    family.contacts += 1
    if len(eligible) > 1 and rng.random() >= 0.55:
        chosen = {p.id for p in rng.sample(eligible, between(rng, 1, len(eligible) - 1))}
        named = [p for p in eligible if p.id in chosen]
    else:
        named = list(eligible)
    duplicates: list[Person] = []
    final: list[Person] = []
    for person in named:
        varied = len(person.given_spellings) > 1 or len(person.family_spellings) > 1
        if person.last_contact_at is not None and varied and rng.random() < 0.35:
            given, surname = person.given, person.family
            if len(person.given_spellings) > 1 and (len(person.family_spellings) == 1 or rng.random() < 0.7):
                given = pick(rng, person.given_spellings[1:])
            else:
                surname = pick(rng, person.family_spellings[1:])
            if rng.random() < 0.12:
                duplicate = town.duplicate(person, given, surname, t0)
                duplicates.append(duplicate)
                final.append(duplicate)
                continue
            aliases.append((person, given, surname))
        final.append(person)
    return family, final, aliases, duplicates


def concerns(s: ContactState, family: Family) -> list[Concern]:
    """The primary concern first, then any that come with it."""
    rng, story = s.rng, s.story
    if story is not None:
        return list(story.concerns)
    primary: Concern = PICK_CONCERN(rng)
    found = [primary]
    for companion in COMPANIONS.get(primary, ()):
        if rng.random() < 0.3 and companion not in found:
            found.append(companion)
    if (family.temporary or family.overcrowded or family.homeless) and C.HOUSING not in found and rng.random() < 0.6:
        found.append(C.HOUSING)
    return found


def source_and_channel(s: ContactState, primary: Concern) -> tuple[str, Channel]:
    rng = s.rng
    source: str = PICK_SOURCE[CONCERN_SOURCE_FAMILY.get(primary, "general")](rng)
    if source == "6":
        channel = Channel.POLICE_NOTIFICATION if rng.random() < 0.75 else Channel.PHONE
    elif source in ("1A", "1B", "1C", "1D", "9", "10"):
        channel = PICK_PERSONAL_CHANNEL(rng)
    else:
        channel = PICK_CHANNEL(rng)
    return source, channel


def creator(s: ContactState, channel: Channel) -> int:
    rng, users = s.rng, s.ledger.users
    if s.story is not None:
        return users["sam"]
    if channel in (Channel.PHONE, Channel.EMAIL, Channel.LETTER, Channel.POLICE_NOTIFICATION) and rng.random() < 0.45:
        return users["bea"]
    return users[pick(rng, MASH_PRACTITIONERS) if rng.random() < 0.88 else pick(rng, MANAGERS)]


def log_delay(s: ContactState, channel: Channel) -> float:
    rng = s.rng
    if channel in (Channel.PHONE, Channel.IN_PERSON):
        return rng.uniform(3, 45)
    if channel is Channel.POLICE_NOTIFICATION:
        return rng.uniform(30, 720)
    return rng.uniform(10, 360)


def open_case_team(s: ContactState, named: list[Person], at: datetime) -> int | None:
    """As intake: a child's team if their case is open, or closed within the window (open first)."""
    cutoff = at.date() - OPEN_CASE_WINDOW
    recent = None
    for person in named:
        state = s.town.allocation_at(person, at)
        if state is None:
            continue
        team, is_open, closed_on = state
        if is_open:
            return team
        if recent is None and closed_on is not None and closed_on >= cutoff:
            recent = team
    return recent


def contact_adults(
    s: ContactState, family: Family, named: list[Person], concerns: list[Concern], at: datetime
) -> list[tuple[Adult, bool, bool | None]]:
    """The adults named on the contact, with the relationships intake records for each child."""
    b, rng = s.ledger, s.rng
    abuse = C.DOMESTIC_ABUSE in concerns or C.PHYSICAL_ABUSE in concerns
    chosen: list[tuple[Adult, bool, bool | None]] = []
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
                s.cid,
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


def household(s: ContactState, family: Family, members: list[int], at: datetime) -> int | None:
    """Intake saves the household given on each contact as a new record, with its members."""
    b, rng = s.ledger, s.rng
    if s.story is None and rng.random() < 0.08:
        return None  # the referrer did not know the address
    if family.contacts > 1 and s.story is None and rng.random() < 0.15:
        s.town.move_house(family)
    line2 = None
    notes = None
    if family.temporary:
        line2 = f"Room {between(rng, 1, 40)}, Station House (temporary accommodation)"
        notes = HOUSING_NOTES["temporary"]
    elif rng.random() < 0.2:
        line2 = f"Flat {between(rng, 1, 30)}"
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


def narrative(s: ContactState, primary: Concern, family: Family, named: list[Person], re_referral: bool) -> str:
    rng = s.rng
    template: str = pick(rng, NARRATIVES.get(primary, (GENERIC_NARRATIVE,)))
    mother = next(
        (a.person.given for a in family.adults if a.relationship == RelationshipKind.MOTHER.value), "the mother"
    )
    return template.format(
        child=named[0].given,
        adult=mother,
        perp=pick(rng, ("her partner", "his father", "the mother's boyfriend")),
        hour=f"{s.t0.astimezone(LONDON):%H:%M}",
        attendance=between(rng, 61, 89),
        concern=primary.value.replace("_", " "),
        known="known to the MASH (a contact in the last 12 months)"
        if re_referral
        else "not known to the MASH recently",
    )


def referrer(s: ContactState, source: str, family: Family, named: list[Person]) -> Row:
    """kind, name, role, agency, phone, email, relationship, first hand, anonymity requested."""
    rng = s.rng
    kind, posts = SOURCE_REFERRER[source]
    role, agency = pick(rng, posts) if posts else (None, None)
    if agency == "school":
        agency = pick(rng, SCHOOLS)
    heritage = PICK_HERITAGE(rng)
    given = pick(rng, heritage.boys if rng.random() < 0.4 else heritage.girls)[0]
    surname = pick(rng, heritage.families)[0]
    if kind is ReferrerKind.PROFESSIONAL:
        assert agency is not None
        b = s.ledger
        local = f"{b.norm(given).replace(' ', '')}.{b.norm(surname).replace(' ', '')}"
        domain = "-".join(b.norm(agency).split()[:3]) + ".example.org.uk"
        return (
            kind.value,
            f"{given} {surname}",
            role,
            agency,
            f"01632960{between(rng, 0, 999):03d}",
            f"{local}@{domain}",
            "Professional working with the family",
            rng.random() < 0.85,
            False,
        )
    if kind is ReferrerKind.ANONYMOUS:
        return (kind.value, None, None, None, None, None, None, False, True)
    phone = f"07700900{between(rng, 0, 999):03d}"
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
        relation, woman = pick(rng, FAMILY_REFERRERS)
        given = pick(rng, heritage.girls if woman else heritage.boys)[0]
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
        pick(rng, ("neighbour", "family friend")),
        rng.random() < 0.5,
        rng.random() < 0.4,
    )
