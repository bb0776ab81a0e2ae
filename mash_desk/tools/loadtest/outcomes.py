"""What one call at a workstation came to, and how a workstation's whole run is handed back.

Every call ends in one of five ways: it worked; an expected refusal (the services said no, in words
a person can act on); the database was unavailable (a fault: the person presses Retry); another
``MashDeskError`` nobody expects in normal work (an unknown user, a schema mismatch); or a raw
exception — anything that is not a ``MashDeskError`` reached the window, which is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from mash_desk.domain.errors import (
    ConcurrentEdit,
    ConsentRequired,
    DatabaseUnavailable,
    IllegalTransition,
    InvalidInput,
    MashDeskError,
    NotFound,
    PermissionRefused,
    RestrictedRecord,
)

EXPECTED_REFUSALS: tuple[type[MashDeskError], ...] = (
    IllegalTransition,
    ConcurrentEdit,  # and WriteCollision, its subclass: a collision still there after the bounded retries
    PermissionRefused,
    InvalidInput,
    NotFound,
    ConsentRequired,
    RestrictedRecord,
)

# Words that would mean the driver or the server spoke to the person directly, not the application.
DRIVER_WORDS = (
    "deadlock",
    "serializ",
    "psycopg",
    "sqlalchemy",
    "sqlite3",
    "operationalerror",
    "sqlstate",
    "consuming input",
    "server closed the connection",
    "terminating connection",
    "database is locked",
    "could not obtain lock",
    "traceback",
)


class Kind(StrEnum):
    OK = "ok"
    REFUSED = "refused"
    UNAVAILABLE = "unavailable"
    UNEXPECTED = "unexpected error"
    RAW = "raw exception"


class RoleKind(StrEnum):
    """What a workstation's person does all day."""

    MASH = "MASH practitioner"
    MANAGER = "team manager"
    AGENCY = "agency officer"
    RECEIVING = "receiving-team worker"
    BUSINESS_SUPPORT = "business support"
    AUDITOR = "auditor"


def classify(exc: BaseException) -> Kind:
    if isinstance(exc, DatabaseUnavailable):
        return Kind.UNAVAILABLE
    if isinstance(exc, EXPECTED_REFUSALS):
        return Kind.REFUSED
    if isinstance(exc, MashDeskError):
        return Kind.UNEXPECTED
    return Kind.RAW


def driver_words(message: str) -> tuple[str, ...]:
    """The driver's or server's own words in a message meant for a person (none, we hope)."""
    lowered = message.lower()
    return tuple(word for word in DRIVER_WORDS if word in lowered)


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One attempt at one service call (a Retry after a fault is another attempt of the same chain)."""

    workstation: int
    login: str
    action: str
    chain: int  # the call this attempt belongs to: numbered per workstation
    attempt: int  # 0 for the first try, 1.. for each Retry after a fault
    kind: Kind
    ms: float
    started: float  # seconds since the run started
    write: bool
    contact_id: int | None = None
    expected_version: int | None = None
    record_key: str | None = None  # what expected_version is the version of: "contact:12", "request:40"
    audit_action: str | None = None  # the audit row a success leaves on the contact
    audit_rows: int = 1  # how many (asking three agencies leaves three)
    error: str | None = None  # the exception's class
    message: str | None = None


@dataclass
class WorkstationResult:
    """Everything one workstation saw, handed back to the run (pickled, when it ran in another process)."""

    index: int
    login: str
    role: RoleKind
    records: list[CallRecord] = field(default_factory=list)
    claimed: list[int] = field(default_factory=list)  # contacts claim_next gave this workstation
    feed_seen: set[int] = field(default_factory=set)  # contacts its change feed reported
    feed_polls: int = 0
    feed_overflowed: bool = False
    feed_largest: int = 0  # the most contacts one poll reported
    feed_overflow_at: float | None = None  # seconds into the run of the first poll that overflowed
    feed_marker: str | int | None = None  # where its feed stood when it stopped
    crashed: str | None = None  # a bug in the load test itself, not in MASH Desk
