"""Who may read what a partner agency shared: the marking an agency puts on its return decides.

The same rule is PostgreSQL's own (``mash_desk_may_read_return`` in ``store.pg_security``); a
test runs every combination through both and holds them equal.
"""

from __future__ import annotations

from mash_desk.domain.enums import AgencyKind, Confidentiality, Role

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


def sees_request(reader_role: Role, reader_agency_id: int, request_agency_id: int) -> bool:
    """A partner agency sees only what was asked of it; the MASH's own staff see every request."""
    return reader_role is not Role.AGENCY or reader_agency_id == request_agency_id
