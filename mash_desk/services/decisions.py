"""Threshold decisions per child, and the manager's authorisation (four eyes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mash_desk.domain.enums import AgencyRequestStatus, DecisionStatus, Outcome
from mash_desk.domain.errors import IllegalTransition, InvalidInput, PermissionRefused
from mash_desk.domain.lifecycle import Action, may_decide
from mash_desk.domain.review_checks import ReviewPoint
from mash_desk.domain.thresholds import check_decision
from mash_desk.domain.words import counted
from mash_desk.services.context import Actor, ServiceContext, audit, retry_collisions
from mash_desk.services.drafts import blank_to_none
from mash_desk.services.records import current_consent, load_contact, move, touch
from mash_desk.store.models import AgencyRequest, Authorisation, Contact, ContactChild, ThresholdDecision


@dataclass(frozen=True)
class DecisionProposal:
    person_id: int
    level_of_need: int
    outcome: Outcome | str
    primary_need: str
    rationale: str


@dataclass(frozen=True)
class DecisionForChildren:
    """One decision for several children of a contact: siblings' rationale is written once."""

    person_ids: tuple[int, ...]
    level_of_need: int
    outcome: Outcome | str
    primary_need: str
    rationale: str
    submit: bool = False
    """Send every child's decision to a manager straight after saving (the person ticked it)."""

    def proposals(self) -> list[DecisionProposal]:
        return [
            DecisionProposal(person_id, self.level_of_need, self.outcome, self.primary_need, self.rationale)
            for person_id in self.person_ids
        ]


def propose_decision(ctx: ServiceContext, contact_id: int, proposal: DecisionProposal) -> int:
    """Propose level of need and outcome for one child; a new proposal replaces the last one."""
    return propose_for_children(ctx, contact_id, [proposal])[0]


@retry_collisions
def propose_for_children(ctx: ServiceContext, contact_id: int, proposals: list[DecisionProposal]) -> list[int]:
    """Propose a decision for each child, in one unit of work: all are saved, or none."""
    if not proposals:
        raise InvalidInput.single("person_id", "Choose the child (or children) the decision is for.")
    for proposal in proposals:
        check_decision(proposal.level_of_need, proposal.outcome, proposal.primary_need, proposal.rationale)
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.PROPOSE_DECISION)
        return [_propose(session, actor, contact, proposal, now) for proposal in proposals]


def decide_for_children(ctx: ServiceContext, contact_id: int, decision: DecisionForChildren) -> list[int]:
    """Save one decision for each of ``decision.person_ids``, then submit them all if asked: submitting
    is its own step with its own checks (a refusal leaves the decisions saved, and says why)."""
    ids = propose_for_children(ctx, contact_id, decision.proposals())
    if decision.submit:
        submit_for_authorisation(ctx, contact_id)
    return ids


def _propose(session: Session, actor: Actor, contact: Contact, proposal: DecisionProposal, now: datetime) -> int:
    level = check_decision(proposal.level_of_need, proposal.outcome, proposal.primary_need, proposal.rationale)
    if Outcome(proposal.outcome) is Outcome.PASS_TO_ALLOCATED_WORKER and contact.open_case_team_id is None:
        raise InvalidInput.single(
            "outcome", "No child on this contact has an open case, so there is no allocated worker to pass it to."
        )
    link = session.scalars(
        select(ContactChild).where(ContactChild.contact_id == contact.id, ContactChild.person_id == proposal.person_id)
    ).first()
    if link is None:
        raise InvalidInput.single("person_id", "That child is not named in this contact.")
    previous = _current_proposal(session, link.id)
    if previous is not None:
        previous.status = DecisionStatus.SUPERSEDED
    else:  # after a manager's return (or reopening) the new proposal replaces the last decision
        previous = session.scalars(
            select(ThresholdDecision)
            .where(
                ThresholdDecision.contact_child_id == link.id,
                ThresholdDecision.status.in_((DecisionStatus.RETURNED, DecisionStatus.AUTHORISED)),
            )
            .order_by(ThresholdDecision.id.desc())
            .limit(1)
        ).first()
    decision = ThresholdDecision(
        contact_child_id=link.id,
        level_of_need=int(level),
        outcome=Outcome(proposal.outcome),
        primary_need=proposal.primary_need,
        rationale=proposal.rationale.strip(),
        status=DecisionStatus.PROPOSED,
        proposed_by_id=actor.id,
        proposed_at=now,
        supersedes_id=previous.id if previous is not None else None,
    )
    session.add(decision)
    touch(session, contact.id, actor, now)
    session.flush()
    audit(
        session,
        actor,
        "decision.propose",
        "threshold_decision",
        decision.id,
        at=now,
        contact_id=contact.id,
        detail={"person_id": proposal.person_id, "level": int(level), "outcome": decision.outcome.value},
    )
    return decision.id


def _current_proposal(session: Session, contact_child_id: int) -> ThresholdDecision | None:
    return session.scalars(
        select(ThresholdDecision).where(
            ThresholdDecision.contact_child_id == contact_child_id,
            ThresholdDecision.status == DecisionStatus.PROPOSED,
        )
    ).first()


def _require_deciding_manager(actor: Actor, contact: Contact) -> None:
    if not may_decide(actor.role, actor.team_id, contact.team_id):
        if contact.team_id is None:
            raise PermissionRefused("This contact belongs to no team yet: allocate it before a manager decides it.")
        raise PermissionRefused(
            "Only a manager of the team that owns this contact can authorise or return its decisions."
        )


def _proposals(session: Session, contact_id: int) -> list[tuple[ContactChild, ThresholdDecision | None]]:
    links = list(session.scalars(select(ContactChild).where(ContactChild.contact_id == contact_id)))
    return [(link, _current_proposal(session, link.id)) for link in links]


@retry_collisions
def submit_for_authorisation(ctx: ServiceContext, contact_id: int, *, expected_version: int | None = None) -> None:
    """Send every child's proposed decision to a manager."""
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(
            session, contact_id, actor, Action.SUBMIT_FOR_AUTHORISATION, expected_version=expected_version
        )
        if current_consent(session, contact.id) is None:
            raise IllegalTransition("Record the consent decision before submitting, whether or not you shared.")
        missing = [link.person_id for link, proposal in _proposals(session, contact.id) if proposal is None]
        if missing:
            raise IllegalTransition("Propose a threshold decision for every child named before submitting.")
        outstanding = session.scalar(
            select(func.count(AgencyRequest.id)).where(
                AgencyRequest.contact_id == contact.id, AgencyRequest.status == AgencyRequestStatus.OUTSTANDING
            )
        )
        if outstanding:
            have, them = ("has", "it") if outstanding == 1 else ("have", "them")
            raise IllegalTransition(
                f"{counted(outstanding, 'agency check')} {have} not come back. "
                f"Wait for {them}, or withdraw {them} with a reason."
            )
        move(contact, Action.SUBMIT_FOR_AUTHORISATION, actor, now)
        audit(session, actor, "decision.submit", "contact", contact.id, at=now, contact_id=contact.id)


@dataclass(frozen=True)
class ChecklistOverride:
    """Points of the checklist not met when the manager authorised, and why it was safe to."""

    points: tuple[ReviewPoint, ...]
    reason: str


OVERRIDE_WORDS = {
    ReviewPoint.CONSENT_RECORDED: "no consent decision recorded",
    ReviewPoint.CHECKS_RETURNED: "agency checks still outstanding",
    ReviewPoint.ADULT_ALLEGED_TO_HARM: "an adult alleged to harm is in contact with the child",
    ReviewPoint.STEP_DOWN_WITH_DOMESTIC_ABUSE: "a step-down with domestic abuse and no agency checks returned",
}
"""How the record says which points were not met (kept on the authorisation, in English like the audit)."""


@retry_collisions
def authorise(
    ctx: ServiceContext,
    contact_id: int,
    comments: str | None = None,
    *,
    expected_version: int | None = None,
    override: ChecklistOverride | None = None,
) -> None:
    """A manager approves the proposed decisions; never someone who proposed one of them.

    ``override``: the manager went ahead although points of the checklist (``domain.review_checks``)
    were not met, and says why; both go on the authorisation and in the audit trail."""
    reason = blank_to_none(override.reason) if override is not None else None
    if override is not None and reason is None:
        raise InvalidInput.single(
            "override_reason", "Say why it is safe to authorise although the checklist is not met."
        )
    if override is not None and reason is not None:
        why = "Authorised although: {points}. Why: {reason}".format(
            points="; ".join(OVERRIDE_WORDS[point] for point in override.points), reason=reason
        )
        comments = f"{why}\n{comments}" if blank_to_none(comments) else why
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.AUTHORISE, expected_version=expected_version)
        _require_deciding_manager(actor, contact)
        pairs = _proposals(session, contact.id)
        if any(proposal is not None and proposal.proposed_by_id == actor.id for _, proposal in pairs):
            raise PermissionRefused(
                "You proposed a decision on this contact, so another manager must authorise it (four eyes)."
            )
        for link, proposal in pairs:
            if proposal is None:
                raise IllegalTransition("A child on this contact has no proposed decision; return it instead.")
            proposal.status = DecisionStatus.AUTHORISED
            link.level_of_need = proposal.level_of_need
            link.outcome = proposal.outcome
            link.primary_need = proposal.primary_need
        session.add(
            Authorisation(
                contact_id=contact.id,
                manager_id=actor.id,
                decided_at=now,
                approved=True,
                comments=blank_to_none(comments),
            )
        )
        contact.decided_at = now
        move(contact, Action.AUTHORISE, actor, now)
        audit(
            session,
            actor,
            "decision.authorise",
            "contact",
            contact.id,
            at=now,
            contact_id=contact.id,
            detail={"checklist_overridden": [p.value for p in override.points], "reason": reason}
            if override is not None
            else None,
        )


@retry_collisions
def return_decision(
    ctx: ServiceContext, contact_id: int, comments: str, *, expected_version: int | None = None
) -> None:
    """A manager sends the decisions back with comments saying what to reconsider.

    Before a hand-off this also reopens an authorised decision (after a receiving team rejected it, or
    when new facts arrive): the practitioner proposes again and a manager authorises again.
    """
    comment_text = blank_to_none(comments)
    if comment_text is None:
        raise InvalidInput.single("comments", "Say what needs to change before you can authorise.")
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.RETURN_DECISION, expected_version=expected_version)
        _require_deciding_manager(actor, contact)
        pairs = _proposals(session, contact.id)
        if any(proposal is not None and proposal.proposed_by_id == actor.id for _, proposal in pairs):
            raise PermissionRefused("You proposed a decision on this contact, so another manager must review it.")
        for _link, proposal in pairs:
            if proposal is not None:
                proposal.status = DecisionStatus.RETURNED
        session.add(
            Authorisation(
                contact_id=contact.id, manager_id=actor.id, decided_at=now, approved=False, comments=comment_text
            )
        )
        move(contact, Action.RETURN_DECISION, actor, now)
        audit(
            session,
            actor,
            "decision.return",
            "contact",
            contact.id,
            at=now,
            contact_id=contact.id,
            detail={"comments": comment_text},
        )
