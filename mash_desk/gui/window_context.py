"""What every page, dialog and area of one signed-in window shares, in one object.

The main window builds it once (the task runner, the person's service context and who they are,
the action flow, the theme and the clock) and hands it to each part it makes, instead of five or six
constructor arguments passed through every file. It imports nothing at run time: the first window's
start-up import pin (``tests/gui/test_startup_imports.py``) stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mash_desk.gui.action_flow import ActionFlow
    from mash_desk.gui.table_models import Clock
    from mash_desk.gui.tasks import TaskRunner
    from mash_desk.gui.theme import Theme
    from mash_desk.services.context import Actor, ServiceContext


@dataclass(frozen=True)
class WindowContext:
    """The signed-in window's shared parts; frozen, so no page can swap one for the others."""

    runner: TaskRunner
    """Runs service calls off the GUI thread."""
    ctx: ServiceContext
    """The database, as the signed-in person."""
    actor: Actor
    """Who is signed in (their role decides what each page offers)."""
    flow: ActionFlow
    """Asks, saves, and handles a refused or failed save the same way for every action."""
    theme: Theme
    """Colours and icons, light or dark."""
    clock: Clock
    """Now, for countdowns and dates (a frozen one in tests)."""
