"""Schema versions: upgrade to head, and refuse a schema older or newer than this program."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from mash_desk.domain.errors import SchemaMismatch
from mash_desk.store.database import Database, translate_errors

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(db: Database) -> str | None:
    with translate_errors(), db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> None:
    """Apply every migration up to ``revision`` in one transaction; never touch a newer schema."""
    current = current_revision(db)
    if current is not None and current not in known_revisions():
        raise _newer(current)
    with translate_errors(), db.engine.begin() as conn:
        _run(conn, revision)


def _newer(current: str) -> SchemaMismatch:
    return SchemaMismatch(
        f"This database was set up by a newer version of MASH Desk (schema {current}). "
        "Install the newer version of MASH Desk to use it."
    )


def _run(conn: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def check_schema(db: Database) -> None:
    """Raise ``SchemaMismatch`` unless the database is exactly at this program's head."""
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return
    if current is None:
        raise SchemaMismatch("This database has not been set up for MASH Desk yet. Run `mash-desk db upgrade` first.")
    if current not in known_revisions():
        raise _newer(current)
    raise SchemaMismatch(
        f"This database needs upgrading (schema {current}, this program needs {head}). Run `mash-desk db upgrade`."
    )
