"""Each pattern's warning for ``mash-desk screenshots``: the demo's four families, the queue's Patterns
column, and the two dialogs (who interpreted; the manager's decision about cumulative neglect)."""

from __future__ import annotations

from sqlalchemy import select

from mash_desk.domain.patterns import Interpreter, PatternKind
from mash_desk.gui.contact_view import ContactView
from mash_desk.gui.pattern_panel import ConversationDialog, DecisionAnswer, PatternDecisionDialog
from mash_desk.gui.queue_model import QueueColumn
from mash_desk.services.context import utc_now
from mash_desk.services.patterns import ConversationInput
from mash_desk.store.models import Contact, ContactChild, Person
from mash_desk.tools.screenshots.shooter import Shooter, composite

# the demo's families (``tools.demo.patterns``), by the family name of the child
FAMILIES: dict[PatternKind, tuple[str, str, str]] = {
    PatternKind.CUMULATIVE_NEGLECT: ("Kacper", "Wiśniewski", "maria"),
    PatternKind.REPEATED_DOMESTIC_ABUSE: ("Chloe", "Adeyemi", "sam"),
    PatternKind.MOVING_HOUSEHOLD: ("Tyler", "Brooks", "sam"),
    PatternKind.FAMILY_INTERPRETER: ("Rahim", "Uddin", "sam"),
}


def _latest_about(shooter: Shooter, given: str, family: str) -> int | None:
    with shooter.db.session() as session:
        return session.scalar(
            select(Contact.id)
            .join(ContactChild, ContactChild.contact_id == Contact.id)
            .join(Person, Person.id == ContactChild.person_id)
            .where(Person.given_names == given, Person.family_name == family)
            .order_by(Contact.received_at.desc())
            .limit(1)
        )


def shoot_patterns(shooter: Shooter, *, full: bool) -> None:
    """Each pattern's warning on its contact; in the full run also the queue and the dialogs."""
    for position, (kind, (given, family, login)) in enumerate(FAMILIES.items()):
        contact_id = _latest_about(shooter, given, family)
        if contact_id is None:
            continue  # no demo data (it failed to generate): nothing to show
        window = shooter.window(login)
        view = window.open_contact(contact_id)
        shooter.settle()
        assert isinstance(view, ContactView)
        shooter.save(window, f"{60 + position}-pattern-{kind.value.replace('_', '-')}")
        if full and kind is PatternKind.CUMULATIVE_NEGLECT:
            dialog = PatternDecisionDialog(
                window, "3 contacts with neglect concerns about a child. Record what you decided."
            )
            dialog.set_answer(DecisionAnswer("", ""))
            dialog.show_errors({"decision": "Choose what was decided.", "reason": "Say why."})
            dialog.show()
            shooter.settle()
            shooter.save_pixmap(composite(window, dialog), "65-pattern-decision-dialog")
            dialog.close()
        if full and kind is PatternKind.FAMILY_INTERPRETER:
            talk = ConversationDialog(window, utc_now().date())
            talk.set_answer(
                ConversationInput(utc_now().date(), "Shirin Begum (mother)", Interpreter.CHILD.value, "Sylheti")
            )
            talk.show()
            shooter.settle()
            shooter.save_pixmap(composite(window, talk), "66-conversation-dialog")
            talk.close()
        window.close()
    if not full:
        return
    window = shooter.window("sam")
    window.queues.show_key("unassigned")
    panel = window.queues.current_panel()
    if panel is not None:
        panel.view.scrollTo(panel.proxy.index(0, QueueColumn.PATTERNS))
    shooter.save(window, "67-queue-patterns-column")
    window.close()
    window = shooter.window("maria")
    area = window.manager_area
    if area is not None and area.dashboard is not None:
        area.show_page("dashboard")
        shooter.settle()
        dashboard = area.dashboard
        dashboard.breakdowns.show_numbers()
        shooter.settle()
        dashboard.scroll_area.verticalScrollBar().setValue(dashboard.breakdowns.y())
        shooter.save(window, "69-dashboard-pattern-breakdowns")
    window.close()
    window = shooter.window("admin")
    if window.admin_area is not None:
        window.admin_area.show_page("patterns")
        shooter.save(window, "68-admin-pattern-thresholds")
    window.close()
