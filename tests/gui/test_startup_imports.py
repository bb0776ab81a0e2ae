"""What the first window may import: a practitioner's (and a manager's) queue, painted with rows.

The window opened in 2.8 s because opening it imported Alembic, openpyxl, reportlab, Qt Charts, Qt PDF,
every manager and administration page, the letters and the exports (issue 11). Those now load when
first needed; this test keeps it so. It starts the real program in a fresh interpreter on an embedded
demo database, as ``benchmarks/startup.py`` times it, and reads ``sys.modules`` at the first paint of
the queue with rows in it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mash_desk.domain.enums import Role
from mash_desk.gui.main_window import MANAGER_AREA_ROLES
from mash_desk.gui.manager.area import PAGES_BY_ROLE
from mash_desk.store.database import Database
from mash_desk.tools.demo import generate_demo

CHECKOUT = Path(__file__).resolve().parents[2]
LAUNCHER = CHECKOUT / "benchmarks" / "first_paint.py"

HEAVY = (
    # third-party packages the first window has no use for
    "alembic",  # the schema check reads one table (store/migrate.py)
    "openpyxl",  # Annex A exports
    "reportlab",  # letters
    "pypdf",
    "xmlschema",
    "holidays",  # working days: loaded when a deadline is first worked out
    "psycopg",  # the driver, on the embedded database
    "keyring",  # passwords for a server: finding its backends is 20 MB (credentials.py)
    "PySide6.QtCharts",  # the dashboard
    "PySide6.QtPdf",  # letter preview
    "PySide6.QtPdfWidgets",
    "PySide6.QtPrintSupport",  # printing letters
    # our own areas that open when someone opens them
    "mash_desk.gui.admin",
    "mash_desk.letters",
    "mash_desk.exports",
    "mash_desk.services.letters",
    "mash_desk.services.statutory",
    "mash_desk.services.dashboard",
    "mash_desk.services.manager",
    "mash_desk.tools",  # demo data, bench, screenshots, load test
    # the window's own parts that open when someone asks for them (issue 11, second pass: 40-80 ms of CPU)
    "mash_desk.gui.person_record",  # a person's record, with its services, dialogs and editors
    "mash_desk.services.person_record",
    "mash_desk.gui.find_person",  # Ctrl+F
    "mash_desk.gui.intake_form",  # a new contact: the form, its editors and the match search
    "mash_desk.services.search",
    "mash_desk.gui.risk_actions",  # DASH, MARAC and GCP2, from a contact's actions
    "mash_desk.services.risk_tools",
    "mash_desk.gui.about_dialog",
    "mash_desk.gui.password_dialog",
    "mash_desk.gui.dialogs.goto",
)
"""Packages and modules (each with everything under it) the first window must not import."""

QT_MODULES = frozenset({"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtUiTools"})
"""The only Qt libraries the first window loads (each one is megabytes of shared libraries)."""

MANAGER_PAGES = "mash_desk.gui.manager"
MANAGER_AREA_SHELL = frozenset({"mash_desk.gui.manager", "mash_desk.gui.manager.area"})
"""A manager's window has the Manager tab; its pages are built (and imported) when first opened."""


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small embedded demo hub: sam has open work, maria decisions to authorise."""
    path = tmp_path_factory.mktemp("startup") / "demo.sqlite3"
    db = Database(f"sqlite:///{path}")
    generate_demo(db, contacts=150, seed=1)
    db.dispose()
    return f"sqlite:///{path}"


def modules_at_first_paint(url: str, user: str, tmp_path: Path) -> list[str]:
    """Start MASH Desk as ``user`` in a fresh interpreter; the modules loaded when the queue first painted
    (with its rows, or saying it is empty once it has read it)."""
    dump = tmp_path / f"modules-{user}.txt"
    data = tmp_path / f"data-{user}"
    data.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(CHECKOUT),  # this checkout's code, whatever the venv has installed
        "QT_QPA_PLATFORM": "offscreen",
        "MASH_DESK_DATA_DIR": str(data),
    }
    done = subprocess.run(
        [
            *(sys.executable, str(LAUNCHER), "app", "--empty-ok", "--give-up-after", "240", "--modules", str(dump)),
            *("--", "--db", url, "--user", user),
        ],
        capture_output=True,
        text=True,
        timeout=300,  # the launcher gives up first, with its own message
        env=env,
        cwd=CHECKOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert dump.exists(), f"the queue never painted with rows:\n{done.stderr}"
    return dump.read_text(encoding="utf-8").split()


def heavy_imports(modules: list[str], *, allowed: frozenset[str] = frozenset()) -> list[str]:
    return [m for m in modules if m not in allowed and any(_under(m, heavy) for heavy in HEAVY)]


def test_a_practitioners_first_window_imports_nothing_heavy(demo_database: str, tmp_path: Path) -> None:
    modules = modules_at_first_paint(demo_database, "sam", tmp_path)
    assert "mash_desk.gui.main_window" in modules  # the window really opened
    assert heavy_imports(modules) == []
    assert [m for m in modules if _under(m, MANAGER_PAGES)] == []
    assert {m for m in modules if m.startswith("PySide6.Qt")} <= QT_MODULES


def test_a_managers_first_window_builds_no_page_before_it_is_opened(demo_database: str, tmp_path: Path) -> None:
    modules = modules_at_first_paint(demo_database, "maria", tmp_path)
    assert "mash_desk.gui.manager.area" in modules  # the Manager tab is there, its pages are not yet
    assert heavy_imports(modules) == []
    assert [m for m in modules if _under(m, MANAGER_PAGES) and m not in MANAGER_AREA_SHELL] == []
    assert {m for m in modules if m.startswith("PySide6.Qt")} <= QT_MODULES


def test_the_window_loads_the_manager_area_for_exactly_the_roles_that_have_pages() -> None:
    assert {role for role in Role if PAGES_BY_ROLE.get(role)} == MANAGER_AREA_ROLES


def test_the_check_finds_a_heavy_import() -> None:
    """The lists above are what fails the test: a window that loaded reportlab or Qt PDF would be caught."""
    loaded = ["mash_desk.gui.main_window", "reportlab.platypus", "PySide6.QtPdf", "mash_desk.gui.manager.letters_page"]
    assert heavy_imports(loaded) == ["reportlab.platypus", "PySide6.QtPdf"]
