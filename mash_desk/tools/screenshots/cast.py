"""A small, fixed cast of contacts for the screenshots, made through the services (never real people).

``tools.demo.generate_demo`` fills the queues; these few contacts make sure each
screen has something particular to show: a contact with returns, proposals and a returned decision,
overdue work, a hand-off waiting for a team, a child who has been referred before, and a contact a
manager has restricted (a staff member's child) that one practitioner broke the glass to read.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from mash_desk.domain.enums import (
    Confidentiality,
    ConsentStatus,
    Gender,
    Outcome,
    OverrideBasis,
    ParentsAware,
    Rag,
    Role,
    TeamKind,
)
from mash_desk.services import admin, decisions, handoffs, intake, notes, restrictions, screening
from mash_desk.services.context import ServiceContext
from mash_desk.services.decisions import DecisionProposal
from mash_desk.services.drafts import ChildDraft, ContactDraft
from mash_desk.services.screening import ConsentDraft
from mash_desk.store.database import Database
from mash_desk.store.models import User
from mash_desk.tools.demo import generate_demo
from mash_desk.tools.screenshots.households import household, referral

TEAMS = (
    ("MASH Team", TeamKind.MASH, "SOCIAL_CARE"),
    ("Assessment Team", TeamKind.ASSESSMENT, "SOCIAL_CARE"),
    ("Early Help Team", TeamKind.EARLY_HELP, "EARLY_HELP"),
)
USERS = (
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
RATIONALE = (
    "Repeated neglect concerns from school with housing stress and a history of domestic abuse; "
    "the children need a child and family assessment."
)


@dataclass(frozen=True)
class Cast:
    """The contacts each screenshot shows."""

    showcase: int
    awaiting_authorisation: int
    handed_off: int
    overdue: int
    restricted: int


def ensure_people(db: Database) -> None:
    """The demo logins and teams, if ``generate_demo`` has not made them already."""
    with db.session() as session:  # on either database: the demo may already have made them
        users = set(session.scalars(select(User.username)))
    if "admin" not in users:
        admin.add_user(db, None, username="admin", display_name="Ada Admin", role=Role.ADMIN, agency_code="SOCIAL_CARE")
    ctx = ServiceContext(db, "admin")
    existing_teams = {name for _id, name, _kind in admin.list_teams(ctx)}
    for name, kind, agency in TEAMS:
        if name not in existing_teams:
            admin.add_team(ctx, name, kind, agency)
    for username, display, role, agency, team in USERS:
        if username not in users:
            admin.add_user(
                db, "admin", username=username, display_name=display, role=role, agency_code=agency, team_name=team
            )


def _draft(
    received: datetime,
    children: list[ChildDraft],
    *,
    narrative: str,
    referrer: str,
    danger: bool = False,
    whereabouts: str = "At school today",
) -> ContactDraft:
    """A contact from ``referrer`` (a key of ``households.referral``) about the first child's family."""
    made_by = referral(referrer)
    family = household(children[-1].family_name or "Hussain")
    return ContactDraft(
        parents_aware=ParentsAware.YES,
        received_at=received,
        channel=made_by.channel,
        referral_source=made_by.source,
        referrer=made_by.referrer,
        children=children,
        adults=family.adults,
        household=family.home,
        concerns=family.concerns,
        narrative=narrative,
        whereabouts=whereabouts,
        immediate_danger=danger,
    )


def _child(given: str, family: str, born: date, gender: Gender, **extra: object) -> ChildDraft:
    child = ChildDraft(given_names=given, family_name=family, date_of_birth=born, gender=gender)
    for key, value in extra.items():
        setattr(child, key, value)
    return child


def build_cast(db: Database, now: datetime) -> Cast:
    """Log and work the screenshot contacts as the demo people would."""
    ensure_people(db)
    sam, maria, mark = (ServiceContext(db, who) for who in ("sam", "maria", "mark"))
    police, health, ava = (ServiceContext(db, who) for who in ("pc_jones", "hv_okafor", "ava"))

    # a child referred before, so the re-referral flag and the matches panel have something to say
    earlier = intake.log_contact(
        sam,
        _draft(
            now - timedelta(days=40),
            [_child("Amira", "Hussain", date(2019, 5, 4), Gender.FEMALE, nhs_number="943 476 5919")],
            narrative="The school nurse saw bruising on Amira's arm; her mother said she fell in the park.",
            referrer="school_nurse",
        ),
    )
    amira = earlier.child_person_ids[0]

    showcase = intake.log_contact(
        sam,
        _draft(
            now - timedelta(hours=3),
            [
                ChildDraft(existing_person_id=amira),
                _child(
                    "Yusuf", "Hussain", date(2016, 11, 20), Gender.MALE, first_language="Urdu", interpreter_needed=True
                ),
            ],
            narrative=(
                "Both children arrive hungry most days, in the same clothes, and Yusuf has missed 9 days this "
                "half term. Amira told her teacher that 'Omar shouts and Mum cries'. The family moved into "
                "temporary accommodation in January."
            ),
            referrer="school",
        ),
    )
    screening.rate(sam, showcase.id, Rag.AMBER)
    screening.rate(sam, showcase.id, Rag.RED, "Amira's disclosure suggests domestic abuse in the home now.")
    screening.record_consent(
        sam,
        showcase.id,
        ConsentDraft(
            status=ConsentStatus.GIVEN,
            given_by_name="Layla Hussain",
            given_by_relationship="mother",
            given_by_has_pr=True,
            obtained_on=now.date(),
            method="by phone",
            scope=["POLICE", "HEALTH", "EDUCATION"],
            parent_aware=True,
            child_views="Amira says she likes school and wants Mum to be happy.",
        ),
    )
    health_request, police_request = screening.request_agency_checks(
        sam, showcase.id, ["POLICE", "HEALTH"], "Any domestic abuse call-outs or health concerns for this family?"
    )
    screening.record_agency_return(
        police,
        police_request,
        summary="Two domestic abuse call-outs to the address in 2025; Omar Malik cautioned.",
        nothing_known=False,
    )
    screening.record_agency_return(
        health,
        health_request,
        summary="Missed immunisations for Yusuf; mother's mental health referral.",
        nothing_known=False,
        confidentiality=Confidentiality.RESTRICTED,
    )
    for person_id in showcase.child_person_ids:
        decisions.propose_decision(sam, showcase.id, DecisionProposal(person_id, 3, Outcome.CFA_S17, "N1", RATIONALE))
    decisions.submit_for_authorisation(sam, showcase.id)
    decisions.return_decision(maria, showcase.id, "Consider a strategy discussion given the police history.")
    notes.add_note(sam, showcase.id, "Spoke to the school nurse: Amira was seen crying in the toilets on Monday.")

    waiting = intake.log_contact(
        sam,
        _draft(
            now - timedelta(hours=20),
            [_child("Tomasz", "Kowalski", date(2014, 2, 11), Gender.MALE)],
            narrative="Tomasz says there is no food at home and his father sleeps all day.",
            referrer="gp",
        ),
    )
    screening.rate(sam, waiting.id, Rag.AMBER)
    screening.record_consent(
        sam,
        waiting.id,
        ConsentDraft(
            status=ConsentStatus.GIVEN,
            given_by_name="Piotr Kowalski",
            obtained_on=now.date(),
            method="in person",
            all_agencies=True,
        ),
    )
    decisions.propose_decision(
        sam,
        waiting.id,
        DecisionProposal(
            waiting.child_person_ids[0],
            2,
            Outcome.EARLY_HELP,
            "N7",
            "Low income and parental fatigue; early help can offer family support and food bank referral.",
        ),
    )
    decisions.submit_for_authorisation(sam, waiting.id)

    handed = intake.log_contact(
        sam,
        _draft(
            now - timedelta(hours=26),
            [_child("Grace", "Adeyemi", date(2012, 8, 30), Gender.FEMALE)],
            narrative="Grace disclosed that her stepfather hit her with a belt last night.",
            danger=True,
            referrer="police",
            whereabouts="At home with her mother; the stepfather has been arrested",
        ),
    )
    screening.rate(sam, handed.id, Rag.RED)
    screening.record_consent(
        sam,
        handed.id,
        ConsentDraft(
            status=ConsentStatus.GIVEN,
            given_by_name="Funmi Adeyemi",
            obtained_on=now.date(),
            method="in person",
            all_agencies=True,
        ),
    )
    decisions.propose_decision(
        sam, handed.id, DecisionProposal(handed.child_person_ids[0], 4, Outcome.STRATEGY_S47, "N1", RATIONALE)
    )
    decisions.submit_for_authorisation(sam, handed.id)
    decisions.authorise(mark, handed.id, "Agreed: strategy discussion today.")
    teams = {team.name: team.id for team in handoffs.receiving_teams(sam)}
    handoffs.hand_off(sam, handed.id, teams["Assessment Team"], "Strategy discussion booked for 3pm.")
    del ava

    overdue = intake.log_contact(
        sam,
        _draft(
            now - timedelta(hours=7),
            [_child("Leo", "Brennan", date(2020, 1, 9), Gender.MALE)],
            narrative="Neighbour reports Leo left alone in the flat overnight, crying.",
            danger=True,
            referrer="neighbour",
            whereabouts="Not known: the neighbour last saw him at the window at 7am",
        ),
    )
    screening.rate(sam, overdue.id, Rag.RED)
    screening.record_consent(
        maria,  # sharing without consent: the authorising manager records it in person
        overdue.id,
        ConsentDraft(
            status=ConsentStatus.NOT_SOUGHT,
            parent_aware=False,
            parent_not_aware_reason="Mother not contactable; the child may be alone now.",
            override=True,
            override_basis=OverrideBasis.PUBLIC_TASK_SAFEGUARDING,
            override_reason="A young child may be left alone: seeking consent would delay protecting him.",
            override_authorised_by="maria",
        ),
    )
    screening.request_agency_checks(sam, overdue.id, ["POLICE", "HEALTH"], "Is anything known about this address?")
    for index, (given, family, born, gender, referrer, narrative) in enumerate(
        (
            (
                "Mia",
                "Novak",
                date(2017, 3, 3),
                Gender.FEMALE,
                "school",
                "Mia has missed 14 days this term; her "
                "mother says she is needed at home to look after her baby brother.",
            ),
            (
                "Noah",
                "Clarke",
                date(2015, 6, 21),
                Gender.MALE,
                "gp",
                "Noah's grandmother, who cares for him, told the GP that his mother is using again and wants him back.",
            ),
            (
                "Zara",
                "Ahmed",
                date(2011, 12, 1),
                Gender.NOT_KNOWN,
                "other_la",
                "Zara moved here from Bedford last month; she was on a child in need plan there for self-harm.",
            ),
        )
    ):
        intake.log_contact(
            ServiceContext(db, "bea"),
            _draft(
                now - timedelta(hours=2 + index * 9),
                [_child(given, family, born, gender)],
                narrative=narrative,
                referrer=referrer,
            ),
        )
    restricted = intake.log_contact(
        sam,
        _draft(
            now - timedelta(hours=5),
            [_child("Ella", "Whitfield", date(2019, 9, 14), Gender.FEMALE)],
            narrative="Ella told a dinner lady that her stepfather locks her in her room when he has been drinking.",
            referrer="infant_school",
        ),
    )
    # unrated and unassigned: nobody's case yet, so Sam, like everyone but Maria, must break the glass
    restrictions.restrict_record(
        maria,
        contact_id=restricted.id,
        reason="Ella's mother works in our children's services: the staff-member's child protocol applies.",
    )
    restrictions.break_glass(
        ServiceContext(db, "priya"),
        contact_id=restricted.id,
        reason="Duty worker: the police are on the phone about a call-out to this address tonight.",
    )
    # one child logged twice, spelt two ways, a month apart: a pair for the duplicates page and the merge dialog
    for days_ago, given, referrer, narrative in (
        (40, "Maryam", "nursery", "Maryam's nursery reports she has missed her last three health appointments."),
        (3, "Mariam", "health_visitor", "Mariam has missed her development review again; her mother seems low."),
    ):
        intake.log_contact(
            sam,
            _draft(
                now - timedelta(days=days_ago),
                [_child(given, "Begum", date(2022, 2, 11), Gender.FEMALE)],
                narrative=narrative,
                referrer=referrer,
            ),
        )
    return Cast(showcase.id, waiting.id, handed.id, overdue.id, restricted.id)


def try_generate_demo(db: Database, contacts: int, now: datetime) -> bool:
    """Fill the queues with ``generate_demo``; False (and a line on stderr) if that failed."""
    try:
        generate_demo(db, contacts=contacts, seed=1, now=now)
    except Exception as exc:
        print(f"mash-desk screenshots: demo data not added ({exc.__class__.__name__}: {exc})", file=sys.stderr)
        return False
    return True
