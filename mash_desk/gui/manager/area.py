"""The Manager area of the main window: one tab holding the manager's pages, a Manager menu with a
shortcut for each (Ctrl+1 … Ctrl+7), and the wiring that keeps them current.

Which pages a person sees follows their role: a team manager gets all of them; business support,
who print and send the letters, get Letters; administrators the dashboard and exports; auditors
those and the restricted records with every glass break.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget, QVBoxLayout, QWidget

from mash_desk.domain.enums import Role
from mash_desk.gui.action_flow import ActionFlow
from mash_desk.gui.manager.dashboard_page import DashboardPage
from mash_desk.gui.manager.decisions_page import DecisionsPage
from mash_desk.gui.manager.exports_page import ExportsPage
from mash_desk.gui.manager.letters_page import LettersPage
from mash_desk.gui.manager.restricted_page import RestrictedRecordsPage
from mash_desk.gui.manager.work_pages import HandOffsPage, TeamWorkPage
from mash_desk.gui.messages import shortcut_text
from mash_desk.gui.table_models import Clock
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.theme import Theme
from mash_desk.gui.words import tr
from mash_desk.services.context import Actor, ServiceContext

PAGES_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.MANAGER: ("decisions", "handoffs", "team", "dashboard", "letters", "exports", "restricted"),
    Role.BUSINESS_SUPPORT: ("letters",),
    Role.ADMIN: ("dashboard", "exports"),
    Role.AUDITOR: ("dashboard", "exports", "restricted"),
}
FRESH_EACH_TIME = frozenset({"restricted"})
"""Pages read again each time they are shown: short lists that change without the change feed."""


@dataclass
class Page:
    key: str
    title: str
    widget: QWidget
    action: QAction | None = None


class ManagerArea(QWidget):
    """The manager's pages as tabs; each page reads its data the first time it is shown."""

    def __init__(
        self,
        runner: TaskRunner,
        ctx: ServiceContext,
        actor: Actor,
        flow: ActionFlow,
        theme: Theme,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("manager_area")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs)
        self.pages: list[Page] = []
        self.menu: QMenu | None = None
        self.workspace: QTabWidget | None = None  # the window's tabs, once the area is one of them
        self._shown: set[str] = set()
        wanted = PAGES_BY_ROLE.get(actor.role, ())
        self.decisions: DecisionsPage | None = None
        self.handoffs: HandOffsPage | None = None
        self.team: TeamWorkPage | None = None
        self.dashboard: DashboardPage | None = None
        self.letters: LettersPage | None = None
        self.exports: ExportsPage | None = None
        self.restricted: RestrictedRecordsPage | None = None
        if "decisions" in wanted:
            self.decisions = DecisionsPage(runner, ctx, flow, theme, clock, self)
            self._add("decisions", tr("Decisions"), self.decisions)
        if "handoffs" in wanted:
            self.handoffs = HandOffsPage(runner, ctx, theme, clock, self)
            self._add("handoffs", tr("Hand-offs not accepted"), self.handoffs)
        if "team" in wanted:
            self.team = TeamWorkPage(runner, ctx, flow, theme, clock, self)
            self._add("team", tr("Team work"), self.team)
        if "dashboard" in wanted:
            self.dashboard = DashboardPage(runner, ctx, theme, clock, self)
            self._add("dashboard", tr("Dashboard"), self.dashboard)
        if "letters" in wanted:
            self.letters = LettersPage(runner, ctx, actor, theme, clock, self)
            self._add("letters", tr("Letters"), self.letters)
        if "exports" in wanted:
            self.exports = ExportsPage(runner, ctx, clock, self)
            self._add("exports", tr("Statutory lists"), self.exports)
        if "restricted" in wanted:
            self.restricted = RestrictedRecordsPage(runner, ctx, theme, clock, self)
            self._add("restricted", tr("Restricted records"), self.restricted)
        self.tabs.currentChanged.connect(lambda _index: self._first_show())

    @property
    def empty(self) -> bool:
        return not self.pages

    def _add(self, key: str, title: str, widget: QWidget) -> None:
        key_text = shortcut_text(f"Ctrl+{len(self.pages) + 1}")
        self.pages.append(Page(key, title, widget))
        index = self.tabs.addTab(widget, title)
        self.tabs.setTabToolTip(index, f"{title} — {key_text}")

    def page(self, key: str) -> QWidget | None:
        return next((p.widget for p in self.pages if p.key == key), None)

    def show_page(self, key: str) -> None:
        widget = self.page(key)
        if widget is not None:
            if self.workspace is not None:
                self.workspace.setCurrentWidget(self)
            self.tabs.setCurrentWidget(widget)
            self._first_show()
            widget.setFocus()

    def _first_show(self) -> None:
        widget = self.tabs.currentWidget()
        page = next((p for p in self.pages if p.widget is widget), None)
        if page is None or not self.isVisible():
            return
        if page.key not in self._shown or page.key in FRESH_EACH_TIME:
            self._shown.add(page.key)
            self._load(page.key)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._first_show()

    def _load(self, key: str) -> None:
        loaders: dict[str, Callable[[], None] | None] = {
            "decisions": self.decisions.reload if self.decisions else None,
            "handoffs": self.handoffs.reload if self.handoffs else None,
            "team": self.team.reload if self.team else None,
            "dashboard": self.dashboard.load if self.dashboard else None,
            "letters": self.letters.reload if self.letters else None,
            "restricted": self.restricted.reload if self.restricted else None,
        }
        loader = loaders.get(key)
        if loader is not None:
            loader()

    def refresh(self) -> None:
        """Read again every page that has been shown (F5)."""
        for key in list(self._shown):
            self._load(key)

    def apply_changes(self, contact_ids: tuple[int, ...], everything: bool) -> None:
        """Contacts changed on this or another workstation: the short lists follow straight away."""
        if self.decisions is not None and "decisions" in self._shown:
            self.decisions.apply_changes(contact_ids, everything=everything)
        if self.handoffs is not None and "handoffs" in self._shown:
            self.handoffs.reload()
        if self.team is not None and "team" in self._shown:
            self.team.apply_changes(contact_ids, everything=everything)


def add_manager_area(
    window: QMainWindow,
    workspace: QTabWidget,
    runner: TaskRunner,
    ctx: ServiceContext,
    actor: Actor,
    flow: ActionFlow,
    theme: Theme,
    clock: Clock,
    open_contact: Callable[[int], object],
) -> ManagerArea | None:
    """Put the Manager tab (second, after the work queues) and its menu into ``window``; None if the
    person's role has no manager pages."""
    area = ManagerArea(runner, ctx, actor, flow, theme, clock, window)
    if area.empty:
        area.deleteLater()
        return None
    title = (
        tr("Manager") if actor.role is Role.MANAGER else area.pages[0].title if len(area.pages) == 1 else tr("Reports")
    )
    index = workspace.insertTab(1, area, title)
    workspace.tabBar().setTabButton(index, workspace.tabBar().ButtonPosition.RightSide, None)
    status = window.statusBar()
    for page in area.pages:
        opener = getattr(page.widget, "open_requested", None)
        if opener is not None:
            opener.connect(open_contact)
        message = getattr(page.widget, "message", None)
        if message is not None:
            message.connect(lambda text: status.showMessage(text, 10_000))
    menu = QMenu(title.replace("&", ""), window)
    menu.setTitle(f"&{title}")
    for number, page in enumerate(area.pages, start=1):
        key = f"Ctrl+{number}"
        action = QAction(page.title, window)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{page.title} ({shortcut_text(key)})")
        action.triggered.connect(lambda _checked=False, k=page.key: area.show_page(k))
        menu.addAction(action)
        page.action = action
    workspace.setTabToolTip(
        index, tr("{title}: its pages are Ctrl+1 … Ctrl+{n}").format(title=title, n=len(area.pages))
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
