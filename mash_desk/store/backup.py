"""The embedded database's own backup and restore, through SQLite's online backup API.

The embedded SQLite file is for one workstation (and never on a network share, where SQLite's file
locks cannot be trusted). ``backup_database`` copies it while MASH Desk may be working on it:
SQLite's backup API takes one consistent snapshot, WAL contents included, without stopping other
readers or writers. The copy is written beside its final name, turned into a single self-contained
file (rollback journal, no ``-wal``), opened again and checked (``PRAGMA integrity_check`` and its
schema revision) before it takes that name, so a file called a backup is always a good one.

``restore_database`` refuses a file that is not a MASH Desk database, one set up by a newer MASH
Desk, one that fails the integrity check, and a database another process is writing to. It copies
the backup into the live file through the same API, so a MASH Desk still open on it sees the
restored data rather than a deleted file, and keeps what it replaced as
``<name>.before-restore-<UTC time>``: a restore never destroys anything.

A shared PostgreSQL database is backed up with PostgreSQL's own tools (base backups with WAL
archiving, or pgBackRest); both functions say so and do nothing there.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.store.database import normalise_url
from mash_desk.store.migrate import head_revision, known_revisions

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 2.0  # how long a restore waits for another program's save to finish
POSTGRESQL_TOOLS = (
    "This is a shared PostgreSQL database: back it up and restore it with PostgreSQL's own tools "
    "(base backups with WAL archiving, or pgBackRest), run by the hub's database administrator. "
    "`mash-desk db backup` and `db restore` are for the embedded SQLite database only."
)
_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


class BackupRefused(MashDeskError):
    """A backup or restore that could not be done safely; nothing was changed."""


@dataclass(frozen=True)
class CheckedFile:
    """An SQLite file that passed the integrity check and holds a MASH Desk schema."""

    path: Path
    revision: str
    size: int  # bytes


@dataclass(frozen=True)
class BackupDone:
    source: Path
    copy: CheckedFile
    seconds: float


@dataclass(frozen=True)
class RestoreDone:
    target: Path
    restored: CheckedFile  # the backup that was restored, as checked
    kept: Path | None  # the database it replaced, or None when there was none
    seconds: float

    @property
    def needs_upgrade(self) -> bool:
        """An older backup: this program runs on it only after ``mash-desk db upgrade``."""
        return self.restored.revision != head_revision()


def embedded_file(url: str) -> Path:
    """The SQLite file a database address names; PostgreSQL is refused, pointing to its own tools."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise BackupRefused(POSTGRESQL_TOOLS)
    if not parsed.database or parsed.database == ":memory:":
        raise InvalidInput.single("database", "An in-memory database has no file to back up or restore.")
    return Path(parsed.database).expanduser().absolute()


def backup_database(url: str, out: Path, *, lock_wait: float | None = None) -> BackupDone:
    """Copy the embedded database at ``url`` into the new file ``out``, checked before it is named so."""
    started = time.monotonic()
    source = embedded_file(url)
    target = out.expanduser().absolute()
    if not source.is_file():
        raise BackupRefused(f"There is no database at {source} to back up.")
    if target.exists():
        raise InvalidInput.single(
            "--out", f"{target} already exists: give a new file name, so that no earlier backup is overwritten."
        )
    partial = target.with_name(f"{target.name}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _connection(source, read_only=True) as src:
            revision = _revision_or_refuse(src, source)
            with _connection(partial) as copy:
                _copy(src, copy, lock_wait, "reading the database")
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        checked = _checked(partial, shown_as=target, damaged="The database, as copied, failed")
        if checked.revision != revision:
            raise BackupRefused(
                f"The database changed schema during the backup ({revision} to {checked.revision}); try again."
            )
        partial.replace(target)
    except OSError as exc:
        raise BackupRefused(f"Could not write the backup {target}: {exc.strerror or exc}.") from exc
    finally:
        _remove(partial)
    log.info("backed up %s to %s (schema %s, %d bytes)", source, target, checked.revision, checked.size)
    return BackupDone(source, checked, time.monotonic() - started)


def restore_database(
    url: str, backup: Path, *, lock_wait: float | None = None, now: datetime | None = None
) -> RestoreDone:
    """Replace the embedded database at ``url`` with ``backup``, keeping the one replaced beside it."""
    started = time.monotonic()
    target = embedded_file(url)
    source = backup.expanduser().absolute()
    if not source.is_file():
        raise InvalidInput.single("--from", f"There is no file at {source}.")
    if target.exists() and source.samefile(target):
        raise InvalidInput.single("--from", f"{source} is the database itself: choose a backup of it.")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    staging = target.with_name(f".{target.name}.restoring-{stamp}")
    keep_as = target.with_name(f"{target.name}.before-restore-{stamp}")
    kept: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # the backup as it will be restored: copied out of its file (which is only read), then checked
        with _connection(source, read_only=True) as src, _connection(staging) as copy:
            _copy(src, copy, lock_wait, "reading the backup", refuse=source)
            try:
                copy.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.DatabaseError as exc:  # damage SQLite meets before the integrity check can run
                raise BackupRefused(
                    f"{source} failed SQLite's integrity check (it is damaged); it cannot be trusted."
                ) from exc
        restored = _checked(staging, shown_as=source, damaged=f"{source} failed")
        if restored.revision not in known_revisions():
            raise BackupRefused(
                f"{source} was made by a newer version of MASH Desk (schema {restored.revision}); "
                "install that version to restore it. Nothing was restored."
            )
        live_database = target.exists()
        if live_database and not _is_sqlite(target):
            # not a database at all: nothing SQLite could copy into, so it is moved aside whole
            kept = _unused(keep_as)
            target.replace(kept)
            _move_aside_journals(target, kept)
            live_database = False
        with _connection(staging) as copy, _connection(target, wait=lock_wait) as live:
            if live_database:
                _refuse_if_written(live, target)
                kept = _unused(keep_as)
                _keep_copy(live, kept, lock_wait)
            try:
                _match_page_size(copy, live)
                _copy(copy, live, lock_wait, "restoring", busy_target=target)
            except BackupRefused:
                if live_database and kept is not None:
                    _remove(kept)  # nothing was replaced, so there is nothing to keep
                    kept = None
                raise
            if _revision_of(live) != restored.revision:
                raise BackupRefused(f"The restored database at {target} does not read back as {restored.revision}.")
    except OSError as exc:
        raise BackupRefused(f"Could not restore {target}: {exc.strerror or exc}.") from exc
    finally:
        _remove(staging)
    log.info(
        "restored %s from %s (schema %s); the database replaced is kept as %s", target, source, restored.revision, kept
    )
    return RestoreDone(target, restored, kept, time.monotonic() - started)


# --- the pieces -----------------------------------------------------------------------------------


@contextmanager
def _connection(path: Path, *, read_only: bool = False, wait: float | None = None) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection in autocommit mode (read-only opens never create or change the file)."""
    timeout = LOCK_WAIT_SECONDS if wait is None else wait
    if read_only:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=timeout, isolation_level=None)
    else:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    with closing(conn):
        yield conn


def _code(exc: sqlite3.Error) -> int:
    """SQLite's primary result code (the extended code's low byte): errors are told apart by code, not text."""
    return int(getattr(exc, "sqlite_errorcode", -1)) & 0xFF


def _is_sqlite(path: Path) -> bool:
    try:
        with _connection(path, read_only=True) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        if _code(exc) == sqlite3.SQLITE_NOTADB:
            return False
        raise
    return True


def _checked(path: Path, *, shown_as: Path, damaged: str) -> CheckedFile:
    """``path`` opened, integrity-checked and its MASH Desk schema revision read; refused otherwise.

    ``shown_as`` is the file the person named; ``damaged`` starts the sentence when the check fails.
    """
    try:
        with _connection(path) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            problems = [str(row[0]) for row in conn.execute("PRAGMA integrity_check(10)")]
            if problems != ["ok"]:
                raise BackupRefused(f"{damaged} SQLite's integrity check ({problems[0]}); it cannot be trusted.")
            revision = _revision_or_refuse(conn, shown_as)
    except sqlite3.DatabaseError as exc:
        if _code(exc) == sqlite3.SQLITE_NOTADB:
            raise _not_sqlite(shown_as) from exc
        if _code(exc) == sqlite3.SQLITE_CORRUPT:
            raise BackupRefused(f"{damaged} SQLite's integrity check (it is damaged); it cannot be trusted.") from exc
        raise
    return CheckedFile(shown_as, revision, path.stat().st_size)


def _not_sqlite(path: Path) -> BackupRefused:
    return BackupRefused(f"{path} is not a MASH Desk database (it is not an SQLite database at all).")


def _revision_or_refuse(conn: sqlite3.Connection, path: Path) -> str:
    """The schema revision of the MASH Desk database open on ``conn``; refused if it has none."""
    try:
        revision = _revision_of(conn)
    except sqlite3.DatabaseError as exc:
        if _code(exc) == sqlite3.SQLITE_NOTADB:
            raise _not_sqlite(path) from exc
        raise
    if revision is None:
        raise BackupRefused(f"{path} is an SQLite database but not a MASH Desk one (it has no MASH Desk schema).")
    return revision


def _revision_of(conn: sqlite3.Connection) -> str | None:
    has_versions = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if has_versions is None:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def _patience(seconds: float, target: Path | None) -> Callable[[int, int, int], None]:
    """A backup progress callback that gives up once the other side has been busy for ``seconds``."""
    started = time.monotonic()

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in _BUSY and time.monotonic() - started > seconds:
            raise _refused_busy(target)

    return progress


def _refused_busy(target: Path | None) -> BackupRefused:
    where = f"the database at {target}" if target is not None else "the database"
    return BackupRefused(
        f"Another program is saving to {where} (MASH Desk open on this computer, or a `mash-desk` command). "
        "Close it and try again; nothing was restored."
    )


def _copy(
    source: sqlite3.Connection,
    target: sqlite3.Connection,
    lock_wait: float | None,
    doing: str,
    *,
    refuse: Path | None = None,
    busy_target: Path | None = None,
) -> None:
    """Copy every page in one step (one consistent snapshot), waiting a bounded time for locks."""
    wait = LOCK_WAIT_SECONDS if lock_wait is None else lock_wait
    try:
        source.backup(target, pages=-1, progress=_patience(wait, busy_target), sleep=0.05)
    except sqlite3.DatabaseError as exc:
        if refuse is not None and _code(exc) == sqlite3.SQLITE_NOTADB:
            raise _not_sqlite(refuse) from exc
        if refuse is not None and _code(exc) == sqlite3.SQLITE_CORRUPT:
            raise BackupRefused(f"{refuse} is damaged (SQLite cannot read it); it cannot be trusted.") from exc
        if _code(exc) in _BUSY:
            raise BackupRefused(f"The database stayed busy while {doing}; try again in a moment.") from exc
        raise


def _refuse_if_written(live: sqlite3.Connection, target: Path) -> None:
    """Refuse while another process holds the write lock (waiting ``timeout`` for a save to finish)."""
    try:
        live.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if _code(exc) in _BUSY:
            raise _refused_busy(target) from exc
        raise
    live.execute("ROLLBACK")


def _keep_copy(live: sqlite3.Connection, kept: Path, lock_wait: float | None) -> None:
    """The database about to be replaced, as one self-contained file beside it."""
    with _connection(kept) as copy:
        _copy(live, copy, lock_wait, "keeping the database it replaces")
        copy.execute("PRAGMA journal_mode=DELETE")


def _match_page_size(copy: sqlite3.Connection, live: sqlite3.Connection) -> None:
    """SQLite cannot copy into a WAL database with another page size: rebuild the copy with the live one's."""
    live_size = int(live.execute("PRAGMA page_size").fetchone()[0])
    if int(copy.execute("PRAGMA page_size").fetchone()[0]) != live_size:
        copy.execute(f"PRAGMA page_size={live_size}")
        copy.execute("VACUUM")


def _unused(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3``... if a file already has that name."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate


def _move_aside_journals(target: Path, kept: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        journal = target.with_name(target.name + suffix)
        if journal.exists():
            journal.replace(kept.with_name(kept.name + suffix))


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-journal")):
        with suppress(FileNotFoundError):
            leftover.unlink()
