"""What the patterns read: every contact about a set of children in the window, in two queries for any number of
contacts, and the findings the domain rules make of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, Connection, Exists, Integer, Result, any_, bindparam, exists, func, select

from mash_desk.domain.enums import Concern, HousingTenure
from mash_desk.domain.patterns import (
    Finding,
    HistoryContact,
    Interpreter,
    PatternKind,
    PatternThresholds,
    address_key,
    cumulative_neglect,
    family_interpreter,
    moving_household,
    repeated_domestic_abuse,
    window_start,
)
from mash_desk.services.context import Actor
from mash_desk.services.patterns.policy import (
    load_thresholds,
)
from mash_desk.services.patterns.rules import (
    PATTERN_READERS,
)
from mash_desk.store.models import (
    Contact,
    ContactChild,
    ContactConcern,
    DashAssessment,
    FamilyConversation,
    Household,
)
from mash_desk.store.queries import Reader, core
from mash_desk.store.types import UtcDateTime


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
    session: Reader, person_ids: Collection[int], since: datetime, until: datetime
) -> dict[int, list[HistoryContact]]:
    """Every contact naming any of ``person_ids`` received from ``since`` to ``until``, by person: one query.

    Takes a set of ids so that one child's several records (a merged duplicate and the record kept)
    can be read together: the caller unions the lists of the ids that are one child.
    """
    if not person_ids:
        return {}
    conn = core(session)
    return _history_rows(
        conn.execute(_HISTORY[conn.dialect.name], {"people": sorted(person_ids), "since": since, "until": until})
    )


def _history_rows(result: Result[*tuple[Any, ...]]) -> dict[int, list[HistoryContact]]:
    found: dict[int, list[HistoryContact]] = defaultdict(list)
    temporary_tenure = HousingTenure.TEMPORARY
    # a household's address comes back once for each of its contacts and each child on them: keyed once
    addresses: dict[tuple[str | None, str | None], str | None] = {}
    for person_id, contact_id, reference, received_at, line1, postcode, temporary, tenure, *flags in result.all():
        neglect, abuse, dash, by_family, by_child = flags
        if (line1, postcode) not in addresses:
            addresses[line1, postcode] = address_key(line1, postcode)
        found[person_id].append(
            HistoryContact(
                contact_id=contact_id,
                reference=reference,
                received_at=received_at,
                concerns=_CONCERNS[bool(neglect), bool(abuse)],
                address=addresses[line1, postcode],
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
    session: Reader,
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
        anchors = _children_of(core(session), contact_ids)
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
    session: Reader, received: Mapping[int, datetime], policy: PatternThresholds
) -> tuple[dict[int, tuple[datetime, set[int]]], dict[int, list[HistoryContact]]]:
    """The history of the contacts' children in one statement; each contact's children are read off its
    own rows (a contact is in its children's history: received within the window, up to the latest)."""
    conn = core(session)
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


def kinds_for(session: Reader, actor: Actor, received: Mapping[int, datetime]) -> dict[int, tuple[PatternKind, ...]]:
    """Which patterns each contact (id: when it was received) shows, for a queue page: two queries
    (the thresholds, and the history); nothing for a partner agency."""
    if actor.role not in PATTERN_READERS or not received:
        return {}
    found = findings_for(session, list(received), received=received)
    return {cid: tuple(f.kind for f in findings) for cid, findings in found.items() if findings}


# --- one contact's patterns, for the contact view -----------------------------------------------------
