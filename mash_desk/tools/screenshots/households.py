"""Who made each screenshot contact and whom it is about: referrers from the agency their census source
names (a school's safeguarding lead for "Schools", a detective for "Police", a neighbour for "Other
individual") and households of different shapes — a mother and her partner, a father on his own, a
grandmother caring, a stepfather alleged to harm. Invented people, never real ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mash_desk.domain.enums import Channel, Concern, Gender, HousingTenure, ReferrerKind, RelationshipKind
from mash_desk.services.drafts import AdultDraft, HouseholdDraft, ReferrerDraft


@dataclass(frozen=True)
class Referral:
    """Where a contact came from: its census source, how it arrived, and the person who made it."""

    source: str
    channel: Channel
    referrer: ReferrerDraft


def _professional(source: str, channel: Channel, name: str, role: str, agency: str, phone: str, email: str) -> Referral:
    return Referral(
        source,
        channel,
        ReferrerDraft(
            kind=ReferrerKind.PROFESSIONAL,
            name=name,
            role=role,
            agency=agency,
            phone=phone,
            email=email,
            relationship="Professional working with the family",
        ),
    )


def referral(key: str) -> Referral:
    """A fresh referral (drafts are mutable, so every contact gets its own)."""
    if key == "neighbour":
        return Referral(
            "1D",
            Channel.PHONE,
            ReferrerDraft(
                kind=ReferrerKind.MEMBER_OF_PUBLIC,
                name="Pat Doyle",
                phone="07700 900418",
                relationship="Neighbour in the flat below",
                first_hand=True,
                anonymity_requested=True,
            ),
        )
    return {
        "school": lambda: _professional(
            "2A",
            Channel.PHONE,
            "Jo Bell",
            "Designated safeguarding lead",
            "Hillside Primary School",
            "01632 960123",
            "jo.bell@hillside.example.sch.uk",
        ),
        "infant_school": lambda: _professional(
            "2A",
            Channel.EMAIL,
            "Claire Dawson",
            "Deputy designated safeguarding lead",
            "Oakfield Infant School",
            "01632 960377",
            "c.dawson@oakfield.example.sch.uk",
        ),
        "nursery": lambda: _professional(
            "2A",
            Channel.REFERRAL_FORM,
            "Nadia Rahman",
            "Nursery manager",
            "Little Acorns Nursery School",
            "01632 960254",
            "office@littleacorns.example.sch.uk",
        ),
        "school_nurse": lambda: _professional(
            "3C",
            Channel.PHONE,
            "Priti Nair",
            "School nurse",
            "School Nursing Service",
            "01632 960581",
            "priti.nair@nhs.example.net",
        ),
        "gp": lambda: _professional(
            "3A",
            Channel.LETTER,
            "Dr Anil Mehta",
            "General practitioner",
            "Chiltern Vale Medical Centre",
            "01632 960412",
            "anil.mehta@nhs.example.net",
        ),
        "health_visitor": lambda: _professional(
            "3B",
            Channel.REFERRAL_FORM,
            "Rachel Osei",
            "Health visitor",
            "Health Visiting Service (North)",
            "01632 960649",
            "rachel.osei@nhs.example.net",
        ),
        "police": lambda: _professional(
            "6",
            Channel.POLICE_NOTIFICATION,
            "DC Sarah Quinn",
            "Detective constable",
            "Bedfordshire Police Child Abuse Investigation Unit",
            "01632 960999",
            "sarah.quinn@police.example.uk",
        ),
        "other_la": lambda: _professional(
            "5C",
            Channel.EMAIL,
            "Tom Fletcher",
            "Duty social worker",
            "Bedford Borough Children's Services",
            "01632 960730",
            "tom.fletcher@bedford.example.gov.uk",
        ),
    }[key]()


@dataclass(frozen=True)
class Household:
    """The adults named on a contact and the home the children live in."""

    adults: list[AdultDraft]
    home: HouseholdDraft
    concerns: set[Concern]


def _adult(
    given: str,
    family: str,
    born: date | None,
    gender: Gender,
    relationship: RelationshipKind,
    *,
    responsible: bool = False,
    harm: bool = False,
    lives_here: bool = True,
) -> AdultDraft:
    return AdultDraft(
        given_names=given,
        family_name=family,
        date_of_birth=born,
        gender=gender,
        relationship=relationship,
        parental_responsibility=responsible,
        alleged_perpetrator=harm,
        in_contact_with_child=True,
        lives_with_child=lives_here,
    )


def _home(street: str, postcode: str, tenure: HousingTenure, **extra: object) -> HouseholdDraft:
    home = HouseholdDraft(address_line1=street, town="Luton", postcode=postcode, tenure=tenure)
    for key, value in extra.items():
        setattr(home, key, value)
    return home


F, M = Gender.FEMALE, Gender.MALE
R = RelationshipKind


def household(family: str) -> Household:
    """A fresh household for one of the cast's families, by family name."""
    return {
        "Hussain": lambda: Household(
            [
                _adult("Layla", "Hussain", date(1991, 3, 14), F, R.MOTHER, responsible=True),
                _adult("Omar", "Malik", date(1988, 7, 2), M, R.PARTNER_OF_PARENT, harm=True),
            ],
            _home(
                "12 Park Street",
                "LU1 3AB",
                HousingTenure.TEMPORARY,
                temporary_accommodation=True,
                overcrowded=True,
            ),
            {Concern.NEGLECT, Concern.DOMESTIC_ABUSE, Concern.HOUSING},
        ),
        "Kowalski": lambda: Household(
            [
                _adult("Piotr", "Kowalski", date(1979, 10, 5), M, R.FATHER, responsible=True),
                _adult("Halina", "Kowalska", date(1953, 1, 22), F, R.GRANDPARENT, lives_here=False),
            ],
            _home("47 Dunstable Road", "LU4 8QE", HousingTenure.PRIVATE_RENT),
            {Concern.NEGLECT, Concern.PARENTAL_MENTAL_HEALTH},
        ),
        "Adeyemi": lambda: Household(
            [
                _adult("Funmi", "Adeyemi", date(1985, 5, 30), F, R.MOTHER, responsible=True),
                _adult("Daniel", "Price", date(1983, 12, 11), M, R.STEP_PARENT, harm=True),
            ],
            _home("3 Hockwell Ring", "LU4 9NB", HousingTenure.SOCIAL_RENT),
            {Concern.PHYSICAL_ABUSE},
        ),
        "Brennan": lambda: Household(
            [_adult("Kerry", "Brennan", date(1998, 8, 19), F, R.MOTHER, responsible=True)],
            _home("Flat 6, Marsh House, Marsh Road", "LU3 2RX", HousingTenure.SOCIAL_RENT),
            {Concern.NEGLECT},
        ),
        "Novak": lambda: Household(
            [
                _adult("Jana", "Novak", date(1990, 4, 8), F, R.MOTHER, responsible=True),
                _adult("Marek", "Novak", date(1987, 2, 27), M, R.FATHER, responsible=True),
            ],
            _home("21 Leagrave High Street", "LU4 0NG", HousingTenure.PRIVATE_RENT),
            {Concern.SCHOOL_ABSENCE},
        ),
        "Clarke": lambda: Household(
            [
                _adult("Susan", "Clarke", date(1961, 6, 3), F, R.GRANDPARENT, responsible=True),
                _adult("Danielle", "Clarke", date(1993, 9, 15), F, R.MOTHER, lives_here=False),
            ],
            _home("88 Stopsley Way", "LU2 7UG", HousingTenure.OWNER_OCCUPIED),
            {Concern.SUBSTANCE_MISUSE, Concern.NEGLECT},
        ),
        "Ahmed": lambda: Household(
            [
                _adult("Samira", "Ahmed", date(1982, 11, 1), F, R.MOTHER, responsible=True),
                _adult("Tariq", "Ahmed", date(1978, 3, 9), M, R.FATHER, responsible=True),
            ],
            _home("5 Bury Park Road", "LU1 1HE", HousingTenure.OWNER_OCCUPIED),
            {Concern.SELF_HARM, Concern.EMOTIONAL_ABUSE},
        ),
        "Whitfield": lambda: Household(
            [
                _adult("Helen", "Whitfield", date(1986, 1, 25), F, R.MOTHER, responsible=True),
                _adult("Gary", "Marsh", date(1980, 10, 30), M, R.STEP_PARENT, harm=True),
            ],
            _home("14 Wigmore Lane", "LU2 8AA", HousingTenure.OWNER_OCCUPIED),
            {Concern.EMOTIONAL_ABUSE, Concern.SUBSTANCE_MISUSE},
        ),
        "Begum": lambda: Household(
            [_adult("Ruksana", "Begum", date(1995, 12, 2), F, R.MOTHER, responsible=True)],
            _home("9 Beech Hill Path", "LU1 5QA", HousingTenure.SOCIAL_RENT),
            {Concern.NEGLECT},
        ),
    }[family]()
