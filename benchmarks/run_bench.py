"""Build a demo database and time the paths people wait on: ``python benchmarks/run_bench.py --help``.

A thin wrapper over ``mash-desk demo`` and ``mash-desk bench`` that also times the demo load and can
make (and afterwards drop) a throwaway PostgreSQL database, so one command gives the whole picture.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mash_desk.cli.output import StageProgress
from mash_desk.store.database import Database
from mash_desk.tools.bench import run_benchmarks
from mash_desk.tools.demo import generate_demo


def _run(url: str, args: argparse.Namespace) -> None:
    db = Database(url)
    try:
        if args.contacts:
            started = time.perf_counter()
            summary = generate_demo(
                db,
                contacts=args.contacts,
                seed=args.seed,
                skip_if_present=True,
                progress=None if args.quiet else StageProgress(),
                now=datetime.fromisoformat(args.now) if args.now else None,
            )
            print(summary.describe())
            if summary.added:
                print(f"demo load: {time.perf_counter() - started:.1f} s wall clock for {args.contacts:,} contacts")
        print(run_benchmarks(db, repeats=args.repeats).describe())
    finally:
        db.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", help="database URL, e.g. sqlite:////tmp/bench.sqlite3")
    where.add_argument(
        "--pg-server",
        help="a PostgreSQL server URL (a user who may create databases); a fresh mash_desk_bench_<id> "
        "database is made there and dropped afterwards unless --keep",
    )
    parser.add_argument("--contacts", type=int, default=250_000, help="demo size (0: benchmark the data as it is)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", help="the demo's 'now' (ISO 8601 with a time zone); default: this hour")
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database made by --pg-server")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    args = parser.parse_args(argv)
    if args.db:
        _run(args.db, args)
        return 0
    server_url = make_url(args.pg_server).set(drivername="postgresql+psycopg")
    name = f"mash_desk_bench_{uuid.uuid4().hex[:8]}"
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _run(server_url.set(database=name).render_as_string(hide_password=False), args)
    finally:
        if not args.keep:
            with server.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            print(f"kept database {name}")
        server.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
