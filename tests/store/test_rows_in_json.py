"""Rows carried as JSON come back as the column types hand them over, or are refused where JSON would
change them; the database round trip itself is tested with the contact view (tests/services)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Boolean, Column, Date, Integer, MetaData, Numeric, Table, Text, create_engine, select

from mash_desk.domain.enums import Rag
from mash_desk.store.rows_in_json import OrderedRows
from mash_desk.store.types import CodeEnum, UtcDateTime

_TABLE = Table(
    "carried",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("at", UtcDateTime),
    Column("day", Date),
    Column("rag", CodeEnum(Rag)),
    Column("flag", Boolean),
    Column("note", Text),
    Column("amount", Numeric),
)
DIALECT = create_engine("postgresql+psycopg://").dialect  # never connects: the dialect is all it needs


def test_json_values_come_back_as_the_column_types_hand_them_over() -> None:
    rows = OrderedRows(select(_TABLE.c.id, _TABLE.c.at, _TABLE.c.day, _TABLE.c.rag, _TABLE.c.flag, _TABLE.c.note), ())
    # as PostgreSQL writes them: a time with the session's offset, a date as ISO text
    carried: list[list[Any]] = [
        [2, "2026-12-07T20:00:00.5+01:00", "2026-12-07", "red", True, None],
        [1, None, None, None, False, "x"],
    ]
    first, second = rows.read_back(carried, DIALECT)
    assert first._fields == ("id", "at", "day", "rag", "flag", "note")
    assert tuple(first) == (
        2,
        datetime(2026, 12, 7, 19, 0, 0, 500000, tzinfo=UTC),
        date(2026, 12, 7),
        Rag.RED,
        True,
        None,
    )
    assert first.at.tzinfo is UTC
    assert first.rag is Rag.RED
    assert tuple(second) == (1, None, None, None, False, "x")
    assert rows.read_back(None, DIALECT) == []  # json_agg over no rows is NULL


def test_a_column_json_would_change_is_refused() -> None:
    rows = OrderedRows(select(_TABLE.c.amount), ())  # a NUMERIC would come back a float
    with pytest.raises(TypeError, match="cannot yet be carried"):
        rows.read_back([["1.10"]], DIALECT)


def test_the_rows_are_aggregated_in_the_order_they_are_read_alone() -> None:
    rows = OrderedRows(select(_TABLE.c.id, _TABLE.c.note), (_TABLE.c.at, _TABLE.c.id))
    alone = str(rows.statement.compile(dialect=DIALECT))
    carried = str(rows.as_json().compile(dialect=DIALECT))
    assert alone.endswith("ORDER BY carried.at, carried.id")
    assert "json_agg(json_build_array(carried.id, carried.note) ORDER BY carried.at, carried.id)" in carried
