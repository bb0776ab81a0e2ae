"""Shared configuration that lives in the database: timescales and settings.

Administrators change it here (each change checked, refused whole if any field is wrong, and
audited); everything else only reads it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from mash_desk.domain.enums import Rag, Role, TimescaleKey
from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.domain.family_letters import DEFAULT_HOLDS, HoldKey, HoldTrigger, every_hold_key, valid_hold_key
from mash_desk.domain.timescales import (
    DEFAULT_POLICY,
    TimescalePolicy,
    TimescaleRule,
    WorkingCalendar,
    due_at,
    rag_key,
    validate_policy_row,
)
from mash_desk.domain.validation import normalise_email, normalise_la_code, normalise_phone
from mash_desk.services.context import Actor, ServiceContext, audit, retry_collisions
from mash_desk.services.drafts import FieldErrors
from mash_desk.store.models import FamilyLetterHold, Setting, TimescalePolicyRow
from mash_desk.store.queries import lookup

OPEN_CASE_WINDOW_DAYS = "open_case_window_days"
RE_REFERRAL_MONTHS = "re_referral_months"
LETTERHEAD = "letterhead"
IDLE_LOCK_MINUTES = "idle_lock_minutes"
DASHBOARD_TARGETS = "dashboard_targets"
LA_CODE = "la_code"  # the local authority's DfE code the statutory returns carry: blank until an administrator sets it

# OWASP ASVS 4.0 (3.3.2, level 2): re-authenticate after at most 30 minutes of inactivity
MIN_IDLE_LOCK_MINUTES = 1
MAX_IDLE_LOCK_MINUTES = 30

# The dashboard's headline percentages and their default targets, in the spirit of local authority
# front-door scorecards; an area sets its own. ``None``: shown for context, with no target.
DEFAULT_DASHBOARD_TARGETS: dict[str, float | None] = {
    "decided_within_one_working_day": 95.0,
    "completed_within_rag": 90.0,
    "agency_returns_on_time": 90.0,
    "re_referrals": 22.0,  # about the national re-referral rate for England
    "nfa": None,
    "decisions_returned": None,
}

MAX_ORGANISATION = 120
MAX_ADDRESS_LINES = 6
MAX_ADDRESS_LINE = 80

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
    IDLE_LOCK_MINUTES: "15",
    DASHBOARD_TARGETS: json.dumps(DEFAULT_DASHBOARD_TARGETS),
    LA_CODE: "",
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


@retry_collisions
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


# --- which family letters wait for a social worker ---------------------------------------------------


@dataclass(frozen=True)
class HoldRow:
    """One row of the family letter hold policy: an outcome, a concern or a named alleged perpetrator."""

    trigger: HoldTrigger
    code: str
    holds: bool


def load_holds(session: Session) -> dict[HoldKey, bool]:
    """The administrator's hold policy; a row not in the table takes its default (``DEFAULT_HOLDS``)."""
    stored = {(row.trigger, row.code): row.holds for row in session.scalars(select(FamilyLetterHold))}
    return {key: stored.get(key, key in DEFAULT_HOLDS) for key in every_hold_key()}


def read_family_letter_holds(ctx: ServiceContext) -> list[HoldRow]:
    """Every row of the hold policy, outcomes first, then concerns, then a named alleged perpetrator."""
    with ctx.unit() as (session, _actor):
        return [HoldRow(trigger, code, holds) for (trigger, code), holds in load_holds(session).items()]


@retry_collisions
def set_family_letter_hold(ctx: ServiceContext, trigger: str, code: str, holds: bool) -> HoldRow:
    """An administrator decides whether an outcome or concern holds the family letter; audited."""
    key = valid_hold_key(trigger, code)
    if key is None:
        raise InvalidInput.single("hold", f"There is no family letter hold for {trigger} {code!r}.")
    if not isinstance(holds, bool):
        raise InvalidInput.single("holds", "Say whether the family letter is held: yes or no.")
    with ctx.unit(write=True) as (session, actor):
        _require_admin(actor, "which family letters are held")
        now = ctx.now()
        row = session.get(FamilyLetterHold, key)
        before = row.holds if row is not None else key in DEFAULT_HOLDS
        if row is None:
            session.add(FamilyLetterHold(trigger=key[0], code=key[1], holds=holds, updated_at=now))
        else:
            row.holds, row.updated_at = holds, now
        audit(
            session,
            actor,
            "policy.family_letter_hold",
            "family_letter_hold",
            None,
            at=now,
            detail={"trigger": key[0].value, "code": key[1], "before": before, "after": holds},
        )
    return HoldRow(key[0], key[1], holds)


# --- settings an administrator changes --------------------------------------------------------------


def _require_admin(actor: Actor, what: str) -> None:
    if actor.role is not Role.ADMIN:
        raise PermissionRefused(f"Only an administrator can change {what}.")


def _put_setting(session: Session, key: str, value: str) -> str | None:
    """Store one setting; returns what it was before (``None``: it had its default)."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
        return None
    before = row.value
    row.value = value
    return before


def _json_object(raw: str) -> dict[str, object]:
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


# idle lock


def load_idle_lock_minutes(session: Session) -> int:
    """Minutes without keyboard or mouse before a workstation locks (a broken value reads as the default)."""
    try:
        minutes = int(get_setting(session, IDLE_LOCK_MINUTES))
    except ValueError:
        minutes = int(DEFAULT_SETTINGS[IDLE_LOCK_MINUTES])
    return min(max(minutes, MIN_IDLE_LOCK_MINUTES), MAX_IDLE_LOCK_MINUTES)


def idle_lock_minutes(ctx: ServiceContext) -> int:
    with ctx.unit() as (session, _actor):
        return load_idle_lock_minutes(session)


def validate_idle_lock_minutes(minutes: object) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise InvalidInput.single("idle_lock_minutes", "Enter a whole number of minutes.")
    if not MIN_IDLE_LOCK_MINUTES <= minutes <= MAX_IDLE_LOCK_MINUTES:
        raise InvalidInput.single(
            "idle_lock_minutes",
            f"Lock after {MIN_IDLE_LOCK_MINUTES} to {MAX_IDLE_LOCK_MINUTES} minutes without use: "
            "more than 30 leaves an unattended screen open too long (OWASP ASVS 3.3.2).",
        )
    return minutes


@retry_collisions
def set_idle_lock_minutes(ctx: ServiceContext, minutes: int) -> int:
    """An administrator sets how long a workstation may stand idle before it locks (read at sign-in)."""
    value = validate_idle_lock_minutes(minutes)
    with ctx.unit(write=True) as (session, actor):
        _require_admin(actor, "when workstations lock")
        before = _put_setting(session, IDLE_LOCK_MINUTES, str(value))
        audit(
            session,
            actor,
            "setting.set",
            "setting",
            None,
            at=ctx.now(),
            detail={"key": IDLE_LOCK_MINUTES, "before": before, "after": str(value)},
        )
    return value


# dashboard targets


def load_dashboard_targets(session: Session) -> dict[str, float | None]:
    """The target for each headline percentage, in ``DEFAULT_DASHBOARD_TARGETS``' order."""
    stored = _json_object(get_setting(session, DASHBOARD_TARGETS))
    targets: dict[str, float | None] = {}
    for key, default in DEFAULT_DASHBOARD_TARGETS.items():
        value = stored.get(key, default)
        if value is None:
            targets[key] = None
        elif isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100:
            targets[key] = float(value)
        else:
            targets[key] = default
    return targets


def dashboard_targets(ctx: ServiceContext) -> dict[str, float | None]:
    with ctx.unit() as (session, _actor):
        return load_dashboard_targets(session)


def validate_dashboard_targets(targets: Mapping[str, object]) -> dict[str, float | None]:
    """Each target a percentage from 0 to 100, or ``None`` for none; errors keyed ``targets.<measure>``."""
    errors = FieldErrors()
    clean: dict[str, float | None] = {}
    for key, value in targets.items():
        field = f"targets.{key}"
        if key not in DEFAULT_DASHBOARD_TARGETS:
            errors.add(field, f"There is no headline measure called “{key}”.")
        elif value is None:
            clean[key] = None
        elif (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not 0 <= value <= 100
        ):
            errors.add(field, "A target is a percentage from 0 to 100, or none.")
        else:
            clean[key] = round(float(value), 1)
    errors.raise_if_any()
    return clean


@retry_collisions
def set_dashboard_targets(ctx: ServiceContext, targets: Mapping[str, object]) -> dict[str, float | None]:
    """An administrator changes some or all of the dashboard's targets; bad input changes none."""
    changes = validate_dashboard_targets(targets)
    with ctx.unit(write=True) as (session, actor):
        _require_admin(actor, "the dashboard's targets")
        current = load_dashboard_targets(session)
        updated = {**current, **changes}
        _put_setting(session, DASHBOARD_TARGETS, json.dumps(updated))
        audit(
            session,
            actor,
            "setting.set",
            "setting",
            None,
            at=ctx.now(),
            detail={"key": DASHBOARD_TARGETS, "before": current, "after": updated},
        )
    return updated


# letterhead


@dataclass(frozen=True)
class LetterheadFields:
    """What an administrator edits of the letterhead (the logo and fonts stay as configured)."""

    organisation: str
    address_lines: tuple[str, ...]
    phone: str
    out_of_hours_phone: str
    email: str


def _text(config: Mapping[str, object], key: str) -> str:
    value = config.get(key)
    return value.strip() if isinstance(value, str) else ""


def load_letterhead_fields(session: Session) -> LetterheadFields:
    config = _json_object(get_setting(session, LETTERHEAD))
    raw_address = config.get("address", ())
    lines = raw_address if isinstance(raw_address, list | tuple) else str(raw_address).splitlines()
    return LetterheadFields(
        organisation=_text(config, "organisation"),
        address_lines=tuple(str(line).strip() for line in lines if str(line).strip()),
        phone=_text(config, "phone"),
        out_of_hours_phone=_text(config, "out_of_hours_phone"),
        email=_text(config, "email"),
    )


def read_letterhead(ctx: ServiceContext) -> LetterheadFields:
    with ctx.unit() as (session, _actor):
        return load_letterhead_fields(session)


def validate_letterhead(fields: LetterheadFields) -> LetterheadFields:
    """The letterhead as it will print, or ``InvalidInput`` naming every wrong field."""
    errors = FieldErrors()
    organisation = fields.organisation.strip()
    if not organisation:
        errors.add("organisation", "Enter the organisation's name as it should head every letter.")
    errors.max_length("organisation", organisation, MAX_ORGANISATION)
    lines = tuple(line.strip() for line in fields.address_lines if line.strip())
    if not lines:
        errors.add("address", "Enter the hub's postal address, one line per line, ending with the postcode.")
    elif len(lines) > MAX_ADDRESS_LINES:
        errors.add("address", f"An address fits the letterhead in at most {MAX_ADDRESS_LINES} lines.")
    elif any(len(line) > MAX_ADDRESS_LINE for line in lines):
        errors.add("address", f"Each address line fits the letterhead in at most {MAX_ADDRESS_LINE} characters.")
    errors.check("", lambda: normalise_phone(fields.phone))
    errors.check("out_of_hours_", lambda: normalise_phone(fields.out_of_hours_phone))
    email = errors.check("", lambda: normalise_email(fields.email))
    errors.raise_if_any()
    return LetterheadFields(
        organisation=organisation,
        address_lines=lines,
        phone=fields.phone.strip(),
        out_of_hours_phone=fields.out_of_hours_phone.strip(),
        email=email or "",
    )


def letterhead_config(session: Session, fields: LetterheadFields) -> dict[str, object]:
    """The stored letterhead setting with ``fields`` written over it (logo, fonts and the rest kept)."""
    config = _json_object(get_setting(session, LETTERHEAD)) or _json_object(DEFAULT_SETTINGS[LETTERHEAD])
    return {
        **config,
        "organisation": fields.organisation,
        "address": list(fields.address_lines),
        "phone": fields.phone,
        "out_of_hours_phone": fields.out_of_hours_phone,
        "email": fields.email,
    }


@retry_collisions
def set_letterhead(ctx: ServiceContext, fields: LetterheadFields) -> LetterheadFields:
    """An administrator changes the letterhead every letter is printed on; bad input changes nothing."""
    clean = validate_letterhead(fields)
    with ctx.unit(write=True) as (session, actor):
        _require_admin(actor, "the letterhead")
        before = load_letterhead_fields(session)
        _put_setting(session, LETTERHEAD, json.dumps(letterhead_config(session, clean)))
        changed = {
            name: getattr(clean, name)
            for name in ("organisation", "address_lines", "phone", "out_of_hours_phone", "email")
            if getattr(clean, name) != getattr(before, name)
        }
        audit(
            session, actor, "setting.set", "setting", None, at=ctx.now(), detail={"key": LETTERHEAD, "after": changed}
        )
    return clean


def ensure_defaults(session: Session, now: datetime) -> None:
    """Lay down the default policy and settings where none are configured yet."""
    # a database still at an older revision (upgraded step by step) has no hold table yet
    if inspect(session.connection()).has_table(FamilyLetterHold.__tablename__):
        held = {
            (trigger, code)
            for trigger, code in session.execute(select(FamilyLetterHold.trigger, FamilyLetterHold.code))
        }
        for trigger, code in every_hold_key():
            if (trigger, code) not in held:
                session.add(
                    FamilyLetterHold(trigger=trigger, code=code, holds=(trigger, code) in DEFAULT_HOLDS, updated_at=now)
                )
    existing = set(session.scalars(select(TimescalePolicyRow.key)))
    for rule in DEFAULT_POLICY.rules.values():
        if rule.key not in existing:
            session.add(TimescalePolicyRow(key=rule.key, amount=rule.amount, clock=rule.clock, updated_at=now))
    present = set(session.scalars(select(Setting.key)))
    for key, value in DEFAULT_SETTINGS.items():
        if key not in present:
            session.add(Setting(key=key, value=value))


# the local authority's code


def load_la_code(session: Session) -> str | None:
    """The hub's local authority code, or None while no administrator has set it."""
    return get_setting(session, LA_CODE).strip() or None


def hub_la_code(ctx: ServiceContext) -> str | None:
    with ctx.unit() as (session, _actor):
        return load_la_code(session)


@retry_collisions
def set_la_code(ctx: ServiceContext, code: str) -> str:
    """An administrator sets the hub's local authority code once; every workstation's statutory lists use it."""
    value = normalise_la_code(code)
    with ctx.unit(write=True) as (session, actor):
        _require_admin(actor, "the local authority code")
        before = _put_setting(session, LA_CODE, value)
        audit(
            session,
            actor,
            "setting.set",
            "setting",
            None,
            at=ctx.now(),
            detail={"key": LA_CODE, "before": before, "after": value},
        )
    return value
