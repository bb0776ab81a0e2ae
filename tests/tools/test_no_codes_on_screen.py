"""No screen shows a person an internal code.

Every screen and dialog of ``mash-desk screenshots`` is rendered from the demo data of each database,
in both themes, and every text a person can read is checked: labels, buttons, group and tab titles,
window titles, combo items, placeholders, read-only text, every item view's cells and headers, the
charts' axes and the status bar. Tooltips may name codes (the CIN census code behind a source, say);
nothing else may. The forbidden codes are built from the enums and the CIN code lists themselves, so
a new enum or code is covered without touching this file.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from pathlib import Path

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QChartView
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from sqlalchemy import select

from mash_desk.domain import cin, cin_census, enums
from mash_desk.services.admin import DEFAULT_AGENCIES
from mash_desk.services.context import utc_now
from mash_desk.store.database import Database
from mash_desk.store.models import Agency
from mash_desk.tools.demo import generate_demo
from tests.support import reset_postgres

# as in tests/gui: the offscreen platform says this once per window shown; anything else still fails
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

# Capitalised on purpose, never codes: the RAG ratings (shown in capitals so no one depends on colour)
# and acronyms people say as words.
WORDS_IN_CAPITALS = frozenset({"RED", "AMBER", "GREEN", "MASH", "MARAC", "LADO", "FGM", "CSE", "CCE"})
# Two- and three-letter CIN disability codes (PC, LD, MOB…) are also ordinary abbreviations ("PC Dan
# Jones"); they are never shown on their own, and the longer codes and the lettered ones stand for them.
SHORTEST_LETTER_CODE = 4
ROWS_READ = 300  # of each item view: every screen's first screenfuls and then some, in bounded time


def _enums() -> list[type[Enum]]:
    return [
        member
        for _name, member in inspect.getmembers(enums, inspect.isclass)
        if issubclass(member, Enum) and member.__module__ == enums.__name__
    ]


def _code_like(token: str) -> bool:
    if token in WORDS_IN_CAPITALS or not token:
        return False
    if "_" in token:  # snake_case or SCREAMING_SNAKE: a stored value, never a word
        return True
    if token.isupper() and token.isalpha():
        return True
    return any(c.isdigit() for c in token) and any(c.isalpha() for c in token)  # N1, 1A, RC8


def forbidden_tokens() -> frozenset[str]:
    """Codes that must never be read on a screen: each enum's values and names, in the forms they leak in."""
    tokens: set[str] = set()
    for enum in _enums():
        for member in enum:
            for form in (member.name, str(member.value)):
                if not form or form.isdigit():
                    continue
                # "police" in a sentence is a word; "POLICE" or "social_care" is the code showing
                candidates = {form.upper()} if form.islower() and form.isalpha() else {form, form.upper()}
                tokens.update(c for c in candidates if _code_like(c))
    # the agencies' codes ("DA_SERVICE") are stored values too; the demo's own agencies are added per database
    tokens.update(code for code, _name, _kind in DEFAULT_AGENCIES if _code_like(code))
    lettered = [*cin.REFERRAL_SOURCES, *cin.PRIMARY_NEEDS, *cin.UPN_UNKNOWN_REASONS, cin_census.CLOSED_NFA]
    tokens.update(code for code in lettered if _code_like(code))
    tokens.update(
        code for code in (*cin.ETHNICITIES, *cin.DISABILITIES) if len(code) >= SHORTEST_LETTER_CODE and _code_like(code)
    )
    return frozenset(tokens)


FORBIDDEN = forbidden_tokens()
_TOKEN = re.compile(r"[A-Za-z0-9_]+")
# "6 — Police", "N1 — Abuse or neglect": a CIN code put in front of its words (digit-only codes too); not
# the minutes of a time ("07 Dec 20:10 — Sam Carter": the suite failed at ten past the hour)
_CODE_IN_FRONT = re.compile(
    r"(?<![\w/:.])(?<!\w )(?:" + "|".join(re.escape(c) for c in (*cin.REFERRAL_SOURCES, *cin.PRIMARY_NEEDS)) + r") — "
)


# a headline in capitals ("⚠ CUMULATIVE NEGLECT: …") is words, not codes; one word in capitals is not
_HEADLINE = re.compile(r"\b[A-Z][A-Z'’]+(?: [A-Z][A-Z'’]*)+\b")


def codes_in(text: str, more: frozenset[str] = frozenset()) -> list[str]:
    """The internal codes a text shows, in the order they appear (``more``: codes of this database's agencies)."""
    words = _HEADLINE.sub(" ", text)
    found = [token for token in _TOKEN.findall(words) if token in FORBIDDEN or token in more]
    found += [m.group(0).strip(" —") for m in _CODE_IN_FRONT.finditer(text)]
    return found


# --- reading a screen ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    shot: str
    where: str
    text: str


@dataclass(frozen=True)
class Screens:
    seen: list[Seen]
    agency_codes: frozenset[str]


def _plain(text: str) -> str:
    return QTextDocumentFragment.fromHtml(text).toPlainText() if "<" in text else text


def _where(widget: QWidget) -> str:
    path = []
    current: QWidget | None = widget
    while current is not None:
        path.append(current.objectName() or type(current).__name__)
        current = current.parentWidget()
    return "/".join(reversed(path))


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    if isinstance(model, QAbstractListModel):  # PySide keeps a list model's columnCount private
        return 1
    return model.columnCount(parent)


def _model_texts(model: QAbstractItemModel, parent: QModelIndex, budget: list[int]) -> Iterator[str]:
    rows = model.rowCount(parent)
    for row in range(min(rows, ROWS_READ)):
        for column in range(_columns(model, parent)):
            if budget[0] <= 0:
                return
            budget[0] -= 1
            index = model.index(row, column, parent)
            value = model.data(index, Qt.ItemDataRole.DisplayRole)
            if value is not None:
                yield str(value)
            if column == 0 and not isinstance(model, QAbstractListModel) and model.rowCount(index):
                yield from _model_texts(model, index, budget)


def _view_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    for section in range(_columns(model, QModelIndex())):
        header = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if header is not None:
            yield str(header)
    yield from _model_texts(model, QModelIndex(), [ROWS_READ * 20])


def _chart_texts(view: QChartView) -> Iterator[str]:
    chart = view.chart()
    yield chart.title()
    for axis in chart.axes():
        yield axis.titleText()
        if isinstance(axis, QBarCategoryAxis):
            yield from axis.categories()
            # a bar chart's categories that are bare CIN codes ("4", "6") are codes too
            yield from (f"{c} — " for c in axis.categories() if c in cin.REFERRAL_SOURCES)
    for series in chart.series():
        yield series.name()
        if isinstance(series, QAbstractBarSeries):
            yield from (bar_set.label() for bar_set in series.barSets())


def widget_texts(widget: QWidget) -> Iterator[str]:
    """What a person can read on one widget (not its children; tooltips left out on purpose)."""
    if widget.isWindow():
        yield widget.windowTitle()
    if isinstance(widget, QLabel):
        yield _plain(widget.text())
    elif isinstance(widget, QAbstractButton):
        yield widget.text()
    elif isinstance(widget, QGroupBox):
        yield widget.title()
    elif isinstance(widget, QTabBar):
        yield from (widget.tabText(i) for i in range(widget.count()))
    elif isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    elif isinstance(widget, QLineEdit):
        yield widget.placeholderText()
        if widget.isReadOnly():
            yield widget.text()
    elif isinstance(widget, QTextEdit | QPlainTextEdit):
        yield widget.placeholderText()
        if widget.isReadOnly():
            yield widget.toPlainText()
    elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):  # headers: read with the view
        yield from _view_texts(widget)
    elif isinstance(widget, QChartView):
        yield from _chart_texts(widget)
    if isinstance(widget, QMainWindow):
        yield widget.statusBar().currentMessage()
        for action in widget.menuBar().actions():
            yield action.text()


def screen_texts(shot: str) -> list[Seen]:
    """Every text on every window showing now."""
    seen: list[Seen] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        for widget in [top, *top.findChildren(QWidget)]:
            if widget is not top and not widget.isVisibleTo(top):
                continue
            seen.extend(Seen(shot, _where(widget), text) for text in widget_texts(widget) if text)
    return seen


# --- the demo, rendered on each database ---------------------------------------------------------


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def screens(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Screens:
    """Every shot in both themes, rendered from one demo per database, with what each showed.

    The rendering runs in its own interpreter (``tests/tools/screen_reader.py``): inside the suite's
    process, after every other test's windows, Qt crashed part-way through the hundred windows."""
    folder = tmp_path_factory.mktemp(f"screens-{request.param}")
    if request.param == "sqlite":
        target = folder / "demo.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        url = f"sqlite:///{target}"
    else:
        url = request.getfixturevalue("pg_template")
    db = Database(url)
    try:
        if request.param == "postgresql":
            reset_postgres(db)
        generate_demo(db, contacts=400, seed=1, now=utc_now() - timedelta(minutes=1))
        with db.session() as session:
            agency_codes = frozenset(c for c in session.scalars(select(Agency.code)) if _code_like(c))
    finally:
        db.dispose()
    out = folder / "seen.json"
    checkout = Path(__file__).resolve().parents[2]
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(checkout)}
    subprocess.run(
        [sys.executable, "-X", "faulthandler", "-m", "tests.tools.screen_reader", url, str(folder), str(out)],
        cwd=checkout,
        env=environment,
        check=True,
        timeout=900,
    )
    seen = [Seen(**item) for item in json.loads(out.read_text(encoding="utf-8"))]
    return Screens(seen, agency_codes)


def test_no_screen_shows_an_internal_code(screens: Screens) -> None:
    leaks = sorted(
        {
            (s.shot, code, s.text[:160], s.where[-90:])
            for s in screens.seen
            for code in codes_in(s.text, screens.agency_codes)
        }
    )
    report = "\n".join(f"{shot}: {code!r} in {text!r} ({where})" for shot, code, text, where in leaks)
    assert not leaks, f"{len(leaks)} texts show internal codes:\n{report}"


def test_every_screen_was_read(screens: Screens) -> None:
    """The check above is only worth something if it read the screens: both themes, tables, charts."""
    seen = screens.seen
    shots = {s.shot for s in seen}
    assert {"03-work-queues-my-work", "10-contact-view", "21-dialog-consent-override-dark"} <= shots
    assert len(shots) > 60
    assert any("Take next" in s.text for s in seen)
    assert any("QChartView" in s.where for s in seen), "a chart's axes were read"
    assert any("QTableView" in s.where or "QTreeView" in s.where for s in seen), "an item view's cells were read"
    assert "POLICE" in screens.agency_codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Decision proposed for Amira: level 2, EARLY_HELP", ["EARLY_HELP"]),
        ("Outcome CFA_S17", ["CFA_S17"]),
        ("Covers: DA_SERVICE, EARLY_HELP", ["DA_SERVICE", "EARLY_HELP"]),
        ("Sam Carter — agency, POLICE", ["POLICE"]),
        ("Status: agency_checks", ["agency_checks"]),
        ("RETURNED by the manager", ["RETURNED"]),
        ("N1 — Abuse or neglect", ["N1", "N1"]),
        ("6 — Police", ["6"]),
        ("1A", ["1A"]),
        ("Closed: RC8", ["RC8"]),
        ("WBRI", ["WBRI"]),
        ("a police officer asked the health visitor", []),
        ("Rated RED: disclosure at school", []),
        ("PC Dan Jones, Bedfordshire Police", []),
        ("MASH-0000042 · MARAC referral", []),
        ("Early help", []),
        ("Returned: please add the school's view", []),
        ("6 children in the household", []),
        ("07 Dec 20:10 — Sam Carter (case note)", []),
        ("10 — Other", ["10"]),
        ("FGM (female genital mutilation)", []),
        ("⚠ A FAMILY MEMBER OR CHILD INTERPRETED: the child interpreted", []),
        ("⚠ CUMULATIVE NEGLECT: 3 contacts", []),
        ("EARLY_HELP AND SOCIAL_CARE", ["EARLY_HELP", "SOCIAL_CARE"]),
    ],
)
def test_the_check_tells_codes_from_words(text: str, codes: list[str]) -> None:
    assert codes_in(text) == codes
