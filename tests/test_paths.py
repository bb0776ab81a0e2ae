"""Every path on disk comes from ``mash_desk.paths``, and one variable moves each place it names."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import mash_desk
from mash_desk import paths
from mash_desk.store.database import default_sqlite_url

PACKAGE = Path(mash_desk.__file__).resolve().parent


def test_everything_the_user_writes_is_in_the_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    data = tmp_path / "data"
    assert paths.data_dir() == data
    assert data.is_dir()  # made on first use
    assert paths.embedded_database() == data / "mash-desk.sqlite3"
    assert default_sqlite_url() == f"sqlite:///{data / 'mash-desk.sqlite3'}"
    assert paths.log_file() == data / "logs" / "mash-desk.log"
    assert paths.settings_file() == data / "mash-desk-window.ini"
    assert paths.drafts_dir() == data / "drafts"
    assert (data / "drafts").is_dir()
    assert paths.user_profiles_file() == data / "profiles.json"


def test_assets_are_found_in_a_checkout_a_frozen_bundle_or_where_told(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(paths.ASSETS_ENV, raising=False)
    assert paths.ui_file("intake_form.ui").is_file()
    assert paths.resource("style.qss").is_file()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.ui_file("intake_form.ui") == tmp_path / "ui" / "intake_form.ui"
    assert paths.resource("style.qss") == tmp_path / "resources" / "style.qss"
    monkeypatch.setenv(paths.ASSETS_ENV, str(tmp_path / "elsewhere"))
    assert paths.asset_root() == tmp_path / "elsewhere"


def test_the_machine_profile_file_can_be_moved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(paths.MACHINE_PROFILES_ENV, str(tmp_path / "profiles.toml"))
    assert paths.machine_profiles_file() == tmp_path / "profiles.toml"


@pytest.mark.parametrize("marker", ["_MEIPASS", "MASH_DESK_DATA_DIR", "MASH_DESK_ASSETS", "user_data_"])
def test_no_other_module_works_out_a_place_on_disk(marker: str) -> None:
    """The data folder and the assets are worked out in one place; import-linter keeps platformdirs there too."""
    others = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path != PACKAGE / "paths.py" and marker in path.read_text(encoding="utf-8")
    ]
    assert others == []
