"""Keeping one child one record: other names a person is known by, and corrected details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from mash_desk.domain import validation
from mash_desk.domain.cin import validate_upn_unknown
from mash_desk.domain.enums import Gender, NoteKind, Role
from mash_desk.domain.errors import ConcurrentEdit, InvalidInput, NotFound, PermissionRefused
from mash_desk.domain.names import name_keys
from mash_desk.services.context import Actor, ServiceContext, audit, retry_collisions
from mash_desk.services.drafts import FieldErrors, blank_to_none, normalised
from mash_desk.store.models import CaseNote, Person, PersonAlias, PersonNameKey

MAX_NAME = 120
MIN_REASON = 10
MAX_REASON = 2000
_FIELD_WORDS = {
    "date_of_birth": "date of birth",
    "nhs_number": "NHS number",
    "upn": "UPN",
    "upn_unknown": "why the UPN is not known",
    "gender": "gender",
    "ethnicity_code": "ethnicity",
    "first_language": "first language",
    "interpreter_needed": "interpreter needed",
    "communication_needs": "communication needs",
}
# social work's own staff: on PostgreSQL only they may update a person's details or add a name
# (``pg_security.privileges``), so the service refuses everyone else on both databases
_EDITORS = frozenset({Role.PRACTITIONER, Role.MANAGER})


def _may_edit(actor: Actor) -> None:
    if actor.role not in _EDITORS:
        raise PermissionRefused("Only the MASH's social work staff can change a person's details.")


@retry_collisions
def add_alias(ctx: ServiceContext, person_id: int, given_names: str, family_name: str) -> int:
    """Record another name a person is known by (a previous surname, a transliteration); search finds both."""
    errors = FieldErrors()
    given = errors.check("", lambda: validation.require_text("given_names", given_names, max_length=MAX_NAME))
    family = errors.check("", lambda: validation.require_text("family_name", family_name, max_length=MAX_NAME))
    errors.raise_if_any()
    assert given is not None
    assert family is not None
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        _may_edit(actor)
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(f"There is no person with id {person_id}.")
        alias = PersonAlias(person_id=person.id, given_names=given, family_name=family, recorded_at=now)
        session.add(alias)
        known = set(session.scalars(select(PersonNameKey.key).where(PersonNameKey.person_id == person.id)))
        session.add_all(PersonNameKey(person_id=person.id, key=key) for key in sorted(name_keys(given, family) - known))
        session.flush()
        audit(session, actor, "person.alias", "person", person.id, at=now, detail={"alias_id": alias.id})
        return alias.id


@dataclass
class PersonCorrection:
    """New values for identifying details; ``None`` leaves a field as it is."""

    date_of_birth: date | None = None
    nhs_number: str | None = None
    upn: str | None = None
    upn_unknown: str | None = None
    """Why there is no UPN (a census UPNunknown code); refused while the person has a UPN."""
    gender: Gender | None = None
    ethnicity_code: str | None = None
    first_language: str | None = None
    interpreter_needed: bool | None = None
    communication_needs: str | None = None


@retry_collisions
def correct_person(
    ctx: ServiceContext, person_id: int, correction: PersonCorrection, *, expected_version: int, reason: str
) -> int:
    """Correct identifying details, saying why; the old values stay in the audit trail, and what changed
    and why is kept as a correction note on the person (their record's history). Returns the new version."""
    errors = FieldErrors()
    why = blank_to_none(reason)
    if why is None or len(why) < MIN_REASON:
        errors.add("reason", f"Say why the details are wrong, in at least {MIN_REASON} characters: it is kept.")
    errors.max_length("reason", reason, MAX_REASON)
    nhs = errors.check("", lambda: normalised(correction.nhs_number, validation.normalise_nhs_number))
    upn = errors.check("", lambda: normalised(correction.upn, validation.normalise_upn))
    upn_unknown = errors.check("", lambda: validate_upn_unknown(correction.upn_unknown, correction.upn))
    errors.max_length("first_language", correction.first_language, 60)
    errors.max_length("communication_needs", correction.communication_needs, 400)
    errors.max_length("ethnicity_code", correction.ethnicity_code, 4)
    now = ctx.now()
    if correction.date_of_birth is not None:
        errors.check("", lambda: validation.check_date_of_birth(correction.date_of_birth, None, now.date()))
    errors.raise_if_any()
    with ctx.unit(write=True) as (session, actor):
        _may_edit(actor)
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(f"There is no person with id {person_id}.")
        if person.version != expected_version:
            raise ConcurrentEdit(
                f"Someone else changed {person.given_names} {person.family_name}'s details after you opened them. "
                "Nothing was overwritten; reopen the record and try again."
            )
        if upn_unknown is not None and person.upn is not None and upn is None:
            raise InvalidInput.single(
                "upn_unknown",
                f"{person.given_names} {person.family_name} has a UPN recorded, so there is no reason to give "
                "for it being unknown.",
            )
        before: dict[str, object] = {}
        changes: dict[str, object] = {
            "date_of_birth": correction.date_of_birth,
            "nhs_number": nhs,
            "upn": upn,
            "upn_unknown": upn_unknown,
            "gender": correction.gender,
            "ethnicity_code": blank_to_none(correction.ethnicity_code),
            "first_language": blank_to_none(correction.first_language),
            "interpreter_needed": correction.interpreter_needed,
            "communication_needs": blank_to_none(correction.communication_needs),
        }
        for name, value in changes.items():
            if value is not None and getattr(person, name) != value:
                before[name] = getattr(person, name)
                setattr(person, name, value)
        if upn is not None and person.upn_unknown is not None:  # a UPN found: the reason it was unknown goes
            before["upn_unknown"] = person.upn_unknown
            person.upn_unknown = None
            changes["upn_unknown"] = None
        if not before:
            raise InvalidInput.single("correction", "Nothing differs from the record: change a detail to correct it.")
        if correction.date_of_birth is not None:
            person.expected_date_of_birth = None  # born: the expected date no longer applies
        changed = "; ".join(f"{_FIELD_WORDS[name]} {_shown(before[name])} → {_shown(changes[name])}" for name in before)
        session.add(
            CaseNote(
                person_id=person.id,
                kind=NoteKind.CORRECTION,
                text=f"Corrected {changed}. Why: {why}",
                author_id=actor.id,
                written_at=now,
            )
        )
        session.flush()
        audit(
            session,
            actor,
            "person.correct",
            "person",
            person.id,
            at=now,
            detail={"before": before, "after": {k: changes[k] for k in before}, "reason": why},
        )
        return person.version


def _shown(value: object) -> str:
    """A value as the correction note says it: "not recorded", "yes", 4 May 2019, "Female"."""
    if value is None:
        return "not recorded"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, Gender):
        return phrase_gender(value)
    return str(value)


def phrase_gender(gender: Gender) -> str:
    return {
        Gender.NOT_KNOWN: "not known",
        Gender.MALE: "male",
        Gender.FEMALE: "female",
        Gender.NOT_SPECIFIED: "not specified",
    }[gender]
