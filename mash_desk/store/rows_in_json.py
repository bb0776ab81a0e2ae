"""Many selects in one round trip: each select's rows carried as one JSON column of another statement.

A screen made of sections (one contact: its children, decisions, notes ...) is written once, as a select
per section. SQLite runs each on its own: a statement there is a call into a library. On PostgreSQL each
statement is a round trip to the server and back, so there the same selects become columns of one
statement (``as_json``), and ``read_back`` turns each column into the very rows the select returns by
itself: the same names, the same Python values through the same column types.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Dialect, Row, ScalarSelect, Select, func
from sqlalchemy.engine import result_tuple
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.types import NullType, TypeDecorator, TypeEngine

# How JSON carries what the driver would hand over as a Python object: PostgreSQL writes a timestamp with
# time zone and a date as ISO 8601 text; numbers, booleans and text arrive as the driver's own values.
_FROM_JSON_TEXT: dict[type, Callable[[str], Any]] = {datetime: datetime.fromisoformat, date: date.fromisoformat}
_AS_IN_JSON = (str, int, bool)

ValueReader = Callable[[Any], Any]
AnySelect = Select[*tuple[Any, ...]]
OrderColumn = ColumnElement[Any] | QueryableAttribute[Any]


@dataclass(frozen=True)
class OrderedRows:
    """A select and the order of its rows, kept apart so that the same rows can be read on their own
    (``statement``) or aggregated, in the same order, into one JSON column of another (``as_json``)."""

    unordered: AnySelect
    order: tuple[OrderColumn, ...]
    statement: AnySelect = field(init=False, compare=False, repr=False)
    """The rows on their own, in order: built once, as SQLAlchemy's statement cache keys a statement by the
    object it is given (a select built afresh on each call is examined afresh each time)."""
    _readers: dict[str, list[ValueReader | None]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "statement", self.unordered.order_by(*self.order))

    @property
    def keys(self) -> Sequence[str]:
        return self.unordered.selected_columns.keys()

    def as_json(self) -> ScalarSelect[Any]:
        """The rows as one JSON array of arrays (positional: the select's own names are put back by
        ``read_back``), or NULL for no rows. Never correlated: the select reads what it always reads."""
        each = func.json_build_array(*self.unordered.selected_columns)
        rows = func.json_agg(each).aggregate_order_by(*self.order) if self.order else func.json_agg(each)
        return self.unordered.with_only_columns(rows, maintain_column_froms=True).correlate(None).scalar_subquery()

    def read_back(self, carried: list[list[Any]] | None, dialect: Dialect) -> list[Row[*tuple[Any, ...]]]:
        """The rows ``as_json`` carried, as the select alone would have returned them."""
        if not carried:
            return []
        readers = self._readers.get(dialect.name)
        if readers is None:
            readers = self._readers[dialect.name] = [
                _value_reader(column.type, dialect) for column in self.unordered.selected_columns
            ]
        make_row = result_tuple(self.keys)
        converting = [(index, reader) for index, reader in enumerate(readers) if reader is not None]
        rows = []
        for values in carried:
            for index, reader in converting:
                values[index] = reader(values[index])
            rows.append(make_row(values))
        return rows


def _value_reader(type_: TypeEngine[Any], dialect: Dialect) -> ValueReader | None:
    """From a JSON value to what the column's type hands back (None: the JSON value is it already)."""
    stored = type_.impl_instance if isinstance(type_, TypeDecorator) else type_
    if isinstance(stored, NullType):  # a function's result (a boolean, a text): JSON carries it as it is
        from_json = None
    else:
        python = stored.python_type
        if python in _FROM_JSON_TEXT:
            from_json = _FROM_JSON_TEXT[python]
        elif python in _AS_IN_JSON:
            from_json = None
        else:  # a type this module has not been taught (a Decimal would come back a float): refuse, loudly
            raise TypeError(f"a {type_!r} column cannot yet be carried through JSON")
    processor = type_.dialect_impl(dialect).result_processor(dialect, None)
    if from_json is None:
        return processor
    if processor is None:
        return lambda value: None if value is None else from_json(value)
    return lambda value: None if value is None else processor(from_json(value))
