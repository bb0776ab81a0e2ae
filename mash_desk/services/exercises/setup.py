"""A manager sets up a threshold exercise: past contacts in, anonymised vignettes out, each reviewed, then open.

Only managers set up, review, open and close (PostgreSQL refuses anyone else too). A vignette is
drafted by the program, then read by a person, who may edit it; saving it is the review, stamped with
who and when. The exercise opens only when every vignette is reviewed, and nothing released changes.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from mash_desk.domain.audits import QUALITY_ASSURANCE_OVERSEERS
from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.errors import ConcurrentEdit, IllegalTransition, InvalidInput, NotFound, PermissionRefused
from mash_desk.domain.exercises import (
    MIN_VIGNETTES_TO_OPEN,
    SETS_UP,
    ExerciseStatus,
    check_title,
    check_vignette_text,
    shift_weeks,
)
from mash_desk.services.context import Actor, ServiceContext, audit, retry_collisions
from mash_desk.services.exercises.drafting import draft_vignette
from mash_desk.store.exercise_models import ExerciseVignette, ThresholdExercise, VignetteRating, VignetteSource
from mash_desk.store.models import Contact, ContactChild, RecordRestriction, User

MAX_CONTACTS_AT_ONCE = 20
_REFERENCE_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class ExerciseRow:
    id: int
    title: str
    status: ExerciseStatus
    created_by: str
    created_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    vignettes: int
    reviewed: int
    ratings: int
    version: int


@dataclass(frozen=True)
class VignetteRow:
    id: int
    exercise_id: int
    position: int
    text: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    version: int
    source_reference: str | None  # managers and auditors only


@dataclass(frozen=True)
class CandidateRow:
    """A past contact a manager may turn into a vignette."""

    reference: str
    received_at: datetime
    children: int
    decided_level: int


def _refuse_unless(actor: Actor, roles: frozenset[object], what: str) -> None:
    if actor.role not in roles:
        raise PermissionRefused(f"Only a team manager can {what}.")


def _exercise(session: Session, exercise_id: int, *, lock: bool = False) -> ThresholdExercise:
    exercise = session.get(ThresholdExercise, exercise_id, with_for_update=lock)
    if exercise is None:
        raise NotFound(f"There is no threshold exercise with id {exercise_id}.")
    return exercise


def exercises(ctx: ServiceContext) -> list[ExerciseRow]:
    """Every exercise, newest first, with how far each has got."""
    with ctx.unit() as (session, _actor):
        vignettes = (
            select(func.count())
            .select_from(ExerciseVignette)
            .where(ExerciseVignette.exercise_id == ThresholdExercise.id)
            .scalar_subquery()
        )
        reviewed = (
            select(func.count())
            .select_from(ExerciseVignette)
            .where(ExerciseVignette.exercise_id == ThresholdExercise.id, ExerciseVignette.reviewed_at.is_not(None))
            .scalar_subquery()
        )
        ratings = (
            select(func.count())
            .select_from(VignetteRating)
            .join(ExerciseVignette, ExerciseVignette.id == VignetteRating.vignette_id)
            .where(ExerciseVignette.exercise_id == ThresholdExercise.id)
            .scalar_subquery()
        )
        rows = session.execute(
            select(ThresholdExercise, User.display_name, vignettes, reviewed, ratings)
            .join(User, User.id == ThresholdExercise.created_by_id)
            .order_by(ThresholdExercise.id.desc())
        )
        return [
            ExerciseRow(
                id=e.id,
                title=e.title,
                status=e.status,
                created_by=name,
                created_at=e.created_at,
                opened_at=e.opened_at,
                closed_at=e.closed_at,
                vignettes=int(v or 0),
                reviewed=int(r or 0),
                ratings=int(n or 0),
                version=e.version,
            )
            for e, name, v, r, n in rows
        ]


@retry_collisions
def create_exercise(ctx: ServiceContext, title: str) -> int:
    checked = check_title(title)
    with ctx.unit(write=True) as (session, actor):
        _refuse_unless(actor, SETS_UP, "set up a threshold exercise")
        now = ctx.now()
        exercise = ThresholdExercise(title=checked, status=ExerciseStatus.DRAFT, created_by_id=actor.id, created_at=now)
        session.add(exercise)
        session.flush()
        audit(session, actor, "exercise.create", "threshold_exercise", exercise.id, at=now, detail={"title": checked})
        return exercise.id


def candidate_contacts(ctx: ServiceContext, limit: int = 40) -> list[CandidateRow]:
    """Recent closed contacts with an authorised decision, not restricted, to pick from."""
    with ctx.unit() as (session, actor):
        _refuse_unless(actor, SETS_UP, "pick contacts for an exercise")
        decided = aliased(ContactChild)
        level = select(func.max(decided.level_of_need)).where(decided.contact_id == Contact.id).scalar_subquery()
        children = select(func.count()).select_from(ContactChild).where(ContactChild.contact_id == Contact.id)
        rows = session.execute(
            select(Contact.reference, Contact.received_at, children.scalar_subquery(), level)
            .where(
                Contact.status == ContactStatus.CLOSED,
                exists().where(ContactChild.contact_id == Contact.id, ContactChild.level_of_need.is_not(None)),
                ~exists().where(RecordRestriction.contact_id == Contact.id, RecordRestriction.lifted_at.is_(None)),
            )
            .order_by(Contact.received_at.desc())
            .limit(limit)
        )
        return [
            CandidateRow(reference=r, received_at=at, children=int(n or 0), decided_level=int(lv or 0))
            for r, at, n, lv in rows
        ]


def _parse_references(text: str) -> list[str]:
    seen: list[str] = []
    for part in _REFERENCE_SPLIT.split(text or ""):
        reference = part.strip().upper()
        if reference and reference not in seen:
            seen.append(reference)
    return seen


@retry_collisions
def add_contacts(
    ctx: ServiceContext, exercise_id: int, references: str, *, draw: Callable[[int], int] = secrets.randbelow
) -> list[int]:
    """Draft one vignette per contact named (by reference), for its first child with an authorised
    decision. Every reference is checked before anything is written; the ids of the new vignettes.

    Each vignette's dates move by a number of weeks from ``draw`` (unguessable by default; the demo
    passes its seeded generator so the same seed gives the same rows)."""
    wanted = _parse_references(references)
    if not wanted:
        raise InvalidInput.single("references", "Type the reference of at least one past contact (MASH-0000123).")
    if len(wanted) > MAX_CONTACTS_AT_ONCE:
        raise InvalidInput.single("references", f"Add at most {MAX_CONTACTS_AT_ONCE} contacts at a time.")
    with ctx.unit(write=True) as (session, actor):
        _refuse_unless(actor, SETS_UP, "add contacts to a threshold exercise")
        exercise = _exercise(session, exercise_id, lock=True)
        if exercise.status is not ExerciseStatus.DRAFT:
            raise IllegalTransition("Vignettes are added only while the exercise is being prepared.")
        contacts = {c.reference: c for c in session.scalars(select(Contact).where(Contact.reference.in_(wanted)))}
        used = set(
            session.scalars(
                select(VignetteSource.contact_id)
                .join(ExerciseVignette, ExerciseVignette.id == VignetteSource.vignette_id)
                .where(ExerciseVignette.exercise_id == exercise_id)
            )
        )
        restricted = set(
            session.scalars(
                select(RecordRestriction.contact_id).where(
                    RecordRestriction.contact_id.in_([c.id for c in contacts.values()]),
                    RecordRestriction.lifted_at.is_(None),
                )
            )
        )
        problems: list[str] = []
        chosen: list[tuple[Contact, int]] = []
        for reference in wanted:
            contact = contacts.get(reference)
            if contact is None:
                problems.append(f"{reference} is not a contact here")
                continue
            if contact.id in used:
                problems.append(f"{reference} is already in this exercise")
                continue
            if contact.id in restricted:
                problems.append(f"{reference} is a restricted record and is not used in exercises")
                continue
            child_id = session.scalar(
                select(ContactChild.person_id)
                .where(
                    ContactChild.contact_id == contact.id,
                    ContactChild.level_of_need.is_not(None),
                    ContactChild.outcome.is_not(None),
                )
                .order_by(ContactChild.id)
                .limit(1)
            )
            if child_id is None:
                problems.append(f"{reference} has no authorised decision yet")
                continue
            chosen.append((contact, child_id))
        if problems:
            raise InvalidInput.single("references", "; ".join(problems) + ".")
        now = ctx.now()
        position = int(
            session.scalar(
                select(func.max(ExerciseVignette.position)).where(ExerciseVignette.exercise_id == exercise_id)
            )
            or 0
        )
        made: list[int] = []
        for contact, child_id in chosen:
            draft = draft_vignette(session, contact, child_id, shift_weeks(draw(10_000)))
            position += 1
            vignette = ExerciseVignette(exercise_id=exercise_id, position=position, text=draft.text, drafted_at=now)
            session.add(vignette)
            session.flush()
            session.add(
                VignetteSource(
                    vignette_id=vignette.id,
                    contact_id=contact.id,
                    child_id=child_id,
                    real_level=draft.real_level,
                    real_outcome=draft.real_outcome,
                    shift_days=draft.shift_days,
                )
            )
            session.flush()
            audit(
                session,
                actor,
                "exercise.vignette_drafted",
                "exercise_vignette",
                vignette.id,
                at=now,
                contact_id=contact.id,
                detail={"exercise": exercise_id, "position": position},
            )
            made.append(vignette.id)
        return made


def vignettes(ctx: ServiceContext, exercise_id: int) -> list[VignetteRow]:
    """An exercise's vignettes in order; where each came from only for managers and auditors."""
    with ctx.unit() as (session, actor):
        exercise = _exercise(session, exercise_id)
        if exercise.status is ExerciseStatus.DRAFT and actor.role not in QUALITY_ASSURANCE_OVERSEERS:
            return []  # nobody else sees a vignette before release (PostgreSQL's row rule says the same)
        reviewer = aliased(User)
        rows = session.execute(
            select(ExerciseVignette, reviewer.display_name)
            .outerjoin(reviewer, reviewer.id == ExerciseVignette.reviewed_by_id)
            .where(ExerciseVignette.exercise_id == exercise_id)
            .order_by(ExerciseVignette.position)
        )
        found = list(rows)
        sources: dict[int, str] = {}
        if actor.role in QUALITY_ASSURANCE_OVERSEERS:
            sources = dict(
                session.execute(
                    select(VignetteSource.vignette_id, Contact.reference)
                    .join(Contact, Contact.id == VignetteSource.contact_id)
                    .where(VignetteSource.vignette_id.in_([v.id for v, _name in found]))
                ).all()
            )
        return [
            VignetteRow(
                id=v.id,
                exercise_id=v.exercise_id,
                position=v.position,
                text=v.text,
                reviewed_by=name,
                reviewed_at=v.reviewed_at,
                version=v.version,
                source_reference=sources.get(v.id),
            )
            for v, name in found
        ]


@retry_collisions
def review_vignette(ctx: ServiceContext, vignette_id: int, text: str, expected_version: int) -> None:
    """Save a vignette as read (and perhaps edited) by this manager: that is its review."""
    body = check_vignette_text(text)
    with ctx.unit(write=True) as (session, actor):
        _refuse_unless(actor, SETS_UP, "review a vignette")
        vignette = session.get(ExerciseVignette, vignette_id)
        if vignette is None:
            raise NotFound(f"There is no vignette with id {vignette_id}.")
        exercise = _exercise(session, vignette.exercise_id, lock=True)
        if exercise.status is not ExerciseStatus.DRAFT:
            raise IllegalTransition("A released vignette never changes.")
        if vignette.version != expected_version:
            raise ConcurrentEdit("Someone else saved this vignette first; read it again before you save.")
        now = ctx.now()
        edited = body != vignette.text.strip()
        vignette.text = body
        vignette.reviewed_by_id = actor.id
        vignette.reviewed_at = now
        try:
            session.flush()
        except StaleDataError as exc:
            raise ConcurrentEdit("Someone else saved this vignette first; read it again before you save.") from exc
        audit(
            session,
            actor,
            "exercise.vignette_reviewed",
            "exercise_vignette",
            vignette.id,
            at=now,
            detail={"edited": edited},
        )


@retry_collisions
def open_exercise(ctx: ServiceContext, exercise_id: int) -> None:
    """Release every vignette for rating: only when there are enough and a person has reviewed each."""
    with ctx.unit(write=True) as (session, actor):
        _refuse_unless(actor, SETS_UP, "open a threshold exercise")
        exercise = _exercise(session, exercise_id, lock=True)
        if exercise.status is not ExerciseStatus.DRAFT:
            raise IllegalTransition("This exercise has already been opened.")
        counts = session.execute(
            select(func.count(), func.count(ExerciseVignette.reviewed_at)).where(
                ExerciseVignette.exercise_id == exercise_id
            )
        ).one()
        total, reviewed = int(counts[0]), int(counts[1])
        if total < MIN_VIGNETTES_TO_OPEN:
            raise IllegalTransition(f"An exercise needs at least {MIN_VIGNETTES_TO_OPEN} vignettes to open.")
        if reviewed < total:
            raise IllegalTransition(
                f"{total - reviewed} of {total} vignettes are not reviewed yet: a person reads each one first."
            )
        now = ctx.now()
        exercise.status = ExerciseStatus.OPEN
        exercise.opened_by_id = actor.id
        exercise.opened_at = now
        session.flush()
        audit(session, actor, "exercise.open", "threshold_exercise", exercise.id, at=now)


@retry_collisions
def close_exercise(ctx: ServiceContext, exercise_id: int) -> None:
    """No more ratings: the results are final."""
    with ctx.unit(write=True) as (session, actor):
        _refuse_unless(actor, SETS_UP, "close a threshold exercise")
        exercise = _exercise(session, exercise_id, lock=True)
        if exercise.status is not ExerciseStatus.OPEN:
            raise IllegalTransition("Only an open exercise can be closed.")
        now = ctx.now()
        exercise.status = ExerciseStatus.CLOSED
        exercise.closed_by_id = actor.id
        exercise.closed_at = now
        session.flush()
        audit(session, actor, "exercise.close", "threshold_exercise", exercise.id, at=now)
