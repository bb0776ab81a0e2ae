"""A database set up by a newer MASH Desk is refused by the commands: one line, exit 1, nothing changed."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from mash_desk.cli import main

FUTURE_REVISION = "9999_from_a_newer_mash_desk"


@pytest.fixture
def newer_db(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated embedded database with an administrator, then stamped with a revision from the future."""
    path = tmp_path / "newer.sqlite3"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    assert main(["--db", url, "user", "add", "--username", "admin", "--name", "Ada Admin", "--role", "admin"]) == 0
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (FUTURE_REVISION,))
    return url


def _one_refusal_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("mash-desk: ")
    assert "newer version of MASH Desk" in lines[0]
    assert FUTURE_REVISION in lines[0]
    return lines[0]


def _users(url: str) -> int:
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
        (count,) = conn.execute("SELECT count(*) FROM app_user").fetchone()
    return int(count)


def test_report_refuses(newer_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", newer_db, "--user", "admin", "report"]) == 1
    _one_refusal_line(capsys)


def test_db_status_says_so(newer_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", newer_db, "db", "status"]) == 1
    assert FUTURE_REVISION in capsys.readouterr().out


def test_db_upgrade_refuses(newer_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", newer_db, "db", "upgrade"]) == 1
    _one_refusal_line(capsys)


def test_user_add_refuses_and_changes_nothing(newer_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = _users(newer_db)
    capsys.readouterr()
    code = main(["--db", newer_db, "user", "add", "--username", "bea", "--name", "Bea", "--role", "admin"])
    assert _users(newer_db) == before
    assert code == 1
    _one_refusal_line(capsys)
