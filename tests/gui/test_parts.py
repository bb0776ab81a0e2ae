"""The small parts the screens are built from: the task runner, words for times, dates as typed,
messages at fields, and the draft file."""

from __future__ import annotations

import gc
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot
from shiboken6 import Shiboken

from mash_desk.domain.errors import DatabaseUnavailable, MashDeskError
from mash_desk.gui.field_errors import FieldErrorDisplay
from mash_desk.gui.intake_draft import DraftFile
from mash_desk.gui.person_editors import parse_day
from mash_desk.gui.signals import emit
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.words import time_left_words

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def test_work_runs_off_the_gui_thread_and_reports_back_on_it(qtbot: QtBot, runner: TaskRunner) -> None:
    gui_thread = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(value: int) -> None:
        seen["delivered"] = threading.get_ident()
        seen["value"] = value

    with qtbot.waitSignal(runner.idle, timeout=5_000):
        runner.run(work, done)
    assert seen["worker"] != gui_thread
    assert seen["delivered"] == gui_thread
    assert seen["value"] == 42


def test_expected_errors_go_to_their_handler_and_bugs_to_the_crash_handler(qtbot: QtBot, runner: TaskRunner) -> None:
    failures: list[MashDeskError] = []

    def unavailable() -> None:
        raise DatabaseUnavailable("The database server could not be reached.")

    with qtbot.waitSignal(runner.idle, timeout=5_000):
        runner.run(unavailable, lambda _v: None, failures.append)
    assert [str(f) for f in failures] == ["The database server could not be reached."]

    with qtbot.captureExceptions() as bugs, qtbot.waitSignal(runner.idle, timeout=5_000):
        runner.run(lambda: 1 // 0, lambda _v: None)
    assert len(bugs) == 1
    assert bugs[0][0] is ZeroDivisionError


def test_a_result_for_a_closed_window_is_dropped(qtbot: QtBot, runner: TaskRunner) -> None:
    owner = QWidget()
    delivered: list[int] = []
    release = threading.Event()
    with qtbot.waitSignal(runner.idle, timeout=5_000):
        runner.run(lambda: release.wait(5) and 7, delivered.append, owner=owner)
        owner.deleteLater()
        qtbot.waitUntil(lambda: not _alive(owner))
        release.set()
    assert delivered == []


def _alive(widget: QWidget) -> bool:
    return bool(Shiboken.isValid(widget))


def test_the_busy_indicator_only_shows_for_work_longer_than_a_moment(qtbot: QtBot, qapp: QApplication) -> None:
    runner = TaskRunner(qapp, busy_delay_ms=50)
    release = threading.Event()
    with qtbot.waitSignal(runner.busy_changed, timeout=3_000) as busy:
        runner.run(lambda: release.wait(5), lambda _v: None)
    assert busy.args == [True]
    with qtbot.waitSignal(runner.busy_changed, timeout=3_000) as idle:
        release.set()
    assert idle.args == [False]
    runner.shutdown()


@pytest.mark.parametrize(
    ("due", "words"),
    [
        (NOW + timedelta(hours=3, minutes=12), "3h 12m left"),
        (NOW - timedelta(hours=3, minutes=12), "OVERDUE 3h 12m"),
        (NOW - timedelta(days=2, hours=5), "OVERDUE 2d 5h"),
        (NOW + timedelta(minutes=9), "9m left"),
        (NOW + timedelta(seconds=30), "due now"),
        (NOW, "due now"),
    ],
)
def test_time_left_is_worded_so_overdue_cannot_be_missed(due: datetime, words: str) -> None:
    assert time_left_words(due, NOW) == words


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("04/05/2019", date(2019, 5, 4)), ("4.5.2019", date(2019, 5, 4)), ("2019-05-04", date(2019, 5, 4)), ("  ", None)],
)
def test_dates_are_read_the_way_people_type_them(typed: str, expected: date | None) -> None:
    assert parse_day(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/2016", "yesterday", "4/5/19"])
def test_a_date_that_is_not_one_says_how_to_write_it(typed: str) -> None:
    with pytest.raises(ValueError, match=r"date|day"):
        parse_day(typed)


def test_messages_appear_under_their_field_and_the_rest_in_the_banner(qtbot: QtBot) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    layout = QFormLayout(page)
    banner = QLabel(page)
    layout.addRow(banner)
    name, phone = QLineEdit(page), QLineEdit(page)
    layout.addRow("Name", name)
    layout.addRow("Phone", phone)
    page.show()
    display = FieldErrorDisplay(banner)
    display.bind("referrer.name", name)
    display.bind("referrer.phone", phone)
    first = display.show({"referrer.phone": "Too short.", "children": "Name a child."}, summary="Nothing was saved.")
    assert first is phone
    assert display.message_at("referrer.phone") == "Too short."
    assert display.message_at("referrer.name") is None
    assert banner.text() == "Nothing was saved.\nName a child."
    assert phone.property("invalid") is True
    display.clear()
    assert display.message_at("referrer.phone") is None
    assert not banner.isVisible()
    assert phone.property("invalid") is False


def layout_items_held() -> int:
    """How many of Qt's layout items (not layouts) Python holds a wrapper of."""
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, QLayoutItem) and not isinstance(o, QLayout))


def test_placing_a_message_leaves_no_layout_item_wrapper_to_dangle(qtbot: QtBot) -> None:
    """PySide keeps every item ``QLayout.itemAt`` hands out for as long as the layout lives, pointing at
    freed memory once Qt deletes the item: a later object at that address was answered by it, and Qt
    crashed opening a contact after the intake form had shown its messages. The field is found without."""
    page = QWidget()
    qtbot.addWidget(page)
    outer = QVBoxLayout(page)
    banner = QLabel(page)
    outer.addWidget(banner)
    row = QHBoxLayout()
    outer.addLayout(row)
    name = QLineEdit(page)
    row.addWidget(QLabel("Name", page))
    row.addWidget(name)
    page.show()
    display = FieldErrorDisplay(banner)
    display.bind("name", name)
    held = layout_items_held()
    display.show({"name": "Needed."})
    assert layout_items_held() == held
    [message] = [label for label in page.findChildren(QLabel) if label.text() == "⚠ Needed."]
    assert row.indexOf(message) == row.indexOf(name) + 1  # in the field's own row, right after it


def test_a_draft_is_written_whole_and_read_back(tmp_path: Path) -> None:
    draft = DraftFile("sam o'brien", tmp_path)
    assert draft.load() is None
    draft.save({"top": {"narrative": "Half a senten"}, "children": [{"date_of_birth": "31/0"}]})
    assert draft.path.name == "intake-sam_o_brien.json"
    assert not list(tmp_path.glob("*.tmp"))
    loaded = draft.load()
    assert loaded is not None
    assert loaded.state["children"][0]["date_of_birth"] == "31/0"
    draft.path.write_text("{ not json", encoding="utf-8")
    assert draft.load() is None  # a broken draft is kept for IT, never crashes the form
    assert draft.exists()
    draft.delete()
    draft.delete()
    assert not draft.exists()


def test_emitting_signals_all_day_keeps_true_alive(qapp: QApplication) -> None:
    """PySide6 6.12.0's emit() drops a reference to True; the helper gives it back (see signals.py)."""
    del qapp

    class Ticker(QObject):
        ticked = Signal(int)

    ticker = Ticker()
    ticker.ticked.connect(lambda _n: None)
    before = sys.getrefcount(True)
    for n in range(5000):  # a day of once-a-second countdowns, near enough
        emit(ticker.ticked, n)
    assert abs(sys.getrefcount(True) - before) <= 2
