"""Small query helpers shared by the services."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

K = TypeVar("K")
V = TypeVar("V")


def lookup(session: Session, stmt: Select[K, V]) -> dict[K, V]:
    """A two-column query as a dictionary (``Result`` has ``keys()``, so ``dict(result)`` misreads it)."""
    return dict(session.execute(stmt).all())
