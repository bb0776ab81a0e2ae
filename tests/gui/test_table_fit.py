"""The read-only tables that grow to their rows: as tall as their rows, never a scroll bar of their own,
and no column crushed to a sliver: the narrow ones keep their width, the widest wrap, and the last (the
one that says the most) keeps its share (issue 15: the contact's sections)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QTableWidget, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from mash_desk.domain.enums import ContactStatus
from mash_desk.gui.dialogs.conflict import ConflictDialog
from mash_desk.gui.widgets import LAST_COLUMN_SHARE, NARROWEST_LIMIT, fill_table
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import open_contact
from tests.support import case_at


def test_the_conflict_dialogs_middle_column_is_not_crushed(qtbot: QtBot) -> None:
    dialog = ConflictDialog(
        None,
        reference="MASH-0000042",
        changed_by="Priya Shah",
        changed_at=datetime(2026, 3, 10, 10, 0, tzinfo=UTC),
        theirs={"Status": "Screened, waiting for agency checks", "Latest entry": "Rated AMBER — Priya Shah"},
        yours={"Reason": "Amira's disclosure suggests domestic abuse in the home now."},
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    qtbot.waitUntil(lambda: table.columnWidth(1) > 150)  # was held at 60 px: "Scree…", a word a line
    assert table.columnWidth(2) > 150  # and the last column still has room


LONG = "Two domestic abuse call-outs to the address in 2025; the mother's partner was cautioned for assault."


def shown_table(qtbot: QtBot, width: int, headers: list[str], rows: list[list[str]]) -> tuple[QWidget, QTableWidget]:
    """A table filled as the contact's are, in a page ``width`` wide (the page is returned to keep it)."""
    page = QWidget()
    qtbot.addWidget(page)
    layout = QVBoxLayout(page)
    table = QTableWidget(page)
    layout.addWidget(table)
    page.resize(width, 400)
    page.show()
    qtbot.waitExposed(page)
    fill_table(table, headers, rows)
    return page, table


def wanted(table: QTableWidget, column: int) -> int:
    """How wide ``column`` would be on one line: its widest cell, or its heading."""
    return max(table.sizeHintForColumn(column), table.horizontalHeader().sectionSizeHint(column))


def widths(table: QTableWidget) -> list[int]:
    return [table.horizontalHeader().sectionSize(c) for c in range(table.columnCount())]


def test_a_wordy_middle_column_wraps_instead_of_crushing_the_last(qtbot: QtBot) -> None:
    _page, table = shown_table(
        qtbot,
        520,
        ["Child", "Known facts", "Decision"],
        [["Yusuf Hussain", f"Urdu — INTERPRETER NEEDED; {LONG}", "Returned by the manager: propose again"]],
    )
    child, facts, decision = widths(table)
    assert child == wanted(table, 0)  # the name keeps its width: it does not wrap
    assert facts < wanted(table, 1)  # the widest gives way
    assert decision >= int(table.viewport().width() * LAST_COLUMN_SHARE)


def test_narrow_columns_keep_their_width_and_the_last_takes_the_rest(qtbot: QtBot) -> None:
    _page, table = shown_table(
        qtbot,
        520,
        ["Agency", "Asked", "Due", "State", "Summary / question"],
        [["Police", "07 Dec 17:02", "07 Dec 18:02", "returned 07 Dec 17:02", LONG]],
    )
    sections = widths(table)
    for column in range(3):  # the agency and the two dates: on one line each
        assert sections[column] == wanted(table, column), sections
    assert sections[3] >= min(NARROWEST_LIMIT, wanted(table, 3)), sections
    assert sum(sections) == table.viewport().width()


def test_the_contacts_tables_show_every_row_without_a_scroll_bar(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    case = case_at(desk.world, ContactStatus.AGENCY_CHECKS)
    window = desk.window("sam")
    window.resize(1100, 800)  # the right-hand column is narrow: the case for wrapping
    view = open_contact(desk, window, case.id)
    desk.qtbot.waitUntil(lambda: view.tables["agency_table"].viewport().width() > 300, timeout=5_000)
    for name, table in view.tables.items():
        if not table.isVisible() or table.rowCount() == 0:
            continue
        rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
        assert table.viewport().height() >= rows, name  # every row in sight
        assert not table.verticalScrollBar().isVisible(), name
        assert not table.horizontalScrollBar().isVisible(), name
        assert sum(widths(table)) <= table.viewport().width() + 1, f"{name}: {widths(table)}"
