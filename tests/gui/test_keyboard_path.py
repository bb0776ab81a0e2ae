"""The common path, driven with real key events on the real dialogs, counting the practitioner's keys.

A police notification of domestic abuse about two children, their mother and her partner; rated,
consent recorded, the police, health and education asked; one decision for both children, submitted;
handed off once a manager has authorised. Counted: every non-text key (Tab, Enter, arrows, Space on a
button or tick box, Alt and Ctrl chords, F-keys); not counted: the characters of the values typed.
Two routes: Sam logs it herself, or Bea (business support) logs it and Sam takes it from the queue.
The other people's parts (the agencies' returns, the manager's authorisation) are service calls: only
the practitioner's keys are counted. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from mash_desk.domain.enums import (
    Channel,
    Concern,
    ConsentStatus,
    ContactStatus,
    HandOffStatus,
    Outcome,
    ParentsAware,
    Rag,
    RelationshipKind,
    Role,
)
from mash_desk.gui.contact_offers import outstanding
from mash_desk.gui.contact_view import ContactView
from mash_desk.gui.dialogs.agency import AgencyChecksDialog
from mash_desk.gui.dialogs.consent import ConsentDialog
from mash_desk.gui.dialogs.decision import DecisionDialog
from mash_desk.gui.dialogs.handoff import HandOffDialog
from mash_desk.gui.dialogs.rag import RagDialog
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.widgets import enum_data
from mash_desk.services import decisions, intake, screening
from mash_desk.services.contact_view import ContactDetail, open_contact
from mash_desk.services.context import ServiceContext
from mash_desk.services.drafts import AdultDraft, ChildDraft, ContactDraft, ReferrerDraft
from tests.gui.conftest import DIALOGS, Desk, Dialogs
from tests.gui.helpers import current_view
from tests.support import add_worker

GOAL = 25
NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
REAL_DIALOGS = ("rag", "consent", "checks", "decision", "handoff")
REAL = {name: DIALOGS[name][0].__dict__[DIALOGS[name][1]] for name in REAL_DIALOGS}
"""The dialogs' own ``ask`` (the autouse fixture replaces them; this test opens the real ones)."""

RATIONALE = "Domestic abuse with both children at home; a child and family assessment is needed."


@dataclass
class Keys:
    """Presses keys on whatever has the focus, as a person would, and counts the non-text ones."""

    qtbot: QtBot
    count: int = 0
    pressed: list[str] = field(default_factory=list)
    scripts: list[tuple[type[QDialog], Callable[[QDialog], None]]] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NONE) -> None:
        target = self.focus()
        self.count += 1
        self.pressed.append(f"{modifiers.name or ''}+{key.name}@{target.objectName() or type(target).__name__}")
        QTest.keyClick(target, key, modifiers)
        QApplication.processEvents()  # as between a person's keystrokes: new widgets are shown, and so on

    def typed(self, text: str) -> None:
        """A value typed: its characters are not counted."""
        QTest.keyClicks(self.focus(), text)
        QApplication.processEvents()

    def on_dialog(self, kind: type[QDialog], script: Callable[[QDialog], None]) -> None:
        """When a ``kind`` opens (modal, so it waits in its own loop), answer it with ``script``."""
        self.scripts.append((kind, script))

    def watch(self, parent: QWidget) -> QTimer:
        timer = QTimer(parent)
        timer.setInterval(30)

        def look() -> None:
            dialog = QApplication.activeModalWidget()
            if not self.scripts:
                if isinstance(dialog, QDialog) and dialog.isVisible():  # none expected: never wait for ever
                    self.unexpected.append(type(dialog).__name__)
                    dialog.reject()
                return
            kind, script = self.scripts[0]
            if isinstance(dialog, kind) and dialog.isVisible():
                if not dialog.isActiveWindow():
                    dialog.activateWindow()
                    return
                self.scripts.pop(0)
                self.ran.append(kind.__name__)
                try:
                    script(dialog)
                except BaseException as exc:  # an assert in a dialog: fail the test, never leave it open
                    self.problems.append(f"{kind.__name__}: {exc!r}")
                    dialog.reject()

        timer.timeout.connect(look)
        timer.start()
        return timer

    def answered(self) -> bool:
        assert not self.problems, self.problems
        assert not self.unexpected, f"dialogs nobody expected: {self.unexpected}"
        return not self.scripts

    def wait(self, timeout: int = 20_000) -> None:
        """Until every dialog expected so far has opened and been answered."""
        try:
            self.qtbot.waitUntil(self.answered, timeout=timeout)
        except Exception:
            modal = QApplication.activeModalWidget()
            pytest.fail(
                f"still waiting for {[kind.__name__ for kind, _ in self.scripts]}; answered {self.ran}; "
                f"open: {type(modal).__name__ if modal else None}; keys: {self.pressed}"
            )


def offered(desk: Desk, view: ContactView, key: str, shown: Callable[[ContactDetail], bool]) -> None:
    """Wait until the contact shows ``shown`` and offers ``key``, with nothing being read or saved."""

    def ready() -> bool:
        button = view.buttons.get(key)
        detail = view.detail
        return detail is not None and shown(detail) and button is not None and button.isEnabled()

    for _ in range(3):  # a change seen while settling starts another read: wait for that one too
        desk.qtbot.waitUntil(ready, timeout=20_000)
        desk.settle()
    assert ready()


def real_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in REAL_DIALOGS:
        owner, method = DIALOGS[name]
        monkeypatch.setattr(owner, method, REAL[name])


def read(desk: Desk, who: str, contact_id: int) -> ContactDetail:
    return open_contact(ServiceContext(desk.world.db, desk.world.logins[who]), contact_id)


def screening_scripts(keys: Keys) -> None:
    """Rate AMBER, consent given by the mother (by phone), the usual three agencies asked."""

    def rate(dialog: QDialog) -> None:
        assert isinstance(dialog, RagDialog)
        keys.typed("a")  # AMBER: the ratings choose by their first letter
        assert dialog.radios[Rag.AMBER].isChecked()
        keys.press(Qt.Key.Key_Return, CTRL)

    def consent(dialog: QDialog) -> None:
        assert isinstance(dialog, ConsentDialog)
        assert dialog.given_by_name_edit.text() == "Sara Hussain"  # the parent not alleged to harm
        # the parent named, the cursor starts where there is something to type: how it was given
        assert keys.focus() is dialog.method_edit
        assert enum_data(dialog.status_combo, ConsentStatus) is ConsentStatus.GIVEN
        keys.typed("by phone")
        keys.press(Qt.Key.Key_A, ALT)  # consent covers every agency in the MASH: said, not assumed
        keys.qtbot.waitUntil(dialog.all_agencies_check.isChecked, timeout=5_000)  # Qt animates a mnemonic's click
        keys.press(Qt.Key.Key_Return, CTRL)

    def checks(dialog: QDialog) -> None:
        assert isinstance(dialog, AgencyChecksDialog)
        keys.press(Qt.Key.Key_Return, CTRL)  # police, health and education are ticked already

    keys.on_dialog(RagDialog, rate)
    keys.on_dialog(ConsentDialog, consent)
    keys.on_dialog(AgencyChecksDialog, checks)


def log_the_notification(desk: Desk, window: MainWindow, keys: Keys) -> None:
    """Sam types the police notification in the intake form."""
    keys.press(Qt.Key.Key_N, CTRL)
    form = window.intake
    assert form is not None
    assert keys.focus() is form.child_editors[0].line("family_name")
    keys.typed("Hussain")
    keys.press(Qt.Key.Key_Tab)
    keys.typed("Amira")
    keys.press(Qt.Key.Key_Tab)
    keys.typed("04/05/2019")
    keys.press(Qt.Key.Key_C, CTRL | SHIFT)  # another child: her brother keeps the family name
    assert keys.focus() is form.child_editors[1].line("given_names")
    keys.typed("Yusuf")
    keys.press(Qt.Key.Key_Tab)
    keys.typed("20/11/2016")
    keys.press(Qt.Key.Key_A, CTRL | SHIFT)  # their mother
    keys.typed("Hussain")
    keys.press(Qt.Key.Key_Tab)
    keys.typed("Sara")
    keys.press(Qt.Key.Key_Tab)
    keys.typed("M")  # Mother
    keys.press(Qt.Key.Key_A, CTRL | SHIFT)  # her partner, alleged to harm
    keys.typed("Clarke")
    keys.press(Qt.Key.Key_Tab)
    keys.typed("Dean")
    keys.press(Qt.Key.Key_Tab)
    keys.typed("P")  # Partner of a parent
    partner = form.adult_editors[1]
    assert not partner.check("alleged_perpetrator").isChecked()
    keys.press(Qt.Key.Key_G, CTRL | SHIFT)  # alleged to harm, ticked from where the cursor is in his row
    assert partner.check("alleged_perpetrator").isChecked(), keys.pressed
    assert not form.adult_editors[0].check("alleged_perpetrator").isChecked()  # only his row's box
    keys.press(Qt.Key.Key_F2)  # a police notification: source, concern, the police as the agency
    desk.qtbot.waitUntil(lambda: form.line("referrer_name").hasFocus(), timeout=15_000)
    keys.typed("PC Amy Stone")
    keys.press(Qt.Key.Key_Y, ALT)  # what the referrer says is happening
    keys.typed("Police called to the home at 02:10: Dean Clarke assaulted Sara; both children were present.")
    keys.press(Qt.Key.Key_A, ALT)  # asked of every contact: are the parents aware? Nothing answers it for her
    assert keys.focus() is form.combo("parents_aware"), keys.pressed
    assert form.combo("parents_aware").currentData() == ""
    keys.typed("y")  # yes: the officers spoke to Sara at the home
    assert form.combo("parents_aware").currentData() == ParentsAware.YES
    draft, problems = form.collect()
    assert problems == {}
    assert [(c.family_name, c.given_names) for c in draft.children] == [("Hussain", "Amira"), ("Hussain", "Yusuf")]
    assert [(a.given_names, a.alleged_perpetrator) for a in draft.adults] == [("Sara", False), ("Dean", True)]
    assert draft.referral_source == "6"
    assert draft.referrer.agency == "Police"
    screening_scripts(keys)
    keys.press(Qt.Key.Key_S, CTRL)  # saved into her own work: the rating opens, then consent, the checks


def bea_logs_it(desk: Desk) -> int:
    """Business support logs the same notification (their keys are not the practitioner's)."""
    world = desk.world
    draft = ContactDraft(
        received_at=ServiceContext(world.db, world.logins["bea"]).now(),
        channel=Channel.POLICE_NOTIFICATION,
        referral_source="6",
        concerns={Concern.DOMESTIC_ABUSE},
        referrer=ReferrerDraft(name="PC Amy Stone", agency="Police"),
        narrative="Police called to the home at 02:10: Dean Clarke assaulted Sara; both children were present.",
        parents_aware=ParentsAware.YES,
        children=[
            ChildDraft(given_names="Amira", family_name="Hussain"),
            ChildDraft(given_names="Yusuf", family_name="Hussain"),
        ],
        adults=[
            AdultDraft(given_names="Sara", family_name="Hussain", relationship=RelationshipKind.MOTHER),
            AdultDraft(
                given_names="Dean",
                family_name="Clarke",
                relationship=RelationshipKind.PARTNER_OF_PARENT,
                alleged_perpetrator=True,
            ),
        ],
    )
    return intake.log_contact(ServiceContext(world.db, world.logins["bea"]), draft).id


def agencies_return(desk: Desk, detail: ContactDetail) -> None:
    world = desk.world
    for request in detail.agency_requests:
        who = {"POLICE": "pc_jones", "HEALTH": "hv_okafor", "EDUCATION": "dsl_ade"}[request.agency_code]
        screening.record_agency_return(
            ServiceContext(world.db, world.logins[who]),
            request.id,
            summary=f"{request.agency}: two call-outs to the address this year.",
            nothing_known=False,
        )


@pytest.mark.parametrize("route", ["practitioner logs it", "business support logs it"])
def test_the_common_path_takes_the_practitioner_at_most_25_keys(
    desk: Desk, dialogs: Dialogs, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    del dialogs
    real_dialogs(monkeypatch)
    world, qtbot = desk.world, desk.qtbot
    add_worker(world, "dsl_ade", "Ade Bello", Role.AGENCY, agency_code="EDUCATION")
    keys = Keys(qtbot)
    if route == "business support logs it":
        contact_id = bea_logs_it(desk)
    window = desk.window("sam", watch_changes=True)
    watcher = keys.watch(window)
    panel = window.queues.current_panel()
    assert panel is not None
    # signed in, the cursor is in the queue (on its table once it has rows), not on the tab bar
    assert panel.isAncestorOf(keys.focus())

    if route == "practitioner logs it":
        log_the_notification(desk, window, keys)
    else:
        keys.press(Qt.Key.Key_T, CTRL)  # take the most urgent unassigned contact (it opens)
        qtbot.waitUntil(lambda: isinstance(window.workspace.currentWidget(), ContactView), timeout=15_000)
        view = current_view(window)
        qtbot.waitUntil(lambda: view.detail is not None and "rate" in view.buttons, timeout=15_000)
        screening_scripts(keys)
        keys.press(Qt.Key.Key_R, CTRL)
    keys.wait(30_000)
    desk.settle()
    view = current_view(window)
    contact_id = view.contact_id
    detail = read(desk, "sam", contact_id)
    assert detail.rag is Rag.AMBER
    assert detail.current_consent is not None
    assert {r.agency_code for r in detail.agency_requests} == {"POLICE", "HEALTH", "EDUCATION"}

    agencies_return(desk, detail)
    # the window shows the returns by itself (its change watcher): nothing is pressed for it
    offered(desk, view, "decide", lambda detail: not outstanding(detail))

    def decide(dialog: QDialog) -> None:
        assert isinstance(dialog, DecisionDialog)
        keys.typed("3")  # level 3: a child and family assessment is the obvious outcome
        assert dialog.outcome_combo.currentData() == Outcome.CFA_S17
        assert dialog.primary_need_combo.currentData() == "N1"  # domestic abuse: abuse or neglect
        keys.press(Qt.Key.Key_R, ALT)
        keys.typed(RATIONALE)
        assert dialog.submit_check.isChecked()  # every check back, consent recorded: submitted with it
        keys.press(Qt.Key.Key_Return, CTRL)

    keys.on_dialog(DecisionDialog, decide)
    desk.focus(window)  # the window is active again once the dialogs close (the offscreen platform's part)
    assert view.isAncestorOf(keys.focus()), keys.focus()
    keys.press(Qt.Key.Key_D, CTRL)  # one decision for both children, submitted with it
    keys.wait()
    qtbot.waitUntil(
        lambda: read(desk, "sam", contact_id).status is ContactStatus.AWAITING_AUTHORISATION, timeout=15_000
    )

    decisions.authorise(ServiceContext(world.db, world.logins["mark"]), contact_id, None)
    offered(desk, view, "hand_off", lambda detail: detail.status is ContactStatus.AUTHORISED)

    def hand_off(dialog: QDialog) -> None:
        assert isinstance(dialog, HandOffDialog)
        assert dialog.team_combo.currentText() == "Assessment Team"  # where a section 17 goes
        keys.press(Qt.Key.Key_Return, CTRL)

    keys.on_dialog(HandOffDialog, hand_off)
    desk.focus(window)
    assert view.isAncestorOf(keys.focus()), keys.focus()
    keys.press(Qt.Key.Key_H, CTRL)
    keys.wait()
    qtbot.waitUntil(lambda: read(desk, "sam", contact_id).status is ContactStatus.AWAITING_ACCEPTANCE, timeout=15_000)
    watcher.stop()
    final = read(desk, "sam", contact_id)
    assert final.hand_offs[-1].status is HandOffStatus.PENDING
    assert [c.outcome for c in final.children] == [Outcome.CFA_S17, Outcome.CFA_S17]
    print(f"\nthe common path, {route}: {keys.count} non-text keys for the practitioner: {' '.join(keys.pressed)}")
    assert keys.count <= GOAL, keys.pressed
