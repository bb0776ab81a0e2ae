"""The manager's checklist in words, and the "are you sure" before authorising with a point not met
(the decision queue and the contact itself ask the same way)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from mash_desk.domain.enums import AgencyRequestStatus
from mash_desk.domain.review_checks import ReviewCheck, ReviewPoint, unmet
from mash_desk.domain.words import counted
from mash_desk.gui.dialogs.text import TextDialog
from mash_desk.gui.words import tr
from mash_desk.services.contact_view import ContactDetail
from mash_desk.services.decisions import ChecklistOverride
from mash_desk.services.review import checklist

NOT_NOW = False
"""The manager chose not to authorise after all."""


CHECK_WORDS = {
    ReviewPoint.CONSENT_RECORDED: ("Consent decision recorded", "No consent decision is recorded"),
    ReviewPoint.CHECKS_RETURNED: ("Every agency check returned", "{outstanding} still outstanding"),
    ReviewPoint.ADULT_ALLEGED_TO_HARM: (
        "No adult alleged to harm is left in contact with a child stepped down",
        "Stepping down although {names}, alleged to harm, is in contact with the child",
    ),
    ReviewPoint.STEP_DOWN_WITH_DOMESTIC_ABUSE: (
        "Not a step-down of domestic abuse without agency checks",
        "A step-down with domestic abuse and no agency check returned",
    ),
}


def check_words(check: ReviewCheck, detail: ContactDetail) -> str:
    met, missed = CHECK_WORDS[check.point]
    outstanding = sum(1 for r in detail.agency_requests if r.status is AgencyRequestStatus.OUTSTANDING)
    checks = counted(outstanding, tr("agency check"), tr("agency checks"))
    text = tr(met if check.met else missed).format(outstanding=checks, names=", ".join(check.names))
    return ("✓ " if check.met else "✗ ") + text


def ask_override(parent: QWidget, detail: ContactDetail) -> ChecklistOverride | bool | None:
    """None: every point met, go ahead; an override: not met, and why it is safe; ``NOT_NOW``: not now."""
    checks = checklist(detail)
    missing = unmet(checks)
    if not missing:
        return None
    points = "\n".join(check_words(check, detail) for check in checks if not check.met)
    answer = TextDialog.ask(
        parent,
        title=tr("Authorise {reference} although the checklist is not met?").format(reference=detail.reference),
        intro=tr("Before you authorise:\n{points}\n\nSay why it is safe to authorise now.").format(points=points),
        caption=tr("&Why it is safe:"),
        ok_text=tr("Authorise anyway"),
        field="override_reason",
        required=True,
    )
    if answer is None:
        return NOT_NOW
    return ChecklistOverride(missing, answer.text)
