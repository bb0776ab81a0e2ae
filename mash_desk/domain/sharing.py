"""Who may read what a partner agency shared: the marking an agency puts on its return decides.

The same rule is PostgreSQL's own (``mash_desk_may_read_return`` in ``store.pg_security``); a
test runs every combination through both and holds them equal.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from mash_desk.domain.enums import AgencyKind, Confidentiality, ConsentStatus, Role

# social care's own staff who weigh agency-confidential information in the threshold decision
CONFIDENTIAL_READERS = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.AUDITOR})


def may_read_return(
    reader_agency_id: int,
    reader_agency_kind: AgencyKind,
    reader_role: Role,
    return_agency_id: int,
    confidentiality: Confidentiality,
) -> bool:
    """Shareable: anyone who may see the request. Agency-confidential: social care's practitioners,
    managers and auditors, and the agency itself. Restricted: the agency that returned it, only."""
    if reader_agency_id == return_agency_id:
        return True
    if confidentiality is Confidentiality.SHAREABLE:
        return True
    if confidentiality is Confidentiality.AGENCY_CONFIDENTIAL:
        return reader_agency_kind is AgencyKind.SOCIAL_CARE and reader_role in CONFIDENTIAL_READERS
    return False


def consent_covers(status: ConsentStatus, override: bool, scope: Collection[str], agency_code: str) -> bool:
    """Whether the consent decision lets the MASH share with ``agency_code``: an override covers every
    agency; consent given covers the agencies in its scope, or every agency when the scope is blank
    (consent recorded for "All agencies"); consent refused, not sought or not possible covers none.
    PostgreSQL's ``mash_desk_sharing_allowed`` keeps the same rule."""
    if override:
        return True
    if status is not ConsentStatus.GIVEN:
        return False
    return not scope or agency_code in scope


def sees_request(reader_role: Role, reader_agency_id: int, request_agency_id: int) -> bool:
    """A partner agency sees only what was asked of it; the MASH's own staff see every request."""
    return reader_role is not Role.AGENCY or reader_agency_id == request_agency_id


GLASS_BREAK_HOURS = 8
"""How long breaking the glass opens a restricted record for that person: one working day."""


def may_see_restricted(
    viewer_id: int,
    restricted_by_id: int,
    assigned_to_id: int | None,
    glass_breaks_expire: Iterable[datetime],
    now: datetime,
) -> bool:
    """A restricted record is open to the manager who restricted it, the worker it is assigned to,
    and anyone who broke the glass, with a reason, within the last working day."""
    if viewer_id in (restricted_by_id, assigned_to_id):
        return True
    return any(expires > now for expires in glass_breaks_expire)
