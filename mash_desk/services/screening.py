"""Screening: RAG rating, the consent decision, and the checks asked of partner agencies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mash_desk.domain.enums import (
    AgencyRequestStatus,
    Confidentiality,
    ConsentStatus,
    ContactStatus,
    OverrideBasis,
    Rag,
    Role,
)
from mash_desk.domain.errors import ConcurrentEdit, IllegalTransition, InvalidInput, NotFound, PermissionRefused
from mash_desk.domain.lifecycle import Action
from mash_desk.services.context import Actor, ServiceContext, audit, require, retry_collisions
from mash_desk.services.drafts import FieldErrors, blank_to_none
from mash_desk.services.policy import rag_deadline
from mash_desk.services.records import load_contact, locked_contact, move, require_sharing_allowed, touch
from mash_desk.store.models import Agency, AgencyRequest, ConsentDecision, Contact, RagRating, User

MAX_TEXT = 10000


@dataclass(frozen=True)
class Rated:
    contact_id: int
    rag: Rag
    due_at: datetime
    status: ContactStatus


@retry_collisions
def rag_deadlines(ctx: ServiceContext, contact_id: int) -> dict[Rag, datetime]:
    """When the contact would be due at each rating, by the hub's policy from when the MASH received it:
    what the rating dialog shows beside each choice."""
    with ctx.unit() as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.RATE)
        return {rag: rag_deadline(session, rag, contact.received_at, ctx.calendar) for rag in Rag}


def rate(
    ctx: ServiceContext,
    contact_id: int,
    rag: Rag | str,
    reason: str | None = None,
    *,
    expected_version: int | None = None,
) -> Rated:
    """Give or change the RAG rating; the deadline runs from when the MASH received the contact."""
    try:
        rating = Rag(rag)
    except ValueError:
        raise InvalidInput.single("rag", "Choose RED, AMBER or GREEN.") from None
    reason_text = blank_to_none(reason)
    if reason_text is not None and len(reason_text) > MAX_TEXT:
        raise InvalidInput.single("reason", "The reason is too long.")
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.RATE, expected_version=expected_version)
        if contact.rag is not None:
            if contact.rag is rating:
                raise InvalidInput.single("rag", f"The contact is already rated {rating.value.upper()}.")
            if reason_text is None:
                raise InvalidInput.single("reason", "Say why the rating is changing: every change needs a reason.")
        due = rag_deadline(session, rating, contact.received_at, ctx.calendar)
        previous = contact.rag
        contact.rag = rating
        contact.rag_due_at = due
        move(contact, Action.RATE, actor, now)
        if contact.assigned_to_id is None and actor.role is Role.PRACTITIONER:
            contact.assigned_to_id = actor.id
        session.add(
            RagRating(
                contact_id=contact.id, rag=rating, reason=reason_text, due_at=due, rated_by_id=actor.id, rated_at=now
            )
        )
        # outstanding agency checks share the contact's window, so they move with it
        # Core UPDATE: a new deadline is not an edit the agency's open copy should conflict with
        session.execute(
            update(AgencyRequest)
            .where(AgencyRequest.contact_id == contact.id, AgencyRequest.status == AgencyRequestStatus.OUTSTANDING)
            .values(due_at=due)
        )
        audit(
            session,
            actor,
            "contact.rate",
            "contact",
            contact.id,
            at=now,
            contact_id=contact.id,
            detail={"from": previous.value if previous else None, "to": rating.value, "reason": reason_text},
        )
        return Rated(contact.id, rating, due, contact.status)


@dataclass
class ConsentDraft:
    status: ConsentStatus | None = None
    given_by_name: str | None = None
    given_by_relationship: str | None = None
    given_by_has_pr: bool | None = None
    obtained_on: date | None = None
    method: str | None = None
    scope: list[str] = field(default_factory=list)
    # consent given covers the agencies ticked in ``scope``, or every agency only when this says so:
    # nothing ticked is a mistake to put right, never a silent "everyone"
    all_agencies: bool = False
    parent_aware: bool = True
    parent_not_aware_reason: str | None = None
    child_views: str | None = None
    override: bool = False
    override_basis: OverrideBasis | None = None
    override_reason: str | None = None
    override_authorised_by: str | None = None  # username of the manager who authorised it
    corrects_id: int | None = None


def _validate_consent(draft: ConsentDraft, today: date, agency_codes: set[str]) -> None:
    errors = FieldErrors()
    if draft.status is None:
        errors.add("status", "Choose whether consent was given, refused, not sought or not possible.")
    if draft.status is ConsentStatus.GIVEN:
        if not blank_to_none(draft.given_by_name):
            errors.add("given_by_name", "Enter who gave consent.")
        if draft.obtained_on is None:
            errors.add("obtained_on", "Enter the date consent was given.")
        if not blank_to_none(draft.method):
            errors.add("method", "Enter how consent was given (in person, by phone, in writing).")
        if draft.override:
            errors.add("override", "Consent was given, so no override is needed.")
        elif not draft.scope and not draft.all_agencies:
            errors.add("scope", "Tick the agencies the consent covers, or choose All agencies.")
    if draft.obtained_on is not None and draft.obtained_on > today:
        errors.add("obtained_on", "The date consent was given cannot be in the future.")
    unknown = [code for code in draft.scope if code not in agency_codes]
    if unknown:
        errors.add("scope", f"Unknown agency: {', '.join(unknown)}.")
    if not draft.parent_aware and not blank_to_none(draft.parent_not_aware_reason):
        errors.add("parent_not_aware_reason", "Say why the parent is not aware of this contact.")
    if draft.override:
        if draft.override_basis is None:
            errors.add("override_basis", "Choose the lawful basis for sharing without consent.")
        if not blank_to_none(draft.override_reason):
            errors.add("override_reason", "Say why information is shared without consent.")
    errors.raise_if_any()


def _override_authoriser(session: Session, actor: Actor, draft: ConsentDraft) -> int:
    """Sharing without consent is a team manager's decision, recorded by that manager in person:
    so the record cannot name a manager who never saw it (PostgreSQL keeps the same rule)."""
    named = blank_to_none(draft.override_authorised_by)
    if actor.role is not Role.MANAGER:
        manager = session.scalar(select(User.display_name).where(User.username == named)) if named else None
        raise InvalidInput.single(
            "override_authorised_by",
            f"A team manager records sharing without consent in person: ask {manager or 'your manager'} to record it.",
        )
    if named is not None and named != actor.username:
        raise InvalidInput.single(
            "override_authorised_by", "You can record only your own authorisation; the other manager records theirs."
        )
    return actor.id


def stored_scope(draft: ConsentDraft) -> str:
    """The agencies as the database keeps them: a comma-separated list, or blank for every agency."""
    return "" if draft.all_agencies else ",".join(sorted(set(draft.scope)))


@retry_collisions
def record_consent(ctx: ServiceContext, contact_id: int, draft: ConsentDraft) -> int:
    """Record the information-sharing decision and its reasons, whether or not information is shared."""
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        agency_codes = set(session.scalars(select(Agency.code)))
        _validate_consent(draft, now.date(), agency_codes)
        contact = load_contact(session, contact_id, actor, Action.RECORD_CONSENT)
        authoriser_id = _override_authoriser(session, actor, draft) if draft.override else None
        if draft.corrects_id is not None:
            corrected = session.get(ConsentDecision, draft.corrects_id)
            if corrected is None or corrected.contact_id != contact.id:
                raise InvalidInput.single("corrects_id", "The consent record being corrected is not on this contact.")
        assert draft.status is not None
        record = ConsentDecision(
            contact_id=contact.id,
            status=draft.status,
            given_by_name=blank_to_none(draft.given_by_name),
            given_by_relationship=blank_to_none(draft.given_by_relationship),
            given_by_has_pr=draft.given_by_has_pr,
            obtained_on=draft.obtained_on,
            method=blank_to_none(draft.method),
            scope=stored_scope(draft),
            parent_aware=draft.parent_aware,
            parent_not_aware_reason=blank_to_none(draft.parent_not_aware_reason),
            child_views=blank_to_none(draft.child_views),
            override=draft.override,
            override_basis=draft.override_basis if draft.override else None,
            override_reason=blank_to_none(draft.override_reason) if draft.override else None,
            override_authorised_by_id=authoriser_id,
            recorded_by_id=actor.id,
            recorded_at=now,
            corrects_id=draft.corrects_id,
        )
        session.add(record)
        touch(session, contact.id, actor, now)
        session.flush()
        audit(
            session,
            actor,
            "consent.record",
            "consent_decision",
            record.id,
            at=now,
            contact_id=contact.id,
            detail={"status": draft.status.value, "override": draft.override},
        )
        return record.id


@retry_collisions
def request_agency_checks(
    ctx: ServiceContext, contact_id: int, agency_codes: Sequence[str], question: str | None = None
) -> list[int]:
    """Ask partner agencies to research; each return is due inside the contact's RAG window."""
    if not agency_codes:
        raise InvalidInput.single("agencies", "Choose at least one agency to ask.")
    if question is not None and len(question) > MAX_TEXT:
        raise InvalidInput.single("question", "The question is too long.")
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.REQUEST_AGENCY_CHECKS)
        agencies = {a.code: a for a in session.scalars(select(Agency).where(Agency.code.in_(agency_codes)))}
        missing = sorted(set(agency_codes) - agencies.keys())
        if missing:
            raise InvalidInput.single("agencies", f"Unknown agency: {', '.join(missing)}.")
        outstanding = set(
            session.scalars(
                select(AgencyRequest.agency_id).where(
                    AgencyRequest.contact_id == contact.id,
                    AgencyRequest.status == AgencyRequestStatus.OUTSTANDING,
                )
            )
        )
        ids: list[int] = []
        for code in sorted(set(agency_codes)):
            agency = agencies[code]
            if agency.id in outstanding:
                raise InvalidInput.single("agencies", f"{agency.name} has already been asked and has not replied yet.")
            require_sharing_allowed(session, contact.id, code, f"ask {agency.name} for checks")
            request = AgencyRequest(
                contact_id=contact.id,
                agency_id=agency.id,
                question=blank_to_none(question),
                requested_by_id=actor.id,
                requested_at=now,
                due_at=contact.rag_due_at,
                status=AgencyRequestStatus.OUTSTANDING,
            )
            session.add(request)
            session.flush()
            ids.append(request.id)
            audit(
                session,
                actor,
                "agency_request.create",
                "agency_request",
                request.id,
                at=now,
                contact_id=contact.id,
                detail={"agency": code},
            )
        move(contact, Action.REQUEST_AGENCY_CHECKS, actor, now)
        return ids


@retry_collisions
def record_agency_return(
    ctx: ServiceContext,
    request_id: int,
    *,
    summary: str | None,
    nothing_known: bool,
    confidentiality: Confidentiality = Confidentiality.SHAREABLE,
    expected_version: int | None = None,
) -> None:
    """An agency's proportionate summary of what it knows (or "nothing known")."""
    summary_text = blank_to_none(summary)
    if not nothing_known and summary_text is None:
        raise InvalidInput.single("summary", "Write what your agency knows, or tick 'nothing known'.")
    if summary_text is not None and len(summary_text) > MAX_TEXT:
        raise InvalidInput.single("summary", "The summary is too long; keep it proportionate.")
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        require(actor, Action.RECORD_AGENCY_RETURN)
        request = session.get(AgencyRequest, request_id)
        if request is None:
            raise NotFound(f"There is no agency request with id {request_id}.")
        contact = locked_contact(session, actor, request.contact_id)  # the contact row first, then read again
        if session.get(AgencyRequest, request_id) is None:  # hidden since: its contact was restricted
            raise NotFound(f"There is no agency request with id {request_id}.")
        if request.agency_id != actor.agency_id:
            raise PermissionRefused("Only the agency that was asked can record its return.")
        if expected_version is not None and request.version != expected_version:
            changed = session.get(Contact, request.contact_id)
            who_id = request.returned_by_id or (changed.updated_by_id if changed else None)
            who = session.get(User, who_id) if who_id else None
            raise ConcurrentEdit(
                f"{who.display_name if who else 'Someone else'} changed this request after you opened it. "
                "Nothing was overwritten; reopen it to see their change.",
                changed_by=who.display_name if who else None,
                changed_at=request.returned_at or (changed.updated_at if changed else None),
                theirs={"status": request.status.value, "due_at": request.due_at},
            )
        if request.status is not AgencyRequestStatus.OUTSTANDING:
            raise IllegalTransition(f"This request is already {request.status.value}.")
        require(actor, Action.RECORD_AGENCY_RETURN, contact.status)
        request.status = AgencyRequestStatus.RETURNED
        request.summary = summary_text
        request.nothing_known = nothing_known
        request.confidentiality = confidentiality
        request.returned_at = now
        request.returned_by_id = actor.id
        touch(session, contact.id, actor, now)
        audit(
            session,
            actor,
            "agency_request.return",
            "agency_request",
            request.id,
            at=now,
            contact_id=contact.id,
            detail={"nothing_known": nothing_known, "on_time": now <= request.due_at},
        )


@retry_collisions
def withdraw_agency_request(ctx: ServiceContext, request_id: int, reason: str) -> None:
    """Stop waiting for an agency (for example when an emergency decision cannot wait)."""
    reason_text = blank_to_none(reason)
    if reason_text is None:
        raise InvalidInput.single("reason", "Say why the request is withdrawn.")
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        request = session.get(AgencyRequest, request_id)
        if request is None:
            raise NotFound(f"There is no agency request with id {request_id}.")
        contact = load_contact(session, request.contact_id, actor, Action.WITHDRAW_AGENCY_REQUEST)
        if request.status is not AgencyRequestStatus.OUTSTANDING:
            raise IllegalTransition(f"This request is already {request.status.value}.")
        request.status = AgencyRequestStatus.WITHDRAWN
        request.withdrawn_reason = reason_text
        touch(session, contact.id, actor, now)
        audit(
            session,
            actor,
            "agency_request.withdraw",
            "agency_request",
            request.id,
            at=now,
            contact_id=request.contact_id,
            detail={"reason": reason_text},
        )


def managers(ctx: ServiceContext) -> list[tuple[str, str]]:
    """Active team managers (login, name), for "who authorised sharing without consent"."""
    with ctx.unit() as (session, _actor):
        return [
            (u.username, u.display_name)
            for u in session.scalars(
                select(User).where(User.role == Role.MANAGER, User.active.is_(True)).order_by(User.display_name)
            )
        ]
