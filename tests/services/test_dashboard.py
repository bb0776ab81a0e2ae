"""Front-door measures on hand-built data where every right answer is known."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from mash_desk.domain.enums import Concern, Outcome, Rag
from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.domain.periods import london_date
from mash_desk.services import decisions, intake, screening
from mash_desk.services.dashboard import (
    FrontDoorMeasures,
    Ratio,
    front_door_measures,
    measures_to_csv,
    measures_to_text,
)
from mash_desk.services.drafts import ChildDraft
from tests.letters.journeys import decide
from tests.support import World, child, consent_given, contact_draft

DAY = date(2026, 3, 10)


def _front_door(world: World) -> FrontDoorMeasures:
    """Four contacts received on 10 March 2026, then three days pass.

    A: school, neglect, temporary overcrowded housing; CFA on time; handed to the Assessment Team.
    B: police, domestic abuse, a child needing an interpreter, no household; returned (early help)
       then authorised as a strategy discussion, on time.
    C: school, neglect; NFA decided three days late.
    D: school, neglect; never screened.
    """
    a = decide(world, hand_off_to="Assessment Team")
    decide(
        world,
        contact_draft(
            world.clock,
            child("Omar", "Haddad", interpreter_needed=True, first_language="Arabic"),
            referral_source="6",
            concerns={Concern.DOMESTIC_ABUSE},
            household=None,
        ),
        (Outcome.STRATEGY_S47,),
        returned_first=Outcome.EARLY_HELP,
    )
    c = intake.log_contact(world.sam, contact_draft(world.clock))
    intake.log_contact(world.sam, contact_draft(world.clock))  # D
    screening.rate(world.sam, c.id, Rag.GREEN)
    screening.record_consent(world.sam, c.id, consent_given(world.clock))
    world.clock.advance(days=3)
    decisions.propose_decision(
        world.sam, c.id, decisions.DecisionProposal(c.child_person_ids[0], 1, Outcome.NFA, "N9", "x" * 30)
    )
    decisions.submit_for_authorisation(world.sam, c.id)
    decisions.authorise(world.maria, c.id)
    assert a.id
    return front_door_measures(world.maria, DAY, DAY)


def test_every_measure_on_a_known_front_door(world: World) -> None:
    m = _front_door(world)
    assert m.contacts_received == 4
    assert m.decided_within_one_working_day == Ratio(2, 3)
    assert m.undecided_past_deadline == 1
    assert m.completed_within_rag == Ratio(2, 3)
    assert m.referrals == 2
    assert m.re_referrals == Ratio(0, 2)
    assert m.nfa == Ratio(1, 3)
    assert (m.conversion.contacts, m.conversion.referrals, m.conversion.assessments) == (4, 2, 1)
    assert m.conversion.strategy_discussions == 1
    by_source = {row.source: row for row in m.conversion_by_source}
    assert list(by_source) == ["2A", "6"]  # census order
    assert (by_source["2A"].contacts, by_source["2A"].referrals, by_source["2A"].assessments) == (3, 1, 1)
    assert by_source["2A"].to_referral.percent == pytest.approx(100 / 3)
    assert (by_source["6"].contacts, by_source["6"].referrals, by_source["6"].strategy_discussions) == (1, 1, 1)
    assert by_source["6"].description == "Police"
    assert m.decisions_returned == Ratio(1, 3)
    assert m.outcomes_changed_after_return == 1
    # now: A waits for the Assessment Team (overdue after three days); B and C are Sam's, D nobody's
    assert (m.hand_offs_awaiting, m.hand_offs_overdue) == (1, 1)
    assert [(t.team, t.awaiting, t.overdue) for t in m.hand_offs_by_team] == [("Assessment Team", 1, 1)]
    assert [(c.worker, c.open, c.overdue) for c in m.caseloads] == [("Sam Carter", 2, 2), ("Unassigned", 1, 1)]
    breakdowns = {b.key: (b.contacts, b.referrals) for b in m.breakdowns}
    assert breakdowns == {
        "neglect": (3, 1),
        "domestic_abuse": (1, 1),
        "interpreter_needed": (1, 1),
        "temporary_accommodation": (3, 1),
        "overcrowded": (3, 1),
        "homeless": (0, 0),
        "tenure.temporary_accommodation": (3, 1),
        # the patterns: the same three in temporary accommodation make a household that keeps moving
        "pattern.cumulative_neglect": (0, 0),
        "pattern.repeated_domestic_abuse": (0, 0),
        "pattern.moving_household": (3, 1),
        "pattern.family_interpreter": (0, 0),
    }
    assert m.neglect_awaiting_decision == 0


def test_contacts_outside_the_period_are_not_counted(world: World) -> None:
    _front_door(world)
    before = front_door_measures(world.maria, DAY - timedelta(days=30), DAY - timedelta(days=1))
    assert before.contacts_received == 0
    assert before.decided_within_one_working_day == Ratio(0, 0)
    assert before.decided_within_one_working_day.percent is None
    assert before.conversion_by_source == ()
    # the snapshot of now does not depend on the period
    assert before.hand_offs_awaiting == 1
    assert len(before.caseloads) == 2


def test_agency_returns_on_time(world: World) -> None:
    on_time_and_late = intake.log_contact(world.sam, contact_draft(world.clock))
    never = intake.log_contact(world.sam, contact_draft(world.clock))
    for logged in (on_time_and_late, never):
        screening.rate(world.sam, logged.id, Rag.AMBER)
        screening.record_consent(world.sam, logged.id, consent_given(world.clock))
    health, police = screening.request_agency_checks(world.sam, on_time_and_late.id, ["POLICE", "HEALTH"])  # by code
    screening.request_agency_checks(world.sam, never.id, ["POLICE"])
    screening.record_agency_return(world.police, police, summary="Nothing recent.", nothing_known=False)
    world.clock.advance(days=2)
    screening.record_agency_return(world.health, health, summary=None, nothing_known=True)
    m = front_door_measures(world.auditor, DAY, DAY)
    assert m.agency_returns_on_time == Ratio(1, 2)
    assert m.agency_returns_overdue == 1


def test_re_referrals_follow_the_census_definition(world: World) -> None:
    first = decide(world)
    (person,) = first.child_person_ids
    world.clock.advance(days=40)
    again = ChildDraft(existing_person_id=person)
    decide(world, contact_draft(world.clock, again))
    decide(world, contact_draft(world.clock, again))  # the same child, the same day: counts once
    later_day = london_date(world.clock())
    assert front_door_measures(world.maria, later_day, later_day).re_referrals == Ratio(1, 1)
    both = front_door_measures(world.maria, DAY, later_day)
    assert both.referrals == 2
    assert both.re_referrals == Ratio(1, 2)
    world.clock.advance(days=400)  # more than 12 months after the last one: a new referral, not a re-referral
    decide(world, contact_draft(world.clock, ChildDraft(existing_person_id=person)))
    today = london_date(world.clock())
    assert front_door_measures(world.maria, today, today).re_referrals == Ratio(0, 1)


def test_a_period_must_run_forwards_and_is_for_managers(world: World) -> None:
    with pytest.raises(InvalidInput) as caught:
        front_door_measures(world.maria, DAY, DAY - timedelta(days=1))
    assert "period" in caught.value.field_errors
    with pytest.raises(PermissionRefused):
        front_door_measures(world.sam, DAY, DAY)


def test_csv_and_text_carry_every_figure(world: World) -> None:
    m = _front_door(world)
    rows = list(csv.reader(io.StringIO(measures_to_csv(m))))
    assert rows[0] == ["period_start", "period_end", "section", "measure", "count", "out_of", "percent"]
    by_name = {row[3]: row for row in rows[1:]}
    assert by_name["Decided within one working day"][4:] == ["2", "3", "66.7"]
    assert by_name["Contacts received"][4:] == ["4", "", ""]
    assert by_name["Contact to referral: 6 Police"][4:] == ["1", "1", "100.0"]
    assert by_name["Open: Sam Carter"][4] == "2"
    text = measures_to_text(m)
    assert "Decided within one working day" in text
    assert "66.7%         2 of 3" in text
