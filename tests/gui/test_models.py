"""Every item model passes Qt's model tester, pages on demand, and counts down without colour alone."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mash_desk.domain.enums import ContactStatus, Rag
from mash_desk.gui.inbox_models import AgencyRequestTableModel, HandOffTableModel
from mash_desk.gui.person_matches import PersonMatchModel
from mash_desk.gui.queue_model import QueueColumn, QueueTableModel
from mash_desk.gui.table_models import ROW_ROLE, SORT_KEY_ROLE, Cell
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.theme import Theme
from mash_desk.services import intake, screening
from mash_desk.services.queues import Queue, QueueRow, agency_requests, pending_hand_offs
from mash_desk.services.search import PersonQuery, find_people
from tests.gui.conftest import window_context
from tests.gui.helpers import check_model
from tests.support import World, case_at, child, contact_draft


def settle(qtbot: QtBot, runner: TaskRunner) -> None:
    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=15_000)


def test_the_queue_model_pages_on_demand_and_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, world: World, runner: TaskRunner, theme: Theme
) -> None:
    for number in range(7):
        intake.log_contact(world.bea, contact_draft(world.clock, child("Child", f"Family{number}")))
    model = QueueTableModel(window_context(runner, world.bea, theme, world.clock), Queue.UNASSIGNED, page_size=3)
    check_model(qtmodeltester, model)  # the tester asks for the first page, as a view would
    settle(qtbot, runner)
    assert model.rowCount() == 3
    assert model.total == 7
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        settle(qtbot, runner)
    assert model.rowCount() == 7
    check_model(qtmodeltester, model)
    dues = [model.row_at(r).due_at for r in range(7)]
    assert dues == sorted(dues)  # most urgent first
    first = model.index(0, QueueColumn.TIME_LEFT)
    assert isinstance(model.data(first, SORT_KEY_ROLE), float)
    assert isinstance(model.data(first, ROW_ROLE), QueueRow)


def test_overdue_work_says_so_in_words_and_with_an_icon(
    qtbot: QtBot, world: World, runner: TaskRunner, theme: Theme
) -> None:
    logged = intake.log_contact(
        world.sam, contact_draft(world.clock, received_at=world.clock() - timedelta(hours=6), assign_to_me=True)
    )
    screening.rate(world.sam, logged.id, Rag.RED)  # due 4 hours after receipt: 2 hours ago
    model = QueueTableModel(window_context(runner, world.sam, theme, world.clock), Queue.MINE)
    model.reload()
    settle(qtbot, runner)
    cell = model.index(0, QueueColumn.TIME_LEFT)
    assert model.data(cell) == "OVERDUE 2h 0m"
    assert not model.data(cell, Qt.ItemDataRole.DecorationRole).isNull()
    assert model.data(model.index(0, QueueColumn.RAG)) == "RED"
    assert model.data(model.index(0, QueueColumn.STATUS)) == "Screened"
    world.clock.advance(minutes=30)  # the countdown is live: the next tick says so
    with qtbot.waitSignal(model.dataChanged, timeout=3_000):
        pass
    assert model.data(cell) == "OVERDUE 2h 30m"


def test_each_cell_is_worked_out_once_a_second_however_often_qt_asks(
    qtbot: QtBot, world: World, runner: TaskRunner, theme: Theme
) -> None:
    """Painting, sizing a column and sorting ask for each cell's text, font, icon, colours and sort key;
    working the cell out afresh for every question was most of a queue's first paint (issue 11)."""
    logged = intake.log_contact(world.sam, contact_draft(world.clock, assign_to_me=True))
    model = QueueTableModel(window_context(runner, world.sam, theme, world.clock), Queue.MINE)
    model.reload()
    settle(qtbot, runner)
    worked_out: list[tuple[int, int]] = []
    work_out = model.cell

    def counting(row: QueueRow, column: int, now: datetime) -> Cell:
        worked_out.append((row.contact_id, column))
        return work_out(row, column, now)

    model.cell = counting  # type: ignore[method-assign]  # counting the model's own cells
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.DecorationRole, SORT_KEY_ROLE)
    time_left = model.index(0, QueueColumn.TIME_LEFT)
    before = [model.data(time_left, role) for role in roles]
    assert [model.data(time_left, role) for role in roles] == before
    assert worked_out == [(logged.id, QueueColumn.TIME_LEFT)]
    model.data(model.index(0, QueueColumn.RAG))
    assert len(worked_out) == 2  # another column is another cell
    world.clock.advance(seconds=1)  # a second on, the countdown is worked out again
    model.data(time_left)
    assert worked_out[-1] == (logged.id, QueueColumn.TIME_LEFT)
    assert len(worked_out) == 3
    world.clock.advance(minutes=5)
    assert model.data(time_left) != before[0]  # and says so: five minutes less left


def test_a_changed_contact_is_updated_moved_or_removed_in_place(
    qtbot: QtBot, qtmodeltester: ModelTester, world: World, runner: TaskRunner, theme: Theme
) -> None:
    first = intake.log_contact(world.bea, contact_draft(world.clock))
    second = intake.log_contact(world.bea, contact_draft(world.clock, child("Leo", "Brennan")))
    model = QueueTableModel(window_context(runner, world.sam, theme, world.clock), Queue.UNASSIGNED)
    model.reload()
    settle(qtbot, runner)
    check_model(qtmodeltester, model)
    assert model.rowCount() == 2
    screening.rate(world.priya, first.id, Rag.RED)  # priya takes it: it leaves the unassigned queue
    third = intake.log_contact(world.bea, contact_draft(world.clock, child("Mia", "Novak")))
    with qtbot.waitSignal(model.rowsRemoved, timeout=5_000):
        model.apply_changes((first.id, third.id))
    settle(qtbot, runner)
    assert [model.row_at(r).contact_id for r in range(model.rowCount())] == [second.id, third.id]
    assert model.total == 2


def test_the_inbox_and_match_models_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, world: World, runner: TaskRunner, theme: Theme
) -> None:
    requested = case_at(world, ContactStatus.AGENCY_CHECKS)
    case_at(world, ContactStatus.AWAITING_ACCEPTANCE, child("Tom", "Reed"))
    police = AgencyRequestTableModel(
        window_context(runner, world.police, theme, world.clock), lambda: agency_requests(world.police)
    )
    handoffs = HandOffTableModel(
        window_context(runner, world.ava, theme, world.clock), lambda: pending_hand_offs(world.ava, mine_only=True)
    )
    for model in (police, handoffs):
        check_model(qtmodeltester, model)
        model.reload()
    settle(qtbot, runner)
    assert police.rowCount() == 1
    assert police.row_at(0).contact_id == requested.id
    assert handoffs.rowCount() == 1
    for model in (police, handoffs):
        check_model(qtmodeltester, model)
    matches = PersonMatchModel(theme, world.clock)
    check_model(qtmodeltester, matches)
    matches.set_rows(find_people(world.sam, PersonQuery("Amira", "Husain")))
    assert matches.rowCount() >= 1
    check_model(qtmodeltester, matches)
    assert "RE-REFERRAL" in matches.data(matches.index(0, 2))
