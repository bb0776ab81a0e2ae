"""The layer rules: Qt only under mash_desk/gui; the GUI never imports SQLAlchemy nor opens a session;
every Designer form loads; ``ui/`` and ``resources/`` are found through one module."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from mash_desk import paths
from mash_desk.gui.forms import load_form
from mash_desk.gui.theme import DARK, LIGHT, style_sheet

PACKAGE = Path(__file__).resolve().parents[2] / "mash_desk"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_gui_imports_qt() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "gui" not in path.relative_to(PACKAGE).parts[:1]
        and any(name.split(".")[0] in ("PySide6", "shiboken6") for name in imported_modules(path))
    ]
    assert offenders == []


def test_the_gui_never_talks_sql_nor_opens_a_session() -> None:
    for path in (PACKAGE / "gui").rglob("*.py"):
        modules = imported_modules(path)
        assert not any(name.split(".")[0] == "sqlalchemy" for name in modules), path
        assert "mash_desk.store.models" not in modules, path
        source = path.read_text(encoding="utf-8")
        assert ".session(" not in source, path
        assert ".unit(" not in source, path


@pytest.mark.parametrize("form", sorted(p.name for p in paths.asset_root().joinpath("ui").glob("*.ui")))
def test_every_designer_form_loads(qtbot: QtBot, form: str) -> None:
    host = QDialog() if "dialog" in form else QWidget()
    qtbot.addWidget(host)
    loaded = load_form(form, host)
    assert loaded.parent() is host


def test_assets_are_found_in_a_frozen_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.ui_file("intake_form.ui") == tmp_path / "ui" / "intake_form.ui"
    assert paths.resource("style.qss") == tmp_path / "resources" / "style.qss"
    monkeypatch.setenv(paths.ASSETS_ENV, str(tmp_path / "elsewhere"))
    assert paths.asset_root() == tmp_path / "elsewhere"


def test_both_themes_fill_every_colour_in_the_style_sheet() -> None:
    for colours in (LIGHT, DARK):
        body = re.sub(r"/\*.*?\*/", "", style_sheet(colours), flags=re.S)
        assert re.findall(r"@\w+@", body) == []
