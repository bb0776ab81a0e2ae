"""DASH and Graded Care Profile assessments, case notes and management oversight on a contact."""

from datetime import datetime, timedelta
from typing import Any

from mash_desk.domain.enums import NoteKind
from mash_desk.domain.risk import CarerParticipation, validate_gcp_grades
from mash_desk.tools.demo.choice import Picker, between, minute, pick
from mash_desk.tools.demo.state import ContactState
from mash_desk.tools.demo.town import Person
from mash_desk.tools.demo.vocabulary import CASE_NOTES, GCP_ASSESSORS, OVERSIGHT_NOTES

PICK_GCP_GRADE = Picker((1, 2, 3, 4, 5), (5, 20, 35, 30, 10))
PICK_NOTE_COUNT = Picker((0, 1, 2), (45, 35, 20))


def dash_row(s: ContactState, dash: tuple[str, Any, str | None], victim: int | None, worker: int) -> None:
    b, rng = s.ledger, s.rng
    answers, result, reason = dash
    roll = rng.random()
    if roll < 0.6 or s.story is not None:
        assessor = b.users["pc_jones"]
        at = s.t0 - timedelta(minutes=round(rng.uniform(30, 600)))  # at the incident, before the MASH heard
    else:
        assessor = b.users["ida_khan"] if roll < 0.8 else worker
        at = minute(s.t0 + (s.last_at - s.t0) * rng.random())
    b.rows["dash_assessment"].append(
        (
            b.next_id("dash_assessment"),
            s.cid,
            victim,
            answers,
            result.yes_count,
            result.level.value,
            result.professional_judgement,
            reason,
            result.marac_referral,
            assessor,
            b.ts(at),
        )
    )
    b.counts["dash"] += 1


def gcp_row(s: ContactState, named: list[Person]) -> None:
    b, rng = s.ledger, s.rng
    child = named[-1]
    grades = validate_gcp_grades(
        {area: PICK_GCP_GRADE(rng) for area in ("physical_care", "safety", "love_and_belonging", "esteem")}
    )
    assessor = b.users["hv_okafor" if s.story is not None else pick(rng, GCP_ASSESSORS)]
    if rng.random() < 0.4:
        at = minute(s.t0 - timedelta(days=rng.uniform(1, 60)))
    else:
        at = minute(s.t0 + (s.last_at - s.t0) * rng.random())
    born = child.dob or child.expected
    if born is not None and at.date() < born:
        at = minute(s.last_at)
    review = (at + timedelta(weeks=between(rng, 6, 12))).date()
    consent = rng.random() < 0.9
    # no draw of its own, so the rest of the town stays as it was: a carer struggling most took part least
    if not consent:
        participation = CarerParticipation.DECLINED
    elif max(grades.values()) >= 4:
        participation = CarerParticipation.PARTIAL
    else:
        participation = CarerParticipation.FULL
    b.rows["gcp_assessment"].append(
        (
            b.next_id("gcp_assessment"),
            s.cid,
            child.id,
            grades["physical_care"],
            grades["safety"],
            grades["love_and_belonging"],
            grades["esteem"],
            consent,
            "Regular meals and a bedtime routine; home conditions improved; attendance above 95%.",
            b.day(review),
            assessor,
            b.ts(at),
            participation.value,
        )
    )
    b.counts["gcp"] += 1


def notes(
    s: ContactState, t_log: datetime, worker: int, manager: int, is_open: bool, overdue: bool, auth_at: datetime | None
) -> None:
    b, rng = s.ledger, s.rng
    rows = b.rows["case_note"]
    span = s.last_at - t_log
    count = 2 if s.story is not None and s.story.notes else PICK_NOTE_COUNT(rng)
    for _ in range(count):
        note_id = b.next_id("case_note")
        at = minute(t_log + span * rng.random())
        rows.append((note_id, s.cid, None, NoteKind.CASE_NOTE.value, pick(rng, CASE_NOTES), worker, b.ts(at), None))
        if rng.random() < 0.02:
            later = minute(at + (s.last_at - at) * rng.random())
            rows.append(
                (
                    b.next_id("case_note"),
                    s.cid,
                    None,
                    NoteKind.CORRECTION.value,
                    "Correction: the call was with the maternal aunt, not the mother.",
                    worker,
                    b.ts(later),
                    note_id,
                )
            )
    oversight = 0.5 if is_open and overdue else 0.25
    if (s.story is not None and s.story.notes) or rng.random() < oversight:
        at = auth_at or minute(t_log + span * rng.random())
        text_ = OVERSIGHT_NOTES[1] if overdue and is_open else pick(rng, OVERSIGHT_NOTES)
        rows.append(
            (
                b.next_id("case_note"),
                s.cid,
                None,
                NoteKind.MANAGEMENT_OVERSIGHT.value,
                text_,
                manager,
                b.ts(at),
                None,
            )
        )
