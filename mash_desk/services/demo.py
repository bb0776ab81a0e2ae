"""Synthetic demo data: a MASH's last ten years, invented from a seed, never real people.

``generate_demo`` fills an empty database with teams, the well-known demo logins (``admin``, ``sam``,
``priya``, ``maria``, ``mark``, ``pc_jones``, ``hv_okafor``, ``bea``, ``aud``, ``ava`` and a few
colleagues) and as many contacts as asked, each carried through the same life the services give a
contact: logged, screened and RAG-rated, consent recorded, agencies asked, decisions proposed,
authorised or returned, handed off and accepted or rejected, closed. Most contacts are closed; a
small open share fills every queue and every ``ContactStatus``, with overdue work, returned
decisions, rejected and unaccepted hand-offs, outstanding agency checks and open cases.

The people are invented from name lists of a diverse English town (White British, South Asian,
Eastern European, Black African and Caribbean, Arabic), and the same child comes back under
spelling variants (Mohammed/Muhammad/Mohamed, Aisha/Ayesha, hyphenated surnames) as aliases and
as the occasional duplicate record that search must find. NHS numbers are in the 999 test range
(never issued to a patient), phone numbers in Ofcom's drama ranges, e-mail domains ``example``.

Why not through the services: 250,000 contacts through the ORM would take hours. The rows are
planned in memory as the services would write them (same references, search keys, deadlines and
state machine) and bulk-loaded with explicit ids: ``executemany`` on SQLite (from a second writer
process for large demos, so planning and writing use both cores), ``COPY`` on PostgreSQL (from a
background thread, so the server works while the next chunk is planned), with secondary indexes
and constraints dropped for the load and rebuilt (on PostgreSQL the foreign keys re-validated) in
the same transaction, so a failure leaves no half-loaded database. Users and teams do go through
``services.admin`` so PostgreSQL login roles exist (that needs a superuser connection, or one that
may act as ``admin``: the demo logins are cluster-wide roles, reused if they exist).

Determinism: the same ``seed`` and ``now`` give identical rows. ``now`` defaults to the current
time truncated to the hour (UTC), so two runs within the same hour also agree. Every row is
written as first recorded (``version`` 1), and audit volume stays modest: one ``demo.generate``
row per contact and one for the run.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import queue
import random
import sqlite3
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any, cast

from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import DBAPIError

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
    Role,
    TeamKind,
    TimescaleKey,
)
from mash_desk.domain.errors import DatabaseUnavailable, InvalidInput
from mash_desk.domain.names import name_keys, normalise_name
from mash_desk.domain.risk import DASH_QUESTION_COUNT, score_dash, validate_gcp_grades
from mash_desk.domain.timescales import LONDON, TimescalePolicy, WorkingCalendar, due_at, rag_key
from mash_desk.services import admin
from mash_desk.services.context import ServiceContext
from mash_desk.services.intake import contact_reference
from mash_desk.services.policy import load_policy
from mash_desk.store.database import Database, translate_errors
from mash_desk.store.models import Agency, Base, Contact, Team, User
from mash_desk.store.queries import lookup

Progress = Callable[[str, int, int], None]
Row = tuple[object, ...]

YEARS = 10
OPEN_SHARE = 0.01  # of all contacts, open now (the rest are closed)
OPEN_MINIMUM = 40  # so that even a small demo fills every queue and every status
STORY_MINIMUM = 30  # below this the scripted storylines do not fit
CHUNK_CONTACTS = 10_000
WRITER_PROCESS_FROM = 5_000  # SQLite: from this size a second process writes while this one plans
RE_REFERRAL_DAYS = round(12 * 30.44)  # as intake._seen_within with the default setting
OPEN_CASE_WINDOW = timedelta(days=28)  # the default open_case_window_days

S = ContactStatus


# --- what the run produced ---------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    """What a demo run added (or that it added nothing), for the CLI and the GUI's first-run page."""

    added: bool
    contacts: int
    open_contacts: int = 0
    overdue_open: int = 0
    referrals: int = 0
    re_referrals: int = 0
    children: int = 0
    adults: int = 0
    households: int = 0
    agency_requests: int = 0
    pending_hand_offs: int = 0
    dash_assessments: int = 0
    gcp_assessments: int = 0
    rows: int = 0
    logins: tuple[str, ...] = ()
    seed: int = 0
    now: datetime | None = None
    seconds: float = 0.0
    existing_contacts: int = 0

    def describe(self) -> str:
        """A few lines a person can read: what is there and how to sign in."""
        if not self.added:
            return (
                f"The database already has {self.existing_contacts:,} contacts; no demo data was added. "
                "Use an empty database for a fresh demo."
            )
        when = f"{self.now:%Y-%m-%d %H:%M} UTC" if self.now else "now"
        lines = [
            f"Added {self.contacts:,} synthetic contacts (seed {self.seed}, as of {when}) "
            f"and {self.rows:,} rows in all, in {self.seconds:.1f} s.",
            f"  {self.open_contacts:,} open ({self.overdue_open:,} past their RAG deadline), "
            f"{self.referrals:,} referrals, {self.re_referrals:,} about a child already named in the 12 months before.",
            f"  {self.children:,} children and {self.adults:,} adults in {self.households:,} household records; "
            f"{self.agency_requests:,} agency checks, {self.pending_hand_offs:,} hand-offs awaiting acceptance, "
            f"{self.dash_assessments:,} DASH and {self.gcp_assessments:,} Graded Care Profile assessments.",
            "  Sign in as: " + ", ".join(self.logins) + ".",
        ]
        if self.contacts >= STORY_MINIMUM:
            lines.append(
                "  Try: search for 'Mohamed Khan' (one child, three spellings), or open the RECEIVED contact "
                "about Zuzanna Nowak (an open case: pass it to the Child Protection Team)."
            )
        return "\n".join(lines)


# --- the hub's people ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    username: str
    display_name: str
    role: Role
    agency: str
    team: str | None
    job_title: str
    gcp_licensed: bool = False


TEAMS: tuple[tuple[str, TeamKind, str], ...] = (
    ("MASH Team", TeamKind.MASH, "SOCIAL_CARE"),
    ("Assessment Team", TeamKind.ASSESSMENT, "SOCIAL_CARE"),
    ("Child Protection Team", TeamKind.CHILD_PROTECTION, "SOCIAL_CARE"),
    ("Early Help Team", TeamKind.EARLY_HELP, "EARLY_HELP"),
    ("Children in Need Team", TeamKind.CHILDREN_IN_NEED, "SOCIAL_CARE"),
    ("MARAC Coordination", TeamKind.PARTNER_AGENCY, "DA_SERVICE"),
    ("LADO Service", TeamKind.PARTNER_AGENCY, "SOCIAL_CARE"),
    ("Neighbouring Authority MASH", TeamKind.OTHER_LOCAL_AUTHORITY, "SOCIAL_CARE"),
)

STAFF: tuple[StaffMember, ...] = (
    StaffMember("admin", "Ada Admin", Role.ADMIN, "SOCIAL_CARE", None, "Systems administrator"),
    StaffMember("sam", "Sam Carter", Role.PRACTITIONER, "SOCIAL_CARE", "MASH Team", "Senior practitioner", True),
    StaffMember("priya", "Priya Shah", Role.PRACTITIONER, "SOCIAL_CARE", "MASH Team", "Social worker"),
    StaffMember("jade", "Jade Wilson", Role.PRACTITIONER, "SOCIAL_CARE", "MASH Team", "Social worker"),
    StaffMember("omar", "Omar Farouk", Role.PRACTITIONER, "SOCIAL_CARE", "MASH Team", "Social worker"),
    StaffMember("maria", "Maria Lopez", Role.MANAGER, "SOCIAL_CARE", "MASH Team", "MASH team manager"),
    StaffMember("mark", "Mark Evans", Role.MANAGER, "SOCIAL_CARE", "MASH Team", "Deputy team manager"),
    StaffMember("bea", "Bea Hughes", Role.BUSINESS_SUPPORT, "SOCIAL_CARE", "MASH Team", "Business support officer"),
    StaffMember("aud", "Alex Auditor", Role.AUDITOR, "SOCIAL_CARE", None, "Quality assurance auditor"),
    StaffMember("pc_jones", "PC Dan Jones", Role.AGENCY, "POLICE", None, "Police MASH officer"),
    StaffMember("hv_okafor", "Grace Okafor", Role.AGENCY, "HEALTH", None, "MASH health lead (health visitor)", True),
    StaffMember("ed_patel", "Ravi Patel", Role.AGENCY, "EDUCATION", None, "Education safeguarding adviser"),
    StaffMember("prob_nowak", "Piotr Nowak", Role.AGENCY, "PROBATION", None, "Probation officer"),
    StaffMember("housing_ade", "Tunde Adeyemi", Role.AGENCY, "HOUSING", None, "Housing options officer"),
    StaffMember(
        "ida_khan", "Samira Khan", Role.AGENCY, "DA_SERVICE", "MARAC Coordination", "IDVA and MARAC coordinator"
    ),
    StaffMember("eh_brown", "Lucy Brown", Role.AGENCY, "EARLY_HELP", "Early Help Team", "Early help coordinator", True),
    StaffMember("ava", "Ava Green", Role.PRACTITIONER, "SOCIAL_CARE", "Assessment Team", "Social worker", True),
    StaffMember("cp_osei", "Kwame Osei", Role.PRACTITIONER, "SOCIAL_CARE", "Child Protection Team", "Social worker"),
    StaffMember(
        "cin_kowalska", "Ewa Kowalska", Role.PRACTITIONER, "SOCIAL_CARE", "Children in Need Team", "Social worker"
    ),
    StaffMember(
        "lado_reid",
        "Fiona Reid",
        Role.PRACTITIONER,
        "SOCIAL_CARE",
        "LADO Service",
        "Local authority designated officer",
    ),
    StaffMember(
        "nla_duty", "Chris Duty", Role.PRACTITIONER, "SOCIAL_CARE", "Neighbouring Authority MASH", "Duty social worker"
    ),
)
DEMO_LOGINS: tuple[str, ...] = tuple(member.username for member in STAFF)

MASH_PRACTITIONERS = ("sam", "priya", "jade", "omar")
MANAGERS = ("maria", "mark")
AGENCY_USER = {
    "POLICE": "pc_jones",
    "HEALTH": "hv_okafor",
    "EDUCATION": "ed_patel",
    "PROBATION": "prob_nowak",
    "HOUSING": "housing_ade",
    "DA_SERVICE": "ida_khan",
    "EARLY_HELP": "eh_brown",
}
TEAM_WORKER = {
    "Assessment Team": "ava",
    "Child Protection Team": "cp_osei",
    "Early Help Team": "eh_brown",
    "Children in Need Team": "cin_kowalska",
    "MARAC Coordination": "ida_khan",
    "LADO Service": "lado_reid",
    "Neighbouring Authority MASH": "nla_duty",
}
GCP_ASSESSORS = ("hv_okafor", "eh_brown", "ava", "sam")


# --- the town's names ----------------------------------------------------------------------------


def _groups(spec: str) -> tuple[tuple[str, ...], ...]:
    """``"Aisha|Ayesha, Omar"`` → (("Aisha", "Ayesha"), ("Omar",)): each group is one name's spellings."""
    return tuple(tuple(part.strip() for part in group.split("|")) for group in spec.split(",") if group.strip())


@dataclass(frozen=True)
class Heritage:
    """A community in the town: its names (with spelling variants), languages and DfE ethnicity codes."""

    key: str
    boys: tuple[tuple[str, ...], ...]
    girls: tuple[tuple[str, ...], ...]
    families: tuple[tuple[str, ...], ...]
    languages: tuple[tuple[str, float], ...]  # home language → weight ("English" included)
    ethnicities: tuple[tuple[str, float], ...]
    interpreter_rate: float


HERITAGES: tuple[tuple[Heritage, float], ...] = (
    (
        Heritage(
            "white_british",
            _groups(
                "Oliver, Harry, Jack, George, Noah, Charlie, Jacob, Alfie, Freddie, Oscar, Leo, Archie, Theo, Thomas,"
                "James, Joshua, Riley, Mason, Tyler, Callum|Calum, Liam, Connor|Conor, Kieran|Ciaran, Ethan, Dylan,"
                "Lewis, Jayden|Jaden|Jaiden, Reece|Rhys"
            ),
            _groups(
                "Olivia, Amelia, Isla, Ava, Emily, Isabella, Mia, Poppy, Ella, Lily|Lilly, Grace, Sophie, Evie, Ruby,"
                "Chloe, Jessica, Megan, Holly, Lacey|Lacie, Courtney, Paige, Leah|Lea, Freya, Millie, Daisy,"
                "Macie|Macey"
            ),
            _groups(
                "Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies|Davis, Robinson, Wright, Thompson,"
                "Evans, Walker, White, Roberts, Green, Hall, Wood, Jackson, Clarke|Clark, Hughes, Edwards, Turner,"
                "Hill, Cooper, Ward, Moore, King, Harris, Baker, Lewis, Martin, Bennett, Price, Parker,"
                "Marshall|Marshal, Mitchell, Carter, Phillips|Philips, Murphy, O'Brien|OBrien, McDonald|Macdonald"
            ),
            (("English", 1.0),),
            (("WBRI", 0.9), ("WIRI", 0.05), ("WIRT", 0.02), ("NOBT", 0.03)),
            0.0,
        ),
        0.47,
    ),
    (
        Heritage(
            "south_asian",
            _groups(
                "Muhammad|Mohammed|Mohamed|Mohammad, Ibrahim|Ebrahim, Yusuf|Yousuf|Yousef, Ayaan, Zayn|Zain,"
                "Hamza|Hamzah, Ali, Rayyan|Rayan, Adam, Haris|Harris, Arjun, Rohan, Aarav, Imran, Bilal,"
                "Usman|Uthman|Osman, Abdul, Umar|Omar, Zakariya|Zakaria"
            ),
            _groups(
                "Aisha|Ayesha|Aishah, Fatima|Fatimah, Maryam|Mariam, Zara|Zarah, Hafsa|Hafsah, Inaya|Inaaya, Anaya,"
                "Noor|Nur, Zainab|Zaynab, Amira|Ameera, Khadija|Khadijah, Safa, Sana, Priya, Simran, Riya|Ria,"
                "Sumaiya|Sumaya, Halima|Halimah"
            ),
            _groups(
                "Khan, Hussain|Hussein|Husain, Ahmed|Ahmad, Ali, Rahman|Rehman, Islam, Iqbal, Akhtar|Akhter, Malik,"
                "Mahmood|Mahmud, Patel, Shah, Chowdhury|Choudhury|Chaudhry, Uddin, Miah|Mia, Hossain, Butt,"
                "Siddiqui|Siddique, Rashid, Anwar, Sharma, Mistry, Khan-Begum|Khan Begum"
            ),
            (("English", 0.45), ("Urdu", 0.2), ("Bengali (Sylheti)", 0.15), ("Punjabi", 0.12), ("Gujarati", 0.08)),
            (("APKN", 0.5), ("ABAN", 0.3), ("AIND", 0.17), ("NOBT", 0.03)),
            0.45,
        ),
        0.25,
    ),
    (
        Heritage(
            "eastern_european",
            _groups(
                "Jakub, Kacper, Szymon, Filip, Antoni, Mateusz, Andrei, Luca|Luka, Matas, Lukas|Łukasz,"
                "Darius|Dariusz, Tomasz, Nikola"
            ),
            _groups(
                "Zuzanna, Julia, Maja|Maya, Ioana, Maria, Elena, Emilija, Natalia, Oliwia|Olivia, Amelia, Gabriela,"
                "Aleksandra|Alexandra"
            ),
            _groups(
                "Kowalski|Kowalsky, Nowak|Novak, Wiśniewski|Wisniewski, Wójcik|Wojcik, Lewandowski, Popescu, Ionescu,"
                "Popa, Kazlauskas, Horváth|Horvath, Dvořák|Dvorak, Balog, Novák"
            ),
            (
                ("Polish", 0.4),
                ("Romanian", 0.25),
                ("Lithuanian", 0.1),
                ("Slovak", 0.08),
                ("Romani", 0.07),
                ("English", 0.1),
            ),
            (("WOTH", 0.78), ("WROM", 0.18), ("NOBT", 0.04)),
            0.5,
        ),
        0.10,
    ),
    (
        Heritage(
            "black_african_caribbean",
            _groups(
                "Kwame, Kofi, Tobi, Chidi, Emmanuel, Daniel, Jayden|Jaden, Samuel, David, Elijah, Joshua, Tyrese,"
                "Malachi, Abdirahman|Abdulrahman, Ayodele"
            ),
            _groups(
                "Amara, Chioma, Abena, Precious, Blessing, Shanice, Aaliyah|Aliyah|Aleah, Nia, Esi, Grace, Favour,"
                "Hodan, Ifrah, Deborah|Debora, Tiana"
            ),
            _groups(
                "Okafor, Mensah, Adeyemi, Osei, Boateng, Campbell, Francis, Williams, Clarke, Johnson, Okoye, Abdi,"
                "Mohamud|Mohamoud|Mohamed, Asante, Owusu, Babatunde, Thomas, Henry, Grant, Ogunleye"
            ),
            (("English", 0.5), ("Somali", 0.15), ("Twi", 0.1), ("Yoruba", 0.1), ("Igbo", 0.07), ("Tigrinya", 0.08)),
            (("BAFR", 0.55), ("BCRB", 0.25), ("BOTH", 0.05), ("MWBC", 0.12), ("NOBT", 0.03)),
            0.4,
        ),
        0.10,
    ),
    (
        Heritage(
            "arabic",
            _groups(
                "Omar|Umar, Yusuf|Youssef|Yousef, Ahmad|Ahmed, Khalid|Khaled, Karim|Kareem, Hassan|Hasan,"
                "Mustafa|Mostafa, Ali, Adam, Zaid|Zayd"
            ),
            _groups(
                "Layla|Leila|Laila, Nour|Noor, Mariam|Maryam, Amira, Huda, Rania, Salma, Yasmin|Yasmine, Lina,"
                "Sara|Sarah, Hiba"
            ),
            _groups(
                "Al-Sayed|Al Sayed|Alsayed, El-Masri|Elmasri, Haddad, Nasser|Nasir, Mansour|Mansur,"
                "Al-Rashid|Alrashid, Abdullah, Hassan, Ibrahim, Darwish, Saleh|Salih, Hamdan"
            ),
            (("Arabic", 0.75), ("Kurdish (Sorani)", 0.15), ("English", 0.1)),
            (("OOTH", 0.7), ("AOTH", 0.1), ("WOTH", 0.15), ("NOBT", 0.05)),
            0.6,
        ),
        0.04,
    ),
)
_HERITAGE_LIST = [h for h, _ in HERITAGES]
_HERITAGE_WEIGHTS = [w for _, w in HERITAGES]
MIXED_SHARE = 0.06  # families with parents of two heritages; half give the children a hyphenated surname

STREETS = (
    "Church Street",
    "Station Road",
    "Victoria Street",
    "Park Road",
    "Mill Lane",
    "Oak Road",
    "Beech Avenue",
    "Elm Close",
    "Willow Way",
    "Chestnut Avenue",
    "Cedar Road",
    "Albert Road",
    "Queen Street",
    "King Street",
    "Wellington Street",
    "Grove Road",
    "Crescent Road",
    "North Street",
    "South Road",
    "Hillside Road",
    "Meadow Way",
    "Brook Street",
    "Castle Street",
    "Union Street",
    "Orchard Close",
    "Windmill Road",
)
TOWN = "Luton"
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
SCHOOLS = (
    "Hillside Primary School",
    "Meadowbank Academy",
    "St Anne's Catholic Primary School",
    "Riverside High School",
    "Oakfield Infant School",
    "Northgate Primary School",
    "Parkview Academy",
    "Brookfield Secondary School",
)
LANGUAGE_NEEDS = (
    "Uses Makaton",
    "Non-verbal; uses PECS",
    "Hearing impaired: BSL interpreter",
    "Autistic; needs time to process",
)


# --- what contacts are about ---------------------------------------------------------------------

C = Concern
PRIMARY_CONCERNS: tuple[tuple[Concern, float], ...] = (
    (C.DOMESTIC_ABUSE, 25),
    (C.NEGLECT, 22),
    (C.PHYSICAL_ABUSE, 10),
    (C.EMOTIONAL_ABUSE, 7),
    (C.PARENTAL_MENTAL_HEALTH, 8),
    (C.SUBSTANCE_MISUSE, 6),
    (C.SEXUAL_ABUSE, 4),
    (C.SCHOOL_ABSENCE, 3),
    (C.CSE, 2),
    (C.CCE, 2),
    (C.MISSING, 2),
    (C.SELF_HARM, 2),
    (C.HOUSING, 2),
    (C.GANGS, 1),
    (C.YOUNG_CARER, 1),
    (C.LEARNING_DISABILITY, 1),
    (C.UNACCOMPANIED_ASYLUM_SEEKER, 0.5),
    (C.RADICALISATION, 0.4),
    (C.FGM, 0.3),
    (C.TRAFFICKING, 0.3),
    (C.PRIVATE_FOSTERING, 0.3),
    (C.FAITH_BASED_ABUSE, 0.2),
)
_CONCERN_LIST = [c for c, _ in PRIMARY_CONCERNS]
_CONCERN_WEIGHTS = [w for _, w in PRIMARY_CONCERNS]
COMPANIONS: dict[Concern, tuple[Concern, ...]] = {
    C.DOMESTIC_ABUSE: (C.EMOTIONAL_ABUSE, C.PARENTAL_MENTAL_HEALTH, C.SUBSTANCE_MISUSE),
    C.NEGLECT: (C.HOUSING, C.SUBSTANCE_MISUSE, C.SCHOOL_ABSENCE, C.PARENTAL_MENTAL_HEALTH),
    C.PARENTAL_MENTAL_HEALTH: (C.NEGLECT, C.YOUNG_CARER),
    C.SUBSTANCE_MISUSE: (C.NEGLECT, C.DOMESTIC_ABUSE),
    C.CSE: (C.MISSING, C.SELF_HARM),
    C.CCE: (C.MISSING, C.GANGS),
    C.MISSING: (C.CSE, C.CCE),
    C.PHYSICAL_ABUSE: (C.EMOTIONAL_ABUSE,),
}
# how serious a concern usually is: shifts the level of need up
SEVERITY: dict[Concern, float] = {
    C.SEXUAL_ABUSE: 1.0,
    C.PHYSICAL_ABUSE: 0.7,
    C.TRAFFICKING: 1.0,
    C.FGM: 1.0,
    C.CSE: 0.9,
    C.CCE: 0.7,
    C.DOMESTIC_ABUSE: 0.35,
    C.NEGLECT: 0.3,
    C.RADICALISATION: 0.5,
    C.UNACCOMPANIED_ASYLUM_SEEKER: 0.6,
    C.MISSING: 0.4,
    C.SELF_HARM: 0.3,
    C.FAITH_BASED_ABUSE: 0.6,
    C.GANGS: 0.5,
}

# CIN census referral sources, weighted, per primary concern family
SOURCES_BY_CONCERN: dict[str, tuple[tuple[str, float], ...]] = {
    "police": (("6", 70), ("3E", 6), ("1A", 6), ("2A", 6), ("9", 4), ("5A", 4), ("1D", 4)),
    "school": (("2A", 45), ("2B", 8), ("3C", 8), ("3A", 6), ("1A", 8), ("6", 10), ("5D", 8), ("1C", 3), ("9", 4)),
    "health": (("3B", 20), ("3A", 14), ("3E", 14), ("3F", 14), ("3D", 8), ("2A", 10), ("6", 10), ("1A", 6), ("4", 4)),
    "general": (
        ("6", 20),
        ("2A", 18),
        ("3A", 4),
        ("3B", 4),
        ("3E", 4),
        ("3F", 5),
        ("4", 4),
        ("5A", 6),
        ("5B", 3),
        ("5C", 3),
        ("5D", 5),
        ("1A", 6),
        ("1B", 1),
        ("1C", 1),
        ("1D", 3),
        ("7", 3),
        ("8", 3),
        ("9", 2),
        ("10", 1),
    ),
}
CONCERN_SOURCE_FAMILY: dict[Concern, str] = {
    C.DOMESTIC_ABUSE: "police",
    C.CCE: "police",
    C.GANGS: "police",
    C.MISSING: "police",
    C.TRAFFICKING: "police",
    C.RADICALISATION: "police",
    C.SCHOOL_ABSENCE: "school",
    C.EMOTIONAL_ABUSE: "school",
    C.NEGLECT: "school",
    C.PARENTAL_MENTAL_HEALTH: "health",
    C.SELF_HARM: "health",
    C.SUBSTANCE_MISUSE: "health",
    C.FGM: "health",
}
SOURCE_REFERRER: dict[str, tuple[ReferrerKind, str | None, str | None]] = {
    "1A": (ReferrerKind.FAMILY, None, None),
    "1B": (ReferrerKind.MEMBER_OF_PUBLIC, None, None),
    "1C": (ReferrerKind.SELF, None, None),
    "1D": (ReferrerKind.MEMBER_OF_PUBLIC, None, None),
    "2A": (ReferrerKind.PROFESSIONAL, "Designated safeguarding lead", "school"),
    "2B": (ReferrerKind.PROFESSIONAL, "Education welfare officer", "Education Welfare Service"),
    "3A": (ReferrerKind.PROFESSIONAL, "General practitioner", "Chiltern Vale Medical Centre"),
    "3B": (ReferrerKind.PROFESSIONAL, "Health visitor", "Health Visiting Service"),
    "3C": (ReferrerKind.PROFESSIONAL, "School nurse", "School Nursing Service"),
    "3D": (ReferrerKind.PROFESSIONAL, "Community midwife", "Community Midwifery"),
    "3E": (ReferrerKind.PROFESSIONAL, "Emergency department nurse", "General Hospital Emergency Department"),
    "3F": (ReferrerKind.PROFESSIONAL, "CAMHS practitioner", "Child and Adolescent Mental Health Service"),
    "4": (ReferrerKind.PROFESSIONAL, "Housing officer", "Housing Options Team"),
    "5A": (ReferrerKind.PROFESSIONAL, "Social worker", "Children's Social Care"),
    "5B": (ReferrerKind.PROFESSIONAL, "Youth justice worker", "Youth Justice Service"),
    "5C": (ReferrerKind.PROFESSIONAL, "Duty social worker", "Neighbouring Authority Children's Services"),
    "5D": (ReferrerKind.PROFESSIONAL, "Family support worker", "Early Help Hub"),
    "6": (ReferrerKind.PROFESSIONAL, "Police constable", "Police Public Protection Unit"),
    "7": (ReferrerKind.PROFESSIONAL, "Probation officer", "Probation Service"),
    "8": (ReferrerKind.PROFESSIONAL, "Youth worker", "Town Youth Centre"),
    "9": (ReferrerKind.ANONYMOUS, None, None),
    "10": (ReferrerKind.MEMBER_OF_PUBLIC, None, None),
}
CHANNEL_WEIGHTS: tuple[tuple[Channel, float], ...] = (
    (Channel.PHONE, 34),
    (Channel.EMAIL, 22),
    (Channel.REFERRAL_FORM, 36),
    (Channel.IN_PERSON, 4),
    (Channel.LETTER, 4),
)

NARRATIVES: dict[Concern, tuple[str, ...]] = {
    C.DOMESTIC_ABUSE: (
        "Police attended the family home at {hour} following a 999 call from a neighbour reporting shouting and "
        "banging. {adult} had a visible injury to her face; {child} was present and was crying in the bedroom. "
        "The alleged perpetrator left before officers arrived.",
        "{adult} disclosed to the referrer that her partner has become increasingly controlling, checks her phone "
        "and has threatened to take the children. {child} has told school that 'daddy shouts at mummy'.",
    ),
    C.NEGLECT: (
        "{child} arrives at school hungry most days and in the same unwashed clothes. Attendance is {attendance}% "
        "this term. A home visit found little food in the house and the children's bedroom without bedding.",
        "Health visitor reports {child} has missed two developmental reviews and immunisations. On a visit the home "
        "was cold and cluttered with dog mess on the floor; {adult} appeared overwhelmed.",
    ),
    C.PHYSICAL_ABUSE: (
        "{child} told a teacher that {perp} hit them with a belt last night. A bruise about 4 cm long was seen on "
        "the upper arm. {child} asked the teacher not to tell anyone.",
        "{child} was brought to the emergency department with a spiral fracture; the explanation given by the "
        "carers does not match the injury and the delay in seeking treatment is of concern.",
    ),
    C.SEXUAL_ABUSE: (
        "{child} made a disclosure to a school counsellor about being touched by an adult known to the family. "
        "The disclosure was recorded verbatim and the child is in school today.",
    ),
    C.EMOTIONAL_ABUSE: (
        "School report that {child} is frequently belittled by {adult} at the school gate and is withdrawn and "
        "anxious in class, saying that nobody at home wants them.",
    ),
    C.PARENTAL_MENTAL_HEALTH: (
        "{adult} has been admitted to a mental health ward following a crisis. {child} is being cared for by a "
        "neighbour and there is no agreed plan for the children's care.",
    ),
    C.SUBSTANCE_MISUSE: (
        "{adult} was found under the influence of alcohol while in sole care of {child}; drug paraphernalia "
        "was seen within the child's reach.",
    ),
}
GENERIC_NARRATIVE = (
    "The referrer is worried about {child}: {concern}. The family are {known}. The referrer has spoken to the "
    "family about making this referral."
)
FAMILY_REFERRERS = (
    ("maternal grandmother", True),
    ("paternal grandmother", True),
    ("aunt", True),
    ("uncle", False),
    ("father (not living with the children)", False),
)
WHEREABOUTS = (
    "At school today",
    "At home with mother",
    "At nursery",
    "With maternal grandmother",
    "At home",
    "In hospital (paediatric ward)",
    "Not known",
    "With a family friend overnight",
)
REQUEST_QUESTIONS = {
    "POLICE": "Any police contact with the household, domestic abuse call-outs, or intelligence on the adults?",
    "HEALTH": "GP and health visiting involvement, missed appointments, any health concerns for the children?",
    "EDUCATION": "Attendance, presentation and any safeguarding concerns held by the school?",
    "PROBATION": "Is any adult in the household known to probation, and what risk do they pose to children?",
    "HOUSING": "Housing history, tenancy issues, temporary accommodation or reports of overcrowding?",
    "DA_SERVICE": "Is the adult victim known to the domestic abuse service, and is there a current safety plan?",
    "EARLY_HELP": "Any early help involvement with the family, and what was the outcome?",
}
RETURN_SUMMARIES = {
    "POLICE": (
        "Three domestic abuse call-outs in the last 12 months, one with a DASH of medium risk. The alleged "
        "perpetrator has a caution for assault (2021).",
        "One call-out for a verbal argument two years ago; no offences recorded against either adult.",
    ),
    "HEALTH": (
        "Missed the 2-year review and MMR booster. GP notes maternal low mood, on medication since last year.",
        "Children registered with the GP, immunisations up to date, no concerns on file.",
    ),
    "EDUCATION": (
        "Attendance 82% this year with unexplained absences on Mondays. Child often hungry; school provides breakfast.",
        "Good attendance; child presents well and no concerns have been logged by the school.",
    ),
    "PROBATION": (
        "Partner is subject to a community order for a domestic abuse related offence; assessed medium risk.",
    ),
    "HOUSING": (
        "Family placed in temporary accommodation (one room) after eviction; on the housing register, band B.",
        "Secure social tenancy; rent arrears of £1,200 and a notice seeking possession served.",
    ),
    "DA_SERVICE": ("Known to the IDVA service in 2023; safety plan in place, victim re-engaged this month.",),
    "EARLY_HELP": ("Family had a family support worker for 6 months in 2024; case closed with needs met.",),
}
RATIONALES: dict[Outcome, str] = {
    Outcome.NFA: "No safeguarding concerns found after checks; universal services meet the family's needs.",
    Outcome.ADVICE_SIGNPOST: "Universal services can meet the needs; referrer advised, family signposted to support.",
    Outcome.EARLY_HELP: "Additional needs that a family support plan can meet; parents agree to early help support.",
    Outcome.SINGLE_AGENCY: "One agency is best placed to meet the need; health visiting will increase contact.",
    Outcome.CFA_S17: "Cumulative concerns suggest the child may be in need; a child and family assessment is required.",
    Outcome.STRATEGY_S47: "Reasonable cause to suspect significant harm; strategy discussion with police and health.",
    Outcome.EMERGENCY_PROTECTION: "Child at immediate risk of significant harm; police protection used, EPO to follow.",
    Outcome.TRANSFER_OTHER_LA: "The family now live in a neighbouring authority; transferred to their front door.",
    Outcome.PASS_TO_ALLOCATED_WORKER: "Open case: information passed to the allocated worker's team.",
    Outcome.MARAC: "High-risk domestic abuse; referral to MARAC using the DASH answers, child safeguarding continues.",
    Outcome.LADO: "Allegation against a person who works with children; referred to the LADO under the procedures.",
}
RETURN_COMMENTS = (
    "Please reconsider the level of need: the history of domestic abuse and the age of the children suggest level 3.",
    "The rationale does not address the father's role; add what police checks found before I can authorise.",
    "Consent position unclear for the health check; record it properly and resubmit.",
    "Please include the child's own views and school's information before we decide on early help.",
)
REJECTION_REASONS = (
    "Threshold for assessment not met on the information given; suggest early help instead.",
    "The family moved out of the area last month; please redirect to the neighbouring authority.",
    "Already open to another team for the older sibling; please pass to them.",
    "Insufficient information to start the assessment: no consent position recorded for the father.",
)
CASE_NOTES = (
    "Spoke to the referrer to clarify the timeline; no new information.",
    "Called mother, no answer; left a voicemail asking her to call the MASH.",
    "Discussed with police colleague in the hub; intelligence check requested.",
    "Interpreter booked for the call with mother tomorrow morning.",
    "School confirmed the child attended today and appeared well.",
    "Strategy discussion considered; manager consulted and agreed to continue checks.",
)
OVERSIGHT_NOTES = (
    "Management oversight: agree with the RAG rating and the checks requested; decision due today.",
    "Management oversight: this is now overdue; prioritise the decision and escalate any late agency returns.",
    "Management oversight: consent override is proportionate and lawful (risk to the child if sought).",
    "Management oversight: re-referral within 12 months; consider the cumulative history before deciding.",
)
HOUSING_NOTES = {
    "temporary": "Placed in temporary accommodation by the council after eviction; one room shared by the family.",
    "overcrowded": "Two-bedroom flat shared by {people} people; children share a bed.",
    "homeless": "No fixed abode: sofa-surfing between relatives after fleeing domestic abuse.",
}


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


@dataclass(slots=True)
class _Slot:
    """One contact before it is cast: when it arrived and where it should end up."""

    received_at: datetime
    status: ContactStatus
    story: _StoryContact | None = None
    forced: frozenset[str] = frozenset()  # features the first slot of its kind must show


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
        team_names = {team_id: name for name, team_id in teams.items()}
        self.team_worker = {
            team_id: users[TEAM_WORKER[name]] for team_id, name in team_names.items() if name in TEAM_WORKER
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
        must_hand_off = self.status in (S.AWAITING_ACCEPTANCE, S.ACCEPTED) or "rejected" in self.forced
        if must_hand_off and not open_case_route and not any(needs_hand_off(o) for _, o, _ in outcomes):
            outcomes = [(3, Outcome.CFA_S17, self.primary_need(3, Outcome.CFA_S17, concerns))] * len(named)
        needs = any(needs_hand_off(o) for _, o, _ in outcomes)
        team_name = self.receiving_team([o for _, o, _ in outcomes]) if needs else None
        if story is None and team_name == "Assessment Team" and any(p.disability for p in named) and rng.random() < 0.5:
            team_name = "Children in Need Team"
        consent_status, override = self.consent_kind(sharing_needed=needs or open_case_route)
        sharing = consent_status is ConsentStatus.GIVEN or override

        adults = self.contact_adults(family, named, concerns, t_log)
        household_id = self.household(family, [p.id for p in named] + [a.person.id for a, _, _ in adults], t_log)

        # -- the steps, squeezed if need be so that the last one is before `limit` --
        requested: list[str] = []
        returned_once = False
        if open_case_route:
            # an open-case contact waiting to be passed on has its consent recorded half the time (always in a story)
            waiting = 2 if story is not None or rng.random() < 0.5 else 1
            target = {S.RECEIVED: waiting, S.AWAITING_ACCEPTANCE: 3, S.ACCEPTED: 4, S.CLOSED: 5}
            chain = [
                ("consent", rng.uniform(10, 240)),
                ("handoff", rng.uniform(5, 120)),
                ("accept", self.accept_minutes()),
                ("close", rng.uniform(60, 4320)),
            ][: target[self.status] - 1]
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
            scope = [*requested, *([TEAM_AGENCY[team_name]] if team_name else [])]
            self.consent_row(consent_status, override, family, named, times["consent"], worker, manager, scope)
        if requested and "request" in times:
            self.agency_requests(requested, times, rag_due, worker)
        link_ids = [b.next_id("contact_child") for _ in named]
        final: list[tuple[int | None, str | None, str | None]] = [(None, None, None)] * len(named)
        decided_at: datetime | None = None
        sent: list[tuple[int, datetime, str | None]] = []
        if open_case_route:
            assert open_case_team is not None
            if "handoff" in times:
                decided_at = times["handoff"]
                final = [(None, Outcome.PASS_TO_ALLOCATED_WORKER.value, None)] * len(named)
                sent.append((open_case_team, times["handoff"], "Open case: passed to the allocated worker's team."))
        else:
            decided_at = self.decisions(link_ids, outcomes, times, worker, manager, returned_once)
            if decided_at is not None:
                final = [(level, outcome.value, need) for level, outcome, need in outcomes]
            if team_name is not None and "handoff" in times:
                note = (
                    "Strategy discussion held; please allocate today." if team_name == "Child Protection Team" else None
                )
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
            b.rows["person_alias"].append((b.next_id("person_alias"), person.id, given, surname, b.ts(t_log)))

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
            contact_adult.append(
                (self.cid, adult.person.id, adult.relationship, adult.parental_responsibility, perpetrator, in_contact)
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


# --- loading ---------------------------------------------------------------------------------------

# The columns each planned row fills, in the order the builder writes them (a test holds these
# equal to the models, so a new column is noticed here and not lost).
COLUMNS: dict[str, tuple[str, ...]] = {
    "household": (
        "id",
        "address_line1",
        "address_line2",
        "town",
        "postcode",
        "tenure",
        "temporary_accommodation",
        "overcrowded",
        "homeless",
        "housing_notes",
        "created_at",
    ),
    "person": (
        "id",
        "kind",
        "given_names",
        "family_name",
        "given_names_norm",
        "family_name_norm",
        "date_of_birth",
        "expected_date_of_birth",
        "gender",
        "ethnicity_code",
        "nhs_number",
        "upn",
        "local_child_id",
        "disability",
        "first_language",
        "interpreter_needed",
        "communication_needs",
        "allocated_team_id",
        "allocated_worker_id",
        "case_open",
        "case_closed_on",
        "created_at",
        "version",
    ),
    "person_name_key": ("person_id", "key"),
    "person_alias": ("id", "person_id", "given_names", "family_name", "recorded_at"),
    "household_member": ("household_id", "person_id"),
    "relationship": (
        "id",
        "child_id",
        "adult_id",
        "kind",
        "parental_responsibility",
        "alleged_perpetrator",
        "in_contact_with_child",
        "recorded_at",
    ),
    "contact": (
        "id",
        "reference",
        "received_at",
        "recorded_at",
        "channel",
        "referral_source",
        "referrer_kind",
        "referrer_name",
        "referrer_role",
        "referrer_agency",
        "referrer_phone",
        "referrer_email",
        "referrer_relationship",
        "referrer_first_hand",
        "referrer_anonymity_requested",
        "narrative",
        "whereabouts",
        "immediate_danger",
        "household_id",
        "status",
        "rag",
        "rag_due_at",
        "decision_due_at",
        "assigned_to_id",
        "team_id",
        "open_case_team_id",
        "re_referral",
        "created_by_id",
        "updated_at",
        "updated_by_id",
        "decided_at",
        "closed_at",
        "version",
    ),
    "contact_concern": ("contact_id", "concern"),
    "contact_child": ("id", "contact_id", "person_id", "level_of_need", "outcome", "primary_need"),
    "contact_adult": (
        "contact_id",
        "person_id",
        "relationship_to_children",
        "parental_responsibility",
        "alleged_perpetrator",
        "in_contact_with_child",
    ),
    "consent_decision": (
        "id",
        "contact_id",
        "status",
        "given_by_name",
        "given_by_relationship",
        "given_by_has_pr",
        "obtained_on",
        "method",
        "scope",
        "parent_aware",
        "parent_not_aware_reason",
        "child_views",
        "override",
        "override_basis",
        "override_reason",
        "override_authorised_by_id",
        "recorded_by_id",
        "recorded_at",
        "corrects_id",
    ),
    "rag_rating": ("id", "contact_id", "rag", "reason", "due_at", "rated_by_id", "rated_at"),
    "agency_request": (
        "id",
        "contact_id",
        "agency_id",
        "question",
        "requested_by_id",
        "requested_at",
        "due_at",
        "status",
        "returned_at",
        "returned_by_id",
        "summary",
        "nothing_known",
        "confidentiality",
        "withdrawn_reason",
        "version",
    ),
    "threshold_decision": (
        "id",
        "contact_child_id",
        "level_of_need",
        "outcome",
        "primary_need",
        "rationale",
        "status",
        "proposed_by_id",
        "proposed_at",
        "supersedes_id",
    ),
    "authorisation": ("id", "contact_id", "manager_id", "decided_at", "approved", "comments"),
    "hand_off": (
        "id",
        "contact_id",
        "team_id",
        "note",
        "sent_by_id",
        "sent_at",
        "due_at",
        "status",
        "responded_by_id",
        "responded_at",
        "rejection_reason",
    ),
    "case_note": ("id", "contact_id", "person_id", "kind", "text", "author_id", "written_at", "corrects_id"),
    "dash_assessment": (
        "id",
        "contact_id",
        "victim_id",
        "answers",
        "yes_count",
        "level",
        "professional_judgement",
        "judgement_reason",
        "marac_referral",
        "assessed_by_id",
        "assessed_at",
    ),
    "gcp_assessment": (
        "id",
        "contact_id",
        "child_id",
        "physical_care",
        "safety",
        "love_and_belonging",
        "esteem",
        "carer_consent",
        "targets",
        "review_on",
        "assessor_id",
        "assessed_at",
    ),
    "audit_event": ("id", "at", "actor_id", "actor_login", "action", "entity", "entity_id", "contact_id", "detail"),
}
ID_TABLES = tuple(table for table, columns in COLUMNS.items() if columns[0] == "id")


class _Loader:
    """Writes planned rows in one transaction, with secondary indexes and constraints rebuilt after.

    Dropping and rebuilding is several times faster than maintaining them row by row, and on
    PostgreSQL re-adding each foreign key validates every loaded row in one pass. The DDL is
    transactional on both databases, so an interrupted load leaves the schema and data as they were.
    """

    def __init__(self, db: Database, conn: Connection) -> None:
        self.db = db
        self.conn = conn
        self.postgresql = db.is_postgresql
        self.quote = conn.dialect.identifier_preparer.quote
        self.rebuild: list[str] = []
        self.rows = 0
        # PostgreSQL: chunks queue up for the COPY worker (a few chunks at most, to bound memory)
        self.outbox: queue.Queue[tuple[str, list[Row]] | None] = queue.Queue(maxsize=3 * len(COLUMNS))
        self.sender: threading.Thread | None = None
        self.failure: BaseException | None = None
        self.abandoned = False

    def drop_constraints(self) -> None:
        tables = list(COLUMNS)
        if self.postgresql:
            found = self.conn.execute(
                text(
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                    "WHERE contype IN ('f', 'u') AND conrelid = ANY(CAST(:tables AS regclass[])) "
                    "ORDER BY contype, conrelid::regclass::text, conname"
                ),
                {"tables": tables},
            ).all()
            indexes = self.conn.execute(
                text(
                    "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
                    "WHERE indrelid = ANY(CAST(:tables AS regclass[])) AND NOT indisprimary "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                    "ORDER BY 1"
                ),
                {"tables": tables},
            ).all()
            for table, name, _definition, _kind in found:  # foreign keys ('f') sort before unique ('u')
                self.conn.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {self.quote(name)}")
            for name, definition in indexes:
                self.conn.exec_driver_sql(f"DROP INDEX {name}")
                self.rebuild.append(definition)
            # unique constraints first (nothing refers to them), then the foreign keys, validated
            for table, name, definition, _kind in sorted(found, key=lambda row: row[3] != "u"):
                self.rebuild.append(f"ALTER TABLE {table} ADD CONSTRAINT {self.quote(name)} {definition}")
        else:
            placeholders = ", ".join(f"'{table}'" for table in tables)
            query = (
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
                f"AND tbl_name IN ({placeholders}) ORDER BY name"
            )
            indexes = self.conn.exec_driver_sql(query).all()
            for name, definition in indexes:
                self.conn.exec_driver_sql(f"DROP INDEX {self.quote(name)}")
                self.rebuild.append(definition)

    def write(self, table: str, rows: list[Row]) -> None:
        """Write rows; on PostgreSQL a background thread sends them, so the server works while we plan."""
        if not rows:
            return
        self.rows += len(rows)
        if not self.postgresql:
            columns = COLUMNS[table]
            names = ", ".join(self.quote(column) for column in columns)
            marks = ", ".join("?" * len(columns))
            statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - our own names; values bound
            self.conn.exec_driver_sql(statement, cast(Any, rows))
            return
        if self.sender is None:
            self.sender = threading.Thread(target=self._send, name="demo-copy", daemon=True)
            self.sender.start()
        if self.failure is not None:
            raise self.failure
        self.outbox.put((table, rows))

    def _send(self) -> None:
        """The COPY worker: the only user of the connection while the load runs."""
        raw = cast(Any, self.conn.connection.driver_connection)
        while True:
            item = self.outbox.get()
            try:
                if item is None:
                    return
                if self.failure is not None or self.abandoned:
                    continue  # drain what is queued so the planner never blocks; the error is raised there
                table, rows = item
                names = ", ".join(self.quote(column) for column in COLUMNS[table])
                with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            except BaseException as exc:
                self.failure = exc
            finally:
                self.outbox.task_done()

    def drain(self) -> None:
        """Wait until every queued row is in the database; raise what the COPY worker met, if anything."""
        if self.sender is not None:
            self.outbox.put(None)
            self.sender.join()
            self.sender = None
        if self.failure is not None:
            raise self.failure

    def abandon(self) -> None:
        """Stop the COPY worker without sending what is still queued (the load failed elsewhere)."""
        self.abandoned = True
        if self.sender is not None:
            self.outbox.put(None)
            self.sender.join()
            self.sender = None

    def finish(self, report: Progress) -> None:
        """Rebuild what was dropped, move the id sequences past the new rows, refresh planner statistics."""
        self.drain()
        for done, statement in enumerate(self.rebuild, start=1):
            report("rebuilding indexes and checking links", done - 1, len(self.rebuild))
            self.conn.exec_driver_sql(statement)
        report("rebuilding indexes and checking links", len(self.rebuild), len(self.rebuild))
        if self.postgresql:
            for table in ID_TABLES:
                self.conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence(:table, 'id'), (SELECT max(id) FROM {table}))"),  # noqa: S608
                    {"table": table},
                )
            for table in COLUMNS:
                self.conn.exec_driver_sql(f"ANALYZE {table}")
        else:
            self.conn.exec_driver_sql("ANALYZE")


def _insert_sql(table: str) -> str:
    columns = COLUMNS[table]
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - our own names; values bound


SQLITE_INDEXES = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
    "AND tbl_name IN (SELECT value FROM json_each(?)) ORDER BY name"
)


def _sqlite_writer(path: str, inbox: Any, outbox: Any) -> None:
    """The SQLite writer process: one connection and one transaction, fed row chunks by the planner.

    SQLite inserts are CPU work in the writing process, so writing in a second process lets the
    planner and the database use both cores. Foreign keys are not checked row by row (rows arrive
    people-last, consistent by construction); secondary indexes are rebuilt before the commit.
    """
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA cache_size=-262144")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        rebuild = []
        for name, definition in conn.execute(SQLITE_INDEXES, (json.dumps(list(COLUMNS)),)).fetchall():
            conn.execute(f'DROP INDEX "{name}"')
            rebuild.append(definition)
        outbox.put(("ready",))
        while True:
            message = inbox.get()
            if message[0] == "rows":
                conn.executemany(_insert_sql(message[1]), message[2])
            elif message[0] == "abort":
                conn.execute("ROLLBACK")
                outbox.put(("aborted",))
                return
            else:
                for done, definition in enumerate(rebuild):
                    outbox.put(("progress", done, len(rebuild)))
                    conn.execute(definition)
                conn.execute("ANALYZE")
                conn.execute("COMMIT")
                outbox.put(("done",))
                return
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        outbox.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class _ProcessLoader(_Loader):
    """The SQLite load, written by a second process (see ``_sqlite_writer``) while this one plans."""

    def __init__(self, db: Database) -> None:
        self.postgresql = False
        self.rows = 0
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited connections
        self.inbox: Any = context.Queue(maxsize=2 * len(COLUMNS))
        self.outbox: Any = context.Queue()
        self.process = context.Process(
            target=_sqlite_writer, args=(str(db.url.database), self.inbox, self.outbox), name="demo-sqlite-writer"
        )
        self.process.start()
        self._expect("ready")

    def _expect(self, kind: str, report: Progress | None = None) -> None:
        while True:
            try:
                message = self.outbox.get(timeout=1)
            except queue.Empty:
                if not self.process.is_alive():
                    raise DatabaseUnavailable("The demo writer stopped unexpectedly; nothing was saved.") from None
                continue
            if message[0] == "progress" and report is not None:
                report("rebuilding indexes and checking links", message[1], message[2])
            elif message[0] == "error":
                self.process.join()
                raise DatabaseUnavailable(f"The demo data could not be written ({message[1]}); nothing was saved.")
            elif message[0] == kind:
                return

    def write(self, table: str, rows: list[Row]) -> None:
        if not rows:
            return
        self.rows += len(rows)
        while True:
            try:
                self.inbox.put(("rows", table, rows), timeout=1)
            except queue.Full:
                if not self.process.is_alive():
                    self._expect("done")  # raises the writer's error
            else:
                return

    def finish(self, report: Progress) -> None:
        self.inbox.put(("finish",))
        self._expect("done", report)
        report("rebuilding indexes and checking links", 1, 1)
        self.process.join()

    def abandon(self) -> None:
        if self.process.is_alive():
            self.inbox.put(("abort",))
            self.process.join(timeout=60)
            if self.process.is_alive():
                self.process.terminate()


@contextmanager
def _loading(db: Database, contacts: int) -> Iterator[_Loader]:
    """A connection and one transaction for the bulk load, set up for speed and put back afterwards."""
    with translate_errors(), db.engine.connect() as conn:
        raw = cast(Any, conn.connection.dbapi_connection)
        if db.is_postgresql:
            with conn.begin():
                conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
                conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
                loader = _Loader(db, conn)
                loader.drop_constraints()
                try:
                    yield loader
                except BaseException:
                    loader.abandon()  # the COPY worker lets go of the connection before the rollback
                    raise
            return
        if contacts >= WRITER_PROCESS_FROM and db.url.database and db.url.database != ":memory:":
            conn.close()  # the writer process takes the database's write lock from here
            process_loader = _ProcessLoader(db)
            try:
                yield process_loader
            except BaseException:
                process_loader.abandon()
                raise
            return
        # A small demo (or an in-memory database) is written here, foreign key checks off for the
        # load (the rows are consistent by construction and arrive people-last).
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("PRAGMA cache_size=-262144")
        try:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                loader = _Loader(db, conn)
                loader.drop_constraints()
                yield loader
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
            raw.execute("PRAGMA cache_size=-2000")


# --- the hub's staff -------------------------------------------------------------------------------


def _ensure_staff(db: Database, report: Progress) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Teams and demo logins through ``services.admin`` (so PostgreSQL login roles exist); existing ones are kept."""
    with db.session() as session:
        existing = lookup(session, select(User.username, User.role))
        team_names = set(session.scalars(select(Team.name)))
    acting: str | None = "admin" if existing.get("admin") is Role.ADMIN else None
    if acting is None:
        acting = next((name for name, role in sorted(existing.items()) if role is Role.ADMIN), None)
    total = len(TEAMS) + len(STAFF)
    done = 0
    first = STAFF[0]
    if first.username not in existing:
        admin.add_user(
            db,
            acting,
            username=first.username,
            display_name=first.display_name,
            role=first.role,
            agency_code=first.agency,
            job_title=first.job_title,
        )
        acting = first.username
    if acting is None:
        raise InvalidInput.single("users", "The database has users but no administrator to add the demo staff.")
    for name, kind, agency in TEAMS:
        if name not in team_names:
            admin.add_team(
                ServiceContext(db, acting), name, kind, agency, phone="01632 960100", email="mash@example.gov.uk"
            )
        done += 1
        report("adding teams and staff", done, total)
    for member in STAFF[1:]:
        if member.username not in existing:
            _add_member(db, acting, member)
        done += 1
        report("adding teams and staff", done, total)
    with db.session() as session:
        users = lookup(session, select(User.username, User.id))
        teams = lookup(session, select(Team.name, Team.id))
        agencies = lookup(session, select(Agency.code, Agency.id))
    return users, teams, agencies


def _add_member(db: Database, acting: str, member: StaffMember) -> None:
    """Add one demo login; on PostgreSQL retry once if another database's demo created the same
    cluster-wide role at the same moment (add_user then finds the role and only grants it)."""
    for attempt in range(2):
        try:
            admin.add_user(
                db,
                acting,
                username=member.username,
                display_name=member.display_name,
                role=member.role,
                agency_code=member.agency,
                team_name=member.team,
                job_title=member.job_title,
                phone="01632 960200",
                email=f"{member.username.replace('_', '.')}@example.gov.uk",
                gcp_licensed=member.gcp_licensed,
            )
        except DBAPIError:
            if not db.is_postgresql or attempt:
                raise
        else:
            return


# --- the entry point -------------------------------------------------------------------------------


def demo_now(now: datetime | None = None) -> datetime:
    """The moment the demo is built around: ``now`` as given (in UTC), else this hour, to the hour."""
    if now is None:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("the demo's now must be timezone-aware")
    return now.astimezone(UTC)


def _silent(_stage: str, _done: int, _total: int) -> None:
    """No progress output."""


def generate_demo(
    db: Database,
    *,
    contacts: int,
    seed: int,
    skip_if_present: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> DemoSummary:
    """Set the database up and fill it with ``contacts`` synthetic contacts; see the module docstring.

    Refuses (``InvalidInput`` on ``contacts``) a database that already has contacts, unless
    ``skip_if_present``, when it returns a summary saying nothing was added.
    """
    if contacts < 1:
        raise InvalidInput.single("contacts", "Ask for at least one contact.")
    report = progress or _silent
    started = time.perf_counter()
    moment = demo_now(now)
    report("preparing the database", 0, 1)
    admin.prepare_database(db)
    report("preparing the database", 1, 1)
    with db.session() as session:
        existing = session.scalar(select(func.count(Contact.id))) or 0
    if existing:
        if skip_if_present:
            return DemoSummary(added=False, contacts=0, existing_contacts=existing, seed=seed, now=moment)
        raise InvalidInput.single(
            "contacts",
            f"This database already has {existing:,} contacts. Demo data only goes into an empty database "
            "(or use --skip-if-present to leave it as it is).",
        )
    users, teams, agencies = _ensure_staff(db, report)
    with db.session() as session:
        policy = load_policy(session)
        base_ids = {
            table: int(session.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar_one())  # noqa: S608
            for table in ID_TABLES
        }
    builder = _Builder(
        rng=random.Random(seed),
        now=moment,
        backend=db.dialect,
        policy=policy,
        users=users,
        teams=teams,
        agencies=agencies,
        base_ids=base_ids,
    )
    slots = builder.plan_slots(contacts)
    with _loading(db, contacts) as loader:
        for index, slot in enumerate(slots, start=1):
            builder.contact(slot, base_ids["contact"] + index)
            if index % CHUNK_CONTACTS == 0 or index == len(slots):
                _flush(builder, loader)
                report("adding contacts", index, len(slots))
        people = builder.people
        for start in range(0, len(people), CHUNK_CONTACTS * 4):
            loader.write("person", [_person_row(builder, p) for p in people[start : start + CHUNK_CONTACTS * 4]])
            report("adding people", min(start + CHUNK_CONTACTS * 4, len(people)), len(people))
        detail = json.dumps({"contacts": contacts, "now": moment.isoformat(), "seed": seed}, sort_keys=True)
        loader.write(
            "audit_event",
            [
                (
                    builder.next_id("audit_event"),
                    builder.ts(moment),
                    users["admin"],
                    "admin",
                    "demo.generate",
                    "database",
                    None,
                    None,
                    detail,
                )
            ],
        )
        loader.finish(report)
    counts = builder.counts
    return DemoSummary(
        added=True,
        contacts=len(slots),
        open_contacts=counts["open"],
        overdue_open=counts["overdue"],
        referrals=counts["referrals"],
        re_referrals=counts["re_referrals"],
        children=counts["children"],
        adults=counts["adults"],
        households=builder.ids["household"] - base_ids["household"],
        agency_requests=builder.ids["agency_request"] - base_ids["agency_request"],
        pending_hand_offs=counts["pending_hand_offs"],
        dash_assessments=counts["dash"],
        gcp_assessments=counts["gcp"],
        rows=loader.rows,
        logins=DEMO_LOGINS,
        seed=seed,
        now=moment,
        seconds=time.perf_counter() - started,
    )


def _flush(builder: _Builder, loader: _Loader) -> None:
    for table, rows in builder.rows.items():
        if table != "person" and rows:
            loader.write(table, rows)
            builder.rows[table] = []


def _person_row(b: _Builder, person: _Person) -> Row:
    """A person as they stand now: their allocation is the latest accepted hand-off that allocated them."""
    state = b.allocation_at(person, b.now)
    team = worker = closed_on = None
    case_open = False
    if state is not None:
        team, case_open, closed_on = state
        if case_open:
            worker = max((a for a in person.allocations if a[0] <= b.now), key=lambda a: a[0])[3]
    return (
        person.id,
        person.kind,
        person.given,
        person.family,
        b.norm(person.given),
        b.norm(person.family),
        b.day(person.dob),
        b.day(person.expected),
        person.gender,
        person.ethnicity,
        person.nhs,
        person.upn,
        None,
        person.disability,
        person.first_language,
        person.interpreter,
        person.communication_needs,
        team,
        worker,
        case_open,
        b.day(closed_on),
        b.ts(person.created_at),
        1,
    )


def model_columns() -> dict[str, set[str]]:
    """The models' columns for each table the demo writes (tests compare them with ``COLUMNS``)."""
    return {table: {column.name for column in Base.metadata.tables[table].columns} for table in COLUMNS}
