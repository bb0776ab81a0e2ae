"""Shared configuration that lives in the database: timescales and settings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk.domain.enums import Rag, Role, TimescaleKey
from mash_desk.domain.errors import PermissionRefused
from mash_desk.domain.timescales import (
    DEFAULT_POLICY,
    TimescalePolicy,
    TimescaleRule,
    WorkingCalendar,
    due_at,
    rag_key,
    validate_policy_row,
)
from mash_desk.services.context import ServiceContext, audit
from mash_desk.store.models import Setting, TimescalePolicyRow
from mash_desk.store.queries import lookup

OPEN_CASE_WINDOW_DAYS = "open_case_window_days"
RE_REFERRAL_MONTHS = "re_referral_months"
LETTERHEAD = "letterhead"

DEFAULT_SETTINGS: dict[str, str] = {
    OPEN_CASE_WINDOW_DAYS: "28",
    RE_REFERRAL_MONTHS: "12",
    LETTERHEAD: json.dumps(
        {
            "organisation": "Multi-Agency Safeguarding Hub",
            "address": ["Children's Services", "Town Hall", "George Street", "LU1 2BQ"],
            "phone": "01582 547653",
            "out_of_hours_phone": "0300 300 8123",
            "email": "mash@example.gov.uk",
            "logo": "letterhead-logo.png",
            # TrueType so that every family's names print (Ł, ő, ğ...); Helvetica is Latin-1 only
            "font": "fonts/DejaVuSans.ttf",
            "font_bold": "fonts/DejaVuSans-Bold.ttf",
        }
    ),
}


def load_policy(session: Session) -> TimescalePolicy:
    """The administrator's timescale table, with defaults for any row not configured."""
    rules: dict[TimescaleKey, TimescaleRule] = dict(DEFAULT_POLICY.rules)
    for row in session.scalars(select(TimescalePolicyRow)):
        rules[row.key] = TimescaleRule(key=row.key, amount=row.amount, clock=row.clock)
    return TimescalePolicy(rules=rules)


def deadline(session: Session, key: TimescaleKey, start: datetime, calendar: WorkingCalendar) -> datetime:
    return due_at(start, load_policy(session).rule(key), calendar)


def rag_deadline(session: Session, rag: Rag, start: datetime, calendar: WorkingCalendar) -> datetime:
    return deadline(session, rag_key(rag), start, calendar)


def get_setting(session: Session, key: str) -> str:
    value = session.get(Setting, key)
    return value.value if value is not None else DEFAULT_SETTINGS[key]


def get_int_setting(session: Session, key: str) -> int:
    return int(get_setting(session, key))


def get_int_settings(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """Several whole-number settings in one query, defaults for any not configured."""
    stored = lookup(session, select(Setting.key, Setting.value).where(Setting.key.in_(keys)))
    return {key: int(stored.get(key, DEFAULT_SETTINGS[key])) for key in keys}


@dataclass(frozen=True)
class PolicyRow:
    key: TimescaleKey
    amount: int
    clock: str


def read_policy(ctx: ServiceContext) -> list[PolicyRow]:
    with ctx.unit() as (session, _actor):
        policy = load_policy(session)
        return [PolicyRow(rule.key, rule.amount, rule.clock.value) for rule in policy.rules.values()]


def set_policy_row(ctx: ServiceContext, key: str, amount: int, clock: str) -> PolicyRow:
    """An administrator changes one timescale; bad input changes nothing."""
    rule = validate_policy_row(key, amount, clock)
    with ctx.unit(write=True) as (session, actor):
        if actor.role is not Role.ADMIN:
            raise PermissionRefused("Only an administrator can change the timescale policy.")
        now = ctx.now()
        row = session.get(TimescalePolicyRow, rule.key)
        if row is None:
            session.add(TimescalePolicyRow(key=rule.key, amount=rule.amount, clock=rule.clock, updated_at=now))
        else:
            row.amount, row.clock, row.updated_at = rule.amount, rule.clock, now
        audit(
            session,
            actor,
            "policy.set",
            "timescale_policy",
            None,
            at=now,
            detail={"key": rule.key.value, "amount": rule.amount, "clock": rule.clock.value},
        )
    return PolicyRow(rule.key, rule.amount, rule.clock.value)


def ensure_defaults(session: Session, now: datetime) -> None:
    """Lay down the default policy and settings where none are configured yet."""
    existing = set(session.scalars(select(TimescalePolicyRow.key)))
    for rule in DEFAULT_POLICY.rules.values():
        if rule.key not in existing:
            session.add(TimescalePolicyRow(key=rule.key, amount=rule.amount, clock=rule.clock, updated_at=now))
    present = set(session.scalars(select(Setting.key)))
    for key, value in DEFAULT_SETTINGS.items():
        if key not in present:
            session.add(Setting(key=key, value=value))
