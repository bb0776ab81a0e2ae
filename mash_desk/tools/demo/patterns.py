"""Four invented families whose records make each pattern nobody should miss, through the services.

Written after the bulk load, as the people at the front door would have written them (so each row
is what the services write, audit included): a child's third neglect contact in a year, a household's
second domestic abuse notification with no DASH, a family on its third address and now in temporary
accommodation, and a conversation a child interpreted for their mother. The last contact of each is
left unassigned and received, so it sits in the queue with its pattern showing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from mash_desk.domain.enums import (
    Channel,
    Concern,
    ConsentStatus,
    Gender,
    HousingTenure,
    Outcome,
    ParentsAware,
    Rag,
    ReferrerKind,
    RelationshipKind,
    Role,
)
from mash_desk.domain.patterns import Interpreter, PatternKind
from mash_desk.services import decisions, handoffs, intake, screening
from mash_desk.services.context import ServiceContext
from mash_desk.services.drafts import AdultDraft, ChildDraft, ContactDraft, HouseholdDraft, ReferrerDraft
from mash_desk.services.patterns import ConversationInput, record_conversation
from mash_desk.services.screening import ConsentDraft
from mash_desk.store.database import Database
from mash_desk.store.models import ContactAdult, User

EXAMPLE_CONTACTS = 9
"""How many contacts the four families make (3 + 2 + 3 + 1)."""


@dataclass(frozen=True)
class PatternExample:
    kind: PatternKind
    child: str
    reference: str
    """The latest contact: the one that shows the pattern."""


def _home(line1: str, postcode: str, tenure: HousingTenure = HousingTenure.SOCIAL_RENT) -> HouseholdDraft:
    temporary = tenure is HousingTenure.TEMPORARY
    return HouseholdDraft(
        address_line1=line1, town="Luton", postcode=postcode, tenure=tenure, temporary_accommodation=temporary
    )


def _draft(
    received_at: datetime,
    kid: ChildDraft,
    mother: AdultDraft,
    home: HouseholdDraft,
    concerns: set[Concern],
    narrative: str,
    *,
    police: bool = False,
) -> ContactDraft:
    referrer = (
        ReferrerDraft(
            kind=ReferrerKind.PROFESSIONAL,
            name="PC Sara Whitfield",
            role="Public protection officer",
            agency="Bedfordshire Police",
            phone="01632 960412",
            email="public.protection@police.example.org",
        )
        if police
        else ReferrerDraft(
            kind=ReferrerKind.PROFESSIONAL,
            name="Helen Marsh",
            role="Designated safeguarding lead",
            agency="Beech Hill Primary School",
            phone="01632 960217",
            email="safeguarding@beechhill.example.org",
        )
    )
    return ContactDraft(
        parents_aware=ParentsAware.YES,
        received_at=received_at,
        channel=Channel.POLICE_NOTIFICATION if police else Channel.PHONE,
        referral_source="6" if police else "2A",
        referrer=referrer,
        children=[kid],
        adults=[mother],
        household=home,
        concerns=concerns,
        narrative=narrative,
        whereabouts="At home" if police else "At school",
    )


def _series(
    sam: ServiceContext,
    now: datetime,
    kid: ChildDraft,
    mother: AdultDraft,
    visits: list[tuple[int, HouseholdDraft, set[Concern], str]],
    *,
    police: bool = False,
) -> tuple[int, str]:
    """Log one contact per visit (days ago, home, concerns, narrative), the later ones linked to the child."""
    person: int | None = None
    adult: int | None = None
    last = (0, "")
    for position, (days_ago, home, concerns, narrative) in enumerate(visits, start=1):
        child = ChildDraft(**{**kid.__dict__, "existing_person_id": person})
        parent = AdultDraft(**{**mother.__dict__, "existing_person_id": adult})
        received = now - timedelta(days=days_ago)
        logged = intake.log_contact(
            sam.as_user("sam") if position == len(visits) else _at(sam, received + timedelta(minutes=20)),
            _draft(received, child, parent, home, concerns, narrative, police=police),
        )
        person = logged.child_person_ids[0]
        with sam.db.session() as session:
            adult = session.scalar(select(ContactAdult.person_id).where(ContactAdult.contact_id == logged.id))
        if position < len(visits):
            _advised_and_closed(sam, logged.id, person, received)
        last = (logged.id, logged.reference)
    return last


def _at(ctx: ServiceContext, moment: datetime, login: str = "sam") -> ServiceContext:
    return ServiceContext(ctx.db, login, clock=lambda: moment, calendar=ctx.calendar)


def _advised_and_closed(sam: ServiceContext, contact_id: int, child_id: int, received: datetime) -> None:
    """An earlier contact, each on its own below threshold: rated GREEN, advice given, authorised, closed."""
    worker = _at(sam, received + timedelta(hours=2))
    screening.rate(worker, contact_id, Rag.GREEN)
    screening.record_consent(
        worker,
        contact_id,
        ConsentDraft(
            status=ConsentStatus.GIVEN,
            given_by_name="Mother",
            given_by_relationship="mother",
            given_by_has_pr=True,
            obtained_on=received.date(),
            method="by phone",
            all_agencies=True,
            parent_aware=True,
        ),
    )
    decisions.propose_decision(
        worker,
        contact_id,
        decisions.DecisionProposal(
            child_id, 1, Outcome.ADVICE_SIGNPOST, "N9", "Below threshold on its own: advice to the school and family."
        ),
    )
    decisions.submit_for_authorisation(worker, contact_id)
    decisions.authorise(_at(sam, received + timedelta(hours=4), "maria"), contact_id)
    handoffs.close_contact(_at(sam, received + timedelta(hours=5)), contact_id)


def make_pattern_examples(db: Database, now: datetime) -> tuple[PatternExample, ...]:
    """The four families; each one's latest contact shows its pattern (none on a hub without the demo's Sam)."""
    with db.session() as session:
        if session.scalar(select(User.id).where(User.username == "sam", User.role == Role.PRACTITIONER)) is None:
            return ()
    sam = ServiceContext(db, "sam", clock=lambda: now)
    examples: list[PatternExample] = []

    kid = ChildDraft(given_names="Kacper", family_name="Wiśniewski", date_of_birth=date(2018, 6, 2), gender=Gender.MALE)
    mum = AdultDraft(
        given_names="Agnieszka",
        family_name="Wiśniewska",
        relationship=RelationshipKind.MOTHER,
        parental_responsibility=True,
    )
    home = _home("14 Alder Close", "LU4 8QT")
    _id, reference = _series(
        sam,
        now,
        kid,
        mum,
        [
            (290, home, {Concern.NEGLECT}, "Kacper came to school hungry and unwashed three days running."),
            (
                150,
                home,
                {Concern.NEGLECT, Concern.SCHOOL_ABSENCE},
                "Kacper's attendance is down to 81%; head lice untreated.",
            ),
            (1, home, {Concern.NEGLECT}, "Kacper arrived soaked, with no coat in the rain, and no breakfast again."),
        ],
    )
    examples.append(PatternExample(PatternKind.CUMULATIVE_NEGLECT, "Kacper Wiśniewski", reference))

    kid = ChildDraft(given_names="Chloe", family_name="Adeyemi", date_of_birth=date(2016, 9, 14), gender=Gender.FEMALE)
    mum = AdultDraft(
        given_names="Funmi", family_name="Adeyemi", relationship=RelationshipKind.MOTHER, parental_responsibility=True
    )
    home = _home("3 Wardown Crescent", "LU2 7HX")
    _id, reference = _series(
        sam,
        now,
        kid,
        mum,
        [
            (70, home, {Concern.DOMESTIC_ABUSE}, "Police called to a verbal argument; Chloe upstairs at the time."),
            (2, home, {Concern.DOMESTIC_ABUSE}, "Police called again: mother assaulted by her partner; Chloe saw it."),
        ],
        police=True,
    )
    examples.append(PatternExample(PatternKind.REPEATED_DOMESTIC_ABUSE, "Chloe Adeyemi", reference))

    kid = ChildDraft(given_names="Tyler", family_name="Brooks", date_of_birth=date(2019, 2, 11), gender=Gender.MALE)
    mum = AdultDraft(
        given_names="Jade", family_name="Brooks", relationship=RelationshipKind.MOTHER, parental_responsibility=True
    )
    _id, reference = _series(
        sam,
        now,
        kid,
        mum,
        [
            (
                300,
                _home("27 Hart Lane", "LU2 0JE", HousingTenure.PRIVATE_RENT),
                {Concern.HOUSING},
                "Family evicted for arrears; staying with a friend.",
            ),
            (
                130,
                _home("9 Selbourne Road", "LU4 8NU", HousingTenure.WITH_FAMILY_OR_FRIENDS),
                {Concern.HOUSING},
                "Tyler not registered with a GP since the move.",
            ),
            (
                3,
                _home("Room 12, Castle Street Hostel", "LU1 3AJ", HousingTenure.TEMPORARY),
                {Concern.HOUSING, Concern.PARENTAL_MENTAL_HEALTH},
                "Now in a hostel; mother low in mood, nursery place lost.",
            ),
        ],
    )
    examples.append(PatternExample(PatternKind.MOVING_HOUSEHOLD, "Tyler Brooks", reference))

    kid = ChildDraft(given_names="Rahim", family_name="Uddin", date_of_birth=date(2014, 4, 20), gender=Gender.MALE)
    mum = AdultDraft(
        given_names="Shirin",
        family_name="Begum",
        relationship=RelationshipKind.MOTHER,
        parental_responsibility=True,
        first_language="Sylheti",
        interpreter_needed=True,
    )
    contact_id, reference = _series(
        sam,
        now,
        kid,
        mum,
        [
            (
                1,
                _home("41 Beech Road", "LU1 1DP"),
                {Concern.PHYSICAL_ABUSE},
                "Rahim has a bruise on his cheek he says came from his father.",
            )
        ],
    )
    record_conversation(
        sam, contact_id, ConversationInput(now.date(), "Shirin Begum (mother)", Interpreter.CHILD.value, "Sylheti")
    )
    examples.append(PatternExample(PatternKind.FAMILY_INTERPRETER, "Rahim Uddin", reference))
    return tuple(examples)
