"""The threshold consistency exercise through the services, on SQLite and PostgreSQL: set up, drafted,
reviewed, opened, rated blind by three agencies, closed; the results against a hand-worked table;
every refusal and every bad input writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from mash_desk.domain.enums import ContactStatus, Outcome, Rag
from mash_desk.domain.errors import IllegalTransition, InvalidInput, PermissionRefused
from mash_desk.domain.exercises import ExerciseStatus
from mash_desk.domain.periods import london_date
from mash_desk.services import decisions, exercises, handoffs, intake, screening
from mash_desk.store.models import Contact
from tests.support import RATIONALE, World, case_at, child, consent_given, contact_draft, unchanged

REAL_FAMILY = (
    "amira",
    "hussain",
    "layla",
    "jo bell",
    "park street",
    "lu1 3ab",
    "04/05/2019",
    "4 may 2019",
    "hillside",
    "01582",
    "943 476",
    "9434765919",
    "mash-0",
    "3 march 2026",
)


NARRATIVE = (
    "Amira's teacher says AMIRA HUSSAIN (born 04/05/2019, NHS 943 476 5919) comes in hungry; Ms Hussain "
    "(Layla) was seen at 12 Park Street, LU1 3AB on 3 March 2026. Call Jo Bell on 01582 123456. A. Hussain's "
    "brother Amir also worries."
)


def closed_case_naming_the_family(world: World) -> int:
    """As ``case_at(..., CLOSED)``, from a referrer who named the family in every way one does."""
    draft = contact_draft(world.clock, child(dob=date(2019, 5, 4), nhs_number="9434765919"), narrative=NARRATIVE)
    logged = intake.log_contact(world.sam, draft)
    screening.rate(world.sam, logged.id, Rag.AMBER)
    screening.record_consent(world.sam, logged.id, consent_given(world.clock))
    (request,) = screening.request_agency_checks(world.sam, logged.id, ["POLICE"])
    screening.record_agency_return(
        world.police, request, summary="Layla Hussain known: two DA call-outs to Park Street.", nothing_known=False
    )
    for person_id in logged.child_person_ids:
        decisions.propose_decision(
            world.sam, logged.id, decisions.DecisionProposal(person_id, 3, Outcome.CFA_S17, "N1", RATIONALE)
        )
    decisions.submit_for_authorisation(world.sam, logged.id)
    decisions.authorise(world.maria, logged.id)
    handoffs.accept_hand_off(world.ava, handoffs.hand_off(world.sam, logged.id, world.teams["Assessment Team"]))
    handoffs.close_contact(world.sam, logged.id)
    return logged.id


def _references(world: World, count: int) -> list[str]:
    ids = [closed_case_naming_the_family(world) for _ in range(count)]
    with world.db.session() as session:
        return [session.get_one(Contact, contact_id).reference for contact_id in ids]


def _prepared(world: World, count: int = 3) -> tuple[int, list[exercises.VignetteRow]]:
    exercise_id = exercises.create_exercise(world.maria, "Neglect thresholds, spring")
    exercises.add_contacts(world.maria, exercise_id, ", ".join(_references(world, count)))
    return exercise_id, exercises.vignettes(world.maria, exercise_id)


def test_an_exercise_runs_end_to_end_and_kappa_matches_the_hand_worked_table(world: World) -> None:
    exercise_id, drafted = _prepared(world)
    assert [v.position for v in drafted] == [1, 2, 3]
    for vignette in drafted:
        lowered = vignette.text.lower()
        assert [leak for leak in REAL_FAMILY if leak in lowered] == [], vignette.text
        assert "Child A" in vignette.text
        assert "Mother" in vignette.text
        assert "[home address]" in vignette.text
        assert "Child A's teacher says Child A (born" in vignette.text
        assert "Mother" in vignette.text.split("What the referrer said:")[1]
        assert vignette.reviewed_by is None
        assert vignette.source_reference is not None  # the manager sees where it came from
    with pytest.raises(IllegalTransition, match="not reviewed"):
        exercises.open_exercise(world.maria, exercise_id)
    edited = drafted[0].text + "\nThe reviewer added: the school nurse has also raised concerns.\n"
    exercises.review_vignette(world.maria, drafted[0].id, edited, drafted[0].version)
    for vignette in drafted[1:]:
        exercises.review_vignette(world.mark, vignette.id, vignette.text, vignette.version)
    exercises.open_exercise(world.maria, exercise_id)
    reviewed = exercises.vignettes(world.sam, exercise_id)
    assert reviewed[0].text.endswith("raised concerns.")
    assert reviewed[0].reviewed_by == "Maria Lopez"
    assert all(v.source_reference is None for v in reviewed)  # a rater never learns the source

    # Three agencies rate blind. Levels (3 or 4) per vignette give the docstring's table in
    # tests/domain/test_agreement.py: V1 [3, 0], V2 [2, 1], V3 [0, 3] -> kappa 0.55.
    plan = {"sam": (3, 3, 4), "police": (3, 3, 4), "health": (3, 4, 4)}
    outcome = {3: Outcome.CFA_S17, 4: Outcome.STRATEGY_S47}
    for who, levels in plan.items():
        ctx = getattr(world, who)
        to_rate = exercises.vignettes_to_rate(ctx)
        assert [v.position for v in to_rate] == [1, 2, 3]
        for to_rate_now, level in zip(to_rate, levels, strict=True):
            exercises.rate_vignette(ctx, to_rate_now.vignette_id, level, outcome[level])
    assert exercises.vignettes_to_rate(world.maria) == []  # she prepared it
    assert exercises.vignettes_to_rate(world.sam)[0].my_level == 3
    exercises.close_exercise(world.maria, exercise_id)

    results = exercises.exercise_results(world.auditor, exercise_id)
    assert results.status is ExerciseStatus.CLOSED
    overall = results.overall
    assert (overall.raters, overall.ratings, overall.vignettes) == (3, 9, 3)
    assert overall.level.kappa == pytest.approx(0.55)
    assert overall.level.percentage == pytest.approx(700 / 9)
    assert overall.outcome.kappa == pytest.approx(0.55)  # each outcome follows its level here
    # every real decision was level 3, a child and family assessment
    assert overall.matches_level == pytest.approx(5 / 9)
    assert overall.mean_difference == pytest.approx(4 / 9)
    agencies = {a.agency: a.figures for a in results.agencies}
    assert sorted(agencies) == ["Children's Social Care", "Health", "Police"]
    # Sam and the police rated (3, 3, 4), health (3, 4, 4), against level 3 every time
    assert agencies["Police"].mean_difference == pytest.approx(1 / 3)
    assert agencies["Health"].mean_difference == pytest.approx(2 / 3)
    assert agencies["Health"].matches_level == pytest.approx(1 / 3)
    assert agencies["Children's Social Care"].level.kappa is None  # one rater: nothing to agree with
    assert [v.position for v in results.most_disagreed] == [2, 1, 3]
    assert results.vignettes[1].level_counts == (0, 0, 2, 1)

    # on PostgreSQL the server stamps when it closed, whatever the workstation's clock says
    (closed,) = exercises.exercises(world.maria)
    assert closed.closed_at is not None
    today = london_date(closed.closed_at)
    summary = exercises.exercise_summary(world.maria, today - timedelta(days=1), today)
    assert summary.exercises == ("Neglect thresholds, spring",)
    assert summary.overall.level.kappa == pytest.approx(0.55)
    empty = exercises.exercise_summary(world.maria, today - timedelta(days=90), today - timedelta(days=30))
    assert empty.closed == 0
    assert empty.overall.level.kappa is None


def test_bad_input_is_refused_at_its_field_and_writes_nothing(world: World) -> None:
    exercise_id, drafted = _prepared(world, 2)
    cases: dict[str, Callable[[], object]] = {
        "title": lambda: exercises.create_exercise(world.maria, "  ab "),
        "references": lambda: exercises.add_contacts(world.maria, exercise_id, "MASH-9999999"),
        "text": lambda: exercises.review_vignette(world.maria, drafted[0].id, "too short", drafted[0].version),
    }
    for field, call in cases.items():
        with unchanged(world.db, f"a bad {field}"), pytest.raises(InvalidInput) as caught:
            call()
        assert list(caught.value.field_errors) == [field]
    with unchanged(world.db, "nothing typed"), pytest.raises(InvalidInput, match="at least one"):
        exercises.add_contacts(world.maria, exercise_id, " , ")
    open_case = case_at(world, ContactStatus.SCREENED)
    with world.db.session() as session:
        undecided = session.get_one(Contact, open_case.id).reference
    with unchanged(world.db, "an undecided contact"), pytest.raises(InvalidInput, match="no authorised decision"):
        exercises.add_contacts(world.maria, exercise_id, undecided)
    for vignette in drafted:
        exercises.review_vignette(world.maria, vignette.id, vignette.text, vignette.version)
    exercises.open_exercise(world.maria, exercise_id)
    first = exercises.vignettes_to_rate(world.sam)[0].vignette_id
    for level, outcome, field in (
        (5, Outcome.CFA_S17, "level"),
        (1, Outcome.STRATEGY_S47, "outcome"),
        (3, "", "outcome"),
    ):
        with unchanged(world.db, "a bad rating"), pytest.raises(InvalidInput) as caught:
            exercises.rate_vignette(world.sam, first, level, outcome)
        assert field in caught.value.field_errors
    exercises.rate_vignette(world.sam, first, 2, Outcome.EARLY_HELP)
    with unchanged(world.db, "a second rating"), pytest.raises(InvalidInput, match="given once"):
        exercises.rate_vignette(world.sam, first, 3, Outcome.CFA_S17)


def test_only_managers_set_up_and_nobody_rates_what_they_may_not(world: World) -> None:
    with unchanged(world.db, "a practitioner setting up"), pytest.raises(PermissionRefused):
        exercises.create_exercise(world.sam, "Domestic abuse thresholds")
    exercise_id, drafted = _prepared(world, 2)
    refused: dict[str, Callable[[], object]] = {
        "a partner agency adding contacts": lambda: exercises.add_contacts(world.police, exercise_id, "MASH-0000001"),
        "a practitioner reviewing": lambda: exercises.review_vignette(
            world.sam, drafted[0].id, drafted[0].text, drafted[0].version
        ),
        "an auditor opening": lambda: exercises.open_exercise(world.auditor, exercise_id),
        "a practitioner reading results": lambda: exercises.exercise_results(world.sam, exercise_id),
        "a practitioner reading the summary": lambda: exercises.exercise_summary(
            world.sam, date(2026, 1, 1), date(2026, 3, 31)
        ),
    }
    for what, call in refused.items():
        with unchanged(world.db, what), pytest.raises(PermissionRefused):
            call()
    with unchanged(world.db, "rating a draft"), pytest.raises(IllegalTransition, match="only while"):
        exercises.rate_vignette(world.sam, drafted[0].id, 3, Outcome.CFA_S17)
    assert exercises.vignettes_to_rate(world.sam) == []  # nothing released yet
    assert exercises.vignettes(world.police, exercise_id) == []
    for vignette in drafted:
        exercises.review_vignette(world.maria, vignette.id, vignette.text, vignette.version)
    exercises.open_exercise(world.maria, exercise_id)
    with unchanged(world.db, "editing a released vignette"), pytest.raises(IllegalTransition, match="never changes"):
        exercises.review_vignette(world.maria, drafted[0].id, drafted[0].text + " more", drafted[0].version + 1)
    with unchanged(world.db, "the preparer rating"), pytest.raises(PermissionRefused, match="prepared"):
        exercises.rate_vignette(world.maria, drafted[0].id, 3, Outcome.CFA_S17)
    with unchanged(world.db, "business support rating"), pytest.raises(PermissionRefused):
        exercises.rate_vignette(world.bea, drafted[0].id, 3, Outcome.CFA_S17)
    assert exercises.vignettes_to_rate(world.auditor) == []
    exercises.rate_vignette(world.mark, drafted[0].id, 4, Outcome.STRATEGY_S47)  # a manager who did not prepare it
    exercises.close_exercise(world.maria, exercise_id)
    with unchanged(world.db, "closing twice"), pytest.raises(IllegalTransition):
        exercises.close_exercise(world.maria, exercise_id)
    with unchanged(world.db, "rating a closed exercise"), pytest.raises(IllegalTransition):
        exercises.rate_vignette(world.sam, drafted[1].id, 3, Outcome.CFA_S17)


def test_a_restricted_contact_never_becomes_a_vignette(world: World) -> None:
    from mash_desk.services import restrictions

    reference = _references(world, 1)[0]
    with world.db.session() as session:
        contact_id = session.scalar(select(Contact.id).where(Contact.reference == reference))
    assert contact_id is not None
    restrictions.restrict_record(world.maria, reason="A member of staff's own family.", contact_id=contact_id)
    exercise_id = exercises.create_exercise(world.maria, "Restricted records stay out")
    assert reference not in [c.reference for c in exercises.candidate_contacts(world.maria)]
    with unchanged(world.db, "a restricted contact"), pytest.raises(InvalidInput, match="restricted"):
        exercises.add_contacts(world.maria, exercise_id, reference)
