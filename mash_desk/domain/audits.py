"""The multi-agency case audit's rules: themes, grades, how a sample is drawn, what a question set is.

Pure functions, no I/O. A sample drawn with a seed is the same sample every time it is drawn again
from the same cases (the seed is recorded with the audit, so anyone can check the draw): candidates
are sorted by id first, so the order the database returns them in never matters.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from mash_desk.domain.enums import Role
from mash_desk.domain.errors import InvalidInput

MAX_SAMPLE = 200
"""More cases than any partnership audits by hand in one round: a typo, not a plan."""
MAX_SEED = 2**31 - 1
QUALITY_ASSURANCE_OVERSEERS = frozenset({Role.MANAGER, Role.AUDITOR})
"""Who oversees the partnership's quality assurance: a manager or the partnership's auditors (the
auditor role). They set up every case audit and read it whole, and they see the threshold exercises'
drafts and results (``domain.exercises``); anyone else sees only the audits they were asked to do."""
E = TypeVar("E", bound=StrEnum)


class AuditTheme(StrEnum):
    """What the partnership is asking about (the seed document's themes); OPEN takes any case."""

    NEGLECT = "neglect"
    DOMESTIC_ABUSE = "domestic_abuse"
    INTERPRETERS = "interpreters"
    HOUSING = "housing"
    OPEN = "open"


class AuditGrade(StrEnum):
    """The Ofsted words, best first."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"


GRADE_ORDER: tuple[AuditGrade, ...] = tuple(AuditGrade)


class Sampling(StrEnum):
    """How the cases are chosen from those that fit the theme and period."""

    RANDOM = "random"
    BY_OUTCOME = "by_outcome"
    BY_SOURCE = "by_source"
    HAND_PICKED = "hand_picked"


class Answer(StrEnum):
    """An auditor's answer to one question of the set."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Candidate:
    """A case that fits the audit's theme and period: its contact, and what it is stratified by."""

    contact_id: int
    outcome: str  # the first child's outcome code, or "" while undecided
    source: str  # the CIN referral source code


def draw_sample(candidates: Iterable[Candidate], size: int, sampling: Sampling, seed: int | None) -> list[int]:
    """The contact ids of the sample, in the order drawn.

    Random: ``size`` cases drawn with ``random.Random(seed)``. By outcome / by source: the cases are
    split into strata, each stratum gets its share of ``size`` (largest remainder, so the shares add
    up), and each share is drawn at random with the same seed. Fewer candidates than ``size``: all of
    them. Hand-picked samples are not drawn (:func:`check_hand_picked`).
    """
    if sampling is Sampling.HAND_PICKED:
        raise ValueError("a hand-picked sample is chosen by a person, not drawn")
    if seed is None:
        raise ValueError("a drawn sample needs its seed, so it can be drawn again")
    pool = sorted(candidates, key=lambda c: c.contact_id)
    rng = random.Random(seed)
    if size >= len(pool):
        return [c.contact_id for c in pool]
    if sampling is Sampling.RANDOM:
        return [c.contact_id for c in rng.sample(pool, size)]
    strata: dict[str, list[Candidate]] = {}
    for candidate in pool:
        stratum = candidate.outcome if sampling is Sampling.BY_OUTCOME else candidate.source
        strata.setdefault(stratum, []).append(candidate)
    shares = stratum_shares({name: len(members) for name, members in strata.items()}, size)
    drawn: list[int] = []
    for name in sorted(strata):
        drawn.extend(c.contact_id for c in rng.sample(strata[name], shares[name]))
    return drawn


def stratum_shares(sizes: Mapping[str, int], size: int) -> dict[str, int]:
    """Each stratum's share of ``size``, proportional to its size; the largest remainders get the rest
    (ties to the stratum whose name sorts first, so the split never depends on dict order)."""
    total = sum(sizes.values())
    if total == 0:
        return dict.fromkeys(sizes, 0)
    exact = {name: size * count / total for name, count in sizes.items()}
    shares = {name: int(value) for name, value in exact.items()}
    left = size - sum(shares.values())
    for name in sorted(sizes, key=lambda n: (-(exact[n] - shares[n]), n))[:left]:
        shares[name] += 1
    return shares


@dataclass(frozen=True)
class AuditPlan:
    """An audit as set up, checked: what the service stores."""

    title: str
    theme: AuditTheme
    period_start: date
    period_end: date
    sample_size: int
    sampling: Sampling
    seed: int | None
    auditor_ids: tuple[int, ...]
    hand_picked: tuple[str, ...]  # contact references, for a hand-picked sample
    internal_use: bool


def check_plan(
    *,
    title: str,
    theme: AuditTheme | str | None,
    period_start: date | None,
    period_end: date | None,
    sample_size: int | None,
    sampling: Sampling | str | None,
    seed: str | int | None,
    auditor_ids: Sequence[int],
    auditor_agencies: Mapping[int, int],
    hand_picked: Sequence[str] = (),
    internal_use: bool = False,
    today: date,
) -> AuditPlan:
    """Every field of the set-up checked at once; each problem reported at its field.

    ``auditor_agencies`` maps each chosen auditor to their agency: a multi-agency audit needs auditors
    from at least two agencies.
    """
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "Give the audit a title the partnership will recognise."
    elif len(title) > 120:
        errors["title"] = "Keep the title under 120 characters."
    checked_theme = _enum(AuditTheme, theme)
    if checked_theme is None:
        errors["theme"] = "Choose the audit's theme."
    if period_start is None:
        errors["period_start"] = "Give the first day of the period the cases are drawn from."
    if period_end is None:
        errors["period_end"] = "Give the last day of the period."
    if period_start and period_end:
        if period_end < period_start:
            errors["period_end"] = "The period ends before it starts."
        elif period_end > today:
            errors["period_end"] = "The period cannot end in the future: audits read cases already decided."
    checked_sampling = _enum(Sampling, sampling)
    if checked_sampling is None:
        errors["sampling"] = "Choose how the cases are sampled."
    picked = tuple(dict.fromkeys(ref.strip().upper() for ref in hand_picked if ref.strip()))
    if checked_sampling is Sampling.HAND_PICKED:
        if not picked:
            errors["hand_picked"] = "List the contact references of the cases picked."
        size = len(picked)
    else:
        size = sample_size or 0
        if size < 1:
            errors["sample_size"] = "Sample at least one case."
        elif size > MAX_SAMPLE:
            errors["sample_size"] = f"Sample at most {MAX_SAMPLE} cases in one audit."
    checked_seed: int | None = None
    if checked_sampling is not None and checked_sampling is not Sampling.HAND_PICKED:
        text = str(seed).strip() if seed is not None else ""
        if text:
            try:
                checked_seed = int(text)
            except ValueError:
                errors["seed"] = "The seed is a whole number (leave it blank and one is chosen and recorded)."
            else:
                if not 0 <= checked_seed <= MAX_SEED:
                    errors["seed"] = f"The seed is a whole number from 0 to {MAX_SEED}."
    auditors = tuple(dict.fromkeys(auditor_ids))
    if not auditors:
        errors["auditors"] = "Choose the auditors, from at least two agencies."
    elif len({auditor_agencies.get(a) for a in auditors}) < 2:
        errors["auditors"] = "A multi-agency audit needs auditors from at least two agencies."
    if errors:
        raise InvalidInput(errors)
    assert checked_theme is not None
    assert checked_sampling is not None
    assert period_start is not None
    assert period_end is not None
    return AuditPlan(
        title=title,
        theme=checked_theme,
        period_start=period_start,
        period_end=period_end,
        sample_size=size,
        sampling=checked_sampling,
        seed=checked_seed,
        auditor_ids=auditors,
        hand_picked=picked,
        internal_use=internal_use,
    )


def _enum(kind: type[E], value: E | str | None) -> E | None:
    try:
        return kind(value) if value else None
    except ValueError:
        return None


# --- grading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyFinding:
    """What one auditor found about one agency's part in the case."""

    agency_id: int
    grade: AuditGrade
    finding: str


@dataclass(frozen=True)
class Grading:
    """One auditor's grading of one case, checked."""

    grade: AuditGrade
    learning: str
    answers: dict[str, Answer]
    findings: tuple[AgencyFinding, ...]


def check_grading(
    *,
    grade: AuditGrade | str | None,
    learning: str,
    answers: Mapping[str, Answer | str | None],
    question_ids: Sequence[str],
    findings: Sequence[tuple[int, AuditGrade | str | None, str]],
) -> Grading:
    """The grading checked whole: every question answered, a grade, the learning in the auditor's own
    words, and for each agency graded a finding saying why (errors keyed ``answers.<id>``,
    ``findings.<agency id>``)."""
    errors: dict[str, str] = {}
    checked_grade = _enum(AuditGrade, grade)
    if checked_grade is None:
        errors["grade"] = "Grade the case: outstanding, good, requires improvement or inadequate."
    learning = (learning or "").strip()
    if len(learning) < 20:
        errors["learning"] = "Say what the partnership should learn from this case, in a sentence or two."
    checked_answers: dict[str, Answer] = {}
    for question in question_ids:
        answer = _enum(Answer, answers.get(question))
        if answer is None:
            errors[f"answers.{question}"] = "Answer this question (not applicable is an answer)."
        else:
            checked_answers[question] = answer
    unknown = set(answers) - set(question_ids)
    if unknown:
        errors["answers"] = "Some answers are to questions not in this audit's set."
    checked_findings: list[AgencyFinding] = []
    seen: set[int] = set()
    for agency_id, agency_grade, finding in findings:
        text = (finding or "").strip()
        checked = _enum(AuditGrade, agency_grade)
        if checked is None and not text:
            continue  # an agency with no part in this case
        if agency_id in seen:
            errors[f"findings.{agency_id}"] = "Each agency is graded once per case."
        elif checked is None:
            errors[f"findings.{agency_id}"] = "Grade this agency's part, or clear the finding."
        elif len(text) < 10:
            errors[f"findings.{agency_id}"] = "Say what this agency did well or should do differently."
        else:
            checked_findings.append(AgencyFinding(agency_id, checked, text))
        seen.add(agency_id)
    if not checked_findings and not any(k.startswith("findings.") for k in errors):
        errors["findings"] = "Grade at least one agency's part in the case, with the finding."
    if errors:
        raise InvalidInput(errors)
    assert checked_grade is not None
    return Grading(checked_grade, learning, checked_answers, tuple(checked_findings))


# --- actions -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionPlan:
    what: str
    owner: str
    agency_id: int
    due_on: date


def check_action(
    *, what: str, owner: str, agency_id: int | None, due_on: date | None, today: date, known_agencies: Iterable[int]
) -> ActionPlan:
    """An action from the audit's findings: what, who owns it, which agency, by when (not in the past)."""
    errors: dict[str, str] = {}
    what, owner = (what or "").strip(), (owner or "").strip()
    if len(what) < 10:
        errors["what"] = "Say what will be done, so anyone can tell when it is."
    if not owner:
        errors["owner"] = "Name the person who owns the action."
    elif len(owner) > 120:
        errors["owner"] = "Keep the owner's name under 120 characters."
    if agency_id is None or agency_id not in set(known_agencies):
        errors["agency"] = "Choose the agency that owns the action."
    if due_on is None:
        errors["due_on"] = "Give the date the action is due."
    elif due_on < today:
        errors["due_on"] = "The due date has already passed."
    if errors:
        raise InvalidInput(errors)
    assert agency_id is not None
    assert due_on is not None
    return ActionPlan(what, owner, agency_id, due_on)


def action_overdue(due_on: date, done: bool, today: date) -> bool:
    """An action not done by the end of its due day is overdue."""
    return not done and due_on < today


# --- question sets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    guidance: str


@dataclass(frozen=True)
class QuestionSet:
    theme: AuditTheme
    title: str
    questions: tuple[Question, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)


def parse_question_set(theme: AuditTheme, document: Mapping[str, object]) -> QuestionSet:
    """A question set from its TOML document, checked whole (a council edits these files): a title,
    at least three questions, each with a unique id of lower-case letters, digits and underscores."""
    problems: list[str] = []
    title = document.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append("it has no title")
    raw = document.get("questions")
    questions: list[Question] = []
    if not isinstance(raw, list) or len(raw) < 3:
        problems.append("it needs at least three [[questions]]")
        raw = raw if isinstance(raw, list) else []
    seen: set[str] = set()
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(f"question {number} is not a table")
            continue
        qid, text, guidance = item.get("id"), item.get("text"), item.get("guidance", "")
        if not isinstance(qid, str) or not qid or not all(ch.islower() or ch.isdigit() or ch == "_" for ch in qid):
            problems.append(f"question {number} needs an id of lower-case letters, digits and _")
            continue
        if qid in seen:
            problems.append(f"question id {qid!r} is used twice")
        seen.add(qid)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"question {qid!r} has no text")
            continue
        questions.append(Question(qid, text.strip(), guidance.strip() if isinstance(guidance, str) else ""))
    if problems:
        raise ValueError(f"the {theme.value} question set is not complete: " + "; ".join(problems))
    assert isinstance(title, str)
    return QuestionSet(theme, title.strip(), tuple(questions))
