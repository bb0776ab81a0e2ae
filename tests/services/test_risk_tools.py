"""DASH and Graded Care Profile records: scored by the domain rules, kept for MARAC, guarded by role;
GCP2 reviews that go overdue, the comparison with the child's previous GCP2, and the MARAC referral
read back from the PDF."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from mash_desk.domain.errors import InvalidInput, MashDeskError, PermissionRefused
from mash_desk.domain.periods import london_date
from mash_desk.domain.risk import DASH_TOPICS, CarerParticipation, DashLevel, GcpTrend
from mash_desk.services import admin, intake, queues
from mash_desk.services.risk_tools import (
    contact_dashes,
    dash_for_marac,
    gcp_history,
    make_marac_referral,
    overdue_gcp_reviews,
    record_dash,
    record_gcp,
    risk_tool_summary,
)
from mash_desk.store.models import AuditEvent, Contact, ContactAdult, DashAssessment, GcpAssessment, User
from mash_desk.store.models import MaracReferral as MaracReferralRow
from tests.support import World, child, contact_draft, gcp_review, unchanged

GRADES = {"physical_care": 4, "safety": 3, "love_and_belonging": 2, "esteem": 3}
BETTER = {"physical_care": 2, "safety": 3, "love_and_belonging": 3, "esteem": 3}


def _contact(world: World) -> intake.LoggedContact:
    return intake.log_contact(world.sam, contact_draft(world.clock))


def _licensed(world: World) -> None:
    admin.set_user_gcp_licensed(world.admin, world.logins["sam"], True)


def _audits(world: World, action: str) -> int:
    with world.db.session() as session:
        return session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action)) or 0


# --- DASH ------------------------------------------------------------------------------------------


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
    with unchanged(world.db, "a judgement without a reason"), pytest.raises(InvalidInput) as caught:
        record_dash(world.sam, logged.id, [False] * 24, professional_judgement_high=True)
    assert "judgement_reason" in caught.value.field_errors
    record = record_dash(
        world.sam,
        logged.id,
        [False] * 24,
        professional_judgement_high=True,
        judgement_reason="Non-fatal strangulation disclosed last week.",
    )
    assert record.level is DashLevel.HIGH
    assert record.professional_judgement


def test_a_reason_without_a_judgement_is_not_kept(world: World) -> None:
    logged = _contact(world)
    record = record_dash(world.sam, logged.id, [True] * 3 + [False] * 21, judgement_reason="typed then unticked")
    assert record.judgement_reason is None
    assert record.level is DashLevel.STANDARD


def test_wrong_number_of_answers_is_refused(world: World) -> None:
    logged = _contact(world)
    with unchanged(world.db), pytest.raises(InvalidInput) as caught:
        record_dash(world.sam, logged.id, [True] * 23)
    assert "answers" in caught.value.field_errors


def test_the_victim_must_be_an_adult_on_the_contact(world: World) -> None:
    logged = _contact(world)
    with unchanged(world.db), pytest.raises(InvalidInput) as caught:
        record_dash(world.sam, logged.id, [True] * 14 + [False] * 10, victim_person_id=logged.child_person_ids[0])
    assert "victim" in caught.value.field_errors


def test_contact_dashes_lists_the_newest_first(world: World) -> None:
    logged = _contact(world)
    first = record_dash(world.sam, logged.id, [True] * 5 + [False] * 19)
    world.clock.advance(minutes=5)
    second = record_dash(world.sam, logged.id, [True] * 15 + [False] * 9)
    assert [d.id for d in contact_dashes(world.sam, logged.id)] == [second.id, first.id]


# --- the MARAC referral ----------------------------------------------------------------------------


def _queues_holding(world: World, contact_id: int) -> set[queues.Queue]:
    return {
        queue
        for queue in (queues.Queue.MINE, queues.Queue.TEAM, queues.Queue.UNASSIGNED)
        if contact_id in {row.contact_id for row in queues.queue_page(world.sam, queue).rows}
    }


def _victim(world: World, contact_id: int) -> int:
    with world.db.session() as session:
        return session.scalars(select(ContactAdult.person_id).where(ContactAdult.contact_id == contact_id)).one()


def test_the_marac_referral_reads_back_the_saved_answers_and_lists_the_children(world: World) -> None:
    logged = intake.log_contact(
        world.sam, contact_draft(world.clock, child(given_names="Amira"), child(given_names="Zain"))
    )
    answers: list[bool | None] = [True] * 14 + [False] * 8 + [None] * 2
    dash = record_dash(world.sam, logged.id, answers, victim_person_id=_victim(world, logged.id))
    with world.db.session() as session:
        status_before = session.get(Contact, logged.id).status  # type: ignore[union-attr]
    queues_before = _queues_holding(world, logged.id)
    assert queues_before
    referral = make_marac_referral(world.sam, dash.id)
    assert referral.answers == tuple(answers)
    assert {name.split()[0] for name in referral.children} == {"Amira", "Zain"}
    assert referral.victim == "Layla Hussain"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(referral.pdf)).pages)
    assert "OFFICIAL – SENSITIVE" in text
    assert "MARAC referral" in text
    assert logged.reference in text
    assert "Layla Hussain" in text  # the victim, from the saved record
    assert "Amira" in text
    assert "Zain" in text
    assert "does not replace the children's safeguarding referral" in text
    for topic in (DASH_TOPICS[0], DASH_TOPICS[13], DASH_TOPICS[23]):
        assert topic in text
    assert text.count("Not known") == 2
    assert "14 of 24 answered yes" in text
    # the children's own route carries on: the contact is where it was, still in the worker's queue
    with world.db.session() as session:
        assert session.get(Contact, logged.id).status == status_before  # type: ignore[union-attr]
    assert _queues_holding(world, logged.id) == queues_before
    assert _audits(world, "marac.referral") == 1
    # kept on the contact, as sent: made again, the stored referral is reopened (nothing new written)
    with world.db.session() as session:
        kept = session.scalars(select(MaracReferralRow)).one()
        assert (kept.dash_id, kept.contact_id, kept.pdf) == (dash.id, logged.id, referral.pdf)
        assert kept.sha256 == hashlib.sha256(referral.pdf).hexdigest()
        assert kept.children.splitlines() == list(referral.children)
    world.clock.advance(hours=1)
    again = make_marac_referral(world.maria, dash.id)
    assert again.reopened
    assert (again.id, again.pdf, again.made_by, again.children) == (
        referral.id,
        referral.pdf,
        "Sam Carter",
        referral.children,
    )
    assert _audits(world, "marac.reopen") == 1
    with world.db.session() as session:
        assert session.scalar(select(func.count(MaracReferralRow.id))) == 1


def test_a_professional_judgement_referral_says_why(world: World) -> None:
    logged = _contact(world)
    dash = record_dash(
        world.sam,
        logged.id,
        [True] * 6 + [False] * 18,
        professional_judgement_high=True,
        judgement_reason="Threats to kill with a knife last night.",
    )
    pdf = make_marac_referral(world.sam, dash.id).pdf
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "professional judgement" in text
    assert "Threats to kill with a knife last night." in text


def test_a_dash_below_high_is_not_referred(world: World) -> None:
    logged = _contact(world)
    dash = record_dash(world.sam, logged.id, [True] * 12 + [False] * 12)
    with unchanged(world.db, "a MARAC referral of a medium DASH"), pytest.raises(InvalidInput) as caught:
        make_marac_referral(world.sam, dash.id)
    assert "dash" in caught.value.field_errors


def test_an_auditor_cannot_make_a_marac_referral(world: World) -> None:
    logged = _contact(world)
    dash = record_dash(world.sam, logged.id, [True] * 15 + [False] * 9)
    with unchanged(world.db), pytest.raises(PermissionRefused):
        make_marac_referral(world.auditor, dash.id)


# --- Graded Care Profile 2 -------------------------------------------------------------------------


def test_gcp_needs_a_licensed_assessor_marked_by_an_administrator(world: World) -> None:
    logged = _contact(world)
    child_id = logged.child_person_ids[0]
    with unchanged(world.db, "a GCP2 by an unlicensed assessor"), pytest.raises(PermissionRefused):
        record_gcp(world.sam, logged.id, child_id, GRADES, carer_consent=True, **gcp_review(world))
    with pytest.raises(PermissionRefused):
        admin.set_user_gcp_licensed(world.maria, world.logins["sam"], True)
    _licensed(world)
    assert _audits(world, "user.set_gcp_licensed") == 1
    assert next(u for u in admin.list_users(world.admin) if u.username == world.logins["sam"]).gcp_licensed
    gcp_id = record_gcp(
        world.sam,
        logged.id,
        child_id,
        GRADES,
        carer_consent=True,
        targets="Regular meals; school attendance.",
        **gcp_review(world),
    )
    with world.db.session() as session:
        saved = session.get(GcpAssessment, gcp_id)
        assert saved is not None
        assert (saved.physical_care, saved.safety, saved.love_and_belonging, saved.esteem) == (4, 3, 2, 3)
        assert saved.carer_participation is CarerParticipation.FULL
    admin.set_user_gcp_licensed(world.admin, world.logins["sam"], False)
    with pytest.raises(PermissionRefused):
        record_gcp(world.sam, logged.id, child_id, GRADES, carer_consent=True, **gcp_review(world))


def test_setting_the_licence_to_what_it_is_says_so(world: World) -> None:
    with unchanged(world.db), pytest.raises(InvalidInput) as caught:
        admin.set_user_gcp_licensed(world.admin, world.logins["sam"], False)
    assert "gcp_licensed" in caught.value.field_errors


def test_every_wrong_gcp_field_is_reported_at_once_and_nothing_is_written(world: World) -> None:
    logged = _contact(world)
    _licensed(world)
    today = london_date(world.clock())
    with unchanged(world.db, "a GCP2 with wrong fields"), pytest.raises(InvalidInput) as caught:
        record_gcp(
            world.sam,
            logged.id,
            logged.child_person_ids[0],
            {"physical_care": 6, "safety": 3, "love_and_belonging": 2},
            carer_consent=True,
            carer_participation=None,
            review_on=today,
        )
    assert set(caught.value.field_errors) == {"physical_care", "esteem", "carer_participation", "review_on"}


@pytest.mark.parametrize(
    ("days", "fine"),
    [(0, False), (1, True), (7 * 26, True), (7 * 26 + 1, False)],
)
def test_the_review_date_is_after_today_and_within_six_months(world: World, days: int, fine: bool) -> None:
    logged = _contact(world)
    _licensed(world)
    review_on = london_date(world.clock()) + timedelta(days=days)

    def record() -> int:
        return record_gcp(
            world.sam,
            logged.id,
            logged.child_person_ids[0],
            GRADES,
            carer_consent=True,
            carer_participation=CarerParticipation.PARTIAL,
            review_on=review_on,
        )

    if fine:
        assert record()
    else:
        with pytest.raises(InvalidInput) as caught:
            record()
        assert "review_on" in caught.value.field_errors


def test_a_carer_who_declined_has_not_consented(world: World) -> None:
    logged = _contact(world)
    _licensed(world)
    with unchanged(world.db), pytest.raises(InvalidInput) as caught:
        record_gcp(
            world.sam,
            logged.id,
            logged.child_person_ids[0],
            GRADES,
            carer_consent=True,
            carer_participation=CarerParticipation.DECLINED,
            review_on=london_date(world.clock()) + timedelta(weeks=6),
        )
    assert "carer_participation" in caught.value.field_errors


def test_a_gcp_from_the_childs_record_needs_no_contact(world: World) -> None:
    logged = _contact(world)
    _licensed(world)
    gcp_id = record_gcp(world.sam, None, logged.child_person_ids[0], GRADES, carer_consent=True, **gcp_review(world))
    with world.db.session() as session:
        saved = session.get(GcpAssessment, gcp_id)
        assert saved is not None
        assert saved.contact_id is None
    with pytest.raises(InvalidInput) as caught:
        record_gcp(world.sam, None, _victim(world, logged.id), GRADES, carer_consent=True, **gcp_review(world))
    assert "child" in caught.value.field_errors


def test_the_next_gcp_reviews_the_last_one_and_is_compared_with_it(world: World) -> None:
    logged = _contact(world)
    _licensed(world)
    child_id = logged.child_person_ids[0]
    first = record_gcp(world.sam, logged.id, child_id, GRADES, carer_consent=True, **gcp_review(world, weeks=6))
    history = gcp_history(world.maria, child_id)
    assert [row.id for row in history.rows] == [first]
    assert history.comparison == ()
    assert not history.rows[0].overdue
    # the review date passes with no review: overdue, in the manager's list and in the report
    world.clock.advance(days=7 * 6 + 1)
    assert gcp_history(world.maria, child_id).rows[0].overdue
    due = overdue_gcp_reviews(world.maria)
    assert [(d.gcp_id, d.days_overdue, d.concern) for d in due] == [(first, 1, 4)]
    assert due[0].contact_reference == logged.reference
    summary = risk_tool_summary(world.maria)
    assert (summary.gcp_total, summary.gcp_children, summary.gcp_reviews_overdue) == (1, 1, 1)
    # the review is the next GCP2 for the same child: compared area by area, and no longer overdue
    second = record_gcp(world.sam, logged.id, child_id, BETTER, carer_consent=True, **gcp_review(world))
    history = gcp_history(world.maria, child_id)
    assert [row.id for row in history.rows] == [second, first]
    assert history.rows[1].reviewed
    assert not history.rows[1].overdue
    trends = {change.area: change.trend for change in history.comparison}
    assert trends == {
        "physical_care": GcpTrend.BETTER,
        "safety": GcpTrend.SAME,
        "love_and_belonging": GcpTrend.WORSE,
        "esteem": GcpTrend.SAME,
    }
    assert overdue_gcp_reviews(world.maria) == []
    assert _audits(world, "gcp.history") == 3


def test_only_managers_administrators_and_auditors_see_the_overdue_reviews(world: World) -> None:
    with pytest.raises(PermissionRefused):
        overdue_gcp_reviews(world.sam)
    assert overdue_gcp_reviews(world.admin) == []


def test_the_summary_counts_dash_by_level_marac_and_overrides(world: World) -> None:
    logged = _contact(world)
    record_dash(world.sam, logged.id, [True] * 3 + [False] * 21)
    record_dash(world.sam, logged.id, [True] * 11 + [False] * 13)
    high = record_dash(world.sam, logged.id, [True] * 16 + [False] * 8)
    record_dash(world.sam, logged.id, [False] * 24, professional_judgement_high=True, judgement_reason="Stalking.")
    summary = risk_tool_summary(world.maria)
    assert summary.dash_by_level == {DashLevel.STANDARD: 1, DashLevel.MEDIUM: 1, DashLevel.HIGH: 2}
    assert (summary.marac_referrals, summary.high_not_referred) == (0, 2)
    assert (summary.judgement_overrides, summary.dash_total) == (1, 4)
    make_marac_referral(world.sam, high.id)
    summary = risk_tool_summary(world.maria)
    assert (summary.marac_referrals, summary.high_not_referred) == (1, 1)
    later = risk_tool_summary(world.maria, since=world.clock() + timedelta(minutes=1))
    assert later.dash_total == 0


def test_the_database_refuses_a_dash_whose_level_does_not_follow_its_score(world: World) -> None:
    """Both databases: the check constraints hold even for a write that skips the services."""
    logged = _contact(world)
    with world.db.session() as session:
        sam_id = session.scalars(select(User.id).where(User.username == world.logins["sam"])).one()
    with pytest.raises(MashDeskError):
        _write_directly(world, logged.id, sam_id, level="standard", judgement=False, reason=None)
    with pytest.raises(MashDeskError):
        _write_directly(world, logged.id, sam_id, level="high", judgement=True, reason=None)


def _write_directly(
    world: World, contact_id: int, user_id: int, *, level: str, judgement: bool, reason: str | None
) -> None:
    with world.db.session(write=True) as session:
        session.add(
            DashAssessment(
                contact_id=contact_id,
                answers="Y" * 24,
                yes_count=24,
                level=level,
                professional_judgement=judgement,
                judgement_reason=reason,
                marac_referral=level == "high",
                assessed_by_id=user_id,
                assessed_at=world.clock(),
            )
        )
        session.flush()
