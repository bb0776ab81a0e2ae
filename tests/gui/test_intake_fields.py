"""The intake form's fields follow the service's draft: a draft kept by the previous version still
comes back whole, every field is read, and every field's message lands at its widget."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mash_desk.domain.enums import Channel, Concern, Gender, HousingTenure, ReferrerKind, RelationshipKind
from mash_desk.gui.intake_fields import error_keys, given, layout, widget_names
from mash_desk.services.drafts import AdultDraft, ChildDraft, ContactDraft, HouseholdDraft, ReferrerDraft
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import new_contact

OLD_DRAFT = Path(__file__).parent / "drafts" / "intake-format-1.json"
"""A draft the previous version kept (its intake form filled in and left unsaved), byte for byte."""

OLD_WIDGETS = (
    *("received_at", "channel", "referral_source", "immediate_danger", "whereabouts", "assign_to_me"),
    *("referrer_kind", "referrer_name", "referrer_role", "referrer_agency", "referrer_phone", "referrer_email"),
    *("referrer_relationship", "referrer_first_hand", "referrer_anonymity_requested", "concerns", "narrative"),
    *("address_line1", "address_line2", "town", "postcode", "tenure", "temporary_accommodation", "overcrowded"),
    *("homeless", "housing_notes"),
)
"""The previous version's list of the form's fields, in its tab order: kept drafts are keyed by these."""

WHAT_THE_PREVIOUS_VERSION_READ = ContactDraft(
    received_at=datetime(2026, 3, 10, 8, 15, tzinfo=UTC),
    channel=Channel.EMAIL,
    referral_source="1C",
    immediate_danger=True,
    whereabouts="At school until 3pm",
    assign_to_me=True,
    children=[
        ChildDraft(
            given_names="Amira",
            family_name="Hussain",
            date_of_birth=date(2019, 5, 4),
            gender=Gender.FEMALE,
            first_language="Urdu",
            interpreter_needed=True,
        )
    ],
    referrer=ReferrerDraft(
        kind=ReferrerKind.PROFESSIONAL,
        name="PC Amy Stone",
        role="Police constable",
        agency="Police",
        phone="01632 960 001",
        email="amy.stone@police.example",
        relationship="",
        first_hand=True,
        anonymity_requested=True,
    ),
    concerns={Concern.NEGLECT, Concern.DOMESTIC_ABUSE},
    narrative="Neighbour heard shouting; the children were seen outside late.",
    parents_aware=None,  # not asked by the previous version: the form asks it before saving
    parents_not_aware_reason="",
    household=HouseholdDraft(
        address_line1="12 Mill Lane",
        address_line2="",
        town="Northtown",
        postcode="NT1 2AB",
        tenure=HousingTenure.SOCIAL_RENT,
        overcrowded=True,
        housing_notes="",
    ),
    adults=[
        AdultDraft(
            given_names="Layla",
            family_name="Hussain",
            relationship=RelationshipKind.MOTHER,
            parental_responsibility=True,
        )
    ],
)
"""``collect()`` of the previous version's form holding that draft."""


def test_the_form_keeps_the_widgets_drafts_were_kept_under_in_its_order() -> None:
    # the story comes before the tick boxes, and whether the parents know follows it
    assert widget_names() == (
        *("received_at", "channel", "referral_source", "immediate_danger", "whereabouts", "assign_to_me"),
        *("referrer_kind", "referrer_name", "referrer_role", "referrer_agency", "referrer_phone", "referrer_email"),
        *("referrer_relationship", "referrer_first_hand", "referrer_anonymity_requested", "narrative", "concerns"),
        *("parents_aware", "parents_not_aware_reason"),
        *("address_line1", "address_line2", "town", "postcode", "tenure", "temporary_accommodation", "overcrowded"),
        *("homeless", "housing_notes"),
    )
    assert set(OLD_WIDGETS) <= set(widget_names())  # a draft kept by the previous version still comes back
    assert [item for item in layout() if isinstance(item, str)] == ["children", "adults"]


@pytest.mark.parametrize("backend", ["sqlite"])  # a file on this computer, whatever the database
def test_a_draft_kept_by_the_previous_version_comes_back_whole(desk: Desk, dialogs: Dialogs) -> None:
    window = desk.window("sam")
    window.draft_file.path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(OLD_DRAFT, window.draft_file.path)
    dialogs.answer("draft", True)  # "Carry on with it"
    form = new_contact(desk, window)
    draft, problems = form.collect()
    assert problems == {}
    assert draft == WHAT_THE_PREVIOUS_VERSION_READ


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_household_with_nothing_in_it_is_none_and_one_tick_makes_it_one(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    form = new_contact(desk, desk.window("sam"))
    form.line("postcode").setText("   ")  # spaces are blank
    assert form.collect()[0].household is None
    assert not given(HouseholdDraft(address_line1=" ", town=""))
    form.check("homeless").setChecked(True)
    household = form.collect()[0].household
    assert household is not None
    assert household.homeless
    assert household.postcode == "   "  # as typed: the service tidies it


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_fields_message_is_shown_at_its_widget(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    form = new_contact(desk, desk.window("sam"))
    keys = error_keys()
    assert keys["referrer.email"] == "referrer_email"
    assert keys["household.postcode"] == "postcode"
    assert keys["narrative"] == "narrative"
    messages = {key: f"Problem with {key}." for key in keys}
    first = form.errors.show(messages, focus=False)
    assert first is form.top["received_at"]  # the first in the form's order
    flagged = {name for name, widget in form.top.items() if widget.property("invalid")}
    assert flagged == set(widget_names())
    assert form.banner.isHidden()  # none left over for the banner
