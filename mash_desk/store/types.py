"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import DateTime, Dialect, String
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases.

    SQLite has no time zones, so values are stored as naive UTC and handed back aware; naive
    input is refused because a MASH clock that guesses its zone is a MASH clock that lies.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: MASH Desk stores aware UTC times only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class CodeEnum(TypeDecorator[Any]):
    """A ``StrEnum`` stored as its value in a VARCHAR (no native enum: migrations stay simple)."""

    impl = String(40)
    cache_ok = True

    def __init__(self, enum_class: type[Enum], length: int = 40) -> None:
        super().__init__(length)
        self.enum_class = enum_class
        self.length = length
        # read back by the thousand (a queue page's statuses, a history's concerns): a dictionary look-up
        # is a tenth of the cost of calling the enum class; anything else still goes through the class
        self._members = {member.value: member for member in enum_class}

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return str(self.enum_class(value).value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        member = self._members.get(value)
        return member if member is not None else self.enum_class(value)

    def copy(self, **kw: Any) -> CodeEnum:
        return CodeEnum(self.enum_class, self.length)
