"""Small query helpers shared by the services."""

from __future__ import annotations

from collections.abc import Collection
from typing import TypeVar

# SQLAlchemy's own ARRAY, which PostgreSQL's dialect renders as its own: importing that dialect's ARRAY would
# load the whole PostgreSQL dialect (and asyncio, for its async drivers) on an embedded database too
from sqlalchemy import ARRAY, ColumnElement, Connection, Integer, Select, String, any_, bindparam
from sqlalchemy.orm import QueryableAttribute, Session

from mash_desk.store.models import Contact

K = TypeVar("K")
V = TypeVar("V")

Reader = Session | Connection
"""Where a read runs: a unit's ORM session, or a read unit's Core connection (``ServiceContext.read``)."""


def core(reader: Reader) -> Connection:
    """The Core connection under ``reader``, in the same transaction."""
    return reader.connection() if isinstance(reader, Session) else reader


def lookup(session: Reader, stmt: Select[K, V]) -> dict[K, V]:
    """A two-column query as a dictionary (``Result`` has ``keys()``, so ``dict(result)`` misreads it)."""
    return dict(session.execute(stmt).all())


def starts_with(column: QueryableAttribute[str], prefix: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """``column`` begins with ``prefix``, as a range both databases answer from a b-tree index.

    ``LIKE 'kha%'`` cannot use an index on SQLite, nor on PostgreSQL under a non-C collation;
    ``>= 'kha' AND < 'khb'`` can on both. Names are stored normalised (casefolded, no accents).
    """
    successor = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return column >= prefix, column < successor


def among(
    session: Session,
    column: QueryableAttribute[str] | QueryableAttribute[int],
    values: Collection[str] | Collection[int],
) -> ColumnElement[bool]:
    """``column IN (values)``, as one array parameter on PostgreSQL: a search sends hundreds of keys,
    and a bound parameter each costs the driver and the server's parser more than the look-up."""
    ordered = sorted(values)
    if session.get_bind().dialect.name == "postgresql":
        element = String() if ordered and isinstance(ordered[0], str) else Integer()
        return column == any_(bindparam("among", ordered, type_=ARRAY(element), unique=True))
    return column.in_(ordered)


def in_list(column: QueryableAttribute[int], name: str) -> dict[str, ColumnElement[bool]]:
    """``column IN (:name)`` for a statement built once, by dialect: the list bound at run time as one array on
    PostgreSQL and as an expanding list on SQLite, so neither the statement nor its cache key is rebuilt
    value by value on every read."""
    return {
        "postgresql": column == any_(bindparam(name, type_=ARRAY(Integer()))),
        "sqlite": column.in_(bindparam(name, expanding=True)),
    }


def lock_contact(session: Session, contact_id: int) -> Contact | None:
    """Lock the contact row for this unit (FOR UPDATE on PostgreSQL; SQLite's writers already take
    turns) and forget what the unit read before the lock, so that it is read again: every write
    unit locks its contact first, and decides on one consistent picture."""
    session.expire_all()
    return session.get(Contact, contact_id, with_for_update=True, populate_existing=True)
