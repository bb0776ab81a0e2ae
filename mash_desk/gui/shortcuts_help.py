"""Every keyboard shortcut of the window, in one place: the keys the window itself binds, and the list
the Help menu shows (Ctrl+/)."""

from __future__ import annotations

from collections.abc import Iterable

from mash_desk.gui.contact_offers import DASH_KEY, GCP_KEY, MARAC_KEY, RESTRICT_KEY
from mash_desk.gui.intake_keys import ALLEGED_HARM_KEY
from mash_desk.gui.pattern_panel import CONVERSATION_KEY, DECISION_KEY
from mash_desk.gui.words import tr

OWN_LOGIN_KEY = "Ctrl+Shift+M"  # change "my" password
FIND_PERSON_KEY = "Ctrl+Shift+P"
POLICE_PRESET_KEY = "F2"  # the intake form's "police notification": the commonest contact, one key
LOCK_NOW_KEY = "Ctrl+Shift+H"  # Ctrl+L links a record, Ctrl+Shift+L signs in again; Ctrl+Alt is AltGr on Windows


def shortcuts_text(pages: Iterable[tuple[str, str]] = ()) -> str:
    """Every shortcut, one a line; ``pages`` are this person's Manager, Reports and Administration pages
    (their Ctrl+digit keys follow the pages the role has)."""
    page_rows = list(pages) or [("Ctrl+1 … Ctrl+9", tr("Manager, Reports and Administration pages (see their menus)"))]
    rows = [
        ("Ctrl+N", tr("New contact")),
        ("Ctrl+T", tr("Take the next most urgent contact")),
        ("Ctrl+G", tr("Go to a contact by reference")),
        (FIND_PERSON_KEY, tr("Find a person (child or adult) and open their record")),
        ("Ctrl+O", tr("Open the record of the child or adult selected (contact, matches, search)")),
        ("Alt+Left", tr("Back from a person's record to where you were")),
        ("Ctrl+P, Ctrl+Shift+S", tr("Print the chronology, save it as PDF (person's record)")),
        ("Ctrl+E, Ctrl+Shift+N", tr("Correct a person's details, add another name (person's record)")),
        ("Ctrl+Shift+Q", tr("Back to the work queues")),
        ("Alt+1 … Alt+6", tr("Switch queue tab")),
        ("Ctrl+F / Ctrl+Shift+F", tr("Filter the rows shown / search the whole queue")),
        ("Enter", tr("Open the selected contact")),
        ("Ctrl+S", tr("Save the contact being typed")),
        ("Ctrl+L", tr("Link the selected existing record to the child being typed")),
        (POLICE_PRESET_KEY, tr("Fill in a police notification of domestic abuse (new contact)")),
        (ALLEGED_HARM_KEY, tr('Tick or untick "Alleged to harm the children" (an adult on a new contact)')),
        ("Ctrl+R, Ctrl+Shift+C, Ctrl+Shift+A", tr("Rate, consent, ask agencies")),
        ("Ctrl+D, Ctrl+Shift+S", tr("Decide for a child, submit for authorisation")),
        ("Ctrl+Shift+U, Ctrl+Shift+B", tr("Authorise, send back (managers: the contact and the decision queue)")),
        ("Ctrl+H, Ctrl+Shift+K, Ctrl+Shift+J", tr("Hand off, accept, reject a hand-off")),
        (
            "Ctrl+K",
            tr("Chase the team that has not accepted a hand-off (Hand-offs not accepted; managers' Hand-offs page)"),
        ),
        ("Ctrl+Shift+E", tr("Record your agency's return")),
        ("Ctrl+Shift+N, Ctrl+Shift+X", tr("Add a note, close the contact")),
        (RESTRICT_KEY, tr("Restrict the contact, or lift its restriction (managers)")),
        (f"{DASH_KEY}, {MARAC_KEY}, {GCP_KEY}", tr("DASH checklist, MARAC referral, Graded Care Profile 2")),
        (
            f"{CONVERSATION_KEY}, {DECISION_KEY}",
            tr("Who interpreted a conversation; a manager's decision on a pattern"),
        ),
        *page_rows,
        ("F5", tr("Refresh")),
        ("Ctrl+W", tr("Close the tab")),
        (LOCK_NOW_KEY, tr("Lock the screen now (everything you are doing is kept)")),
        (OWN_LOGIN_KEY, tr("Change my password (shared database)")),
        ("Ctrl+Shift+L", tr("Sign in again (another person or database)")),
        ("F1", tr("About MASH Desk")),
    ]
    return "\n".join(f"{keys}\t{what}" for keys, what in rows)
