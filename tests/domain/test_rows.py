"""``filled_at_once``: the same frozen rows, filled in one step."""

from __future__ import annotations

import dataclasses
from dataclasses import FrozenInstanceError, dataclass, field
from datetime import UTC, datetime

import pytest

from mash_desk.domain.patterns import HistoryContact
from mash_desk.domain.rows import filled_at_once
from mash_desk.services.queues import QueueRow

AT = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Plain:
    number: int
    words: str
    tags: tuple[str, ...] = ()
    note: str | None = None


@filled_at_once
@dataclass(frozen=True)
class Quick:
    number: int
    words: str
    tags: tuple[str, ...] = ()
    note: str | None = None


def _fields(row: object) -> dict[str, object]:
    return {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}  # type: ignore[arg-type]


def test_a_row_filled_at_once_is_the_row_the_dataclass_would_make() -> None:
    for args, named in (((1, "a"), {}), ((2, "b", ("x",)), {}), ((3,), {"words": "c", "note": "n"})):
        plain, quick = Plain(*args, **named), Quick(*args, **named)  # type: ignore[arg-type]
        assert _fields(quick) == _fields(plain)
        assert repr(quick) == repr(plain).replace("Plain", "Quick")
    assert Quick(1, "a") == Quick(1, "a") != Quick(1, "b")
    assert hash(Quick(1, "a", ("t",))) == hash(Quick(1, "a", ("t",)))
    assert dataclasses.replace(Quick(1, "a"), note="changed") == Quick(1, "a", (), "changed")


def test_it_is_still_frozen_and_still_refuses_wrong_arguments() -> None:
    quick = Quick(1, "a")
    with pytest.raises(FrozenInstanceError):
        quick.number = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        Quick(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Quick(1, "a", (), None, "one too many")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Quick(1, "a", colour="red")  # type: ignore[call-arg]


def test_classes_it_cannot_fill_faithfully_are_refused() -> None:
    @dataclass
    class NotFrozen:
        number: int

    @dataclass(frozen=True)
    class Checked:
        number: int

        def __post_init__(self) -> None:
            assert self.number >= 0

    @dataclass(frozen=True)
    class Made:
        tags: list[str] = field(default_factory=list)

    @dataclass(frozen=True, slots=True)
    class Slotted:
        number: int

    for cls in (NotFrozen, Checked, Made, Slotted):
        with pytest.raises(TypeError):
            filled_at_once(cls)


def test_the_rows_a_queue_page_makes_by_the_hundred_are_filled_at_once() -> None:
    for cls in (QueueRow, HistoryContact, Quick):
        assert cls.__init__.__code__.co_names == ("__dict__", "update"), cls
    assert Plain.__init__.__code__.co_names != ("__dict__", "update")
    contact = HistoryContact(1, "MASH-0000001", AT)
    assert (contact.concerns, contact.address, contact.interpreters) == (frozenset(), None, frozenset())
