"""The manager's, the administrator's and the partnership pages work from the keyboard, like the forms
in ``test_keyboard_forms``: each page, shown in the window of someone whose role sees it, has unique Alt
keys (clear of the menu bar's), a label for every field, and Tab from any widget reaches every other."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.periods import london_date
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.partnership.audit_case_page import AuditCasesPage
from mash_desk.services import exercises, restrictions
from tests.audit_cases import decided_cases, set_up
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import open_restricted_records
from tests.gui.test_keyboard_forms import check_keyboard
from tests.services.test_exercises import closed_case_naming_the_family
from tests.support import case_at

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # the widgets are the same whatever the database


def check_every_page(desk: Desk, window: MainWindow, area_name: str) -> list[str]:
    """Show each page of one area in turn and check it; the keys of the pages checked."""
    area = getattr(window, area_name)
    assert area is not None, f"{area_name} is missing from this person's window"
    checked, problems = [], []
    for page in list(area.pages):
        area.show_page(page.key)
        desk.settle()
        try:
            check_keyboard(desk.qtbot, window)
        except AssertionError as exc:  # every page's problems at once, not only the first page's
            problems.append(f"{area_name} {page.key}: {exc}".splitlines()[0])
        checked.append(page.key)
    assert problems == [], "\n".join(problems)
    return checked


def test_the_managers_pages(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    case = case_at(desk.world, ContactStatus.AWAITING_AUTHORISATION)
    case_at(desk.world, ContactStatus.AWAITING_ACCEPTANCE)  # a hand-off not yet accepted, and its letters
    window = desk.window("maria")
    assert len(check_every_page(desk, window, "manager_area")) == 9
    area = window.manager_area
    assert area is not None
    assert area.decisions is not None
    area.show_page("decisions")
    decisions = area.decisions
    assert decisions.select_contact(case.id)
    decisions.review.read_now()
    desk.settle()
    assert decisions.review.detail is not None, "the decision is under review"
    check_keyboard(desk.qtbot, window)  # the review beside the queue: the children's decisions, its buttons
    area.show_page("letters")
    letters = area.letters
    assert letters is not None
    letters.day_edit.set_day(london_date(desk.world.clock()))  # the day the world's contacts were decided
    with desk.qtbot.waitSignal(letters.listed, timeout=20_000):
        letters.list_day()
    assert letters.model.rowCount() > 0, "the day's letters are listed"
    with desk.qtbot.waitSignal(letters.preview_shown, timeout=20_000):
        letters.panel.view.selectRow(0)
    desk.settle()
    check_keyboard(desk.qtbot, window)  # a letter's preview beside the list


def test_the_partnership_pages(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window = desk.window("maria")
    assert len(check_every_page(desk, window, "partnership_area")) == 6


def test_the_administrators_pages(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window = desk.window("admin")
    assert len(check_every_page(desk, window, "admin_area")) == 7
    assert check_every_page(desk, window, "manager_area") == ["dashboard", "exports"]
    assert check_every_page(desk, window, "partnership_area") == ["supervision", "pack"]


def test_the_auditors_pages(desk: Desk, dialogs: Dialogs) -> None:
    """An auditor's supervision page has no form to record one: its focus is on the table instead."""
    del dialogs
    window = desk.window("aud")
    assert check_every_page(desk, window, "manager_area") == ["dashboard", "exports", "restricted"]
    assert len(check_every_page(desk, window, "partnership_area")) == 5


def test_an_audit_as_its_auditor_and_its_grader_see_it(desk: Desk, dialogs: Dialogs) -> None:
    """The audit pages with an audit set up: its cases and actions, and a case to grade with its questions."""
    del dialogs
    decided_cases(desk.world, 2)
    set_up(desk.world, size=2)
    auditor = desk.window("aud")
    assert "audits" in check_every_page(desk, auditor, "partnership_area")
    grader = desk.window("sam")
    area = grader.partnership_area
    assert area is not None
    area.show_page("audit_cases")
    desk.settle()
    page = area.page("audit_cases")
    assert isinstance(page, AuditCasesPage)
    desk.qtbot.waitUntil(lambda: page.view is not None, timeout=10_000)
    desk.settle()
    assert page.answer_combos, "the case's questions are shown to grade"
    check_keyboard(desk.qtbot, grader)


def test_an_exercise_as_its_manager_and_a_rater_see_it(desk: Desk, dialogs: Dialogs) -> None:
    """The exercise pages with an exercise open: its vignettes and results, and a vignette to rate."""
    del dialogs
    world = desk.world
    exercise_id = exercises.create_exercise(world.maria, "Neglect thresholds, spring")
    references = [f"MASH-{closed_case_naming_the_family(world):07d}" for _ in range(2)]
    exercises.add_contacts(world.maria, exercise_id, ", ".join(references))
    for vignette in exercises.vignettes(world.maria, exercise_id):
        exercises.review_vignette(world.maria, vignette.id, vignette.text, vignette.version)
    exercises.open_exercise(world.maria, exercise_id)
    assert "exercises" in check_every_page(desk, desk.window("maria"), "partnership_area")
    assert "vignettes" in check_every_page(desk, desk.window("sam"), "partnership_area")


def test_a_lists_heading_alt_key_goes_to_what_the_list_shows(desk: Desk, dialogs: Dialogs) -> None:
    """Restricted records with nothing restricted hide their tables: the heading's Alt key (Alt+I, Restrictions
    in force) goes to the list's filter, where it did nothing; once a record is restricted, to its table."""
    del dialogs
    case = case_at(desk.world, ContactStatus.SCREENED)
    window = desk.window("maria")
    page = open_restricted_records(desk, window)
    panel = page.restrictions_panel
    assert page.restrictions_model.rowCount() == 0
    assert not panel.view.isVisibleTo(window), "an empty list hides its table"

    def alt_i() -> QWidget | None:
        window.setFocus()
        QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
        return QApplication.focusWidget()

    assert alt_i() is panel.filter_edit
    # and a screen reader landing there hears why: the list is empty
    assert panel.filter_edit.accessibleDescription() == panel.empty_label.text() != ""

    restrictions.restrict_record(desk.world.maria, contact_id=case.id, reason="A member of staff's own family.")
    page.reload()
    desk.settle()
    desk.qtbot.waitUntil(lambda: page.restrictions_model.rowCount() == 1)
    assert alt_i() is panel.view
    assert panel.filter_edit.accessibleDescription() == ""
