"""Patterns counted for a period's figures and for the open work (the dashboard and ``mash-desk report``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from mash_desk.domain.patterns import (
    Finding,
    PatternKind,
)
from mash_desk.services.patterns.history import (
    findings_for,
)
from mash_desk.services.patterns.policy import (
    load_thresholds,
)
from mash_desk.services.patterns.rules import (
    PERIOD_CHUNK,
)
from mash_desk.store.models import (
    Contact,
    PatternResponse,
)


@dataclass(frozen=True)
class PatternCount:
    kind: PatternKind
    contacts: int
    referrals: int
    """Of those contacts, how many became a referral (``referral_ids``)."""
    awaiting_decision: int
    """Cumulative neglect: contacts with no manager's decision recorded yet."""


PATTERN_LABELS: Mapping[PatternKind, str] = {
    PatternKind.CUMULATIVE_NEGLECT: "Pattern: cumulative neglect",
    PatternKind.REPEATED_DOMESTIC_ABUSE: "Pattern: repeated domestic abuse",
    PatternKind.MOVING_HOUSEHOLD: "Pattern: a household that keeps moving",
    PatternKind.FAMILY_INTERPRETER: "Pattern: a family member or child interpreted",
}


def pattern_counts(
    session: Session, start: datetime, end: datetime, referral_ids: Collection[int] = ()
) -> tuple[PatternCount, ...]:
    """How many contacts received in ``[start, end)`` show each pattern, in :class:`PatternKind` order:
    two queries per 5,000 contacts, and three more."""
    found = _period_findings(session, start, end)
    answered = _answered(session)
    referred = set(referral_ids)
    counts: dict[PatternKind, list[int]] = {kind: [0, 0, 0] for kind in PatternKind}
    for contact_id, findings in found.items():
        for finding in findings:
            tally = counts[finding.kind]
            tally[0] += 1
            tally[1] += contact_id in referred
            tally[2] += awaits_decision(finding, contact_id, answered)
    return tuple(PatternCount(kind, n, referrals, waiting) for kind, (n, referrals, waiting) in counts.items())


def awaits_decision(finding: Finding, contact_id: int, answered: Collection[int]) -> bool:
    """Cumulative neglect on a contact no manager has recorded a decision about: the dashboard counts these
    (``pattern_counts``) and its tile lists them (``neglect_awaiting_decision``) by this one rule."""
    return finding.kind is PatternKind.CUMULATIVE_NEGLECT and contact_id not in answered


def neglect_awaiting_decision(session: Session, start: datetime, end: datetime) -> set[int]:
    """The contacts received in ``[start, end)`` that ``pattern_counts`` counts as awaiting a decision."""
    answered = _answered(session)
    return {
        contact_id
        for contact_id, findings in _period_findings(session, start, end).items()
        if any(awaits_decision(finding, contact_id, answered) for finding in findings)
    }


def _period_findings(session: Session, start: datetime, end: datetime) -> dict[int, tuple[Finding, ...]]:
    ids = list(session.scalars(select(Contact.id).where(and_(Contact.received_at >= start, Contact.received_at < end))))
    policy = load_thresholds(session)
    found: dict[int, tuple[Finding, ...]] = {}
    for first in range(0, len(ids), PERIOD_CHUNK):  # SQLite takes at most 32,766 values in one list
        found.update(findings_for(session, ids[first : first + PERIOD_CHUNK], policy))
    return found


def _answered(session: Session) -> set[int]:
    """Contacts whose cumulative neglect a manager has recorded a decision about."""
    return set(
        session.scalars(
            select(PatternResponse.contact_id).where(PatternResponse.pattern == PatternKind.CUMULATIVE_NEGLECT)
        )
    )


@dataclass(frozen=True)
class OpenPatterns:
    """Open work showing each pattern, and the cumulative neglect no manager has decided about yet."""

    contacts: Mapping[PatternKind, int]
    neglect_awaiting_decision: tuple[str, ...]
    """References, oldest first (at most the report's list limit)."""


def open_patterns(session: Session, open_states: Collection[object], list_limit: int) -> OpenPatterns:
    """The patterns on every open contact, for ``mash-desk report``: two queries per 5,000 contacts."""
    rows = session.execute(
        select(Contact.id, Contact.reference).where(Contact.status.in_(open_states)).order_by(Contact.received_at)
    ).all()
    policy = load_thresholds(session)
    answered = _answered(session)
    counts = dict.fromkeys(PatternKind, 0)
    waiting: list[str] = []
    for first in range(0, len(rows), PERIOD_CHUNK):
        chunk = rows[first : first + PERIOD_CHUNK]
        found = findings_for(session, [row.id for row in chunk], policy)
        for row in chunk:
            findings = found.get(row.id, ())
            for kind in {f.kind for f in findings}:
                counts[kind] += 1
            waits = any(awaits_decision(finding, row.id, answered) for finding in findings)
            if waits and len(waiting) < list_limit:
                waiting.append(row.reference)
    return OpenPatterns(counts, tuple(waiting))
