"""How ``mash-desk`` reads its arguments: argparse types that refuse a value wrong on its own, and a
parser whose refusals are one line, exit 2, before anything is opened or written."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import date
from typing import NoReturn

from mash_desk import __version__
from mash_desk.domain.cin_census import census_year
from mash_desk.domain.enums import LetterMethod, Role
from mash_desk.domain.errors import InvalidInput

EXIT_USAGE = 2
ROLES = tuple(role.value for role in Role)
METHODS = tuple(method.value for method in LetterMethod)


def iso_date(text: str) -> date:
    """A YYYY-MM-DD date."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD, as in 2026-03-10") from None


def date_range(text: str) -> tuple[date, date]:
    """START:END, both YYYY-MM-DD, START not after END."""
    first, colon, last = text.partition(":")
    if not colon:
        raise argparse.ArgumentTypeError(f"{text!r} is not a period: use START:END, as in 2026-01-01:2026-03-31")
    start, end = iso_date(first), iso_date(last)
    if start > end:
        raise argparse.ArgumentTypeError(f"the period starts ({start}) after it ends ({end})")
    return start, end


def census_year_argument(text: str) -> int:
    """``--year 2025-26`` (or the year it ends, 2026): a census year the export knows."""
    try:
        return census_year(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.field_errors["year"]) from None


def quarter_argument(text: str) -> str:
    """``--quarter 2026Q3``: a calendar quarter (Q3 is July to September), checked before anything opens."""
    from mash_desk.domain.periods import quarter_name, quarter_period

    try:
        return quarter_name(quarter_period(text))
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.field_errors["quarter"]) from None


def whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """A whole number from ``low`` (to ``high``)."""
    limits = f"from {low:,} to {high:,}" if high is not None else f"{low:,} or more"

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number {limits}")
        return number

    return parse


def display_scale(text: str) -> float:
    """A display scale above 0, at most 4 (2 is 200%)."""
    try:
        scale = float(text)
    except ValueError:
        scale = 0.0
    if not 0 < scale <= 4:
        raise argparse.ArgumentTypeError(f"{text!r} is not a display scale: choose one above 0 and up to 4 (2 is 200%)")
    return scale


class Parser(argparse.ArgumentParser):
    """argparse, with its refusals on one line like the program's others: ``mash-desk: argument
    --role: invalid choice: ...; see mash-desk user add --help``, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"mash-desk: {message}; see {self.prog} --help\n")


def version_text() -> str:
    """The program's version and the database schema it expects: what support and the DBA ask for."""
    from mash_desk.store.migrate import head_revision

    return f"MASH Desk {__version__} (database schema {head_revision()})"


class VersionAction(argparse.Action):
    """``--version``: print ``version_text()`` and exit, touching no database and loading no Qt."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **_: object) -> None:
        super().__init__(
            option_strings,
            dest,
            default=argparse.SUPPRESS,
            nargs=0,
            help="show the version and the database schema version this program expects, then exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        print(version_text())
        parser.exit()
