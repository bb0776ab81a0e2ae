"""Two threshold consistency exercises in the demo, through the services: one closed with its results,
one open with vignettes waiting for the MASH's practitioners to rate.

Maria sets both up from past contacts and reviews every vignette; staff of every agency rate, each
agency leaning its own way (police a little higher than the decision made, education a little lower),
so the results show agreement by agency and the vignettes people disagree on most.
"""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import select

from mash_desk.domain.enums import ContactStatus, Outcome
from mash_desk.services import exercises
from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database
from mash_desk.store.exercise_models import VignetteSource
from mash_desk.store.models import Contact, ContactChild

CLOSED_TITLE = "Neglect and domestic abuse thresholds, spring"
OPEN_TITLE = "Thresholds refresher for new starters"
# who rates, and how far their agency leans from the decision made (in levels, on average)
RATERS: tuple[tuple[str, float], ...] = (
    ("priya", 0.0),
    ("jade", 0.0),
    ("omar", 0.1),
    ("mark", 0.0),
    ("ava", 0.1),
    ("pc_jones", 0.5),
    ("hv_okafor", 0.2),
    ("ed_patel", -0.4),
    ("housing_ade", -0.2),
    ("eh_brown", -0.3),
    ("ida_khan", 0.4),
)
OPEN_RATERS = ("pc_jones", "hv_okafor", "eh_brown")
TYPICAL_OUTCOME = {1: Outcome.ADVICE_SIGNPOST, 2: Outcome.EARLY_HELP, 3: Outcome.CFA_S17, 4: Outcome.STRATEGY_S47}


def _past_contacts(db: Database, count: int, skip: int = 0) -> list[str]:
    """Closed, decided contacts, one at each level in turn, newest first."""
    with db.session() as session:
        rows = session.execute(
            select(Contact.reference, ContactChild.level_of_need)
            .join(ContactChild, ContactChild.contact_id == Contact.id)
            .where(Contact.status == ContactStatus.CLOSED, ContactChild.level_of_need.is_not(None))
            .order_by(Contact.received_at.desc())
            .limit(400)
        ).all()
    by_level: dict[int, list[str]] = {}
    for reference, level in rows:
        if level is not None and reference not in by_level.get(level, []):
            by_level.setdefault(level, []).append(reference)
    picked: list[str] = []
    depth = 0
    while len(picked) < count + skip and any(len(refs) > depth for refs in by_level.values()):
        for level in sorted(by_level):
            if len(by_level[level]) > depth and by_level[level][depth] not in picked:
                picked.append(by_level[level][depth])
        depth += 1
    return picked[skip : skip + count]


def _prepare(maria: ServiceContext, title: str, references: list[str], rng: random.Random) -> int:
    exercise_id = exercises.create_exercise(maria, title)
    exercises.add_contacts(maria, exercise_id, " ".join(references), draw=rng.randrange)
    for vignette in exercises.vignettes(maria, exercise_id):
        exercises.review_vignette(maria, vignette.id, vignette.text, vignette.version)
    exercises.open_exercise(maria, exercise_id)
    return exercise_id


def _rate(db: Database, now: datetime, who: str, lean: float, rng: random.Random) -> None:
    rater = ServiceContext(db, who, clock=lambda: now)
    with db.session() as session:
        real = dict(session.execute(select(VignetteSource.vignette_id, VignetteSource.real_level)).all())
    for vignette in exercises.vignettes_to_rate(rater):
        if vignette.my_level is not None:
            continue
        level = max(1, min(4, round(real[vignette.vignette_id] + lean + rng.choice((-1, 0, 0, 0, 0, 1)) * 0.8)))
        exercises.rate_vignette(rater, vignette.vignette_id, level, TYPICAL_OUTCOME[level])


def make_exercise_examples(db: Database, now: datetime, seed: int = 14) -> None:
    """The closed exercise (rated by eleven people of eight agencies) and the open one."""
    rng = random.Random(seed)
    maria = ServiceContext(db, "maria", clock=lambda: now)
    closed = _past_contacts(db, 6)
    if len(closed) < 4:
        return  # a demo too small for an exercise
    exercise_id = _prepare(maria, CLOSED_TITLE, closed, rng)
    for who, lean in RATERS:
        _rate(db, now, who, lean, rng)
    exercises.close_exercise(maria, exercise_id)
    _prepare(maria, OPEN_TITLE, _past_contacts(db, 4, skip=6), rng)
    for who in OPEN_RATERS:
        _rate(db, now, who, dict(RATERS)[who], rng)
