"""One function per ``mash-desk`` command: open what the arguments name, call the services, print the result.

Imports inside the commands are on purpose: ``--version`` and each command load only what they use
(no Qt outside ``gui`` and ``screenshots``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path

from mash_desk.cli.arguments import EXIT_USAGE
from mash_desk.cli.output import StageProgress, format_report, format_risk_summary, megabytes
from mash_desk.collector import collector_paused
from mash_desk.domain.enums import LetterMethod
from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.domain.words import counted
from mash_desk.store.database import Database, default_sqlite_url

EXIT_FAILED = 1
DB_ENV = "MASH_DESK_DB"
REPORTS_DB_ENV = "MASH_DESK_REPORTS_DB"
USER_ENV = "MASH_DESK_USER"


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
        f"Backed up {done.source} to {done.copy.path} (schema {done.copy.revision}, {megabytes(done.copy.size)}, "
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


def cmd_demo(args: argparse.Namespace) -> int:
    from mash_desk.tools.demo import generate_demo

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


def cmd_report(args: argparse.Namespace) -> int:
    from mash_desk.services.context import ServiceContext
    from mash_desk.services.reports import open_work

    if args.period or args.period_from or args.period_to:
        return cmd_report_measures(args)
    from mash_desk.services.risk_tools import risk_tool_summary

    db = _open(args)
    ctx = ServiceContext(db, _login(args, db))
    report = open_work(ctx, list_limit=args.limit)
    print(format_report(report))
    print()
    print(format_risk_summary(risk_tool_summary(ctx, list_limit=args.limit), "recorded so far"))
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    """Likely duplicate records, one pair a line, for a manager to compare and merge in the window."""
    from mash_desk.domain.duplicates import DUPLICATE_REASON_WORDS
    from mash_desk.services.context import ServiceContext
    from mash_desk.services.duplicates import likely_duplicates

    db = _open(args)
    pairs = likely_duplicates(ServiceContext(db, _login(args, db)), limit=args.limit)
    if not pairs:
        print("No likely duplicates.")
        return 0
    for pair in pairs:
        born = pair.first.date_of_birth or pair.second.date_of_birth
        print(
            f"{pair.first.name} ({pair.first.person_id})  |  {pair.second.name} ({pair.second.person_id})  |  "
            f"born {born.strftime('%d/%m/%Y') if born else 'not known'}  |  {DUPLICATE_REASON_WORDS[pair.reason]}"
        )
    print(f"{counted(len(pairs), 'pair')}. Compare and merge them in the window: Manager, Duplicate records.")
    return 0


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


def cmd_chronology(args: argparse.Namespace) -> int:
    """A person's chronology as a PDF; reading it is audited as the person running the command."""
    from mash_desk.domain.chronology import ChronologyFilter, EntryKind
    from mash_desk.services.context import ServiceContext
    from mash_desk.services.person_record.printing import print_chronology

    keep = ChronologyFilter(
        agencies=frozenset(args.agency or ()),
        kinds=frozenset(EntryKind(kind) for kind in args.kind or ()),
        since=args.since,
        until=args.until,
    )
    db = _open(args)
    pdf = print_chronology(ServiceContext(db, _login(args, db)), args.person, keep)
    target = _write_file(args.out, partial(Path.write_bytes, data=pdf))
    print(f"Chronology of person {args.person} -> {target}")
    return 0


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
        print()
        assert measures.themes is not None
        summary = measures.themes.risk  # the same numbers as the rows above: one source
        print(format_risk_summary(summary, f"recorded {start} to {end}"))
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    """The partnership's quarterly pack: the PDF, and with --csv the same numbers as CSV files."""
    import time

    from mash_desk.services.context import ServiceContext
    from mash_desk.services.pack import build_pack, write_pack

    db = _open(args)
    started = time.perf_counter()
    pack = build_pack(ServiceContext(db, _login(args, db)), args.quarter)
    csv_dir = Path(args.csv).expanduser() if args.csv else None
    written: list[Path] = []
    _write_file(args.out, lambda path: written.extend(write_pack(pack, path, csv_dir)))
    seconds = time.perf_counter() - started
    print(
        f"Wrote the quarterly pack for {pack.quarter} ({pack.period.first} to {pack.period.last}) to "
        f"{', '.join(str(path) for path in written)} in {seconds:.1f} s."
    )
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
        f"{len(annex.contacts):,} rows in List 1, {len(annex.early_help):,} in List 2, "
        f"{len(annex.referrals):,} in List 3, {len(annex.enquiries):,} in List 5."
    )
    return 0


def cmd_export_cin(args: argparse.Namespace) -> int:
    from mash_desk.domain.cin_census import year_label
    from mash_desk.exports.cin_census import census_xml
    from mash_desk.services.context import ServiceContext
    from mash_desk.services.statutory import cin_census

    db = _open(args)
    census = cin_census(ServiceContext(db, _login(args, db)), args.year, args.la)
    document = census_xml(census)
    target = _write_file(args.out, lambda path: path.write_bytes(document))
    print(
        f"Wrote the CIN census {year_label(census.year)} (LA {census.la_code}, {census.period.first} to "
        f"{census.period.last}) to {target}: {len(census.children):,} children, {census.referrals:,} referrals "
        f"in {census.episodes:,} CIN episodes."
    )
    if census.upns_left_out:
        print(
            f"{census.upns_left_out:,} stored UPN(s) fail the UPN checks and were left out: "
            "correct them on the child's record."
        )
    return 0


def cmd_export_ssd(args: argparse.Namespace) -> int:
    from mash_desk.services.context import ServiceContext
    from mash_desk.services.ssd import export_ssd

    db = _open(args)
    written = export_ssd(ServiceContext(db, _login(args, db)), Path(args.out), args.since)
    tables = ", ".join(f"{table} {count:,}" for table, count in written.rows.items())
    print(
        f"Wrote the Standard Safeguarding Dataset ({written.since} to {written.until}) to {written.folder}: "
        f"{len(written.rows)} tables ({tables})."
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
            f"{counted(len(family), 'family letter')} not issued: check who each goes to (above), then run again with "
            f"--confirm-family to issue {'it' if len(family) == 1 else 'them'}."
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
    from mash_desk.tools.bench import run_benchmarks

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
    with collector_paused():  # the window's code lives as long as the program: see mash_desk.collector
        from mash_desk.gui.app import run_gui

    return run_gui(
        database_url=args.db or os.environ.get(DB_ENV),
        user=args.user or os.environ.get(USER_ENV),
        quit_after_ms=getattr(args, "quit_after", None),  # absent unless given, before or after `gui`
    )


def cmd_screenshots(args: argparse.Namespace) -> int:
    from mash_desk.tools.screenshots import render_screenshots

    written = render_screenshots(Path(args.out).expanduser(), scale=args.scale, theme=args.theme)
    for path in written:
        print(path)
    return 0
