"""Graded Care Profile 2: recorded by a licensed assessor, compared with the last, reviewed by the next."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from mash_desk.domain.enums import Role
from mash_desk.domain.errors import InvalidInput, NotFound, PermissionRefused
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.periods import london_date
from mash_desk.domain.risk import (
    CarerParticipation,
    GcpAreaChange,
    check_gcp_review_date,
    compare_gcp,
    gcp_review_overdue,
    validate_gcp_grades,
)
from mash_desk.services.context import ServiceContext, audit, require, retry_collisions
from mash_desk.services.drafts import blank_to_none
from mash_desk.services.merging import resolve_locked
from mash_desk.services.records import load_contact, touch
from mash_desk.services.restrictions import PERSON, check_restriction
from mash_desk.services.risk_tools.dash import person_name
from mash_desk.store.models import (
    Contact,
    ContactChild,
    GcpAssessment,
    Person,
    User,
)
from mash_desk.store.queries import lookup

# --- Graded Care Profile 2 ------------------------------------------------------------------------


OVERSIGHT_ROLES = frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR})


def _participation(value: CarerParticipation | str | None) -> CarerParticipation:
    try:
        return CarerParticipation(value or "")
    except ValueError:
        raise InvalidInput.single(
            "carer_participation", "Say how far the parent or carer took part in the assessment."
        ) from None


@retry_collisions
def record_gcp(
    ctx: ServiceContext,
    contact_id: int | None,
    child_person_id: int,
    grades: Mapping[str, int],
    *,
    carer_consent: bool,
    carer_participation: CarerParticipation | str | None,
    review_on: date | None,
    targets: str | None = None,
) -> int:
    """Keep a Graded Care Profile 2's grades; only a trained, licensed assessor may record one.

    From a contact (the child must be named on it) or from the child's own record (``contact_id``
    None). Every field is checked before anything is written, and every problem is reported at once.
    """
    errors: dict[str, str] = {}
    checked: dict[str, int] = {}
    try:
        checked = validate_gcp_grades(grades)
    except InvalidInput as exc:
        errors.update(exc.field_errors)
    participation: CarerParticipation | None = None
    try:
        participation = _participation(carer_participation)
    except InvalidInput as exc:
        errors.update(exc.field_errors)
    now = ctx.now()
    errors.update(check_gcp_review_date(review_on, london_date(now)))
    if participation is CarerParticipation.DECLINED and carer_consent:
        errors["carer_participation"] = "A carer who declined to take part has not consented; record one or the other."
    if errors:
        raise InvalidInput(errors)
    assert participation is not None
    with ctx.unit(write=True) as (session, actor):
        if contact_id is not None:
            contact = load_contact(session, contact_id, actor, Action.RECORD_GCP)
        else:
            require(actor, Action.RECORD_GCP)
            check_restriction(session, actor, PERSON, child_person_id, now)
            contact = None
        assessor = session.get(User, actor.id)
        if assessor is None or not assessor.gcp_licensed:
            raise PermissionRefused(
                "Only a trained and licensed Graded Care Profile assessor can record one: "
                "an administrator marks it in your user record."
            )
        # a record merged into another (perhaps while the form was open) is recorded on the one kept
        live = resolve_locked(session, child_person_id)
        if live is None:
            raise NotFound(f"There is no person with id {child_person_id}.")
        child_person_id = live.id
        named = select(ContactChild.id).where(ContactChild.person_id == child_person_id)
        if contact is not None:
            named = named.where(ContactChild.contact_id == contact.id)
        if not session.scalar(named.limit(1)):
            raise InvalidInput.single(
                "child",
                "That child is not named in this contact." if contact else "That person is not a child known here.",
            )
        record = GcpAssessment(
            contact_id=contact.id if contact else None,
            child_id=child_person_id,
            carer_consent=carer_consent,
            carer_participation=participation,
            targets=blank_to_none(targets),
            review_on=review_on,
            assessor_id=actor.id,
            assessed_at=now,
            **checked,
        )
        session.add(record)
        if contact is not None:
            touch(session, contact.id, actor, now)
        session.flush()
        audit(
            session,
            actor,
            "gcp.record",
            "gcp_assessment",
            record.id,
            at=now,
            contact_id=contact.id if contact else None,
            detail={**checked, "child": child_person_id},
        )
        return record.id


@dataclass(frozen=True)
class GcpRow:
    """One GCP2 of one child, with whether it has been reviewed (a later GCP2 exists) and is overdue."""

    id: int
    child_id: int
    contact_id: int | None
    contact_reference: str | None
    grades: dict[str, int]
    carer_consent: bool
    carer_participation: CarerParticipation | None
    targets: str | None
    review_on: date | None
    assessor: str
    assessed_at: datetime
    reviewed: bool
    overdue: bool

    @property
    def concern(self) -> int:
        return max(self.grades.values())


@dataclass(frozen=True)
class GcpHistory:
    """Every GCP2 of a child, newest first, and how the latest compares with the one before it."""

    child_id: int
    child_name: str
    rows: tuple[GcpRow, ...]

    @property
    def latest(self) -> GcpRow | None:
        return self.rows[0] if self.rows else None

    @property
    def comparison(self) -> tuple[GcpAreaChange, ...]:
        if len(self.rows) < 2:
            return ()
        return compare_gcp(self.rows[1].grades, self.rows[0].grades)


def _gcp_rows(session: Session, records: Sequence[GcpAssessment], today: date) -> list[GcpRow]:
    if not records:
        return []
    names = lookup(session, select(User.id, User.display_name).where(User.id.in_({r.assessor_id for r in records})))
    contacts = {r.contact_id for r in records if r.contact_id}
    references = (
        lookup(session, select(Contact.id, Contact.reference).where(Contact.id.in_(contacts))) if contacts else {}
    )
    later = aliased(GcpAssessment)
    reviewed = set(
        session.scalars(
            select(GcpAssessment.id).where(
                GcpAssessment.id.in_([r.id for r in records]),
                select(later.id)
                .where(later.child_id == GcpAssessment.child_id, later.assessed_at > GcpAssessment.assessed_at)
                .exists(),
            )
        )
    )
    return [
        GcpRow(
            r.id,
            r.child_id,
            r.contact_id,
            references.get(r.contact_id) if r.contact_id else None,
            {
                "physical_care": r.physical_care,
                "safety": r.safety,
                "love_and_belonging": r.love_and_belonging,
                "esteem": r.esteem,
            },
            r.carer_consent,
            r.carer_participation,
            r.targets,
            r.review_on,
            names.get(r.assessor_id, "?"),
            r.assessed_at,
            r.id in reviewed,
            gcp_review_overdue(r.review_on, r.id in reviewed, today),
        )
        for r in records
    ]


def gcp_history(ctx: ServiceContext, child_id: int) -> GcpHistory:
    """A child's GCP2s, newest first, with the comparison of the latest with the previous; audited as
    opening the child's record."""
    now = ctx.now()
    with ctx.unit() as (session, actor):
        check_restriction(session, actor, PERSON, child_id, now)
        child = session.get(Person, child_id)
        if child is None:
            raise NotFound(f"There is no person with id {child_id}.")
        records = list(
            session.scalars(
                select(GcpAssessment)
                .where(GcpAssessment.child_id == child_id)
                .order_by(GcpAssessment.assessed_at.desc(), GcpAssessment.id.desc())
            )
        )
        history = GcpHistory(child_id, person_name(child), tuple(_gcp_rows(session, records, london_date(now))))
    with ctx.unit(write=True) as (session, actor):
        audit(session, actor, "gcp.history", "person", child_id, at=now)
    return history


@dataclass(frozen=True)
class GcpReviewDue:
    """A GCP2 whose review date has passed with no later GCP2 for the child: the manager chases it."""

    gcp_id: int
    child_id: int
    child_name: str
    contact_id: int | None
    contact_reference: str | None
    assessor: str
    assessed_at: datetime
    review_on: date
    days_overdue: int
    concern: int


def overdue_query(today: date) -> Select[GcpAssessment]:
    """GCP2s whose review date is before ``today`` and that no later GCP2 of the same child reviewed."""
    later = aliased(GcpAssessment)
    return select(GcpAssessment).where(
        GcpAssessment.review_on.is_not(None),
        GcpAssessment.review_on < today,
        ~select(later.id)
        .where(later.child_id == GcpAssessment.child_id, later.assessed_at > GcpAssessment.assessed_at)
        .exists(),
    )


def overdue_gcp_reviews(ctx: ServiceContext, *, limit: int | None = None) -> list[GcpReviewDue]:
    """The GCP2 reviews past their date, the longest overdue first (managers, administrators, auditors)."""
    now = ctx.now()
    today = london_date(now)
    with ctx.unit() as (session, actor):
        if actor.role not in OVERSIGHT_ROLES:
            raise PermissionRefused("Only managers, administrators and auditors see the overdue reviews.")
        query = overdue_query(today).order_by(GcpAssessment.review_on, GcpAssessment.id)
        if limit is not None:
            query = query.limit(limit)
        return reviews_due(session, list(session.scalars(query)), today)


def reviews_due(session: Session, records: Sequence[GcpAssessment], today: date) -> list[GcpReviewDue]:
    rows = _gcp_rows(session, records, today)
    if not rows:
        return []
    people = {
        p.id: person_name(p) for p in session.scalars(select(Person).where(Person.id.in_({r.child_id for r in rows})))
    }
    return [
        GcpReviewDue(
            row.id,
            row.child_id,
            people.get(row.child_id, "?"),
            row.contact_id,
            row.contact_reference,
            row.assessor,
            row.assessed_at,
            row.review_on or today,
            (today - (row.review_on or today)).days,
            row.concern,
        )
        for row in rows
    ]
