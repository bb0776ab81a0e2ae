"""The seed's themes in numbers, read inside ``services.dashboard.front_door_measures``' own unit.

Outcomes by child, timeliness by RAG rating, the Graded Care Profile 2 grades, what managers
decided about cumulative neglect, who interpreted for families, the risk tools and supervision:
figures the dashboard, ``mash-desk report --period`` and the partnership's quarterly pack all read
from one :class:`ThemeMeasures`, so the three can never disagree. Counts only (``dashboard`` wraps
them in ratios); a period is the contacts *received* in it unless a figure's definition says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from mash_desk.domain.enums import Outcome, Rag
from mash_desk.domain.patterns import Interpreter, PatternDecision, PatternKind
from mash_desk.domain.periods import Period, london_date
from mash_desk.domain.timescales import WorkingCalendar
from mash_desk.services.risk_tools.summary import RiskToolSummary, risk_tool_counts
from mash_desk.services.supervision.measures import SupervisionMeasures, supervision_measures
from mash_desk.store.models import Contact, ContactChild, FamilyConversation, GcpAssessment, PatternResponse

OUTCOME_WORDS: Mapping[Outcome, str] = {
    Outcome.NFA: "No further action",
    Outcome.ADVICE_SIGNPOST: "Advice or signposting",
    Outcome.EARLY_HELP: "Early help",
    Outcome.SINGLE_AGENCY: "Single agency to act",
    Outcome.CFA_S17: "Child and family assessment (s17)",
    Outcome.STRATEGY_S47: "Strategy discussion (s47)",
    Outcome.EMERGENCY_PROTECTION: "Emergency protection",
    Outcome.TRANSFER_OTHER_LA: "Transferred to another local authority",
    Outcome.PASS_TO_ALLOCATED_WORKER: "Passed to the allocated worker",
    Outcome.MARAC: "MARAC",
    Outcome.LADO: "LADO (allegation against someone who works with children)",
}
RAG_WORDS: Mapping[Rag, str] = {Rag.RED: "RED", Rag.AMBER: "AMBER", Rag.GREEN: "GREEN"}
GCP_AREAS: tuple[tuple[str, str], ...] = (
    ("physical_care", "Physical care"),
    ("safety", "Care of safety"),
    ("love_and_belonging", "Emotional care (love and belonging)"),
    ("esteem", "Developmental care (esteem)"),
)
NEGLECT_DECISION_WORDS: Mapping[PatternDecision, str] = {
    PatternDecision.GRADED_CARE_PROFILE: "A Graded Care Profile 2",
    PatternDecision.STRATEGY_DISCUSSION: "A strategy discussion",
    PatternDecision.BOTH: "Both",
    PatternDecision.NEITHER: "Neither (reason recorded)",
}
INTERPRETER_WORDS: Mapping[Interpreter, str] = {
    Interpreter.PROFESSIONAL: "A professional interpreter",
    Interpreter.FAMILY_MEMBER: "A family member",
    Interpreter.CHILD: "A child",
    Interpreter.NONE: "No interpreter",
}


@dataclass(frozen=True)
class RagTimeliness:
    rag: Rag
    decided: int  # rated this colour and decided
    within: int  # of those, decided by the RAG deadline


@dataclass(frozen=True)
class GcpArea:
    key: str
    label: str
    by_grade: tuple[int, int, int, int, int]  # assessments graded 1 (best) .. 5 (worst) in this area


@dataclass(frozen=True)
class ThemeMeasures:
    outcomes: tuple[tuple[Outcome, int], ...]  # children by authorised outcome
    rag_timeliness: tuple[RagTimeliness, ...]
    gcp_areas: tuple[GcpArea, ...]
    neglect_decisions: tuple[tuple[PatternDecision, int], ...]  # contacts by the manager's decision
    interpreters: tuple[tuple[Interpreter, int], ...]  # conversations held in the period, by who interpreted
    risk: RiskToolSummary
    supervision: SupervisionMeasures


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def theme_measures(
    session: Session,
    period: Period,
    now: datetime,
    calendar: WorkingCalendar,
    open_caseloads: Mapping[int | None, int],
) -> ThemeMeasures:
    """Every theme figure for contacts received in ``period`` (grouped queries, none per contact)."""
    in_period = and_(Contact.received_at >= period.start, Contact.received_at < period.end)
    by_outcome = dict.fromkeys(Outcome, 0)
    for outcome, children in session.execute(
        select(ContactChild.outcome, func.count(ContactChild.id))
        .join(Contact, Contact.id == ContactChild.contact_id)
        .where(in_period, ContactChild.outcome.is_not(None))
        .group_by(ContactChild.outcome)
    ):
        if outcome is not None:
            by_outcome[outcome] = int(children)
    rag_rows = {
        rag: (int(decided), int(within))
        for rag, decided, within in session.execute(
            select(Contact.rag, func.count(Contact.decided_at), _count_if(Contact.decided_at <= Contact.rag_due_at))
            .where(in_period, Contact.rag.is_not(None))
            .group_by(Contact.rag)
        )
    }
    grades = session.execute(
        select(
            *(_count_if(getattr(GcpAssessment, key) == grade) for key, _label in GCP_AREAS for grade in range(1, 6))
        ).where(GcpAssessment.assessed_at >= period.start, GcpAssessment.assessed_at < period.end)
    ).one()
    areas = tuple(
        GcpArea(key, label, tuple(int(grades[index * 5 + g]) for g in range(5)))  # type: ignore[arg-type]
        for index, (key, label) in enumerate(GCP_AREAS)
    )
    decisions = dict.fromkeys(PatternDecision, 0)
    for decision, contacts in session.execute(
        select(PatternResponse.decision, func.count(func.distinct(PatternResponse.contact_id)))
        .join(Contact, Contact.id == PatternResponse.contact_id)
        .where(in_period, PatternResponse.pattern == PatternKind.CUMULATIVE_NEGLECT)
        .group_by(PatternResponse.decision)
    ):
        decisions[PatternDecision(decision)] = int(contacts)
    interpreted = dict.fromkeys(Interpreter, 0)
    for who, conversations in session.execute(
        select(FamilyConversation.interpreter, func.count(FamilyConversation.id))
        .where(FamilyConversation.held_on >= period.first, FamilyConversation.held_on <= period.last)
        .group_by(FamilyConversation.interpreter)
    ):
        interpreted[Interpreter(who)] = int(conversations)
    return ThemeMeasures(
        outcomes=tuple(by_outcome.items()),
        rag_timeliness=tuple(RagTimeliness(rag, *rag_rows.get(rag, (0, 0))) for rag in Rag),
        gcp_areas=areas,
        neglect_decisions=tuple(decisions.items()),
        interpreters=tuple(interpreted.items()),
        risk=risk_tool_counts(session, london_date(now), since=period.start, until=period.end),
        supervision=supervision_measures(session, period, now, calendar, open_caseloads),
    )


Row = tuple[str, str, int | None, int | None]


def theme_rows(themes: ThemeMeasures) -> list[Row]:
    """(section, measure, count, out of) for every theme figure, in reading order (``dashboard._rows``)."""
    children = sum(n for _o, n in themes.outcomes)
    rows: list[Row] = [("Outcomes", f"Children: {OUTCOME_WORDS[o]}", n, children) for o, n in themes.outcomes]
    rows += [
        ("Timeliness by RAG", f"{RAG_WORDS[t.rag]}: completed within the RAG timescale", t.within, t.decided)
        for t in themes.rag_timeliness
    ]
    risk = themes.risk
    gcp_assessed = risk.gcp_total
    rows += [
        ("Neglect", "Graded Care Profile 2 assessments", risk.gcp_total, None),
        ("Neglect", "Children assessed with a Graded Care Profile 2", risk.gcp_children, None),
        ("Neglect", "Graded Care Profile 2 reviews overdue (now)", risk.gcp_reviews_overdue, None),
    ]
    for area in themes.gcp_areas:
        rows += [
            ("Neglect", f"GCP2 {area.label}: grade {grade}", n, gcp_assessed)
            for grade, n in enumerate(area.by_grade, start=1)
        ]
    decided = sum(n for _d, n in themes.neglect_decisions)
    rows += [
        ("Neglect", f"Cumulative neglect decided: {NEGLECT_DECISION_WORDS[d]}", n, decided)
        for d, n in themes.neglect_decisions
    ]
    rows += [
        ("Domestic abuse", f"DASH checklists: {level.value.capitalize()} risk", n, risk.dash_total)
        for level, n in risk.dash_by_level.items()
    ]
    rows += [
        ("Domestic abuse", "DASH rated high on professional judgement", risk.judgement_overrides, risk.dash_total),
        ("Domestic abuse", "MARAC referrals made", risk.marac_referrals, None),
        ("Domestic abuse", "High-risk DASH with no MARAC referral yet", risk.high_not_referred, None),
    ]
    conversations = sum(n for _w, n in themes.interpreters)
    rows += [
        ("Interpreters", f"Conversations with families: {INTERPRETER_WORDS[who]}", n, conversations)
        for who, n in themes.interpreters
    ]
    sup = themes.supervision
    rows += [
        ("Supervision", "Supervisions held", sup.supervisions_held, None),
        ("Supervision", "Cases discussed in supervision", sup.cases_discussed, None),
        ("Supervision", "Practitioners overdue for supervision (now)", sup.overdue_now, len(sup.practitioners)),
    ]
    for month in sup.months:
        when = f"{month.month_end:%b %Y}"
        rows += [
            ("Supervision", f"{when}: practitioners supervised", month.practitioners_supervised, month.practitioners),
            ("Supervision", f"{when}: overdue at the month's end", month.overdue_at_end, month.practitioners),
            ("Supervision", f"{when}: open caseload at the month's end", month.caseload_at_end, None),
        ]
    return rows
