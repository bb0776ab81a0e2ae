"""The case audit's pure rules: reproducible sampling, fair strata, the checks, and the question sets
the council edits (every one loads and is complete)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mash_desk.domain.audits import (
    Answer,
    AuditGrade,
    AuditTheme,
    Candidate,
    Sampling,
    check_action,
    check_grading,
    check_plan,
    draw_sample,
    parse_question_set,
    stratum_shares,
)
from mash_desk.domain.errors import InvalidInput
from mash_desk.services.audits import load_question_set
from mash_desk.services.audits.questions import question_set_file

candidates = st.lists(
    st.builds(Candidate, st.integers(1, 10_000), st.sampled_from(["nfa", "cfa_s17", ""]), st.sampled_from(["2A", "6"])),
    unique_by=lambda c: c.contact_id,
    max_size=60,
)


@given(
    candidates,
    st.integers(1, 40),
    st.sampled_from([Sampling.RANDOM, Sampling.BY_OUTCOME, Sampling.BY_SOURCE]),
    st.integers(0, 2**31 - 1),
)
def test_a_seeded_draw_is_the_same_whatever_order_the_cases_come_in(
    pool: list[Candidate], size: int, sampling: Sampling, seed: int
) -> None:
    drawn = draw_sample(pool, size, sampling, seed)
    assert drawn == draw_sample(list(reversed(pool)), size, sampling, seed)
    assert len(drawn) == min(size, len(pool))
    assert len(set(drawn)) == len(drawn)
    assert set(drawn) <= {c.contact_id for c in pool}


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(1, 50), min_size=1), st.integers(0, 60))
def test_strata_shares_add_up_and_never_exceed_a_stratum(sizes: dict[str, int], size: int) -> None:
    size = min(size, sum(sizes.values()))
    shares = stratum_shares(sizes, size)
    assert sum(shares.values()) == size
    assert all(0 <= shares[name] <= sizes[name] for name in sizes)


def test_a_stratified_sample_takes_each_outcome_in_proportion() -> None:
    pool = [Candidate(i, "nfa" if i <= 60 else "cfa_s17", "2A") for i in range(1, 101)]
    drawn = draw_sample(pool, 10, Sampling.BY_OUTCOME, 5)
    assert sum(1 for i in drawn if i <= 60) == 6
    assert sum(1 for i in drawn if i > 60) == 4


def test_a_different_seed_draws_a_different_sample() -> None:
    pool = [Candidate(i, "nfa", "2A") for i in range(1, 200)]
    assert draw_sample(pool, 10, Sampling.RANDOM, 1) != draw_sample(pool, 10, Sampling.RANDOM, 2)


def test_the_plan_reports_every_problem_at_once() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_plan(
            title="",
            theme="weather",
            period_start=None,
            period_end=date(2030, 1, 1),
            sample_size=500,
            sampling=Sampling.RANDOM,
            seed="-4",
            auditor_ids=[1, 2],
            auditor_agencies={1: 7, 2: 7},
            today=date(2026, 3, 10),
        )
    assert set(refused.value.field_errors) == {"title", "theme", "period_start", "sample_size", "seed", "auditors"}


def test_an_action_needs_what_who_which_agency_and_a_date_to_come() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_action(
            what="x", owner=" ", agency_id=9, due_on=date(2026, 3, 9), today=date(2026, 3, 10), known_agencies=[1]
        )
    assert set(refused.value.field_errors) == {"what", "owner", "agency", "due_on"}


@pytest.mark.parametrize("theme", list(AuditTheme))
def test_every_theme_has_a_complete_question_set(theme: AuditTheme) -> None:
    assert question_set_file(theme).is_file()
    questions = load_question_set(theme)
    assert questions.theme is theme
    assert questions.title
    assert len(questions.questions) >= 3
    assert len(set(questions.ids)) == len(questions.ids)
    assert all(q.text.endswith("?") for q in questions.questions)


def test_an_incomplete_question_set_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="at least three") as refused:
        parse_question_set(AuditTheme.OPEN, {"title": "T", "questions": [{"id": "a", "text": "Q?"}]})
    assert "question set" in str(refused.value)
    with pytest.raises(ValueError, match="used twice"):
        parse_question_set(
            AuditTheme.OPEN,
            {
                "title": "T",
                "questions": [{"id": "a", "text": "Q?"}, {"id": "a", "text": "R?"}, {"id": "b", "text": "S?"}],
            },
        )
    with pytest.raises(ValueError, match="no title"):
        parse_question_set(AuditTheme.OPEN, {"questions": [{"id": f"q{i}", "text": "Q?"} for i in range(3)]})


@given(st.sets(st.sampled_from(["a", "b", "c", "d"])), st.sampled_from([*AuditGrade, None, "splendid"]))
def test_a_grading_names_each_unanswered_question_and_a_missing_grade(
    answered: set[str], grade: AuditGrade | str | None
) -> None:
    questions = ["a", "b", "c", "d"]
    expected = {f"answers.{q}" for q in questions if q not in answered}
    if not isinstance(grade, AuditGrade):
        expected.add("grade")

    def grading() -> object:
        return check_grading(
            grade=grade,
            learning="Read together, the contacts showed neglect building for a year.",
            answers=dict.fromkeys(answered, Answer.YES),
            question_ids=questions,
            findings=[(1, AuditGrade.GOOD, "Shared everything the same day.")],
        )

    if expected:
        with pytest.raises(InvalidInput) as refused:
            grading()
        assert set(refused.value.field_errors) == expected
    else:
        assert grading() is not None
