"""Two people on one contact: the second save is refused, says who got there first, and writes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mash_desk.domain.enums import ContactStatus, Outcome, Rag, Role
from mash_desk.domain.errors import ConcurrentEdit
from mash_desk.services import changes, decisions, handoffs, notes, queues, risk_tools, screening
from mash_desk.services.contact_view import open_contact
from mash_desk.services.decisions import DecisionProposal
from mash_desk.store.models import Contact
from tests.support import (
    RATIONALE,
    World,
    add_worker,
    case_at,
    consent_given,
    contact_status,
    gcp_review,
    snapshot,
    unchanged,
)

GCP_GRADES = {"physical_care": 3, "safety": 2, "love_and_belonging": 2, "esteem": 3}

S = ContactStatus


def test_the_second_rating_from_the_same_version_is_refused_naming_the_first(world: World) -> None:
    case = case_at(world, S.RECEIVED)
    sams_view, priyas_view = open_contact(world.sam, case.id), open_contact(world.priya, case.id)
    assert sams_view.version == priyas_view.version

    world.clock.advance(minutes=3)
    screening.rate(world.sam, case.id, Rag.AMBER, expected_version=sams_view.version)
    saved_at = world.clock()
    world.clock.advance(minutes=1)
    with unchanged(world.db, "the losing save"), pytest.raises(ConcurrentEdit) as conflict:
        screening.rate(world.priya, case.id, Rag.RED, "Sounds urgent to me.", expected_version=priyas_view.version)
    assert conflict.value.changed_by == "Sam Carter"
    assert conflict.value.changed_at == saved_at
    assert conflict.value.theirs == {"status": "screened", "rag": "amber"}
    assert "Sam Carter" in str(conflict.value)
    assert "Nothing was overwritten" in str(conflict.value)

    # Priya looks again, sees Sam's rating, and changes it knowingly
    fresh = open_contact(world.priya, case.id)
    assert (fresh.rag, fresh.version) == (Rag.AMBER, sams_view.version + 1)
    screening.rate(world.priya, case.id, Rag.RED, "Police report overnight.", expected_version=fresh.version)
    assert [r.rag for r in open_contact(world.sam, case.id).rag_history] == [Rag.AMBER, Rag.RED]


def test_a_manager_authorising_what_another_just_returned_is_refused(world: World) -> None:
    case = case_at(world, S.AWAITING_AUTHORISATION)
    version = open_contact(world.maria, case.id).version
    assert open_contact(world.mark, case.id).version == version
    decisions.return_decision(world.maria, case.id, "The rationale needs the police history.", expected_version=version)
    # mark's screen is stale; it is also no longer awaiting authorisation: the conflict is what he must hear
    with unchanged(world.db, "the losing save"), pytest.raises(ConcurrentEdit) as conflict:
        decisions.authorise(world.mark, case.id, expected_version=version)
    assert conflict.value.changed_by == "Maria Lopez"
    assert conflict.value.theirs["status"] == "returned"
    assert contact_status(world.db, case.id) is S.RETURNED


def test_submitting_and_closing_check_the_version_too(world: World) -> None:
    ready = case_at(world, S.AWAITING_AUTHORISATION)
    decisions.return_decision(world.maria, ready.id, "Add the school's attendance figures.")
    stale = open_contact(world.sam, ready.id).version
    screening.rate(world.priya, ready.id, Rag.RED, "New disclosure.")
    with unchanged(world.db), pytest.raises(ConcurrentEdit) as submit_conflict:
        decisions.submit_for_authorisation(world.sam, ready.id, expected_version=stale)
    assert submit_conflict.value.changed_by == "Priya Shah"

    done = case_at(world, S.ACCEPTED)
    stale = open_contact(world.sam, done.id).version
    queues.reassign(world.maria, done.id, world.logins["priya"], "Sam moves team.")
    with unchanged(world.db), pytest.raises(ConcurrentEdit) as close_conflict:
        handoffs.close_contact(world.sam, done.id, expected_version=stale)
    assert close_conflict.value.changed_by == "Maria Lopez"
    handoffs.close_contact(world.sam, done.id, expected_version=open_contact(world.sam, done.id).version)


def test_two_officers_returning_the_same_check_conflict_instead_of_overwriting(world: World) -> None:
    pc_ali = add_worker(world, "pc_ali", "PC Sara Ali", Role.AGENCY, agency_code="POLICE")
    case = case_at(world, S.AGENCY_CHECKS)
    (request,) = case.request_ids
    (jones_row,) = queues.agency_requests(world.police)
    (ali_row,) = queues.agency_requests(pc_ali)
    assert jones_row.version == ali_row.version

    screening.record_agency_return(
        world.police, request, summary="One DA call-out.", nothing_known=False, expected_version=jones_row.version
    )
    with unchanged(world.db, "the losing return"), pytest.raises(ConcurrentEdit) as conflict:
        screening.record_agency_return(
            pc_ali, request, summary=None, nothing_known=True, expected_version=ali_row.version
        )
    assert conflict.value.changed_by == "PC Dan Jones"
    (view,) = open_contact(world.sam, case.id).agency_requests
    assert (view.summary, view.nothing_known) == ("One DA call-out.", False)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_stale_write_that_slips_past_the_version_check_still_overwrites_nothing(world: World) -> None:
    """On PostgreSQL writers do not queue: the version column itself refuses the second UPDATE.

    (On SQLite every write unit begins IMMEDIATE, so a second writer waits for the first to finish
    and then reads what it saved; the lost update cannot be set up there.)
    """
    case = case_at(world, S.SCREENED)
    with (  # noqa: PT012 - the race needs the read, the other save and the write inside one unit
        pytest.raises(ConcurrentEdit, match="Nothing was overwritten"),
        world.priya.unit(write=True) as (session, _actor),
    ):
        contact = session.get(Contact, case.id)
        assert contact is not None
        before = snapshot(world.db)
        # meanwhile, at another workstation, Sam re-rates and saves
        screening.rate(world.sam, case.id, Rag.RED, "Police report overnight.")
        after_sam = snapshot(world.db)
        assert after_sam != before
        contact.rag = Rag.GREEN  # a column staff may update: the version check, not a grant, must stop it
    # Priya's unit was rolled back whole; Sam's rating stands
    assert snapshot(world.db) == after_sam
    assert open_contact(world.sam, case.id).rag is Rag.RED


def test_every_change_to_anything_on_a_contact_reaches_the_other_workstations(world: World) -> None:
    """The change feed finds changed contacts by ``updated_at``: every writer must stamp it."""
    add_worker(world, "gina", "Gina Patel", Role.PRACTITIONER, team_name="MASH Team", gcp_licensed=True)
    case = case_at(world, S.SCREENED)
    (amira,) = case.child_ids
    requests: list[int] = []
    steps: list[tuple[str, Callable[[], object]]] = [
        ("consent", lambda: screening.record_consent(world.sam, case.id, consent_given(world.clock))),
        ("agency request", lambda: requests.extend(screening.request_agency_checks(world.sam, case.id, ["POLICE"]))),
        (
            "agency return",
            lambda: screening.record_agency_return(world.police, requests[0], summary=None, nothing_known=True),
        ),
        ("second request", lambda: requests.extend(screening.request_agency_checks(world.sam, case.id, ["HEALTH"]))),
        ("withdrawal", lambda: screening.withdraw_agency_request(world.sam, requests[1], "Cannot wait.")),
        ("re-rating", lambda: screening.rate(world.priya, case.id, Rag.RED, "New disclosure.")),
        (
            "proposal",
            lambda: decisions.propose_decision(
                world.sam, case.id, DecisionProposal(amira, 3, Outcome.CFA_S17, "N1", RATIONALE)
            ),
        ),
        ("case note", lambda: notes.add_note(world.sam, case.id, "Phoned the school.")),
        ("DASH", lambda: risk_tools.record_dash(world.sam, case.id, [True] * 15 + [False] * 9)),
        (
            "GCP",
            lambda: risk_tools.record_gcp(
                world.as_("gina"), case.id, amira, GCP_GRADES, carer_consent=True, **gcp_review(world)
            ),
        ),
    ]
    missed = []
    for what, step in steps:
        marker = changes.current_marker(world.maria)
        world.clock.advance(minutes=1)
        step()
        if case.id not in changes.changed_since(world.maria, marker).contact_ids:
            missed.append(what)
    assert missed == []
