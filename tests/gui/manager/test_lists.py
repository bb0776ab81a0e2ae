"""The manager's lists: every item model passes Qt's model tester; unaccepted hand-offs go overdue in words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mash_desk.domain.enums import ContactStatus, LetterMethod, LetterRecipient
from mash_desk.gui.manager.figures_model import VALUE_ROLE, FigureTableModel, count, percent, text
from mash_desk.gui.manager.letters_page import LetterLine, LetterListModel
from mash_desk.gui.manager.models import DecisionColumn, DecisionQueueModel, PendingHandOffColumn, PendingHandOffModel
from mash_desk.gui.manager.reassign_dialog import ReassignAnswer, ReassignDialog, Worker
from mash_desk.gui.manager.work_pages import HandOffsPage
from mash_desk.gui.table_models import SORT_KEY_ROLE
from mash_desk.services.dashboard import Ratio
from mash_desk.services.letters import LetterJob
from mash_desk.services.manager import decisions_awaiting
from mash_desk.services.queues import pending_hand_offs
from tests.gui.helpers import check_model
from tests.gui.manager.conftest import Bench
from tests.support import case_at, child


def test_every_manager_model_passes_the_model_tester(bench: Bench, qtmodeltester: ModelTester) -> None:
    world = bench.world
    waiting = case_at(world, ContactStatus.AWAITING_AUTHORISATION, child("Amira", "Hussain"))
    case_at(world, ContactStatus.AWAITING_ACCEPTANCE, child("Leo", "Brennan"))
    decisions = DecisionQueueModel(bench.window(world.maria), lambda: decisions_awaiting(world.maria))
    decisions.reload()
    bench.settle()
    assert decisions.rowCount() == 1
    check_model(qtmodeltester, decisions)
    assert decisions.data(decisions.index(0, DecisionColumn.REFERENCE), Qt.ItemDataRole.DisplayRole).startswith("MASH")
    assert decisions.row_at(0).contact_id == waiting.id
    handoffs = PendingHandOffModel(bench.window(world.maria), lambda: pending_hand_offs(world.maria))
    handoffs.reload()
    bench.settle()
    assert handoffs.rowCount() == 1
    check_model(qtmodeltester, handoffs)
    job = LetterJob(waiting.id, "MASH-0000001", LetterRecipient.FAMILY, "Layla Hussain", LetterMethod.POST)
    letters = LetterListModel(bench.theme, world.clock)
    letters.set_rows([LetterLine(job), LetterLine(job, "domestic abuse: the perpetrator may read it")])
    check_model(qtmodeltester, letters)
    figures = FigureTableModel(["Measure", "Count", "Percent"])
    figures.set_rows(
        [[text("Contacts"), count(12), percent(Ratio(3, 4))], [text("None"), count(0), percent(Ratio(0, 0))]]
    )
    check_model(qtmodeltester, figures)
    assert figures.data(figures.index(0, 2), VALUE_ROLE) == 75.0
    assert figures.data(figures.index(1, 2)) == "n/a"
    assert figures.data(figures.index(1, 2), SORT_KEY_ROLE) == -1.0


def test_unaccepted_hand_offs_go_overdue_unmistakably(bench: Bench) -> None:
    world = bench.world
    case = case_at(world, ContactStatus.AWAITING_ACCEPTANCE)
    page = HandOffsPage(bench.window(world.maria))
    bench.qtbot.addWidget(page)
    page.reload()
    bench.settle()
    cell = page.model.index(0, PendingHandOffColumn.ACCEPT_BY)
    assert "OVERDUE" not in page.model.data(cell)
    assert page.model.data(page.model.index(0, PendingHandOffColumn.TEAM)) == "Assessment Team"
    world.clock.advance(days=5)  # nobody has accepted it
    page.reload()
    bench.settle()
    assert page.model.row_at(0).contact_id == case.id
    assert page.model.data(cell).startswith("OVERDUE")
    assert page.model.data(cell, Qt.ItemDataRole.FontRole).bold()
    assert page.model.data(cell, Qt.ItemDataRole.DecorationRole) is not None  # an icon, not colour alone
    assert "1 OVERDUE" in page.summary_label.text()
    assert page.summary_label.property("banner") == "error"


def test_the_reassign_dialog_asks_who_and_why_and_says_what_is_missing(qtbot: QtBot) -> None:
    workers = [Worker("priya", "Priya Shah", "MASH Team"), Worker("ava", "Ava Green", "Assessment Team")]
    dialog = ReassignDialog(None, "MASH-0000007", "Sam Carter", workers)
    qtbot.addWidget(dialog)
    assert dialog.worker_combo.count() == 3  # a prompt, then each worker with their team
    assert dialog.worker_combo.itemText(1) == "Priya Shah (MASH Team)"
    dialog.try_accept()
    assert dialog.result_answer() is None
    assert dialog.errors.message_at("worker") == "Choose who takes the work."
    assert dialog.errors.message_at("reason") == "Say why the work is moving."
    dialog.set_answer(ReassignAnswer("ava", "Needs an assessment-team worker."))
    dialog.try_accept()
    assert dialog.result_answer() == ReassignAnswer("ava", "Needs an assessment-team worker.")
