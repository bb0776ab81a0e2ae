"""Loading Qt Designer forms from ``ui/`` and finding their widgets by name, with types."""

from __future__ import annotations

import functools
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QFile, QIODevice, QObject
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QDialog, QLabel, QSizePolicy, QVBoxLayout, QWidget

from mash_desk.gui.date_box import DateBox
from mash_desk.gui.widgets import leave_tables_on_tab
from mash_desk.paths import ui_file

W = TypeVar("W", bound=QObject)


@functools.cache
def form_loader() -> QUiLoader:
    """The one loader every form goes through, made without Qt Designer's widget plugins.

    A ``QUiLoader`` loads every plugin under the library paths' ``designer`` folders when it is made:
    PySide6 ships Qt WebEngine's and Qt Quick's, which cost about 36 MB of memory and a tenth of a
    second at start-up, and our forms use only Qt's own widgets and the ones registered here (a form
    naming any other class fails to load, which ``tests/gui/test_forms.py`` would show). A form places
    ``DateBox`` as a promoted ``QLineEdit`` (its ``customwidgets`` entry).
    """
    library_paths = QCoreApplication.libraryPaths()
    QCoreApplication.setLibraryPaths([])
    try:
        loader = QUiLoader()
        # registering reads the plugin folders too: with the library paths still empty, there are none
        loader.registerCustomWidget(DateBox)
    finally:
        QCoreApplication.setLibraryPaths(library_paths)
    return loader


def load_form(name: str, host: QWidget) -> QWidget:
    """Load ``ui/<name>`` and put it inside ``host`` (which gets a margin-less layout if it has none).

    The host is our own class, with the methods and signals; the form is only the layout.
    """
    path = ui_file(name)
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"the form {path} cannot be opened: {file.errorString()}")
    try:
        loader = form_loader()
        form = loader.load(file, host)
    finally:
        file.close()
    if form is None:
        raise RuntimeError(f"the form {path} could not be loaded: {loader.errorString()}")
    for label in form.findChildren(QLabel):
        if label.property("banner"):
            # a message strip is as tall as its text, never a share of the free space
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    leave_tables_on_tab(form)
    layout = host.layout()
    if layout is None:
        layout = QVBoxLayout(host)
        if not isinstance(host, QDialog):
            layout.setContentsMargins(0, 0, 0, 0)  # a page inside a window; a dialog keeps its margins
    layout.addWidget(form)
    if not host.windowTitle() and form.windowTitle():
        host.setWindowTitle(form.windowTitle())
    return form


def need(root: QObject, kind: type[W], name: str) -> W:
    """The child called ``name`` of type ``kind``; a missing one is a bug in the .ui file."""
    found = root.findChild(kind, name)
    if found is None:
        raise LookupError(f"{type(root).__name__} has no {kind.__name__} called {name!r}; check the .ui file")
    return found
