"""Keystrokes and waits the GUI tests share."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mash_desk.gui.contact_view import ContactView
from mash_desk.gui.intake_form import IntakeForm
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.manager.restricted_page import RestrictedRecordsPage
from mash_desk.gui.queue_panels import TablePanel
from mash_desk.services.contact_view import ContactDetail
from mash_desk.store.database import Database
from mash_desk.store.models import Contact
from tests.gui.conftest import Desk

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = CTRL) -> None:
    QTest.keyClick(widget, key, modifiers)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)


def current_view(window: MainWindow) -> ContactView:
    view = window.workspace.currentWidget()
    assert isinstance(view, ContactView), f"the current tab is {type(view).__name__}"
    return view


def open_contact(desk: Desk, window: MainWindow, contact_id: int) -> ContactView:
    view = window.open_contact(contact_id)
    desk.qtbot.waitUntil(lambda: view.detail is not None, timeout=15_000)
    desk.settle()
    view.scroll_area.setFocus()
    return view


def act(desk: Desk, view: ContactView, key: Qt.Key, modifiers: Qt.KeyboardModifier = CTRL) -> ContactDetail:
    """Press an action's shortcut in the contact view and wait for the contact to be read again."""
    desk.settle()
    view.scroll_area.setFocus()
    with desk.qtbot.waitSignal(view.loaded, timeout=15_000):
        press(desk.qtbot, view.scroll_area, key, modifiers)
    desk.settle()
    assert view.detail is not None
    return view.detail


def open_queue(desk: Desk, window: MainWindow, tab: str) -> TablePanel:
    window.queues.show_key(tab)
    desk.settle()
    panel = window.queues.current_panel()
    assert panel is not None
    panel.focus_table()
    return panel


def open_restricted_records(desk: Desk, window: MainWindow) -> RestrictedRecordsPage:
    """A manager's Restricted records page, shown."""
    area = window.manager_area
    assert area is not None
    area.show_page("restricted")
    desk.settle()
    page = area.restricted
    assert page is not None
    return page


def new_contact(desk: Desk, window: MainWindow) -> IntakeForm:
    press(desk.qtbot, window.queues, Qt.Key.Key_N)
    form = window.intake
    assert form is not None
    assert window.workspace.currentWidget() is form
    return form


def fill_valid_contact(qtbot: QtBot, form: IntakeForm, *, nhs: str = "") -> None:
    """Everything a contact needs, typed: one child, a source, a referrer, what is happening."""
    child = form.child_editors[0]
    type_into(qtbot, child.line("given_names"), "Ruby")
    type_into(qtbot, child.line("family_name"), "Okonkwo")
    type_into(qtbot, child.line("date_of_birth"), "12/03/2015")
    if nhs:
        type_into(qtbot, child.line("nhs_number"), nhs)
    type_into(qtbot, form.combo("referral_source"), "Police")
    type_into(qtbot, form.line("referrer_name"), "PC Amy Stone")
    type_into(qtbot, form.line("referrer_agency"), "Bedfordshire Police")
    type_into(qtbot, form.top["narrative"], "Police attended a domestic incident; Ruby was present.")
    type_into(qtbot, form.combo("parents_aware"), "Y")  # "Yes, they know": asked of every contact


def contact_count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count(Contact.id))) or 0)


def check_model(tester: ModelTester, model: QAbstractItemModel) -> None:
    """``qtmodeltester.check`` (pytest-qt's own signature is untyped)."""
    check: Callable[[QAbstractItemModel], None] = tester.check
    check(model)
