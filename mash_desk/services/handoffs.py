"""Hand-offs: a case is not passed on until the receiving team accepts it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk.domain.cin import is_referral, needs_hand_off, receiving_team_kind
from mash_desk.domain.enums import ContactStatus, HandOffStatus, Outcome, Role, TeamKind, TimescaleKey
from mash_desk.domain.errors import IllegalTransition, InvalidInput, NotFound, PermissionRefused
from mash_desk.domain.lifecycle import Action
from mash_desk.services.context import Actor, ServiceContext, audit, require, retry_collisions
from mash_desk.services.drafts import blank_to_none
from mash_desk.services.policy import deadline
from mash_desk.services.records import check_contact, load_contact, locked_contact, move, require_sharing_allowed
from mash_desk.store.models import Agency, Contact, ContactChild, HandOff, HandOffChase, Person, Team


def _team(team: Team | None, team_id: int) -> Team:
    if team is None:
        raise InvalidInput.single("team", f"There is no team with id {team_id}.")
    return team


@retry_collisions
def hand_off(ctx: ServiceContext, contact_id: int, team_id: int, note: str | None = None) -> int:
    """Pass an authorised contact to the team that will act on it."""
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.HAND_OFF)
        team = _team(session.get(Team, team_id), team_id)
        outcomes = _authorised_outcomes(session, contact.id)
        if not any(needs_hand_off(outcome) for outcome in outcomes):
            raise IllegalTransition(
                "No child on this contact has an outcome that needs another team; close it instead."
            )
        if team.id != contact.open_case_team_id and not any(
            needs_hand_off(outcome) and outcome is not Outcome.PASS_TO_ALLOCATED_WORKER for outcome in outcomes
        ):
            raise IllegalTransition(
                "The authorised decision passes this to the child's allocated team only. "
                "To send it elsewhere, a manager must reopen the decision."
            )
        return _send(ctx, session, actor, contact, team, note, Action.HAND_OFF, f"hand off to {team.name}", now)


@retry_collisions
def pass_to_allocated_team(ctx: ServiceContext, contact_id: int, note: str | None = None) -> int:
    """The open-case route: once a manager has authorised "pass to the allocated worker", send it to that team."""
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.PASS_TO_ALLOCATED_TEAM)
        if contact.open_case_team_id is None:
            raise IllegalTransition("No child on this contact has an open case; hand it off instead.")
        if Outcome.PASS_TO_ALLOCATED_WORKER not in _authorised_outcomes(session, contact.id):
            raise IllegalTransition(
                "The authorised decision does not pass this to the allocated worker; hand it off instead."
            )
        team = _team(session.get(Team, contact.open_case_team_id), contact.open_case_team_id)
        purpose = f"pass this to {team.name}"
        return _send(ctx, session, actor, contact, team, note, Action.PASS_TO_ALLOCATED_TEAM, purpose, now)


def _authorised_outcomes(session: Session, contact_id: int) -> list[Outcome]:
    """The outcomes a manager authorised for this contact's children (the children's current outcome)."""
    outcomes = session.scalars(select(ContactChild.outcome).where(ContactChild.contact_id == contact_id))
    return [outcome for outcome in outcomes if outcome is not None]


_AUDIT_ACTION = {Action.HAND_OFF: "handoff.send", Action.PASS_TO_ALLOCATED_TEAM: "handoff.open_case"}


def _send(
    ctx: ServiceContext,
    session: Session,
    actor: Actor,
    contact: Contact,
    team: Team,
    note: str | None,
    action: Action,
    purpose: str,
    now: datetime,
) -> int:
    """Create the pending hand-off (consent permitting), move the contact on, and audit it."""
    agency = session.get(Agency, team.agency_id)
    require_sharing_allowed(session, contact.id, agency.code if agency else None, purpose)
    record = HandOff(
        contact_id=contact.id,
        team_id=team.id,
        note=blank_to_none(note),
        sent_by_id=actor.id,
        sent_at=now,
        due_at=deadline(session, TimescaleKey.HANDOFF_ACCEPTANCE, now, ctx.calendar),
        status=HandOffStatus.PENDING,
    )
    session.add(record)
    move(contact, action, actor, now)
    session.flush()
    audit(
        session,
        actor,
        _AUDIT_ACTION[action],
        "hand_off",
        record.id,
        at=now,
        contact_id=contact.id,
        detail={"team": team.name},
    )
    return record.id


def _answering(session: Session, actor: Actor, handoff_id: int, action: Action) -> tuple[Contact, HandOff]:
    """The contact (locked first, as in every write unit) and its hand-off, read again after the lock."""
    require(actor, action)
    found = session.get(HandOff, handoff_id)
    if found is None:
        raise NotFound(f"There is no hand-off with id {handoff_id}.")
    contact_id = found.contact_id
    contact = locked_contact(session, actor, contact_id)  # the contact row first; the hand-off is read again
    record = _pending(actor, session.get(HandOff, handoff_id), handoff_id, action)
    return check_contact(session, contact, actor, action), record


def _pending(actor: Actor, handoff: HandOff | None, handoff_id: int, action: Action) -> HandOff:
    require(actor, action)
    if handoff is None:
        raise NotFound(f"There is no hand-off with id {handoff_id}.")
    if handoff.status is not HandOffStatus.PENDING:
        raise IllegalTransition(f"This hand-off has already been {handoff.status.value}.")
    if actor.team_id != handoff.team_id:
        raise PermissionRefused("Only the receiving team can accept or reject a hand-off.")
    return handoff


@retry_collisions
def accept_hand_off(ctx: ServiceContext, handoff_id: int) -> None:
    """The receiving team takes the case; its children are now allocated to that team."""
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact, record = _answering(session, actor, handoff_id, Action.ACCEPT_HAND_OFF)
        record.status = HandOffStatus.ACCEPTED
        record.responded_by_id, record.responded_at = actor.id, now
        for link in session.scalars(select(ContactChild).where(ContactChild.contact_id == contact.id)):
            if link.outcome is not None and (
                is_referral(link.outcome) or link.outcome is Outcome.PASS_TO_ALLOCATED_WORKER
            ):
                person = session.get(Person, link.person_id)
                # also when the same team takes the child again: a closed case reopens
                if person is not None and (
                    person.allocated_team_id != record.team_id or not person.case_open or person.case_closed_on
                ):
                    person.allocated_team_id = record.team_id
                    person.case_open = True
                    person.case_closed_on = None
        move(contact, Action.ACCEPT_HAND_OFF, actor, now)
        audit(session, actor, "handoff.accept", "hand_off", record.id, at=now, contact_id=contact.id)


@retry_collisions
def reject_hand_off(ctx: ServiceContext, handoff_id: int, reason: str) -> None:
    """The receiving team refuses, with a reason; the contact goes back to the MASH, still authorised.

    There it is handed to another team the decision justifies, or a manager reopens the decision.
    """
    reason_text = blank_to_none(reason)
    if reason_text is None:
        raise InvalidInput.single("reason", "Say why your team cannot take this case.")
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact, record = _answering(session, actor, handoff_id, Action.REJECT_HAND_OFF)
        record.status = HandOffStatus.REJECTED
        record.responded_by_id, record.responded_at = actor.id, now
        record.rejection_reason = reason_text
        move(contact, Action.REJECT_HAND_OFF, actor, now)
        audit(
            session,
            actor,
            "handoff.reject",
            "hand_off",
            record.id,
            at=now,
            contact_id=contact.id,
            detail={"reason": reason_text},
        )


CHASERS = (Role.PRACTITIONER, Role.MANAGER)
"""Who chases a receiving team: the MASH's social workers (the trigger of migration 0016 agrees)."""


def may_chase(actor: Actor, receiving_team_id: int) -> bool:
    """Whether ``actor`` may chase a hand-off to ``receiving_team_id``: MASH social work, and not the
    receiving team itself (it accepts or rejects instead)."""
    return actor.role in CHASERS and actor.team_id != receiving_team_id


@retry_collisions
def chase_hand_off(ctx: ServiceContext, handoff_id: int, note: str) -> int:
    """Record that the MASH chased the receiving team about a hand-off it has not accepted (audited,
    in the contact's chronology, shown to the receiving team beside the hand-off)."""
    how = blank_to_none(note)
    if how is None:
        raise InvalidInput.single(
            "note", "Say how you chased the team: whom you phoned or e-mailed, and what they said."
        )
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        if actor.role not in CHASERS:
            raise PermissionRefused("Only a MASH practitioner or manager chases a hand-off.")
        found = session.get(HandOff, handoff_id)
        if found is None:
            raise NotFound(f"There is no hand-off with id {handoff_id}.")
        locked_contact(session, actor, found.contact_id)  # the contact row first, as in every write unit
        record = session.get(HandOff, handoff_id)
        assert record is not None
        if record.status is not HandOffStatus.PENDING:
            raise IllegalTransition(f"This hand-off has already been {record.status.value}: there is nothing to chase.")
        if not may_chase(actor, record.team_id):
            raise PermissionRefused("Your own team holds this hand-off: accept or reject it instead of chasing it.")
        chase = HandOffChase(
            hand_off_id=record.id, contact_id=record.contact_id, chased_by_id=actor.id, chased_at=now, note=how
        )
        session.add(chase)
        session.flush()
        team = session.get(Team, record.team_id)
        audit(
            session,
            actor,
            "handoff.chase",
            "hand_off",
            record.id,
            at=now,
            contact_id=record.contact_id,
            detail={"team": team.name if team else None, "note": how},
        )
        return chase.id


@retry_collisions
def close_contact(ctx: ServiceContext, contact_id: int, *, expected_version: int | None = None) -> None:
    """Close a contact whose outcome is carried out: accepted by a team, or needing no team."""
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.CLOSE, expected_version=expected_version)
        if contact.status is ContactStatus.AUTHORISED:
            outcomes = session.scalars(select(ContactChild.outcome).where(ContactChild.contact_id == contact.id))
            if any(outcome is not None and needs_hand_off(outcome) for outcome in outcomes):
                raise IllegalTransition("A child's outcome needs another team: hand it off before closing.")
        contact.closed_at = now
        contact.closed_by_id = actor.id
        move(contact, Action.CLOSE, actor, now)
        audit(session, actor, "contact.close", "contact", contact.id, at=now, contact_id=contact.id)


class ReceivingTeam(NamedTuple):
    id: int
    name: str
    kind: TeamKind


def receiving_teams(ctx: ServiceContext) -> list[ReceivingTeam]:
    """Teams a case can be handed to, for pickers."""
    with ctx.unit() as (session, actor):
        if actor.role is Role.AUDITOR:
            return []
        return [
            ReceivingTeam(team.id, team.name, team.kind) for team in session.scalars(select(Team).order_by(Team.name))
        ]


def suggested_receiving_team(teams: Sequence[ReceivingTeam], outcomes: Iterable[Outcome]) -> int | None:
    """The team a hand-off picker starts on: the only team of the kind the most urgent outcome goes to.
    None when no outcome names a kind, or when several teams are of that kind (a person chooses)."""
    kind = receiving_team_kind(outcomes)
    of_kind = [team.id for team in teams if team.kind is kind]
    return of_kind[0] if kind is not None and len(of_kind) == 1 else None
