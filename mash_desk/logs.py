"""The one log file support asks for: every layer's ``mash_desk.*`` loggers, rotating, never a password.

``setup_logging`` runs once at program start (``mash_desk.cli.main``, which also starts the window)
and sends the ``mash_desk`` logger to ``mash_desk.paths.log_file()``, 5 MB a file and five older files kept. Modules
log through ``logging.getLogger(__name__)``. Every line passes through ``scrub`` on its way to the
file, so a password in a database address (``postgresql://ada:secret@host``), a libpq connection
string (``password=secret``) or a keyword argument (``'password': 'secret'``) is written as ``***``,
whatever message or traceback carried it.
"""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from mash_desk.paths import log_file

LOGGER = "mash_desk"
MAX_BYTES = 5 * 1024 * 1024
BACKUP_COUNT = 5
HIDDEN = "***"
LINE_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"

# scheme://user:PASSWORD@host: the password runs to the last "@" before a space or a quote
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.\-]*://[^:/@\s'\"]*:)(?P<secret>[^\s'\"]*)(?=@)", re.IGNORECASE)
# password=secret, PGPASSWORD=secret, new_password='secret', 'password': 'secret', "passwd": "secret"
_KEYWORD_PASSWORD = re.compile(
    r"(?P<head>(?P<quote>['\"]?)\w*(?:password|passwd|pwd)\w*(?P=quote)\s*[=:]\s*)"
    r"(?P<secret>'[^']*'|\"[^\"]*\"|[^\s,;)}\]]+)",
    re.IGNORECASE,
)


def scrub(text: str) -> str:
    """``text`` with every password it recognisably carries replaced by ``***``."""
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}{HIDDEN}", text)
    return _KEYWORD_PASSWORD.sub(lambda m: f"{m['head']}{HIDDEN}", text)


class ScrubbingFormatter(logging.Formatter):
    """Formats the whole line, traceback included, then scrubs it: nothing reaches the file unscrubbed."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class _LogFile(RotatingFileHandler):
    """The rotating file; a rollover another process is holding up (Windows) is skipped, never shown."""

    def doRollover(self) -> None:  # noqa: N802 - logging's own name
        try:
            super().doRollover()
        except OSError:
            if self.stream is None:
                self.stream = self._open()


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send the ``mash_desk`` logger to ``log_file()`` (once; again only if the data folder moved).

    Returns the file, or None when it cannot be written (a read-only data folder): the program
    carries on without a log rather than refuse to start.
    """
    logger = logging.getLogger(LOGGER)
    try:
        path = log_file()
    except OSError:
        return None
    for handler in list(logger.handlers):
        if isinstance(handler, _LogFile):
            if Path(handler.baseFilename) == path.absolute():
                return path
            logger.removeHandler(handler)
            handler.close()
    try:
        handler = _LogFile(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(ScrubbingFormatter(LINE_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(level)
    return path


def current_log_file() -> Path | None:
    """The file the ``mash_desk`` logger writes to, if ``setup_logging`` has run."""
    for handler in logging.getLogger(LOGGER).handlers:
        if isinstance(handler, _LogFile):
            return Path(handler.baseFilename)
    return None
