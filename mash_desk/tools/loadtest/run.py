"""The run: set the database up, start the workstations and the faults, then check and report."""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from sqlalchemy import func, select

from mash_desk.domain.enums import PersonKind, Role
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.words import counted
from mash_desk.logs import setup_logging
from mash_desk.services.admin import prepare_database
from mash_desk.store import migrate
from mash_desk.store.database import Database
from mash_desk.store.models import Contact, Person, Team, User
from mash_desk.store.queries import lookup
from mash_desk.tools.demo import generate_demo
from mash_desk.tools.demo.vocabulary import AGENCY_USER
from mash_desk.tools.loadtest.faults import FaultInjector, FaultLog
from mash_desk.tools.loadtest.invariants import Check, check_invariants
from mash_desk.tools.loadtest.jobs import run_workstation
from mash_desk.tools.loadtest.outcomes import CallRecord, Kind, RoleKind, WorkstationResult
from mash_desk.tools.loadtest.readback import Baseline, take_baseline
from mash_desk.tools.loadtest.workstation import Hub, WorkstationSpec

# Who works each kind of workstation: the demo's people (several workstations may share a login,
# as one person signed in at two desks). Receiving teams that get the most hand-offs come first,
# so two workstations answer each of their hand-offs at once.
LOGINS: dict[RoleKind, tuple[str, ...]] = {
    RoleKind.MASH: ("sam", "priya", "jade", "omar"),
    RoleKind.MANAGER: ("maria", "mark"),
    RoleKind.AGENCY: ("pc_jones", "hv_okafor", "ed_patel", "prob_nowak", "housing_ade", "ida_khan"),
    RoleKind.RECEIVING: (
        "ava",
        "cp_osei",
        "eh_brown",
        "ava",
        "cp_osei",
        "eh_brown",
        "cin_kowalska",
        "ida_khan",
        "lado_reid",
        "nla_duty",
    ),
    RoleKind.BUSINESS_SUPPORT: ("bea",),
    RoleKind.AUDITOR: ("aud",),
}
# the first workstations, so that even a short run has every kind of person and two managers
STARTER = (
    RoleKind.MASH,
    RoleKind.MANAGER,
    RoleKind.AGENCY,
    RoleKind.RECEIVING,
    RoleKind.MASH,
    RoleKind.MANAGER,
    RoleKind.BUSINESS_SUPPORT,
    RoleKind.RECEIVING,
    RoleKind.AUDITOR,
    RoleKind.MASH,
)
SHARES: dict[RoleKind, float] = {
    RoleKind.MASH: 0.36,
    RoleKind.MANAGER: 0.12,
    RoleKind.AGENCY: 0.20,
    RoleKind.RECEIVING: 0.16,
    RoleKind.BUSINESS_SUPPORT: 0.10,
    RoleKind.AUDITOR: 0.06,
}
STARTUP_SECONDS = 2.0  # for worker processes to start and import before the common start


@dataclass(frozen=True)
class LoadTestOptions:
    url: str
    workstations: int = 50
    minutes: float = 3.0
    kill_backends: int = 0
    hold_exclusive_lock_every: float = 0.0  # seconds between holds; 0: none
    seed: int = 1
    processes: int = 0  # 0: one per CPU
    demo_contacts: int = 300
    think_seconds: float = 0.1

    def check(self, postgresql: bool) -> None:
        if not 1 <= self.workstations <= 500:
            raise InvalidInput.single("--workstations", "Choose between 1 and 500 workstations.")
        if not 0 < self.minutes <= 120:
            raise InvalidInput.single("--minutes", "Run for more than 0 and at most 120 minutes.")
        if self.kill_backends < 0:
            raise InvalidInput.single("--kill-backends", "Give how many backends to kill, 0 or more.")
        if self.kill_backends and not postgresql:
            raise InvalidInput.single("--kill-backends", "Backends are killed on PostgreSQL only.")
        if self.hold_exclusive_lock_every < 0:
            raise InvalidInput.single("--hold-exclusive-lock-every", "Give the seconds between holds, 0 or more.")
        if self.hold_exclusive_lock_every and postgresql:
            raise InvalidInput.single("--hold-exclusive-lock-every", "BEGIN EXCLUSIVE is held on SQLite only.")
        if self.processes < 0 or self.demo_contacts < 1 or self.think_seconds < 0:
            raise InvalidInput.single("options", "Processes, think time and demo contacts cannot be negative.")


@dataclass
class LoadTestReport:
    options: LoadTestOptions
    database: str
    roles: Counter[RoleKind]
    processes: int
    seconds: float
    contacts_before: int
    contacts_after: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    faults: FaultLog
    results: list[WorkstationResult]
    checks: list[Check]
    baseline: Baseline
    demo_added: int = 0

    @property
    def violations(self) -> int:
        return sum(check.violations for check in self.checks)

    @property
    def records(self) -> list[CallRecord]:
        return [record for result in self.results for record in result.records]

    def describe(self) -> str:
        return describe(self)


# --- who sits where ------------------------------------------------------------------------------------


def role_mix(workstations: int) -> list[RoleKind]:
    """The kinds of person at ``workstations`` desks: the starter set, then in SHARES proportion."""
    roles = list(STARTER[:workstations])
    counts = Counter(roles)
    for index in range(len(roles), workstations):
        kind = max(SHARES, key=lambda k: SHARES[k] * (index + 1) - counts[k])
        roles.append(kind)
        counts[kind] += 1
    return roles


def workstation_specs(workstations: int, seed: int) -> list[WorkstationSpec]:
    seen: Counter[RoleKind] = Counter()
    specs = []
    for index, kind in enumerate(role_mix(workstations)):
        logins = LOGINS[kind]
        specs.append(WorkstationSpec(index, logins[seen[kind] % len(logins)], kind, seed * 1000 + index))
        seen[kind] += 1
    return specs


# --- the database --------------------------------------------------------------------------------------


def _set_up(db: Database, options: LoadTestOptions, progress: Callable[[str], None]) -> int:
    """A database ready for the run: set up and filled with a modest demo if empty; what was added."""
    if migrate.current_revision(db) is None:
        progress("setting the database up")
        prepare_database(db)
    migrate.check_schema(db)
    with db.session() as session:
        contacts = session.scalar(select(func.count(Contact.id))) or 0
    added = 0
    if not contacts:
        progress(f"adding {options.demo_contacts:,} demo contacts")
        added = generate_demo(db, contacts=options.demo_contacts, seed=options.seed).contacts
    with db.session() as session:
        present = set(session.scalars(select(User.username).where(User.active.is_(True))))
    needed = {login for logins in LOGINS.values() for login in logins}
    missing = sorted(needed - present)
    if missing:
        raise InvalidInput.single(
            "--db",
            f"The load test works as the demo users, and this database lacks {', '.join(missing)}: "
            "give it an empty database (it adds a demo) or one made by `mash-desk demo`.",
        )
    return added


def _hub(db: Database, options: LoadTestOptions, baseline: Baseline, start_at: float) -> Hub:
    with db.session() as session:
        teams = lookup(session, select(Team.name, Team.id))
        users = list(session.execute(select(User.username, User.role, User.team_id)))
        prefixes = sorted(
            set(
                session.scalars(
                    select(func.substr(Person.family_name_norm, 1, 3))
                    .where(Person.kind == PersonKind.CHILD, func.length(Person.family_name_norm) >= 3)
                    .distinct()
                    .limit(300)
                )
            )
        )
    return Hub(
        url=db.url.render_as_string(hide_password=False),
        teams=teams,
        team_of={name: team for name, _role, team in users},
        agency_codes=tuple(sorted(AGENCY_USER)),
        mash_practitioners=LOGINS[RoleKind.MASH],
        agency_logins=frozenset(name for name, role, _team in users if role is Role.AGENCY),
        family_prefixes=tuple(prefixes) or ("smi",),
        first_marker=baseline.marker,
        start_at=start_at,
        end_at=start_at + options.minutes * 60,
        think_seconds=options.think_seconds,
    )


def _contacts(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count(Contact.id))) or 0


def _load() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:
        return (math.nan, math.nan, math.nan)


# --- the workstations ----------------------------------------------------------------------------------


def run_group(specs: Sequence[WorkstationSpec], hub: Hub) -> list[WorkstationResult]:
    """Some workstations, one thread each, in this process (a worker process runs this)."""
    results: list[WorkstationResult | None] = [None] * len(specs)

    def work(slot: int, spec: WorkstationSpec) -> None:
        results[slot] = run_workstation(spec, hub)

    threads = [
        threading.Thread(target=work, args=(slot, spec), name=f"workstation-{spec.index}", daemon=True)
        for slot, spec in enumerate(specs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [
        result if result is not None else WorkstationResult(spec.index, spec.login, spec.role, crashed="no result")
        for spec, result in zip(specs, results, strict=True)
    ]


def _worker_started() -> None:
    """A worker process logs where the program logs (without this, its warnings would go to stderr)."""
    setup_logging()


def _run_workstations(specs: list[WorkstationSpec], hub: Hub, processes: int) -> list[WorkstationResult]:
    if processes <= 1:
        return run_group(specs, hub)
    groups = [specs[start::processes] for start in range(processes)]
    context = multiprocessing.get_context("spawn")  # no engine, pool or lock is inherited half-made
    with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_worker_started) as pool:
        futures = [pool.submit(run_group, group, hub) for group in groups if group]
        results = [result for future in futures for result in future.result()]
    return sorted(results, key=lambda result: result.index)


def run_loadtest(options: LoadTestOptions, progress: Callable[[str], None] | None = None) -> LoadTestReport:
    """Set up, run ``options.workstations`` workstations with faults for ``options.minutes``, check, report."""
    say = progress or (lambda _message: None)
    db = Database(options.url)
    try:
        options.check(db.is_postgresql)
        added = _set_up(db, options, say)
        processes = min(options.processes or os.cpu_count() or 1, options.workstations)
        specs = workstation_specs(options.workstations, options.seed)
        baseline = take_baseline(db)
        contacts_before = len(baseline.contacts)
        start_at = time.time() + (STARTUP_SECONDS if processes > 1 else 0.5)
        hub = _hub(db, options, baseline, start_at)
        if options.kill_backends:
            faults = FaultLog("kill", planned=options.kill_backends)
        elif options.hold_exclusive_lock_every:
            faults = FaultLog("exclusive")
        else:
            faults = FaultLog("none")
        injector = FaultInjector(
            db, faults, start_at, hub.end_at, options.seed, every=options.hold_exclusive_lock_every
        )
        load_before = _load()
        say(
            f"running {options.workstations} workstations for {options.minutes:g} minutes "
            f"in {counted(processes, 'process', 'processes')}"
        )
        injector.start()
        try:
            results = _run_workstations(specs, hub, processes)
        finally:
            injector.stop()
        seconds = time.time() - start_at
        load_after = _load()
        say("checking the invariants")
        checks = check_invariants(db, baseline, results)
        return LoadTestReport(
            options=options,
            database=db.describe(),
            roles=Counter(spec.role for spec in specs),
            processes=processes,
            seconds=seconds,
            contacts_before=contacts_before,
            contacts_after=_contacts(db),
            load_before=load_before,
            load_after=load_after,
            faults=faults,
            results=results,
            checks=checks,
            baseline=baseline,
            demo_added=added,
        )
    finally:
        db.dispose()


# --- the report ----------------------------------------------------------------------------------------


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return math.nan
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def describe(report: LoadTestReport) -> str:
    options = report.options
    records = report.records
    lines = [
        f"MASH Desk load test on {report.database}",
        f"{options.workstations} workstations ("
        + ", ".join(f"{count} {kind.value}" for kind, count in report.roles.most_common())
        + f") for {options.minutes:g} minutes ({report.seconds:.0f} s with the last Retries) in "
        f"{counted(report.processes, 'process', 'processes')}, seed {options.seed}, "
        f"think time up to {options.think_seconds * 1000:.0f} ms",
        f"machine: {os.cpu_count()} CPUs; load average {report.load_before[0]:.1f} before, "
        f"{report.load_after[0]:.1f} at the end",
        f"contacts: {report.contacts_before:,} at the start"
        + (f" ({report.demo_added:,} demo contacts added)" if report.demo_added else "")
        + f", {report.contacts_after:,} at the end",
        "",
    ]
    firsts = [r for r in records if r.attempt == 0]
    answered = [r for r in records if r.kind is not Kind.UNAVAILABLE]
    writes_ok = [r for r in records if r.write and r.kind is Kind.OK]
    kinds = Counter(r.kind for r in records)
    refusals = Counter(r.error for r in records if r.kind is Kind.REFUSED)
    lines += [
        f"calls: {len(firsts):,} ({sum(r.write for r in firsts):,} writes), {len(records):,} attempts with Retry; "
        f"{len(firsts) / report.seconds:.1f} calls/s, {len(writes_ok) / report.seconds:.1f} successful writes/s",
        "outcomes: " + ", ".join(f"{kind.value} {kinds[kind]:,}" for kind in Kind),
        "refusals: " + (", ".join(f"{name} {n:,}" for name, n in refusals.most_common()) or "none"),
        f"faults injected: {report.faults.describe()}",
    ]
    lines += [f"  fault injection problem: {problem}" for problem in report.faults.refused[:5]]
    lines += _retries(records)
    lines += ["", *_per_action(records, answered), "", *_refusals(records), "", "invariants (violations):"]
    width = max(len(check.name) for check in report.checks)
    for check in report.checks:
        mark = "ok  " if not check.violations else "FAIL"
        note = f"  ({check.note})" if check.note else ""
        lines.append(f"  {mark} {check.name:<{width}} {check.violations:>6,}{note}")
        lines += [f"         e.g. {example}" for example in check.examples]
    violated = [check for check in report.checks if check.violations]
    lines.append("")
    lines.append(
        f"{counted(len(violated), 'invariant')} violated, {counted(report.violations, 'violation')} in all."
        if violated
        else "Every invariant held."
    )
    return "\n".join(lines)


def _retries(records: list[CallRecord]) -> list[str]:
    chains: dict[tuple[int, int], list[CallRecord]] = defaultdict(list)
    for record in records:
        chains[(record.workstation, record.chain)].append(record)
    faulted = [chain for chain in chains.values() if chain[0].kind is Kind.UNAVAILABLE]
    if not faulted:
        return ["calls that met a fault: none"]
    ends = Counter(chain[-1].kind for chain in faulted)
    refused = Counter(chain[-1].error for chain in faulted if chain[-1].kind is Kind.REFUSED)
    presses = Counter(len(chain) - 1 for chain in faulted if chain[-1].kind is Kind.OK)
    messages = Counter(chain[0].message for chain in faulted)
    lines = [
        f"calls that met a fault: {len(faulted):,}; Retry pressed {sum(len(c) - 1 for c in faulted):,} times; "
        f"then: succeeded {ends[Kind.OK]:,} ("
        + ", ".join(f"{n:,} after {k} Retry" for k, n in sorted(presses.items()))
        + f"), refused {ends[Kind.REFUSED]:,}"
        + (" (" + ", ".join(f"{name} {n}" for name, n in refused.most_common()) + ")" if refused else "")
        + f", still failing {len(faulted) - ends[Kind.OK] - ends[Kind.REFUSED]:,}",
    ]
    lines += [f"  the person read: {message!r} ({n:,}x)" for message, n in messages.most_common(3)]
    lines += [
        f"  refused after Retry: {chain[-1].action} as {chain[-1].login}: {chain[-1].message}"
        for chain in faulted
        if chain[-1].kind is Kind.REFUSED
    ][:5]
    return lines


def _per_action(records: list[CallRecord], answered: list[CallRecord]) -> list[str]:
    by_action: dict[str, list[CallRecord]] = defaultdict(list)
    for record in records:
        by_action[record.action].append(record)
    header = f"{'action':<36}{'calls':>8}{'ok':>8}{'refused':>9}{'faults':>8}{'p50 ms':>9}{'p95 ms':>9}"
    lines = ["per action (p50/p95 of the attempts that got an answer):", header, "-" * len(header)]
    for action, group in sorted(by_action.items(), key=lambda kv: -len(kv[1])):
        timed = [r.ms for r in group if r.kind is not Kind.UNAVAILABLE]
        lines.append(
            f"{action:<36}{sum(r.attempt == 0 for r in group):>8,}"
            f"{sum(r.kind is Kind.OK for r in group):>8,}{sum(r.kind is Kind.REFUSED for r in group):>9,}"
            f"{sum(r.kind is Kind.UNAVAILABLE for r in group):>8,}"
            f"{percentile(timed, 0.5):>9.1f}{percentile(timed, 0.95):>9.1f}"
        )
    timed_all = [r.ms for r in answered]
    lines.append(
        f"{'all':<36}{'':>8}{'':>8}{'':>9}{'':>8}{percentile(timed_all, 0.5):>9.1f}{percentile(timed_all, 0.95):>9.1f}"
    )
    return lines


def _refusals(records: list[CallRecord]) -> list[str]:
    """The commonest refusals, so a reader can judge that each was a fair answer to what the person did."""
    said = Counter(
        (r.action, r.error, (r.message or "").split(". ")[0][:90]) for r in records if r.kind is Kind.REFUSED
    )
    lines = ["commonest refusals (what the person read, to its first full stop):"]
    lines += [f"  {n:>6,}  {action}: {error}: {message}" for (action, error, message), n in said.most_common(12)]
    return lines
