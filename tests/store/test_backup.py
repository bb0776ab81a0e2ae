"""``mash-desk db backup`` and ``db restore``: the embedded database's own copy, checked before it is
called a backup, and a restore that refuses what it cannot trust and keeps what it replaces.

A shared PostgreSQL database is backed up with PostgreSQL's own tools: on it both commands say so and
change nothing. Everything else here is about the SQLite file, so those tests run on SQLite only.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mash_desk.cli import main
from mash_desk.services import intake
from mash_desk.store import backup, migrate
from mash_desk.store.database import Database
from mash_desk.store.models import Contact, User
from tests.support import World, contact_draft

# the SQLite file's own backup: on PostgreSQL the commands only point to its tools (first two tests)
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])
FUTURE_REVISION = "9999_from_a_newer_mash_desk"


def _url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def _file(db: Database) -> Path:
    assert db.url.database
    return Path(db.url.database)


def _contacts(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count(Contact.id))) or 0)


def _contacts_in(path: Path) -> int:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        (count,) = conn.execute("SELECT count(*) FROM contact").fetchone()
    return int(count)


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("mash-desk: ")
    return err[0]


def _backup(db: Database, out: Path) -> Path:
    assert main(["--db", _url(db), "db", "backup", "--out", str(out)]) == 0
    return out


def _restore(db: Database, source: Path) -> int:
    return main(["--db", _url(db), "db", "restore", "--from", str(source)])


def _kept_files(db: Database) -> list[Path]:
    live = _file(db)
    return sorted(live.parent.glob(f"{live.name}.before-restore-*"))


def _leftovers(db: Database) -> list[str]:
    """Files a backup or restore works in, which must never outlive it."""
    return sorted(p.name for p in _file(db).parent.iterdir() if ".restoring-" in p.name or p.name.endswith(".partial"))


def _nothing(_path: Path) -> None:
    """No file at all."""


def _not_sqlite(path: Path) -> None:
    path.write_text("a letter, not a database " * 200)


def _other_sqlite(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")


def _newer(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (FUTURE_REVISION,))


def _damaged(path: Path) -> None:
    """Pages in the middle of the file overwritten: the kind of damage a failing disk leaves."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    pages = len(data) // page
    assert pages > 8
    for number in range(pages // 2, pages // 2 + 4):  # 0-based: never page 1, the schema's own page
        data[number * page : (number + 1) * page] = b"\xa5" * page
    path.write_bytes(bytes(data))


# --- on both databases -----------------------------------------------------------------------------


def test_db_backup_copies_the_embedded_database_and_points_a_hub_to_postgresql_tools(
    db: Database, backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "backups" / "monday.sqlite3"
    code = main(["--db", _url(db), "db", "backup", "--out", str(out)])
    if backend == "postgresql":
        assert code == 1
        line = _one_line(capsys)
        assert "PostgreSQL's own tools" in line
        assert "base backups with WAL archiving" in line
        assert "pgBackRest" in line
        assert not out.exists()
        return
    assert code == 0
    said = capsys.readouterr().out
    assert f"to {out}" in said
    assert "integrity checked" in said
    with closing(sqlite3.connect(out)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(migrate.head_revision(),)]


def test_db_restore_replaces_the_embedded_database_and_points_a_hub_to_postgresql_tools(
    db: Database, backend: str, sqlite_template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.session() as session:
        users_before = session.scalar(select(func.count(User.id)))
    code = _restore(db, sqlite_template)
    if backend == "postgresql":
        assert code == 1
        line = _one_line(capsys)
        assert "PostgreSQL's own tools" in line
        assert "pgBackRest" in line
    else:
        assert code == 0
        assert "Restored " in capsys.readouterr().out
    with db.session() as session:
        assert session.scalar(select(func.count(User.id))) == users_before
    assert migrate.current_revision(db) == migrate.head_revision()


# --- the embedded database ---------------------------------------------------------------------------


@SQLITE_ONLY
def test_a_restore_brings_the_backup_back_and_keeps_what_it_replaced(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = world.db
    intake.log_contact(world.sam, contact_draft(world.clock))
    saved = _backup(db, tmp_path / "after-one.sqlite3")
    intake.log_contact(world.sam, contact_draft(world.clock))
    assert _contacts(db) == 2
    capsys.readouterr()

    assert _restore(db, saved) == 0

    # the program still open on the file (this Database's pooled connections) sees the restored data
    assert _contacts(db) == 1
    (kept,) = _kept_files(db)
    assert f"kept as {kept}" in capsys.readouterr().out
    assert _contacts_in(kept) == 2
    assert not kept.with_name(kept.name + "-wal").exists()  # one self-contained file
    assert _contacts_in(saved) == 1  # the backup itself is only read
    assert _leftovers(db) == []
    intake.log_contact(world.sam, contact_draft(world.clock))  # and work carries on
    assert _contacts(db) == 2


@SQLITE_ONLY
def test_a_backup_holds_what_is_still_in_the_write_ahead_log(world: World, tmp_path: Path) -> None:
    db = world.db
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    intake.log_contact(world.sam, contact_draft(world.clock))
    wal = _file(db).with_name(_file(db).name + "-wal")
    assert wal.stat().st_size > 0, "the new contact should still be in the WAL, not yet in the main file"

    out = _backup(db, tmp_path / "copy.sqlite3")

    assert _contacts_in(out) == 1
    with closing(sqlite3.connect(out)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not out.with_name(out.name + "-wal").exists()
    assert not out.with_name(out.name + ".partial").exists()


@SQLITE_ONLY
def test_a_backup_never_overwrites_a_file(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "old-backup.sqlite3"
    out.write_bytes(b"last week's backup")
    assert main(["--db", _url(db), "db", "backup", "--out", str(out)]) == 2
    assert "already exists" in _one_line(capsys)
    assert out.read_bytes() == b"last week's backup"


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_nothing, "There is no database at"),
        (_not_sqlite, "is not a MASH Desk database (it is not an SQLite database at all)"),
        (_other_sqlite, "is an SQLite database but not a MASH Desk one"),
    ],
    ids=["missing", "not-sqlite", "other-sqlite"],
)
def test_a_backup_of_something_else_is_refused(
    make: Callable[[Path], None], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.sqlite3"
    make(source)
    out = tmp_path / "copy.sqlite3"
    assert main(["--db", f"sqlite:///{source}", "db", "backup", "--out", str(out)]) == 1
    assert says in _one_line(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == (["source.sqlite3"] if source.exists() else [])


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("from_a_backup", "spoil", "says"),
    [
        (False, _not_sqlite, "is not a MASH Desk database (it is not an SQLite database at all)"),
        (False, _other_sqlite, "is an SQLite database but not a MASH Desk one"),
        (True, _newer, f"was made by a newer version of MASH Desk (schema {FUTURE_REVISION})"),
        (True, _damaged, "failed SQLite's integrity check"),
    ],
    ids=["not-sqlite", "other-sqlite", "newer-schema", "damaged"],
)
def test_a_restore_refuses_a_file_it_cannot_trust_and_changes_nothing(
    world: World,
    from_a_backup: bool,
    spoil: Callable[[Path], None],
    says: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = world.db
    intake.log_contact(world.sam, contact_draft(world.clock))
    source = tmp_path / "candidate.sqlite3"
    if from_a_backup:
        _backup(db, source)
    spoil(source)
    capsys.readouterr()

    assert _restore(db, source) == 1

    line = _one_line(capsys)
    assert says in line
    assert str(source) in line
    assert _contacts(db) == 1
    assert _kept_files(db) == []
    assert _leftovers(db) == []


HOLD_THE_WRITE_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


@SQLITE_ONLY
def test_a_restore_is_refused_while_another_process_holds_the_write_lock(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = world.db
    saved = _backup(db, tmp_path / "empty.sqlite3")
    intake.log_contact(world.sam, contact_draft(world.clock))
    monkeypatch.setattr(backup, "LOCK_WAIT_SECONDS", 0.3)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WRITE_LOCK, str(_file(db))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        capsys.readouterr()
        assert _restore(db, saved) == 1
        line = _one_line(capsys)
        assert "Another program is saving to the database" in line
        assert "nothing was restored" in line
        assert _kept_files(db) == []
        assert _leftovers(db) == []
    finally:
        holder.communicate("", timeout=10)
    assert _contacts(db) == 1
    assert _restore(db, saved) == 0  # once the other program has finished
    assert _contacts(db) == 0


@SQLITE_ONLY
def test_an_older_backup_is_restored_and_the_person_told_to_upgrade(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = min(migrate.known_revisions())
    assert first != migrate.head_revision()
    old = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    migrate.upgrade(old, first)
    old.dispose()
    capsys.readouterr()

    assert _restore(db, tmp_path / "old.sqlite3") == 0

    assert "run `mash-desk db upgrade`" in capsys.readouterr().out
    assert migrate.current_revision(db) == first
    assert main(["--db", _url(db), "report"]) == 1
    assert "needs upgrading" in _one_line(capsys)
    assert main(["--db", _url(db), "db", "upgrade"]) == 0
    assert migrate.current_revision(db) == migrate.head_revision()


@SQLITE_ONLY
def test_a_restore_onto_a_new_workstation_keeps_nothing(db: Database, tmp_path: Path) -> None:
    saved = _backup(db, tmp_path / "copy.sqlite3")
    target = tmp_path / "new-workstation" / "mash-desk.sqlite3"
    assert main(["--db", f"sqlite:///{target}", "db", "restore", "--from", str(saved)]) == 0
    assert _contacts_in(target) == 0
    assert sorted(p.name for p in target.parent.iterdir()) == ["mash-desk.sqlite3"]
    assert main(["--db", f"sqlite:///{target}", "db", "status"]) == 0


@SQLITE_ONLY
def test_a_restore_over_a_file_that_is_no_database_moves_it_aside_whole(db: Database, tmp_path: Path) -> None:
    saved = _backup(db, tmp_path / "copy.sqlite3")
    target = tmp_path / "broken" / "mash-desk.sqlite3"
    target.parent.mkdir()
    target.write_bytes(b"\x00garbage" * 1000)
    assert main(["--db", f"sqlite:///{target}", "db", "restore", "--from", str(saved)]) == 0
    (kept,) = target.parent.glob("mash-desk.sqlite3.before-restore-*")
    assert kept.read_bytes() == b"\x00garbage" * 1000
    assert _contacts_in(target) == 0


@SQLITE_ONLY
def test_restoring_the_database_onto_itself_is_refused(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert _restore(db, _file(db)) == 2
    assert "is the database itself" in _one_line(capsys)
    assert _kept_files(db) == []
