"""Tabs whose pages are built the first time they are shown, so a page's imports (Qt Charts, Qt PDF,
reportlab, openpyxl) and widgets cost nothing until someone opens it.

Until then a tab holds an empty placeholder; building swaps the real page into the same place, with
the same title and tooltip, so code and tests that look at ``tabs.currentWidget()`` see the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTabWidget, QWidget


@dataclass
class LazyPage:
    key: str
    title: str
    build: Callable[[], QWidget]
    placeholder: QWidget
    built: QWidget | None = None
    action: QAction | None = None

    @property
    def widget(self) -> QWidget:
        """What the tab holds now: the page once built, its placeholder before."""
        return self.built if self.built is not None else self.placeholder


class LazyTabs:
    """The pages of one ``QTabWidget``, each built on first use; ``on_built`` wires a page as it is made."""

    def __init__(self, tabs: QTabWidget, on_built: Callable[[LazyPage], None] | None = None) -> None:
        self.tabs = tabs
        self.pages: list[LazyPage] = []
        self.on_built = on_built

    def add(self, key: str, title: str, build: Callable[[], QWidget], tooltip: str | None = None) -> LazyPage:
        placeholder = QWidget(self.tabs)
        page = LazyPage(key, title, build, placeholder)
        self.pages.append(page)
        index = self.tabs.addTab(placeholder, title)
        if tooltip is not None:
            self.tabs.setTabToolTip(index, tooltip)
        return page

    def find(self, key: str) -> LazyPage | None:
        return next((p for p in self.pages if p.key == key), None)

    def built(self, key: str) -> QWidget | None:
        """The page if it has been built, without building it."""
        page = self.find(key)
        return page.built if page is not None else None

    def current(self) -> LazyPage | None:
        widget = self.tabs.currentWidget()
        return next((p for p in self.pages if p.widget is widget), None)

    def ensure(self, page: LazyPage) -> QWidget:
        """Build the page (once) and put it where its placeholder was."""
        if page.built is not None:
            return page.built
        widget = page.build()
        page.built = widget
        index = self.tabs.indexOf(page.placeholder)
        was_current = self.tabs.currentIndex() == index
        tooltip = self.tabs.tabToolTip(index)
        # no currentChanged while the tab is swapped: the page is shown (and read) by whoever asked
        self.tabs.blockSignals(True)
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, widget, page.title)
            self.tabs.setTabToolTip(index, tooltip)
            if was_current:
                self.tabs.setCurrentIndex(index)
        finally:
            self.tabs.blockSignals(False)
        page.placeholder.deleteLater()
        if self.on_built is not None:
            self.on_built(page)
        return widget
