"""The Administration area, driven as an administrator would: Ctrl+digit to each page, typing, Enter
and clicks. Bad input shows at its field and changes no row; nobody but the administrator sees any
of it. On SQLite and PostgreSQL."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QWidget

from mash_desk.domain.enums import ClockKind, TimescaleKey
from mash_desk.gui.admin.area import AdminArea
from mash_desk.gui.admin.form import AdminForm
from mash_desk.gui.main_window import MainWindow
from mash_desk.services import policy
from mash_desk.services.admin import list_agencies, list_teams
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL, NONE, press, type_into
from tests.support import unchanged


def admin_window(desk: Desk) -> tuple[MainWindow, AdminArea]:
    window = desk.window("admin")
    area = window.admin_area
    assert area is not None
    return window, area


def go(desk: Desk, window: MainWindow, digit: Qt.Key) -> None:
    """Ctrl+digit from wherever the keyboard is, then wait for the page's first read."""
    focus = window.focusWidget() or window
    press(desk.qtbot, focus, digit, CTRL)
    desk.settle()


def retype(desk: Desk, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    type_into(desk.qtbot, edit, text)


def enter(desk: Desk, widget: QWidget) -> None:
    press(desk.qtbot, widget, Qt.Key.Key_Return, NONE)
    desk.settle()


def click(desk: Desk, form: AdminForm, text: str) -> None:
    button = next(b for b in form.buttons if b.text().replace("&", "") == text)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    desk.settle()


def test_only_the_administrator_has_the_administration_area(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window, area = admin_window(desk)
    assert window.workspace.tabText(window.workspace.indexOf(area)) == "Administration"
    assert area.menu is not None
    # the administrator's Reports pages are Ctrl+1 and Ctrl+2; Administration numbers on from there
    assert [a.shortcut().toString() for a in area.menu.actions()] == [f"Ctrl+{n}" for n in range(3, 10)]
    assert [p.key for p in area.pages] == ["users", "lists", "policy", "letterhead", "settings", "holds", "patterns"]
    go(desk, window, Qt.Key.Key_4)
    assert window.workspace.currentWidget() is area
    assert area.tabs.currentWidget() is area.lists
    window.close_tab(window.workspace.indexOf(area))  # Ctrl+W never closes it
    assert window.workspace.indexOf(area) >= 0
    for who in ("sam", "maria", "pc_jones", "bea", "aud"):
        other = desk.window(who)
        assert other.admin_area is None, who
        assert "A&dministration" not in [a.text() for a in other.menuBar().actions()], who
        assert all(other.workspace.tabText(i) != "Administration" for i in range(other.workspace.count())), who


def test_adding_an_agency_and_a_team_from_the_keyboard(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window, area = admin_window(desk)
    go(desk, window, Qt.Key.Key_4)
    page = area.lists
    # a code that is not a code: said at the field, nothing added
    with unchanged(desk.world.db, "a bad agency code"):
        type_into(desk.qtbot, page.agency_code, "youth justice")
        type_into(desk.qtbot, page.agency_name, "Youth Justice Service")
        enter(desk, page.agency_name)
    message = page.agency_form.message_at("code")
    assert message is not None
    assert "capital letters" in message
    assert page.agency_code.hasFocus()
    assert page.agency_name.text() == "Youth Justice Service"  # what was typed stays
    retype(desk, page.agency_code, "YOUTH_JUSTICE")
    type_into(desk.qtbot, page.agency_kind, "Other")
    enter(desk, page.agency_code)
    assert ("YOUTH_JUSTICE", "Youth Justice Service") in list_agencies(desk.world.admin)
    assert page.agency_form.message_at("code") is None
    assert "Youth Justice Service" in page.agency_form.outcome.text()
    desk.qtbot.waitUntil(lambda: page.team_agency.findData("YOUTH_JUSTICE") >= 0, timeout=10_000)

    # a team whose phone would print wrong on letters: said at the field, nothing added
    type_into(desk.qtbot, page.team_name, "Youth Justice Team")
    type_into(desk.qtbot, page.team_kind, "Partner")
    type_into(desk.qtbot, page.team_agency, "Youth")
    type_into(desk.qtbot, page.team_phone, "12")
    with unchanged(desk.world.db, "a team with a bad phone number"):
        enter(desk, page.team_phone)
    phone_message = page.team_form.message_at("phone")
    assert phone_message is not None
    assert "UK phone number" in phone_message
    retype(desk, page.team_phone, "01582 100200")
    click(desk, page.team_form, "Add team")
    teams = {name: kind for _id, name, kind in list_teams(desk.world.admin)}
    assert teams["Youth Justice Team"].value == "partner_agency"
    assert page.team_name.text() == ""
    desk.qtbot.waitUntil(lambda: any(row[1] == "Youth Justice Team" for row in page.teams.rows()), timeout=10_000)

    # the same name again is refused by the service, at the name
    type_into(desk.qtbot, page.team_name, "Youth Justice Team")
    with unchanged(desk.world.db, "a second team of the same name"):
        enter(desk, page.team_name)
    assert "already a team" in (page.team_form.message_at("name") or "")


def test_editing_a_timescale_row(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window, area = admin_window(desk)
    go(desk, window, Qt.Key.Key_5)
    page = area.policy
    assert page.view.hasFocus()
    desk.qtbot.waitUntil(lambda: page.model.rowCount() == len(TimescaleKey), timeout=10_000)
    press(desk.qtbot, page.view, Qt.Key.Key_Down, NONE)  # RED → AMBER
    assert "AMBER" in page.form.title()
    assert page.amount_edit.text() == "24"
    before = policy.read_policy(desk.world.admin)
    with unchanged(desk.world.db, "a timescale of nothing"):
        retype(desk, page.amount_edit, "0")
        enter(desk, page.amount_edit)
        assert "from 1 to" in (page.form.message_at("amount") or "")
        retype(desk, page.amount_edit, "a day")
        enter(desk, page.amount_edit)
        assert "whole number" in (page.form.message_at("amount") or "")
    assert policy.read_policy(desk.world.admin) == before
    retype(desk, page.amount_edit, "8")
    page.clock_combo.setFocus()
    type_into(desk.qtbot, page.clock_combo, "Working")  # the first that starts so: hours
    click(desk, page.form, "Save timescale")
    amber = next(r for r in policy.read_policy(desk.world.admin) if r.key is TimescaleKey.AMBER)
    assert (amber.amount, amber.clock) == (8, ClockKind.WORKING_HOURS.value)
    assert page.form.message_at("amount") is None
    assert "8 working hours" in page.form.outcome.text()
    desk.qtbot.waitUntil(lambda: "AMBER" in page.form.title() and page.amount_edit.text() == "8", timeout=10_000)


def test_the_letterhead_with_its_sample_letter(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window, area = admin_window(desk)
    page = area.letterhead
    with desk.qtbot.waitSignal(page.preview_shown, timeout=20_000):
        go(desk, window, Qt.Key.Key_6)
    assert page.organisation_edit.hasFocus()
    assert page.organisation_edit.text() == "Multi-Agency Safeguarding Hub"
    assert page.document is not None
    assert page.document.pageCount() >= 1
    assert "saved letterhead" in page.preview_caption.text()
    retype(desk, page.organisation_edit, "Bedford Borough MASH")
    retype(desk, page.email_edit, "mash at bedford")
    with unchanged(desk.world.db, "a letterhead with a bad e-mail"):
        enter(desk, page.email_edit)
    assert "not an e-mail address" in (page.form.message_at("email") or "")
    assert page.email_edit.hasFocus()
    assert policy.read_letterhead(desk.world.admin).organisation == "Multi-Agency Safeguarding Hub"
    retype(desk, page.email_edit, "mash@bedford.gov.uk")
    with desk.qtbot.waitSignal(page.preview_shown, timeout=20_000):
        click(desk, page.form, "Preview sample letter")
    assert "NOT YET SAVED" in page.preview_caption.text()
    with desk.qtbot.waitSignal(page.preview_shown, timeout=20_000):
        click(desk, page.form, "Save letterhead")
    saved = policy.read_letterhead(desk.world.sam)
    assert saved.organisation == "Bedford Borough MASH"
    assert saved.email == "mash@bedford.gov.uk"
    assert saved.address_lines[-1] == "LU1 2BQ"
    assert "saved letterhead" in page.preview_caption.text()


def test_dashboard_targets_and_the_idle_lock_time(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window, area = admin_window(desk)
    go(desk, window, Qt.Key.Key_7)
    page = area.settings
    first = page.target_edits["decided_within_one_working_day"]
    desk.qtbot.waitUntil(lambda: first.text() == "95", timeout=10_000)
    assert first.hasFocus()
    with unchanged(desk.world.db, "targets out of range"):
        retype(desk, first, "120")
        retype(desk, page.target_edits["nfa"], "lots")
        enter(desk, first)
    # what is not a number is said before anything is sent
    assert "percentage" in (page.targets_form.message_at("targets.nfa") or "")
    retype(desk, page.target_edits["nfa"], "")
    with unchanged(desk.world.db, "a target over 100"):
        enter(desk, first)
    assert "0 to 100" in (page.targets_form.message_at("targets.decided_within_one_working_day") or "")
    retype(desk, first, "80%")
    retype(desk, page.target_edits["re_referrals"], "")
    click(desk, page.targets_form, "Save targets")
    targets = policy.dashboard_targets(desk.world.maria)
    assert targets["decided_within_one_working_day"] == 80.0
    assert targets["re_referrals"] is None
    assert targets["nfa"] is None

    minutes = page.minutes_edit
    assert minutes.text() == "15"
    with unchanged(desk.world.db, "an idle lock of 45 minutes"):
        retype(desk, minutes, "45")
        enter(desk, minutes)
        assert "1 to 30 minutes" in (page.lock_form.message_at("idle_lock_minutes") or "")
        retype(desk, minutes, "soon")
        enter(desk, minutes)
        assert "whole number" in (page.lock_form.message_at("idle_lock_minutes") or "")
    retype(desk, minutes, "5")
    enter(desk, minutes)
    assert policy.idle_lock_minutes(desk.world.sam) == 5
    assert page.lock_form.message_at("idle_lock_minutes") is None


def test_the_local_authority_code_is_set_once_for_the_hub(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window, area = admin_window(desk)
    go(desk, window, Qt.Key.Key_7)
    page = area.settings
    desk.settle()
    assert page.la_edit.text() == ""  # nobody has set it yet
    with unchanged(desk.world.db, "an LA code of two digits"):
        retype(desk, page.la_edit, "82")
        enter(desk, page.la_edit)
    assert "three digits" in (page.la_form.message_at("la") or "")
    retype(desk, page.la_edit, "821")
    click(desk, page.la_form, "Save LA code")
    assert page.la_form.message_at("la") is None
    assert policy.hub_la_code(desk.world.maria) == "821"


def test_a_refused_service_call_shows_in_the_form_banner(desk: Desk, dialogs: Dialogs) -> None:
    """If the service refuses (the login lost its job between reading and saving), the form says so."""
    del dialogs
    window, area = admin_window(desk)
    go(desk, window, Qt.Key.Key_7)
    page = area.settings
    desk.qtbot.waitUntil(lambda: page.minutes_edit.text() == "15", timeout=10_000)
    page._ctx = desk.world.maria  # the same form, saved by someone who is not an administrator
    with unchanged(desk.world.db, "a manager changing the lock time"):
        retype(desk, page.minutes_edit, "5")
        enter(desk, page.minutes_edit)
    assert "administrator" in page.lock_form.banner_text()


def test_the_family_letter_hold_policy_is_seen_and_changed_from_the_keyboard(desk: Desk, dialogs: Dialogs) -> None:
    from mash_desk.domain.enums import Outcome
    from mash_desk.domain.family_letters import HoldTrigger
    from mash_desk.store.models import AuditEvent

    del dialogs
    window, area = admin_window(desk)
    go(desk, window, Qt.Key.Key_8)
    page = area.holds
    assert area.tabs.currentWidget() is page
    shown = {(row.trigger, row.code): row.holds for row in page.model.rows()}
    # the defaults a hub starts with
    for held in ("STRATEGY_S47", "EMERGENCY_PROTECTION", "MARAC"):
        assert shown[(HoldTrigger.OUTCOME, held)], held
    assert shown[(HoldTrigger.CONCERN, "domestic_abuse")]
    assert shown[(HoldTrigger.ALLEGED_PERPETRATOR, "named")]
    assert not shown[(HoldTrigger.OUTCOME, "NFA")]
    # MARAC is selected first; Early Help is made to hold, with Space and Enter
    assert page.holds_check.isChecked()
    page.select(HoldTrigger.OUTCOME, Outcome.EARLY_HELP.value)
    assert not page.holds_check.isChecked()
    page.holds_check.setFocus()
    QTest.keyClick(page.holds_check, Qt.Key.Key_Space)
    click(desk, page.form, "Save")
    assert "now held for a social worker" in page.form.outcome.text()
    rows = {(r.trigger, r.code): r.holds for r in policy.read_family_letter_holds(desk.world.admin)}
    assert rows[(HoldTrigger.OUTCOME, "EARLY_HELP")]
    with desk.world.db.session() as session:
        from sqlalchemy import select

        actions = list(
            session.scalars(select(AuditEvent.action).where(AuditEvent.action == "policy.family_letter_hold"))
        )
    assert actions == ["policy.family_letter_hold"]
