"""One workstation: a person signed in on their own connection, working the real services in a loop.

Each workstation does what the window would do for its person's job: look at a queue, open a
contact, act on what its state allows, with the version the contact had when it was opened (the
form's ``expected_version``). Many workstations pick from the top of the same queues, so several
practitioners propose for the same child, two managers decide the same contact, two workers of a
receiving team answer the same hand-off, an agency returns a check while a practitioner withdraws
it. A ``DatabaseUnavailable`` is a fault: the person waits a moment and presses Retry with the same
form, and the attempt is recorded in the same chain.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import event

from mash_desk.domain.cin import needs_hand_off
from mash_desk.domain.enums import (
    AgencyRequestStatus,
    ContactStatus,
    LetterMethod,
    LetterRecipient,
    Outcome,
    Rag,
)
from mash_desk.domain.errors import RestrictedRecord
from mash_desk.services import (
    contact_view,
    decisions,
    handoffs,
    intake,
    letters,
    notes,
    queues,
    restrictions,
    screening,
    search,
)
from mash_desk.services.changes import ChangeMarker, changed_since
from mash_desk.services.contact_view import ContactDetail
from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from mash_desk.tools.loadtest.entries import consent_draft, contact_draft, override_draft, sharing_allowed
from mash_desk.tools.loadtest.outcomes import CallRecord, Kind, RoleKind, WorkstationResult, classify

T = TypeVar("T")

RETRY_PRESSES = 6  # how many times a person presses Retry before giving up
FEED_SECONDS = 2.0  # the window polls the change feed this often
WORKING = (ContactStatus.SCREENED, ContactStatus.AGENCY_CHECKS, ContactStatus.RETURNED)
SHARING = (*WORKING, ContactStatus.AUTHORISED)  # where consent (or an override) lets the work go on
RATIONALE = "Load test: what is known from the agencies, what it means for the child, and why this outcome."

# the receiving team for an outcome that needs one (domain.cin.needs_hand_off)
OUTCOME_TEAM: dict[Outcome, tuple[str, ...]] = {
    Outcome.EARLY_HELP: ("Early Help Team",),
    Outcome.SINGLE_AGENCY: ("Early Help Team",),
    Outcome.CFA_S17: ("Assessment Team", "Children in Need Team"),
    Outcome.STRATEGY_S47: ("Child Protection Team",),
    Outcome.EMERGENCY_PROTECTION: ("Child Protection Team",),
    Outcome.TRANSFER_OTHER_LA: ("Neighbouring Authority MASH",),
    Outcome.MARAC: ("MARAC Coordination",),
    Outcome.LADO: ("LADO Service",),
    Outcome.PASS_TO_ALLOCATED_WORKER: ("Assessment Team",),
}
OPEN_CASE_ONLY = frozenset({Outcome.PASS_TO_ALLOCATED_WORKER})
# (level of need, outcome, primary need), weighted towards the common ones
PROPOSALS: tuple[tuple[int, Outcome, str], ...] = (
    (1, Outcome.NFA, "N9"),
    (1, Outcome.ADVICE_SIGNPOST, "N9"),
    (2, Outcome.EARLY_HELP, "N4"),
    (2, Outcome.EARLY_HELP, "N5"),
    (2, Outcome.SINGLE_AGENCY, "N8"),
    (3, Outcome.CFA_S17, "N1"),
    (3, Outcome.CFA_S17, "N3"),
    (4, Outcome.STRATEGY_S47, "N1"),
    (2, Outcome.MARAC, "N4"),
    (3, Outcome.LADO, "N1"),
    (1, Outcome.TRANSFER_OTHER_LA, "N9"),
)


@dataclass(frozen=True)
class Hub:
    """What every workstation knows before it starts, read once by the run."""

    url: str
    teams: dict[str, int]
    team_of: dict[str, int | None]  # login → team
    agency_codes: tuple[str, ...]  # partner agencies a practitioner may ask
    mash_practitioners: tuple[str, ...]
    agency_logins: frozenset[str]  # partner-agency officers (some also work in a receiving team)
    family_prefixes: tuple[str, ...]  # family-name prefixes that exist, for searches
    first_marker: str | int | None  # the change feed's position when the run began
    start_at: float  # wall clock (time.time()) when every workstation starts
    end_at: float
    think_seconds: float  # at most this long between two pieces of work


@dataclass(frozen=True)
class WorkstationSpec:
    index: int
    login: str
    role: RoleKind
    seed: int


def application_name(index: int) -> str:
    """How a workstation's connections are named on the server (the fault injector picks from these)."""
    return f"mash-desk-loadtest-ws{index:03d}"


def _name_connections(db: Database, name: str) -> None:
    if not db.is_postgresql:
        return

    @event.listens_for(db.engine, "do_connect")
    def _named(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
        cparams["application_name"] = name


class Workstation:
    """One person at one workstation, with their own connection pool."""

    def __init__(self, spec: WorkstationSpec, hub: Hub) -> None:
        self.spec = spec
        self.hub = hub
        self.rng = random.Random(spec.seed)
        self.result = WorkstationResult(spec.index, spec.login, spec.role)
        self.db = Database(hub.url)
        _name_connections(self.db, application_name(spec.index))
        self.ctx = ServiceContext(self.db, spec.login)
        self.marker = ChangeMarker(hub.first_marker)
        self.chains = 0
        self.known: list[int] = []  # contacts this workstation heard of (the auditor's reading list)
        self.my_restrictions: dict[int, int] = {}  # restriction id → contact id, for a manager to lift

    # --- the loop ----------------------------------------------------------------------------------

    def run(self) -> WorkstationResult:
        try:
            self._wait(self.hub.start_at - time.time())
            next_poll = time.time() + self.rng.uniform(0, FEED_SECONDS)
            while time.time() < self.hub.end_at:
                if time.time() >= next_poll:
                    self.poll_changes()
                    next_poll = time.time() + FEED_SECONDS
                self.step()
                self._wait(self.rng.uniform(0, self.hub.think_seconds))
            self.result.feed_marker = self.marker.position
        except Exception as exc:  # a bug in this load test, reported as such; never MASH Desk's outcome
            self.result.crashed = f"{exc.__class__.__name__}: {exc}"
        finally:
            self.db.dispose()
        return self.result

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def step(self) -> None:
        """One thing this person does; each kind of workstation says what (``HubWorkstation``)."""
        raise NotImplementedError

    # --- one call, its outcome, and Retry after a fault ---------------------------------------------

    def call(
        self,
        action: str,
        service: Callable[[], T],
        *,
        write: bool,
        contact_id: int | None = None,
        audit_action: str | None = None,
        audit_rows: int = 1,
        record_key: str | None = None,
        expected_version: int | None = None,
        after: Callable[[T], tuple[int | None, str | None]] | None = None,
    ) -> tuple[bool, T | None]:
        """Run one service call as the window would; (worked, its value). Faults are retried like a person would."""
        self.chains += 1
        what = CallRecord(
            workstation=self.spec.index,
            login=self.spec.login,
            action=action,
            chain=self.chains,
            attempt=0,
            kind=Kind.OK,
            ms=0.0,
            started=0.0,
            write=write,
            contact_id=contact_id,
            expected_version=expected_version,
            record_key=record_key,
            audit_action=audit_action,
            audit_rows=audit_rows,
        )
        attempt = 0
        while True:
            started = time.time() - self.hub.start_at
            clock = time.perf_counter()
            try:
                value = service()
            except Exception as exc:  # every outcome is classified; none is allowed to stop the workstation
                kind = classify(exc)
                self.result.records.append(
                    replace(
                        what,
                        attempt=attempt,
                        kind=kind,
                        ms=(time.perf_counter() - clock) * 1000,
                        started=started,
                        error=exc.__class__.__name__,
                        message=str(exc)[:500],
                    )
                )
                if kind is Kind.UNAVAILABLE and attempt < RETRY_PRESSES:
                    attempt += 1
                    self._wait(self.rng.uniform(0.3, 1.0))  # reading the message, pressing Retry
                    continue
                if isinstance(exc, RestrictedRecord) and contact_id is not None:
                    self.maybe_break_glass(contact_id)
                return False, None
            ms = (time.perf_counter() - clock) * 1000
            if after is not None:  # what was saved is known only now (a new contact, the one claimed)
                saved_on, saved_as = after(value)
                what = replace(what, contact_id=saved_on, audit_action=saved_as)
            self.result.records.append(replace(what, attempt=attempt, ms=ms, started=started))
            return True, value

    # --- what every workstation does ---------------------------------------------------------------

    def poll_changes(self) -> bool:
        """The window's change-feed poll: remember every contact it reports."""
        worked, batch = self.call("change feed poll", lambda: changed_since(self.ctx, self.marker), write=False)
        if not worked or batch is None:
            return False
        self.result.feed_polls += 1
        self.result.feed_seen.update(batch.contact_ids)
        self.result.feed_largest = max(self.result.feed_largest, len(batch.contact_ids))
        if batch.overflow and not self.result.feed_overflowed:
            self.result.feed_overflowed = True
            self.result.feed_overflow_at = time.time() - self.hub.start_at
        self.known.extend(batch.contact_ids[-20:])
        del self.known[:-200]
        self.marker = batch.marker
        return True

    def open(self, contact_id: int) -> ContactDetail | None:
        worked, detail = self.call(
            "open contact (partner agency)" if self.spec.login in self.hub.agency_logins else "open contact",
            lambda: contact_view.open_contact(self.ctx, contact_id),
            write=False,
            contact_id=contact_id,
            audit_action="contact.open",
        )
        return detail if worked else None

    def maybe_break_glass(self, contact_id: int) -> None:
        """Met a restricted contact: half the time say why and break the glass, then open it."""
        if self.rng.random() < 0.5:
            return
        worked, _ = self.call(
            "break the glass",
            lambda: restrictions.break_glass(
                self.ctx, contact_id=contact_id, reason="Load test: the child's safety needs this record now."
            ),
            write=True,
            contact_id=contact_id,
            audit_action="record.break_glass",
        )
        if worked:
            self.call(
                "open contact",
                lambda: contact_view.open_contact(self.ctx, contact_id),
                write=False,
                contact_id=contact_id,
                audit_action="contact.open",
            )

    def queue(self, which: queues.Queue) -> list[queues.QueueRow]:
        worked, page = self.call(f"queue: {which.value}", lambda: queues.queue_page(self.ctx, which), write=False)
        if not worked or page is None:
            return []
        self.known.extend(row.contact_id for row in page.rows[:10])
        return list(page.rows)

    def pick(self, rows: Sequence[T], top: int) -> T | None:
        """What a person takes from a list sorted most urgent first: one of the first few (or, when the
        list is empty, a moment before they look again)."""
        if not rows:
            self._wait(self.rng.uniform(0.5, 1.5))
            return None
        return self.rng.choice(rows[:top])

    def search(self) -> None:
        prefix = self.rng.choice(self.hub.family_prefixes)
        query = search.PersonQuery(family_name=prefix)
        # partner agencies' reads go through more row-level security on PostgreSQL: timed apart
        action = "search people (partner agency)" if self.spec.login in self.hub.agency_logins else "search people"
        self.call(action, lambda: search.find_people(self.ctx, query), write=False)

    def note(self, contact_id: int, *, oversight: bool = False) -> None:
        words = "Management oversight: plan agreed, review in 24 hours." if oversight else "Spoke to the school."
        self.call(
            "add oversight" if oversight else "add note",
            lambda: notes.add_note(self.ctx, contact_id, f"Load test. {words}", oversight=oversight),
            write=True,
            contact_id=contact_id,
            audit_action="note.management_oversight" if oversight else "note.case_note",
        )

    def letter(
        self, contact_id: int, recipient: LetterRecipient = LetterRecipient.REFERRER, addressee_id: int | None = None
    ) -> None:
        """Issue a letter; a family letter to the addressee the worklist showed (as the person confirms it)."""
        self.call(
            f"issue letter ({recipient.value})",
            lambda: letters.issue_letter(self.ctx, contact_id, recipient, LetterMethod.POST, addressee_id=addressee_id),
            write=True,
            contact_id=contact_id,
            audit_action="letter.issue",
        )

    def log_contact(self) -> None:
        existing: int | None = None
        if self.rng.random() < 0.3:  # a child already known: search first, link the record found
            prefix = self.rng.choice(self.hub.family_prefixes)
            worked, found = self.call(
                "search people",
                lambda: search.find_people(self.ctx, search.PersonQuery(family_name=prefix)),
                write=False,
            )
            if worked and found:
                existing = self.rng.choice(found[:3]).person_id
        draft = contact_draft(self.rng, datetime.now(UTC), existing)
        self.call(
            "log contact",
            lambda: intake.log_contact(self.ctx, draft),
            write=True,
            audit_action="contact.log",
            after=lambda logged: (logged.id, "contact.log"),
        )

    # --- MASH practitioners ------------------------------------------------------------------------

    def mash_step(self) -> None:
        roll = self.rng.random()
        if roll < 0.22:
            worked, claimed = self.call(
                "claim next",
                lambda: queues.claim_next(self.ctx),
                write=True,
                after=lambda got: (got.contact_id, "contact.claim") if got is not None else (None, None),
            )
            if worked and claimed is not None:
                self.result.claimed.append(claimed.contact_id)
                self.work_on(claimed.contact_id)
        elif roll < 0.62:
            row = self.pick([r for r in self.queue(queues.Queue.TEAM) if r.status is not ContactStatus.CLOSED], 8)
            if row is not None:
                self.work_on(row.contact_id)
        elif roll < 0.74:
            row = self.pick(self.queue(queues.Queue.MINE), 5)
            if row is not None:
                self.work_on(row.contact_id)
        elif roll < 0.82:
            self.search()
        elif roll < 0.90:
            self.log_contact()
        else:
            row = self.pick(self.queue(queues.Queue.TEAM), 20)
            if row is not None:
                self.note(row.contact_id)

    def work_on(self, contact_id: int) -> None:
        """Open a contact and take the next step its state allows, as a practitioner would."""
        detail = self.open(contact_id)
        if detail is None:
            return
        status = detail.status
        if status is ContactStatus.RECEIVED:
            if detail.open_case_team is not None and detail.current_consent is None:
                self.record_consent(detail)
            else:
                self.rate(detail)
        elif status in WORKING:
            self.work_on_screened(detail)
        elif status is ContactStatus.AUTHORISED:
            self.place(detail)
        elif status is ContactStatus.ACCEPTED:
            if self.rng.random() < 0.75:
                self.close(detail)
            else:
                self.letter(detail.id)
        elif status is ContactStatus.CLOSED and self.rng.random() < 0.3:
            self.letter(detail.id)
        else:
            self.note(detail.id)

    def work_on_screened(self, detail: ContactDetail) -> None:
        if detail.current_consent is None and self.rng.random() < 0.85:
            self.record_consent(detail)
            return
        outstanding = [r for r in detail.agency_requests if r.status is AgencyRequestStatus.OUTSTANDING]
        missing = [child for child in detail.children if child.proposed is None]
        roll = self.rng.random()
        if roll < 0.08:
            self.rate(detail)
        elif outstanding and roll < 0.30:
            request = self.rng.choice(outstanding)
            self.call(
                "withdraw agency request",
                lambda: screening.withdraw_agency_request(
                    self.ctx, request.id, "Load test: the decision cannot wait for this agency."
                ),
                write=True,
                contact_id=detail.id,
                audit_action="agency_request.withdraw",
            )
        elif not outstanding and not missing and roll < 0.70:
            self.submit(detail)
        elif roll < 0.45:
            asked = {r.agency_code for r in outstanding}
            choices = [code for code in self.hub.agency_codes if code not in asked]
            if choices:
                chosen = self.rng.sample(choices, min(len(choices), self.rng.choice((1, 1, 2, 3))))
                self.call(
                    "request agency checks",
                    lambda: screening.request_agency_checks(self.ctx, detail.id, chosen, "What do you know?"),
                    write=True,
                    contact_id=detail.id,
                    audit_action="agency_request.create",
                    audit_rows=len(chosen),
                )
        elif missing or roll < 0.85:
            for child in missing or [self.rng.choice(detail.children)]:
                self.propose(detail.id, child.person.person_id, open_case=detail.open_case_team is not None)
        else:
            self.submit(detail)  # perhaps too soon: the services say what is still missing

    def submit(self, detail: ContactDetail) -> None:
        self.call(
            "submit for authorisation",
            lambda: decisions.submit_for_authorisation(self.ctx, detail.id, expected_version=detail.version),
            write=True,
            contact_id=detail.id,
            audit_action="decision.submit",
            record_key=f"contact:{detail.id}",
            expected_version=detail.version,
        )

    def rate(self, detail: ContactDetail) -> None:
        choices = [rag for rag in Rag if rag is not detail.rag]
        rag = self.rng.choice(choices)
        reason = None if detail.rag is None else "Load test: new information from the police changes the risk."
        self.call(
            "rate (versioned)",
            lambda: screening.rate(self.ctx, detail.id, rag, reason, expected_version=detail.version),
            write=True,
            contact_id=detail.id,
            audit_action="contact.rate",
            record_key=f"contact:{detail.id}",
            expected_version=detail.version,
        )

    def record_consent(self, detail: ContactDetail, *, override: bool = False) -> None:
        if override:  # a manager's own decision, correcting what was recorded before
            draft = override_draft(self.spec.login)
            draft.corrects_id = detail.current_consent.id if detail.current_consent is not None else None
        else:
            draft = consent_draft(self.rng, datetime.now(UTC).date())
        self.call(
            "record consent",
            lambda: screening.record_consent(self.ctx, detail.id, draft),
            write=True,
            contact_id=detail.id,
            audit_action="consent.record",
        )

    def propose(self, contact_id: int, person_id: int, *, open_case: bool = False) -> None:
        if open_case and self.rng.random() < 0.8:
            level, outcome, need = 3, Outcome.PASS_TO_ALLOCATED_WORKER, "N1"
        else:
            level, outcome, need = self.rng.choice([p for p in PROPOSALS if open_case or p[1] not in OPEN_CASE_ONLY])
        proposal = decisions.DecisionProposal(person_id, level, outcome, need, RATIONALE)
        self.call(
            "propose decision",
            lambda: decisions.propose_decision(self.ctx, contact_id, proposal),
            write=True,
            contact_id=contact_id,
            audit_action="decision.propose",
        )

    def pass_to_allocated_team(self, detail: ContactDetail) -> None:
        self.call(
            "pass to allocated team",
            lambda: handoffs.pass_to_allocated_team(self.ctx, detail.id, "Open case: for the allocated worker."),
            write=True,
            contact_id=detail.id,
            audit_action="handoff.open_case",
        )

    def place(self, detail: ContactDetail) -> None:
        """An authorised contact: hand it to the team its outcome needs, or close it."""
        if self.rng.random() < 0.2:
            self.letter(detail.id)
        outcomes = [c.outcome for c in detail.children if c.outcome is not None and needs_hand_off(c.outcome)]
        if not outcomes:
            self.close(detail)
            return
        if not sharing_allowed(detail):
            # no hand-off without consent or an override, which only a manager records: ask them
            self.note(detail.id)
            return
        if detail.open_case_team is not None and Outcome.PASS_TO_ALLOCATED_WORKER in outcomes:
            self.pass_to_allocated_team(detail)
            return
        names = OUTCOME_TEAM.get(outcomes[0], ("Assessment Team",))
        team = self.hub.teams[self.rng.choice(names)]
        self.call(
            "hand off",
            lambda: handoffs.hand_off(self.ctx, detail.id, team, "Load test: please accept today."),
            write=True,
            contact_id=detail.id,
            audit_action="handoff.send",
        )

    def close(self, detail: ContactDetail) -> None:
        self.call(
            "close (versioned)",
            lambda: handoffs.close_contact(self.ctx, detail.id, expected_version=detail.version),
            write=True,
            contact_id=detail.id,
            audit_action="contact.close",
            record_key=f"contact:{detail.id}",
            expected_version=detail.version,
        )


def handoffs_pending(ctx: ServiceContext, *, mine_only: bool) -> list[queues.HandOffRow]:
    return queues.pending_hand_offs(ctx, mine_only=mine_only)
