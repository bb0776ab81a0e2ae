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
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import event

from mash_desk.domain.cin import needs_hand_off
from mash_desk.domain.enums import (
    AgencyRequestStatus,
    Channel,
    Concern,
    Confidentiality,
    ConsentStatus,
    ContactStatus,
    Gender,
    HousingTenure,
    LetterMethod,
    LetterRecipient,
    Outcome,
    OverrideBasis,
    Rag,
    ReferrerKind,
    RelationshipKind,
)
from mash_desk.domain.errors import RestrictedRecord
from mash_desk.domain.periods import london_date
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
from mash_desk.services.demo.vocabulary import HERITAGES
from mash_desk.services.drafts import AdultDraft, ChildDraft, ContactDraft, HouseholdDraft, ReferrerDraft
from mash_desk.store.database import Database
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
        role = self.spec.role
        if role is RoleKind.MASH:
            self.mash_step()
        elif role is RoleKind.MANAGER:
            self.manager_step()
        elif role is RoleKind.AGENCY:
            self.agency_step()
        elif role is RoleKind.RECEIVING:
            self.receiving_step()
        elif role is RoleKind.BUSINESS_SUPPORT:
            self.business_support_step()
        else:
            self.auditor_step()

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

    # --- team managers -----------------------------------------------------------------------------

    def manager_step(self) -> None:
        roll = self.rng.random()
        if roll < 0.62:
            row = self.pick(self.queue(queues.Queue.DECISIONS), 3)
            if row is not None:
                self.decide(row.contact_id)
            return
        row = self.pick([r for r in self.queue(queues.Queue.TEAM) if r.status is not ContactStatus.CLOSED], 10)
        if row is None:
            return
        if roll < 0.70:
            self.note(row.contact_id, oversight=True)
        elif roll < 0.76:
            to = self.rng.choice(self.hub.mash_practitioners)
            self.call(
                "reassign",
                lambda: queues.reassign(self.ctx, row.contact_id, to, "Load test: balancing caseloads."),
                write=True,
                contact_id=row.contact_id,
                audit_action="contact.reassign",
            )
        elif roll < 0.78:
            detail = self.open(row.contact_id)
            if detail is not None and detail.status in WORKING and detail.children:
                self.propose(detail.id, self.rng.choice(detail.children).person.person_id)
        elif roll < 0.87:  # agreeing to share without consent where the practitioners are stuck
            detail = self.open(row.contact_id)
            if detail is not None and detail.status in SHARING and not sharing_allowed(detail):
                self.record_consent(detail, override=True)
        elif roll < 0.90:
            worked, restriction = self.call(
                "restrict record",
                lambda: restrictions.restrict_record(
                    self.ctx, contact_id=row.contact_id, reason="Load test: a member of staff is related."
                ),
                write=True,
                contact_id=row.contact_id,
                audit_action="record.restrict",
            )
            if worked and restriction is not None:
                self.my_restrictions[restriction] = row.contact_id
        elif roll < 0.93 and self.my_restrictions:
            restriction_id = self.rng.choice(sorted(self.my_restrictions))
            contact_id = self.my_restrictions.pop(restriction_id)
            self.call(
                "lift restriction",
                lambda: restrictions.lift_restriction(self.ctx, restriction_id, "Load test: no longer needed."),
                write=True,
                contact_id=contact_id,
                audit_action="record.unrestrict",
            )
        else:
            self.open(row.contact_id)

    def decide(self, contact_id: int) -> None:
        detail = self.open(contact_id)
        if detail is None or detail.status is not ContactStatus.AWAITING_AUTHORISATION:
            return
        if self.rng.random() < 0.75:
            self.call(
                "authorise (versioned)",
                lambda: decisions.authorise(self.ctx, detail.id, "Agreed.", expected_version=detail.version),
                write=True,
                contact_id=detail.id,
                audit_action="decision.authorise",
                record_key=f"contact:{detail.id}",
                expected_version=detail.version,
            )
        else:
            self.call(
                "return decision (versioned)",
                lambda: decisions.return_decision(
                    self.ctx, detail.id, "Load test: reconsider the level of need.", expected_version=detail.version
                ),
                write=True,
                contact_id=detail.id,
                audit_action="decision.return",
                record_key=f"contact:{detail.id}",
                expected_version=detail.version,
            )

    # --- partner agencies --------------------------------------------------------------------------

    def agency_step(self) -> None:
        _worked, rows = self.call("queue: agency requests", lambda: queues.agency_requests(self.ctx), write=False)
        row = self.pick(rows or [], 3)
        if row is None:
            return
        roll = self.rng.random()
        if roll < 0.25:
            self.open(row.contact_id)
        if roll > 0.9:
            self.note(row.contact_id)
            return
        nothing_known = self.rng.random() < 0.4
        confidentiality = self.rng.choice(
            (Confidentiality.SHAREABLE, Confidentiality.SHAREABLE, Confidentiality.AGENCY_CONFIDENTIAL)
        )
        summary = None if nothing_known else "Load test: known to us; two incidents last year, no further action."
        self.call(
            "record agency return (versioned)",
            lambda: screening.record_agency_return(
                self.ctx,
                row.request_id,
                summary=summary,
                nothing_known=nothing_known,
                confidentiality=confidentiality,
                expected_version=row.version,
            ),
            write=True,
            contact_id=row.contact_id,
            audit_action="agency_request.return",
            record_key=f"request:{row.request_id}",
            expected_version=row.version,
        )

    # --- receiving teams ---------------------------------------------------------------------------

    def receiving_step(self) -> None:
        roll = self.rng.random()
        if self.spec.login in self.hub.agency_logins and self.rng.random() < 0.3:
            self.agency_step()  # an agency officer in a receiving team also answers their agency's checks
            return
        if roll < 0.07:  # answering another team's hand-off: the services must refuse
            worked, everyone = self.call(
                "queue: all hand-offs", lambda: handoffs_pending(self.ctx, mine_only=False), write=False
            )
            mine = self.hub.team_of.get(self.spec.login)
            others = [h for h in everyone or [] if h.team_id != mine]
            if worked and others:
                other = self.rng.choice(others)
                self.call(
                    "accept hand-off (another team's)",
                    lambda: handoffs.accept_hand_off(self.ctx, other.handoff_id),
                    write=True,
                    contact_id=other.contact_id,
                    audit_action="handoff.accept",
                )
            return
        if roll < 0.15:
            self.search()
            return
        worked, rows = self.call(
            "queue: my team's hand-offs", lambda: handoffs_pending(self.ctx, mine_only=True), write=False
        )
        row = self.pick(rows or [], 2)
        if row is None:
            return
        if self.rng.random() < 0.5:
            self.open(row.contact_id)
        if self.rng.random() < 0.65:
            accepted, _ = self.call(
                "accept hand-off",
                lambda: handoffs.accept_hand_off(self.ctx, row.handoff_id),
                write=True,
                contact_id=row.contact_id,
                audit_action="handoff.accept",
            )
            if accepted and self.spec.login not in self.hub.agency_logins and self.rng.random() < 0.3:
                detail = self.open(row.contact_id)
                if detail is not None and detail.status is ContactStatus.ACCEPTED:
                    self.close(detail)
        else:
            self.call(
                "reject hand-off",
                lambda: handoffs.reject_hand_off(self.ctx, row.handoff_id, "Load test: not for this team."),
                write=True,
                contact_id=row.contact_id,
                audit_action="handoff.reject",
            )

    # --- business support --------------------------------------------------------------------------

    def business_support_step(self) -> None:
        roll = self.rng.random()
        if roll < 0.55:
            self.log_contact()
        elif roll < 0.85:
            today = london_date(datetime.now(UTC))
            _worked, jobs = self.call("letters due", lambda: letters.letters_due(self.ctx, today), write=False)
            job = self.pick(jobs or [], 5)
            if job is not None:
                self.letter(job.contact_id, job.recipient, job.addressee_id)
        else:
            self.search()

    # --- the auditor -------------------------------------------------------------------------------

    def auditor_step(self) -> None:
        roll = self.rng.random()
        if roll < 0.55 and self.known:
            self.open(self.rng.choice(self.known))
        elif roll < 0.8:
            self.search()
        else:
            self.call("queue: all hand-offs", lambda: handoffs_pending(self.ctx, mine_only=False), write=False)


def handoffs_pending(ctx: ServiceContext, *, mine_only: bool) -> list[queues.HandOffRow]:
    return queues.pending_hand_offs(ctx, mine_only=mine_only)


def run_workstation(spec: WorkstationSpec, hub: Hub) -> WorkstationResult:
    return Workstation(spec, hub).run()


# --- what people type --------------------------------------------------------------------------------


def sharing_allowed(detail: ContactDetail) -> bool:
    consent = detail.current_consent
    return consent is not None and (consent.override or consent.status is ConsentStatus.GIVEN)


def consent_draft(rng: random.Random, today: date) -> screening.ConsentDraft:
    """Mostly consent given; sometimes refused or not sought (then nothing is shared until a manager
    records an override)."""
    roll = rng.random()
    if roll < 0.8:
        return screening.ConsentDraft(
            status=ConsentStatus.GIVEN,
            given_by_name="Parent (load test)",
            given_by_relationship="mother",
            given_by_has_pr=True,
            obtained_on=today,
            method="by phone",
        )
    if roll < 0.9:
        return screening.ConsentDraft(status=ConsentStatus.REFUSED, parent_aware=True)
    return screening.ConsentDraft(
        status=ConsentStatus.NOT_SOUGHT,
        parent_aware=False,
        parent_not_aware_reason="Load test: telling the parent could put the child at risk.",
    )


def override_draft(manager: str) -> screening.ConsentDraft:
    """Consent refused, and information shared anyway on a lawful basis: the manager's own decision."""
    return screening.ConsentDraft(
        status=ConsentStatus.REFUSED,
        override=True,
        override_basis=OverrideBasis.PUBLIC_TASK_SAFEGUARDING,
        override_reason="Load test: the child is at risk of significant harm.",
        override_authorised_by=manager,
    )


def contact_draft(rng: random.Random, now: datetime, existing_child: int | None) -> ContactDraft:
    """A complete, valid contact about one to three children of an invented family of the demo town."""
    heritage = rng.choices([h for h, _ in HERITAGES], weights=[w for _, w in HERITAGES])[0]
    family = rng.choice(heritage.families)[0]
    children: list[ChildDraft] = []
    if existing_child is not None:
        children.append(ChildDraft(existing_person_id=existing_child))
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3)) - len(children)):
        girl = rng.random() < 0.5
        given = rng.choice(heritage.girls if girl else heritage.boys)
        children.append(
            ChildDraft(
                given_names=rng.choice(given),
                family_name=family,
                date_of_birth=(now - timedelta(days=rng.randint(30, 17 * 365))).date(),
                gender=Gender.FEMALE if girl else Gender.MALE,
            )
        )
    if not children:
        children.append(ChildDraft(existing_person_id=existing_child))
    return ContactDraft(
        received_at=now - timedelta(minutes=rng.randint(1, 240)),
        channel=rng.choice((Channel.PHONE, Channel.EMAIL, Channel.POLICE_NOTIFICATION, Channel.REFERRAL_FORM)),
        referral_source=rng.choice(("2A", "2B", "3A", "5A", "1A")),
        referrer=ReferrerDraft(
            kind=ReferrerKind.PROFESSIONAL,
            name="Jo Bell",
            role="Designated safeguarding lead",
            agency="Hillside Primary School",
            phone="01632 960123",
        ),
        children=children,
        adults=[
            AdultDraft(
                given_names=rng.choice(rng.choice(heritage.girls)),
                family_name=family,
                relationship=RelationshipKind.MOTHER,
                parental_responsibility=True,
            )
        ],
        household=HouseholdDraft(
            address_line1=f"{rng.randint(1, 200)} Park Street",
            town="Luton",
            postcode="LU1 3AB",
            tenure=rng.choice(list(HousingTenure)),
        ),
        concerns=set(rng.sample(list(Concern), rng.choice((1, 2)))),
        narrative="Load test: the school is worried; the child arrives hungry and has missed days this term.",
        immediate_danger=rng.random() < 0.05,
    )
