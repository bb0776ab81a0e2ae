"""What the GUI tests share: one theme and task runner per test, windows for any demo person, and
dialogs answered through their replaceable ``ask()``.

Every dialog's ``ask`` is replaced for every test: a dialog the test did not expect fails it, and the
answers a test gives are handed out in order, with what each dialog was shown kept for asserts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from mash_desk.gui.about_dialog import AboutDialog
from mash_desk.gui.action_flow import ActionFlow
from mash_desk.gui.dialogs.agency import AgencyChecksDialog, AgencyReturnDialog
from mash_desk.gui.dialogs.conflict import ConflictDialog
from mash_desk.gui.dialogs.consent import ConsentDialog
from mash_desk.gui.dialogs.dash import DashDialog
from mash_desk.gui.dialogs.decision import DecisionDialog
from mash_desk.gui.dialogs.gcp import GcpDialog
from mash_desk.gui.dialogs.goto import GoToDialog
from mash_desk.gui.dialogs.handoff import HandOffDialog
from mash_desk.gui.dialogs.rag import RagDialog
from mash_desk.gui.dialogs.restricted import BreakGlassDialog
from mash_desk.gui.dialogs.text import TextDialog
from mash_desk.gui.intake_form import DraftPrompt
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.marac_dialog import MaracReferralDialog
from mash_desk.gui.messages import ConfirmDialog, CrashDialog, ErrorDialog, Notice
from mash_desk.gui.pattern_panel import ConversationDialog, PatternDecisionDialog
from mash_desk.gui.table_models import Clock
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.theme import Theme
from mash_desk.gui.window_context import WindowContext
from mash_desk.paths import DATA_DIR_ENV, settings_file
from mash_desk.profiles import EMBEDDED, ConnectionProfile
from mash_desk.services.context import ServiceContext, utc_now
from mash_desk.services.signin import SignedIn
from mash_desk.services.workstation import schema_versions
from tests.support import World

# name → (class, method) of every dialog entry point the app calls
DIALOGS: dict[str, tuple[type[Any], str]] = {
    "rag": (RagDialog, "ask"),
    "consent": (ConsentDialog, "ask"),
    "checks": (AgencyChecksDialog, "ask"),
    "return": (AgencyReturnDialog, "ask"),
    "decision": (DecisionDialog, "ask"),
    "handoff": (HandOffDialog, "ask"),
    "text": (TextDialog, "ask"),
    "break_glass": (BreakGlassDialog, "ask"),
    "conflict": (ConflictDialog, "ask"),
    "error": (ErrorDialog, "ask"),
    "confirm": (ConfirmDialog, "ask"),
    "notice": (Notice, "show"),
    "draft": (DraftPrompt, "ask"),
    "goto": (GoToDialog, "ask"),
    "about": (AboutDialog, "ask"),
    "crash": (CrashDialog, "report"),
    "conversation": (ConversationDialog, "ask"),
    "pattern_decision": (PatternDecisionDialog, "ask"),
    "dash": (DashDialog, "ask"),
    "gcp": (GcpDialog, "ask"),
    "marac": (MaracReferralDialog, "show_referral"),
}


# The offscreen platform cannot resize a native window to a widget's size hints and says so once per
# window shown; real platforms (xcb, windows, cocoa) do support it. Everything else still fails a test.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@dataclass
class Shown:
    """One dialog the app opened: its name, and everything it was given."""

    name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    @property
    def errors(self) -> dict[str, str]:
        return dict(self.kwargs.get("errors") or {})

    def text(self) -> str:
        return " ".join(str(a) for a in self.args if isinstance(a, str))


@dataclass
class Dialogs:
    """Answers for the dialogs a test expects, in order; an answer may be a callable given the ``Shown``."""

    answers: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    shown: list[Shown] = field(default_factory=list)

    def answer(self, name: str, *values: Any) -> None:
        assert name in DIALOGS, name
        self.answers[name].extend(values)

    def of(self, name: str) -> list[Shown]:
        return [s for s in self.shown if s.name == name]

    def pending(self, name: str) -> int:
        return len(self.answers[name])

    def handler(self, name: str) -> Callable[..., Any]:
        def ask(*args: Any, **kwargs: Any) -> Any:
            shown = Shown(name, args, kwargs)
            self.shown.append(shown)
            if not self.answers[name]:
                pytest.fail(f"unexpected {name} dialog: {args!r} {kwargs!r}", pytrace=False)
            value = self.answers[name].pop(0)
            return value(shown) if callable(value) and not isinstance(value, type) else value

        return ask


@pytest.fixture(autouse=True)
def own_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Drafts, window settings and profiles of one test never meet another test's."""
    folder = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    answers = Dialogs()
    for name, (owner, method) in DIALOGS.items():
        monkeypatch.setattr(owner, method, classmethod(lambda _cls, *a, _n=name, **k: answers.handler(_n)(*a, **k)))
    return answers


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[Theme]:
    colours = Theme(qapp, forced=Qt.ColorScheme.Light)
    yield colours
    colours.deleteLater()


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    tasks = TaskRunner(qapp)
    yield tasks
    tasks.shutdown()
    tasks.deleteLater()


@pytest.fixture
def settings() -> QSettings:
    return QSettings(str(settings_file()), QSettings.Format.IniFormat)


def window_context(runner: TaskRunner, ctx: ServiceContext, theme: Theme, clock: Clock) -> WindowContext:
    """What a main window hands its pages, built for one person straight onto the test world."""
    return WindowContext(runner, ctx, ctx.whoami(), ActionFlow(runner, ctx), theme, clock)


def signed_in(world: World, who: str) -> SignedIn:
    """A session for one of the world's people (on PostgreSQL: the test superuser acting as their login role)."""
    ctx: ServiceContext = world.as_(who)
    return SignedIn(
        world.db,
        ServiceContext(world.db, world.logins[who]),
        ctx.whoami(),
        ConnectionProfile(name="test", kind=EMBEDDED),
        schema_versions(world.db),
    )


@dataclass
class Desk:
    """Opens main windows for the world's people, and waits for the background work they start."""

    qtbot: QtBot
    world: World
    runner: TaskRunner
    theme: Theme
    settings: QSettings
    windows: list[MainWindow] = field(default_factory=list)

    def window(self, who: str, *, watch_changes: bool = False) -> MainWindow:
        window = MainWindow(
            signed_in(self.world, who), self.runner, self.theme, self.settings, utc_now, watch_changes=watch_changes
        )
        self.qtbot.addWidget(window)
        self.windows.append(window)
        window.show()
        self.focus(window)
        self.settle()
        return window

    def focus(self, window: QWidget) -> None:
        window.activateWindow()
        # as long as settle(): on a busy machine the offscreen platform takes its time to activate
        self.qtbot.waitUntil(window.isActiveWindow, timeout=15_000)

    def settle(self, timeout: int = 15_000) -> None:
        """Wait until no background work is in flight."""
        self.qtbot.waitUntil(lambda: self.runner.in_flight == 0, timeout=timeout)

    def close(self) -> None:
        for window in self.windows:
            window.watcher.stop()
            window.close()
        self.runner.shutdown()


@pytest.fixture
def desk(qtbot: QtBot, world: World, runner: TaskRunner, theme: Theme, settings: QSettings) -> Iterator[Desk]:
    place = Desk(qtbot, world, runner, theme, settings)
    yield place
    place.close()
