"""Start-up and memory: MASH Desk to its first queue painted, against a bare PySide6 window.

``python benchmarks/startup.py`` builds the 3,000-contact embedded demo in a temporary folder (or uses
``--db``), then runs, in rounds and rotating which goes first, (a) MASH Desk signing in as ``sam``
until the queue has painted with rows, (b) a bare ``QMainWindow`` with a ``QTableView`` shown and
closed the same way and (c) the same bare window after importing SQLAlchemy's ORM and the SQLite
driver: the floor the chosen packages set before any code of ours runs (``benchmarks/first_paint.py``
does all three). Each process is measured whole from
outside by ``/usr/bin/time -v`` (wall, user + system CPU, peak resident memory), offscreen, and ends at
the first paint unless ``--with-shutdown`` lets it shut down as it normally would.

``--big-db URL`` also opens that database (e.g. a 250,000-contact demo: ``--build-big FILE`` builds
one, which takes minutes) and scrolls the Team queue to its last row, for the peak memory of a long
queue. Targets (issue 11): start-up at most 3x the bare window, peak memory at most 150 MB at 3,000
contacts and 300 MB after scrolling to the end of the team queue at 250,000.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
LAUNCHER = HERE / "first_paint.py"
GNU_TIME = "/usr/bin/time"
START_RATIO_TARGET = 3.0
SMALL_MB_TARGET = 150.0
BIG_MB_TARGET = 300.0


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds
    peak_mb: float  # maximum resident set size, MB (10^6 bytes)
    said: str = ""  # what the launcher reported (how many rows it scrolled through)


def _clock(text: str) -> float:
    """``h:mm:ss`` or ``m:ss.ss`` from GNU time, in seconds."""
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def measure(command: Sequence[str], env: dict[str, str], timeout: float) -> Run:
    """One process, measured whole: by GNU time when there is one, else by this process's children's usage."""
    if Path(GNU_TIME).exists():
        done = subprocess.run(  # noqa: S603 - our own launcher, with arguments we built
            [GNU_TIME, "-v", *command],
            check=False,
            env=env,
            cwd=CHECKOUT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        fields = dict(re.findall(r"^\s*(.+?): (.+)$", done.stderr, re.MULTILINE))
        return Run(
            wall=_clock(fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"]),
            cpu=float(fields["User time (seconds)"]) + float(fields["System time (seconds)"]),
            peak_mb=int(fields["Maximum resident set size (kbytes)"]) * 1024 / 1e6,
            said=" ".join(line for line in done.stderr.splitlines() if line.startswith("scrolled")),
        )
    # without GNU time: ru_maxrss of RUSAGE_CHILDREN is the largest child so far, so it is only right
    # while each run is at least as large as the ones before; the wall clock includes spawning
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=CHECKOUT, check=True, capture_output=True, timeout=timeout)  # noqa: S603
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall=wall, cpu=cpu, peak_mb=after.ru_maxrss * 1024 / 1e6)


def environment(data_dir: Path, code: Path = CHECKOUT) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(code),  # the program under test: this checkout, or another (--code) to compare
        "QT_QPA_PLATFORM": "offscreen",
        "MASH_DESK_DATA_DIR": str(data_dir),  # fresh settings, logs and drafts for every run
    }


def app_command(url: str, user: str, *extra: str, shutdown: bool = False) -> list[str]:
    ending = () if shutdown else ("--exit-at-first-paint",)
    return [sys.executable, str(LAUNCHER), "app", *ending, *extra, "--", "--db", url, "--user", user]


def bare_command(what: str = "bare", *, shutdown: bool = False) -> list[str]:
    """``bare``: a bare window; ``floor``: the same after importing SQLAlchemy's ORM and the SQLite driver."""
    return [sys.executable, str(LAUNCHER), what, *(() if shutdown else ("--exit-at-first-paint",))]


def build_demo(url: str, contacts: int) -> None:
    print(f"building the {contacts:,}-contact demo at {url} ...", file=sys.stderr, flush=True)
    code = "import sys; from mash_desk.cli import main; sys.exit(main())"
    subprocess.run(  # noqa: S603 - the mash-desk command, with arguments we built
        [sys.executable, "-c", code, "--db", url, "demo", "--contacts", str(contacts), "--seed", "1", "--quiet"],
        env={**os.environ, "PYTHONPATH": str(CHECKOUT)},
        cwd=CHECKOUT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def median(runs: Sequence[Run], field: str) -> float:
    return float(statistics.median(getattr(run, field) for run in runs))


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an embedded demo database to start on (default: build 3,000 contacts)")
    parser.add_argument("--user", default="sam", help="who signs in (default sam, a practitioner)")
    parser.add_argument("--pairs", type=int, default=5, help="rounds of the three runs (default 5)")
    parser.add_argument(
        "--with-shutdown",
        action="store_true",
        help="let each process shut down as it normally would (default: it ends at the first paint)",
    )
    parser.add_argument("--big-db", help="also scroll the Team queue to its end on this database, for memory")
    parser.add_argument("--build-big", metavar="FILE", help="build a 250,000-contact demo into FILE for --big-db")
    parser.add_argument("--big-contacts", type=int, default=250_000)
    parser.add_argument(
        "--code",
        type=Path,
        default=CHECKOUT,
        help="the MASH Desk source tree to time (default: this one)",
    )
    args = parser.parse_args(argv)
    # as installed: pip and the installers compile the bytecode, so no run pays for compiling the
    # sources (with PYTHONDONTWRITEBYTECODE set, as in CI, every run would otherwise compile them all)
    compileall.compile_dir(args.code / "mash_desk", quiet=1)

    with tempfile.TemporaryDirectory(prefix="mash-desk-startup-") as scratch:
        work = Path(scratch)
        url = args.db
        if url is None:
            url = f"sqlite:///{work / 'demo.sqlite3'}"
            build_demo(url, 3000)
        if args.build_big:
            args.big_db = f"sqlite:///{Path(args.build_big).resolve()}"
            if not Path(args.build_big).exists():
                build_demo(args.big_db, args.big_contacts)

        print(f"load average before (1 / 5 / 15 min): {load_average()}; {os.cpu_count()} CPUs")
        runs: dict[str, list[Run]] = {"app": [], "bare": [], "floor": []}
        apps, bares, floors = runs["app"], runs["bare"], runs["floor"]
        for pair in range(args.pairs):
            # rotate which goes first, so a change in the machine's load falls on each alike
            order = ("app", "bare", "floor")[pair % 3 :] + ("app", "bare", "floor")[: pair % 3]
            for what in order:
                data = work / f"data-{pair}-{what}"
                data.mkdir()
                env = environment(data, args.code)
                if what == "app":
                    command = app_command(url, args.user, shutdown=args.with_shutdown)
                else:
                    command = bare_command(what, shutdown=args.with_shutdown)
                runs[what].append(measure(command, env, timeout=600))
                shutil.rmtree(data, ignore_errors=True)
            print(
                f"  round {pair + 1}: "
                + "; ".join(
                    f"{what} {runs[what][-1].wall:.2f} s wall, {runs[what][-1].cpu:.2f} s CPU, "
                    f"{runs[what][-1].peak_mb:.0f} MB"
                    for what in ("app", "bare", "floor")
                ),
                flush=True,
            )
        print(f"load average after: {load_average()}")
        ratio = median(apps, "wall") / median(bares, "wall")
        floor_ratio = median(floors, "wall") / median(bares, "wall")
        print()
        print("| launch to first queue painted (medians) | wall s | CPU s | peak MB |")
        print("| --- | --- | --- | --- |")
        named = (
            (f"MASH Desk ({args.user}, {url.rsplit('/', 1)[-1]})", apps),
            ("bare QMainWindow", bares),
            ("bare QMainWindow after importing SQLAlchemy's ORM and sqlite3 (the floor)", floors),
        )
        for name, measured in named:
            print(
                f"| {name} | {median(measured, 'wall'):.2f} | {median(measured, 'cpu'):.2f} "
                f"| {median(measured, 'peak_mb'):.0f} |"
            )
        print()
        print(
            f"the floor is {floor_ratio:.1f}x the bare window; MASH Desk is "
            f"{median(apps, 'wall') / median(floors, 'wall'):.1f}x the floor"
        )
        verdicts = [
            (f"start-up {ratio:.1f}x the bare window", ratio <= START_RATIO_TARGET, f"<= {START_RATIO_TARGET:g}x"),
            (
                f"peak memory {median(apps, 'peak_mb'):.0f} MB",
                median(apps, "peak_mb") <= SMALL_MB_TARGET,
                f"<= {SMALL_MB_TARGET:g} MB",
            ),
        ]
        if args.big_db:
            data = work / "data-big"
            data.mkdir()
            print(f"scrolling the Team queue to its end on {args.big_db} ...", flush=True)
            big = measure(
                app_command(args.big_db, args.user, "--scroll-to-end", "Team", "--give-up-after", "3000"),
                environment(data, args.code),
                timeout=3600,
            )
            print(
                f"  {big.said}: {big.wall:.1f} s wall, {big.cpu:.1f} s CPU, {big.peak_mb:.0f} MB peak; "
                f"load {load_average()}"
            )
            verdicts.append(
                (
                    f"peak memory after scrolling {big.peak_mb:.0f} MB",
                    big.peak_mb <= BIG_MB_TARGET,
                    f"<= {BIG_MB_TARGET:g} MB",
                )
            )
        for what, met, target in verdicts:
            print(f"{what} (target {target}): {'met' if met else 'MISSED'}")
        return 0 if all(met for _what, met, _target in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
