"""The Partnership area of the main window: the Safeguarding Children Partnership's assurance pages
(case audits, threshold exercises, supervision, the quarterly pack) as tabs, and a Partnership menu.

Pages are listed once, in ``PAGES``, with who sees them; each is imported and built the first time it
is shown, so the area costs a practitioner's first window nothing but this module. A page is a
``QWidget`` made as ``Page(window, parent)``; if it has ``reload()`` that reads its data on first show
and on F5, ``open_requested(int)`` opens a contact and ``message(str)`` goes to the status bar.

The menu's items are reached by their mnemonics (Alt+P, then the letter): Ctrl+Shift+digit is not
typed reliably on UK keyboards (Shift+digit is a symbol) and Ctrl+digit belongs to the Manager area.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib import import_module

from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget, QVBoxLayout, QWidget

from mash_desk.domain.audits import QUALITY_ASSURANCE_OVERSEERS
from mash_desk.domain.enums import Role
from mash_desk.gui.lazy_tabs import LazyPage, LazyTabs
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr

EVERY_ROLE = frozenset(Role)


@dataclass(frozen=True)
class PageSpec:
    """One page of the area: ``module``'s ``class_name`` is built for the ``roles`` listed."""

    key: str
    title: str  # with its menu mnemonic ("&Audits"); the tab shows it without the ampersand
    module: str
    class_name: str
    roles: frozenset[Role]


_OVERSEERS = frozenset({Role.MANAGER, Role.AUDITOR, Role.ADMIN})

PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "audits", "&Audits", "mash_desk.gui.partnership.audit_setup_page", "AuditsPage", QUALITY_ASSURANCE_OVERSEERS
    ),
    # anyone may be asked to audit a case; the page says so when they have none
    PageSpec(
        "audit_cases",
        "My audit &Cases",
        "mash_desk.gui.partnership.audit_case_page",
        "AuditCasesPage",
        EVERY_ROLE - {Role.ADMIN},
    ),
    PageSpec(
        "exercises",
        "&Exercises",
        "mash_desk.gui.partnership.exercise_page",
        "ExercisesPage",
        QUALITY_ASSURANCE_OVERSEERS,
    ),
    PageSpec(
        "vignettes",
        "&Vignettes to rate",
        "mash_desk.gui.partnership.exercise_rating_page",
        "VignettesToRatePage",
        frozenset({Role.PRACTITIONER, Role.AGENCY, Role.MANAGER}),
    ),
    PageSpec(
        "supervision", "&Supervision", "mash_desk.gui.partnership.supervision_page", "SupervisionPage", _OVERSEERS
    ),
    PageSpec("pack", "&Quarterly pack", "mash_desk.gui.partnership.pack_page", "QuarterlyPackPage", _OVERSEERS),
)
"""Every page of the area, in tab order."""


def pages_for(role: Role) -> tuple[PageSpec, ...]:
    return tuple(spec for spec in PAGES if role in spec.roles)


class PartnershipArea(QWidget):
    """The partnership's pages as tabs, each built and read the first time it is shown."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("partnership_area")
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
        self.specs = {spec.key: spec for spec in pages_for(window.actor.role)}
        for spec in self.specs.values():
            self.lazy.add(spec.key, tr(spec.title).replace("&", ""), partial(self._build, spec))
        self.tabs.currentChanged.connect(lambda _index: self._first_show())

    def _build(self, spec: PageSpec) -> QWidget:
        page_class = getattr(import_module(spec.module), spec.class_name)
        page: QWidget = page_class(self._window, self)
        return page

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
        if page is None or not self.isVisible():
            return
        self.lazy.ensure(page)
        if page.key not in self._shown:
            self._shown.add(page.key)
            self._load(page.key)

    def _load(self, key: str) -> None:
        widget = self.lazy.built(key)
        loader: Callable[[], None] | None = getattr(widget, "reload", None)
        if loader is not None:
            loader()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._first_show()

    def refresh(self) -> None:
        """Read again every page that has been shown (F5)."""
        for key in list(self._shown):
            self._load(key)


def add_partnership_area(
    host: QMainWindow,
    workspace: QTabWidget,
    window: WindowContext,
    open_contact: Callable[[int], object],
    *,
    index: int,
) -> PartnershipArea | None:
    """Put the Partnership tab (at ``index``, after the other areas and before any contact) and its menu
    into the main window ``host``; None if the person's role has no partnership pages."""
    area = PartnershipArea(window, host)
    if area.empty:
        area.deleteLater()
        return None
    title = tr("Partnership")
    index = workspace.insertTab(index, area, title)
    workspace.tabBar().setTabButton(index, workspace.tabBar().ButtonPosition.RightSide, None)
    workspace.setTabToolTip(index, tr("The Safeguarding Children Partnership's assurance work"))
    status = host.statusBar()

    def wire(page: LazyPage) -> None:
        """A page just built: its "open this contact" / "open this person", and status messages, go to the window."""
        opener = getattr(page.widget, "open_requested", None)
        if opener is not None:
            opener.connect(open_contact)
        person = getattr(page.widget, "person_requested", None)
        open_person = getattr(host, "open_person", None)
        if person is not None and open_person is not None:
            person.connect(open_person)
        message = getattr(page.widget, "message", None)
        if message is not None:
            message.connect(lambda text: status.showMessage(text, 10_000))

    area.lazy.on_built = wire
    menu = QMenu(title, host)
    menu.setTitle(tr("&Partnership"))
    for page in area.pages:
        action = QAction(tr(area.specs[page.key].title), host)
        action.triggered.connect(lambda _checked=False, k=page.key: area.show_page(k))
        menu.addAction(action)
        page.action = action
    bar = host.menuBar()
    actions = bar.actions()
    if actions:  # before Help
        bar.insertMenu(actions[-1], menu)
    else:
        bar.addMenu(menu)
    area.menu = menu
    area.workspace = workspace
    return area
