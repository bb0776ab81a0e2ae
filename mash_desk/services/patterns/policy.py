"""The pattern thresholds: the policy table, read and changed by an administrator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from mash_desk.domain.enums import Role
from mash_desk.domain.errors import PermissionRefused
from mash_desk.domain.patterns import (
    THRESHOLD_LIMITS,
    PatternThresholds,
    ThresholdKey,
    validate_threshold,
)
from mash_desk.services.context import ServiceContext, audit, retry_collisions
from mash_desk.store.models import (
    PatternThresholdRow,
)
from mash_desk.store.queries import Reader, lookup

# --- the thresholds -------------------------------------------------------------------------------


def load_thresholds(session: Reader) -> PatternThresholds:
    """The administrator's thresholds, with the default for any row not configured: read in every unit
    that needs them, so a change an administrator makes shows on everyone's next read."""
    return PatternThresholds.from_rows(lookup(session, _THRESHOLDS))


_THRESHOLDS = select(PatternThresholdRow.key, PatternThresholdRow.amount)  # built once: read on every queue page


@dataclass(frozen=True)
class ThresholdRow:
    key: ThresholdKey
    amount: int
    smallest: int
    largest: int


def read_thresholds(ctx: ServiceContext) -> list[ThresholdRow]:
    with ctx.unit() as (session, _actor):
        policy = load_thresholds(session)
    return [
        ThresholdRow(key, getattr(policy, key.value), low, high) for key, (_d, low, high) in THRESHOLD_LIMITS.items()
    ]


@retry_collisions
def set_threshold(ctx: ServiceContext, key: str, amount: object) -> ThresholdRow:
    """An administrator changes one pattern threshold; bad input changes nothing; audited."""
    threshold, value = validate_threshold(key, amount)
    with ctx.unit(write=True) as (session, actor):
        if actor.role is not Role.ADMIN:
            raise PermissionRefused("Only an administrator can change when a pattern is shown.")
        now = ctx.now()
        row = session.get(PatternThresholdRow, threshold)
        before = row.amount if row is not None else THRESHOLD_LIMITS[threshold][0]
        if row is None:
            session.add(PatternThresholdRow(key=threshold, amount=value, updated_at=now))
        else:
            row.amount, row.updated_at = value, now
        audit(
            session,
            actor,
            "policy.pattern",
            "pattern_policy",
            None,
            at=now,
            detail={"key": threshold.value, "before": before, "after": value},
        )
    _d, low, high = THRESHOLD_LIMITS[threshold]
    return ThresholdRow(threshold, value, low, high)


# --- reading the history ----------------------------------------------------------------------------


def thresholds_by_key(policy: PatternThresholds) -> Mapping[ThresholdKey, int]:
    return {key: getattr(policy, key.value) for key in ThresholdKey}
