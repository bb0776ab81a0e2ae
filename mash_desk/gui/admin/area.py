"""The Administration area of the main window, for the administrator only: one tab holding the pages
(users, teams and agencies, timescales, letterhead, targets and locking, family letter holds), an
Administration menu with a Ctrl+digit shortcut for each (numbered on from the Reports pages), and each
page read when first shown.
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
    from mash_desk.gui.admin.holds_page import HoldsPage
    from mash_desk.gui.admin.letterhead_page import LetterheadPage
    from mash_desk.gui.admin.lists_page import TeamsAgenciesPage
    from mash_desk.gui.admin.policy_page import PolicyPage
    from mash_desk.gui.admin.settings_page import SettingsPage
    from mash_desk.gui.admin.users_page import UsersPage

MAX_SHORTCUT_DIGIT = 9
REFRESHED_BY_F5 = ("users", "lists", "policy", "holds")
"""Pages F5 reads again; the forms (letterhead, targets) keep what is being typed."""


class AdminArea(QWidget):
    """The administrator's pages as tabs; each is built, and reads its data, the first time it is shown
    (the letterhead page's PDF preview loads Qt PDF and reportlab only then)."""

    def __init__(
        self,
        window: WindowContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("admin_area")
        self._window = window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs)
        self.lazy = LazyTabs(self.tabs)
        self.menu: QMenu | None = None
        self.workspace: QTabWidget | None = None
        self._shown: set[str] = set()
        for key, title in (
            ("users", tr("Users")),
            ("lists", tr("Teams and agencies")),
            ("policy", tr("Timescales")),
            ("letterhead", tr("Letterhead")),
            ("settings", tr("Targets and locking")),
            ("holds", tr("Family letter holds")),
        ):
            self.lazy.add(key, title, partial(self._build, key))
        self.tabs.currentChanged.connect(lambda _index: self._first_show())

    def _build(self, key: str) -> QWidget:
        """Make one page; its module is imported only now."""
        window = self._window
        # the imports are here on purpose: each page's module (and what it needs) loads when it is opened
        if key == "users":
            from mash_desk.gui.admin.users_page import UsersPage  # noqa: PLC0415

            return UsersPage(window, self)
        if key == "lists":
            from mash_desk.gui.admin.lists_page import TeamsAgenciesPage  # noqa: PLC0415

            return TeamsAgenciesPage(window, self)
        if key == "policy":
            from mash_desk.gui.admin.policy_page import PolicyPage  # noqa: PLC0415

            return PolicyPage(window, self)
        if key == "letterhead":
            from mash_desk.gui.admin.letterhead_page import LetterheadPage  # noqa: PLC0415

            return LetterheadPage(window, self)
        if key == "settings":
            from mash_desk.gui.admin.settings_page import SettingsPage  # noqa: PLC0415

            return SettingsPage(window, self)
        if key == "holds":
            from mash_desk.gui.admin.holds_page import HoldsPage  # noqa: PLC0415

            return HoldsPage(window, self)
        raise AssertionError(key)

    @property
    def pages(self) -> list[LazyPage]:
        return self.lazy.pages

    def page(self, key: str) -> QWidget | None:
        """The page (built now if it was not yet)."""
        found = self.lazy.find(key)
        return self.lazy.ensure(found) if found is not None else None

    # each page by name, built on first use (the screenshots and tests reach them this way)
    @property
    def users(self) -> UsersPage:
        return self.page("users")  # type: ignore[return-value]

    @property
    def lists(self) -> TeamsAgenciesPage:
        return self.page("lists")  # type: ignore[return-value]

    @property
    def policy(self) -> PolicyPage:
        return self.page("policy")  # type: ignore[return-value]

    @property
    def letterhead(self) -> LetterheadPage:
        return self.page("letterhead")  # type: ignore[return-value]

    @property
    def settings(self) -> SettingsPage:
        return self.page("settings")  # type: ignore[return-value]

    @property
    def holds(self) -> HoldsPage:
        return self.page("holds")  # type: ignore[return-value]

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
        page = self.lazy.current()
        if page is not None and page.key not in self._shown and self.isVisible():
            self._shown.add(page.key)
            self._load(page)

    def _load(self, page: LazyPage) -> None:
        loader: Callable[[], None] = getattr(self.lazy.ensure(page), "reload")  # noqa: B009 - every admin page has one
        loader()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._first_show()

    def refresh(self) -> None:
        """Read again every page that has been shown (F5); what is being typed in a form is kept."""
        for page in self.pages:
            if page.key in self._shown and page.key in REFRESHED_BY_F5:
                self._load(page)


def add_admin_area(
    host: QMainWindow,
    workspace: QTabWidget,
    window: WindowContext,
    *,
    first_digit: int,
    index: int,
) -> AdminArea | None:
    """Put the Administration tab (at ``index``) and its menu into the main window ``host``, for an
    administrator only; its pages take Ctrl+``first_digit`` onwards (the digits before are the Reports pages')."""
    if window.actor.role is not Role.ADMIN:
        return None
    area = AdminArea(window, host)
    title = tr("Administration")
    position = workspace.insertTab(index, area, title)
    workspace.tabBar().setTabButton(position, workspace.tabBar().ButtonPosition.RightSide, None)
    status = host.statusBar()
    menu = QMenu(title, host)
    menu.setTitle(tr("A&dministration"))
    keys: list[str] = []

    def wire(page: LazyPage) -> None:
        """A page just built: its status messages go to the window."""
        page_message = getattr(page.widget, "message", None)
        if page_message is not None:
            page_message.connect(lambda text: status.showMessage(text, 10_000))

    area.lazy.on_built = wire
    for number, page in enumerate(area.pages, start=first_digit):
        action = QAction(page.title, host)
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
    bar = host.menuBar()
    actions = bar.actions()
    if actions:  # before Help
        bar.insertMenu(actions[-1], menu)
    else:
        bar.addMenu(menu)
    area.menu = menu
    area.workspace = workspace
    return area
