"""Which next steps a contact offers to whom, as buttons with shortcuts.

What is offered follows ``ContactDetail.allowed`` (``lifecycle.allowed_actions``) plus the facts
only the contact knows: an agency is offered its return only if it was asked, a team its hand-off
only if it was sent one, and a manager who proposed a decision is told why they cannot authorise it.
"""

from __future__ import annotations

from dataclasses import dataclass

from mash_desk.domain.enums import AgencyRequestStatus, ContactStatus, HandOffStatus, Role
from mash_desk.domain.lifecycle import Action
from mash_desk.gui.words import tr
from mash_desk.services.contact_view import AgencyRequestView, ContactDetail, HandOffView
from mash_desk.services.context import Actor
from mash_desk.services.restrictions import RestrictionRow

RESTRICT_KEY = "Ctrl+Shift+G"  # restrict, or lift: only one of them is ever offered
DASH_KEY = "Ctrl+Shift+I"
MARAC_KEY = "Ctrl+M"
GCP_KEY = "Ctrl+Shift+Y"
OFFER_KEYS = (
    "claim",
    "pass_on",
    "rate",
    "consent",
    "checks",
    "agency_return",
    "withdraw",
    "decide",
    "submit",
    "authorise",
    "return_decision",
    "hand_off",
    "accept",
    "reject",
    "dash",
    "marac",
    "gcp",
    "close",
    "note",
    "oversight",
    "restrict",
    "lift",
)
"""Every action a contact can offer: the view makes a button for each before anything else (so Tab
reaches them first) and never needs more, since ``offers`` shows each at most once."""


@dataclass(frozen=True)
class Offer:
    """An action button: what it says, its shortcut, and why it is switched off (if it is)."""

    key: str
    text: str
    shortcut: str
    why_not: str = ""

    def __post_init__(self) -> None:
        if self.key not in OFFER_KEYS:
            raise ValueError(f"{self.key!r} is not in OFFER_KEYS: the contact view would have no button for it")

    @property
    def enabled(self) -> bool:
        return not self.why_not


def my_requests(detail: ContactDetail, actor: Actor) -> list[AgencyRequestView]:
    return [
        r
        for r in detail.agency_requests
        if r.agency_code == actor.agency_code and r.status is AgencyRequestStatus.OUTSTANDING
    ]


def my_hand_off(detail: ContactDetail, actor: Actor) -> HandOffView | None:
    return next((h for h in detail.hand_offs if h.status is HandOffStatus.PENDING and h.team_id == actor.team_id), None)


def outstanding(detail: ContactDetail) -> list[AgencyRequestView]:
    return [r for r in detail.agency_requests if r.status is AgencyRequestStatus.OUTSTANDING]


def offers(detail: ContactDetail, actor: Actor, restriction: RestrictionRow | None = None) -> list[Offer]:
    """The actions to show for this contact and this person, in the order of the work; a manager is
    also offered to restrict the contact, or to lift ``restriction`` (the one in force)."""
    allowed = detail.allowed
    shown: list[Offer] = []

    def offer(action: Action, key: str, text: str, shortcut: str, why_not: str = "") -> None:
        if action in allowed:
            shown.append(Offer(key, text, shortcut, why_not))

    if detail.assigned_to is None:
        offer(Action.CLAIM, "claim", tr("Take this contact"), "Ctrl+Shift+T")
    if detail.open_case_team is not None:
        offer(Action.PASS_TO_ALLOCATED_TEAM, "pass_on", tr("Pass to allocated team…"), "Ctrl+Shift+P")
    offer(Action.RATE, "rate", tr("Rate…"), "Ctrl+R")
    offer(Action.RECORD_CONSENT, "consent", tr("Consent…"), "Ctrl+Shift+C")
    offer(Action.REQUEST_AGENCY_CHECKS, "checks", tr("Ask agencies…"), "Ctrl+Shift+A")
    if my_requests(detail, actor):
        offer(Action.RECORD_AGENCY_RETURN, "agency_return", tr("Record our return…"), "Ctrl+Shift+E")
    if outstanding(detail):
        offer(Action.WITHDRAW_AGENCY_REQUEST, "withdraw", tr("Withdraw a request…"), "Ctrl+Shift+W")
    offer(Action.PROPOSE_DECISION, "decide", tr("Decide…"), "Ctrl+D")
    offer(Action.SUBMIT_FOR_AUTHORISATION, "submit", tr("Submit for authorisation"), "Ctrl+Shift+S")
    proposed_by_me = any(
        child.proposed is not None and child.proposed.proposed_by == actor.display_name for child in detail.children
    )
    four_eyes = tr("You proposed a decision here, so another manager must review it (four eyes).")
    offer(Action.AUTHORISE, "authorise", tr("Authorise…"), "Ctrl+Shift+U", four_eyes if proposed_by_me else "")
    if detail.status is ContactStatus.AUTHORISED:
        # before any hand-off a manager can reopen the decision: after a rejection, or when new facts arrive
        offer(Action.RETURN_DECISION, "return_decision", tr("Reopen decision…"), "Ctrl+Shift+B")
    else:
        offer(
            Action.RETURN_DECISION,
            "return_decision",
            tr("Send back…"),
            "Ctrl+Shift+B",
            four_eyes if proposed_by_me else "",
        )
    offer(Action.HAND_OFF, "hand_off", tr("Hand off…"), "Ctrl+H")
    if my_hand_off(detail, actor) is not None:
        offer(Action.ACCEPT_HAND_OFF, "accept", tr("Accept hand-off"), "Ctrl+Shift+K")
        offer(Action.REJECT_HAND_OFF, "reject", tr("Reject hand-off…"), "Ctrl+Shift+J")
    offer(Action.RECORD_DASH, "dash", tr("DASH checklist…"), DASH_KEY)
    offer(Action.RECORD_DASH, "marac", tr("MARAC referral…"), MARAC_KEY)
    offer(Action.RECORD_GCP, "gcp", tr("Graded Care Profile 2…"), GCP_KEY)
    offer(Action.CLOSE, "close", tr("Close contact"), "Ctrl+Shift+X")
    offer(Action.ADD_NOTE, "note", tr("Add note…"), "Ctrl+Shift+N")
    offer(Action.ADD_OVERSIGHT, "oversight", tr("Oversight note…"), "Ctrl+Shift+O")
    if actor.role is Role.MANAGER:
        if restriction is None:
            shown.append(Offer("restrict", tr("Restrict this record…"), RESTRICT_KEY))
        else:
            shown.append(Offer("lift", tr("Lift restriction…"), RESTRICT_KEY))
    return shown


def next_step(detail: ContactDetail, shown: list[Offer]) -> str | None:
    """The one offered action that moves the contact on now, so the view can make it stand out:
    the first, in the order of the work, that is offered, allowed and not already done."""
    offered = {offer.key for offer in shown if not offer.why_not}
    undecided = any(child.proposed is None and child.outcome is None for child in detail.children)
    wanted = (
        ("claim", True),
        ("pass_on", True),
        ("accept", True),
        ("agency_return", True),
        ("rate", detail.rag is None),
        ("consent", detail.current_consent is None),
        ("checks", not detail.agency_requests),
        ("decide", undecided),
        ("submit", not undecided),
        ("authorise", True),
        ("hand_off", True),
    )
    return next((key for key, needed in wanted if needed and key in offered), None)
