"""The contact view hands on each of the contact's own columns as stored, read by name from one list."""

from __future__ import annotations

from dataclasses import fields

from sqlalchemy import select

from mash_desk.domain.enums import ReferrerKind
from mash_desk.services import intake
from mash_desk.services.contact_view import ContactDetail, open_contact
from mash_desk.services.contact_view.statements import AS_STORED
from mash_desk.services.drafts import ReferrerDraft
from mash_desk.store.models import Contact
from tests.support import World, contact_draft


def test_every_stored_field_of_a_contact_reaches_the_view_as_stored(world: World) -> None:
    referrer = ReferrerDraft(
        kind=ReferrerKind.FAMILY,
        name="Aisha Hussain",
        role="Aunt",
        agency="—",
        phone="01582 654321",
        email="aisha@example.com",
        relationship="maternal aunt",
        first_hand=False,
        anonymity_requested=True,
    )
    draft = contact_draft(world.clock, referrer=referrer, immediate_danger=True)
    logged = intake.log_contact(world.sam, draft)
    detail = open_contact(world.sam, logged.id)
    with world.db.session() as session:
        stored = session.execute(select(Contact).where(Contact.id == logged.id)).scalar_one()
        expected = {name: getattr(stored, name) for name in AS_STORED}
    assert {name: getattr(detail, name) for name in AS_STORED} == expected
    # the referrer's and the contact's own fields are all among them, and each came from the draft
    names = {field.name for field in fields(ContactDetail)}
    assert {f"referrer_{field.name}" for field in fields(ReferrerDraft)} <= set(AS_STORED) <= names
    assert (detail.referrer_relationship, detail.referrer_first_hand) == ("maternal aunt", False)
    assert detail.immediate_danger
    assert detail.received_at == draft.received_at
