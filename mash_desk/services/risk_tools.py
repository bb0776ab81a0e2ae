"""The risk tools the MASH records: DASH (domestic abuse) and Graded Care Profile 2 (neglect).

Scores and outcomes only; the licensed GCP2 form text is never stored. A MARAC referral reuses
the DASH answers as recorded rather than asking anyone to type them again, and never moves the
contact: the children's own safeguarding route carries on in the MASH queue.

A GCP2 is reviewed by the next GCP2 for the same child; until that is recorded, a GCP2 whose
review date has passed is overdue (``domain.risk.gcp_review_overdue``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from mash_desk.domain.enums import PersonKind, Role
from mash_desk.domain.errors import InvalidInput, NotFound, PermissionRefused
from mash_desk.domain.lifecycle import Action, role_may
from mash_desk.domain.periods import london_date
from mash_desk.domain.risk import (
    DASH_QUESTION_COUNT,
    CarerParticipation,
    DashLevel,
    GcpAreaChange,
    check_gcp_review_date,
    compare_gcp,
    gcp_review_overdue,
    score_dash,
    validate_gcp_grades,
)
from mash_desk.domain.timescales import LONDON
from mash_desk.services.context import Actor, ServiceContext, audit, require, retry_collisions
from mash_desk.services.drafts import blank_to_none
from mash_desk.services.records import load_contact, locked_contact, touch
from mash_desk.services.reporting import for_reports
from mash_desk.services.restrictions import CONTACT, PERSON, check_restriction
from mash_desk.store.models import (
    Agency,
    Contact,
    ContactAdult,
    ContactChild,
    DashAssessment,
    GcpAssessment,
    Household,
    HouseholdMember,
    Person,
    User,
)
from mash_desk.store.models import (
    MaracReferral as MaracReferralRow,
)
from mash_desk.store.queries import lookup

if TYPE_CHECKING:
    from mash_desk.letters.marac import MaracReferralData

_ANSWER_CODES = {True: "Y", False: "N", None: "-"}
_DECODE = {code: answer for answer, code in _ANSWER_CODES.items()}
OVERSIGHT_ROLES = frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR})


# --- DASH ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashRecord:
    id: int
    contact_id: int
    victim_id: int | None
    answers: tuple[bool | None, ...]
    yes_count: int
    level: DashLevel
    marac_referral: bool
    professional_judgement: bool
    judgement_reason: str | None
    assessed_by: str
    assessed_at: datetime
    victim_name: str | None = None


@retry_collisions
def record_dash(
    ctx: ServiceContext,
    contact_id: int,
    answers: Sequence[bool | None],
    *,
    victim_person_id: int | None = None,
    professional_judgement_high: bool = False,
    judgement_reason: str | None = None,
) -> DashRecord:
    """Score and keep a DASH checklist; high risk (14+, or professional judgement) means MARAC."""
    if len(answers) != DASH_QUESTION_COUNT:
        raise InvalidInput.single("answers", f"Answer all {DASH_QUESTION_COUNT} DASH questions (blank if not asked).")
    result = score_dash(
        answers, professional_judgement_high=professional_judgement_high, judgement_reason=judgement_reason
    )
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, Action.RECORD_DASH)
        if victim_person_id is not None and not session.scalar(
            select(ContactAdult.person_id).where(
                ContactAdult.contact_id == contact.id, ContactAdult.person_id == victim_person_id
            )
        ):
            raise InvalidInput.single("victim", "The victim must be an adult named on this contact.")
        record = DashAssessment(
            contact_id=contact.id,
            victim_id=victim_person_id,
            answers="".join(_ANSWER_CODES[a] for a in answers),
            yes_count=result.yes_count,
            level=result.level.value,
            professional_judgement=result.professional_judgement,
            judgement_reason=blank_to_none(judgement_reason) if result.professional_judgement else None,
            marac_referral=result.marac_referral,
            assessed_by_id=actor.id,
            assessed_at=now,
        )
        session.add(record)
        touch(session, contact.id, actor, now)
        session.flush()
        audit(
            session,
            actor,
            "dash.record",
            "dash_assessment",
            record.id,
            at=now,
            contact_id=contact.id,
            detail={"yes": result.yes_count, "level": result.level.value},
        )
        return _dash_record(session, record)


def _dash_record(session: Session, record: DashAssessment) -> DashRecord:
    assessor = session.get(User, record.assessed_by_id)
    victim = session.get(Person, record.victim_id) if record.victim_id else None
    return DashRecord(
        record.id,
        record.contact_id,
        record.victim_id,
        tuple(_DECODE[c] for c in record.answers),
        record.yes_count,
        DashLevel(record.level),
        record.marac_referral,
        record.professional_judgement,
        record.judgement_reason,
        assessor.display_name if assessor else "?",
        record.assessed_at,
        f"{victim.given_names} {victim.family_name}" if victim else None,
    )


def _readable_contact(session: Session, actor: Actor, contact_id: int, now: datetime) -> Contact:
    check_restriction(session, actor, CONTACT, contact_id, now)
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"There is no contact with id {contact_id}.")
    return contact


def dash_for_marac(ctx: ServiceContext, dash_id: int) -> DashRecord:
    """The DASH answers exactly as recorded, for the MARAC referral (never retyped)."""
    with ctx.unit() as (session, actor):
        record = session.get(DashAssessment, dash_id)
        if record is None:
            raise NotFound(f"There is no DASH checklist with id {dash_id}.")
        _readable_contact(session, actor, record.contact_id, ctx.now())
        return _dash_record(session, record)


def contact_dashes(ctx: ServiceContext, contact_id: int) -> list[DashRecord]:
    """The DASH checklists recorded on a contact, newest first."""
    with ctx.unit() as (session, actor):
        _readable_contact(session, actor, contact_id, ctx.now())
        return [
            _dash_record(session, record)
            for record in session.scalars(
                select(DashAssessment)
                .where(DashAssessment.contact_id == contact_id)
                .order_by(DashAssessment.assessed_at.desc(), DashAssessment.id.desc())
            )
        ]


# --- the MARAC referral ---------------------------------------------------------------------------


def _name(person: Person) -> str:
    return f"{person.given_names} {person.family_name}"


def _marac_data(session: Session, actor: Actor, record: DashAssessment, now: datetime) -> MaracReferralData:
    """Everything the MARAC referral says, read in ``session`` from the saved DASH, contact and household."""
    from mash_desk.letters.marac import MaracPerson, MaracReferralData  # noqa: PLC0415 - reportlab on first use

    contact = _readable_contact(session, actor, record.contact_id, now)
    dash = _dash_record(session, record)
    me = session.get(User, actor.id)
    agency = session.get(Agency, me.agency_id) if me else None
    victim = session.get(Person, record.victim_id) if record.victim_id else None
    household = session.get(Household, contact.household_id) if contact.household_id else None
    perpetrators = tuple(
        MaracPerson(_name(person), person.date_of_birth, link.relationship_to_children.value.replace("_", " "))
        for link, person in session.execute(
            select(ContactAdult, Person)
            .join(Person, Person.id == ContactAdult.person_id)
            .where(ContactAdult.contact_id == contact.id, ContactAdult.alleged_perpetrator.is_(True))
            .order_by(Person.family_name, Person.given_names)
        )
    )
    children: dict[int, MaracPerson] = {}
    for person in session.scalars(
        select(Person)
        .join(ContactChild, ContactChild.person_id == Person.id)
        .where(ContactChild.contact_id == contact.id)
        .order_by(Person.date_of_birth, Person.id)
    ):
        children[person.id] = MaracPerson(
            _name(person), person.date_of_birth or person.expected_date_of_birth, "named on the contact"
        )
    if household is not None:
        for person in session.scalars(
            select(Person)
            .join(HouseholdMember, HouseholdMember.person_id == Person.id)
            .where(HouseholdMember.household_id == household.id, Person.kind == PersonKind.CHILD)
            .order_by(Person.date_of_birth, Person.id)
        ):
            children.setdefault(
                person.id,
                MaracPerson(
                    _name(person), person.date_of_birth or person.expected_date_of_birth, "living in the household"
                ),
            )
    address = (
        tuple(
            part
            for part in (household.address_line1, household.address_line2, household.town, household.postcode)
            if part
        )
        if household is not None
        else ()
    )
    return MaracReferralData(
        reference=contact.reference,
        dash_id=record.id,
        referred_on=london_date(now),
        referrer_name=actor.display_name,
        referrer_role=(me.job_title if me and me.job_title else ""),
        referrer_agency=agency.name if agency else "",
        referrer_phone=(me.phone if me and me.phone else ""),
        referrer_email=(me.email if me and me.email else ""),
        assessed_by=dash.assessed_by,
        assessed_at=dash.assessed_at.astimezone(LONDON),
        victim=MaracPerson(_name(victim), victim.date_of_birth) if victim else None,
        address=address,
        perpetrators=perpetrators,
        children=tuple(sorted(children.values(), key=lambda c: (c.date_of_birth or date.max, c.name))),
        answers=dash.answers,
        yes_count=dash.yes_count,
        level=dash.level,
        professional_judgement=dash.professional_judgement,
        judgement_reason=dash.judgement_reason,
    )


@dataclass(frozen=True)
class MaracReferral:
    """A MARAC referral as made and kept: what the window shows about it, and the PDF as sent."""

    id: int
    reference: str
    dash_id: int
    made_by: str
    made_at: datetime
    victim: str | None
    children: tuple[str, ...]
    answers: tuple[bool | None, ...]
    pdf: bytes
    sha256: str
    reopened: bool = False  # made earlier: this is the stored referral, not a new one

    @property
    def file_name(self) -> str:
        return f"MARAC referral {self.reference}.pdf"


def _stored(
    session: Session, row: MaracReferralRow, dash: DashRecord, reference: str, *, reopened: bool
) -> MaracReferral:
    maker = session.get(User, row.made_by_id)
    names = tuple(name for name in row.children.splitlines() if name)
    return MaracReferral(
        row.id,
        reference,
        row.dash_id,
        maker.display_name if maker else "?",
        row.made_at,
        dash.victim_name,
        names,
        dash.answers,
        row.pdf,
        row.sha256,
        reopened,
    )


@retry_collisions
def make_marac_referral(ctx: ServiceContext, dash_id: int) -> MaracReferral:
    """Make the MARAC referral for a high-risk DASH (14 or more yes, or professional judgement) and
    keep it; if one was made already, reopen the stored one. Audited either way.

    The PDF is made from the DASH as saved, never retyped, and lists the children in the household.
    Nothing about the contact moves: it stays in the MASH queue for the children's own decision.
    """
    from mash_desk.letters.marac import render_marac_referral  # noqa: PLC0415 - reportlab on first use
    from mash_desk.services.letters.reading import load_letterhead  # noqa: PLC0415

    now = ctx.now()
    data: MaracReferralData | None = None
    pdf = b""
    with ctx.unit() as (session, actor):
        record = _referrable(session, actor, dash_id)
        contact_id = record.contact_id
        reference = _readable_contact(session, actor, contact_id, now).reference
        made = session.scalar(select(MaracReferralRow.id).where(MaracReferralRow.dash_id == dash_id))
        if made is None:
            data = _marac_data(session, actor, record, now)
            letterhead = load_letterhead(session)
            pdf = render_marac_referral(data, letterhead)  # before the write unit: nobody waits on reportlab
    with ctx.unit(write=True) as (session, actor):
        locked_contact(session, actor, contact_id)
        record = _referrable(session, actor, dash_id)
        dash = _dash_record(session, record)
        row = session.scalars(select(MaracReferralRow).where(MaracReferralRow.dash_id == dash_id)).first()
        if row is not None:  # made before (perhaps a moment ago, at another workstation)
            audit(session, actor, "marac.reopen", "marac_referral", row.id, at=now, contact_id=contact_id)
            return _stored(session, row, dash, reference, reopened=True)
        assert data is not None, "no referral was found when it was read, so it was made ready above"
        row = MaracReferralRow(
            dash_id=dash_id,
            contact_id=contact_id,
            made_by_id=actor.id,
            made_at=now,
            children="\n".join(child.name for child in data.children),
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
        )
        session.add(row)
        touch(session, contact_id, actor, now)
        session.flush()
        audit(
            session,
            actor,
            "marac.referral",
            "marac_referral",
            row.id,
            at=now,
            contact_id=contact_id,
            detail={"dash": dash_id, "children": len(data.children)},
        )
        return MaracReferral(
            row.id,
            reference,
            dash_id,
            actor.display_name,
            now,
            dash.victim_name,
            tuple(child.name for child in data.children),
            dash.answers,
            pdf,
            row.sha256,
        )


def _referrable(session: Session, actor: Actor, dash_id: int) -> DashAssessment:
    if not role_may(actor.role, Action.RECORD_DASH):
        raise PermissionRefused("Only MASH staff and partner agencies can make a MARAC referral.")
    record = session.get(DashAssessment, dash_id)
    if record is None:
        raise NotFound(f"There is no DASH checklist with id {dash_id}.")
    if not record.marac_referral:
        raise InvalidInput.single(
            "dash",
            "This DASH is not high risk: a MARAC referral follows a DASH of 14 or more yes answers, "
            "or a practitioner's professional judgement recorded with its reason.",
        )
    return record


# --- Graded Care Profile 2 ------------------------------------------------------------------------


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
        history = GcpHistory(child_id, _name(child), tuple(_gcp_rows(session, records, london_date(now))))
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


def _overdue_query(today: date) -> Select[GcpAssessment]:
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
        query = _overdue_query(today).order_by(GcpAssessment.review_on, GcpAssessment.id)
        if limit is not None:
            query = query.limit(limit)
        return _reviews_due(session, list(session.scalars(query)), today)


def _reviews_due(session: Session, records: Sequence[GcpAssessment], today: date) -> list[GcpReviewDue]:
    rows = _gcp_rows(session, records, today)
    if not rows:
        return []
    people = {p.id: _name(p) for p in session.scalars(select(Person).where(Person.id.in_({r.child_id for r in rows})))}
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


# --- what the report and the dashboard say --------------------------------------------------------


@dataclass(frozen=True)
class RiskToolSummary:
    """The risk tools in numbers: for ``mash-desk report`` and the manager's dashboard.

    ``marac_referrals`` counts referrals made (``marac_referral`` rows); ``high_not_referred`` the
    high-risk DASH checklists in the period with no referral made from them yet."""

    gcp_total: int
    gcp_children: int
    gcp_reviews_overdue: int
    dash_by_level: dict[DashLevel, int]
    marac_referrals: int
    high_not_referred: int
    judgement_overrides: int
    oldest_overdue: tuple[GcpReviewDue, ...]

    @property
    def dash_total(self) -> int:
        return sum(self.dash_by_level.values())


def risk_tool_summary(
    ctx: ServiceContext, *, since: datetime | None = None, until: datetime | None = None, list_limit: int = 10
) -> RiskToolSummary:
    """Counts of GCP2, DASH and MARAC referrals (in a period, when given), and the GCP2 reviews overdue now."""
    now = ctx.now()
    today = london_date(now)
    reporting = for_reports(ctx)

    def within(column: Any) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if since is not None:
            conditions.append(column >= since)
        if until is not None:
            conditions.append(column < until)
        return conditions

    referred = select(MaracReferralRow.id).where(MaracReferralRow.dash_id == DashAssessment.id).exists()
    with reporting.unit() as (session, _actor):
        gcp_total, gcp_children = session.execute(
            select(func.count(GcpAssessment.id), func.count(func.distinct(GcpAssessment.child_id))).where(
                *within(GcpAssessment.assessed_at)
            )
        ).one()
        by_level = dict.fromkeys(DashLevel, 0)
        for level, number in session.execute(
            select(DashAssessment.level, func.count(DashAssessment.id))
            .where(*within(DashAssessment.assessed_at))
            .group_by(DashAssessment.level)
        ):
            by_level[DashLevel(level)] = int(number)
        not_referred, overrides = session.execute(
            select(
                func.count(DashAssessment.id).filter(DashAssessment.marac_referral.is_(True), ~referred),
                func.count(DashAssessment.id).filter(DashAssessment.professional_judgement.is_(True)),
            ).where(*within(DashAssessment.assessed_at))
        ).one()
        marac = session.scalar(select(func.count(MaracReferralRow.id)).where(*within(MaracReferralRow.made_at))) or 0
        overdue_count = session.scalar(select(func.count()).select_from(_overdue_query(today).subquery())) or 0
        oldest = session.scalars(
            _overdue_query(today).order_by(GcpAssessment.review_on, GcpAssessment.id).limit(list_limit)
        )
        listed = tuple(_reviews_due(session, list(oldest), today))
        return RiskToolSummary(
            int(gcp_total or 0),
            int(gcp_children or 0),
            int(overdue_count),
            by_level,
            int(marac),
            int(not_referred or 0),
            int(overrides or 0),
            listed,
        )
