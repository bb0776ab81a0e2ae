"""Every form and dialog works from the keyboard: its Alt keys are unique (and clear of the menu bar's),
every field has a label, Tab from any widget reaches every other (no table or text box traps it), and
Ctrl+Enter finishes every dialog.

The dialogs are the ones ``mash-desk screenshots`` shows, built the same way; the window's forms are
the intake form, a contact and the queues, signed in as a practitioner. Tab is pressed for real.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QRadioButton,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from mash_desk.domain.enums import ContactStatus
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.tasks import TaskRunner
from mash_desk.services.signin import SignedIn
from mash_desk.tools.screenshots.dialogs import shoot_dialogs
from tests.gui.conftest import Desk, Dialogs, signed_in
from tests.gui.helpers import new_contact, open_contact
from tests.support import World, case_at

MNEMONIC = re.compile(r"&([^&])")
INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)


def mnemonic(text: str) -> str | None:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisibleTo(root) and widget.window() is root.window()


def alt_keys(root: QWidget) -> dict[str, list[str]]:
    """Every Alt key the visible part of ``root`` answers to, with what owns it (the menu bar's too)."""
    keys: dict[str, list[str]] = defaultdict(list)
    for label in root.findChildren(QLabel):
        if label.buddy() is not None and shown(label, root) and (key := mnemonic(label.text())):
            keys[key].append(f"label {label.text()!r}")
    for button in root.findChildren(QAbstractButton):
        if shown(button, root) and (key := mnemonic(button.text())):
            keys[key].append(f"button {button.text()!r}")
    for box in root.findChildren(QGroupBox):
        if shown(box, root) and (key := mnemonic(box.title())):
            keys[key].append(f"group {box.title()!r}")
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            if (key := mnemonic(action.text())) and action.isVisible():
                keys[key].append(f"menu {action.text()!r}")
    return keys


def dead_alt_keys(root: QWidget) -> list[str]:
    """Labels shown with an Alt key that goes nowhere: the widget they name is hidden or takes no focus (an
    empty list's hidden table, say), so pressing the key does nothing at all."""
    dead = []
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is None or not shown(label, root) or not mnemonic(label.text()):
            continue
        target = buddy.focusProxy() or buddy
        if not shown(target, root) or target.focusPolicy() == Qt.FocusPolicy.NoFocus:
            dead.append(f"label {label.text()!r} names a {type(buddy).__name__} that is hidden or takes no focus")
    return dead


def unlabelled(root: QWidget) -> list[str]:
    """Input fields with neither a label (its buddy) nor an accessible name."""
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy() is not None}
    missing = []
    for field in root.findChildren(QWidget):
        if not isinstance(field, INPUTS) or not shown(field, root):
            continue
        if isinstance(field.parentWidget(), QComboBox | QAbstractSpinBox):
            continue  # the editor inside a combo box or a spin box: labelled with it
        if isinstance(field, QHeaderView):
            continue  # a table's header: the table has the name
        if id(field) not in buddies and not field.accessibleName():
            missing.append(f"{type(field).__name__} {field.objectName()!r}")
    return missing


def tab_stops(root: QWidget) -> list[QWidget]:
    """The widgets Tab stops at; a group of radio buttons is one stop (the arrows move within it)."""
    stops = []
    groups: set[int] = set()
    for w in root.findChildren(QWidget):
        if not (
            shown(w, root)
            and w.isEnabled()
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and w.focusProxy() is None
            and not isinstance(w.parentWidget(), QComboBox | QAbstractSpinBox)
        ):
            continue
        if isinstance(w, QRadioButton) and w.autoExclusive():
            if id(w.parentWidget()) in groups or not (w.isChecked() or not radio_checked(w)):
                continue
            groups.add(id(w.parentWidget()))
        stops.append(w)
    return stops


def radio_checked(radio: QRadioButton) -> bool:
    parent = radio.parentWidget()
    siblings = parent.findChildren(QRadioButton) if parent is not None else [radio]
    return any(r.isChecked() for r in siblings if r.parentWidget() is parent)


def tab_traps(qtbot: QtBot, root: QWidget) -> list[str]:
    """From every widget Tab stops at, press Tab for real until it comes back: what it never reached."""
    stops = tab_stops(root)
    problems = []
    for start in stops:
        start.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        if QApplication.focusWidget() is not start:
            continue  # a widget that cannot take the focus here (a disabled page behind it, say)
        reached = {id(start)}
        path = []
        now: QWidget | None = start
        for _ in range(len(stops) + 5):
            assert now is not None
            QTest.keyClick(now, Qt.Key.Key_Tab)
            now = QApplication.focusWidget()
            if now is None or now is start:
                break
            reached.add(id(now))
            path.append(f"{type(now).__name__}:{now.objectName()}")
        left = [w for w in stops if id(w) not in reached]
        if left:
            problems.append(
                f"from {type(start).__name__} {start.objectName()!r}: never reached "
                + ", ".join(f"{type(w).__name__} {w.objectName()!r}" for w in left[:4])
                + f" (went {' '.join(path)})"
            )
    return problems


def check_keyboard(qtbot: QtBot, root: QWidget) -> None:
    qtbot.wait(50)  # widgets just added are shown on the next turn of the event loop
    clashes = {key: owners for key, owners in alt_keys(root).items() if len(owners) > 1}
    assert clashes == {}, f"{type(root).__name__}: Alt keys used twice: {clashes}"
    dead = dead_alt_keys(root)
    assert dead == [], f"{type(root).__name__}: Alt keys that go nowhere: {dead}"
    missing = unlabelled(root)
    assert missing == [], f"{type(root).__name__}: fields without a label: {missing}"
    traps = tab_traps(qtbot, root)
    assert traps == [], f"{type(root).__name__}: Tab is trapped: {traps}"


def show_active(qtbot: QtBot, dialog: QDialog) -> None:
    """Show ``dialog`` as the active window, as a person meets it (keys go to the active window)."""
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=10_000)


def check_dialogs(qtbot: QtBot, dialogs: dict[str, QDialog]) -> None:
    """Show each dialog on its own and check it; every dialog's problems at once."""
    problems = []
    for name, dialog in dialogs.items():
        show_active(qtbot, dialog)
        try:
            check_keyboard(qtbot, dialog)
        except AssertionError as exc:
            problems.append(f"{name}: {str(exc).splitlines()[0]}")
        dialog.hide()
    assert problems == [], "\n".join(problems)


class DialogCatcher:
    """Stands in for the screenshot camera: keeps each dialog it is shown."""

    def __init__(self, runner: TaskRunner, session: SignedIn) -> None:
        self.runner = runner
        self.session = session
        self.dialogs: dict[str, QDialog] = {}

    def show(self, widget: QWidget, name: str, size: tuple[int, int] | None = None) -> None:
        del size
        assert isinstance(widget, QDialog)
        self.dialogs[name] = widget

    def signed_in_as(self, login: str) -> SignedIn:
        del login
        return self.session


@pytest.fixture
def action_dialogs(qtbot: QtBot, world: World, runner: TaskRunner) -> dict[str, QDialog]:
    catcher = DialogCatcher(runner, signed_in(world, "sam"))
    shoot_dialogs(catcher)  # type: ignore[arg-type]
    for dialog in catcher.dialogs.values():
        qtbot.addWidget(dialog)
    return catcher.dialogs


@pytest.mark.parametrize("backend", ["sqlite"])  # the widgets are the same whatever the database
def test_every_dialog_has_unique_alt_keys_labels_and_no_tab_trap(
    qtbot: QtBot, action_dialogs: dict[str, QDialog]
) -> None:
    assert len(action_dialogs) >= 10
    check_dialogs(qtbot, action_dialogs)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_ctrl_enter_finishes_every_dialog(qtbot: QtBot, action_dialogs: dict[str, QDialog]) -> None:
    for name, dialog in action_dialogs.items():
        finished: list[int] = []
        dialog.finished.connect(finished.append)
        pressed: list[str] = []
        for button in dialog.findChildren(QAbstractButton):
            button.clicked.connect(lambda _checked=False, b=button, seen=pressed: seen.append(b.text()))
        show_active(qtbot, dialog)
        focus = QApplication.focusWidget() or dialog
        QTest.keyClick(focus, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        # a dialog with something to finish either closes or shows its messages at the fields; either
        # way its default button was pressed (or its own accept ran), which is what the key is for
        refused = isinstance(dialog, FormDialog) and dialog.banner.isVisibleTo(dialog)  # told what to put right
        assert finished or pressed or refused, f"{name}: Ctrl+Enter did nothing"
        dialog.hide()


def test_the_window_forms_have_unique_alt_keys_labels_and_no_tab_trap(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    world, qtbot = desk.world, desk.qtbot
    case = case_at(world, ContactStatus.AGENCY_CHECKS)
    window: MainWindow = desk.window("sam")
    check_keyboard(qtbot, window)  # the queues
    view = open_contact(desk, window, case.id)
    assert view.buttons, "the contact offers its next steps"
    check_keyboard(qtbot, window)  # a contact, its tables and its buttons
    form = new_contact(desk, window)
    form.add_child()
    form.add_adult()
    desk.settle()
    check_keyboard(qtbot, window)  # the intake form, with two children and an adult


def test_forward_tab_reaches_the_contacts_buttons_before_its_tables(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    world = desk.world
    case = case_at(world, ContactStatus.SCREENED)
    window = desk.window("sam")
    view = open_contact(desk, window, case.id)
    window.workspace.tabBar().setFocus(Qt.FocusReason.TabFocusReason)
    reached: list[QWidget] = []
    for _ in range(40):
        focus = QApplication.focusWidget()
        assert focus is not None
        QTest.keyClick(focus, Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())  # type: ignore[arg-type]
    buttons = [reached.index(b) for b in view.buttons.values() if b in reached]
    tables = [reached.index(t) for t in view.tables.values() if t in reached]
    assert len(buttons) == len(view.buttons), "Tab reaches every action button"
    names = [f"{type(w).__name__}:{w.objectName()}" for w in reached]
    assert max(buttons) < min(tables, default=len(reached)), names
    # the flags row's "Record a conversation…" sits above the tables too, and Tab reaches it before them
    conversation = view.pattern_panel.conversation_button
    assert conversation in reached, names
    assert reached.index(conversation) < min(tables, default=len(reached)), names


def test_the_intakes_housing_and_concerns_have_their_own_alt_keys(desk: Desk, dialogs: Dialogs) -> None:
    # issue 15: "no Alt key for the concerns list or housing notes"; housing tenure was reached only by Alt+O
    # (postcode) and Tab. Every letter of "Housing tenure" is taken on the form, so its caption names no fixed
    # abode, one of its choices, for a free key: Alt+X
    del dialogs
    window: MainWindow = desk.window("sam")
    form = new_contact(desk, window)
    for key, field in ((Qt.Key.Key_Q, "housing_notes"), (Qt.Key.Key_X, "tenure"), (Qt.Key.Key_T, "concerns")):
        focus = QApplication.focusWidget()
        assert focus is not None
        QTest.keyClick(focus, key, Qt.KeyboardModifier.AltModifier)
        desk.settle()
        reached = QApplication.focusWidget()
        assert reached is not None
        assert reached.objectName() == field
    assert form.isVisible()
