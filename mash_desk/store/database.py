"""Engine and unit-of-work set-up for the embedded SQLite file and a shared PostgreSQL server.

Each unit of work opens and closes its own session; no session crosses a thread. Driver errors
are translated here, at the store boundary, into the ``MashDeskError`` family.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from platformdirs import user_data_path
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from mash_desk.domain.errors import ConcurrentEdit, DatabaseUnavailable, InvalidInput, PermissionRefused

APP_NAME = "MASH Desk"
DATA_DIR_ENV = "MASH_DESK_DATA_DIR"
INSUFFICIENT_PRIVILEGE = "42501"  # SQLSTATE: the server's own permission check said no


def data_dir() -> Path:
    """The user's data folder (tests and portable installs redirect it with MASH_DESK_DATA_DIR)."""
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override) if override else user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_sqlite_url() -> str:
    return f"sqlite:///{data_dir() / 'mash-desk.sqlite3'}"


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
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


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
        self.engine = create_engine(parsed, **kwargs)
        if self.dialect == "sqlite":
            _install_sqlite_pragmas(self.engine)
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
            session.rollback()
            raise
        finally:
            session.close()

    def ping(self) -> None:
        with translate_errors(), self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def translate_errors() -> Iterator[None]:
    """Turn driver failures into errors a person can act on."""
    try:
        yield
    except StaleDataError as exc:
        raise ConcurrentEdit(
            "Someone else saved this record while you were working on it. Nothing was overwritten."
        ) from exc
    except OperationalError as exc:
        raise DatabaseUnavailable(_unavailable_message(exc)) from exc
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
            raise PermissionRefused(f"The database refused this for your login: {_server_reason(exc)}") from exc
        if exc.connection_invalidated:
            raise DatabaseUnavailable("The connection to the database dropped. Nothing was saved; try again.") from exc
        raise


def _server_reason(exc: DBAPIError) -> str:
    """The server's own sentence: the database's rules are written to be read by the person refused."""
    diag = getattr(exc.orig, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    reason = (primary or "it may not do this").strip().rstrip(".")
    return f"{reason[:1].upper()}{reason[1:]}. Nothing was saved."


def _unavailable_message(exc: OperationalError) -> str:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    lowered = detail.lower()
    if "password authentication failed" in lowered:
        return "The database refused the user name or password."
    if "does not exist" in lowered and "database" in lowered:
        return f"The database does not exist on that server ({detail})."
    if "connection refused" in lowered or "could not connect" in lowered or "timeout" in lowered:
        return f"The database server could not be reached ({detail})."
    if "database is locked" in lowered:
        return "The database is busy with another save; try again in a moment."
    if "unable to open database" in lowered:
        return f"The database file could not be opened ({detail})."
    return f"The database could not be used: {detail}"
