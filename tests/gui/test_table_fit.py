"""The read-only tables that grow to their rows: no column but the last is crushed to a sliver."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from mash_desk.gui.dialogs.conflict import ConflictDialog


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
