"""The checklist from a contact as read, and an override that says nothing is refused."""

from __future__ import annotations

import pytest

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.review_checks import ReviewPoint, unmet
from mash_desk.services import decisions
from mash_desk.services.contact_view import open_contact
from mash_desk.services.decisions import ChecklistOverride
from mash_desk.services.review import checklist
from tests.support import World, case_at, unchanged


def test_outstanding_checks_show_and_an_empty_reason_is_refused(world: World) -> None:
    case = case_at(world, ContactStatus.AGENCY_CHECKS)  # police asked, not returned yet
    assert ReviewPoint.CHECKS_RETURNED in unmet(checklist(open_contact(world.maria, case.id)))
    waiting = case_at(world, ContactStatus.AWAITING_AUTHORISATION)
    assert unmet(checklist(open_contact(world.maria, waiting.id))) == ()
    with unchanged(world.db), pytest.raises(InvalidInput) as refused:
        decisions.authorise(world.maria, waiting.id, override=ChecklistOverride((ReviewPoint.CHECKS_RETURNED,), "  "))
    assert "Say why it is safe" in refused.value.field_errors["override_reason"]
