"""Errors of normal life: things a user can cause or meet, each shown politely by the GUI.

Anything that is not a ``MashDeskError`` is a bug and goes to the crash dialog.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime


class MashDeskError(Exception):
    """Base of every expected failure; ``str(err)`` is a sentence a user can read."""


class InvalidInput(MashDeskError):
    """One or more fields are wrong; ``field_errors`` maps field name to a message for that field."""

    def __init__(self, field_errors: Mapping[str, str]) -> None:
        self.field_errors: dict[str, str] = dict(field_errors)
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in self.field_errors.items()))

    @classmethod
    def single(cls, field: str, message: str) -> InvalidInput:
        return cls({field: message})


class PermissionRefused(MashDeskError):
    """The signed-in person's role or team does not allow this."""


class IllegalTransition(MashDeskError):
    """The record is not in a state where this action makes sense."""


class NotFound(MashDeskError):
    """The record asked for does not exist (or is not visible to this person)."""


class ConsentRequired(MashDeskError):
    """Sharing was attempted with neither consent given nor an override recorded."""


class ConcurrentEdit(MashDeskError):
    """Someone else saved the same record first; nothing was overwritten."""

    def __init__(
        self,
        message: str,
        *,
        changed_by: str | None = None,
        changed_at: datetime | None = None,
        theirs: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.theirs: dict[str, object] = dict(theirs or {})


class WriteCollision(ConcurrentEdit):
    """Two saves met in the database (a deadlock or a serialisation failure): worth trying again at once."""


class DatabaseUnavailable(MashDeskError):
    """The database could not be reached or the connection dropped; nothing was saved."""


class SchemaMismatch(MashDeskError):
    """The database schema is older (needs ``db upgrade``) or newer than this program."""


class UnknownUser(MashDeskError):
    """The database login or local sign-in name is not a MASH Desk user."""


class WrongPassword(MashDeskError):
    """The password typed is not the signed-in login's (re-authentication at the idle lock)."""


class RestrictedRecord(MashDeskError):
    """A manager has restricted this record; the person may break the glass, with a reason, to open it."""

    def __init__(self, message: str, *, kind: str, record_id: int, restricted_by: str, restricted_at: datetime) -> None:
        super().__init__(message)
        self.kind = kind
        self.record_id = record_id
        self.restricted_by = restricted_by
        self.restricted_at = restricted_at
