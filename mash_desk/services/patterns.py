"""Patterns nobody should miss, read from the whole record: for a queue page, a contact, a period.

The rules are ``domain.patterns``; this module reads what they need in two set-based queries for
any number of contacts at once (the contacts and their children, then every contact about those
children in the window), so a queue page of 50 rows costs two queries, not fifty. A manager records
what they decided about a cumulative neglect pattern, and whoever spoke to the family records who
interpreted; both audited. Partner agencies see no patterns: they are made of contacts an agency
was never asked about.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Exists, Integer, and_, any_, bindparam, exists, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from mash_desk.domain.enums import Concern, HousingTenure, Role
from mash_desk.domain.errors import InvalidInput, NotFound, PermissionRefused
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.patterns import (
    DEFAULT_THRESHOLDS,
    THRESHOLD_LIMITS,
    Finding,
    HistoryContact,
    Interpreter,
    PatternDecision,
    PatternKind,
    PatternThresholds,
    ThresholdKey,
    address_key,
    cumulative_neglect,
    family_interpreter,
    moving_household,
    repeated_domestic_abuse,
    validate_decision,
    validate_threshold,
    window_start,
)
from mash_desk.domain.periods import london_date
from mash_desk.services.context import Actor, ServiceContext, audit, retry_collisions
from mash_desk.services.records import load_contact, touch
from mash_desk.services.restrictions import CONTACT, check_restriction
from mash_desk.store.models import (
    Contact,
    ContactChild,
    ContactConcern,
    DashAssessment,
    FamilyConversation,
    Household,
    PatternResponse,
    PatternThresholdRow,
    User,
)
from mash_desk.store.queries import lookup
from mash_desk.store.types import UtcDateTime

# who sees patterns: the MASH's own staff and those who oversee them
PATTERN_READERS = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.BUSINESS_SUPPORT, Role.AUDITOR, Role.ADMIN})
CONVERSATION_RECORDERS = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.BUSINESS_SUPPORT})
MAX_SPOKE_WITH = 120
PERIOD_CHUNK = 5000  # contacts whose patterns are read at once for a period's figures
MAX_LANGUAGE = 60


# --- the thresholds -------------------------------------------------------------------------------


def load_thresholds(session: Session) -> PatternThresholds:
    """The administrator's thresholds, with the default for any row not configured."""
    rows = lookup(session, select(PatternThresholdRow.key, PatternThresholdRow.amount))
    return PatternThresholds.from_rows(rows)


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


def _has_concern(concern: Concern) -> Exists:
    return exists().where(ContactConcern.contact_id == Contact.id, ContactConcern.concern == concern)


def _interpreted_by(kind: Interpreter) -> Exists:
    return exists().where(FamilyConversation.contact_id == Contact.id, FamilyConversation.interpreter == kind)


# The children's own contacts are few; a year of everyone's is not. Compared through COALESCE, the time
# received cannot lead the plan: both databases start from the children (contact_child.person_id), never
# from a range scan of ix_contact_received_at (SQLite chose that scan, a year of the hub's contacts, for
# every page of a queue).
_RECEIVED = func.coalesce(Contact.received_at, Contact.received_at)

_HISTORY_COLUMNS = (
    select(
        ContactChild.person_id,
        Contact.id,
        Contact.reference,
        Contact.received_at,
        Household.address_line1,
        Household.postcode,
        Household.temporary_accommodation,
        Household.tenure,
        _has_concern(Concern.NEGLECT).label("neglect"),
        _has_concern(Concern.DOMESTIC_ABUSE).label("domestic_abuse"),
        exists().where(DashAssessment.contact_id == Contact.id).label("dash"),
        _interpreted_by(Interpreter.FAMILY_MEMBER).label("by_family"),
        _interpreted_by(Interpreter.CHILD).label("by_child"),
    )
    .join(Contact, Contact.id == ContactChild.contact_id)
    .outerjoin(Household, Household.id == Contact.household_id)
    .where(_RECEIVED.between(bindparam("since", type_=UtcDateTime()), bindparam("until", type_=UtcDateTime())))
)
# built once: a page's worth of ids goes as one parameter (an array on PostgreSQL, an expanding list
# on SQLite), so neither the statement nor its cache key is rebuilt value by value on every read
_HISTORY = {
    "postgresql": _HISTORY_COLUMNS.where(ContactChild.person_id == any_(bindparam("people", type_=ARRAY(Integer())))),
    "sqlite": _HISTORY_COLUMNS.where(ContactChild.person_id.in_(bindparam("people", expanding=True))),
}
# the children of the given contacts, for reading their history in the same statement (a queue page,
# whose times of receipt the page already has)
_PEOPLE_OF = {
    "postgresql": select(ContactChild.person_id).where(
        ContactChild.contact_id == any_(bindparam("contacts", type_=ARRAY(Integer())))
    ),
    "sqlite": select(ContactChild.person_id).where(ContactChild.contact_id.in_(bindparam("contacts", expanding=True))),
}
_HISTORY_OF = {
    # PostgreSQL: the children as one array worked out first (an InitPlan), then looked up by index; as a
    # plain IN (subquery) the planner chose a hash join over every row of contact_child
    "postgresql": _HISTORY_COLUMNS.where(
        ContactChild.person_id == any_(func.array(_PEOPLE_OF["postgresql"].scalar_subquery()))
    ),
    "sqlite": _HISTORY_COLUMNS.where(ContactChild.person_id.in_(_PEOPLE_OF["sqlite"])),
}
_ANCHORS = select(Contact.id, Contact.received_at, ContactChild.person_id).outerjoin(
    ContactChild, ContactChild.contact_id == Contact.id
)
_ANCHOR_IDS = {
    "postgresql": _ANCHORS.where(Contact.id == any_(bindparam("contacts", type_=ARRAY(Integer())))),
    "sqlite": _ANCHORS.where(Contact.id.in_(bindparam("contacts", expanding=True))),
}


# the few sets a history row can carry, made once
_CONCERNS = {
    (neglect, abuse): frozenset(
        c for c, present in ((Concern.NEGLECT, neglect), (Concern.DOMESTIC_ABUSE, abuse)) if present
    )
    for neglect in (False, True)
    for abuse in (False, True)
}
_UNSAFE = {
    (family, child): frozenset(
        i for i, present in ((Interpreter.FAMILY_MEMBER, family), (Interpreter.CHILD, child)) if present
    )
    for family in (False, True)
    for child in (False, True)
}


def history_for(
    session: Session, person_ids: Collection[int], since: datetime, until: datetime
) -> dict[int, list[HistoryContact]]:
    """Every contact naming any of ``person_ids`` received from ``since`` to ``until``, by person: one query.

    Takes a set of ids so that one child's several records (a merged duplicate and the record kept)
    can be read together: the caller unions the lists of the ids that are one child.
    """
    if not person_ids:
        return {}
    conn = session.connection()
    return _history_rows(
        conn.execute(_HISTORY[conn.dialect.name], {"people": sorted(person_ids), "since": since, "until": until})
    )


def _history_rows(rows: Iterable[Any]) -> dict[int, list[HistoryContact]]:
    found: dict[int, list[HistoryContact]] = defaultdict(list)
    temporary_tenure = HousingTenure.TEMPORARY
    for person_id, contact_id, reference, received_at, line1, postcode, temporary, tenure, *flags in rows:
        neglect, abuse, dash, by_family, by_child = flags
        found[person_id].append(
            HistoryContact(
                contact_id=contact_id,
                reference=reference,
                received_at=received_at,
                concerns=_CONCERNS[bool(neglect), bool(abuse)],
                address=address_key(line1, postcode) if line1 or postcode else None,
                temporary_accommodation=bool(temporary) or tenure == temporary_tenure,
                dash_done=bool(dash),
                interpreters=_UNSAFE[bool(by_family), bool(by_child)],
            )
        )
    return found


def _children_of(conn: Connection, contact_ids: Collection[int]) -> dict[int, tuple[datetime, set[int]]]:
    """Each contact's time of receipt and the children it names: one query."""
    anchors: dict[int, tuple[datetime, set[int]]] = {}
    for contact_id, received_at, person_id in conn.execute(
        _ANCHOR_IDS[conn.dialect.name], {"contacts": sorted(contact_ids)}
    ):
        anchors.setdefault(contact_id, (received_at, set()))[1].update([person_id] if person_id is not None else [])
    return anchors


def _merged(histories: Iterable[list[HistoryContact]]) -> list[HistoryContact]:
    unique: dict[int, HistoryContact] = {}
    for history in histories:
        for contact in history:
            unique.setdefault(contact.contact_id, contact)
    return list(unique.values())


def findings_for(
    session: Session,
    contact_ids: Collection[int],
    thresholds: PatternThresholds | None = None,
    *,
    received: Mapping[int, datetime] | None = None,
) -> dict[int, tuple[Finding, ...]]:
    """The patterns on each contact as it stood when received, for any number of contacts: two queries,
    or one when the caller already knows when each was ``received`` (a queue page does).

    Cumulative neglect is counted child by child (a third neglect contact about *a child*); the
    household patterns look at every contact about any of the contact's children.
    """
    if not contact_ids:
        return {}
    policy = thresholds if thresholds is not None else load_thresholds(session)
    if received is not None:
        anchors, history = _with_anchors(session, {cid: received[cid] for cid in contact_ids}, policy)
    else:
        anchors = _children_of(session.connection(), contact_ids)
        if not anchors:
            return {}
        everyone = {person for _at, people in anchors.values() for person in people}
        earliest = min(at for at, _people in anchors.values())
        latest = max(at for at, _people in anchors.values())
        history = history_for(session, everyone, window_start(earliest, policy.longest_months), latest)
    result: dict[int, tuple[Finding, ...]] = {}
    for contact_id, (at, children) in anchors.items():
        result[contact_id] = patterns_of(at, [history.get(child, []) for child in sorted(children)], policy)
    return result


def _with_anchors(
    session: Session, received: Mapping[int, datetime], policy: PatternThresholds
) -> tuple[dict[int, tuple[datetime, set[int]]], dict[int, list[HistoryContact]]]:
    """The history of the contacts' children in one statement; each contact's children are read off its
    own rows (a contact is in its children's history: received within the window, up to the latest)."""
    conn = session.connection()
    since = window_start(min(received.values()), policy.longest_months)
    history = _history_rows(
        conn.execute(
            _HISTORY_OF[conn.dialect.name],
            {"contacts": sorted(received), "since": since, "until": max(received.values())},
        )
    )
    anchors: dict[int, tuple[datetime, set[int]]] = {}
    for person_id, items in history.items():
        for item in items:
            if item.contact_id in received:
                anchors.setdefault(item.contact_id, (received[item.contact_id], set()))[1].add(person_id)
    return anchors, history


def patterns_of(at: datetime, per_child: list[list[HistoryContact]], policy: PatternThresholds) -> tuple[Finding, ...]:
    """The findings for one contact from each of its children's histories."""
    neglect = [f for f in (cumulative_neglect(h, at, policy) for h in per_child) if f is not None]
    household = _merged(per_child)
    found = (
        max(neglect, key=lambda f: (f.count, f.contact_ids)) if neglect else None,
        repeated_domestic_abuse(household, at, policy),
        moving_household(household, at, policy),
        family_interpreter(household, at, policy),
    )
    return tuple(f for f in found if f is not None)


def kinds_for(session: Session, actor: Actor, received: Mapping[int, datetime]) -> dict[int, tuple[PatternKind, ...]]:
    """Which patterns each contact (id: when it was received) shows, for a queue page: two queries
    (the thresholds, and the history); nothing for a partner agency."""
    if actor.role not in PATTERN_READERS or not received:
        return {}
    found = findings_for(session, list(received), received=received)
    return {cid: tuple(f.kind for f in findings) for cid, findings in found.items() if findings}


# --- one contact's patterns, for the contact view -----------------------------------------------------


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
    ids = list(session.scalars(select(Contact.id).where(and_(Contact.received_at >= start, Contact.received_at < end))))
    policy = load_thresholds(session)
    found: dict[int, tuple[Finding, ...]] = {}
    for first in range(0, len(ids), PERIOD_CHUNK):  # SQLite takes at most 32,766 values in one list
        found.update(findings_for(session, ids[first : first + PERIOD_CHUNK], policy))
    answered = set(
        session.scalars(
            select(PatternResponse.contact_id).where(PatternResponse.pattern == PatternKind.CUMULATIVE_NEGLECT)
        )
    )
    referred = set(referral_ids)
    counts: dict[PatternKind, list[int]] = {kind: [0, 0, 0] for kind in PatternKind}
    for contact_id, findings in found.items():
        for finding in findings:
            tally = counts[finding.kind]
            tally[0] += 1
            tally[1] += contact_id in referred
            if finding.kind is PatternKind.CUMULATIVE_NEGLECT and contact_id not in answered:
                tally[2] += 1
    return tuple(PatternCount(kind, n, referrals, waiting) for kind, (n, referrals, waiting) in counts.items())


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
    answered = set(
        session.scalars(
            select(PatternResponse.contact_id).where(PatternResponse.pattern == PatternKind.CUMULATIVE_NEGLECT)
        )
    )
    counts = dict.fromkeys(PatternKind, 0)
    waiting: list[str] = []
    for first in range(0, len(rows), PERIOD_CHUNK):
        chunk = rows[first : first + PERIOD_CHUNK]
        found = findings_for(session, [row.id for row in chunk], policy)
        for row in chunk:
            kinds = {f.kind for f in found.get(row.id, ())}
            for kind in kinds:
                counts[kind] += 1
            if PatternKind.CUMULATIVE_NEGLECT in kinds and row.id not in answered and len(waiting) < list_limit:
                waiting.append(row.reference)
    return OpenPatterns(counts, tuple(waiting))


def thresholds_by_key(policy: PatternThresholds) -> Mapping[ThresholdKey, int]:
    return {key: getattr(policy, key.value) for key in ThresholdKey}
