"""The demo town: its staff, its families' names and streets, and what contacts are about."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from mash_desk.domain.enums import Channel, Concern, ContactStatus, Outcome, Role, TeamKind

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
