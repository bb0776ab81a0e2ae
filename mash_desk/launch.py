"""The ``mash-desk`` command's entry point: the command line, imported with the collector paused
(``mash_desk.collector`` says why)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mash_desk.collector import collector_paused


def command_line() -> Callable[[Sequence[str] | None], int]:
    """The command line's ``main``, imported with the collector paused and what the import made frozen."""
    with collector_paused(freeze=True):
        from mash_desk.cli import main as run  # noqa: PLC0415 - imported with the collector paused

    return run


def main(argv: Sequence[str] | None = None) -> int:
    return command_line()(argv)
