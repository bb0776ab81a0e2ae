"""A hub whose server fails over: a streaming standby of the private cluster, connection profiles that
list both servers, reports read from the standby, and a workstation session that carries on when the
primary dies and the standby is promoted — the save cut off is refused whole, and its retry lands once.

Each test gets its own primary and standby (``failover_hub``): a crashed primary is not given back.
Everyone here signs in with their own login and SCRAM password over TLS verify-full, as a
workstation does, through the same profile IT would lay down.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import psycopg
import pytest
from sqlalchemy import text

from mash_desk.cli import main
from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.errors import DatabaseUnavailable
from mash_desk.services import contact_view, dashboard, letters, notes, queues, reports, statutory
from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from mash_desk.store.reporting import reports_database
from tests.pgcluster import PrivateCluster
from tests.security.failover import FailoverHub, crash_before, failover_hub
from tests.support import case_at

READ_ONLY_SQL_TRANSACTION = "25006"


@pytest.fixture
def hub() -> Iterator[FailoverHub]:
    with failover_hub() as pair:
        yield pair
        print(f"\nfailover timings (s): {', '.join(f'{k} {v:.2f}' for k, v in pair.timings.items())}")


def served_by(db: Database) -> tuple[int, bool]:
    """Which server ``db`` reaches now (its port) and whether that server is a standby."""
    with db.engine.connect() as conn:
        port, standby = conn.execute(text("SELECT inet_server_port(), pg_is_in_recovery()")).one()
    return int(port), bool(standby)


def read_once(ctx: ServiceContext) -> None:
    """One unit of work as ``ctx``'s person, reading nothing in particular."""
    with ctx.unit() as (session, _actor):
        session.execute(text("SELECT 1"))


# --- the standby ------------------------------------------------------------------------------


def test_a_standby_streams_over_tls_from_its_own_folder_and_port_and_refuses_writes() -> None:
    with PrivateCluster() as primary:
        started = time.monotonic()
        standby = primary.start_standby()
        took = time.monotonic() - started
        try:
            assert standby.port != primary.port
            assert standby.root != primary.root
            assert standby.in_recovery()
            with primary.connect_superuser() as conn:
                row = conn.execute(
                    "SELECT r.state, s.ssl FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid) "
                    "WHERE r.application_name = %s",
                    (standby.name,),
                ).fetchone()
                conn.execute("CREATE TABLE streamed (n integer)")
                conn.execute("INSERT INTO streamed VALUES (1), (2)")
            assert row == ("streaming", True)
            standby.wait_caught_up()
            with standby.connect_superuser() as conn:
                assert conn.execute("SELECT sum(n) FROM streamed").fetchone() == (3,)
                with pytest.raises(psycopg.errors.ReadOnlySqlTransaction) as refused:
                    conn.execute("INSERT INTO streamed VALUES (3)")
            assert refused.value.sqlstate == READ_ONLY_SQL_TRANSACTION
            # the same certificate, verified by name, and the same roles and passwords
            with psycopg.connect(standby.conninfo("postgres", primary.superuser_password)) as conn:
                assert conn.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
        finally:
            standby.stop()
        print(f"\nstandby from base backup to streaming: {took:.2f} s")


def test_a_promoted_standby_takes_writes() -> None:
    with PrivateCluster() as primary:
        standby = primary.start_standby(synchronous=True)
        try:
            with primary.connect_superuser() as conn:
                conn.execute("CREATE TABLE kept (n integer)")
                conn.execute("INSERT INTO kept VALUES (1)")  # synchronous: applied on the standby on commit
            primary.crash()
            started = time.monotonic()
            standby.promote()
            took = time.monotonic() - started
            assert not standby.in_recovery()
            with standby.connect_superuser() as conn:
                conn.execute("INSERT INTO kept VALUES (2)")
                assert conn.execute("SELECT array_agg(n ORDER BY n) FROM kept").fetchone() == ([1, 2],)
        finally:
            standby.stop()
        print(f"\npromotion: {took:.2f} s")


# --- reports read from the standby ------------------------------------------------------------


def test_reports_read_from_the_reporting_standby_and_saves_go_to_the_primary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with failover_hub(synchronous=False) as hub:
        world = hub.world
        case_at(world, ContactStatus.AUTHORISED)
        case_at(world, ContactStatus.AGENCY_CHECKS)
        maria, bea = hub.sign_in("maria"), hub.sign_in("bea")
        on_primary, bea_on_primary = hub.sign_in("maria", reporting=False), hub.sign_in("bea", reporting=False)
        assert served_by(maria.db) == (hub.primary.port, False)
        assert served_by(reports_database(maria.db)) == (hub.standby.port, True)
        assert reports_database(on_primary.db) is on_primary.db
        hub.standby.wait_caught_up()

        # caught up, the standby gives the same figures and lists as the primary, to each person's own login
        today = world.clock().date()
        start = date(today.year, 1, 1)
        assert reports.open_work(maria).by_status_and_rag == reports.open_work(on_primary).by_status_and_rag
        measures = dashboard.front_door_measures(maria, start, today)
        assert measures == dashboard.front_door_measures(on_primary, start, today)
        assert statutory.annex_a(maria, today).contacts == statutory.annex_a(on_primary, today).contacts
        assert letters.letters_due(bea, today) == letters.letters_due(bea_on_primary, today)
        assert letters.letters_due(bea, today)  # the authorised contact's letters, listed from the standby
        with reports_database(maria.db).engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar_one() == world.logins["maria"]

        # held back, the standby shows where reports read: the new contact is on the primary only
        with hub.standby.connect_superuser() as conn:
            conn.execute("SELECT pg_wal_replay_pause()")
        case_at(world, ContactStatus.RECEIVED)
        assert reports.open_work(on_primary).open_total == 3
        assert reports.open_work(maria).open_total == 2
        # and so does mash-desk report, given the standby as its reporting server
        for argv, total in (
            (["--db", hub.url("maria", hub.primary), "report"], 3),
            (["--db", hub.url("maria", hub.primary), "--reports-db", hub.url("maria", hub.standby), "report"], 2),
        ):
            assert main(argv) == 0
            printed = capsys.readouterr().out
            assert _open_total(printed) == total, printed
        with hub.standby.connect_superuser() as conn:
            conn.execute("SELECT pg_wal_replay_resume()")
        hub.standby.wait_caught_up()
        assert reports.open_work(maria).open_total == 3


def _open_total(report: str) -> int:
    line = next(line for line in report.splitlines() if line.startswith("all open work"))
    return int(line.split()[-1].replace(",", ""))


# --- the failover -----------------------------------------------------------------------------


def test_a_save_cut_off_by_the_primarys_failure_is_refused_whole_and_its_retry_lands_once(hub: FailoverHub) -> None:
    world = hub.world
    case = case_at(world, ContactStatus.SCREENED)
    sam: ServiceContext = hub.sign_in("sam")
    maria = hub.sign_in("maria")
    before_failover = "School rang back: Ruby was in class all week."
    cut_off = "Mum rang: the children are staying at their gran's tonight."
    notes.add_note(sam, case.id, before_failover)
    assert served_by(sam.db) == (hub.primary.port, False)
    notes_before = hub.count("case_note")

    # the primary dies while Sam's next save is half-way through its unit of work
    crashed = crash_before(sam.db, "INSERT INTO case_note", hub)
    with pytest.raises(DatabaseUnavailable) as lost:
        notes.add_note(sam, case.id, cut_off)
    assert crashed()
    assert "Nothing was saved" in str(lost.value)
    assert "try again" in str(lost.value)
    assert hub.count("case_note") == notes_before  # read on the standby: nothing of it arrived
    assert hub.count("case_note", text=before_failover) == 1  # and every save Sam was told of did

    # until the standby is promoted nothing takes saves: a retry says so and saves nothing
    with pytest.raises(DatabaseUnavailable):
        notes.add_note(sam, case.id, cut_off)
    assert hub.count("case_note", text=cut_off) == 0
    # while reports carry on from the standby
    assert reports.open_work(maria).open_total == 1

    hub.promote()
    started = time.monotonic()
    notes.add_note(sam, case.id, cut_off)  # the person presses Retry once
    hub.timings["retried save after promotion"] = time.monotonic() - started

    assert hub.count("case_note", text=cut_off) == 1
    assert hub.count("case_note") == notes_before + 1
    assert served_by(sam.db) == (hub.standby.port, False)
    # reads carry on, on the server that took over: the contact, the queues, the reports
    detail = contact_view.open_contact(sam, case.id)
    assert [n.text for n in detail.notes][-2:] == [before_failover, cut_off]
    assert case.id in [row.contact_id for row in queues.queue_page(sam, queues.Queue.TEAM).rows]
    assert reports.open_work(maria).open_total == 1
    assert served_by(reports_database(maria.db)) == (hub.standby.port, False)


def test_the_pause_before_the_standby_is_promoted_is_not_called_a_wrong_password(hub: FailoverHub) -> None:
    sam = hub.sign_in("sam")
    served_by(sam.db)
    hub.crash()
    with pytest.raises(DatabaseUnavailable) as refused:
        read_once(sam)
    assert "refused the user name or password" not in str(refused.value)
    assert "switching to its standby" in str(refused.value)
