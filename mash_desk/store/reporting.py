"""A hub's read-only reporting server, kept beside the database that takes the saves.

Reports (the dashboard, statutory exports, letter worklists, ``mash-desk report``) read a lot and
write nothing, so a hub may send them to a hot standby and keep the primary for the people saving.
:class:`HubDatabase` is the :class:`Database` for saves with that second one attached;
:func:`reports_database` is where a report reads: the reporting server when there is one, the
database itself otherwise. What is read there may be a moment behind the last save (streaming
replication), which is why only reports go there and never a read that decides a write.
"""

from __future__ import annotations

from mash_desk.store.database import Database


class HubDatabase(Database):
    """The database that takes the saves (``url``: libpq picks the read-write server of those listed),
    with a read-only reporting server (``reporting_url``) signed in to with the same login and password."""

    def __init__(self, url: str, *, reporting_url: str, login: str | None = None, password: str | None = None) -> None:
        super().__init__(url, login=login, password=password)
        self.reporting = Database(reporting_url, login=self.url.username, password=self.url.password)

    def for_reports(self) -> Database:
        return self.reporting

    def describe(self) -> str:
        return f"{super().describe()} (reports from {self.reporting.describe()})"

    def dispose(self) -> None:
        self.reporting.dispose()
        super().dispose()


def open_database(
    url: str, *, reporting_url: str | None = None, login: str | None = None, password: str | None = None
) -> Database:
    """The database at ``url``, with ``reporting_url`` as its reporting server when one is given."""
    if reporting_url:
        return HubDatabase(url, reporting_url=reporting_url, login=login, password=password)
    return Database(url, login=login, password=password)


def reports_database(db: Database) -> Database:
    """Where reports on ``db`` read: its reporting server, or ``db`` itself when it has none."""
    return db.for_reports() if isinstance(db, HubDatabase) else db
