"""Where the window finds its forms, icons, style sheet, settings and drafts: one module for every path.

Run from a checkout, ``ui/`` and ``resources/`` sit beside the ``mash_desk`` package. A PyInstaller
bundle unpacks them under ``sys._MEIPASS`` (the installer collects them as ``ui/`` and ``resources/``
at the bundle root); ``MASH_DESK_ASSETS`` overrides both for unusual installs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mash_desk.store.database import data_dir

ASSETS_ENV = "MASH_DESK_ASSETS"


def asset_root() -> Path:
    """The folder that holds ``ui/`` and ``resources/``."""
    override = os.environ.get(ASSETS_ENV)
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle)
    return Path(__file__).resolve().parents[2]


def ui_file(name: str) -> Path:
    """A Qt Designer form from ``ui/``, by file name (``"intake_form.ui"``)."""
    return asset_root() / "ui" / name


def resource(*parts: str) -> Path:
    """A file under ``resources/`` (``resource("icons", "overdue.svg")``)."""
    return asset_root().joinpath("resources", *parts)


def settings_file() -> Path:
    """Window state for this user (QSettings in INI format, in the data folder tests redirect)."""
    return data_dir() / "mash-desk-window.ini"


def drafts_dir() -> Path:
    """Where half-typed forms are kept until they are saved."""
    path = data_dir() / "drafts"
    path.mkdir(parents=True, exist_ok=True)
    return path
