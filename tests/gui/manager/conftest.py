"""The manager screens' tests: their own dialogs answered like every other (``dialogs.answer``), and
helpers that build the pages on the test world's frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytestqt.qtbot import QtBot

from mash_desk.gui.action_flow import ActionFlow
from mash_desk.gui.manager.merge_dialog import MergeDialog
from mash_desk.gui.manager.pickers import PrinterChoice, SaveFileChoice
from mash_desk.gui.manager.reassign_dialog import ReassignDialog
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.theme import Theme
from mash_desk.gui.window_context import WindowContext
from mash_desk.services.context import ServiceContext
from tests.gui.conftest import DIALOGS, Dialogs, window_context
from tests.support import World

MANAGER_DIALOGS = {
    "reassign": (ReassignDialog, "ask"),
    "save": (SaveFileChoice, "ask"),
    "printer": (PrinterChoice, "ask"),
    "merge": (MergeDialog, "ask"),
}


@pytest.fixture(autouse=True)
def manager_dialogs(dialogs: Dialogs, monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    """The manager's dialogs join the answered ones: a dialog a test did not expect fails it."""
    for name, (owner, method) in MANAGER_DIALOGS.items():
        monkeypatch.setitem(DIALOGS, name, (owner, method))
        monkeypatch.setattr(owner, method, classmethod(lambda _cls, *a, _n=name, **k: dialogs.handler(_n)(*a, **k)))
    return dialogs


@dataclass
class Bench:
    """Pages built straight onto the world (frozen clock), and waits for their background work."""

    qtbot: QtBot
    world: World
    runner: TaskRunner
    theme: Theme

    def settle(self, timeout: int = 20_000) -> None:
        self.qtbot.waitUntil(lambda: self.runner.in_flight == 0, timeout=timeout)

    def flow(self, who: str) -> ActionFlow:
        return ActionFlow(self.runner, self.world.as_(who))

    def window(self, ctx: ServiceContext) -> WindowContext:
        """What the main window would hand a page, for the person ``ctx`` works as."""
        return window_context(self.runner, ctx, self.theme, self.world.clock)


@pytest.fixture
def bench(qtbot: QtBot, world: World, runner: TaskRunner, theme: Theme) -> Iterator[Bench]:
    place = Bench(qtbot, world, runner, theme)
    yield place
    runner.shutdown()
