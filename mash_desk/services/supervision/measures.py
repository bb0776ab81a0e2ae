"""Supervision in numbers, for the dashboard, ``report --period`` and the quarterly pack (one source).

Who is due or overdue is worked out from each practitioner's last supervision and the policy's
``supervision`` row. Caseloads over time are the undecided contacts assigned to practitioners at the
end of each month of the period (by the contact's current worker: reassignment history is not kept
as rows), set against the supervisions held that month and who was overdue at its end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from mash_desk.domain.enums import Role, TimescaleKey
from mash_desk.domain.periods import Period, london_date, london_midnight, month_ends
from mash_desk.domain.supervision import next_supervision_due, overdue_on
from mash_desk.domain.timescales import WorkingCalendar
from mash_desk.services.policy import load_policy
from mash_desk.store.models import Contact, Supervision, SupervisionCase, User


@dataclass(frozen=True)
class PractitionerSupervision:
    """One practitioner now: their last supervision, when the next is due, and their open caseload."""

    user_id: int
    name: str
    last_held: date | None
    due_on: date | None  # None: never supervised, so due now
    overdue: bool
    open_caseload: int
    supervisions_in_period: int


@dataclass(frozen=True)
class SupervisionMonth:
    """One month of the period: supervisions held, who was overdue at its end, and the caseload then."""

    month_end: date
    practitioners: int
    supervisions_held: int
    practitioners_supervised: int
    overdue_at_end: int
    caseload_at_end: int

    @property
    def caseload_per_practitioner(self) -> float | None:
        return None if self.practitioners == 0 else self.caseload_at_end / self.practitioners


@dataclass(frozen=True)
class SupervisionMeasures:
    frequency_words: str  # the policy, e.g. "every 20 working days"
    practitioners: tuple[PractitionerSupervision, ...]  # overdue first, then longest since supervision
    months: tuple[SupervisionMonth, ...]
    supervisions_held: int  # in the period
    cases_discussed: int  # in the period

    @property
    def overdue_now(self) -> int:
        return sum(1 for row in self.practitioners if row.overdue)


def supervision_measures(
    session: Session,
    period: Period,
    now: datetime,
    calendar: WorkingCalendar,
    open_caseloads: Mapping[int | None, int],
) -> SupervisionMeasures:
    """Every supervision figure for ``period`` (London dates) and, for who is overdue, as at ``now``."""
    rule = load_policy(session).rule(TimescaleKey.SUPERVISION)
    today = london_date(now)
    people = session.execute(
        select(User.id, User.display_name)
        .where(User.role == Role.PRACTITIONER, User.active.is_(True))
        .order_by(User.display_name, User.id)
    ).all()
    ids = [uid for uid, _name in people]
    held: dict[int, list[date]] = {uid: [] for uid in ids}
    for uid, day in session.execute(
        select(Supervision.practitioner_id, Supervision.held_on)
        .where(Supervision.practitioner_id.in_(ids), Supervision.held_on <= max(today, period.last))
        .order_by(Supervision.held_on)
    ):
        held[uid].append(day)
    held_in_period, cases = session.execute(
        select(func.count(func.distinct(Supervision.id)), func.count(SupervisionCase.id))
        .select_from(Supervision)
        .outerjoin(SupervisionCase, SupervisionCase.supervision_id == Supervision.id)
        .where(Supervision.held_on >= period.first, Supervision.held_on <= period.last)
    ).one()

    def last_on(uid: int, day: date) -> date | None:
        before = [d for d in held[uid] if d <= day]
        return before[-1] if before else None

    rows = []
    for uid, name in people:
        last = last_on(uid, today)
        rows.append(
            PractitionerSupervision(
                user_id=uid,
                name=name,
                last_held=last,
                due_on=None if last is None else next_supervision_due(last, rule, calendar),
                overdue=overdue_on(last, today, rule, calendar),
                open_caseload=int(open_caseloads.get(uid, 0)),
                supervisions_in_period=sum(1 for d in held[uid] if d in period),
            )
        )
    rows.sort(key=lambda r: (not r.overdue, r.last_held or date.min, r.name))
    months = []
    for end in month_ends(period):
        first = max(period.first, date(end.year, end.month, 1))
        instant = london_midnight(end + timedelta(days=1))
        caseload = session.scalar(
            select(func.count(Contact.id)).where(
                Contact.assigned_to_id.in_(ids),
                Contact.received_at < instant,
                or_(Contact.decided_at.is_(None), Contact.decided_at >= instant),
            )
        )
        in_month = {uid: [d for d in held[uid] if first <= d <= end] for uid in ids}
        months.append(
            SupervisionMonth(
                month_end=end,
                practitioners=len(ids),
                supervisions_held=sum(len(days) for days in in_month.values()),
                practitioners_supervised=sum(1 for days in in_month.values() if days),
                overdue_at_end=sum(1 for uid in ids if overdue_on(last_on(uid, end), end, rule, calendar)),
                caseload_at_end=int(caseload or 0),
            )
        )
    return SupervisionMeasures(
        frequency_words=f"every {rule.amount} {rule.clock.value.replace('_', ' ')}",
        practitioners=tuple(rows),
        months=tuple(months),
        supervisions_held=int(held_in_period or 0),
        cases_discussed=int(cases or 0),
    )
