"""The schema check every start makes reads the migration files and one table, without Alembic; it must
say exactly what Alembic would, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from mash_desk.store import migrate
from mash_desk.store.database import Database

CHECKOUT = Path(__file__).resolve().parents[2]


def test_the_revisions_read_from_the_files_are_alembics() -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == scripts.get_current_head()
    assert migrate.known_revisions() == {script.revision for script in scripts.walk_revisions()}


def test_the_database_revision_is_what_alembic_reads(db: Database) -> None:
    with db.engine.connect() as conn:
        alembic_says = MigrationContext.configure(conn).get_current_revision()
    assert migrate.current_revision(db) == alembic_says == migrate.head_revision()
    migrate.check_schema(db)

    # an emptied version table (a half-finished set-up) reads as "not set up", as Alembic has it; rolled
    # back, because on PostgreSQL the next test reuses this database
    with db.engine.connect() as conn, conn.begin() as transaction:
        conn.execute(text("DELETE FROM alembic_version"))
        assert migrate._current_revision(conn) is None
        assert MigrationContext.configure(conn).get_current_revision() is None
        transaction.rollback()


def test_checking_the_schema_does_not_load_alembic() -> None:
    code = (
        "import sys; from mash_desk.store import migrate; from mash_desk.services import workstation; "
        "migrate.head_revision(); migrate.known_revisions(); "
        "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))"
    )
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}  # this checkout's code, whatever the venv has installed
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120, env=env, cwd=CHECKOUT
    )
    assert done.stdout.strip() == "[]"
