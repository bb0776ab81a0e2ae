"""The manager's checklist before authorising, for a contact as read (``domain.review_checks``)."""

from __future__ import annotations

from mash_desk.domain.enums import AgencyRequestStatus
from mash_desk.domain.review_checks import ReviewCheck, ReviewFacts, review_checks
from mash_desk.services.contact_view import ContactDetail


def review_facts(detail: ContactDetail) -> ReviewFacts:
    requests = detail.agency_requests
    return ReviewFacts(
        consent_recorded=detail.current_consent is not None,
        checks_asked=len(requests),
        checks_outstanding=sum(1 for r in requests if r.status is AgencyRequestStatus.OUTSTANDING),
        checks_returned=sum(1 for r in requests if r.status is AgencyRequestStatus.RETURNED),
        adults_alleged_to_harm_in_contact=tuple(
            a.person.name for a in detail.adults if a.alleged_perpetrator and a.in_contact_with_child is not False
        ),
        proposed_outcomes=tuple(c.proposed.outcome for c in detail.children if c.proposed is not None),
        concerns=detail.concerns,
    )


def checklist(detail: ContactDetail) -> tuple[ReviewCheck, ...]:
    """The points a manager checks before authorising this contact, met or not."""
    return review_checks(review_facts(detail))
