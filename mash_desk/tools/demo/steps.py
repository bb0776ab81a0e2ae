"""The rows a contact's steps write: consent, agency checks and returns, proposals and authorisations,
hand-offs and their answers, and the child's allocation when a team accepts."""

from datetime import date, datetime, timedelta

from mash_desk.domain.enums import (
    AgencyRequestStatus,
    Confidentiality,
    ConsentStatus,
    DecisionStatus,
    HandOffStatus,
    Outcome,
    OverrideBasis,
    RelationshipKind,
)
from mash_desk.domain.timescales import LONDON, due_at
from mash_desk.tools.demo.choice import Picker, minute, pick
from mash_desk.tools.demo.judgement import OUTCOMES_FOR_LEVEL
from mash_desk.tools.demo.state import ContactState
from mash_desk.tools.demo.town import Family, Person
from mash_desk.tools.demo.vocabulary import (
    AGENCY_USER,
    RATIONALES,
    REJECTION_REASONS,
    REQUEST_QUESTIONS,
    RETURN_COMMENTS,
    RETURN_SUMMARIES,
)

CASE_DAYS: dict[Outcome, tuple[int, int]] = {
    Outcome.CFA_S17: (20, 150),
    Outcome.STRATEGY_S47: (60, 500),
    Outcome.EMERGENCY_PROTECTION: (120, 700),
    Outcome.PASS_TO_ALLOCATED_WORKER: (30, 200),
}
OVERRIDE_REASONS = {
    ConsentStatus.REFUSED: "Mother refused consent; the risk of significant harm to the children outweighs it.",
    ConsentStatus.NOT_SOUGHT: "Seeking consent could alert the alleged perpetrator and place the children at risk.",
    ConsentStatus.NOT_POSSIBLE: "Parents could not be contacted and the concern cannot wait.",
}
NOT_AWARE_REASONS = (
    "Telling the parents could put the child at risk from the alleged perpetrator.",
    "Police asked that the family are not told while enquiries continue.",
)

PICK_BASIS = Picker(
    (
        OverrideBasis.PUBLIC_TASK_SAFEGUARDING.value,
        OverrideBasis.VITAL_INTERESTS.value,
        OverrideBasis.LEGAL_OBLIGATION.value,
    ),
    (85, 12, 3),
)
PICK_MARKING = Picker(
    (Confidentiality.SHAREABLE, Confidentiality.AGENCY_CONFIDENTIAL, Confidentiality.RESTRICTED), (78, 16, 6)
)


def consent_row(
    s: ContactState,
    status: ConsentStatus,
    override: bool,
    family: Family,
    named: list[Person],
    at: datetime,
    worker: int,
    manager: int,
    scope_codes: list[str],
) -> None:
    b, rng = s.ledger, s.rng
    mother = next((a.person for a in family.adults if a.relationship == RelationshipKind.MOTHER.value), None)
    carer = mother or family.adults[0].person if family.adults else None
    carer_name = f"{carer.given} {carer.family}" if carer else None
    given_by = relationship = method = None
    has_pr: bool | None = None
    obtained: date | None = None
    scope = ""
    parent_aware = True
    not_aware = None
    if status in (ConsentStatus.GIVEN, ConsentStatus.REFUSED) and carer_name:
        given_by, relationship, has_pr = carer_name, "mother" if carer is mother else "carer", True
        obtained = at.astimezone(LONDON).date()
        method = pick(rng, ("by phone", "in person", "in writing"))
        if status is ConsentStatus.GIVEN and rng.random() < 0.15:
            scope = ",".join(sorted(set(scope_codes) | {"SOCIAL_CARE", "EARLY_HELP"}))
    elif status is ConsentStatus.GIVEN:
        given_by, relationship, has_pr = "Foster carer", "carer", False
        obtained = at.astimezone(LONDON).date()
        method = "in person"
    if status is ConsentStatus.NOT_SOUGHT or (status is ConsentStatus.NOT_POSSIBLE and rng.random() < 0.5):
        parent_aware = False
        not_aware = (
            pick(rng, NOT_AWARE_REASONS) if status is ConsentStatus.NOT_SOUGHT else "Parents could not be contacted."
        )
    births = [p.dob for p in named if p.dob is not None]
    child_views = None
    if births and (at.date() - min(births)).days > 8 * 365 and rng.random() < 0.3:
        child_views = "Says they want things to be calmer at home and does not want to move school."
    basis = reason = None
    authoriser = None
    if override:
        basis = PICK_BASIS(rng)
        reason = OVERRIDE_REASONS.get(status, OVERRIDE_REASONS[ConsentStatus.NOT_SOUGHT])
        authoriser = manager
    b.rows["consent_decision"].append(
        (
            b.next_id("consent_decision"),
            s.cid,
            status.value,
            given_by,
            relationship,
            has_pr,
            b.day(obtained),
            method,
            scope,
            parent_aware,
            not_aware,
            child_views,
            override,
            basis,
            reason,
            authoriser,
            worker,
            b.ts(at),
            None,
        )
    )
    s.touch(at, worker)


def agency_requests(s: ContactState, codes: list[str], times: dict[str, datetime], due: datetime, worker: int) -> None:
    """Checks asked of each agency, and each agency's return (or the request withdrawn)."""
    b, rng, now = s.ledger, s.rng, s.ledger.now
    asked = times["request"]
    answered_by = times.get("propose")
    window = max(timedelta(minutes=30), due - asked)
    plans: list[tuple[str, datetime | None, bool]] = []  # code, returned at, withdrawn
    for code in codes:
        if answered_by is not None:
            at = asked + (answered_by - asked) * rng.uniform(0.1, 0.97)
            plans.append((code, minute(at), rng.random() < 0.03))
        else:
            late = rng.random() < 0.2
            offset = window * (rng.uniform(1.05, 2.0) if late else rng.uniform(0.1, 0.95))
            at = minute(asked + offset)
            plans.append((code, at if at <= now - timedelta(minutes=1) else None, False))
    if answered_by is None:
        if "markings" in s.forced and len(plans) >= 3:
            plans = [(code, asked + (now - asked) * (0.3 + 0.2 * i), False) for i, (code, _, _) in enumerate(plans)]
            plans[-1] = (plans[-1][0], None, False)
        elif all(returned is not None for _, returned, _ in plans):
            plans[-1] = (plans[-1][0], None, False)  # still waiting for one agency
    rows = b.rows["agency_request"]
    for index, (code, returned_at, withdrawn) in enumerate(plans):
        request_id = b.next_id("agency_request")
        question = REQUEST_QUESTIONS[code]
        agency_user = b.users[AGENCY_USER[code]]
        if withdrawn and returned_at is not None:
            rows.append(
                (
                    request_id,
                    s.cid,
                    b.agencies[code],
                    question,
                    worker,
                    b.ts(asked),
                    b.ts(due),
                    AgencyRequestStatus.WITHDRAWN.value,
                    None,
                    None,
                    None,
                    False,
                    Confidentiality.SHAREABLE.value,
                    "The decision could not wait for this return: strategy discussion held.",
                    1,
                )
            )
            continue
        if returned_at is None:
            rows.append(
                (
                    request_id,
                    s.cid,
                    b.agencies[code],
                    question,
                    worker,
                    b.ts(asked),
                    b.ts(due),
                    AgencyRequestStatus.OUTSTANDING.value,
                    None,
                    None,
                    None,
                    False,
                    Confidentiality.SHAREABLE.value,
                    None,
                    1,
                )
            )
            continue
        nothing_known = rng.random() < 0.35
        summary = None if nothing_known and rng.random() < 0.7 else pick(rng, RETURN_SUMMARIES[code])
        marking = PICK_MARKING(rng)
        if "markings" in s.forced and answered_by is None and index < 2:
            marking = (Confidentiality.AGENCY_CONFIDENTIAL, Confidentiality.RESTRICTED)[index]
            nothing_known, summary = False, RETURN_SUMMARIES[code][0]
        rows.append(
            (
                request_id,
                s.cid,
                b.agencies[code],
                question,
                worker,
                b.ts(asked),
                b.ts(due),
                AgencyRequestStatus.RETURNED.value,
                b.ts(returned_at),
                agency_user,
                summary,
                nothing_known,
                marking.value,
                None,
                1,
            )
        )
        s.touch(returned_at, agency_user)
    s.touch(asked, worker)


def decisions(
    s: ContactState,
    link_ids: list[int],
    outcomes: list[tuple[int, Outcome, str]],
    times: dict[str, datetime],
    worker: int,
    manager: int,
    returned_once: bool,
) -> datetime | None:
    """Proposals per child (superseded, returned, authorised as the route went) and authorisations."""
    b, rng = s.ledger, s.rng
    if "propose" not in times:
        return None
    rows, authorisations = b.rows["threshold_decision"], b.rows["authorisation"]

    def propose(
        at: datetime, status: DecisionStatus, *, lowered: bool = False, supersedes: list[int] | None = None
    ) -> list[int]:
        ids = []
        for index, (link_id, (level, outcome, need)) in enumerate(zip(link_ids, outcomes, strict=True)):
            if lowered and level > 1:  # the first proposal was a level lower than the one authorised
                level, outcome = level - 1, OUTCOMES_FOR_LEVEL[level - 1][0][0]  # noqa: PLW2901
                need = need if level > 1 else "N9"  # noqa: PLW2901
            decision_id = b.next_id("threshold_decision")
            rows.append(
                (
                    decision_id,
                    link_id,
                    level,
                    outcome.value,
                    need,
                    RATIONALES[outcome],
                    status.value,
                    worker,
                    b.ts(at),
                    supersedes[index] if supersedes else None,
                )
            )
            ids.append(decision_id)
        s.touch(at, worker)
        return ids

    final = DecisionStatus.AUTHORISED if "auth" in times else DecisionStatus.PROPOSED
    lowered = returned_once and rng.random() < 0.5
    if "propose2" in times:
        first = propose(times["propose"], DecisionStatus.SUPERSEDED, lowered=lowered)
        current_at, supersedes = times["propose2"], first
    else:
        current_at, supersedes = times["propose"], None
    if "submit" in times:
        s.touch(times["submit"], worker)
    if returned_once and "mreturn" in times:
        propose(current_at, DecisionStatus.RETURNED, lowered=lowered, supersedes=supersedes)
        authorisations.append(
            (
                b.next_id("authorisation"),
                s.cid,
                manager,
                b.ts(times["mreturn"]),
                False,
                pick(rng, RETURN_COMMENTS),
            )
        )
        s.touch(times["mreturn"], manager)
        if "repropose" in times:
            propose(times["repropose"], final)
        if "resubmit" in times:
            s.touch(times["resubmit"], worker)
    else:
        propose(current_at, final, supersedes=supersedes)
    if "auth" not in times:
        return None
    comment = pick(
        rng, (None, None, "Agreed; rationale is clear.", "Agree. Please make sure the referrer gets feedback.")
    )
    authorisations.append((b.next_id("authorisation"), s.cid, manager, b.ts(times["auth"]), True, comment))
    s.touch(times["auth"], manager)
    return times["auth"]


def hand_off_rows(
    s: ContactState, sent: list[tuple[int, datetime, str | None]], times: dict[str, datetime], worker: int
) -> int | None:
    """Each hand-off and the receiving team's answer; returns the team that accepted, if any."""
    b, rng = s.ledger, s.rng
    accepted = None
    rows = b.rows["hand_off"]
    for index, (team_id, sent_at, note) in enumerate(sent):
        due = due_at(sent_at, b.rule_handoff, b.calendar)
        responder = b.team_worker.get(team_id)
        s.touch(sent_at, worker)
        if index == 0 and "reject" in times:
            rows.append(
                (
                    b.next_id("hand_off"),
                    s.cid,
                    team_id,
                    note,
                    worker,
                    b.ts(sent_at),
                    b.ts(due),
                    HandOffStatus.REJECTED.value,
                    responder,
                    b.ts(times["reject"]),
                    pick(rng, REJECTION_REASONS),
                )
            )
            s.touch(times["reject"], responder or worker)
        elif "accept" in times:
            rows.append(
                (
                    b.next_id("hand_off"),
                    s.cid,
                    team_id,
                    note,
                    worker,
                    b.ts(sent_at),
                    b.ts(due),
                    HandOffStatus.ACCEPTED.value,
                    responder,
                    b.ts(times["accept"]),
                    None,
                )
            )
            s.touch(times["accept"], responder or worker)
            accepted = team_id
        else:
            rows.append(
                (
                    b.next_id("hand_off"),
                    s.cid,
                    team_id,
                    note,
                    worker,
                    b.ts(sent_at),
                    b.ts(due),
                    HandOffStatus.PENDING.value,
                    None,
                    None,
                    None,
                )
            )
            b.counts["pending_hand_offs"] += 1
    return accepted


def allocate(s: ContactState, person: Person, team_id: int, at: datetime, outcome: Outcome) -> None:
    """As accept_hand_off: the child is allocated to the team, unless already allocated to it."""
    b, rng = s.ledger, s.rng
    state = s.town.allocation_at(person, at)
    if state is not None and state[0] == team_id:
        return
    low, high = CASE_DAYS.get(outcome, (30, 200))
    if s.story is not None and s.story.case_days is not None:
        low = high = s.story.case_days
    closes = at + timedelta(days=rng.uniform(low, high))
    person.allocations.append((at, team_id, closes, b.team_worker.get(team_id)))
