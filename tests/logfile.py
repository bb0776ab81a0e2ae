"""A log file of the test's own: ``setup_logging`` pointed at a fresh data folder, undone afterwards."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from mash_desk.logs import LOGGER, setup_logging
from mash_desk.paths import DATA_DIR_ENV


@pytest.fixture
def fresh_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The path of a log file only this test writes to (the ``mash_desk`` logger is put back after)."""
    logger = logging.getLogger(LOGGER)
    handlers, level = list(logger.handlers), logger.level
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    path = setup_logging()
    assert path is not None
    yield path
    for handler in list(logger.handlers):
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    for handler in handlers:
        if handler not in logger.handlers:
            logger.addHandler(handler)
    logger.setLevel(level)


def log_text(path: Path) -> str:
    for handler in logging.getLogger(LOGGER).handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")
