"""Schema versions: upgrade to head, and refuse a schema older or newer than this program.

Checking the version is what every start does, so it does not load Alembic (about a second of
imports on a busy machine): the revisions are read from the migration files' ``revision`` lines and
the database's from ``alembic_version`` in one query. Only upgrading loads Alembic, and
``tests/store/test_schema_version.py`` checks that both ways agree.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from mash_desk.domain.errors import SchemaMismatch
from mash_desk.domain.words import counted
from mash_desk.store.database import Database, translate_errors

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
_REVISION = re.compile(r"^revision(?:\s*:[^=]*)?\s*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision(?:\s*:[^=]*)?\s*=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


def alembic_config() -> Config:
    from alembic.config import Config  # noqa: PLC0415 - only upgrading needs Alembic (see the docstring)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@cache
def _revision_graph() -> dict[str, frozenset[str]]:
    """Each revision in the migrations folder and the revisions it follows, from the files' own lines."""
    graph: dict[str, frozenset[str]] = {}
    for path in sorted(VERSIONS_DIR.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision = _REVISION.search(source)
        down = _DOWN_REVISION.search(source)
        if revision is None or down is None:
            continue  # not a migration (an __init__.py, say)
        graph[revision.group(1)] = frozenset(_QUOTED.findall(down.group(1)))
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    followed = frozenset().union(*graph.values())
    heads = [revision for revision in graph if revision not in followed]
    assert len(heads) == 1, f"the migrations folder must have exactly one head, not {heads}"
    return heads[0]


def known_revisions() -> set[str]:
    return set(_revision_graph())


def current_revision(db: Database) -> str | None:
    """The database's schema revision (None if it has not been set up): what Alembic would say."""
    with translate_errors(), db.engine.connect() as conn:
        return _current_revision(conn)


def _current_revision(conn: Connection) -> str | None:
    if conn.dialect.name == "postgresql":
        # to_regclass follows the search_path as Alembic does, and never fails on a missing table
        exists = conn.execute(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": VERSION_TABLE}).scalar()
    else:
        exists = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"), {"name": VERSION_TABLE}
        ).scalar()
    if not exists:
        return None
    versions = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()  # noqa: S608
    if len(versions) > 1:
        raise SchemaMismatch(f"This database records several schema versions at once ({', '.join(versions)}).")
    return versions[0] if versions else None


def upgrade(db: Database, revision: str = "head") -> None:
    """Apply every migration up to ``revision`` in one transaction; never touch a newer schema."""
    current = current_revision(db)
    if current is not None and current not in known_revisions():
        raise _newer(current)
    with translate_errors():
        if db.engine.dialect.name == "sqlite":
            _upgrade_sqlite(db, revision)
            return
        with db.engine.begin() as conn:
            _run(conn, revision)


def _upgrade_sqlite(db: Database, revision: str) -> None:
    """SQLite alters most things by copying the table and dropping the old one. With foreign keys on,
    dropping ``person`` checks every row that refers to it (hours at 250,000 contacts), so this is
    SQLite's own procedure for it: foreign keys off outside the transaction, the changes, then
    ``foreign_key_check`` before anything is committed."""
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")  # inside a transaction SQLite ignores it
        try:
            with conn.begin():
                _run(conn, revision)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    table, _row, parent, _key = broken[0]
                    raise SchemaMismatch(
                        f"After upgrading, {counted(len(broken), 'row')} {'refers' if len(broken) == 1 else 'refer'} "
                        "to rows that do not exist (the first in "
                        f"{table}, to {parent}); nothing was changed."
                    )
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def _newer(current: str) -> SchemaMismatch:
    return SchemaMismatch(
        f"This database was set up by a newer version of MASH Desk (schema {current}). "
        "Install the newer version of MASH Desk to use it."
    )


def _run(conn: Connection, revision: str) -> None:
    from alembic import command  # noqa: PLC0415 - only upgrading needs Alembic

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
