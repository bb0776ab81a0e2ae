"""The one rule about telling a family who raised a concern about their child."""

from __future__ import annotations

from mash_desk.domain.enums import ReferrerKind


def referrer_disclosable_to_family(kind: ReferrerKind, anonymity_requested: bool) -> bool:
    """Whether a family letter may say anything at all about who made the contact.

    Only a professional who did not ask for anonymity qualifies. A member of the public, a relative,
    the child, an anonymous caller or anyone who asked not to be named is never described to the
    family; and even a disclosable professional is only ever called "a professional" (never named).
    """
    return kind is ReferrerKind.PROFESSIONAL and not anonymity_requested
