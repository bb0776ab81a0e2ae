"""The person's record in the window, all by keyboard: from a contact to the child's record and back,
every earlier contact and its outcome, the chronology filtered and printed, a correction with its
reason, and the record reached from a search and from the intake's possible matches."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from shiboken6 import Shiboken

from mash_desk.domain.chronology import EntryKind
from mash_desk.domain.enums import ContactStatus, Rag
from mash_desk.gui.contact_view import ContactView
from mash_desk.gui.dialogs.person_details import AliasAnswer, AliasDialog, CorrectionAnswer, CorrectPersonDialog
from mash_desk.gui.find_person import FindPersonDialog, person_query
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.manager.pickers import PrinterChoice, SaveFileChoice
from mash_desk.gui.person_record import PersonRecordPage
from mash_desk.gui.person_record_parts import ContactColumn
from mash_desk.services import intake, restrictions, screening
from mash_desk.services.drafts import ChildDraft
from mash_desk.services.people import PersonCorrection
from mash_desk.services.person_record import open_person_record
from tests.gui.conftest import DIALOGS, Desk, Dialogs
from tests.gui.helpers import CTRL, CTRL_SHIFT, NONE, check_model, open_contact, press, type_into
from tests.support import World, audit_lines, case_at, child, contact_draft, unchanged

ALT = Qt.KeyboardModifier.AltModifier
PERSON_DIALOGS = {
    "save": (SaveFileChoice, "ask"),
    "printer": (PrinterChoice, "ask"),
    "correct_person": (CorrectPersonDialog, "ask"),
    "alias": (AliasDialog, "ask"),
    "find_person": (FindPersonDialog, "ask"),
}


@pytest.fixture(autouse=True)
def person_dialogs(dialogs: Dialogs, monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    for name, (owner, method) in PERSON_DIALOGS.items():
        monkeypatch.setitem(DIALOGS, name, (owner, method))
        monkeypatch.setattr(owner, method, classmethod(lambda _cls, *a, _n=name, **k: dialogs.handler(_n)(*a, **k)))
    return dialogs


def two_contacts(world: World) -> tuple[int, int, int]:
    """Amira's first contact worked to closed; a second one, a month on, rated RED: (child, first, second)."""
    first = case_at(world, ContactStatus.CLOSED)
    (amira,) = first.child_ids
    world.clock.advance(days=30)
    second = intake.log_contact(world.sam, contact_draft(world.clock, ChildDraft(existing_person_id=amira)))
    screening.rate(world.sam, second.id, Rag.RED, reason="Now hungry and bruised: seen today.")
    return amira, first.id, second.id


def person_page(desk: Desk, window: MainWindow) -> PersonRecordPage:
    desk.qtbot.waitUntil(lambda: isinstance(window.workspace.currentWidget(), PersonRecordPage), timeout=15_000)
    page = window.workspace.currentWidget()
    assert isinstance(page, PersonRecordPage)
    desk.qtbot.waitUntil(lambda: page.record is not None, timeout=15_000)
    desk.settle()
    return page


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(72)
    return printer


def test_from_a_contact_to_the_childs_record_and_back_by_keyboard(
    desk: Desk, dialogs: Dialogs, tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    amira, first, second = two_contacts(desk.world)
    window = desk.window("sam")
    view = open_contact(desk, window, second)
    press(desk.qtbot, view.scroll_area, Qt.Key.Key_O)
    page = person_page(desk, window)
    assert page.person_id == amira
    assert window.workspace.tabText(window.workspace.currentIndex()) == "Amira Hussain"
    for model in (page.chronology_model, page.contacts_model, page.relatives_model):
        check_model(qtmodeltester, model)
    # every earlier contact, and what came of it
    contacts = page.contacts_model.rows()
    assert [c.contact_id for c in contacts] == [second, first]
    outcome = page.contacts_model.index(1, ContactColumn.OUTCOME).data()
    assert outcome == "level 3: Child and family assessment (section 17)"
    assert page.chronology_model.rows()[0].what == "Rated RED: Now hungry and bruised: seen today."
    assert page.chronology_view.hasFocus()
    # Alt+Left goes back to the contact it came from
    press(desk.qtbot, page.chronology_view, Qt.Key.Key_Left, ALT)
    assert window.workspace.currentWidget() is view
    # and Ctrl+O again shows the same tab, not a second one
    press(desk.qtbot, view.scroll_area, Qt.Key.Key_O)
    assert person_page(desk, window) is page
    assert len(window.person_pages()) == 1
    # the earlier contact opens from the Contacts section with Enter
    press(desk.qtbot, page.chronology_view, Qt.Key.Key_T, ALT)
    assert page.sections.currentWidget() is page.contacts_view
    page.contacts_view.setFocus()
    press(desk.qtbot, page.contacts_view, Qt.Key.Key_Down, NONE)
    press(desk.qtbot, page.contacts_view, Qt.Key.Key_Return, NONE)
    earlier = window.workspace.currentWidget()
    assert isinstance(earlier, ContactView)
    assert earlier.contact_id == first
    desk.qtbot.waitUntil(lambda: earlier.detail is not None, timeout=15_000)
    # the opening is audited, as a contact's is
    assert "person.open" in [line.action for line in audit_lines(desk.world.db)]

    # the chronology, filtered to agency checks, printed and saved, all from the keyboard
    window.workspace.setCurrentWidget(page)
    desk.settle()
    press(desk.qtbot, page.chronology_view, Qt.Key.Key_N, ALT)
    page.kind_combo.setFocus()
    kind_index = page.kind_combo.findData(EntryKind.AGENCY)
    for _ in range(kind_index):
        press(desk.qtbot, page.kind_combo, Qt.Key.Key_Down, NONE)
    assert {row.kind for row in page.chronology_model.rows()} == {EntryKind.AGENCY}
    printed = tmp_path / "printed.pdf"
    dialogs.answer("printer", pdf_printer(printed))
    with desk.qtbot.waitSignal(page.printed, timeout=30_000):
        press(desk.qtbot, page.chronology_view, Qt.Key.Key_P)
    assert printed.stat().st_size > 0
    saved = tmp_path / "chronology.pdf"
    dialogs.answer("save", saved)
    with desk.qtbot.waitSignal(page.printed, timeout=30_000):
        press(desk.qtbot, page.chronology_view, Qt.Key.Key_S, CTRL_SHIFT)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(saved.read_bytes())).pages)
    assert "OFFICIAL – SENSITIVE" in text
    assert "Only Agency check" in text
    assert "Police returned" in text
    assert "Rated RED" not in text


def test_a_bad_period_is_said_at_the_field_and_filters_nothing(desk: Desk) -> None:
    amira, _first, _second = two_contacts(desk.world)
    window = desk.window("sam")
    page = window.open_person(amira)
    page = person_page(desk, window)
    everything = page.chronology_model.rowCount()
    type_into(desk.qtbot, page.since_edit, "31/02/2026")
    press(desk.qtbot, page.since_edit, Qt.Key.Key_Tab, NONE)
    assert page.filter_error.isVisible()
    assert "no such date" in page.filter_error.text()
    assert page.since_edit.property("invalid")
    assert page.chronology_model.rowCount() == everything
    page.since_edit.clear()
    type_into(desk.qtbot, page.since_edit, "01/01/2099")
    press(desk.qtbot, page.since_edit, Qt.Key.Key_Tab, NONE)
    assert not page.filter_error.isVisible()
    assert page.chronology_model.rowCount() == 0
    assert page.count_label.text() == f"0 of {everything} entries, newest first"


def test_a_correction_with_its_reason_and_another_name(desk: Desk, dialogs: Dialogs) -> None:
    logged = intake.log_contact(desk.world.sam, contact_draft(desk.world.clock))
    (amira,) = logged.child_person_ids
    window = desk.window("sam")
    window.open_person(amira)
    page = person_page(desk, window)
    change = CorrectionAnswer(PersonCorrection(first_language="Urdu"), "short", {}, False)
    good = CorrectionAnswer(
        PersonCorrection(first_language="Urdu"), "The mother says Urdu is spoken at home.", {}, False
    )
    dialogs.answer("correct_person", change, None)  # refused, reopened with the message, then cancelled
    with unchanged(desk.world.db, "a correction with no reason"):
        press(desk.qtbot, page.chronology_view, Qt.Key.Key_E)
        desk.qtbot.waitUntil(lambda: len(dialogs.of("correct_person")) == 2, timeout=15_000)
        desk.settle()
    reopened = dialogs.of("correct_person")[1]
    assert "reason" in reopened.errors  # the message at the field
    assert reopened.kwargs["answer"] is change  # and what was typed, kept
    dialogs.answer("correct_person", good)
    press(desk.qtbot, page.chronology_view, Qt.Key.Key_E)
    desk.qtbot.waitUntil(lambda: page.record is not None and page.record.person.first_language == "Urdu")
    desk.settle()
    assert page.record is not None
    assert "The mother says Urdu" in page.identity_labels["corrections"].text()
    dialogs.answer("alias", AliasAnswer("Amirah", "Begum"))
    press(desk.qtbot, page.chronology_view, Qt.Key.Key_N, CTRL_SHIFT)
    desk.qtbot.waitUntil(lambda: "Amirah Begum" in page.identity_labels["names"].text(), timeout=15_000)


def test_found_by_search_and_from_the_intake_matches(desk: Desk, dialogs: Dialogs) -> None:
    amira, _first, _second = two_contacts(desk.world)
    assert person_query("Amira Hussain 04/05/2019") is not None
    assert person_query("943 476 5919") is not None
    assert person_query("a") is None
    window = desk.window("sam")
    dialogs.answer("find_person", amira)
    press(desk.qtbot, window.queues, Qt.Key.Key_P, CTRL_SHIFT)
    page = person_page(desk, window)
    assert page.person_id == amira
    # the intake's possible matches: Ctrl+O opens the selected record in its own tab
    press(desk.qtbot, window.queues, Qt.Key.Key_N)
    form = window.intake
    assert form is not None
    child = form.child_editors[0]
    type_into(desk.qtbot, child.line("given_names"), "Amira")
    type_into(desk.qtbot, child.line("family_name"), "Husain")
    with desk.qtbot.waitSignal(form.matches.searched, timeout=15_000):
        form.matches.search_now()
    desk.settle()
    assert form.matches.selected() is not None
    press(desk.qtbot, child.line("family_name"), Qt.Key.Key_O)
    assert person_page(desk, window) is page  # already open: its tab is shown
    assert window.intake is form  # the contact being typed is still there


def test_a_partner_and_a_restricted_record(desk: Desk, dialogs: Dialogs) -> None:
    amira, first, second = two_contacts(desk.world)
    police = desk.window("pc_jones")
    police.open_person(amira)
    page = person_page(desk, police)
    assert [c.contact_id for c in page.contacts_model.rows()] == [first]
    assert "correct" not in page.buttons  # a partner agency corrects nothing
    restrictions.restrict_record(desk.world.maria, person_id=amira, reason="Child of a member of staff.")
    priya = desk.window("priya")
    dialogs.answer("break_glass", None)  # Priya chooses not to
    restricted = priya.open_person(amira)
    desk.qtbot.waitUntil(lambda: not Shiboken.isValid(restricted) or restricted not in priya.person_pages())
    assert len(dialogs.of("break_glass")) == 1
    assert "person.open" not in [line.action for line in audit_lines(desk.world.db) if line.login.startswith("priya")]
    # the manager who restricted it still reads it, with every contact
    assert {c.contact_id for c in open_person_record(desk.world.maria, amira).contacts} == {first, second}


def test_the_correction_dialog_sends_only_what_changed_and_marks_a_bad_date(
    desk: Desk, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    logged = intake.log_contact(desk.world.sam, contact_draft(desk.world.clock))
    (amira,) = logged.child_person_ids
    record = open_person_record(desk.world.sam, amira)
    monkeypatch.setattr(CorrectPersonDialog, "exec", lambda _self: 0)  # built and driven here, never shown modal
    dialog = CorrectPersonDialog(None, record)
    qtbot.addWidget(dialog)
    dialog.show()
    born = dialog.lines["date_of_birth"]
    assert born.text() == "04/05/2019"
    born.selectAll()
    QTest.keyClicks(born, "31/02/2019")
    type_into(qtbot, dialog.lines["first_language"], "Urdu")
    QTest.keyClick(dialog.interpreter, Qt.Key.Key_Space)
    type_into(qtbot, dialog.reason, "The mother says Urdu; the date was mistyped.")
    dialog.try_accept()
    assert dialog.result_answer() is None
    assert born.property("invalid")
    born.selectAll()
    QTest.keyClicks(born, "05/04/2019")
    dialog.try_accept()
    answer = dialog.answer()
    assert answer.correction == PersonCorrection(
        date_of_birth=date(2019, 4, 5), first_language="Urdu", interpreter_needed=True
    )
    assert answer.reason == "The mother says Urdu; the date was mistyped."


def test_find_a_person_by_typing_then_enter(desk: Desk, qtbot: QtBot) -> None:
    amira, _first, _second = two_contacts(desk.world)
    window = desk.window("sam")
    dialog = FindPersonDialog(window.context, window)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.matches.searched, timeout=15_000):
        type_into(qtbot, dialog.query_edit, "Amirah Husain")
    assert dialog.matches.selected() is not None
    dialog.matches.view.setFocus()
    QTest.keyClick(dialog.matches.view, Qt.Key.Key_O, CTRL)
    assert dialog.chosen == amira


def test_a_child_without_a_upn_says_why_in_words(desk: Desk) -> None:
    """The reason given at intake (the census code UN3) is shown as the reason, not as the code."""
    logged = intake.log_contact(desk.world.sam, contact_draft(desk.world.clock, child(upn_unknown="UN3")))
    (amira,) = logged.child_person_ids
    window = desk.window("sam")
    window.open_person(amira)
    page = person_page(desk, window)
    identifiers = page.identity_labels["identifiers"].text()
    assert "UPN: not known — educated outside England" in identifiers
    assert "UN3" not in identifiers
