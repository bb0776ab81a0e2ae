"""What must hold after the run, read back from the database (as its owner: no row-level security).

A baseline is taken before the workstations start (the highest id of every history table, each
contact's status, version and change stamp); afterwards every row written during the run is
checked against what the workstations were told, against its audit row, and against the state
machine in ``domain.lifecycle``. Each check counts its violations and keeps a few examples.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mash_desk.domain.enums import (
    AgencyRequestStatus,
    ConsentStatus,
    ContactStatus,
    DecisionStatus,
    HandOffStatus,
)
from mash_desk.domain.lifecycle import Action, result_of, role_may, state_allows, status_transitions
from mash_desk.domain.words import counted
from mash_desk.services.changes import ChangeMarker, changed_since
from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from mash_desk.tools.loadtest.outcomes import CallRecord, Kind, WorkstationResult, driver_words
from mash_desk.tools.loadtest.readback import After, Audit, Baseline, read_after

EXAMPLES = 5
DECIDED = frozenset(
    {ContactStatus.AUTHORISED, ContactStatus.AWAITING_ACCEPTANCE, ContactStatus.ACCEPTED, ContactStatus.CLOSED}
)
PAST_SUBMISSION = DECIDED | {ContactStatus.AWAITING_AUTHORISATION}

# the audit row each service leaves, and the lifecycle action it stands for
AUDITED_ACTIONS: dict[str, Action] = {
    "contact.rate": Action.RATE,
    "consent.record": Action.RECORD_CONSENT,
    "agency_request.create": Action.REQUEST_AGENCY_CHECKS,
    "agency_request.return": Action.RECORD_AGENCY_RETURN,
    "agency_request.withdraw": Action.WITHDRAW_AGENCY_REQUEST,
    "decision.propose": Action.PROPOSE_DECISION,
    "decision.submit": Action.SUBMIT_FOR_AUTHORISATION,
    "decision.authorise": Action.AUTHORISE,
    "decision.return": Action.RETURN_DECISION,
    "handoff.send": Action.HAND_OFF,
    "handoff.open_case": Action.PASS_TO_ALLOCATED_TEAM,
    "handoff.accept": Action.ACCEPT_HAND_OFF,
    "handoff.reject": Action.REJECT_HAND_OFF,
    "contact.close": Action.CLOSE,
    "contact.claim": Action.CLAIM,
    "contact.reassign": Action.REASSIGN,
    "note.case_note": Action.ADD_NOTE,
    "note.management_oversight": Action.ADD_OVERSIGHT,
    "letter.issue": Action.ISSUE_LETTER,
}
# units that change the contact row itself, so bump its version once each (contact.log: the reference)
VERSION_BUMPS = frozenset(
    {
        "contact.log",
        "contact.rate",
        "agency_request.create",
        "decision.submit",
        "decision.authorise",
        "decision.return",
        "handoff.send",
        "handoff.open_case",
        "handoff.accept",
        "handoff.reject",
        "contact.close",
        "contact.claim",
        "contact.reassign",
    }
)


@dataclass
class Check:
    """One invariant: how many times it broke, with a few examples to start from."""

    name: str
    violations: int = 0
    examples: list[str] = field(default_factory=list)
    note: str = ""

    def add(self, example: str, count: int = 1) -> None:
        self.violations += count
        if len(self.examples) < EXAMPLES:
            self.examples.append(example)


# --- the checks ----------------------------------------------------------------------------------------


def check_invariants(db: Database, baseline: Baseline, results: Sequence[WorkstationResult]) -> list[Check]:
    """Every invariant, in the order the report prints them."""
    after = read_after(db, baseline)
    records = [record for result in results for record in result.records]
    service_audit = [row for row in after.audit if not row.action.startswith("row.")]
    return [
        _double_claims(results, service_audit),
        _lost_claims(results, service_audit, after),
        _lost_updates(records, service_audit, after, baseline),
        *_told_versus_saved(records, service_audit),
        _audit_history(service_audit, after, baseline),
        _two_current_proposals(after),
        _stale_proposals(service_audit, after),
        _illegal_moves(service_audit, after, baseline),
        *_row_history(after, baseline, db.is_postgresql),
        _wrong_team_answers(after, baseline),
        _four_eyes(service_audit, after),
        _sharing_without_consent(service_audit, after, baseline),
        _out_of_step(after),
        _raw_exceptions(records),
        _unexpected_errors(records),
        _driver_words_shown(records),
        _faults_left_unresolved(records),
        _fault_wording(records),
        _feed_misses(db, baseline, results, after),
        _load_test_crashes(results),
    ]


def _double_claims(results: Sequence[WorkstationResult], audit: list[Audit]) -> Check:
    check = Check("contacts claimed by two people")
    handed_out = Counter(contact for result in results for contact in result.claimed)
    for contact, times in sorted(handed_out.items()):
        if times > 1:
            check.add(f"claim_next gave contact {contact} to {times} workstations")
    claims = Counter(row.contact_id for row in audit if row.action == "contact.claim")
    for claimed, times in sorted(claims.items(), key=lambda kv: kv[0] or 0):
        if times > 1:
            check.add(f"contact {claimed} has {times} claim audit rows from this run")
    return check


def _lost_claims(results: Sequence[WorkstationResult], audit: list[Audit], after: After) -> Check:
    check = Check("claims lost")
    reassigned = {row.contact_id for row in audit if row.action == "contact.reassign"}
    claimed_by = {(row.login, row.contact_id) for row in audit if row.action == "contact.claim"}
    for result in results:
        for contact in result.claimed:
            if (result.login, contact) not in claimed_by:
                check.add(f"{result.login} was given contact {contact}, but no claim of it is recorded")
            elif contact not in reassigned:
                holder = after.contacts[contact][3]
                if holder != after.users[result.login][0]:
                    check.add(
                        f"{result.login} claimed contact {contact}; it is now with "
                        f"{after.login_of.get(holder or 0, 'nobody')}, never reassigned"
                    )
    return check


def _lost_updates(records: list[CallRecord], audit: list[Audit], after: After, baseline: Baseline) -> Check:
    check = Check("lost updates")
    versioned = Counter(
        (r.record_key, r.expected_version)
        for r in records
        if r.kind is Kind.OK and r.record_key is not None and r.expected_version is not None
    )
    for (key, version), times in sorted(versioned.items()):
        if times > 1:
            check.add(f"{times} saves to {key} all succeeded from version {version}")
    bumps = _audited_changes(audit)
    for contact, (_status, version, _stamp, _holder) in sorted(after.contacts.items()):
        before = baseline.contacts.get(contact)
        start = before[1] if before is not None else 1
        if version - start < bumps[contact]:
            check.add(
                f"contact {contact}: {bumps[contact]} audited changes but its version only went {start} -> {version}"
            )
    return check


def _audited_changes(audit: list[Audit]) -> Counter[int]:
    """Per contact, the units that changed the contact row (each bumps its version at least once).

    Asking several agencies is one unit with a row per agency: its rows share the contact, the
    person and the unit's moment (the server's transaction time on PostgreSQL).
    """
    changes: Counter[int] = Counter()
    asked: set[tuple[int, str, str]] = set()
    for row in audit:
        if row.action not in VERSION_BUMPS or row.contact_id is None:
            continue
        if row.action == "agency_request.create":
            unit = (row.contact_id, row.login, str(row.at))
            if unit in asked:
                continue
            asked.add(unit)
        changes[row.contact_id] += 1
    return changes


def _told_versus_saved(records: list[CallRecord], audit: list[Audit]) -> list[Check]:
    """Every save a person was told succeeded is in the trail; every row in the trail was a save someone made."""
    lost = Check("saves reported done but not in the database")
    phantom = Check("saves in the database that nobody made")
    landed = Check(
        "saves that landed although the connection dropped",
        note="the commit reached the server but its answer did not; the person was told nothing was saved",
    )
    told: Counter[tuple[str, str, int | None]] = Counter()
    faulted: Counter[tuple[str, str, int | None]] = Counter()
    faulted_unknown: Counter[tuple[str, str]] = Counter()
    for record in records:
        if record.audit_action is None:
            continue
        key = (record.login, record.audit_action, record.contact_id)
        if record.kind is Kind.OK:
            told[key] += record.audit_rows
        elif record.kind is Kind.UNAVAILABLE:
            if record.contact_id is None:
                faulted_unknown[(record.login, record.audit_action)] += record.audit_rows
            else:
                faulted[key] += record.audit_rows
    watched = {key[1] for key in told} | {key[1] for key in faulted} | {key[1] for key in faulted_unknown}
    stored = Counter((row.login, row.action, row.contact_id) for row in audit if row.action in watched)
    for key in sorted(set(told) | set(stored), key=str):
        saved, said = stored[key], told[key]
        if saved < said:
            lost.add(
                f"{key[0]}: {said} x {key[1]} on contact {key[2]} reported done, {saved} in the trail", said - saved
            )
        elif saved > said:
            extra = saved - said
            explained = min(extra, faulted[key])
            if not explained:
                explained = min(extra, faulted_unknown[(key[0], key[1])])
                faulted_unknown[(key[0], key[1])] -= explained
            if explained:
                landed.add(f"{key[0]}: {key[1]} on contact {key[2]} was saved although the answer was lost", explained)
            if extra > explained:
                phantom.add(f"{key[0]}: {extra - explained} x {key[1]} on contact {key[2]} nobody was told of")
    return [lost, phantom, landed]


def _audit_history(audit: list[Audit], after: After, baseline: Baseline) -> Check:
    """Each record written in the run has its audit row, and each audit row its record."""
    check = Check("audit/history mismatches")

    def entities(*actions: str) -> Counter[int]:
        return Counter(row.entity_id for row in audit if row.action in actions and row.entity_id is not None)

    def pair(what: str, rows: Iterable[int], actions: tuple[str, ...]) -> None:
        made, audited = Counter(rows), entities(*actions)
        for entity in sorted(set(made) | set(audited)):
            if made[entity] != audited[entity]:
                check.add(
                    f"{what} {entity}: {counted(made[entity], 'row')}, "
                    f"{counted(audited[entity], 'audit row')} {actions}"
                )

    base = baseline.max_ids
    pair("contact", [c for c in after.contacts if c > base["contact"]], ("contact.log",))
    pair("proposal", [d[0] for d in after.decisions if d[0] > base["threshold_decision"]], ("decision.propose",))
    pair("consent record", [c for c in after.consents if c > base["consent_decision"]], ("consent.record",))
    pair("agency request", [r for r in after.requests if r > base["agency_request"]], ("agency_request.create",))
    pair("hand-off", [h for h in after.hand_offs if h > base["hand_off"]], ("handoff.send", "handoff.open_case"))
    pair("case note", [n for n, _c in after.notes], ("note.case_note", "note.management_oversight"))
    pair("letter", [n for n, _c in after.letters], ("letter.issue", "letter.suppress"))
    for answer, action in (
        (AgencyRequestStatus.RETURNED, "agency_request.return"),
        (AgencyRequestStatus.WITHDRAWN, "agency_request.withdraw"),
    ):
        moved = [r for r, row in after.requests.items() if row[2] is answer and baseline.requests.get(r) is not answer]
        pair(f"agency request {answer.value}", moved, (action,))
    for response, action in ((HandOffStatus.ACCEPTED, "handoff.accept"), (HandOffStatus.REJECTED, "handoff.reject")):
        answered = [
            h for h, row in after.hand_offs.items() if row[2] is response and baseline.hand_offs.get(h) is not response
        ]
        pair(f"hand-off {response.value}", answered, (action,))

    def per_contact(what: tuple[str, str], rows: Iterable[int], actions: tuple[str, ...]) -> None:
        made = Counter(rows)
        audited = Counter(row.contact_id for row in audit if row.action in actions and row.contact_id is not None)
        for contact in sorted(set(made) | set(audited)):
            if made[contact] != audited[contact]:
                check.add(
                    f"contact {contact}: {counted(made[contact], *what)}, "
                    f"{counted(audited[contact], 'audit row')} {actions}"
                )

    per_contact(("RAG rating", "RAG ratings"), [contact for _id, contact in after.ratings], ("contact.rate",))
    per_contact(
        ("authorisation", "authorisations"), [a[1] for a in after.authorisations if a[3]], ("decision.authorise",)
    )
    per_contact(
        ("return of a decision", "returns of a decision"),
        [a[1] for a in after.authorisations if not a[3]],
        ("decision.return",),
    )
    closed = [
        c
        for c, row in after.contacts.items()
        if row[0] is ContactStatus.CLOSED and baseline.contacts.get(c, (None,))[0] is not ContactStatus.CLOSED
    ]
    per_contact(("closing", "closings"), closed, ("contact.close",))
    return check


def _two_current_proposals(after: After) -> Check:
    check = Check("children with two current proposals")
    current = Counter(link for _id, link, status, _by, _o in after.decisions if status is DecisionStatus.PROPOSED)
    for link, number in sorted(current.items()):
        if number > 1:
            check.add(f"child link {link} (contact {after.links[link][0]}) has {number} current proposals")
    return check


def _stale_proposals(audit: list[Audit], after: After) -> Check:
    check = Check("proposals left 'proposed' on decided or closed contacts; authorised decisions not the latest")
    for _id, link, status, _by, _outcome in after.decisions:
        contact = after.links[link][0]
        if status is DecisionStatus.PROPOSED and after.contacts[contact][0] in DECIDED:
            check.add(f"proposal {_id} is still proposed on contact {contact} ({after.contacts[contact][0].value})")
    latest: dict[int, tuple[int, DecisionStatus, object]] = {}
    for decision_id, link, status, _by, outcome in after.decisions:
        latest[link] = (decision_id, status, outcome)
    authorised = {row.contact_id for row in audit if row.action == "decision.authorise"}
    for link, (contact, outcome) in after.links.items():
        if contact not in authorised:
            continue
        found = latest.get(link)
        if found is None or found[1] is not DecisionStatus.AUTHORISED:
            check.add(f"contact {contact}: child link {link}'s latest decision is {found and found[1].value}")
        elif found[2] != outcome:
            check.add(f"contact {contact}: child link {link} records {outcome}, its authorised decision {found[2]}")
    return check


def _illegal_moves(audit: list[Audit], after: After, baseline: Baseline) -> Check:
    """Replay each contact's audited actions through the state machine from where it stood."""
    check = Check("illegal states (audited actions replayed through domain/lifecycle.py)")
    by_contact: dict[int, list[Audit]] = defaultdict(list)
    for row in audit:
        if row.contact_id is not None and (row.action in AUDITED_ACTIONS or row.action == "contact.log"):
            by_contact[row.contact_id].append(row)
    for contact, rows in sorted(by_contact.items()):
        before = baseline.contacts.get(contact)
        state: ContactStatus | None = before[0] if before is not None else None
        for row in rows:
            if row.action == "contact.log":
                if state is not None:
                    check.add(f"contact {contact} logged again (audit {row.id})")
                state = ContactStatus.RECEIVED
                continue
            action = AUDITED_ACTIONS[row.action]
            role = after.users[row.login][1] if row.login in after.users else None
            if state is None:
                check.add(f"contact {contact}: {row.action} (audit {row.id}) before it was logged")
                break
            if role is None or not role_may(role, action) or not state_allows(state, action):
                check.add(
                    f"contact {contact}: {row.login} ({role}) did {row.action} while {state.value} (audit {row.id})"
                )
            state = result_of(action, state)
        if state is not None and state is not after.contacts[contact][0]:
            check.add(
                f"contact {contact}: its audited actions end {state.value}, it is {after.contacts[contact][0].value}"
            )
    return check


def _row_history(after: After, baseline: Baseline, postgresql: bool) -> list[Check]:
    """PostgreSQL writes its own history of every status a contact passed through: each move must be allowed."""
    if not postgresql:
        return []
    check = Check("status moves the database recorded that the state machine does not allow")
    allowed = status_transitions()
    state: dict[int, ContactStatus] = {c: row[0] for c, row in baseline.contacts.items()}
    for row in after.audit:
        if row.entity != "contact" or row.action not in ("row.insert", "row.update") or row.entity_id is None:
            continue
        status = ContactStatus(json.loads(row.detail or "{}").get("status"))
        previous = state.get(row.entity_id)
        role = after.users[row.login][1] if row.login in after.users else None
        if previous is not None and previous is not status and (previous, status, role) not in allowed:
            check.add(f"contact {row.entity_id}: {previous.value} -> {status.value} by {row.login} (audit {row.id})")
        state[row.entity_id] = status
    for contact, status in state.items():
        if after.contacts[contact][0] is not status:
            check.add(
                f"contact {contact}: its row history ends {status.value}, it is {after.contacts[contact][0].value}"
            )
    return [check]


def _wrong_team_answers(after: After, baseline: Baseline) -> Check:
    check = Check("hand-offs answered by someone outside the receiving team")
    team_of = {uid: team for uid, _role, team in after.users.values()}
    for handoff, (contact, team, status, answered_by) in sorted(after.hand_offs.items()):
        if status is HandOffStatus.PENDING or baseline.hand_offs.get(handoff) is status:
            continue
        if answered_by is None or team_of.get(answered_by) != team:
            who = after.login_of.get(answered_by or 0)
            check.add(f"hand-off {handoff} (contact {contact}) {status.value} by {who}, not of team {team}")
    return check


def _four_eyes(audit: list[Audit], after: After) -> Check:
    check = Check("decisions authorised by the manager who proposed them")
    proposer: dict[int, int] = {}
    latest: dict[int, int] = {}
    for decision_id, link, status, by, _outcome in after.decisions:
        if status is DecisionStatus.AUTHORISED:
            latest[link] = decision_id
            proposer[decision_id] = by
    links_of: dict[int, list[int]] = defaultdict(list)
    for link, (contact, _outcome) in after.links.items():
        links_of[contact].append(link)
    for _id, contact, manager, approved in after.authorisations:
        if not approved:
            continue
        for link in links_of[contact]:
            decision = latest.get(link)
            if decision is not None and proposer[decision] == manager:
                check.add(f"contact {contact}: {after.login_of.get(manager)} authorised their own proposal {decision}")
    return check


def _sharing_without_consent(audit: list[Audit], after: After, baseline: Baseline) -> Check:
    check = Check("agency checks or hand-offs without consent or an override")
    consent_before: dict[int, int] = {}
    for consent_id, (contact, _s, _o, _scope) in sorted(after.consents.items()):
        if consent_id <= baseline.max_ids["consent_decision"]:
            consent_before[contact] = consent_id
    current = dict(consent_before)
    for row in audit:
        if row.contact_id is None:
            continue
        if row.action == "consent.record" and row.entity_id is not None:
            current[row.contact_id] = row.entity_id
            continue
        if row.action == "agency_request.create" and row.entity_id is not None:
            agency: str | None = after.requests[row.entity_id][1]
        elif row.action in ("handoff.send", "handoff.open_case") and row.entity_id is not None:
            agency = after.team_agency.get(after.hand_offs[row.entity_id][1])
        else:
            continue
        consent = after.consents.get(current.get(row.contact_id, -1))
        if consent is None:
            check.add(f"contact {row.contact_id}: {row.action} (audit {row.id}) with no consent recorded")
            continue
        _contact, status, override, scope = consent
        covered = not scope or agency is None or agency in scope.split(",")
        if not override and (status is not ConsentStatus.GIVEN or not covered):
            check.add(
                f"contact {row.contact_id}: {row.action} to {agency} with consent {status.value} (audit {row.id})"
            )
    return check


def _out_of_step(after: After) -> Check:
    check = Check("contacts whose status and records disagree")
    pending = Counter(
        contact for contact, _t, status, _by in after.hand_offs.values() if status is HandOffStatus.PENDING
    )
    outstanding = Counter(
        contact for contact, _a, status, _by in after.requests.values() if status is AgencyRequestStatus.OUTSTANDING
    )
    for contact, (status, _v, _s, _h) in sorted(after.contacts.items()):
        awaiting = status is ContactStatus.AWAITING_ACCEPTANCE
        if awaiting and pending[contact] != 1:
            check.add(f"contact {contact} awaits acceptance with {pending[contact]} pending hand-offs")
        if not awaiting and pending[contact]:
            check.add(f"contact {contact} is {status.value} with {counted(pending[contact], 'pending hand-off')}")
        if status in PAST_SUBMISSION and outstanding[contact]:
            check.add(
                f"contact {contact} is {status.value} with {counted(outstanding[contact], 'outstanding agency check')}"
            )
    return check


def _raw_exceptions(records: list[CallRecord]) -> Check:
    check = Check("raw exceptions (not a MashDeskError) reaching a person")
    for record in records:
        if record.kind is Kind.RAW:
            check.add(f"{record.action} as {record.login}: {record.error}: {record.message}")
    return check


def _unexpected_errors(records: list[CallRecord]) -> Check:
    check = Check("errors that normal work should never meet (unknown user, schema mismatch...)")
    for record in records:
        if record.kind is Kind.UNEXPECTED:
            check.add(f"{record.action} as {record.login}: {record.error}: {record.message}")
    return check


def _driver_words_shown(records: list[CallRecord]) -> Check:
    check = Check("deadlock or driver messages shown to a person")
    for record in records:
        words = driver_words(record.message or "")
        if words:
            check.add(f"{record.action} as {record.login} ({', '.join(words)}): {record.message}")
    return check


def _faults_left_unresolved(records: list[CallRecord]) -> Check:
    check = Check("faults that pressing Retry did not resolve")
    last: dict[tuple[int, int], CallRecord] = {}
    for record in records:
        last[(record.workstation, record.chain)] = record
    for record in last.values():
        if record.attempt and record.kind in (Kind.UNAVAILABLE, Kind.RAW, Kind.UNEXPECTED):
            check.add(f"{record.action} as {record.login}: still {record.kind.value} after {record.attempt} Retry")
    return check


def _fault_wording(records: list[CallRecord]) -> Check:
    check = Check("fault messages that do not say nothing was saved and to try again")
    for record in records:
        message = (record.message or "").lower()
        if record.kind is Kind.UNAVAILABLE and not ("nothing" in message and "try again" in message):
            check.add(f"{record.action} as {record.login}: {record.message}")
    return check


def _feed_misses(db: Database, baseline: Baseline, results: Sequence[WorkstationResult], after: After) -> Check:
    """Every contact changed during the run reached every workstation's change feed."""
    check = Check("changes a workstation's change feed never reported")
    changed = {
        contact
        for contact, row in after.contacts.items()
        if contact not in baseline.contacts or baseline.contacts[contact][2] != row[2]
    }
    ctx = ServiceContext(db)
    checked = 0
    overflowed: list[str] = []
    for result in results:
        if result.crashed is not None:
            continue
        if result.feed_overflowed:
            overflowed.append(f"{result.index} at {result.feed_overflow_at or 0:.0f} s")
            continue
        seen = set(result.feed_seen)
        marker = ChangeMarker(result.feed_marker)
        overflow = False
        while not overflow:  # the window's next poll, now that every workstation has stopped
            batch = changed_since(ctx, marker)
            seen.update(batch.contact_ids)
            overflow = batch.overflow
            if not batch.contact_ids or batch.marker == marker:
                break
            marker = batch.marker
        if overflow:
            overflowed.append(f"{result.index} at its last poll")
            continue
        checked += 1
        missing = sorted(changed - seen)
        if missing:
            check.add(f"workstation {result.index} ({result.login}) never heard of {missing[:8]}", len(missing))
    largest = max((result.feed_largest for result in results), default=0)
    check.note = f"{len(changed):,} contacts changed; {checked} feeds checked; at most {largest} in one poll"
    if overflowed:  # more than a poll can list: the window refreshes everything instead
        check.note += f"; overflowed (refreshed everything, not checked): {', '.join(overflowed)}"
    return check


def _load_test_crashes(results: Sequence[WorkstationResult]) -> Check:
    check = Check("workstations that stopped on a load-test bug")
    for result in results:
        if result.crashed is not None:
            check.add(f"workstation {result.index} ({result.login}): {result.crashed}")
    return check
