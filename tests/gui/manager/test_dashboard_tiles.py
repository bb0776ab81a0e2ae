"""Enter (or a click) on a dashboard tile lists the contacts it counts, and Enter on one opens it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from mash_desk.domain.enums import ContactStatus
from mash_desk.gui.manager.dashboard_page import DashboardPage
from mash_desk.gui.manager.tile_contacts import TileColumn
from tests.gui.conftest import Dialogs
from tests.gui.manager.conftest import Bench
from tests.support import case_at, child


def test_a_tile_opens_the_contacts_behind_it(bench: Bench, dialogs: Dialogs) -> None:
    del dialogs
    world = bench.world
    decided = case_at(world, ContactStatus.AUTHORISED, child("Amira", "Hussain"))
    waiting = case_at(world, ContactStatus.SCREENED, child("Leo", "Brennan"))
    page = DashboardPage(bench.window(world.maria))
    bench.qtbot.addWidget(page)
    opened: list[int] = []
    page.open_requested.connect(opened.append)
    page.resize(1400, 900)
    page.show()
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

    decided_tile = page.tiles["decided_within_one_working_day"]
    QTest.mouseClick(decided_tile, Qt.MouseButton.LeftButton)
    ratio = page.measures.decided_within_one_working_day
    bench.qtbot.waitUntil(lambda: page.behind_model.rowCount() == ratio.denominator)
    in_time = [page.behind_model.index(r, TileColumn.COUNTS).data() for r in range(page.behind_model.rowCount())]
    assert sum(1 for text in in_time if text.startswith("yes")) == ratio.numerator

    page.behind_panel.focus_table()
    QTest.keyClick(page.behind_panel.view, Qt.Key.Key_Return)
    assert opened == [decided.id]
    # a tile that does not list contacts does nothing on Enter and takes no focus
    assert page.tiles["nfa"].focusPolicy() == Qt.FocusPolicy.NoFocus
