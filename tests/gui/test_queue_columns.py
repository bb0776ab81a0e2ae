"""What a queue row says at a glance: the children's ages, the concerns, when it came in, every flag in
words with the icons explained under the table, most urgent first by the one urgency rule; the Worker
column only where it differs between rows; front-door work only for the front door."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QSortFilterProxyModel, Qt

from mash_desk.domain.ages import child_age
from mash_desk.domain.enums import Concern, ContactStatus, Rag
from mash_desk.domain.periods import london_date
from mash_desk.gui.child_words import age_words
from mash_desk.gui.queue_model import QueueColumn
from mash_desk.gui.queue_panels import MAX_COLUMN, QueuePanel
from mash_desk.gui.table_models import SORT_KEY_ROLE
from mash_desk.services import intake, restrictions, screening
from mash_desk.services.context import utc_now
from mash_desk.services.queues import Queue
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import open_queue, open_restricted_records
from tests.support import World, case_at, child, contact_draft


def _log(world: World, given: str, *, hours_ago: float, danger: bool = False) -> int:
    draft = contact_draft(world.clock, child(given, "Nowak"))
    draft.received_at = world.clock() - timedelta(hours=hours_ago)
    draft.immediate_danger = danger
    return intake.log_contact(world.bea, draft).id


def _shown(proxy: QSortFilterProxyModel, column: int) -> list[str]:
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def test_the_team_queue_puts_danger_and_overdue_red_above_an_overdue_green(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    world = desk.world
    late_green = _log(world, "Green", hours_ago=80)
    late_red = _log(world, "Red", hours_ago=5)
    on_time = _log(world, "Later", hours_ago=1)
    danger = _log(world, "Danger", hours_ago=0.5, danger=True)
    screening.rate(world.sam, late_green, Rag.GREEN)
    screening.rate(world.sam, late_red, Rag.RED)
    window = desk.window("priya")
    panel = open_queue(desk, window, "team")
    proxy = panel.proxy
    children = _shown(proxy, QueueColumn.CHILDREN)
    # the window runs on today's clock, months after the test hub's day: all four are overdue now, so
    # danger, then RED, then not yet rated (it may be RED: nobody has looked), and GREEN last, although
    # GREEN's deadline passed first
    assert children == ["Danger Nowak", "Red Nowak", "Later Nowak", "Green Nowak"]
    # the table's own sort (by the time-left column) keeps the same order after a re-sort
    panel.view.sortByColumn(QueueColumn.CHILDREN, Qt.SortOrder.AscendingOrder)
    panel.view.sortByColumn(QueueColumn.TIME_LEFT, Qt.SortOrder.AscendingOrder)
    assert _shown(proxy, QueueColumn.CHILDREN) == children
    keys = [proxy.index(row, QueueColumn.TIME_LEFT).data(SORT_KEY_ROLE) for row in range(proxy.rowCount())]
    assert keys == sorted(keys)
    del on_time, danger, late_red


def test_a_row_shows_ages_concerns_received_and_every_flag(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    world = desk.world
    # logged on the test hub's day, shown on today's clock: a baby born nine days before that day
    draft = contact_draft(
        world.clock, child("Amira", "Hussain", dob=date(2026, 3, 1)), child("Baby", "Hussain", dob=None)
    )
    draft.children[1].expected_date_of_birth = date(2026, 6, 1)
    draft.concerns = {Concern.DOMESTIC_ABUSE, Concern.NEGLECT}
    first = intake.log_contact(world.bea, draft)
    # the same child again: a re-referral, and (handed on) an open case with a team
    earlier = case_at(world, ContactStatus.ACCEPTED, child("Leo", "Brennan"))
    leo = child("Leo", "Brennan", existing_person_id=earlier.child_ids[0])  # the same child's record
    again = intake.log_contact(world.bea, contact_draft(world.clock, leo))
    window = desk.window("priya")
    panel = open_queue(desk, window, "unassigned")
    assert isinstance(panel, QueuePanel)
    model = window.queues.queue_models[Queue.UNASSIGNED]
    row_of = {model.row_at(i).contact_id: i for i in range(model.rowCount())}

    def cell(contact_id: int, column: QueueColumn) -> str:
        return str(model.index(row_of[contact_id], column).data())

    expected = age_words(child_age(date(2026, 3, 1), None, london_date(utc_now())))
    assert expected.endswith(("days", "weeks", "months", "years"))
    assert cell(first.id, QueueColumn.AGES) == f"{expected}, unborn"
    assert cell(first.id, QueueColumn.CONCERNS) == "Neglect, Domestic abuse"
    assert cell(first.id, QueueColumn.RECEIVED)  # when it came in, in words
    flags = cell(again.id, QueueColumn.FLAGS)
    assert "Re-referral" in flags
    assert "Open case" in flags  # both visible: one never hides the other
    # the icons are explained on screen, not only in tooltips
    assert panel.legend.isVisible()
    for words in ("Immediate danger", "Re-referral", "Open case", "Overdue"):
        assert words in panel.legend.entries
    # "Unassigned" and "My work" have no Worker column: it would say the same on every row
    assert panel.view.isColumnHidden(QueueColumn.WORKER)
    assert open_queue(desk, window, "mine").view.isColumnHidden(QueueColumn.WORKER)
    assert not open_queue(desk, window, "team").view.isColumnHidden(QueueColumn.WORKER)


def test_the_assessment_team_sees_no_unassigned_queue_and_no_take_next(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    intake.log_contact(desk.world.bea, contact_draft(desk.world.clock, child("Amira", "Hussain")))
    ava = desk.window("ava")
    keys = [tab.key for tab in ava.queues.tab_list]
    assert "unassigned" not in keys
    assert "handoffs" in keys
    assert not ava.take_next_action.isVisible()
    assert not ava.take_next_action.isEnabled()
    sam = desk.window("sam")
    assert "unassigned" in [tab.key for tab in sam.queues.tab_list]
    assert sam.take_next_action.isEnabled()


def test_a_manager_has_one_decision_queue(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    maria = desk.window("maria")
    assert "decisions" not in [tab.key for tab in maria.queues.tab_list]  # the Manager area's page is the one
    assert maria.manager_area is not None


def test_a_queue_tab_out_of_sight_is_measured_when_it_is_first_shown(desk: Desk, dialogs: Dialogs) -> None:
    """Measuring a column asks for every cell in it: a tab nobody is looking at waits until it is shown
    (issue 11: three tabs measured, again and again, were a third of the first paint), and is then sized
    as the tab in sight was, every word whole."""
    del dialogs
    world = desk.world
    for hours_ago in (80, 5, 1):
        _log(world, "Measured", hours_ago=hours_ago)
    window = desk.window("priya")
    team = next(tab.panel for tab in window.queues.tab_list if tab.key == "team")
    assert isinstance(team, QueuePanel)
    desk.qtbot.waitUntil(lambda: team.model.rowCount() == 3, timeout=15_000)
    desk.settle()
    assert not team.isVisible()
    narrow = team.view.columnWidth(QueueColumn.CHILDREN)
    shown = open_queue(desk, window, "team")
    assert shown is team
    desk.qtbot.waitUntil(lambda: team.view.columnWidth(QueueColumn.CHILDREN) != narrow)
    for column in (QueueColumn.CHILDREN, QueueColumn.TIME_LEFT, QueueColumn.STATUS):
        assert team.view.columnWidth(column) >= team.view.sizeHintForColumn(column)


def test_the_last_column_stretches_to_show_a_long_reason_whole_where_there_is_room(
    desk: Desk, dialogs: Dialogs
) -> None:
    """A long text gives way to MAX_COLUMN as a column is measured, but the last column, which stretches to
    fill the table, was held to that width too: a restriction's reason was cut short beside empty space."""
    del dialogs
    case = case_at(desk.world, ContactStatus.SCREENED)
    reason = (
        "The children's mother works in our children's services, in the team that would assess them: "
        "a member of staff's family."
    )
    restrictions.restrict_record(desk.world.maria, contact_id=case.id, reason=reason)
    window = desk.window("maria")
    window.resize(1440, 900)
    page = open_restricted_records(desk, window)
    panel = page.restrictions_panel
    desk.qtbot.waitUntil(lambda: page.restrictions_model.rowCount() == 1)
    desk.settle()
    last = panel.proxy.columnCount() - 1
    needed = panel.view.sizeHintForColumn(last)
    assert needed > MAX_COLUMN, "the reason is longer than a measured column may be"
    assert panel.view.columnWidth(last) >= needed, "and the last column shows it whole"
    # a glass break's reason is its list's last column too, so it shows whole in the same way
    restrictions.break_glass(desk.world.priya, contact_id=case.id, reason=reason)
    page.reload()
    desk.qtbot.waitUntil(lambda: page.breaks_model.rowCount() == 1)
    desk.settle()
    breaks = page.breaks_panel
    last = breaks.proxy.columnCount() - 1
    assert breaks.model.headerData(last, Qt.Orientation.Horizontal) == "Their reason"
    assert breaks.view.columnWidth(last) >= breaks.view.sizeHintForColumn(last) > MAX_COLUMN
