"""Everything about one contact on one screen, with the next steps the person may take.

The view reads the contact on a worker (``services.contact_view.open_contact``), words it through
``contact_sections``, and offers the actions ``contact_actions.offers`` allows, each as a button and
a keyboard shortcut. It reads the contact again whenever this or another workstation changes it.

A contact a manager has restricted says so in a banner; one restricted to this person is not shown
at all: the view says ``restricted`` and the window asks them to break the glass.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.errors import MashDeskError, RestrictedRecord
from mash_desk.domain.periods import london_date
from mash_desk.gui import contact_sections as sections
from mash_desk.gui.contact_actions import ContactActions
from mash_desk.gui.contact_offers import OFFER_KEYS, Offer, next_step, offers
from mash_desk.gui.earlier_contacts import EarlierContactsRow
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.forms import load_form, need
from mash_desk.gui.messages import shortcut_text
from mash_desk.gui.pattern_panel import PatternPanel
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import is_due_soon, is_overdue, rag_words, status_words, time_left_words, tr, when
from mash_desk.services.contact_view import ContactDetail, open_contact
from mash_desk.services.re_referrals import earlier_contacts
from mash_desk.services.restrictions import OVERSEERS, RestrictionRow, restriction_of

ACTION_COLUMNS = 5
PERSON_RECORD_KEY = "Ctrl+O"
NEXT_STEP_KEYS = ("Ctrl+Enter", "Ctrl+Return")  # both Enter keys; the menu shows the first, as the help says it
NEXT_STEP_WORDS = "Ctrl+Enter"  # as the dialogs say it: the platform's text for Ctrl+Return reads oddly
DONE_STATES = frozenset({ContactStatus.ACCEPTED, ContactStatus.CLOSED})
TABLES = (
    "children_table",
    "adults_table",
    "rag_table",
    "consent_table",
    "agency_table",
    "authorisations_table",
    "handoffs_table",
    "chronology_table",
)
REFERRAL_LABELS = (
    "received_value",
    "channel_value",
    "source_value",
    "referrer_value",
    "concerns_value",
    "whereabouts_value",
    "parents_aware_value",
    "narrative_value",
)


class ContactView(QWidget):
    loaded = Signal(object)
    """Emitted with the ``ContactDetail`` each time the contact has been read."""
    load_failed = Signal(object)
    """Emitted with the ``MashDeskError`` when the contact could not be read."""
    actions_changed = Signal()
    """Emitted when the set of offered actions was rebuilt (the main window's Contact menu follows)."""
    restricted = Signal(object)
    """Emitted with the ``RestrictedRecord`` when opening found the contact restricted to this person."""
    person_requested = Signal(int)
    """Emitted with a person's id when the reader asks for their record (Ctrl+O, or Enter on a child or adult)."""
    open_requested = Signal(int)
    """Emitted with another contact's id when the person asks to open it (a contact behind a pattern)."""

    def __init__(
        self,
        contact_id: int,
        window: WindowContext,
        actions: ContactActions,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.contact_id = contact_id
        self.detail: ContactDetail | None = None
        self.restriction: RestrictionRow | None = None
        """The restriction in force, for managers and auditors (who may read restrictions)."""
        self.glass: tuple[RestrictedRecord, datetime] | None = None
        """What this person was told when they broke the glass here, and when it mends."""
        self._ask_glass = True  # only when the contact is first opened: never a prompt out of the blue
        self._runner = window.runner
        self._ctx = window.ctx
        self._actor = window.actor
        self._flow = window.flow
        self._actions = actions
        self._clock = window.clock
        self._busy = False
        self._reloads = 0
        self.qactions: list[QAction] = []
        self._offers: list[Offer] = []
        self.next_step_key: str | None = None
        """The offered action that moves the contact on now (drawn as the primary button)."""
        self.buttons: dict[str, QPushButton] = {}
        """The offered actions' buttons, by key (each a slot of ``_step_slots``, re-labelled on every read)."""
        # Made before the form, and never again: Qt's forward Tab follows the order widgets were made in,
        # and a button made after the contact's sections would be reached only after every table
        self._step_slots = [self._make_step_slot() for _ in OFFER_KEYS]
        self.person_button = QPushButton(self)
        # the flags row's own buttons (Record a conversation…) sit above the tables too, so they are made
        # before them for the same reason; the layout places them below
        self.pattern_panel = PatternPanel(contact_id, window, self)
        self.earlier_row = EarlierContactsRow(self)
        form = load_form("contact_view.ui", self)
        self.reference_label = need(form, QLabel, "reference_label")
        self.rag_label = need(form, QLabel, "rag_label")
        self.time_left_label = need(form, QLabel, "time_left_label")
        self.status_label = need(form, QLabel, "status_label")
        self.worker_label = need(form, QLabel, "worker_label")
        self.flags_label = need(form, QLabel, "flags_label")
        self.updated_banner = need(form, QLabel, "updated_banner")
        self.restriction_banner = need(form, QLabel, "restriction_banner")
        self.actions_layout = need(form, QGridLayout, "actions_layout")
        self.actions_layout.setColumnStretch(ACTION_COLUMNS, 1)
        for position, slot in enumerate(self._step_slots):
            # each slot keeps its cell for good: a read only re-labels, shows and hides them, and takes
            # nothing out of the layout (PySide's wrappers of layout items can outlive them: see _locate
            # in field_errors)
            self.actions_layout.addWidget(slot, position // ACTION_COLUMNS, position % ACTION_COLUMNS)
        self.scroll_area = need(form, QScrollArea, "scroll_area")
        self.tables = {name: need(form, QTableWidget, name) for name in TABLES}
        self.referral_labels = {name: need(form, QLabel, name) for name in REFERRAL_LABELS}
        self.household_label = need(form, QLabel, "household_value")
        self.consent_label = need(form, QLabel, "consent_value")
        self.decisions_label = need(form, QLabel, "decisions_value")
        self.notes_label = need(form, QLabel, "notes_value")
        for column in ("left_column", "right_column"):
            need(form, QVBoxLayout, column).addStretch(1)
        self.pattern_panel.open_requested.connect(self.open_requested)
        self.addActions(self.pattern_panel.shortcuts())
        flags_host = self.flags_label.parentWidget()
        flags_layout = flags_host.layout() if flags_host is not None else None
        assert isinstance(flags_layout, QBoxLayout), "contact_view.ui keeps the flags in a box layout"
        flags_layout.insertWidget(flags_layout.indexOf(self.flags_label) + 1, self.pattern_panel)
        # a re-referral says which child was named in which earlier contact, and opens it
        self.earlier_row.open_requested.connect(self.open_requested)
        flags_layout.insertWidget(flags_layout.indexOf(self.flags_label) + 1, self.earlier_row)
        # a manager's reasons for sending a decision back come first: they are what to do next
        self.returned_banner = QLabel(self)
        self.returned_banner.setObjectName("returned_banner")
        self.returned_banner.setWordWrap(True)
        self.returned_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_flag(self.returned_banner, "banner", "error")
        flags_layout.insertWidget(flags_layout.indexOf(self.flags_label), self.returned_banner)
        self.reference_label.setText(tr("Opening contact…"))
        for label in (
            self.flags_label,
            self.returned_banner,
            self.updated_banner,
            self.restriction_banner,
            self.rag_label,
            self.time_left_label,
        ):
            label.hide()
        self._person_links()
        self._next_step_link()
        self._flow.contact_changed.connect(self._changed_here)
        self._flow.running_changed.connect(self._running)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._show_time_left)
        self._ticker.start()
        self.reload()

    def _person_links(self) -> None:
        """Ctrl+O (or Enter on a child or an adult) opens that person's record: the child's whole story."""
        self.person_action = QAction(tr("Open the person's record"), self)
        self.person_action.setObjectName("action_person_record")
        self.person_action.setShortcut(QKeySequence(PERSON_RECORD_KEY))
        self.person_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.person_action.triggered.connect(self.open_person_record)
        self.addAction(self.person_action)
        self.person_button.setText(
            tr("Child's record and chronology ({key})").format(key=shortcut_text(PERSON_RECORD_KEY))
        )
        self.person_button.setObjectName("button_person_record")
        self.person_button.setToolTip(tr("Every earlier contact about the child, and what came of each"))
        self.person_button.clicked.connect(self.person_action.trigger)
        for name in ("children_table", "adults_table"):
            self.tables[name].itemActivated.connect(lambda item, n=name: self.open_person_record(n, item.row()))

    def _next_step_link(self) -> None:
        """Ctrl+Enter takes the next step (the primary button) from anywhere in the contact: the view has no
        box to type in, so the dialogs' key to finish never means anything else here."""
        self.next_step_action = QAction(tr("Take the next step"), self)
        self.next_step_action.setObjectName("action_next_step")
        self.next_step_action.setShortcuts([QKeySequence(key) for key in NEXT_STEP_KEYS])
        self.next_step_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.next_step_action.setEnabled(False)
        self.next_step_action.triggered.connect(self.take_next_step)
        self.addAction(self.next_step_action)

    def _make_step_slot(self) -> QPushButton:
        slot = QPushButton(self)
        slot.hide()
        slot.clicked.connect(lambda _checked=False, pressed=slot: self._slot_pressed(pressed))
        return slot

    def open_person_record(self, table: str = "", row: int = -1) -> None:
        """Ask for the record of the child (or adult) selected, or the first child named."""
        detail = self.detail
        if detail is None:
            return
        if not table:
            adults = self.tables["adults_table"]
            table = "adults_table" if adults.hasFocus() and adults.currentRow() >= 0 else "children_table"
            row = self.tables[table].currentRow()
        people = [a.person for a in detail.adults] if table == "adults_table" else [c.person for c in detail.children]
        if people:
            emit(self.person_requested, people[row if 0 <= row < len(people) else 0].person_id)

    @property
    def title(self) -> str:
        return self.detail.reference if self.detail is not None else tr("Contact")

    # --- reading -----------------------------------------------------------------------------------

    def reload(self) -> None:
        ctx, contact_id = self._ctx, self.contact_id
        overseer = self._actor.role in OVERSEERS
        self._reloads += 1
        generation = self._reloads

        def read() -> tuple[ContactDetail, RestrictionRow | None]:
            detail = open_contact(ctx, contact_id)
            return detail, restriction_of(ctx, contact_id=contact_id) if overseer else None

        self._runner.run(
            read,
            lambda found: self._show(generation, *found),
            self._failed,
            owner=self,
            label=tr("Opening the contact"),
        )

    def changed_elsewhere(self) -> None:
        """Another workstation changed this contact: read it again and say so."""
        self.updated_banner.setText(
            tr("This contact was updated at {time}; what you see is the latest.").format(
                time=when(self._clock()).split()[-1]
            )
        )
        self.updated_banner.show()
        self.reload()

    def _changed_here(self, contact_id: int) -> None:
        if contact_id == self.contact_id:
            self.updated_banner.hide()
            self.reload()

    def glass_broken(self, notice: RestrictedRecord, until: datetime) -> None:
        """This person broke the glass to open the contact: the banner says so until it mends."""
        self.glass = (notice, until)
        self._show_restriction()

    def _failed(self, exc: MashDeskError) -> None:
        if isinstance(exc, RestrictedRecord):
            self._hide_restricted(exc)
            return
        emit(self.load_failed, exc)
        if self.detail is None:
            self.reference_label.setText(tr("This contact could not be opened"))
        self.updated_banner.setText(str(exc))
        self.updated_banner.show()

    def _hide_restricted(self, notice: RestrictedRecord) -> None:
        """Restricted to this person: show nothing of it and, when it is being opened, ask whether to break
        the glass (restricted while open, or the glass mended: the banner says what to do)."""
        self.detail, self.restriction, self.glass = None, None, None
        self._build_actions([])
        self._set_contents_visible(False)
        for label in (self.rag_label, self.time_left_label, self.flags_label, self.updated_banner):
            label.hide()
        self.status_label.clear()
        self.worker_label.clear()
        self.pattern_panel.hide()
        self.reference_label.setText(tr("Restricted contact"))
        ask, self._ask_glass = self._ask_glass, False
        text = str(notice)
        if not ask:
            text += " " + tr("Close this tab (Ctrl+W) and open the contact again to break the glass.")
        self.restriction_banner.setText(text)
        self.restriction_banner.show()
        emit(self.restricted if ask else self.load_failed, notice)

    def _set_contents_visible(self, visible: bool) -> None:
        contents = self.scroll_area.widget()
        if contents is not None:
            contents.setVisible(visible)
        policy = Qt.ScrollBarPolicy.ScrollBarAsNeeded if visible else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        self.scroll_area.setVerticalScrollBarPolicy(policy)

    def _show_restriction(self) -> None:
        restriction = self.restriction
        if restriction is not None:
            text = tr(
                "Restricted by {who} on {at}. Others must break the glass, saying why, to read it, and managers "
                "see each time they do. Why it is restricted: “{reason}”"
            ).format(who=restriction.restricted_by, at=when(restriction.restricted_at), reason=restriction.reason)
        elif self.glass is not None and self.glass[1] > self._clock():
            notice, until = self.glass
            text = tr(
                "Restricted by {who} on {at}. You broke the glass to open it: it stays open to you until {until}, "
                "and managers see your reason."
            ).format(who=notice.restricted_by, at=when(notice.restricted_at), until=when(until))
        else:
            self.restriction_banner.hide()
            return
        self.restriction_banner.setText(text)
        self.restriction_banner.show()

    def _show(self, generation: int, detail: ContactDetail, restriction: RestrictionRow | None = None) -> None:
        if generation != self._reloads:
            return
        self.detail = detail
        self.restriction = restriction
        self._ask_glass = False
        self._set_contents_visible(True)
        self._show_restriction()
        self.reference_label.setText(detail.reference)
        self.status_label.setText(status_words(detail.status))
        self.worker_label.setText(
            tr("Worker: {worker} · Team: {team}").format(
                worker=detail.assigned_to or tr("unassigned"), team=detail.team or tr("none")
            )
        )
        self.rag_label.setText(tr("RAG: {rag}").format(rag=rag_words(detail.rag)))
        set_flag(self.rag_label, "rag", detail.rag.value if detail.rag else "none")
        self.rag_label.show()
        flags = []
        if detail.immediate_danger:
            flags.append(tr("⚠ IMMEDIATE DANGER reported by the referrer."))
        if detail.open_case_team:
            flags.append(tr("Open case: a child is already known to {team}.").format(team=detail.open_case_team))
        if detail.re_referral:
            flags.append(tr("Re-referral: a child was named in a contact in the last 12 months."))
        self.flags_label.setText("\n".join(flags))
        self.flags_label.setVisible(bool(flags))
        if self.flags_label.property("banner") != ("error" if detail.immediate_danger else "warning"):
            set_flag(self.flags_label, "banner", "error" if detail.immediate_danger else "warning")
        now = self._clock()
        self._show_returned(detail)
        self._read_earlier(detail)
        t = self.tables
        sections.show_children(t["children_table"], detail, london_date(now))
        sections.show_referral(self.referral_labels, detail)
        sections.show_household(self.household_label, t["adults_table"], detail)
        sections.show_rag_history(t["rag_table"], detail, now)
        sections.show_consent(self.consent_label, t["consent_table"], detail, now)
        sections.show_agency_requests(t["agency_table"], detail, now)
        sections.show_decisions(self.decisions_label, t["authorisations_table"], detail, now)
        sections.show_hand_offs(t["handoffs_table"], detail, now)
        sections.show_notes(self.notes_label, detail, now)
        sections.show_chronology(t["chronology_table"], detail, now)
        self.pattern_panel.reference = detail.reference
        self.pattern_panel.show()
        self.pattern_panel.reload()
        self._show_time_left()
        self._build_actions(offers(detail, self._actor, restriction))
        emit(self.loaded, detail)

    def _read_earlier(self, detail: ContactDetail) -> None:
        if not detail.re_referral:
            self.earlier_row.hide()
            return
        ctx, contact_id = self._ctx, detail.id
        self._runner.run(
            lambda: earlier_contacts(ctx, contact_id),
            self.earlier_row.show_contacts,
            lambda _exc: self.earlier_row.hide(),  # the banner still says it is a re-referral
            owner=self,
            label=tr("Finding the earlier contacts"),
        )

    def _show_returned(self, detail: ContactDetail) -> None:
        last = detail.authorisations[-1] if detail.authorisations else None
        if detail.status is not ContactStatus.RETURNED or last is None or last.approved:
            self.returned_banner.hide()
            return
        self.returned_banner.setText(
            tr("Sent back by {manager}, {at}. What needs to change: {comments}").format(
                manager=last.manager, at=when(last.decided_at), comments=last.comments or tr("(no comments)")
            )
        )
        self.returned_banner.show()

    def _show_time_left(self) -> None:
        """The chip says which deadline it counts down to, not only how long is left."""
        detail = self.detail
        if detail is None or detail.status in DONE_STATES:
            self.time_left_label.hide()
            return
        now = self._clock()
        due = detail.decision_due_at if detail.status is ContactStatus.AWAITING_AUTHORISATION else detail.rag_due_at
        state = "overdue" if is_overdue(due, now) else "soon" if is_due_soon(due, now) else "ok"
        text = tr("{deadline}: {left}").format(deadline=deadline_words(detail), left=time_left_words(due, now))
        self.time_left_label.setText(("⚠ " if state == "overdue" else "") + text)
        self.time_left_label.setToolTip(
            tr("RAG timescale due {rag}; decision due {decision}").format(
                rag=when(detail.rag_due_at), decision=when(detail.decision_due_at)
            )
        )
        if self.time_left_label.property("due") != state:
            set_flag(self.time_left_label, "due", state)
        self.time_left_label.show()

    # --- acting ------------------------------------------------------------------------------------

    def _build_actions(self, offered: list[Offer]) -> None:
        for action in self.qactions:
            self.removeAction(action)
            action.deleteLater()
        primary = next_step(self.detail, offered) if self.detail is not None else None
        self.next_step_key = primary
        focused = next((key for key, button in self.buttons.items() if button.hasFocus()), None)
        self.qactions, self.buttons, self._offers = [], {}, list(offered)
        for offer in offered:
            action = QAction(offer.text, self)
            action.setObjectName(f"action_{offer.key}")
            action.setShortcut(QKeySequence(offer.shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setEnabled(offer.enabled and not self._busy)
            action.setToolTip(offer.why_not or f"{offer.text} ({shortcut_text(offer.shortcut)})")
            action.triggered.connect(lambda _checked=False, key=offer.key: self.trigger(key))
            self.addAction(action)
            self.qactions.append(action)
        # the next step comes first, on screen and to Tab; the rest follow in the order of the work
        shown = sorted(offered, key=lambda offer: offer.key != primary)
        for offer, slot in zip(shown, self._step_slots[: len(shown)], strict=True):
            self._label_slot(slot, offer, primary=offer.key == primary)
            slot.show()
            self.buttons[offer.key] = slot
        for slot in self._step_slots[len(shown) :]:
            slot.hide()
            slot.setObjectName("")
        position = len(shown)  # the first cell free: its slot is hidden, and a hidden widget takes no room
        self.actions_layout.addWidget(self.person_button, position // ACTION_COLUMNS, position % ACTION_COLUMNS)
        self.person_button.setVisible(self.detail is not None)
        if focused in self.buttons and not self.buttons[focused].hasFocus():
            # read again with the cursor on a button: it stays on that action, wherever it now stands
            self.buttons[focused].setFocus(Qt.FocusReason.OtherFocusReason)
        self._enable_next_step()
        emit(self.actions_changed)

    def _label_slot(self, slot: QPushButton, offer: Offer, *, primary: bool) -> None:
        slot.setObjectName(f"button_{offer.key}")
        slot.setText(f"{offer.text} ({shortcut_text(offer.shortcut)})")
        tip = offer.why_not or f"{offer.text} ({shortcut_text(offer.shortcut)})"
        if primary and not offer.why_not:
            tip = tr("{action}; the next step for this contact, so {key} does it too").format(
                action=tip, key=NEXT_STEP_WORDS
            )
        slot.setToolTip(tip)
        slot.setEnabled(offer.enabled and not self._busy)
        slot.setAccessibleDescription(tr("The next step for this contact") if primary else "")
        if slot.property("primary") != primary:
            set_flag(slot, "primary", primary)  # the next step stands out from the rest

    def _enable_next_step(self) -> None:
        offer = next((o for o in self._offers if o.key == self.next_step_key), None)
        self.next_step_action.setEnabled(offer is not None and offer.enabled and not self._busy)
        self.next_step_action.setText(
            tr("Take the next step: {action}").format(action=offer.text) if offer else tr("Take the next step")
        )
        self.next_step_action.setToolTip(f"{self.next_step_action.text()} ({NEXT_STEP_WORDS})")

    def _slot_pressed(self, slot: QPushButton) -> None:
        key = next((key for key, button in self.buttons.items() if button is slot), None)
        if key is not None:
            self.trigger(key)

    def take_next_step(self) -> None:
        """Start the next step (what Ctrl+Enter does); nothing if none is offered now."""
        if self.next_step_key is not None:
            self.trigger(self.next_step_key)

    def trigger(self, key: str) -> None:
        """Start the action ``key`` (what a button, a shortcut or the Contact menu does)."""
        if self.detail is None or self._busy:
            return
        button = self.buttons.get(key)
        if button is None or not button.isEnabled():
            return
        self._actions.trigger(key, self.detail, self, restriction=self.restriction)

    def _running(self, contact_id: int, running: bool) -> None:
        if contact_id != self.contact_id:
            return
        self._busy = running
        for offer, action in zip(self._offers, self.qactions, strict=True):
            action.setEnabled(offer.enabled and not running)
            self.buttons[offer.key].setEnabled(offer.enabled and not running)
        self._enable_next_step()


def deadline_words(detail: ContactDetail) -> str:
    """Which deadline the contact is working to now, in words."""
    if detail.status is ContactStatus.AWAITING_AUTHORISATION:
        return tr("Decision due (one working day)")
    if detail.rag is None:
        return tr("Screening and RAG rating due")
    return tr("{rag} timescale").format(rag=rag_words(detail.rag))
