"""The Administration area of the main window, for the administrator only: one tab holding the pages
(users, teams and agencies, timescales, letterhead, targets and locking, family letter holds), an
Administration menu with a Ctrl+digit shortcut for each (numbered on from the Reports pages), and each
page read when first shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget, QVBoxLayout, QWidget

from mash_desk.domain.enums import Role
from mash_desk.gui.admin.holds_page import HoldsPage
from mash_desk.gui.admin.letterhead_page import LetterheadPage
from mash_desk.gui.admin.lists_page import TeamsAgenciesPage
from mash_desk.gui.admin.policy_page import PolicyPage
from mash_desk.gui.admin.settings_page import SettingsPage
from mash_desk.gui.admin.users_page import UsersPage
from mash_desk.gui.messages import shortcut_text
from mash_desk.gui.table_models import Clock
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.theme import Theme
from mash_desk.gui.words import tr
from mash_desk.services.context import Actor, ServiceContext

MAX_SHORTCUT_DIGIT = 9


@dataclass
class AdminPage:
    key: str
    title: str
    widget: QWidget
    load: Callable[[], None]
    action: QAction | None = None


class AdminArea(QWidget):
    """The administrator's pages as tabs; each reads its data the first time it is shown."""

    def __init__(
        self,
        runner: TaskRunner,
        ctx: ServiceContext,
        actor: Actor,
        theme: Theme,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("admin_area")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs)
        self.pages: list[AdminPage] = []
        self.menu: QMenu | None = None
        self.workspace: QTabWidget | None = None
        self._shown: set[str] = set()
        self.users = UsersPage(runner, ctx, actor, theme, clock, self)
        self.lists = TeamsAgenciesPage(runner, ctx, theme, clock, self)
        self.policy = PolicyPage(runner, ctx, theme, clock, self)
        self.holds = HoldsPage(runner, ctx, theme, clock, self)
        self.letterhead = LetterheadPage(runner, ctx, self)
        self.settings = SettingsPage(runner, ctx, self)
        self._add("users", tr("Users"), self.users, self.users.reload)
        self._add("lists", tr("Teams and agencies"), self.lists, self.lists.reload)
        self._add("policy", tr("Timescales"), self.policy, self.policy.reload)
        self._add("letterhead", tr("Letterhead"), self.letterhead, self.letterhead.reload)
        self._add("settings", tr("Targets and locking"), self.settings, self.settings.reload)
        self._add("holds", tr("Family letter holds"), self.holds, self.holds.reload)
        self.tabs.currentChanged.connect(lambda _index: self._first_show())

    def _add(self, key: str, title: str, widget: QWidget, load: Callable[[], None]) -> None:
        self.pages.append(AdminPage(key, title, widget, load))
        self.tabs.addTab(widget, title)

    def page(self, key: str) -> QWidget | None:
        return next((p.widget for p in self.pages if p.key == key), None)

    def show_page(self, key: str) -> None:
        widget = self.page(key)
        if widget is None:
            return
        if self.workspace is not None:
            self.workspace.setCurrentWidget(self)
        self.tabs.setCurrentWidget(widget)
        self._first_show()
        widget.setFocus()

    def _first_show(self) -> None:
        widget = self.tabs.currentWidget()
        page = next((p for p in self.pages if p.widget is widget), None)
        if page is not None and page.key not in self._shown and self.isVisible():
            self._shown.add(page.key)
            page.load()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._first_show()

    def refresh(self) -> None:
        """Read again every page that has been shown (F5); what is being typed in a form is kept."""
        for page in self.pages:
            if page.key in self._shown and page.key in ("users", "lists", "policy", "holds"):
                page.load()


def add_admin_area(
    window: QMainWindow,
    workspace: QTabWidget,
    runner: TaskRunner,
    ctx: ServiceContext,
    actor: Actor,
    theme: Theme,
    clock: Clock,
    *,
    first_digit: int,
    index: int,
) -> AdminArea | None:
    """Put the Administration tab (at ``index``) and its menu into ``window``, for an administrator only;
    its pages take Ctrl+``first_digit`` onwards (the digits before are the Reports pages')."""
    if actor.role is not Role.ADMIN:
        return None
    area = AdminArea(runner, ctx, actor, theme, clock, window)
    title = tr("Administration")
    position = workspace.insertTab(index, area, title)
    workspace.tabBar().setTabButton(position, workspace.tabBar().ButtonPosition.RightSide, None)
    status = window.statusBar()
    menu = QMenu(title, window)
    menu.setTitle(tr("A&dministration"))
    keys: list[str] = []
    for number, page in enumerate(area.pages, start=first_digit):
        page_message = getattr(page.widget, "message", None)
        if page_message is not None:
            page_message.connect(lambda text: status.showMessage(text, 10_000))
        action = QAction(page.title, window)
        if number <= MAX_SHORTCUT_DIGIT:
            key = f"Ctrl+{number}"
            keys.append(key)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setToolTip(f"{page.title} ({shortcut_text(key)})")
            area.tabs.setTabToolTip(area.tabs.indexOf(page.widget), f"{page.title} — {shortcut_text(key)}")
        action.triggered.connect(lambda _checked=False, k=page.key: area.show_page(k))
        menu.addAction(action)
        page.action = action
    if keys:
        workspace.setTabToolTip(
            position,
            tr("{title}: its pages are {first} … {last}").format(
                title=title, first=shortcut_text(keys[0]), last=shortcut_text(keys[-1])
            ),
        )
    bar = window.menuBar()
    actions = bar.actions()
    if actions:  # before Help
        bar.insertMenu(actions[-1], menu)
    else:
        bar.addMenu(menu)
    area.menu = menu
    area.workspace = workspace
    return area
