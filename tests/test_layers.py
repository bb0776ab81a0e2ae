"""The layers you can see: the import-linter contract in pyproject.toml holds, and it can fail.

``make lint`` runs the contract (``lint-imports``); these tests run it too, prove on a small fixture
package laid out like ``mash_desk`` that each contract breaks on the import it is there to stop, and
keep the two checks import-linter cannot make: no module below the window loads Qt when it is
really imported, and the window never opens a session or a unit of work itself.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

import mash_desk

PACKAGE = Path(mash_desk.__file__).resolve().parent
ROOT = PACKAGE.parent
PYPROJECT = ROOT / "pyproject.toml"
LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def _layer_names() -> list[str]:
    return [name.strip() for layer in _contracts()["layers"]["layers"] for name in re.split(r"[|:]", layer)]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the package and pyproject.toml in ``cwd`` (and no other copy of mash_desk)."""
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-logo", "--no-cache"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(cwd)},
        check=False,
    )


def _broken(output: str) -> set[str]:
    """The names of the contracts lint-imports reported broken (its summary wraps long lines)."""
    summary = " ".join(output.split("Contracts:", 1)[0].split())
    return {str(contract["name"]) for contract in _contracts().values() if f"{contract['name']} BROKEN" in summary}


def test_the_contract_holds_on_mash_desk() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _broken(done.stdout) == set()
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in done.stdout


def test_the_contract_places_every_module_of_mash_desk_in_the_designed_order() -> None:
    """DESIGN.md's arrows; ``exhaustive`` makes lint-imports refuse a new module nobody placed."""
    assert _contracts()["layers"]["exhaustive"] is True
    assert _contracts()["layers"]["layers"] == [
        "launch",
        "cli",
        "tools",
        "gui",
        "services : profiles : credentials : logs",
        "store | letters | exports",
        "domain | paths | collector",
    ]
    children = {p.stem for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    children |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert children == set(_layer_names())


# --- the contract can fail -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A package called mash_desk with one empty module per layer (and the imports the contract
    ignores), beside a copy of the real pyproject.toml: the real contract, a tiny graph."""
    root = tmp_path_factory.mktemp("layers")
    (root / "pyproject.toml").write_text(PYPROJECT.read_text(encoding="utf-8"), encoding="utf-8")
    package = root / "mash_desk"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in _layer_names():
        (package / name).mkdir()
        (package / name / "__init__.py").write_text("")
    (package / "store" / "database.py").write_text("")
    for ignored in _contracts()["gui-through-services"].get("ignore_imports", []):
        importer, imported = (part.strip() for part in str(ignored).split("->"))
        module = package.joinpath(*importer.split(".")[1:]).with_suffix(".py")
        module.write_text(f"import {imported}\n")
    return root


def test_the_fixture_package_keeps_every_contract(fixture_project: Path) -> None:
    """Without this, the failures below could come from a broken fixture rather than the bad import."""
    done = _lint_imports(fixture_project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _broken(done.stdout) == set()


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        ("gui/a.py", "import mash_desk.gui.b\n", "no-circles"),  # with gui/b.py importing gui/a.py below
        ("gui/leak.py", "import mash_desk.store.database\n", "gui-through-services"),
        ("gui/leak.py", "from mash_desk.exports import annex_a\n", "gui-through-services"),
        ("gui/leak.py", "import mash_desk.letters\n", "gui-through-services"),
        ("gui/leak.py", "from sqlalchemy import select\n", "gui-through-services"),
        ("services/leak.py", "from PySide6.QtCore import QObject\n", "qt-only-in-gui"),
        ("store/leak.py", "import shiboken6\n", "qt-only-in-gui"),
        ("domain/leak.py", "import mash_desk.store\n", "layers"),
        ("domain/leak.py", "import mash_desk.paths\n", "layers"),
        ("store/leak.py", "import mash_desk.letters\n", "layers"),
        ("services/leak.py", "import mash_desk.gui\n", "layers"),
        ("gui/leak.py", "import mash_desk.tools\n", "layers"),
        ("leak.py", "", "layers"),  # a new top-level module nobody placed
        ("domain/leak.py", "import sqlalchemy\n", "domain-is-pure"),
        ("services/leak.py", "from platformdirs import user_data_path\n", "one-paths-module"),
    ],
)
def test_each_contract_breaks_on_the_import_it_forbids(
    fixture_project: Path, module: str, source: str, contract: str
) -> None:
    files = {module: source}
    if contract == "no-circles":
        files["gui/b.py"] = "import mash_desk.gui.a\n"
    for relative, text in files.items():
        (fixture_project / "mash_desk" / relative).write_text(text)
    try:
        done = _lint_imports(fixture_project)
    finally:
        for relative in files:
            (fixture_project / "mash_desk" / relative).unlink()
    assert done.returncode != 0
    assert _broken(done.stdout) == {_contracts()[contract]["name"]}, done.stdout + done.stderr


# --- what import-linter cannot see ----------------------------------------------------------------

BELOW_THE_GUI = ("domain", "store", "services", "letters", "exports")
BELOW_THE_GUI_MODULES = ("paths", "profiles", "credentials", "logs")

IMPORT_EACH = """
import importlib, json, sys
report = {}
for name in sys.argv[1:]:
    importlib.import_module(name)
    report[name] = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps(report))
"""


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_importing_any_module_below_the_gui_loads_no_qt() -> None:
    """For real, in a fresh interpreter: an ``importlib`` call or a plugin import is invisible to a linter."""
    files = [path for layer in BELOW_THE_GUI for path in sorted((PACKAGE / layer).rglob("*.py"))]
    files += [PACKAGE / f"{name}.py" for name in BELOW_THE_GUI_MODULES]
    modules = [
        _module_name(path)
        for path in files
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


def test_the_gui_never_opens_a_session_nor_a_unit_of_work() -> None:
    """Services open and close their own; the window only calls them (and cannot import the store)."""
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in sorted((PACKAGE / "gui").rglob("*.py"))
        if ".session(" in (source := path.read_text(encoding="utf-8")) or ".unit(" in source
    ]
    assert offenders == []
