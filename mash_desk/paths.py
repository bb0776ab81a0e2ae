"""Every path MASH Desk uses on this computer, in one module that tests and portable installs redirect.

Three places, each with an environment variable that moves it:

- the user's **data folder** (``MASH_DESK_DATA_DIR``; otherwise platformdirs' per-user data folder):
  the embedded database, the log, the window's settings, the user's connection profiles and the
  half-typed drafts;
- the **assets** (``MASH_DESK_ASSETS``): ``ui/`` and ``resources/``, beside the ``mash_desk`` package
  in a checkout, under ``sys._MEIPASS`` in a PyInstaller bundle (the installer collects them there);
- the **machine-wide profile file** IT lays down (``MASH_DESK_MACHINE_PROFILES``).

It imports nothing of the app, so the window, the command line and every layer get the same answers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "MASH Desk"
DATA_DIR_ENV = "MASH_DESK_DATA_DIR"
ASSETS_ENV = "MASH_DESK_ASSETS"
MACHINE_PROFILES_ENV = "MASH_DESK_MACHINE_PROFILES"


# --- the user's data folder -------------------------------------------------------------------------


def data_dir() -> Path:
    """The user's data folder, created if missing."""
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override) if override else user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def embedded_database() -> Path:
    """The embedded SQLite database a workstation opens when nothing else is named."""
    return data_dir() / "mash-desk.sqlite3"


def log_file() -> Path:
    """The log: ``logs/mash-desk.log`` in the data folder (the rotated ones beside it, ``.1`` to ``.5``)."""
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "mash-desk.log"


def settings_file() -> Path:
    """The window's state for this user (QSettings in INI format)."""
    return data_dir() / "mash-desk-window.ini"


def drafts_dir() -> Path:
    """Where half-typed forms are kept until they are saved, created if missing."""
    path = data_dir() / "drafts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_profiles_file() -> Path:
    """The connection profiles this user added from the connection dialog."""
    return data_dir() / "profiles.json"


# --- machine-wide ----------------------------------------------------------------------------------


def machine_profiles_file() -> Path:
    """Where IT puts the machine-wide profile file (read-only to the app)."""
    override = os.environ.get(MACHINE_PROFILES_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / APP_NAME / "profiles.toml"
    return Path("/etc/mash-desk/profiles.toml")


# --- what ships with the program ------------------------------------------------------------------


def asset_root() -> Path:
    """The folder that holds ``ui/`` and ``resources/``."""
    override = os.environ.get(ASSETS_ENV)
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle)
    return Path(__file__).resolve().parents[1]


def ui_file(name: str) -> Path:
    """A Qt Designer form from ``ui/``, by file name (``"intake_form.ui"``)."""
    return asset_root() / "ui" / name


def resource(*parts: str) -> Path:
    """A file under ``resources/`` (``resource("icons", "overdue.svg")``); no parts: the folder itself."""
    return asset_root().joinpath("resources", *parts)
