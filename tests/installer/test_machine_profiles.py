"""The machine-wide profile file IT lays down: the shipped example is valid, a password never is."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from mash_desk.domain.errors import InvalidInput
from mash_desk.paths import MACHINE_PROFILES_ENV, machine_profiles_file
from mash_desk.profiles import POSTGRESQL, load_machine_profiles

EXAMPLE = Path(__file__).resolve().parents[2] / "installer" / "profiles.toml.example"


def test_the_shipped_example_is_a_valid_machine_wide_file() -> None:
    profiles = load_machine_profiles(EXAMPLE)
    assert [p.name for p in profiles] == ["Hub database (live)", "Training database"]
    for profile in profiles:
        assert profile.managed
        assert profile.kind == POSTGRESQL
        assert profile.sslmode == "verify-full"
        assert profile.sslrootcert == "/etc/mash-desk/hub-ca.pem"
        assert profile.user == ""  # each person signs in with their own login
    assert profiles[0].url() == (
        "postgresql+psycopg://mash-db.council.example:5432/mash_desk"
        "?sslmode=verify-full&sslrootcert=%2Fetc%2Fmash-desk%2Fhub-ca.pem"
    )


def test_the_example_holds_no_password() -> None:
    document = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert all("password" not in profile for profile in document["profile"])


def test_a_profile_file_with_a_password_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(
        '[[profile]]\nname = "Hub"\nhost = "db.hub.example"\n\n'
        '[[profile]]\nname = "Leaky"\nhost = "db.hub.example"\nuser = "sam"\npassword = "hunter2"\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as refused:
        load_machine_profiles(path)
    message = str(refused.value)
    assert str(path) in message
    assert "profile 2" in message
    assert "password" in message
    assert "hunter2" not in message


def test_a_broken_profile_file_is_reported_not_skipped(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text("[[profile]\nname = 'Hub'\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="cannot be read"):
        load_machine_profiles(path)


def test_the_machine_wide_file_can_be_pointed_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.toml"
    monkeypatch.setenv(MACHINE_PROFILES_ENV, str(target))
    assert machine_profiles_file() == target
    monkeypatch.delenv(MACHINE_PROFILES_ENV)
    if sys.platform == "win32":
        assert machine_profiles_file().parts[-2:] == ("MASH Desk", "profiles.toml")
    else:
        assert machine_profiles_file() == Path("/etc/mash-desk/profiles.toml")
