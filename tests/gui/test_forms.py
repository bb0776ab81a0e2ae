"""Every Designer form loads, and both themes fill the style sheet.

(The layer rules that used to live here are the import-linter contract: tests/test_layers.py.
Where ``ui/`` and ``resources/`` are found is tests/test_paths.py.)
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QDateEdit, QDialog, QWidget
from pytestqt.qtbot import QtBot

from mash_desk import paths
from mash_desk.gui.date_box import DateBox
from mash_desk.gui.forms import form_loader, load_form
from mash_desk.gui.theme import DARK, LIGHT, style_sheet


@pytest.mark.parametrize("form", sorted(p.name for p in paths.asset_root().joinpath("ui").glob("*.ui")))
def test_every_designer_form_loads(qtbot: QtBot, form: str) -> None:
    host = QDialog() if "dialog" in form else QWidget()
    qtbot.addWidget(host)
    loaded = load_form(form, host)
    assert loaded.parent() is host


def test_forms_load_without_designer_plugins(qtbot: QtBot) -> None:
    # the plugins PySide6 ships (Qt WebEngine, Qt Quick) would cost 36 MB at start-up for nothing
    # registering DateBox adds PySide's own entry for widgets written in Python: an empty path, no folder
    assert [path for path in form_loader().pluginPaths() if path] == []
    assert "QWebEngineView" not in form_loader().availableWidgets()
    assert form_loader() is form_loader()


def test_both_themes_fill_every_colour_in_the_style_sheet() -> None:
    for colours in (LIGHT, DARK):
        body = re.sub(r"/\*.*?\*/", "", style_sheet(colours), flags=re.S)
        assert re.findall(r"@\w+@", body) == []


def test_a_form_places_the_date_box_its_customwidgets_entry_promotes(qtbot: QtBot) -> None:
    host = QDialog()
    qtbot.addWidget(host)
    loaded = load_form("consent_dialog.ui", host)
    box = loaded.findChild(DateBox, "obtained_on_edit")
    assert isinstance(box, DateBox)
    assert loaded.findChildren(QDateEdit) == []
