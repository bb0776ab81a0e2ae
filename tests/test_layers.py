"""The layers you can see: nothing below the GUI imports Qt, and the GUI never builds SQL.

Read twice: statically (every ``import`` in every file, even ones inside functions) and for real
(each module imported in a fresh interpreter, then ``sys.modules`` checked for PySide6).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import mash_desk

PACKAGE = Path(mash_desk.__file__).resolve().parent
ROOT = PACKAGE.parent
QT_FREE = ("domain", "store", "services", "letters", "exports")
# what each lower layer may import of ours (DESIGN.md: the arrows point one way)
MAY_IMPORT: dict[str, frozenset[str]] = {
    "domain": frozenset({"domain"}),
    "store": frozenset({"domain", "store"}),
    "letters": frozenset({"domain", "letters"}),
}


def _files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    return _imports_in(path.read_text(encoding="utf-8"), _module_name(path), is_package=path.name == "__init__.py")


def _imports_in(source: str, module_name: str, *, is_package: bool = False) -> set[str]:
    """Every module named by an import statement in ``source``, resolved to an absolute name."""
    package = module_name if is_package else module_name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: "from ..gui import x" inside mash_desk/<layer>/...
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _offenders(layers: tuple[str, ...], forbidden: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for layer in layers:
        for path in _files(layer):
            bad = sorted(n for n in _imports(path) if n == forbidden or n.startswith(f"{forbidden}."))
            if bad:
                found[str(path.relative_to(ROOT))] = bad
    return found


def test_the_layers_exist_where_this_test_looks() -> None:
    for layer in (*QT_FREE, "gui"):
        assert _files(layer), f"no Python files under mash_desk/{layer}"


def test_nothing_below_the_gui_imports_pyside6_in_its_source() -> None:
    assert _offenders(QT_FREE, "PySide6") == {}


def test_the_gui_never_imports_sqlalchemy() -> None:
    assert _offenders(("gui",), "sqlalchemy") == {}


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_lower_layers_import_only_what_is_below_them(layer: str) -> None:
    allowed = MAY_IMPORT[layer]
    wrong: dict[str, list[str]] = {}
    for path in _files(layer):
        ours = {name for name in _imports(path) if name.startswith("mash_desk.")}
        bad = sorted(name for name in ours if name.split(".")[1] not in allowed)
        if bad:
            wrong[str(path.relative_to(ROOT))] = bad
    assert wrong == {}


def test_the_import_walk_sees_every_kind_of_import() -> None:
    """The checks above would pass on a walker that saw nothing: prove this one sees what matters."""
    source = (
        "import PySide6.QtCore\n"
        "from PySide6 import QtWidgets\n"
        "from ..gui import main_window\n"
        "from . import queries\n"
        "def later():\n"
        "    from sqlalchemy.orm import Session\n"
    )
    names = _imports_in(source, "mash_desk.store.database")
    assert {
        "PySide6.QtCore",
        "PySide6",
        "PySide6.QtWidgets",
        "mash_desk.gui.main_window",
        "mash_desk.store.queries",
        "sqlalchemy.orm.Session",
    } <= names


IMPORT_EACH = """
import importlib, json, sys
report = {}
for name in sys.argv[1:]:
    importlib.import_module(name)
    report[name] = sorted(m for m in sys.modules if m == "PySide6" or m.startswith("PySide6."))
print(json.dumps(report))
"""


def test_importing_any_module_below_the_gui_loads_no_qt() -> None:
    modules = [
        _module_name(path)
        for layer in QT_FREE
        for path in _files(layer)
        # Alembic's env and revision scripts run only inside a migration context
        if "migrations" not in path.relative_to(PACKAGE).parts
    ]
    assert len(modules) > 20
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH, *modules],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, list[str]] = json.loads(result.stdout)
    assert list(report) == modules
    # modules are imported in turn, so the first one listed with Qt loaded is the one that pulled it in
    assert {name: qt for name, qt in report.items() if qt} == {}
