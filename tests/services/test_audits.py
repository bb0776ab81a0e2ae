"""The case audit's services on SQLite and PostgreSQL: set up and sampled reproducibly, graded by the
assigned auditors only, actions tracked to done and counted on the dashboard, the summary for the pack."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mash_desk.domain.audits import AuditGrade, AuditTheme, Sampling
from mash_desk.domain.errors import IllegalTransition, InvalidInput, NotFound, PermissionRefused
from mash_desk.services import audits
from mash_desk.services.dashboard import front_door_measures
from mash_desk.services.manager import count_tiles
from tests.audit_cases import PERIOD, agency_ids, decided_cases, good_grading, set_up, user_ids
from tests.support import AuditWatch, World, unchanged


def test_a_drawn_sample_is_kept_with_its_seed_and_draws_again_the_same(world: World) -> None:
    cases = decided_cases(world)
    first = set_up(world, seed=7, size=3)
    again = set_up(world, seed=7, size=3)
    assert first.seed == 7
    assert len(first.contact_ids) == 3
    assert set(first.contact_ids) <= {c.id for c in cases}
    assert again.contact_ids == first.contact_ids
    assert audits.redraw_sample(world.auditor, first.id) == first.contact_ids
    chosen = set_up(world, seed=None, size=3)
    assert chosen.seed is not None  # chosen for the person, and recorded
    assert audits.redraw_sample(world.maria, chosen.id) == chosen.contact_ids


def test_stratified_and_hand_picked_samples(world: World) -> None:
    cases = decided_cases(world, 4)
    by_source = set_up(world, sampling=Sampling.BY_SOURCE, size=2, seed=3)
    assert len(by_source.contact_ids) == 2
    with world.db.session() as session:
        from mash_desk.store.models import Contact

        refs = {c.id: session.get(Contact, c.id).reference for c in cases}  # type: ignore[union-attr]
    picked = set_up(
        world,
        sampling=Sampling.HAND_PICKED,
        seed=None,
        size=None,
        hand_picked=[refs[cases[2].id].lower(), refs[cases[0].id]],
    )
    assert picked.contact_ids == (cases[2].id, cases[0].id)
    assert picked.seed is None


def test_bad_set_up_is_refused_at_its_fields_and_writes_nothing(world: World) -> None:
    decided_cases(world, 2)
    with unchanged(world.db), pytest.raises(InvalidInput) as refused:
        set_up(
            world,
            title=" ",
            period_start=date(2026, 3, 10),
            period_end=date(2026, 3, 1),
            size=0,
            seed="abc",
            auditor_ids=user_ids(world, "sam", "priya"),  # one agency only
        )
    assert set(refused.value.field_errors) == {"title", "period_end", "sample_size", "seed", "auditors"}
    with unchanged(world.db), pytest.raises(InvalidInput) as refused:
        set_up(world, sampling=Sampling.HAND_PICKED, seed=None, hand_picked=["MASH-NOPE"])
    assert "MASH-NOPE" in refused.value.field_errors["hand_picked"]
    with unchanged(world.db), pytest.raises(InvalidInput) as refused:
        set_up(world, theme=AuditTheme.INTERPRETERS)  # nobody needed an interpreter
    assert "period_start" in refused.value.field_errors


def test_only_managers_and_auditors_set_up_and_agree_actions(world: World) -> None:
    decided_cases(world, 2)
    for who in ("sam", "pc_jones", "bea", "admin"):
        with unchanged(world.db), pytest.raises(PermissionRefused):
            set_up(world, who=who)
    made = set_up(world, who="maria")
    agency = agency_ids(world)["POLICE"]
    with unchanged(world.db), pytest.raises(PermissionRefused):
        audits.add_action(
            world.sam, made.id, what="Train call handlers", owner="DI Shaw", agency_id=agency, due_on=None
        )


def test_assigned_auditors_grade_once_and_nobody_else_reads_or_grades(world: World) -> None:
    decided_cases(world, 3)
    made = set_up(world, size=2)
    cases = audits.my_audit_cases(world.health)
    assert [c.audit_id for c in cases] == [made.id, made.id]
    first = cases[0]
    watch = AuditWatch(world.db)
    view = audits.audit_case(world.health, first.id)
    assert view.questions.theme is AuditTheme.NEGLECT
    assert view.mine is None
    assert [line.action for line in watch.new()] == ["case_audit.case_read"]
    # not assigned: neither the list nor the case nor a grade
    assert audits.my_audit_cases(world.priya) == []
    with unchanged(world.db), pytest.raises(NotFound):
        audits.audit_case(world.priya, first.id)
    with unchanged(world.db), pytest.raises(NotFound):
        audits.grade_case(world.priya, first.id, **good_grading(world))  # type: ignore[arg-type]
    with unchanged(world.db), pytest.raises(NotFound):
        audits.audit_detail(world.priya, made.id)
    grade_id = audits.grade_case(world.health, first.id, **good_grading(world, "HEALTH"))  # type: ignore[arg-type]
    assert grade_id
    assert [line.action for line in watch.new()] == ["case_audit.grade"]
    mine = audits.audit_case(world.health, first.id).mine
    assert mine is not None
    assert mine.grade is AuditGrade.REQUIRES_IMPROVEMENT
    with unchanged(world.db, "a second grading"), pytest.raises(PermissionRefused):
        audits.grade_case(world.health, first.id, **good_grading(world))  # type: ignore[arg-type]
    detail = audits.audit_detail(world.auditor, made.id)
    assert detail.audit.grades_made == 1
    assert detail.audit.grades_expected == 6


def test_a_grading_with_gaps_is_refused_at_each_field_and_writes_nothing(world: World) -> None:
    decided_cases(world, 2)
    made = set_up(world, size=1)
    (case,) = audits.my_audit_cases(world.sam)
    bad = good_grading(world)
    answers = dict(bad["answers"])  # type: ignore[call-overload]
    answers.pop("history_read")
    police = agency_ids(world)["POLICE"]
    with unchanged(world.db), pytest.raises(InvalidInput) as refused:
        audits.grade_case(
            world.sam,
            case.id,
            grade="splendid",
            learning="ok",
            answers=answers,
            findings=[(police, None, "Police shared the call-outs the same day.")],
        )
    assert set(refused.value.field_errors) == {"grade", "learning", "answers.history_read", f"findings.{police}"}
    assert made.id == case.audit_id


def test_actions_are_tracked_to_done_and_overdue_ones_reach_the_dashboard(world: World) -> None:
    decided_cases(world, 2)
    made = set_up(world, size=1)
    police = agency_ids(world)["POLICE"]
    today = world.clock().date()
    with unchanged(world.db), pytest.raises(InvalidInput) as refused:
        audits.add_action(world.auditor, made.id, what="short", owner="", agency_id=None, due_on=today - timedelta(1))
    assert set(refused.value.field_errors) == {"what", "owner", "agency", "due_on"}
    action = audits.add_action(
        world.auditor,
        made.id,
        what="Police to share DA call-outs with the MASH the same day",
        owner="DI Shaw",
        agency_id=police,
        due_on=today + timedelta(days=7),
    )
    measures = front_door_measures(world.maria, *PERIOD)
    assert measures.audit_actions_overdue == 0
    world.clock.advance(days=10)
    measures = front_door_measures(world.maria, *PERIOD)
    assert measures.audit_actions_overdue == 1
    tile = next(t for t in count_tiles(measures) if t.key == "audit_actions_overdue")
    assert tile.count == 1
    assert audits.audit_detail(world.auditor, made.id).actions[0].overdue
    with unchanged(world.db), pytest.raises(InvalidInput):
        audits.mark_action_done(world.auditor, action, "")
    audits.mark_action_done(world.auditor, action, "Same-day sharing agreed at the police MASH meeting.")
    assert front_door_measures(world.maria, *PERIOD).audit_actions_overdue == 0
    with unchanged(world.db), pytest.raises(IllegalTransition):
        audits.mark_action_done(world.maria, action, "Done twice is still done once.")


def test_the_summary_counts_grades_by_agency_and_theme_and_actions_by_state(world: World) -> None:
    decided_cases(world, 3)
    made = set_up(world, size=2)
    for who, agency in (("sam", "SOCIAL_CARE"), ("pc_jones", "POLICE")):
        ctx = world.as_(who)
        for case in audits.my_audit_cases(ctx):
            audits.grade_case(ctx, case.id, **good_grading(world, agency))  # type: ignore[arg-type]
    audits.add_action(
        world.auditor,
        made.id,
        what="Health visitors to record the GCP2 offer",
        owner="Jan Cole",
        agency_id=agency_ids(world)["HEALTH"],
        due_on=world.clock().date() + timedelta(days=3),
    )
    summary = audits.audit_summary(world.maria, date(2026, 3, 1), date(2026, 3, 31))
    assert summary.audits_set_up == 1
    assert summary.gradings == 4
    assert summary.cases_graded == 2
    assert {t.label: t.count(AuditGrade.REQUIRES_IMPROVEMENT) for t in summary.by_agency} == {
        "Children's Social Care": 2,
        "Police": 2,
    }
    assert [(t.label, t.total) for t in summary.by_theme] == [("neglect", 4)]
    # the period has not ended: the actions as they are now (due on the 13th, today the 10th)
    assert (summary.actions_open, summary.actions_overdue, summary.actions_done) == (1, 0, 0)
    world.clock.advance(days=30)
    later = audits.audit_summary(world.maria, date(2026, 3, 1), date(2026, 3, 31))
    assert (later.actions_open, later.actions_overdue, later.actions_done) == (1, 1, 0)
    with pytest.raises(PermissionRefused):
        audits.audit_summary(world.sam, date(2026, 3, 1), date(2026, 3, 31))
