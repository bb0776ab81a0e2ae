"""Engine and unit-of-work set-up for the embedded SQLite file and a shared PostgreSQL server.

Each unit of work opens and closes its own session; no session crosses a thread. Driver errors
are translated here, at the store boundary, into the ``MashDeskError`` family.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from mash_desk.domain.errors import (
    ConcurrentEdit,
    DatabaseUnavailable,
    InvalidInput,
    MashDeskError,
    PermissionRefused,
    WriteCollision,
)
from mash_desk.paths import embedded_database

log = logging.getLogger(__name__)
INSUFFICIENT_PRIVILEGE = "42501"  # SQLSTATE: the server's own permission check said no


def default_sqlite_url() -> str:
    """The embedded database in the user's data folder (``mash_desk.paths``)."""
    return f"sqlite:///{embedded_database()}"


def normalise_url(url: str) -> URL:
    """Accept the URLs people type (``postgresql://``) and pick our drivers for them."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput.single("database", f"This is not a database address: {url!r}.") from exc
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+pysqlite")
    raise InvalidInput.single("database", f"MASH Desk runs on SQLite or PostgreSQL, not {backend!r}.")


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # we issue BEGIN ourselves so writers can take the lock up front (BEGIN IMMEDIATE)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if engine.url.database and engine.url.database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        statement = f"BEGIN {conn.get_execution_options().get('sqlite_begin', 'DEFERRED')}"
        # straight to the driver: through SQLAlchemy's statement machinery this one word cost as much as
        # a query on every unit of work; a failure (busy) is wrapped as SQLAlchemy would wrap it, so
        # ``translate_errors`` still tells the person the database is busy
        try:
            conn.connection.driver_connection.execute(statement)
        except sqlite3.Error as exc:
            raise DBAPIError.instance(statement, None, exc, sqlite3.Error, hide_parameters=True) from exc


LAST_RESULT = "mash_desk_last_result"
"""Execution option (PostgreSQL): the statement is several in one message, run in turn by the server in
one round trip, and the rows read are the last statement's (the driver would hand back the first's)."""


def _install_last_result(engine: Engine) -> None:
    @event.listens_for(engine, "do_execute")
    def _read_the_last(cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
        if not context.execution_options.get(LAST_RESULT):
            return False  # SQLAlchemy executes it as usual
        cursor.execute(statement, parameters)
        while cursor.nextset():
            pass
        return True


def _roll_back(session: Session) -> None:
    """Undo a failed unit; a connection that has died has nothing left to undo, so say nothing more."""
    try:
        session.rollback()
    except DBAPIError:
        log.warning("rollback failed on a dropped connection", exc_info=True)


def _close(session: Session) -> None:
    try:
        session.close()
    except DBAPIError:
        log.warning("closing a session on a dropped connection failed", exc_info=True)


def _close_connection(conn: Connection) -> None:
    """End a read unit (closing rolls back what it began); a dropped connection has nothing to undo."""
    try:
        conn.close()
    except DBAPIError:
        log.warning("closing a connection on a dropped connection failed", exc_info=True)


class Database:
    """One database, embedded or shared, and how to open units of work on it."""

    def __init__(self, url: str, *, login: str | None = None, password: str | None = None) -> None:
        parsed = normalise_url(url)
        if login is not None:
            parsed = parsed.set(username=login)
        if password is not None:
            parsed = parsed.set(password=password)
        self.url = parsed
        self.dialect = parsed.get_backend_name()
        kwargs: dict[str, Any] = {}
        if self.dialect == "sqlite":
            database = parsed.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        else:
            kwargs["connect_args"] = {"connect_timeout": 10, "application_name": "mash-desk"}
            # a server can drop a connection (restart, idle timeout); a file on this computer cannot
            kwargs["pool_pre_ping"] = True
            kwargs["pool_size"] = 5
        # a statement's parameters are children's details: never in an error's text, a log or a crash dialog
        self.engine = create_engine(parsed, hide_parameters=True, **kwargs)
        if self.dialect == "sqlite":
            _install_sqlite_pragmas(self.engine)
        else:
            _install_last_result(self.engine)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_engine = (
            self.engine.execution_options(sqlite_begin="IMMEDIATE") if self.dialect == "sqlite" else self.engine
        )
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)

    @property
    def is_postgresql(self) -> bool:
        return self.dialect == "postgresql"

    def describe(self) -> str:
        """Where we are connected, without the password, for title bars and logs."""
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A unit of work: commits whole on success, rolls back whole on any error."""
        factory = self._write_sessions if write else self._read_sessions
        session = factory()
        try:
            with translate_errors():
                yield session
                if write:
                    session.commit()
                else:
                    session.rollback()
        except BaseException:
            _roll_back(session)
            raise
        finally:
            _close(session)

    @contextmanager
    def reading(self, *, commit: bool = False) -> Iterator[Connection]:
        """A read unit of work on a Core connection, rolled back at the end: for reads where an ORM session
        would add its own bookkeeping (identity map, session transaction) and nothing else. ``commit``: a
        read that also writes a row as it ends (PostgreSQL's audit of an opening) commits whole, on success
        only."""
        with translate_errors():
            conn = self.engine.connect()
            try:
                conn.begin()
                yield conn
                if commit:
                    conn.commit()
            finally:
                _close_connection(conn)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write unit of work on a Core connection (SQLite: ``BEGIN IMMEDIATE``, the write lock taken up
        front), committed whole on success and rolled back whole on any error: for a row or two written
        by statements, where an ORM session would add its bookkeeping and nothing else."""
        with translate_errors():
            conn = self._write_engine.connect()
            try:
                conn.begin()
                yield conn
                conn.commit()
            finally:
                _close_connection(conn)

    def ping(self) -> None:
        with translate_errors(), self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


# How a failure is recognised: PostgreSQL's SQLSTATE and SQLite's result code, never the wording
# of a message (which a server set to another language would change).
INVALID_PASSWORD = "28P01"  # noqa: S105 - a SQLSTATE, not a password
INVALID_AUTHORIZATION = "28000"
UNDEFINED_DATABASE = "3D000"
QUERY_CANCELED = "57014"  # statement_timeout
SERIALIZATION_FAILURE = "40001"
DEADLOCK_DETECTED = "40P01"
RETRYABLE_SQLSTATES = frozenset({SERIALIZATION_FAILURE, DEADLOCK_DETECTED})
CONNECTION_LOST_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})  # admin/crash shutdown, cannot connect now
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN, SQLITE_NOTADB = 5, 6, 14, 26

NOTHING_SAVED = "Nothing was saved; try again."
LOST = f"The connection to the database was lost before this finished. {NOTHING_SAVED}"


@contextmanager
def translate_errors() -> Iterator[None]:
    """Turn driver failures into errors a person can act on."""
    try:
        yield
    except StaleDataError as exc:
        log.info("concurrent edit: %s", exc)
        raise ConcurrentEdit(
            "Someone else saved this record while you were working on it. Nothing was overwritten."
        ) from exc
    except DBAPIError as exc:
        error = classify(exc)
        code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "sqlite_errorcode", None)
        # the driver's own first line only: the wrapper's text carries the statement's parameters
        level = logging.INFO if isinstance(error, WriteCollision) else logging.WARNING
        log.log(level, "%s (%s): %s", error.__class__.__name__, code, _first_line(exc))
        raise error from exc


def classify(exc: DBAPIError) -> MashDeskError:
    """The ``MashDeskError`` a driver failure means for the person who met it."""
    sqlstate = getattr(exc.orig, "sqlstate", None)
    sqlite_code = getattr(exc.orig, "sqlite_errorcode", None)
    if sqlstate in RETRYABLE_SQLSTATES:
        return WriteCollision(
            "Someone else was saving the same case at the same moment. Nothing of yours was saved; try again."
        )
    if sqlstate == INSUFFICIENT_PRIVILEGE:
        return PermissionRefused(f"The database refused this for your login: {_server_reason(exc)}")
    if sqlstate == QUERY_CANCELED:
        return DatabaseUnavailable(f"The database took too long and stopped this request. {NOTHING_SAVED}")
    if sqlstate == UNDEFINED_DATABASE:
        return DatabaseUnavailable("That database does not exist on the server; check the connection profile.")
    if sqlstate in (INVALID_PASSWORD, INVALID_AUTHORIZATION):
        return DatabaseUnavailable("The database refused the user name or password.")
    if password_refused(exc.orig):
        if _wants_a_writable_server(exc):
            # libpq also signs in to a standby and then leaves it because it takes no saves: during a
            # failover that is what "refused after the password" means, not a wrong password
            return DatabaseUnavailable(
                "No database server is taking saves just now: the hub may be switching to its standby. "
                f"{NOTHING_SAVED} If this goes on, check your password."
            )
        return DatabaseUnavailable("The database refused the user name or password.")
    if exc.connection_invalidated or sqlstate in CONNECTION_LOST_SQLSTATES or (sqlstate or "").startswith("08"):
        return DatabaseUnavailable(LOST)
    if sqlite_code is not None:
        return _sqlite(exc, sqlite_code & 0xFF)  # the primary code, without SQLite's extended bits
    if isinstance(exc, OperationalError) and sqlstate is None:
        # psycopg reports no SQLSTATE for a connection that could not be made (psycopg#1188)
        return DatabaseUnavailable(f"The database server could not be reached ({_first_line(exc)}).")
    what = sqlstate or exc.__class__.__name__
    return DatabaseUnavailable(f"The database could not do this ({what}). {NOTHING_SAVED}")


def _sqlite(exc: DBAPIError, code: int) -> MashDeskError:
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseUnavailable(f"The database is busy with another save. {NOTHING_SAVED}")
    if code in (SQLITE_CANTOPEN, SQLITE_NOTADB):
        return DatabaseUnavailable(f"The database file could not be opened ({_first_line(exc)}).")
    return DatabaseUnavailable(f"The database could not do this (SQLite code {code}). {NOTHING_SAVED}")


def password_refused(error: BaseException | None) -> bool:
    """Did the server refuse a sign-in because the password was wrong?

    By SQLSTATE 28P01 when the driver reports one. psycopg reports none for a failure while
    connecting (psycopg/psycopg#1188), so then by libpq's own record of the exchange: it sent the
    password and the connection was refused. Never by the message text.
    """
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate is not None:
        return bool(sqlstate == INVALID_PASSWORD)
    return bool(getattr(getattr(error, "pgconn", None), "used_password", False))


def _wants_a_writable_server(exc: DBAPIError) -> bool:
    """The failed connection asked libpq for a read-write server (a profile listing several servers)."""
    pgconn = getattr(exc.orig, "pgconn", None)
    try:
        options = {option.keyword: option.val for option in pgconn.info} if pgconn is not None else {}
    except Exception:
        return False
    wanted = options.get(b"target_session_attrs")
    return wanted is not None and wanted not in (b"any", b"")


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig is not None else exc.__class__.__name__


def _server_reason(exc: DBAPIError) -> str:
    """The server's own sentence: the database's rules are written to be read by the person refused."""
    diag = getattr(exc.orig, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    reason = (primary or "it may not do this").strip().rstrip(".")
    return f"{reason[:1].upper()}{reason[1:]}. Nothing was saved."
