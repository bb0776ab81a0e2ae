"""The Manager area of the main window: one tab holding the manager's pages, a Manager menu with a
shortcut for each (Ctrl+1 … Ctrl+8), and the wiring that keeps them current.

Which pages a person sees follows their role: a team manager gets all of them; business support,
who print and send the letters, get Letters; administrators the dashboard and exports; auditors
those and the restricted records with every glass break.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget, QVBoxLayout, QWidget

from mash_desk.domain.enums import Role
from mash_desk.gui.lazy_tabs import LazyPage, LazyTabs
from mash_desk.gui.messages import shortcut_text
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr

if TYPE_CHECKING:
    from mash_desk.gui.manager.dashboard_page import DashboardPage
    from mash_desk.gui.manager.decisions_page import DecisionsPage
    from mash_desk.gui.manager.duplicates_page import DuplicatesPage
    from mash_desk.gui.manager.exports_page import ExportsPage
    from mash_desk.gui.manager.letters_page import LettersPage
    from mash_desk.gui.manager.restricted_page import RestrictedRecordsPage
    from mash_desk.gui.manager.reviews_page import ReviewsPage
    from mash_desk.gui.manager.work_pages import HandOffsPage, TeamWorkPage

PAGES_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.MANAGER: (
        "decisions",
        "handoffs",
        "team",
        "dashboard",
        "letters",
        "exports",
        "restricted",
        "reviews",
        "duplicates",
    ),
    Role.BUSINESS_SUPPORT: ("letters",),
    Role.ADMIN: ("dashboard", "exports"),
    Role.AUDITOR: ("dashboard", "exports", "restricted"),
}
FRESH_EACH_TIME = frozenset({"restricted", "reviews", "duplicates"})
"""Pages read again each time they are shown: short lists that change without the change feed."""

LOADERS = {
    "decisions": "reload",
    "handoffs": "reload",
    "team": "reload",
    "dashboard": "load",
    "letters": "reload",
    "restricted": "reload",
    "reviews": "reload",
    "duplicates": "reload",
}
"""How each page reads its data (the statutory lists read nothing until asked)."""


class ManagerArea(QWidget):
    """The manager's pages as tabs; each page is built, and reads its data, the first time it is shown.

    Building on first show keeps the letters page's PDF viewer and reportlab, the dashboard's Qt
    Charts and the statutory lists' openpyxl out of the window's start-up (``benchmarks/startup.py``).
    """

    def __init__(
        self,
        window: WindowContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("manager_area")
        self._window = window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs)
        self.lazy = LazyTabs(self.tabs)
        self.menu: QMenu | None = None
        self.workspace: QTabWidget | None = None  # the window's tabs, once the area is one of them
        self._shown: set[str] = set()
        titles = {
            "decisions": tr("Decisions"),
            "handoffs": tr("Hand-offs not accepted"),
            "team": tr("Team work"),
            "dashboard": tr("Dashboard"),
            "letters": tr("Letters"),
            "exports": tr("Statutory lists"),
            "restricted": tr("Restricted records"),
            "reviews": tr("GCP2 reviews"),
            "duplicates": tr("Duplicate records"),
        }
        for number, key in enumerate(PAGES_BY_ROLE.get(window.actor.role, ()), start=1):
            title = titles[key]
            tooltip = f"{title} — {shortcut_text(f'Ctrl+{number}')}"
            self.lazy.add(key, title, partial(self._build, key), tooltip)
        self.tabs.currentChanged.connect(lambda _index: self._first_show())

    def _build(self, key: str) -> QWidget:
        """Make one page; its module is imported only now."""
        window = self._window
        # the imports are here on purpose: each page's module (and what it needs) loads when it is opened
        if key == "decisions":
            from mash_desk.gui.manager.decisions_page import DecisionsPage  # noqa: PLC0415

            return DecisionsPage(window, self)
        if key == "handoffs":
            from mash_desk.gui.manager.work_pages import HandOffsPage  # noqa: PLC0415

            return HandOffsPage(window, self)
        if key == "team":
            from mash_desk.gui.manager.work_pages import TeamWorkPage  # noqa: PLC0415

            return TeamWorkPage(window, self)
        if key == "dashboard":
            from mash_desk.gui.manager.dashboard_page import DashboardPage  # noqa: PLC0415

            return DashboardPage(window, self)
        if key == "letters":
            from mash_desk.gui.manager.letters_page import LettersPage  # noqa: PLC0415

            return LettersPage(window, self)
        if key == "exports":
            from mash_desk.gui.manager.exports_page import ExportsPage  # noqa: PLC0415

            return ExportsPage(window, self)
        if key == "restricted":
            from mash_desk.gui.manager.restricted_page import RestrictedRecordsPage  # noqa: PLC0415

            return RestrictedRecordsPage(window, self)
        if key == "reviews":
            from mash_desk.gui.manager.reviews_page import ReviewsPage  # noqa: PLC0415

            return ReviewsPage(window, self)
        if key == "duplicates":
            from mash_desk.gui.manager.duplicates_page import DuplicatesPage  # noqa: PLC0415

            return DuplicatesPage(window, self)
        raise AssertionError(key)

    @property
    def pages(self) -> list[LazyPage]:
        return self.lazy.pages

    @property
    def empty(self) -> bool:
        return not self.pages

    def page(self, key: str) -> QWidget | None:
        """The page (built now if it was not yet), or None if this person has no such page."""
        found = self.lazy.find(key)
        return self.lazy.ensure(found) if found is not None else None

    # each page by name, built on first use (the screenshots and tests reach them this way)
    @property
    def decisions(self) -> DecisionsPage | None:
        return self.page("decisions")  # type: ignore[return-value]

    @property
    def handoffs(self) -> HandOffsPage | None:
        return self.page("handoffs")  # type: ignore[return-value]

    @property
    def team(self) -> TeamWorkPage | None:
        return self.page("team")  # type: ignore[return-value]

    @property
    def dashboard(self) -> DashboardPage | None:
        return self.page("dashboard")  # type: ignore[return-value]

    @property
    def letters(self) -> LettersPage | None:
        return self.page("letters")  # type: ignore[return-value]

    @property
    def exports(self) -> ExportsPage | None:
        return self.page("exports")  # type: ignore[return-value]

    @property
    def restricted(self) -> RestrictedRecordsPage | None:
        return self.page("restricted")  # type: ignore[return-value]

    @property
    def reviews(self) -> ReviewsPage | None:
        return self.page("reviews")  # type: ignore[return-value]

    @property
    def duplicates(self) -> DuplicatesPage | None:
        return self.page("duplicates")  # type: ignore[return-value]

    def show_page(self, key: str) -> None:
        widget = self.page(key)
        if widget is not None:
            if self.workspace is not None:
                self.workspace.setCurrentWidget(self)
            self.tabs.setCurrentWidget(widget)
            self._first_show()
            widget.setFocus()

    def _first_show(self) -> None:
        page = self.lazy.current()
        if page is None or not self.isVisible():
            return
        self.lazy.ensure(page)
        if page.key not in self._shown or page.key in FRESH_EACH_TIME:
            self._shown.add(page.key)
            self._load(page.key)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._first_show()

    def _load(self, key: str) -> None:
        method = LOADERS.get(key)
        widget = self.lazy.built(key)
        if method is not None and widget is not None:
            loader: Callable[[], None] = getattr(widget, method)
            loader()

    def refresh(self) -> None:
        """Read again every page that has been shown (F5)."""
        for key in list(self._shown):
            self._load(key)

    def apply_changes(self, contact_ids: tuple[int, ...], everything: bool) -> None:
        """Contacts changed on this or another workstation: the short lists follow straight away."""
        # only pages already shown are built and current; the rest read themselves when first opened
        if "decisions" in self._shown:
            self.decisions.apply_changes(contact_ids, everything=everything)  # type: ignore[union-attr]
        if "handoffs" in self._shown:
            self.handoffs.reload()  # type: ignore[union-attr]
        if "team" in self._shown:
            self.team.apply_changes(contact_ids, everything=everything)  # type: ignore[union-attr]


def add_manager_area(
    host: QMainWindow,
    workspace: QTabWidget,
    window: WindowContext,
    open_contact: Callable[[int], object],
    show_partnership_page: Callable[[str], object] | None = None,
) -> ManagerArea | None:
    """Put the Manager tab (second, after the work queues) and its menu into the main window ``host``;
    None if the person's role has no manager pages. ``show_partnership_page`` shows a page of the
    Partnership area by its key (the dashboard's audit actions tile opens the case audits)."""
    area = ManagerArea(window, host)
    if area.empty:
        area.deleteLater()
        return None
    role = window.actor.role
    title = tr("Manager") if role is Role.MANAGER else area.pages[0].title if len(area.pages) == 1 else tr("Reports")
    index = workspace.insertTab(1, area, title)
    workspace.tabBar().setTabButton(index, workspace.tabBar().ButtonPosition.RightSide, None)
    status = host.statusBar()

    def wire(page: LazyPage) -> None:
        """A page just built: its "open this contact" and status messages go to the window."""
        opener = getattr(page.widget, "open_requested", None)
        if opener is not None:
            opener.connect(open_contact)
        message = getattr(page.widget, "message", None)
        if message is not None:
            message.connect(lambda text: status.showMessage(text, 10_000))
        partnership_page = getattr(page.widget, "page_requested", None)
        if partnership_page is not None and show_partnership_page is not None:
            partnership_page.connect(show_partnership_page)

    area.lazy.on_built = wire
    menu = QMenu(title.replace("&", ""), host)
    menu.setTitle(f"&{title}")
    for number, page in enumerate(area.pages, start=1):
        key = f"Ctrl+{number}"
        action = QAction(page.title, host)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{page.title} ({shortcut_text(key)})")
        action.triggered.connect(lambda _checked=False, k=page.key: area.show_page(k))
        menu.addAction(action)
        page.action = action
    workspace.setTabToolTip(
        index, tr("{title}: its pages are Ctrl+1 … Ctrl+{n}").format(title=title, n=len(area.pages))
    )
    bar = host.menuBar()
    actions = bar.actions()
    if actions:  # before Help
        bar.insertMenu(actions[-1], menu)
    else:
        bar.addMenu(menu)
    area.menu = menu
    area.workspace = workspace
    return area
