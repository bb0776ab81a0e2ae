"""The installer end to end: freeze (or reuse a fresh bundle), build the .deb, unpack it, run it.

The bundle in ``build/installer/dist`` is reused only if it is newer than every file under
``mash_desk/``, ``ui/``, ``resources/`` and ``installer/`` (and ``pyproject.toml``); otherwise it is
frozen again with ``installer/build.sh --bundle-only``. The .deb is built uncompressed into a
temporary folder (compression is the slow part and changes nothing that is tested here), unpacked
with ``dpkg-deb -x``, and its launcher is run from there. No network: PyInstaller works offline.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import sqlite3
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from mash_desk.store.migrate import head_revision

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "installer"
BUNDLE = BUILD / "dist" / "mash-desk"
STAMP = BUILD / "bundle.stamp"
SOURCES = ("mash_desk", "ui", "resources", "installer")
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
ARCH = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()
FUTURE_REVISION = "9999_from_a_newer_mash_desk"
BUSY_DAY = "2026-03-10"
BUSY_DAY_DECISIONS = (
    30  # about 1.5 letters each less the held family letters: over the 30 asked for and PARALLEL_FROM (24)
)
LETTER_STATES = ("awaiting_acceptance", "accepted", "authorised", "closed")


def newest_source_time() -> float:
    """The newest modification time of anything the bundle is made from (caches do not count)."""
    newest = (ROOT / "pyproject.toml").stat().st_mtime
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if "__pycache__" in path.parts or path.suffix == ".pyc" or not path.is_file():
                continue
            newest = max(newest, path.stat().st_mtime)
    return newest


def bundle_is_fresh() -> bool:
    if not STAMP.exists() or not (BUNDLE / "mash-desk").exists():
        return False
    return STAMP.stat().st_mtime > newest_source_time()


def run(
    command: list[str], *, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout, check=False)


def checked(command: list[str], *, env: dict[str, str] | None = None, timeout: float = 120) -> str:
    done = run(command, env=env, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


@dataclass(frozen=True)
class Package:
    deb: Path
    root: Path  # where the .deb was unpacked (the launcher runs from here)

    @property
    def launcher(self) -> Path:
        return self.root / "usr" / "bin" / "mash-desk"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail(
            "PyInstaller is not installed: pip install -e '.[installer]' (see installer/README.md)", pytrace=False
        )
    BUILD.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MASH_DESK_INSTALLER_LOCKED": "1", "PYTHON": sys.executable}
    with (BUILD / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time in this tree; held while the tests run it
        if not bundle_is_fresh():
            checked([str(ROOT / "installer" / "build.sh"), "--bundle-only"], env=env, timeout=600)
        out = tmp_path_factory.mktemp("deb")
        checked([str(ROOT / "installer" / "build_deb.sh")], env={**env, "OUT_DIR": str(out), "DEB_COMPRESSION": "none"})
        deb = out / f"mash-desk_{VERSION}_{ARCH}.deb"
        root = out / "root"
        checked(["dpkg-deb", "-x", str(deb), str(root)])
        yield Package(deb, root)


@pytest.fixture
def app_env(tmp_path: Path) -> dict[str, str]:
    """The frozen program's environment: its own data folder, no machine-wide profile, no screen."""
    return {
        **os.environ,
        "MASH_DESK_DATA_DIR": str(tmp_path / "data"),
        "MASH_DESK_MACHINE_PROFILES": str(tmp_path / "no-profiles.toml"),
        "QT_QPA_PLATFORM": "offscreen",
    }


@pytest.fixture
def embedded_db(package: Package, app_env: dict[str, str], tmp_path: Path) -> str:
    """A fresh embedded database, set up and with an administrator, by the installed program."""
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    out = checked([str(package.launcher), "--db", url, "db", "upgrade"], env=app_env)
    assert f"is at schema {head_revision()}" in out
    checked(
        [
            str(package.launcher),
            "--db",
            url,
            "user",
            "add",
            "--username",
            "admin",
            "--name",
            "Ada Admin",
            "--role",
            "admin",
        ],
        env=app_env,
    )
    return url


def test_package_says_what_it_is(package: Package) -> None:
    info = checked(["dpkg-deb", "--info", str(package.deb)])
    fields = dict(line.strip().split(": ", 1) for line in info.splitlines() if line.startswith(" ") and ": " in line)
    assert fields["Package"] == "mash-desk"
    assert fields["Version"] == VERSION
    assert fields["Architecture"] == ARCH
    assert fields["Maintainer"]
    depends = [item.strip() for item in fields["Depends"].split(",")]
    assert depends[0].startswith("libc6 (>= ")
    for library in ("libgl1", "libegl1", "libfontconfig1", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4"):
        assert library in depends, f"the Qt xcb platform plugin needs {library}"
    conffiles = checked(["dpkg-deb", "-I", str(package.deb), "conffiles"]).split()
    assert conffiles == ["/etc/mash-desk/profiles.toml.example"]


def test_package_installs_where_it_should(package: Package) -> None:
    contents = checked(["dpkg-deb", "--contents", str(package.deb)])
    paths = {line.split()[5].removeprefix(".") for line in contents.splitlines()}
    for expected in (
        "/opt/mash-desk/mash-desk",
        "/usr/bin/mash-desk",
        "/usr/share/applications/mash-desk.desktop",
        "/usr/share/icons/hicolor/256x256/apps/mash-desk.png",
        "/etc/mash-desk/profiles.toml.example",
        "/usr/share/doc/mash-desk/copyright",
        "/usr/share/man/man1/mash-desk.1.gz",
        "/opt/mash-desk/_internal/mash_desk/store/migrations/env.py",
        "/opt/mash-desk/_internal/ui/about_dialog.ui",
        "/opt/mash-desk/_internal/resources/icons/mash-desk.png",
        # the letters' wording: a council edits these, and no letter is made without them
        "/opt/mash-desk/_internal/resources/letters/common.toml",
        "/opt/mash-desk/_internal/resources/letters/referrer.toml",
        "/opt/mash-desk/_internal/resources/letters/family.toml",
    ):
        assert expected in paths, expected
    migrations = ROOT / "mash_desk" / "store" / "migrations" / "versions"
    for script in migrations.glob("*.py"):
        assert f"/opt/mash-desk/_internal/mash_desk/store/migrations/versions/{script.name}" in paths
    assert "/etc/mash-desk/profiles.toml" not in paths  # IT's own file: no upgrade may overwrite it
    assert not any("__pycache__" in path for path in paths)
    desktop = (package.root / "usr/share/applications/mash-desk.desktop").read_text(encoding="utf-8")
    assert "Exec=mash-desk" in desktop
    assert "Icon=mash-desk" in desktop


def test_bundle_leaves_out_tests_and_tools(package: Package) -> None:
    internal = package.root / "opt" / "mash-desk" / "_internal"
    names = {path.name for path in internal.rglob("*")}
    for unwanted in ("pytest", "_pytest", "pytestqt", "hypothesis", "mypy", "ruff", "tkinter", "tests", "PyInstaller"):
        assert unwanted not in names, unwanted
    for unwanted_qt in ("libQt6WebEngineCore.so.6", "libQt6Quick.so.6", "libQt6Multimedia.so.6", "libQt63DCore.so.6"):
        assert unwanted_qt not in names, unwanted_qt
    platforms = {path.name for path in (internal / "PySide6" / "Qt" / "plugins" / "platforms").iterdir()}
    assert {"libqxcb.so", "libqoffscreen.so"} <= platforms
    assert "libqwayland.so" not in platforms


def test_version_names_the_program_and_its_schema(package: Package, app_env: dict[str, str]) -> None:
    out = checked([str(package.launcher), "--version"], env=app_env)
    assert out.strip() == f"MASH Desk {VERSION} (database schema {head_revision()})"


def test_commands_work_on_an_embedded_database(package: Package, app_env: dict[str, str], embedded_db: str) -> None:
    status = checked([str(package.launcher), "--db", embedded_db, "db", "status"], env=app_env)
    assert f"schema:   {head_revision()}" in status
    report = checked([str(package.launcher), "--db", embedded_db, "--user", "admin", "report"], env=app_env)
    assert "all open work" in report


def test_refuses_a_database_newer_than_it_understands(
    package: Package, app_env: dict[str, str], embedded_db: str
) -> None:
    path = make_url(embedded_db).database
    assert path is not None
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (FUTURE_REVISION,))
    done = run([str(package.launcher), "--db", embedded_db, "--user", "admin", "report"], env=app_env)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("mash-desk: ")
    assert "newer version of MASH Desk" in lines[0]
    assert FUTURE_REVISION in lines[0]
    assert done.stdout == ""


def test_talks_to_postgresql(package: Package, app_env: dict[str, str], pg_template: str) -> None:
    """psycopg's bundled libpq works from the package (the shared database is PostgreSQL)."""
    out = checked([str(package.launcher), "--db", pg_template, "db", "status"], env=app_env)
    assert f"schema:   {head_revision()}" in out


def test_window_opens_offscreen_and_closes(package: Package, app_env: dict[str, str], embedded_db: str) -> None:
    if not (ROOT / "mash_desk" / "gui" / "app.py").exists():
        pytest.skip("waits on mash_desk/gui/app.py (the window's entry point) and `mash-desk --quit-after`")
    command = [str(package.launcher), "--db", embedded_db, "--user", "admin", "--quit-after", "500"]
    done = run(command, env=app_env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "qt.qpa.plugin" not in done.stderr


def _gather_decisions_onto_one_day(path: Path, day: str, contacts: int) -> None:
    """Demo data spreads ten years of decisions thin (a handful a day); gather some onto one day so that
    a single day's batch is as big as a busy hub's."""
    with closing(sqlite3.connect(path)) as conn, conn:
        marks = ",".join("?" * len(LETTER_STATES))
        ids = [
            row[0]
            for row in conn.execute(
                f"SELECT id FROM contact WHERE decided_at IS NOT NULL AND status IN ({marks}) ORDER BY id LIMIT ?",
                (*LETTER_STATES, contacts),
            )
        ]
        assert len(ids) == contacts
        conn.executemany(
            "UPDATE contact SET decided_at = ? WHERE id = ?", [(f"{day} 12:00:00.000000", cid) for cid in ids]
        )


def test_a_batch_of_letters_renders_in_worker_processes(
    package: Package, app_env: dict[str, str], tmp_path: Path
) -> None:
    """The frozen program is its own Python: its worker processes must run the work (freeze_support),
    not start another MASH Desk. Proven by a day's batch big enough for workers, and by the log."""
    assert (os.cpu_count() or 1) >= 2, "the batch uses worker processes only with two or more CPUs"
    database = tmp_path / "demo.sqlite3"
    url = f"sqlite:///{database}"
    checked([str(package.launcher), "--db", url, "demo", "--contacts", "3000", "--seed", "3", "--quiet"], env=app_env)
    _gather_decisions_onto_one_day(database, BUSY_DAY, BUSY_DAY_DECISIONS)
    out = tmp_path / "letters"

    done = run(
        # the family letters too, to the addressees listed (held ones stay for a social worker)
        [
            str(package.launcher),
            "--db",
            url,
            "--user",
            "bea",
            "letters",
            "--date",
            BUSY_DAY,
            "--out",
            str(out),
            "--confirm-family",
        ],
        env=app_env,
        timeout=300,
    )

    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert "usage:" not in done.stderr
    assert "Traceback" not in done.stderr
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) >= 30
    assert all(pdf.read_bytes().startswith(b"%PDF-") for pdf in pdfs)
    assert f"Issued {len(pdfs)} of {len(pdfs)} letters by post." in done.stdout
    log = (Path(app_env["MASH_DESK_DATA_DIR"]) / "logs" / "mash-desk.log").read_text(encoding="utf-8")
    assert f"rendering {len(pdfs)} letters in " in log
    assert " worker processes" in log
    # every program start is logged: the demo and the batch, and no worker that became a MASH Desk
    starts = [line for line in log.splitlines() if " started: " in line]
    assert [line.split(" started: ")[1].split(" on ")[0] for line in starts] == ["demo", "letters"]


def test_dpkg_installs_upgrades_removes_and_purges(package: Package, tmp_path: Path) -> None:
    """A real dpkg run into a private root: IT's profiles.toml survives upgrades and removal."""
    root = tmp_path / "system"
    admin = root / "var" / "lib" / "dpkg"
    for folder in ("info", "updates", "triggers"):
        (admin / folder).mkdir(parents=True)
    (admin / "status").touch()
    (admin / "available").touch()
    dpkg = ["dpkg", f"--root={root}", "--force-script-chrootless", "--force-not-root", "--force-depends"]

    checked([*dpkg, "--install", str(package.deb)])
    assert (root / "opt/mash-desk/mash-desk").exists()
    profiles = root / "etc/mash-desk/profiles.toml"
    profiles.write_text('[[profile]]\nname = "Hub"\nhost = "db.hub.example"\n', encoding="utf-8")

    checked([*dpkg, "--install", str(package.deb)])  # the same package again: what an upgrade does
    assert profiles.read_text(encoding="utf-8").startswith("[[profile]]")

    checked([*dpkg, "--remove", "mash-desk"])
    assert not (root / "opt" / "mash-desk").exists()
    assert not (root / "usr/bin/mash-desk").exists()
    assert profiles.exists()  # remove keeps configuration

    checked([*dpkg, "--purge", "mash-desk"])
    assert not (root / "etc" / "mash-desk").exists()
