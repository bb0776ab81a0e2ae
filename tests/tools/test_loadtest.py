"""The load and fault test, shortened: a few workstations for a few seconds on each database, with
faults injected, and every invariant holding; and proof that each check sees what it looks for.

The full run (50 workstations, 3 minutes, 100 killed backends) is in benchmarks/README.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import delete, select, text

from mash_desk.cli import main
from mash_desk.domain.enums import ContactStatus, DecisionStatus
from mash_desk.services.changes import current_marker
from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from mash_desk.store.models import AuditEvent, Contact, ContactChild, ThresholdDecision
from mash_desk.tools.loadtest import LoadTestOptions, LoadTestReport, role_mix, run_loadtest
from mash_desk.tools.loadtest.invariants import check_invariants
from mash_desk.tools.loadtest.outcomes import CallRecord, Kind, RoleKind

SECONDS = 15


def _url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def _short_run(db: Database, backend: str, *, seconds: float = SECONDS, workstations: int = 10) -> LoadTestReport:
    faults = {"kill_backends": 4} if backend == "postgresql" else {"hold_exclusive_lock_every": 3.0}
    options = LoadTestOptions(
        url=_url(db),
        workstations=workstations,
        minutes=seconds / 60,
        seed=7,
        processes=1,
        demo_contacts=120,
        think_seconds=0.05,
        **faults,
    )
    return run_loadtest(options)


def test_a_short_run_with_faults_holds_every_invariant(db: Database, backend: str) -> None:
    report = _short_run(db, backend)
    described = report.describe()
    assert report.violations == 0, described
    assert report.faults.injected >= 1, described
    if backend == "postgresql":
        assert report.faults.injected + len(report.faults.refused) == 4, described  # every kill was tried
    records = report.records
    assert {result.role for result in report.results} == set(RoleKind), "every kind of person worked"
    kinds = Counter(record.kind for record in records)
    assert kinds[Kind.OK] > 200, described
    assert kinds[Kind.RAW] == kinds[Kind.UNEXPECTED] == 0, described
    writes = {record.action for record in records if record.write and record.kind is Kind.OK}
    assert {"log contact", "rate (versioned)", "claim next"} <= writes, described
    assert len(writes) >= 6, described
    assert report.contacts_after > report.contacts_before
    assert "Every invariant held." in described
    for action in ("claim next", "open contact", "search people", "change feed poll"):
        assert action in described


@pytest.mark.parametrize("backend", ["sqlite"])  # PostgreSQL would refuse the tampering: staff cannot rewrite the trail
def test_each_check_sees_what_it_looks_for(db: Database, backend: str) -> None:
    """A clean run, then the database and the workstations' accounts broken on purpose, one way per check."""
    report = _short_run(db, backend, seconds=6, workstations=6)
    assert report.violations == 0, report.describe()
    results = report.results
    practitioner = next(r for r in results if r.role is RoleKind.MASH)
    other = next(r for r in results if r is not practitioner)
    with db.engine.begin() as conn:
        rating = conn.execute(
            select(AuditEvent.id, AuditEvent.contact_id)
            .where(AuditEvent.action == "contact.rate", AuditEvent.id > report.baseline.audit_id)
            .order_by(AuditEvent.id.desc())
        ).first()
        assert rating is not None, "the run rated something"
        conn.execute(delete(AuditEvent).where(AuditEvent.id == rating.id))
        touched = conn.execute(
            select(Contact.id)
            .where(
                Contact.id != rating.contact_id, Contact.status.in_([ContactStatus.SCREENED, ContactStatus.RECEIVED])
            )
            .where(Contact.id.in_(select(AuditEvent.contact_id).where(AuditEvent.id > report.baseline.audit_id)))
        ).first()
        assert touched is not None
        conn.execute(text("UPDATE contact SET status = 'closed' WHERE id = :id"), {"id": touched.id})
        decided = conn.execute(
            select(ThresholdDecision.id)
            .join(ContactChild, ContactChild.id == ThresholdDecision.contact_child_id)
            .join(Contact, Contact.id == ContactChild.contact_id)
            .where(Contact.status == ContactStatus.CLOSED, ThresholdDecision.status == DecisionStatus.AUTHORISED)
        ).first()
        assert decided is not None
        conn.execute(text("UPDATE threshold_decision SET status = 'proposed' WHERE id = :id"), {"id": decided.id})
    claimed = practitioner.claimed[0] if practitioner.claimed else touched.id
    other.claimed.append(claimed)
    practitioner.claimed.append(claimed)
    record = CallRecord(
        workstation=other.index,
        login=other.login,
        action="rate (versioned)",
        chain=10**6,
        attempt=0,
        kind=Kind.OK,
        ms=1.0,
        started=1.0,
        write=True,
        contact_id=touched.id,
        record_key=f"contact:{touched.id}",
        expected_version=1,
    )
    other.records += [
        record,
        replace(record, chain=10**6 + 1),
        replace(record, chain=10**6 + 2, kind=Kind.RAW, error="OperationalError", message="deadlock detected"),
        replace(record, chain=10**6 + 3, attempt=1, kind=Kind.UNAVAILABLE, message="The database is busy."),
    ]
    other.feed_seen.clear()
    other.feed_marker = current_marker(ServiceContext(db)).position
    found = {check.name: check.violations for check in check_invariants(db, report.baseline, results)}
    for name in (
        "contacts claimed by two people",
        "claims lost",
        "lost updates",
        "saves reported done but not in the database",
        "audit/history mismatches",
        "proposals left 'proposed' on decided or closed contacts; authorised decisions not the latest",
        "illegal states (audited actions replayed through domain/lifecycle.py)",
        "raw exceptions (not a MashDeskError) reaching a person",
        "deadlock or driver messages shown to a person",
        "faults that pressing Retry did not resolve",
        "fault messages that do not say nothing was saved and to try again",
        "changes a workstation's change feed never reported",
    ):
        assert found[name] >= 1, (name, found)


def test_every_kind_of_person_is_at_the_desks() -> None:
    fifty = Counter(role_mix(50))
    assert sum(fifty.values()) == 50
    assert fifty[RoleKind.MASH] >= 15
    assert fifty[RoleKind.MANAGER] >= 5
    assert fifty[RoleKind.AUDITOR] >= 1
    ten = Counter(role_mix(10))
    assert set(ten) == set(RoleKind)
    assert ten[RoleKind.MANAGER] == 2, "two managers race for the same decisions"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_command_runs_and_refuses_what_does_not_fit(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    url = _url(db)
    base = ["--db", url, "loadtest", "--workstations", "3", "--minutes", "0.05", "--processes", "1"]
    assert main([*base, "--demo-contacts", "60"]) == 0
    out = capsys.readouterr().out
    assert "3 workstations" in out
    assert "Every invariant held." in out
    assert main([*base, "--kill-backends", "3"]) == 2
    assert "Backends are killed on PostgreSQL only" in capsys.readouterr().err
    assert main([*base, "--workstations", "0"]) == 2
    assert "--workstations" in capsys.readouterr().err
