"""The command line: real databases, one clear line and a non-zero exit for anything that goes wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from mash_desk.cli import main
from mash_desk.domain.enums import Role
from mash_desk.store import migrate
from mash_desk.store.database import Database
from tests.support import World, contact_draft


def _url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def test_version_is_quick_and_says_the_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mash_desk.cli", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.startswith("MASH Desk ")
    assert "PySide6" not in done.stderr


def test_report_lists_open_work(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    from mash_desk.services import intake

    intake.log_contact(world.sam, contact_draft(world.clock))
    assert main(["--db", _url(world.db), "--user", world.logins["sam"], "report"]) == 0
    out = capsys.readouterr().out
    assert "received, waiting for screening" in out
    assert "all open work" in out


def test_db_upgrade_then_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert main(["--db", url, "db", "upgrade"]) == 0
    assert main(["--db", url, "db", "status"]) == 0
    assert f"schema:   {migrate.head_revision()}" in capsys.readouterr().out


def test_unreachable_database_is_one_line_and_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", "postgresql://nobody@127.0.0.1:1/none", "report"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0
    assert len(err) == 1
    assert err[0].startswith("mash-desk: ")
    assert "could not be reached" in err[0]


def test_not_a_database_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "mysql://x/y", "report"]) == 2
    assert "SQLite or PostgreSQL" in capsys.readouterr().err


def test_database_not_set_up_says_run_db_upgrade(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", f"sqlite:///{tmp_path / 'empty.sqlite3'}", "report"]) == 1
    assert "mash-desk db upgrade" in capsys.readouterr().err


def test_newer_database_is_refused(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    assert main(["--db", _url(db), "report"]) == 1
    assert "newer version of MASH Desk" in capsys.readouterr().err


def test_unknown_user_is_refused(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    if world.db.is_postgresql:
        # a role that exists but is no MASH Desk staff account: the server itself refuses it
        assert main(["--db", _url(world.db), "--user", "pg_monitor", "report"]) == 1
        assert "not a MASH Desk staff account" in capsys.readouterr().err
    else:
        assert main(["--db", _url(world.db), "--user", "nobody", "report"]) == 1
        assert "not a MASH Desk user" in capsys.readouterr().err


def test_user_add_refuses_a_bad_role(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", _url(db), "user", "add", "--username", "first", "--name", "First", "--role", "wizard"])
    assert code == 2
    assert "role" in capsys.readouterr().err


def test_an_administrator_manages_people_from_the_command_line(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin_args = ["--db", _url(world.db), "--user", world.logins["admin"]]
    sam = world.logins["sam"]
    assert main([*admin_args, "user", "set-role", "--username", sam, "--role", "manager", "--team", "MASH Team"]) == 0
    assert world.sam.whoami().role is Role.MANAGER
    assert main([*admin_args, "user", "disable", "--username", sam, "--reason", "Left the service"]) == 0
    assert main([*admin_args, "user", "enable", "--username", sam, "--reason", "Came back"]) == 0
    assert world.sam.whoami().role is Role.MANAGER
    capsys.readouterr()
    # a practitioner cannot, and a bad role is a usage message at the field
    assert (
        main(
            [
                "--db",
                _url(world.db),
                "--user",
                world.logins["priya"],
                "user",
                "disable",
                "--username",
                sam,
                "--reason",
                "x",
            ]
        )
        != 0
    )
    assert main([*admin_args, "user", "set-role", "--username", sam, "--role", "wizard"]) == 2
    assert "role" in capsys.readouterr().err
    # passwords are typed, never given as arguments; mismatched typing changes nothing
    answers = iter(["first phrase long enough", "second phrase long enough"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(answers))
    assert main([*admin_args, "user", "password", "--username", sam]) == 2
    assert "differ" in capsys.readouterr().err
