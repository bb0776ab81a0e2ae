"""Enter, Space or a click on a dashboard tile lists the cases it counts — as many rows as the number on
the tile — and Enter on a row opens that row's contact."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.periods import london_date
from mash_desk.gui.manager.dashboard_page import DashboardPage
from mash_desk.gui.manager.tile_contacts import TileColumn, TileContactsModel, TileContactsPanel
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.theme import Theme
from mash_desk.services.context import ServiceContext
from mash_desk.services.dashboard_tiles import LISTED_TILES, TileContact, TileContacts, TileUnit
from mash_desk.services.manager import measure_tiles
from mash_desk.store.database import Database
from mash_desk.tools.demo import generate_demo
from tests.gui.conftest import Dialogs, window_context
from tests.gui.manager.conftest import Bench
from tests.services.test_dashboard_tiles import shown_on_tiles
from tests.support import case_at, child
from tests.tools.test_demo import CONTACTS, NOW


def shown_page(qtbot: QtBot, page: DashboardPage) -> None:
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()


def test_a_tile_opens_the_contacts_behind_it(bench: Bench, dialogs: Dialogs) -> None:
    del dialogs
    world = bench.world
    decided = case_at(world, ContactStatus.AUTHORISED, child("Amira", "Hussain"))
    waiting = case_at(world, ContactStatus.SCREENED, child("Leo", "Brennan"))
    page = DashboardPage(bench.window(world.maria))
    shown_page(bench.qtbot, page)
    opened: list[int] = []
    page.open_requested.connect(opened.append)
    with bench.qtbot.waitSignal(page.loaded, timeout=20_000):
        page.load()
    assert page.measures is not None

    received = page.tiles["contacts_received"]
    assert received.focusPolicy() == Qt.FocusPolicy.StrongFocus  # reachable by Tab
    received.setFocus()
    QTest.keyClick(received, Qt.Key.Key_Return)
    bench.qtbot.waitUntil(lambda: page.behind_panel.isVisible() and page.behind_model.rowCount() == 2)
    # the same number as the tile, one row per contact it counted
    assert page.behind_model.rowCount() == page.measures.contacts_received
    assert {page.behind_model.row_at(r).contact_id for r in range(2)} == {decided.id, waiting.id}
    assert "Contacts received" in page.behind_panel.count_label.text()
    assert page.behind_panel.view.hasFocus()

    # a list still being read when the figures are read again is for what was shown before: dropped
    received.setFocus()
    QTest.keyClick(received, Qt.Key.Key_Space)
    with bench.qtbot.waitSignal(page.loaded, timeout=20_000):
        page.load()
    bench.settle()
    assert not page.behind_panel.isVisible()

    decided_tile = page.tiles["decided_within_one_working_day"]
    QTest.mouseClick(decided_tile, Qt.MouseButton.LeftButton)
    ratio = page.measures.decided_within_one_working_day
    bench.qtbot.waitUntil(lambda: page.behind_model.rowCount() == ratio.denominator)
    in_time = [page.behind_model.index(r, TileColumn.COUNTS).data() for r in range(page.behind_model.rowCount())]
    assert sum(1 for text in in_time if text.startswith("Yes")) == ratio.numerator
    assert "the percentage is worked out over this 1 contact" in page.behind_panel.count_label.text()

    page.behind_panel.focus_table()
    QTest.keyClick(page.behind_panel.view, Qt.Key.Key_Return)
    assert opened == [decided.id]
    # the audit actions are not cases: for a manager that tile opens the case audits, where they are listed
    assert page.tiles["audit_actions_overdue"].focusPolicy() == Qt.FocusPolicy.StrongFocus


@pytest.fixture
def demo_page(qtbot: QtBot, db: Database, runner: TaskRunner, theme: Theme, dialogs: Dialogs) -> DashboardPage:
    """The dashboard on demo data as Maria (the manager) sees it, for the twelve months to the demo's today."""
    del dialogs
    generate_demo(db, contacts=CONTACTS, seed=7, now=NOW)
    maria = ServiceContext(db, "maria", clock=lambda: NOW)
    page = DashboardPage(window_context(runner, maria, theme, lambda: NOW))
    shown_page(qtbot, page)
    today = london_date(NOW)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.set_custom(date(today.year - 1, today.month, 1), today)
    return page


def test_on_demo_data_every_tile_opens_by_enter_space_and_click(qtbot: QtBot, demo_page: DashboardPage) -> None:
    page = demo_page
    assert page.measures is not None
    shown = shown_on_tiles(page.measures)
    percentages = {tile.key for tile in measure_tiles(page.measures)}
    opened: list[int] = []
    page.open_requested.connect(opened.append)

    def open_by(key: str, how: Callable[[], None]) -> None:
        page.behind_panel.hide()
        with qtbot.waitSignal(page.behind_model.loaded, timeout=20_000):
            how()
        number, part = shown[key]
        tile = page.tiles[key]
        # the number the person reads on the tile: a count, or "numerator of denominator" for a percentage
        on_tile = tile.detail_label.text() if key in percentages else tile.value_label.text()
        assert f"{number:,}" in on_tile, key
        assert page.behind_panel.isVisible(), key
        assert page.behind_model.tile_key == key
        assert page.behind_model.rowCount() == number > 0, key
        caption = page.behind_panel.count_label.text()
        assert caption.startswith(tile.title_label.text()), caption
        assert f"{number:,}" in caption, caption
        if part is not None:
            assert f"{part:,} of them " in caption, caption
            assert not page.behind_panel.view.isColumnHidden(TileColumn.COUNTS), key
            bold = [page.behind_model.row_at(r).meets for r in range(number)]
            assert sum(1 for meets in bold if meets) == part, key
        else:
            assert page.behind_panel.view.isColumnHidden(TileColumn.COUNTS), key
        assert page.behind_panel.view.hasFocus(), key

    for key in sorted(LISTED_TILES):
        tile = page.tiles[key]
        assert tile.focusPolicy() == Qt.FocusPolicy.StrongFocus, key
        tile.setFocus()
        open_by(key, partial(QTest.keyClick, tile, Qt.Key.Key_Return))
        tile.setFocus()
        open_by(key, partial(QTest.keyClick, tile, Qt.Key.Key_Space))
        open_by(key, partial(QTest.mouseClick, tile, Qt.MouseButton.LeftButton))
        # Enter on the first row opens the contact that row belongs to (a child's, a check's, a hand-off's)
        page.behind_panel.focus_table()
        QTest.keyClick(page.behind_panel.view, Qt.Key.Key_Return)
        first = page.behind_panel.current_row()
        assert opened[-1] == first.contact_id, key

    # a check names the agency asked, and a hand-off the team it waits on
    page.tiles["hand_offs_awaiting"].setFocus()
    open_by("hand_offs_awaiting", partial(QTest.keyClick, page.tiles["hand_offs_awaiting"], Qt.Key.Key_Return))
    assert not page.behind_panel.view.isColumnHidden(TileColumn.ABOUT)
    assert page.behind_model.headerData(TileColumn.ABOUT, Qt.Orientation.Horizontal) == "Waiting on team"
    assert all(page.behind_model.index(r, TileColumn.ABOUT).data() for r in range(page.behind_model.rowCount()))

    # the audit actions tile lists no cases (its actions are not cases): it asks for the case audits page
    audit = page.tiles["audit_actions_overdue"]
    page.behind_panel.hide()
    asked: list[str] = []
    page.page_requested.connect(asked.append)
    QTest.mouseClick(audit, Qt.MouseButton.LeftButton)
    audit.setFocus()
    QTest.keyClick(audit, Qt.Key.Key_Return)
    assert asked == ["audits", "audits"]
    assert not page.behind_panel.isVisible()


def test_the_caption_under_a_tile_reads_right_for_one_and_for_two(bench: Bench, dialogs: Dialogs) -> None:
    """One contact decided: "this 1 contact, 1 of 1 decided in time"; two: "these 2 contacts, … of them …"."""
    del dialogs
    world = bench.world
    case_at(world, ContactStatus.AUTHORISED, child("Amira", "Hussain"))
    page = DashboardPage(bench.window(world.maria))
    shown_page(bench.qtbot, page)

    def caption_of_decided_tile(contacts: int) -> str:
        page.behind_panel.hide()
        with bench.qtbot.waitSignal(page.loaded, timeout=20_000):
            page.load()
        with bench.qtbot.waitSignal(page.behind_model.loaded, timeout=20_000):
            QTest.mouseClick(page.tiles["decided_within_one_working_day"], Qt.MouseButton.LeftButton)
        assert page.behind_model.rowCount() == contacts
        return page.behind_panel.count_label.text()

    one = caption_of_decided_tile(1)
    assert "the percentage is worked out over this 1 contact, 1 of 1 decided in time. Enter opens it." in one, one
    assert not [words for words in ("these", "contacts", "of them") if words in one], one

    case_at(world, ContactStatus.AUTHORISED, child("Leo", "Brennan"))
    two = caption_of_decided_tile(2)
    assert "the percentage is worked out over these 2 contacts, 2 of them decided in time." in two, two
    assert "Newest first; Enter opens one." in two, two
    assert "this" not in two, two


def test_a_list_cut_short_says_its_percentage_is_of_every_one_the_tile_counts(bench: Bench, dialogs: Dialogs) -> None:
    """Beyond the most a list shows, the percentage is still of all the tile counts: the caption says so,
    and how many of them are listed (it said "these the 2 newest of 600 contacts")."""
    del dialogs
    now = bench.world.clock()
    rows = tuple(
        TileContact(n, n, f"MASH-{n}", now, "Amira Hussain", ContactStatus.AUTHORISED, now, now, meets=True)
        for n in (2, 1)
    )
    panel = TileContactsPanel(TileContactsModel(bench.window(bench.world.maria), list))
    bench.qtbot.addWidget(panel)
    listed = TileContacts("decided_within_one_working_day", TileUnit.CONTACT, rows, total=600, meeting=450)
    panel.show_listed("Decided within one working day", listed)
    assert panel.count_label.text() == (
        "Decided within one working day: the percentage is worked out over all 600 contacts, 450 of them "
        "decided in time; the 2 newest are listed. Enter opens one."
    )
