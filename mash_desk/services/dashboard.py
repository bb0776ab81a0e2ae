"""Front-door measures for a period: every figure the dashboard and ``mash-desk report --period`` show.

Each figure is computed once, here, by a few grouped queries (no query per contact), so the numbers
on screen, on the command line and in the CSV are the same numbers. The period is the contacts
*received* on London dates ``start`` to ``end`` inclusive; caseloads and unaccepted hand-offs are a
snapshot of now. Each ratio carries its numerator and denominator, so nobody has to trust a
percentage without seeing what it is a percentage of.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import CTE, ColumnElement, and_, case, distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from mash_desk.domain.cin import REFERRAL_SOURCES
from mash_desk.domain.enums import (
    Concern,
    ContactStatus,
    DecisionStatus,
    HousingTenure,
    Outcome,
)
from mash_desk.domain.patterns import PatternKind
from mash_desk.domain.periods import Period, london_date
from mash_desk.domain.validation import add_months
from mash_desk.services.audits.actions import overdue_action_count
from mash_desk.services.context import ServiceContext
from mash_desk.services.dashboard_themes import ThemeMeasures, theme_measures, theme_rows
from mash_desk.services.dashboard_tiles import (
    REFERRAL_OUTCOMES,
    TileRule,
    TileUnit,
    child_referrals,
    require_dashboard,
    tile_rules,
    tile_source,
)
from mash_desk.services.patterns import PATTERN_LABELS, PatternCount, pattern_counts
from mash_desk.services.policy import load_dashboard_targets
from mash_desk.services.reporting import for_reports
from mash_desk.services.supervision.measures import SupervisionMeasures, supervision_measures
from mash_desk.store.models import (
    Contact,
    ContactChild,
    ContactConcern,
    Household,
    Person,
    Team,
    ThresholdDecision,
    User,
)
from mash_desk.store.queries import lookup

# work still with the MASH (a caseload): before the hand-off is sent
CASELOAD_STATES = (
    ContactStatus.RECEIVED,
    ContactStatus.SCREENED,
    ContactStatus.AGENCY_CHECKS,
    ContactStatus.RETURNED,
    ContactStatus.AWAITING_AUTHORISATION,
    ContactStatus.AUTHORISED,
)

TENURE_WORDS: dict[HousingTenure, str] = {
    HousingTenure.OWNER_OCCUPIED: "Owner occupied",
    HousingTenure.SOCIAL_RENT: "Social rent",
    HousingTenure.PRIVATE_RENT: "Private rent",
    HousingTenure.TEMPORARY: "Temporary accommodation (tenure)",
    HousingTenure.NO_FIXED_ABODE: "No fixed abode",
    HousingTenure.WITH_FAMILY_OR_FRIENDS: "Living with family or friends",
    HousingTenure.UNKNOWN: "Tenure not known",
}


@dataclass(frozen=True)
class Ratio:
    """``numerator`` out of ``denominator``; ``percent`` is ``None`` when there is nothing to divide."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return None if self.denominator == 0 else 100.0 * self.numerator / self.denominator

    def describe(self) -> str:
        share = "n/a" if self.percent is None else f"{self.percent:.1f}%"
        return f"{share} ({self.numerator:,} of {self.denominator:,})"


@dataclass(frozen=True)
class SourceConversion:
    """Contacts from one referral source and how many became referrals, assessments, strategy discussions."""

    source: str  # CIN code, or "all"
    description: str
    contacts: int
    referrals: int
    assessments: int
    strategy_discussions: int

    @property
    def to_referral(self) -> Ratio:
        return Ratio(self.referrals, self.contacts)

    @property
    def to_assessment(self) -> Ratio:
        return Ratio(self.assessments, self.contacts)

    @property
    def to_strategy(self) -> Ratio:
        return Ratio(self.strategy_discussions, self.contacts)


@dataclass(frozen=True)
class Caseload:
    """Open MASH work assigned to one worker (``worker_id`` ``None``: nobody yet)."""

    worker_id: int | None
    worker: str
    open: int
    overdue: int


@dataclass(frozen=True)
class TeamHandOffs:
    team: str
    awaiting: int
    overdue: int


@dataclass(frozen=True)
class Breakdown:
    """Contacts with one circumstance (neglect, interpreter needed, temporary accommodation...)."""

    key: str
    label: str
    contacts: int
    referrals: int

    @property
    def to_referral(self) -> Ratio:
        return Ratio(self.referrals, self.contacts)


@dataclass(frozen=True)
class FrontDoorMeasures:
    start: date
    end: date
    generated_at: datetime
    contacts_received: int
    # timeliness
    decided_within_one_working_day: Ratio  # of decided contacts: decided_at <= decision_due_at
    undecided_past_deadline: int  # received in the period, still undecided, one-working-day deadline passed
    completed_within_rag: Ratio  # of rated, decided contacts: decided_at <= rag_due_at
    agency_returns_on_time: Ratio  # of returned checks: returned_at <= due_at
    agency_returns_overdue: int  # still outstanding past their deadline
    # outcomes
    referrals: int  # child referrals, one per child per day
    re_referrals: Ratio  # of those, with another referral of the child in the 12 months before
    conversion: SourceConversion  # all sources together
    conversion_by_source: tuple[SourceConversion, ...]
    nfa: Ratio  # children decided NFA, of children with an authorised outcome
    # management review
    decisions_returned: Ratio  # contacts returned at least once, of contacts a manager reviewed
    outcomes_changed_after_return: int  # children whose authorised outcome/level differs from a returned one
    # now
    caseloads: tuple[Caseload, ...]
    hand_offs_awaiting: int
    hand_offs_overdue: int
    hand_offs_by_team: tuple[TeamHandOffs, ...]
    # the breakdowns the safeguarding board asked for
    breakdowns: tuple[Breakdown, ...]
    # the administrator's target for each headline percentage (None: shown for context only)
    targets: Mapping[str, float | None]
    # patterns nobody should miss, on the period's contacts (``services.patterns``)
    patterns: tuple[PatternCount, ...] = ()
    # actions agreed from the partnership's case audits, not done by their due day (a snapshot of now)
    audit_actions_overdue: int = 0
    # the seed's themes, the risk tools and supervision (``services.dashboard_themes``)
    themes: ThemeMeasures | None = None

    @property
    def neglect_awaiting_decision(self) -> int:
        """Contacts showing cumulative neglect with no manager's decision recorded about it."""
        return sum(p.awaiting_decision for p in self.patterns if p.kind is PatternKind.CUMULATIVE_NEGLECT)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _count_both(rule: TileRule) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """How many a tile's rule counts, and how many of them meet it (its percentage's numerator)."""
    assert rule.meets is not None
    return _count_if(rule.counted), _count_if(and_(rule.counted, rule.meets))


def front_door_measures(ctx: ServiceContext, start: date, end: date) -> FrontDoorMeasures:
    """All the front-door measures for contacts received from ``start`` to ``end`` (London dates)."""
    period = Period(start, end)
    now = ctx.now()
    with for_reports(ctx).unit() as (session, actor):
        require_dashboard(actor)
        in_period = and_(Contact.received_at >= period.start, Contact.received_at < period.end)
        # the tiles' own rules: a tile opened lists exactly what it counted (dashboard_tiles)
        rules = tile_rules(period, now)
        decided_rule, rag_rule = rules["decided_within_one_working_day"], rules["completed_within_rag"]
        review_rule = rules["decisions_returned"]

        received, decided, on_time, undecided_late, rated_decided, rag_on_time, reviewed, returned_contacts = (
            session.execute(
                select(
                    _count_if(rules["contacts_received"].counted),
                    *_count_both(decided_rule),
                    _count_if(rules["undecided_past_deadline"].counted),
                    *_count_both(rag_rule),
                    *_count_both(review_rule),
                ).where(in_period)
            ).one()
        )

        checks_rule, checks_late = rules["agency_returns_on_time"], rules["agency_returns_overdue"]
        returned, returned_on_time, outstanding_late = session.execute(
            select(*_count_both(checks_rule), _count_if(checks_late.counted))
            .select_from(tile_source(TileUnit.CHECK))
            .where(in_period)
        ).one()

        # one row per contact in the period with what became of its children
        flags = (
            select(
                Contact.id.label("contact_id"),
                Contact.referral_source.label("source"),
                Contact.household_id.label("household_id"),
                func.max(case((ContactChild.outcome.in_(REFERRAL_OUTCOMES), 1), else_=0)).label("referral"),
                func.max(case((ContactChild.outcome == Outcome.CFA_S17, 1), else_=0)).label("assessment"),
                func.max(case((ContactChild.outcome == Outcome.STRATEGY_S47, 1), else_=0)).label("strategy"),
                func.max(case((Person.interpreter_needed.is_(True), 1), else_=0)).label("interpreter"),
            )
            .join(ContactChild, ContactChild.contact_id == Contact.id)
            .join(Person, Person.id == ContactChild.person_id)
            .where(in_period)
            .group_by(Contact.id, Contact.referral_source, Contact.household_id)
            .cte("flags")
        )
        by_source = [
            SourceConversion(
                source=source,
                description=REFERRAL_SOURCES.get(source, source),
                contacts=int(contacts),
                referrals=int(referrals),
                assessments=int(assessments),
                strategy_discussions=int(strategy),
            )
            for source, contacts, referrals, assessments, strategy in session.execute(
                select(
                    flags.c.source,
                    func.count(),
                    func.sum(flags.c.referral),
                    func.sum(flags.c.assessment),
                    func.sum(flags.c.strategy),
                ).group_by(flags.c.source)
            )
        ]
        order = list(REFERRAL_SOURCES)
        by_source.sort(key=lambda row: order.index(row.source) if row.source in order else len(order))
        overall = SourceConversion(
            "all",
            "All sources",
            sum(row.contacts for row in by_source),
            sum(row.referrals for row in by_source),
            sum(row.assessments for row in by_source),
            sum(row.strategy_discussions for row in by_source),
        )

        children_decided, children_nfa = session.execute(
            select(*_count_both(rules["nfa"])).select_from(tile_source(TileUnit.CHILD)).where(in_period)
        ).one()
        changed = session.scalar(
            select(func.count(distinct(ContactChild.id)))
            .join(Contact, Contact.id == ContactChild.contact_id)
            .join(ThresholdDecision, ThresholdDecision.contact_child_id == ContactChild.id)
            .where(
                in_period,
                ThresholdDecision.status == DecisionStatus.RETURNED,
                ContactChild.outcome.is_not(None),
                or_(
                    ThresholdDecision.outcome != ContactChild.outcome,
                    ThresholdDecision.level_of_need != ContactChild.level_of_need,
                ),
            )
        )

        referrals = child_referrals(session, period)
        referral_count, re_referral_count = len(referrals), sum(r.re_referral for r in referrals)
        referred = session.scalars(select(flags.c.contact_id).where(flags.c.referral == 1)).all()
        patterns = pattern_counts(session, period.start, period.end, referred)
        hand_offs = _hand_offs(session, rules["hand_offs_awaiting"])
        caseloads = _caseloads(session, now)
        themes = theme_measures(session, period, now, ctx.calendar, {c.worker_id: c.open for c in caseloads})
        return FrontDoorMeasures(
            start=start,
            end=end,
            generated_at=now,
            contacts_received=int(received),
            decided_within_one_working_day=Ratio(int(on_time), int(decided)),
            undecided_past_deadline=int(undecided_late),
            completed_within_rag=Ratio(int(rag_on_time), int(rated_decided)),
            agency_returns_on_time=Ratio(int(returned_on_time), int(returned)),
            agency_returns_overdue=int(outstanding_late),
            referrals=referral_count,
            re_referrals=Ratio(re_referral_count, referral_count),
            conversion=overall,
            conversion_by_source=tuple(by_source),
            nfa=Ratio(int(children_nfa), int(children_decided)),
            decisions_returned=Ratio(int(returned_contacts), int(reviewed)),
            outcomes_changed_after_return=int(changed or 0),
            caseloads=caseloads,
            hand_offs_awaiting=sum(team.awaiting for team in hand_offs),
            hand_offs_overdue=sum(team.overdue for team in hand_offs),
            hand_offs_by_team=hand_offs,
            breakdowns=_breakdowns(session, flags)
            + tuple(
                Breakdown(f"pattern.{p.kind.value}", PATTERN_LABELS[p.kind], p.contacts, p.referrals) for p in patterns
            ),
            targets=load_dashboard_targets(session),
            patterns=patterns,
            audit_actions_overdue=overdue_action_count(session, london_date(now)),
            themes=themes,
        )


def supervision_overview(ctx: ServiceContext, months: int = 6) -> SupervisionMeasures:
    """The supervision page's figures: who is due or overdue now, and the last ``months`` calendar months
    (this one so far), as the dashboard computes them but without the other measures."""
    now = ctx.now()
    today = london_date(now)
    period = Period(add_months(date(today.year, today.month, 1), -(months - 1)), today)
    with for_reports(ctx).unit() as (session, actor):
        require_dashboard(actor)
        loads = {load.worker_id: load.open for load in _caseloads(session, now)}
        return supervision_measures(session, period, now, ctx.calendar, loads)


def _caseloads(session: Session, now: datetime) -> tuple[Caseload, ...]:
    rows = session.execute(
        select(Contact.assigned_to_id, func.count(Contact.id), _count_if(Contact.rag_due_at < now))
        .where(Contact.status.in_(CASELOAD_STATES))
        .group_by(Contact.assigned_to_id)
    ).all()
    names = lookup(
        session, select(User.id, User.display_name).where(User.id.in_({row[0] for row in rows if row[0] is not None}))
    )
    loads = [
        Caseload(worker_id, names.get(worker_id, "?") if worker_id is not None else "Unassigned", int(n), int(late))
        for worker_id, n, late in rows
    ]
    loads.sort(key=lambda load: (-load.overdue, -load.open, load.worker))
    return tuple(loads)


def _hand_offs(session: Session, rule: TileRule) -> tuple[TeamHandOffs, ...]:
    """Hand-offs not yet accepted, and how many overdue, by team: the hand-offs tile's rule."""
    assert rule.meets is not None
    teams = [
        TeamHandOffs(name, int(awaiting), int(late))
        for name, awaiting, late in session.execute(
            select(Team.name, *_count_both(rule))
            .select_from(tile_source(TileUnit.HAND_OFF))
            .where(rule.counted)
            .group_by(Team.name)
            .order_by(Team.name)
        )
    ]
    return tuple(teams)


def _has_concern(flags: CTE, concern: Concern) -> ColumnElement[bool]:
    return exists().where(ContactConcern.contact_id == flags.c.contact_id, ContactConcern.concern == concern)


def _breakdowns(session: Session, flags: CTE) -> tuple[Breakdown, ...]:
    """Every breakdown in one pass over the period's contacts (conditional sums, no GROUP BY)."""
    referral = flags.c.referral == 1
    conditions: list[tuple[str, str, ColumnElement[bool]]] = [
        (Concern.NEGLECT.value, "Neglect", _has_concern(flags, Concern.NEGLECT)),
        (Concern.DOMESTIC_ABUSE.value, "Domestic abuse", _has_concern(flags, Concern.DOMESTIC_ABUSE)),
        ("interpreter_needed", "Interpreter needed", flags.c.interpreter == 1),
        ("temporary_accommodation", "Temporary accommodation", Household.temporary_accommodation.is_(True)),
        ("overcrowded", "Overcrowded", Household.overcrowded.is_(True)),
        ("homeless", "Homeless", Household.homeless.is_(True)),
    ]
    tenures = [(f"tenure.{tenure.value}", label, Household.tenure == tenure) for tenure, label in TENURE_WORDS.items()]
    columns = [
        column
        for _key, _label, condition in (*conditions, *tenures)
        for column in (_count_if(condition), _count_if(and_(condition, referral)))
    ]
    row = session.execute(
        select(*columns).select_from(flags).outerjoin(Household, Household.id == flags.c.household_id)
    ).one()
    result = [
        Breakdown(key, label, int(row[2 * index]), int(row[2 * index + 1]))
        for index, (key, label, _condition) in enumerate((*conditions, *tenures))
    ]
    # a tenure nobody had is noise; the named circumstances always show, even at zero
    return tuple(item for item in result if not item.key.startswith("tenure.") or item.contacts)


# --- presenting -----------------------------------------------------------------------------------


def _rows(m: FrontDoorMeasures) -> list[tuple[str, str, int | None, int | None]]:
    """(section, measure, count, out of) for every figure, in reading order."""

    def ratio(section: str, name: str, value: Ratio) -> tuple[str, str, int | None, int | None]:
        return (section, name, value.numerator, value.denominator)

    rows: list[tuple[str, str, int | None, int | None]] = [
        ("Volume", "Contacts received", m.contacts_received, None),
        ratio("Timeliness", "Decided within one working day", m.decided_within_one_working_day),
        ("Timeliness", "Undecided and past the one-working-day deadline", m.undecided_past_deadline, None),
        ratio("Timeliness", "Completed within the RAG timescale", m.completed_within_rag),
        ratio("Timeliness", "Agency returns on time", m.agency_returns_on_time),
        ("Timeliness", "Agency checks outstanding past their deadline", m.agency_returns_overdue, None),
        ("Outcomes", "Referrals (children, one per child per day)", m.referrals, None),
        ratio("Outcomes", "Re-referrals within 12 months", m.re_referrals),
        ratio("Outcomes", "Children decided no further action (NFA)", m.nfa),
    ]
    for row in (m.conversion, *m.conversion_by_source):
        label = "all sources" if row.source == "all" else f"{row.source} {row.description}"
        rows += [
            ratio("Conversion", f"Contact to referral: {label}", row.to_referral),
            ratio("Conversion", f"Contact to assessment: {label}", row.to_assessment),
            ratio("Conversion", f"Contact to strategy discussion: {label}", row.to_strategy),
        ]
    rows += [
        ratio("Management review", "Contacts returned by a manager at least once", m.decisions_returned),
        ("Management review", "Children whose outcome changed after a return", m.outcomes_changed_after_return, None),
        ("Hand-offs (now)", "Awaiting acceptance", m.hand_offs_awaiting, None),
        ("Hand-offs (now)", "Awaiting acceptance and overdue", m.hand_offs_overdue, None),
        ("Case audits (now)", "Audit actions overdue", m.audit_actions_overdue, None),
    ]
    rows += [("Hand-offs (now)", f"Awaiting: {team.team}", team.awaiting, None) for team in m.hand_offs_by_team]
    for load in m.caseloads:
        rows += [
            ("Caseloads (now)", f"Open: {load.worker}", load.open, None),
            ("Caseloads (now)", f"Overdue: {load.worker}", load.overdue, None),
        ]
    rows.append(
        ("Patterns", "Cumulative neglect awaiting a manager's decision", m.neglect_awaiting_decision, None),
    )
    for item in m.breakdowns:
        rows += [
            ("Breakdowns", f"Contacts: {item.label}", item.contacts, m.contacts_received),
            ratio("Breakdowns", f"Became a referral: {item.label}", item.to_referral),
        ]
    if m.themes is not None:
        rows += theme_rows(m.themes)
    return rows


def measure_rows(measures: FrontDoorMeasures) -> list[tuple[str, str, int | None, int | None]]:
    """(section, measure, count, out of) for every figure: what the report, its CSV and the quarterly pack print."""
    return _rows(measures)


def measures_to_csv(measures: FrontDoorMeasures) -> str:
    """Every figure as CSV: section, measure, count, out_of, percent (one decimal)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["period_start", "period_end", "section", "measure", "count", "out_of", "percent"])
    for section, name, count, out_of in _rows(measures):
        percent = Ratio(count, out_of).percent if count is not None and out_of is not None else None
        writer.writerow(
            [
                measures.start.isoformat(),
                measures.end.isoformat(),
                section,
                name,
                "" if count is None else count,
                "" if out_of is None else out_of,
                "" if percent is None else f"{percent:.1f}",
            ]
        )
    return buffer.getvalue()


def measures_to_text(measures: FrontDoorMeasures) -> str:
    """The measures as a plain-text report for the command line."""
    lines = [
        f"MASH Desk — front-door measures for contacts received {measures.start:%d %b %Y} to {measures.end:%d %b %Y}",
        f"(caseloads and hand-offs as at {measures.generated_at:%Y-%m-%d %H:%M} UTC)",
    ]
    section = ""
    for heading, name, count, out_of in _rows(measures):
        if heading != section:
            section = heading
            lines += ["", heading]
        if count is None:
            continue
        if out_of is None:
            lines.append(f"  {name:<66}{'':>8}{count:>10,}")
        else:
            percent = Ratio(count, out_of).percent
            share = "n/a" if percent is None else f"{percent:.1f}%"
            lines.append(f"  {name:<66}{share:>8}{count:>10,} of {out_of:,}")
    return "\n".join(lines)
