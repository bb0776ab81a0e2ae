"""A child's one chronology: what kinds of entry it merges, how they read, and how it is filtered.

Serious case reviews find each contact handled on its own; the chronology puts every contact about
a child, and everything that happened on each, in one list, newest first. The rows themselves are
read by ``services.person_record``; the rules of filtering and ordering live here, once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol, TypeVar

from mash_desk.domain.enums import ParentsAware
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.timescales import LONDON


class EntryKind(StrEnum):
    """What a chronology entry records."""

    CONTACT = "contact"
    RATING = "rating"
    AGENCY = "agency"
    DECISION = "decision"
    AUTHORISATION = "authorisation"
    HAND_OFF = "hand_off"
    OUTCOME = "outcome"
    NOTE = "note"
    GCP2 = "gcp2"
    DASH = "dash"


KIND_WORDS: dict[EntryKind, str] = {
    EntryKind.CONTACT: "Contact",
    EntryKind.RATING: "RAG rating",
    EntryKind.AGENCY: "Agency check",
    EntryKind.DECISION: "Decision",
    EntryKind.AUTHORISATION: "Authorisation",
    EntryKind.HAND_OFF: "Hand-off",
    EntryKind.OUTCOME: "Outcome",
    EntryKind.NOTE: "Note",
    EntryKind.GCP2: "Graded Care Profile 2",
    EntryKind.DASH: "DASH risk checklist",
}


class Dated(Protocol):
    @property
    def at(self) -> datetime: ...

    @property
    def kind(self) -> EntryKind: ...

    @property
    def agency(self) -> str: ...


D = TypeVar("D", bound=Dated)


@dataclass(frozen=True)
class ChronologyFilter:
    """Which entries to show: empty sets mean every agency and every kind; the period is by day in
    England (a contact received at 00:30 on 1 March BST belongs to 1 March), both ends included."""

    agencies: frozenset[str] = field(default_factory=frozenset)
    kinds: frozenset[EntryKind] = field(default_factory=frozenset)
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise InvalidInput.single("since", "The period starts after it ends: swap the two dates.")

    @property
    def narrowed(self) -> bool:
        return bool(self.agencies or self.kinds or self.since or self.until)

    def keeps(self, entry: Dated) -> bool:
        if self.kinds and entry.kind not in self.kinds:
            return False
        if self.agencies and entry.agency not in self.agencies:
            return False
        day = entry.at.astimezone(LONDON).date()
        if self.since is not None and day < self.since:
            return False
        return self.until is None or day <= self.until


def newest_first(entries: Iterable[D], keep: ChronologyFilter | None = None) -> tuple[D, ...]:
    """The entries ``keep`` keeps, newest first; entries at the same moment keep the order given
    (the order things happen in on one contact: received before rated)."""
    kept = [e for e in entries if keep is None or keep.keeps(e)]
    ordered = sorted(enumerate(kept), key=lambda pair: (pair[1].at, pair[0]), reverse=True)
    return tuple(entry for _position, entry in ordered)


def parents_aware_sentence(answer: ParentsAware | None, reason: str | None) -> str:
    """Whether the family knew of the contact, as a chronology says it ("" for a contact logged before
    intake asked)."""
    if answer is None:
        return ""
    if answer is ParentsAware.NO:
        return f"Parents or carers not aware: {reason.rstrip('.')}." if reason else "Parents or carers not aware."
    if answer is ParentsAware.NOT_KNOWN:
        return "Not known whether the parents or carers are aware."
    return "Parents or carers aware."
