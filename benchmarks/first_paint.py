"""Run one process to its first queue painted with rows, then leave: what ``startup.py`` times.

``python benchmarks/first_paint.py app -- --db URL --user sam`` starts MASH Desk exactly as
``mash-desk`` does (``mash_desk.cli.main``) and ``python benchmarks/first_paint.py bare`` opens a
bare ``QMainWindow`` holding a ``QTableView`` of 50 rows. ``floor`` opens the same bare window after
importing what no read of our database can do without: SQLAlchemy with its ORM (the tables are
declared as ORM classes) and the SQLite driver, the packages chosen for the app, before any code of
ours. Each closes its window as soon as a table view has painted itself with rows in it, so the whole
process's wall time, CPU time and peak memory (taken from outside, by ``/usr/bin/time -v``) are
"launch to the first queue painted" and nothing else. ``--quit-after`` on the command line cannot say
that: it is a timer started before signing in.

``--modules FILE`` writes the modules loaded at the first paint, one a line (the test that pins the
first window's imports reads it). ``--scroll-to-end TAB`` then switches to that queue tab and keeps
scrolling to the bottom until every row of the queue is loaded, for the memory of a long queue.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

if __name__ == "__main__" and sys.argv[1:2] == ["app"]:
    # what the ``mash-desk`` command imports first, before any Qt, as it does (``mash_desk.launch``): PySide6
    # hooks every import made after its own (it reads each module's source to look for its ``__feature__``
    # switches), so importing Qt here first would make the app import more slowly and hold more memory
    from mash_desk.launch import command_line

    MASH_DESK = command_line()
elif __name__ == "__main__" and sys.argv[1:2] == ["floor"]:
    # the chosen packages' own cost, imported before Qt as the app imports them
    import sqlite3  # noqa: F401

    import sqlalchemy.orm  # noqa: F401

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMainWindow, QTableView, QTabWidget, QWidget

STARTED = time.perf_counter()
POLL_MS = 10  # how often to look for the window before it exists: far below anything measured
BARE_ROWS = 50  # a queue's first page


class FirstPaint(QObject):
    """Watches every table view's viewport and ends the run at the first paint with rows."""

    def __init__(
        self,
        app: QApplication,
        modules_file: Path | None,
        scroll_tab: str | None,
        *,
        empty_ok: bool = False,
        exit_now: bool = False,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.empty_ok = empty_ok
        self.exit_now = exit_now
        self.modules_file = modules_file
        self.scroll_tab = scroll_tab
        self.watched: set[int] = set()
        self.done = False
        self.painted_at: float | None = None
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self._watch_views)
        self.poll.start()

    def _watch_views(self) -> None:
        for widget in self.app.topLevelWidgets():
            if isinstance(widget, QMainWindow):
                for view in widget.findChildren(QTableView):
                    if id(view) not in self.watched:
                        self.watched.add(id(view))
                        view.viewport().installEventFilter(self)
                        # rows may have been painted before this look: paint again so it is seen, now
                        view.viewport().update()
                    model = view.model()
                    # an empty queue shows its "nothing here" words instead of painting the table
                    if self.empty_ok and not self.done and model is not None and _loaded(model) and widget.isVisible():
                        self.done = True
                        self.painted_at = time.perf_counter()
                        QTimer.singleShot(0, self._first_paint)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - a Qt override
        if not self.done and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            view = watched.parent()
            model = view.model() if isinstance(view, QAbstractItemView) else None
            if model is not None and (model.rowCount() > 0 or (self.empty_ok and _loaded(model))):
                self.done = True
                self.painted_at = time.perf_counter()
                QTimer.singleShot(0, self._first_paint)
        return False

    def _first_paint(self) -> None:
        self.poll.stop()
        if self.modules_file is not None:
            self.modules_file.write_text("\n".join(sorted(sys.modules)) + "\n", encoding="utf-8")
        if self.scroll_tab is not None:
            self._scroll_to_end()
            return
        self._leave()

    def _scroll_to_end(self) -> None:
        """Show the named queue tab and scroll to its bottom until the model has nothing more to fetch."""
        window = next(w for w in self.app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible())
        for tabs in window.findChildren(QTabWidget):
            for index in range(tabs.count()):
                if tabs.tabText(index).split(" (")[0].replace("&", "") == self.scroll_tab:
                    tabs.setCurrentIndex(index)
                    page = tabs.widget(index)
                    view = page.findChild(QTableView) if page is not None else None
                    assert view is not None, f"no table on the {self.scroll_tab!r} tab"
                    self._keep_scrolling(view)
                    return
        raise SystemExit(f"no queue tab called {self.scroll_tab!r}")

    def _keep_scrolling(self, view: QTableView) -> None:
        model = view.model()
        source = getattr(model, "sourceModel", lambda: model)()
        loading = bool(getattr(source, "loading", False))
        if not loading and not source.canFetchMore(QModelIndex()):
            rows = source.rowCount()
            print(f"scrolled to the end: {rows:,} rows", file=sys.stderr, flush=True)
            self._leave()
            return
        view.scrollToBottom()
        if not loading:
            source.fetchMore(QModelIndex())
        QTimer.singleShot(5, lambda: self._keep_scrolling(view))

    def _leave(self) -> None:
        if self.painted_at is not None:
            print(f"first paint {self.painted_at - STARTED:.3f} s after the launcher started", file=sys.stderr)
        for widget in self.app.topLevelWidgets():
            if isinstance(widget, QMainWindow) and widget.isVisible():
                widget.close()
        if self.exit_now:
            # the process ends here, so what is measured from outside is launch to first paint, not
            # also the app's shutdown (which waits for its background reads to finish)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        self.app.quit()


def _loaded(model: QAbstractItemModel) -> bool:
    """A queue model (behind its filter proxy) that has read its first page, even an empty one."""
    source = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else model
    return getattr(source, "total", None) is not None


def give_up(seconds: float) -> None:
    """A run that never paints rows (an empty queue, a refused sign-in) must not hang whoever waits for it."""
    print(f"no queue painted with rows within {seconds:g} s", file=sys.stderr, flush=True)
    os._exit(3)


class BareModel(QAbstractTableModel):
    """Fifty rows of seven short strings: what a queue's first page shows, without a database."""

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - a Qt override
        return 0 if parent.isValid() else BARE_ROWS

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - a Qt override
        return 0 if parent.isValid() else 7

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"MASH-{index.row():07d}" if index.column() == 0 else f"cell {index.column()}"
        return None


def run_bare(modules_file: Path | None, exit_now: bool) -> int:
    app = QApplication(sys.argv[:1])
    FirstPaint(app, modules_file, None, exit_now=exit_now)
    window = QMainWindow()
    view = QTableView(window)
    view.setModel(BareModel(view))
    window.setCentralWidget(view)
    window.resize(1280, 820)
    window.show()
    return app.exec()


def run_app(
    modules_file: Path | None, scroll_tab: str | None, empty_ok: bool, exit_now: bool, app_args: Sequence[str]
) -> int:
    # imported here, not at the top, so the bare run never loads any of MASH Desk; with the collector paused,
    # as ``mash-desk gui`` imports it
    from mash_desk.collector import collector_paused  # noqa: PLC0415

    with collector_paused():
        from mash_desk.gui.app import application  # noqa: PLC0415

    # the one the app would make itself (run_gui takes an existing one): made first so the watcher can hang off it
    app = application()
    FirstPaint(app, modules_file, scroll_tab, empty_ok=empty_ok, exit_now=exit_now)
    return MASH_DESK(list(app_args))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("app", "bare", "floor"))
    parser.add_argument("--modules", type=Path, help="write the modules loaded at the first paint to this file")
    parser.add_argument(
        "--empty-ok", action="store_true", help="the window shown with a queue read counts, even with no rows painted"
    )
    parser.add_argument(
        "--exit-at-first-paint", action="store_true", help="end the process as soon as the window has closed"
    )
    parser.add_argument("--give-up-after", type=float, default=300, metavar="S", help="exit 3 after S seconds")
    parser.add_argument("--scroll-to-end", metavar="TAB", help="then scroll this queue tab (e.g. Team) to its end")
    given = list(sys.argv[1:] if argv is None else argv)
    # everything after "--" goes to mash-desk untouched (argparse would read its options as ours)
    app_args = given[given.index("--") + 1 :] if "--" in given else []
    ours = given[: given.index("--")] if "--" in given else given
    args = parser.parse_args(ours)
    watchdog = threading.Timer(args.give_up_after, give_up, (args.give_up_after,))
    watchdog.daemon = True  # never what keeps the process alive
    watchdog.start()
    if args.what in ("bare", "floor"):
        return run_bare(args.modules, args.exit_at_first_paint)
    return run_app(args.modules, args.scroll_to_end, args.empty_ok, args.exit_at_first_paint, app_args)


if __name__ == "__main__":
    sys.exit(main())
