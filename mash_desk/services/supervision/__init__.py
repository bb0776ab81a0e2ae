"""Case supervision (issue 14): a manager records a practitioner's supervision and the cases discussed.

Each case discussed is written on its contact as a management oversight note (so it shows in the
contact's and the child's chronology) and kept with the supervision. Only a manager records
supervision, here and in PostgreSQL's own guards. Who is due or overdue, and caseloads against
supervision over time, are dashboard figures (``services.dashboard`` via ``measures``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from mash_desk.domain.enums import NoteKind, Role
from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.periods import london_date
from mash_desk.domain.supervision import CaseDiscussed, check_supervision, oversight_text
from mash_desk.services.context import ServiceContext, audit, retry_collisions
from mash_desk.services.records import load_contact, touch
from mash_desk.store.models import CaseNote, Contact, Supervision, SupervisionCase, User

SUPERVISION_ROLES = frozenset({Role.MANAGER})
RECENT_LIMIT = 200


@dataclass(frozen=True)
class Person:
    """A user the form offers: a practitioner to supervise, or a manager to supervise them."""

    user_id: int
    name: str


@dataclass(frozen=True)
class SupervisionChoices:
    practitioners: tuple[Person, ...]
    managers: tuple[Person, ...]
    me: int


@dataclass(frozen=True)
class SupervisionRow:
    """One supervision recorded, for the list on the supervision page."""

    supervision_id: int
    held_on: date
    practitioner: str
    supervisor: str
    cases: int


def _require_manager(role: Role) -> None:
    if role not in SUPERVISION_ROLES:
        raise PermissionRefused("Only a manager records supervision.")


def supervision_choices(ctx: ServiceContext) -> SupervisionChoices:
    """The active practitioners and managers, by name, for the form (a manager's only)."""
    with ctx.unit() as (session, actor):
        _require_manager(actor.role)
        rows = session.execute(
            select(User.id, User.display_name, User.role)
            .where(User.active.is_(True), User.role.in_((Role.PRACTITIONER, Role.MANAGER)))
            .order_by(User.display_name, User.id)
        ).all()
        return SupervisionChoices(
            practitioners=tuple(Person(uid, name) for uid, name, role in rows if role is Role.PRACTITIONER),
            managers=tuple(Person(uid, name) for uid, name, role in rows if role is Role.MANAGER),
            me=actor.id,
        )


def recent_supervisions(ctx: ServiceContext, limit: int = RECENT_LIMIT) -> list[SupervisionRow]:
    """The latest supervisions recorded, newest first (managers, auditors and administrators)."""
    practitioner, supervisor = aliased(User), aliased(User)
    with ctx.unit() as (session, actor):
        if actor.role not in {Role.MANAGER, Role.AUDITOR, Role.ADMIN}:
            raise PermissionRefused("Only managers, auditors and administrators read supervision records.")
        cases = (
            select(func.count(SupervisionCase.id))
            .where(SupervisionCase.supervision_id == Supervision.id)
            .scalar_subquery()
        )
        rows = session.execute(
            select(Supervision.id, Supervision.held_on, practitioner.display_name, supervisor.display_name, cases)
            .join(practitioner, practitioner.id == Supervision.practitioner_id)
            .join(supervisor, supervisor.id == Supervision.supervisor_id)
            .order_by(Supervision.held_on.desc(), Supervision.id.desc())
            .limit(limit)
        ).all()
        return [SupervisionRow(sid, held, who, by, int(n)) for sid, held, who, by, n in rows]


@retry_collisions
def record_supervision(
    ctx: ServiceContext,
    practitioner_id: int | None,
    supervisor_id: int | None,
    held_on: date | None,
    cases: Sequence[CaseDiscussed],
) -> int:
    """Record a supervision and write each case discussed on its contact as management oversight.

    Bad input (a missing field, a future date, an unknown reference, a case listed twice, someone who
    is not a practitioner or not a manager) writes nothing and says which field is wrong.
    """
    now = ctx.now()
    check_supervision(practitioner_id, supervisor_id, held_on, cases, london_date(now))
    # check_supervision refused any of these missing; the asserts tell the type checker so
    assert practitioner_id is not None
    assert supervisor_id is not None
    assert held_on is not None
    with ctx.unit(write=True) as (session, actor):
        _require_manager(actor.role)
        people = {
            uid: (name, role, active)
            for uid, name, role, active in session.execute(
                select(User.id, User.display_name, User.role, User.active).where(
                    User.id.in_((practitioner_id, supervisor_id))
                )
            )
        }
        errors: dict[str, str] = {}
        name, role, active = people.get(practitioner_id, ("", None, False))
        if role is not Role.PRACTITIONER or not active:
            errors["practitioner"] = "Supervision is recorded for an active practitioner."
        supervisor_name, supervisor_role, supervisor_active = people.get(supervisor_id, ("", None, False))
        if supervisor_role is not Role.MANAGER or not supervisor_active:
            errors["supervisor"] = "The supervisor must be an active manager."
        wanted = [case.reference for case in cases]
        ids = dict(session.execute(select(Contact.reference, Contact.id).where(Contact.reference.in_(wanted))).all())
        missing = [reference for reference in wanted if reference not in ids]
        if missing:
            errors["cases"] = f"There is no contact {', '.join(missing)}: check the reference."
        if errors:
            raise InvalidInput(errors)
        # one lock order for every write unit: the contacts first, by id
        contacts = {
            reference: load_contact(session, contact_id, actor, Action.ADD_OVERSIGHT)
            for reference, contact_id in sorted(ids.items(), key=lambda item: item[1])
        }
        record = Supervision(
            practitioner_id=practitioner_id,
            supervisor_id=supervisor_id,
            held_on=held_on,
            recorded_by_id=actor.id,
            recorded_at=now,
        )
        session.add(record)
        session.flush()
        for case in cases:
            contact = contacts[case.reference]
            note = CaseNote(
                contact_id=contact.id,
                kind=NoteKind.MANAGEMENT_OVERSIGHT,
                text=oversight_text(name, supervisor_name, held_on, case),
                author_id=actor.id,
                written_at=now,
            )
            session.add(note)
            session.flush()
            session.add(
                SupervisionCase(
                    supervision_id=record.id,
                    contact_id=contact.id,
                    note_id=note.id,
                    reflection=case.reflection,
                    actions=case.actions,
                )
            )
            touch(session, contact.id, actor, now)
            audit(session, actor, "note.management_oversight", "case_note", note.id, at=now, contact_id=contact.id)
        session.flush()
        audit(
            session,
            actor,
            "supervision.record",
            "supervision",
            record.id,
            at=now,
            detail={"practitioner_id": practitioner_id, "held_on": held_on.isoformat(), "cases": len(cases)},
        )
        return record.id


__all__ = [
    "Person",
    "SupervisionChoices",
    "SupervisionRow",
    "recent_supervisions",
    "record_supervision",
    "supervision_choices",
]
