"""A year of case supervision for the demo's practitioners (issue 14), written after the bulk load.

Each practitioner is supervised by Maria or Mark about every four weeks, with the odd gap, and
discusses two or three of the contacts they held at the time; each case discussed is a management
oversight note on that contact, as ``services.supervision`` writes it. Some practitioners' last
supervision is six weeks or more ago, so the dashboard and the pack have someone overdue to show.
Written as rows (like the bulk load) rather than through the service, which only takes supervision
from the last three months; the same seed and ``now`` give the same rows.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select

from mash_desk.domain.enums import NoteKind, Role
from mash_desk.domain.periods import london_date, london_midnight
from mash_desk.domain.supervision import CaseDiscussed, oversight_text
from mash_desk.store.database import Database
from mash_desk.store.models import CaseNote, Contact, HandOff, Supervision, SupervisionCase, User

HISTORY = timedelta(days=365)
SUPERVISORS = ("maria", "mark")
REFLECTIONS = (
    "We looked at the history before this contact: three low-level neglect contacts in a year that each "
    "looked below threshold on their own.",
    "Talked through why consent was overridden and whether the family should have been told sooner.",
    "The rating was AMBER; on reflection the baby's age and the father's return made it RED.",
    "Checked whose voice is missing: nobody has spoken to the child on their own yet.",
    "The school's information and the health visitor's pull in different directions; we weighed both.",
    "The mother's English is limited and her son interpreted on the phone: that must not happen again.",
    "Second move in six months, now in temporary accommodation: records may not have followed the family.",
)
ACTIONS = (
    "Ask the health visitor for a Graded Care Profile 2 within two weeks.",
    "Speak to the child alone at school this week.",
    "Book a professional interpreter for the home visit.",
    "Chase the police return; escalate to the team manager if it is not back by Friday.",
    "Ask housing for the family's previous addresses and the GP registered at each.",
    "No further action needed on this case; the decision stands.",
)


def add_supervision(db: Database, now: datetime, seed: int) -> int:
    """Supervision for every demo practitioner over the last year; how many supervisions were written."""
    rng = random.Random(seed * 7919 + 14)
    today = london_date(now)
    with db.session(write=True) as session:
        users = {
            name: (uid, display, role, team)
            for uid, name, display, role, team in session.execute(
                select(User.id, User.username, User.display_name, User.role, User.team_id).where(User.active.is_(True))
            )
        }
        supervisors = [users[name][:2] for name in SUPERVISORS if name in users]
        practitioners = sorted((v for v in users.values() if v[2] is Role.PRACTITIONER), key=lambda v: v[0])
        if not supervisors or not practitioners:
            return 0
        written = 0
        for index, (uid, name, _role, team_id) in enumerate(practitioners):
            # every third practitioner has gone six weeks or more without: overdue on the dashboard
            last = today - timedelta(days=rng.randint(43, 60) if index % 3 == 0 else rng.randint(2, 20))
            days: list[date] = []
            held = last
            while held >= today - HISTORY:
                if held.weekday() < 5:
                    days.append(held)
                held -= timedelta(days=rng.choice((21, 28, 28, 28, 35, 49)))
            for held_on in reversed(days):
                supervisor_id, supervisor = supervisors[rng.randrange(len(supervisors))]
                at = london_midnight(held_on) + timedelta(hours=rng.randint(10, 15))
                how_many = rng.randint(2, 3)
                cases = session.execute(
                    select(Contact.id, Contact.reference)
                    .where(Contact.assigned_to_id == uid, Contact.received_at < at)
                    .order_by(Contact.received_at.desc())
                    .limit(how_many)
                ).all()
                if not cases and team_id is not None:
                    # a practitioner outside the MASH discusses the cases handed to their team
                    cases = session.execute(
                        select(Contact.id, Contact.reference)
                        .join(HandOff, HandOff.contact_id == Contact.id)
                        .where(HandOff.team_id == team_id, HandOff.sent_at < at)
                        .order_by(HandOff.sent_at.desc())
                        .limit(how_many)
                    ).all()
                if not cases:
                    continue
                record = Supervision(
                    practitioner_id=uid,
                    supervisor_id=supervisor_id,
                    held_on=held_on,
                    recorded_by_id=supervisor_id,
                    recorded_at=at,
                )
                session.add(record)
                session.flush()
                for contact_id, reference in cases:
                    case = CaseDiscussed(reference, rng.choice(REFLECTIONS), rng.choice(ACTIONS))
                    note = CaseNote(
                        contact_id=contact_id,
                        kind=NoteKind.MANAGEMENT_OVERSIGHT,
                        text=oversight_text(name, supervisor, held_on, case),
                        author_id=supervisor_id,
                        written_at=at,
                    )
                    session.add(note)
                    session.flush()
                    session.add(
                        SupervisionCase(
                            supervision_id=record.id,
                            contact_id=contact_id,
                            note_id=note.id,
                            reflection=case.reflection,
                            actions=case.actions,
                        )
                    )
                written += 1
        return written
