"""Hand-made edge cases for the CIN census, built through the real services across 2025-26 and 2026-27.

Each child is one of the census's awkward cases: a referral while another is open, a referral the
front door closed with no further action, an unborn child, a child born after the census date,
a child of school age with no UPN and no reason, a stored UPN that fails today's checks, two
referrals on one day, a baby due in a year that is not over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from mash_desk.domain import validation
from mash_desk.domain.enums import Gender, Outcome
from mash_desk.services import decisions
from mash_desk.services.drafts import ChildDraft
from mash_desk.services.people import PersonCorrection, correct_person
from mash_desk.store.models import Person
from tests.letters.journeys import LEVEL_FOR, decide
from tests.support import World, child, contact_draft


def upn_for(body: str) -> str:
    return validation.upn_check_letter(body) + body


@dataclass(frozen=True)
class CensusCases:
    amira: int  # referred July 2025, again March 2026 while open (one episode); again June 2026
    zara: int  # referred, then closed NFA at the front door (RC8); referred again in December; UN2 recorded
    unborn: int  # due May 2026, referred March 2026
    noah: int  # referred unborn in February 2026, born 20 April 2026 (after the census date)
    yusuf: int  # of school age, no UPN and no reason (a query the receiving team answers)
    leah: int  # a UPN stored before the LA-code check, from no local authority: left out
    sam: int  # only ever closed NFA at the front door: UPN unknown UN7
    omar: int  # two referrals on one day in September 2026
    due_soon: int  # referred November 2026, due February 2027: the 2026-27 year is not over


def at(world: World, day: date, hour: int = 10) -> None:
    world.clock.current = datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def _closed_at_the_front_door(world: World, person: ChildDraft) -> int:
    """A referral authorised, then reopened by a manager and closed with no further action."""
    logged = decide(world, contact_draft(world.clock, person), (Outcome.CFA_S17,))
    decisions.return_decision(world.maria, logged.id, "New information: the family is already supported.")
    world.clock.current = world.clock() + timedelta(days=2)
    for person_id in logged.child_person_ids:
        decisions.propose_decision(
            world.sam,
            logged.id,
            decisions.DecisionProposal(
                person_id, LEVEL_FOR[Outcome.NFA], Outcome.NFA, "N1", "No further action: support is in place."
            ),
        )
    decisions.submit_for_authorisation(world.sam, logged.id)
    decisions.authorise(world.maria, logged.id)
    return logged.child_person_ids[0]


def build_census_cases(world: World) -> CensusCases:
    at(world, date(2025, 7, 1))
    amira_upn = upn_for("821400119001")
    (amira,) = decide(world, contact_draft(world.clock, child("Amira", upn=amira_upn))).child_person_ids
    at(world, date(2025, 8, 5))
    zara = _closed_at_the_front_door(world, child("Zara", "Khan", date(2012, 2, 2), upn_unknown="UN2"))
    at(world, date(2025, 8, 5), hour=11)
    sam = _closed_at_the_front_door(world, child("Sam", "Ahmed", date(2014, 9, 9), gender=Gender.MALE))
    at(world, date(2025, 12, 1))
    decide(world, contact_draft(world.clock, ChildDraft(existing_person_id=zara)))
    at(world, date(2026, 2, 2))
    yusuf_draft = child("Yusuf", "Hussain", date(2015, 6, 1), gender=Gender.MALE)
    (yusuf,) = decide(world, contact_draft(world.clock, yusuf_draft)).child_person_ids
    (leah,) = decide(world, contact_draft(world.clock, child("Leah", "Grant", date(2016, 1, 9)))).child_person_ids
    with world.db.session(write=True) as session:  # as a hub upgraded from before the LA-code check holds it
        session.get_one(Person, leah).upn = upn_for("999400116001")
    noah_draft = child("Noah", "Bell", None, expected_date_of_birth=date(2026, 4, 25), gender=Gender.MALE)
    (noah,) = decide(world, contact_draft(world.clock, noah_draft)).child_person_ids
    at(world, date(2026, 3, 10))
    decide(world, contact_draft(world.clock, ChildDraft(existing_person_id=amira)), (Outcome.STRATEGY_S47,))
    unborn_draft = child("Baby", "Okafor", None, expected_date_of_birth=date(2026, 5, 20))
    (unborn,) = decide(world, contact_draft(world.clock, unborn_draft)).child_person_ids
    at(world, date(2026, 5, 4))
    correct_person(
        world.sam,
        noah,
        PersonCorrection(date_of_birth=date(2026, 4, 20)),
        reason="Checked with the school office.",
        expected_version=1,
    )
    at(world, date(2026, 6, 15))
    decide(world, contact_draft(world.clock, ChildDraft(existing_person_id=amira)))
    at(world, date(2026, 9, 14))
    omar_draft = child("Omar", "Farah", date(2010, 3, 3), gender=Gender.MALE, upn=upn_for("822500118002"))
    (omar,) = decide(world, contact_draft(world.clock, omar_draft)).child_person_ids
    at(world, date(2026, 9, 14), hour=15)
    decide(world, contact_draft(world.clock, ChildDraft(existing_person_id=omar)), (Outcome.STRATEGY_S47,))
    at(world, date(2026, 11, 20))
    due_draft = child("Baby", "Nowak", None, expected_date_of_birth=date(2027, 2, 1))
    (due_soon,) = decide(world, contact_draft(world.clock, due_draft)).child_person_ids
    return CensusCases(amira, zara, unborn, noah, yusuf, leah, sam, omar, due_soon)
