"""The support log: one rotating file for every layer's ``mash_desk`` loggers, set up once at program
start, and never a password in it."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path
from urllib.parse import quote

import pytest

from mash_desk.cli import main
from mash_desk.domain.errors import DatabaseUnavailable
from mash_desk.logs import LOGGER, scrub, setup_logging
from mash_desk.paths import DATA_DIR_ENV, log_file
from mash_desk.store.database import Database
from tests.logfile import fresh_log, log_text

__all__ = ["fresh_log"]  # a fixture, used by name

# a password with the characters that need escaping in a URL, and words to look for on their own
SECRET = "Tr0ub4dor&3-horse:battery@staple/x"
PIECES = ("Tr0ub4dor", "battery", "staple")
UNREACHABLE = "127.0.0.1:1"  # nothing listens on port 1: the connection fails at once


def _file_handlers() -> list[RotatingFileHandler]:
    return [h for h in logging.getLogger(LOGGER).handlers if isinstance(h, RotatingFileHandler)]


def test_the_log_is_in_the_data_folder(fresh_log: Path, tmp_path: Path) -> None:
    assert fresh_log == tmp_path / "data" / "logs" / "mash-desk.log"
    assert fresh_log == log_file()


def test_every_layer_writes_to_the_one_file_and_nothing_else_does(fresh_log: Path) -> None:
    layers = ("mash_desk.cli", "mash_desk.store.backup", "mash_desk.services.letters", "mash_desk.gui.tasks")
    for name in layers:
        logging.getLogger(name).info("hello from %s", name)
    logging.getLogger("sqlalchemy.engine").warning("a library's own logger")
    text = log_text(fresh_log)
    for name in layers:
        assert f"INFO {name}: hello from {name}" in text
    assert "a library's own logger" not in text


def test_the_command_line_sets_it_up_once_and_says_what_ran(fresh_log: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    assert main(["--db", url, "db", "upgrade"]) == 0
    assert main(["--db", url, "db", "status"]) == 0
    assert main(["--db", url, "--user", "nobody", "report"]) == 1
    assert len(_file_handlers()) == 1
    text = log_text(fresh_log)
    assert "mash_desk.cli: MASH Desk " in text
    assert f"started: db upgrade on {url}" in text
    assert f"started: db status on {url}" in text
    assert "WARNING mash_desk.cli: report failed: " in text


def test_a_bug_in_a_command_is_logged_with_its_traceback(
    fresh_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_args: object) -> int:
        raise KeyError("a bug")

    monkeypatch.setattr("mash_desk.cli.cmd_db_status", broken)
    with pytest.raises(KeyError):
        main(["--db", f"sqlite:///{tmp_path / 'x.sqlite3'}", "db", "status"])
    text = log_text(fresh_log)
    assert "ERROR mash_desk.cli: db status stopped on an unexpected error" in text
    assert "Traceback (most recent call last):" in text
    assert "KeyError: 'a bug'" in text


def test_it_rotates_at_five_megabytes_and_keeps_five_older_files(fresh_log: Path) -> None:
    (handler,) = _file_handlers()
    assert (handler.maxBytes, handler.backupCount) == (5 * 1024 * 1024, 5)
    handler.maxBytes = 2_000  # the same rotation, sooner
    for number in range(300):
        logging.getLogger("mash_desk.test").info("line %d %s", number, "x" * 60)
    names = sorted(path.name for path in fresh_log.parent.iterdir())
    assert names == ["mash-desk.log", *(f"mash-desk.log.{n}" for n in range(1, 6))]
    assert all(path.stat().st_size <= 2_000 for path in fresh_log.parent.iterdir())
    assert "line 299 " in log_text(fresh_log)


def test_a_log_that_cannot_be_written_stops_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "logs").write_text("a file where the log folder should be")
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    logger = logging.getLogger(LOGGER)
    handlers = list(logger.handlers)
    try:
        for handler in handlers:
            logger.removeHandler(handler)
        assert setup_logging() is None
        assert main(["--db", f"sqlite:///{tmp_path / 'hub.sqlite3'}", "db", "upgrade"]) == 0
        assert "is at schema" in capsys.readouterr().out
    finally:
        for handler in handlers:
            logger.addHandler(handler)


def _ping_and_log_the_failure(db: Database, log: logging.Logger) -> None:
    try:
        db.ping()
    except DatabaseUnavailable:
        log.exception("could not reach %s", db.describe())
    else:
        pytest.fail(f"something answered at {UNREACHABLE}")


def _fail(message: str) -> None:
    raise RuntimeError(message)


def test_a_password_given_to_the_database_never_reaches_the_log(fresh_log: Path) -> None:
    log = logging.getLogger("mash_desk.store")
    # on the command line, in the address (URL-escaped, as an address must carry it)
    url = f"postgresql://ada:{quote(SECRET, safe='')}@{UNREACHABLE}/hub"
    assert main(["--db", url, "report"]) == 1
    # given to Database separately, then a failed connection logged with its whole traceback
    db = Database(f"postgresql://ada@{UNREACHABLE}/hub", password=SECRET)
    try:
        _ping_and_log_the_failure(db, log)
        # careless calls a future change might make
        log.error("connecting to %s", db.url.render_as_string(hide_password=False))
        log.warning("connection string: host=db port=5432 user=ada password=%s sslmode=require", SECRET)
        log.warning("parameters: %r", {"user": "ada", "password": SECRET})
        log.warning("environment: PGPASSWORD=%s", SECRET)
        try:
            _fail(f"could not use postgresql://ada:{SECRET}@db.hub.example/hub")
        except RuntimeError:
            log.exception("a bug")
    finally:
        db.dispose()

    text = log_text(fresh_log)
    assert "could not reach postgresql+psycopg://ada:***@127.0.0.1:1/hub" in text
    assert "Traceback (most recent call last):" in text
    for piece in (SECRET, quote(SECRET, safe=""), *PIECES):
        assert piece not in text
    assert text.count("***") >= 6


@pytest.mark.parametrize(
    ("line", "scrubbed"),
    [
        ("postgresql://ada:pw@db/hub", "postgresql://ada:***@db/hub"),
        (
            "postgresql+psycopg://ada:p%40ss@db:5432/hub?sslmode=verify-full",
            "postgresql+psycopg://ada:***@db:5432/hub?sslmode=verify-full",
        ),
        (
            "postgresql://ada@db/hub and sqlite:///home/ada/mash.sqlite3",
            "postgresql://ada@db/hub and sqlite:///home/ada/mash.sqlite3",
        ),
        ("host=db password=s3cret user=ada", "host=db password=*** user=ada"),
        ("{'password': 'two words', 'user': 'ada'}", "{'password': ***, 'user': 'ada'}"),
        ('{"new_password": "s3cret"}', '{"new_password": ***}'),
        ("PGPASSWORD=s3cret", "PGPASSWORD=***"),
        ("The database refused the user name or password.", "The database refused the user name or password."),
        ('password authentication failed for user "ada"', 'password authentication failed for user "ada"'),
    ],
)
def test_scrub_hides_passwords_and_leaves_the_rest(line: str, scrubbed: str) -> None:
    assert scrub(line) == scrubbed
