"""Builders shared by the tests: a controllable clock, a hub full of people, and contact drafts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text

from mash_desk.domain.enums import (
    Channel,
    Concern,
    ConsentStatus,
    Gender,
    HousingTenure,
    OverrideBasis,
    ReferrerKind,
    RelationshipKind,
    Role,
    TeamKind,
)
from mash_desk.services import admin
from mash_desk.services.context import ServiceContext
from mash_desk.services.drafts import AdultDraft, ChildDraft, ContactDraft, HouseholdDraft, ReferrerDraft
from mash_desk.services.screening import ConsentDraft
from mash_desk.store.database import Database
from mash_desk.store.models import Base

# a Tuesday in term time, no bank holiday near, GMT
DEFAULT_NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


class FrozenClock:
    """Time stands still until a test moves it."""

    def __init__(self, now: datetime = DEFAULT_NOW) -> None:
        self.current = now

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


def reset_postgres(db: Database) -> None:
    """Empty every table of the session's PostgreSQL database and lay the defaults down again."""
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    admin.install_defaults(db)


@dataclass
class World:
    db: Database
    clock: FrozenClock
    logins: dict[str, str] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)

    def as_(self, who: str) -> ServiceContext:
        return ServiceContext(self.db, self.logins[who], clock=self.clock)

    @property
    def admin(self) -> ServiceContext:
        return self.as_("admin")

    @property
    def sam(self) -> ServiceContext:
        """A MASH practitioner."""
        return self.as_("sam")

    @property
    def priya(self) -> ServiceContext:
        """Another MASH practitioner."""
        return self.as_("priya")

    @property
    def maria(self) -> ServiceContext:
        """A MASH team manager."""
        return self.as_("maria")

    @property
    def mark(self) -> ServiceContext:
        """Another MASH team manager."""
        return self.as_("mark")

    @property
    def police(self) -> ServiceContext:
        return self.as_("pc_jones")

    @property
    def health(self) -> ServiceContext:
        return self.as_("hv_okafor")

    @property
    def bea(self) -> ServiceContext:
        """Business support."""
        return self.as_("bea")

    @property
    def auditor(self) -> ServiceContext:
        return self.as_("aud")

    @property
    def ava(self) -> ServiceContext:
        """A social worker in the assessment team (receives hand-offs)."""
        return self.as_("ava")


USERS: tuple[tuple[str, str, Role, str, str | None], ...] = (
    ("sam", "Sam Carter", Role.PRACTITIONER, "SOCIAL_CARE", "MASH Team"),
    ("priya", "Priya Shah", Role.PRACTITIONER, "SOCIAL_CARE", "MASH Team"),
    ("maria", "Maria Lopez", Role.MANAGER, "SOCIAL_CARE", "MASH Team"),
    ("mark", "Mark Evans", Role.MANAGER, "SOCIAL_CARE", "MASH Team"),
    ("pc_jones", "PC Dan Jones", Role.AGENCY, "POLICE", None),
    ("hv_okafor", "Grace Okafor", Role.AGENCY, "HEALTH", None),
    ("bea", "Bea Hughes", Role.BUSINESS_SUPPORT, "SOCIAL_CARE", "MASH Team"),
    ("aud", "Alex Auditor", Role.AUDITOR, "SOCIAL_CARE", None),
    ("ava", "Ava Green", Role.PRACTITIONER, "SOCIAL_CARE", "Assessment Team"),
)

TEAMS: tuple[tuple[str, TeamKind, str], ...] = (
    ("MASH Team", TeamKind.MASH, "SOCIAL_CARE"),
    ("Assessment Team", TeamKind.ASSESSMENT, "SOCIAL_CARE"),
    ("Early Help Team", TeamKind.EARLY_HELP, "EARLY_HELP"),
)


def build_world(db: Database, clock: FrozenClock, *, tag: str | None = None) -> World:
    """An administrator, three teams and one user of every kind; PostgreSQL logins carry ``tag``."""
    world = World(db=db, clock=clock)

    def login(name: str) -> str:
        return f"{name}_{tag}" if tag else name

    world.logins["admin"] = login("admin")
    admin.add_user(db, None, username=login("admin"), display_name="Ada Admin", role=Role.ADMIN,
                   agency_code="SOCIAL_CARE")
    for name, kind, agency in TEAMS:
        world.teams[name] = admin.add_team(world.admin, name, kind, agency)
    for name, display, role, agency, team in USERS:
        world.logins[name] = login(name)
        admin.add_user(db, login("admin"), username=login(name), display_name=display, role=role,
                       agency_code=agency, team_name=team)
    return world


def child(given: str = "Amira", family: str = "Hussain", dob: date | None = date(2019, 5, 4), **extra: object) -> ChildDraft:
    draft = ChildDraft(given_names=given, family_name=family, date_of_birth=dob, gender=Gender.FEMALE)
    for key, value in extra.items():
        setattr(draft, key, value)
    return draft


def contact_draft(clock: FrozenClock, *children: ChildDraft, **extra: object) -> ContactDraft:
    """A complete, valid contact: a school's concern about neglect, received an hour ago."""
    draft = ContactDraft(
        received_at=clock() - timedelta(hours=1),
        channel=Channel.PHONE,
        referral_source="2A",
        referrer=ReferrerDraft(kind=ReferrerKind.PROFESSIONAL, name="Jo Bell", role="Designated safeguarding lead",
                               agency="Hillside Primary School", phone="01582 123456", email="jo.bell@hillside.sch.uk"),
        children=list(children) or [child()],
        adults=[AdultDraft(given_names="Layla", family_name="Hussain", relationship=RelationshipKind.MOTHER,
                           parental_responsibility=True)],
        household=HouseholdDraft(address_line1="12 Park Street", town="Luton", postcode="LU1 3AB",
                                 tenure=HousingTenure.TEMPORARY, temporary_accommodation=True, overcrowded=True),
        concerns={Concern.NEGLECT, Concern.HOUSING},
        narrative="Child arrives hungry most days, in the same clothes, and has missed 9 days this half term.",
        whereabouts="At school today",
    )
    for key, value in extra.items():
        setattr(draft, key, value)
    return draft


def consent_given(clock: FrozenClock) -> ConsentDraft:
    return ConsentDraft(status=ConsentStatus.GIVEN, given_by_name="Layla Hussain", given_by_relationship="mother",
                        given_by_has_pr=True, obtained_on=clock().date(), method="by phone", parent_aware=True)


def consent_override(clock: FrozenClock, manager_login: str) -> ConsentDraft:
    del clock
    return ConsentDraft(status=ConsentStatus.NOT_SOUGHT, parent_aware=False,
                        parent_not_aware_reason="Telling the mother's partner could put the children at risk.",
                        override=True, override_basis=OverrideBasis.PUBLIC_TASK_SAFEGUARDING,
                        override_reason="Seeking consent would put the child at risk of significant harm.",
                        override_authorised_by=manager_login)
