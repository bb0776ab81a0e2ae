"""The risk tools in the window, by keyboard: the DASH answered with Y/N/K and scored as it goes, the
MARAC referral made from the saved answers (the contact stays where it was), a Graded Care Profile 2
compared with the child's previous one, the licence an administrator sets, and the overdue reviews."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mash_desk.domain.chronology import EntryKind
from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.periods import london_date
from mash_desk.domain.risk import CarerParticipation, DashLevel
from mash_desk.gui.dialogs.dash import DashAnswer, DashDialog, VictimChoice
from mash_desk.gui.dialogs.gcp import ChildGcp, GcpAnswer, GcpDialog
from mash_desk.services import admin, risk_tools
from mash_desk.services.context import utc_now
from mash_desk.services.risk_tools import GcpHistory, GcpRow, MaracReferral
from mash_desk.store.models import AuditEvent, Contact, DashAssessment, GcpAssessment, User
from tests.gui.admin.test_admin_area import admin_window, go
from tests.gui.conftest import Desk, Dialogs, Shown
from tests.gui.helpers import CTRL, CTRL_SHIFT, act, open_contact, press
from tests.gui.test_person_record import person_page
from tests.support import case_at, gcp_review

VICTIM = [VictimChoice(7, "Layla Hussain")]


def shown(qtbot: QtBot, dialog: DashDialog | GcpDialog) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def ok(dialog: DashDialog | GcpDialog) -> None:
    QTest.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)


# --- the dialogs themselves --------------------------------------------------------------------------


def test_the_dash_is_answered_with_y_n_and_k_and_scored_as_the_answers_come(qtbot: QtBot) -> None:
    dialog = DashDialog(None, "MASH-0000042", VICTIM)
    shown(qtbot, dialog)
    assert dialog.table.hasFocus()
    assert dialog.victim_combo.currentText() == "Layla Hussain"
    QTest.keyClicks(dialog.table, "y" * 9)
    assert dialog.table.currentRow() == 9  # each answer moves on to the next question
    assert "9 yes of 9 answered" in dialog.score_label.text()
    assert "STANDARD" in dialog.score_label.text()
    QTest.keyClick(dialog.table, Qt.Key.Key_Y)
    assert "MEDIUM" in dialog.score_label.text()  # the 10th yes, at once
    QTest.keyClicks(dialog.table, "yyyy")
    assert "14 yes of 14 answered" in dialog.score_label.text()
    assert "HIGH" in dialog.score_label.text()
    assert dialog.score_label.text().startswith("⚠")  # not colour alone
    QTest.keyClicks(dialog.table, "nnnnnnnnkk")
    # a change of mind: back up to question 1 and answer no
    QTest.keyClick(dialog.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    dialog.table.setCurrentCell(0, 0)
    QTest.keyClick(dialog.table, Qt.Key.Key_N)
    assert "13 yes of 24 answered" in dialog.score_label.text()
    assert "MEDIUM" in dialog.score_label.text()
    ok(dialog)
    answer = dialog.result_answer()
    assert answer == DashAnswer(7, (False,) + (True,) * 13 + (False,) * 8 + (None,) * 2, False, "")


def test_blank_questions_and_a_judgement_without_a_reason_are_shown_at_their_fields(qtbot: QtBot) -> None:
    dialog = DashDialog(None, "MASH-0000042", VICTIM)
    shown(qtbot, dialog)
    QTest.keyClicks(dialog.table, "nnnnnnnnnnnnnnnnnnnnn")  # 21 of 24
    QTest.keyClick(dialog.judgement_check, Qt.Key.Key_Space)
    assert dialog.reason_edit.isEnabled()
    assert "HIGH risk on professional judgement" in dialog.score_label.text()
    ok(dialog)
    assert dialog.result_answer() is None
    assert "22, 23, 24" in (dialog.errors.message_at("answers") or "")
    assert "professional judgement" in (dialog.errors.message_at("judgement_reason") or "")
    dialog.table.setFocus()
    QTest.keyClicks(dialog.table, "kkk")
    QTest.keyClicks(dialog.reason_edit, "Threats to kill last night.")
    ok(dialog)
    answer = dialog.result_answer()
    assert answer is not None
    assert answer.professional_judgement
    assert answer.judgement_reason == "Threats to kill last night."


def _history(grades: dict[str, int], *, overdue: bool = False) -> GcpHistory:
    row = GcpRow(
        1,
        5,
        1,
        "MASH-0000001",
        grades,
        True,
        CarerParticipation.FULL,
        None,
        date(2026, 11, 1),
        "Grace Okafor",
        datetime(2026, 9, 1, 10, tzinfo=UTC),
        reviewed=False,
        overdue=overdue,
    )
    return GcpHistory(5, "Amira Hussain", (row,))


def test_the_gcp_shows_each_grade_against_the_last_and_needs_the_carers_part(qtbot: QtBot) -> None:
    previous = {"physical_care": 4, "safety": 3, "love_and_belonging": 2, "esteem": 3}
    today = date(2026, 12, 7)
    dialog = GcpDialog(None, "MASH-0000042", [ChildGcp(5, "Amira Hussain", _history(previous, overdue=True))], today)
    shown(qtbot, dialog)
    assert "⚠" in dialog.previous_label.text()
    assert "review was due" in dialog.previous_label.text()
    spins = dialog.spins
    assert spins["physical_care"].hasFocus()
    for area, digit in (("physical_care", "2"), ("safety", "3"), ("love_and_belonging", "4"), ("esteem", "3")):
        spins[area].selectAll()
        QTest.keyClicks(spins[area], digit)
    assert "better" in dialog.changes["physical_care"].text()
    assert "same" in dialog.changes["safety"].text()
    assert "WORSE" in dialog.changes["love_and_belonging"].text()
    assert dialog.review_edit.day() == today + timedelta(weeks=8)
    ok(dialog)
    assert dialog.result_answer() is None
    assert "took part" in (dialog.errors.message_at("carer_participation") or "")
    dialog.participation_combo.setFocus()
    QTest.keyClick(dialog.participation_combo, Qt.Key.Key_Down)  # took part throughout
    QTest.keyClick(dialog.consent_check, Qt.Key.Key_Space)
    QTest.keyClicks(dialog.targets_edit, "Meals every day; a bedtime routine.")
    ok(dialog)
    assert dialog.result_answer() == GcpAnswer(
        5,
        {"physical_care": 2, "safety": 3, "love_and_belonging": 4, "esteem": 3},
        CarerParticipation.FULL,
        True,
        today + timedelta(weeks=8),
        "Meals every day; a bedtime routine.",
    )


# --- from the contact, through the services ---------------------------------------------------------


def _drive_dash(desk: Desk, keys: str) -> object:
    def answer(shown_: Shown) -> DashAnswer | None:
        parent, reference, victims = shown_.args
        dialog = DashDialog(parent, reference, victims)
        shown(desk.qtbot, dialog)
        QTest.keyClicks(dialog.table, keys)
        ok(dialog)
        return dialog.result_answer()

    return answer


def test_a_dash_from_the_contact_goes_to_a_marac_referral_and_the_contact_stays(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    case = case_at(world, ContactStatus.SCREENED)
    window = desk.window("sam")
    view = open_contact(desk, window, case.id)
    assert "dash" in view.buttons
    assert "marac" in view.buttons
    status = view.detail.status if view.detail else None
    # no DASH yet: the MARAC referral says what to do first
    dialogs.answer("notice", None)
    press(desk.qtbot, view.scroll_area, Qt.Key.Key_M, CTRL)
    desk.qtbot.waitUntil(lambda: bool(dialogs.of("notice")), timeout=10_000)
    assert "No DASH" in dialogs.of("notice")[0].text()
    dialogs.answer("dash", _drive_dash(desk, "y" * 15 + "n" * 7 + "kk"))
    dialogs.answer("confirm", True)
    referrals: list[MaracReferral] = []
    dialogs.answer("marac", lambda shown_: referrals.append(shown_.args[0]))
    detail = act(desk, view, Qt.Key.Key_I, CTRL_SHIFT)
    desk.qtbot.waitUntil(lambda: bool(referrals), timeout=15_000)
    assert "15 yes" in dialogs.of("confirm")[0].text()
    with world.db.session() as session:
        saved = session.scalars(select(DashAssessment)).one()
        assert (saved.answers, saved.yes_count, saved.level) == ("Y" * 15 + "N" * 7 + "--", 15, DashLevel.HIGH.value)
        assert session.get(Contact, case.id).status == status  # type: ignore[union-attr]
        dash_id = saved.id
    referral = referrals[0]
    assert referral.dash_id == dash_id
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(referral.pdf)).pages)
    assert "OFFICIAL – SENSITIVE" in text
    assert "15 of 24 answered yes" in text
    assert detail.status == status  # MARAC never moves the contact: it is still there to decide


def test_a_gcp2_needs_the_licence_then_is_recorded_from_the_contact(desk: Desk, dialogs: Dialogs) -> None:
    world = desk.world
    case = case_at(world, ContactStatus.SCREENED)
    window = desk.window("sam")
    view = open_contact(desk, window, case.id)
    grades = {"physical_care": 4, "safety": 3, "love_and_belonging": 2, "esteem": 3}
    review_on = london_date(utc_now()) + timedelta(weeks=8)  # the window works on the real clock
    answer = GcpAnswer(case.child_ids[0], grades, CarerParticipation.FULL, True, review_on, "Meals.")
    dialogs.answer("gcp", answer)
    dialogs.answer("error", None)
    view.scroll_area.setFocus()
    press(desk.qtbot, view.scroll_area, Qt.Key.Key_Y, CTRL_SHIFT)
    desk.qtbot.waitUntil(lambda: bool(dialogs.of("error")), timeout=10_000)
    assert "licensed" in dialogs.of("error")[0].text()
    with world.db.session() as session:  # refused: no GCP2; only the reading of the child's GCP2s is audited
        assert session.scalar(select(func.count(GcpAssessment.id))) == 0
        assert set(session.scalars(select(AuditEvent.action).where(AuditEvent.actor_login == world.logins["sam"]))) >= {
            "gcp.history"
        }
        assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "gcp.record")) == 0
    admin.set_user_gcp_licensed(world.admin, world.logins["sam"], True)
    dialogs.answer("gcp", answer)
    act(desk, view, Qt.Key.Key_Y, CTRL_SHIFT)
    shown_ = dialogs.of("gcp")[-1]
    children = shown_.args[2]
    assert [c.person_id for c in children] == list(case.child_ids)
    with world.db.session() as session:
        assert session.scalar(select(func.count(GcpAssessment.id))) == 1
    # the next one for the same child is compared with it
    dialogs.answer("gcp", None)
    act_and_cancel = view.buttons["gcp"]
    QTest.mouseClick(act_and_cancel, Qt.MouseButton.LeftButton)
    desk.qtbot.waitUntil(lambda: len(dialogs.of("gcp")) == 3, timeout=10_000)
    history = dialogs.of("gcp")[-1].args[2][0].history
    assert history is not None
    assert history.latest is not None
    assert history.latest.grades == grades


def test_the_administrator_marks_a_gcp2_licence_from_the_users_page(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window, area = admin_window(desk)
    go(desk, window, Qt.Key.Key_3)
    page = area.users
    desk.qtbot.waitUntil(lambda: page.model.rowCount() > 5, timeout=10_000)
    sam = desk.world.logins["sam"]
    page.select(sam)
    assert "not licensed" in page.licence_form.title()
    press(desk.qtbot, page, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    desk.qtbot.waitUntil(lambda: "Remove" in page.licence_button.text(), timeout=10_000)
    assert next(u for u in admin.list_users(desk.world.admin) if u.username == sam).gcp_licensed
    desk.settle()
    press(desk.qtbot, page, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    desk.qtbot.waitUntil(lambda: "Mark" in page.licence_button.text().replace("&", ""), timeout=10_000)
    assert not next(u for u in admin.list_users(desk.world.admin) if u.username == sam).gcp_licensed


def test_an_overdue_review_reaches_the_service_the_managers_page_reads(desk: Desk) -> None:
    world = desk.world
    case = case_at(world, ContactStatus.SCREENED)
    admin.set_user_gcp_licensed(world.admin, world.logins["sam"], True)
    grades = {"physical_care": 4, "safety": 3, "love_and_belonging": 2, "esteem": 3}
    risk_tools.record_gcp(
        world.sam, case.id, case.child_ids[0], grades, carer_consent=True, **gcp_review(world, weeks=6)
    )
    world.clock.advance(days=50)
    due = risk_tools.overdue_gcp_reviews(world.maria)
    assert [d.child_id for d in due] == [case.child_ids[0]]
    assert due[0].review_on < london_date(world.clock())


def test_the_manager_sees_overdue_reviews_and_opens_the_contact_with_enter(desk: Desk, dialogs: Dialogs) -> None:
    """The window works on today's clock: the GCP2 is written as recorded 10 weeks ago, due 2 weeks ago."""
    del dialogs
    world = desk.world
    case = case_at(world, ContactStatus.SCREENED)
    now = utc_now()
    with world.db.session(write=True) as session:
        gina = session.scalars(select(User.id).where(User.username == world.logins["maria"])).one()
        session.add(
            GcpAssessment(
                contact_id=case.id,
                child_id=case.child_ids[0],
                physical_care=5,
                safety=3,
                love_and_belonging=2,
                esteem=3,
                carer_consent=True,
                carer_participation=CarerParticipation.PARTIAL,
                review_on=london_date(now) - timedelta(weeks=2),
                assessor_id=gina,
                assessed_at=now - timedelta(weeks=10),
            )
        )
    window = desk.window("maria")
    area = window.manager_area
    assert area is not None
    press(desk.qtbot, window.queues, Qt.Key.Key_8, CTRL)
    desk.settle()
    page = area.reviews
    assert page is not None
    desk.qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert "OVERDUE" in page.summary_label.text()
    assert "OVERDUE by 14 days" in str(page.model.index(0, 1).data())
    page.panel.view.setFocus()
    page.panel.view.setCurrentIndex(page.panel.proxy.index(0, 0))
    press(desk.qtbot, page.panel.view, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    desk.qtbot.waitUntil(lambda: getattr(window.workspace.currentWidget(), "contact_id", None) == case.id)


def test_a_gcp2_from_the_childs_own_record_needs_no_contact(desk: Desk, dialogs: Dialogs) -> None:
    """Ctrl+O from the contact opens the child's record; Ctrl+Shift+Y there records a GCP2 on no contact,
    and the chronology shows it once saved."""
    world = desk.world
    case = case_at(world, ContactStatus.SCREENED)
    admin.set_user_gcp_licensed(world.admin, world.logins["sam"], True)
    window = desk.window("sam")
    view = open_contact(desk, window, case.id)
    press(desk.qtbot, view.scroll_area, Qt.Key.Key_O)
    page = person_page(desk, window)
    assert page.person_id == case.child_ids[0]
    assert "gcp" in page.buttons
    grades = {"physical_care": 3, "safety": 2, "love_and_belonging": 2, "esteem": 3}
    review_on = london_date(utc_now()) + timedelta(weeks=6)
    dialogs.answer("gcp", GcpAnswer(case.child_ids[0], grades, CarerParticipation.UNABLE, False, review_on, ""))
    with desk.qtbot.waitSignal(page.loaded, timeout=15_000):
        press(desk.qtbot, page.chronology_view, Qt.Key.Key_Y, CTRL_SHIFT)
    shown_ = dialogs.of("gcp")[0]
    assert [c.person_id for c in shown_.args[2]] == [case.child_ids[0]]
    with world.db.session() as session:
        saved = session.scalars(select(GcpAssessment)).one()
        assert saved.contact_id is None
        assert saved.carer_participation is CarerParticipation.UNABLE
    gcp_rows = [row for row in page.chronology_model.rows() if row.kind is EntryKind.GCP2]
    assert len(gcp_rows) == 1
    assert "could not take part and did not consent" in gcp_rows[0].what
