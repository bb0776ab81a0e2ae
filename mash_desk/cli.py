"""``mash-desk``: the window by default, and the commands administrators and scripts need.

Expected failures (bad arguments, an unreachable database, a refused action) print one line and
exit non-zero; only a bug shows a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date

from mash_desk import __version__
from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.store.database import Database, default_sqlite_url

EXIT_USAGE = 2
EXIT_FAILED = 1
DB_ENV = "MASH_DESK_DB"
USER_ENV = "MASH_DESK_USER"


def _database_url(args: argparse.Namespace) -> str:
    return str(args.db or os.environ.get(DB_ENV) or default_sqlite_url())


def _open(args: argparse.Namespace) -> Database:
    """Open the database the arguments name; ``main`` disposes of it when the command ends."""
    db = Database(_database_url(args))
    args.opened.append(db)
    return db


def _login(args: argparse.Namespace, db: Database) -> str | None:
    """Who is working: on SQLite --user (default admin); on PostgreSQL the database login itself,
    or --user as a role that login may SET ROLE to (the server checks that it may)."""
    given = args.user or os.environ.get(USER_ENV)
    if db.is_postgresql:
        return str(given) if given else None
    return str(given or "admin")


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from mash_desk.services.admin import prepare_database
    from mash_desk.store import migrate

    db = _open(args)
    prepare_database(db)
    revision = migrate.current_revision(db)
    print(f"Database at {db.describe()} is at schema {revision} (this program: {migrate.head_revision()}).")
    return 0


def cmd_db_status(args: argparse.Namespace) -> int:
    from mash_desk.store import migrate

    db = _open(args)
    current = migrate.current_revision(db)
    print(f"database: {db.describe()}")
    print(f"schema:   {current or 'not set up'}")
    print(f"program:  {migrate.head_revision()}")
    migrate.check_schema(db)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from mash_desk.services.demo import generate_demo

    if args.contacts < 1 or args.contacts > 2_000_000:
        raise InvalidInput.single("--contacts", "Choose between 1 and 2,000,000 contacts.")
    db = _open(args)
    summary = generate_demo(
        db,
        contacts=args.contacts,
        seed=args.seed,
        skip_if_present=args.skip_if_present,
        progress=None if args.quiet else _progress_printer(),
    )
    print(summary.describe())
    return 0


def _progress_printer() -> Callable[[str, int, int], None]:
    def show(stage: str, done: int, total: int) -> None:
        print(f"\r{stage}: {done:,}/{total:,}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    return show


def cmd_report(args: argparse.Namespace) -> int:
    from mash_desk.services.context import ServiceContext
    from mash_desk.services.reports import open_work
    from mash_desk.store import migrate

    db = _open(args)
    migrate.check_schema(db)
    report = open_work(ServiceContext(db, _login(args, db)), list_limit=args.limit)
    print(format_report(report))
    return 0


def format_report(report: object) -> str:
    from mash_desk.domain.enums import ContactStatus, Rag
    from mash_desk.domain.lifecycle import STATUS_WORDS
    from mash_desk.services.reports import OpenWorkReport

    assert isinstance(report, OpenWorkReport)
    lines = [f"MASH Desk — open work at {report.generated_at:%Y-%m-%d %H:%M} UTC", ""]
    rags: list[Rag | None] = [Rag.RED, Rag.AMBER, Rag.GREEN, None]
    header = f"{'status':<58}" + "".join(f"{(r.value.upper() if r else 'unrated'):>9}" for r in rags) + f"{'total':>9}"
    lines.append(header)
    lines.append("-" * len(header))
    for status in ContactStatus:
        counts = [report.by_status_and_rag.get((status, r), 0) for r in rags]
        if sum(counts):
            lines.append(f"{STATUS_WORDS[status]:<58}" + "".join(f"{n:>9,}" for n in counts) + f"{sum(counts):>9,}")
    lines.append(f"{'all open work':<58}" + " " * 36 + f"{report.open_total:>9,}")
    lines += [
        "",
        f"Overdue for screening / RAG timescale: {report.overdue_screening:,}",
        f"Overdue for the one-working-day decision: {report.overdue_decisions:,}",
        f"Agency returns overdue: {report.overdue_agency_returns:,}",
        f"Hand-offs awaiting acceptance: {report.hand_offs_awaiting:,} ({report.hand_offs_overdue:,} overdue)",
    ]
    for team, number in report.awaiting_by_team.items():
        lines.append(f"    {team}: {number:,}")
    if report.oldest_overdue:
        lines += ["", "Longest overdue:"]
        lines += [
            f"  {item.reference}  {item.what:<36} due {item.due_at:%Y-%m-%d %H:%M}" for item in report.oldest_overdue
        ]
    return "\n".join(lines)


def cmd_user_add(args: argparse.Namespace) -> int:
    from mash_desk.services.admin import add_user

    db = _open(args)
    add_user(
        db,
        _login(args, db),
        username=args.username,
        display_name=args.name,
        role=args.role,
        agency_code=args.agency,
        team_name=args.team,
    )
    print(f"Added {args.username} ({args.role}).")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from mash_desk.services.bench import run_benchmarks

    db = _open(args)
    print(run_benchmarks(db, repeats=args.repeats).describe())
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from mash_desk.gui.app import run_gui

    return run_gui(database_url=args.db or os.environ.get(DB_ENV), user=args.user or os.environ.get(USER_ENV))


def parse_date(text: str) -> date:
    """An argparse type for YYYY-MM-DD dates, with a message a person can act on."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mash-desk", description="MASH Desk: the front door of a Multi-Agency Safeguarding Hub."
    )
    parser.add_argument("--version", action="version", version=f"MASH Desk {__version__}")
    parser.add_argument(
        "--db", help="database URL (default: the embedded SQLite file in your data folder, or $MASH_DESK_DB)"
    )
    parser.add_argument("--user", help="who is signing in on the embedded database (default: $MASH_DESK_USER or admin)")
    parser.set_defaults(handler=cmd_gui)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", help="open the window (the default)").set_defaults(handler=cmd_gui)

    db = sub.add_parser("db", help="set up or check the database")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="create or upgrade the schema and default settings").set_defaults(
        handler=cmd_db_upgrade
    )
    db_sub.add_parser("status", help="show the schema version").set_defaults(handler=cmd_db_status)

    demo = sub.add_parser("demo", help="fill a database with synthetic demo data (never real people)")
    demo.add_argument("--contacts", type=int, default=2000, help="how many contacts (default 2000)")
    demo.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same data")
    demo.add_argument("--skip-if-present", action="store_true", help="do nothing if the database already has contacts")
    demo.add_argument("--quiet", action="store_true", help="no progress output")
    demo.set_defaults(handler=cmd_demo)

    report = sub.add_parser("report", help="open work by status and RAG, overdue work, unaccepted hand-offs")
    report.add_argument("--limit", type=int, default=20, help="how many overdue items to list")
    report.set_defaults(handler=cmd_report)

    user = sub.add_parser("user", help="manage users")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_sub.add_parser("add", help="add a user (on PostgreSQL also their login role)")
    add.add_argument("--username", required=True)
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--role", required=True, help="practitioner, agency, manager, business_support, admin or auditor")
    add.add_argument("--agency", default="SOCIAL_CARE", help="agency code (default SOCIAL_CARE)")
    add.add_argument("--team", help="team name")
    add.set_defaults(handler=cmd_user_add)

    bench = sub.add_parser("bench", help="time the queue, search, open and save paths (p50/p95)")
    bench.add_argument("--repeats", type=int, default=50)
    bench.set_defaults(handler=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.opened = []
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except InvalidInput as exc:
        print(f"mash-desk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except MashDeskError as exc:
        print(f"mash-desk: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("mash-desk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        for db in args.opened:
            db.dispose()


if __name__ == "__main__":
    sys.exit(main())
