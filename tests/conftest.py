"""Test set-up: offscreen Qt, a redirected data folder, and every database test on SQLite AND PostgreSQL.

PostgreSQL comes from ``MASH_DESK_TEST_PG_URL`` or the local server at 127.0.0.1:5432 (user
``postgres``). Each test session creates its own database and drops it at the end. If no server
answers, the session fails, saying how to provide one: a skipped PostgreSQL run is never a pass.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from mash_desk.paths import DATA_DIR_ENV
from mash_desk.store.database import Database
from tests.orphan_logins import drop_orphaned_logins
from tests.support import FrozenClock, World, build_world, reset_postgres

PG_ENV = "MASH_DESK_TEST_PG_URL"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session", autouse=True)
def _data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Nothing a test does may touch the real user's data folder or keyring."""
    path = tmp_path_factory.mktemp("data")
    previous = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(path)
    yield path
    if previous is None:
        os.environ.pop(DATA_DIR_ENV, None)
    else:
        os.environ[DATA_DIR_ENV] = previous


@pytest.fixture(scope="session")
def session_tag() -> str:
    """Distinguishes this run's PostgreSQL database and login roles from any other run's."""
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def pg_server_url(session_tag: str) -> Iterator[str]:
    """The server, checked once; at the end of the run, every role this run made on it is dropped, whichever
    tests made them (a file run on its own, with no shared database, left its scratch hubs' groups behind)."""
    url = _answering_server()
    yield url
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        drop_session_roles(conn, session_tag)
    server.dispose()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Once the whole run is over (under xdist, in the controller, after every worker has finished), drop
    the demo logins left on the machine's server by the databases the run built demos in
    (``tests.orphan_logins``)."""
    if hasattr(session.config, "workerinput"):
        return  # a worker: other workers may still be using the demo's logins
    from mash_desk.tools.demo import DEMO_LOGINS

    url = make_url(os.environ.get(PG_ENV, DEFAULT_PG)).set(drivername="postgresql+psycopg")
    server = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with server.connect() as conn:
            drop_orphaned_logins(conn, list(DEMO_LOGINS))
    except OperationalError:
        pass  # no server answered: this run made no logins on it (the database tests fail saying so)
    finally:
        server.dispose()


def _answering_server() -> str:
    url = os.environ.get(PG_ENV, DEFAULT_PG)
    parsed = make_url(url).set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure here means "no server", reported loudly
        where = parsed.render_as_string(hide_password=True)
        pytest.fail(
            f"No PostgreSQL server answered at {where} ({exc.__class__.__name__}). "
            f"Start the local cluster (make test starts it), or set {PG_ENV} to a server where the user may "
            "create databases and roles.",
            pytrace=False,
        )
    finally:
        engine.dispose()
    return parsed.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_template(pg_server_url: str, session_tag: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this session, dropped at the end (its roles with the run's)."""
    from mash_desk.services.admin import prepare_database

    name = f"mash_desk_test_{session_tag}"
    server = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)
    db = Database(url)
    prepare_database(db)
    db.dispose()
    yield url
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))  # its roles go with the run's
    server.dispose()


def drop_session_roles(conn: Connection, session_tag: str) -> None:
    """This run's logins and every hub group its databases made (named from the database, so tagged too)."""
    roles = list(
        conn.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname LIKE :pattern ORDER BY length(rolname) DESC"),
            {"pattern": f"%{session_tag}%"},
        ).scalars()
    )
    for role in roles:
        conn.execute(text(f'DROP OWNED BY "{role}"'))
    for role in roles:
        conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies: a fresh database per test in milliseconds."""
    from mash_desk.services.admin import prepare_database

    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    prepare_database(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated database with default settings, on the backend under test."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "mash-desk.sqlite3"
        shutil.copyfile(template, target)
        database = Database(f"sqlite:///{target}")
    else:
        url: str = request.getfixturevalue("pg_template")
        database = Database(url)
        reset_postgres(database)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def world(db: Database, clock: FrozenClock, backend: str, session_tag: str) -> World:
    """Agencies, teams and one user of every kind, on a fresh database."""
    return build_world(db, clock, tag=session_tag if backend == "postgresql" else None)
