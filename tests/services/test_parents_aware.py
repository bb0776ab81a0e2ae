"""Whether the parents or carers know of a contact: asked of every contact at intake, kept with it,
shown on the contact and in both chronologies; "no" always carries why, in the database too."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from mash_desk.domain.chronology import EntryKind
from mash_desk.domain.enums import ParentsAware
from mash_desk.services import intake
from mash_desk.services.contact_view import open_contact
from mash_desk.services.person_record import open_person_record
from tests.support import World, contact_draft, unchanged

WHY_NOT = "Telling the mother's partner could put her and the children at risk."


def test_not_aware_is_kept_with_its_reason_and_said_in_the_chronologies(world: World) -> None:
    draft = contact_draft(world.clock, parents_aware=ParentsAware.NO, parents_not_aware_reason=f"  {WHY_NOT} ")
    logged = intake.log_contact(world.sam, draft)
    detail = open_contact(world.sam, logged.id)
    assert (detail.parents_aware, detail.parents_not_aware_reason) == (ParentsAware.NO, WHY_NOT)
    assert detail.chronology[-1].what == f"Contact received by phone. Parents or carers not aware: {WHY_NOT}"
    record = open_person_record(world.sam, logged.child_person_ids[0])
    (entry,) = [row for row in record.chronology if row.contact_id == logged.id and row.kind is EntryKind.CONTACT]
    assert entry.what.endswith(f"Parents or carers not aware: {WHY_NOT}")


def test_a_reason_is_kept_only_when_they_are_not_aware(world: World) -> None:
    draft = contact_draft(world.clock, parents_aware=ParentsAware.NOT_KNOWN, parents_not_aware_reason="typed first")
    detail = open_contact(world.sam, intake.log_contact(world.sam, draft).id)
    assert (detail.parents_aware, detail.parents_not_aware_reason) == (ParentsAware.NOT_KNOWN, None)
    assert detail.chronology[-1].what.endswith("Not known whether the parents or carers are aware.")


def test_the_database_refuses_not_aware_without_a_reason_and_an_unknown_answer(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    copy = (
        "INSERT INTO contact (reference, received_at, recorded_at, channel, referral_source, referrer_kind, "
        "referrer_first_hand, referrer_anonymity_requested, narrative, immediate_danger, status, rag_due_at, "
        "decision_due_at, re_referral, created_by_id, updated_at, updated_by_id, version, "
        "parents_aware, parents_not_aware_reason) "
        "SELECT :reference, received_at, recorded_at, channel, referral_source, referrer_kind, referrer_first_hand, "
        "referrer_anonymity_requested, narrative, immediate_danger, status, rag_due_at, decision_due_at, "
        "re_referral, created_by_id, updated_at, updated_by_id, 1, :aware, :why FROM contact WHERE id = :id"
    )
    for reference, aware, why in (("X-1", "no", None), ("X-2", "maybe", None)):
        with unchanged(world.db), pytest.raises(IntegrityError), world.db.engine.begin() as conn:
            conn.execute(text(copy), {"reference": reference, "aware": aware, "why": why, "id": logged.id})
    with world.db.engine.begin() as conn:  # the same row with its reason is accepted
        conn.execute(text(copy), {"reference": "X-3", "aware": "no", "why": WHY_NOT, "id": logged.id})
