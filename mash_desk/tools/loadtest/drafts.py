"""What people type at a workstation: consent, an override, a new contact."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from mash_desk.domain.enums import (
    Channel,
    Concern,
    ConsentStatus,
    Gender,
    HousingTenure,
    OverrideBasis,
    ParentsAware,
    ReferrerKind,
    RelationshipKind,
)
from mash_desk.services import (
    screening,
)
from mash_desk.services.contact_view import ContactDetail
from mash_desk.services.drafts import AdultDraft, ChildDraft, ContactDraft, HouseholdDraft, ReferrerDraft
from mash_desk.tools.demo.vocabulary import HERITAGES


def sharing_allowed(detail: ContactDetail) -> bool:
    consent = detail.current_consent
    return consent is not None and (consent.override or consent.status is ConsentStatus.GIVEN)


def consent_draft(rng: random.Random, today: date) -> screening.ConsentDraft:
    """Mostly consent given; sometimes refused or not sought (then nothing is shared until a manager
    records an override)."""
    roll = rng.random()
    if roll < 0.8:
        return screening.ConsentDraft(
            status=ConsentStatus.GIVEN,
            given_by_name="Parent (load test)",
            given_by_relationship="mother",
            given_by_has_pr=True,
            obtained_on=today,
            method="by phone",
            all_agencies=True,
        )
    if roll < 0.9:
        return screening.ConsentDraft(status=ConsentStatus.REFUSED, parent_aware=True)
    return screening.ConsentDraft(
        status=ConsentStatus.NOT_SOUGHT,
        parent_aware=False,
        parent_not_aware_reason="Load test: telling the parent could put the child at risk.",
    )


def override_draft(manager: str) -> screening.ConsentDraft:
    """Consent refused, and information shared anyway on a lawful basis: the manager's own decision."""
    return screening.ConsentDraft(
        status=ConsentStatus.REFUSED,
        override=True,
        override_basis=OverrideBasis.PUBLIC_TASK_SAFEGUARDING,
        override_reason="Load test: the child is at risk of significant harm.",
        override_authorised_by=manager,
    )


def contact_draft(rng: random.Random, now: datetime, existing_child: int | None) -> ContactDraft:
    """A complete, valid contact about one to three children of an invented family of the demo town."""
    heritage = rng.choices([h for h, _ in HERITAGES], weights=[w for _, w in HERITAGES])[0]
    family = rng.choice(heritage.families)[0]
    children: list[ChildDraft] = []
    if existing_child is not None:
        children.append(ChildDraft(existing_person_id=existing_child))
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3)) - len(children)):
        girl = rng.random() < 0.5
        given = rng.choice(heritage.girls if girl else heritage.boys)
        children.append(
            ChildDraft(
                given_names=rng.choice(given),
                family_name=family,
                date_of_birth=(now - timedelta(days=rng.randint(30, 17 * 365))).date(),
                gender=Gender.FEMALE if girl else Gender.MALE,
            )
        )
    if not children:
        children.append(ChildDraft(existing_person_id=existing_child))
    return ContactDraft(
        parents_aware=ParentsAware.YES,
        received_at=now - timedelta(minutes=rng.randint(1, 240)),
        channel=rng.choice((Channel.PHONE, Channel.EMAIL, Channel.POLICE_NOTIFICATION, Channel.REFERRAL_FORM)),
        referral_source=rng.choice(("2A", "2B", "3A", "5A", "1A")),
        referrer=ReferrerDraft(
            kind=ReferrerKind.PROFESSIONAL,
            name="Jo Bell",
            role="Designated safeguarding lead",
            agency="Hillside Primary School",
            phone="01632 960123",
        ),
        children=children,
        adults=[
            AdultDraft(
                given_names=rng.choice(rng.choice(heritage.girls)),
                family_name=family,
                relationship=RelationshipKind.MOTHER,
                parental_responsibility=True,
            )
        ],
        household=HouseholdDraft(
            address_line1=f"{rng.randint(1, 200)} Park Street",
            town="Luton",
            postcode="LU1 3AB",
            tenure=rng.choice(list(HousingTenure)),
        ),
        concerns=set(rng.sample(list(Concern), rng.choice((1, 2)))),
        narrative="Load test: the school is worried; the child arrives hungry and has missed days this term.",
        immediate_danger=rng.random() < 0.05,
    )
