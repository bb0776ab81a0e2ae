"""DASH and Graded Care Profile records: scored by the domain rules, kept for MARAC, guarded by role."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.domain.risk import DashLevel
from mash_desk.services import intake
from mash_desk.services.risk_tools import dash_for_marac, record_dash, record_gcp
from mash_desk.store.models import DashAssessment, GcpAssessment, User
from tests.support import World, contact_draft


def _contact(world: World) -> intake.LoggedContact:
    return intake.log_contact(world.sam, contact_draft(world.clock))


def test_high_dash_goes_to_marac_and_marac_reuses_the_answers(world: World) -> None:
    logged = _contact(world)
    answers: list[bool | None] = [True] * 15 + [False] * 8 + [None]
    record = record_dash(world.sam, logged.id, answers)
    assert record.level is DashLevel.HIGH
    assert record.marac_referral
    again = dash_for_marac(world.maria, record.id)
    assert again.answers == tuple(answers)
    assert again.yes_count == 15


def test_professional_judgement_needs_a_reason_and_changes_nothing_without_one(world: World) -> None:
    logged = _contact(world)
    with pytest.raises(InvalidInput) as caught:
        record_dash(world.sam, logged.id, [False] * 24, professional_judgement_high=True)
    assert "judgement_reason" in caught.value.field_errors
    with world.db.session() as session:
        assert session.scalar(select(func.count(DashAssessment.id))) == 0
    record = record_dash(
        world.sam,
        logged.id,
        [False] * 24,
        professional_judgement_high=True,
        judgement_reason="Non-fatal strangulation disclosed last week.",
    )
    assert record.level is DashLevel.HIGH


def test_wrong_number_of_answers_is_refused(world: World) -> None:
    logged = _contact(world)
    with pytest.raises(InvalidInput) as caught:
        record_dash(world.sam, logged.id, [True] * 23)
    assert "answers" in caught.value.field_errors


def test_gcp_needs_a_licensed_assessor(world: World) -> None:
    logged = _contact(world)
    child_id = logged.child_person_ids[0]
    grades = {"physical_care": 4, "safety": 3, "love_and_belonging": 2, "esteem": 3}
    with pytest.raises(PermissionRefused):
        record_gcp(world.sam, logged.id, child_id, grades, carer_consent=True)
    with world.db.session(write=True) as session:
        sam = session.scalars(select(User).where(User.username == world.logins["sam"])).one()
        sam.gcp_licensed = True
    record_gcp(world.sam, logged.id, child_id, grades, carer_consent=True, targets="Regular meals; school attendance.")
    with world.db.session() as session:
        saved = session.scalars(select(GcpAssessment)).one()
        assert (saved.physical_care, saved.safety, saved.love_and_belonging, saved.esteem) == (4, 3, 2, 3)


def test_gcp_grades_out_of_range_are_refused(world: World) -> None:
    logged = _contact(world)
    with pytest.raises(InvalidInput) as caught:
        record_gcp(
            world.sam,
            logged.id,
            logged.child_person_ids[0],
            {"physical_care": 6, "safety": 3, "love_and_belonging": 2, "esteem": 3},
            carer_consent=True,
        )
    assert "physical_care" in caught.value.field_errors
