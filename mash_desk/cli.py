"""``mash-desk``: the window by default, and the commands administrators and scripts need.

Expected failures (bad arguments, an unreachable database, a refused action) print one line and
exit non-zero; only a bug shows a traceback. A value that is wrong on its own (a date, a role, a
number out of range) is refused by argparse itself, before anything is opened or written, with exit 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import NoReturn, TextIO

from mash_desk import __version__
from mash_desk.domain.enums import LetterMethod, Role
from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.logs import setup_logging
from mash_desk.store.database import Database, default_sqlite_url

EXIT_USAGE = 2
EXIT_FAILED = 1
DB_ENV = "MASH_DESK_DB"
REPORTS_DB_ENV = "MASH_DESK_REPORTS_DB"
USER_ENV = "MASH_DESK_USER"

log = logging.getLogger(__name__)


def _database_url(args: argparse.Namespace) -> str:
    return str(args.db or os.environ.get(DB_ENV) or default_sqlite_url())


def _open(args: argparse.Namespace, *, check_schema: bool = True) -> Database:
    """Open the database the arguments name, refusing one whose schema this program does not match
    (``db`` and ``demo`` set it up themselves, so they skip the check); ``main`` disposes of it."""
    from mash_desk.store import migrate
    from mash_desk.store.reporting import open_database

    db = open_database(_database_url(args), reporting_url=args.reports_db or os.environ.get(REPORTS_DB_ENV))
    args.opened.append(db)
    if check_schema:
        migrate.check_schema(db)
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

    db = _open(args, check_schema=False)
    prepare_database(db)
    revision = migrate.current_revision(db)
    print(f"Database at {db.describe()} is at schema {revision} (this program: {migrate.head_revision()}).")
    return 0


def cmd_db_status(args: argparse.Namespace) -> int:
    from mash_desk.store import migrate

    db = _open(args, check_schema=False)
    current = migrate.current_revision(db)
    print(f"database: {db.describe()}")
    print(f"schema:   {current or 'not set up'}")
    print(f"program:  {migrate.head_revision()}")
    migrate.check_schema(db)
    return 0


def cmd_db_backup(args: argparse.Namespace) -> int:
    """The embedded database copied, while in use, into a new file that is checked before it is named."""
    from mash_desk.store.backup import backup_database

    done = backup_database(_database_url(args), Path(args.out))
    print(
        f"Backed up {done.source} to {done.copy.path} (schema {done.copy.revision}, {_megabytes(done.copy.size)}, "
        f"integrity checked) in {done.seconds:.1f} s."
    )
    return 0


def cmd_db_restore(args: argparse.Namespace) -> int:
    """The embedded database replaced by a checked backup; the replaced one is kept beside it."""
    from mash_desk.store.backup import restore_database

    done = restore_database(_database_url(args), Path(args.source))
    print(f"Restored {done.target} from {done.restored.path} (schema {done.restored.revision}).")
    if done.kept is not None:
        print(f"The database it replaced is kept as {done.kept}.")
    if done.needs_upgrade:
        print("The backup was made by an older MASH Desk: run `mash-desk db upgrade` before working on it.")
    return 0


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def cmd_demo(args: argparse.Namespace) -> int:
    from mash_desk.services.demo import generate_demo

    db = _open(args, check_schema=False)
    progress = None if args.quiet else StageProgress()
    try:
        summary = generate_demo(
            db, contacts=args.contacts, seed=args.seed, skip_if_present=args.skip_if_present, progress=progress
        )
    finally:
        if progress is not None:
            progress.finish()
    print(summary.describe())
    return 0


class StageProgress:
    """Progress on stderr, stage by stage (``stage: done/total``).

    On a terminal the count is redrawn in place (``\\r``) and each stage ends on its own line. Written
    to a pipe or a log, each stage is one line, printed when it reaches its total or when the next
    stage starts: a CI log gets a line per stage, not thousands of updates joined by carriage returns.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty()
        self._stage: str | None = None
        self._pending: str | None = None
        """The current stage's latest line, not yet ended."""
        self._drawn = 0
        """How wide the line redrawn in place is (a shorter one must cover it)."""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self.finish()
            self._stage = stage
        elif self._pending is None:
            return  # this stage already reached its total and has its line
        line = f"{stage}: {done:,}/{total:,}"
        if done >= total:
            self._end(line)
        elif self.live:
            self._draw(line)
        else:
            self._pending = line

    def finish(self) -> None:
        """End the stage under way, if any (a stage may stop short of its total)."""
        if self._pending is not None:
            self._end(self._pending)

    def _draw(self, line: str) -> None:
        self.stream.write(f"\r{line.ljust(self._drawn)}")
        self.stream.flush()
        self._drawn = len(line)
        self._pending = line

    def _end(self, line: str) -> None:
        self.stream.write(f"\r{line.ljust(self._drawn)}\n" if self.live else f"{line}\n")
        self.stream.flush()
        self._drawn = 0
        self._pending = None


def cmd_report(args: argparse.Namespace) -> int:
    from mash_desk.services.context import ServiceContext
    from mash_desk.services.reports import open_work

    if args.period or args.period_from or args.period_to:
        return cmd_report_measures(args)
    db = _open(args)
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


def parse_period(args: argparse.Namespace) -> tuple[date, date]:
    """The period asked for: ``--period START:END``, or ``--from START --to END`` (both needed).

    Each value was checked by argparse (``iso_date``, ``date_range``); what is left is how they go
    together, which argparse cannot say."""
    if args.period:
        if args.period_from or args.period_to:
            raise InvalidInput.single("--period", "Give either --period START:END or --from/--to, not both.")
        start, end = args.period
        return start, end
    if args.period_from is None or args.period_to is None:
        raise InvalidInput.single(
            "--from", "Give both --from START and --to END, as in --from 2026-01-01 --to 2026-03-31."
        )
    start, end = args.period_from, args.period_to
    if start > end:
        raise InvalidInput.single("period", f"The period starts ({start}) after it ends ({end}).")
    return start, end


def _write_file(path: str, write: Callable[[Path], object]) -> Path:
    """Write an output file, creating its folder; a disk or permission problem is one clear line."""
    target = Path(path).expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write(target)
    except OSError as exc:
        raise MashDeskError(f"Could not write {target}: {exc.strerror or exc}.") from exc
    return target


def cmd_report_measures(args: argparse.Namespace) -> int:
    from mash_desk.services.context import ServiceContext
    from mash_desk.services.dashboard import front_door_measures, measures_to_csv, measures_to_text

    start, end = parse_period(args)
    db = _open(args)
    measures = front_door_measures(ServiceContext(db, _login(args, db)), start, end)
    if args.csv:
        text = measures_to_csv(measures)
        _write_file(args.csv, lambda target: target.write_text(text, encoding="utf-8"))
        print(f"Wrote the front-door measures for {start} to {end} to {args.csv}.")
    else:
        print(measures_to_text(measures))
    return 0


def cmd_export_annex_a(args: argparse.Namespace) -> int:
    from mash_desk.domain.periods import london_date
    from mash_desk.exports.annex_a import write_annex_a
    from mash_desk.services.context import ServiceContext, utc_now
    from mash_desk.services.statutory import annex_a

    inspection: date = args.date or london_date(utc_now())  # the issue's `--out FILE` alone: today's extract
    db = _open(args)
    annex = annex_a(ServiceContext(db, _login(args, db)), inspection)
    target = _write_file(args.out, lambda path: write_annex_a(annex, path))
    print(
        f"Wrote Annex A ({annex.period.first} to {annex.period.last}) to {target}: "
        f"{len(annex.contacts):,} rows in List 1, {len(annex.referrals):,} in List 3."
    )
    return 0


def cmd_export_cin(args: argparse.Namespace) -> int:
    from mash_desk.exports.cin_census import census_xml
    from mash_desk.services.context import ServiceContext
    from mash_desk.services.statutory import cin_census

    db = _open(args)
    census = cin_census(ServiceContext(db, _login(args, db)), args.year, args.la)
    document = census_xml(census)
    target = _write_file(args.out, lambda path: path.write_bytes(document))
    referrals = sum(len(child.referrals) for child in census.children)
    print(
        f"Wrote the CIN census {census.year} (LA {census.la_code}, {census.period.first} to {census.period.last}) "
        f"to {target}: {len(census.children):,} children, {referrals:,} referrals."
    )
    return 0


def cmd_letters(args: argparse.Namespace) -> int:
    """Issue the letters due (stored on each contact, as business support's batch does) and save the PDFs."""
    from mash_desk.domain.enums import LetterRecipient
    from mash_desk.services.context import ServiceContext
    from mash_desk.services.letters import (
        issue_batch,
        letters_due,
        letters_due_for_contact,
        letters_held,
        letters_held_for_contact,
    )

    method = LetterMethod(args.method)  # one of METHODS: argparse checked it
    day: date | None = args.date
    out = Path(args.out).expanduser()
    db = _open(args)
    ctx = ServiceContext(db, _login(args, db))
    jobs = letters_due(ctx, day) if day is not None else letters_due_for_contact(ctx, args.contact)
    held = letters_held(ctx, day) if day is not None else letters_held_for_contact(ctx, args.contact)
    jobs = [replace(job, method=method) for job in jobs]
    for waiting in held:
        print(f"{waiting.job.reference}  family    held for a social worker to send or suppress: {waiting.reason}")
    # a family letter goes to the home: whoever runs this sees who it is addressed to, and says so
    family = [job for job in jobs if job.recipient is LetterRecipient.FAMILY]
    for job in family:
        print(f"{job.reference}  family    to {job.recipient_name}, {', '.join(job.address) or 'no address'}")
    if family and not args.confirm_family:
        jobs = [job for job in jobs if job.recipient is not LetterRecipient.FAMILY]
        print(
            f"{len(family)} family letter(s) not issued: check who each goes to (above), then run again with "
            "--confirm-family to issue them."
        )
    if not jobs:
        print(f"No letters are due for {args.contact or day}." if not family else "No other letters are due.")
        return 0
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MashDeskError(f"Could not create {out}: {exc.strerror or exc}.") from exc
    result = issue_batch(ctx, jobs)
    for letter in result.issued:
        name = f"{letter.reference}-{letter.recipient.value}.pdf"
        target = _write_file(str(out / name), partial(Path.write_bytes, data=letter.pdf))
        print(f"{letter.reference}  {letter.recipient.value:<9} {letter.recipient_name or '-'}  -> {target}")
    for job, reason in (*result.skipped, *result.failed):
        print(f"{job.reference}  {job.recipient.value:<9} not issued: {reason}", file=sys.stderr)
    print(f"Issued {len(result.issued)} of {result.total} letters by {method.value.replace('_', ' ')}.")
    return EXIT_FAILED if result.failed else 0


def cmd_letter_holds(args: argparse.Namespace) -> int:
    """Show (and, for an administrator, change) which outcomes and concerns hold a family letter."""
    from mash_desk.services.context import ServiceContext
    from mash_desk.services.policy import read_family_letter_holds, set_family_letter_hold

    db = _open(args)
    ctx = ServiceContext(db, _login(args, db))
    if args.set is not None:
        trigger, _sep, code = args.set.partition(":")
        if args.holds is None:
            raise InvalidInput.single("--holds", "Say --holds yes or --holds no.")
        row = set_family_letter_hold(ctx, trigger, code, args.holds == "yes")
        print(f"{row.trigger.value}:{row.code} now {'holds' if row.holds else 'does not hold'} the family letter.")
        return 0
    for row in read_family_letter_holds(ctx):
        print(f"{row.trigger.value + ':' + row.code:<45} {'HOLD' if row.holds else '-'}")
    return 0


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


def cmd_user_set_role(args: argparse.Namespace) -> int:
    from mash_desk.services.admin import set_user_job
    from mash_desk.services.context import ServiceContext

    db = _open(args)
    set_user_job(
        ServiceContext(db, _login(args, db)),
        args.username,
        role=args.role,
        team_name=args.team,
        agency_code=args.agency,
    )
    print(f"{args.username} is now {args.role}" + (f" in {args.team}." if args.team else "."))
    return 0


def cmd_user_active(args: argparse.Namespace) -> int:
    from mash_desk.services.admin import set_user_active
    from mash_desk.services.context import ServiceContext

    db = _open(args)
    active = args.user_command == "enable"
    set_user_active(ServiceContext(db, _login(args, db)), args.username, active, args.reason)
    print(f"{args.username}'s account is {'on' if active else 'off'}.")
    return 0


def cmd_user_password(args: argparse.Namespace) -> int:
    """Set a password, typed twice without echo (never an argument: it would sit in the shell history)."""
    import getpass

    from mash_desk.services.admin import set_user_password
    from mash_desk.services.context import ServiceContext

    db = _open(args)
    first = getpass.getpass(f"New password for {args.username}: ")
    if getpass.getpass("Type it again: ") != first:
        print("error: the two passwords differ; nothing was changed.", file=sys.stderr)
        return EXIT_USAGE
    set_user_password(ServiceContext(db, _login(args, db)), args.username, first)
    print(f"Password set for {args.username}.")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from mash_desk.services.bench import run_benchmarks

    db = _open(args)
    print(run_benchmarks(db, repeats=args.repeats).describe())
    return 0


def cmd_loadtest(args: argparse.Namespace) -> int:
    """Many workstations and injected faults, then every invariant checked: non-zero exit if one broke."""
    from mash_desk.tools.loadtest import LoadTestOptions, run_loadtest

    options = LoadTestOptions(
        url=_database_url(args),
        workstations=args.workstations,
        minutes=args.minutes,
        kill_backends=args.kill_backends,
        hold_exclusive_lock_every=args.hold_exclusive_lock_every,
        seed=args.seed,
        processes=args.processes,
        demo_contacts=args.demo_contacts,
        think_seconds=args.think_ms / 1000,
    )
    report = run_loadtest(options, progress=lambda message: print(f"{message}...", file=sys.stderr, flush=True))
    print(report.describe())
    return EXIT_FAILED if report.violations else 0


def cmd_gui(args: argparse.Namespace) -> int:
    from mash_desk.gui.app import run_gui

    return run_gui(
        database_url=args.db or os.environ.get(DB_ENV),
        user=args.user or os.environ.get(USER_ENV),
        quit_after_ms=getattr(args, "quit_after", None),  # absent unless given, before or after `gui`
    )


def cmd_screenshots(args: argparse.Namespace) -> int:
    from mash_desk.gui.screenshots import render_screenshots

    written = render_screenshots(Path(args.out).expanduser(), scale=args.scale, theme=args.theme)
    for path in written:
        print(path)
    return 0


def version_text() -> str:
    """The program's version and the database schema it expects: what support and the DBA ask for."""
    from mash_desk.store.migrate import head_revision

    return f"MASH Desk {__version__} (database schema {head_revision()})"


class VersionAction(argparse.Action):
    """``--version``: print ``version_text()`` and exit, touching no database and loading no Qt."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **_: object) -> None:
        super().__init__(
            option_strings,
            dest,
            default=argparse.SUPPRESS,
            nargs=0,
            help="show the version and the database schema version this program expects, then exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        print(version_text())
        parser.exit()


# --- argparse types: a value wrong on its own is refused before anything is opened ----------------


def iso_date(text: str) -> date:
    """A YYYY-MM-DD date."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD, as in 2026-03-10") from None


def date_range(text: str) -> tuple[date, date]:
    """START:END, both YYYY-MM-DD, START not after END."""
    first, colon, last = text.partition(":")
    if not colon:
        raise argparse.ArgumentTypeError(f"{text!r} is not a period: use START:END, as in 2026-01-01:2026-03-31")
    start, end = iso_date(first), iso_date(last)
    if start > end:
        raise argparse.ArgumentTypeError(f"the period starts ({start}) after it ends ({end})")
    return start, end


def whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """A whole number from ``low`` (to ``high``)."""
    limits = f"from {low:,} to {high:,}" if high is not None else f"{low:,} or more"

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number {limits}")
        return number

    return parse


def display_scale(text: str) -> float:
    """A display scale above 0, at most 4 (2 is 200%)."""
    try:
        scale = float(text)
    except ValueError:
        scale = 0.0
    if not 0 < scale <= 4:
        raise argparse.ArgumentTypeError(f"{text!r} is not a display scale: choose one above 0 and up to 4 (2 is 200%)")
    return scale


class Parser(argparse.ArgumentParser):
    """argparse, with its refusals on one line like the program's others: ``mash-desk: argument
    --role: invalid choice: ...; see mash-desk user add --help``, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"mash-desk: {message}; see {self.prog} --help\n")


ROLES = tuple(role.value for role in Role)
METHODS = tuple(method.value for method in LetterMethod)


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

    export = sub.add_parser("export", help="statutory lists: Ofsted Annex A workbook, CIN census XML")
    export_sub = export.add_subparsers(dest="export_command", metavar="LIST", required=True)
    annex = export_sub.add_parser("annex-a", help="Annex A Lists 1 and 3 for the six months up to --date")
    annex.add_argument("--date", type=iso_date, help="inspection (extract) date, YYYY-MM-DD (default: today)")
    annex.add_argument("--out", required=True, metavar="FILE", help="the .xlsx file to write")
    annex.set_defaults(handler=cmd_export_annex_a)
    cin = export_sub.add_parser("cin", help="CIN census referrals for the year 1 April YEAR-1 to 31 March YEAR")
    cin.add_argument(
        "--year", type=whole_number(1), required=True, help="the census year (the year of its 31 March reference date)"
    )
    cin.add_argument("--la", required=True, help="the three-digit local authority code")
    cin.add_argument("--out", required=True, metavar="FILE", help="the .xml file to write")
    cin.set_defaults(handler=cmd_export_cin)

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


if __name__ == "__main__":
    sys.exit(main())
