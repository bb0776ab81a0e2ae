"""Bulk-loading the planned rows: executemany (a writer process) on SQLite, COPY on PostgreSQL."""

import json
import multiprocessing
import queue
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Connection, text

from mash_desk.domain.errors import DatabaseUnavailable
from mash_desk.store.database import Database, translate_errors
from mash_desk.store.models import SERVER_ASSIGNED, Base
from mash_desk.tools.demo.vocabulary import WRITER_PROCESS_FROM, Progress, Row

# --- loading ---------------------------------------------------------------------------------------

# The tables the demo writes, in the order it writes them (people last: their allocations change
# until the last contact is planned)
TABLES = (
    "household",
    "person",
    "person_name_key",
    "person_alias",
    "household_member",
    "relationship",
    "contact",
    "contact_concern",
    "contact_child",
    "contact_adult",
    "consent_decision",
    "rag_rating",
    "agency_request",
    "threshold_decision",
    "authorisation",
    "hand_off",
    "case_note",
    "dash_assessment",
    "gcp_assessment",
    "audit_event",
)


def _planned_columns(table: str) -> tuple[str, ...]:
    """The columns a planned row of ``table`` fills, in the models' order: every column the models
    declare but those the database assigns itself (``SERVER_ASSIGNED``, such as the change stamp)."""
    return tuple(column.name for column in Base.metadata.tables[table].columns if not column.info.get(SERVER_ASSIGNED))


# The planner writes each row as a tuple in this order; a column added to a model shows up here,
# and a planned row without it is refused by the loader (``_check_width``), never written short.
COLUMNS: dict[str, tuple[str, ...]] = {table: _planned_columns(table) for table in TABLES}
ID_TABLES = tuple(table for table, columns in COLUMNS.items() if columns[0] == "id")


def _check_width(table: str, rows: list[Row]) -> None:
    """Refuse planned rows that do not fill the table's columns (a model changed, the plan did not)."""
    if len(rows[0]) != len(COLUMNS[table]):
        raise ValueError(f"a planned {table} row has {len(rows[0])} values for {len(COLUMNS[table])} columns")


class _Loader:
    """Writes planned rows in one transaction, with secondary indexes and constraints rebuilt after.

    Dropping and rebuilding is several times faster than maintaining them row by row, and on
    PostgreSQL re-adding each foreign key validates every loaded row in one pass. The DDL is
    transactional on both databases, so an interrupted load leaves the schema and data as they were.
    """

    def __init__(self, db: Database, conn: Connection) -> None:
        self.db = db
        self.conn = conn
        self.postgresql = db.is_postgresql
        self.quote = conn.dialect.identifier_preparer.quote
        self.rebuild: list[str] = []
        self.rows = 0
        # PostgreSQL: chunks queue up for the COPY worker (a few chunks at most, to bound memory)
        self.outbox: queue.Queue[tuple[str, list[Row]] | None] = queue.Queue(maxsize=3 * len(COLUMNS))
        self.sender: threading.Thread | None = None
        self.failure: BaseException | None = None
        self.abandoned = False

    def drop_constraints(self) -> None:
        tables = list(COLUMNS)
        if self.postgresql:
            found = self.conn.execute(
                text(
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                    "WHERE contype IN ('f', 'u') AND conrelid = ANY(CAST(:tables AS regclass[])) "
                    "ORDER BY contype, conrelid::regclass::text, conname"
                ),
                {"tables": tables},
            ).all()
            indexes = self.conn.execute(
                text(
                    "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
                    "WHERE indrelid = ANY(CAST(:tables AS regclass[])) AND NOT indisprimary "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                    "ORDER BY 1"
                ),
                {"tables": tables},
            ).all()
            for table, name, _definition, _kind in found:  # foreign keys ('f') sort before unique ('u')
                self.conn.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {self.quote(name)}")
            for name, definition in indexes:
                self.conn.exec_driver_sql(f"DROP INDEX {name}")
                self.rebuild.append(definition)
            # unique constraints first (nothing refers to them), then the foreign keys, validated
            for table, name, definition, _kind in sorted(found, key=lambda row: row[3] != "u"):
                self.rebuild.append(f"ALTER TABLE {table} ADD CONSTRAINT {self.quote(name)} {definition}")
        else:
            placeholders = ", ".join(f"'{table}'" for table in tables)
            query = (
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
                f"AND tbl_name IN ({placeholders}) ORDER BY name"
            )
            indexes = self.conn.exec_driver_sql(query).all()
            for name, definition in indexes:
                self.conn.exec_driver_sql(f"DROP INDEX {self.quote(name)}")
                self.rebuild.append(definition)
            triggers = self.conn.exec_driver_sql(SQLITE_TRIGGERS, (json.dumps(tables),)).all()
            for name, _definition in triggers:
                self.conn.exec_driver_sql(f"DROP TRIGGER {self.quote(name)}")
            self.rebuild.extend(_after_sqlite_triggers(triggers))

    def write(self, table: str, rows: list[Row]) -> None:
        """Write rows; on PostgreSQL a background thread sends them, so the server works while we plan."""
        if not rows:
            return
        _check_width(table, rows)
        self.rows += len(rows)
        if not self.postgresql:
            columns = COLUMNS[table]
            names = ", ".join(self.quote(column) for column in columns)
            marks = ", ".join("?" * len(columns))
            statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - our own names; values bound
            self.conn.exec_driver_sql(statement, cast(Any, rows))
            return
        if self.sender is None:
            self.sender = threading.Thread(target=self._send, name="demo-copy", daemon=True)
            self.sender.start()
        if self.failure is not None:
            raise self.failure
        self.outbox.put((table, rows))

    def _send(self) -> None:
        """The COPY worker: the only user of the connection while the load runs."""
        raw = cast(Any, self.conn.connection.driver_connection)
        while True:
            item = self.outbox.get()
            try:
                if item is None:
                    return
                if self.failure is not None or self.abandoned:
                    continue  # drain what is queued so the planner never blocks; the error is raised there
                table, rows = item
                names = ", ".join(self.quote(column) for column in COLUMNS[table])
                with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            except BaseException as exc:
                self.failure = exc
            finally:
                self.outbox.task_done()

    def drain(self) -> None:
        """Wait until every queued row is in the database; raise what the COPY worker met, if anything."""
        if self.sender is not None:
            self.outbox.put(None)
            self.sender.join()
            self.sender = None
        if self.failure is not None:
            raise self.failure

    def abandon(self) -> None:
        """Stop the COPY worker without sending what is still queued (the load failed elsewhere)."""
        self.abandoned = True
        if self.sender is not None:
            self.outbox.put(None)
            self.sender.join()
            self.sender = None

    def finish(self, report: Progress) -> None:
        """Rebuild what was dropped, move the id sequences past the new rows, refresh planner statistics."""
        self.drain()
        for done, statement in enumerate(self.rebuild, start=1):
            report("rebuilding indexes and checking links", done - 1, len(self.rebuild))
            self.conn.exec_driver_sql(statement)
        report("rebuilding indexes and checking links", len(self.rebuild), len(self.rebuild))
        if self.postgresql:
            for table in ID_TABLES:
                self.conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence(:table, 'id'), (SELECT max(id) FROM {table}))"),  # noqa: S608
                    {"table": table},
                )
            for table in COLUMNS:
                self.conn.exec_driver_sql(f"ANALYZE {table}")
        else:
            self.conn.exec_driver_sql("ANALYZE")


def _insert_sql(table: str) -> str:
    columns = COLUMNS[table]
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - our own names; values bound


SQLITE_INDEXES = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
    "AND tbl_name IN (SELECT value FROM json_each(?)) ORDER BY name"
)


SQLITE_TRIGGERS = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
    "AND tbl_name IN (SELECT value FROM json_each(?)) ORDER BY name"
)
# What the contact change-stamp triggers (migration 0005) give each new contact, for all at once: the
# next numbers, in id order. Row by row, with the stamp index dropped for the load, each trigger's
# max() scans every contact loaded so far, and 250,000 contacts never finish.
SQLITE_STAMP_CONTACTS = (
    "UPDATE contact SET change_stamp = (SELECT coalesce(max(change_stamp), 0) FROM contact) + id "
    "WHERE change_stamp IS NULL"
)


def _after_sqlite_triggers(triggers: Sequence[tuple[str, str]]) -> list[str]:
    """The statements that put back the triggers dropped for a SQLite load, after doing their work."""
    if not triggers:
        return []
    return [SQLITE_STAMP_CONTACTS, *(definition for _name, definition in triggers)]


def _sqlite_writer(path: str, inbox: Any, outbox: Any) -> None:
    """The SQLite writer process: one connection and one transaction, fed row chunks by the planner.

    SQLite inserts are CPU work in the writing process, so writing in a second process lets the
    planner and the database use both cores. Foreign keys are not checked row by row (rows arrive
    people-last, consistent by construction); secondary indexes are rebuilt before the commit.
    """
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA cache_size=-262144")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        rebuild = []
        for name, definition in conn.execute(SQLITE_INDEXES, (json.dumps(list(COLUMNS)),)).fetchall():
            conn.execute(f'DROP INDEX "{name}"')
            rebuild.append(definition)
        triggers = conn.execute(SQLITE_TRIGGERS, (json.dumps(list(COLUMNS)),)).fetchall()
        for name, _definition in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        rebuild.extend(_after_sqlite_triggers(triggers))
        outbox.put(("ready",))
        while True:
            message = inbox.get()
            if message[0] == "rows":
                conn.executemany(_insert_sql(message[1]), message[2])
            elif message[0] == "abort":
                conn.execute("ROLLBACK")
                outbox.put(("aborted",))
                return
            else:
                for done, definition in enumerate(rebuild):
                    outbox.put(("progress", done, len(rebuild)))
                    conn.execute(definition)
                conn.execute("ANALYZE")
                conn.execute("COMMIT")
                outbox.put(("done",))
                return
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        outbox.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class _ProcessLoader(_Loader):
    """The SQLite load, written by a second process (see ``_sqlite_writer``) while this one plans."""

    def __init__(self, db: Database) -> None:
        self.postgresql = False
        self.rows = 0
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited connections
        self.inbox: Any = context.Queue(maxsize=2 * len(COLUMNS))
        self.outbox: Any = context.Queue()
        self.process = context.Process(
            target=_sqlite_writer, args=(str(db.url.database), self.inbox, self.outbox), name="demo-sqlite-writer"
        )
        self.process.start()
        self._expect("ready")

    def _expect(self, kind: str, report: Progress | None = None) -> None:
        while True:
            try:
                message = self.outbox.get(timeout=1)
            except queue.Empty:
                if not self.process.is_alive():
                    raise DatabaseUnavailable("The demo writer stopped unexpectedly; nothing was saved.") from None
                continue
            if message[0] == "progress" and report is not None:
                report("rebuilding indexes and checking links", message[1], message[2])
            elif message[0] == "error":
                self.process.join()
                raise DatabaseUnavailable(f"The demo data could not be written ({message[1]}); nothing was saved.")
            elif message[0] == kind:
                return

    def write(self, table: str, rows: list[Row]) -> None:
        if not rows:
            return
        _check_width(table, rows)
        self.rows += len(rows)
        while True:
            try:
                self.inbox.put(("rows", table, rows), timeout=1)
            except queue.Full:
                if not self.process.is_alive():
                    self._expect("done")  # raises the writer's error
            else:
                return

    def finish(self, report: Progress) -> None:
        self.inbox.put(("finish",))
        self._expect("done", report)
        report("rebuilding indexes and checking links", 1, 1)
        self.process.join()

    def abandon(self) -> None:
        if self.process.is_alive():
            self.inbox.put(("abort",))
            self.process.join(timeout=60)
            if self.process.is_alive():
                self.process.terminate()


@contextmanager
def _loading(db: Database, contacts: int) -> Iterator[_Loader]:
    """A connection and one transaction for the bulk load, set up for speed and put back afterwards."""
    with translate_errors(), db.engine.connect() as conn:
        raw = cast(Any, conn.connection.dbapi_connection)
        if db.is_postgresql:
            with conn.begin():
                conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
                conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
                loader = _Loader(db, conn)
                loader.drop_constraints()
                try:
                    yield loader
                except BaseException:
                    loader.abandon()  # the COPY worker lets go of the connection before the rollback
                    raise
            return
        if contacts >= WRITER_PROCESS_FROM and db.url.database and db.url.database != ":memory:":
            conn.close()  # the writer process takes the database's write lock from here
            process_loader = _ProcessLoader(db)
            try:
                yield process_loader
            except BaseException:
                process_loader.abandon()
                raise
            return
        # A small demo (or an in-memory database) is written here, foreign key checks off for the
        # load (the rows are consistent by construction and arrive people-last).
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("PRAGMA cache_size=-262144")
        try:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                loader = _Loader(db, conn)
                loader.drop_constraints()
                yield loader
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
            raw.execute("PRAGMA cache_size=-2000")
