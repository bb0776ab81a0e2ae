"""One contact's patterns as its view shows them, a manager's decision on a pattern, and who interpreted each
conversation with the family.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from mash_desk.domain.enums import Role
from mash_desk.domain.errors import InvalidInput, NotFound, PermissionRefused
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.patterns import (
    DEFAULT_THRESHOLDS,
    Finding,
    Interpreter,
    PatternDecision,
    PatternKind,
    PatternThresholds,
    validate_decision,
)
from mash_desk.domain.periods import london_date
from mash_desk.services.context import ServiceContext, audit, retry_collisions
from mash_desk.services.patterns.history import (
    findings_for,
)
from mash_desk.services.patterns.policy import (
    load_thresholds,
)
from mash_desk.services.patterns.rules import (
    CONVERSATION_RECORDERS,
    MAX_LANGUAGE,
    MAX_SPOKE_WITH,
    PATTERN_READERS,
)
from mash_desk.services.records import load_contact, touch
from mash_desk.services.restrictions import CONTACT, check_restriction
from mash_desk.store.models import (
    Contact,
    FamilyConversation,
    PatternResponse,
    User,
)
from mash_desk.store.queries import lookup


@dataclass(frozen=True)
class PatternCause:
    contact_id: int
    reference: str
    received_at: datetime


@dataclass(frozen=True)
class PatternView:
    kind: PatternKind
    causes: tuple[PatternCause, ...]
    dash_done: bool
    addresses: int
    temporary_accommodation: bool
    interpreters: frozenset[Interpreter]


@dataclass(frozen=True)
class ResponseRow:
    pattern: PatternKind
    decision: PatternDecision
    reason: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class ConversationRow:
    held_on: date
    spoke_with: str
    language: str | None
    interpreter: Interpreter
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class ContactPatterns:
    contact_id: int
    patterns: tuple[PatternView, ...]
    responses: tuple[ResponseRow, ...]
    conversations: tuple[ConversationRow, ...]
    may_respond: bool
    """A manager may record what they decided about cumulative neglect here."""
    may_record_conversation: bool
    thresholds: PatternThresholds = DEFAULT_THRESHOLDS


def _view(finding: Finding) -> PatternView:
    return PatternView(
        finding.kind,
        tuple(PatternCause(c.contact_id, c.reference, c.received_at) for c in finding.contacts),
        finding.dash_done,
        finding.addresses,
        finding.temporary_accommodation,
        finding.interpreters,
    )


def contact_patterns(ctx: ServiceContext, contact_id: int) -> ContactPatterns:
    """The patterns on one contact, each with the contacts that caused it; what a manager decided; and
    who interpreted each conversation with the family. Read with the contact (whose opening is audited)."""
    with ctx.unit() as (session, actor):
        found_id = session.scalar(select(Contact.id).where(Contact.id == contact_id))
        if found_id is None or not ctx.db.is_postgresql:  # PostgreSQL's own policy has hidden a restricted one
            check_restriction(session, actor, CONTACT, contact_id, ctx.now())
        if found_id is None:
            raise NotFound(f"There is no contact with id {contact_id}.")
        policy = load_thresholds(session)
        found = findings_for(session, [contact_id], policy).get(contact_id, ()) if actor.role in PATTERN_READERS else ()
        decided = list(
            session.scalars(
                select(PatternResponse).where(PatternResponse.contact_id == contact_id).order_by(PatternResponse.id)
            )
        )
        talks = list(
            session.scalars(
                select(FamilyConversation)
                .where(FamilyConversation.contact_id == contact_id)
                .order_by(FamilyConversation.held_on, FamilyConversation.id)
            )
        )
        people = {r.decided_by_id for r in decided} | {c.recorded_by_id for c in talks}
        names = lookup(session, select(User.id, User.display_name).where(User.id.in_(people))) if people else {}
        responses = tuple(
            ResponseRow(r.pattern, r.decision, r.reason, names.get(r.decided_by_id, "?"), r.decided_at) for r in decided
        )
        conversations = tuple(
            ConversationRow(
                c.held_on, c.spoke_with, c.language, c.interpreter, names.get(c.recorded_by_id, "?"), c.recorded_at
            )
            for c in talks
        )
        kinds = {f.kind for f in found}
        return ContactPatterns(
            contact_id,
            tuple(_view(f) for f in found),
            responses,
            conversations,
            may_respond=actor.role is Role.MANAGER and PatternKind.CUMULATIVE_NEGLECT in kinds,
            may_record_conversation=actor.role in CONVERSATION_RECORDERS,
            thresholds=policy,
        )


# --- writing ----------------------------------------------------------------------------------------


@retry_collisions
def record_response(ctx: ServiceContext, contact_id: int, pattern: str, decision: str, reason: str) -> int:
    """A manager records what they decided about a pattern on this contact; audited. Only a manager,
    and only where the pattern is there to respond to."""
    kind, choice, text = validate_decision(pattern, decision, reason)
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        if actor.role is not Role.MANAGER:
            raise PermissionRefused("Only a team manager records what was decided about a pattern.")
        contact = load_contact(session, contact_id, actor, Action.ADD_OVERSIGHT)
        found = findings_for(session, [contact.id]).get(contact.id, ())
        if kind not in {f.kind for f in found}:
            raise InvalidInput.single("pattern", "This contact shows no cumulative neglect pattern to decide on.")
        response = PatternResponse(
            contact_id=contact.id, pattern=kind, decision=choice, reason=text, decided_by_id=actor.id, decided_at=now
        )
        session.add(response)
        touch(session, contact.id, actor, now)
        session.flush()
        audit(
            session,
            actor,
            "pattern.respond",
            "pattern_response",
            response.id,
            at=now,
            contact_id=contact.id,
            detail={"pattern": kind.value, "decision": choice.value},
        )
        return response.id


@dataclass(frozen=True)
class ConversationInput:
    held_on: date | None
    spoke_with: str
    interpreter: str
    language: str = ""


def validate_conversation(entry: ConversationInput, today: date) -> tuple[date, str, Interpreter, str | None]:
    """A conversation as typed, or ``InvalidInput`` naming every wrong field."""
    errors: dict[str, str] = {}
    if entry.held_on is None:
        errors["held_on"] = "Enter the date of the conversation."
    elif entry.held_on > today:
        errors["held_on"] = "A conversation cannot be in the future."
    spoke_with = (entry.spoke_with or "").strip()
    if not spoke_with:
        errors["spoke_with"] = "Say who in the family you spoke with (for example: mother, Amina Khan)."
    elif len(spoke_with) > MAX_SPOKE_WITH:
        errors["spoke_with"] = f"Keep this to {MAX_SPOKE_WITH} characters."
    try:
        interpreter: Interpreter | None = Interpreter(entry.interpreter)
    except ValueError:
        interpreter = None
        errors["interpreter"] = (
            "Say who interpreted: a professional interpreter, a family member, the child, or nobody."
        )
    language = (entry.language or "").strip() or None
    if language is not None and len(language) > MAX_LANGUAGE:
        errors["language"] = f"Keep the language to {MAX_LANGUAGE} characters."
    if errors:
        raise InvalidInput(errors)
    assert entry.held_on is not None
    assert interpreter is not None
    return entry.held_on, spoke_with, interpreter, language


@retry_collisions
def record_conversation(ctx: ServiceContext, contact_id: int, entry: ConversationInput) -> int:
    """Record a conversation with the family and who interpreted it; bad input changes nothing; audited."""
    now = ctx.now()
    held_on, spoke_with, interpreter, language = validate_conversation(entry, london_date(now))
    with ctx.unit(write=True) as (session, actor):
        if actor.role not in CONVERSATION_RECORDERS:
            raise PermissionRefused("Only MASH staff record conversations with the family.")
        contact = load_contact(session, contact_id, actor, Action.ADD_NOTE)
        row = FamilyConversation(
            contact_id=contact.id,
            held_on=held_on,
            spoke_with=spoke_with,
            language=language,
            interpreter=interpreter,
            recorded_by_id=actor.id,
            recorded_at=now,
        )
        session.add(row)
        touch(session, contact.id, actor, now)
        session.flush()
        audit(
            session,
            actor,
            "conversation.record",
            "family_conversation",
            row.id,
            at=now,
            contact_id=contact.id,
            detail={"interpreter": interpreter.value},
        )
        return row.id


# --- a period, for the dashboard and the report ------------------------------------------------------
