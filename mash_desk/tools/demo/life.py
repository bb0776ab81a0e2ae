"""One contact's life, from arrival to where it is now: cast it, decide where it is heading, time its
steps (checked against ``domain.lifecycle``), and plan the rows each step would have written."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from mash_desk.domain.cin import is_referral, needs_hand_off
from mash_desk.domain.enums import Concern, ConsentStatus, Outcome, ParentsAware, Rag, RelationshipKind, Role
from mash_desk.domain.timescales import due_at
from mash_desk.services.intake import contact_reference
from mash_desk.tools.demo import assessments, casting, judgement, route, steps
from mash_desk.tools.demo.arrivals import Slot
from mash_desk.tools.demo.choice import as_minutes, pick
from mash_desk.tools.demo.ledger import Ledger
from mash_desk.tools.demo.state import ContactState
from mash_desk.tools.demo.town import Town
from mash_desk.tools.demo.vocabulary import (
    MANAGERS,
    MASH_PRACTITIONERS,
    RE_REFERRAL_DAYS,
    SEVERITY,
    TEAMS,
    WHEREABOUTS,
    C,
    S,
)

# where a contact for a child with an open case may be planned to end when it takes the open-case route
# (passed to the allocated worker's team once a manager agrees; route.walk checks its steps)
ROUTE_OPEN_CASE = frozenset({S.RECEIVED, S.AWAITING_ACCEPTANCE, S.ACCEPTED, S.CLOSED})
# after a rejected hand-off, the team the contact goes to next
SECOND_TEAM = {
    "Assessment Team": "Early Help Team",
    "Early Help Team": "Assessment Team",
    "Child Protection Team": "Assessment Team",
    "Children in Need Team": "Assessment Team",
}
TEAM_AGENCY = {name: agency for name, _kind, agency in TEAMS}


def parents_aware(cid: int, concerns: Sequence[Concern]) -> tuple[str, str | None]:
    """Whether the family knows of the contact: mostly yes, some not known, and now and then (domestic abuse)
    not told, with why. From the contact's number, not the random stream, so the rest of the town is unchanged."""
    if cid % 10 == 0:
        return ParentsAware.NOT_KNOWN.value, None
    if cid % 10 == 1 and Concern.DOMESTIC_ABUSE in concerns:
        return ParentsAware.NO.value, "Telling the mother's partner could put her and the children at risk."
    return ParentsAware.YES.value, None


def plan_contact(ledger: Ledger, town: Town, slot: Slot, cid: int) -> None:
    """Plan every row contact ``cid`` would have written by now, arriving and heading as ``slot`` says."""
    run(ContactState(ledger, town, slot, cid))


def run(s: ContactState) -> None:
    """Cast the contact, decide where it is heading, time its steps, and plan each step's rows."""
    b, rng, t0, story = s.ledger, s.rng, s.t0, s.story
    now = b.now
    is_open = s.status is not S.CLOSED
    # the last step happened a while before now: open work is waiting, closed work was closed
    if is_open:
        idle = (now - t0) * rng.uniform(0.05, 0.4)
        if "overdue_hand_off" in s.forced:
            idle = max(idle, timedelta(days=3, hours=12))
    else:
        idle = timedelta(minutes=rng.uniform(30, 720))
    limit = min(now, max(now - idle, t0 + timedelta(minutes=2)))

    # -- who, what, from whom --
    first_new_person = len(s.town.people)
    family, named, aliases, _duplicates = casting.cast(s)
    concerns = casting.concerns(s, family)
    severity = max(SEVERITY.get(c, 0.0) for c in concerns)
    immediate = story is None and rng.random() < 0.015 + 0.05 * severity
    source, channel = casting.source_and_channel(s, concerns[0])
    creator = casting.creator(s, channel)
    worker = b.users["sam" if story is not None else pick(rng, MASH_PRACTITIONERS)]
    manager = b.users[pick(rng, MANAGERS)]
    log_minutes = min(casting.log_delay(s, channel), max(1.0, (limit - t0).total_seconds() / 60 * 0.5))
    t_log = min(now, t0 + as_minutes(log_minutes))
    for person in s.town.people[first_new_person:]:
        person.created_at = t_log
    s.touch(t_log, creator)

    # -- what intake works out --
    re_referral = any(
        p.last_contact_at is not None and p.last_contact_at >= t0 - timedelta(days=RE_REFERRAL_DAYS) for p in named
    )
    open_case_team = casting.open_case_team(s, named, t_log)
    open_case_route = (
        open_case_team is not None and s.status in ROUTE_OPEN_CASE and (story is not None or rng.random() < 0.85)
    )
    decision_due = due_at(t0, b.rule_decision, b.calendar)
    screening_due = min(decision_due, due_at(t0, b.rule_red, b.calendar)) if immediate else decision_due

    # -- what the hub will decide: the truth the steps lead to --
    rag = (story.rag if story is not None else None) or judgement.rag(s, severity, immediate)
    dash = judgement.dash_answers(s, concerns)
    outcomes = judgement.outcomes(s, named, concerns, severity, immediate, dash)
    if open_case_route:
        # the allocated worker's team takes it, once a manager has agreed (four eyes on every route)
        outcomes = [
            (max(level, 2), Outcome.PASS_TO_ALLOCATED_WORKER, need if level > 1 else "N9")
            for level, _outcome, need in outcomes
        ]
    must_hand_off = s.status in (S.AWAITING_ACCEPTANCE, S.ACCEPTED) or "rejected" in s.forced
    if must_hand_off and not open_case_route and not any(needs_hand_off(o) for _, o, _ in outcomes):
        outcomes = [(3, Outcome.CFA_S17, judgement.primary_need(s, 3, Outcome.CFA_S17, concerns))] * len(named)
    needs = any(needs_hand_off(o) for _, o, _ in outcomes)
    team_name = judgement.receiving_team([o for _, o, _ in outcomes]) if needs and not open_case_route else None
    if story is None and team_name == "Assessment Team" and any(p.disability for p in named) and rng.random() < 0.5:
        team_name = "Children in Need Team"
    consent_status, override = judgement.consent_kind(s, sharing_needed=needs)
    sharing = consent_status is ConsentStatus.GIVEN or override

    adults = casting.contact_adults(s, family, named, concerns, t_log)
    household_id = casting.household(s, family, [p.id for p in named] + [a.person.id for a, _, _ in adults], t_log)

    # -- the steps, squeezed if need be so that the last one is before `limit` --
    requested: list[str] = []
    returned_once = False
    if open_case_route and s.status is S.RECEIVED:
        # an open-case contact not yet decided has its consent recorded half the time (always in a story)
        chain = [("consent", rng.uniform(10, 240))] if story is not None or rng.random() < 0.5 else []
    elif open_case_route:
        # no agency checks, no second thoughts: the allocated worker knows the family
        chain = route.normal_chain(s, route.target_stage(s), rag, False, False, False, False, needs)
    else:
        stage = route.target_stage(s)
        if s.status is S.AGENCY_CHECKS and not sharing:
            consent_status, override, sharing = ConsentStatus.NOT_SOUGHT, True, True
        if sharing and (s.status is S.AGENCY_CHECKS or story is not None or rng.random() < 0.85):
            requested = judgement.agencies_to_ask(s, concerns, family, named, any(a.male for a, _, _ in adults))
        returned_once = s.status is S.RETURNED or (
            story is None and stage >= route.STAGE["auth"] and rng.random() < 0.08
        )
        rejected = "rejected" in s.forced or (
            story is None
            and needs
            and (stage >= route.STAGE["handoff"] or s.status is S.AUTHORISED)
            and rng.random() < (0.3 if s.status is S.AUTHORISED else 0.05)
        )
        if rejected and s.status is S.AUTHORISED:
            stage = route.STAGE["reject"]
        superseded = story is None and stage >= route.STAGE["submit"] and rng.random() < 0.05
        chain = route.normal_chain(s, stage, rag, bool(requested), returned_once, rejected, superseded, needs)
    total = sum(minutes for _, minutes in chain)
    span = (limit - t_log).total_seconds() / 60
    factor = min(1.0, span / total) if total > 0 else 1.0
    times: dict[str, datetime] = {}
    cursor = t_log
    office = not immediate and rag is not Rag.RED  # RED work is done out of hours too
    for name, minutes in chain:
        step = cursor + as_minutes(minutes * factor)
        if office:
            step = s.office_hours(step)
        cursor = max(cursor, min(step, limit))
        times[name] = cursor

    # -- the rows each step writes --
    rated = "rate" in times
    rag_due = due_at(t0, b.rag_rules[rag], b.calendar) if rated else screening_due
    if rated:
        b.rows["rag_rating"].append(
            (b.next_id("rag_rating"), s.cid, rag.value, None, b.ts(rag_due), worker, b.ts(times["rate"]))
        )
        s.touch(times["rate"], worker)
    if "consent" in times:
        receiving = team_name or (b.team_names.get(open_case_team) if open_case_team else None)
        scope = [*requested, *([TEAM_AGENCY[receiving]] if receiving in TEAM_AGENCY else [])]
        steps.consent_row(s, consent_status, override, family, named, times["consent"], worker, manager, scope)
    if requested and "request" in times:
        steps.agency_requests(s, requested, times, rag_due, worker)
    link_ids = [b.next_id("contact_child") for _ in named]
    final: list[tuple[int | None, str | None, str | None]] = [(None, None, None)] * len(named)
    decided_at: datetime | None = None
    sent: list[tuple[int, datetime, str | None]] = []
    decided_at = steps.decisions(s, link_ids, outcomes, times, worker, manager, returned_once)
    if decided_at is not None:
        final = [(level, outcome.value, need) for level, outcome, need in outcomes]
    if open_case_route:
        assert open_case_team is not None
        if "handoff" in times:
            sent.append((open_case_team, times["handoff"], "Open case: passed to the allocated worker's team."))
    elif team_name is not None and "handoff" in times:
        note = "Strategy discussion held; please allocate today." if team_name == "Child Protection Team" else None
        sent.append((b.teams[team_name], times["handoff"], note))
        if "handoff2" in times:
            sent.append((b.teams[SECOND_TEAM.get(team_name, "Early Help Team")], times["handoff2"], None))
    # -- the steps, walked through the lifecycle: the status they reach is the status written --
    takers = {"log": creator, "mreturn": manager, "auth": manager}
    if sent:
        takers["reject"] = b.team_worker.get(sent[0][0]) or worker
        takers["accept"] = b.team_worker.get(sent[-1][0]) or worker
    taken = [("log", b.roles[creator])] + [
        (name, Role.AGENCY if name == "returns" else b.roles[takers.get(name, worker)]) for name in times
    ]
    status = route.walk(taken, open_case=open_case_route)
    if status is not s.status:
        raise route.ImpossibleRoute(f"{contact_reference(s.cid)} was planned {s.status} but its steps reach {status}")
    accepted_team = steps.hand_off_rows(s, sent, times, worker)
    closed_at = times.get("close")
    if closed_at is not None:
        s.touch(closed_at, worker)
    if accepted_team is not None:
        for person, (_level, outcome, _need) in zip(named, final, strict=True):
            if outcome is not None and (
                is_referral(Outcome(outcome)) or outcome == Outcome.PASS_TO_ALLOCATED_WORKER.value
            ):
                steps.allocate(s, person, accepted_team, times["accept"], Outcome(outcome))
    if dash is not None:
        mother = next((a.person.id for a, _, _ in adults if a.relationship == RelationshipKind.MOTHER.value), None)
        assessments.dash_row(s, dash, mother, worker)
    if C.NEGLECT in concerns and (story.gcp if story is not None else rng.random() < 0.3):
        assessments.gcp_row(s, named)
    overdue = is_open and rag_due < now
    assessments.notes(s, t_log, worker, manager, is_open, overdue, times.get("auth"))
    for person, given, surname in aliases:
        s.town.alias(person, given, surname, t_log)

    # rating assigns the contact to the practitioner; some new contacts have been claimed already
    claimed = story is None and rng.random() < (0.5 if open_case_route else 0.25)
    assigned = worker if rated or (not open_case_route and s.status is not S.RECEIVED) or claimed else None
    for link_id, person, (level, outcome, need) in zip(link_ids, named, final, strict=True):
        b.rows["contact_child"].append((link_id, s.cid, person.id, level, outcome, need))
    for concern in sorted(c.value for c in concerns):
        b.rows["contact_concern"].append((s.cid, concern))
    b.rows["contact"].append(
        (
            s.cid,
            contact_reference(s.cid),
            b.ts(t0),
            b.ts(t_log),
            channel.value,
            source,
            *casting.referrer(s, source, family, named),
            casting.narrative(s, concerns[0], family, named, re_referral),
            pick(rng, WHEREABOUTS),
            immediate,
            *parents_aware(s.cid, concerns),
            household_id,
            status.value,
            rag.value if rated else None,
            b.ts(rag_due),
            b.ts(decision_due),
            assigned,
            b.teams["MASH Team"],
            open_case_team,
            re_referral,
            creator,
            b.ts(s.last_at),
            s.last_by,
            b.ts(decided_at) if decided_at else None,
            b.ts(closed_at) if closed_at else None,
            worker if closed_at else None,
            1,
        )
    )
    b.rows["audit_event"].append(
        (
            b.next_id("audit_event"),
            b.ts(t_log),
            creator,
            b.usernames[creator],
            "demo.generate",
            "contact",
            s.cid,
            s.cid,
            None,
        )
    )

    # -- what later contacts and the summary need to know --
    for person in named:
        person.last_contact_at = t0
    s.town.contact_log.append((t0, family))
    s.town.log_times.append(t0)
    counts = b.counts
    if is_open:
        counts["open"] += 1
        counts["overdue"] += overdue
    counts["re_referrals"] += re_referral
    counts["referrals"] += any(o is not None and is_referral(Outcome(o)) for _, o, _ in final)
