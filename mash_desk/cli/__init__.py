"""``mash-desk``: the window by default, and the commands administrators and scripts need.

Expected failures (bad arguments, an unreachable database, a refused action) print one line and
exit non-zero; only a bug shows a traceback. A value that is wrong on its own (a date, a role, a
number out of range) is refused by argparse itself, before anything is opened or written, with exit 2.

``arguments`` reads the command line, ``commands`` runs each command, ``output`` prints progress
and reports; here are the parser and ``main``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from mash_desk import __version__
from mash_desk.cli import arguments, commands
from mash_desk.cli.arguments import (
    METHODS,
    ROLES,
    Parser,
    VersionAction,
    census_year_argument,
    date_range,
    display_scale,
    iso_date,
    quarter_argument,
    whole_number,
)
from mash_desk.cli.commands import (
    DB_ENV,
    cmd_bench,
    cmd_chronology,
    cmd_db_backup,
    cmd_db_restore,
    cmd_db_status,
    cmd_db_upgrade,
    cmd_demo,
    cmd_duplicates,
    cmd_export_annex_a,
    cmd_export_cin,
    cmd_export_ssd,
    cmd_gui,
    cmd_letter_holds,
    cmd_letters,
    cmd_loadtest,
    cmd_pack,
    cmd_report,
    cmd_screenshots,
    cmd_user_active,
    cmd_user_add,
    cmd_user_password,
    cmd_user_set_role,
)
from mash_desk.domain.chronology import EntryKind
from mash_desk.domain.enums import LetterMethod
from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.logs import setup_logging

EXIT_USAGE = arguments.EXIT_USAGE
EXIT_FAILED = commands.EXIT_FAILED

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    window = Parser(add_help=False)
    window.add_argument(
        "--quit-after",
        type=whole_number(0),
        # one option, on the top level and on `gui` (parents=): with no default neither resets the other
        default=argparse.SUPPRESS,
        metavar="MS",
        help="close the window after MS milliseconds and exit 0 (smoke tests)",
    )
    parser = Parser(
        prog="mash-desk",
        description="MASH Desk: the front door of a Multi-Agency Safeguarding Hub.",
        parents=[window],
    )
    parser.add_argument("--version", action=VersionAction)
    parser.add_argument(
        "--db", help="database URL (default: the embedded SQLite file in your data folder, or $MASH_DESK_DB)"
    )
    parser.add_argument(
        "--reports-db",
        help="a read-only reporting server (a hot standby) for report, export and the letters worklist "
        "(default: $MASH_DESK_REPORTS_DB; none: they read --db)",
    )
    parser.add_argument("--user", help="who is signing in on the embedded database (default: $MASH_DESK_USER or admin)")
    parser.set_defaults(handler=cmd_gui)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="open the window (the default)", parents=[window])
    gui.set_defaults(handler=cmd_gui)

    shots = sub.add_parser("screenshots", help="render every screen and dialog from demo data into PNG files")
    shots.add_argument("--out", required=True, help="folder for the PNG files")
    shots.add_argument("--scale", type=display_scale, default=1.0, help="display scaling, e.g. 2 for 200%% (default 1)")
    shots.add_argument("--theme", choices=("light", "dark", "both"), default="both", help="which theme (default both)")
    shots.set_defaults(handler=cmd_screenshots)

    db = sub.add_parser("db", help="set up or check the database")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="create or upgrade the schema and default settings").set_defaults(
        handler=cmd_db_upgrade
    )
    db_sub.add_parser("status", help="show the schema version").set_defaults(handler=cmd_db_status)
    backup = db_sub.add_parser(
        "backup", help="copy the embedded database into a new, checked file (PostgreSQL: use its own tools)"
    )
    backup.add_argument("--out", required=True, metavar="FILE", help="the backup file to create (never overwritten)")
    backup.set_defaults(handler=cmd_db_backup)
    restore = db_sub.add_parser(
        "restore", help="replace the embedded database with a checked backup, keeping the one replaced"
    )
    restore.add_argument("--from", dest="source", required=True, metavar="FILE", help="the backup file to restore")
    restore.set_defaults(handler=cmd_db_restore)

    demo = sub.add_parser("demo", help="fill a database with synthetic demo data (never real people)")
    demo.add_argument(
        "--contacts",
        type=whole_number(1, 2_000_000),
        default=2000,
        help="how many contacts, up to 2,000,000 (default 2000)",
    )
    demo.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same data")
    demo.add_argument("--skip-if-present", action="store_true", help="do nothing if the database already has contacts")
    demo.add_argument("--quiet", action="store_true", help="no progress output")
    demo.set_defaults(handler=cmd_demo)

    report = sub.add_parser("report", help="open work by status and RAG, overdue work, unaccepted hand-offs")
    report.add_argument("--limit", type=whole_number(0), default=20, help="how many overdue items to list")
    report.add_argument(
        "--period", type=date_range, metavar="START:END", help="front-door measures for contacts received START to END"
    )
    report.add_argument(
        "--from", dest="period_from", type=iso_date, metavar="START", help="front-door measures from this date"
    )
    report.add_argument(
        "--to", dest="period_to", type=iso_date, metavar="END", help="front-door measures up to this date"
    )
    report.add_argument("--csv", metavar="FILE", help="with a period: write the measures to FILE as CSV")
    report.set_defaults(handler=cmd_report)
    pack = sub.add_parser(
        "pack", help="the Safeguarding Children Partnership's quarterly pack: a PDF of charts and tables (and CSV)"
    )
    pack.add_argument(
        "--quarter", required=True, type=quarter_argument, help="a calendar quarter, as in 2026Q3 (July to September)"
    )
    pack.add_argument("--out", required=True, metavar="FILE", help="the .pdf file to write")
    pack.add_argument("--csv", metavar="DIR", help="also write the numbers as CSV files into DIR (made if missing)")
    pack.set_defaults(handler=cmd_pack)

    chronology = sub.add_parser(
        "chronology", help="a person's chronology across every contact, newest first, as a PDF on the letterhead"
    )
    chronology.add_argument("--person", required=True, type=whole_number(1), metavar="ID", help="the person's id")
    chronology.add_argument("--out", required=True, metavar="FILE", help="the .pdf file to write")
    chronology.add_argument(
        "--kind",
        action="append",
        choices=[kind.value for kind in EntryKind],
        help="only entries of this kind (repeat for more)",
    )
    chronology.add_argument("--agency", action="append", metavar="NAME", help="only entries from this agency")
    chronology.add_argument("--from", dest="since", type=iso_date, metavar="START", help="entries from this day")
    chronology.add_argument("--to", dest="until", type=iso_date, metavar="END", help="entries up to this day")
    chronology.set_defaults(handler=cmd_chronology)
    duplicates = sub.add_parser(
        "duplicates", help="pairs of records that may be one person (same NHS number, or birthday and close name)"
    )
    duplicates.add_argument("--limit", type=whole_number(1, 10_000), default=200, help="how many pairs (default 200)")
    duplicates.set_defaults(handler=cmd_duplicates)

    export = sub.add_parser(
        "export", help="statutory lists: Ofsted Annex A workbook, CIN census XML, Standard Safeguarding Dataset"
    )
    export_sub = export.add_subparsers(dest="export_command", metavar="LIST", required=True)
    annex = export_sub.add_parser("annex-a", help="Annex A Lists 1, 2, 3 and 5 for the six months up to --date")
    annex.add_argument("--date", type=iso_date, help="inspection (extract) date, YYYY-MM-DD (default: today)")
    annex.add_argument("--out", required=True, metavar="FILE", help="the .xlsx file to write")
    annex.set_defaults(handler=cmd_export_annex_a)
    cin = export_sub.add_parser("cin", help="CIN census referrals for a year, 1 April to 31 March, in its format")
    cin.add_argument(
        "--year",
        type=census_year_argument,
        required=True,
        metavar="YEAR",
        help="the census year, as in 2025-26 (1 April 2025 to 31 March 2026): 2023-24 to 2026-27",
    )
    cin.add_argument(
        "--la", help="the three-digit local authority code (default: the hub's own, under Administration ▸ Settings)"
    )
    cin.add_argument("--out", required=True, metavar="FILE", help="the .xml file to write")
    cin.set_defaults(handler=cmd_export_cin)
    ssd = export_sub.add_parser(
        "ssd", help="the Standard Safeguarding Dataset tables the MASH fills, one CSV per table"
    )
    ssd.add_argument("--out", required=True, metavar="DIR", help="the folder for the CSV files (made if missing)")
    ssd.add_argument(
        "--since", type=iso_date, help="contacts received from this date, YYYY-MM-DD (default: six years ago)"
    )
    ssd.set_defaults(handler=cmd_export_ssd)

    letters = sub.add_parser("letters", help="issue the outcome letters due (stored on the case) and save the PDFs")
    which = letters.add_mutually_exclusive_group(required=True)
    which.add_argument("--contact", metavar="REFERENCE", help="the letters due on one contact (MASH-0000042)")
    which.add_argument("--date", type=iso_date, help="the letters due for contacts decided on this date, YYYY-MM-DD")
    letters.add_argument("--out", required=True, metavar="DIR", help="folder for the PDFs")
    letters.add_argument(
        "--confirm-family",
        action="store_true",
        help="issue the family letters too, to the addressees listed (without it they are listed, not issued)",
    )
    letters.add_argument(
        "--method",
        choices=METHODS,
        default=LetterMethod.POST.value,
        help="how they are sent (default %(default)s)",
    )
    letters.set_defaults(handler=cmd_letters)

    holds = sub.add_parser(
        "letter-holds", help="which outcomes and concerns hold a family letter for a social worker (the policy)"
    )
    holds.add_argument("--set", metavar="TRIGGER:CODE", help="the row to change, e.g. outcome:MARAC (administrator)")
    holds.add_argument("--holds", choices=("yes", "no"), help="with --set: whether that row holds the family letter")
    holds.set_defaults(handler=cmd_letter_holds)

    user = sub.add_parser("user", help="manage users")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_sub.add_parser("add", help="add a user (on PostgreSQL also their login role)")
    add.add_argument("--username", required=True)
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--role", required=True, choices=ROLES, help="their job")
    add.add_argument("--agency", default="SOCIAL_CARE", help="agency code (default SOCIAL_CARE)")
    add.add_argument("--team", help="team name")
    add.set_defaults(handler=cmd_user_add)
    set_role = user_sub.add_parser("set-role", help="change someone's job, team and agency")
    set_role.add_argument("--username", required=True)
    set_role.add_argument("--role", required=True, choices=ROLES, help="their job")
    set_role.add_argument("--agency", default="SOCIAL_CARE", help="agency code (default SOCIAL_CARE)")
    set_role.add_argument("--team", help="team name (none if left out)")
    set_role.set_defaults(handler=cmd_user_set_role)
    for action, words in (("disable", "switch an account off"), ("enable", "switch an account back on")):
        toggle = user_sub.add_parser(action, help=words)
        toggle.add_argument("--username", required=True)
        toggle.add_argument("--reason", required=True, help="why, for the audit trail")
        toggle.set_defaults(handler=cmd_user_active)
    password = user_sub.add_parser("password", help="set someone's password (PostgreSQL hubs; asked for, not echoed)")
    password.add_argument("--username", required=True)
    password.set_defaults(handler=cmd_user_password)

    bench = sub.add_parser("bench", help="time the queue, search, open and save paths (p50/p95)")
    bench.add_argument("--repeats", type=whole_number(1), default=50, help="timed runs of each path (default 50)")
    bench.set_defaults(handler=cmd_bench)

    load = sub.add_parser(
        "loadtest", help="many workstations working at once, with faults; checks every invariant afterwards"
    )
    load.add_argument("--workstations", type=int, default=50, help="how many workstations (default 50)")
    load.add_argument("--minutes", type=float, default=3.0, help="how long to run (default 3)")
    load.add_argument(
        "--kill-backends", type=int, default=0, metavar="N", help="PostgreSQL: pg_terminate_backend N times"
    )
    load.add_argument(
        "--hold-exclusive-lock-every",
        type=float,
        default=0.0,
        metavar="S",
        help="SQLite: another connection holds BEGIN EXCLUSIVE about every S seconds",
    )
    load.add_argument("--seed", type=int, default=1, help="random seed for the people's choices and the demo")
    load.add_argument("--processes", type=int, default=0, help="worker processes (default: one per CPU)")
    load.add_argument(
        "--demo-contacts", type=int, default=300, help="demo contacts added to an empty database (default 300)"
    )
    load.add_argument("--think-ms", type=float, default=100.0, help="at most this long between actions (default 100)")
    load.set_defaults(handler=cmd_loadtest)
    return parser


def command_name(args: argparse.Namespace) -> str:
    """The command being run, as typed (``db backup``, ``user add``, ``gui``), for the log."""
    words = [args.command or "gui"]
    words += [str(getattr(args, f"{args.command}_command", None) or "")] if args.command else []
    return " ".join(word for word in words if word)


def _named_database(args: argparse.Namespace) -> str:
    """`` on <address>`` when the command line or environment names a database (no password), for the log."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = args.db or os.environ.get(DB_ENV)
    if not url:
        return ""
    try:
        return f" on {make_url(url).render_as_string(hide_password=True)}"
    except ArgumentError:
        return " on an address that is not a database's"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help, --version, or a refused value: argparse has said why
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    args.opened = []
    handler: Callable[[argparse.Namespace], int] = args.handler
    setup_logging()
    command = command_name(args)
    log.info("MASH Desk %s started: %s%s", __version__, command, _named_database(args))
    try:
        return handler(args)
    except InvalidInput as exc:
        log.info("%s refused: %s", command, exc)
        print(f"mash-desk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except MashDeskError as exc:
        log.warning("%s failed: %s", command, exc)
        print(f"mash-desk: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        log.info("%s interrupted", command)
        print("mash-desk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception:
        log.exception("%s stopped on an unexpected error", command)
        raise
    finally:
        for db in args.opened:
            db.dispose()
