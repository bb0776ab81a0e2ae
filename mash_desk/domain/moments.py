"""A date and time typed as one value: "7/12/2026 14:30", "today 14:30", "yesterday 9.05", "now";
and a date on its own, the same way: "7/12/2026", "07/12/26", "today".

A date-time box with a spin field per part costs a Tab for every part (day, month, year, hours,
minutes); people read the time off a police notification or an e-mail and type it in one go.
The rule lives here, once, for the form and for anything else that reads a typed moment.
Times are wall-clock times where the MASH is; the caller attaches the zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

MOMENT_FORMAT = "%d/%m/%Y %H:%M"
"""How a moment is written back into a box: what ``parse_moment`` reads."""

EXAMPLE = "07/12/2026 14:30"

DAY_FORMAT = "%d/%m/%Y"
"""How a date on its own is written back into a box: what ``parse_day`` reads."""

DAY_EXAMPLE = "07/12/2026"

_DAY_WORDS = {"today": 0, "yesterday": -1}
_DATE_ONLY_WORDS = {**_DAY_WORDS, "tomorrow": 1}  # a review or a deadline is ahead; a contact never came in then
_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?")


class MomentError(ValueError):
    """What is wrong with a typed moment, in words for the field."""


def format_moment(moment: datetime) -> str:
    return moment.strftime(MOMENT_FORMAT)


def format_day(day: date) -> str:
    return day.strftime(DAY_FORMAT)


def _read_day(
    text: str,
    today: date,
    words: dict[str, int] = _DAY_WORDS,
    how: str = f"Write the date as day/month/year, for example {EXAMPLE}, or 'today 14:30'.",
) -> date:
    if text in words:
        return today + timedelta(days=words[text])
    iso = _ISO_DATE.fullmatch(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    else:
        found = _DATE.fullmatch(text)
        if found is None:
            raise MomentError(how)
        day, month, year = (int(part) for part in found.groups())
        if year < 100:  # "7/12/26": this century
            year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        raise MomentError("There is no such date; check the day and the month.") from None


def _read_time(text: str) -> time:
    found = _TIME.fullmatch(text)
    if found is None:
        raise MomentError(f"Write the time as hours:minutes, for example {EXAMPLE[-5:]}.")
    hours, minutes = int(found.group(1)), int(found.group(2) or 0)
    half = found.group(3)
    if half is not None:
        if not 1 <= hours <= 12:
            raise MomentError("With am or pm the hour is 1 to 12.")
        hours = hours % 12 + (12 if half == "pm" else 0)
    elif found.group(2) is None:
        raise MomentError(f"Write the time as hours:minutes, for example {EXAMPLE[-5:]}.")
    if hours > 23 or minutes > 59:
        raise MomentError("There is no such time; hours go to 23 and minutes to 59.")
    return time(hours, minutes)


def parse_moment(text: str, now: datetime) -> datetime:
    """The wall-clock moment in ``text``, read against ``now`` (for "today", "yesterday", "now" and a
    time on its own, which means today). Raises ``MomentError`` with a message for the field."""
    words = " ".join(text.strip().lower().replace(",", " ").split())
    if not words:
        raise MomentError("Enter when the MASH received this contact, for example 'today 14:30'.")
    if words == "now":
        return now.replace(second=0, microsecond=0, tzinfo=None)
    words = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", words)  # "2 pm" is one part
    parts = [part for part in words.split(" ") if part != "at"]  # "today at 14:30"
    if not parts:
        raise MomentError(f"Write the date and then the time, for example {EXAMPLE} or 'today 14:30'.")
    if len(parts) == 1:
        if parts[0] in _DAY_WORDS or _DATE.fullmatch(parts[0]) or _ISO_DATE.fullmatch(parts[0]):
            raise MomentError(f"Add the time it came in, for example {EXAMPLE}.")
        return datetime.combine(now.date(), _read_time(parts[0]))
    if len(parts) != 2:
        raise MomentError(f"Write the date and then the time, for example {EXAMPLE} or 'today 14:30'.")
    return datetime.combine(_read_day(parts[0], now.date()), _read_time(parts[1]))


def parse_day(text: str, today: date) -> date:
    """The date in ``text``, day first as written in the UK ("7/12/2026", "07.12.26", "2026-12-07"), or
    "today", "yesterday", "tomorrow" read against ``today``. Raises ``MomentError`` with a message for the
    field."""
    words = text.strip().lower()
    if not words:
        raise MomentError(f"Enter a date, for example {DAY_EXAMPLE}.")
    return _read_day(
        words, today, _DATE_ONLY_WORDS, f"Write the date as day/month/year, for example {DAY_EXAMPLE}, or 'today'."
    )
