"""Frozen dataclasses made by the hundred: a queue page's rows, the contacts a page's patterns are read from.

``@dataclass(frozen=True)`` fills each field of a new instance through ``object.__setattr__`` (its guard
against changes is ``__setattr__`` itself): for a sixteen-field queue row that costs more than reading the
row from the database, and a queue page makes fifty rows and a few hundred history contacts (issue 11,
per-call overhead). ``filled_at_once`` gives such a class an ``__init__`` that fills the instance's
``__dict__`` in one step. The instance is the same as before — the same fields and defaults, equality,
hash and repr, and still frozen once made — only how it is filled differs.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, is_dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def filled_at_once(cls: type[T]) -> type[T]:
    """Replace a frozen dataclass's ``__init__`` with one that fills every field at once (same signature).

    Refused for a class it could not fill faithfully: not a frozen dataclass, with ``__slots__`` (no
    ``__dict__``), ``__post_init__``, or a field that is not a plain positional parameter (``init=False``,
    ``kw_only``, a default factory).
    """
    if not is_dataclass(cls) or not getattr(cls, "__dataclass_params__").frozen:  # noqa: B009 - not in typeshed's view
        raise TypeError(f"{cls.__name__} is not a frozen dataclass")
    if "__slots__" in cls.__dict__ or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has __slots__ or __post_init__: keep the dataclass's own __init__")
    names: list[str] = []
    defaults: dict[str, Any] = {}
    for field in fields(cls):
        if not field.init or field.kw_only or field.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{field.name} is not a plain positional field")
        names.append(field.name)
        if field.default is not MISSING:
            defaults[f"_default_{field.name}"] = field.default
    parameters = ", ".join(f"{name}=_default_{name}" if f"_default_{name}" in defaults else name for name in names)
    filled = ", ".join(f"{name!r}: {name}" for name in names)
    source = f"def __init__(self, {parameters}) -> None:\n    self.__dict__.update({{{filled}}})\n"
    namespace: dict[str, Any] = dict(defaults)
    exec(source, namespace)  # noqa: S102 - our own field names, as dataclasses itself writes __init__
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
